"""LinkedIn company page exports (Page admin → Analytics → Export), .xlsx or .xls.

Three workbooks per export, `<vanity>_<content|followers|visitors>_<epoch-ms>.xls[x]`:
- content: sheet `Metrics` (one row per day; each metric as `(organic)`, `(sponsored)`, `(total)`)
  and sheet `All posts` (one row per post; older files say `Update title, Update link, …, Shares`).
  Both start with a description sentence in row 1 (the sniffer keeps it as preamble); dates are
  MM/DD/YYYY text. A boosted post appears several times in `All posts`: its organic row, one
  `Sponsored` row per campaign and a `Total` row: the post keeps its `Total` row;
- followers: sheet `New followers` (daily; "Total followers" there means *new* followers that
  day), then demographic sheets `Location`, `Job function`, `Seniority`, `Industry`, `Company size`
  (label, count);
- visitors: sheet `Visitor metrics` (`<Section> page views|unique visitors (<device>)` per day) and
  the same demographic sheets, counting page views.

Mapping choices: daily metrics keep LinkedIn's organic/sponsored split as `<metric>_organic` and
`<metric>_sponsored` next to the total `<metric>`; `Unique impressions` → `reach`; `Reposts`/`Shares`
→ `shares`; `engagements` = LinkedIn's engagement rate × impressions (its own count: clicks,
reactions, comments, reposts, follows and, on sponsored content, other actions), or the sum of
those actions when the rate is missing. Demographic sheets feed `audience` with the count and the
share among the listed segments; visitors' dimensions carry a `visitors_` prefix (`visitors_industry`)
so they are never mixed with followers'.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import values as V
from ..registry import Format, ParseContext, columns_for, header_score, register, text
from ..sniff import Block
from ._social import add_sum, daily_long, day_column, exported_at, local_midnight, slug

PLATFORM = "linkedin"
DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")
_VANITY = re.compile(r"([^/!]+?)_(?:content|followers|visitors|updates)(?:_\d{10,13})?\.xlsx?$", re.I)


def _account(ctx: ParseContext) -> str:
    """The page's vanity name from the file name (`leaf-space_content_1753863379800.xlsx`), if any."""
    m = _VANITY.search(ctx.source.split("!")[0])
    handle = m.group(1).split("__")[-1] if m else None
    return ctx.account(handle, PLATFORM)


# --- content: Metrics ---------------------------------------------------------------------------------------
METRIC_BASES = {  # header start → canonical metric
    "impressions": "impressions",
    "unique impressions": "reach",
    "clicks": "clicks",
    "reactions": "reactions",
    "comments": "comments",
    "reposts": "shares",
    "shares": "shares",
}
_SPLIT = re.compile(r"^(.*?)\s*\((organic|sponsored|total)\)$")


@register
class ContentMetrics(Format):
    id = "linkedin.content_metrics"
    label = "LinkedIn page content export, sheet Metrics (daily, organic/sponsored/total)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        return header_score(block, ["date", {"impressions (organic)", "impressions (total)"},
                                    {"clicks (organic)", "clicks (total)", "reactions (total)"}],
                            optional=["unique impressions (organic)", "reactions (organic)", "comments (total)",
                                      "reposts (total)", "shares (total)", "engagement rate (total)"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        date_col = columns_for(df, {"date": ("date",)})["date"]
        days = day_column(ctx, df, date_col, DATE_FORMATS)
        metrics: dict[str, pd.Series] = {}
        rates: dict[str, pd.Series] = {}
        for col in df.columns:
            m = _SPLIT.match(V.norm_header(col))
            if not m:
                continue
            base, split = m.groups()
            name = "engagement_rate" if base == "engagement rate" else METRIC_BASES.get(base)
            if name is None:
                continue
            key = name if split == "total" else f"{name}_{split}"
            target = rates if name == "engagement_rate" else metrics
            target.setdefault(key, ctx.numbers(df, col))
        for suffix in ("", "_organic", "_sponsored"):
            rate, imps = rates.get(f"engagement_rate{suffix}"), metrics.get(f"impressions{suffix}")
            if rate is not None and imps is not None:
                metrics[f"engagements{suffix}"] = (rate * imps).round()
        out = daily_long(days, metrics)
        return {"account_daily": ctx.finish(out, PLATFORM, _account(ctx))}


# --- content: All posts --------------------------------------------------------------------------------------
POST_ALIASES = {
    "title": ("post title", "update title"),
    "link": ("post link", "update link"),
    "type": ("post type", "update type"),
    "created": ("created date", "date created"),
    "impressions": ("impressions",),
    "views": ("views", "video views"),
    "clicks": ("clicks",),
    "reactions": ("likes", "reactions"),
    "comments": ("comments",),
    "shares": ("reposts", "shares"),
    "follows": ("follows",),
    "engagement_rate": ("engagement rate",),
    "content_type": ("content type",),
}
POST_TYPES = {"video": "video", "image": "photo", "photo": "photo", "article": "link", "link": "link",
              "document": "document", "text": "text", "carousel": "carousel", "multi-image": "carousel",
              "poll": "other", "event": "other", "newsletter": "link"}
COUNTS = ("impressions", "views", "clicks", "reactions", "comments", "shares", "follows", "engagements")


@register
class ContentPosts(Format):
    id = "linkedin.content_posts"
    label = "LinkedIn page content export, sheet All posts (one row per post; also the older Update layout)"
    platform = PLATFORM
    tables = ("posts",)

    def match(self, block: Block) -> float:
        return header_score(block, [{"post title", "update title"}, {"post link", "update link"}, "impressions"],
                            optional=["post type", "update type", "created date", "posted by", "clicks", "likes",
                                      "comments", "reposts", "shares", "engagement rate", "content type"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, POST_ALIASES)
        link = text(df, cols["link"])
        out = pd.DataFrame(index=df.index)
        out["post_id"] = link.str.extract(r"(urn:li:[A-Za-z]+:\d+)")[0].fillna(link)
        out["text"] = text(df, cols.get("title"))
        out["permalink"] = link
        if "created" in cols:
            out["published_at"] = local_midnight(ctx, day_column(ctx, df, cols["created"], DATE_FORMATS), cols["created"])
        if "content_type" in cols:
            out["post_type"] = text(df, cols["content_type"]).str.casefold().map(POST_TYPES)
        for name in ("impressions", "views", "clicks", "reactions", "comments", "shares", "follows"):
            if name in cols:
                out[name] = ctx.numbers(df, cols[name])
        out["engagements"] = self._engagements(ctx, df, cols, out)
        kind = text(df, cols.get("type")).str.casefold().fillna("organic")
        out = self._one_row_per_post(ctx, out, kind)
        if "views" in out:
            out["video_views"] = out["views"]
        out["exported_at"] = exported_at(ctx.source)
        missing = out["post_id"].isna()
        if missing.any():
            ctx.drop(int(missing.sum()), "rows without a post link")
            out = out[~missing]
        return {"posts": ctx.finish(out, PLATFORM, _account(ctx))}

    @staticmethod
    def _engagements(ctx, df, cols, out) -> pd.Series:
        """LinkedIn's own count (rate × impressions); the sum of the actions where the rate is missing."""
        summed = add_sum([out.get(c) for c in ("clicks", "reactions", "comments", "shares", "follows")])
        if summed is None:
            summed = pd.Series(float("nan"), index=df.index)
        if "engagement_rate" in cols and "impressions" in out:
            from_rate = (ctx.numbers(df, cols["engagement_rate"]) * out["impressions"]).round()
            return from_rate.where(from_rate.notna(), summed)
        return summed

    @staticmethod
    def _one_row_per_post(ctx, out: pd.DataFrame, kind: pd.Series) -> pd.DataFrame:
        """Boosted posts: keep the `Total` row; several rows without one are added up."""
        ids = out["post_id"]
        paid = kind.eq("sponsored").groupby(ids).transform("any") | kind.eq("total")
        with_total = set(ids[kind.eq("total")])
        keep = kind.eq("total") | ~ids.isin(with_total)
        if (~keep).any():
            ctx.drop(int((~keep).sum()), "organic and per-campaign rows of boosted posts (their Total row is kept)")
        out = out[keep].assign(is_paid=paid[keep].astype("boolean"))
        if out["post_id"].duplicated().any():
            counts = [c for c in COUNTS if c in out]
            first = out.groupby("post_id", sort=False).head(1).set_index("post_id")
            sums = out.groupby("post_id", sort=False)[counts].sum(min_count=1)
            merged = first.drop(columns=counts).join(sums).reset_index()
            merged.index = out.groupby("post_id", sort=False).head(1).index
            ctx.drop(len(out) - len(merged), "extra rows of posts listed several times without a Total row (added up)")
            out = merged
        return out


# --- followers and visitors: daily sheets ---------------------------------------------------------------
FOLLOWER_COLUMNS = {
    "followers_gained": ("total followers", "new followers"),
    "followers_gained_organic": ("organic followers",),
    "followers_gained_sponsored": ("sponsored followers", "paid followers"),
    "followers_gained_auto_invited": ("auto-invited followers",),
}


@register
class NewFollowers(Format):
    id = "linkedin.followers_daily"
    label = "LinkedIn page followers export, sheet New followers (daily)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        return header_score(block, ["date", "organic followers", {"sponsored followers", "total followers"}],
                            optional=["sponsored followers", "auto-invited followers", "total followers"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, {"date": ("date",), **FOLLOWER_COLUMNS})
        days = day_column(ctx, df, cols["date"], DATE_FORMATS)
        metrics = {k: ctx.numbers(df, cols[k]) for k in FOLLOWER_COLUMNS if k in cols}
        return {"account_daily": ctx.finish(daily_long(days, metrics), PLATFORM, _account(ctx))}


_VISITS = re.compile(r"^(.*?)\s*(page views|unique visitors)\s*(?:\((desktop|mobile|mobile devices|total)\))?$")


@register
class VisitorMetrics(Format):
    id = "linkedin.visitors_daily"
    label = "LinkedIn page visitors export, sheet Visitor metrics (daily page views and unique visitors)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        keys = block.keyset
        if "date" not in keys or not any(_VISITS.match(k) and k.split()[0] in ("total", "overview") for k in keys):
            return 0.0
        return header_score(block, ["date"], optional=["total page views (total)", "total unique visitors (total)",
                                                       "overview page views (total)", "life page views (total)",
                                                       "jobs page views (total)"]) + 0.5

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        date_col = columns_for(df, {"date": ("date",)})["date"]
        days = day_column(ctx, df, date_col, DATE_FORMATS)
        metrics: dict[str, pd.Series] = {}
        for col in df.columns:
            key = V.norm_header(col)
            m = _VISITS.match(key)
            if m:
                section, kind, device = m.groups()
                name = slug(kind)
                if section and section != "total":
                    name += f"_{slug(section)}"
                if device and device != "total":
                    name += "_desktop" if device == "desktop" else "_mobile"
                metrics.setdefault(name, ctx.numbers(df, col))
            elif "button clicks" in key:
                metrics.setdefault("button_clicks", ctx.numbers(df, col))
        return {"account_daily": ctx.finish(daily_long(days, metrics), PLATFORM, _account(ctx))}


# --- demographic sheets -------------------------------------------------------------------------------------
DEMOGRAPHICS = {"location": "location", "job function": "job_function", "seniority": "seniority",
                "industry": "industry", "company size": "company_size", "country/region": "country",
                "country": "country"}


@register
class Demographics(Format):
    id = "linkedin.demographics"
    label = "LinkedIn page followers/visitors export, demographic sheets (Location, Job function, Seniority, ...)"
    platform = PLATFORM
    tables = ("audience",)

    def match(self, block: Block) -> float:
        keys = block.keys
        if len(keys) < 2 or keys[0] not in DEMOGRAPHICS or not re.search(r"follower|view|visitor", keys[1]):
            return 0.0
        return 1.5

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        label_col, count_col = df.columns[0], df.columns[1]
        visitors = "follower" not in V.norm_header(count_col) and (
            re.search(r"view|visitor", V.norm_header(count_col)) or "visitor" in ctx.source.casefold())
        dimension = ("visitors_" if visitors else "") + DEMOGRAPHICS[V.norm_header(label_col)]
        out = pd.DataFrame(index=df.index)
        out["segment"] = text(df, label_col)
        out["count"] = ctx.numbers(df, count_col)
        out = out[out["segment"].notna()]
        total = out["count"].sum(min_count=1)
        out["share"] = out["count"] / total if total and total > 0 else float("nan")
        out["dimension"] = dimension
        when = exported_at(ctx.source)
        out["as_of"] = V.to_day(pd.Series(when, index=out.index)) if when is not None else pd.NaT
        return {"audience": ctx.finish(out, PLATFORM, _account(ctx))}
