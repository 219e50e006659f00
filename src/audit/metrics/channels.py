"""Channel inventory: followers, posting, engagement, exposure, clicks and what works.

Every function takes canonical tables (posts, account_daily, inbox) plus an optional audit
`period` and the reporting time zone `tz`, and returns one tidy row per (platform, account)
unless said otherwise. Platforms are never mixed: each counts engagement its own way.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schemas
from ..config import Period
from . import stats
from .period import local_day, within
from .registry import metric

GROUP = ["platform", "account"]

# Which actions count as an engagement, per platform. Only actions that are public for
# competitors too, so own and competitor figures stay comparable (saves and clicks are left
# out: competitors' are not public; clicks are reported separately as link clicks and CTR).
ENGAGEMENT_ACTIONS: dict[str, tuple[str, ...]] = {
    "facebook": ("reactions", "comments", "shares"),
    "instagram": ("reactions", "comments"),
    "linkedin": ("reactions", "comments", "shares"),
    "x": ("reactions", "comments", "shares"),
    "tiktok": ("reactions", "comments", "shares"),
    "youtube": ("reactions", "comments"),
    "pinterest": ("reactions", "comments", "saves"),
}
DEFAULT_ACTIONS = ("reactions", "comments", "shares")
_ACTIONS_WORDS = ("per platform, the actions public for every account: Facebook, LinkedIn, X and TikTok = "
                  "reactions/likes + comments + shares/reposts; Instagram and YouTube = likes + comments; "
                  "Pinterest = reactions + comments + saves; other platforms = reactions + comments + shares. "
                  "Saves and clicks are not counted. When an export gives none of these actions for a post, "
                  "its own 'engagements' total is used instead (flagged in `engagement_basis`)")

# ---------------------------------------------------------------- definitions
M = {}
M["followers_start"] = metric("channels.followers_start", "Followers at the start", "channels", "count",
    "the running total of followers (account_daily metric 'followers') on the period's first day, or the latest "
    "value before it; the first value inside the period when there is none before",
    aggregation="one value per platform and account")
M["followers_end"] = metric("channels.followers_end", "Followers at the end", "channels", "count",
    "the running total of followers on the period's last day, or the latest value before it",
    aggregation="one value per platform and account")
M["net_growth"] = metric("channels.net_follower_growth", "Net follower growth", "channels", "count",
    "followers at the end minus followers at the start", aggregation="one value per platform and account",
    caveats="a running total includes follows and unfollows; compare with gained - lost")
M["net_growth_pct"] = metric("channels.net_follower_growth_pct", "Net follower growth (%)", "channels", "fraction",
    "followers at the end minus followers at the start", "followers at the start",
    aggregation="one value per platform and account")
M["gained"] = metric("channels.followers_gained", "Followers gained", "channels", "count",
    "sum of the daily 'followers_gained' values inside the period", aggregation="sum over days")
M["lost"] = metric("channels.followers_lost", "Followers lost", "channels", "count",
    "sum of the daily 'followers_lost' values inside the period", aggregation="sum over days", higher_is_better=False)
M["posts"] = metric("channels.posts", "Posts published", "channels", "count",
    "posts published inside the period (local calendar days)", aggregation="count of posts")
M["posts_per_week"] = metric("channels.posts_per_week", "Posting frequency", "channels", "per_week",
    "posts published inside the period", "days in the period / 7", aggregation="ratio of the count to weeks",
    higher_is_better=None)
M["weeks_with_post"] = metric("channels.weeks_with_post_share", "Share of weeks with a post", "channels", "fraction",
    "full Monday-Sunday weeks inside the period with at least one post", "full Monday-Sunday weeks inside the period",
    aggregation="proportion with a Wilson interval")
M["longest_gap"] = metric("channels.longest_gap_days", "Longest gap without a post", "channels", "count",
    "the longest run of consecutive calendar days inside the period with no post (the days before the first "
    "and after the last post count)", aggregation="maximum over the period", higher_is_better=False)
M["engagements"] = metric("channels.engagements", "Engagements", "channels", "count",
    "engagements on posts published in the period: " + _ACTIONS_WORDS, aggregation="sum over posts",
    caveats="lifetime totals as of the export date, attributed to the post's publication day")
for base, words in (("reach", "the posts' reach (unique accounts reached), posts with a reach above 0"),
                    ("impressions", "the posts' impressions, posts with impressions above 0"),
                    ("followers", "followers on the day each post was published (latest count on or before "
                                  "that day, else the nearest within 31 days), posts where it is known")):
    M[f"er_{base}"] = metric(f"channels.engagement_rate_{base}", f"Engagement rate by {base}", "channels", "rate",
        "engagements (" + _ACTIONS_WORDS + ") summed over the posts", "sum of " + words,
        aggregation="ratio of sums over posts, 95 % bootstrap interval over posts",
        caveats="can exceed 1 when people engage several times" if base != "followers" else
        "the follower basis is the post's day, not the period end")
    M[f"median_er_{base}"] = metric(f"channels.median_engagement_rate_{base}",
        f"Median per-post engagement rate by {base}", "channels", "rate",
        "a post's engagements (" + _ACTIONS_WORDS + ")", words.replace("the posts'", "the post's"),
        aggregation="median of per-post ratios, 95 % bootstrap interval")
for col, label in (("reach", "Reach"), ("impressions", "Impressions"), ("views", "Views"),
                   ("link_clicks", "Link clicks"), ("video_views", "Video views")):
    M[col] = metric(f"channels.{col}", f"{label} (posts, lifetime)", "channels", "count",
        f"the '{col}' of posts published in the period, as exported", aggregation="sum over posts",
        caveats="per-post reach is not additive: the sum counts a person once per post" if col == "reach" else
        "lifetime totals of posts published in the period, not activity during the period")
    M[f"median_{col}"] = metric(f"channels.median_{col}_per_post", f"Median {label.lower()} per post", "channels",
        "count", f"a post's '{col}'", aggregation="median over posts where it is exported"
        + (" (video posts only)" if col == "video_views" else ""))
    M[f"page_{col}"] = metric(f"channels.page_{col}", f"{label} (page, period)", "channels", "count",
        f"the daily account-level '{col}' values inside the period (account_daily)", aggregation="sum over days",
        caveats="period activity on all content, unlike the per-post lifetime totals; daily reach is not additive"
        if col == "reach" else "period activity on all content, unlike the per-post lifetime totals")
M["median_engagements"] = metric("channels.median_engagements_per_post", "Median engagements per post",
    "channels", "count", "a post's engagements (" + _ACTIONS_WORDS + ")", aggregation="median over posts")
M["ctr"] = metric("channels.link_ctr", "Link click-through rate", "channels", "fraction",
    "link clicks (clicks to outside the platform) on posts", "impressions of the same posts (posts with both "
    "values exported and impressions above 0)", aggregation="ratio of sums over posts, bootstrap interval")
M["index"] = metric("channels.post_performance_index", "Post performance vs the account's baseline", "channels",
    "ratio", "the post's value (per-post engagement rate by reach; by impressions, by followers or raw engagements "
    "when reach is missing, as named in `measure`)", "the median of the same value over the account's posts on that "
    "platform in the period", aggregation="per post; top and bottom posts ranked by it",
    caveats=f"only for accounts with at least {stats.MIN_N} posts on the platform")
for by, label in (("post_type", "content type"), ("weekday", "posting weekday"), ("hour", "posting hour"),
                  ("hashtags", "hashtag use (none, 1-2, 3+)"), ("length", "message length (<100, 100-299, 300+ characters)")):
    M[f"by_{by}"] = metric(f"channels.engagement_by_{by}", f"Engagement by {label}", "channels", "ratio",
        "per-post engagement rate by reach (or the fallback named in `measure`) of the posts in the group",
        "the same for all the account's other posts on the platform",
        aggregation="median of per-post ratios, group minus rest, 95 % bootstrap interval of the difference",
        caveats="a difference may come from other differences between the groups (topic, boosting, season); "
                "times are in the client's time zone")
M["questions_answered"] = metric("channels.questions_answered_share", "Fans' questions answered", "channels",
    "fraction", "questions with a recorded first response from the brand",
    "questions received in the period (inbox rows marked as a question; where that flag is missing, "
    "messages whose text contains '?')", aggregation="proportion with a Wilson interval",
    caveats="the time to answer is in customer experience")


# ---------------------------------------------------------------- helpers
def _span(days: pd.Series) -> Period | None:
    d = days.dropna()
    if d.empty:
        return None
    return Period(start=d.min().date(), end=d.max().date())


def _posts_in(posts: pd.DataFrame, period: Period | None, tz) -> pd.DataFrame:
    p = within(posts, "published_at", period, tz).copy()
    p["day"] = local_day(p["published_at"], tz)
    return p


def _pct(num, den):
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def engagements(posts: pd.DataFrame, actions: dict[str, tuple[str, ...]] | None = None) -> pd.DataFrame:
    """Engagements per post (metric channels.engagements): the platform's action set summed.

    Returns columns `engagement` (float, NaN when nothing is known) and `engagement_basis`
    ('actions' or 'export total'), aligned on `posts.index`."""
    actions = ENGAGEMENT_ACTIONS | (actions or {})
    total = pd.Series(np.nan, index=posts.index)
    plat = posts["platform"].astype(str).to_numpy()
    for platform in pd.unique(plat):  # one vectorized sum per platform
        rows = plat == platform
        cols = list(actions.get(platform, DEFAULT_ACTIONS))
        total[rows] = posts.loc[rows, cols].astype(float).sum(axis=1, min_count=1)
    basis = pd.Series("actions", index=posts.index, dtype="str")
    fallback = total.isna() & posts["engagements"].notna()
    total[fallback] = posts.loc[fallback, "engagements"].astype(float)
    basis[fallback] = "export total"
    basis[total.isna()] = pd.NA
    return pd.DataFrame({"engagement": total, "engagement_basis": basis})


def followers_on_day(posts: pd.DataFrame, account_daily: pd.DataFrame | None, tz="UTC") -> pd.Series:
    """Follower count of the post's account on its publication day (latest known on or before
    that day, else the nearest within 31 days); NaN when unknown. Aligned on posts.index."""
    out = pd.Series(np.nan, index=posts.index)
    if account_daily is None or account_daily.empty or posts.empty:
        return out
    f = account_daily.loc[account_daily["metric"] == "followers", GROUP + ["date", "value"]].dropna()
    if f.empty:
        return out
    f = f.assign(date=pd.to_datetime(f["date"]).dt.normalize().astype("datetime64[ns]"),
                 key=f["platform"].astype(str) + "\x1f" + f["account"].astype(str))
    f = f.drop_duplicates(["key", "date"], keep="last").sort_values("date")
    p = pd.DataFrame({"day": local_day(posts["published_at"], tz).astype("datetime64[ns]"),
                      "key": posts["platform"].astype(str) + "\x1f" + posts["account"].astype(str),
                      "pos": np.arange(len(posts))}).dropna(subset=["day"]).sort_values("day")
    kw = dict(left_on="day", right_on="date", by="key")
    back = pd.merge_asof(p, f[["key", "date", "value"]], direction="backward", **kw)
    near = pd.merge_asof(p, f[["key", "date", "value"]], direction="nearest", tolerance=pd.Timedelta(days=31), **kw)
    val = back["value"].to_numpy(dtype=float)
    val = np.where(np.isnan(val), near["value"].to_numpy(dtype=float), val)
    out.iloc[back["pos"].to_numpy()] = val
    return out


def post_frame(posts: pd.DataFrame, account_daily: pd.DataFrame | None = None, period: Period | None = None,
               tz="UTC", actions: dict | None = None) -> pd.DataFrame:
    """The posts of the period with everything per-post metrics need: local day/weekday/hour,
    engagement, followers on the day, per-post rates (er_reach, er_impressions, er_followers),
    hashtag and length groups. NaN wherever a denominator is missing or 0."""
    p = _posts_in(posts, period, tz)
    p = p.join(engagements(p, actions))
    local = pd.to_datetime(p["published_at"]).dt.tz_convert(tz)
    p["weekday"] = local.dt.day_name()
    p["hour"] = local.dt.hour.astype("Int64")
    # exports that give the day only (LinkedIn 'Created date') put every post at midnight: hour unknown
    midnight = (local.dt.hour == 0) & (local.dt.minute == 0) & (local.dt.second == 0)
    day_only = midnight.groupby([p["platform"], p["account"]]).transform("all")
    p.loc[day_only.fillna(False).to_numpy(dtype=bool), "hour"] = pd.NA
    p["followers_on_day"] = followers_on_day(p, account_daily, tz)
    for base, col in (("reach", "reach"), ("impressions", "impressions"), ("followers", "followers_on_day")):
        p[f"er_{base}"] = _pct(p["engagement"], p[col])
    text = p["text"].astype("str")
    n_tags = text.str.count(r"#\w+")
    p["hashtags"] = pd.cut(n_tags, [-1, 0, 2, np.inf], labels=["none", "1-2", "3+"]).astype("str")
    n_chars = text.str.len()
    p["length"] = pd.cut(n_chars, [-1, 99, 299, np.inf], labels=["<100", "100-299", "300+"]).astype("str")
    p.loc[text.isna(), ["hashtags", "length"]] = pd.NA
    return p


# ---------------------------------------------------------------- followers
def followers(account_daily: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Followers at start and end, net growth (absolute and %), gained and lost.

    Metrics: channels.followers_start, followers_end, net_follower_growth, net_follower_growth_pct,
    followers_gained, followers_lost. One row per (platform, account) with any follower data."""
    cols = GROUP + ["followers_start", "start_date", "followers_end", "end_date", "net_growth", "net_growth_pct",
                    "followers_gained", "followers_lost", "net_from_flows"]
    ad = account_daily.assign(date=pd.to_datetime(account_daily["date"]).dt.normalize())
    if period is None:
        period = _span(ad["date"])
    if period is None:
        return pd.DataFrame(columns=cols)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    run = ad[(ad["metric"] == "followers") & ad["value"].notna() & (ad["date"] <= end)].sort_values("date")
    before = run[run["date"] <= start].groupby(GROUP).last()[["value", "date"]]
    first_in = run[run["date"] >= start].groupby(GROUP).first()[["value", "date"]]
    last = run.groupby(GROUP).last()[["value", "date"]]
    s = before.combine_first(first_in)
    out = pd.DataFrame({"followers_start": s["value"], "start_date": s["date"],
                        "followers_end": last["value"], "end_date": last["date"]})
    flows = ad[ad["metric"].isin(["followers_gained", "followers_lost"]) & (ad["date"] >= start) & (ad["date"] <= end)]
    fl = flows.pivot_table(index=GROUP, columns="metric", values="value", aggfunc="sum")
    out = out.join(fl.reindex(columns=["followers_gained", "followers_lost"]), how="outer")
    out["net_growth"] = out["followers_end"] - out["followers_start"]
    out["net_growth_pct"] = _pct(out["net_growth"], out["followers_start"])
    out["net_from_flows"] = out["followers_gained"] - out["followers_lost"]
    return out.reset_index()[cols]


# ---------------------------------------------------------------- posting
def posting(posts: pd.DataFrame, period: Period | None = None, tz="UTC") -> pd.DataFrame:
    """Posting frequency and regularity per (platform, account).

    Metrics: channels.posts, posts_per_week, weeks_with_post_share (Wilson interval),
    longest_gap_days."""
    cols = GROUP + ["posts", "days", "posts_per_week", "weeks", "weeks_with_post", "weeks_with_post_share",
                    "weeks_with_post_low", "weeks_with_post_high", "longest_gap_days"]
    p = _posts_in(posts, period, tz).dropna(subset=["day"])
    if period is None:
        period = _span(p["day"])
    if period is None or p.empty:
        return pd.DataFrame(columns=cols)
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    n_days = (end - start).days + 1
    g = p.groupby(GROUP)
    out = g.size().rename("posts").to_frame()
    out["days"] = n_days
    out["posts_per_week"] = out["posts"] / (n_days / 7)
    # full Monday-Sunday weeks inside the period
    first_monday = start + pd.Timedelta(days=(7 - start.weekday()) % 7)
    n_weeks = max(0, ((end - first_monday).days + 1) // 7)
    last_sunday = first_monday + pd.Timedelta(days=7 * n_weeks - 1)
    in_weeks = p[(p["day"] >= first_monday) & (p["day"] <= last_sunday)]
    week = (in_weeks["day"] - first_monday).dt.days // 7
    out["weeks"] = n_weeks
    out["weeks_with_post"] = week.groupby([in_weeks["platform"], in_weeks["account"]]).nunique()
    out["weeks_with_post"] = out["weeks_with_post"].fillna(0)
    lo, hi = stats.wilson_interval(out["weeks_with_post"].to_numpy(), np.full(len(out), n_weeks))
    out["weeks_with_post_share"] = _pct(out["weeks_with_post"], out["weeks"])
    out["weeks_with_post_low"], out["weeks_with_post_high"] = lo, hi
    # longest run of post-free days, the period's edges included
    days = p[GROUP + ["day"]].drop_duplicates().sort_values(GROUP + ["day"])
    edges = out.reset_index()[GROUP]
    bounds = pd.concat([edges.assign(day=start - pd.Timedelta(days=1)), days, edges.assign(day=end + pd.Timedelta(days=1))])
    bounds = bounds.sort_values(GROUP + ["day"])
    gaps = bounds.groupby(GROUP)["day"].diff().dt.days - 1
    out["longest_gap_days"] = gaps.groupby([bounds["platform"], bounds["account"]]).max()
    return out.reset_index()[cols]


# ---------------------------------------------------------------- engagement
def _group_keys(df: pd.DataFrame) -> np.ndarray:
    return (df["platform"].astype(str) + "\x1f" + df["account"].astype(str)).to_numpy()


def engagement_rates(posts: pd.DataFrame, account_daily: pd.DataFrame | None = None, period: Period | None = None,
                     tz="UTC", actions: dict | None = None, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Engagement rate by reach, by impressions and by followers side by side, each as a ratio
    of sums (with a bootstrap interval over posts) and as a median of per-post ratios.

    Metrics: channels.engagements, engagement_rate_{reach,impressions,followers},
    median_engagement_rate_{reach,impressions,followers}, median_engagements_per_post.
    Columns per base B: er_B, er_B_low, er_B_high, er_B_posts (posts used), median_er_B,
    median_er_B_low, median_er_B_high."""
    p = frame if frame is not None else post_frame(posts, account_daily, period, tz, actions)
    p = p[p["engagement"].notna()]
    rows = []
    for (platform, account), g in p.groupby(GROUP, sort=True):  # per account, vectorized inside
        row = {"platform": platform, "account": account, "posts": len(g),
               "engagements": g["engagement"].sum(),
               "engagement_basis": ", ".join(sorted(g["engagement_basis"].dropna().unique())),
               "median_engagements": float(g["engagement"].median())}
        for base, col in (("reach", "reach"), ("impressions", "impressions"), ("followers", "followers_on_day")):
            r = stats.ratio_of_sums(g["engagement"], g[col])
            m = stats.estimate(g[f"er_{base}"])
            row |= {f"er_{base}": r.value, f"er_{base}_low": r.low, f"er_{base}_high": r.high, f"er_{base}_posts": r.n,
                    f"median_er_{base}": m.value, f"median_er_{base}_low": m.low, f"median_er_{base}_high": m.high}
        rows.append(row)
    cols = GROUP + ["posts", "engagements", "engagement_basis", "median_engagements"] + [
        f"{pre}er_{b}{suf}" for b in ("reach", "impressions", "followers")
        for pre, suf in (("", ""), ("", "_low"), ("", "_high"), ("", "_posts"),
                         ("median_", ""), ("median_", "_low"), ("median_", "_high"))]
    out = pd.DataFrame(rows, columns=cols)
    return stats.numeric(out, [c for c in cols if c not in GROUP + ["engagement_basis"]])


def exposure(posts: pd.DataFrame, account_daily: pd.DataFrame | None = None, period: Period | None = None,
             tz="UTC") -> pd.DataFrame:
    """Reach, impressions, views, link clicks and video views: post lifetime sums, per-post
    medians, page-level period sums from account_daily, and link CTR.

    Metrics: channels.{reach,impressions,views,link_clicks,video_views},
    channels.median_*_per_post, channels.page_*, channels.link_ctr.
    Column `<m>_posts` counts the posts that export <m>; sums are NaN when no post does."""
    cols = ["reach", "impressions", "views", "link_clicks", "video_views"]
    p = _posts_in(posts, period, tz)
    vid = p["post_type"].isin(["video", "reel"]) | p["video_views"].gt(0)
    p["video_views"] = p["video_views"].where(vid)
    g = p.groupby(GROUP)
    out = g[cols].sum(min_count=1)
    out = out.join(g[cols].median().add_prefix("median_").add_suffix("_per_post"))
    out = out.join(g[cols].count().add_suffix("_posts"))
    # CTR over posts that export both values
    both = p[p["link_clicks"].notna() & p["impressions"].gt(0)]
    keys = _group_keys(both)
    ctr_rows = {}
    for k in pd.unique(keys):
        m = keys == k
        e = stats.ratio_of_sums(both["link_clicks"].to_numpy()[m], both["impressions"].to_numpy()[m])
        ctr_rows[tuple(k.split("\x1f"))] = (e.value, e.low, e.high, e.n)
    ctr = pd.DataFrame.from_dict(ctr_rows, orient="index", columns=["link_ctr", "link_ctr_low", "link_ctr_high",
                                                                      "link_ctr_posts"])
    if len(ctr):
        ctr.index = pd.MultiIndex.from_tuples(ctr.index, names=GROUP)
        out = out.join(stats.numeric(ctr, ctr.columns))
    else:
        out = out.assign(link_ctr=np.nan, link_ctr_low=np.nan, link_ctr_high=np.nan, link_ctr_posts=0)
    if account_daily is not None and len(account_daily):
        ad = account_daily[account_daily["metric"].isin(cols)]
        ad = within(ad, "date", period)
        page = ad.pivot_table(index=GROUP, columns="metric", values="value", aggfunc="sum")
        page = page.reindex(columns=cols).add_prefix("page_")
        out = out.join(page, how="outer")
    else:
        out = out.assign(**{f"page_{c}": np.nan for c in cols})
    return out.reset_index()


# ---------------------------------------------------------------- top / bottom posts
VALUE_ORDER = ("er_reach", "er_impressions", "er_followers", "engagement")


def _auto_value(g: pd.DataFrame) -> str:
    for v in VALUE_ORDER:
        if g[v].notna().sum() >= stats.MIN_N:
            return v
    return VALUE_ORDER[-1]


def top_posts(posts: pd.DataFrame, account_daily: pd.DataFrame | None = None, period: Period | None = None,
              tz="UTC", n: int = 5, account: str | None = None, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The n best and n worst posts of each (platform, account), relative to the account's own baseline.

    Metric channels.post_performance_index = the post's value / the account's median value.
    Columns: platform, account, rank ('top' or 'bottom'), position, post_id, published_at,
    post_type, text, permalink, measure (which per-post value), post_value, baseline, index, posts."""
    p = frame if frame is not None else post_frame(posts, account_daily, period, tz)
    if account is not None:
        p = p[p["account"] == account]
    cols = GROUP + ["rank", "position", "post_id", "published_at", "post_type", "text", "permalink", "measure",
                    "post_value", "baseline", "index", "posts"]
    # numeric work on a slim frame; the text columns are joined to the few posts kept
    slim = p[GROUP + ["post_id"] + list(VALUE_ORDER)]
    keys = _group_keys(slim)
    measure = pd.Series(pd.NA, index=slim.index, dtype="str")
    for k in pd.unique(keys):  # one choice per (platform, account)
        m = keys == k
        measure[m] = _auto_value(slim[m])
    value = np.full(len(slim), np.nan)
    for v in VALUE_ORDER:
        m = (measure == v).to_numpy(dtype=bool)
        value[m] = slim[v].to_numpy(dtype=float)[m]
    d = slim[GROUP + ["post_id"]].assign(measure=measure, post_value=value)
    d = d[np.isfinite(value)]
    g = d.groupby(GROUP)["post_value"]
    d = d.assign(posts=g.transform("size"), baseline=g.transform("median"))
    d = d[d["posts"] >= stats.MIN_N]
    if d.empty:
        return pd.DataFrame(columns=cols)
    d["index"] = _pct(d["post_value"], d["baseline"])
    parts = []
    for rank, asc in (("top", False), ("bottom", True)):
        o = d.sort_values(GROUP + ["post_value", "post_id"], ascending=[True, True, asc, True])
        o = o.groupby(GROUP, sort=False).head(n)
        parts.append(o.assign(rank=rank, position=o.groupby(GROUP).cumcount() + 1))
    out = pd.concat(parts)
    out = out.join(p[["published_at", "post_type", "text", "permalink"]])
    out = out.sort_values(GROUP + ["rank", "position"], ascending=[True, True, False, True])
    return out[cols].reset_index(drop=True)


# ---------------------------------------------------------------- what works
COMPARE_BY = ("post_type", "weekday", "hour", "hashtags", "length")


def compare_content(posts: pd.DataFrame, by: str, account: str, account_daily: pd.DataFrame | None = None,
                    period: Period | None = None, tz="UTC", value: str = "auto",
                    frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each group of `by` (post_type, weekday, hour, hashtags, length) against the account's
    other posts on the same platform: median per-post value with bootstrap intervals and a verdict.

    Metric channels.engagement_by_<by>. `value` = er_reach, er_impressions, er_followers,
    engagement, or 'auto' (the first of these with at least MIN_N posts on the platform).
    Returns stats.compare_many's columns plus platform, account, by and measure (the per-post value used)."""
    if by not in COMPARE_BY:
        raise ValueError(f"compare_content: by must be one of {COMPARE_BY}, not {by!r}")
    p = frame if frame is not None else post_frame(posts, account_daily, period, tz)
    p = p[p["account"] == account]
    parts = []
    for platform, g in p.groupby("platform", sort=True):
        v = _auto_value(g) if value == "auto" else value
        res = stats.compare_many(g, v, by, f"channels.engagement_by_{by}")
        parts.append(res.assign(platform=platform, account=account, by=by, measure=v))
    cols = ["platform", "account", "by", "measure"] + stats.COMPARE_COLUMNS
    if not parts:
        return pd.DataFrame(columns=cols)
    return pd.concat(parts)[cols].reset_index(drop=True)


# ---------------------------------------------------------------- fans' questions
def questions_answered(inbox: pd.DataFrame, period: Period | None = None, tz="UTC") -> pd.DataFrame:
    """Share of fans' questions that got an answer, per (platform, account), Wilson interval.

    Metric channels.questions_answered_share."""
    cols = GROUP + ["questions", "answered", "answered_share", "answered_low", "answered_high"]
    m = within(inbox, "received_at", period, tz)
    flag = m["is_question"].astype("boolean")
    guess = m["text"].astype("str").str.contains("?", regex=False).astype("boolean")
    q = m[flag.fillna(guess).fillna(False).to_numpy(dtype=bool)]
    if q.empty:
        return pd.DataFrame(columns=cols)
    out = q.assign(answered=q["first_response_at"].notna()).groupby(GROUP).agg(
        questions=("answered", "size"), answered=("answered", "sum")).reset_index()
    lo, hi = stats.wilson_interval(out["answered"].to_numpy(), out["questions"].to_numpy())
    out["answered_share"] = out["answered"] / out["questions"]
    out["answered_low"], out["answered_high"] = lo, hi
    return out[cols]


# ---------------------------------------------------------------- one row per channel
def channel_summary(tables, config=None, period: Period | None = None,
                    frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Followers, posting, engagement and exposure side by side: one row per (platform, account).
    `tables` is a Tables (or dict of frames); `config` gives the time zone; `frame` is
    post_frame's result when already computed."""
    tz = config.timezone if config is not None else "UTC"
    posts, daily = _table(tables, "posts"), _table(tables, "account_daily")
    frame = frame if frame is not None else post_frame(posts, daily, period, tz)
    parts = [followers(daily, period), posting(posts, period, tz),
             engagement_rates(posts, daily, period, tz, frame=frame), exposure(posts, daily, period, tz)]
    out = None
    for part in parts:
        part = part.set_index(GROUP)
        if out is None:
            out = part
        else:
            out = out.join(part[[c for c in part.columns if c not in out.columns]], how="outer")
    out = out.reset_index()
    if config is not None:
        out.insert(2, "is_brand", out["account"] == config.brand.name)
    return out


def _table(tables, name: str) -> pd.DataFrame:
    """A canonical table from a Tables or a dict of frames (empty with its columns when absent)."""
    df = tables.get(name) if isinstance(tables, dict) else getattr(tables, name, None)
    return schemas.empty(name) if df is None else df
