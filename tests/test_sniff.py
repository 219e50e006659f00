"""Sniffing by content: encodings, delimiters, preambles, sections, containers."""
import io
import zipfile

import pytest

from audit.errors import DataError
from audit.ingest.sniff import Block, blocks_from_bytes, read_blocks

CSV = "Date,Clicks,Impressions\n2025-01-01,3,40\n2025-01-02,5,52\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_encodings_and_line_endings(encoding, newline):
    text = CSV.replace("\n", newline).replace("Clicks", "Clicks é")
    b = blocks_from_bytes(text.encode(encoding), "f.csv")[0]
    assert b.header == ["Date", "Clicks é", "Impressions"]
    assert b.frame()["Impressions"].tolist() == ["40", "52"]
    assert b.frame().index.tolist() == [2, 3]


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiters(delim):
    b = blocks_from_bytes(CSV.replace(",", delim).encode(), "f.csv")[0]
    assert b.delimiter == delim and len(b.header) == 3


def test_sep_line_and_title_line_utf16():
    raw = 'sep=,\n"Facebook reach"\n"Date","Primary"\n"2025-01-01T01:00:00","5"\n'.encode("utf-16")
    b = blocks_from_bytes(raw, "Reach.csv")[0]
    assert b.preamble == ["Facebook reach"] and b.header == ["Date", "Primary"]
    assert b.frame().loc[4, "Primary"] == "5"  # row numbers count the sep= line


def test_hash_preamble_and_stacked_sections():
    text = ("# ----\n# Traffic acquisition\n# Start date: 20250101\n# End date: 20250131\n"
            "Channel,Sessions\nDirect,10\nOrganic Social,4\n\n"
            "# Start date: 20250101\n# End date: 20250131\nPage,Views\n/,100\n")
    blocks = blocks_from_bytes(text.encode(), "ga.csv")
    assert [b.header for b in blocks] == [["Channel", "Sessions"], ["Page", "Views"]]
    assert "Start date: 20250101" in blocks[0].preamble
    assert blocks[1].frame().index.tolist() == [12]


def test_title_and_date_range_lines_before_header():
    text = 'Campaign report\n"March 27, 2026 - April 23, 2026"\nCampaign,Cost\nA,"1,042.00"\nTotal: Account,"1,042.00"\n'
    b = blocks_from_bytes(text.encode(), "g.csv")[0]
    assert b.preamble == ["Campaign report", "March 27, 2026 - April 23, 2026"]
    assert b.header_row == 3 and len(b) == 2


def test_multiline_quoted_fields_keep_records_whole():
    text = 'Post ID,Message,Reach\n1,"line one\n\nline three",10\n2,plain,20\n'
    b = blocks_from_bytes(text.encode(), "p.csv")[0]
    df = b.frame()
    assert len(df) == 2 and df.loc[5, "Reach"] == "20"


def test_whole_row_wrapped_in_one_field_is_unwrapped():
    text = '"Post ID,""Account ID"",Reach"\n"1,""22"",5"\n"2,""22"",7"\n'
    b = blocks_from_bytes(text.encode(), "ig.csv")[0]
    assert b.header == ["Post ID", "Account ID", "Reach"]
    assert b.frame()["Reach"].tolist() == ["5", "7"]


def test_duplicate_headers_get_suffixes():
    b = blocks_from_bytes(b"A,B,A\n1,2,3\n", "d.csv")[0]
    assert list(b.frame().columns) == ["A", "B", "A.1"]


def test_zip_members_and_traversal_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("export/Queries.csv", "Top queries,Clicks,Impressions,CTR,Position\nbread,3,40,7.5%,2.1\n")
        z.writestr("export/Dates.csv", "Date,Clicks,Impressions,CTR,Position\n2025-01-01,3,40,7.5%,2.1\n")
    blocks = blocks_from_bytes(buf.getvalue(), "gsc.zip")
    assert sorted(b.source for b in blocks) == ["gsc.zip!export/Dates.csv", "gsc.zip!export/Queries.csv"]
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../../evil.csv", CSV)
    with pytest.raises(DataError, match="climbs out"):
        blocks_from_bytes(bad.getvalue(), "evil.zip")


def test_xlsx_sheets_with_description_row(tmp_path):
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "All posts"
    ws.append(["Engagement metrics for individual posts."])
    ws.append(["Post title", "Created date", "Impressions"])
    ws.append(["Hello", "01/02/2025", 120])
    p = tmp_path / "book.xls"  # wrong extension on purpose: sniffed by magic bytes
    wb.save(p)
    b = read_blocks(p, "book.xls")[0]
    assert b.sheet == "All posts" and b.header == ["Post title", "Created date", "Impressions"]
    assert b.frame().loc[3, "Impressions"] == "120"


def test_empty_and_garbage_files(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    with pytest.raises(DataError, match="empty"):
        read_blocks(p, "empty.csv")
    with pytest.raises(DataError):
        blocks_from_bytes(b"PK\x03\x04garbage", "broken.zip")


def test_single_column_cells_with_line_breaks_are_not_unwrapped():
    # Found by hypothesis in CI: a lone quoted cell holding the delimiter and a carriage return.
    b = blocks_from_bytes(b'"a,\rb"\n"c,d"\n', "odd.csv")
    assert all(isinstance(x, Block) for x in b)
