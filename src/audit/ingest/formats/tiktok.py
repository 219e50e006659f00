"""TikTok exports: the business-account download and TikTok Studio's CSVs.

Business account (UTF-8 BOM CSVs, probably re-saved from xlsx):
- daily overview: `Date` (YYYY/MM/DD), `Video views`, `Reached audience`, `Profile views`, `Likes`,
  `Shares`, `Comments`, `Phone number clicks ` (trailing space), `Leads submission`, `Net growth`,
  `New followers`, `Lost followers`, with `NAN` for missing values;
- audience: `Date, New followers, Total followers, Reached audience, Engaged audience` (`--`, `NAN`);
- per video: `Video title, Video link, Post time` (YYYY/MM/DD HH:MM:SS, UTC: it matches the time in
  the video id to the second), `Video views, Likes, Comments, Shares, Add to Favorites`.

TikTok Studio (a zip of CSVs; English, Spanish and other languages):
- `Overview.csv` (`Date, Video Views, Profile Views, Likes, Comments, Shares`), `FollowerHistory.csv`
  (`Date, Followers, Difference in followers from previous day`, may hold `undefined`) and
  `Viewers.csv` write days **without a year** (`October 1`, `10 de febrero`, `9月16日`): the year comes
  from a date in the file name, else the audit period's end in audit.yml, else today; a December →
  January step moves to the next year, and a warning says what was assumed;
- `Content.csv`: `Time` (the export day), `Video title, Video link, Post time` (no year either),
  `Total likes, Total comments, Total shares, Total views`, counts like `1.2K`. The publication time
  is read from the video id (its top 32 bits are the Unix time of the upload);
- `FollowerGender.csv` (`Gender, Distribution`) and `FollowerTopTerritories.csv`
  (`Top territories, Distribution`) → audience; `FollowerActivity.csv` (active followers by hour)
  is recognised but has no canonical table.
Localized headers other than English and the Spanish ones seen in the wild are best guesses.

Mapping: Video views → video_views (posts: views and video_views), Likes → reactions, Add to
Favorites → saves, Reached audience → reach, Profile views → profile_visits, Net growth /
Difference in followers → followers_net, Followers / Total followers → followers (running total).
TikTok gives no engagement total: a video's `engagements` is likes + comments + shares + saves.
"""
from __future__ import annotations

import re

import pandas as pd

from ..registry import Format, ParseContext, columns_for, header_score, register, text
from ..sniff import Block
from ._social import (add_sum, anchor_for, daily_long, day_column, is_yearless, local_midnight, numbers,
                      series_days, tiktok_id_time, time_column, yearless_before, yearless_days)

PLATFORM = "tiktok"
DATE_FORMATS = ("%Y/%m/%d", "%Y-%m-%d", "%b %d, %Y")
TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M")
_HANDLE = re.compile(r"tiktok\.com/@([^/?#]+)", re.I)

DATE = ("date", "fecha", "data", "datum")
DAILY = {
    "video_views": ("video views", "visualizaciones de videos", "visualizaciones de vídeos", "vues de vidéos",
                    "visualizações de vídeos"),
    "reach": ("reached audience", "audiencia alcanzada", "audience atteinte"),
    "profile_visits": ("profile views", "visualizaciones del perfil", "vues du profil", "visualizações do perfil"),
    "reactions": ("likes", "me gusta", "j'aime", "curtidas"),
    "shares": ("shares", "veces compartido", "compartidos", "partages", "compartilhamentos"),
    "comments": ("comments", "comentarios", "commentaires", "comentários"),
    "phone_clicks": ("phone number clicks",),
    "leads": ("leads submission", "lead submissions"),
    "followers_net": ("net growth", "difference in followers from previous day",
                      "diferencia de seguidores respecto al día anterior", "crecimiento neto"),
    "followers_gained": ("new followers", "nuevos seguidores", "nouveaux abonnés"),
    "followers_lost": ("lost followers", "seguidores perdidos"),
    "followers": ("total followers", "followers", "seguidores", "abonnés", "seguidores totales"),
    "engaged_audience": ("engaged audience",),
    "viewers": ("total viewers", "espectadores totales"),
    "new_viewers": ("new viewers", "nuevos espectadores"),
    "returning_viewers": ("returning viewers", "espectadores recurrentes"),
}


def _alts(name: str) -> set[str]:
    return set(DAILY[name])


def _days(ctx: ParseContext, df: pd.DataFrame, col: str) -> pd.Series:
    if is_yearless(df[col]):
        return yearless_days(ctx, df, col)
    return series_days(ctx, df, col, DATE_FORMATS)


def _daily(block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
    df = block.frame()
    cols = columns_for(df, {"date": DATE, **DAILY})
    days = _days(ctx, df, cols["date"])
    out = daily_long(days, numbers(ctx, df, cols, DAILY))
    return {"account_daily": ctx.finish(out, PLATFORM, ctx.account(None, PLATFORM))}


class _Daily(Format):
    platform = PLATFORM
    tables = ("account_daily",)

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        return _daily(block, ctx)


@register
class BusinessOverview(_Daily):
    id = "tiktok.business_overview"
    label = "TikTok business account daily overview (Video views, Reached audience, Profile views, ...)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), _alts("video_views"), _alts("profile_visits"),
                                    _alts("reach") | {"net growth", "phone number clicks", "leads submission"}],
                            optional=["likes", "shares", "comments", "phone number clicks", "leads submission",
                                      "net growth", "new followers", "lost followers"])


@register
class BusinessAudience(_Daily):
    id = "tiktok.business_audience"
    label = "TikTok business account audience, daily (New followers, Total followers, Reached/Engaged audience)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), _alts("followers_gained"), _alts("reach") | {"engaged audience"}],
                            optional=["total followers", "engaged audience", "reached audience"],
                            forbidden=["video views", "profile views"])


@register
class StudioOverview(_Daily):
    id = "tiktok.studio_overview"
    label = "TikTok Studio Overview.csv (daily; dates without a year)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), _alts("video_views"), _alts("profile_visits"), _alts("reactions")],
                            optional=["comments", "shares"],
                            forbidden=["reached audience", "net growth", "phone number clicks", "leads submission"])


@register
class StudioFollowerHistory(_Daily):
    id = "tiktok.studio_follower_history"
    label = "TikTok Studio FollowerHistory.csv (followers per day; dates without a year)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), {"followers", "seguidores", "abonnés"},
                                    {"difference in followers from previous day",
                                     "diferencia de seguidores respecto al día anterior"}])


@register
class StudioViewers(_Daily):
    id = "tiktok.studio_viewers"
    label = "TikTok Studio Viewers.csv (total, new and returning viewers per day)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), _alts("viewers"), _alts("new_viewers")],
                            optional=["returning viewers"])


@register
class StudioFollowerActivity(Format):
    id = "tiktok.studio_follower_activity"
    label = "TikTok Studio FollowerActivity.csv (active followers by hour; recognised, no canonical table)"
    platform = PLATFORM
    tables = ()

    def match(self, block: Block) -> float:
        return header_score(block, [set(DATE), {"hour", "hora", "heure"},
                                    {"active followers", "seguidores activos", "abonnés actifs"}])

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        ctx.warn("active followers by hour are not stored (no canonical table for hourly activity)")
        return {}


# --- audience shares ---------------------------------------------------------------------------------------
DISTRIBUTION = ("distribution", "distribución", "distribuição", "répartition")
GENDERS = {"female": "female", "male": "male", "women": "female", "men": "male", "mujer": "female",
           "hombre": "male", "femenino": "female", "masculino": "male", "femme": "female", "homme": "male",
           "feminino": "female"}


class _Shares(Format):
    platform = PLATFORM
    tables = ("audience",)
    dimension: str

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        label, value = df.columns[0], columns_for(df, {"v": DISTRIBUTION})["v"]
        share = ctx.numbers(df, value)
        if share.max(skipna=True) > 1:
            share = share / 100.0  # percent numbers ("59.1") rather than fractions ("0.591")
        out = pd.DataFrame({"segment": text(df, label), "share": share}, index=df.index)
        out["dimension"] = self.dimension
        if self.dimension == "gender":
            g = out["segment"].str.casefold()
            out["gender"] = g.map(GENDERS).fillna("other").where(out["segment"].notna())
        out = out[out["segment"].notna()]
        return {"audience": ctx.finish(out, PLATFORM, ctx.account(None, PLATFORM))}


@register
class StudioFollowerGender(_Shares):
    id = "tiktok.studio_follower_gender"
    label = "TikTok Studio FollowerGender.csv (share of followers by gender)"
    dimension = "gender"

    def match(self, block: Block) -> float:
        return header_score(block, [{"gender", "género", "genre", "gênero"}, set(DISTRIBUTION)])


@register
class StudioFollowerTerritories(_Shares):
    id = "tiktok.studio_follower_territories"
    label = "TikTok Studio FollowerTopTerritories.csv (share of followers by country)"
    dimension = "country"

    def match(self, block: Block) -> float:
        return header_score(block, [{"top territories", "principales territorios", "territories",
                                     "principaux territoires"}, set(DISTRIBUTION)])


# --- videos -----------------------------------------------------------------------------------------------
VIDEO = {
    "title": ("video title", "título del video", "título del vídeo", "titre de la vidéo", "título do vídeo"),
    "link": ("video link", "enlace del video", "enlace del vídeo", "lien de la vidéo", "link do vídeo"),
    "posted": ("post time", "hora de publicación", "heure de publication", "horário da publicação"),
    "exported": ("time", "hora", "heure", "horário"),
    "views": ("total views", "video views", "visualizaciones totales", "total de visualizaciones", "vues totales",
              "total de vues", "visualizações totais"),
    "reactions": ("total likes", "likes", "me gusta totales", "total de me gusta", "j'aime totaux",
                  "total de j'aime", "curtidas totais"),
    "comments": ("total comments", "comments", "comentarios totales", "total de comentarios",
                 "commentaires totaux", "total de commentaires", "comentários totais"),
    "shares": ("total shares", "shares", "veces compartido totales", "total de veces compartido",
               "compartidos totales", "partages totaux", "total de partages", "compartilhamentos totais"),
    "saves": ("add to favorites", "total favorites", "añadir a favoritos", "favoritos"),
}


class _Videos(Format):
    platform = PLATFORM
    tables = ("posts",)

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        cols = columns_for(df, VIDEO)
        out = pd.DataFrame(index=df.index)
        link = text(df, cols["link"])
        out["post_id"] = link.str.extract(r"/video/(\d+)")[0].fillna(link)
        out["permalink"] = link
        out["text"] = text(df, cols.get("title"))
        out["post_type"] = "video"
        for name in ("views", "reactions", "comments", "shares", "saves"):
            if name in cols:
                out[name] = ctx.numbers(df, cols[name])
        if "views" in out:
            out["video_views"] = out["views"]
        out["engagements"] = add_sum([out.get(k) for k in ("reactions", "comments", "shares", "saves")])
        id_time = tiktok_id_time(out["post_id"])
        exported = self._export_day(ctx, df, cols, id_time)
        out["published_at"] = self._published(ctx, df, cols, id_time, exported)
        if exported is not None:
            out["exported_at"] = exported.tz_localize("UTC")
        missing = out["post_id"].isna()
        if missing.any():
            ctx.drop(int(missing.sum()), "rows without a video link")
        handles = link.dropna().str.extract(_HANDLE)[0].dropna()
        handle = handles.mode().iloc[0] if len(handles) else None
        return {"posts": ctx.finish(out[~missing], PLATFORM, ctx.account(handle, PLATFORM))}

    @staticmethod
    def _export_day(ctx, df, cols, id_time) -> pd.Timestamp | None:
        """Studio's `Time` column: the export day (no year), on or after the newest upload."""
        if "exported" not in cols:
            return None
        col = cols["exported"]
        if not is_yearless(df[col]):
            days = day_column(ctx, df, col, DATE_FORMATS)
        elif id_time.notna().any():
            days = yearless_before(ctx, df, col, id_time.max().date(), "the newest video id", after=True)
        else:
            days = yearless_before(ctx, df, col, *anchor_for(ctx))
        days = days.dropna()
        return days.max() if len(days) else None

    @staticmethod
    def _published(ctx, df, cols, id_time, exported) -> pd.Series:
        """`Post time` when it is a full timestamp (UTC, as the ids confirm), else the time in the video id,
        else the yearless day placed before the export day."""
        posted = pd.Series(pd.NaT, index=df.index, dtype=pd.DatetimeTZDtype(unit="ns", tz="UTC"))
        col = cols.get("posted")
        if col and not is_yearless(df[col]):
            posted = time_column(ctx, df, col, TIME_FORMATS, naive_tz="UTC")
            both = posted.notna() & id_time.notna()
            if both.any() and ((posted - id_time).abs() > pd.Timedelta(hours=1))[both].mean() > 0.5:
                ctx.warn(f"column {col!r} is not in UTC (it differs from the video ids); the ids' times are used")
                posted = id_time.where(id_time.notna(), posted)
        out = posted.where(posted.notna(), id_time)
        if col and out.isna().any() and is_yearless(df[col]):
            anchor, basis = (exported.date(), "the export day in 'Time'") if exported is not None else anchor_for(ctx)
            days = local_midnight(ctx, yearless_before(ctx, df, col, anchor, basis), col)
            out = out.where(out.notna(), days)
        return out


@register
class BusinessVideos(_Videos):
    id = "tiktok.business_videos"
    label = "TikTok business account per-video export (Video title, Video link, Post time, Video views, ...)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(VIDEO["link"]), set(VIDEO["posted"]), {"video views"}],
                            optional=["video title", "likes", "comments", "shares", "add to favorites"],
                            forbidden=["total views", "total likes"])


@register
class StudioContent(_Videos):
    id = "tiktok.studio_content"
    label = "TikTok Studio Content.csv (one row per video; counts like 1.2K; yearless dates)"

    def match(self, block: Block) -> float:
        return header_score(block, [set(VIDEO["link"]), set(VIDEO["posted"]),
                                    {v for v in VIDEO["views"] + VIDEO["reactions"] if v not in ("likes", "video views")}],
                            optional=list(VIDEO["title"][:1]) + ["time", "total comments", "total shares"])

