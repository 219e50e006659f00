"""The canonical tables: the contract between loaders and everything downstream.

Declared once here (pandera), checked at ingest, and rendered into docs/tables.md.
Conventions:
- every row carries `platform`, `account` (the brand's or a competitor's name from audit.yml)
  and `source_file` (path relative to the client folder, with `!member` for zip members and
  sheets); `source_row` is the 1-based row in that file, for error messages;
- event times (`*_at`) are time-zone aware, stored in UTC; `date`, `period_start` and
  `period_end` are calendar days (naive, midnight) in the account's reporting time zone;
- IDs are strings; counts and money are float64 (NaN = the export did not give it);
- rates are fractions in [0, 1] (never percent numbers).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from .errors import DataError

UTC_TS = pd.DatetimeTZDtype(unit="ns", tz="UTC")
DAY = "datetime64[ns]"


@dataclass(frozen=True)
class Check:
    """A pandera check by its pandera name and arguments (`pandera.pandas.Check.<name>(**statistics)`):
    pandera is imported only when a table is validated by it (about 9 MB and 0.3 s)."""
    name: str
    args: tuple = ()

    @property
    def statistics(self) -> dict:
        return dict(self.args)

    @staticmethod
    def ge(value) -> "Check":
        return Check("greater_than_or_equal_to", (("min_value", value),))

    @staticmethod
    def in_range(low, high) -> "Check":
        return Check("in_range", (("min_value", low), ("max_value", high), ("include_min", True),
                                  ("include_max", True)))


@dataclass(frozen=True)
class Col:
    name: str
    dtype: object
    doc: str
    required: bool = False  # must be present and non-null in every row
    checks: tuple = ()


def _num(name: str, doc: str, *, nonneg: bool = True) -> Col:
    return Col(name, "float64", doc, checks=(Check.ge(0),) if nonneg else ())


def _rate(name: str, doc: str) -> Col:
    return Col(name, "float64", doc, checks=(Check.in_range(0, 1),))


def _text(name: str, doc: str, required: bool = False) -> Col:
    return Col(name, "str", doc, required=required)


COMMON = (
    _text("platform", "platform or tool the row comes from (facebook, instagram, x, linkedin, youtube, tiktok, ga4, ...)", True),
    _text("account", "the brand's or a competitor's name, as written in audit.yml", True),
    _text("source_file", "the export it was read from, relative to the client folder", True),
    Col("source_row", "Int64", "1-based row in the source file (for error messages)"),
)

TABLES: dict[str, tuple[str, tuple[Col, ...]]] = {
    "posts": ("One row per post/video, lifetime totals as of the export date", (
        _text("post_id", "the platform's post id (string)", True),
        Col("published_at", UTC_TS, "publication time (UTC)"),
        _text("post_type", "photo, video, reel, link, status, carousel, story, text, document, other"),
        _text("text", "caption or post text"),
        _text("permalink", "link to the post"),
        Col("is_paid", "boolean", "True when the post was promoted"),
        _num("impressions", "times the post was shown"),
        _num("reach", "unique accounts reached"),
        _num("views", "views as the platform defines them (Meta 'Views', video views elsewhere)"),
        _num("engagements", "total interactions as the platform counts them"),
        _num("reactions", "likes/reactions"),
        _num("comments", "comments/replies"),
        _num("shares", "shares/reposts/retweets"),
        _num("saves", "saves/bookmarks/favourites"),
        _num("clicks", "all clicks"),
        _num("link_clicks", "clicks on a link to outside the platform"),
        _num("video_views", "video plays/views"),
        _num("follows", "follows gained from the post"),
        Col("exported_at", UTC_TS, "when the export was made, when known (newest wins on overlap)"),
    )),
    "account_daily": ("One row per account, day and metric (long format)", (
        Col("date", DAY, "calendar day", required=True),
        _text("metric", "followers (running total), followers_gained, followers_lost, impressions, reach, views, "
                        "engagements, reactions, comments, shares, profile_visits, page_views, link_clicks, "
                        "video_views, watch_time_hours, posts_published, ...", True),
        _num("value", "the day's value", nonneg=False),
    )),
    "audience": ("Audience composition per channel (shares of followers or viewers)", (
        _text("dimension", "age_gender, age, gender, country, city, language, job_function, seniority, industry, ...", True),
        _text("segment", "the segment label as exported (e.g. '25-34 women', 'FR', 'Paris')", True),
        _text("age_band", "normalised age band such as '25-34' (age dimensions)"),
        _text("gender", "female, male or other (gender dimensions)"),
        _rate("share", "share of the audience in this segment"),
        _num("count", "people in the segment, when given as a count"),
        Col("as_of", DAY, "last day the composition refers to, when known"),
    )),
    "mentions": ("One row per mention found by a listening tool", (
        _text("mention_id", "the tool's id, or a stable hash of url+date+text"),
        Col("published_at", UTC_TS, "when it was published (UTC)", required=True),
        _text("author", "author name or handle"),
        _num("author_followers", "followers of the author"),
        _num("influence", "the tool's influence score"),
        _num("reach", "estimated reach"),
        _num("engagement", "likes + comments + shares on the mention"),
        _text("text", "mention text"),
        _text("title", "title (articles)"),
        _text("url", "link"),
        _text("source", "domain or source category (news, blogs, forums...)"),
        _text("sentiment", "positive, neutral or negative"),
        _text("language", "language code"),
        _text("country", "country"),
    )),
    "web_traffic": ("Web analytics sessions by a traffic dimension (whole range or per day)", (
        Col("period_start", DAY, "first day of the range"),
        Col("period_end", DAY, "last day of the range"),
        Col("date", DAY, "the day, for daily rows"),
        _text("dimension", "channel_group, source_medium, source, medium, campaign, date, ...", True),
        _text("value", "the dimension value (e.g. 'Organic Social')"),
        _num("sessions", "sessions"),
        _num("engaged_sessions", "engaged sessions (GA4)"),
        _num("users", "active users / users"),
        _num("new_users", "new users"),
        _num("views", "page views"),
        _num("engagement_time_s", "average engagement time (or session duration) per session, seconds"),
        _rate("bounce_rate", "bounce rate"),
        _num("key_events", "key events / conversions / goal completions"),
        _num("transactions", "purchases / transactions"),
        _num("revenue", "revenue, in the property's currency"),
    )),
    "web_pages": ("Web analytics by page or landing page", (
        Col("period_start", DAY, "first day of the range"),
        Col("period_end", DAY, "last day of the range"),
        _text("page_kind", "landing (landing page report) or page (pages and screens)", True),
        _text("page", "page path", True),
        _text("title", "page title, when exported"),
        _num("views", "views"),
        _num("sessions", "sessions (landing pages)"),
        _num("users", "active users"),
        _num("new_users", "new users"),
        _num("engagement_time_s", "average engagement time, seconds"),
        _num("key_events", "key events / conversions"),
        _num("revenue", "revenue"),
    )),
    "search": ("Search Console performance, by query, page, country, device or day", (
        Col("period_start", DAY, "first day of the range"),
        Col("period_end", DAY, "last day of the range"),
        Col("date", DAY, "the day, for daily rows"),
        _text("dimension", "query, page, country, device, date or search_appearance", True),
        _text("value", "the dimension value"),
        _num("clicks", "clicks"),
        _num("impressions", "impressions"),
        _rate("ctr", "click-through rate as a fraction"),
        _num("position", "average position"),
    )),
    "ads": ("One row per campaign/ad set/ad and reporting range (or day)", (
        Col("period_start", DAY, "first day of the reporting range"),
        Col("period_end", DAY, "last day of the reporting range"),
        _text("level", "campaign, adset, ad, keyword or search_term"),
        _text("campaign_id", "campaign id"),
        _text("campaign", "campaign name"),
        _text("adset_id", "ad set / ad group id"),
        _text("adset", "ad set / ad group name"),
        _text("ad_id", "ad id"),
        _text("ad", "ad name"),
        _text("objective", "normalised objective: awareness, traffic, engagement, leads, sales, app, video, other"),
        _text("objective_raw", "objective / result type / campaign type as exported"),
        _text("status", "delivery status"),
        _text("currency", "currency code"),
        _num("spend", "amount spent"),
        _num("impressions", "impressions"),
        _num("reach", "reach"),
        _num("clicks", "clicks (all)"),
        _num("link_clicks", "link clicks"),
        _num("engagements", "post engagements / interactions"),
        _num("video_views", "video views"),
        _num("results", "results of the campaign's result type (never add across types)"),
        _text("result_type", "what `results` counts"),
        _num("conversions", "conversions / purchases"),
        _num("conversion_value", "conversion value / purchase value"),
    )),
    "inbox": ("Customer-service messages and comments handled by the team", (
        _text("message_id", "message id", True),
        _text("kind", "message, comment, mention, review_reply, email"),
        Col("received_at", UTC_TS, "when it arrived (UTC)", required=True),
        Col("first_response_at", UTC_TS, "first answer by the brand (UTC); empty = unanswered"),
        Col("resolved_at", UTC_TS, "when it was closed (UTC)"),
        _text("author", "customer name or handle"),
        _text("text", "message text"),
        Col("is_question", "boolean", "the message asks something"),
        Col("is_complaint", "boolean", "the message complains"),
        _text("topic", "topic/tag given by the inbox tool"),
        _text("sentiment", "positive, neutral or negative"),
    )),
    "reviews": ("Customer reviews (Google, Trustpilot, Facebook recommendations...)", (
        _text("review_id", "review id", True),
        Col("published_at", UTC_TS, "when it was written (UTC)", required=True),
        Col("rating", "float64", "stars, 1 to 5", checks=(Check.in_range(1, 5),)),
        _text("title", "review title"),
        _text("text", "review text"),
        _text("author", "author"),
        Col("replied_at", UTC_TS, "when the brand replied (UTC)"),
        _text("reply", "the brand's reply"),
    )),
    "surveys": ("Customer survey answers (NPS, CSAT, channels used)", (
        _text("response_id", "response id", True),
        Col("submitted_at", UTC_TS, "when it was answered (UTC)"),
        Col("nps", "float64", "likelihood to recommend, 0 to 10", checks=(Check.in_range(0, 10),)),
        Col("csat", "float64", "satisfaction, 1 to 5", checks=(Check.in_range(1, 5),)),
        _text("channels", "social channels the customer uses, ';'-separated canonical platform names"),
        _text("comment", "free-text answer"),
    )),
}

TABLE_NAMES = tuple(TABLES)
KEYS = {  # identity of a row, for de-duplicating overlapping exports
    "posts": ("platform", "account", "post_id"),
    "account_daily": ("platform", "account", "date", "metric"),
    "mentions": ("account", "mention_id"),
    "inbox": ("platform", "account", "message_id"),
    "reviews": ("platform", "account", "review_id"),
    "surveys": ("account", "response_id"),
}
SENTIMENTS = ("positive", "neutral", "negative")


def columns(table: str) -> tuple[Col, ...]:
    return COMMON + TABLES[table][1]


def column_names(table: str) -> list[str]:
    return [c.name for c in columns(table)]


@functools.cache
def schema(table: str):
    """The table's pandera schema (pandera.pandas.DataFrameSchema), built when first needed."""
    import pandera.pandas as pa
    cols = {
        c.name: pa.Column(c.dtype, checks=[getattr(pa.Check, k.name)(**k.statistics) for k in c.checks],
                          nullable=not c.required, required=True, coerce=True)
        for c in columns(table)
    }
    return pa.DataFrameSchema(cols, strict=True, name=table)


_EMPTY: dict[str, pd.DataFrame] = {}


def empty(table: str) -> pd.DataFrame:
    # validated once per table (pandera takes ~0.1 s even on no rows); callers get a copy
    if table not in _EMPTY:
        _EMPTY[table] = conform(table, pd.DataFrame())
    return _EMPTY[table].copy()


def conform(table: str, df: pd.DataFrame, source_file: str | None = None) -> pd.DataFrame:
    """Add missing optional columns, order them, coerce types and validate.

    Raises DataError naming the first failing row (from `source_row`) and column."""
    if table not in TABLES:
        raise KeyError(f"unknown canonical table {table!r}")
    out = df.copy()
    for c in columns(table):
        if c.name not in out.columns:
            out[c.name] = pd.Series(index=out.index, dtype=c.dtype)
    out = out[column_names(table)].reset_index(drop=True)
    from pandera.errors import SchemaErrors
    try:
        return schema(table).validate(out, lazy=True)
    except SchemaErrors as e:
        raise _to_data_error(table, out, e, source_file) from None


def _to_data_error(table: str, df: pd.DataFrame, err, source_file: str | None) -> DataError:
    fc = err.failure_cases
    first = fc.iloc[0]
    col = first.get("column")
    idx = first.get("index")
    row = None
    src = source_file
    if idx is not None and pd.notna(idx) and int(idx) in df.index:
        r = df.loc[int(idx)]
        row = int(r["source_row"]) if pd.notna(r.get("source_row")) else None
        src = src or (r.get("source_file") if isinstance(r.get("source_file"), str) else None)
    check = str(first.get("check"))
    value = first.get("failure_case")
    value = value.item() if hasattr(value, "item") else value
    n = len(fc)
    more = f" ({n - 1} more problem{'s' if n > 2 else ''} of this kind)" if n > 1 else ""
    return DataError(f"{table}.{col}: value {value!r} fails {check}{more}", src, row, None if col is None else str(col))
