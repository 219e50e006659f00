"""Byte-exact writers for the platforms' file layouts: CSV dialects (BOMs, UTF-16, quoting
rules, line ends, a missing final newline), zips and xlsx workbooks that come out identical on
every run (fixed member dates, fixed workbook properties, no compression)."""
from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from pathlib import Path
from typing import BinaryIO, Iterable

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # what LinkedIn's own workbooks carry; fixed so runs are identical
_NEEDS_QUOTE = {
    "minimal": re.compile(r'[",\n\r]'),
    "space": re.compile(r'[",\n\r ]'),  # Meta Business Suite content exports also quote cells with a space
}


def cell(v) -> str:
    """Default text of a value: empty for None/NaN, integers without '.0', floats at full precision."""
    if v is None:
        return ""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float):
        if math.isnan(v):
            return ""
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(float(v))
    if hasattr(v, "item"):  # numpy scalar
        return cell(v.item())
    return str(v)


class CsvWriter:
    """Writes a delimited text file in chunks, to a path or to an open binary stream.

    quoting: "minimal" (only when needed), "space" (also cells holding a space), "all".
    final_eol: False for exports whose last line has no line end (GA4, TikTok, X overview).
    decimal: "," writes floats with a decimal comma (French exports)."""

    def __init__(self, target: Path | BinaryIO, *, encoding: str = "utf-8", bom: bool = False, sep: str = ",",
                 quoting: str = "minimal", eol: str = "\n", final_eol: bool = True, decimal: str = "."):
        if isinstance(target, Path):
            target.parent.mkdir(parents=True, exist_ok=True)
            self._fh, self._owned = open(target, "wb"), True
        else:
            self._fh, self._owned = target, False
        self._enc = "utf-16-le" if encoding == "utf-16" else encoding
        if encoding == "utf-16":
            self._fh.write(b"\xff\xfe")
        elif bom:
            self._fh.write(b"\xef\xbb\xbf")
        self.sep, self.eol, self.final_eol, self.decimal = sep, eol, final_eol, decimal
        self._quote_all = quoting == "all"
        self._needs = re.compile(_NEEDS_QUOTE[quoting if quoting in _NEEDS_QUOTE else "minimal"]
                                 .pattern.replace(",", re.escape(sep)))
        self._buf: list[str] = []
        self._first = True

    def _fmt(self, v) -> str:
        s = cell(v)
        if self.decimal != "." and isinstance(v, float):
            s = s.replace(".", self.decimal)
        if self._quote_all or self._needs.search(s):
            return '"' + s.replace('"', '""') + '"'
        return s

    def line(self, text: str) -> None:
        """A raw line (preamble, title) written as is."""
        if self.final_eol:
            self._buf.append(text + self.eol)
        else:
            self._buf.append(text if self._first else self.eol + text)
        self._first = False
        if len(self._buf) >= 20_000:
            self.flush()

    def row(self, values: Iterable) -> None:
        self.line(self.sep.join(self._fmt(v) for v in values))

    def rows(self, rows: Iterable[Iterable]) -> None:
        for r in rows:
            self.row(r)

    def plain_rows(self, rows: list[list]) -> None:
        """Many rows at C speed (the csv module), for minimal quoting only. Cells must be text,
        integers or None: floats would not get `cell`'s formatting."""
        if self._quote_all or not self.final_eol or self.decimal != "." or self._needs.pattern != \
                _NEEDS_QUOTE["minimal"].pattern.replace(",", re.escape(self.sep)):
            raise ValueError("plain_rows needs minimal quoting, a final line end and a decimal point")
        self.flush()
        text = io.StringIO()
        csv.writer(text, delimiter=self.sep, lineterminator=self.eol, quoting=csv.QUOTE_MINIMAL).writerows(rows)
        self._fh.write(text.getvalue().encode(self._enc))
        self._first = False

    def flush(self) -> None:
        if self._buf:
            self._fh.write("".join(self._buf).encode(self._enc))
            self._buf.clear()

    def close(self) -> None:
        self.flush()
        if self._owned:
            self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def csv_bytes(lines: list, **kw) -> bytes:
    """A small CSV built in memory (zip members): list items are rows, or raw lines when strings."""
    buf = io.BytesIO()
    with CsvWriter(buf, **kw) as w:
        for item in lines:
            w.line(item) if isinstance(item, str) else w.row(item)
    return buf.getvalue()


def write_zip(path: Path, members: list[tuple[str, bytes]]) -> None:
    """A zip with fixed member dates and no compression: byte-identical on every machine
    (deflate output may differ between zlib builds)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            z.writestr(info, data)


CORE_XML = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            '<dcterms:created xsi:type="dcterms:W3CDTF">{ts}</dcterms:created>'
            '<dcterms:modified xsi:type="dcterms:W3CDTF">{ts}</dcterms:modified></cp:coreProperties>')


def write_xlsx(path: Path, sheets: list[tuple[str, Iterable[list]]], created: str) -> None:
    """An xlsx workbook written by openpyxl (write-only, streamed), then re-packed with fixed
    member dates and fixed document properties (`created`, ISO 'YYYY-MM-DDTHH:MM:SSZ')."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    raw = io.BytesIO()
    wb.save(raw)
    src = zipfile.ZipFile(io.BytesIO(raw.getvalue()))
    members = []
    for info in src.infolist():
        data = src.read(info.filename)
        if info.filename == "docProps/core.xml":
            data = CORE_XML.format(ts=created).encode()
        members.append((info.filename, data))
    write_zip(path, members)
