"""Meta Business Suite (2021–today): content exports, per-metric daily series and Audience.csv.

- Content (Insights → Content → Export), one CSV per account and platform, UTF-8 with BOM, one row
  per post with lifetime totals as of the export (`Date` is literally "Lifetime"); the column set
  changes from month to month, so formats require a few columns and read whatever else is there.
  A spreadsheet round-trip sometimes wraps each line in one quoted field: the sniffer undoes it.
- Per-metric daily series (`Reach.csv`, `Follows.csv`...): UTF-16LE, `sep=,`, a title line naming
  the metric ("Facebook reach", "Instagram follows", "Views") above `"Date","Primary"`; the early
  2024 layout has no title and names the metric in the header (`"Date","Facebook Page likes"`);
  after an Excel re-save the file is `;`-separated, unquoted, with a `;` after the title. Dates
  carry an hour that depends on the page's time zone (`2025-01-01T01:00:00`): only the day counts.
- Audience.csv: stacked blocks — an age × gender matrix of percentages, and top countries and top
  cities written as one row of names above one row of percentages (the 2024 variant writes them
  as `"Top countries","Value"` rows with `%` signs). Excel re-saves in some locales turn the
  percentages into dates (`3.апр`): such a file is refused, the original export is needed.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import values as V
from ...errors import DataError
from ..registry import DateFacts, Format, NumberFacts, ParseContext, header_score, register, text
from ..sniff import Block, dedupe
from ..assemble import Numbers
from ..streaming import ordered_map
from .facebook import account_of, first_text, post_types, total_of

MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                      "dec"), start=1)}
_NAME_RANGE = re.compile(r"([A-Za-z]{3})-(\d{1,2})-(\d{4})_([A-Za-z]{3})-(\d{1,2})-(\d{4})")
PUBLISH_FORMATS = ("%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def name_range_end(source: str, tz) -> pd.Timestamp | None:
    """`Jan-14-2025_Apr-14-2025_<id>.csv` → 14 April 2025 (midnight in `tz`, in UTC): the export's
    last day, so the newest of overlapping exports wins. None when the name does not say."""
    name = source.split("!")[0].rsplit("/", 1)[-1]
    m = None
    for m in _NAME_RANGE.finditer(name):
        pass
    if m is None or m.group(4).casefold() not in MONTHS:
        return None
    try:
        day = pd.Timestamp(int(m.group(6)), MONTHS[m.group(4).casefold()], int(m.group(5)))
    except ValueError:
        return None
    return day.tz_localize(tz).tz_convert("UTC")


# --- content exports ----------------------------------------------------------------------------------
COMMON = {
    "post_id": ("Post ID", "Video asset ID", "ID de la publication", "Identifiant de la publication",
                "ID de la publicación"),
    "publish": ("Publish time", "Heure de publication", "Hora de publicación", "Published"),
    "permalink": ("Permalink", "Lien permanent", "Enlace permanente"),
    "post_type": ("Post type", "Type de publication", "Tipo de publicación"),
    "title": ("Title", "Titre", "Título"),
    "description": ("Description", "Descripción"),
    "date": ("Date", "Fecha"),
    "views": ("Views", "Vues", "Visualizaciones", "Plays"),
    "impressions": ("Impressions", "Impresiones"),
    "reach": ("Reach", "Couverture", "Portée", "Alcance"),
    "reactions": ("Reactions", "Réactions", "Reacciones", "Likes", "J'aime", "Me gusta"),
    "comments": ("Comments", "Commentaires", "Comentarios"),
    "shares": ("Shares", "Partages", "Veces que se compartió", "Compartidos"),
    "saves": ("Saves", "Enregistrements", "Guardados"),
    "follows": ("Follows", "Abonnements", "Seguimientos"),
    "engagements": ("Reactions, Comments and Shares", "Reactions, comments and shares", "Interactions",
                    "Réactions, commentaires et partages", "Reacciones, comentarios y veces que se compartió"),
    "clicks": ("Total clicks", "Total des clics", "Clics totales"),
    "link_clicks": ("Link Clicks", "Link clicks", "Clics sur un lien", "Clics en el enlace"),
    "video_views": ("3-second video views", "Vues de vidéo de 3 secondes", "Reproducciones de video de 3 segundos"),
    "boosted_reach": ("Reach from Boosted posts", "Reach from boosted posts"),
    "funded": ("Funded content status",),
    "page_id": ("Page ID", "ID de la Page", "Identificador de la página"),
    "page_name": ("Page name", "Nom de la Page", "Nombre de la página"),
    "account_id": ("Account ID", "ID du compte", "Identificador de la cuenta"),
    "username": ("Account username", "Nom d'utilisateur du compte", "Nombre de usuario de la cuenta"),
    "account_name": ("Account name", "Nom du compte", "Nombre de la cuenta"),
}
COUNTS = ("views", "impressions", "reach", "reactions", "comments", "shares", "saves", "follows", "engagements",
          "clicks", "link_clicks", "video_views")


class _Content(Format):
    """One row per post. Read chunk by chunk (large exports), two chunks at a time: what a row
    decides on its own, and numbers and dates as each chunk alone reads them; what warns follows in
    file order. A file whose chunks would read the decimal mark or the day/month order otherwise
    than the whole column does is read again for those columns (as in listening.Mentions)."""

    tables = ("posts",)
    default_type: str | None = None
    handles: tuple[str, ...] = ("page_name", "page_id")  # columns naming the account, best first
    CHUNK_ROWS = 24_000  # rows cleaned at once (~10 MB of text): see listening.CHUNK_ROWS

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        cols = ctx.columns(pd.DataFrame(columns=dedupe(block.header)), COMMON)
        counts = [k for k in COUNTS + ("boosted_reach",) if k in cols]
        lost, dropped, parts, others, firsts = [], 0, [], [], {}
        numbers = {k: Numbers() for k in counts}  # each chunk's numbers copied there at once (see assemble)
        for part in ordered_map(lambda chunk: self._rows(chunk, cols, counts, ctx), block.chunks(self.CHUNK_ROWS)):
            for k in counts:
                values, facts = part["numbers"][k]
                numbers[k].append(values.to_numpy(dtype="float64"))
                part["numbers"][k] = facts
            lost.append(part.pop("lost"))
            dropped += part.pop("dropped")
            others.append(part.pop("other_date"))
            for k, v in part.pop("firsts").items():
                if v is not None:
                    firsts.setdefault(k, v)
            parts.append(part)
        lost = pd.concat(lost)
        if len(lost):
            raise DataError(f"{len(lost)} post id(s) such as {lost.iloc[0]!r} were turned into scientific notation by "
                            "a spreadsheet, so posts cannot be told apart; please use the original export",
                            ctx.source, int(lost.index[0]), cols["post_id"])
        ctx.drop(dropped, "rows without a post id")
        n_facts = {k: [p["numbers"][k] for p in parts] for k in counts}
        d_facts = [p["published_at"][1] for p in parts] if "publish" in cols else []
        ids = _joined(parts, "post_id")
        if all(NumberFacts.alike(f) for f in n_facts.values()) and DateFacts.alike(d_facts):
            n = {}
            for k in counts:
                ctx.settle_numbers(cols[k], n_facts[k])
                n[k] = pd.Series(numbers.pop(k).array(), index=ids.index)
            if "publish" in cols:
                ctx.settle_dates(cols["publish"], d_facts)
                published = _joined(parts, "published_at", first=True)
        else:  # read those columns again, whole, as a small file is
            typed = list(dict.fromkeys(cols[k] for k in ("publish", *counts) if k in cols))
            raw = pd.concat([self._raw(chunk, cols)[0][typed] for chunk in block.chunks(self.CHUNK_ROWS)])
            n = {k: ctx.numbers(raw, cols[k]) for k in counts}
            if "publish" in cols:
                published = ctx.dates(raw, cols["publish"], formats=PUBLISH_FORMATS)
        out = pd.DataFrame(index=ids.index)
        out["post_id"] = ids
        if "publish" in cols:
            out["published_at"] = published
        if "post_type" in cols:
            out["post_type"] = _joined(parts, "post_type")
        elif self.default_type:
            out["post_type"] = self.default_type
        out["text"] = _joined(parts, "text")
        out["permalink"] = _joined(parts, "permalink")
        for k in COUNTS:
            if k in n:
                out[k] = n[k]
        if "engagements" not in n:
            # No interactions column (Instagram): engagements = likes + comments + shares + saves.
            out["engagements"] = total_of([n.get("reactions"), n.get("comments"), n.get("shares"), n.get("saves")])
        if "views" in n and "reach" in n and len(out) and (n["views"].fillna(0) == 0).all() and (n["reach"] > 0).any():
            # Nobody can be reached without a view: an all-zero Views column is a metric the export did not fill.
            out["views"] = float("nan")
            ctx.warn("the Views column is 0 for every post although reach is not; views are left empty")
        if "boosted_reach" in n:
            out["is_paid"] = (n["boosted_reach"] > 0).astype("boolean").where(n["boosted_reach"].notna())
        elif "funded" in cols:
            funded = _joined(parts, "funded")
            if funded.any():
                out["is_paid"] = funded.astype("boolean")
        other = next((o for o in others if o is not None), None)
        if other is not None:
            ctx.warn(f"column {cols['date']!r} holds {other!r} instead of 'Lifetime': these may not be lifetime totals")
        exported = name_range_end(block.source, ctx.tz)
        if exported is not None:
            out["exported_at"] = exported
        account = account_of(ctx, self.platform, *(firsts.get(k) for k in self.handles))
        return {"posts": ctx.finish(out, self.platform, account)}

    @staticmethod
    def _raw(chunk: pd.DataFrame, cols: dict[str, str]):
        """The rows with a post id: the chunk's cells as written, the ids, which rows were kept."""
        ids = V.clean_id(chunk[cols["post_id"]])
        keep = ids.notna()
        return chunk[keep], ids, keep

    def _rows(self, chunk: pd.DataFrame, cols: dict[str, str], counts: list[str], ctx: ParseContext) -> dict:
        """What the rows of one chunk decide on their own, numbers and dates as this chunk alone reads
        them (ParseContext.read_numbers/read_dates), with what the file's warnings need. No side effects:
        chunks run in parallel."""
        df, ids, keep = self._raw(chunk, cols)
        ids = ids[keep]
        lost = V.scientific_ids(chunk[cols["post_id"]])
        part = {"lost": chunk[cols["post_id"]][lost], "dropped": int((~keep).sum()), "post_id": ids,
                "firsts": {k: first_text(df[cols[k]]) for k in self.handles if k in cols},
                "numbers": {k: ctx.read_numbers(df[cols[k]]) for k in counts}}
        if "publish" in cols:
            part["published_at"] = ctx.read_dates(df[cols["publish"]], cols["publish"], PUBLISH_FORMATS)
        if "post_type" in cols:
            part["post_type"] = post_types(df[cols["post_type"]])
        part["text"] = _caption(text(df, cols.get("title")), text(df, cols.get("description")))
        part["permalink"] = text(df, cols.get("permalink"))
        if "funded" in cols:
            part["funded"] = text(df, cols["funded"]).notna()
        part["other_date"] = None
        if "date" in cols:
            # the column's distinct cells, in order of first appearance ("Lifetime" on every row)
            dates = pd.Series(df[cols["date"]].astype("str").unique()).str.strip()
            other = dates[~V.blank(dates) & (dates.str.casefold() != "lifetime")]
            part["other_date"] = other.iloc[0] if len(other) else None
        return part


def _joined(parts: list[dict], key: str, first: bool = False) -> pd.Series:
    """The chunks' pieces of one column as one, taken out of `parts` so that each is let go once the
    whole is built (the table is not held twice at the end). `first`: the pieces are (values, facts)."""
    return pd.concat([p.pop(key)[0] if first else p.pop(key) for p in parts])


def _caption(title: pd.Series, description: pd.Series) -> pd.Series:
    """Title and Description both hold captions, depending on the post type; keep both when they
    differ (when the description does not start with the title less its trailing dots and spaces)."""
    t, d = (V.whole(pa.array(s, type=pa.large_string(), from_pandas=True)) for s in (title, description))
    both = pc.and_(pc.is_valid(t), pc.is_valid(d))
    differ = pc.and_(both, pa.array(~_starts_with(d, pc.utf8_rtrim(t, characters=".… "))))
    joined = pc.binary_join_element_wise(t, d, pa.scalar("\n\n", pa.large_string()))
    return pd.Series(pd.array(pc.if_else(differ, joined, pc.coalesce(d, t)), dtype="str"), index=title.index)


def _starts_with(text: pa.Array, prefix: pa.Array) -> np.ndarray:
    """Per row, whether `text` starts with `prefix` (False where either is missing), compared byte
    by byte: in UTF-8 a prefix in bytes is a prefix in characters."""
    tb, te = V.cell_bytes(text)
    pb, pe = V.cell_bytes(prefix)
    size = np.diff(pe)
    out = text.is_valid().to_numpy(zero_copy_only=False) & prefix.is_valid().to_numpy(zero_copy_only=False)
    out &= size <= np.diff(te)
    rows = np.flatnonzero(out & (size > 0))
    if rows.size:
        lens = size[rows]
        row = np.repeat(np.arange(rows.size), lens)  # the row of each byte compared
        at = np.arange(lens.sum()) - np.repeat(np.cumsum(lens) - lens, lens)
        wrong = tb[te[rows][row] + at] != pb[pe[rows][row] + at]
        out[rows] = np.bincount(row[wrong], minlength=rows.size) == 0
    return out


@register
class FacebookContent(_Content):
    id = "meta.fb_content"
    label = "Meta Business Suite content export, Facebook posts"
    platform = "facebook"

    def match(self, block: Block) -> float:
        return header_score(block, [set(COMMON["post_id"][:1] + COMMON["post_id"][2:]),
                                    set(COMMON["page_id"] + COMMON["page_name"]), set(COMMON["publish"]),
                                    set(COMMON["reach"] + COMMON["views"] + COMMON["impressions"])],
                            optional=["Title", "Permalink", "Post type", "Caption type", "Is crosspost", "Date",
                                      "Reactions, Comments and Shares", "Total clicks"],
                            forbidden=["Account username", "Video asset ID"])


@register
class InstagramContent(_Content):
    id = "meta.ig_content"
    label = "Meta Business Suite content export, Instagram posts"
    platform = "instagram"

    def match(self, block: Block) -> float:
        return header_score(block, [set(COMMON["post_id"]), set(COMMON["username"] + COMMON["account_id"]),
                                    set(COMMON["publish"]), set(COMMON["reach"] + COMMON["views"] + COMMON["impressions"])],
                            optional=["Account name", "Permalink", "Post type", "Likes", "Saves", "Follows", "Date"],
                            forbidden=["Page ID", "Video asset ID"])

    handles = ("username", "account_name", "account_id")


@register
class VideoContent(_Content):
    id = "meta.video_content"
    label = "Meta Business Suite content export, Facebook videos and reels"
    platform = "facebook"
    default_type = "video"

    def match(self, block: Block) -> float:
        return header_score(block, ["Video asset ID", set(COMMON["publish"])],
                            optional=["Universal video ID", "Page ID", "Page name", "Reach", "3-second video views",
                                      "Seconds viewed", "Average Seconds viewed"])


# --- per-metric daily series ----------------------------------------------------------------------------
FOLLOWERS_EITHER = "followers|followers_gained"
SERIES_METRICS = {  # title or header without its platform prefix (casefolded) -> canonical metric
    "reach": "reach", "accounts reached": "reach", "page reach": "reach",
    "views": "views", "impressions": "impressions", "viewers": "viewers",
    "follows": "followers_gained", "new follows": "followers_gained", "new likes": "followers_gained",
    "new followers": "followers_gained", "new page likes": "followers_gained",
    # The early-2024 layout's "Facebook Page likes" / "Instagram followers" are read as the day's new
    # followers by some users and as the running total by others: the values decide (see `_followers`).
    "page likes": FOLLOWERS_EITHER, "followers": FOLLOWERS_EITHER, "likes": FOLLOWERS_EITHER,
    "unfollows": "followers_lost", "net follows": "followers_net",
    "visits": "profile_visits", "page visits": "profile_visits", "profile visits": "profile_visits",
    "content interactions": "engagements", "interactions": "engagements", "post engagements": "engagements",
    "engagement": "engagements",
    "link clicks": "link_clicks", "clicks": "clicks",
    "minutes viewed": "watch_time_minutes", "3-second video views": "video_views", "video views": "video_views",
}
# Titles that do not name the platform; the real samples give Instagram's reach as plain "Reach".
BARE_PLATFORM = {"reach": "instagram"}
PRIMARY = ("primary", "principal", "principale", "valeur", "value", "valor")


def _clean_title(s: str) -> str:
    s = re.sub(r"[\x00-\x1f\x7f]", "", str(s))
    return s.strip().strip('"').strip().rstrip(";,").strip()


def series_metric(name: str) -> tuple[str | None, str, bool]:
    """A series title/header → (platform or None, canonical metric, known). Unknown names give a
    snake_case metric so that nothing is lost."""
    t = V.norm_header(_clean_title(name))
    platform = None
    m = re.match(r"^(facebook|instagram|fb|ig)\s+(.*)$", t)
    if m:
        platform = {"fb": "facebook", "ig": "instagram"}.get(m.group(1), m.group(1))
        t = m.group(2)
    if t in SERIES_METRICS:
        return platform, SERIES_METRICS[t], True
    return platform, re.sub(r"[^a-z0-9]+", "_", t).strip("_") or "value", False


def _followers(values: pd.Series) -> str:
    """A follower count that barely moves from day to day is the running total; one that often hits
    zero or swings by its own size is the day's new followers."""
    v = values.dropna()
    if len(v) >= 3 and (v > 0).all() and v.median() > 20 * max(v.diff().abs().median(), 1.0):
        return "followers"
    return "followers_gained"


def _title_of(block: Block) -> str | None:
    for line in reversed(block.preamble):
        line = _clean_title(line)
        if line and not line.casefold().startswith("sep="):
            return line
    return None


@register
class DailySeries(Format):
    id = "meta.daily_series"
    label = "Meta Business Suite insights export, one metric per day (Reach.csv, Follows.csv...; UTF-16 or re-saved)"
    platform = "facebook"
    tables = ("account_daily",)
    streams = False  # reads block.rows

    def match(self, block: Block) -> float:
        keys = block.keys
        if len(keys) < 2 or keys[0] not in ("date", "fecha", "datum") or len(keys) > 4:
            return 0.0
        head = [r[0].strip() for r in block.head(2) if r and r[0].strip()]
        if not all(re.match(r"^\d{4}-\d{2}-\d{2}", c) for c in head):
            return 0.0  # (no rows at all is fine: a metric with no data in the period)
        if keys[1] in PRIMARY:
            return 1.5 if _title_of(block) else 0.0
        _, _, known = series_metric(block.header[1])
        return 1.5 if known and re.match(r"^(facebook|instagram)\b", keys[1]) else 0.0

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        header = list(block.header)
        title = _title_of(block)
        segments = self._segments(block)
        parts = []
        for name, rows in segments:
            df = pd.DataFrame([(r + ["", ""])[:2] for r, _ in rows], columns=["date", "value"],
                              index=pd.Index([n for _, n in rows], name="row"), dtype="str")
            if V.norm_header(name) in PRIMARY:
                if not title:
                    raise DataError("a 'Date','Primary' series without the title line that names its metric",
                                    ctx.source, block.header_row)
                name = title
            platform, metric, known = series_metric(name)
            if not known:
                ctx.warn(f"metric {name!r} is not one this toolkit knows; kept as {metric!r}")
            if ctx.override and ctx.override.platform:
                platform = ctx.override.platform
            elif platform is None:
                platform = BARE_PLATFORM.get(V.norm_header(name), "facebook")
                ctx.warn(f"the title {name!r} does not name the platform; read as {platform} (set `platform` for "
                         "this file in audit.yml `sources` if it is the other one)")
            days = ctx.days(df, "date", formats=("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"))
            values = ctx.numbers(df, "value")
            if metric == FOLLOWERS_EITHER:
                metric = _followers(values)
                ctx.warn(f"{name!r} read as {'the running total of followers' if metric == 'followers' else 'new followers per day'}"
                         " (from its values)")
            out = pd.DataFrame({"date": days, "metric": metric, "value": values}, index=df.index)
            out = out[out["date"].notna() & out["value"].notna()]
            parts.append(ctx.finish(out, platform, account_of(ctx, platform)))
        if len(header) > 2:
            ctx.warn(f"comparison column(s) {', '.join(header[2:])!r} ignored: only the primary period is read")
        return {"account_daily": pd.concat(parts, ignore_index=True)} if parts else {}

    @staticmethod
    def _segments(block: Block) -> list[tuple[str, list[tuple[list[str], int]]]]:
        """Series stacked without a blank line repeat their `Date,<metric>` header: split there."""
        rows = list(zip(block.rows or [], block.row_numbers or []))
        out = [(block.header[1], [])]
        for r, n in rows:
            first = r[0].strip() if r else ""
            if V.norm_header(first) in ("date", "fecha", "datum") and len(r) > 1:
                out.append((r[1], []))
            elif first and not re.match(r"^\d{4}-\d{2}-\d{2}|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}", first) and len(
                    [c for c in r if c.strip()]) == 1:
                continue  # a title line between stacked series
            else:
                out[-1][1].append((r, n))
        return [(name, rows) for name, rows in out if rows]


# --- Audience.csv ---------------------------------------------------------------------------------------
_AGE_GENDER = re.compile(r"^(age (&|and) gender|gender and age|age et sexe|âge et genre|edad y sexo|"
                         r"(facebook|instagram) (followers|audience|fans|viewers) by (gender and age|age and gender))$")
_COUNTRY = re.compile(r"^(top countries|top territories|countries|pays principaux|principales países|"
                      r"(facebook|instagram) (followers|audience|fans|viewers) by top (countries|territories))$")
_CITY = re.compile(r"^(top (towns/)?cities|top towns|cities|villes principales|principales ciudades|"
                   r"(facebook|instagram) (followers|audience|fans|viewers) by top (towns/)?cities)$")
_FOLLOWER_TOTAL = re.compile(r"^(facebook|instagram) (followers|page likes)\b")
GENDER_COLUMNS = {"women": "female", "men": "male", "female": "female", "male": "male", "femmes": "female",
                  "hommes": "male", "mujeres": "female", "hombres": "male", "frauen": "female", "männer": "male"}


SHARE_COLUMNS = ("value", "valeur", "valor", "distribution", "percentage", "share", "%")


def _share_like(cell: str) -> bool:
    """A percentage or share as exported ('75.1', '6.3%', '0,12'), or one Excel turned into a date."""
    c = cell.strip()
    return not c or bool(re.fullmatch(r"\d{1,3}(?:[.,]\d+)?\s*%?", c)) or bool(V.looks_excel_mangled(pd.Series([c])).iloc[0])


def _audience_kind(title: str | None) -> str | None:
    t = V.norm_header(_clean_title(title or ""))
    for kind, rx in (("age_gender", _AGE_GENDER), ("country", _COUNTRY), ("city", _CITY)):
        if rx.match(t):
            return kind
    if _FOLLOWER_TOTAL.match(t):
        return "total"
    return None


@register
class Audience(Format):
    id = "meta.audience"
    label = "Meta Business Suite Audience.csv (age & gender, top countries, top cities)"
    platform = "facebook"
    tables = ("audience",)
    streams = False  # reads block.rows

    def match(self, block: Block) -> float:
        kind = _audience_kind(_title_of(block))
        keys = block.keys
        if kind == "age_gender":
            return 2.0 if any(k in GENDER_COLUMNS for k in keys) else 0.0
        if kind in ("country", "city"):
            rows = [r for r in (block.rows or []) if any(c.strip() for c in r)]
            if len(rows) == 1 and all(_share_like(c) for c in rows[0][:len(block.header)]):
                return 2.0  # one row of names (the header) above one row of percentages
            if len(keys) == 2 and keys[1] in SHARE_COLUMNS and rows and all(_share_like(r[1]) for r in rows if len(r) > 1):
                return 2.0  # "Top countries","Value" rows
            return 0.0
        if kind == "total" or (len(keys) == 1 and _audience_kind(block.header[0]) == "total"):
            return 1.5  # "Facebook followers" above a bare count (2024 layout): recognised, not loaded
        return 0.0

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        title = _title_of(block) or block.header[0]
        kind = _audience_kind(title)
        if kind == "total" or kind is None:
            ctx.warn(f"{_clean_title(title)!r}: a follower total without a date; not loaded (the daily series are)")
            return {}
        platform = ctx.override.platform if ctx.override and ctx.override.platform else \
            "instagram" if "instagram" in title.casefold() else "facebook"
        df = block.frame()
        if kind == "age_gender":
            out = self._age_gender(block, df, ctx)
        elif len(df) == 1 and len(block.header) > 2:
            out = self._transposed(block, df, kind, ctx)
        else:
            out = self._long(df, kind, ctx)
        out = out[out["share"].notna()]
        return {"audience": ctx.finish(out, platform, account_of(ctx, platform))}

    def _shares(self, frame: pd.DataFrame, col: str, ctx: ParseContext) -> pd.Series:
        """Percentages ('10.6' or '10.6%') → fractions; Excel-mangled cells are refused by ctx.numbers."""
        raw = frame[col]
        mangled = V.looks_excel_mangled(raw)
        if mangled.any():
            i = mangled[mangled].index[0]
            raise DataError(f"{int(mangled.sum())} audience percentage(s) such as {raw.loc[i]!r} look like numbers that "
                            "Excel turned into dates when the file was re-saved, so the shares cannot be trusted; export "
                            "Audience.csv again from Meta Business Suite and use it without opening it in Excel",
                            ctx.source, int(i), col)
        v = ctx.numbers(frame, col)
        pct = raw.astype("str").str.strip().str.endswith("%")
        v = v.where(pct, v / 100.0)
        bad = v > 1.0 + 1e-9
        if bad.any():
            i = bad[bad].index[0]
            raise DataError(f"audience share {raw.loc[i]!r} is above 100%", ctx.source, int(i), col)
        return v

    def _age_gender(self, block: Block, df: pd.DataFrame, ctx: ParseContext) -> pd.DataFrame:
        ages = df.iloc[:, 0].astype("str").str.strip()
        parts = []
        for col, key in zip(df.columns[1:], block.keys[1:]):
            gender = GENDER_COLUMNS.get(key)
            if gender is None:
                continue
            share = self._shares(df, col, ctx)
            parts.append(pd.DataFrame({"dimension": "age_gender", "segment": ages + " " + str(block.header[
                list(df.columns).index(col)]).casefold(), "age_band": ages, "gender": gender, "share": share},
                index=df.index))
        return pd.concat(parts) if parts else pd.DataFrame(columns=["dimension", "segment", "share"])

    def _transposed(self, block: Block, df: pd.DataFrame, kind: str, ctx: ParseContext) -> pd.DataFrame:
        """One row of names (the block's header) above one row of percentages."""
        names = [h for h in block.header]
        row = pd.DataFrame({"segment": names, "value": df.iloc[0, :len(names)].tolist()},
                           index=pd.Index([df.index[0]] * len(names), name="row"), dtype="str")
        row = row[row["segment"].str.strip() != ""]
        return pd.DataFrame({"dimension": kind, "segment": row["segment"].str.strip(),
                             "share": self._shares(row, "value", ctx)}, index=row.index)

    def _long(self, df: pd.DataFrame, kind: str, ctx: ParseContext) -> pd.DataFrame:
        """`"Top countries","Value"` rows (2024 layout)."""
        if df.shape[1] < 2:
            return pd.DataFrame(columns=["dimension", "segment", "share"])
        return pd.DataFrame({"dimension": kind, "segment": text(df, df.columns[0]),
                             "share": self._shares(df, df.columns[1], ctx)}, index=df.index)
