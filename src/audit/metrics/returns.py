"""Generating returns: visits, conversions and revenue that social media brings, what they cost,
and whether platform clicks and analytics sessions tell the same story.

Social traffic is read from web analytics' channel groups: GA4 'Organic Social' and 'Paid Social',
Universal Analytics 'Social' (case-insensitive). Social conversion rates are compared with the
other channels of the same site (independent groups), and the site average is shown alongside.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import AuditConfig, Period
from .findings import Finding
from .marketing import ads_in_scope
from .period import within
from .registry import metric
from .stats import Comparison, Estimate, compare_proportions, compare_rates, poisson_interval, proportion
from .website import traffic

DIRECTION = "generating_returns"
SOCIAL_CHANNELS = {"organic social": "organic", "paid social": "paid", "social": "social (UA, not split)"}
# Ad platforms that are not social media: their spend is left out of social ROAS and cost per lead.
NON_SOCIAL_AD_PLATFORMS = frozenset({"google_ads", "microsoft_ads", "bing_ads"})
# Reconciliation thresholds: social sessions / platform link clicks.
RECON_LOW = 0.5    # under half the clicks arrive as social sessions: tagging problem
RECON_HIGH = 1.5   # many more sessions than clicks: sources not in the exports
RECON_MIN_CLICKS = 100

M_SOCIAL_SESSIONS = metric(
    "returns.social_sessions", "Sessions from social media", DIRECTION, "count",
    "sessions in the channel groups Organic Social, Paid Social (GA4) or Social (UA)",
    aggregation="sum over channel-group rows in the period",
    caveats="visits from untagged links in apps often land in Direct, so this is a lower bound")
M_SOCIAL_SHARE = metric(
    "returns.social_session_share", "Share of sessions from social", DIRECTION, "fraction",
    "sessions from social channel groups", "all sessions (all channel groups)", "ratio of sums, Wilson interval")
M_SOCIAL_ENGAGED = metric(
    "returns.social_engaged_rate", "Engaged-session rate of social visits", DIRECTION, "fraction",
    "engaged sessions from social channel groups", "sessions from social channel groups (rows with both figures)",
    "ratio of sums, Wilson interval; compared with the other channels by a Newcombe interval")
M_SOCIAL_CONV = metric(
    "returns.social_key_event_rate", "Key events per social session", DIRECTION, "rate",
    "key events (conversions) in sessions from social", "sessions from social (rows with both figures)",
    "ratio of sums; exact Poisson interval; compared with the other channels by the exact rate ratio",
    caveats="GA4 attributes key events to the session's channel (last click); assisted conversions are not counted")
M_SITE_CONV = metric(
    "returns.site_key_event_rate", "Key events per session, whole site", DIRECTION, "rate",
    "key events, all channels", "sessions, all channels (rows with both figures)", "ratio of sums")
M_SOCIAL_TX = metric(
    "returns.social_transaction_rate", "Purchases per social session", DIRECTION, "fraction",
    "transactions in sessions from social", "sessions from social (rows with both figures)",
    "ratio of sums, Wilson interval; compared with the other channels by a Newcombe interval")
M_SOCIAL_REVENUE = metric(
    "returns.social_revenue", "Revenue from social visits", DIRECTION, "currency",
    "revenue of sessions from social channel groups (web analytics)", aggregation="sum over rows",
    caveats="last-click attribution by the analytics tool; in the property's currency")
_ONE_CURRENCY = "ad rows in another currency than audit.yml's `currency` are left out (never added together)"
M_ROAS = metric(
    "returns.roas_platform", "Return on ad spend (as the ad platforms report it)", DIRECTION, "ratio",
    "conversion value reported by the social ad platforms", "spend (rows with both figures)", "ratio of sums",
    caveats="the platforms' attribution windows (Meta: 7-day click by default) and modelled conversions "
            f"overstate what web analytics sees; {_ONE_CURRENCY}")
M_ROAS_WEB = metric(
    "returns.roas_analytics", "Return on ad spend (web analytics)", DIRECTION, "ratio",
    "revenue of Paid Social sessions in web analytics", "spend on social ad platforms", "ratio of sums",
    caveats="needs paid links tagged as paid (utm_medium such as paid_social or cpc); untagged ads land in "
            f"Organic Social and this figure is then too low; {_ONE_CURRENCY}")
M_CPL = metric(
    "returns.cost_per_lead", "Cost per lead", DIRECTION, "currency", "spend of social ads with the leads objective",
    "results of those ads (one result type)", "ratio of sums over rows with both figures", caveats=_ONE_CURRENCY,
    higher_is_better=False)
M_CPA = metric(
    "returns.cost_per_acquisition", "Cost per acquisition", DIRECTION, "currency", "spend on social ads",
    "conversions (purchases) those ads report", "ratio of sums over rows with both figures",
    caveats=f"blended over all campaigns that report conversions; {_ONE_CURRENCY}", higher_is_better=False)
M_CLICK_RATIO = metric(
    "returns.sessions_per_link_click", "Social sessions per platform link click", DIRECTION, "ratio",
    "sessions from social channel groups in web analytics", "link clicks reported by the platforms "
    "(brand posts published in the period + social ads)", "ratio of sums",
    caveats="a healthy ratio is a little under 1 (some clicks leave before the page loads); far under 1 means "
            "untagged links or lost sessions; post clicks are lifetime totals of posts published in the period",
    higher_is_better=None)


def _social_kind(value: pd.Series) -> pd.Series:
    return value.astype("str").str.strip().str.casefold().map(SOCIAL_CHANNELS)


def channel_traffic(web_traffic: pd.DataFrame, period: Period | None = None,
                    account: str | None = None) -> pd.DataFrame:
    """Channel-group rows in the period with `social`: 'organic', 'paid', 'social (UA, not split)'
    or NA for the other channels."""
    df = traffic(web_traffic, "channel_group", period, account)
    return df.assign(social=_social_kind(df["value"]))


def _both(df: pd.DataFrame, num: str, den: str = "sessions") -> tuple[float, float]:
    ok = df[num].notna() & df[den].notna()
    return float(df.loc[ok, num].sum()), float(df.loc[ok, den].sum())


def social_traffic(web_traffic: pd.DataFrame, period: Period | None = None,
                   account: str | None = None) -> pd.DataFrame:
    """Sessions, engaged-session rate, key events per session, transactions and revenue for each
    social channel group, all social, the other channels and the whole site (metrics
    returns.social_sessions, .social_session_share, .social_engaged_rate, .social_key_event_rate,
    .site_key_event_rate, .social_transaction_rate, .social_revenue). Rates are ratios of sums over
    rows with both figures."""
    df = channel_traffic(web_traffic, period, account)
    total = float(df["sessions"].sum())
    groups = {k: df[df["social"] == k] for k in SOCIAL_CHANNELS.values()}
    groups = {k: v for k, v in groups.items() if len(v)}
    groups |= {"all social": df[df["social"].notna()], "other channels": df[df["social"].isna()], "site": df}
    rows = []
    for label, d in groups.items():  # a handful of groups
        sessions = float(d["sessions"].sum())
        share = proportion(sessions, total) if total > 0 else Estimate(None, 0)
        e_k, e_n = _both(d, "engaged_sessions")
        eng = proportion(e_k, e_n)
        k_k, k_n = _both(d, "key_events")
        k_lo, k_hi = poisson_interval(k_k)
        t_k, t_n = _both(d, "transactions")
        rows.append({
            "group": label, "sessions": sessions, "share": share.value, "share_low": share.low,
            "share_high": share.high, "engaged_rate": eng.value, "engaged_low": eng.low, "engaged_high": eng.high,
            "key_events": k_k if k_n else np.nan, "key_events_per_session": k_k / k_n if k_n else np.nan,
            "kps_low": k_lo / k_n if k_n else np.nan, "kps_high": k_hi / k_n if k_n else np.nan,
            "transactions": t_k if t_n else np.nan, "transaction_rate": t_k / t_n if t_n else np.nan,
            "revenue": d["revenue"].sum(min_count=1),
        })
    return pd.DataFrame(rows)


def social_vs_other_channels(web_traffic: pd.DataFrame, period: Period | None = None,
                             account: str | None = None) -> list[Comparison]:
    """Social sessions (a) vs the other channels of the same site (b): engaged-session rate
    (returns.social_engaged_rate) and purchases per session (returns.social_transaction_rate), both
    Newcombe; key events per session (returns.social_key_event_rate, exact Poisson rate ratio).
    The purchases comparison is left out when transactions are missing."""
    df = channel_traffic(web_traffic, period, account)
    s, o = df[df["social"].notna()], df[df["social"].isna()]
    out = [compare_proportions(*_both(s, "engaged_sessions"), *_both(o, "engaged_sessions"),
                               M_SOCIAL_ENGAGED.id, "social", "other channels"),
           compare_rates(*_both(s, "key_events"), *_both(o, "key_events"), metric=M_SOCIAL_CONV.id,
                         a_label="social", b_label="other channels")]
    tk, tn = _both(s, "transactions")
    ok, on = _both(o, "transactions")
    if tn and on and tk <= tn and ok <= on:
        out.append(compare_proportions(tk, tn, ok, on, M_SOCIAL_TX.id, "social", "other channels"))
    return out


def _social_ads(ads: pd.DataFrame, account: str | None, period: Period | None,
                currency: str | None = None) -> pd.DataFrame:
    df = ads_in_scope(ads, account, period, currency)
    return df[~df["platform"].isin(NON_SOCIAL_AD_PLATFORMS).to_numpy()]


def returns_summary(web_traffic: pd.DataFrame, ads: pd.DataFrame, config: AuditConfig,
                    period: Period | None = None) -> list[Estimate]:
    """The headline figures of the direction, as Estimates (value None when the data is missing):
    returns.social_sessions, .social_session_share, .social_engaged_rate, .social_key_event_rate,
    .site_key_event_rate, .social_revenue, .roas_platform, .roas_analytics, .cost_per_lead,
    .cost_per_acquisition. Ad figures use the brand's social ad platforms only."""
    t = social_traffic(web_traffic, period, config.brand.name)
    ch = channel_traffic(web_traffic, period, config.brand.name)
    soc = ch[ch["social"].notna()]
    out = []
    n_soc = int(soc["sessions"].sum())
    out.append(Estimate(float(n_soc), n_soc, *poisson_interval(n_soc), M_SOCIAL_SESSIONS.id, "social")
               if len(soc) else Estimate(None, 0, metric=M_SOCIAL_SESSIONS.id, label="social"))
    total = float(ch["sessions"].sum())
    out.append(proportion(n_soc, total, M_SOCIAL_SHARE.id, "social") if total > 0
               else Estimate(None, 0, metric=M_SOCIAL_SHARE.id, label="social"))
    out.append(proportion(*_both(soc, "engaged_sessions"), M_SOCIAL_ENGAGED.id, "social"))
    for metric_id, d, label in ((M_SOCIAL_CONV.id, soc, "social"), (M_SITE_CONV.id, ch, "site")):
        k, n = _both(d, "key_events")
        lo, hi = poisson_interval(k)
        out.append(Estimate(k / n, int(n), lo / n, hi / n, metric_id, label) if n
                   else Estimate(None, 0, metric=metric_id, label=label))
    rev = soc["revenue"].sum(min_count=1)
    out.append(Estimate(None if pd.isna(rev) else float(rev), int(soc["revenue"].notna().sum()),
                        metric=M_SOCIAL_REVENUE.id, label="social"))

    a = _social_ads(ads, config.brand.name, period, config.currency)  # money in one currency only
    spend = a["spend"].sum(min_count=1)
    v, s = _both(a, "conversion_value", "spend")
    out.append(Estimate(v / s if s > 0 else None, int((a["conversion_value"].notna() & a["spend"].notna()).sum()),
                        metric=M_ROAS.id, label="social ads"))
    paid_rev = t.loc[t["group"] == "paid", "revenue"]
    paid_rev = float(paid_rev.iloc[0]) if len(paid_rev) and pd.notna(paid_rev.iloc[0]) else None
    out.append(Estimate(paid_rev / spend if paid_rev is not None and spend > 0 else None, len(a),
                        metric=M_ROAS_WEB.id, label="paid social"))
    leads = a[(a["objective"].astype("str").str.casefold() == "leads").to_numpy()]
    leads = leads[leads["results"].notna() & leads["spend"].notna()]
    single = leads["result_type"].astype("str").fillna("(not set)").nunique() == 1
    res = leads["results"].sum()
    out.append(Estimate(float(leads["spend"].sum() / res) if single and res > 0 else None, int(res) if single else 0,
                        metric=M_CPL.id, label=leads["result_type"].iloc[0] if single else "leads"))
    s2, c2 = _both(a, "spend", "conversions")
    out.append(Estimate(s2 / c2 if c2 > 0 else None, int(c2), metric=M_CPA.id, label="social ads"))
    return out


def reconcile_clicks(posts: pd.DataFrame, ads: pd.DataFrame, web_traffic: pd.DataFrame, config: AuditConfig,
                     period: Period | None = None) -> Finding:
    """UTM hygiene: platform link clicks (brand posts published in the period + social ads) against
    web analytics sessions from social (returns.sessions_per_link_click).

    Under 0.5 sessions per click (with at least 100 clicks): 'high' — links are probably not tagged
    or sessions get lost (consent banner, redirects). Paid clicks but no Paid Social session:
    'high' — ad links are not tagged as paid. Over 1.5: 'low' — social visits come from places the
    exports do not cover (bio links, other networks, shares). Otherwise 'info'."""
    brand = config.brand.name
    p = within(posts[posts["account"] == brand], "published_at", period, config.timezone)
    organic_clicks = float(p["link_clicks"].sum())
    a = _social_ads(ads, brand, period)
    paid_clicks = float(a["link_clicks"].sum())
    ch = channel_traffic(web_traffic, period, brand)
    sessions = {k: float(ch.loc[ch["social"] == k, "sessions"].sum()) for k in SOCIAL_CHANNELS.values()}
    social_sessions = sum(sessions.values())
    clicks = organic_clicks + paid_clicks
    nums = {"post_link_clicks": organic_clicks, "ad_link_clicks": paid_clicks, "link_clicks": clicks,
            "social_sessions": social_sessions, "organic_social_sessions": sessions["organic"],
            "paid_social_sessions": sessions["paid"], "ua_social_sessions": sessions["social (UA, not split)"],
            "sessions_per_click": social_sessions / clicks if clicks > 0 else None,
            "posts": len(p), "posts_with_link_clicks": int(p["link_clicks"].notna().sum())}
    fid = "returns.utm_hygiene"
    if clicks <= 0 or ch.empty:
        missing = "web analytics channel groups" if ch.empty else "link clicks in the post or ads exports"
        return Finding(fid, DIRECTION, "info", "Platform clicks and web sessions could not be reconciled",
                       f"No {missing} for the period, so the check cannot run.", nums)
    ratio = social_sessions / clicks
    if paid_clicks >= RECON_MIN_CLICKS and sessions["paid"] == 0 and sessions["social (UA, not split)"] == 0:
        return Finding(fid, DIRECTION, "high", "Ad clicks never show up as Paid Social visits",
                       f"The social ads report {paid_clicks:,.0f} link clicks but web analytics records no Paid "
                       "Social session: ad links are not tagged as paid (utm_medium such as paid_social or cpc), "
                       "so their visits are counted as organic, referral or direct and ad returns are invisible.",
                       nums)
    if ratio < RECON_LOW and clicks >= RECON_MIN_CLICKS:
        return Finding(fid, DIRECTION, "high" if ratio < RECON_LOW / 2 else "medium",
                       f"Only {ratio:.0%} of social link clicks arrive as social visits",
                       f"The platforms report {clicks:,.0f} link clicks; web analytics records {social_sessions:,.0f} "
                       "sessions from social. Links without UTM tags (visits counted as direct or referral), "
                       "in-app browsers and consent banners lose the rest: tag every link with utm_source, "
                       "utm_medium and utm_campaign.", nums)
    if ratio > RECON_HIGH:
        return Finding(fid, DIRECTION, "low", f"{ratio:.1f} social visits per platform link click",
                       "Web analytics counts more social sessions than the exported posts and ads have link "
                       "clicks: visits also come from links the exports do not cover (bio links, stories, "
                       "other networks, people sharing the site).", nums)
    return Finding(fid, DIRECTION, "info", f"{ratio:.0%} of social link clicks arrive as social visits",
                   "Platform clicks and analytics sessions broadly agree.", nums)
