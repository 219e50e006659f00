"""Paid media. Meta Ads Manager, exported from a French interface (`;`, decimal commas, French
headers with the currency in them, DD/MM/YYYY days, UTF-8 with BOM) and renamed by the analyst;
most of the money buys post engagement although the first objective is sales. Google Ads
campaign reports (title line, date-range line, quoted thousands, ` --`, `Total:` rows), one per year.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import world as W
from .writers import CsvWriter


# name, objective (French label), result indicator, first day, last day, EUR per day
META_CAMPAIGNS = (
    ("Interactions – Publications toujours actives 2024-25", "Interactions", "actions:post_engagement",
     dt.date(2024, 10, 1), dt.date(2025, 9, 30), 9.0),
    ("Notoriété – Bûches de Noël 2024", "Notoriété", "reach", dt.date(2024, 12, 1), dt.date(2024, 12, 23), 45.0),
    ("Interactions – Galette 2025", "Interactions", "actions:post_engagement", dt.date(2025, 1, 2),
     dt.date(2025, 1, 26), 38.0),
    ("Interactions – Fête des mères 2025", "Interactions", "actions:post_engagement", dt.date(2025, 5, 12),
     dt.date(2025, 5, 24), 30.0),
    ("Interactions – Publications toujours actives 2025-26", "Interactions", "actions:post_engagement",
     dt.date(2025, 10, 1), dt.date(2026, 9, 30), 11.0),
    ("Interactions – Jeu concours bûches 2025", "Interactions", "actions:post_engagement", dt.date(2025, 11, 24),
     dt.date(2025, 12, 21), 52.0),
    ("Ventes – Coffrets de Noël en ligne 2025", "Ventes", "actions:offsite_conversion.fb_pixel_purchase",
     dt.date(2025, 12, 5), dt.date(2025, 12, 20), 20.0),
    ("Notoriété – Galette 2026", "Notoriété", "reach", dt.date(2026, 1, 2), dt.date(2026, 1, 25), 30.0),
    ("Interactions – Galette 2026", "Interactions", "actions:post_engagement", dt.date(2026, 1, 2),
     dt.date(2026, 1, 25), 34.0),
    ("Interactions – Fête des mères 2026", "Interactions", "actions:post_engagement", dt.date(2026, 5, 18),
     dt.date(2026, 5, 30), 32.0),
    ("Interactions – Jeu concours rentrée 2026", "Interactions", "actions:post_engagement", dt.date(2026, 9, 1),
     dt.date(2026, 9, 21), 25.0),
)
META_HEADER = ["Jour", "Nom de la campagne", "Identifiant de la campagne", "Diffusion de la campagne", "Objectif",
               "Résultats", "Indicateur de résultats", "Coût par résultat", "Couverture", "Impressions",
               "Montant dépensé (EUR)", "CPM (coût pour 1 000 impressions) (EUR)", "Clics sur un lien",
               "CTR (taux de clics sur le lien)", "Clics (tous)", "Interactions avec la publication", "Achats",
               "Valeur de conversion des achats", "Début des rapports", "Fin des rapports"]


def _fr(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def meta_ads(out: Path, seed: int, scale: int) -> None:
    r = W.rng(seed, "meta-ads")
    path = out / "ads" / "pub_meta_2024-2026.csv"
    with CsvWriter(path, bom=True, sep=";", quoting="minimal") as w:
        w.row(META_HEADER)
        for copy in range(scale):
            for k, (name, objective, indicator, start, end, per_day) in enumerate(META_CAMPAIGNS):
                label = name if copy == 0 else f"{name} #{copy + 1}"
                cid = str(120210000000000000 + (copy * 100 + k) * 7_368_421 + int(r.integers(0, 7_368_421)))
                status = "Terminée" if end < W.END else "Active"
                days = pd.date_range(start, end, freq="D")
                season = W.season(days)
                spend = np.round(per_day * season ** 0.5 * r.lognormal(0, 0.15, len(days)), 2)
                cpm = {"Interactions": 6.5, "Notoriété": 3.2, "Ventes": 11.0}[objective]
                impressions = np.round(spend / cpm * 1000 * r.lognormal(0, 0.1, len(days))).astype(int)
                reach = np.round(impressions / r.uniform(1.2, 1.8, len(days))).astype(int)
                link = r.binomial(impressions, 0.004 if objective != "Ventes" else 0.012)
                clicks = link + r.binomial(impressions, 0.011)
                engage = r.binomial(impressions, 0.045 if objective == "Interactions" else 0.012)
                purchases = r.binomial(link, 0.035) if objective == "Ventes" else np.zeros(len(days), int)
                value = np.round(purchases * W.BASKET, 2)
                results = {"Interactions": engage, "Notoriété": reach, "Ventes": purchases}[objective]
                for i, day in enumerate(days):
                    res = int(results[i])
                    w.row([f"{day:%d/%m/%Y}", label, cid, status, objective, res if res else "", indicator,
                           _fr(spend[i] / res) if res else "", int(reach[i]), int(impressions[i]), _fr(spend[i]),
                           _fr(spend[i] / impressions[i] * 1000) if impressions[i] else "", int(link[i]),
                           _fr(100 * link[i] / impressions[i], 4) if impressions[i] else "", int(clicks[i]),
                           int(engage[i]), int(purchases[i]) if objective == "Ventes" else "",
                           _fr(float(value[i])) if objective == "Ventes" else "",
                           f"{day:%d/%m/%Y}", f"{day:%d/%m/%Y}"])


# name, type, budget per day, share of cost in audit year/comparison year, CPC, conversion rate
GOOGLE_CAMPAIGNS = (
    ("Marque – Search", "Search", 15.0, 0.42, 0.38, 0.066),
    ("Galettes et bûches – Search", "Search", 12.0, 1.05, 0.74, 0.031),
    ("Boutique en ligne – Performance Max", "Performance Max", 10.0, 0.9, 0.41, 0.019),
    ("Recrutement – Search", "Search", 5.0, 0.12, 1.12, 0.0),
)
GOOGLE_HEADER = ["Campaign status", "Campaign", "Budget", "Budget name", "Budget type", "Campaign type", "Impr.",
                 "Clicks", "CTR", "Currency code", "Avg. CPC", "Cost", "Conversions", "Conv. rate", "Cost / conv.",
                 "Conv. value"]


def _th(n: float) -> str:
    return f"{int(round(n)):,}"


def _money(x: float) -> str:
    return f"{x:,.2f}"


def google_ads(out: Path, seed: int, scale: int) -> None:
    for label, start, end, _ in W.month_groups():
        r = W.rng(seed, "google-ads", label)
        days = (end - start).days + 1
        rows, totals = [], {}
        for copy in range(scale):
            for name, kind, budget, share, cpc, conv in GOOGLE_CAMPAIGNS:
                if label == "comparison" and kind == "Performance Max":
                    continue  # launched in the audit year
                cost = budget * days * share * r.uniform(0.85, 1.0)
                clicks = int(cost / cpc / r.uniform(0.9, 1.1))
                impr = int(clicks / (0.09 if name.startswith("Marque") else r.uniform(0.02, 0.05)))
                conversions = float(r.binomial(clicks, conv))
                value = conversions * W.BASKET * r.uniform(0.9, 1.1)
                nm = name if copy == 0 else f"{name} #{copy + 1}"
                status = "Paused" if name.startswith("Recrutement") else "Enabled"
                rows.append([status, nm, _money(budget), " --", "Daily", kind, _th(impr), _th(clicks),
                             f"{100 * clicks / impr:.2f}%", "EUR", _money(cost / clicks), f"{cost:.2f}",
                             _money(conversions), f"{100 * conversions / clicks:.2f}%",
                             _money(cost / conversions) if conversions else " --", _money(value)])
                for key in ("Campaigns", kind):
                    t = totals.setdefault(key, [0, 0, 0.0, 0.0, 0.0])
                    t[0] += impr
                    t[1] += clicks
                    t[2] += cost
                    t[3] += conversions
                    t[4] += value
        fname = "Campaign report.csv" if label == "audit" else "Campaign report (1).csv"
        with CsvWriter(out / "ads" / fname) as w:
            w.line("Campaign report")
            w.row([f"{start:%B} {start.day}, {start.year} - {end:%B} {end.day}, {end.year}"])
            w.row(GOOGLE_HEADER)
            w.rows(rows)
            for key, (impr, clicks, cost, conv, value) in totals.items():
                lead = ["Total: Campaigns", " --", " --", " --", " --", " --"] if key == "Campaigns" else (
                    [f"Total: {key}", "", "", "", "", key])
                if key == "Campaigns":
                    w.row(lead + _tot(impr, clicks, cost, conv, value))
                    w.row(["Total: Account", "", "", "", "", ""] + _tot(impr, clicks, cost, conv, value))
                else:
                    w.row(lead + _tot(impr, clicks, cost, conv, value))


def _tot(impr, clicks, cost, conv, value) -> list:
    return [_th(impr), _th(clicks), f"{100 * clicks / impr:.2f}%", "EUR", _money(cost / clicks), f"{cost:.2f}",
            _money(conv), f"{100 * conv / clicks:.2f}%", _money(cost / conv) if conv else " --", _money(value)]
