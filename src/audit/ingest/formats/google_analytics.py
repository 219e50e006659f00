"""Google Analytics report downloads: GA4 (Share → Download file → CSV) and archived Universal
Analytics exports.

GA4: a `#` preamble (report title, Account, Property, segment, `Start date: YYYYMMDD`, `End date`),
then one table; overview/snapshot exports stack several sections, each with its own `#` block and
its own date range. Rates are fractions, durations seconds. Header case drifts ("Default Channel
Group" / "Default channel group") and localized UIs translate every header (German `Sitzungen`,
French `Sessions avec engagement`).

UA: `# All Web Site Data` (the view name) / `# <report>` / `# YYYYMMDD-YYYYMMDD`, then the table
with `%` rates, `HH:MM:SS` durations, `£0.00` money, `"3,215"` counts, a totals row whose dimension
cell is empty, and a trailing `Day Index` section (the daily series, in the account's date locale).

The first column decides where the rows go: traffic dimensions (channel group, source / medium,
campaign, ...) and dates → `web_traffic`; landing pages and pages → `web_pages`. Sections with a
dimension the toolkit has no table for (events, cohorts, demographics tables with no traffic
metric...) are recognised as Google Analytics and skipped with a warning.
"""
from __future__ import annotations

import re

import pandas as pd

from ...errors import DataError
from .. import values as V
from ..registry import Format, ParseContext, register
from ..sniff import Block

# --- the first column: which report is this? ------------------------------------------------------------
# (regex on the normalised header, kind, canonical dimension). Order matters: "landing page" before
# "page", "source / medium" before "source". User-acquisition reports name the same dimensions after
# the user's first visit ("First user …", French "… du premier utilisateur"): prefixed `first_user_`.
_FIRST_USER = r"first user|erster nutzer|premier utilisateur|primer usuario|primo utente|eerste gebruiker"
DIMENSIONS: tuple[tuple[str, str, str], ...] = (
    (r"^(date|datum|fecha|data|datum)$", "date", "date"),
    (r"^(day index|dagindex|tagesindex|index des jours|índice de días|indice giorno)$", "date", "date"),
    (r"^(nth day|n-ter tag|nième jour|ne jour|n\.º día|n-esimo giorno|ne dag)$", "nth_day", "date"),
    (r"landing ?page|page de destination|página de destino|pagina di destinazione|bestemmingspagina|zielseite",
     "landing", "landing_page"),
    (r"page path|seitenpfad|chemin de (la )?page|ruta de (la )?página|percorso (della )?pagina|paginapad|"
     r"^page$|^pagina$|^seite$|^página$", "page", "page"),
    (r"page title|seitentitel|titre de (la )?page|título de (la )?página|titolo (della )?pagina|paginatitel",
     "page_title", "page_title"),
    (r"channel|kanaalgroep|groupe de canaux|grupo de canales|gruppo di canali|channelgruppe",
     "traffic", "channel_group"),
    (r"source ?/ ?(medium|support)|quelle ?/ ?medium|fuente ?/ ?medio|sorgente ?/ ?mezzo|bron ?/ ?medium",
     "traffic", "source_medium"),
    (r"social network|sociaal netwerk|réseau social|soziales netzwerk|red social|social network", "traffic",
     "social_network"),
    (r"campaign|kampagne|campagne|campaña|campagna", "traffic", "campaign"),
    (r"source platform|plateforme source", None, ""),  # not a traffic source in our sense: skipped
    (r"^(source|quelle|fuente|sorgente|bron)\b|\b(source|quelle|fuente|sorgente|bron)$", "traffic", "source"),
    (r"^(medium|support|medio|mezzo)\b|\b(medium|support|medio|mezzo)$", "traffic", "medium"),
    (r"^(country|land|pays|país|paese)$", "traffic", "country"),
    (r"^(city|stadt|ville|ciudad|città|plaats)$", "traffic", "city"),
    (r"^(region|regio|région|región|regione)$", "traffic", "region"),
    (r"^(device category|gerätekategorie|catégorie d'appareil|categoría de dispositivo|apparaatcategorie)$",
     "traffic", "device_category"),
    (r"^(language|sprache|langue|idioma|lingua|taal)$", "traffic", "language"),
)

METRICS: dict[str, tuple[str, ...]] = {  # canonical → header names (en, de, fr, es, it, nl), first found wins
    "sessions": ("Sessions", "Sitzungen", "Sesiones", "Sessioni", "Sessies"),
    "engaged_sessions": ("Engaged sessions", "Sitzungen mit Interaktionen", "Sessions avec engagement",
                         "Sesiones con interacción", "Sessioni con engagement", "Sessies met betrokkenheid"),
    "users": ("Active users", "Total users", "Users", "Aktive Nutzer", "Gesamtzahl der Nutzer", "Nutzer",
              "Utilisateurs actifs", "Nombre total d'utilisateurs", "Utilisateurs", "Usuarios activos",
              "Total de usuarios", "Usuarios", "Utenti attivi", "Utenti totali", "Utenti", "Actieve gebruikers",
              "Totaal aantal gebruikers", "Gebruikers"),
    "new_users": ("New users", "Neue Nutzer", "Nouveaux utilisateurs", "Usuarios nuevos", "Nuovi utenti",
                  "Nieuwe gebruikers"),
    "views": ("Views", "Pageviews", "Screen page views", "Aufrufe", "Seitenaufrufe", "Vues", "Pages vues",
              "Vistas", "Número de páginas vistas", "Visualizzazioni", "Visualizzazioni di pagina", "Weergaven",
              "Paginaweergaven"),
    # Per session only: the per-user averages of the user-acquisition report are a different quantity.
    "engagement_time_s": ("Average engagement time per session", "Avg. Session Duration",
                          "Durchschnittliche Interaktionsdauer pro Sitzung", "Durchschnittliche Sitzungsdauer",
                          "Durée d'engagement moyenne par session", "Durée moyenne des sessions",
                          "Tiempo de interacción medio por sesión", "Duración media de la sesión",
                          "Durata media di coinvolgimento per sessione", "Durata sessione media",
                          "Gem. sessieduur", "Gemiddelde betrokkenheidstijd per sessie"),
    "bounce_rate": ("Bounce rate", "Absprungrate", "Taux de rebond", "Porcentaje de rebote",
                    "Frequenza di rimbalzo", "Bouncepercentage"),
    "key_events": ("Key events", "Conversions", "Goal Completions", "Schlüsselereignisse", "Conversions",
                   "Zielvorhabenabschlüsse", "Événements clés", "Objectifs réalisés", "Eventos clave",
                   "Conversiones", "Objetivos conseguidos", "Eventi chiave", "Conversioni", "Completamenti obiettivo",
                   "Belangrijke gebeurtenissen", "Conversies", "Doelvoltooiingen"),
    "transactions": ("Transactions", "Ecommerce purchases", "Purchases", "Transaktionen", "E-Commerce-Käufe",
                     "Käufe", "Transactions e-commerce", "Achats", "Transacciones", "Compras", "Transazioni",
                     "Acquisti", "Transacties", "Aankopen"),
    "revenue": ("Total revenue", "Purchase revenue", "Revenue", "Gesamtumsatz", "Umsatz", "Revenu total",
                "Revenus totaux", "Revenus", "Ingresos totales", "Ingresos", "Entrate totali", "Entrate",
                "Totale opbrengst", "Opbrengst"),
}
# Pages report: the average engagement time is per active user (landing pages: per session); both go
# to web_pages.engagement_time_s, told apart by page_kind.
PAGE_METRICS = {**METRICS, "engagement_time_s": METRICS["engagement_time_s"] + (
    "Average engagement time per active user", "Average engagement time", "Avg. Time on Page",
    "Durchschnittliche Interaktionsdauer pro aktivem Nutzer", "Durchschnittliche Interaktionsdauer",
    "Durée d'engagement moyenne par utilisateur actif", "Durée d'engagement moyenne",
    "Tiempo de interacción medio por usuario activo", "Durata media di coinvolgimento per utente attivo",
    "Gemiddelde betrokkenheidstijd per actieve gebruiker", "Gem. tijd op pagina")}
DURATIONS = {"engagement_time_s"}
DATED = ("date", "nth_day")
METRIC_KEYS = {V.norm_header(n) for names in PAGE_METRICS.values() for n in names}
PAGE_KINDS = ("landing", "page", "page_title")

# Headers only Google Analytics writes: without a preamble, one of these must be present, so that a
# YouTube "Date, Views" or a LinkedIn "Date, Page views" table is never taken for GA.
GA4_ONLY = {V.norm_header(h) for h in (
    "Sessions", "Engaged sessions", "Engagement rate", "Active users", "Key events", "Event count",
    "Average engagement time per session", "Average engagement time per active user", "Session key event rate",
    "Sitzungen", "Sitzungen mit Interaktionen", "Interaktionsrate", "Aktive Nutzer", "Schlüsselereignisse",
    "Sessions avec engagement", "Taux d'engagement", "Utilisateurs actifs", "Événements clés",
    "Sesiones", "Sesiones con interacción", "Usuarios activos", "Eventos clave", "Sessioni", "Utenti attivi",
    "Eventi chiave", "Sessies", "Actieve gebruikers", "Belangrijke gebeurtenissen")}
UA_ONLY = {V.norm_header(h) for h in (
    "Pages / Session", "Avg. Session Duration", "% New Sessions", "Pageviews", "Unique Pageviews",
    "Avg. Time on Page", "Goal Completions", "Goal Conversion Rate", "Goal Value", "% Exit", "Page Value",
    "Default Channel Grouping", "Day Index", "Bouncepercentage", "Gem. sessieduur", "% nieuwe sessies",
    "Pagina's/sessie", "Paginaweergaven", "Doelvoltooiingen", "Standaard kanaalgroepering", "Dagindex",
    "Seiten/Sitzung", "Durchschnittl. Sitzungsdauer", "Pages/session", "Durée moyenne des sessions")}
# English headers; any other known header means a localized UI, whose numbers use a decimal comma
# (Dutch "2.546" sessions): the fallback when no cell of the table settles the decimal mark.
ENGLISH = {V.norm_header(h) for h in (
    "Sessions", "Engaged sessions", "Active users", "Total users", "Users", "New users", "Views", "Pageviews",
    "Screen page views", "Average engagement time per session", "Avg. Session Duration", "Bounce rate", "Key events",
    "Conversions", "Goal Completions", "Transactions", "Ecommerce purchases", "Purchases", "Total revenue",
    "Purchase revenue", "Revenue", "Average engagement time per active user", "Average engagement time",
    "Avg. Time on Page")}
LOCALIZED = {V.norm_header(n) for names in PAGE_METRICS.values() for n in names} - ENGLISH \
    | {V.norm_header(h) for h in ("Dagindex", "Tagesindex", "Index des jours", "Standaard kanaalgroepering")}
# Rows that repeat the table's total (GA4 "Grand total", localized).
TOTAL_LABELS = {"grand total", "total", "totals", "gesamtsumme", "summe", "gesamt", "total général", "totaal",
                "eindtotaal", "total general", "totale", "totale complessivo"}

_GA4_DATE_LINE = re.compile(r"^(.*?)\s*:\s*((?:19|20)\d{6})$")
_UA_RANGE_LINE = re.compile(r"^((?:19|20)\d{6})\s*-\s*((?:19|20)\d{6})$")
_END_WORDS = re.compile(r"end|ende|fin|fine|eind|término", re.I)


def classify(key: str) -> tuple[str | None, str]:
    """(kind, canonical dimension) of a normalised first-column header; kind None = not ours."""
    for pattern, kind, dim in DIMENSIONS:
        if re.search(pattern, key):
            if kind == "traffic" and re.search(_FIRST_USER, key):
                dim = f"first_user_{dim}"
            return kind, dim
    return None, ""


def ga4_period(preamble: list[str]) -> tuple[pd.Timestamp | None, pd.Timestamp | None, int]:
    """(start, end, number of date lines) from a GA4 `# Start date: YYYYMMDD` / `# End date:` block.
    The labels are translated in localized UIs, so the line shape decides, the label only says
    which end it is (else: first line = start)."""
    found = []
    for line in preamble:
        m = _GA4_DATE_LINE.match(line.strip())
        if m:
            day = pd.to_datetime(m.group(2), format="%Y%m%d", errors="coerce")
            if pd.notna(day):
                found.append((bool(_END_WORDS.search(m.group(1))), day))
    starts = [d for is_end, d in found if not is_end]
    ends = [d for is_end, d in found if is_end]
    if not found:
        return None, None, 0
    start = starts[0] if starts else found[0][1]
    end = ends[0] if ends else found[-1][1]
    return start, end, len(found)


def ua_period(preamble: list[str]) -> tuple[pd.Timestamp | None, pd.Timestamp | None, int]:
    ranges = [m for m in (_UA_RANGE_LINE.match(x.strip()) for x in preamble) if m]
    if not ranges:
        return None, None, 0
    start, end = (pd.to_datetime(ranges[0].group(i), format="%Y%m%d", errors="coerce") for i in (1, 2))
    return (start if pd.notna(start) else None), (end if pd.notna(end) else None), len(ranges)


def _flavour(block: Block) -> str | None:
    """'ga4', 'ua' or None: from the preamble first, then from the header vocabulary."""
    if ga4_period(block.preamble)[2]:
        return "ga4"
    if ua_period(block.preamble)[2]:
        return "ua"
    keys = block.keyset
    if keys & UA_ONLY:
        return "ua"
    if keys & GA4_ONLY:
        return "ga4"
    return None


class _GoogleAnalytics(Format):
    flavour: str  # "ga4" | "ua"

    def _ours(self, block: Block) -> bool:
        return _flavour(block) == self.flavour

    def match(self, block: Block) -> float:
        if not block.keys or not self._ours(block):
            return 0.0
        kind, _ = classify(block.keys[0])
        if kind is None:
            return 0.0
        table = PAGE_METRICS if kind in PAGE_KINDS else METRICS
        known = {V.norm_header(n) for names in table.values() for n in names}
        hits = len(block.keyset & known)
        if not hits:
            return 0.0
        has_preamble = bool(ga4_period(block.preamble)[2] or ua_period(block.preamble)[2])
        # A GA preamble is unmistakable: outrank any generic "Date, Views" signature.
        return 2.0 + (1.0 if has_preamble else 0.0) + min(hits, 8) / 8

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        dims = _dimension_columns(block.keys, df)
        if not dims:
            raise DataError(f"the first column {block.header[0]!r} is not a Google Analytics dimension this "
                            "toolkit reads", ctx.source, block.header_row, block.header[0])
        start, end, n_dates = (ga4_period if self.flavour == "ga4" else ua_period)(block.preamble)
        if n_dates > 2 and self.flavour == "ga4" or n_dates > 1 and self.flavour == "ua":
            ctx.warn("the export compares several date ranges; the first range is used as the period")
        dated = next((d for d in dims if d[0] in DATED), None)
        if start is None and dated is None:
            ctx.warn("no date range in the file's preamble: period_start/period_end stay empty")

        df = _drop_totals(df, dims[0][2], ctx)
        # The report is about its non-date dimension (a page, a channel...); a date column splits it by day.
        main = [d for d in dims if d[0] not in DATED and d[0] != "page_title"] or \
            [d for d in dims if d[0] == "page_title"] or [dated]
        kind = main[0][0]
        pages = kind in PAGE_KINDS
        cols = ctx.columns(df, PAGE_METRICS if pages else METRICS)
        decimal = (V.decimal_mark(df[list(dict.fromkeys(cols.values()))]) if cols else None) \
            or ("," if block.keyset & LOCALIZED else None)
        out = pd.DataFrame(index=df.index)
        for canon, col in cols.items():
            out[canon] = _durations(df, col, ctx, decimal) if canon in DURATIONS else \
                ctx.numbers(df, col, decimal=decimal)
        out["period_start"], out["period_end"] = start, end
        if dated is not None:
            out["date"] = _days(df[dated[2]], dated[0], start, ctx, dated[2])
            if start is None and out["date"].notna().any():
                out["period_start"], out["period_end"] = out["date"].min(), out["date"].max()
            if pages:  # web_pages has no date: a page's row for one day covers that day only
                out["period_start"], out["period_end"] = out["date"], out["date"]
        if main[0] is dated:
            value = out["date"].dt.strftime("%Y-%m-%d")
        else:  # two non-date dimensions (e.g. source / medium × campaign): both named, values joined
            value = pd.concat([df[c].str.strip() for _, _, c in main], axis=1).agg(" | ".join, axis=1)
        dim = "+".join(d for _, d, _ in main)

        account = _account(ctx, block, self.flavour)
        if pages:
            out["page_kind"] = "landing" if kind == "landing" else "page"
            out["page"] = value
            title = next((c for k, _, c in dims if k == "page_title"), None)
            if title is not None:
                out["title"] = df[title].str.strip().where(~V.blank(df[title]))
            if kind == "page_title":
                ctx.warn("the report lists pages by title, not path: `page` holds the page title")
            return {"web_pages": ctx.finish(out, self.flavour, account)}
        out["dimension"] = dim
        out["value"] = value
        return {"web_traffic": ctx.finish(out, self.flavour, account)}


def _dimension_columns(keys: list[str], frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(kind, dimension, column) of the report's leading dimension columns: the first, and a secondary
    dimension when the second column is one. An unknown secondary dimension (text, not a metric) is
    kept under its own name, so that its rows stay apart instead of looking like repeats."""
    out = []
    for i, (key, col) in enumerate(list(zip(keys, frame.columns))[:2]):
        kind, dim = classify(key)
        if kind is None and i == 1 and key not in METRIC_KEYS and _is_text(frame[col]):
            kind, dim = "other", re.sub(r"\W+", "_", key).strip("_")
        if kind is None or key in METRIC_KEYS:
            break
        out.append((kind, dim, col))
    return out


def _is_text(s: pd.Series) -> bool:
    filled = s[~V.blank(s)]
    return len(filled) > 0 and V.to_number(filled).isna().mean() > 0.5


def _drop_totals(df: pd.DataFrame, first: str, ctx: ParseContext) -> pd.DataFrame:
    """UA writes the totals row with an empty dimension cell; some GA4 exports a "Grand total" row."""
    cell = df[first].str.strip()
    empty = cell.eq("")
    total = cell.str.casefold().isin(TOTAL_LABELS)
    ctx.drop(int(empty.sum()), "totals row (empty dimension cell)")
    ctx.drop(int(total.sum()), "totals row (\"Grand total\")")
    return df[~(empty | total)]


def _durations(df: pd.DataFrame, col: str, ctx: ParseContext, decimal: str | None) -> pd.Series:
    s = df[col]
    if s.str.contains(":", regex=False).any():  # UA: HH:MM:SS
        out = V.duration_seconds(s)
        bad = out.isna() & ~V.blank(s)
        if bad.any():
            i = bad[bad].index[0]
            ctx.warn(f"row {int(i)}, column {col!r}: {int(bad.sum())} duration(s) such as {s.loc[i]!r} "
                     "could not be read and were left empty")
        return out
    return ctx.numbers(df, col, decimal=decimal)


def _days(values: pd.Series, kind: str, start, ctx: ParseContext, col: str) -> pd.Series:
    """Calendar days of a date column: GA's `YYYYMMDD`, an `Nth day` offset from the range start,
    or (UA Day Index) a date in the account's locale whose day/month order the data itself settles."""
    s = values.str.strip()
    if kind == "nth_day":
        if start is None:
            raise DataError("an 'Nth day' column needs the '# Start date' line of the preamble, "
                              "which is missing", ctx.source, None, col)
        n = pd.to_numeric(s, errors="coerce")
        if n.isna().any():
            i = n[n.isna()].index[0]
            raise DataError(f"'Nth day' value {s.loc[i]!r} is not a day number", ctx.source, int(i), col)
        return (start + pd.to_timedelta(n, unit="D")).astype("datetime64[ns]")
    if s.str.fullmatch(r"\d{8}").all():
        return ctx.days(pd.DataFrame({col: s}), col, formats=("%Y%m%d",))
    day_first_set = ctx.override is not None and ctx.override.day_first is not None
    if s.str.match(r"^\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}$").all() and not day_first_set:
        return _locale_days(s, start, ctx, col)
    return ctx.days(pd.DataFrame({col: s}), col, formats=("%Y-%m-%d",))


def _locale_days(s: pd.Series, start, ctx: ParseContext, col: str) -> pd.Series:
    """Day-first or month-first? Keep the reading under which the days form a daily series (each one
    day after the other), inside the report's range when it is known."""
    readings = {}
    for day_first in (True, False):
        parsed, _ = V.to_datetime(s, day_first=day_first, strict=False)
        if parsed.notna().all():
            readings[day_first] = V.to_day(parsed)
    fits = [d for d, p in readings.items()
            if (p.sort_values().diff().dropna() == pd.Timedelta(days=1)).all() and (start is None or p.min() >= start)]
    if len(fits) == 1:
        return readings[fits[0]]
    if not readings:
        raise DataError(f"dates such as {s.iloc[0]!r} could not be read", ctx.source, int(s.index[0]), col)
    return ctx.days(pd.DataFrame({col: s}), col)  # undecidable: the core reads month-first and warns


def _account(ctx: ParseContext, block: Block, platform: str) -> str:
    """Web analytics is the brand's own; the property name only matters when audit.yml lists
    properties (several brands or sites in one folder)."""
    prop = next((x.split(":", 1)[1].strip() for x in block.preamble
                 if x.casefold().startswith(("property:", "propriété", "property :", "eigenschaft:", "propiedad:"))),
                None)
    listed = ctx.config is not None and any(platform in a.accounts for a in ctx.config.accounts)
    return ctx.account(prop if listed else None, platform)


@register
class GA4Report(_GoogleAnalytics):
    id = "google_analytics.ga4"
    label = "Google Analytics 4 report download (acquisition, landing page, pages and screens, dates; CSV/xlsx)"
    platform = "ga4"
    tables = ("web_traffic", "web_pages")
    flavour = "ga4"


@register
class UniversalAnalyticsReport(_GoogleAnalytics):
    id = "google_analytics.ua"
    label = "Universal Analytics report export (channels, source/medium, landing pages, pages, Day Index)"
    platform = "ua"
    tables = ("web_traffic", "web_pages")
    flavour = "ua"


@register
class GoogleAnalyticsOtherSection(Format):
    """A section of a GA export the toolkit has no table for (events, cohorts, ...): recognised, skipped."""

    id = "google_analytics.unused_section"
    label = "Google Analytics report section with no canonical table (skipped with a warning)"
    platform = "ga4"
    tables = ()

    def match(self, block: Block) -> float:
        return 0.5 if ga4_period(block.preamble)[2] or ua_period(block.preamble)[2] else 0.0

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        ctx.warn(f"Google Analytics section at row {block.header_row} ({', '.join(block.header[:3])}) "
                 "has no canonical table and is skipped")
        return {}
