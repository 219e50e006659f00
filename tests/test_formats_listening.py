"""Listening exports → mentions. No real listening export exists (export-formats.md §8): the
fixtures under fixtures/exports/listening/ are written by the project from the documented field
lists, with invented brands (Lumen Cosmetics; competitors Verdane and Nordy Skin). Expected values
below were read off those files by hand."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from audit.config import AuditConfig
from audit.ingest import sniff
from audit.ingest.formats import listening as L
from audit.ingest.pipeline import parse_file
from audit.ingest.registry import best_format, load_formats
from audit.ingest.sniff import read_blocks

FIX = Path(__file__).parent / "fixtures" / "exports" / "listening"
UTC = dt.timezone.utc


def config(**extra) -> AuditConfig:
    return AuditConfig.model_validate({
        "client": "Lumen", "objectives": ["image"], "timezone": "Europe/Paris",
        "brand": {"name": "Lumen Cosmetics", "keywords": ["lumen", "lumen cosmetics"],
                  "accounts": {"x": ["@lumencosmetics"]}},
        "competitors": [{"name": "Verdane", "keywords": ["verdane"]},
                        {"name": "Nordy Skin", "keywords": ["nordy", "nordy skin"]}],
        **extra})


def parse(path: Path, cfg: AuditConfig | None = None, rel: str | None = None):
    res, tables = parse_file(path, rel or path.name, cfg if cfg is not None else config())
    return res, tables.get("mentions")


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC")


# --- Brand24-style, English -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def brand24():
    return parse(FIX / "brand24_en.csv")


def test_brand24_detected_and_counted(brand24):
    res, m = brand24
    assert res.status == "ok", res.errors
    assert res.formats == ["listening.brand24"]
    assert res.tables == {"mentions": 12}  # 13 records, one without a date
    assert res.dropped == [{"rows": 1, "reason": "mention without a publication date", "file": "brand24_en.csv"}]


def test_brand24_first_mention_by_hand(brand24):
    m = brand24[1].set_index("source_row")
    r = m.loc[2]  # 2024-03-15 14:32:05 Paris (UTC+1) = 13:32:05 UTC
    assert r.published_at == ts("2024-03-15 13:32:05")
    assert (r.platform, r.account, r.author, r.sentiment) == ("x", "Lumen Cosmetics", "skinjunkie_88", "positive")
    assert (r.reach, r.influence, r.engagement) == (12400.0, 6.0, 34 + 5 + 3)
    assert r.source == "twitter.com" and r.url.endswith("/status/1768659841234567890")
    assert (r.country, r.language) == ("France", "en")


def test_brand24_platforms_accounts_and_numbers(brand24):
    m = brand24[1].set_index("source_row")
    assert m.platform.to_dict() == {
        2: "x", 3: "news", 4: "facebook", 5: "youtube",  # "Videos" + youtube.com
        6: "forums", 7: "blogs", 8: "tiktok", 9: "instagram", 10: "podcasts",
        11: "other",  # "Other socials" + pinterest.com
        12: "web",  # the category says Web even though the host is a forum: the tool's word wins
        13: "instagram"}
    assert m.account.to_dict() == {
        2: "Lumen Cosmetics", 3: "Verdane",  # Verdane is named before Lumen and Nordy Skin
        4: "Lumen Cosmetics", 5: "Nordy Skin",
        6: "Lumen Cosmetics",  # "Which is better, Lumen or Verdane?": the first named
        7: "Lumen Cosmetics", 8: "Lumen Cosmetics",
        9: "Lumen Cosmetics",  # math-bold "𝐋𝐮𝐦𝐞𝐧" is NFKC-normalised before matching
        10: "Lumen Cosmetics",  # names nobody: counted as the brand's, with a warning
        11: "Verdane",
        12: "Lumen Cosmetics",  # the title ("Lumen ou Verdane") is read before the text ("Verdane ou Lumen")
        13: "Lumen Cosmetics"}
    assert any("1 mention(s) name neither the brand nor a competitor" in w for w in brand24[0].warnings)
    assert pd.isna(m.loc[6, "reach"]) and pd.isna(m.loc[10, "reach"])  # "-" and "N/A"
    assert m.loc[7, "reach"] == 1200.0 and m.loc[8, "reach"] == 15000.0  # "1.2K", "15K"
    assert m.loc[9, "text"] == "Lumen glow drops restock today ✨"
    assert m.loc[13, "text"] == 'Lumen\'s new "Glow" line:\nlove the packaging\nbut pricey'
    assert pd.isna(m.loc[3, "engagement"])  # no likes, comments or shares given: unknown, not 0
    assert m.loc[11, "engagement"] == 22.0  # likes only


def test_brand24_ids_are_stable_hashes(brand24):
    m = brand24[1]
    assert m.mention_id.is_unique and m.mention_id.str.fullmatch(r"[0-9a-f]{16}").all()
    again = parse(FIX / "brand24_en.csv", rel="elsewhere/copy.csv")[1]
    assert again.mention_id.tolist() == m.mention_id.tolist()


# --- Brand24-style, French, after an Excel re-save --------------------------------------------------
def test_brand24_french_excel_resave():
    res, m = parse(FIX / "brand24_fr_excel.csv")
    assert res.formats == ["listening.brand24"] and res.encoding == "cp1252"
    m = m.set_index("source_row")
    assert len(m) == 7
    # 15/03/2024 14:32 read day-first (16/03, 17/03... leave no doubt), Paris time
    assert m.loc[2, "published_at"] == ts("2024-03-15 13:32")
    assert m.loc[2, "influence"] == 7.5 and m.loc[5, "influence"] == 2.5  # decimal comma
    assert m.loc[6, "reach"] == 1_200_000 and m.loc[6, "engagement"] == 18_000 + 950 + 120  # "1 200 000", "18 000"
    assert m.sentiment.to_dict() == {2: "positive", 3: "neutral", 4: "negative", 5: "neutral", 6: "positive",
                                     7: "negative", 8: "positive"}  # 1 / 0 / -1
    assert m.platform.to_dict() == {2: "x", 3: "news", 4: "facebook", 5: "forums", 6: "youtube", 7: "reviews",
                                    8: "instagram"}
    # Projet: "Lumen – marque" → brand, "Veille Verdane" → Verdane, "Concurrence" names nobody → text
    assert m.account.to_dict() == {2: "Lumen Cosmetics", 3: "Verdane", 4: "Lumen Cosmetics", 5: "Nordy Skin",
                                   6: "Lumen Cosmetics", 7: "Verdane", 8: "Lumen Cosmetics"}
    assert any("'Concurrence' names neither" in w for w in res.warnings)
    assert m.loc[3, "title"] == "Verdane ouvre à Paris"


# --- Meltwater ---------------------------------------------------------------------------------------
def test_meltwater_utf16_tab_with_row_number_column():
    path = FIX / "meltwater_utf16.csv"
    assert path.read_bytes()[:2] == b"\xff\xfe"
    (block,) = read_blocks(path, path.name)
    assert block.header[:3] == ["#", "Date", "Headline"] and block.delimiter == "\t"
    res, m = parse(path)
    assert res.formats == ["listening.meltwater"] and res.status == "ok"
    m = m.set_index("source_row")
    assert m.published_at.to_dict() == {2: ts("2024-03-15 13:32"), 3: ts("2024-03-15 08:05"),
                                        4: ts("2024-03-16 17:47"), 5: ts("2024-03-16 23:00")}  # 12:00AM Paris
    assert m.loc[2, "mention_id"] == "1768659841234567890"  # Tweet Id kept, as text
    assert m.loc[3, "mention_id"] != m.loc[4, "mention_id"]  # no tweet id: hashed
    assert m.loc[2, "author"] == "Skin Junkie" and m.loc[2, "author_followers"] == 3200.0
    assert m.loc[4, "reach"] == 1200.0 and pd.isna(m.loc[5, "reach"])
    assert m.engagement.tolist() == [42.0, 0.0, 21.0, 130.0]
    assert m.sentiment.tolist()[:2] == ["positive", "neutral"] and pd.isna(m.loc[4, "sentiment"])  # Not Rated
    assert m.platform.to_dict() == {2: "x", 3: "web", 4: "forums", 5: "facebook"}
    assert m.source.to_dict() == {2: "Twitter", 3: "Beauty Mag Paris", 4: "Reddit", 5: "Facebook"}
    # Input Name "Lumen Cosmetics - brand" → brand; "Competitors" → by text; "Nordy watch" → Nordy Skin
    assert m.account.to_dict() == {2: "Lumen Cosmetics", 3: "Verdane", 4: "Lumen Cosmetics", 5: "Nordy Skin"}


# --- Brandwatch ---------------------------------------------------------------------------------------
def test_brandwatch_metadata_lines_become_the_preamble():
    path = FIX / "brandwatch.csv"
    (block,) = read_blocks(path, path.name)
    assert block.header_row == 8 and "Query Name: Lumen Cosmetics - brand" in block.preamble
    res, m = parse(path)
    assert res.formats == ["listening.brandwatch"] and res.status == "ok"
    m = m.set_index("source_row")
    assert m.mention_id.to_dict() == {9: "1768659841234567890", 10: "bw-9001", 11: "t3_1bh3aaa"}
    assert m.loc[9, "published_at"] == ts("2024-03-15 13:32:05")
    assert m.influence.tolist() == [41.5, 12.0, 3.0] and m.reach.tolist() == [3200.0, 900.0, 150.0]
    assert m.platform.tolist() == ["x", "blogs", "forums"] and m.source.tolist()[1] == "glowblog.wordpress.com"
    assert set(m.account) == {"Lumen Cosmetics"}


def test_brandwatch_without_blank_line_and_project_in_metadata(tmp_path):
    p = tmp_path / "bw.csv"
    p.write_text('"Brandwatch Consumer Research"\n"Report:","Mentions export"\n"Query Name:","Verdane watch"\n'
                 '"Date","Title","Url","Domain","Sentiment","Page Type","Full Text","Impact"\n'
                 '"2024-03-15 14:32:05.0","","https://x.com/a/status/1","x.com","positive","twitter","love it","4"\n')
    res, m = parse(p)
    assert res.formats == ["listening.brandwatch"]
    assert m.source_row.tolist() == [5] and m.account.tolist() == ["Verdane"]  # from "Query Name: Verdane watch"


# --- generic: our own layout, or mapped in audit.yml ------------------------------------------------
def test_generic_layout_mapped_in_audit_yml():
    cfg = config(sources=[{"match": "listening/*.csv", "format": "listening.generic", "columns": {
        "published_at": "Posted", "text": "Snippet", "url": "Link", "platform": "Network", "author": "Who",
        "sentiment": "Tone", "reach": "Audience", "project": "Topic"}}])
    res, m = parse(FIX / "generic_custom.csv", cfg, rel="listening/generic_custom.csv")
    assert res.status == "ok", res.errors
    assert res.formats == ["listening.generic"]
    # offsets differ between rows (Z, +02:00): all read in UTC, no time-zone assumption
    assert m.published_at.tolist() == [ts("2024-04-02 08:15"), ts("2024-04-02 08:40"), ts("2024-04-03 17:05")]
    assert not any("time zone" in w for w in res.warnings)
    assert m.platform.tolist() == ["x", "facebook", "linkedin"]
    assert m.account.tolist() == ["Nordy Skin", "Lumen Cosmetics", "Verdane"]  # Topic nordy / lumen / verdane
    assert m.reach.tolist() == [5400.0, 980.0, 12000.0] and m.sentiment.tolist() == ["positive", "positive",
                                                                                    "negative"]


def test_generic_own_layout_is_recognised_without_settings(tmp_path):
    p = tmp_path / "mentions.csv"
    p.write_text("published_at,text,url,platform,author,sentiment,reach\n"
                 "2024-05-01 10:00,Great Lumen serum,https://www.instagram.com/p/abc/,Instagram,ana,positive,100\n")
    res, tables = parse_file(p, "mentions.csv", None)
    assert res.formats == ["listening.generic"]
    m = tables["mentions"]
    assert m.account.tolist() == ["brand"] and m.platform.tolist() == ["instagram"]
    assert m.published_at.tolist() == [ts("2024-05-01 10:00")]  # no audit.yml: naive times taken as UTC


def test_mapping_errors_name_the_setting(tmp_path):
    p = tmp_path / "custom.csv"
    p.write_text("Posted,Snippet\n2024-05-01,hello\n")
    wrong_header = config(sources=[{"match": "custom.csv", "format": "listening.generic",
                                    "columns": {"published_at": "Published", "text": "Snippet"}}])
    res, _ = parse_file(p, "custom.csv", wrong_header)
    assert res.status == "problems" and "'Published' that this file does not have" in res.errors[0]
    unknown = config(sources=[{"match": "custom.csv", "format": "listening.generic",
                               "columns": {"published_at": "Posted", "body": "Snippet"}}])
    res, _ = parse_file(p, "custom.csv", unknown)
    assert "maps 'body', which this format does not read" in res.errors[0]
    no_date = config(sources=[{"match": "custom.csv", "format": "listening.generic", "columns": {"text": "Snippet"}}])
    p.write_text("When,Snippet\n2024-05-01,hello\n")
    res, _ = parse_file(p, "custom.csv", no_date)
    assert "no publication date column" in res.errors[0]


def test_sources_account_beats_keywords_but_not_a_project_column():
    cfg = config(sources=[{"match": "*.csv", "account": "Verdane"}])
    _, m = parse(FIX / "brand24_en.csv", cfg)
    assert set(m.account) == {"Verdane"}
    _, m = parse(FIX / "brand24_fr_excel.csv", cfg)  # its Projet column still decides where it can
    assert m.set_index("source_row").account.to_dict() == {2: "Lumen Cosmetics", 3: "Verdane", 4: "Lumen Cosmetics",
                                                           5: "Verdane", 6: "Lumen Cosmetics", 7: "Verdane",
                                                           8: "Verdane"}


def test_excel_damage(tmp_path):
    head = "Date,Hour,Content,URL,Category,Sentiment,Reach,ID\n"
    p = tmp_path / "sci.csv"
    p.write_text(head + "2024-03-15,10:00,lumen,https://x.com/a/status/1,Twitter,positive,5,1.76866E+18\n"
                        "2024-03-15,11:00,lumen again,https://x.com/a/status/2,Twitter,positive,5,1.76866E+18\n")
    res, m = parse(p)
    assert any("scientific notation" in w for w in res.warnings)
    assert m.mention_id.is_unique and not m.mention_id.str.contains("E+", regex=False).any()
    p.write_text(head + "2024-03-15,10:00,lumen,https://x.com/a/status/1,Twitter,positive,3.апр,1\n")
    res, _ = parse(p)
    assert res.status == "problems" and "Excel turned into dates" in res.errors[0] and "row 2" in res.errors[0]
    p.write_text(head + "2024-03-15,soon,lumen,https://x.com/a/status/1,Twitter,positive,3,1\n")
    res, _ = parse(p)
    assert "not dates" in res.errors[0] and "'Date'" in res.errors[0]


def test_xlsx_export_with_date_cells(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Date", "Hour", "Title", "Content", "URL", "Category", "Author", "Sentiment", "Reach"])
    ws.append([dt.datetime(2024, 7, 1), dt.time(9, 30), None, "Nordy skin is back", "https://www.tiktok.com/@a/video/1",
               "TikTok", "a", "Neutral", 1500])
    wb.save(tmp_path / "brand24.xlsx")
    res, m = parse(tmp_path / "brand24.xlsx")
    assert res.formats == ["listening.brand24"]
    assert m.published_at.tolist() == [ts("2024-07-01 07:30")]  # 09:30 Paris, summer time
    assert m.account.tolist() == ["Nordy Skin"] and m.reach.tolist() == [1500.0]


def test_large_files_are_parsed_chunk_by_chunk(monkeypatch):
    small = parse(FIX / "brand24_fr_excel.csv")[1]
    monkeypatch.setattr(sniff, "SMALL_FILE", 100)  # stream it as if it were big
    monkeypatch.setattr(L, "CHUNK_ROWS", 2)
    (block,) = read_blocks(FIX / "brand24_fr_excel.csv", "brand24_fr_excel.csv")
    assert block.rows is None and block.path is not None
    res, big = parse(FIX / "brand24_fr_excel.csv")
    assert res.status == "ok" and len(big) == len(small) == 7
    pd.testing.assert_frame_equal(big, small)


def test_day_month_order_is_decided_over_all_chunks(monkeypatch, tmp_path):
    # The first chunk alone is ambiguous (03/04); a later one (25/04) settles it: day first.
    p = tmp_path / "fr.csv"
    rows = ["03/04/2024;10:00;lumen;https://x.com/a/status/1;Twitter", "04/04/2024;10:00;lumen;https://x.com/a/status/2;Twitter",
            "25/04/2024;10:00;lumen;https://x.com/a/status/3;Twitter"]
    p.write_text("Date;Heure;Contenu;URL;Catégorie\n" + "\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setattr(sniff, "SMALL_FILE", 10)
    monkeypatch.setattr(L, "CHUNK_ROWS", 2)
    res, m = parse(p)
    assert m.published_at.dt.month.tolist() == [4, 4, 4] and not any("month/day" in w for w in res.warnings)


@pytest.mark.parametrize("category,host,expected", [
    ("Twitter", "twitter.com", "x"), ("X", None, "x"), ("", "x.com", "x"), ("Videos", "youtu.be", "youtube"),
    ("Videos", "vimeo.com", "other"), ("Réseaux sociaux", "m.facebook.com", "facebook"), ("News", None, "news"),
    ("Actualités", "lemonde.fr", "news"), ("Blogs", None, "blogs"), (None, "someone.blogspot.com", "blogs"),
    ("Forums", None, "forums"), (None, "www.reddit.com", "forums"), ("Avis", None, "reviews"),
    (None, "www.tripadvisor.fr", "reviews"), ("Podcasts", None, "podcasts"), ("web", None, "web"),
    (None, "lemonde.fr", "web"), (None, None, "other"), ("Le Monde", "lemonde.fr", "web"), ("Pinterest", None, "other"),
    ("LinkedIn", None, "linkedin"), (None, "lnkd.in", "linkedin"), ("TikTok", None, "tiktok"),
])
def test_platform_normalisation(category, host, expected):
    assert L._platform_of(category, host) == expected
    assert expected in L.PLATFORMS


PLATFORM_CASES = [(c, h) for c in ("Twitter", "Videos", "", "Réseaux sociaux", "News", "Le Monde", "Pinterest")
                  for h in ("twitter.com", "youtu.be", "www.reddit.com", "someone.blogspot.com", "lemonde.fr", None)]


@pytest.mark.parametrize("chunked", [False, True])
def test_platform_of_every_row_as_of_one(tmp_path, monkeypatch, chunked):
    """A file's rows get the platform `_platform_of` gives their category and link's host, whether the
    category decides alone or the host is read (only then), and the host stands for a missing outlet."""
    p = tmp_path / "mentions.csv"
    rows = [f"2024-04-{1 + i % 28:02d},lumen {i},{f'https://{h}/p/{i}' if h else ''},{c}"
            for i, (c, h) in enumerate(PLATFORM_CASES)]
    p.write_text("Date,Content,URL,Category\n" + "\n".join(rows) + "\n", encoding="utf-8")
    if chunked:
        monkeypatch.setattr(sniff, "SMALL_FILE", 10)
        monkeypatch.setattr(L, "CHUNK_ROWS", 4)
    res, m = parse(p)
    assert res.status == "ok" and len(m) == len(PLATFORM_CASES)
    assert m.platform.tolist() == [L._platform_of(c, h) for c, h in PLATFORM_CASES]
    hosts = [h.removeprefix("www.") if h else (c or None) for c, h in PLATFORM_CASES]
    assert [s if isinstance(s, str) else None for s in m.source] == hosts


@pytest.mark.parametrize("raw,expected", [
    ("Positive", "positive"), ("négatif", "negative"), ("Neutre", "neutral"), ("1", "positive"), ("-1", "negative"),
    ("0", "neutral"), ("0,4", "positive"), ("-35", "negative"), ("Not Rated", None), ("mixed", None), ("", None),
])
def test_sentiment_normalisation(raw, expected):
    assert L.sentiment_of(raw) == expected


def test_listening_formats_claim_no_real_export(realdata):
    """No real file of another platform may be taken for a mentions export."""
    load_formats()
    for path in sorted(p for p in realdata.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".xlsx", ".xls",
                                                                                                ".zip", ".tsv")):
        try:
            blocks = read_blocks(path, path.name)
        except Exception:  # unreadable files are another test's business
            continue
        for b in blocks:
            fmt, _ = best_format(b)
            assert fmt is None or not fmt.id.startswith(("listening.", "customer_care.")), (path.name, fmt.id)


def test_sources_platform_is_the_default_where_the_file_names_none(tmp_path):
    p = tmp_path / "press.csv"
    p.write_text("Parution;Support;Titre;Lien\n"
                 "02/04/2024;Le Quotidien;Verdane ouvre à Lyon;https://www.lequotidien-fictif.fr/a/1\n"
                 "13/04/2024;X;Lumen répond;https://x.com/lumen/status/1\n", encoding="utf-8")
    cfg = config(sources=[{"match": "press.csv", "format": "listening.generic", "platform": "news", "columns": {
        "published_at": "Parution", "source": "Support", "title": "Titre", "url": "Lien"}}])
    res, m = parse(p, cfg)
    assert res.status == "ok", res.errors
    assert m.platform.tolist() == ["news", "x"]  # the link still names X for the second row
    assert m.account.tolist() == ["Verdane", "Lumen Cosmetics"]
    assert m.published_at.dt.tz_convert("Europe/Paris").dt.day.tolist() == [2, 13]  # 13/04 settles it: day first
