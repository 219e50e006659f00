"""X / Twitter analytics exports.

Legacy analytics.twitter.com (about 2014 to mid-2024):
- per tweet (`tweet_activity_metrics_<handle>_<start>_<end>_<lang>.csv`): every field quoted, counts
  written as floats ("89.0"), `favorites` instead of `likes` before late 2015, and 20 `promoted …`
  columns holding "-" when the tweet was not promoted. The plain columns count organic activity
  only, so a post's lifetime totals are organic + promoted;
- per day (`daily_tweet_activity_metrics_…`): the same metrics per calendar day plus `Tweets published`.

New X analytics (2024+):
- content (`account_analytics_content_<start>_<end>.csv`): `Post id, Date, Post text, Link, …`,
  header spelling drifts (`Post Link`/`Link`, `Shares`/`Share`, `URL Clicks`/`Url clicks`). `Date`
  (`Mon Feb 17 2025`) has no time of day; it is recovered from the post id, a snowflake whose top
  bits are the creation time: (id >> 22) + 1288834974657 ms;
- overview (`account_overview_analytics.csv`): one row per day, newest first, `"Tue, Aug 26, 2025"`.

Mapping choices: `shares` = retweets/reposts (public, comparable with competitors); the new
export's `Share(s)` (sent by DM or copied link) becomes the daily metric `private_shares` and is not
a post column; `saves` = bookmarks; `link_clicks` = URL clicks; `engagements` = X's own count.
"""
from __future__ import annotations

import re

import pandas as pd

from ...errors import DataError
from .. import values as V
from ..registry import Format, ParseContext, columns_for, header_score, register, text
from ..sniff import Block
from ._social import add_sum, daily_long, day_column, exported_at, numbers, snowflake_time, time_column

PLATFORM = "x"
_HANDLE = re.compile(r"(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/status/", re.I)

# legacy metric columns (the promoted twin is "promoted " + the same name)
LEGACY_METRICS = {
    "impressions": ("impressions",),
    "engagements": ("engagements",),
    "shares": ("retweets",),
    "comments": ("replies",),
    "reactions": ("likes", "favorites"),
    "link_clicks": ("url clicks",),
    "profile_visits": ("user profile clicks",),
    "follows": ("follows",),
    "media_views": ("media views",),
    "media_engagements": ("media engagements",),
}
LEGACY_POST_COLUMNS = ("impressions", "engagements", "shares", "comments", "reactions", "link_clicks", "follows")


def _legacy_aliases() -> dict[str, tuple[str, ...]]:
    out = dict(LEGACY_METRICS)
    out.update({f"promoted {k}": tuple(f"promoted {a}" for a in v) for k, v in LEGACY_METRICS.items()})
    return out


def _organic_plus_promoted(ctx: ParseContext, df: pd.DataFrame, cols: dict[str, str], name: str) -> pd.Series | None:
    organic = ctx.numbers(df, cols[name]) if name in cols else None
    promoted = ctx.numbers(df, cols[f"promoted {name}"]) if f"promoted {name}" in cols else None
    return add_sum([organic, promoted])


_FILE_HANDLE = re.compile(r"tweet_activity_metrics_([A-Za-z0-9_]{1,15})_\d{8}_\d{8}")


def _handle(links: pd.Series | None, source: str = "") -> str | None:
    """The account's @handle: the most common one in the permalinks, else the one in the file name."""
    if links is not None:
        found = links.dropna().astype("str").str.extract(_HANDLE)[0].dropna()
        if len(found):
            return found.mode().iloc[0]
    m = _FILE_HANDLE.search(source)
    return m.group(1) if m else None


def _ids(ctx: ParseContext, df: pd.DataFrame, id_col: str | None, link_col: str | None) -> pd.Series:
    """Post ids as strings; ids Excel turned into 1.2E+18 are rebuilt from the permalink when there is one."""
    ids = V.clean_id(df[id_col]) if id_col else pd.Series(pd.NA, index=df.index, dtype="str")
    from_link = df[link_col].astype("str").str.extract(r"/status(?:es)?/(\d+)")[0] if link_col else None
    lost = V.scientific_ids(df[id_col]) if id_col else pd.Series(False, index=df.index)
    if lost.any():
        if from_link is None or from_link[lost].isna().any():
            i = lost[lost].index[0]
            raise DataError(f"{int(lost.sum())} post id(s) such as {df[id_col].loc[i]!r} were turned into scientific "
                            "notation by a spreadsheet and cannot be recovered; please use the original export",
                            ctx.source, int(i), id_col)
        ids = ids.where(~lost, from_link)
        ctx.warn(f"column {id_col!r}: {int(lost.sum())} id(s) in scientific notation were rebuilt from the permalinks")
    if from_link is not None:
        ids = ids.fillna(from_link)
    missing = ids.isna()
    if missing.any():
        i = missing[missing].index[0]
        raise DataError("a post has no id", ctx.source, int(i), id_col or link_col)
    return ids


@register
class LegacyTweets(Format):
    id = "x.legacy_tweets"
    label = "Twitter analytics per-tweet export (tweet_activity_metrics, 2014-2024)"
    platform = PLATFORM
    tables = ("posts",)

    def match(self, block: Block) -> float:
        return header_score(block, ["tweet id", "tweet permalink", "time", "impressions", "engagements"],
                            optional=["tweet text", "retweets", "replies", "likes", "favorites", "promoted impressions"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, {**_legacy_aliases(), "id": ("tweet id",), "link": ("tweet permalink",),
                                "text": ("tweet text",), "time": ("time",)})
        out = pd.DataFrame(index=df.index)
        out["post_id"] = _ids(ctx, df, cols.get("id"), cols.get("link"))
        out["published_at"] = time_column(ctx, df, cols["time"], ("%Y-%m-%d %H:%M %z",))
        out["text"] = text(df, cols.get("text"))
        out["permalink"] = text(df, cols.get("link"))
        for name in LEGACY_POST_COLUMNS:
            total = _organic_plus_promoted(ctx, df, cols, name)
            if total is not None:
                out[name] = total
        if "promoted impressions" in cols:
            out["is_paid"] = (ctx.numbers(df, cols["promoted impressions"]).fillna(0) > 0).astype("boolean")
        out["exported_at"] = exported_at(ctx.source)
        handle = _handle(out["permalink"], ctx.source)
        return {"posts": ctx.finish(out, PLATFORM, ctx.account(handle, PLATFORM))}


@register
class LegacyDaily(Format):
    id = "x.legacy_daily"
    label = "Twitter analytics per-day export (daily_tweet_activity_metrics, 2014-2024)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        return header_score(block, ["date", "tweets published", "impressions", "engagements"],
                            optional=["retweets", "replies", "likes", "favorites", "url clicks", "promoted impressions"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, {**_legacy_aliases(), "date": ("date",), "posts_published": ("tweets published",)})
        days = day_column(ctx, df, cols["date"], ("%Y-%m-%d",))
        metrics = {"posts_published": ctx.numbers(df, cols["posts_published"])}
        for name in LEGACY_METRICS:
            total = _organic_plus_promoted(ctx, df, cols, name)
            if total is not None:
                metrics[name] = total
        out = daily_long(days, metrics)
        return {"account_daily": ctx.finish(out, PLATFORM, ctx.account(_handle(None, ctx.source), PLATFORM))}


CONTENT_ALIASES = {
    "id": ("post id",),
    "date": ("date",),
    "text": ("post text",),
    "link": ("post link", "link"),
    "impressions": ("impressions",),
    "reactions": ("likes",),
    "engagements": ("engagements",),
    "saves": ("bookmarks",),
    "private_shares": ("shares", "share"),
    "follows": ("new follows",),
    "comments": ("replies",),
    "shares": ("reposts",),
    "profile_visits": ("profile visits",),
    "detail_expands": ("detail expands",),
    "link_clicks": ("url clicks",),
    "hashtag_clicks": ("hashtag clicks",),
    "permalink_clicks": ("permalink clicks",),
}
NEW_DATE_FORMATS = ("%a %b %d %Y", "%a, %b %d, %Y", "%b %d, %Y", "%Y-%m-%d")


@register
class Content(Format):
    id = "x.content"
    label = "X analytics content export (account_analytics_content, 2024+)"
    platform = PLATFORM
    tables = ("posts",)

    def match(self, block: Block) -> float:
        return header_score(block, ["post id", "date", "impressions", {"post text", "post link", "link"}],
                            optional=["post text", "likes", "engagements", "bookmarks", "reposts", "replies",
                                      "new follows", "profile visits", "url clicks"],
                            forbidden=["tweet id", "post type", "reach"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, CONTENT_ALIASES)
        out = pd.DataFrame(index=df.index)
        out["post_id"] = _ids(ctx, df, cols["id"], cols.get("link"))
        out["published_at"] = self._published(ctx, df, cols, out["post_id"])
        out["text"] = text(df, cols.get("text"))
        out["permalink"] = text(df, cols.get("link"))
        for name in ("impressions", "engagements", "reactions", "comments", "shares", "saves", "link_clicks",
                     "follows"):
            if name in cols:
                out[name] = ctx.numbers(df, cols[name])
        out["exported_at"] = exported_at(ctx.source)
        handle = _handle(out["permalink"])
        return {"posts": ctx.finish(out, PLATFORM, ctx.account(handle, PLATFORM))}

    @staticmethod
    def _published(ctx: ParseContext, df: pd.DataFrame, cols: dict[str, str], ids: pd.Series) -> pd.Series:
        """The snowflake time where it agrees with the exported day (± the world's time zones);
        otherwise the exported day at midnight in the audit time zone."""
        day = day_column(ctx, df, cols["date"], NEW_DATE_FORMATS)
        flake = snowflake_time(ids)
        start = day.dt.tz_localize("UTC")
        agrees = flake.notna() & (flake >= start - pd.Timedelta(days=1)) & (flake < start + pd.Timedelta(days=2))
        fallback = ~agrees & day.notna()
        if fallback.any():
            ctx.warn(f"{int(fallback.sum())} post(s) have ids that do not encode their date; they are placed at "
                     f"midnight ({ctx.tz}) of the exported day, their time of day is unknown")
        local = V.to_utc(day.dt.tz_localize(ctx.tz, ambiguous="NaT", nonexistent="shift_forward"))
        return flake.where(agrees, local)


OVERVIEW_ALIASES = {
    "date": ("date",),
    "impressions": ("impressions",),
    "reactions": ("likes",),
    "engagements": ("engagements",),
    "saves": ("bookmarks",),
    "private_shares": ("shares", "share"),
    "followers_gained": ("new follows",),
    "followers_lost": ("unfollows",),
    "comments": ("replies",),
    "shares": ("reposts",),
    "profile_visits": ("profile visits",),
    "posts_published": ("create post", "create posts", "posts created"),
    "video_views": ("video views",),
    "media_views": ("media views",),
}


@register
class Overview(Format):
    id = "x.overview"
    label = "X analytics account overview, one row per day (account_overview_analytics, 2024+)"
    platform = PLATFORM
    tables = ("account_daily",)

    def match(self, block: Block) -> float:
        return header_score(block, ["date", "impressions", "new follows", {"unfollows", "bookmarks", "reposts"}],
                            optional=["likes", "engagements", "bookmarks", "unfollows", "replies", "reposts",
                                      "profile visits", "create post", "video views", "media views"],
                            forbidden=["post id", "tweets published"])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, OVERVIEW_ALIASES)
        days = day_column(ctx, df, cols["date"], NEW_DATE_FORMATS)
        metrics = numbers(ctx, df, cols, [k for k in OVERVIEW_ALIASES if k != "date"])
        out = daily_long(days, metrics)
        return {"account_daily": ctx.finish(out, PLATFORM, ctx.account(None, PLATFORM))}
