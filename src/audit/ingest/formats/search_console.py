"""Google Search Console → Performance → Export (a zip of CSVs, or the CSVs themselves).

Queries/Pages are capped at 1000 rows; CTR is a percent string; the daily series is `Dates.csv`
(newest first, older exports) or `Chart.csv` (oldest first, newer ones); `Filters.csv` only
describes the export."""
from __future__ import annotations

import pandas as pd

from ..registry import Format, ParseContext, columns_for, header_score, register, text
from ..sniff import Block

METRICS = ("clicks", "impressions", "ctr", "position")
DIMENSIONS = {  # canonical dimension -> header names of the first column (en, fr, es, de)
    "query": ("Top queries", "Requêtes les plus fréquentes", "Consultas principales", "Häufigste Suchanfragen"),
    "page": ("Top pages", "Pages les plus populaires", "Páginas principales", "Top-Seiten"),
    "country": ("Country", "Pays", "País", "Land"),
    "device": ("Device", "Appareil", "Dispositivo", "Gerät"),
    "search_appearance": ("Search Appearance", "Apparence dans les résultats de recherche", "Aspecto en la búsqueda"),
    "date": ("Date", "Fecha", "Datum"),
}
ALIASES = {
    "clicks": ("Clicks", "Clics", "Klicks"),
    "impressions": ("Impressions", "Impresiones", "Impressionen"),
    "ctr": ("CTR",),
    "position": ("Position", "Posición"),
}


@register
class SearchConsolePerformance(Format):
    id = "search_console.performance"
    label = "Google Search Console performance export (Queries, Pages, Countries, Devices, Dates/Chart)"
    platform = "search_console"
    tables = ("search",)
    row_cap = 1000

    def match(self, block: Block) -> float:
        first = block.keys[0] if block.keys else ""
        dims = {k.casefold() for names in DIMENSIONS.values() for k in names}
        if first not in dims:
            return 0.0
        return header_score(block, [set(ALIASES["clicks"]), set(ALIASES["impressions"]), "ctr",
                                    set(ALIASES["position"])])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        first = df.columns[0]
        dim = next(d for d, names in DIMENSIONS.items() if block.keys[0] in {n.casefold() for n in names})
        cols = columns_for(df, ALIASES)
        out = pd.DataFrame(index=df.index)
        out["dimension"] = dim
        if dim == "date":
            out["date"] = ctx.days(df, first, formats=("%Y-%m-%d",))
            out["value"] = out["date"].dt.strftime("%Y-%m-%d")
        else:
            out["value"] = text(df, first)
        for m in METRICS:
            if m in cols:
                out[m] = ctx.numbers(df, cols[m])
        if "ctr" in cols and not df[cols["ctr"]].str.contains("%").any():
            # Some exports give CTR as a fraction already; percent strings were divided by 100 above.
            pass
        if dim == "date" and len(out):
            out["period_start"], out["period_end"] = out["date"].min(), out["date"].max()
        return {"search": ctx.finish(out, self.platform, ctx.account(platform=self.platform))}


@register
class SearchConsoleFilters(Format):
    id = "search_console.filters"
    label = "Google Search Console export filters (Filters.csv, describes the export)"
    platform = "search_console"
    tables = ()

    def match(self, block: Block) -> float:
        return 2.0 if block.keys[:2] == ["filter", "value"] else 0.0

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        for row in block.head(20):
            if len(row) >= 2 and row[0].strip().casefold() == "date":
                ctx.warn(f"export period as described by Search Console: {row[1]!r}")
        return {}
