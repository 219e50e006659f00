"""Innovation: suggestions, ideas and feature requests customers send the brand.

Found with transparent keyword rules (English and French, extendable with `idea_keywords`
in audit.yml) in mentions, inbox messages and comments, reviews and survey answers. Every
idea keeps the keyword that matched, so a reader can see why a text was counted. The same
keyword machinery serves the complaint rules of `experience`.

Matching is case- and accent-insensitive on whole words; a keyword ending in `*` matches any
word that starts with it ("suggest*" finds "suggestion", "suggested").
"""
from __future__ import annotations

import functools
import re
import unicodedata

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import AuditConfig, Period
from .period import local_day, within
from .registry import metric
from .stats import poisson_interval, proportion, wilson_interval

M_IDEAS = metric(
    "innovation.ideas", "Ideas and suggestions", "innovation", "count",
    "texts about the brand (mentions, inbox messages and comments, reviews, survey comments) that match "
    "an idea keyword rule (e.g. 'suggest*', 'would be nice', 'vous devriez', 'ce serait bien')",
    aggregation="count of texts in the period; one text counts once however many keywords it matches",
    caveats="keyword rules miss ideas worded otherwise and can count a sarcastic or negated sentence; "
            "read the examples before quoting the figure")
M_IDEA_SHARE = metric(
    "innovation.idea_share", "Share of texts that carry an idea", "innovation", "fraction",
    "texts that match an idea keyword rule", "all texts about the brand from the same sources",
    "ratio of sums over texts, Wilson interval", caveats="depends on which sources were exported")
M_IDEA_THEME = metric(
    "innovation.idea_theme_share", "Share of ideas by theme", "innovation", "fraction",
    "ideas whose text matches the theme's keywords", "all ideas",
    "ratio of sums; an idea can belong to several themes, so shares can add up to more than 1",
    higher_is_better=None)
M_IDEA_RATE = metric(
    "innovation.ideas_per_1000_texts", "Ideas per 1,000 texts", "innovation", "ratio",
    "ideas × 1000", "all texts about the brand in the same month",
    "ratio of sums per month, exact Poisson interval on the idea count")

# ----------------------------------------------------------------------- keyword rules
IDEA_KEYWORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "suggest*", "idea", "ideas", "feature request*", "would be nice", "would be great",
        "would be good", "would be cool", "would be helpful", "would be better if", "it'd be nice",
        "would love to see", "would love it if", "i wish", "wish you", "wish there was", "please add",
        "could you add", "can you add", "you should add", "you should offer", "you should make",
        "you should sell", "you should open", "you should bring", "should have an option",
        "add an option", "how about adding", "what about adding", "consider adding", "bring back",
        "could be improved", "improvement", "why don't you", "why not add", "why not offer", "you could add",
        "you could offer", "please offer", "please bring",
    ),
    "fr": (
        "suggestion*", "suggere*", "idee", "idees", "ce serait bien", "ce serait top", "ce serait genial",
        "ce serait super", "ce serait pratique", "ca serait bien", "ca serait top", "ca serait genial",
        "serait-il possible", "serait il possible", "vous devriez", "il faudrait", "pourriez-vous ajouter",
        "pourriez vous ajouter", "pourriez-vous proposer", "j'aimerais que", "j'aimerais bien",
        "j'aimerais voir", "je propose", "proposition", "pourquoi ne pas", "pensez a ajouter",
        "merci d'ajouter", "ameliorer", "amelioration*", "remettez", "ramenez", "pourquoi pas un",
        "pourquoi pas une", "pourquoi pas des", "pourquoi pas le", "pourquoi pas la", "j'aimerais pouvoir",
        "j'aimerais un", "j'aimerais une", "j'aimerais des", "proposez", "vous pourriez", "ajoutez",
    ),
}
# Phrases removed before matching: they contain a keyword but do not carry an idea.
IDEA_EXCLUDE = ("no idea", "any idea", "any ideas", "aucune idee", "pas d'idee", "pas la moindre idee",
                "j'aimerais un remboursement", "j'aimerais une reponse", "j'aimerais un retour",
                "j'aimerais une explication", "j'aimerais un geste commercial")

# Themes in order of precedence: an idea's `theme` is the first that matches (flags keep them all).
IDEA_THEMES: dict[str, tuple[str, ...]] = {
    "product": ("product*", "produit*", "range", "gamme", "flavour*", "flavor*", "saveur*", "parfum*",
                "size*", "taille*", "colour*", "color*", "couleur*", "model*", "modele*", "recipe*",
                "recette*", "ingredient*", "vegan*", "vegane*", "vegetal*", "gluten*", "sans gluten", "lactose",
                "bio", "organic", "allergen*", "etiquet*", "label*", "version*", "portion*", "individuel*",
                "mini", "minis"),
    "delivery": ("deliver*", "livraison*", "livrer", "livre*", "shipping", "expedition*", "click and collect",
                 "click & collect", "retrait", "retirer", "pick up", "pickup", "drive"),
    "store": ("store*", "shop", "shops", "magasin*", "boutique*", "opening hours", "horaires", "ouvert*",
              "ouvrir", "open", "opening", "dimanche", "sunday*", "parking", "location*", "emplacement*",
              "places assises", "seating", "terrasse*"),
    "website_app": ("website", "site", "app", "apps", "application", "appli", "online", "en ligne", "login",
                    "account", "compte", "checkout", "payment*", "paiement*"),
    "price_loyalty": ("price*", "prix", "tarif*", "discount*", "promo*", "reduction*", "loyalty",
                      "fidelite", "offer*", "offre*", "coupon*", "voucher*", "abonnement*", "subscription*"),
    "sustainability": ("packaging", "emballage*", "plastic", "plastique", "recycl*", "eco*", "vrac", "bulk",
                       "durable*", "sustainab*", "zero dechet", "zero waste", "consign*", "reutilisable*",
                       "reusable", "gaspill*"),
    "events": ("atelier*", "workshop*", "event*", "evenement*", "concours", "contest*", "giveaway*", "cours",
               "class", "classes", "degustation*", "tasting*"),
    "communication": ("newsletter*", "instagram", "facebook", "tiktok", "video*", "contenu*", "content",
                      "recette en video"),
    "service": ("service", "staff", "personnel", "accueil", "support", "sav", "conseil*", "advice"),
}

TEXT_COLUMNS = ["source", "platform", "account", "item_id", "at", "text"]
_ACCENTS = re.compile(r"[\u0300-\u036f]")
_APOSTROPHES = re.compile("[’`´ʼ]")
_APOSTROPHE_CLASS = "['’`´ʼ]"


def _normalized(text: pd.Series) -> pa.Array:
    """Lower-case, accent-free text as an Arrow array (missing -> ''), computed with Arrow's
    string kernels: a million texts take seconds, not minutes."""
    a = pa.array(text.astype("str").fillna(""), type=pa.large_string())
    a = pc.utf8_normalize(pc.utf8_lower(a), "NFKD")
    return pc.replace_substring_regex(a, r"[\x{0300}-\x{036f}]", "")


def normalize(text: pd.Series) -> pd.Series:
    """Lower-case, accent-free text (missing -> ''), as the keyword rules see it."""
    return pd.Series(_normalized(text).to_pylist(), index=text.index, dtype="str")


def _normalize_one(s: str) -> str:
    """The same normalisation for one keyword (apostrophes straightened, spaces collapsed)."""
    s = _ACCENTS.sub("", unicodedata.normalize("NFKD", s.lower()))
    return re.sub(r"\s+", " ", _APOSTROPHES.sub("'", s))


def _keyword_regex(keyword: str) -> str:
    k = _normalize_one(keyword).strip()
    wild = k.endswith("*")
    k = k.rstrip("*").strip()
    body = r"\s+".join(re.escape(w) for w in k.split(" ")).replace("'", _APOSTROPHE_CLASS)
    # \b only where the keyword starts/ends with a word character ("c'est" or "-" ends need none)
    start = r"\b" if re.match(r"\w", k) else ""
    end = r"\w*" if wild else (r"\b" if re.search(r"\w$", k) else "")
    return start + body + end


def keyword_pattern(keywords) -> str | None:
    """One regex alternation for the keywords (longest first, so phrases win over single words).
    The same pattern runs in Arrow's RE2 engine and in Python's re."""
    return _pattern(tuple(sorted({k for k in keywords if k and k.strip(" *")}, key=lambda k: (-len(k), k))))


@functools.lru_cache(maxsize=256)
def _pattern(keywords: tuple[str, ...]) -> str | None:
    return "|".join(_keyword_regex(k) for k in keywords) or None


def _contains(norm: pa.Array, pattern: str | None) -> np.ndarray:
    if pattern is None or len(norm) == 0:
        return np.zeros(len(norm), dtype=bool)
    return pc.match_substring_regex(norm, pattern).to_numpy(zero_copy_only=False)


def has_keyword(text: pd.Series, keywords, exclude=()) -> np.ndarray:
    """True where a text contains one of the keywords (after blanking the `exclude` phrases)."""
    norm = _normalized(text)
    ex = keyword_pattern(exclude)
    if ex is not None and len(norm):
        norm = pc.replace_substring_regex(norm, ex, " ")
    return _contains(norm, keyword_pattern(keywords))


def first_keyword(text: pd.Series, keywords, exclude=()) -> pd.Series:
    """The first keyword occurrence found in each text (normalised), or NA when none matches.
    Phrases in `exclude` are blanked out first ('no idea' does not count as 'idea')."""
    norm = _normalized(text)
    ex = keyword_pattern(exclude)
    if ex is not None and len(norm):
        norm = pc.replace_substring_regex(norm, ex, " ")
    pat = keyword_pattern(keywords)
    out = pd.Series(pd.NA, index=text.index, dtype="str")
    hit = _contains(norm, pat)
    if hit.any():  # extract the keyword only from the texts that matched
        found = pd.Series(norm.filter(pa.array(hit)).to_pylist(), dtype="str").str.extract(f"({pat})", expand=False)
        out[hit] = found.str.replace(_APOSTROPHES, "'", regex=True).to_numpy()
    return out


def theme_flags(text: pd.Series, themes: dict[str, tuple[str, ...]]) -> pd.DataFrame:
    """One boolean column per theme: does the text contain one of the theme's keywords."""
    norm = _normalized(text)
    return pd.DataFrame({name: _contains(norm, keyword_pattern(kws)) for name, kws in themes.items()},
                        index=text.index)


def idea_keywords(config: AuditConfig | None = None) -> list[str]:
    """The built-in English and French idea keywords plus audit.yml's `idea_keywords`."""
    extra = list(config.idea_keywords) if config is not None else []
    return [k for lang in IDEA_KEYWORDS.values() for k in lang] + extra


# ----------------------------------------------------------------------- texts
def _table(tables, name: str) -> pd.DataFrame | None:
    if isinstance(tables, dict):
        return tables.get(name)
    return getattr(tables, name, None)


def _join(*cols: pd.Series) -> pd.Series:
    """Title and text joined with '. ', skipping missing or blank parts."""
    parts = [c.astype("str").str.strip().replace("", pd.NA) for c in cols]
    out = parts[0]
    for p in parts[1:]:
        out = (out + ". " + p).fillna(out).fillna(p)
    return out


def collect_texts(tables, account: str, period: Period | None = None, tz: str = "UTC") -> pd.DataFrame:
    """Every customer text about `account` in one frame: source, platform, account, item_id, at, text.

    Sources: mentions (title + text), inbox (messages, comments...), reviews (title + text) and
    survey comments. Rows without text are dropped; `period` filters on the text's own date."""
    specs = (  # table, time column, id column, text columns
        ("mentions", "published_at", "mention_id", ("title", "text")),
        ("inbox", "received_at", "message_id", ("text",)),
        ("reviews", "published_at", "review_id", ("title", "text")),
        ("surveys", "submitted_at", "response_id", ("comment",)),
    )
    frames = []
    for name, at, id_col, text_cols in specs:
        df = _table(tables, name)
        if df is None or df.empty:
            continue
        df = within(df[df["account"] == account], at, period, tz)
        if df.empty:
            continue
        frames.append(pd.DataFrame({
            "source": name, "platform": df["platform"], "account": df["account"],
            "item_id": df[id_col].astype("str"), "at": df[at],
            "text": _join(*(df[c] for c in text_cols)),
        }))
    if not frames:
        out = pd.DataFrame({c: pd.Series(dtype="str") for c in TEXT_COLUMNS})
        out["at"] = pd.Series(dtype=pd.DatetimeTZDtype(tz="UTC"))
        return out
    out = pd.concat(frames, ignore_index=True)
    return out[out["text"].notna()].reset_index(drop=True)


def find_ideas(texts: pd.DataFrame, config: AuditConfig | None = None,
               themes: dict[str, tuple[str, ...]] = IDEA_THEMES) -> pd.DataFrame:
    """The texts that carry an idea (metric innovation.ideas), with the matched `keyword`,
    one boolean column per theme and `theme` (the first matching theme, or 'other')."""
    kw = first_keyword(texts["text"], idea_keywords(config), IDEA_EXCLUDE)
    ideas = texts.assign(keyword=kw)[kw.notna().to_numpy()]
    flags = theme_flags(ideas["text"], themes)
    names = np.array(list(themes) + ["other"])
    first = np.where(flags.any(axis=1), flags.to_numpy().argmax(axis=1), len(themes)) if len(flags) else []
    return pd.concat([ideas, flags], axis=1).assign(theme=names[np.asarray(first, dtype=int)]) \
        .reset_index(drop=True)


def idea_share(texts: pd.DataFrame, ideas: pd.DataFrame) -> pd.DataFrame:
    """Ideas and share of texts with an idea (innovation.idea_share), per source and overall."""
    n = texts["source"].value_counts()
    k = ideas["source"].value_counts().reindex(n.index, fill_value=0)
    rows = [(src, int(k[src]), int(n[src])) for src in n.index] + [("all", len(ideas), len(texts))]
    out = []
    for src, kk, nn in rows:  # a handful of sources
        e = proportion(kk, nn, M_IDEA_SHARE.id, src)
        out.append({"source": src, "ideas": kk, "texts": nn, "share": e.value, "low": e.low, "high": e.high})
    return pd.DataFrame(out, columns=["source", "ideas", "texts", "share", "low", "high"])


def idea_themes(ideas: pd.DataFrame, themes: dict[str, tuple[str, ...]] = IDEA_THEMES) -> pd.DataFrame:
    """Ideas per theme and share of all ideas (innovation.idea_theme_share), largest first.

    An idea can belong to several themes; 'other' counts ideas that match no theme."""
    n = len(ideas)
    names = [t for t in themes if t in ideas.columns]
    counts = ideas[names].sum().astype(int) if names else pd.Series(dtype=int)
    counts["other"] = int((ideas["theme"] == "other").sum()) if n else 0
    lo, hi = (np.full(len(counts), np.nan),) * 2
    if n:
        lo, hi = wilson_interval(counts.to_numpy(), n)
    out = pd.DataFrame({"theme": counts.index, "ideas": counts.to_numpy(),
                        "share": counts.to_numpy() / n if n else np.nan, "low": lo, "high": hi})
    return out.sort_values(["ideas", "theme"], ascending=[False, True], kind="stable").reset_index(drop=True)


def idea_trend(texts: pd.DataFrame, ideas: pd.DataFrame, tz: str = "UTC") -> pd.DataFrame:
    """Per calendar month: texts, ideas and ideas per 1,000 texts with an exact Poisson interval
    (innovation.ideas_per_1000_texts). Months with texts but no idea show 0."""
    def month(df):
        return local_day(df["at"], tz).dt.to_period("M")

    n = texts.groupby(month(texts)).size()
    k = ideas.groupby(month(ideas)).size().reindex(n.index, fill_value=0)
    lo, hi = poisson_interval(k.to_numpy()) if len(k) else (np.array([]), np.array([]))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({
            "month": n.index.astype("str"), "texts": n.to_numpy(), "ideas": k.to_numpy(),
            "per_1000": 1000 * k.to_numpy() / n.to_numpy(),
            "low": 1000 * np.asarray(lo) / n.to_numpy(), "high": 1000 * np.asarray(hi) / n.to_numpy(),
        })
    return out.sort_values("month").reset_index(drop=True)


def idea_examples(ideas: pd.DataFrame, per_theme: int = 3, max_chars: int = 280) -> pd.DataFrame:
    """The most recent ideas of each theme (ties broken by source and id, so the choice is stable),
    text shortened to `max_chars`. Text comes from customers: escape it when rendering HTML."""
    cols = ["theme", "source", "platform", "at", "keyword", "text"]
    if ideas.empty:
        return pd.DataFrame(columns=cols)
    d = ideas.sort_values(["at", "source", "item_id"], ascending=[False, True, True], kind="stable")
    d = d.groupby("theme", sort=True).head(per_theme)
    short = d["text"].str.slice(0, max_chars)
    d = d.assign(text=short.where(d["text"].str.len() <= max_chars, short.str.rstrip() + "…"))
    return d.sort_values(["theme", "at"], ascending=[True, False], kind="stable")[cols].reset_index(drop=True)
