"""The audience each channel really has, against the target persona in audit.yml, and the
presence gap: where the brand is talked about and where customers say they are, against
where the brand is present.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schemas
from ..config import AuditConfig, Period, Target
from . import stats
from .brand import PLATFORM_COLS, SOCIAL, _in_period, mention_platform
from .channels import _posts_in
from .registry import metric

MAX_AGE = 100          # upper bound for open bands such as "65+"
GAP_MENTION_SHARE = 0.10   # a platform matters when at least this share of the brand's mentions is there
GAP_SURVEY_SHARE = 0.20    # ... or at least this share of surveyed customers say they use it

metric("audience.segment_share", "Audience share of a segment", "audience", "fraction",
       "the channel's followers (or viewers) in the segment, as exported", "all the channel's followers in the same "
       "dimension (the shares are rescaled to sum to 1 over the exported segments)",
       aggregation="latest composition on or before the period end, per platform, account and dimension",
       higher_is_better=None, caveats="platforms publish demographics only above a minimum audience size")
metric("audience.target_coverage", "Share of the audience in the target", "audience", "fraction",
       "the audience share matching the persona on one criterion: age (an exported age band counts for the "
       "fraction of its years inside the target bands, open bands such as 65+ end at 100), gender, country, city "
       "(the text before the first comma) or language (the code before '_' or '-'); for age x gender segments, "
       "age and gender must both match", "the whole audience in that dimension",
       aggregation="sum of matching segment shares, per channel and criterion",
       caveats="countries, cities and languages match when written as in the export (code or name, case ignored)")
metric("audience.target_fit", "Target fit score", "audience", "score",
       "100 x the mean of the channel's coverages over the persona criteria that both the persona defines and the "
       "channel reports (age x gender counts once, as the joint share; otherwise age and gender separately)",
       aggregation="per channel; 0 = nobody in the target, 100 = everybody on every criterion",
       caveats="channels reporting different criteria are not strictly comparable; see `criteria`")
metric("audience.mention_platform_share", "Where the brand is talked about", "audience", "fraction",
       "the brand's mentions published on the platform (from the mention's platform, source or URL)",
       "all the brand's mentions in the period", aggregation="proportion with a Wilson interval", higher_is_better=None)
metric("audience.survey_channel_share", "Where customers say they are", "audience", "fraction",
       "survey respondents who name the platform among the social channels they use",
       "respondents who answered the channels question", aggregation="proportion with a Wilson interval",
       higher_is_better=None)
metric("audience.presence_gap", "Presence gap", "audience", "score",
       f"per platform: 'absent where it matters' when at least {GAP_MENTION_SHARE:.0%} of the brand's mentions or "
       f"{GAP_SURVEY_SHARE:.0%} of surveyed customers are on a platform where the brand did not post in the period; "
       "'present where it matters' when it did; 'present, little said' when it posts there but neither threshold is "
       "reached", aggregation="per platform", higher_is_better=None)


# ---------------------------------------------------------------- demographics
def demographics(audience: pd.DataFrame, account: str | None = None, period: Period | None = None) -> pd.DataFrame:
    """Latest audience composition per (platform, account, dimension), shares rescaled to sum to 1.

    Metric audience.segment_share. Columns: platform, account, dimension, segment, age_band,
    gender, share, exported_share (as exported), exported_total (sum of exported shares), as_of."""
    a = audience if account is None else audience[audience["account"] == account]
    keys = ["platform", "account", "dimension"]
    cols = keys + ["segment", "age_band", "gender", "share", "exported_share", "exported_total", "as_of"]
    if period is not None:
        a = a[a["as_of"].isna() | (pd.to_datetime(a["as_of"]) <= pd.Timestamp(period.end))]
    if a.empty:
        return pd.DataFrame(columns=cols)
    a = a.assign(as_of=pd.to_datetime(a["as_of"]))
    latest = a.groupby(keys, dropna=False)["as_of"].transform("max")
    a = a[(a["as_of"] == latest) | latest.isna()].copy()
    # a share from the count when only counts are exported
    count_total = a.groupby(keys)["count"].transform("sum")
    share = a["share"].astype(float).fillna(a["count"] / count_total.where(count_total > 0))
    a["exported_share"] = share
    a["exported_total"] = share.groupby([a[k] for k in keys]).transform("sum")
    a["share"] = share / a["exported_total"].where(a["exported_total"] > 0)
    return a[cols].sort_values(keys + ["share"], ascending=[True, True, True, False]).reset_index(drop=True)


def _bands(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """[low, high) years of age bands written '25-34', '25–34', '65+' (NaN when not an age band)."""
    t = s.astype("str").str.replace("–", "-", regex=False).str.replace("—", "-", regex=False)
    rng = t.str.extract(r"(\d+)\s*-\s*(\d+)").astype(float)
    plus = t.str.extract(r"(\d+)\s*\+")[0].astype(float)
    low = rng[0].fillna(plus).to_numpy(dtype=float)
    high = (rng[1] + 1).fillna(plus.where(plus.isna(), MAX_AGE)).to_numpy(dtype=float)
    return low, high


def _age_fraction(bands: pd.Series, target_bands: list[str]) -> np.ndarray:
    """Fraction of each audience band's years that lies inside the target bands."""
    lo, hi = _bands(bands)
    tlo, thi = _bands(pd.Series(target_bands, dtype="str"))
    inside = np.zeros(len(lo))
    for a, b in zip(tlo, thi):  # a handful of target bands
        if np.isfinite(a) and np.isfinite(b):
            inside += np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.clip(inside / (hi - lo), 0, 1)


def _gender(d: pd.DataFrame) -> pd.Series:
    g = d["gender"].astype("str").str.casefold()
    seg = d["segment"].astype("str").str.casefold().str.strip()
    guess = pd.Series(pd.NA, index=d.index, dtype="str")
    guess[seg.str.contains(r"\b(?:women|woman|female|femmes?|f)\b|^f[.\s]", regex=True).fillna(False).to_numpy(bool)] = "female"
    guess[seg.str.contains(r"\b(?:men|man|male|hommes?|m)\b|^m[.\s]", regex=True).fillna(False).to_numpy(bool)] = "male"
    return g.fillna(guess)


def _match_text(seg: pd.Series, targets: list[str], how: str) -> np.ndarray:
    s = seg.astype("str").str.casefold().str.strip()
    if how == "city":
        s = s.str.split(",").str[0].str.strip()
    elif how == "language":
        s = s.str.split(r"[_-]", regex=True).str[0].str.strip()
    wanted = {t.casefold().strip() for t in targets}
    return s.isin(wanted).fillna(False).to_numpy(dtype=bool)


def target_fit(audience: pd.DataFrame, target: Target, account: str | None = None,
               period: Period | None = None) -> pd.DataFrame:
    """Coverage of the persona per channel and criterion, and the fit score.

    Metrics audience.target_coverage and audience.target_fit. Long format: platform, account,
    criterion (age_gender, age, gender, country, city, language, or 'fit'), coverage (0-1;
    for 'fit' the score 0-100 is in `score`), score, criteria (criteria used by the fit)."""
    d = demographics(audience, account, period)
    cols = ["platform", "account", "criterion", "coverage", "score", "criteria"]
    if d.empty:
        return pd.DataFrame(columns=cols)
    age = _age_fraction(d["age_band"].fillna(d["segment"]), target.age_bands) if target.age_bands else None
    gender = _gender(d).isin(set(target.genders)).fillna(False).to_numpy(dtype=bool) if target.genders else None
    dim = d["dimension"].to_numpy()
    parts = {}
    if target.age_bands and target.genders:
        parts["age_gender"] = (dim == "age_gender", np.nan_to_num(age) * gender)
    if target.age_bands:
        parts["age"] = (np.isin(dim, ["age", "age_gender"]), np.nan_to_num(age))
    if target.genders:
        parts["gender"] = (np.isin(dim, ["gender", "age_gender"]), gender.astype(float))
    for crit, field in (("country", target.countries), ("city", target.cities), ("language", target.languages)):
        if field:
            parts[crit] = (dim == crit, _match_text(d["segment"], field, crit).astype(float))
    rows = []
    for crit, (rows_mask, hit) in parts.items():  # a few criteria, each a vectorized sum
        sub = d[rows_mask].assign(hit=hit[rows_mask] * d["share"].to_numpy()[rows_mask])
        # age and gender from their own dimension when exported, else from age x gender
        if crit in ("age", "gender"):
            own = sub.groupby(["platform", "account"])["dimension"].transform(lambda x: (x == crit).any())
            sub = sub[(sub["dimension"] == crit) | ~own]
        cov = sub.groupby(["platform", "account", "dimension"])["hit"].sum().groupby(["platform", "account"]).first()
        rows.append(cov.rename("coverage").reset_index().assign(criterion=crit))
    if not rows:
        return pd.DataFrame(columns=cols)
    cov = pd.concat(rows)
    # the fit: age x gender once when a channel has it, otherwise age and gender separately
    has_joint = cov[cov["criterion"] == "age_gender"][["platform", "account"]].assign(joint=True)
    cov = cov.merge(has_joint, on=["platform", "account"], how="left")
    used = ~(cov["joint"].fillna(False).astype(bool) & cov["criterion"].isin(["age", "gender"]))
    fit = cov[used].groupby(["platform", "account"]).agg(
        score=("coverage", lambda x: 100 * x.mean()), criteria=("criterion", lambda x: ", ".join(sorted(x))))
    fit = fit.reset_index().assign(criterion="fit", coverage=np.nan)
    out = pd.concat([cov.drop(columns="joint").assign(score=np.nan, criteria=""), fit])
    order = {c: i for i, c in enumerate(["fit", "age_gender", "age", "gender", "country", "city", "language"])}
    out = out.sort_values(["platform", "account", "criterion"], key=lambda c: c.map(order) if c.name == "criterion" else c)
    return out[cols].reset_index(drop=True)


# ---------------------------------------------------------------- presence gap
def survey_channels(surveys: pd.DataFrame, period: Period | None = None, tz="UTC") -> pd.DataFrame:
    """Share of respondents naming each platform (metric audience.survey_channel_share).
    Columns: platform, respondents, naming, share, low, high."""
    s = surveys
    if period is not None and s["submitted_at"].notna().any():
        from .period import within
        s = within(s, "submitted_at", period, tz)
    answered = s[s["channels"].notna() & (s["channels"].astype("str").str.strip() != "")]
    n = len(answered)
    cols = ["platform", "respondents", "naming", "share", "low", "high"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    named = (answered.assign(platform=answered["channels"].astype("str").str.casefold().str.split(";"))
             .explode("platform"))
    named["platform"] = named["platform"].str.strip()
    named = named[named["platform"] != ""].drop_duplicates(["response_id", "platform"])
    out = named.groupby("platform").size().rename("naming").reset_index()
    out["respondents"] = n
    lo, hi = stats.wilson_interval(out["naming"].to_numpy(), np.full(len(out), n))
    out["share"] = out["naming"] / n
    out["low"], out["high"] = lo, hi
    return out[cols].sort_values(["naming", "platform"], ascending=[False, True]).reset_index(drop=True)


def presence_gap(tables, config: AuditConfig, period: Period | None = None) -> pd.DataFrame:
    """Per platform: the brand's mention share, the survey share, whether and how much the brand
    posts there, and the verdict (metrics audience.mention_platform_share, survey_channel_share,
    presence_gap). Columns: platform, mentions, mention_share, mention_low, mention_high,
    survey_share, survey_low, survey_high, present, posts, posts_per_week, followers, gap."""
    tz = config.timezone
    brand = config.brand.name
    m = _in_period(_table(tables, "mentions"), period, tz, PLATFORM_COLS, account=brand)
    plat = mention_platform(m)
    n_m = len(m)
    ment = plat.value_counts().rename("mentions")
    surv = survey_channels(_table(tables, "surveys"), period, tz).set_index("platform")
    posts = _table(tables, "posts")
    posts = _posts_in(posts[posts["account"] == brand], period, tz)
    n_posts = posts.groupby("platform").size().rename("posts")
    daily = _table(tables, "account_daily")
    fol = daily[(daily["account"] == brand) & (daily["metric"] == "followers")].sort_values("date")
    fol = fol.groupby("platform")["value"].last().rename("followers")
    platforms = sorted((set(SOCIAL) & (set(ment.index) | set(surv.index) | set(n_posts.index) | set(fol.index)))
                       | set(n_posts.index))
    out = pd.DataFrame(index=pd.Index(platforms, name="platform"))
    out = out.join(ment).join(n_posts).join(fol)
    out[["mentions", "posts"]] = out[["mentions", "posts"]].fillna(0)
    lo, hi = stats.wilson_interval(out["mentions"].to_numpy(), np.full(len(out), n_m))
    out["mention_share"] = out["mentions"] / n_m if n_m else np.nan
    out["mention_low"], out["mention_high"] = lo, hi
    out = out.join(surv[["share", "low", "high"]].rename(columns=lambda c: f"survey_{c}"))
    days = (period.end - period.start).days + 1 if period is not None else None
    out["posts_per_week"] = out["posts"] / (days / 7) if days else np.nan
    out["present"] = out["posts"] > 0
    matters = (out["mention_share"].fillna(0) >= GAP_MENTION_SHARE) | (out["survey_share"].fillna(0) >= GAP_SURVEY_SHARE)
    out["gap"] = np.select([matters & ~out["present"], matters & out["present"], out["present"]],
                           ["absent where it matters", "present where it matters", "present, little said"], "")
    if n_m == 0 and surv.empty:
        out["gap"] = "no mention or survey data"
    cols = ["mentions", "mention_share", "mention_low", "mention_high", "survey_share", "survey_low", "survey_high",
            "present", "posts", "posts_per_week", "followers", "gap"]
    return out.reset_index()[["platform"] + cols]


def _table(tables, name: str) -> pd.DataFrame:
    """A canonical table from a Tables or a dict of frames (empty with its columns when absent)."""
    df = tables.get(name) if isinstance(tables, dict) else getattr(tables, name, None)
    return schemas.empty(name) if df is None else df
