"""Customer experience: how fast and how often the brand answers, what reviews and surveys say,
what customers complain about.

Time to first response is a survival question: a message still unanswered when the data was
exported has waited *at least* that long. Peers drop those messages (and look faster than they
are); we count them as right-censored and use the Kaplan–Meier estimate (metrics.survival).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import AuditConfig, BusinessHours, Period
from ..errors import ConfigError
from .innovation import has_keyword, theme_flags
from .period import local_day, within
from .registry import metric
from .stats import (MIN_N, NOT_ENOUGH, NO_DIFF, HIGHER, LOWER, Comparison, Estimate, bootstrap_ci,
                    compare_proportions, poisson_interval, proportion, wilson_interval)
from .survival import kaplan_meier, logrank

DIRECTION = "customer_experience"
SLA_HOURS = (1, 4, 24)

M_RESPONSE_RATE = metric(
    "experience.response_rate", "Response rate", DIRECTION, "fraction",
    "inbox messages received in the period that have a first response from the brand (any time up to the export)",
    "inbox messages received in the period (all, questions only, or complaints only)",
    "ratio of sums over messages, Wilson interval",
    caveats="a message answered by a private message outside the inbox tool counts as unanswered")
M_FRT_MEDIAN = metric(
    "experience.first_response_median", "Median time to first response", DIRECTION, "hours",
    "time from the arrival of a message that calls for an answer (a question or a complaint; every message "
    "when the export has no such flags) to the brand's first response; unanswered messages count as "
    "censored at the export time (they waited at least that long)",
    aggregation="Kaplan–Meier median: the first time at which the estimated share still waiting is at most 50 %; "
                "interval where the 95 % log-log band crosses 50 %",
    caveats="None (not reached) when fewer than half of the messages were ever answered; with the "
            "business-hours clock only time inside business hours counts", higher_is_better=False)
M_FRT_P90 = metric(
    "experience.first_response_p90", "90th percentile of time to first response", DIRECTION, "hours",
    "time from arrival to first response of questions and complaints, unanswered ones censored at the export time",
    aggregation="Kaplan–Meier 90th percentile (first time at which at most 10 % are still waiting)",
    caveats="None (not reached) when fewer than 90 % of messages are ever answered", higher_is_better=False)
M_WITHIN = {h: metric(
    f"experience.answered_within_{h}h", f"Share answered within {h} h", DIRECTION, "fraction",
    f"questions and complaints answered at most {h} h after arrival",
    "questions and complaints received (every message when the export has no such flags), unanswered ones "
    "censored at the export time",
    f"Kaplan–Meier estimate of 1 − S({h} h), 95 % log-log Greenwood interval (Wilson at 0 % or 100 %)")
    for h in SLA_HOURS}
M_FRT_WEEKEND = metric(
    "experience.first_response_weekday_vs_weekend", "Time to first response, weekday vs weekend",
    DIRECTION, "hours", "Kaplan–Meier median time to first response of messages received on a weekday "
    "minus that of messages received on Saturday or Sunday (local time)",
    aggregation="difference of Kaplan–Meier medians; verdict from the log-rank test (p < 0.05)",
    higher_is_better=False)
M_RATING = metric(
    "experience.review_rating", "Average review rating", DIRECTION, "score",
    "sum of star ratings (1–5)", "reviews with a rating", "mean over reviews, bootstrap interval")
M_RATING_SHARE = metric(
    "experience.review_rating_share", "Share of reviews by star rating", DIRECTION, "fraction",
    "reviews with this many stars", "reviews with a rating", "ratio of sums, Wilson interval",
    higher_is_better=None)
M_REVIEWS = metric(
    "experience.reviews", "Reviews", DIRECTION, "count", "reviews published in the period",
    aggregation="count per month with an exact Poisson interval", higher_is_better=None)
M_REVIEW_REPLY = metric(
    "experience.review_reply_rate", "Review reply rate", DIRECTION, "fraction",
    "reviews with a reply from the brand (a reply date or reply text)", "reviews",
    "ratio of sums, Wilson interval")
M_COMPLAINT_SHARE = metric(
    "experience.complaint_share", "Complaint share", DIRECTION, "fraction",
    "complaints: inbox messages flagged as complaints (or, when the flag is missing, matching a complaint "
    "keyword rule), mentions matching a complaint keyword rule, reviews rated 1 or 2 stars",
    "all texts of the same source", "ratio of sums per source, Wilson interval",
    caveats="keyword rules miss complaints worded otherwise and catch some that are not", higher_is_better=False)
M_COMPLAINT_TOPIC = metric(
    "experience.complaint_topic_share", "Complaint topics", DIRECTION, "fraction",
    "complaints about the topic (the inbox tool's tag when given, else the first matching topic keyword rule)",
    "all complaints", "ratio of sums, Wilson interval", higher_is_better=None)
M_NPS = metric(
    "experience.nps", "Net Promoter Score", DIRECTION, "score",
    "100 × (share of answers 9–10 − share of answers 0–6) to 'how likely are you to recommend'",
    "survey answers with a score", "adjusted-Wald interval (Rocks 2016), range −100 to 100")
M_CSAT = metric(
    "experience.csat", "Customer satisfaction (CSAT)", DIRECTION, "fraction",
    "survey answers of 4 or 5 on the 1–5 satisfaction scale", "survey answers with a satisfaction score",
    "ratio of sums, Wilson interval")

# Complaint rules for texts that carry no complaint flag (mentions, unflagged messages).
COMPLAINT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "en": ("complain*", "disappoint*", "terrible", "awful", "worst", "unacceptable", "scam", "never again",
           "still waiting", "still no", "no response", "no answer", "refund*", "broken", "rude", "useless",
           "not happy", "very bad", "horrible", "ripped off", "rip off", "doesn't work", "does not work"),
    "fr": ("plainte*", "reclamation*", "decu", "decue", "decus", "decues", "deception", "inadmissible",
           "inacceptable", "honteux", "honteuse", "scandale*", "scandaleux", "arnaque*", "nul", "nulle",
           "plus jamais", "toujours pas", "toujours rien", "aucune reponse", "pas de reponse", "rembourse*",
           "casse", "cassee", "en panne", "impoli*", "lamentable", "ne fonctionne pas", "ne marche pas"),
}
COMPLAINT_TOPICS: dict[str, tuple[str, ...]] = {  # first match wins
    "delivery": ("deliver*", "livraison*", "livre", "livree", "colis", "parcel*", "package*", "shipping",
                 "expedition*", "late", "retard*", "lost", "perdu*"),
    "orders": ("commande*", "order", "orders", "ordered", "wrong item", "missing item", "manquant*",
               "pas prete", "not ready"),
    "billing_refund": ("refund*", "rembours*", "bill*", "factur*", "charged", "preleve*", "prelevement*",
                       "payment*", "paiement*", "price*", "prix", "overcharg*", "cher", "expensive"),
    "product_quality": ("broken", "casse*", "defect*", "defaut*", "quality", "qualite", "damaged", "abime*",
                        "expired", "perime*", "faulty", "mauvais produit", "rassis", "stale", "sec", "brule*"),
    "food_safety": ("allergen*", "allergie*", "allergy", "allergic", "allergique*", "intoxication*",
                    "food poisoning", "malade", "sick", "rappel*", "recall*"),
    "customer_service": ("customer service", "service client", "support", "no answer", "no response",
                         "aucune reponse", "pas de reponse", "injoignable", "hold", "attente", "wait*",
                         "sav", "conseiller*", "agent*"),
    "website_app": ("website", "site", "app", "application", "appli", "bug*", "login", "connexion",
                    "password", "mot de passe", "checkout", "panier"),
    "store_staff": ("store*", "magasin*", "staff", "vendeu*", "caisse*", "cashier*", "queue", "file d'attente",
                    "boutique*", "accueil", "rude", "impoli*", "desagreable*", "unfriendly"),
}

# Inbox tags that say nothing about the topic: the text's keywords decide instead.
GENERIC_TAGS = frozenset({"autre", "autres", "other", "others", "divers", "misc", "general", "général", "none",
                          "n/a", "-"})


# ----------------------------------------------------------------------- helpers
def _inbox(inbox: pd.DataFrame, account: str | None, period: Period | None, tz: str) -> pd.DataFrame:
    df = inbox if account is None else inbox[inbox["account"] == account]
    return within(df, "received_at", period, tz)


SCOPES = ("needs_reply", "all")


def _scoped(inbox: pd.DataFrame, account: str | None, period: Period | None, tz: str, as_of,
            scope: str) -> tuple[pd.DataFrame, pd.Timestamp]:
    """The messages a response time is measured on, and the censoring time.

    scope 'needs_reply': messages flagged as a question or a complaint (every message when the
    export has neither flag), since a 'Yum!' comment does not wait for an answer; 'all': every
    message. The default censoring time is the latest time in the whole inbox table (the export),
    not just in the period."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    if as_of is None:
        as_of = pd.concat([inbox["received_at"], inbox["first_response_at"], inbox["resolved_at"]]).max()
    df = _inbox(inbox, account, period, tz)
    if scope == "needs_reply" and (df["is_question"].notna().any() or df["is_complaint"].notna().any()):
        df = df[_flag(df["is_question"]) | _flag(df["is_complaint"])]
    return df, as_of


def _flag(s: pd.Series) -> np.ndarray:
    """Nullable boolean column as a plain bool array (missing = False)."""
    return s.fillna(False).to_numpy(dtype=bool)


def _est_row(e: Estimate) -> dict:
    return {"metric": e.metric, "label": e.label, "value": e.value, "low": e.low, "high": e.high, "n": e.n}


def estimates_frame(estimates: list[Estimate]) -> pd.DataFrame:
    """Estimates as a tidy frame: metric, label, value, low, high, n, enough."""
    return pd.DataFrame([_est_row(e) | {"enough": e.enough} for e in estimates],
                        columns=["metric", "label", "value", "low", "high", "n", "enough"])


# ----------------------------------------------------------------------- response rate
def response_rates(inbox: pd.DataFrame, account: str | None = None, period: Period | None = None,
                   tz: str = "UTC") -> list[Estimate]:
    """experience.response_rate for all messages, questions and complaints (labels 'all',
    'questions', 'complaints'); Wilson intervals. An answer given after the period still counts."""
    df = _inbox(inbox, account, period, tz)
    answered = df["first_response_at"].notna().to_numpy()
    groups = {"all": np.ones(len(df), bool), "questions": _flag(df["is_question"]),
              "complaints": _flag(df["is_complaint"])}
    return [proportion(int(answered[m].sum()), int(m.sum()), M_RESPONSE_RATE.id, label)
            for label, m in groups.items()]


# ----------------------------------------------------------------------- business-hours clock
def _weekmask(hours: BusinessHours) -> str:
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return "".join("1" if d in hours.days else "0" for d in days)


def business_seconds(start: pd.Series, end: pd.Series, hours: BusinessHours, tz: str = "UTC") -> pd.Series:
    """Seconds of business time between two tz-aware instants (wall clock in `tz`; 0 when end <= start).

    Business time per day = [hours.start, hours.end) on the days in hours.days. Computed as
    B(end) - B(start), where B(t) counts business seconds from a fixed origin: whole business days
    before t's day (numpy.busday_count) plus the business part of t's own day."""
    if hours.end <= hours.start:
        raise ConfigError(f"business_hours: end {hours.end} must be after start {hours.start} (same day)")
    if not hours.days:
        raise ConfigError("business_hours: days is empty, so no time would ever count")
    mask = _weekmask(hours)
    open_s = hours.start.hour * 3600 + hours.start.minute * 60 + hours.start.second
    close_s = hours.end.hour * 3600 + hours.end.minute * 60 + hours.end.second

    def cum(t: pd.Series) -> np.ndarray:
        local = t.dt.tz_convert(tz)
        days = local.dt.tz_localize(None).dt.normalize().to_numpy().astype("datetime64[D]")
        ok = ~np.isnat(days)
        d = np.where(ok, days, np.datetime64("1970-01-01", "D"))
        sod = (local.dt.hour * 3600 + local.dt.minute * 60 + local.dt.second
               + local.dt.microsecond / 1e6).to_numpy(dtype=float, na_value=np.nan)
        part = np.where(np.is_busday(d, weekmask=mask), np.clip(sod, open_s, close_s) - open_s, 0.0)
        full = np.busday_count(np.datetime64("1970-01-01", "D"), d, weekmask=mask) * float(close_s - open_s)
        return np.where(ok, full + part, np.nan)

    out = cum(end) - cum(start)
    return pd.Series(np.maximum(out, 0.0), index=start.index)


# ----------------------------------------------------------------------- Kaplan–Meier
def response_durations(inbox: pd.DataFrame, as_of: pd.Timestamp | None = None,
                       business_hours: BusinessHours | None = None, tz: str = "UTC") -> pd.DataFrame:
    """Per message: `hours` waited and `answered`. Unanswered messages are censored at `as_of`
    (default: the latest time found in the inbox table); messages answered before they arrived
    (bad data) are dropped."""
    if as_of is None:
        as_of = pd.concat([inbox["received_at"], inbox["first_response_at"], inbox["resolved_at"]]).max()
    as_of = pd.Timestamp(as_of)
    answered = inbox["first_response_at"].notna()
    end = inbox["first_response_at"].where(answered, as_of)
    if business_hours is None:
        secs = (end - inbox["received_at"]).dt.total_seconds()
    else:
        secs = business_seconds(inbox["received_at"], end, business_hours, tz)
        # an answer before arrival is bad data whatever the clock
        secs = secs.where((end - inbox["received_at"]).dt.total_seconds() >= 0)
    out = pd.DataFrame({"hours": secs / 3600, "answered": answered.to_numpy()}, index=inbox.index)
    return out[out["hours"].notna() & (out["hours"] >= 0)]


def _first_time(times: np.ndarray, surv: np.ndarray, level: float) -> float | None:
    hit = np.flatnonzero(np.nan_to_num(surv, nan=1.0) <= level + 1e-12)
    return float(times[hit[0]]) if len(hit) else None


def survival_summary(hours, answered, label: str | None = None) -> list[Estimate]:
    """Kaplan–Meier figures for one group of messages: median, 90th percentile and the shares
    answered within 1 h / 4 h / 24 h (metric ids experience.first_response_median, _p90,
    experience.answered_within_{1,4,24}h). n is the number of messages (answered or not)."""
    h = np.asarray(hours, dtype=float)
    a = np.asarray(answered, dtype=bool)
    n = len(h)
    if n == 0:
        return ([Estimate(None, 0, metric=m.id, label=label) for m in (M_FRT_MEDIAN, M_FRT_P90)]
                + [Estimate(None, 0, metric=M_WITHIN[x].id, label=label) for x in SLA_HOURS])
    if not a.any():  # nobody answered: nothing reached, and nobody answered within any delay
        out = [Estimate(None, n, metric=m.id, label=label) for m in (M_FRT_MEDIAN, M_FRT_P90)]
        for x in SLA_HOURS:
            lo, hi = wilson_interval(0, n)
            out.append(Estimate(0.0, n, lo, hi, M_WITHIN[x].id, label))
        return out
    km = kaplan_meier(h, a)  # its log-log band is undefined (NaN) at S = 0 or 1: handled below
    t, s, s_lo, s_hi = km.times, km.probability, km.low, km.high
    out = []
    for m, q in ((M_FRT_MEDIAN, 0.5), (M_FRT_P90, 0.9)):
        value = _first_time(t, s, 1 - q)
        # lower band falls first -> earliest time = lower bound; the upper band may never get there
        low = _first_time(t, s_lo, 1 - q)
        high = _first_time(t, s_hi, 1 - q) if value is not None else None
        out.append(Estimate(value, n, low if value is not None else None, high, m.id, label))
    for x in SLA_HOURS:
        sv = km.evaluate(x)
        lo_s, hi_s = km.evaluate(x, "low"), km.evaluate(x, "high")
        if not (np.isfinite(lo_s) and np.isfinite(hi_s)) or sv in (0.0, 1.0):
            k = int(((h <= x) & a).sum())  # no censoring matters at 0 % / 100 %: binomial
            lo, hi = wilson_interval(k, n)
        else:
            lo, hi = 1 - hi_s, 1 - lo_s
        out.append(Estimate(1 - sv, n, lo, hi, M_WITHIN[x].id, label))
    return out


def first_response_times(inbox: pd.DataFrame, account: str | None = None, period: Period | None = None,
                         tz: str = "UTC", as_of=None, business_hours: BusinessHours | None = None,
                         by: str | None = None, scope: str = "needs_reply") -> pd.DataFrame:
    """Kaplan–Meier time to first response (hours), with unanswered messages censored.

    Metric ids: experience.first_response_median, experience.first_response_p90,
    experience.answered_within_{1,4,24}h. `by` = None (one group 'all'), 'kind', 'platform',
    'is_question', 'is_complaint' or 'day_type' (weekday/weekend of arrival, local time).
    `scope`: 'needs_reply' (questions and complaints; every message when the export has no such
    flags) or 'all'. With `business_hours` (config.business_hours) only business time counts.
    Returns metric, label, value, low, high, n, answered, enough."""
    df, as_of = _scoped(inbox, account, period, tz, as_of, scope)
    dur = response_durations(df, as_of, business_hours, tz)
    if by is None:
        keys = pd.Series("all", index=dur.index)
    elif by == "day_type":
        keys = day_type(df.loc[dur.index, "received_at"], tz)
    else:
        keys = df.loc[dur.index, by].astype("str").fillna("(unknown)")
    rows = []
    for g in sorted(pd.unique(keys), key=str):  # a loop over a few groups
        m = (keys == g).to_numpy()
        k = int(dur["answered"].to_numpy()[m].sum())
        for e in survival_summary(dur["hours"].to_numpy()[m], dur["answered"].to_numpy()[m], str(g)):
            rows.append(_est_row(e) | {"answered": k, "enough": e.enough})
    return pd.DataFrame(rows, columns=["metric", "label", "value", "low", "high", "n", "answered", "enough"])


def day_type(received_at: pd.Series, tz: str = "UTC") -> pd.Series:
    """'weekend' for Saturday and Sunday (local time), else 'weekday'."""
    wd = received_at.dt.tz_convert(tz).dt.day_of_week
    return pd.Series(np.where(wd >= 5, "weekend", "weekday"), index=received_at.index)


def weekday_vs_weekend(inbox: pd.DataFrame, account: str | None = None, period: Period | None = None,
                       tz: str = "UTC", as_of=None, business_hours: BusinessHours | None = None,
                       scope: str = "needs_reply") -> tuple[Comparison, Comparison]:
    """Messages received on weekdays vs at the weekend (a = weekday, b = weekend), within `scope`
    (see first_response_times): (experience.response_rate, Newcombe interval) and (Kaplan–Meier
    median time to first response, log-rank test; metric experience.first_response_weekday_vs_weekend).
    With the business-hours clock, weekend waiting that falls outside business hours does not count."""
    df, as_of = _scoped(inbox, account, period, tz, as_of, scope)
    dt_ = day_type(df["received_at"], tz).to_numpy()
    ans = df["first_response_at"].notna().to_numpy()
    wk, we = dt_ == "weekday", dt_ == "weekend"
    rate = compare_proportions(int(ans[wk].sum()), int(wk.sum()), int(ans[we].sum()), int(we.sum()),
                               M_RESPONSE_RATE.id, "weekday", "weekend")
    dur = response_durations(df, as_of, business_hours, tz)
    kind = day_type(df.loc[dur.index, "received_at"], tz).to_numpy()
    h, a = dur["hours"].to_numpy(), dur["answered"].to_numpy()
    ests = {}
    for g in ("weekday", "weekend"):
        m = kind == g
        ests[g] = survival_summary(h[m], a[m], g)[0]
        ests[g] = Estimate(ests[g].value, ests[g].n, ests[g].low, ests[g].high, M_FRT_WEEKEND.id, g)
    ea, eb = ests["weekday"], ests["weekend"]
    method = "log-rank test on Kaplan–Meier curves; difference of medians"
    ma, mb = kind == "weekday", kind == "weekend"
    if ea.n < MIN_N or eb.n < MIN_N or not a[ma | mb].any():
        return rate, Comparison(M_FRT_WEEKEND.id, "weekday", "weekend", ea, eb,
                                _diff(ea, eb), None, None, NOT_ENOUGH, method)
    lr = logrank(h[ma], a[ma], h[mb], a[mb])
    if lr.pvalue >= 0.05:
        verdict = NO_DIFF
    else:  # logrank statistic > 0: the weekday group has more answers than expected, i.e. is faster
        verdict = LOWER if lr.statistic > 0 else HIGHER
    return rate, Comparison(M_FRT_WEEKEND.id, "weekday", "weekend", ea, eb, _diff(ea, eb), None, None,
                            verdict, method + f" (p = {lr.pvalue:.3g})")


def _diff(a: Estimate, b: Estimate) -> float | None:
    return None if a.value is None or b.value is None else a.value - b.value


# ----------------------------------------------------------------------- reviews
def review_summary(reviews: pd.DataFrame, account: str | None = None, period: Period | None = None,
                   tz: str = "UTC") -> list[Estimate]:
    """Reviews in the period: experience.review_rating (mean stars, bootstrap interval),
    experience.review_reply_rate, experience.reviews (count, Poisson interval) and
    experience.review_rating_share for 1 to 5 stars (labels '1 star' ... '5 stars')."""
    df = reviews if account is None else reviews[reviews["account"] == account]
    df = within(df, "published_at", period, tz)
    r = df["rating"].to_numpy(dtype=float, na_value=np.nan)
    r = r[np.isfinite(r)]
    if len(r):
        lo, hi = bootstrap_ci(r, "mean")
        out = [Estimate(float(r.mean()), len(r), lo, hi, M_RATING.id, "all")]
    else:
        out = [Estimate(None, 0, None, None, M_RATING.id, "all")]
    replied = (df["replied_at"].notna() | df["reply"].fillna("").str.strip().ne("")).to_numpy()
    out.append(proportion(int(replied.sum()), len(df), M_REVIEW_REPLY.id, "all"))
    c_lo, c_hi = poisson_interval(len(df))
    out.append(Estimate(float(len(df)), len(df), c_lo, c_hi, M_REVIEWS.id, "all"))
    stars = np.rint(r)  # half stars (4.5) are rounded to the nearest star for the distribution
    for s in range(1, 6):
        out.append(proportion(int((stars == s).sum()), len(r), M_RATING_SHARE.id, f"{s} star{'s' * (s > 1)}"))
    return out


def review_trend(reviews: pd.DataFrame, account: str | None = None, period: Period | None = None,
                 tz: str = "UTC") -> pd.DataFrame:
    """Per calendar month: reviews (exact Poisson interval), mean rating and reply rate."""
    df = reviews if account is None else reviews[reviews["account"] == account]
    df = within(df, "published_at", period, tz)
    replied = df["replied_at"].notna() | df["reply"].fillna("").str.strip().ne("")
    g = pd.DataFrame({"month": local_day(df["published_at"], tz).dt.to_period("M").astype("str"),
                      "rating": df["rating"], "replied": replied}).groupby("month", sort=True)
    out = g.agg(reviews=("replied", "size"), mean_rating=("rating", "mean"), replied=("replied", "sum"))
    lo, hi = poisson_interval(out["reviews"].to_numpy()) if len(out) else (np.array([]), np.array([]))
    out = out.assign(low=lo, high=hi, reply_rate=out["replied"] / out["reviews"])
    return out.reset_index()[["month", "reviews", "low", "high", "mean_rating", "reply_rate"]]


# ----------------------------------------------------------------------- complaints
def complaint_keywords(config: AuditConfig | None = None) -> list[str]:
    """Built-in English and French complaint keywords plus audit.yml's `complaint_keywords`."""
    extra = list(config.complaint_keywords) if config is not None else []
    return [k for lang in COMPLAINT_KEYWORDS.values() for k in lang] + extra


def complaints(tables, account: str, period: Period | None = None, tz: str = "UTC",
               config: AuditConfig | None = None) -> pd.DataFrame:
    """Every complaint about `account` (the brand or a competitor: their weak spots) in one frame:
    source, platform, item_id, at, text, how (flag / keyword / rating) and topic.

    Inbox: the `is_complaint` flag, or a complaint keyword when the flag is missing. Mentions:
    a complaint keyword. Reviews: 1 or 2 stars. Topic: the inbox tag when given (renamed to the
    COMPLAINT_TOPICS topic its words match, so 'Livraison' and 'delivery' are one topic; generic
    tags such as 'autre' are ignored), else the first topic whose keywords appear in the text,
    else 'other'."""
    kws = complaint_keywords(config)
    frames = []
    ib = _get(tables, "inbox")
    if ib is not None and len(ib):
        ib = _inbox(ib, account, period, tz)
        flag = ib["is_complaint"]
        kw = has_keyword(ib["text"], kws)
        is_c = flag.fillna(False).to_numpy(dtype=bool) | (flag.isna().to_numpy() & kw)
        how = np.where(flag.notna(), "flag", "keyword")
        frames.append(pd.DataFrame({"source": "inbox", "platform": ib["platform"], "item_id": ib["message_id"],
                                    "at": ib["received_at"], "text": ib["text"], "how": how,
                                    "tag": ib["topic"]})[is_c])
    mn = _get(tables, "mentions")
    if mn is not None and len(mn):
        mn = within(mn[mn["account"] == account], "published_at", period, tz)
        is_c = has_keyword(mn["text"], kws)
        frames.append(pd.DataFrame({"source": "mentions", "platform": mn["platform"],
                                    "item_id": mn["mention_id"], "at": mn["published_at"], "text": mn["text"],
                                    "how": "keyword", "tag": pd.NA})[is_c])
    rv = _get(tables, "reviews")
    if rv is not None and len(rv):
        rv = within(rv[rv["account"] == account], "published_at", period, tz)
        is_c = (rv["rating"] <= 2).fillna(False).to_numpy(dtype=bool)
        text = rv["title"].fillna("").astype("str") + " " + rv["text"].fillna("").astype("str")
        frames.append(pd.DataFrame({"source": "reviews", "platform": rv["platform"], "item_id": rv["review_id"],
                                    "at": rv["published_at"], "text": text.str.strip(), "how": "rating",
                                    "tag": pd.NA})[is_c])
    cols = ["source", "platform", "item_id", "at", "text", "how", "topic"]
    if not frames:
        return pd.DataFrame(columns=cols)
    c = pd.concat([f for f in frames if len(f)] or frames, ignore_index=True)
    tag = c["tag"].astype("str").str.strip().str.casefold()
    tag = tag.where(~tag.isin(GENERIC_TAGS) & tag.ne(""))
    # one vocabulary: a tag that matches a topic rule ('livraison') takes the rule's name ('delivery')
    c["topic"] = _first_topic(tag).fillna(tag).fillna(_first_topic(c["text"]).fillna("other"))
    return c[cols]


def _first_topic(text: pd.Series) -> pd.Series:
    """The first COMPLAINT_TOPICS topic whose keywords appear in the text, else NA."""
    flags = theme_flags(text, COMPLAINT_TOPICS)
    names = np.array(list(COMPLAINT_TOPICS), dtype=object)
    hit = flags.to_numpy().any(axis=1) if len(flags) else np.array([], dtype=bool)
    first = flags.to_numpy().argmax(axis=1) if len(flags) else np.array([], dtype=int)
    return pd.Series(np.where(hit, names[first] if len(first) else first, None), index=text.index, dtype="str")


def _get(tables, name):
    if isinstance(tables, dict):
        return tables.get(name)
    return getattr(tables, name, None)


def complaint_share(tables, account: str, period: Period | None = None, tz: str = "UTC",
                    config: AuditConfig | None = None) -> list[Estimate]:
    """experience.complaint_share per source (labels 'inbox', 'mentions', 'reviews'): complaints
    (as found by `complaints`) out of all rows of that source about `account` in the period."""
    c = complaints(tables, account, period, tz, config)
    out = []
    for src, col in (("inbox", "received_at"), ("mentions", "published_at"), ("reviews", "published_at")):
        df = _get(tables, src)
        if df is None or df.empty:
            continue
        n = len(within(df[df["account"] == account], col, period, tz))
        if n:
            out.append(proportion(int((c["source"] == src).sum()), n, M_COMPLAINT_SHARE.id, src))
    return out


def complaint_topics(complaints_df: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """Top complaint topics (experience.complaint_topic_share): topic, complaints, share of all
    complaints with a Wilson interval, and the sources they come from."""
    n = len(complaints_df)
    cols = ["topic", "complaints", "share", "low", "high", "sources"]
    if n == 0:
        return pd.DataFrame(columns=cols)
    g = complaints_df.groupby("topic").agg(complaints=("source", "size"),
                                           sources=("source", lambda s: ", ".join(sorted(set(s)))))
    g = g.reset_index().sort_values(["complaints", "topic"], ascending=[False, True]).head(top)
    lo, hi = wilson_interval(g["complaints"].to_numpy(), n)
    g = g.assign(share=g["complaints"] / n, low=lo, high=hi)
    return g[cols].reset_index(drop=True)


# ----------------------------------------------------------------------- surveys
def nps(surveys: pd.DataFrame, account: str | None = None, period: Period | None = None,
        tz: str = "UTC", level: float = 0.95) -> Estimate:
    """experience.nps: 100 × (promoters − detractors) / answers, interval by the adjusted Wald
    method (Rocks 2016: add 3/4 promoter and 3/4 detractor to 3 extra answers), clipped to ±100
    and widened to contain the observed score."""
    from .stats import normal_quantile
    df = surveys if account is None else surveys[surveys["account"] == account]
    df = within(df, "submitted_at", period, tz) if df["submitted_at"].notna().any() else df
    s = df["nps"].to_numpy(dtype=float, na_value=np.nan)
    s = s[np.isfinite(s)]
    n = len(s)
    if n == 0:
        return Estimate(None, 0, None, None, M_NPS.id, "all")
    p, d = float((s >= 9).sum()), float((s <= 6).sum())
    n_adj = n + 3
    pp, pd_ = (p + 0.75) / n_adj, (d + 0.75) / n_adj
    centre = pp - pd_
    half = normal_quantile(level) * np.sqrt((pp + pd_ - centre ** 2) / n_adj)
    value = 100 * (p - d) / n
    # the adjusted centre can leave the observed score outside at the extremes (n=1): widen to include it
    low, high = min(100 * max(-1.0, centre - half), value), max(100 * min(1.0, centre + half), value)
    return Estimate(value, n, low, high, M_NPS.id, "all")


def csat(surveys: pd.DataFrame, account: str | None = None, period: Period | None = None,
         tz: str = "UTC") -> Estimate:
    """experience.csat: share of satisfaction answers of 4 or 5 (of 1–5), Wilson interval."""
    df = surveys if account is None else surveys[surveys["account"] == account]
    df = within(df, "submitted_at", period, tz) if df["submitted_at"].notna().any() else df
    s = df["csat"].to_numpy(dtype=float, na_value=np.nan)
    s = s[np.isfinite(s)]
    return proportion(int((s >= 4).sum()), len(s), M_CSAT.id, "all")
