"""What the explorer shows, cut from one client's data: the frames prepared once, one metric per
week for an account on a platform, the unusual weeks, and the posts or mentions behind a week
or a spike.

No metric is computed here. Every figure comes from the metrics library (`channels`, `brand`),
called on the rows of one week, of the whole period, or of a spike; this module only chooses the
rows. The one rule of its own is which weeks are *unusual* (`unusual_weeks`), a pointer for the
drill-down, not a reported figure.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..config import Period
from ..metrics import brand, channels, registry
from ..metrics.period import local_day

ALL_PLATFORMS = ""          # the platform choice "all platforms" (mentions only: posts never mix platforms)
UNUSUAL_K = 3.0             # robust standard deviations from the median week
UNUSUAL_MIN_WEEKS = 8       # fewer full weeks with a value: no week is called unusual
FOLLOWER_METRICS = ("followers", "followers_gained", "followers_lost")
CACHE_SIZE = 128            # weekly results kept, so going back to a view is instant


@dataclass(frozen=True)
class Choice:
    """A metric the explorer offers: the package function that computes it (`family`) and the
    columns of that function's output holding its value, 95 % interval and sample size."""

    key: str
    metric_id: str
    source: str               # posts | mentions | followers
    family: str               # engagement | exposure | posting | followers | sentiment | share_of_voice
    column: str
    low: str | None = None
    high: str | None = None
    n: str | None = None
    n_unit: str = "posts"
    percent: bool = False
    signed: bool = False      # can be negative (net sentiment)
    zero_when_empty: bool = False  # a count: a week without a single row is 0, not unknown
    per_row: str = "engagement"    # the per-post value the drill-down sorts by

    @property
    def label(self) -> str:
        return registry.get(self.metric_id).name

    @property
    def definition(self) -> str:
        d = registry.get(self.metric_id)
        words = d.numerator + (f", divided by {d.denominator}" if d.denominator else "")
        return f"{words}; {d.aggregation}" if d.aggregation else words


def _er(base: str) -> Choice:
    return Choice(f"er_{base}", f"channels.engagement_rate_{base}", "posts", "engagement", f"er_{base}",
                  f"er_{base}_low", f"er_{base}_high", f"er_{base}_posts", percent=True, per_row=f"er_{base}")


def _exposure(col: str, per_row: str | None = None) -> Choice:
    return Choice(col, f"channels.{col}", "posts", "exposure", col, n=f"{col}_posts", per_row=per_row or col)


CHOICES: tuple[Choice, ...] = (
    Choice("posts", "channels.posts", "posts", "posting", "posts", zero_when_empty=True),
    Choice("engagements", "channels.engagements", "posts", "engagement", "engagements", n="posts",
           zero_when_empty=True),
    Choice("median_engagements", "channels.median_engagements_per_post", "posts", "engagement",
           "median_engagements", n="posts"),
    _er("reach"), _er("impressions"), _er("followers"),
    _exposure("reach"), _exposure("impressions"), _exposure("video_views"), _exposure("link_clicks"),
    Choice("link_ctr", "channels.link_ctr", "posts", "exposure", "link_ctr", "link_ctr_low", "link_ctr_high",
           "link_ctr_posts", percent=True, per_row="link_clicks"),
    Choice("followers_end", "channels.followers_end", "followers", "followers", "followers_end", n_unit="days"),
    Choice("followers_gained", "channels.followers_gained", "followers", "followers", "followers_gained",
           n_unit="days"),
    Choice("mentions", "brand_health.mentions", "mentions", "sentiment", "mentions", n_unit="mentions",
           zero_when_empty=True),
    Choice("net_sentiment", "brand_health.net_sentiment", "mentions", "sentiment", "net_sentiment", "net_low",
           "net_high", "labelled", "labelled mentions", signed=True),
    Choice("negative_share", "brand_health.sentiment_negative", "mentions", "sentiment", "negative_share",
           "negative_low", "negative_high", "labelled", "labelled mentions", percent=True),
    Choice("positive_share", "brand_health.sentiment_positive", "mentions", "sentiment", "positive_share",
           "positive_low", "positive_high", "labelled", "labelled mentions", percent=True),
    Choice("share_of_voice", "brand_health.share_of_voice", "mentions", "share_of_voice", "share_of_voice", "low",
           "high", "mentions", "mentions of all accounts", percent=True),
)
BY_KEY = {c.key: c for c in CHOICES}
SOURCE_OF = {"engagement": "posts", "exposure": "posts", "posting": "posts", "followers": "followers",
             "sentiment": "mentions", "share_of_voice": "mentions"}
PLATFORM_COLUMN = {"posts": "platform", "followers": "platform", "mentions": "where"}


def week_start(day: pd.Series) -> pd.Series:
    """The Monday of each (naive, local) day's week."""
    return day - pd.to_timedelta(day.dt.day_of_week, unit="D")


def weeks(period: Period) -> pd.DataFrame:
    """The Monday-Sunday weeks that touch the period, cut to it: week (its Monday), start, end
    (the days of the week inside the period) and days (7, fewer for a partial week at an edge)."""
    start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
    monday = pd.date_range(start - pd.Timedelta(days=start.weekday()), end, freq="7D")
    first = np.maximum(monday, start)
    last = np.minimum(monday + pd.Timedelta(days=6), end)
    return pd.DataFrame({"week": monday, "start": first, "end": last, "days": (last - first).days + 1})


def unusual_weeks(values, full) -> tuple[np.ndarray, np.ndarray]:
    """(flag, z) per week: z = (value - median) / (1.4826 x median absolute deviation) over the full
    weeks with a value (the standard deviation when that is 0); flag 'high' or 'low' where
    |z| > UNUSUAL_K, '' elsewhere. Partial weeks get a z but are never flagged (a count over 3 days
    is not comparable); fewer than UNUSUAL_MIN_WEEKS full weeks with a value: nothing is flagged."""
    v = np.asarray(values, dtype=float)
    full = np.asarray(full, dtype=bool)
    flag = np.full(len(v), "", dtype=object)
    z = np.full(len(v), np.nan)
    ref = v[full & np.isfinite(v)]
    if len(ref) < UNUSUAL_MIN_WEEKS:
        return flag, z
    med = float(np.median(ref))
    sd = 1.4826 * float(np.median(np.abs(ref - med)))
    if not sd > 0:
        sd = float(np.std(ref, ddof=1))
    if not sd > 0:
        return flag, z
    z = (v - med) / sd
    with np.errstate(invalid="ignore"):
        flag[full & (z > UNUSUAL_K)] = "high"
        flag[full & (z < -UNUSUAL_K)] = "low"
    return flag, z


def _one_row(out: pd.DataFrame, family: str, account: str | None) -> dict:
    if out is None or out.empty:
        return {}
    if family != "share_of_voice" and account is not None:
        out = out[out["account"] == account]
    return out.iloc[0].to_dict() if len(out) else {}


class ExploreData:
    """One client's frames, prepared once and sorted so that an account's rows on a platform
    are one slice; every interaction then only slices and calls the metric functions.

    posts: channels.post_frame over all the posts (per-post engagement and rates), plus `week`;
    mentions: the mentions plus their local `day`, `week` and `where` (brand.mention_platform);
    followers: the follower rows of account_daily."""

    def __init__(self, audit):
        self.audit = audit
        tz = audit.tz
        t = audit.tables
        posts = channels.post_frame(t.posts, t.account_daily, None, tz)
        posts["week"] = week_start(posts["day"])
        m = t.mentions
        day = local_day(m["published_at"], tz)
        mentions = m.assign(day=day, week=week_start(day), where=brand.mention_platform(m))
        daily = t.account_daily
        followers = daily[daily["metric"].isin(FOLLOWER_METRICS)].assign(day=daily["date"])
        self.frames: dict[str, pd.DataFrame] = {}
        self._days: dict[str, np.ndarray] = {}
        self._slices: dict[str, dict[str, tuple[int, int]]] = {}       # account -> its rows
        self._sizes: dict[str, dict[tuple[str, str], int]] = {}        # (account, platform) -> rows
        for source, frame in (("posts", posts), ("mentions", mentions), ("followers", followers)):
            frame = frame.sort_values(["account", "day"], kind="stable", na_position="last").reset_index(drop=True)
            self.frames[source] = frame
            self._days[source] = frame["day"].to_numpy(dtype="datetime64[ns]")
            acc = frame["account"].to_numpy(dtype=object)
            cut = np.flatnonzero(acc[1:] != acc[:-1]) + 1  # where the next account's rows begin
            bounds = zip(np.r_[0, cut], np.r_[cut, len(acc)]) if len(acc) else ()
            self._slices[source] = {str(acc[a]): (int(a), int(b)) for a, b in bounds}
            sizes = frame.groupby(["account", PLATFORM_COLUMN[source]]).size()
            self._sizes[source] = {(str(a), str(p)): int(n) for (a, p), n in sizes.items()}
        self._cache: dict[tuple, tuple[pd.DataFrame, dict]] = {}

    # ------------------------------------------------------------------ what there is
    @property
    def tz(self) -> str:
        return self.audit.tz

    def accounts(self) -> list[str]:
        """The brand, its competitors (audit.yml order), then any other account in the data."""
        names = [self.audit.brand, *self.audit.competitors]
        seen = {a for s in self._slices.values() for a in s}
        return names + sorted(seen - set(names))

    def platforms(self, source: str) -> list[str]:
        """Platforms with rows in `source`, most rows first; for mentions, ALL_PLATFORMS first."""
        size: dict[str, int] = {}
        for (_, p), n in self._sizes[source].items():
            size[p] = size.get(p, 0) + n
        order = sorted(size, key=lambda p: (-size[p], p))
        return [ALL_PLATFORMS, *order] if source == "mentions" and order else order

    def sizes(self, source: str) -> dict[tuple[str, str], int]:
        """Rows per (account, platform) in `source`, any date."""
        return self._sizes[source]

    def has(self, source: str) -> bool:
        return len(self.frames[source]) > 0

    # ------------------------------------------------------------------ rows
    def rows(self, source: str, account: str | None, platform: str, start=None, end=None) -> pd.DataFrame:
        """The rows of `source` for an account (None: every account) on a platform (ALL_PLATFORMS:
        every platform), whose local day falls in [start, end] when given. An account's rows are
        one slice sorted by day, so the period is two binary searches, not a scan."""
        frame, days = self.frames[source], self._days[source]
        parts = []
        for name, (lo, hi) in self._slices[source].items():
            if account is not None and name != account:
                continue
            a, b = lo, hi
            if start is not None:
                a = lo + int(np.searchsorted(days[lo:hi], np.datetime64(pd.Timestamp(start), "ns"), "left"))
            if end is not None:
                b = lo + int(np.searchsorted(days[lo:hi], np.datetime64(pd.Timestamp(end), "ns"), "right"))
            if b > a:
                parts.append((a, b))
        if not parts:
            return frame.iloc[0:0]
        if len(parts) == 1:
            rows = frame.iloc[parts[0][0]:parts[0][1]]
        else:
            rows = frame.iloc[np.concatenate([np.arange(a, b) for a, b in parts])]
        if platform != ALL_PLATFORMS:
            rows = rows[(rows[PLATFORM_COLUMN[source]] == platform).fillna(False).to_numpy(dtype=bool)]
        return rows

    # ------------------------------------------------------------------ metrics
    def _call(self, family: str, rows: pd.DataFrame, span: Period, account: str) -> pd.DataFrame:
        """The package function behind `family`, called on `rows`."""
        tz = self.tz
        if family == "engagement":
            return channels.engagement_rates(rows, frame=rows)
        if family == "exposure":
            return channels.exposure(rows, None, None, tz)
        if family == "posting":
            return channels.posting(rows, span, tz)
        if family == "followers":
            return channels.followers(rows, span)
        if family == "sentiment":
            return brand.sentiment(rows, None, tz)
        if family == "share_of_voice":
            return brand.share_of_voice(rows, account, None, tz)
        raise ValueError(f"unknown metric family {family!r}")

    def _compute(self, family: str, rows: pd.DataFrame, span: Period, account: str) -> dict:
        """The account's output row of the family's function on `rows` ({} when none)."""
        return _one_row(self._call(family, rows, span, account), family, account)

    def family_by_week(self, family: str, account: str, platform: str, period: Period) -> tuple[pd.DataFrame, dict]:
        """(per week, whole period) output of the family's function for the account on the platform.

        Per week: the `weeks(period)` columns, `rows` (posts or mentions in the week; for share of
        voice, of every account) and the function's output columns. Cached.

        The functions that group by account get every week in one call: in a copy of the rows the
        week takes the account's place. Share of voice finds the account by name and followers are
        running totals: see `_share_of_voice_by_week` and `_followers_by_week`. (One call per week
        costs 50 times more: the functions' fixed cost dominates on a week of rows.)"""
        key = (family, account, platform, period.start, period.end)
        if key in self._cache:
            return self._cache[key]
        source = SOURCE_OF[family]
        w = weeks(period)
        label = w["week"].dt.strftime("%Y-%m-%d")
        if family == "followers":
            rows = self.rows(source, account, platform)
            counts = np.zeros(len(w), dtype=int)
            whole = self._compute(family, rows, period, account) if len(rows) else {}
            body = self._followers_by_week(rows, w) if len(rows) else pd.DataFrame(index=w.index)
        else:
            who = None if family == "share_of_voice" else account
            rows = self.rows(source, who, platform, period.start, period.end)
            counts = rows["week"].value_counts().reindex(w["week"], fill_value=0).to_numpy()
            whole = self._compute(family, rows, period, account) if len(rows) else {}
            if family == "share_of_voice" and len(rows):
                body = self._share_of_voice_by_week(rows, w, account)
            elif len(rows):
                weekly = rows.assign(account=rows["week"].dt.strftime("%Y-%m-%d"))
                out = self._call(family, weekly, period, account)
                body = out.set_index("account").reindex(label.to_numpy()).set_axis(w.index)
            else:
                body = pd.DataFrame(index=w.index)
        clash = {"platform", "account", "group", "rows", *w.columns}  # e.g. posting's own `days`
        body = body.drop(columns=[c for c in body.columns if c in clash])
        out = pd.concat([w.assign(rows=counts), body], axis=1)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.pop(next(iter(self._cache)))
        self._cache[key] = (out, whole)
        return out, whole

    def _share_of_voice_by_week(self, rows: pd.DataFrame, w: pd.DataFrame, account: str) -> pd.DataFrame:
        """brand.share_of_voice for every week in one call: in a copy of the rows, each week's
        mentions are dated in a month of their own, and the function's split by month gives one
        row per week (share of voice depends on who was mentioned and their reach, not on when)."""
        number = pd.Series(np.arange(len(w)), index=w["week"].to_numpy())
        months = pd.DatetimeIndex([pd.Timestamp("2000-01-15 12:00", tz="UTC") + pd.DateOffset(months=i)
                                   for i in range(len(w))])
        moved = rows.assign(published_at=months[rows["week"].map(number).to_numpy()])
        out = brand.share_of_voice(moved, account, None, "UTC", by="month")
        week = (out["group"].dt.year - 2000) * 12 + out["group"].dt.month - 1  # back from the month
        return out.set_index(week.to_numpy()).reindex(np.arange(len(w))).set_axis(w.index)

    @staticmethod
    def _followers_by_week(rows: pd.DataFrame, w: pd.DataFrame) -> pd.DataFrame:
        """channels.followers for every week in one call per week length: each week gets a copy of
        the rows up to its last day, named after the week and moved in time so that all the weeks
        of a length end on the same day; the period of the call is that common week."""
        parts = []
        for days, group in w.groupby("days"):  # full weeks together; a partial week at an edge alone
            ref_end = group["end"].max()
            ref = Period(start=(ref_end - pd.Timedelta(days=int(days) - 1)).date(), end=ref_end.date())
            copies = [rows[rows["date"] <= end].assign(account=f"{week:%Y-%m-%d}")
                      .pipe(lambda r, shift=ref_end - end: r.assign(date=r["date"] + shift))
                      for week, end in zip(group["week"], group["end"])]
            parts.append(channels.followers(pd.concat(copies, ignore_index=True), ref))
        out = pd.concat(parts, ignore_index=True).drop_duplicates("account").set_index("account")
        out = out.drop(columns=["start_date", "end_date"])  # days of the moved copies: meaningless
        return out.reindex(w["week"].dt.strftime("%Y-%m-%d").to_numpy()).set_axis(w.index)

    def has_rows(self, choice: Choice, account: str, platform: str) -> bool:
        """Whether the data hold anything for this account and platform (any date)."""
        who = None if choice.family == "share_of_voice" else account
        return any((who is None or a == who) and (platform == ALL_PLATFORMS or p == platform)
                   for a, p in self._sizes[choice.source])

    def series(self, choice: Choice, account: str, platform: str, period: Period) -> tuple[pd.DataFrame, dict]:
        """The metric per week: week, start, end, days, rows, value, low, high, n, unusual
        ('high', 'low' or ''), z; and the whole period's value, low, high, n."""
        per_week, whole = self.family_by_week(choice.family, account, platform, period)

        out = per_week[["week", "start", "end", "days", "rows"]].copy()
        summary = {}
        for name, col in (("value", choice.column), ("low", choice.low), ("high", choice.high), ("n", choice.n)):
            has = col is not None and col in per_week.columns
            out[name] = pd.to_numeric(per_week[col], errors="coerce").astype(float) if has else np.nan
            summary[name] = _float(whole.get(col)) if col is not None else None
        if choice.zero_when_empty and self.has_rows(choice, account, platform):
            empty = out["rows"] == 0
            out.loc[empty, "value"] = 0.0
            if choice.n:
                out.loc[empty, "n"] = 0.0
            if summary["value"] is None:
                summary.update(value=0.0, n=0.0 if choice.n else None)
        flag, z = unusual_weeks(out["value"], out["days"] == 7)
        out["unusual"], out["z"] = flag, z
        return out, summary

    # ------------------------------------------------------------------ drill-down
    def posts_of(self, account: str, platform: str, start, end, sort_by: str = "engagement") -> pd.DataFrame:
        """The account's posts on the platform published in [start, end], `sort_by` largest first."""
        if platform == ALL_PLATFORMS:
            return self.frames["posts"].iloc[0:0]
        p = self.rows("posts", account, platform, start, end)
        key = sort_by if sort_by in p.columns else "engagement"
        return p.sort_values([key, "published_at"], ascending=[False, True], na_position="last")

    def mentions_of(self, account: str, platform: str, start, end, *, sentiment: str = "", source: str = "",
                    keyword: str = "") -> pd.DataFrame:
        """The account's mentions in [start, end] on the platform, filtered by sentiment
        ('positive', 'neutral', 'negative', 'unlabelled' or '' for all), source ('' for all) and a
        keyword (in the title or text, case ignored); largest reach first, then the earliest."""
        m = self.rows("mentions", account, platform, start, end)
        if sentiment:
            lab = m["sentiment"].astype("str").str.strip().str.lower()
            keep = ~lab.isin(["positive", "neutral", "negative"]) if sentiment == "unlabelled" else lab == sentiment
            m = m[keep.fillna(sentiment == "unlabelled").to_numpy(dtype=bool)]
        if source:
            m = m[(m["source"] == source).fillna(False).to_numpy(dtype=bool)]
        if keyword.strip():
            word = keyword.strip()
            hit = (m["text"].astype("str").str.contains(word, case=False, regex=False).fillna(False)
                   | m["title"].astype("str").str.contains(word, case=False, regex=False).fillna(False))
            m = m[hit.to_numpy(dtype=bool)]
        return m.sort_values(["reach", "published_at"], ascending=[False, True], na_position="last")

    def sources_of(self, account: str, platform: str, start, end, top: int = 30) -> pd.Series:
        """Mentions per source in the window, largest first (the source filter's choices)."""
        m = self.rows("mentions", account, platform, start, end)
        return m["source"].dropna().value_counts().head(top)

    def spikes(self, account: str, platform: str, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(brand.spikes, its episodes) for the account's mentions on the platform: every date
        feeds the weekday baseline, the days shown are the period's."""
        from ..plots import spike_episodes

        key = ("spikes", account, platform, period.start, period.end)
        if key not in self._cache:
            m = self.rows("mentions", account, platform)
            spk = brand.spikes(m, account, period, self.tz)
            self._cache[key] = (spk, spike_episodes(spk))
        return self._cache[key]


def _float(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if np.isfinite(f) else None

