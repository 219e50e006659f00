"""Ad platforms' report downloads → the `ads` table: Google Ads UI reports and Meta Ads Manager exports.

Google Ads (Campaigns / Ad groups / Ads / Keywords / Search terms → Download): a title line and a
date-range line ("March 27, 2026 - April 23, 2026", "All time", "1 mars 2026 - 31 mars 2026") above
the header; `Total: …` rows (one per level and per campaign type) below the data; ` --` for n/a;
`"1,042"` thousands; percent strings; the "CSV (Excel)" option is UTF-16 with tabs; localized UIs
translate everything (`Campagne`, `Coût`, `Total : campagnes`, `1 234,56`).

Meta Ads Manager (Reports → Export table data): no preamble; one row per campaign/ad set/ad per
reporting range (or per day). The spend header carries the currency (`Amount spent (EUR)`); results
come with what they count (`Result indicator` such as `actions:link_click`, or `Result type`), and
results of different types are never added up here: each row keeps its own type. Names are reused
across ids, so ids are kept as strings. Layouts: current sentence case, the 2017 Title Case one,
French (`;`, decimal commas, `Montant dépensé (EUR)`) and Italian (`Importo speso`).

Rates and averages the platforms print (CTR, CPC, CPM, cost per result) are not read: they are
recomputed downstream from the sums.
"""
from __future__ import annotations

import re

import pandas as pd

from .. import values as V
from ..registry import Format, ParseContext, header_score, register, text
from ..sniff import Block

# --- dates in report preambles ----------------------------------------------------------------------------
MONTHS = {}
for _n, _names in enumerate((
        "jan january janv janvier januar enero ene gennaio gen januari jän jänner",
        "feb february fév févr fevr février fevrier februar febrero febbraio februari",
        "mar march mars märz maerz marzo maart mrt",
        "apr april avr avril abril aprile",
        "may mai mayo maggio mag mei",
        "jun june juin juni junio giugno giu",
        "jul july juil juillet juli julio luglio lug",
        "aug august août aout agosto ago augustus",
        "sep sept september septembre septiembre settembre set",
        "oct october octobre oktober octubre ottobre ott okt",
        "nov november novembre noviembre",
        "dec december déc décembre decembre dezember dez diciembre dic dicembre"), start=1):
    MONTHS.update({m: _n for m in _names.split()})
ALL_TIME = {"all time", "toute la période", "gesamter zeitraum", "todo el periodo", "tutto il periodo", "hele periode"}


def parse_day(s: str, default_year: int | None = None) -> pd.Timestamp | None:
    """One date as Google Ads writes it in a preamble: 'March 27, 2026', 'Mar 27, 2026',
    '27 mars 2026', '1. März 2026', '2026-03-27'. The year may be missing (taken from default_year)."""
    s = s.strip().strip('"')
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if iso:
        return pd.Timestamp(*map(int, iso.groups()))
    words = [w.casefold().rstrip(".") for w in re.findall(r"[^\W\d_]+\.?", s)]
    months = [MONTHS[w] for w in words if w in MONTHS]
    nums = re.findall(r"\d+", s)
    years = [int(n) for n in nums if len(n) == 4]
    days = [int(n) for n in nums if len(n) <= 2]
    year = years[0] if years else default_year
    if len(months) != 1 or year is None or len(days) > 1:
        return None
    try:
        return pd.Timestamp(year, months[0], days[0] if days else 1)
    except ValueError:
        return None


def parse_range(line: str) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    parts = re.split(r"\s+[-–—]\s+|\s+(?:to|au|bis|al|tot)\s+", line.strip().strip('"'))
    if len(parts) != 2:
        return None
    end = parse_day(parts[1])
    if end is None:
        return None
    start = parse_day(parts[0], default_year=end.year)
    if start is not None and start > end and not re.search(r"\d{4}", parts[0]):
        start = start.replace(year=end.year - 1)  # "Dec 15 - Jan 14, 2026"
    return (start, end) if start is not None else None


def preamble_period(block: Block, ctx: ParseContext) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    for line in block.preamble:
        if line.strip().strip('"').casefold() in ALL_TIME:
            ctx.warn("the report covers 'All time': its rows carry no period")
            return None, None
        rng = parse_range(line)
        if rng:
            return rng
    ctx.warn("no date range above the header: the rows carry no period")
    return None, None


def _account(ctx: ParseContext, handle: pd.Series | None, platform: str):
    """Ad accounts are the brand's own; an account-name column only matters when audit.yml lists ad accounts."""
    listed = ctx.config is not None and any(platform in a.accounts for a in ctx.config.accounts)
    if not listed or handle is None:
        return ctx.account(platform=platform)
    return handle.map(lambda h: ctx.account(h if isinstance(h, str) else None, platform))


def _ids(frame: pd.DataFrame, col: str | None, ctx: ParseContext) -> pd.Series | None:
    if col is None:
        return None
    sci = V.scientific_ids(frame[col])
    out = V.clean_id(frame[col])
    if sci.any():
        i = sci[sci].index[0]
        ctx.warn(f"row {int(i)}, column {col!r}: {int(sci.sum())} id(s) such as {frame[col].loc[i]!r} were turned "
                 "into scientific notation by a spreadsheet; their digits are lost and they were left empty "
                 "(use the original export)")
        out = out.where(~sci)
    return out


def _numbers(frame: pd.DataFrame, cols: dict[str, str], names, ctx: ParseContext, decimal) -> dict[str, pd.Series]:
    return {n: ctx.numbers(frame, cols[n], decimal=decimal) for n in names if n in cols}


# --- Google Ads ---------------------------------------------------------------------------------------
GOOGLE = {
    "campaign": ("Campaign", "Campagne", "Kampagne", "Campaña", "Campagna"),
    "campaign_id": ("Campaign ID", "ID de la campagne", "ID de campagne", "Kampagnen-ID", "ID de campaña",
                    "ID campagna"),
    "adset": ("Ad group", "Groupe d'annonces", "Anzeigengruppe", "Grupo de anuncios", "Gruppo di annunci"),
    "adset_id": ("Ad group ID", "ID du groupe d'annonces", "Anzeigengruppen-ID", "ID del grupo de anuncios",
                 "ID gruppo di annunci"),
    "ad_id": ("Ad ID", "ID de l'annonce", "Anzeigen-ID", "ID del anuncio", "ID annuncio"),
    "ad": ("Ad name", "Nom de l'annonce", "Anzeigenname", "Nombre del anuncio", "Nome annuncio"),
    "headline": ("Headline 1", "Headline", "Titre 1", "Titre", "Anzeigentitel 1", "Título 1", "Titolo 1"),
    "ad_type": ("Ad type", "Type d'annonce", "Anzeigentyp", "Tipo de anuncio", "Tipo di annuncio"),
    "keyword": ("Keyword", "Search keyword", "Mot clé", "Mot clé du Réseau de Recherche", "Keyword",
                "Palabra clave", "Parola chiave"),
    "keyword_id": ("Keyword ID", "ID du mot clé", "Keyword-ID", "ID de palabra clave"),
    "search_term": ("Search term", "Terme de recherche", "Suchbegriff", "Término de búsqueda", "Termine di ricerca"),
    "campaign_type": ("Campaign type", "Type de campagne", "Kampagnentyp", "Tipo de campaña", "Tipo di campagna"),
    "bidding": ("Bid strategy type", "Campaign bid strategy type", "Bid strategy", "Type de stratégie d'enchères",
                "Stratégie d'enchères", "Gebotsstrategietyp", "Gebotsstrategie", "Tipo de estrategia de puja",
                "Tipo di strategia di offerta"),
    "status": ("Status", "État", "Statut", "Estado", "Stato"),
    "level_status": ("Campaign status", "Ad group status", "Ad status", "Keyword status", "État de la campagne",
                     "État du groupe d'annonces", "État de l'annonce", "Kampagnenstatus", "Estado de la campaña"),
    "currency": ("Currency code", "Code de la devise", "Code devise", "Währungscode", "Código de moneda",
                 "Codice valuta"),
    "spend": ("Cost", "Coût", "Kosten", "Coste", "Costo"),
    "impressions": ("Impr.", "Impressions", "Impressionen", "Impresiones", "Impressioni"),
    "clicks": ("Clicks", "Clics", "Klicks", "Clic"),
    "engagements": ("Engagements", "Interactions avec l'annonce", "Interaktionen mit Anzeigen"),
    "video_views": ("Video views", "Views", "TrueView views", "Vues de vidéo", "Vues", "Videoaufrufe",
                    "Visualizaciones de vídeo", "Visualizzazioni video"),
    "conversions": ("Conversions", "Conversiones", "Conversioni"),
    "conversion_value": ("Conv. value", "Conversion value", "Valeur de conv.", "Valeur de conversion", "Konv.-Wert",
                         "Valor de conv.", "Valore conv."),
    "day": ("Day", "Jour", "Tag", "Día", "Giorno"),
    "week": ("Week", "Semaine", "Woche", "Semana", "Settimana"),
    "month": ("Month", "Mois", "Monat", "Mes", "Mese"),
}
GOOGLE_METRICS = ("spend", "impressions", "clicks", "engagements", "video_views", "conversions", "conversion_value")
_TOTAL = re.compile(r"^\s*(?:total|totale|totaal|gesamt(?:summe)?)\s*:", re.I)
# Campaign types whose goal is fixed, then bid strategies (what the campaign optimises for), then the
# type's usual goal. Conversion bidding cannot tell purchases from leads in Google Ads: it counts as
# sales (a conversion objective), as Meta's CONVERSIONS objective does. Regexes on casefolded text.
_TYPE_FIXED = (("shopping|hôtel|hotel", "sales"), (r"\bapp\b|application|aplicación", "app"),
               ("smart|intelligente|inteligente|intelligent", "leads"))
_BIDDING = (("conversion value|valeur de conv|conversionswert|valor de conv|valore di conv|roas", "sales"),
            ("conversion|cpa|konversion|conversión|conversione", "sales"),
            ("impression share|taux d'impressions|anteil an möglichen impressionen|cuota de impresiones|cpm",
             "awareness"),
            ("cpv", "video"),
            ("click|clic|klick|cpc", "traffic"))
_TYPE_DEFAULT = (("performance max", "sales"), ("search|recherche|suche|búsqueda|ricerca", "traffic"),
                 ("display", "awareness"), ("video|vidéo|vídeo", "video"), ("demand gen|discovery", "other"))


def google_objective(campaign_type: str | None, bidding: str | None) -> str | None:
    t = (campaign_type or "").casefold()
    b = (bidding or "").casefold()
    if not t and not b:
        return None
    for rules, value in ((_TYPE_FIXED, t), (_BIDDING, b), (_TYPE_DEFAULT, t)):
        for pattern, objective in rules:
            if value and re.search(pattern, value):
                return objective
    return "other"


@register
class GoogleAdsReport(Format):
    id = "ads.google_ads"
    label = "Google Ads UI report download (campaigns, ad groups, ads, keywords, search terms; CSV or CSV (Excel))"
    platform = "google_ads"
    tables = ("ads",)

    def match(self, block: Block) -> float:
        level = set(GOOGLE["campaign"] + GOOGLE["adset"] + GOOGLE["keyword"] + GOOGLE["search_term"])
        score = header_score(block, [set(GOOGLE["impressions"]), set(GOOGLE["spend"]), level],
                             optional=["Impr.", "Currency code", "Campaign type", "Avg. CPC", "Interactions",
                                       "Conv. rate", "Cost / conv.", "Bid strategy type", "Code de la devise",
                                       "CPC moy.", "Type de campagne", "Taux de conv."])
        if not score:
            return 0.0
        titled = any(parse_range(x) or x.strip().casefold() in ALL_TIME for x in block.preamble)
        return score + (1.0 if titled else 0.0) + (0.5 if "impr." in block.keyset else 0.0)

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        total = df.iloc[:, 0].str.contains(_TOTAL, na=False)
        ctx.drop(int(total.sum()), "totals rows ('Total: …')")
        df = df[~total]
        cols = ctx.columns(df, GOOGLE)
        start, end = preamble_period(block, ctx)
        metric_cols = [cols[m] for m in GOOGLE_METRICS if m in cols]
        decimal = V.decimal_mark(df[metric_cols]) if metric_cols else None

        out = pd.DataFrame(index=df.index)
        out["period_start"], out["period_end"] = start, end
        _google_segments(df, cols, out, ctx)
        for c in ("campaign", "adset", "currency"):
            out[c] = text(df, cols.get(c))
        out["campaign_id"] = _ids(df, cols.get("campaign_id"), ctx)
        out["adset_id"] = _ids(df, cols.get("adset_id"), ctx)
        status = text(df, cols.get("status"))
        out["status"] = status.fillna(text(df, cols.get("level_status")))

        if "search_term" in cols:
            out["level"], out["ad"] = "search_term", text(df, cols["search_term"])
        elif "keyword" in cols:
            out["level"], out["ad"] = "keyword", text(df, cols["keyword"])
            out["ad_id"] = _ids(df, cols.get("keyword_id"), ctx)
        elif cols.keys() & {"ad_id", "ad", "headline", "ad_type"}:
            # Responsive ads often have no name: the first headline identifies them for a reader.
            out["level"] = "ad"
            out["ad"] = text(df, cols.get("ad")).fillna(text(df, cols.get("headline")))
            out["ad_id"] = _ids(df, cols.get("ad_id"), ctx)
        elif "adset" in cols or "adset_id" in cols:
            out["level"] = "adset"
        else:
            out["level"] = "campaign"

        ctype, bidding = text(df, cols.get("campaign_type")), text(df, cols.get("bidding"))
        out["objective"] = [google_objective(t if isinstance(t, str) else None, b if isinstance(b, str) else None)
                            for t, b in zip(ctype, bidding)]
        out["objective_raw"] = [" / ".join(x for x in (t, b) if isinstance(x, str)) or None
                                for t, b in zip(ctype, bidding)]
        out = out.assign(**_numbers(df, cols, GOOGLE_METRICS, ctx, decimal))
        return {"ads": ctx.finish(out, self.platform, _account(ctx, None, self.platform))}


def _google_segments(df: pd.DataFrame, cols: dict[str, str], out: pd.DataFrame, ctx: ParseContext) -> None:
    """Rows split by Day/Week/Month cover that day, week (Monday start) or month only."""
    if "day" in cols:
        day = _segment_days(df[cols["day"]], ctx, cols["day"])
        out["period_start"], out["period_end"] = day, day
    elif "week" in cols:
        week = _segment_days(df[cols["week"]], ctx, cols["week"])
        out["period_start"], out["period_end"] = week, week + pd.Timedelta(days=6)
    elif "month" in cols:
        month = _segment_days(df[cols["month"]], ctx, cols["month"])
        out["period_start"], out["period_end"] = month, month + pd.offsets.MonthEnd(0)


def _segment_days(s: pd.Series, ctx: ParseContext, col: str) -> pd.Series:
    parsed = s.map(lambda x: parse_day(x) if isinstance(x, str) else None)
    if parsed.notna().all():
        return pd.to_datetime(parsed).astype("datetime64[ns]")
    return ctx.days(pd.DataFrame({col: s}), col, formats=("%Y-%m-%d",))


# --- Meta Ads Manager ---------------------------------------------------------------------------------
META = {
    "period_start": ("Reporting starts", "Début des rapports", "Inizio report", "Inicio del informe",
                     "Berichtsbeginn"),
    "period_end": ("Reporting ends", "Fin des rapports", "Fine report", "Fin del informe", "Berichtsende"),
    "day": ("Day", "Jour", "Giorno", "Día", "Tag"),
    "campaign": ("Campaign name", "Nom de la campagne", "Nome della campagna", "Nombre de la campaña",
                 "Kampagnenname"),
    "campaign_id": ("Campaign ID", "Identifiant de la campagne", "ID de la campagne", "ID campagna",
                    "ID de la campaña", "Kampagnen-ID"),
    "adset": ("Ad set name", "Nom de l'ensemble de publicités", "Nome del gruppo di inserzioni",
              "Nombre del conjunto de anuncios", "Name der Anzeigengruppe"),
    "adset_id": ("Ad set ID", "Identifiant de l'ensemble de publicités", "ID de l'ensemble de publicités",
                 "ID gruppo di inserzioni", "ID del conjunto de anuncios", "Anzeigengruppen-ID"),
    "ad": ("Ad name", "Nom de la publicité", "Nome dell'inserzione", "Nombre del anuncio", "Anzeigenname"),
    "ad_id": ("Ad ID", "Identifiant de la publicité", "ID de la publicité", "ID inserzione", "ID del anuncio",
              "Anzeigen-ID"),
    "account": ("Account name", "Nom du compte", "Nome dell'account", "Nombre de la cuenta", "Kontoname"),
    "objective": ("Objective", "Objectif", "Obiettivo", "Objetivo", "Ziel"),
    "status": ("Delivery status", "Ad delivery", "Ad set delivery", "Campaign delivery", "Delivery",
               "Diffusion de la publicité", "Diffusion de l'ensemble de publicités", "Diffusion de la campagne",
               "Diffusion", "Stato della pubblicazione", "Pubblicazione", "Entrega", "Auslieferung"),
    "results": ("Results", "Résultats", "Risultati", "Resultados", "Ergebnisse"),
    "result_indicator": ("Result indicator", "Indicateur de résultats", "Indicateur de résultat",
                         "Indicatore dei risultati", "Indicador de resultados", "Ergebnisindikator"),
    "result_type": ("Result type", "Type de résultat", "Tipo di risultato", "Tipo de resultado", "Ergebnistyp"),
    "currency": ("Currency", "Devise", "Valuta", "Moneda", "Währung"),
    "reach": ("Reach", "Couverture", "Copertura", "Alcance", "Reichweite"),
    "impressions": ("Impressions", "Impressioni", "Impresiones", "Impressionen"),
    "clicks": ("Clicks (all)", "Clics (tous)", "Clic (tutti)", "Clics (todos)", "Klicks (alle)"),
    "link_clicks": ("Link clicks", "Clics sur un lien", "Clic sul link", "Clics en el enlace", "Link-Klicks"),
    "engagements": ("Post engagements", "Post engagement", "Interactions avec la publication",
                    "Interazioni con il post", "Interacciones con la publicación", "Beitragsinteraktionen"),
    # 3-second plays are Meta's "video views"; ThruPlays (15 s) only when nothing else is given.
    "video_views": ("3-second video plays", "Video plays", "Lectures de vidéo de 3 secondes", "Lectures de vidéos",
                    "Riproduzioni del video di 3 secondi", "Reproducciones de video de 3 segundos", "ThruPlays"),
    "conversions": ("Purchases", "Website purchases", "Achats", "Achats sur le site web", "Acquisti", "Compras",
                    "Käufe"),
    "conversion_value": ("Purchases conversion value", "Purchase conversion value",
                         "Website purchases conversion value", "Valeur de conversion des achats",
                         "Valore di conversione degli acquisti", "Valor de conversión de compras",
                         "Conversionswert für Käufe"),
}
META_METRICS = ("reach", "impressions", "clicks", "link_clicks", "engagements", "video_views", "results",
                "conversions", "conversion_value")
_SPEND = re.compile(r"^(amount spent|montant dépensé|importo speso|importe gastado|ausgegebener betrag|"
                    r"bedrag besteed)\s*(?:\(([a-z]{3})\))?$")
_LOCALIZED_META = {V.norm_header(n) for k in ("campaign", "period_start", "day", "reach")
                   for n in META[k][1:]} | {"montant dépensé", "importo speso", "importe gastado"}

# Objectives as exported (API enums of both generations, UI labels, French/Italian/Spanish labels).
META_OBJECTIVES = {
    "awareness": "outcome_awareness brand_awareness reach awareness notoriété notorietà reconocimiento "
                 "couverture copertura alcance",
    "traffic": "outcome_traffic link_clicks traffic trafic traffico tráfico",
    "engagement": "outcome_engagement post_engagement page_likes event_responses messages engagement "
                  "interactions interazione interacción",
    "video": "video_views",
    "leads": "outcome_leads lead_generation leads prospects contatti clientes_potenciales",
    "sales": "outcome_sales conversions product_catalog_sales catalog_sales store_visits sales ventes vendite ventas",
    "app": "outcome_app_promotion app_installs app_promotion promotion_de_l'application promozione_dell'app",
}
META_OBJECTIVE = {w: obj for obj, words in META_OBJECTIVES.items() for w in words.split()}
# What a result counts → the objective it serves (indicator such as "actions:link_click" or a type label).
_RESULT_RULES = (
    (r"lead|registration|inscription|contact|submit_application|schedule|prospect", "leads"),
    (r"purchase|add_to_cart|checkout|achat|acquist|compra|offsite_conversion", "sales"),
    (r"app_install|mobile_app|installation", "app"),
    (r"thruplay|video_view|video_play|lecture", "video"),
    (r"link_click|landing_page|outbound_click|clic|clics|click", "traffic"),
    (r"^reach$|impressions|ad_recall|recallers|couverture|copertura|alcance", "awareness"),
    (r"engagement|like|messaging|message|comment|reaction|event_respons|rsvp|interaction", "engagement"),
)


def meta_objective(objective: str | None, result: str | None) -> str | None:
    if isinstance(objective, str) and objective.strip():
        key = re.sub(r"[\s\-]+", "_", objective.strip().casefold())
        return META_OBJECTIVE.get(key, "other")
    if isinstance(result, str) and result.strip():
        key = re.sub(r"[\s\-]+", "_", result.strip().casefold())
        key = key.removeprefix("actions:")
        for pattern, obj in _RESULT_RULES:
            if re.search(pattern, key):
                return obj
        return "other"
    return None


def _spend_column(block: Block) -> tuple[int, str | None] | None:
    for i, k in enumerate(block.keys):
        m = _SPEND.match(k)
        if m:
            return i, (m.group(2) or "").upper() or None
    return None


@register
class MetaAdsExport(Format):
    id = "ads.meta_ads"
    label = "Meta Ads Manager export (current, 2017 Title Case, French and Italian layouts)"
    platform = "meta_ads"
    tables = ("ads",)

    def match(self, block: Block) -> float:
        if _spend_column(block) is None:
            return 0.0
        names = {V.norm_header(n) for k in ("campaign", "campaign_id", "adset", "adset_id", "ad", "ad_id")
                 for n in META[k]}
        if not block.keyset & names:
            return 0.0
        known = {V.norm_header(n) for names in META.values() for n in names}
        return 2.5 + min(len(block.keyset & known), 10) / 10

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = ctx.columns(df, META)
        spend_i, currency = _spend_column(block)
        spend_col = df.columns[spend_i]
        localized = bool(block.keyset & _LOCALIZED_META)

        ident = [cols[k] for k in ("campaign", "campaign_id", "adset", "adset_id", "ad", "ad_id") if k in cols]
        summary = df[ident].apply(lambda c: V.blank(c)).all(axis=1)
        ctx.drop(int(summary.sum()), "summary row (no campaign, ad set or ad)")
        df = df[~summary]

        metric_cols = [spend_col] + [cols[m] for m in META_METRICS if m in cols]
        decimal = V.decimal_mark(df[metric_cols]) or ("," if localized else None)
        # Localized UIs (FR, IT, ES, DE) write day/month/year; the ISO form comes first everywhere.
        formats = ("%Y-%m-%d",) + (("%d/%m/%Y", "%d.%m.%Y", "%d/%m/%y") if localized else ())

        out = pd.DataFrame(index=df.index)
        if "day" in cols:
            day = ctx.days(df, cols["day"], formats=formats)
            out["period_start"], out["period_end"] = day, day
        else:
            for c in ("period_start", "period_end"):
                if c in cols:
                    out[c] = ctx.days(df, cols[c], formats=formats)
            if "period_start" not in cols:
                ctx.warn("no 'Reporting starts'/'Day' column: the rows carry no period")
        for c in ("campaign", "adset", "ad", "status"):
            out[c] = text(df, cols.get(c))
        for c in ("campaign_id", "adset_id", "ad_id"):
            out[c] = _ids(df, cols.get(c), ctx)
        out["level"] = "ad" if cols.keys() & {"ad", "ad_id"} else \
            "adset" if cols.keys() & {"adset", "adset_id"} else "campaign"
        out["currency"] = currency if currency else text(df, cols.get("currency"))
        out["spend"] = ctx.numbers(df, spend_col, decimal=decimal)
        out = out.assign(**_numbers(df, cols, META_METRICS, ctx, decimal))

        indicator = text(df, cols.get("result_indicator"))
        rtype = text(df, cols.get("result_type"))
        result = indicator.str.replace(r"^actions:", "", regex=True).fillna(rtype)
        out["result_type"] = result
        objective = text(df, cols.get("objective"))
        out["objective_raw"] = objective.fillna(indicator).fillna(rtype)
        out["objective"] = [meta_objective(o, r) for o, r in zip(objective, result)]
        if "results" in cols and result.isna().all():
            ctx.warn("the export has 'Results' but nothing says what they count (no result indicator/type): "
                     "they cannot be compared across campaigns")
        handle = text(df, cols.get("account")) if "account" in cols else None
        return {"ads": ctx.finish(out, self.platform, _account(ctx, handle, self.platform))}
