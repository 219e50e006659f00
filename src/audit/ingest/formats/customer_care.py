"""Customer service: inbox messages and tickets, reviews, survey answers.

No export of these was available, so the toolkit documents its own CSV layouts (docs/formats.md:
`customer_care.inbox`, `customer_care.reviews`, `customer_care.surveys`), reads them with English
or French headers, and maps any tool's layout through audit.yml `sources[].columns` (canonical name →
header in the file, with `format:` naming one of these ids). Two common tool layouts are recognised
as they come: a help-desk ticket export (Zendesk/Freshdesk-like: `Ticket ID, Channel, Created at,
First reply at, Solved at, Tags, Subject`) and a Google reviews export (`review_id, author_title,
review_rating, review_text, review_datetime_utc, owner_answer...`, or the Business Profile API's
`reviewId, starRating, comment, createTime, reviewReply.comment...`).

Cell conventions: yes/no/oui/non/1/0/true/false for flags; ratings as "4", "4,0", "4/5", "8/10",
"★★★★☆" or "FOUR" (kept on a 1-5 scale); NPS 0-10; CSAT 1-5 or a satisfaction label.
"""
from __future__ import annotations

import hashlib
import re
from typing import ClassVar

import pandas as pd

from ...errors import DataError
from .. import values as V
from ..registry import Format, ParseContext, header_score, register, text
from ..sniff import Block
from .listening import sentiment_of

# --- alias tables (canonical name first: a file in our own layout needs no mapping) ------------------
INBOX = {
    "message_id": ("message_id", "Message ID", "Message id", "ID", "Id", "Conversation ID", "Identifiant",
                   "Identifiant du message", "ID message", "N° de message"),
    "channel": ("channel", "platform", "Channel", "Platform", "Canal", "Plateforme", "Réseau", "Network", "Source"),
    "kind": ("kind", "Kind", "Type", "Message type", "Type de message", "Nature"),
    "received_at": ("received_at", "Received at", "Received", "Date received", "Reçu le", "Date de réception",
                    "Created at", "Date"),
    "first_response_at": ("first_response_at", "First response at", "First reply at", "Responded at",
                          "Première réponse", "Première réponse le", "Date de première réponse", "Répondu le"),
    "resolved_at": ("resolved_at", "Resolved at", "Closed at", "Solved at", "Résolu le", "Date de résolution",
                    "Clôturé le", "Fermé le"),
    "author": ("author", "Author", "From", "Customer", "Auteur", "Expéditeur", "Client", "De"),
    "text": ("text", "Text", "Message", "Body", "Content", "Texte", "Contenu"),
    "is_question": ("is_question", "Is question", "Question", "Est une question"),
    "is_complaint": ("is_complaint", "Is complaint", "Complaint", "Réclamation", "Plainte", "Est une réclamation"),
    "topic": ("topic", "Topic", "Tag", "Tags", "Sujet", "Thème", "Motif", "Category", "Catégorie"),
    "sentiment": ("sentiment", "Sentiment", "Tonalité"),
    "account": ("account", "Account", "Brand", "Compte", "Marque"),
}
TICKETS = {
    "message_id": ("Ticket ID", "Ticket Id", "Ticket #", "Id", "ID", "Numéro de ticket", "N° de ticket",
                   "Identifiant du ticket"),
    "channel": ("Channel", "Via", "Source", "Canal", "Origine"),
    "received_at": ("Created at", "Created time", "Created", "Date de création", "Créé le", "Création"),
    "first_response_at": ("First reply at", "First response at", "Initial response time", "Première réponse le",
                          "Date de première réponse"),
    "first_reply_minutes": ("First reply time in minutes", "First reply time (min)",
                            "Délai de première réponse (min)", "Temps de première réponse (min)"),
    "first_reply_hours": ("First response time (in hrs)", "First response time (hrs)", "First response time (hours)",
                          "Délai de première réponse (h)"),
    "resolved_at": ("Solved at", "Resolved at", "Resolved time", "Closed at", "Closed time", "Résolu le",
                    "Fermé le", "Date de résolution"),
    "author": ("Requester", "Requester name", "Full name", "Contact", "Customer", "Demandeur", "Client"),
    "subject": ("Subject", "Objet", "Sujet"),
    "text": ("Description", "First message", "Premier message", "Message"),
    "tags": ("Tags", "Étiquettes", "Mots-clés", "Labels"),
    "type": ("Ticket type", "Type", "Type de ticket"),
    "account": ("Brand", "Marque", "Account", "Compte"),
}
REVIEWS = {
    "review_id": ("review_id", "Review ID", "Review id", "ID", "Id", "Identifiant", "Identifiant de l'avis",
                  "ID avis"),
    "platform": ("platform", "Platform", "Source", "Site", "Plateforme", "Canal"),
    "rating": ("rating", "Rating", "Stars", "Score", "Note", "Étoiles", "Note sur 5", "Note /5"),
    "title": ("title", "Title", "Titre", "Subject"),
    "text": ("text", "Text", "Review", "Comment", "Content", "Texte", "Avis", "Commentaire", "Contenu"),
    "author": ("author", "Author", "Reviewer", "Name", "Auteur", "Nom", "Client"),
    "published_at": ("published_at", "Published at", "Published", "Date", "Review date", "Created at",
                     "Date de l'avis", "Publié le", "Date de publication"),
    "replied_at": ("replied_at", "Replied at", "Reply date", "Response date", "Date de réponse", "Répondu le"),
    "reply": ("reply", "Reply", "Response", "Owner response", "Réponse", "Réponse de l'entreprise"),
    "account": ("account", "Account", "Brand", "Location", "Business", "Store", "Compte", "Marque",
                "Établissement", "Magasin"),
}
GOOGLE = {
    "review_id": ("review_id", "reviewId", "name"),
    "rating": ("review_rating", "starRating", "rating"),
    "text": ("review_text", "comment", "text"),
    "author": ("author_title", "reviewer.displayName", "reviewer", "author_name"),
    "published_at": ("review_datetime_utc", "createTime"),
    "published_epoch": ("review_timestamp",),
    "replied_at": ("owner_answer_timestamp_datetime_utc", "reviewReply.updateTime"),
    "replied_epoch": ("owner_answer_timestamp",),
    "reply": ("owner_answer", "reviewReply.comment"),
    "account": ("name", "place_name", "location", "locationName"),
}
SURVEYS = {
    "response_id": ("response_id", "Response ID", "Response id", "Respondent ID", "ID", "Id", "Identifiant",
                    "ID réponse", "N° de réponse", "ResponseId"),
    "submitted_at": ("submitted_at", "Submitted at", "Submitted", "Timestamp", "Date", "End date", "EndDate",
                     "Completed at", "Horodateur", "Horodatage", "Date de soumission", "Date de réponse"),
    "nps": ("nps", "NPS", "NPS score", "Score NPS", "Likelihood to recommend", "Recommend", "Recommandation",
            "Note de recommandation"),
    "csat": ("csat", "CSAT", "CSAT score", "Satisfaction", "Score de satisfaction", "Note de satisfaction"),
    "channels": ("channels", "Channels", "Social channels", "Networks", "Canaux", "Réseaux", "Réseaux sociaux"),
    "comment": ("comment", "Comment", "Comments", "Feedback", "Verbatim", "Remarks", "Commentaire", "Commentaires",
                "Remarques"),
    "account": ("account", "Account", "Brand", "Compte", "Marque"),
}

# --- value conventions ------------------------------------------------------------------------------
_CHANNEL_WORDS = (  # (words in the channel name, platform); the first hit wins
    (("messenger", "facebook", "fb"), "facebook"), (("instagram", "ig"), "instagram"),
    (("twitter", "tweet", "x"), "x"), (("linkedin",), "linkedin"), (("tiktok",), "tiktok"),
    (("youtube",), "youtube"), (("whatsapp",), "whatsapp"), (("google", "gmb"), "google"),
    (("email", "e-mail", "mail", "courriel"), "email"), (("sms", "texto"), "sms"),
    (("chat", "messaging", "livechat"), "chat"), (("phone", "voice", "call", "téléphone", "telephone", "appel"), "phone"),
    (("web", "form", "webform", "portal", "formulaire", "site", "help center", "api"), "web"),
)
_KIND_WORDS = (  # (words in the channel or type, kind)
    (("review", "avis"), "review_reply"), (("comment", "commentaire", "post", "publication", "wall"), "comment"),
    (("mention", "tweet"), "mention"), (("email", "e-mail", "mail", "courriel"), "email"),
    (("message", "dm", "direct", "messenger", "private", "privé", "chat", "whatsapp", "sms", "messaging"), "message"),
)
_KINDS = {"message": "message", "messages": "message", "dm": "message", "private message": "message",
          "message privé": "message", "comment": "comment", "comments": "comment", "commentaire": "comment",
          "commentaires": "comment", "mention": "mention", "mentions": "mention", "review_reply": "review_reply",
          "review reply": "review_reply", "réponse à un avis": "review_reply", "email": "email", "e-mail": "email",
          "courriel": "email", "mail": "email"}
_REVIEW_PLATFORMS = {"google": "google", "google maps": "google", "google my business": "google", "gmb": "google",
                     "google business profile": "google", "trustpilot": "trustpilot", "facebook": "facebook",
                     "tripadvisor": "tripadvisor", "yelp": "yelp", "avis vérifiés": "avis_verifies",
                     "avis verifies": "avis_verifies", "amazon": "amazon", "app store": "app_store",
                     "apple app store": "app_store", "google play": "google_play", "play store": "google_play"}
_SOCIAL = {"facebook": "facebook", "fb": "facebook", "instagram": "instagram", "insta": "instagram", "ig": "instagram",
           "twitter": "x", "x": "x", "x (twitter)": "x", "linkedin": "linkedin", "tiktok": "tiktok",
           "youtube": "youtube", "pinterest": "pinterest", "snapchat": "snapchat", "whatsapp": "whatsapp",
           "threads": "threads", "bluesky": "bluesky", "twitch": "twitch", "reddit": "reddit"}
_NONE = {"none", "aucun", "aucune", "no", "non", "nothing", "rien", "-", "n/a"}
_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "un": 1, "une": 1, "deux": 2, "trois": 3,
                 "quatre": 4, "cinq": 5, "zero": 0, "zéro": 0}
_CSAT_LABELS = {"very satisfied": 5, "très satisfait": 5, "tres satisfait": 5, "extremely satisfied": 5,
                "satisfied": 4, "satisfait": 4, "neutral": 3, "neutre": 3, "neither satisfied nor dissatisfied": 3,
                "ni satisfait ni insatisfait": 3, "dissatisfied": 2, "insatisfait": 2, "pas satisfait": 2,
                "very dissatisfied": 1, "très insatisfait": 1, "tres insatisfait": 1, "pas du tout satisfait": 1}
_COMPLAINT = re.compile(r"complain|complaint|plainte|r[ée]clamation|claim|litige|dispute", re.I)
_QUESTION = re.compile(r"question|demande d.information|inquiry|enquiry|how.?to", re.I)


def _words(value: str) -> set[str]:
    return set(re.findall(r"[\w\-]+", value.casefold())) | {value.strip().casefold()}


def channel_of(value: str) -> tuple[str, str | None]:
    """A help-desk channel ('Facebook Messenger', 'Web form', 'Courriel') → (platform, kind)."""
    words = _words(value)
    platform = next((p for names, p in _CHANNEL_WORDS if words & set(names)), None)
    kind = next((k for names, k in _KIND_WORDS if words & set(names)), None)
    if platform is None:
        platform = re.sub(r"\W+", "_", value.strip().casefold()).strip("_") or "other"
    if kind is None:
        kind = {"email": "email", "x": "mention", "chat": "message", "web": "message", "facebook": "message",
                "instagram": "message", "whatsapp": "message", "sms": "message", "youtube": "comment",
                "google": "review_reply"}.get(platform)
    return platform, kind


def rating_of(value: str) -> float | None:
    """'4', '4,0', '4/5', '8/10', '★★★★☆', 'FOUR', '4 étoiles' → a 1-5 rating (None when unreadable)."""
    v = value.strip().casefold()
    if not v:
        return None
    if "★" in v or "☆" in v:
        return float(v.count("★"))
    if v in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[v])
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+))?\s*(?:stars?|étoiles?|etoiles?|\*)?", v)
    if not m:
        return None
    x = float(m.group(1).replace(",", "."))
    scale = float(m.group(2)) if m.group(2) else 5.0
    return round(x * 5.0 / scale, 6) if scale else None


def score_of(value: str, scale: int) -> float | None:
    """NPS ('9', '9/10') or CSAT ('4', '4/5', '4,0', 'Satisfait') on its own scale."""
    v = value.strip().casefold()
    if scale == 5 and v in _CSAT_LABELS:
        return float(_CSAT_LABELS[v])
    m = re.fullmatch(r"(\d+(?:[.,]\d+)?)\s*(?:/\s*(\d+))?", v)
    if not m:
        return None
    x = float(m.group(1).replace(",", "."))
    if m.group(2) and float(m.group(2)) != scale:
        x = x * scale / float(m.group(2))
    return x


def channels_of(value: str) -> str | None:
    """'Facebook, Instagram; TikTok' → 'facebook;instagram;tiktok' (canonical names, in order, once)."""
    out: list[str] = []
    for part in re.split(r"[,;/|+]|\bet\b|\band\b", value):
        p = part.strip().casefold()
        if not p or p in _NONE:
            continue
        name = _SOCIAL.get(p, re.sub(r"\W+", "_", p).strip("_"))
        if name and name not in out:
            out.append(name)
    return ";".join(out) or None


def _by_value(series: pd.Series, fn) -> pd.Series:
    """Apply fn once per distinct non-missing value."""
    table = {u: fn(u) for u in series.dropna().unique()}
    return series.map(table)


def _flags(frame: pd.DataFrame, col: str, ctx: ParseContext) -> pd.Series:
    raw = text(frame, col)
    out = V.to_bool(raw.fillna(""))
    out = out.where(raw.notna())
    bad = raw.notna() & out.isna()
    if bad.any():
        i = bad[bad].index[0]
        ctx.warn(f"row {i}, column {col!r}: {int(bad.sum())} value(s) such as {raw[i]!r} are not yes/no; left empty")
    return out.astype("boolean")


def _hash_ids(frame: pd.DataFrame, what: str, ctx: ParseContext) -> pd.Series:
    """No id column: a stable hash of the whole row, so re-exports de-duplicate."""
    ctx.warn(f"no {what} column: ids are made from each row's content")
    rows = frame.astype("str").fillna("").agg("\x1f".join, axis=1)
    return rows.map(lambda r: hashlib.blake2b(r.encode(), digest_size=8).hexdigest()).astype("str")


def _accounts(frame: pd.DataFrame, cols: dict[str, str], ctx: ParseContext, platform: str | None) -> pd.Series | str:
    """Per-row account from an account/brand/location column (names and handles of audit.yml), else the file's."""
    default = ctx.account(platform=platform)
    if "account" not in cols or (ctx.override and ctx.override.account):
        return default
    names = text(frame, cols["account"])

    def one(name: str) -> str:
        return ctx.account(name, platform)
    return _by_value(names, one).fillna(default).astype("str")


def _default_platform(ctx: ParseContext, fallback: str) -> str:
    """audit.yml `sources[].platform` for rows whose file does not name one."""
    return (ctx.override.platform if ctx.override and ctx.override.platform else fallback)


def _times(ctx: ParseContext, frame: pd.DataFrame, cols: dict[str, str], key: str, **kw) -> pd.Series | None:
    return ctx.dates(frame, cols[key], **kw) if key in cols else None


class _CareFormat(Format):
    aliases: ClassVar[dict[str, tuple[str, ...]]]
    table: ClassVar[str]

    def parse(self, block: Block, ctx: ParseContext) -> dict[str, pd.DataFrame]:
        df = block.frame()
        df = df[~df.apply(lambda c: V.blank(c)).all(axis=1)] if len(df) else df  # rows with nothing in them
        cols = ctx.columns(df, self.aliases)
        return {self.table: self.build(df, cols, ctx)}

    def build(self, df: pd.DataFrame, cols: dict[str, str], ctx: ParseContext) -> pd.DataFrame:
        raise NotImplementedError

    @staticmethod
    def need(cols: dict[str, str], names: tuple[str, ...], ctx: ParseContext, what: str) -> None:
        missing = [n for n in names if n not in cols]
        if missing:
            raise DataError(f"no {what} column; map {', '.join(f'`{m}`' for m in missing)} in audit.yml "
                            "`sources[].columns` (see docs/formats.md)", ctx.source)


# --- inbox --------------------------------------------------------------------------------------------
def _inbox_frame(df: pd.DataFrame, cols: dict[str, str], ctx: ParseContext, first_response: pd.Series | None,
                 is_question: pd.Series | None, is_complaint: pd.Series | None, topic: pd.Series) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    out["message_id"] = V.clean_id(df[cols["message_id"]]) if "message_id" in cols else \
        _hash_ids(df, "message id", ctx)
    missing = out["message_id"].isna()
    if missing.any():
        ctx.drop(int(missing.sum()), "message without an id")
        df, out = df[~missing], out[~missing]
        first_response = None if first_response is None else first_response[~missing]
        topic = topic[~missing]
        is_question = None if is_question is None else is_question[~missing]
        is_complaint = None if is_complaint is None else is_complaint[~missing]
    received = ctx.dates(df, cols["received_at"])
    undated = received.isna()
    if undated.any():
        ctx.drop(int(undated.sum()), "message without a reception time")
    out["received_at"] = received
    if first_response is not None:
        early = first_response < received
        if early.any():
            ctx.warn(f"{int(early.sum())} message(s) answered before they arrived (e.g. row {early[early].index[0]}); "
                     "their response time is left empty")
            first_response = first_response.where(~early)
        out["first_response_at"] = first_response
    if "resolved_at" in cols:
        resolved = ctx.dates(df, cols["resolved_at"])
        early = resolved < received
        if early.any():
            ctx.warn(f"{int(early.sum())} message(s) resolved before they arrived; resolution time left empty")
        out["resolved_at"] = resolved.where(~early)
    channel = text(df, cols.get("channel"))
    pk = _by_value(channel, channel_of)
    platform = pk.map(lambda t: t[0], na_action="ignore").fillna(_default_platform(ctx, "inbox")).astype("str")
    kind = pk.map(lambda t: t[1], na_action="ignore")
    if "kind" in cols:
        given = text(df, cols["kind"])
        named = given.str.strip().str.casefold().map(_KINDS)
        kind = named.where(named.notna(), kind)
    out["kind"] = kind.astype("str")
    out["author"] = text(df, cols.get("author"))
    out["text"] = text(df, cols.get("text"))
    if is_question is not None:
        out["is_question"] = is_question
    if is_complaint is not None:
        out["is_complaint"] = is_complaint
    out["topic"] = topic
    if "sentiment" in cols:
        out["sentiment"] = _by_value(text(df, cols["sentiment"]), sentiment_of).astype("str")
    out, platform = out[~undated], platform[~undated]
    return ctx.finish(out, platform, _accounts(df[~undated], cols, ctx, None))


@register
class Inbox(_CareFormat):
    id = "customer_care.inbox"
    label = "Customer-service inbox, the toolkit's CSV layout (message_id, channel, received_at, first_response_at...)"
    platform = "inbox"
    tables = ("inbox",)
    table = "inbox"
    aliases = INBOX

    def match(self, block: Block) -> float:
        return header_score(block, [{"message_id", "Message ID", "Identifiant du message", "ID message", "ID",
                                     "Identifiant"},
                                    {"received_at", "Received at", "Reçu le", "Date de réception"}],
                            optional=[a[0] for a in INBOX.values()],
                            forbidden=["Ticket ID", "review_id", "rating", "response_id", "post_id"])

    def build(self, df, cols, ctx):
        self.need(cols, ("received_at",), ctx, "reception time")
        return _inbox_frame(df, cols, ctx, _times(ctx, df, cols, "first_response_at"),
                            _flags(df, cols["is_question"], ctx) if "is_question" in cols else None,
                            _flags(df, cols["is_complaint"], ctx) if "is_complaint" in cols else None,
                            text(df, cols.get("topic")))


@register
class HelpDeskTickets(_CareFormat):
    id = "customer_care.tickets"
    label = "Help-desk ticket export (Zendesk/Freshdesk-like: Ticket ID, Channel/Via, Created at, First reply, Solved at, Tags)"
    platform = "inbox"
    tables = ("inbox",)
    table = "inbox"
    aliases = TICKETS

    def match(self, block: Block) -> float:
        return header_score(block, [set(TICKETS["message_id"]),
                                    set(TICKETS["received_at"]),
                                    set(TICKETS["first_response_at"] + TICKETS["first_reply_minutes"]
                                        + TICKETS["first_reply_hours"] + TICKETS["resolved_at"])],
                            optional=["Subject", "Tags", "Channel", "Via", "Source", "Status", "Priority", "Requester",
                                      "Ticket type", "Type", "Group", "Assignee", "Agent", "Solved at",
                                      "First reply at", "Objet", "Statut"],
                            forbidden=["message_id", "received_at", "review_id", "Campaign", "Post ID"])

    def build(self, df, cols, ctx):
        self.need(cols, ("message_id", "received_at"), ctx, "ticket id or creation time")
        received = ctx.dates(df, cols["received_at"])
        first = _times(ctx, df, cols, "first_response_at")
        if first is None and ("first_reply_minutes" in cols or "first_reply_hours" in cols):
            # Zendesk gives the delay in minutes, Freshdesk in hours (or h:mm:ss): add it to the creation time.
            if "first_reply_minutes" in cols:
                seconds = ctx.numbers(df, cols["first_reply_minutes"]) * 60
            else:
                seconds = _hours_as_seconds(df[cols["first_reply_hours"]], ctx, cols["first_reply_hours"])
            first = received + pd.to_timedelta(seconds, unit="s")
        labels = text(df, cols.get("tags")).fillna("") + " " + text(df, cols.get("type")).fillna("")
        known = text(df, cols.get("tags")).notna() | text(df, cols.get("type")).notna()
        is_question = labels.str.contains(_QUESTION).where(known).astype("boolean")
        is_complaint = labels.str.contains(_COMPLAINT).where(known).astype("boolean")
        body = text(df, cols.get("text"))
        if "subject" in cols:
            body = body.fillna(text(df, cols["subject"]))
        frame = df.copy()
        frame["__text__"] = body
        topic = text(df, cols.get("tags")) if "tags" in cols else text(df, cols.get("type"))
        cols = {**cols, "text": "__text__"}
        return _inbox_frame(frame, cols, ctx, first, is_question if known.any() else None,
                            is_complaint if known.any() else None, topic)


def _hours_as_seconds(s: pd.Series, ctx: ParseContext, col: str) -> pd.Series:
    clock = s.str.strip().str.fullmatch(r"\d+:\d{2}(?::\d{2})?", na=False)
    hours = ctx.numbers(pd.DataFrame({col: s.where(~clock, "")}), col) * 3600
    return hours.where(~clock, V.duration_seconds(s.where(clock, "")))


# --- reviews ------------------------------------------------------------------------------------------
def _reviews_frame(df, cols, ctx, platform: pd.Series | str, published: pd.Series,
                   replied: pd.Series | None) -> pd.DataFrame:
    out = pd.DataFrame(index=df.index)
    if "review_id" in cols:
        out["review_id"] = V.clean_id(df[cols["review_id"]])
    else:
        out["review_id"] = _hash_ids(df, "review id", ctx)
    out["published_at"] = published
    raw = text(df, cols["rating"]) if "rating" in cols else pd.Series(pd.NA, index=df.index, dtype="str")
    rating = _by_value(raw, rating_of).astype("float64")
    bad = raw.notna() & rating.isna()
    if bad.any():
        i = bad[bad].index[0]
        raise DataError(f"{int(bad.sum())} rating(s) such as {raw[i]!r} are not ratings (expected 1-5, '4/5', "
                        "'4,0' or stars)", ctx.source, int(i), cols["rating"])
    out["rating"] = rating
    for c in ("title", "text", "author", "reply"):
        out[c] = text(df, cols.get(c))
    if replied is not None:
        early = replied < published
        if early.any():
            ctx.warn(f"{int(early.sum())} review(s) answered before they were written; reply time left empty")
        out["replied_at"] = replied.where(~early)
    keep = out["review_id"].notna() & out["published_at"].notna()
    if (~keep).any():
        ctx.drop(int((~keep).sum()), "review without an id or a date")
    if isinstance(platform, pd.Series):
        platform = platform[keep]
    return ctx.finish(out[keep], platform, _accounts(df[keep], cols, ctx, None))


def _review_platform(value: str) -> str:
    v = value.strip().casefold()
    return _REVIEW_PLATFORMS.get(v, re.sub(r"\W+", "_", v).strip("_") or "reviews")


@register
class Reviews(_CareFormat):
    id = "customer_care.reviews"
    label = "Customer reviews, the toolkit's CSV layout (review_id, platform, rating, text, published_at, replied_at...)"
    platform = "reviews"
    tables = ("reviews",)
    table = "reviews"
    aliases = REVIEWS

    def match(self, block: Block) -> float:
        return header_score(block, [{"rating", "Rating", "Stars", "Note", "Étoiles", "Note sur 5"},
                                    {"published_at", "Published at", "Review date", "Date de l'avis", "Publié le",
                                     "Date"},
                                    {"text", "Review", "Avis", "Texte", "Commentaire", "Comment", "review_id",
                                     "Review ID"}],
                            optional=[a[0] for a in REVIEWS.values()] + ["Reply", "Réponse", "Platform", "Plateforme"],
                            forbidden=["review_rating", "starRating", "message_id", "received_at", "nps", "csat",
                                       "response_id", "Ticket ID", "Campaign", "Post ID"])

    def build(self, df, cols, ctx):
        self.need(cols, ("published_at", "rating"), ctx, "date or rating")
        default = _default_platform(ctx, self.platform)
        platform = _by_value(text(df, cols["platform"]), _review_platform).fillna(default).astype("str") \
            if "platform" in cols else default
        return _reviews_frame(df, cols, ctx, platform, ctx.dates(df, cols["published_at"]),
                              _times(ctx, df, cols, "replied_at"))


@register
class GoogleReviews(_CareFormat):
    id = "customer_care.google_reviews"
    label = "Google reviews export (review_rating, review_text, review_datetime_utc, owner_answer; or API starRating)"
    platform = "google"
    tables = ("reviews",)
    table = "reviews"
    aliases = GOOGLE

    def match(self, block: Block) -> float:
        return header_score(block, [{"review_rating", "starRating"}, {"review_text", "comment"},
                                    {"review_datetime_utc", "review_timestamp", "createTime"}],
                            optional=["review_id", "reviewId", "author_title", "owner_answer", "review_link",
                                      "owner_answer_timestamp_datetime_utc", "reviewReply.comment", "place_id",
                                      "google_id", "review_likes", "reviewer.displayName"])

    def build(self, df, cols, ctx):
        utc = "UTC"  # these exports give UTC times (the `_utc` columns, the API's `...Z`)
        if "published_at" in cols:
            published = ctx.dates(df, cols["published_at"], formats=GOOGLE_TIMES, naive_tz=utc)
        elif "published_epoch" in cols:
            published = _epoch(ctx.numbers(df, cols["published_epoch"]))
        else:
            raise DataError("no review date column", ctx.source)
        replied = None
        if "replied_at" in cols:
            replied = ctx.dates(df, cols["replied_at"], formats=GOOGLE_TIMES, naive_tz=utc)
        elif "replied_epoch" in cols:
            replied = _epoch(ctx.numbers(df, cols["replied_epoch"]))
        if "account" in cols and cols["account"] == "name" and df[cols["account"]].str.startswith("accounts/").any():
            cols = {k: v for k, v in cols.items() if k != "account"}  # the API's `name` is a resource path
        return _reviews_frame(df, cols, ctx, self.platform, published, replied)


GOOGLE_TIMES = ("%m/%d/%Y %H:%M:%S",)  # review_datetime_utc as scraping tools write it (month first)


def _epoch(seconds: pd.Series) -> pd.Series:
    return pd.to_datetime(seconds, unit="s", utc=True).astype(pd.DatetimeTZDtype(unit="ns", tz="UTC"))


# --- surveys ------------------------------------------------------------------------------------------
@register
class Surveys(_CareFormat):
    id = "customer_care.surveys"
    label = "Customer survey answers, the toolkit's CSV layout (response_id, submitted_at, nps, csat, channels, comment)"
    platform = "surveys"
    tables = ("surveys",)
    table = "surveys"
    aliases = SURVEYS

    def match(self, block: Block) -> float:
        return header_score(block, [{"nps", "csat", "NPS score", "Score NPS", "CSAT score", "Recommandation",
                                     "Note de recommandation", "Note de satisfaction", "Score de satisfaction"},
                                    {"response_id", "submitted_at", "Response ID", "Respondent ID", "Horodateur",
                                     "Timestamp", "ID réponse", "Date de soumission", "Submitted at"}],
                            optional=[a[0] for a in SURVEYS.values()] + ["Satisfaction", "Comment", "Commentaire"],
                            forbidden=["message_id", "review_id", "rating", "Ticket ID"])

    def build(self, df, cols, ctx):
        if not {"nps", "csat", "channels", "comment"} & set(cols):
            raise DataError("no nps, csat, channels or comment column; map them in audit.yml `sources[].columns`",
                            ctx.source)
        out = pd.DataFrame(index=df.index)
        out["response_id"] = V.clean_id(df[cols["response_id"]]) if "response_id" in cols else \
            _hash_ids(df, "response id", ctx)
        if "submitted_at" in cols:
            out["submitted_at"] = ctx.dates(df, cols["submitted_at"])
        for name, scale in (("nps", 10), ("csat", 5)):
            if name in cols:
                raw = text(df, cols[name])
                val = _by_value(raw, lambda v, s=scale: score_of(v, s)).astype("float64")
                bad = raw.notna() & val.isna()
                if bad.any():
                    i = bad[bad].index[0]
                    raise DataError(f"{int(bad.sum())} {name.upper()} value(s) such as {raw[i]!r} are not scores",
                                    ctx.source, int(i), cols[name])
                out[name] = val
        if "channels" in cols:
            out["channels"] = _by_value(text(df, cols["channels"]), channels_of).astype("str")
        out["comment"] = text(df, cols.get("comment"))
        keep = out["response_id"].notna()
        ctx.drop(int((~keep).sum()), "answer without a response id")
        return ctx.finish(out[keep], _default_platform(ctx, self.platform), _accounts(df[keep], cols, ctx, None))

