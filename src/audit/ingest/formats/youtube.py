"""YouTube Studio (Analytics → Advanced mode → Export → CSV): a zip holding a folder
`<Report> <start>_<end> <Channel>` with three CSVs, or the CSVs themselves.

- `Table data.csv`: one row per value of the chosen dimension, with `Total` as the 2nd row (dropped).
  By Content → posts (one row per video, lifetime totals over the report range); by Date →
  account_daily; by Traffic source, Geography, Cities, Viewer age, Viewer gender, Subscription
  status, Device type, … → audience (dimension `traffic_source`, `country`, `city`, `age`, `gender`,
  `subscription_status`, …): the share of views in each segment (the `Views (%)` column of
  demographic tables, else views ÷ the `Total` row) and the views as `count`. Age buckets carry an
  en dash (`13–17 years`); averages are `H:MM:SS`; the click-through rate is a percent number.
- `Chart data.csv`: long format, `Date`, the dimension column(s), one charted metric, one row per
  day and item. Per-item daily series have no table of their own: they go to account_daily with the
  segment in the metric name, `views[traffic_source=YouTube search]`, `views[content=<video id>]`, so
  they never mix with the channel's `views`.
- `Totals.csv`: `Date, <metric>` per day → account_daily (ISO dates; `DD-MM-YYYY` after an Excel re-save).

Metric names: Views → views (and video_views on posts), Watch time (hours) → watch_time_hours,
Subscribers (net) → followers_net (posts: follows), Subscribers gained/lost → followers_gained/lost,
Likes → reactions, Comments added → comments, Shares → shares, Impressions → impressions,
Unique viewers → unique_viewers, Average view duration → avg_view_duration_s, Impressions
click-through rate (%) → impressions_ctr (a fraction). YouTube gives no engagement total: a video's
`engagements` is likes + comments + shares when the export has any of them.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import values as V
from ..registry import Format, ParseContext, columns_for, register, text
from ..sniff import Block
from ._social import add_sum, daily_long, day_column, local_midnight, path_dates, series_days

PLATFORM = "youtube"
DATE_FORMATS = ("%Y-%m-%d", "%b %d, %Y")
PUBLISH_FORMATS = ("%b %d, %Y", "%d %b %Y", "%Y-%m-%d", "%m/%d/%Y")

DIMENSIONS = {  # first column of Table data (normalised) → canonical dimension
    "content": "content", "date": "date",
    "traffic source": "traffic_source", "traffic source type": "traffic_source",
    "geography": "country", "cities": "city",
    "viewer age": "age", "viewer gender": "gender", "subscription status": "subscription_status",
    "subscription source": "subscription_source", "device type": "device_type",
    "operating system": "operating_system", "playback location": "playback_location",
    "sharing service": "sharing_service", "subtitles and cc": "subtitles", "content type": "content_type",
    "new and returning viewers": "viewer_type", "youtube product": "youtube_product",
    "search term": "search_term", "youtube search term": "search_term", "external source": "external_source",
    "video audio language": "language", "audio track": "language",
}
# metric header → (canonical name, kind): kind "count" adds up, "rate" is a percent number, "duration" H:MM:SS
METRICS = {
    "views": ("views", "count"),
    "watch time (hours)": ("watch_time_hours", "count"),
    "subscribers": ("followers_net", "count"),
    "subscribers gained": ("followers_gained", "count"),
    "subscribers lost": ("followers_lost", "count"),
    "likes": ("reactions", "count"),
    "dislikes": ("dislikes", "count"),
    "comments added": ("comments", "count"),
    "comments": ("comments", "count"),
    "shares": ("shares", "count"),
    "impressions": ("impressions", "count"),
    "unique viewers": ("unique_viewers", "count"),
    "new viewers": ("new_viewers", "count"),
    "returning viewers": ("returning_viewers", "count"),
    "engaged views": ("engaged_views", "count"),
    "estimated revenue (usd)": ("estimated_revenue_usd", "count"),
    "your estimated revenue (usd)": ("estimated_revenue_usd", "count"),
    "average view duration": ("avg_view_duration_s", "duration"),
    "impressions click-through rate (%)": ("impressions_ctr", "rate"),
    "average percentage viewed (%)": ("avg_percentage_viewed", "rate"),
}
SHARE_COLUMNS = ("views (%)", "watch time (hours) (%)")
_FOLDER = re.compile(r"(\d{4}-\d{2}-\d{2})_(\d{4}-\d{2}-\d{2}) ([^/!]+)/[^/!]+$")


# Columns YouTube Studio never writes, but look-alike exports do (Search Console, web analytics).
FOREIGN = {"clicks", "ctr", "position", "sessions", "users", "reach", "active users"}


def _studio_like(block: Block) -> bool:
    """Studio CSVs have no preamble and none of the look-alikes' columns."""
    return not block.preamble and not (block.keyset & FOREIGN)


def _metric_keys(keys) -> list[str]:
    return [k for k in keys if k in METRICS or k in SHARE_COLUMNS]


def _first_row_total(block: Block) -> bool:
    head = block.head(2)
    return any(r and r[0].strip().casefold() == "total" for r in head)


def _context(ctx: ParseContext) -> tuple[str, pd.Timestamp | None]:
    """Channel and report end day from the folder name `<Report> <start>_<end> <Channel>`."""
    m = _FOLDER.search(ctx.source)
    channel = m.group(3).strip() if m else None
    days = path_dates(ctx.source)
    end = pd.Timestamp(max(days)) if days else None
    return ctx.account(channel, PLATFORM), end


def _drop_totals(ctx: ParseContext, df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series | None]:
    first = df.iloc[:, 0].astype("str").str.strip().str.casefold()
    total = first.eq("total")
    if total.any():
        ctx.drop(int(total.sum()), "Total row")
    return df[~total], (df[total].iloc[0] if total.any() else None)


def _metric_values(ctx: ParseContext, df: pd.DataFrame, col: str, kind: str) -> pd.Series:
    if kind == "duration":
        return V.duration_seconds(df[col].where(~V.blank(df[col]), ""))
    values = ctx.numbers(df, col)
    return values / 100.0 if kind == "rate" and not df[col].astype("str").str.contains("%").any() else values


def _daily_metrics(ctx: ParseContext, df: pd.DataFrame, columns) -> dict[str, pd.Series]:
    out = {}
    for col in columns:
        key = V.norm_header(col)
        if key in METRICS:
            name, kind = METRICS[key]
            out.setdefault(name, _metric_values(ctx, df, col, kind))
    return out


@register
class Table(Format):
    id = "youtube.table"
    label = "YouTube Studio Table data.csv (by Content, Date, Traffic source, Geography, age, gender, ...)"
    platform = PLATFORM
    tables = ("posts", "account_daily", "audience")
    row_cap = 500

    def match(self, block: Block) -> float:
        keys = block.keys
        if not keys or keys[0] not in DIMENSIONS or not _metric_keys(keys[1:]) or not _studio_like(block):
            return 0.0
        if keys[0] == "date" and not _first_row_total(block):
            return 0.0  # a daily series without a Total row: Totals.csv
        if keys[0] == "content" and "video title" not in keys:
            return 0.0
        known = len(_metric_keys(keys[1:])) / max(1, len(keys) - 1)
        return 1.2 + 0.5 * known + (0.3 if _first_row_total(block) else 0.0)

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df, total = _drop_totals(ctx, block.frame())
        dim = DIMENSIONS[block.keys[0]]
        account, end = _context(ctx)
        if dim == "content":
            return {"posts": ctx.finish(self._posts(ctx, df, end), PLATFORM, account)}
        if dim == "date":
            days = series_days(ctx, df, df.columns[0], DATE_FORMATS)
            out = daily_long(days, _daily_metrics(ctx, df, df.columns[1:]))
            return {"account_daily": ctx.finish(out, PLATFORM, account)}
        return {"audience": ctx.finish(self._audience(ctx, df, dim, total, end), PLATFORM, account)}

    @staticmethod
    def _posts(ctx: ParseContext, df: pd.DataFrame, end) -> pd.DataFrame:
        cols = columns_for(df, {"id": ("content",), "title": ("video title",),
                                "published": ("video publish time", "video publish date")})
        out = pd.DataFrame(index=df.index)
        out["post_id"] = V.clean_id(df[cols["id"]])
        out["text"] = text(df, cols.get("title"))
        out["permalink"] = "https://www.youtube.com/watch?v=" + out["post_id"]
        out["post_type"] = "video"
        if "published" in cols:
            day = day_column(ctx, df, cols["published"], PUBLISH_FORMATS)
            out["published_at"] = local_midnight(ctx, day, cols["published"])
        metrics = _daily_metrics(ctx, df, df.columns)
        for canon, post_col in (("views", "views"), ("views", "video_views"), ("impressions", "impressions"),
                                ("reactions", "reactions"), ("comments", "comments"), ("shares", "shares")):
            if canon in metrics:
                out[post_col] = metrics[canon]
        follows = metrics.get("followers_net", metrics.get("followers_gained"))
        if follows is not None:
            out["follows"] = follows.where(follows >= 0)  # a net loss says nothing about follows gained
        eng = add_sum([metrics.get(k) for k in ("reactions", "comments", "shares")])
        if eng is not None:
            out["engagements"] = eng
        if end is not None:
            out["exported_at"] = end.tz_localize("UTC")
        missing = out["post_id"].isna()
        if missing.any():
            ctx.drop(int(missing.sum()), "rows without a video id")
        return out[~missing]

    @staticmethod
    def _audience(ctx: ParseContext, df: pd.DataFrame, dim: str, total, end) -> pd.DataFrame:
        label = df.columns[0]
        names = columns_for(df, {"city": ("city name",), "views": ("views",), "share": SHARE_COLUMNS})
        if dim == "city" and "city" in names:
            label = names["city"]
        out = pd.DataFrame(index=df.index)
        out["dimension"] = dim
        out["segment"] = text(df, label)
        views = ctx.numbers(df, names["views"]) if "views" in names else None
        if "share" in names:
            out["share"] = ctx.numbers(df, names["share"]) / 100.0
        elif views is not None:
            base = V.to_number(pd.Series([total[names["views"]]])).iloc[0] if total is not None else views.sum()
            out["share"] = views / base if base and base > 0 else float("nan")
        if views is not None:
            out["count"] = views
        if dim == "age":
            band = out["segment"].str.replace("–", "-").str.extract(r"(\d+\s*-\s*\d+|\d+\+)")[0]
            out["age_band"] = band.str.replace(" ", "")
        if dim == "gender":
            g = out["segment"].str.casefold()
            out["gender"] = g.map({"female": "female", "male": "male"}).where(g.isin(["female", "male"]), "other")
            out.loc[out["segment"].isna(), "gender"] = pd.NA
        if end is not None:
            out["as_of"] = end
        return out[out["segment"].notna()]


@register
class Chart(Format):
    id = "youtube.chart"
    label = "YouTube Studio Chart data.csv (long format: Date, dimension, one metric)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        keys = block.keys
        if len(keys) < 3 or keys[0] != "date" or keys[-1] not in METRICS or not _studio_like(block):
            return 0.0
        if not any(k in DIMENSIONS and k != "date" for k in keys[1:-1]):
            return 0.0
        return 1.6

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        keys = [V.norm_header(c) for c in df.columns]
        dim_col = next(c for c, k in zip(df.columns[1:-1], keys[1:-1]) if k in DIMENSIONS)
        dim = DIMENSIONS[V.norm_header(dim_col)]
        metric_col = df.columns[-1]
        name, kind = METRICS[keys[-1]]
        account, _ = _context(ctx)
        days = series_days(ctx, df, df.columns[0], DATE_FORMATS)
        segment = V.clean_id(df[dim_col]) if dim == "content" else text(df, dim_col)
        out = pd.DataFrame({"date": days, "value": _metric_values(ctx, df, metric_col, kind)}, index=df.index)
        out["metric"] = f"{name}[{dim}=" + segment.fillna("(none)") + "]"
        out = out[out["value"].notna() & out["date"].notna()]
        return {"account_daily": ctx.finish(out, PLATFORM, account)}


@register
class Totals(Format):
    id = "youtube.totals"
    label = "YouTube Studio Totals.csv (Date and the charted metric, per day)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        keys = block.keys
        if len(keys) < 2 or keys[0] != "date" or not _studio_like(block) or _first_row_total(block):
            return 0.0
        if not all(k in METRICS for k in keys[1:]):
            return 0.0
        return 1.05 + 0.01 * len(keys)

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        account, _ = _context(ctx)
        days = series_days(ctx, df, df.columns[0], DATE_FORMATS)
        out = daily_long(days, _daily_metrics(ctx, df, df.columns[1:]))
        return {"account_daily": ctx.finish(out, PLATFORM, account)}

