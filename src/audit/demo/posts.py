"""Posts of the brand's own accounts, one month at a time (so any scale streams to disk).

Per post: a publication time (posting slots drawn independently of everything else, so the slot
makes no difference), a type, a lognormal reach (season, trend and type move its median) and an
engagement count drawn around reach x rate, the rate depending on the type (the planted
content-type effect) and on nothing else.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import texts as T
from . import world as W


@dataclass(frozen=True)
class Spec:
    platform: str
    rate: float  # posts per day at scale 1
    types: dict[str, float]  # type label as the platform exports it -> share of posts
    reach: float  # median reach of an ordinary post at the start of the data
    er: float  # engagements per reach, reference type
    split: dict[str, float]  # how engagements divide into reactions, comments, shares, saves
    sigma: float = 0.8
    yearly: float = 0.0  # audience growth per year
    type_reach: dict[str, float] = field(default_factory=dict)
    type_er: dict[str, float] = field(default_factory=dict)
    link_share: float = 0.0  # posts carrying an outside link
    shop_share_of_links: float = 0.5
    start: dt.date = W.START
    sunday: float = 0.4  # posting on Sundays, relative to weekdays


SPECS = {
    "facebook": Spec("facebook", 0.85, {"Photos": 0.56, "Links": 0.06, "Videos": 0.13, "Reels": 0.25}, 1400, 0.042,
                     {"reactions": 0.76, "comments": 0.11, "shares": 0.13}, yearly=-0.04,
                     type_reach={"Reels": 1.5, "Videos": 1.3, "Links": 0.8}, type_er=W.TYPE_ENGAGEMENT["facebook"],
                     link_share=1.0, shop_share_of_links=0.55),  # every "Links" post has a link
    "instagram": Spec("instagram", 1.0, {"IG image": 0.42, "IG carousel": 0.24, "IG reel": 0.34}, 2300, 0.052,
                      {"reactions": 0.80, "comments": 0.05, "shares": 0.06, "saves": 0.09}, yearly=0.22,
                      type_reach={"IG reel": 1.6, "IG carousel": 1.1}, type_er=W.TYPE_ENGAGEMENT["instagram"]),
    "x": Spec("x", 1.1, {"text": 0.45, "photo": 0.45, "link": 0.10}, 900, 0.011,
              {"reactions": 0.58, "comments": 0.12, "shares": 0.22, "saves": 0.08}, yearly=-0.18, link_share=1.0,
              shop_share_of_links=0.3),
    "linkedin": Spec("linkedin", 0.3, {"Organic": 0.92, "Sponsored": 0.08}, 1100, 0.035,
                     {"reactions": 0.74, "comments": 0.12, "shares": 0.14}, yearly=0.10, sunday=0.05,
                     type_reach={"Sponsored": 4.0}),
    "youtube": Spec("youtube", 0.13, {"video": 1.0}, 1300, 0.0, {"reactions": 1.0}, sigma=1.1, yearly=0.05, sunday=0.5),
    # The brand opened its TikTok account during the audit year.
    "tiktok": Spec("tiktok", 0.45, {"video": 1.0}, 3500, 0.07,
                   {"reactions": 0.86, "comments": 0.04, "shares": 0.06, "saves": 0.04}, sigma=1.3, yearly=0.0,
                   start=dt.date(2025, 9, 8), sunday=0.8),
}
MONTH_KEY = "%Y-%m"


def month_posts(seed: int, spec: Spec, month: pd.Timestamp, scale: int) -> pd.DataFrame:
    """All posts of one platform published in one month, sorted by time (local Paris time, naive)."""
    r = W.rng(seed, "posts", spec.platform, month.strftime(MONTH_KEY))
    days = W.month_days(month)
    days = days[days >= pd.Timestamp(spec.start)]
    if len(days) == 0:
        return pd.DataFrame()
    wk = np.where(days.day_of_week == 6, spec.sunday, np.where(days.day_of_week == 5, 0.7, 1.0))
    lam = spec.rate * scale * wk * np.sqrt(W.season(days))
    per_day = r.poisson(lam)
    n = int(per_day.sum())
    day = np.repeat(days.to_numpy(), per_day)
    ordinal = np.concatenate([np.arange(k) for k in per_day]) if n else np.zeros(0, int)

    slots = np.array(W.POST_SLOTS)
    slot = r.choice(len(slots), size=n, p=slots[:, 2] / slots[:, 2].sum())
    hour = r.integers(slots[slot, 0].astype(int), slots[slot, 1].astype(int))
    minute = r.integers(0, 60, n)
    published = pd.DatetimeIndex(day) + pd.to_timedelta(hour * 60 + minute, unit="min")

    labels = list(spec.types)
    ptype = np.array(labels, dtype=object)[r.choice(len(labels), size=n, p=np.array(list(spec.types.values())))]
    didx = W.day_index(pd.DatetimeIndex(day))
    season = W.season(W.DAYS)[didx]
    trend = W.growth(W.DAYS, spec.yearly)[didx]
    treach = np.array([spec.type_reach.get(t, 1.0) for t in ptype])
    ter = np.array([spec.type_er.get(t, 1.0) for t in ptype])
    reach = np.round(spec.reach * season ** 0.6 * trend * treach * r.lognormal(0, spec.sigma, n)).astype(np.int64) + 3
    rate = spec.er * ter * r.lognormal(0, 0.45, n)
    engagements = r.poisson(reach * np.minimum(rate, 0.6))
    parts = list(spec.split)
    split = r.multinomial(engagements, np.array(list(spec.split.values()))) if n else np.zeros((0, len(parts)), int)

    has_link = (r.random(n) < spec.link_share) & np.isin(ptype, ["Links", "link"]) if spec.link_share else np.zeros(n, bool)
    shop = has_link & (r.random(n) < spec.shop_share_of_links)
    if spec.platform == "instagram":  # no links in captions: a few say "lien en bio" for the shop
        shop = r.random(n) < W.SHOP_LINK_SHARE / 3
    link_clicks = np.where(has_link, r.poisson(reach * 0.012 * r.lognormal(0, 0.5, n)), 0)
    impressions = np.round(reach * (1.15 + r.gamma(2.0, 0.12, n))).astype(np.int64)

    out = pd.DataFrame({"published": published, "day": didx, "ordinal": ordinal, "type": ptype,
                        "reach": reach, "impressions": impressions, "engagements": engagements,
                        "link_clicks": link_clicks, "has_link": has_link, "shop": shop})
    for j, p in enumerate(parts):
        out[p] = split[:, j]
    for p in ("reactions", "comments", "shares", "saves"):
        if p not in out:
            out[p] = 0
    out["other_clicks"] = r.poisson(reach * 0.025)
    out["follows"] = r.poisson(reach * 0.0015)
    out["duration"] = np.where(np.isin(ptype, ["Reels", "IG reel", "video"]), r.integers(12, 75, n),
                               np.where(ptype == "Videos", r.integers(60, 300, n), 0))
    out["text"] = captions(r, spec.platform, out)
    out = _crisis_statement(out, spec, month)
    return out.sort_values("published", kind="stable").reset_index(drop=True)


def captions(r: np.random.Generator, platform: str, posts: pd.DataFrame) -> list[str]:
    n = len(posts)
    month = pd.DatetimeIndex(posts["published"]).month.to_numpy()
    if platform == "linkedin":
        return T.fill(T.LINKEDIN, r.integers(0, len(T.LINKEDIN), n), r)
    if platform == "youtube":
        return T.fill(T.VIDEO_TITLES, r.integers(0, len(T.VIDEO_TITLES), n), r)
    base = T.fill(T.CAPTIONS, r.integers(0, len(T.CAPTIONS), n), r)
    seasonal = [T.SEASONAL.get(m) for m in month]
    use_season = r.random(n) < 0.35
    seas_txt = T.fill(tuple(s or T.CAPTIONS[0] for s in seasonal), np.arange(n), r)
    shop_txt = T.fill(T.SHOP_CAPTIONS, r.integers(0, len(T.SHOP_CAPTIONS), n), r)
    bio = "Lien en bio pour commander." if platform == "instagram" else ""
    out = []
    shop, has_link = posts["shop"].to_numpy(), posts["has_link"].to_numpy()
    for i in range(n):
        if shop[i]:
            txt = shop_txt[i] if platform != "instagram" else seas_txt[i] + " " + bio
        elif has_link[i]:
            txt = "Ils parlent de nous : notre portrait dans la presse locale. https://www.brindelle.fr/actualites"
        elif use_season[i] and seasonal[i]:
            txt = seas_txt[i]
        else:
            txt = base[i]
        if platform == "x":
            txt = txt.replace(W.SHOP_URL, "https://t.co/" + "Kq7Zb2xRw0"[: 4 + i % 6] + "bT")
            txt = txt.replace("https://www.brindelle.fr/actualites", "https://t.co/n3wsBr1nd")
        out.append(txt)
    return out


def _crisis_statement(posts: pd.DataFrame, spec: Spec, month: pd.Timestamp) -> pd.DataFrame:
    """The brand's recall statement on Facebook, Instagram and X: very commented, little liked."""
    when = pd.Timestamp(W.CRISIS_START) + pd.Timedelta(days=1, hours=10, minutes=5)
    if spec.platform not in ("facebook", "instagram", "x") or month != when.to_period("M").to_timestamp():
        return posts
    reach = int(spec.reach * 9)
    row = {c: 0 for c in posts.columns}
    row.update(published=when, day=int(W.day_index(pd.DatetimeIndex([when]))[0]), ordinal=999, reach=reach,
               impressions=int(reach * 1.4), reactions=int(reach * 0.01), comments=int(reach * 0.03),
               shares=int(reach * 0.012), text=T.CRISIS_STATEMENT, has_link=False, shop=False,
               type={"facebook": "Photos", "instagram": "IG image", "x": "text"}[spec.platform])
    row["engagements"] = row["reactions"] + row["comments"] + row["shares"]
    return pd.concat([posts, pd.DataFrame([row])], ignore_index=True)


class Daily:
    """Per-day totals accumulated while posts stream past (for the accounts' daily series)."""

    def __init__(self):
        self.values: dict[str, np.ndarray] = {}

    def add(self, metric: str, day: np.ndarray, value: np.ndarray, spread=(0.65, 0.25, 0.10)) -> None:
        """Spread each post's lifetime value over its first days (most of it on day one)."""
        arr = self.values.setdefault(metric, np.zeros(W.N_DAYS))
        for lag, share in enumerate(spread):
            d = day + lag
            ok = d < W.N_DAYS
            np.add.at(arr, d[ok], np.asarray(value, float)[ok] * share)

    def __getitem__(self, metric: str) -> np.ndarray:
        return self.values.get(metric, np.zeros(W.N_DAYS))


def ids_from(base: int, posts: pd.DataFrame, r: np.random.Generator, step: int = 7919) -> list[str]:
    """Numeric ids that grow with time and never collide: base + (day, ordinal) slot + jitter."""
    slot = posts["day"].to_numpy(np.int64) * 1000 + posts["ordinal"].to_numpy(np.int64)
    jitter = r.integers(0, step, len(posts))
    return [str(base + int(s) * step + int(j)) for s, j in zip(slot, jitter)]


SHORTCODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


_SHORTCODE_BYTES = np.frombuffer(SHORTCODE.encode(), dtype="S1")


def shortcodes(r: np.random.Generator, n: int, length: int = 11) -> list[str]:
    """Random ids in Instagram/YouTube's alphabet (letters, digits, '-' and '_')."""
    a = r.integers(0, len(SHORTCODE), (n, length))
    return _SHORTCODE_BYTES[a].view(f"S{length}").ravel().astype(str).tolist()
