"""A Brand24-style listening export covering the brand and both competitors (one project each,
named in a `Project` column), newest first, date and hour in separate columns (Paris time).

Planted: the crisis week (a spike of negative mentions started by one influential critic), a
competitor whose talk is mostly customer-service complaints, Pinterest talk about a brand that
has no Pinterest account, and a two-day gap when the tool was down.
"""
from __future__ import annotations

import datetime as dt
import operator
from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import texts as T
from . import world as W
from .writers import CsvWriter

HEADER = ["Date", "Hour", "Project", "Title", "Content", "URL", "Source", "Category", "Author", "Influencer Score",
          "Sentiment", "Reach", "Likes", "Comments", "Shares", "Country", "Language"]
BRAND_PER_DAY = 6.6
OUTAGE = (dt.date(2025, 11, 3), dt.date(2025, 11, 4))
# where mentions are published: (category, source domain, share for the brand, share for competitors)
PLACES = (
    ("Instagram", "instagram.com", 0.29, 0.33), ("Facebook", "facebook.com", 0.13, 0.20), ("X", "x.com", 0.11, 0.14),
    ("TikTok", "tiktok.com", 0.12, 0.12), ("Other socials", "pinterest.fr", W.PINTEREST_SHARE, 0.01),
    ("Videos", "youtube.com", 0.03, 0.03), ("News", None, 0.05, 0.05), ("Blogs", None, 0.07, 0.05),
    ("Forums", "forum-gourmand-fictif.fr", 0.05, 0.05), ("Web", "annuaire-boulangeries-fictif.fr", 0.04, 0.02),
)
CRISIS_SHAPE = np.array([1.0, 1.7, 1.3, 0.9, 0.6, 0.4, 0.3])


COLUMNS = ("date", "hour", "project", "title", "content", "url", "source", "category", "author", "score",
           "sentiment", "reach", "likes", "comments", "shares", "country", "language")  # in HEADER's order


def write(out: Path, seed: int, scale: int) -> None:
    path = out / "ecoute" / "brand24_mentions_export.csv"
    accounts = [(W.BRAND, 1.0, 0.10, 0.25)] + [(c.name, c.volume, c.negative, c.service_share)
                                              for c in W.COMPETITORS]
    with CsvWriter(path, bom=True) as w:
        w.row(HEADER)
        for month in reversed(W.MONTHS):  # newest first, as the tool exports
            parts = [_month(seed, scale, month, k, *acc) for k, acc in enumerate(accounts)]
            if month == pd.Timestamp(W.CRISIS_START).to_period("M").to_timestamp():
                parts.append(_crisis_origin(W.BRAND))
            cols = {c: [x for part in parts for x in part[c]] for c in COLUMNS if c not in ("date", "hour")}
            when = np.concatenate([part["when"] for part in parts])
            order = np.lexsort((np.arange(len(when)), when))[::-1]
            stamp = pd.DatetimeIndex(when[order])
            cols["date"], cols["hour"] = W.fmt(stamp, "%Y-%m-%d"), W.fmt(stamp, "%H:%M")
            pick = operator.itemgetter(*order.tolist())
            for c in COLUMNS:
                if c not in ("date", "hour"):
                    cols[c] = list(pick(cols[c])) if len(order) > 1 else [cols[c][i] for i in order]
            w.plain_rows(list(zip(*(cols[c] for c in COLUMNS))))


# what a mention says: one phrase bank per kind, drawn in one pass
KINDS = ("positive", "neutral", "negative", "service", "crisis", "pinterest")
BANKS = (T.MENTION_POSITIVE, T.MENTION_NEUTRAL, T.MENTION_NEGATIVE, T.MENTION_SERVICE, T.MENTION_CRISIS,
         T.MENTION_PINTEREST)
ALL_TEMPLATES = tuple(t for bank in BANKS for t in bank)
BANK_START = np.cumsum([0] + [len(b) for b in BANKS[:-1]])
BANK_SIZE = np.array([len(b) for b in BANKS])


def _month(seed: int, scale: int, month: pd.Timestamp, k: int, project: str, volume: float, negative: float,
           service: float) -> dict:
    """One month of one project's mentions, as columns (lists and arrays)."""
    r = W.rng(seed, "mentions", project, month.strftime(P.MONTH_KEY))
    days = W.month_days(month)
    lam = BRAND_PER_DAY * volume * scale * W.season(days) ** 0.5 * W.growth(days, 0.1)  # talk is less seasonal
    crisis = W.crisis_mask(days) if k == 0 else np.zeros(len(days), bool)
    extra = np.zeros(len(days))
    if crisis.any():
        offs = (days[crisis] - pd.Timestamp(W.CRISIS_START)).days.to_numpy()
        extra[crisis] = BRAND_PER_DAY * scale * (W.CRISIS_VOLUME - 1) * CRISIS_SHAPE[offs] / CRISIS_SHAPE.mean()
    off = (days >= pd.Timestamp(OUTAGE[0])) & (days <= pd.Timestamp(OUTAGE[1]))
    normal = np.where(off, 0, r.poisson(lam))
    burst = np.where(off, 0, r.poisson(extra))
    n_norm, n_crisis = int(normal.sum()), int(burst.sum())
    n = n_norm + n_crisis
    day = np.concatenate([np.repeat(days.to_numpy(), normal), np.repeat(days.to_numpy(), burst)])
    hour = r.choice(24, n, p=_HOURS)  # people talk in the evening more than at dawn
    when = day + ((hour * 60 + r.integers(0, 60, n)) * 60_000_000_000).astype("timedelta64[ns]")
    is_crisis = np.arange(n) >= n_norm

    place_p = np.array([p[2] if k == 0 else p[3] for p in PLACES])
    place = r.choice(len(PLACES), n, p=place_p / place_p.sum())
    place[is_crisis] = r.choice([0, 1, 2, 6], n_crisis, p=[0.3, 0.2, 0.4, 0.1])  # the crisis runs on X and news
    neg_p = np.where(is_crisis, W.CRISIS_NEGATIVE, negative)
    u = r.random(n)
    sentiment = np.where(u < neg_p, "negative", np.where(u < neg_p + (1 - neg_p) * 0.5, "positive", "neutral"))
    sentiment[(place == 4) & (sentiment == "negative")] = "positive"  # pins are admiring
    svc = (sentiment == "negative") & (r.random(n) < service) & ~is_crisis
    kind = np.select([is_crisis & (sentiment == "negative"), place == 4, svc, sentiment == "positive",
                      sentiment == "neutral"], [4, 5, 3, 0, 1], 2)
    template = BANK_START[kind] + (r.random(n) * BANK_SIZE[kind]).astype(int)
    content = T.fill(ALL_TEMPLATES, template, r, brand=project)

    followers = np.round(r.lognormal(6.3, 1.5, n)).astype(np.int64) + 20
    news = np.isin(place, [6, 7])
    followers[news] = np.round(r.lognormal(10.0, 0.9, int(news.sum()))).astype(np.int64)
    score = np.clip(np.round(np.log10(followers + 1) * 1.6 - 0.5), 1, 9).astype(int)
    reach = np.round(followers * r.uniform(0.3, 1.5, n)).astype(np.int64)
    social = place < 6
    likes, comments, shares = (r.poisson(reach * f * social) for f in (0.02, 0.002, 0.001))
    authors = T.person(r, n)
    news_pick = r.integers(0, len(T.NEWS), n)
    blog_pick = r.integers(0, len(T.BLOGS), n)
    titles = T.fill(T.TITLES, r.integers(0, len(T.TITLES), n), r, brand=project)
    codes = P.shortcodes(r, n)
    ids = r.integers(10**15, 10**16, n).tolist()
    country = np.where(r.random(n) < 0.95, "France", np.where(r.random(n) < 0.6, "Belgium", "Switzerland"))
    language = np.where(r.random(n) < 0.97, "fr", "en")
    month_path = W.fmt(when, "%Y/%m")

    category, source, url, author, title = [], [], [], [], []
    for i in range(n):
        cat, dom = PLACES[place[i]][:2]
        a, t, mid = authors[i], "", ids[i]
        handle = a.replace(" ", "").replace(".", "").lower()
        if cat == "News":
            dom = T.NEWS[news_pick[i]]
            a = dom.split(".")[0].replace("-", " ").title()
            t = titles[i] or f"{project} : ce qu'il faut savoir"
            link = f"https://{dom}/article/{mid}"
        elif cat == "Blogs":
            dom, a = T.BLOG_DOMAINS[blog_pick[i]], T.BLOGS[blog_pick[i]]
            t = titles[i] or f"{project}, notre visite"
            link = f"https://{dom}/{month_path[i]}/article-{mid % 100000}"
        elif cat == "Instagram":
            link = f"https://www.instagram.com/p/{codes[i]}/"
        elif cat == "Facebook":
            link = f"https://www.facebook.com/{handle}/posts/{mid}"
        elif cat == "X":
            link = f"https://x.com/{handle}/status/{mid * 1000 + i % 1000}"
        elif cat == "TikTok":
            link = f"https://www.tiktok.com/@{handle}/video/{mid * 100 + i % 100}"
        elif cat == "Other socials":
            link = f"https://www.pinterest.fr/pin/{mid}/"
        elif cat == "Videos":
            link = f"https://www.youtube.com/watch?v={codes[i]}"
            t = titles[i] or f"On a testé {project}"
        elif cat == "Forums":
            link = f"https://{dom}/t/{mid % 1000000}"
            t = titles[i] or f"Avis sur {project} ?"
        else:
            link = f"https://{dom}/fiche/{mid % 1000000}"
            t = f"{project} – horaires et avis"
        category.append(cat)
        source.append(dom)
        url.append(link)
        author.append(a)
        title.append(t)
    return {"when": when, "project": [project] * n, "title": title, "content": content, "url": url,
            "source": source, "category": category, "author": author, "score": score.tolist(),
            "sentiment": sentiment.tolist(), "reach": reach.tolist(), "likes": likes.tolist(),
            "comments": comments.tolist(), "shares": shares.tolist(), "country": country.tolist(),
            "language": language.tolist()}


def _crisis_origin(project: str) -> dict:
    """The critic's thread that starts the crisis: the most influential mention of the period."""
    when = pd.Timestamp(W.CRISIS_START) + pd.Timedelta(hours=7, minutes=42)
    return {"when": np.array([when.to_datetime64()]), "project": [project], "title": [""],
            "content": [T.CRISIS_ORIGIN.format(b=project)],
            "url": [f"https://x.com/{W.CRISIS_AUTHOR_HANDLE}/status/2033512267184422912"], "source": ["x.com"],
            "category": ["X"], "author": [W.CRISIS_AUTHOR], "score": [10], "sentiment": ["negative"],
            "reach": [486000], "likes": [9120], "comments": [1385], "shares": [3210], "country": ["France"],
            "language": ["fr"]}


_HOURS = np.array([1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 3.5, 3.5, 4, 5, 5, 4, 4, 4, 4.5, 5.5, 6.5, 7, 6.5, 4.5, 2.5])
_HOURS = _HOURS / _HOURS.sum()


PRESS_HEADER = ["Parution", "Support", "Titre", "Résumé", "Tonalité", "Diffusion", "Lien"]
PRESS = (("Le Quotidien Gourmand (fictif)", 180000), ("Gazette du Nord (fictive)", 95000),
         ("Hebdo des Métiers de Bouche (fictif)", 22000), ("Lyon Matin (fictif)", 120000))
PRESS_ARTICLES = (
    ("{b} : les clients excédés par les retards de livraison", "Négative",
     "Commandes livrées en retard, service client difficile à joindre : les plaintes s'accumulent."),
    ("Chez {b}, le service client débordé", "Négative",
     "Les demandes de remboursement restent sans réponse plusieurs semaines, selon nos lecteurs."),
    ("{b} ouvre un nouveau fournil", "Neutre", "L'enseigne poursuit son développement dans la région."),
    ("Le pain de {b} primé", "Positive", "Une médaille pour le pain au levain de l'enseigne."),
)


def press(out: Path, seed: int, scale: int) -> None:
    """A press-clipping agency's file on Fournil Orsane (print press, which listening tools do not
    see): spreadsheet-saved, so Windows-1252, `;`, CRLF and DD/MM/YYYY; mapped in audit.yml `sources`."""
    r = W.rng(seed, "press")
    orsane = W.COMPETITORS[0].name
    n = 60 * scale
    days = np.sort(r.integers(0, W.N_DAYS, n))
    kind = r.choice(len(PRESS_ARTICLES), n, p=[0.4, 0.3, 0.2, 0.1])
    outlet = r.integers(0, len(PRESS), n)
    with CsvWriter(out / "ecoute" / "revue_presse_orsane.csv", encoding="cp1252", sep=";", eol="\r\n") as w:
        w.row(PRESS_HEADER)
        for i in range(n):
            title, tone, summary = PRESS_ARTICLES[kind[i]]
            name, audience = PRESS[outlet[i]]
            w.row([f"{W.DAYS[days[i]]:%d/%m/%Y}", name, title.format(b=orsane), summary, tone,
                   int(audience * r.uniform(0.8, 1.2)), f"https://revue-presse-fictive.fr/clip/{100000 + i}"])
