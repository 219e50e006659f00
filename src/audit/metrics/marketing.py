"""Marketing optimisation: what paid and organic actions cost and returned so far, and whether
they serve the objectives declared in audit.yml.

Every cost metric is a ratio of sums (total spend / total impressions...), never an average of
the per-row cost columns an export carries; results are only added up within one result type.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..config import AuditConfig, Period
from .findings import Finding
from .period import within
from .registry import metric
from .stats import Comparison, compare_rates, proportion
from .website import overlapping

DIRECTION = "marketing_optimisation"
LEVELS = ("campaign", "adset", "ad", "keyword", "search_term")  # coarsest first
AD_SUMS = ("spend", "impressions", "reach", "clicks", "link_clicks", "engagements", "video_views",
           "conversions", "conversion_value")
_SUM_WORDS = "ratio of sums over ad rows (one level per platform: campaigns, else ad sets, else ads), " \
             "counting only rows where both figures are reported"

M_SPEND = metric("marketing.spend", "Ad spend", DIRECTION, "currency", "amount spent on ads",
                 aggregation="sum over ad rows (one level per platform)",
                 caveats="in the ads export's currency; rows whose reporting range only partly overlaps the "
                         "period are counted whole", higher_is_better=None)
M_IMPRESSIONS = metric("marketing.impressions", "Paid impressions", DIRECTION, "count", "ad impressions",
                       aggregation="sum over ad rows")
M_REACH = metric("marketing.reach", "Paid reach (sum over rows)", DIRECTION, "count", "people reached by each ad row",
                 aggregation="sum over ad rows",
                 caveats="reach is not additive: a person reached by two campaigns (or on two days) counts twice, "
                         "so the sum is an upper bound of the people reached")
M_FREQUENCY = metric("marketing.frequency", "Frequency", DIRECTION, "ratio", "impressions", "reach", _SUM_WORDS,
                     caveats="uses the sum of reach over rows, so frequency is a lower bound when rows overlap in "
                             "audience", higher_is_better=None)
M_CPM = metric("marketing.cpm", "Cost per 1,000 impressions (CPM)", DIRECTION, "currency", "spend × 1000",
               "impressions", _SUM_WORDS, higher_is_better=False)
M_CPC = metric("marketing.cpc", "Cost per click (all clicks)", DIRECTION, "currency", "spend",
               "clicks (all clicks, including clicks that stay on the platform)", _SUM_WORDS, higher_is_better=False)
M_CPLC = metric("marketing.cost_per_link_click", "Cost per link click", DIRECTION, "currency", "spend",
                "link clicks (clicks to a destination outside the platform)", _SUM_WORDS, higher_is_better=False)
M_CTR = metric("marketing.ctr", "Click-through rate (all clicks)", DIRECTION, "fraction", "clicks (all)",
               "impressions", _SUM_WORDS)
M_LINK_CTR = metric("marketing.link_ctr", "Link click-through rate", DIRECTION, "fraction", "link clicks",
                    "impressions", _SUM_WORDS)
M_CPR = metric("marketing.cost_per_result", "Cost per result", DIRECTION, "currency", "spend",
               "results of the campaign's result type", _SUM_WORDS + ", within one result type",
               caveats="results of different types (leads, purchases, link clicks...) are never added; a group "
                       "that mixes types shows no cost per result. Meta may model results (iOS 14+)",
               higher_is_better=False)
M_CPE = metric("marketing.cost_per_engagement", "Cost per engagement", DIRECTION, "currency", "spend",
               "post engagements / interactions reported by the ads platform", _SUM_WORDS, higher_is_better=False)
M_PAID_ER = metric("marketing.paid_vs_organic_er_reach", "Engagement rate by reach, promoted vs organic posts",
                   DIRECTION, "fraction", "engagements of the posts (as the platform counts them)",
                   "reach of the same posts", "ratio of sums over posts, per platform; bootstrap over posts",
                   caveats="a promoted post's reach and engagements include the paid part")
M_LINK_SHARE = metric("marketing.posts_linking_to_site", "Share of posts linking to the brand's site", DIRECTION,
                      "fraction", "brand posts whose text or link contains one of the brand's domains (audit.yml "
                      "brand.domains)", "brand posts in the period", "ratio of sums over posts, Wilson interval",
                      caveats="exports often omit the link of a link post; then only links written in the text count")
M_ALIGNED_SPEND = metric("marketing.spend_aligned_with_objectives", "Share of ad spend serving the declared objectives",
                         DIRECTION, "fraction", "spend of ads whose objective serves one of the business objectives "
                         "(table AD_OBJECTIVES_FOR)", "spend of ads with a known objective", "ratio of sums")

# Which ad objectives serve each business objective (audit.yml `objectives`).
AD_OBJECTIVES_FOR: dict[str, frozenset[str]] = {
    "sales": frozenset({"sales", "traffic", "app"}),
    "leads": frozenset({"leads", "traffic"}),
    "traffic": frozenset({"traffic"}),
    "image": frozenset({"awareness", "video", "engagement"}),
    "engagement": frozenset({"engagement", "video"}),
    "customer_service": frozenset({"engagement"}),
    "recruitment": frozenset({"leads", "traffic", "awareness"}),
    "innovation": frozenset({"engagement"}),
}
# Severity thresholds, shares of posts / spend.
LINK_SHARE_MEDIUM = 0.10   # under 10 % of posts link to the shop: medium (0 %: high)
MISALIGNED_HIGH = 0.50     # half the known-objective spend serves no declared objective: high
MISALIGNED_MEDIUM = 0.20


def _safe_div(a, b, scale: float = 1.0):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, scale * a / b, np.nan)


def ads_in_scope(ads: pd.DataFrame, account: str | None = None, period: Period | None = None,
                 currency: str | None = None) -> pd.DataFrame:
    """Ad rows to count: the account's rows whose reporting range overlaps the period, at one level
    per platform (campaign rows when there are any, else ad sets, else ads), exact duplicates
    (same object, same range) dropped, keeping the last exported. With `currency`, only the rows
    in that currency (or naming none): a total of money never adds two currencies together (see
    `spend_in_other_currencies` for what is left out)."""
    df = ads if account is None else ads[ads["account"] == account]
    if currency is not None:
        df = df[~_other_currency(df, currency)]
    df = overlapping(df, period)
    if df.empty:
        return df
    level = df["level"].astype("str").str.casefold().fillna("campaign")
    # An unknown level counts as the finest, so it can never double a campaign report's spend.
    rank = level.map({lv: i for i, lv in enumerate(LEVELS)}).fillna(len(LEVELS))
    coarsest = rank.groupby(df["platform"]).transform("min")
    df = df[(rank == coarsest).to_numpy()]
    ident = ["platform", "level", "campaign_id", "campaign", "adset_id", "adset", "ad_id", "ad",
             "period_start", "period_end", "result_type"]
    return df.drop_duplicates(subset=ident, keep="last")


def _other_currency(df: pd.DataFrame, currency: str) -> np.ndarray:
    code = df["currency"].astype("str").str.strip().str.upper()
    return (code.notna() & (code != currency.strip().upper())).to_numpy(dtype=bool)


def spend_in_other_currencies(ads: pd.DataFrame, currency: str, account: str | None = None,
                              period: Period | None = None) -> pd.Series:
    """Spend per currency of the ad rows `ads_in_scope(..., currency=currency)` leaves out."""
    df = ads_in_scope(ads, account, period)
    df = df[_other_currency(df, currency)]
    return df["spend"].groupby(df["currency"].astype("str").str.strip().str.upper()).sum(min_count=1).dropna()


# Cost and rate columns: (numerator, denominator, scale), each a ratio of sums over rows where both are known.
RATIOS = {
    "frequency": ("impressions", "reach", 1), "cpm": ("spend", "impressions", 1000),
    "cpc": ("spend", "clicks", 1), "cost_per_link_click": ("spend", "link_clicks", 1),
    "ctr": ("clicks", "impressions", 1), "link_ctr": ("link_clicks", "impressions", 1),
    "cost_per_engagement": ("spend", "engagements", 1),
}


def ad_performance(ads: pd.DataFrame, by=("platform", "campaign_id", "campaign"), account: str | None = None,
                   period: Period | None = None, total: bool = True, currency: str | None = None) -> pd.DataFrame:
    """Spend and delivery by campaign, objective, platform, ad set... (`by`: column names; the
    default keeps apart campaigns that share a name, as Meta's 'Instagram Post' boosts do).

    Metric ids: marketing.spend, .impressions, .reach, .frequency, .cpm, .cpc, .cost_per_link_click,
    .ctr, .link_ctr, .cost_per_result, .cost_per_engagement. `results` and `cost_per_result` are
    filled only for groups with a single result type (named in `result_type`; 'mixed' otherwise).
    With `total`, a last row 'all' sums everything. Largest spend first. Money is never added
    across currencies: when the rows carry several, or one other than `currency` (audit.yml's, that
    of the rows naming none), `currency` becomes the first grouping key and there is one total per
    currency."""
    keys = list(by)
    df = ads_in_scope(ads, account, period)
    other = currency is not None and bool(_other_currency(df, currency).any())
    code = df["currency"].astype("str").str.strip().str.upper()  # 'eur' and 'EUR ' are EUR
    df = df.assign(currency=code if currency is None else code.fillna(currency.strip().upper()))
    by_currency = "currency" not in keys and (df["currency"].nunique() > 1 or other)
    keys = ["currency"] * by_currency + keys
    cols = keys + [c for c in ("rows", *AD_SUMS, "frequency", "cpm", "cpc", "cost_per_link_click", "ctr",
                               "link_ctr", "cost_per_engagement", "result_type", "results", "cost_per_result")
                   if c not in keys]
    if df.empty:
        return pd.DataFrame(columns=cols)
    df = df.assign(**{k: df[k].astype("str").fillna("(not set)") for k in keys})
    frames = [_perf(df, keys)]
    if total and keys:
        t = _perf(df, ["currency"] * by_currency)
        for k in keys[by_currency:]:
            t[k] = "all"
        frames.append(t)
    out = pd.concat(frames, ignore_index=True)
    return out[cols]


def _perf(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One groupby over a narrow frame: the sums, and the paired numerators/denominators of RATIOS."""
    by = keys or ["_all"]
    work = {k: df[k] for k in keys} if keys else {"_all": pd.Series("all", index=df.index)}
    work |= {c: df[c] for c in AD_SUMS}
    for name, (num, den, _) in RATIOS.items():
        both = df[num].notna() & df[den].notna()
        work[name + "__n"], work[name + "__d"] = df[num].where(both), df[den].where(both)
    # results are only added within one result type; cost per result over rows with both figures
    has = df["results"].notna()
    paid = has & df["spend"].notna()
    work |= {"results": df["results"], "_res_paid": df["results"].where(paid),
             "_spend_paid": df["spend"].where(paid),
             "_type": df["result_type"].astype("str").fillna("(not set)").where(has)}
    g = pd.DataFrame(work).groupby(by, dropna=False, sort=False)
    sums = g[[c for c in work if c not in by and c != "_type"]].sum(min_count=1)
    types = g["_type"].agg(["nunique", "first"])
    out = sums[list(AD_SUMS)].copy()
    out.insert(0, "rows", g.size())
    for name, (_, _, scale) in RATIOS.items():
        out[name] = _safe_div(sums[name + "__n"], sums[name + "__d"], scale)
    single = types["nunique"].eq(1).to_numpy()
    if "result_type" not in by:  # else the group key already names it
        out["result_type"] = np.where(single, types["first"].to_numpy(dtype=object),
                                      np.where(types["nunique"].gt(1).to_numpy(), "mixed", None))
    out["results"] = np.where(single, sums["results"].to_numpy(dtype=float), np.nan)
    out["cost_per_result"] = np.where(single, _safe_div(sums["_spend_paid"], sums["_res_paid"]), np.nan)
    out = out.reset_index(drop=not keys)
    return out.sort_values("spend", ascending=False, na_position="last", kind="stable")


# ----------------------------------------------------------------------- paid vs organic
def _brand_posts(posts: pd.DataFrame, account: str, period: Period | None, tz: str) -> pd.DataFrame:
    return within(posts[posts["account"] == account], "published_at", period, tz)


def paid_vs_organic(posts: pd.DataFrame, account: str, period: Period | None = None,
                    tz: str = "UTC") -> tuple[pd.DataFrame, list[Comparison]]:
    """Promoted vs organic posts of `account`, per platform (marketing.paid_vs_organic_er_reach).

    Table: platform, group ('promoted', 'organic', 'unknown' when the export has no paid flag),
    posts, impressions, reach, engagements, er_reach and er_impressions (ratios of sums over posts
    where both are known), median per-post er_reach. Comparisons: promoted vs organic engagement
    rate by reach per platform (bootstrap over posts)."""
    df = _brand_posts(posts, account, period, tz)
    grp = np.where(df["is_paid"].isna(), "unknown", np.where(df["is_paid"].fillna(False), "promoted", "organic"))
    df = df.assign(group=grp, _er=_safe_div(df["engagements"], df["reach"]))
    cols = ["platform", "group", "posts", "impressions", "reach", "engagements", "er_reach", "er_impressions",
            "median_er_reach"]
    if df.empty:
        return pd.DataFrame(columns=cols), []
    g = df.groupby(["platform", "group"])
    out = g[["impressions", "reach", "engagements"]].sum(min_count=1)
    out.insert(0, "posts", g.size())
    for col, den in (("er_reach", "reach"), ("er_impressions", "impressions")):
        both = df["engagements"].notna() & df[den].notna() & (df[den] > 0)
        p = df.assign(_n=df["engagements"].where(both), _d=df[den].where(both)).groupby(["platform", "group"])
        out[col] = _safe_div(p["_n"].sum(min_count=1).reindex(out.index), p["_d"].sum(min_count=1).reindex(out.index))
    out["median_er_reach"] = g["_er"].median()
    out = out.reset_index()[cols]
    comps = []
    for platform, d in df.groupby("platform", sort=True):  # one comparison per platform
        a, b = d[d["group"] == "promoted"], d[d["group"] == "organic"]
        if len(a) and len(b):
            comps.append(compare_rates(a["engagements"].to_numpy(float, na_value=np.nan),
                                       a["reach"].to_numpy(float, na_value=np.nan),
                                       b["engagements"].to_numpy(float, na_value=np.nan),
                                       b["reach"].to_numpy(float, na_value=np.nan),
                                       M_PAID_ER.id, f"{platform} promoted", f"{platform} organic"))
    return out, comps


# ----------------------------------------------------------------------- objective alignment
def _domain_pattern(domains) -> str | None:
    ds = [d.strip().casefold().removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")
          for d in domains if d and d.strip()]
    if not ds:
        return None
    return r"(?<![\w.-])(?:[\w-]+\.)*(?:" + "|".join(re.escape(d) for d in ds) + r")(?![\w-])"


def posts_linking(posts: pd.DataFrame, domains) -> pd.Series:
    """True for posts whose text or permalink contains one of `domains` (sub-domains included,
    case-insensitive): 'shop.example.com/x' matches domain 'example.com', 'notexample.com' does not."""
    pat = _domain_pattern(domains)
    if pat is None:
        return pd.Series(False, index=posts.index)
    text = posts["text"].astype("str").fillna("") + " " + posts["permalink"].astype("str").fillna("")
    return text.str.casefold().str.contains(pat, regex=True)


def link_share(posts: pd.DataFrame, config: AuditConfig, period: Period | None = None) -> tuple:
    """(Estimate of marketing.posts_linking_to_site, share of posts with link clicks): brand posts
    in the period whose text or link names one of config.brand.domains."""
    df = _brand_posts(posts, config.brand.name, period, config.timezone)
    k = int(posts_linking(df, config.brand.domains).sum())
    with_clicks = int((df["link_clicks"] > 0).fillna(False).sum())
    return proportion(k, len(df), M_LINK_SHARE.id, "brand posts"), with_clicks


def spend_by_objective(ads: pd.DataFrame, account: str | None = None, period: Period | None = None,
                       currency: str | None = None) -> pd.Series:
    """Ad spend per normalised ad objective ('(not set)' when missing), largest first; in `currency`
    only when it is given (see ads_in_scope)."""
    df = ads_in_scope(ads, account, period, currency)
    if df.empty:
        return pd.Series(dtype=float)
    obj = df["objective"].astype("str").str.casefold().fillna("(not set)")
    return df["spend"].groupby(obj).sum(min_count=1).dropna().sort_values(ascending=False)


def objective_findings(config: AuditConfig, posts: pd.DataFrame, ads: pd.DataFrame,
                       period: Period | None = None) -> list[Finding]:
    """Checks that current efforts serve the declared objectives:

    - marketing.sales_without_site_links: a sales, leads or traffic objective while few brand posts
      link to the brand's domains (high at 0 %, medium under 10 %);
    - marketing.ads_misaligned: share of ad spend (with a known ad objective) whose objective serves
      none of the business objectives (high from 50 %, medium from 20 %); the aligned share is
      metric marketing.spend_aligned_with_objectives (numbers['aligned_share']);
    - marketing.sales_without_conversion_data: a sales objective, ad spend, and no conversion
      reported by the ads exports;
    - marketing.ad_spend_in_other_currencies: ad rows in another currency than audit.yml's, left
      out of the checks above and of every other money total (medium).
    Each finding carries the numbers it rests on."""
    out: list[Finding] = []
    objectives = set(config.objectives)
    link_objs = sorted(objectives & {"sales", "leads", "traffic"})
    brand_posts = _brand_posts(posts, config.brand.name, period, config.timezone)
    if link_objs and len(brand_posts):
        if not config.brand.domains:
            out.append(Finding("marketing.site_links_unchecked", DIRECTION, "info",
                               "Links to the site could not be checked",
                               "audit.yml lists no brand.domains, so posts linking to the shop cannot be counted.",
                               {"objectives": link_objs, "posts": len(brand_posts)}))
        else:
            est, with_clicks = link_share(posts, config, period)
            share = est.value
            sev = "high" if est.n and share == 0 else "medium" if share < LINK_SHARE_MEDIUM else None
            nums = {"objectives": link_objs, "domains": list(config.brand.domains), "posts": est.n,
                    "posts_linking": round(share * est.n), "share": share, "low": est.low, "high": est.high,
                    "posts_with_link_clicks": with_clicks}
            if sev:
                out.append(Finding(
                    "marketing.sales_without_site_links", DIRECTION, sev,
                    f"{', '.join(link_objs).capitalize()} objective, but {share:.0%} of posts link to the site",
                    f"{nums['posts_linking']} of {est.n} brand posts in the period name "
                    f"{', '.join(config.brand.domains)} in their text or link (95 % interval {est.low:.0%}–"
                    f"{est.high:.0%}). Posts that never point to the shop cannot drive visits or sales. "
                    f"{with_clicks} posts had link clicks, so some links may be missing from the export.", nums))
            else:
                out.append(Finding("marketing.site_links_ok", DIRECTION, "info",
                                   f"{share:.0%} of posts link to the site", "Posts point to the brand's site "
                                   "regularly, in line with the objectives.", nums))

    other = spend_in_other_currencies(ads, config.currency, config.brand.name, period)
    if len(other):
        amounts = ", ".join(f"{v:,.0f} {k}" for k, v in other.items())
        out.append(Finding(
            "marketing.ad_spend_in_other_currencies", DIRECTION, "medium",
            f"Ad spend in other currencies than {config.currency} is left out of the totals",
            f"The ads exports also report {amounts}. Amounts in different currencies are never added "
            f"together: spend, costs and returns on ad spend count only the rows in {config.currency} "
            "(audit.yml `currency`). The campaign table shows each currency apart.",
            {"currency": config.currency, "left_out": {k: float(v) for k, v in other.items()}}))
    by_obj = spend_by_objective(ads, config.brand.name, period, config.currency)
    known = by_obj.drop("(not set)", errors="ignore")
    if known.sum() > 0:
        serving = set().union(*(AD_OBJECTIVES_FOR.get(o, frozenset()) for o in objectives))
        aligned = float(known[known.index.isin(serving)].sum())
        total = float(known.sum())
        mis = 1 - aligned / total
        nums = {"business_objectives": sorted(objectives), "ad_objectives_serving_them": sorted(serving),
                "spend_by_ad_objective": {k: float(v) for k, v in by_obj.items()},
                "aligned_share": aligned / total, "misaligned_share": mis, "currency": config.currency}
        sev = "high" if mis >= MISALIGNED_HIGH else "medium" if mis >= MISALIGNED_MEDIUM else None
        if sev:
            top = known[~known.index.isin(serving)].index[0]
            out.append(Finding(
                "marketing.ads_misaligned", DIRECTION, sev,
                f"{mis:.0%} of ad spend serves none of the declared objectives",
                f"Declared objectives: {', '.join(sorted(objectives))}. The largest misaligned ad objective is "
                f"'{top}' ({known[top]:,.0f} {config.currency}). For example, ads bought for engagement or "
                "reach do not serve a sales objective.", nums))
        else:
            out.append(Finding("marketing.ads_aligned", DIRECTION, "info",
                               f"{aligned / total:.0%} of ad spend serves the declared objectives",
                               "Ad objectives match the business objectives.", nums))

    if "sales" in objectives:
        df = ads_in_scope(ads, config.brand.name, period, config.currency)
        spend = df["spend"].sum()
        if spend > 0 and df["conversions"].fillna(0).sum() == 0 and df["conversion_value"].fillna(0).sum() == 0:
            out.append(Finding(
                "marketing.sales_without_conversion_data", DIRECTION, "medium",
                "Sales objective, but the ads exports report no conversion",
                "Ads spent money but no purchase or conversion value is reported: either the pixel/conversion "
                "API is not set up, or the export left the columns out. Cost per sale cannot be measured.",
                {"spend": float(spend), "currency": config.currency, "ad_rows": len(df)}))
    return out
