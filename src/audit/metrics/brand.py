"""Brand health: what people say about the brand, where, who matters, and vs competitors.

Mentions come from a listening tool; each row's `account` is the brand or competitor whose
query found it. Branded search comes from Search Console query rows matched against the
brand's keywords in audit.yml.
"""
from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import AuditConfig, Period
from . import stats
from .period import local_day, within
from .registry import metric

SOCIAL = ("facebook", "instagram", "x", "linkedin", "youtube", "tiktok", "pinterest")
# Words in a mention's platform, source or URL that place it on a social network.
PLATFORM_HINTS = {
    "facebook": ("facebook", "fb.com", "fb.me"),
    "instagram": ("instagram", "instagr.am"),
    "x": ("twitter", "x.com", "t.co/"),
    "linkedin": ("linkedin", "lnkd.in"),
    "youtube": ("youtube", "youtu.be"),
    "tiktok": ("tiktok",),
    "pinterest": ("pinterest", "pin.it"),
}
OTHER_WEB = "other web"

# Influence score: weights of the three normalised components (published; change with `weights=`).
INFLUENCE_WEIGHTS = {"followers": 0.5, "mentions": 0.3, "engagement": 0.2}
SPIKE_WEEKS = 8        # same-weekday history used as the baseline
SPIKE_MIN_WEEKS = 4    # fewer same-weekday days before: no baseline, no verdict
SPIKE_K = 3.0          # robust standard deviations above the baseline

# ---------------------------------------------------------------- definitions
metric("brand_health.mentions", "Mention volume", "brand_health", "count",
       "mentions found by the listening tool for the account's query, published in the period",
       aggregation="count, overall and per calendar month", higher_is_better=None,
       caveats="depends on the listening tool's coverage and query; a census of what it found, not a sample")
metric("brand_health.mentions_per_day_change", "Change in mentions per day", "brand_health", "count",
       "mean mentions per day in the audit period minus the same in the comparison period",
       aggregation="difference of means over days (days without mentions count as 0), bootstrap over days",
       higher_is_better=None)
for s in ("positive", "neutral", "negative"):
    metric(f"brand_health.sentiment_{s}", f"{s.capitalize()} share", "brand_health", "fraction",
           f"mentions labelled {s}", "mentions with a sentiment label (unlabelled ones are left out)",
           aggregation="proportion with a Wilson interval, overall and per platform",
           caveats="automatic sentiment misreads irony; check a sample by hand",
           higher_is_better={"positive": True, "neutral": None, "negative": False}[s])
metric("brand_health.net_sentiment", "Net sentiment", "brand_health", "score",
       "positive mentions minus negative mentions", "positive plus negative mentions",
       aggregation="(pos - neg) / (pos + neg), from -1 to +1; interval = Wilson interval of pos / (pos + neg) mapped by 2p - 1",
       caveats="neutral mentions do not count; automatic sentiment misreads irony")
metric("brand_health.share_of_voice", "Share of voice", "brand_health", "fraction",
       "mentions found for the brand", "mentions found for the brand and all competitors in audit.yml",
       aggregation="proportion with a Wilson interval, overall, per platform and per month",
       caveats="the interval treats mentions as independent; bursts of related mentions make it too narrow")
metric("brand_health.share_of_voice_reach", "Share of voice by reach", "brand_health", "fraction",
       "estimated reach of the brand's mentions", "estimated reach of all accounts' mentions",
       aggregation="ratio of sums (mentions with a reach value)", caveats="reach is the listening tool's estimate")
metric("brand_health.mentions_by_source", "Mentions by source", "brand_health", "fraction",
       "mentions from the source (domain or category as exported) and from each platform", "all the account's mentions",
       aggregation="proportion with a Wilson interval", higher_is_better=None)
metric("brand_health.author_influence", "Author influence score", "brand_health", "score",
       "100 x (0.5 F + 0.3 M + 0.2 E), where F = log(1 + the author's largest follower count) / log(1 + the largest "
       "among authors), M = the same for the author's number of mentions, E = the same for the summed engagement "
       "on the author's mentions",
       aggregation="per author over the period; ranked; `rank_equal_weights` shows the rank with equal weights",
       caveats="a component that no author has (e.g. no follower counts) is 0 for everyone")
metric("brand_health.mention_spike", "Mention spikes", "brand_health", "count",
       "days whose mention count exceeds baseline + 3 x max(robust SD, sqrt(baseline), 1), where baseline = the median "
       "count on the same weekday over the previous 8 weeks and robust SD = 1.4826 x the median absolute deviation of those "
       "same-weekday counts", aggregation="per day; needs at least 4 same-weekday days of history",
       higher_is_better=None, caveats="the weekday baseline takes weekly seasonality into account; a spike can be good or bad news")
metric("brand_health.branded_search_clicks", "Branded search clicks", "brand_health", "count",
       "Search Console clicks on queries containing a brand keyword (brand name and `keywords` in audit.yml, "
       "case and accents ignored)", aggregation="sum over query rows",
       caveats="Search Console hides anonymised queries; shares are of the visible query rows")
metric("brand_health.branded_search_impressions", "Branded search impressions", "brand_health", "count",
       "Search Console impressions on queries containing a brand keyword", aggregation="sum over query rows")
metric("brand_health.branded_search_ctr", "Branded search CTR", "brand_health", "fraction",
       "clicks on branded queries", "impressions of branded queries", aggregation="ratio of sums over query rows")
metric("brand_health.branded_search_position", "Branded search position", "brand_health", "position",
       "average position of branded queries weighted by their impressions", aggregation="impression-weighted mean",
       higher_is_better=False)
metric("brand_health.branded_search_share", "Share of branded queries", "brand_health", "fraction",
       "clicks on branded queries", "clicks on all visible queries", aggregation="ratio of sums over query rows",
       higher_is_better=None)
metric("brand_health.search_hidden_share", "Hidden (anonymised) search clicks", "brand_health", "fraction",
       "total clicks (from the daily rows) minus clicks summed over query rows", "total clicks from the daily rows",
       aggregation="ratio over the export's range", higher_is_better=False,
       caveats="only when the export has both daily and query rows for the same range")


# ---------------------------------------------------------------- helpers
def _fold(s: pd.Series) -> pd.Series:
    """Lower case without accents, for keyword matching."""
    return (s.astype("str").str.normalize("NFKD").str.replace(r"[\u0300-\u036f]", "", regex=True).str.lower())


def _fold_word(w: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)).lower()


PLATFORM_COLS = ("platform", "source", "url")   # what mention_platform reads


def _in_period(mentions: pd.DataFrame, period: Period | None, tz, cols=("account",),
               account: str | None = None) -> pd.DataFrame:
    """The mentions of the period (optionally of one account), only the columns asked for plus
    `published_at` and the local `day`: copying 1M rows of text costs more than the metric."""
    keep = list(dict.fromkeys(["account", "published_at", *cols]))
    m = mentions[keep]
    if account is not None:
        m = m[(m["account"] == account).to_numpy(dtype=bool)]
    day = local_day(m["published_at"], tz)
    if period is not None:
        mask = ((day >= pd.Timestamp(period.start)) & (day <= pd.Timestamp(period.end))).fillna(False)
        m, day = m[mask.to_numpy(dtype=bool)], day[mask]
    return m.assign(day=day)


def _labels(s: pd.Series) -> pd.Series:
    """Stripped lower-case labels, computed once per distinct value (sentiment, platform...)."""
    codes, uniques = pd.factorize(s)
    norm = pd.Series(uniques, dtype="str").str.strip().str.lower().to_numpy(dtype=object)
    out = np.where(codes >= 0, norm[np.maximum(codes, 0)] if len(norm) else None, None)
    return pd.Series(out, index=s.index, dtype="str")


_PLATFORM_NAMES = list(PLATFORM_HINTS) + [OTHER_WEB]   # platform codes: positions in this list


def _platform_of(values: pd.Series) -> np.ndarray:
    """Code of the social network named by each value (-1 when none), matched once per distinct value."""
    codes, uniques = pd.factorize(values)
    return _match_hints(codes, pd.Series(uniques, dtype="str"))


def _match_hints(codes: np.ndarray, uniques: pd.Series) -> np.ndarray:
    hits = np.full(len(uniques) + 1, -1, dtype=np.int8)  # last slot: missing values (code -1)
    u = uniques.str.lower()
    for i, hints in reversed(list(enumerate(PLATFORM_HINTS.values()))):  # the first listed wins
        found = u.str.contains("|".join(map(re.escape, hints)), regex=True).fillna(False).to_numpy(dtype=bool)
        hits[:-1][found] = i
    return hits[codes]


def _url_platforms(urls: pd.Series) -> np.ndarray:
    """Code of the social network named by each URL's host, with Arrow's regex engine (Python's
    costs ~1 s per million URLs) and matching once per distinct host."""
    arr = pa.array(urls.astype("str"))
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    host = pc.struct_field(pc.extract_regex(arr, r"^[A-Za-z][A-Za-z0-9+.-]*://(?P<host>[^/?#]+)"), [0])
    enc = pc.dictionary_encode(host)
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)
    return _match_hints(codes, pd.Series(enc.dictionary.to_pylist(), dtype="str"))


def mention_platform(mentions: pd.DataFrame) -> pd.Series:
    """Where each mention was published: the social network named by its platform, else by its
    source, else by its URL's host; 'other web' when none names one."""
    codes, uniques = pd.factorize(mentions["platform"])
    named = pd.Series(uniques, dtype="str").str.strip().str.lower()
    own = np.append(named.map({p: i for i, p in enumerate(_PLATFORM_NAMES[:-1])}).fillna(-1).to_numpy(np.int8), -1)
    out = np.full(len(mentions), len(_PLATFORM_NAMES) - 1, dtype=np.int8)
    for guess in (_url_platforms(mentions["url"]), _platform_of(mentions["source"]), own[codes]):  # lowest priority first
        out = np.where(guess >= 0, guess, out)
    cat = pd.Categorical.from_codes(out, categories=_PLATFORM_NAMES)
    return pd.Series(cat, index=mentions.index).astype("str")


def _brand_name(brand) -> str:
    return brand.brand.name if isinstance(brand, AuditConfig) else str(brand)


# ---------------------------------------------------------------- volume
def mention_volume(mentions: pd.DataFrame, period: Period | None = None, tz="UTC") -> pd.DataFrame:
    """Mentions per account and calendar month (metric brand_health.mentions): account, month, mentions."""
    m = _in_period(mentions, period, tz)
    month = pd.Series(m["day"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=m.index)
    out = m.groupby([m["account"], month.rename("month")]).size().rename("mentions").reset_index()
    return out.sort_values(["account", "month"]).reset_index(drop=True)


def _daily_counts(m: pd.DataFrame, period: Period) -> np.ndarray:
    days = pd.date_range(period.start, period.end, freq="D")
    return m.groupby("day").size().reindex(days, fill_value=0).to_numpy(dtype=float)


def volume_change(mentions: pd.DataFrame, account: str, period: Period, comparison: Period,
                  tz="UTC") -> stats.Comparison:
    """Mean mentions per day, audit period (a) vs comparison period (b), bootstrap over days.

    Metric brand_health.mentions_per_day_change."""
    m = _in_period(mentions, None, tz, account=account)
    a = _daily_counts(_in_period(m, period, tz), period)
    b = _daily_counts(_in_period(m, comparison, tz), comparison)
    return stats.compare_groups(a, b, "brand_health.mentions_per_day_change",
                                f"{period.start}..{period.end}", f"{comparison.start}..{comparison.end}", stat="mean")


# ---------------------------------------------------------------- sentiment
def sentiment(mentions: pd.DataFrame, period: Period | None = None, tz="UTC", by_platform: bool = False) -> pd.DataFrame:
    """Sentiment split and net sentiment per account (and platform), with Wilson intervals.

    Metrics: brand_health.sentiment_{positive,neutral,negative}, brand_health.net_sentiment.
    Columns: account[, platform], mentions, labelled, positive, neutral, negative, <s>_share,
    <s>_low, <s>_high, net_sentiment, net_low, net_high."""
    m = _in_period(mentions, period, tz, ("sentiment",) + (PLATFORM_COLS if by_platform else ()))
    keys = ["account"] + (["platform"] if by_platform else [])
    m = m.assign(platform=mention_platform(m)) if by_platform else m
    m = m.assign(label=_labels(m["sentiment"]))
    labels = ["positive", "neutral", "negative"]
    counts = m[m["label"].isin(labels)].groupby(keys + ["label"]).size().unstack("label")
    counts = counts.reindex(columns=labels).fillna(0).astype(int)
    out = m.groupby(keys).size().rename("mentions").to_frame().join(counts).fillna(0)
    out["labelled"] = out[labels].sum(axis=1)
    for s in labels:
        lo, hi = stats.wilson_interval(out[s].to_numpy(), out["labelled"].to_numpy())
        out[f"{s}_share"] = out[s] / out["labelled"].where(out["labelled"] > 0)
        out[f"{s}_low"], out[f"{s}_high"] = lo, hi
    polar = out["positive"] + out["negative"]
    lo, hi = stats.wilson_interval(out["positive"].to_numpy(), polar.to_numpy())
    out["net_sentiment"] = (out["positive"] - out["negative"]) / polar.where(polar > 0)
    out["net_low"], out["net_high"] = 2 * lo - 1, 2 * hi - 1
    return out.reset_index()


# ---------------------------------------------------------------- share of voice
def share_of_voice(mentions: pd.DataFrame, brand, period: Period | None = None, tz="UTC",
                   by: str | None = None) -> pd.DataFrame:
    """Brand mentions / all accounts' mentions, overall or by 'platform' or 'month'.

    Metrics: brand_health.share_of_voice (Wilson interval), brand_health.share_of_voice_reach.
    `brand` is the AuditConfig or the brand's name. One row per group: group, brand_mentions,
    mentions, accounts, share_of_voice, low, high, brand_reach, reach, share_of_voice_reach."""
    name = _brand_name(brand)
    m = _in_period(mentions, period, tz, ("reach",) + (PLATFORM_COLS if by == "platform" else ()))
    if by == "platform":
        grp = mention_platform(m)
    elif by == "month":
        grp = pd.Series(m["day"].to_numpy().astype("datetime64[M]").astype("datetime64[ns]"), index=m.index)
    elif by is None:
        grp = pd.Series("all", index=m.index)
    else:
        raise ValueError("share_of_voice: by must be None, 'platform' or 'month'")
    is_brand = (m["account"] == name).to_numpy()
    reach = m["reach"].astype(float)
    d = pd.DataFrame({"group": grp.to_numpy(), "is_brand": is_brand, "account": m["account"].to_numpy(),
                      "reach": reach.to_numpy(), "brand_reach": np.where(is_brand, reach, 0.0)})
    d.loc[reach.isna().to_numpy(), "brand_reach"] = np.nan
    g = d.groupby("group")
    out = g.agg(brand_mentions=("is_brand", "sum"), mentions=("is_brand", "size"), accounts=("account", "nunique"))
    out = out.join(g[["brand_reach", "reach"]].sum(min_count=1))
    lo, hi = stats.wilson_interval(out["brand_mentions"].to_numpy(), out["mentions"].to_numpy())
    out["share_of_voice"] = out["brand_mentions"] / out["mentions"]
    out["low"], out["high"] = lo, hi
    out["share_of_voice_reach"] = out["brand_reach"] / out["reach"].where(out["reach"] > 0)
    cols = ["brand_mentions", "mentions", "accounts", "share_of_voice", "low", "high", "brand_reach", "reach",
            "share_of_voice_reach"]
    return out.reset_index()[["group"] + cols]


# ---------------------------------------------------------------- sources
def mentions_by_source(mentions: pd.DataFrame, account: str, period: Period | None = None, tz="UTC",
                       key: str = "source") -> pd.DataFrame:
    """The account's mentions per source (key='source') or per platform (key='platform'),
    largest first, with shares and Wilson intervals. Metric brand_health.mentions_by_source."""
    m = _in_period(mentions, period, tz, PLATFORM_COLS, account=account)
    labels = mention_platform(m) if key == "platform" else m["source"].astype("str").fillna("(unknown)")
    out = labels.value_counts().rename_axis(key).rename("mentions").reset_index()
    total = len(m)
    lo, hi = stats.wilson_interval(out["mentions"].to_numpy(), np.full(len(out), total))
    out["share"] = out["mentions"] / total if total else np.nan
    out["low"], out["high"] = lo, hi
    return out.sort_values(["mentions", key], ascending=[False, True]).reset_index(drop=True)


# ---------------------------------------------------------------- authors
def influencers(mentions: pd.DataFrame, account: str | None = None, period: Period | None = None, tz="UTC",
                n: int | None = 20, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Authors ranked by the published influence score (metric brand_health.author_influence).

    Columns: author, mentions, followers, engagement, reach, positive, negative, platforms,
    tool_influence (the tool's own score, max), F, M, E, influence, rank, rank_equal_weights."""
    w = INFLUENCE_WEIGHTS | (weights or {})
    m = _in_period(mentions, period, tz, ("author", "author_followers", "engagement", "reach", "sentiment",
                                          "influence") + PLATFORM_COLS, account=account)
    m = m[(m["author"].notna() & (m["author"].astype("str").str.strip() != "")).to_numpy(dtype=bool)]
    lab = _labels(m["sentiment"])
    m = m.assign(pos=(lab == "positive").fillna(False).to_numpy(bool), neg=(lab == "negative").fillna(False).to_numpy(bool))
    a = m.groupby("author").agg(mentions=("author", "size"), followers=("author_followers", "max"),
                                engagement=("engagement", "sum"), reach=("reach", "sum"),
                                positive=("pos", "sum"), negative=("neg", "sum"),
                                tool_influence=("influence", "max"))
    comps = {"F": "followers", "M": "mentions", "E": "engagement"}
    for c, col in comps.items():
        x = np.log1p(a[col].astype(float).clip(lower=0))
        top = x.max()
        a[c] = (x / top).fillna(0.0) if top and top > 0 else 0.0
    a["influence"] = 100 * (w["followers"] * a["F"] + w["mentions"] * a["M"] + w["engagement"] * a["E"])
    a["equal"] = (a["F"] + a["M"] + a["E"]) / 3
    a = a.reset_index().sort_values(["influence", "author"], ascending=[False, True])
    a["rank"] = np.arange(1, len(a) + 1)
    a["rank_equal_weights"] = a["equal"].rank(ascending=False, method="min").astype(int)
    a = a.drop(columns="equal").reset_index(drop=True)
    a = a if n is None else a.head(n)
    # platforms only for the authors shown (joining strings per author is the slow part)
    shown = m[m["author"].isin(a["author"]).to_numpy(dtype=bool)]
    shown = shown.assign(plat=mention_platform(shown))[["author", "plat"]].drop_duplicates().sort_values("plat")
    plats = shown.groupby("author")["plat"].agg(", ".join)
    a.insert(7, "platforms", a["author"].map(plats))
    return a


# ---------------------------------------------------------------- spikes
def spikes(mentions: pd.DataFrame, account: str, period: Period | None = None, tz="UTC") -> pd.DataFrame:
    """Daily mentions with a same-weekday baseline; `is_spike` marks unusual days (metric brand_health.mention_spike).

    History before the period (when the table has it) feeds the baseline. Columns: day,
    weekday, mentions, baseline, robust_sd, threshold, is_spike (False where there is no baseline)."""
    day = _in_period(mentions, None, tz, account=account)["day"]
    cols = ["day", "weekday", "mentions", "baseline", "robust_sd", "threshold", "is_spike"]
    if day.dropna().empty:
        return pd.DataFrame(columns=cols)
    first = day.min()
    last = day.max() if period is None else max(day.max(), pd.Timestamp(period.end))
    if period is not None:
        first = min(first, pd.Timestamp(period.start))
    days = pd.date_range(first, last, freq="D")
    counts = day.value_counts().reindex(days, fill_value=0).to_numpy(dtype=float)
    # same weekday over the previous SPIKE_WEEKS weeks: column k holds the count 7*(k+1) days earlier
    hist = np.full((len(counts), SPIKE_WEEKS), np.nan)
    for k in range(SPIKE_WEEKS):  # 8 shifted copies of the series
        lag = 7 * (k + 1)
        hist[lag:, k] = counts[:-lag] if lag < len(counts) else np.nan
    enough = np.sum(~np.isnan(hist), axis=1) >= SPIKE_MIN_WEEKS
    with np.errstate(all="ignore"):
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            base = np.nanmedian(hist, axis=1)
            mad = np.nanmedian(np.abs(hist - base[:, None]), axis=1)
    sd = 1.4826 * mad
    threshold = base + SPIKE_K * np.maximum.reduce([sd, np.sqrt(np.maximum(base, 0)), np.ones_like(base)])
    base, sd, threshold = (np.where(enough, x, np.nan) for x in (base, sd, threshold))
    out = pd.DataFrame({"day": days, "weekday": days.day_name(), "mentions": counts, "baseline": base,
                        "robust_sd": sd, "threshold": threshold, "is_spike": enough & (counts > np.nan_to_num(threshold, nan=np.inf))})
    if period is not None:
        out = out[(out["day"] >= pd.Timestamp(period.start)) & (out["day"] <= pd.Timestamp(period.end))]
    return out.reset_index(drop=True)


# ---------------------------------------------------------------- branded search
def brand_keywords(config: AuditConfig) -> list[str]:
    words = [config.brand.name, *config.brand.keywords]
    return sorted({_fold_word(w).strip() for w in words if w and w.strip()})


def branded_search(search: pd.DataFrame, config: AuditConfig, period: Period | None = None) -> dict:
    """Branded vs non-branded Search Console queries (metrics brand_health.branded_search_*,
    brand_health.search_hidden_share).

    Query rows are kept when their date (daily rows) or their export range overlaps the period.
    Returns a dict: keywords, range_start, range_end, query_rows, branded_queries, and for
    'branded', 'non_branded' and 'all': clicks, impressions, ctr, position; branded_share_clicks,
    branded_share_impressions, total_clicks_daily, hidden_share (None when not computable)."""
    s = search
    if period is not None and len(s):
        start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
        d = pd.to_datetime(s["date"])
        ps, pe = pd.to_datetime(s["period_start"]), pd.to_datetime(s["period_end"])
        keep = d.between(start, end) | (d.isna() & (ps.isna() | (ps <= end)) & (pe.isna() | (pe >= start)))
        s = s[keep.to_numpy(dtype=bool)]
    q = s[s["dimension"] == "query"]
    words = brand_keywords(config)
    pattern = "|".join(re.escape(w) for w in words)
    is_brand = _fold(q["value"]).str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool) if len(q) else \
        np.zeros(0, dtype=bool)

    def block(rows: pd.DataFrame) -> dict:
        clicks, imps = float(rows["clicks"].sum()), float(rows["impressions"].sum())
        w = rows["impressions"].where(rows["position"].notna())
        pos = float((rows["position"] * w).sum() / w.sum()) if w.sum() > 0 else None
        return {"rows": len(rows), "clicks": clicks, "impressions": imps,
                "ctr": clicks / imps if imps > 0 else None, "position": pos}

    out = {"keywords": words, "query_rows": int(len(q)), "branded_queries": int(is_brand.sum()),
           "range_start": _min_date(s), "range_end": _max_date(s),
           "branded": block(q[is_brand]), "non_branded": block(q[~is_brand]), "all": block(q)}
    tot = out["all"]
    out["branded_share_clicks"] = out["branded"]["clicks"] / tot["clicks"] if tot["clicks"] > 0 else None
    out["branded_share_impressions"] = (out["branded"]["impressions"] / tot["impressions"]
                                        if tot["impressions"] > 0 else None)
    daily = s[s["dimension"] == "date"]
    total = float(daily["clicks"].sum()) if len(daily) else None
    out["total_clicks_daily"] = total
    out["hidden_share"] = (max(0.0, (total - tot["clicks"]) / total) if total and len(q) else None)
    return out


def _min_date(s: pd.DataFrame):
    v = pd.concat([pd.to_datetime(s["date"]), pd.to_datetime(s["period_start"])]).min()
    return None if pd.isna(v) else v.date()


def _max_date(s: pd.DataFrame):
    v = pd.concat([pd.to_datetime(s["date"]), pd.to_datetime(s["period_end"])]).max()
    return None if pd.isna(v) else v.date()
