"""Privacy helpers: stable pseudonyms for people, and spreadsheet-safe exports.

Pseudonyms replace the names and handles of *people* (authors of mentions, comments, inbox
messages, reviews) in every output; the brand's and competitors' own accounts stay named. The
same person gets the same pseudonym in every table of a run and across runs of one client (a keyed
hash with the client name as key), so counts per author still add up."""
from __future__ import annotations

import hashlib
import hmac
import re

import pandas as pd

from .config import AuditConfig

PEOPLE_COLUMNS = {"mentions": ("author",), "inbox": ("author",), "reviews": ("author",)}
TEXT_COLUMNS = {"mentions": ("text", "title"), "inbox": ("text",), "reviews": ("text", "title", "reply"),
                "surveys": ("comment",), "posts": ("text",)}
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{2,30})")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pseudonym(name: str, key: str) -> str:
    digest = hmac.new(key.encode(), name.strip().casefold().lstrip("@").encode(), hashlib.sha256).hexdigest()
    return f"person-{digest[:8]}"


def anonymize_tables(frames: dict[str, pd.DataFrame], config: AuditConfig) -> dict[str, pd.DataFrame]:
    """Replace people's names and @handles with stable pseudonyms in every table that holds them."""
    key = f"audit:{config.client}"
    own = {h for acc in config.accounts for h in acc.handles()}

    def swap(name):
        if not isinstance(name, str) or not name.strip():
            return name
        if name.strip().casefold().lstrip("@") in own:
            return name
        return pseudonym(name, key)

    def scrub(text):
        if not isinstance(text, str):
            return text
        return _HANDLE.sub(lambda m: m.group(0) if m.group(1).casefold() in own else "@" + pseudonym(m.group(1), key),
                           text)

    out = {}
    for table, df in frames.items():
        df = df.copy()
        for col in PEOPLE_COLUMNS.get(table, ()):
            if col in df:
                uniques = df[col].dropna().unique()
                df[col] = df[col].map({u: swap(u) for u in uniques}).astype(df[col].dtype)
        for col in TEXT_COLUMNS.get(table, ()):
            if col in df:
                df[col] = df[col].map(scrub, na_action="ignore").astype(df[col].dtype)
        out[table] = df
    return out


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise cells a spreadsheet would run as formulas (=, +, -, @ at the start) by prefixing
    an apostrophe, as OWASP recommends for CSV injection. Numbers are left as numbers."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype.kind in "OSU" or str(out[col].dtype) in ("str", "string"):
            s = out[col]
            risky = s.astype("str").str.startswith(FORMULA_START) & s.notna()
            if risky.any():
                out[col] = s.astype(object).where(~risky, "'" + s.astype("str"))
    return out


def to_spreadsheet_csv(df: pd.DataFrame, path) -> None:
    """Write a table for Excel users: UTF-8 with BOM (Excel then reads accents right), formulas neutralised."""
    spreadsheet_safe(df).to_csv(path, index=False, encoding="utf-8-sig")
