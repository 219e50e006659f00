"""The fictional world of the demo client: who, when, where, and the effects planted in its data.

Maison Brindelle is an invented French bakery and patisserie chain (eight shops and an online
shop on brindelle.fr); Fournil Orsane and Solvène Pâtisserie are its invented competitors. Every
name, handle, domain and id here is made up. All the numbers the generator draws from live in
this module, so a reader can see at a glance what the data was built to show.
"""
from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

# --- calendar ----------------------------------------------------------------------------------------
START = dt.date(2024, 10, 1)  # first day of data (comparison year starts here)
END = dt.date(2026, 9, 30)  # last day of data (audit year ends here)
AUDIT_START = dt.date(2025, 10, 1)
COMPARISON_END = dt.date(2025, 9, 30)
YEARS = (("comparison", START, COMPARISON_END), ("audit", AUDIT_START, END))
EXPORTED = dt.datetime(2026, 10, 2, 9, 30)  # when the analyst downloaded the exports (Paris time)
TZ = "Europe/Paris"
DAYS = pd.date_range(START, END, freq="D")
N_DAYS = len(DAYS)
MONTHS = pd.date_range(START, END, freq="MS")  # month starts, for generating in chunks
DEFAULT_SEED = 20261002

# --- who ---------------------------------------------------------------------------------------------
BRAND = "Maison Brindelle"
DOMAIN = "brindelle.fr"
SHOP_URL = "https://www.brindelle.fr/boutique"
BASKET = 41.5  # average online order, EUR
FB_PAGE_ID = "104271996638120"
FB_PAGE_SLUG = "MaisonBrindelle"
IG_ACCOUNT_ID = "17841402887315560"
IG_USERNAME = "maisonbrindelle"
X_HANDLE = "MaisonBrindelle"
LINKEDIN_VANITY = "maison-brindelle"
YOUTUBE_CHANNEL = "Maison Brindelle"
TIKTOK_HANDLE = "maisonbrindelle"
GA4_PROPERTY = "brindelle.fr - GA4"


@dataclass(frozen=True)
class Competitor:
    name: str
    domain: str
    handle: str
    # share of negative mentions, and the share of those that are about customer service
    negative: float
    service_share: float
    volume: float  # mentions per day, relative to the brand's baseline


COMPETITORS = (
    # Planted: Fournil Orsane's talk is dominated by customer-service complaints (delivery,
    # unanswered messages, refunds): a weak spot the brand can play on.
    Competitor("Fournil Orsane", "fournil-orsane.fr", "fournilorsane", negative=0.46, service_share=0.8, volume=0.55),
    # Control: Solvène is an ordinary competitor, no complaint pattern.
    Competitor("Solvène Pâtisserie", "solvene-patisserie.fr", "solvenepatisserie", negative=0.09, service_share=0.25,
               volume=0.35),
)

CITIES = ("Paris 11e", "Paris 15e", "Lyon Croix-Rousse", "Lille Vieux-Lille", "Bordeaux Chartrons", "Nantes",
          "Rennes", "Toulouse Carmes")
CITY_SLUGS = ("paris-11", "paris-15", "lyon-croix-rousse", "lille-vieux-lille", "bordeaux-chartrons", "nantes",
              "rennes", "toulouse-carmes")
# (name, gender): m, f, or p (plural); texts.py builds "le/la/l'/les", "du/de la/de l'/des"...
PRODUCT_FORMS = (
    ("galette frangipane", "f"), ("bûche praliné noisette", "f"), ("éclair au café", "m"),
    ("tarte au citron meringuée", "f"), ("croissant au beurre", "m"), ("pain au levain", "m"),
    ("flan pâtissier", "m"), ("paris-brest", "m"), ("macarons framboise", "p"), ("financiers aux amandes", "p"),
    ("kouign-amann", "m"), ("chouquettes", "p"), ("fraisier", "m"), ("baba au rhum", "m"),
    ("brioche feuilletée", "f"), ("tarte aux fraises", "f"), ("mille-feuille vanille", "m"), ("cookies noisette", "p"),
)
PRODUCTS = tuple(name for name, _ in PRODUCT_FORMS)
SHOP_SECTIONS = ("galettes", "buches", "coffrets", "viennoiseries", "gateaux-de-fete", "macarons", "epicerie-fine")

# --- planted effects (numbers the tests look for) --------------------------------------------------------
# 1. Content type: short videos (IG reels, FB reels/videos, TikTok) earn more engagement per reach.
TYPE_ENGAGEMENT = {
    "facebook": {"Photos": 1.0, "Links": 0.7, "Videos": 1.9, "Reels": 2.1},
    "instagram": {"IG image": 1.0, "IG carousel": 1.1, "IG reel": 2.2},
}
# 2. Posting slot: the hour of posting has NO effect on engagement (slots drawn independently).
POST_SLOTS = ((7, 10, 0.40), (11, 14, 0.25), (17, 21, 0.35))  # (from hour, to hour, share of posts)
# 3. Crisis week: a product recall; one influential food critic starts it.
CRISIS_START = dt.date(2026, 3, 16)  # Monday
CRISIS_DAYS = 7
CRISIS_END = CRISIS_START + dt.timedelta(days=CRISIS_DAYS - 1)
CRISIS_VOLUME = 7.0  # brand mentions per day, times the usual level
CRISIS_NEGATIVE = 0.72
CRISIS_AUTHOR = "Le Palais Critique"
CRISIS_AUTHOR_HANDLE = "lepalaiscritique"
# 5. Sales objective but few posts link to the shop; ads bought for engagement.
SHOP_LINK_SHARE = 0.035
# 6. Inbox: questions left unanswered, and slow answers at the weekend.
UNANSWERED_QUESTIONS = 0.24
WEEKDAY_RESPONSE_HOURS = 1.6  # median, within business hours
# (no weekend shift: weekend messages wait for Monday morning)
# 7. Costs: social care is cheaper per contact than the call centre.
CALL_CENTRE_COST = 7.40
TEAM_HOURLY_COST = 34.0
TOOL_COSTS_PER_MONTH = 89.0
SOCIAL_CARE_HOURS = 18  # per month at scale 1 (scales with the volume of messages)
# 8. Talked about where the brand is absent: Pinterest.
PINTEREST_SHARE = 0.15
# 9. Target persona: women 25-44 in France; the Facebook audience is much older.
TARGET_AGES = ("25-34", "35-44")
# 10. Customer suggestions, planted verbatim (and nowhere else does the data use suggestion wording).
SUGGESTIONS_INBOX = (
    "Vous devriez proposer la tarte au citron en version sans gluten, je serais la première cliente !",
    "Ce serait bien d'avoir une carte de fidélité, on vient toutes les semaines à Nantes.",
    "Suggestion : des boîtes consignées pour les gâteaux, on en jette tellement.",
    "Pourquoi pas un atelier pâtisserie pour les enfants pendant les vacances ?",
    "J'aimerais pouvoir commander en ligne la veille et retirer en boutique à 7h.",
)
SUGGESTIONS_REVIEWS = (
    "Excellent comme toujours. Il faudrait juste ouvrir le dimanche après-midi, c'est là qu'on en a envie !",
    "Très bonnes viennoiseries. Suggestion : afficher les allergènes sur chaque étiquette en vitrine.",
    "Accueil adorable. Ce serait bien d'ajouter quelques places assises pour prendre un café.",
    "Les bûches sont superbes ; vous devriez proposer des mini-bûches individuelles pour les petits foyers.",
)
SUGGESTIONS_SURVEY = (
    "Proposez un abonnement mensuel de viennoiseries livrées le week-end.",
    "J'aimerais une version végane du flan.",
    "Pourquoi pas un service de livraison à vélo dans Lyon ?",
)


# --- randomness -----------------------------------------------------------------------------------------
def rng(seed: int, *parts: object) -> np.random.Generator:
    """An independent stream per (seed, source, chunk): adding a source never changes another."""
    key = [int(seed)] + [zlib.crc32(str(p).encode()) for p in parts]
    return np.random.default_rng(key)


# --- seasonality ------------------------------------------------------------------------------------------
def _bump(days: pd.DatetimeIndex, centre: dt.date, width: float, height: float) -> np.ndarray:
    d = (days - pd.Timestamp(centre)).days.to_numpy(dtype=float)
    return height * np.exp(-0.5 * (d / width) ** 2)


EASTER = (dt.date(2025, 4, 20), dt.date(2026, 4, 5))
MOTHERS_DAY = (dt.date(2025, 5, 25), dt.date(2026, 5, 31))


def _season(days: pd.DatetimeIndex) -> np.ndarray:
    s = np.ones(len(days))
    for year in (2024, 2025, 2026):
        s += _bump(days, dt.date(year, 12, 21), 7, 1.3)  # bûches
        s += _bump(days, dt.date(year, 1, 10), 8, 0.9)  # galettes
        s += _bump(days, dt.date(year, 2, 2), 2, 0.3)  # Chandeleur
        s -= _bump(days, dt.date(year, 8, 12), 10, 0.35)  # holidays
    for d in EASTER:
        s += _bump(days, d, 4, 0.5)
    for d in MOTHERS_DAY:
        s += _bump(days, d - dt.timedelta(days=2), 3, 0.6)
    weekday = days.day_of_week.to_numpy()
    s *= np.array([0.9, 0.92, 0.95, 0.97, 1.05, 1.2, 1.1])[weekday]
    return s


_SEASON = _season(DAYS)


def season(days: pd.DatetimeIndex = DAYS) -> np.ndarray:
    """Interest in a bakery over the year (1 = ordinary day): Christmas logs, Epiphany cakes,
    Easter, Mother's Day, a summer dip; weekends are busier. `days` must lie within DAYS."""
    return _SEASON[day_index(days)]


def growth(days: pd.DatetimeIndex, yearly: float) -> np.ndarray:
    """Multiplicative trend: `yearly` = growth over one year (0.2 = +20 %)."""
    t = (days - pd.Timestamp(START)).days.to_numpy(dtype=float) / 365.0
    return (1 + yearly) ** t


def crisis_mask(days: pd.DatetimeIndex) -> np.ndarray:
    d = (days - pd.Timestamp(CRISIS_START)).days.to_numpy()
    return (d >= 0) & (d < CRISIS_DAYS)


def day_index(ts) -> np.ndarray:
    """Index into DAYS of each (naive, local) timestamp's calendar day."""
    t = np.asarray(pd.DatetimeIndex(ts).to_numpy(), dtype="datetime64[D]")
    return (t - np.datetime64(START, "D")).astype(np.int64)


def fmt(times, pattern: str) -> list[str]:
    """Format many timestamps at once (strftime pattern) into a plain list of strings."""
    return np.asarray(pd.DatetimeIndex(times).strftime(pattern), dtype=object).tolist()


def month_days(month: pd.Timestamp) -> pd.DatetimeIndex:
    return pd.date_range(month, month + pd.offsets.MonthEnd(0), freq="D")


def in_audit_year(day: dt.date | pd.Timestamp) -> bool:
    return pd.Timestamp(day) >= pd.Timestamp(AUDIT_START)


def month_groups():
    """(label, first day, last day, month starts) of the comparison year, then the audit year."""
    for label, start, end in YEARS:
        yield label, start, end, [m for m in MONTHS if pd.Timestamp(start) <= m <= pd.Timestamp(end)]
