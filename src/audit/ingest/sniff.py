"""Reading any export into Blocks: one table each, with its header, preamble and data rows.

What a platform exports is rarely "a CSV": it is UTF-16 with a `sep=` line and a title (Meta),
a `#` comment preamble and stacked sections (GA4), a title and date-range line above the header
(Google Ads), a description sentence in row 1 of an xlsx sheet (LinkedIn), a zip of CSVs
(Search Console, YouTube). This module deals with all of that, once, by content: magic bytes
for containers, BOM and decoding attempts for encodings, delimiter counting, and a header row
found by shape (the first wide, mostly-textual row). Formats then only look at `Block`s.
"""
from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..errors import DataError
from .streaming import read_ahead
from .values import arrow_strings, cell_bytes, norm_header, whole

SMALL_FILE = 32 * 1024 * 1024  # above this a CSV is one block read in chunks (pyarrow; pandas as fallback)
# From this size, a CSV whose first 256 KB hold one table is streamed like a large one when its format
# takes streamed CSVs (Format.streams: all but Meta's per-metric series and Audience.csv): read whole,
# a 30 MB export took 8 MB/s and 14x its size in memory (a Python string per cell). Whatever streaming
# does not fit (another section further down, a row pyarrow refuses, a format that wants the rows at
# once) is read whole again (ReadWhole).
STREAM_FILE = 1024 * 1024
MAX_MEMBER = 512 * 1024 * 1024  # refuse zip members (or decompressed totals) larger than this
MAX_ZIP_RATIO = 200  # compression ratio above which a member is treated as a zip bomb
HEAD_BYTES = 256 * 1024
ARROW_BLOCK = 1 << 18  # bytes per pyarrow read of a large CSV (its reader reads up to 32 blocks ahead: 8 MB)
csv.field_size_limit(2**31 - 1)


class ReadWhole(Exception):
    """A file streamed as one table is to be read whole after all (see STREAM_FILE); not a data error."""


@dataclass
class Block:
    """One table inside an input: a CSV, one section of a stacked CSV, or an Excel sheet."""

    source: str  # for messages: path relative to the client folder (+ "!member" / "!sheet")
    header: list[str]  # header cells as written
    preamble: list[str] = field(default_factory=list)  # lines above the header (titles, '#' comments)
    header_row: int = 1  # 1-based row of the header in the file
    encoding: str = "utf-8"
    delimiter: str = ","
    container: str = "csv"  # csv | xlsx | xls
    sheet: str | None = None
    section: int = 0  # index among the stacked sections of one file
    rows: list[list[str]] | None = None  # data rows (small inputs)
    row_numbers: list[int] | None = None  # 1-based source row of each data row
    path: Path | None = None  # large CSVs: read lazily from here
    whole_ok: bool = False  # streamed, though small enough to be read whole (ReadWhole)
    rows_read: int = 0  # streamed: the data rows read so far
    file_meta: dict = field(default_factory=dict)
    # Every block of the same file (this one included), for formats whose data is spread over
    # several sheets of one workbook (legacy Facebook Insights .xls/.xlsx).
    siblings: list["Block"] = field(default_factory=list, repr=False, compare=False)

    @property
    def keys(self) -> list[str]:
        """Normalised header names (what formats compare against their alias tables)."""
        return [norm_header(h) for h in self.header]

    @property
    def keyset(self) -> set[str]:
        return set(self.keys)

    @property
    def file_name(self) -> str:
        return PurePosixPath(self.source.split("!")[-1]).name

    def head(self, n: int = 20) -> list[list[str]]:
        if self.rows is not None:
            return self.rows[:n]
        return self.frame(nrows=n).astype(str).values.tolist()

    def __len__(self) -> int:
        """Data rows; for a streamed CSV, those read so far (all of them once parsed)."""
        return len(self.rows) if self.rows is not None else self.rows_read

    def frame(self, nrows: int | None = None, chunksize: int | None = None):
        """The data as strings (no NA conversion), columns named as in the header (duplicates get
        '.1', '.2' suffixes, like pandas), index = 1-based source row numbers."""
        names = dedupe(self.header)
        if self.rows is not None:
            width = len(names)
            rows = self.rows[:nrows]
            if any(len(r) != width for r in rows):
                rows = [(r + [""] * (width - len(r)))[:width] for r in rows]
            idx = (self.row_numbers or list(range(self.header_row + 1, self.header_row + 1 + len(rows))))[:len(rows)]
            index = pd.Index(idx, name="row")
            if not rows:
                return pd.DataFrame(columns=names, index=index, dtype="str")
            # Column by column: building from a list of rows goes through object arrays, ~5x slower.
            return pd.DataFrame({n: pd.array(c, dtype="str") for n, c in zip(names, zip(*rows))}, index=index)
        if nrows is not None:
            return self._pandas(names, nrows=nrows)
        chunks = self._counted(self._stream(names, chunksize or 200_000))
        if chunksize is not None:
            return chunks
        parts = list(chunks)
        return pd.concat(parts) if parts else self._pandas(names, nrows=0)

    def chunks(self, rows: int):
        """The data as frames of at most `rows` rows (small inputs: one frame); at least one frame,
        empty for a header without rows."""
        if self.rows is not None:
            yield self.frame()
            return
        empty = True
        for chunk in self.frame(chunksize=rows):
            empty = False
            yield chunk
        if empty:
            yield self.frame(nrows=0)

    def _counted(self, frames):
        self.rows_read = 0
        for frame in frames:
            self.rows_read += len(frame)
            yield frame

    # Large CSVs. Rows are numbered by the line they start on, as for small files.
    def _pandas(self, names: list[str], nrows: int | None = None, chunksize: int | None = None, skip: int = 0):
        kw = dict(sep=self.delimiter, encoding=self.encoding, skiprows=self.header_row, header=None, names=names,
                  dtype="str", keep_default_na=False, na_filter=False, nrows=nrows, chunksize=chunksize,
                  index_col=False, on_bad_lines="skip", engine="c")
        try:
            reader = pd.read_csv(self.path, **kw)
            if chunksize is None:
                reader.index = pd.Index(reader.index + self.header_row + 1, name="row")
                return reader
            return self._renumbered(reader, skip)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as e:
            # ValueError: options pandas refuses, such as a line break sniffed as the delimiter
            raise DataError(f"unreadable CSV ({type(e).__name__}: {e})", self.source) from None

    def _renumbered(self, reader, skip: int):
        line = self.header_row + 1
        try:
            for chunk in reader:
                chunk, line = _numbered(chunk, line)
                if skip:  # records already delivered by the pyarrow reader
                    chunk, skip = chunk.iloc[skip:], max(0, skip - len(chunk))
                    if chunk.empty:
                        continue
                yield chunk
        except (UnicodeDecodeError, pd.errors.ParserError, ValueError) as e:
            raise DataError(f"unreadable CSV ({type(e).__name__}: {e})", self.source) from None

    def _stream(self, names: list[str], chunksize: int):
        """Chunks of `chunksize` rows (the last one shorter), read by pyarrow's CSV reader (~4x less CPU than
        pandas' C engine, and the strings stay in Arrow memory) in a thread of its own, a block or two
        ahead of the caller (its own thread pool costs more CPU than it saves time). A row with another
        number of cells than the header (pyarrow refuses it) hands over to pandas, which pads short rows and
        skips long ones, from the first record pyarrow had not delivered."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        enc = "utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding
        strings = pd.StringDtype("pyarrow", na_value=float("nan"))
        done = 0
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(skip_rows=self.header_row, column_names=names, encoding=enc,
                                               block_size=ARROW_BLOCK, use_threads=False),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.large_string() for n in names},
                                                     strings_can_be_null=False, quoted_strings_can_be_null=False))
            pending, rows, line = [], 0, self.header_row + 1
            for batch in read_ahead(reader):  # the next block is parsed while this chunk is worked on
                pending.append(batch)
                rows += batch.num_rows
                while rows >= chunksize:
                    table = pa.Table.from_batches(pending)
                    pending = table.slice(chunksize).to_batches()
                    columns = table.slice(0, chunksize).columns
                    del table  # the columns are now held by `columns` alone (see _arrow_frame)
                    frame, line = _numbered(_arrow_frame(names, columns, strings), line)
                    done, rows = done + chunksize, rows - chunksize
                    yield frame
            if rows:
                columns = pa.Table.from_batches(pending).columns
                pending = []
                yield _numbered(_arrow_frame(names, columns, strings), line)[0]
            return
        except (pa.ArrowInvalid, UnicodeDecodeError):
            if self.whole_ok:  # another section, a ragged row, another encoding: the small-file reader decides
                raise ReadWhole(self.source) from None
        yield from self._pandas(names, chunksize=chunksize, skip=done)


def _arrow_frame(names: list[str], columns: list, strings) -> pd.DataFrame:
    """The chunk's columns (pyarrow ChunkedArrays, one chunk per block read) as a frame of one Arrow
    chunk per column: every kernel run on it later is cheaper. `columns` is emptied as each column is
    joined, so that its blocks are let go before the next is copied (the chunk is not held twice)."""
    import pyarrow as pa
    arrays = []
    while columns:
        arrays.append(whole(columns.pop(0)))
    return pa.Table.from_arrays(arrays, names=names).to_pandas(types_mapper=lambda t: strings, split_blocks=True)


def _numbered(frame: pd.DataFrame, line: int) -> tuple[pd.DataFrame, int]:
    r"""The rows of a chunk of a large CSV as the small-file reader gives them: line breaks inside
    quoted cells read with universal newlines (\r\n and \r become \n), and each row numbered by the
    line it starts on (a cell with line breaks spans several). Also returns the next row's line."""
    import pyarrow.compute as pc
    spans = np.zeros(len(frame), dtype=np.int64)
    for name in frame.columns:
        arr = arrow_strings(frame[name])
        if arr is None:
            continue
        arr = whole(arr)
        text, ends = cell_bytes(arr)
        if not text.size or text.min() > 13:  # no line break (most columns): one cheap pass
            continue
        low = np.flatnonzero(text <= 13)  # line breaks are rare
        if (text[low] == 13).any():
            arr = whole(pc.replace_substring(pc.replace_substring(arr, "\r\n", "\n"), "\r", "\n"))
            frame[name] = pd.array(arr, dtype=frame[name].dtype)
            text, ends = cell_bytes(arr)
            low = np.flatnonzero(text <= 13)
        breaks = low[text[low] == 10]
        if breaks.size:
            spans += np.diff(np.searchsorted(breaks, ends))
    starts = line + np.arange(len(frame)) + np.concatenate([[0], np.cumsum(spans)[:-1]])
    frame.index = pd.Index(starts, name="row")
    return frame, line + len(frame) + int(spans.sum())


def dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        n = n if n.strip() else "Unnamed"
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out


# --- containers ---------------------------------------------------------------------------------------
def kind_of(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    return "text"


def read_blocks(path: Path, source: str, stream: bool = True) -> list[Block]:
    """All blocks of one file on disk (zip members included). Raises DataError when unreadable.
    CSVs above SMALL_FILE, and with `stream` those above STREAM_FILE that begin with one table, are
    one Block read lazily, chunk by chunk."""
    size = path.stat().st_size
    if size == 0:
        raise DataError("the file is empty", source)
    with open(path, "rb") as fh:
        head = fh.read(HEAD_BYTES)
    kind = kind_of(head)
    if kind == "text" and (size > SMALL_FILE or (stream and size > STREAM_FILE)):
        block = _large_csv(path, source, head, whole_ok=size <= SMALL_FILE)
        if block is not None:
            return [block]
    data = path.read_bytes()
    blocks = blocks_from_bytes(data, source)
    for b in blocks:
        b.siblings = blocks
    return blocks


def blocks_from_bytes(data: bytes, source: str, depth: int = 0) -> list[Block]:
    kind = kind_of(data)
    if kind == "zip":
        return _zip_blocks(data, source, depth)
    if kind == "xls":
        return _xls_blocks(data, source)
    if not data.strip(b"\x00\r\n\t \xef\xbb\xbf\xff\xfe"):
        raise DataError("the file is empty", source)
    text, enc = decode(data, source)
    return text_blocks(text, source, enc)


def _zip_blocks(data: bytes, source: str, depth: int) -> list[Block]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DataError(f"damaged zip or Excel file ({e})", source) from None
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return _xlsx_blocks(data, source)
    if depth > 0:
        raise DataError("zip inside a zip is not read", source)
    blocks, total = [], 0
    for info in zf.infolist():
        name = info.filename
        if info.is_dir() or name.startswith("__MACOSX/") or PurePosixPath(name).name.startswith("."):
            continue
        member = f"{source}!{name}"
        if PurePosixPath(name).is_absolute() or ".." in PurePosixPath(name).parts:
            raise DataError(f"zip member path {name!r} climbs out of the folder; the zip is refused", source)
        total += info.file_size
        if info.file_size > MAX_MEMBER or total > MAX_MEMBER or \
                (info.compress_size and info.file_size / info.compress_size > MAX_ZIP_RATIO and info.file_size > 10_000_000):
            raise DataError(f"zip member {name!r} would decompress to {info.file_size:,} bytes (zip bomb?); refused", source)
        with zf.open(info) as fh:
            content = fh.read(MAX_MEMBER + 1)
        if len(content) > MAX_MEMBER:
            raise DataError(f"zip member {name!r} is larger than declared; refused", source)
        if not content.strip():
            continue
        blocks.extend(blocks_from_bytes(content, member, depth + 1))
    return blocks


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    if hasattr(v, "isoformat"):
        return v.isoformat(sep=" ") if hasattr(v, "date") else v.isoformat()  # datetime / date or time
    return str(v)


def _xlsx_blocks(data: bytes, source: str) -> list[Block]:
    import openpyxl
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for damaged workbooks
        raise DataError(f"damaged Excel workbook ({type(e).__name__}: {e})", source) from None
    blocks = []
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in r] for r in ws.iter_rows(values_only=True)]
            blocks.extend(rows_to_blocks(rows, f"{source}!{ws.title}", container="xlsx", sheet=ws.title))
    finally:
        wb.close()
    return blocks


def _xls_blocks(data: bytes, source: str) -> list[Block]:
    import xlrd
    try:
        book = xlrd.open_workbook(file_contents=data)
    except Exception as e:
        raise DataError(f"damaged .xls workbook ({type(e).__name__}: {e})", source) from None
    blocks = []
    for sh in book.sheets():
        rows = []
        for i in range(sh.nrows):
            row = []
            for c in sh.row(i):
                if c.ctype == xlrd.XL_CELL_DATE:
                    row.append(_cell(xlrd.xldate.xldate_as_datetime(c.value, book.datemode)))
                else:
                    row.append(_cell(c.value))
            rows.append(row)
        blocks.extend(rows_to_blocks(rows, f"{source}!{sh.name}", container="xls", sheet=sh.name))
    return blocks


# --- text -----------------------------------------------------------------------------------------------
def decode(data: bytes, source: str) -> tuple[str, str]:
    """Decode by BOM, then UTF-8, then a legacy code page chosen by the bytes present."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        enc = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif len(data) > 3 and data[1:200:2].count(0) > 0.4 * len(data[1:200:2]):
        enc = "utf-16-le"
    elif len(data) > 3 and data[0:200:2].count(0) > 0.4 * len(data[0:200:2]):
        enc = "utf-16-be"
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            enc = _legacy_codepage(data)
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as e:
        raise DataError(f"cannot decode the file as {enc} (byte {e.start})", source) from None


def _legacy_codepage(data: bytes) -> str:
    high = [b for b in data if b >= 0xC0]
    # Cyrillic text in cp1251 is dense in 0xC0-0xFF lowercase letters; Western text uses them sparingly.
    if high and len(high) > 0.3 * sum(1 for b in data if b >= 0x80 or chr(b).isalpha()):
        return "cp1251"
    # Short Cyrillic text among Latin (month names an Excel re-save wrote into a table): cp1251 words are
    # runs of 3+ high letters, which Western accents (é, ñ, ß) almost never form.
    runs = re.findall(rb"[\xc0-\xff]{3,}", data)
    if runs and sum(map(len, runs)) >= 0.5 * len(high):
        return "cp1251"
    return "cp1252"


def _large_csv(path: Path, source: str, head: bytes, whole_ok: bool = False) -> Block | None:
    """The file's table, to be read lazily; None when `whole_ok` and its head does not hold one table."""
    text, enc = decode(head[: len(head) - 4] if len(head) == HEAD_BYTES else head, source)
    blocks = text_blocks(text, source, enc, partial=True)
    if whole_ok and len(blocks) != 1:
        return None
    if not blocks:
        raise DataError("no table found in the first 256 KB", source)
    b = blocks[0]
    b.rows, b.row_numbers, b.path, b.whole_ok = None, None, path, whole_ok
    b.encoding = "utf-8-sig" if enc == "utf-8" and head.startswith(b"\xef\xbb\xbf") else enc
    return b


DELIMITERS = (",", ";", "\t", "|")


def guess_delimiter(lines: list[str]) -> str:
    best, best_score = ",", -1.0
    sample = [ln for ln in lines if ln.strip() and not ln.startswith("#")][:30]
    for d in DELIMITERS:
        counts = [_count_outside_quotes(ln, d) for ln in sample]
        counts = [c for c in counts if c > 0]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * (1 + min(mode, 50) / 50)
        if score > best_score:
            best, best_score = d, score
    return best


def _count_outside_quotes(line: str, d: str) -> int:
    return len(re.sub(r'"[^"]*"', "", line).split(d)) - 1 if '"' in line else line.count(d)


def text_blocks(text: str, source: str, encoding: str, partial: bool = False) -> list[Block]:
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\x00", "")
    lines = text.splitlines()[:40]
    delim = None
    m = re.match(r'^"?sep=(.)"?\s*[\r\n]', text)
    if m:
        delim = m.group(1)
        text = text[m.end():]
        lines = lines[1:]
    unwrapped = _unwrap_lines(text)
    if unwrapped is not None:
        text = unwrapped
        lines = text.splitlines()[:40]
    delim = delim or guess_delimiter(lines)
    rows, numbers = _parse_csv(text, delim, source, partial)
    if m:
        numbers = [n + 1 for n in numbers]
    rows, numbers = _unwrap(rows, numbers, delim)
    return rows_to_blocks(rows, source, numbers=numbers, encoding=encoding, delimiter=delim)


def _parse_csv(text: str, delim: str, source: str, partial: bool) -> tuple[list[list[str]], list[int]]:
    # newline='' semantics: universal newlines inside csv so CR-only files parse too.
    reader = csv.reader(io.StringIO(text, newline=None), delimiter=delim, strict=False)
    rows, numbers = [], []
    line = 1
    try:
        for rec in reader:
            rows.append(rec)
            numbers.append(line)
            line = reader.line_num + 1
    except csv.Error as e:
        if not partial:
            raise DataError(f"unreadable CSV ({e})", source, line) from None
    if partial and len(rows) > 1:
        rows, numbers = rows[:-1], numbers[:-1]  # the last record may be cut in the middle
    return rows, numbers


def _unwrap_lines(text: str) -> str | None:
    """Undo a spreadsheet round-trip that read each physical line as one cell and wrote it back
    quoted: `"Post ID,""Account ID"",…"`. Lines of a multi-line caption that needed no quoting
    stay bare between wrapped lines, so this works line by line on the text (keeping line
    numbers), before the CSV parser sees it. None when the text does not look wrapped."""
    lines = re.split(r"\r\n|\r|\n", text)
    first = next((ln for ln in lines if ln.strip()), "")
    if not (first.startswith('"') and first.endswith('"') and '""' in first):
        return None
    try:
        cells = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return None
    if len(cells) != 1 or not any(d in cells[0] for d in DELIMITERS):
        return None
    out = [ln[1:-1].replace('""', '"') if len(ln) >= 2 and ln.startswith('"') and ln.endswith('"') else ln
           for ln in lines]
    return "\n".join(out)


def _unwrap(rows, numbers, delim):
    """A spreadsheet round-trip sometimes wraps each whole row in one quoted field."""
    width = [len(r) for r in rows if any(c.strip() for c in r)]
    if width and max(width) == 1:
        wrapped = [r for r in rows if r and delim in r[0]]
        if len(wrapped) >= max(1, len(width) // 2):
            try:
                out = [next(csv.reader([r[0]], delimiter=delim), []) if r else r for r in rows]
            except csv.Error:  # a line break inside a wrapped cell: not a wrapped table after all
                return rows, numbers
            return out, numbers
    return rows, numbers


def _is_blank(row: list[str]) -> bool:
    return not "".join(row).strip()


def _is_comment(row: list[str]) -> bool:
    # '#' opens a comment line (GA4), except in a header whose first column is a '#' row number (Meltwater).
    if not row or not row[0].lstrip().startswith("#"):
        return False
    return not (row[0].strip() == "#" and sum(1 for c in row if c.strip()) >= 3)


def _is_meta(cells: list[str]) -> bool:
    """A 'Key:,value' report-metadata line (Brandwatch, other listening tools): never a header."""
    return 0 < len(cells) <= 2 and cells[0].rstrip().endswith(":")


def _numeric(cell: str) -> bool:
    return bool(re.fullmatch(r"[\s\-+$€£%.,:/0-9eE]+", cell)) and any(ch.isdigit() for ch in cell)


def rows_to_blocks(rows: list[list[str]], source: str, numbers: list[int] | None = None, **kw) -> list[Block]:
    """Split rows into sections (blank rows or '#' comment runs separate them) and find each
    section's header: its first row that is at least two cells wide and mostly text."""
    numbers = numbers or list(range(1, len(rows) + 1))
    rows = [[c.strip("\ufeff") if isinstance(c, str) else c for c in r] if "\ufeff" in "".join(map(str, r)) else r
            for r in rows]
    sections: list[tuple[list[str], list[tuple[list[str], int]]]] = []
    preamble: list[str] = []
    current: list[tuple[list[str], int]] = []

    def close():
        nonlocal current, preamble
        if current:
            sections.append((preamble, current))
            preamble = []
        current = []

    for row, n in zip(rows, numbers):
        if _is_blank(row):
            close()
        elif _is_comment(row):
            close()
            preamble.append(",".join(c for c in row if c).lstrip("#").strip())
        else:
            current.append((row, n))
    close()
    blocks = []
    for i, (pre, sec) in enumerate(sections):
        b = _section_block(pre, sec, source, i, **kw)
        if b is not None:
            blocks.append(b)
    return _merge_title_sections(blocks)


def _section_block(pre, sec, source, index, **kw):
    pre = list(pre)
    for j, (row, n) in enumerate(sec):
        cells = [c for c in row if c.strip()]
        if len(cells) >= 2 and not _is_meta(cells) and sum(not _numeric(c) for c in cells) >= max(2, 0.6 * len(cells)):
            header = _trim_header(row)
            data = sec[j + 1:]
            return Block(source=source, header=header, preamble=pre, header_row=n,
                         rows=[r for r, _ in data], row_numbers=[k for _, k in data], section=index, **kw)
        pre.append(" ".join(cells))
    if pre and sec:
        # A one-column table (e.g. a title then values) keeps its first row as header.
        row, n = sec[0]
        return Block(source=source, header=_trim_header(row), preamble=pre[:-1] if len(pre) > len(sec) else [],
                     header_row=n, rows=[r for r, _ in sec[1:]], row_numbers=[k for _, k in sec[1:]],
                     section=index, **kw)
    return None


def _trim_header(row: list[str]) -> list[str]:
    h = list(row)
    while h and not h[-1].strip():
        h.pop()
    return [c.strip() for c in h]


def _merge_title_sections(blocks: list[Block]) -> list[Block]:
    """A title-only section (e.g. MBS 'Top countries') becomes the preamble of the next block."""
    out: list[Block] = []
    carry: list[str] = []
    for i, b in enumerate(blocks):
        if not b.rows and len(b.header) <= 1:
            carry.extend(b.preamble + b.header)
            continue
        if i + 1 < len(blocks) and _meta_lines(b):  # report metadata above the table (Brandwatch)
            carry.extend(b.preamble + _meta_lines(b))
            continue
        if carry:
            b.preamble = carry + b.preamble
            carry = []
        out.append(b)
    return out


def _meta_lines(b: Block) -> list[str]:
    """'Key: value' lines when every row of the block is report metadata (under a title), else []."""
    head = [c for c in b.header if c.strip()]
    rows = [r for r in ([c.strip() for c in r if c.strip()] for r in b.rows or []) if r]
    if not rows or not all(_is_meta(r) for r in rows) or not (_is_meta(head) or len(head) <= 1):
        return []
    return [" ".join(r) for r in [head, *rows] if r]
