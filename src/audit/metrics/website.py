"""Website: where visitors come from, where they land, where they spend time, and how the pages
that matter for each declared objective do (patterns from `website.page_patterns` in audit.yml).

Web analytics exports are aggregates over a reporting range (or per day). Rows are kept when
their range overlaps the audit period and counted whole, so a range that sticks out of the
period is not cut (the export cannot be split). When the same dimension comes both per day
and as a range, the daily rows are used; a range contained in a longer range of the same
dimension is dropped, so overlapping exports are not added up.
"""
from __future__ import annotations

import fnmatch
import re

import numpy as np
import pandas as pd

from ..config import AuditConfig, Period
from .findings import Finding
from .registry import metric
from .stats import proportion, wilson_interval

DIRECTION = "website"

M_SESSIONS = metric(
    "website.sessions", "Sessions", DIRECTION, "count", "sessions in the web analytics export",
    aggregation="sum over rows of the dimension (channel group, source...) in the period",
    caveats="GA4 can threshold or sample reported data; rows whose reporting range only partly overlaps "
            "the period are counted whole")
M_SESSION_SHARE = metric(
    "website.session_share", "Share of sessions", DIRECTION, "fraction",
    "sessions of the channel group / source", "all sessions of the same dimension", "ratio of sums, Wilson interval",
    higher_is_better=None)
M_ENGAGED_RATE = metric(
    "website.engaged_session_rate", "Engaged-session rate", DIRECTION, "fraction",
    "engaged sessions (GA4: over 10 s, or a key event, or 2+ page views)", "sessions with the same dimension value",
    "ratio of sums over rows where both are known, Wilson interval")
M_KEY_EVENT_RATE = metric(
    "website.key_events_per_session", "Key events per session", DIRECTION, "ratio",
    "key events (conversions, goal completions)", "sessions", "ratio of sums over rows where both are known",
    caveats="a session can hold several key events, so this is a rate, not a share of sessions")
M_LANDING = metric(
    "website.landing_page_sessions", "Sessions by landing page", DIRECTION, "count",
    "sessions that started on the page", aggregation="sum over the landing-page report's rows in the period",
    higher_is_better=None)
M_ENGAGEMENT_TIME = metric(
    "website.page_engagement_time", "Total engagement time on a page", DIRECTION, "hours",
    "average engagement time per active user × active users (views when users are missing)",
    aggregation="sum over the pages report's rows in the period",
    caveats="reconstructed from an average, so rounding in the export carries through")
M_OBJECTIVE_PAGES = metric(
    "website.objective_page_view_share", "Share of page views on the pages that matter for an objective",
    DIRECTION, "fraction", "views of pages whose path matches the objective's patterns (audit.yml "
    "website.page_patterns; a leading language segment such as /fr/ is ignored)", "all page views",
    "ratio of sums over pages")

TRAFFIC_SUMS = ("sessions", "engaged_sessions", "users", "new_users", "views", "key_events", "transactions",
                "revenue")


# ----------------------------------------------------------------------- rows in a period
def overlapping(df: pd.DataFrame, period: Period | None, start: str = "period_start", end: str = "period_end",
                day: str | None = None) -> pd.DataFrame:
    """Rows whose reporting range [start, end] (or `day`, when the row has one) overlaps `period`.
    Rows with no date at all are kept (the export did not say; they are assumed to cover the period)."""
    if period is None or df.empty:
        return df
    s = df[start] if start in df.columns else pd.Series(pd.NaT, index=df.index)
    e = df[end] if end in df.columns else pd.Series(pd.NaT, index=df.index)
    if day is not None and day in df.columns:
        s, e = df[day].fillna(s), df[day].fillna(e)
    s, e = s.fillna(e), e.fillna(s)  # a single known end stands for the whole row
    p0, p1 = pd.Timestamp(period.start), pd.Timestamp(period.end)
    keep = (s.isna() & e.isna()) | ((s <= p1) & (e >= p0))
    return df[keep.to_numpy(dtype=bool)]


def one_grain(df: pd.DataFrame, keys: list[str], day: str | None = "date") -> pd.DataFrame:
    """Per group of `keys` (e.g. platform, account, dimension): daily rows when there are any,
    else range rows without the ranges contained in another, longer range of the same group."""
    if df.empty:
        return df
    daily = df[day].notna() if day is not None and day in df.columns else pd.Series(False, index=df.index)
    has_daily = daily.groupby([df[k] for k in keys], dropna=False).transform("any")
    out = df[(daily | ~has_daily).to_numpy(dtype=bool)]
    ranged = out[~daily.loc[out.index].to_numpy(dtype=bool)]
    if ranged.empty:
        return out
    r = ranged[keys + ["period_start", "period_end"]].drop_duplicates()
    m = r.merge(r, on=keys, how="inner", suffixes=("", "_o"))
    contained = (m["period_start_o"] <= m["period_start"]) & (m["period_end_o"] >= m["period_end"]) & \
        ((m["period_start_o"] != m["period_start"]) | (m["period_end_o"] != m["period_end"]))
    drop = m.loc[contained.fillna(False).to_numpy(dtype=bool), keys + ["period_start", "period_end"]].drop_duplicates()
    if drop.empty:
        return out
    flag = out.merge(drop.assign(_drop=True), on=keys + ["period_start", "period_end"], how="left")["_drop"]
    return out[~flag.fillna(False).to_numpy(dtype=bool)]


def _safe_div(a, b):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / b, np.nan)


def traffic(web_traffic: pd.DataFrame, dimension: str, period: Period | None = None,
            account: str | None = None) -> pd.DataFrame:
    """The rows of one web_traffic dimension in the period, at one grain (see module doc)."""
    df = web_traffic[web_traffic["dimension"].astype("str").str.casefold() == dimension.casefold()]
    if account is not None:
        df = df[df["account"] == account]
    df = overlapping(df, period, day="date")
    return one_grain(df, ["platform", "account", "dimension"])


def _paired_sum(df: pd.DataFrame, by, num: str, den: str) -> tuple[pd.Series, pd.Series]:
    """Sums of num and den over rows where both are known (a ratio of sums that ignores rows
    where the export left one of the two empty)."""
    both = df[num].notna() & df[den].notna()
    g = df.assign(_n=df[num].where(both), _d=df[den].where(both)).groupby(by, sort=False)
    return g["_n"].sum(min_count=1), g["_d"].sum(min_count=1)


def sessions_by(web_traffic: pd.DataFrame, dimension: str = "channel_group", period: Period | None = None,
                account: str | None = None, top: int | None = None) -> pd.DataFrame:
    """Sessions by channel group, source, source_medium, medium or campaign (website.sessions,
    website.session_share, website.engaged_session_rate, website.key_events_per_session).

    Returns value, sessions, share (low, high), engaged_sessions, engaged_rate (low, high),
    key_events, key_events_per_session, transactions, revenue; largest first; `top` keeps the
    largest values. Values are compared case-insensitively ('Organic Social' = 'organic social')."""
    df = traffic(web_traffic, dimension, period, account)
    cols = ["value", "sessions", "share", "share_low", "share_high", "engaged_sessions", "engaged_rate",
            "engaged_low", "engaged_high", "key_events", "key_events_per_session", "transactions", "revenue"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    key = df["value"].astype("str").fillna("(not set)").str.strip()
    label = key.groupby(key.str.casefold()).transform("first")  # first spelling seen names the group
    df = df.assign(value=label)
    g = df.groupby("value", sort=False)
    out = g[list(TRAFFIC_SUMS)].sum(min_count=1)
    e_num, e_den = (x.reindex(out.index) for x in _paired_sum(df, "value", "engaged_sessions", "sessions"))
    k_num, k_den = (x.reindex(out.index) for x in _paired_sum(df, "value", "key_events", "sessions"))
    total = out["sessions"].sum()
    s = out["sessions"].fillna(0).to_numpy()
    lo, hi = wilson_interval(s, total) if total > 0 else (np.full(len(s), np.nan),) * 2
    e_lo, e_hi = wilson_interval(e_num.fillna(0).to_numpy(), e_den.fillna(0).to_numpy())
    out = out.assign(
        share=_safe_div(s, total), share_low=lo, share_high=hi,
        engaged_rate=_safe_div(e_num, e_den), engaged_low=e_lo, engaged_high=e_hi,
        key_events_per_session=_safe_div(k_num, k_den),
    ).reset_index()
    out = out.sort_values(["sessions", "value"], ascending=[False, True], na_position="last")
    if top is not None:
        out = out.head(top)
    return out[cols].reset_index(drop=True)


# ----------------------------------------------------------------------- pages
def _pages(web_pages: pd.DataFrame, kind: str, period: Period | None, account: str | None) -> pd.DataFrame:
    df = web_pages[web_pages["page_kind"].astype("str").str.casefold() == kind]
    if account is not None:
        df = df[df["account"] == account]
    df = overlapping(df, period)
    return one_grain(df, ["platform", "account", "page_kind"], day=None)


def page_path(page: pd.Series) -> pd.Series:
    """The path of a page: scheme, host, query string and fragment removed; '' -> '/'."""
    p = page.astype("str").fillna("").str.strip()
    p = p.str.replace(r"^[a-z][a-z0-9+.-]*://[^/]+", "", regex=True, case=False)
    p = p.str.replace(r"[?#].*$", "", regex=True)
    return p.where(p.str.len() > 0, "/")


def landing_pages(web_pages: pd.DataFrame, period: Period | None = None, account: str | None = None,
                  top: int = 20) -> pd.DataFrame:
    """Landing pages by sessions (website.landing_page_sessions): page, sessions, share of landing
    sessions, users, key_events, key_events_per_session, revenue; largest first."""
    df = _pages(web_pages, "landing", period, account)
    cols = ["page", "sessions", "share", "users", "key_events", "key_events_per_session", "revenue"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(page=page_path(df["page"]))
    out = df.groupby("page")[["sessions", "users", "key_events", "revenue"]].sum(min_count=1)
    k_num, k_den = _paired_sum(df, "page", "key_events", "sessions")
    out = out.assign(share=_safe_div(out["sessions"], out["sessions"].sum()),
                     key_events_per_session=_safe_div(k_num.reindex(out.index), k_den.reindex(out.index)))
    out = out.reset_index().sort_values(["sessions", "page"], ascending=[False, True], na_position="last")
    return out[cols].head(top).reset_index(drop=True)


def engaging_pages(web_pages: pd.DataFrame, period: Period | None = None, account: str | None = None,
                   top: int = 20) -> pd.DataFrame:
    """Pages where visitors spend the most time (website.page_engagement_time): page, title, views,
    users, total engagement hours (average per user × users, or × views when users are missing),
    average seconds per user and share of all engagement time; largest first."""
    df = _pages(web_pages, "page", period, account)
    cols = ["page", "title", "views", "users", "engagement_hours", "avg_engagement_s", "share"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    base = df["users"].fillna(df["views"])
    df = df.assign(page=page_path(df["page"]), _total_s=df["engagement_time_s"] * base,
                   _base=base.where(df["engagement_time_s"].notna()))
    g = df.groupby("page")
    out = pd.DataFrame({
        "title": g["title"].first(), "views": g["views"].sum(min_count=1), "users": g["users"].sum(min_count=1),
        "engagement_hours": g["_total_s"].sum(min_count=1) / 3600,
    })
    out["avg_engagement_s"] = _safe_div(g["_total_s"].sum(min_count=1), g["_base"].sum(min_count=1))
    out["share"] = _safe_div(out["engagement_hours"], out["engagement_hours"].sum())
    out = out.reset_index().sort_values(["engagement_hours", "page"], ascending=[False, True], na_position="last")
    return out[cols].head(top).reset_index(drop=True)


_LANG_PREFIX = re.compile(r"^/[a-z]{2}(?:[-_][a-z]{2})?(?=/)", re.IGNORECASE)


def _pattern_regex(patterns) -> str:
    return "|".join(f"(?:{fnmatch.translate(p.casefold())})" for p in patterns)


def match_pages(paths: pd.Series, patterns) -> pd.Series:
    """Paths matching any glob pattern, case-insensitively, with or without a leading language
    segment ('/fr/boutique/x' matches '/boutique*')."""
    if not patterns:
        return pd.Series(False, index=paths.index)
    p = page_path(paths).str.casefold()
    rx = _pattern_regex(patterns)
    return p.str.fullmatch(rx) | p.str.replace(_LANG_PREFIX, "", regex=True).str.fullmatch(rx)


def objective_pages(web_pages: pd.DataFrame, config: AuditConfig, period: Period | None = None,
                    account: str | None = None) -> pd.DataFrame:
    """For each objective with page patterns in audit.yml: the matching pages' views, users,
    key events, engagement hours, landing sessions, and their share of all page views
    (website.objective_page_view_share, Wilson interval); `declared` tells whether the objective
    is one of the client's objectives."""
    pages = _pages(web_pages, "page", period, account)
    landing = _pages(web_pages, "landing", period, account)
    total_views = pages["views"].sum()
    rows = []
    for objective, patterns in config.website.page_patterns.items():  # a few objectives
        m = match_pages(pages["page"], patterns).to_numpy(dtype=bool)
        lm = match_pages(landing["page"], patterns).to_numpy(dtype=bool)
        sel = pages[m]
        views = sel["views"].sum()
        base = sel["users"].fillna(sel["views"])
        share = proportion(views, total_views) if total_views > 0 else None
        rows.append({
            "objective": objective, "declared": objective in config.objectives, "patterns": ", ".join(patterns),
            "pages": int(page_path(sel["page"]).nunique()), "views": float(views),
            "users": sel["users"].sum(min_count=1), "key_events": sel["key_events"].sum(min_count=1),
            "engagement_hours": (sel["engagement_time_s"] * base).sum(min_count=1) / 3600,
            "landing_sessions": landing.loc[lm, "sessions"].sum(min_count=1),
            "view_share": share.value if share else np.nan, "low": share.low if share else np.nan,
            "high": share.high if share else np.nan,
        })
    return pd.DataFrame(rows, columns=["objective", "declared", "patterns", "pages", "views", "users",
                                       "key_events", "engagement_hours", "landing_sessions", "view_share",
                                       "low", "high"])


def objective_page_findings(web_pages: pd.DataFrame, config: AuditConfig, period: Period | None = None,
                            account: str | None = None, low_share: float = 0.02) -> list[Finding]:
    """A finding per declared objective whose pages get no views, or under `low_share` of all
    views, or that has no page pattern at all (nothing to check)."""
    if web_pages.empty:
        return []
    table = objective_pages(web_pages, config, period, account)
    out = []
    for obj in config.objectives:
        row = table[table["objective"] == obj]
        if row.empty:
            out.append(Finding(f"website.no_patterns_{obj}", DIRECTION, "info",
                               f"No page patterns for the '{obj}' objective",
                               f"audit.yml website.page_patterns has no entry for '{obj}', so the pages that "
                               "serve it cannot be checked.", {"objective": obj}))
            continue
        r = row.iloc[0]
        nums = {"objective": obj, "patterns": r["patterns"], "pages": int(r["pages"]), "views": r["views"],
                "view_share": None if pd.isna(r["view_share"]) else float(r["view_share"])}
        if r["pages"] == 0:
            out.append(Finding(f"website.no_pages_{obj}", DIRECTION, "medium",
                               f"No page of the site matches the '{obj}' objective",
                               f"No page path in the pages report matches {r['patterns']}. Either the site has "
                               "no such page or the patterns in audit.yml need adjusting.", nums))
        elif pd.notna(r["view_share"]) and r["view_share"] < low_share:
            out.append(Finding(f"website.few_views_{obj}", DIRECTION, "low",
                               f"The '{obj}' pages get {r['view_share']:.1%} of page views",
                               f"Pages matching {r['patterns']} receive few of the site's views; "
                               "social posts could point to them more.", nums))
    return out
