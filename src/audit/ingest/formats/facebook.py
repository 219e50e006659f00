"""Facebook: the legacy Page Insights "Export data" files and the UCI "Facebook metrics" dataset.

Legacy Insights (classic Page Insights, until about 2020), CSV or Excel:
- row 1 holds metric names, row 2 a description row ("Lifetime: The total number of people ...
  (Unique Users)"). The description row is dropped but read: it is the only thing that tells the
  `(Total Count)` copy of a duplicated name from the `(Unique Users)` copy;
- post level: one row per post (lifetime totals); page level: one row per day, with hundreds of
  columns, many of them data-dependent (`Daily Like Sources - <source>`, `... by action type - like`,
  `Lifetime Likes by Gender and Age - F.25-34`): formats match a subset, never the full tuple;
- the Excel version puts the scalar metrics on sheet `Key Metrics` and every breakdown on its own
  sheet, named after the metric cut to 31 characters (`Lifetime Post Stories by act...`); the
  breakdown sheets are folded back into the Key Metrics table so that CSV and Excel read the same;
- post times and days are written without a zone; classic Insights worked in Pacific Time, which
  is what the real samples agree with (a Los Angeles page posting at 9 am), so they are read so.

UCI "Facebook metrics" (Moro, Rita & Vala 2016): 500 posts of a cosmetics brand's page, derived
from a legacy post export, `;`-separated, re-shared in many altered copies (see `UciFacebookMetrics`).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .. import values as V
from ..registry import Format, ParseContext, header_score, register, text
from ..sniff import Block

PACIFIC = ZoneInfo("America/Los_Angeles")

# --- helpers shared with meta_business_suite --------------------------------------------------------
POST_TYPES = {  # platform wording (casefolded) -> canonical post_type
    "photo": "photo", "photos": "photo", "ig image": "photo", "image": "photo",
    "video": "video", "videos": "video", "sharedvideo": "video", "shared video": "video", "live": "video",
    "ig video": "video", "reel": "reel", "reels": "reel", "ig reel": "reel",
    "link": "link", "links": "link", "status": "status", "text": "text",
    "ig carousel": "carousel", "carousel": "carousel", "carousel_album": "carousel", "album": "carousel",
    "ig story": "story", "story": "story", "stories": "story",
    "event": "other", "offer": "other", "note": "other", "music": "other", "question": "other",
}


def post_types(series: pd.Series) -> pd.Series:
    """Platform post types → canonical ones; unknown wordings become 'other', blanks stay empty."""
    out = V.map_distinct(series.astype("str"), lambda v: POST_TYPES.get(v.strip().casefold(), "other"))
    return out.where(~V.blank(series)).astype("str")


def account_of(ctx: ParseContext, platform: str, *handles: str | None) -> str:
    """The brand or competitor a file belongs to: the first of `handles` (page name, username,
    page id...) that audit.yml knows, else the first handle (the brand's, with a warning)."""
    found = [h for h in handles if isinstance(h, str) and h.strip()]
    if ctx.config is not None and not (ctx.override and ctx.override.account):
        for h in found:
            if ctx.config.account_for(h, platform):
                return ctx.account(h, platform)
    return ctx.account(found[0] if found else None, platform)


def first_text(series: pd.Series | None) -> str | None:
    if series is None:
        return None
    s = series[~V.blank(series)]
    return str(s.iloc[0]).strip() if len(s) else None


_ISO_DAY = re.compile(r"(?<!\d)(20\d\d|19\d\d)-(\d\d)-(\d\d)(?!\d)")


def name_end_day(source: str, tz) -> pd.Timestamp | None:
    """The last ISO date written in the file name (`... - 2015-08-19 - 2016-02-15.csv`), as the
    export time (midnight in `tz`, in UTC): the export was made that day or later."""
    name = source.split("!")[0].rsplit("/", 1)[-1]
    days = []
    for m in _ISO_DAY.finditer(name):
        try:
            days.append(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
    if not days:
        return None
    return pd.Timestamp(max(days)).tz_localize(tz).tz_convert("UTC")


def total_of(parts: list[pd.Series | None]) -> pd.Series | None:
    """Sum of count columns; empty only where every part is empty."""
    present = [p for p in parts if p is not None]
    if not present:
        return None
    return pd.concat(present, axis=1).sum(axis=1, min_count=1)


# --- legacy Insights: header + description row --------------------------------------------------------
_DESCRIPTION = re.compile(r"^(lifetime|daily|weekly|28 days)\s*:|\((unique users|total count)\)\s*$", re.I)
_KIND = re.compile(r"\((unique users|total count)\)\s*$", re.I)
POST_DESCRIPTORS = ("Post ID", "Permalink", "Post Message", "Type", "Countries", "Languages", "Posted",
                    "Audience Targeting", "Content Tags")
# Breakdown metrics the Excel version puts on their own sheets (name cut to 31 characters).
SHEET_METRICS = (
    "Lifetime Post Stories by action type", "Lifetime Talking About This (Post) by action type",
    "Lifetime Post Consumptions by type", "Lifetime Post consumers by type",
    "Lifetime Likes by Gender and Age", "Lifetime Likes by Country", "Lifetime Likes by City",
    "Lifetime Likes by Language",
)


def is_description_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    hits = sum(bool(_DESCRIPTION.search(c)) for c in filled)
    return hits >= 1 and hits >= 0.5 * len(filled)


def _compact(s: str) -> str:
    return re.sub(r"[^a-z0-9]", "", s.casefold())


def sheet_metric(sheet: str) -> str | None:
    """The full metric name behind a sheet name Excel cut to 31 characters ('...' and '...001')."""
    key = _compact(re.sub(r"\.{3}\d*$", "", sheet.strip()))
    if len(key) < 12:
        return None
    return next((m for m in SHEET_METRICS if _compact(m).startswith(key)), None)


@dataclass
class InsightsTable:
    """A legacy Insights table: data rows plus, per column, its name and whether it counts unique
    users or totals (from the description row)."""

    frame: pd.DataFrame
    names: list[str]
    kinds: list[str | None]
    has_description: bool
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def read(cls, block: Block) -> "InsightsTable":
        df = block.frame()
        names = list(block.header) + [""] * (df.shape[1] - len(block.header))
        desc = [""] * len(names)
        has_desc = bool(len(df)) and is_description_row(df.iloc[0].tolist())
        if has_desc:
            desc = [str(c) for c in df.iloc[0].tolist()]
            df = df.iloc[1:]
        kinds: list[str | None] = []
        for i, d in enumerate(desc):
            m = _KIND.search(d.strip())
            if m:
                kinds.append("unique" if m.group(1).casefold() == "unique users" else "total")
            elif i and not d.strip() and _base(names[i]) == _base(names[i - 1]) and " - " in names[i]:
                kinds.append(kinds[i - 1])  # a breakdown's description sits on its first column only
            else:
                kinds.append(None)
        return cls(df, names, kinds, has_desc)

    def _positions(self, name: str) -> list[int]:
        key = V.norm_header(name)
        return [i for i, n in enumerate(self.names) if V.norm_header(n) == key]

    def column(self, *names: str, kind: str | None = None) -> str | None:
        """The frame column for the first of `names` present; among duplicates, the copy of `kind`."""
        for name in names:
            pos = self._positions(name)
            if not pos:
                continue
            if kind and len(pos) > 1:
                typed = [i for i in pos if self.kinds[i] == kind]
                if typed:
                    return self.frame.columns[typed[0]]
                if not self.has_description:
                    self.warnings.append(f"column {name!r} appears {len(pos)} times and the description row that "
                                         "tells its copies apart is missing; the first copy is used")
            return self.frame.columns[pos[0]]
        return None

    def group(self, prefix: str, kind: str | None = None) -> dict[str, str]:
        """Breakdown columns `<prefix> - <key>` → {key: frame column}; of `kind` where a key is duplicated."""
        head = V.norm_header(prefix) + " - "
        found: dict[str, list[int]] = {}
        for i, n in enumerate(self.names):
            if V.norm_header(n).startswith(head):
                found.setdefault(n.split(" - ", 1)[1].strip(), []).append(i)
        out = {}
        for k, pos in found.items():
            typed = [i for i in pos if self.kinds[i] == kind] if kind else []
            out[k] = self.frame.columns[(typed or pos)[0]]
        return out

    def add_breakdown_sheets(self, block: Block, key_name: str) -> list[str]:
        """Excel exports: fold the breakdown sheets of the same workbook into this table, as the
        `<metric> - <key>` columns the CSV export has. Returns the sheets used."""
        key_col = self.column(key_name)
        if key_col is None or not block.siblings:
            return []
        keys = self.frame[key_col].astype("str").str.strip()
        used = []
        for other in block.siblings:
            if other is block or other.sheet is None or other.source.split("!")[0] != block.source.split("!")[0]:
                continue
            metric = sheet_metric(other.sheet)
            if metric is None:
                continue
            sub = InsightsTable.read(other)
            sub_key = sub.column(key_name)
            if sub_key is None:
                continue
            lookup = sub.frame.assign(_k=sub.frame[sub_key].astype("str").str.strip()) \
                .drop_duplicates("_k").set_index("_k")
            skip = {V.norm_header(n) for n in (*POST_DESCRIPTORS, "Date", "Description")}
            kind = next((k for k in sub.kinds if k), None)
            for i, n in enumerate(sub.names):
                if not n.strip() or V.norm_header(n) in skip:
                    continue
                values = keys.map(lookup[sub.frame.columns[i]]).fillna("")
                col = f"{metric} - {n.strip()}"
                # frame labels are placeholders: columns are found by position, through `names`
                self.frame = self.frame.assign(**{f"__sheet_{len(self.names)}": values.to_numpy()})
                self.names.append(col)
                self.kinds.append(kind)
            used.append(other.sheet)
        return used


def _base(name: str) -> str:
    return V.norm_header(name.split(" - ", 1)[0])


def _group_numbers(ctx: ParseContext, df: pd.DataFrame, cols: dict[str, str]) -> dict[str, pd.Series]:
    return {k: ctx.numbers(df, c) for k, c in cols.items()}


# --- legacy Insights, post level ------------------------------------------------------------------------
@register
class InsightsPosts(Format):
    id = "facebook.insights_posts"
    label = "Facebook Page Insights 'Export data', post level (legacy, CSV or Excel; also the video-posts file)"
    platform = "facebook"
    tables = ("posts",)
    ROW_CAP = 500  # posts per file (the description row is not one; checked in parse)

    def match(self, block: Block) -> float:
        score = header_score(block, ["Post ID", "Posted", {"Lifetime Post Total Reach", "Lifetime Post Total Impressions"}],
                             optional=["Permalink", "Post Message", "Type", "Lifetime Engaged Users",
                                       "Lifetime Post Consumptions", "Audience Targeting"])
        return score and score + 0.5  # these names are Facebook's own: outrank generic layouts

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        t = InsightsTable.read(block)
        if block.sheet:
            t.add_breakdown_sheets(block, "Post ID")
        df = t.frame
        if not t.has_description:
            ctx.warn("no description row under the header (it was probably deleted); duplicated column names "
                     "are read in their usual order")
        ids = V.clean_id(df[t.column("Post ID")])
        lost = V.scientific_ids(df[t.column("Post ID")])
        if lost.any():
            ctx.warn(f"{int(lost.sum())} post id(s) such as {df[t.column('Post ID')][lost].iloc[0]!r} were turned into "
                     "scientific notation by a spreadsheet: their digits are lost")
        keep = ids.notna()
        ctx.drop(int((~keep).sum()), "rows without a post id")
        df, ids = df[keep], ids[keep]
        if len(df) == self.ROW_CAP:
            ctx.warn(f"{self.ROW_CAP} posts: the export limit is reached, so older posts of the period are missing")

        def num(*names, kind=None):
            c = t.column(*names, kind=kind)
            return ctx.numbers(df, c) if c is not None else None

        out = pd.DataFrame(index=df.index)
        out["post_id"] = ids
        out["published_at"] = ctx.dates(df, t.column("Posted"), formats=("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M"),
                                        naive_tz=PACIFIC)
        ctx.warn("post times are read as Pacific Time, the time zone of classic Page Insights")
        if t.column("Type"):
            out["post_type"] = post_types(df[t.column("Type")])
        out["text"] = text(df, t.column("Post Message"))
        out["permalink"] = text(df, t.column("Permalink"))
        out["reach"] = num("Lifetime Post Total Reach")
        out["impressions"] = num("Lifetime Post Total Impressions")
        paid = total_of([num("Lifetime Post Paid Impressions"), num("Lifetime Post Paid Reach")])
        if paid is not None:
            out["is_paid"] = (paid > 0).astype("boolean").where(paid.notna())
        out["clicks"] = num("Lifetime Post Consumptions", kind="total")
        # Reactions, comments and shares are counted by the "stories" breakdown (Total Count);
        # a type missing from a breakdown that exists means nobody did it (0), not unknown.
        stories = _group_numbers(ctx, df, t.group("Lifetime Post Stories by action type", kind="total"))
        if stories:
            zero = pd.Series(0.0, index=df.index)
            out["reactions"] = stories.get("like", zero).fillna(0)
            out["comments"] = stories.get("comment", zero).fillna(0)
            out["shares"] = stories.get("share", zero).fillna(0)
            # engagements = reactions + comments + shares, as Facebook's "Total Interactions" and
            # Meta Business Suite's "Reactions, Comments and Shares" count them.
            out["engagements"] = out["reactions"] + out["comments"] + out["shares"]
        clicks_by_type = t.group("Lifetime Post Consumptions by type", kind="total")
        if clicks_by_type:
            link = clicks_by_type.get("link clicks")
            out["link_clicks"] = ctx.numbers(df, link).fillna(0) if link else 0.0
        views = num("Lifetime Total Video Views", kind="total")
        if views is None:
            views = total_of([num("Lifetime Organic Video Views", kind="total"),
                              num("Lifetime Paid Video Views", kind="total")])
        if views is not None:
            out["video_views"] = views
        exported = name_end_day(block.source, PACIFIC)
        if exported is not None:
            out["exported_at"] = exported
        for w in t.warnings:
            ctx.warn(w)
        page_id = first_text(ids.str.split("_").str[0]) if len(ids) else None
        account = account_of(ctx, self.platform, _page_in_name(block.source), page_id)
        return {"posts": ctx.finish(out, self.platform, account)}


def _page_in_name(source: str) -> str | None:
    """`Facebook Insights Data Export (Post Level) - <Page> - <dates>.csv` → <Page> (a hint only)."""
    name = source.split("!")[0].rsplit("/", 1)[-1]
    m = re.search(r"Insights Data Export(?: \([^)]*\))? - (.+?) - (?:19|20)\d\d-\d\d-\d\d", name)
    return m.group(1).strip() if m else None


# --- legacy Insights, page level ------------------------------------------------------------------------
DAILY = (  # (column, kind among duplicates, canonical metric)
    ("Lifetime Total Likes", None, "followers"),
    ("Daily New Likes", None, "followers_gained"),
    ("Daily Unlikes", None, "followers_lost"),
    ("Daily Page Engaged Users", None, "engaged_users"),
    ("Daily Total Reach", None, "reach"),
    ("Daily Organic Reach", None, "reach_organic"),
    ("Daily Paid Reach", None, "reach_paid"),
    ("Daily Total Impressions", None, "impressions"),
    ("Daily Organic impressions", None, "impressions_organic"),
    ("Daily Paid Impressions", None, "impressions_paid"),
    ("Daily Logged-in Page Views", "total", "page_views"),
    ("Daily Page consumptions", "total", "clicks"),
    ("Daily Total Video Views", "total", "video_views"),
    ("Daily Negative feedback", None, "negative_feedback"),
    ("page_website_clicks_logged_in_count:day", None, "website_clicks"),
)
AUDIENCE_GROUPS = {  # breakdown of the people who like the Page -> audience dimension
    "Lifetime Likes by Gender and Age": "age_gender",
    "Lifetime Likes by Country": "country",
    "Lifetime Likes by City": "city",
    "Lifetime Likes by Language": "language",
}
GENDERS = {"f": "female", "m": "male"}


@register
class InsightsPage(Format):
    id = "facebook.insights_page"
    label = "Facebook Page Insights 'Export data', page level (legacy, CSV or Excel)"
    platform = "facebook"
    tables = ("account_daily", "audience")

    def match(self, block: Block) -> float:
        if not block.keys or block.keys[0] != "date":
            return 0.0
        score = header_score(block, [{"Lifetime Total Likes", "Daily New Likes", "Daily Total Reach",
                                      "Daily Page Engaged Users"}],
                             optional=["Lifetime Total Likes", "Daily New Likes", "Daily Unlikes", "Daily Total Reach",
                                       "Daily Total Impressions", "Daily Page Engaged Users"])
        return score and score + 0.5

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        t = InsightsTable.read(block)
        if block.sheet:
            t.add_breakdown_sheets(block, "Date")
        df = t.frame
        date_col = t.column("Date")
        keep = ~V.blank(df[date_col])
        ctx.drop(int((~keep).sum()), "rows without a date")
        df = t.frame = df[keep]
        days = ctx.days(df, date_col, formats=("%m/%d/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"))
        parts = []
        for name, kind, metric in DAILY:
            c = t.column(name, kind=kind)
            if c is None:
                continue
            v = ctx.numbers(df, c)
            part = pd.DataFrame({"date": days, "metric": metric, "value": v}, index=df.index)
            parts.append(part[part["value"].notna() & part["date"].notna()])
        for w in t.warnings:
            ctx.warn(w)
        account = account_of(ctx, self.platform, _page_in_name(block.source))
        out = {}
        if parts:
            out["account_daily"] = ctx.finish(pd.concat(parts), self.platform, account)
        audience = [a for a in (self._audience(t, prefix, dim, days, ctx) for prefix, dim in AUDIENCE_GROUPS.items())
                    if a is not None]
        if audience:
            out["audience"] = ctx.finish(pd.concat(audience), self.platform, account)
        return out

    @staticmethod
    def _audience(t: InsightsTable, prefix: str, dimension: str, days: pd.Series, ctx: ParseContext):
        """The last day that has the breakdown → one row per segment (count and share of the total)."""
        cols = t.group(prefix)
        if not cols:
            return None
        raw = t.frame[list(cols.values())]
        cells = np.char.lower(np.char.strip(raw.to_numpy(dtype=str)))
        filled = pd.Series((~np.isin(cells, list(V.PLACEHOLDERS))).any(axis=1), index=raw.index)
        if not filled.any():
            return None
        row = filled[filled].index[-1]
        # only that day is read: one column of (up to hundreds of) segment values
        cells = pd.DataFrame({prefix: raw.loc[row].to_numpy()}, index=pd.Index([row] * len(cols)))
        counts = pd.Series(ctx.numbers(cells, prefix).to_numpy(), index=list(cols)).dropna()
        counts = counts[counts > 0]
        total = counts.sum()
        if not total:
            return None
        out = pd.DataFrame({"dimension": dimension, "segment": counts.index.astype(str).to_numpy(),
                            "count": counts.to_numpy(), "share": (counts / total).to_numpy(),
                            "as_of": days.loc[row]}, index=pd.Index([row] * len(counts)))
        if dimension == "age_gender":
            parts = out["segment"].str.extract(r"^([A-Za-z])\.(.+)$")
            out["gender"] = parts[0].str.casefold().map(GENDERS).astype("str")
            out["age_band"] = parts[1].str.strip()
        return out


@register
class InsightsSheet(Format):
    """The other sheets of a legacy Insights workbook (breakdowns such as `Lifetime Post Stories by act...`,
    `Lifetime Likes by City`): read together with the `Key Metrics` sheet, so they carry no rows themselves."""

    id = "facebook.insights_sheet"
    label = "Facebook Page Insights 'Export data' workbook, breakdown sheet (read with its Key Metrics sheet)"
    platform = "facebook"
    tables = ()

    def match(self, block: Block) -> float:
        if block.sheet is None or not block.siblings:
            return 0.0
        main = (InsightsPosts(), InsightsPage())
        for other in block.siblings:
            if other is not block and other.sheet is not None and any(f.match(other) > 0 for f in main):
                if block.keys and block.keys[0] in ("post id", "date"):
                    return 1.0
        return 0.0

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        if sheet_metric(block.sheet or "") is None:
            ctx.warn(f"sheet {block.sheet!r}: a breakdown this toolkit does not use; skipped")
        return {}


# --- the UCI "Facebook metrics" dataset ------------------------------------------------------------------
UCI_YEAR = 2014  # "posts published during the year of 2014" (UCI repository description)
UCI_ALIASES = {  # English as published; Spanish as in translated copies
    "page_likes": ("Page total likes", "Page_T_Likes", "total_likes", "Total de me gusta de la página",
                   "Me gusta totales de la página", "Total me gusta página", "Me gusta de la página"),
    "type": ("Type", "Tipo", "Tipo de publicación"),
    "category": ("Category", "Categoría", "Categoria"),
    "month": ("Post Month", "Post_Month", "Mes", "Mes de publicación", "Mes de la publicación", "Mes publicación"),
    "weekday": ("Post Weekday", "Post_Weekday", "Día de la semana", "Dia de la semana",
                "Día de la semana de publicación", "Día de publicación", "Dia de publicacion"),
    "hour": ("Post Hour", "Post_Hour", "Hora", "Hora de publicación", "Hora de la publicación", "Hora publicación"),
    "paid": ("Paid", "Pagado", "Pago", "Pagada"),
    "reach": ("Lifetime Post Total Reach", "Alcance total de la publicación", "Alcance total"),
    "impressions": ("Lifetime Post Total Impressions", "Impresiones totales de la publicación", "Impresiones totales"),
    "engaged_users": ("Lifetime Engaged Users", "Usuarios comprometidos", "Usuarios interesados"),
    "consumers": ("Lifetime Post Consumers", "Consumidores de la publicación"),
    "consumptions": ("Lifetime Post Consumptions", "Consumos de la publicación"),
    "comments": ("comment", "Comments", "comentario", "comentarios"),
    "reactions": ("like", "Likes", "me gusta"),
    "shares": ("share", "Shares", "compartir", "compartido", "compartidos", "compartidas"),
    "interactions": ("Total Interactions", "Total de interacciones", "Interacciones totales", "Total interacciones"),
}
UCI_KEY = ("page_likes", "type", "category", "month", "weekday", "hour", "reach", "impressions")


@register
class UciFacebookMetrics(Format):
    """UCI "Facebook metrics": one row per post with Post Month / Weekday / Hour but no day or year.

    The rows are in reverse publication order and every month's rows fit its calendar, so the days
    can be recovered for the documented year (2014): walking back from the first row, each post
    lands on the latest date not after the previous post's that has its month and weekday (weekday
    1 = Sunday: the data begins on Wednesday 31 December 2014 and its December ends on Monday the
    1st). A post gets a day only when that walk stays consistent; otherwise published_at stays
    empty and a warning says why. Post ids are synthesised from the row's values (stable across
    re-delimited or translated copies)."""

    id = "facebook.uci_metrics"
    label = "UCI 'Facebook metrics' research dataset (Moro et al. 2016; English or Spanish header)"
    platform = "facebook"
    tables = ("posts",)

    def match(self, block: Block) -> float:
        return header_score(block, [set(UCI_ALIASES["month"]), set(UCI_ALIASES["weekday"]), set(UCI_ALIASES["hour"]),
                                    set(UCI_ALIASES["reach"]) | set(UCI_ALIASES["interactions"])],
                            optional=[a[0] for a in UCI_ALIASES.values()], forbidden=["Post ID"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        if df.empty:
            return {}
        cols = ctx.columns(df, UCI_ALIASES)
        n = {k: ctx.numbers(df, c) for k, c in cols.items() if k not in ("type",)}
        out = pd.DataFrame(index=df.index)
        out["post_id"] = _uci_ids(df, cols, n)
        if "type" in cols:
            out["post_type"] = post_types(df[cols["type"]])
        if "paid" in n:
            out["is_paid"] = (n["paid"] > 0).astype("boolean").where(n["paid"].notna())
        for canon, src in (("reach", "reach"), ("impressions", "impressions"), ("clicks", "consumptions"),
                           ("comments", "comments"), ("reactions", "reactions"), ("shares", "shares")):
            if src in n:
                out[canon] = n[src]
        if "interactions" in n:
            out["engagements"] = n["interactions"]  # = comment + like + share, as the dataset defines it
        else:
            out["engagements"] = total_of([n.get("comments"), n.get("reactions"), n.get("shares")])
        if all(k in n for k in ("month", "weekday", "hour")):
            local, reason = uci_days(n["month"], n["weekday"], n["hour"], UCI_YEAR)
            if reason:
                ctx.warn(f"publication days cannot be recovered ({reason}); published_at is left empty")
            else:
                ctx.warn(f"the dataset gives month, weekday and hour but no day or year: publication days were "
                         f"recovered from the row order for {UCI_YEAR}, the year the dataset documents, "
                         "and hours read as Pacific Time")
            out["published_at"] = V.to_utc(local.dt.tz_localize(PACIFIC, ambiguous="NaT", nonexistent="shift_forward"))
        else:
            ctx.warn("no Post Month/Weekday/Hour columns: published_at is left empty")
        return {"posts": ctx.finish(out, self.platform, account_of(ctx, self.platform))}


def _uci_ids(df: pd.DataFrame, cols: dict[str, str], n: dict[str, pd.Series]) -> pd.Series:
    parts = []
    for k in UCI_KEY:
        if k == "type" and k in cols:
            parts.append(df[cols[k]].astype("str").str.strip().str.casefold())
        elif k in n:
            parts.append(n[k].map(lambda x: "" if pd.isna(x) else format(x, ".15g")))
    joined = pd.concat(parts, axis=1).agg("|".join, axis=1) if parts else pd.Series("", index=df.index)
    digest = joined.map(lambda s: hashlib.sha1(s.encode()).hexdigest()[:12])
    repeat = digest.groupby(digest).cumcount()  # identical rows stay distinct posts
    return ("uci-" + digest + np.where(repeat > 0, "-" + (repeat + 1).astype(str), "")).astype("str")


def uci_days(month: pd.Series, weekday: pd.Series, hour: pd.Series, year: int) -> tuple[pd.Series, str | None]:
    """Recover naive publication times from rows in reverse chronological order (see UciFacebookMetrics).
    Returns (times, None) or (all-empty times, reason)."""
    empty = pd.Series(pd.NaT, index=month.index, dtype="datetime64[ns]")
    times = []
    prev: dt.date | None = None
    prev_hour = None
    for i, (m, w, h) in enumerate(zip(month, weekday, hour)):
        if pd.isna(m) or pd.isna(w) or pd.isna(h):
            times.append(pd.NaT)
            continue
        m, w, h = int(m), int(w), int(h)
        if not (1 <= m <= 12 and 1 <= w <= 7 and 0 <= h <= 23):
            return empty, f"row {month.index[i]} holds month {m}, weekday {w}, hour {h}"
        last_of_month = dt.date(year, 12, 31) if m == 12 else dt.date(year, m + 1, 1) - dt.timedelta(days=1)
        day = last_of_month if prev is None or prev > last_of_month else prev
        while day.isoweekday() % 7 + 1 != w or (day == prev and h > prev_hour):
            day -= dt.timedelta(days=1)
        if day.month != m:
            return empty, f"row {month.index[i]} (month {m}) does not follow the rows above in time; the rows were reordered"
        times.append(pd.Timestamp(day) + pd.Timedelta(hours=h))
        prev, prev_hour = day, h
    return pd.Series(times, index=month.index, dtype="datetime64[ns]"), None
