"""Customer-service formats → inbox, reviews, surveys. No real export of these exists: the fixtures
under fixtures/exports/customer_care/ follow the layouts documented in docs/formats.md and two common
tool layouts (a help-desk ticket export, a Google reviews export), with invented names. Expected
values were read off the files by hand (times are Europe/Paris unless the file says otherwise)."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from audit.config import AuditConfig
from audit.ingest.formats import customer_care as C
from audit.ingest.pipeline import parse_file

FIX = Path(__file__).parent / "fixtures" / "exports" / "customer_care"


def config(**extra) -> AuditConfig:
    return AuditConfig.model_validate({
        "client": "Lumen", "objectives": ["customer_service"], "timezone": "Europe/Paris",
        "brand": {"name": "Lumen Cosmetics", "keywords": ["lumen"], "accounts": {"reviews": ["Lumen Cosmetics Paris"]}},
        "competitors": [{"name": "Verdane", "accounts": {"reviews": ["Verdane Lyon"]}}],
        **extra})


def parse(name: str, cfg: AuditConfig | None = None, path: Path | None = None):
    path = path or FIX / name
    res, tables = parse_file(path, path.name, cfg or config())
    return res, tables


def ts(s: str) -> pd.Timestamp:
    return pd.Timestamp(s, tz="UTC")


# --- inbox --------------------------------------------------------------------------------------------
def test_inbox_canonical_layout():
    res, t = parse("inbox.csv")
    assert res.formats == ["customer_care.inbox"] and res.status == "ok"
    assert res.dropped == [{"rows": 1, "reason": "message without an id", "file": "inbox.csv"}]
    m = t["inbox"].set_index("message_id")
    assert len(m) == 6
    r = m.loc["fb-1001"]  # 09:12 → 09:40 Paris (UTC+1): answered in 28 minutes
    assert (r.platform, r.kind, r.account) == ("facebook", "message", "Lumen Cosmetics")
    assert r.received_at == ts("2024-03-04 08:12") and r.first_response_at == ts("2024-03-04 08:40")
    assert r.resolved_at == ts("2024-03-04 09:05")
    assert (r.is_question, r.is_complaint, r.topic, r.sentiment) == (False, True, "delivery", "negative")
    assert m.platform.to_dict() == {"fb-1001": "facebook", "ig-2001": "instagram", "x-3001": "x", "mail-4001": "email",
                                    "fb-1002": "facebook", "fb-1003": "facebook"}
    assert m.loc["fb-1002", "kind"] == "message"  # empty kind: from the channel "Facebook Messenger"
    assert pd.isna(m.loc["x-3001", "first_response_at"])  # unanswered
    assert m.is_question.tolist() == [False, True, False, True, False, True]  # no/yes/false/1/0/yes
    # answered "before" it arrived: the response time is not trusted
    assert pd.isna(m.loc["fb-1003", "first_response_at"])
    assert any("answered before they arrived" in w for w in res.warnings)


def test_inbox_french_headers_after_excel_resave():
    res, t = parse("inbox_fr_excel.csv")
    assert res.formats == ["customer_care.inbox"] and res.encoding == "cp1252"
    m = t["inbox"].set_index("message_id")
    assert m.received_at.tolist() == [ts("2024-03-15 13:32"), ts("2024-03-16 08:05"), ts("2024-03-17 17:47")]
    assert m.kind.tolist() == ["message", "comment", "email"]  # message / commentaire / (courriel)
    assert m.platform.tolist() == ["facebook", "instagram", "email"]
    assert m.is_question.tolist() == [True, False, True] and m.is_complaint.tolist() == [True, False, False]
    assert m.sentiment.tolist() == ["negative", "positive", "neutral"]


def test_helpdesk_ticket_export():
    res, t = parse("tickets.csv")
    assert res.formats == ["customer_care.tickets"] and res.status == "ok"
    m = t["inbox"].set_index("message_id")
    assert m.index.tolist() == ["48213", "48214", "48215", "48216"]
    assert m.loc["48213", "first_response_at"] - m.loc["48213", "received_at"] == pd.Timedelta(minutes=28)
    assert m.platform.tolist() == ["facebook", "web", "email", "instagram"]
    assert m.kind.tolist() == ["message", "message", "email", "message"]
    assert m.text.tolist()[:2] == ["Order 4521 not delivered", "Is the serum vegan?"]  # the subject, no description
    assert m.is_complaint.tolist()[:3] == [True, False, False] and m.is_question.tolist()[:3] == [False, True, False]
    assert pd.isna(m.loc["48216", "is_question"])  # no tags, no type: unknown
    assert pd.isna(m.loc["48215", "resolved_at"])


def test_zendesk_style_reply_delay_in_minutes(tmp_path):
    p = tmp_path / "zendesk.csv"
    p.write_text("Id,Subject,Status,Via,Ticket type,Tags,Requester,Created at,Solved at,First reply time in minutes\n"
                 "901,Where is my parcel,solved,Facebook Post,question,shipping,Ana,2024-05-02 10:00:00,"
                 "2024-05-02 12:00:00,45\n"
                 "902,Broken jar,open,Voice,problem,complaint,Bo,2024-05-03 09:30:00,,\n")
    res, t = parse("", path=p)
    assert res.formats == ["customer_care.tickets"], res.errors
    m = t["inbox"].set_index("message_id")
    assert m.loc["901", "first_response_at"] == ts("2024-05-02 08:45")  # 10:00 Paris (UTC+2) + 45 min
    assert (m.loc["901", "platform"], m.loc["901", "kind"]) == ("facebook", "comment")
    assert (m.loc["902", "platform"], m.loc["902", "is_complaint"]) == ("phone", True)
    assert pd.isna(m.loc["902", "first_response_at"])


def test_inbox_mapped_in_audit_yml(tmp_path):
    p = tmp_path / "care" / "export.csv"
    p.parent.mkdir()
    p.write_text("Conv;Network;Opened;First answer;Customer;Body\n"
                 "c1;Instagram DM;2024-06-01 10:00;2024-06-01 10:20;ana;hello\n")
    cfg = config(sources=[{"match": "care/*.csv", "format": "customer_care.inbox", "columns": {
        "message_id": "Conv", "channel": "Network", "received_at": "Opened", "first_response_at": "First answer",
        "author": "Customer", "text": "Body"}}])
    res, t = parse_file(p, "care/export.csv", cfg)
    assert res.status == "ok", res.errors
    r = t["inbox"].iloc[0]
    assert (r.message_id, r.platform, r.kind, r.author) == ("c1", "instagram", "message", "ana")
    assert r.first_response_at - r.received_at == pd.Timedelta(minutes=20)


def test_inbox_without_reception_time_is_refused_with_the_setting_to_use(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Conv,Body\nc1,hello\n")
    cfg = config(sources=[{"match": "x.csv", "format": "customer_care.inbox", "columns": {"message_id": "Conv"}}])
    res, _ = parse_file(p, "x.csv", cfg)
    assert res.status == "problems" and "`received_at`" in res.errors[0]


# --- reviews ------------------------------------------------------------------------------------------
def test_reviews_canonical_layout_and_rating_styles():
    res, t = parse("reviews.csv")
    assert res.formats == ["customer_care.reviews"]
    m = t["reviews"].set_index("review_id")
    assert m.rating.to_dict() == {"g-01": 5.0, "g-02": 4.0, "tp-01": 4.0, "tp-02": 1.0, "fb-01": 3.0, "ta-01": 4.0}
    # 5 / "4/5" / "4,0" / 1 / ★★★☆☆ / 8/10
    assert m.platform.tolist() == ["google", "google", "trustpilot", "trustpilot", "facebook", "tripadvisor"]
    assert m.loc["g-01", "published_at"] == ts("2024-02-10 13:00")
    assert m.loc["g-01", "replied_at"] - m.loc["g-01", "published_at"] == pd.Timedelta(hours=19, minutes=30)
    assert pd.isna(m.loc["ta-01", "replied_at"]) and m.loc["ta-01", "reply"] == "Réponse datée d'avant l'avis"
    assert any("answered before they were written" in w for w in res.warnings)


def test_google_reviews_export_in_utc_with_places_as_accounts():
    res, t = parse("google_reviews.csv")
    assert res.formats == ["customer_care.google_reviews"] and res.status == "ok"
    m = t["reviews"].set_index("author")
    assert set(m.platform) == {"google"}
    assert m.loc["Camille R.", "published_at"] == ts("2024-02-10 14:00")  # review_datetime_utc (month first)
    assert m.loc["Camille R.", "replied_at"] == ts("2024-02-11 09:30")
    assert m.rating.tolist() == [5.0, 3.0, 2.0]
    assert m.account.to_dict() == {"Camille R.": "Lumen Cosmetics", "Hugo T.": "Lumen Cosmetics",
                                   "Nadia K.": "Verdane"}  # the place name, through audit.yml accounts
    assert pd.isna(m.loc["Hugo T.", "text"])


def test_google_business_profile_api_layout(tmp_path):
    p = tmp_path / "gbp.csv"
    p.write_text("name,reviewId,reviewer.displayName,starRating,comment,createTime,updateTime,reviewReply.comment,"
                 "reviewReply.updateTime\n"
                 "accounts/1/locations/2/reviews/AbC,AbC,Ana,FOUR,Nice shop,2024-04-01T10:00:00.123Z,"
                 "2024-04-01T10:00:00.123Z,Thanks!,2024-04-02T08:00:00Z\n")
    res, t = parse("", path=p)
    assert res.formats == ["customer_care.google_reviews"], res.errors
    r = t["reviews"].iloc[0]
    assert (r.review_id, r.rating, r.author, r.account) == ("AbC", 4.0, "Ana", "Lumen Cosmetics")
    assert r.replied_at == ts("2024-04-02 08:00")


def test_unreadable_rating_names_row_and_column(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("review_id,rating,text,published_at\nr1,5,ok,2024-01-01\nr2,great,ok,2024-01-02\n")
    res, _ = parse("", path=p)
    assert res.status == "problems"
    assert "row 3" in res.errors[0] and "'rating'" in res.errors[0] and "'great'" in res.errors[0]
    p.write_text("review_id,rating,text,published_at\nr1,7,ok,2024-01-01\n")  # out of the 1-5 scale
    res, _ = parse("", path=p)
    assert res.status == "problems" and "reviews.rating" in res.errors[0]


# --- surveys ------------------------------------------------------------------------------------------
def test_surveys_canonical_layout():
    res, t = parse("surveys.csv")
    assert res.formats == ["customer_care.surveys"]
    m = t["surveys"].set_index("response_id")
    assert m.nps.tolist()[:4] == [9.0, 6.0, 10.0, 3.0] and pd.isna(m.loc["r-005", "nps"])
    assert m.csat.tolist() == [5.0, 3.0, 5.0, 2.0, 4.0]  # 5 / "3/5" / Very satisfied / "2,0" / 4
    assert m.channels.tolist()[:3] == ["instagram;facebook", "facebook", "tiktok;instagram;youtube"]
    assert pd.isna(m.loc["r-004", "channels"]) and m.loc["r-005", "channels"] == "x"  # "None", "X (Twitter)"
    assert m.loc["r-001", "submitted_at"] == ts("2024-03-01 09:00")


def test_google_forms_survey_mapped_in_audit_yml():
    cfg = config(sources=[{"match": "google_forms_fr.csv", "format": "customer_care.surveys", "columns": {
        "submitted_at": "Horodateur",
        "nps": "Quelle est la probabilité que vous recommandiez Lumen à un proche ? (0 à 10)",
        "csat": "Êtes-vous satisfait(e) de votre dernier achat ?",
        "channels": "Sur quels réseaux nous suivez-vous ?", "comment": "Un commentaire ?"}}])
    res, t = parse("google_forms_fr.csv", cfg)
    assert res.status == "ok", res.errors
    m = t["surveys"]
    assert m.nps.tolist() == [9.0, 7.0, 2.0] and m.csat.tolist() == [5.0, 4.0, 1.0]
    assert m.submitted_at.tolist()[0] == ts("2024-03-15 13:32:05")  # 15/03/2024 14:32:05, day first
    assert m.response_id.is_unique and any("no response id column" in w for w in res.warnings)
    again = parse("google_forms_fr.csv", cfg)[1]["surveys"]
    assert again.response_id.tolist() == m.response_id.tolist()  # stable ids: re-exports de-duplicate


# --- value conventions --------------------------------------------------------------------------------
@pytest.mark.parametrize("raw,expected", [
    ("5", 5.0), ("4,0", 4.0), ("4.5", 4.5), ("4/5", 4.0), ("8/10", 4.0), ("★★★☆☆", 3.0), ("FIVE", 5.0),
    ("4 étoiles", 4.0), ("3 stars", 3.0), ("great", None), ("", None)])
def test_rating_of(raw, expected):
    assert C.rating_of(raw) == expected


@pytest.mark.parametrize("raw,scale,expected", [
    ("9", 10, 9.0), ("9/10", 10, 9.0), ("4/5", 5, 4.0), ("4,5", 5, 4.5), ("Très satisfait", 5, 5.0),
    ("Ni satisfait ni insatisfait", 5, 3.0), ("8/10", 5, 4.0), ("maybe", 10, None)])
def test_score_of(raw, scale, expected):
    assert C.score_of(raw, scale) == expected


@pytest.mark.parametrize("raw,expected", [
    ("Facebook", ("facebook", "message")), ("Facebook Post", ("facebook", "comment")),
    ("Instagram comment", ("instagram", "comment")), ("Twitter", ("x", "mention")), ("Twitter DM", ("x", "message")),
    ("Courriel", ("email", "email")), ("Web form", ("web", "message")), ("Chat", ("chat", "message")),
    ("Téléphone", ("phone", None)), ("WhatsApp", ("whatsapp", "message")), ("Carrier pigeon", ("carrier_pigeon", None))])
def test_channel_of(raw, expected):
    assert C.channel_of(raw) == expected


@pytest.mark.parametrize("raw,expected", [
    ("Facebook, Instagram", "facebook;instagram"), ("Insta / TikTok / insta", "instagram;tiktok"),
    ("Aucun", None), ("LinkedIn et YouTube", "linkedin;youtube"), ("X (Twitter)", "x")])
def test_channels_of(raw, expected):
    assert C.channels_of(raw) == expected


def test_customer_care_files_are_not_taken_for_other_formats():
    for name in ("inbox.csv", "tickets.csv", "reviews.csv", "google_reviews.csv", "surveys.csv"):
        res, _ = parse(name)
        assert len(res.formats) == 1 and res.formats[0].startswith("customer_care."), (name, res.formats)


def test_sources_platform_and_account_for_a_review_file_without_them(tmp_path):
    p = tmp_path / "rival_reviews.csv"
    p.write_text("review_id,rating,text,published_at\nr1,2,meh,2024-01-01\n")
    cfg = config(sources=[{"match": "rival_*.csv", "platform": "trustpilot", "account": "Verdane"}])
    res, t = parse_file(p, p.name, cfg)
    r = t["reviews"].iloc[0]
    assert (r.platform, r.account, r.rating) == ("trustpilot", "Verdane", 2.0)
