"""The website brindelle.fr: GA4 report downloads (a `#` preamble, no final line end, rates as
raw fractions, durations in seconds, rows sorted by sessions) and a Search Console zip.

GA4 files: traffic acquisition by channel (audit year, comparison year, and one with Date as a
second dimension covering both years, with a three-day tracking outage), by source / medium, the
landing pages and the pages reports, and a stacked 'Reports snapshot'. Search Console keeps only
16 months, so its daily chart starts in June 2025; Queries and Pages stop at 1,000 rows.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as W
from .writers import CsvWriter, csv_bytes, write_zip

# channel: (sessions per day at scale 1, engaged share, engagement seconds, purchase rate, yearly growth)
CHANNELS = {
    "Organic Search": (520, 0.66, 62.0, 0.016, 0.08),
    "Direct": (330, 0.61, 71.0, 0.024, 0.05),
    "Paid Search": (120, 0.58, 48.0, 0.028, 0.0),
    "Organic Social": (85, 0.44, 29.0, 0.004, 0.10),
    "Paid Social": (60, 0.31, 14.0, 0.003, 0.0),
    "Email": (38, 0.69, 83.0, 0.035, 0.0),
    "Referral": (34, 0.63, 55.0, 0.010, 0.0),
    "Unassigned": (5, 0.12, 9.0, 0.0, 0.0),
}
BASKET = W.BASKET
OUTAGE = (dt.date(2026, 2, 10), dt.date(2026, 2, 12))  # GA4 tag broken after a site release: no data
SOCIAL_SOURCES = (("m.facebook.com / referral", 0.27), ("l.instagram.com / referral", 0.21),
                  ("instagram / social", 0.17), ("facebook / social", 0.11), ("pinterest.com / referral", 0.09),
                  ("linkedin.com / referral", 0.05), ("t.co / referral", 0.04), ("tiktok.com / referral", 0.06))
OTHER_SOURCES = {"Organic Search": (("google / organic", 0.93), ("bing / organic", 0.05), ("qwant.com / organic", 0.02)),
                 "Direct": (("(direct) / (none)", 1.0),),
                 "Paid Search": (("google / cpc", 1.0),),
                 "Paid Social": (("facebook / paid", 0.7), ("instagram / paid", 0.3)),
                 "Email": (("newsletter / email", 1.0),),
                 "Referral": (("guide-gourmand-fictif.fr / referral", 0.5), ("lyon-quotidien-fictif.fr / referral", 0.3),
                              ("actu-gourmande-fictive.fr / referral", 0.2)),
                 "Unassigned": (("(not set) / (not set)", 1.0),)}
DASHES = "# " + "-" * 40


def _preamble(w: CsvWriter, title: str, start: dt.date, end: dt.date, head: bool = True) -> None:
    if head:
        for line in (DASHES, f"# {title}", f"# Account: {W.BRAND}", f"# Property: {W.GA4_PROPERTY}", DASHES):
            w.line(line)
    for line in ("# ", "# All Users", f"# Start date: {start:%Y%m%d}", f"# End date: {end:%Y%m%d}"):
        w.line(line)


def daily_sessions(seed: int, scale: int) -> dict[str, np.ndarray]:
    """Sessions per channel and day; Paid Social follows the ad bursts, the outage days are empty."""
    r = W.rng(seed, "ga4-sessions")
    out = {}
    season = W.season()
    for ch, (level, *_, growth) in CHANNELS.items():
        lam = level * scale * season * W.growth(W.DAYS, growth) * r.lognormal(0, 0.12, W.N_DAYS)
        if ch == "Paid Social":
            lam = lam * (0.4 + 1.6 * (season > 1.6))
        out[ch] = r.poisson(lam)
    off = (W.DAYS >= pd.Timestamp(OUTAGE[0])) & (W.DAYS <= pd.Timestamp(OUTAGE[1]))
    for ch in out:
        out[ch][off] = 0
    return out


def _channel_rows(seed: int, sessions: dict[str, np.ndarray], sel: np.ndarray, tag: str):
    """Per channel: (sessions, engaged, avg engagement s, event count, key events, revenue)."""
    r = W.rng(seed, "ga4-metrics", tag)
    rows = []
    for ch, (_, engaged_share, seconds, conv, _) in CHANNELS.items():
        s = int(sessions[ch][sel].sum())
        engaged = int(r.binomial(s, engaged_share))
        events = int(s * (3.2 + 3 * engaged_share) + r.integers(0, 50))
        key = int(r.binomial(s, conv))
        revenue = round(float(key * BASKET * r.lognormal(0, 0.05)), 2) if key else 0
        # GA4 divides total engagement seconds by sessions; a ratio of integers prints the same everywhere
        avg = int(round(seconds * r.lognormal(0, 0.03) * s)) / s if s else 0
        rows.append((ch, s, engaged, avg, events, key, revenue))
    return sorted(rows, key=lambda x: -x[1])


def write(out: Path, seed: int, scale: int) -> None:
    folder = out / "ga4"
    sessions = daily_sessions(seed, scale)
    channel_header = ["Session primary channel group (Default Channel Group)", "Sessions", "Engaged sessions",
                      "Engagement rate", "Average engagement time per session", "Events per session", "Event count",
                      "Key events", "Session key event rate", "Total revenue"]
    name = "Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group)"
    for label, start, end, _ in W.month_groups():
        sel = (W.DAYS >= pd.Timestamp(start)) & (W.DAYS <= pd.Timestamp(end))
        fname = f"{name}.csv" if label == "audit" else f"{name} (1).csv"
        with CsvWriter(folder / fname, final_eol=False) as w:
            _preamble(w, "Traffic acquisition: Session primary channel group (Default Channel Group)", start, end)
            w.row(channel_header)
            for ch, s, eng, avg, events, key, rev in _channel_rows(seed, sessions, sel, label):
                w.row([ch, s, eng, eng / s if s else 0, avg, events / s if s else 0, events, key,
                       key / s if s else 0, rev])
    _daily(folder / f"{name} (2).csv", seed, sessions)
    sel = W.DAYS >= pd.Timestamp(W.AUDIT_START)
    _sources(folder, seed, sessions, sel)
    _pages(folder, seed, scale, sessions, sel)
    _snapshot(folder, seed, sessions, sel)
    search_console(out, seed, scale)


def _daily(path: Path, seed: int, sessions: dict[str, np.ndarray]) -> None:
    r = W.rng(seed, "ga4-daily")
    rows = []
    for ch, (_, engaged_share, seconds, conv, _) in CHANNELS.items():
        s = sessions[ch]
        engaged = r.binomial(s, engaged_share)
        key = r.binomial(s, conv)
        revenue = np.round(key * BASKET * r.lognormal(0, 0.2, W.N_DAYS), 2)
        secs = np.round(seconds * r.lognormal(0, 0.1, W.N_DAYS) * s).astype(np.int64)  # total seconds
        for i in np.flatnonzero(s > 0):
            rows.append((ch, f"{W.DAYS[i]:%Y%m%d}", int(s[i]), int(engaged[i]), float(engaged[i] / s[i]),
                         int(secs[i]) / int(s[i]), int(key[i]), float(revenue[i]) if key[i] else 0))
    rows.sort(key=lambda x: (-x[2], x[1], x[0]))
    with CsvWriter(path, final_eol=False) as w:
        _preamble(w, "Traffic acquisition: Session primary channel group (Default Channel Group)", W.START, W.END)
        w.row(["Session primary channel group (Default Channel Group)", "Date", "Sessions", "Engaged sessions",
               "Engagement rate", "Average engagement time per session", "Key events", "Total revenue"])
        w.rows(rows)


def _split(total: int, shares: tuple, r: np.random.Generator) -> np.ndarray:
    p = np.array([s for _, s in shares], float)
    return r.multinomial(total, p / p.sum())


def _sources(folder: Path, seed: int, sessions: dict[str, np.ndarray], sel: np.ndarray) -> None:
    r = W.rng(seed, "ga4-sources")
    rows = []
    for ch, (_, engaged_share, seconds, conv, _) in CHANNELS.items():
        shares = SOCIAL_SOURCES if ch == "Organic Social" else OTHER_SOURCES[ch]
        for (src, _), s in zip(shares, _split(int(sessions[ch][sel].sum()), shares, r)):
            s = int(s)
            eng = int(r.binomial(s, engaged_share))
            key = int(r.binomial(s, conv))
            total_seconds = int(round(seconds * r.lognormal(0, 0.05) * s))
            rows.append([src, s, eng, eng / s if s else 0, total_seconds / s if s else 0, key,
                         round(float(key * BASKET), 2)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    with CsvWriter(folder / "Traffic_acquisition_Session_source_medium.csv", final_eol=False) as w:
        _preamble(w, "Traffic acquisition: Session source / medium", W.AUDIT_START, W.END)
        w.row(["Session source / medium", "Sessions", "Engaged sessions", "Engagement rate",
               "Average engagement time per session", "Key events", "Total revenue"])
        w.rows(rows)


def site_pages(scale: int) -> list[tuple[str, str, float, float]]:
    """(path, title, weight, purchase rate) of the site's pages; product pages grow with scale."""
    pages = [("/", "Maison Brindelle – Boulangerie pâtisserie", 30.0, 0.012),
             ("/boutique", "Boutique en ligne – Maison Brindelle", 9.0, 0.05),
             ("/nos-boutiques", "Nos boutiques", 6.0, 0.002), ("/a-propos", "Notre histoire", 1.6, 0.001),
             ("/actualites", "Actualités", 1.2, 0.001), ("/recrutement", "Recrutement", 1.8, 0.0),
             ("/contact", "Contact", 1.5, 0.0), ("/panier", "Panier", 2.5, 0.25),
             ("/commande", "Commande", 1.4, 0.55), ("/commande/confirmation", "Merci pour votre commande", 0.6, 0.9)]
    pages += [(f"/boutique/{s}", f"{s.replace('-', ' ').capitalize()} – Boutique", 3.0 / (k + 1), 0.06)
              for k, s in enumerate(W.SHOP_SECTIONS)]
    pages += [(f"/nos-boutiques/{s}", f"Boutique {c}", 1.2 / (k + 1) ** 0.5, 0.003)
              for k, (s, c) in enumerate(zip(W.CITY_SLUGS, W.CITIES))]
    n_products = 40 * scale
    for k in range(n_products):
        prod = W.PRODUCTS[k % len(W.PRODUCTS)]
        slug = prod.replace(" ", "-").replace("û", "u").replace("é", "e").replace("è", "e").replace("â", "a")
        pages.append((f"/boutique/{W.SHOP_SECTIONS[k % len(W.SHOP_SECTIONS)]}/{slug}-{k + 1}",
                      f"{prod.capitalize()} – Maison Brindelle", 2.0 / (k + 2) ** 0.8, 0.07))
    pages += [(f"/actualites/article-{k + 1}", f"Actualité n°{k + 1}", 0.3 / (k + 1) ** 0.7, 0.002)
              for k in range(12 * scale)]
    return pages


def _pages(folder: Path, seed: int, scale: int, sessions: dict[str, np.ndarray], sel: np.ndarray) -> None:
    r = W.rng(seed, "ga4-pages")
    pages = site_pages(scale)
    total = int(sum(v[sel].sum() for v in sessions.values()))
    w_land = np.array([p[2] * (0.2 if p[0].startswith(("/panier", "/commande")) else 1.0) for p in pages])
    land = r.multinomial(total, w_land / w_land.sum())
    rows = []
    for (path, _, _, conv), s in zip(pages, land):
        s = int(s)
        users = int(s * r.uniform(0.62, 0.75))
        new = int(users * r.uniform(0.7, 0.95))
        key = int(r.binomial(s, min(conv * 0.5, 0.9)))
        rows.append([path, s, users, new, float(r.uniform(10, 120)), key, round(key * BASKET, 2), key / s if s else 0])
    rows.append(["(not set)", int(total * 0.004), int(total * 0.003), 0, float(r.uniform(2, 8)), 0, 0, 0])
    rows.sort(key=lambda x: (-x[1], x[0]))
    with CsvWriter(folder / "Landing_page_Landing_page.csv", final_eol=False) as w:
        _preamble(w, "Landing page: Landing page", W.AUDIT_START, W.END)
        w.row(["Landing page", "Sessions", "Active users", "New users", "Average engagement time per session",
               "Key events", "Total revenue", "Session key event rate"])
        w.rows(rows)
    w_view = np.array([p[2] for p in pages])
    views = r.multinomial(int(total * 2.4), w_view / w_view.sum())
    rows = []
    for (path, _, _, conv), v in zip(pages, views):
        v = int(v)
        users = max(int(v / r.uniform(1.6, 2.6)), 1 if v else 0)
        key = int(r.binomial(v, min(conv * 0.3, 0.9)))
        rows.append([path, v, users, v / users if users else 0, float(r.uniform(15, 140)), int(v * r.uniform(2.5, 3.5)),
                     key, round(key * BASKET, 2)])
    rows.sort(key=lambda x: (-x[1], x[0]))
    with CsvWriter(folder / "Pages_and_screens_Page_path_and_screen_class.csv", final_eol=False) as w:
        _preamble(w, "Pages and screens: Page path and screen class", W.AUDIT_START, W.END)
        w.row(["Page path and screen class", "Views", "Active users", "Views per active user",
               "Average engagement time per active user", "Event count", "Key events", "Total revenue"])
        w.rows(rows)


def _snapshot(folder: Path, seed: int, sessions: dict[str, np.ndarray], sel: np.ndarray) -> None:
    """The stacked 'Reports snapshot': each card is a section with its own date block."""
    r = W.rng(seed, "ga4-snapshot")
    days = np.flatnonzero(sel)
    total = sum(v for v in sessions.values())
    users = np.round(total * 0.78).astype(int)
    with CsvWriter(folder / "Reports_snapshot.csv", final_eol=False) as w:
        _preamble(w, "Reports snapshot", W.AUDIT_START, W.END)
        w.row(["Nth day", "Active users"])
        w.rows([[f"{k:04d}", int(users[i])] for k, i in enumerate(days)])
        w.line("")
        _preamble(w, "", W.AUDIT_START, W.END, head=False)
        w.row(["Session primary channel group (Default Channel Group)", "Sessions"])
        w.rows(sorted(([ch, int(v[sel].sum())] for ch, v in sessions.items()), key=lambda x: -x[1]))
        w.line("")
        _preamble(w, "", W.AUDIT_START, W.END, head=False)
        w.row(["Country", "Active users"])
        au = int(users[sel].sum())
        for country, share in (("France", 0.91), ("Belgium", 0.03), ("Switzerland", 0.017), ("Canada", 0.01),
                               ("United States", 0.008), ("Germany", 0.006), ("United Kingdom", 0.005)):
            w.row([country, int(au * share)])
        w.line("")
        _preamble(w, "", W.AUDIT_START, W.END, head=False)
        w.row(["Event name", "Event count"])
        pv = int(total[sel].sum() * 2.4)
        for event, k in (("page_view", 1.0), ("session_start", 0.42), ("user_engagement", 0.55), ("scroll", 0.33),
                         ("first_visit", 0.27), ("view_item", 0.21), ("add_to_cart", 0.035), ("begin_checkout", 0.02),
                         ("purchase", 0.0071)):
            w.row([event, int(pv * k * r.uniform(0.97, 1.03))])


# --- Search Console -----------------------------------------------------------------------------------
GSC_START = dt.date(2025, 6, 1)  # Search Console keeps 16 months
GSC_CAP = 1000
GENERIC = ("galette des rois", "bûche de noël", "boulangerie", "pâtisserie", "éclair au café", "tarte au citron",
           "paris-brest", "macarons", "flan pâtissier", "croissant", "pain au levain", "fraisier", "kouign amann",
           "pièce montée", "gâteau d'anniversaire", "brioche")
MODIFIERS = ("", "commande", "livraison", "prix", "meilleure", "près de moi", "artisanale", "en ligne", "recette")
BRANDED = ("brindelle", "maison brindelle", "brindelle boulangerie", "brindelle galette", "brindelle bûche",
           "brindelle horaires", "brindelle recrutement", "brindelle avis", "brindelle livraison", "brindelle.fr")
CRISIS_QUERIES = ("brindelle rappel", "brindelle financiers rappel", "brindelle allergie noisette")


def _pct(x: float) -> str:
    return f"{round(100 * x, 2):g}%"


def _pos(x: float) -> str:
    return f"{round(x, 2):g}"


def search_console(out: Path, seed: int, scale: int) -> None:
    r = W.rng(seed, "gsc")
    days = pd.date_range(GSC_START, W.END, freq="D")
    didx = W.day_index(days)
    season = W.season()[didx]
    crisis = W.crisis_mask(days)
    brand_impr = r.poisson(2100 * scale * season * (1 + 2.5 * crisis))
    generic_impr = r.poisson(26000 * scale * season)
    brand_clicks = r.binomial(brand_impr, 0.46)
    generic_clicks = r.binomial(generic_impr, 0.021)
    impr, clicks = brand_impr + generic_impr, brand_clicks + generic_clicks
    position = (brand_impr * 1.3 + generic_impr * 14.5 * r.lognormal(0, 0.04, len(days))) / np.maximum(impr, 1)
    chart = [["Date", "Clicks", "Impressions", "CTR", "Position"]]
    chart += [[f"{d:%Y-%m-%d}", int(c), int(i), _pct(c / i) if i else "0%", _pos(p)]
              for d, c, i, p in zip(days, clicks, impr, position)]

    queries = [(q, True) for q in BRANDED] + [(q, True) for q in CRISIS_QUERIES]
    queries += [(f"{g} {c.split()[0].lower()}", False) for g in GENERIC for c in W.CITIES]
    queries += [(f"{g} {m}".strip(), False) for g in GENERIC for m in MODIFIERS]
    n_q = min(len(queries), 260 * scale, GSC_CAP)
    extra = 0
    while len(queries) < n_q:  # long-tail queries at large scales
        extra += 1
        queries.append((f"{GENERIC[extra % len(GENERIC)]} {W.PRODUCTS[extra % len(W.PRODUCTS)]} {extra}", False))
    queries = queries[:n_q]
    is_brand = np.array([b for _, b in queries])
    weight = 1 / np.arange(1, n_q + 1) ** 0.9
    bw, gw = weight * is_brand, weight * ~is_brand
    crisis_q = np.array([q in CRISIS_QUERIES for q, _ in queries])
    bw = np.where(crisis_q, bw * 0.15, bw)
    # anonymised queries are missing: the rows add up to less than the chart
    q_impr = r.multinomial(int(brand_impr.sum() * 0.85), bw / bw.sum()) + r.multinomial(
        int(generic_impr.sum() * 0.55), gw / gw.sum())
    q_ctr = np.where(is_brand, r.uniform(0.3, 0.6, n_q), r.uniform(0.004, 0.06, n_q))
    q_clicks = r.binomial(q_impr, q_ctr)
    q_pos = np.where(is_brand, r.uniform(1.0, 1.8, n_q), r.uniform(3, 40, n_q))
    order = np.lexsort((np.arange(n_q), -q_impr, -q_clicks))
    qrows = [["Top queries", "Clicks", "Impressions", "CTR", "Position"]]
    qrows += [[queries[i][0], int(q_clicks[i]), int(q_impr[i]), _pct(q_clicks[i] / q_impr[i]) if q_impr[i] else "0%",
               _pos(q_pos[i])] for i in order if q_impr[i] > 0]

    pages = site_pages(scale)[:GSC_CAP]
    pw = np.array([p[2] for p in pages])
    p_impr = r.multinomial(int(impr.sum() * 0.97), pw / pw.sum())
    p_clicks = r.binomial(p_impr, r.uniform(0.01, 0.2, len(pages)))
    p_pos = r.uniform(1.5, 25, len(pages))
    order = np.lexsort((np.arange(len(pages)), -p_impr, -p_clicks))
    prows = [["Top pages", "Clicks", "Impressions", "CTR", "Position"]]
    prows += [[f"https://www.{W.DOMAIN}{pages[i][0]}", int(p_clicks[i]), int(p_impr[i]),
               _pct(p_clicks[i] / p_impr[i]) if p_impr[i] else "0%", _pos(p_pos[i])] for i in order if p_impr[i] > 0]

    tc, ti = int(clicks.sum()), int(impr.sum())
    countries = [["Country", "Clicks", "Impressions", "CTR", "Position"]]
    for name, share in (("France", 0.93), ("Belgium", 0.025), ("Switzerland", 0.014), ("Canada", 0.009),
                        ("Morocco", 0.005), ("United States", 0.004)):
        c, i = int(tc * share), int(ti * share * 1.02)
        countries.append([name, c, i, _pct(c / i), _pos(float(r.uniform(6, 20)))])
    devices = [["Device", "Clicks", "Impressions", "CTR", "Position"]]
    for name, share in (("Mobile", 0.71), ("Desktop", 0.26), ("Tablet", 0.03)):
        c, i = int(tc * share), int(ti * share)
        devices.append([name, c, i, _pct(c / i), _pos(float(r.uniform(8, 16)))])
    filters = [["Filter", "Value"], ["Search type", "Web"], ["Date", "Last 16 months"]]
    appearance = [["Search Appearance", "Clicks", "Impressions", "CTR", "Position"],
                  ["Review snippet", int(tc * 0.02), int(ti * 0.03), _pct(0.02 / 0.03 * tc / ti), "7.4"]]
    no_eol = dict(final_eol=False)
    write_zip(out / "search_console" / f"{W.DOMAIN}-Performance-on-Search-{W.EXPORTED:%Y-%m-%d}.zip", [
        ("Queries.csv", csv_bytes(qrows, **no_eol)), ("Pages.csv", csv_bytes(prows, **no_eol)),
        ("Countries.csv", csv_bytes(countries, **no_eol)), ("Devices.csv", csv_bytes(devices, **no_eol)),
        ("Search appearance.csv", csv_bytes(appearance, **no_eol)), ("Filters.csv", csv_bytes(filters, **no_eol)),
        ("Chart.csv", csv_bytes(chart, **no_eol)),
    ])
