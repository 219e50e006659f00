"""Customer care and voice of the customer, in the toolkit's canonical CSV layouts: the social
inbox (messages and comments with their response times), shop and online-shop reviews, and a
short customer survey (NPS, CSAT, social channels used).

Planted: a quarter of the questions never get an answer; the team works Monday to Friday, so
weekend messages wait until Monday; the team's cost per handled contact is well under the call
centre's; and a handful of customer suggestions, verbatim from world.py."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from . import posts as P
from . import texts as T
from . import world as W
from .writers import CsvWriter

INBOX = ["message_id", "channel", "kind", "received_at", "first_response_at", "resolved_at", "author", "text",
         "is_question", "is_complaint", "topic", "sentiment"]
REVIEWS = ["review_id", "platform", "published_at", "rating", "title", "text", "author", "replied_at", "reply"]
SURVEY = ["response_id", "submitted_at", "nps", "csat", "channels", "comment"]
MESSAGES_PER_DAY = 10.0
OPEN_H, CLOSE_H = 9, 18  # the team's hours, Monday to Friday
SURVEY_WAVE = (dt.date(2026, 6, 8), dt.date(2026, 6, 28))
SURVEY_SIZE = 420
# share of respondents who use each platform; the brand is absent from Pinterest
SURVEY_CHANNELS = {"instagram": 0.62, "facebook": 0.38, "pinterest": 0.24, "tiktok": 0.19, "youtube": 0.10, "x": 0.05,
                   "linkedin": 0.04}


def iso(times) -> list[str]:
    """ISO 8601 with the Paris offset, unambiguous across the autumn clock change; '' for missing."""
    t = pd.DatetimeIndex(times)
    local = t.tz_localize(W.TZ, ambiguous=np.ones(len(t), bool), nonexistent="shift_forward")
    wall = local.tz_localize(None).to_numpy()
    offset = (wall - local.tz_convert("UTC").tz_localize(None).to_numpy()).astype("timedelta64[m]").astype(np.int64)
    text = np.datetime_as_string(wall, unit="s").tolist()
    missing = np.isnat(t.to_numpy()).tolist()
    return ["" if m else f"{s}+{o // 60:02d}:{o % 60:02d}" for s, o, m in zip(text, offset.tolist(), missing)]


def team_response(received: pd.DatetimeIndex, work_hours: np.ndarray) -> pd.DatetimeIndex:
    """When the team answers: `work_hours` of working time after the message, counting only
    Monday-Friday 9:00-18:00 (vectorised, in whole minutes of local time)."""
    t = received.to_numpy().astype("datetime64[m]").astype(np.int64)
    left = np.round(np.asarray(work_hours) * 60).astype(np.int64) + 1
    opening, closing = OPEN_H * 60, CLOSE_H * 60
    while (busy := left > 0).any():
        day, minute = np.divmod(t, 1440)
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday
        open_now = (weekday < 5) & (minute >= opening) & (minute < closing)
        # outside hours: jump to the next opening (later today, else the next working day)
        today = (weekday < 5) & (minute < opening)
        ahead = np.where(weekday == 4, 3, np.where(weekday == 5, 2, 1))
        nxt = np.where(today, day, day + ahead) * 1440 + opening
        jump = busy & ~open_now
        t[jump] = nxt[jump]
        work = busy & open_now
        use = np.minimum(left, closing - minute)
        t[work] += use[work]
        left[work] -= use[work]
    return pd.DatetimeIndex(t.astype("datetime64[m]").astype("datetime64[ns]"))


def inbox(out: Path, seed: int, scale: int) -> None:
    with CsvWriter(out / "service-client" / "inbox_export.csv", bom=True) as w:
        w.row(INBOX)
        for month in W.MONTHS:
            df = _inbox_month(seed, scale, month)
            times = [iso(df[c]) for c in ("received", "first", "resolved")]
            cols = [df[c].tolist() for c in ("message_id", "channel", "kind")] + times + \
                [df[c].tolist() for c in ("author", "text", "q", "c", "topic", "sentiment")]
            w.plain_rows(list(zip(*cols)))


def _inbox_month(seed: int, scale: int, month: pd.Timestamp) -> pd.DataFrame:
    r = W.rng(seed, "inbox", month.strftime(P.MONTH_KEY))
    days = W.month_days(month)
    lam = MESSAGES_PER_DAY * scale * W.season(days) * W.growth(days, 0.12) * (1 + 3 * W.crisis_mask(days))
    per_day = r.poisson(lam)
    n = int(per_day.sum())
    day = np.repeat(days.to_numpy(), per_day)
    hour = r.choice(24, n, p=_HOURS)
    received = pd.DatetimeIndex(day) + pd.to_timedelta(hour * 60 + r.integers(0, 60, n), unit="min")
    crisis = W.crisis_mask(pd.DatetimeIndex(day).normalize()) & (r.random(n) < 0.7)
    u = r.random(n)
    klass = np.where(u < 0.38, "question", np.where(u < 0.50, "complaint", "other"))
    klass[crisis] = np.where(r.random(int(crisis.sum())) < 0.6, "question", "complaint")
    channel = np.array(["facebook", "instagram", "x"])[r.choice(3, n, p=[0.35, 0.5, 0.15])]
    kind = np.where(r.random(n) < 0.55, "message", "comment")
    texts = {"question": T.fill(T.INBOX_QUESTION, r.integers(0, len(T.INBOX_QUESTION), n), r),
             "complaint": T.fill(T.INBOX_COMPLAINT, r.integers(0, len(T.INBOX_COMPLAINT), n), r),
             "other": T.fill(T.INBOX_OTHER, r.integers(0, len(T.INBOX_OTHER), n), r)}
    crisis_txt = T.fill(T.INBOX_CRISIS, r.integers(0, len(T.INBOX_CRISIS), n), r)
    text = [crisis_txt[i] if crisis[i] else texts[klass[i]][i] for i in range(n)]
    pick = r.random(n)
    topic = np.array([_topic(klass[i], pick[i]) for i in range(n)], dtype=object)
    topic[crisis] = "allergènes"

    answer_p = np.select([klass == "question", klass == "complaint"], [1 - W.UNANSWERED_QUESTIONS, 0.9], 0.35)
    answered = r.random(n) < answer_p
    work = r.lognormal(np.log(W.WEEKDAY_RESPONSE_HOURS), 0.8, n)
    first = team_response(received, work)
    resolved = first + pd.to_timedelta(np.round(r.lognormal(np.log(3.0), 0.9, n) * 60), unit="min")
    sentiment = np.select([klass == "complaint", klass == "other"], ["negative", "positive"], "neutral")
    df = pd.DataFrame({
        "received": received, "first": pd.Series(first).where(answered).to_numpy(),
        "resolved": pd.Series(resolved).where(answered & (klass != "other")).to_numpy(),
        "channel": channel, "kind": kind, "author": T.person(r, n), "text": text,
        "q": np.where(klass == "question", "true", "false"), "c": np.where(klass == "complaint", "true", "false"),
        "topic": topic, "sentiment": sentiment})
    df = pd.concat([df, _planted_suggestions(month)], ignore_index=True).sort_values("received", kind="stable")
    base = 7_000_000 + W.MONTHS.get_loc(month) * 1_000_000 * scale
    df["message_id"] = [f"MSG-{base + i}" for i in range(len(df))]
    return df.reset_index(drop=True)


def _topic(klass: str, u: float) -> str:
    options = T.TOPICS[klass]
    return options[int(u * len(options))]


SUGGESTION_DAYS = (dt.datetime(2025, 10, 14, 20, 12), dt.datetime(2026, 1, 22, 12, 40),
                   dt.datetime(2026, 4, 9, 18, 5), dt.datetime(2026, 6, 30, 21, 31), dt.datetime(2026, 9, 3, 7, 55))


def _planted_suggestions(month: pd.Timestamp) -> pd.DataFrame:
    rows = []
    for when, text, who in zip(SUGGESTION_DAYS, W.SUGGESTIONS_INBOX, ("Inès G.", "mathilde_roussel42", "Julien F.",
                                                                       "Aurélie M.", "bastien_caron77")):
        if pd.Timestamp(when).to_period("M").to_timestamp() == month:
            rows.append({"received": pd.Timestamp(when), "first": pd.NaT, "resolved": pd.NaT, "channel": "instagram",
                         "kind": "comment", "author": who, "text": text, "q": "false", "c": "false",
                         "topic": "autre", "sentiment": "positive"})
    return pd.DataFrame(rows)


def reviews(out: Path, seed: int, scale: int) -> None:
    with CsvWriter(out / "avis" / "avis_clients.csv", bom=True) as w:
        w.row(REVIEWS)
        seq = 0
        for month in W.MONTHS:
            r = W.rng(seed, "reviews", month.strftime(P.MONTH_KEY))
            days = W.month_days(month)
            crisis = W.crisis_mask(days)
            per_day = r.poisson(1.4 * scale * W.season(days) ** 0.5 * (1 + 2 * crisis))
            n = int(per_day.sum())
            day = np.repeat(days.to_numpy(), per_day)
            when = pd.DatetimeIndex(day) + pd.to_timedelta(r.integers(8 * 60, 22 * 60, n), unit="min")
            in_crisis = W.crisis_mask(pd.DatetimeIndex(day).normalize())
            p = np.where(in_crisis[:, None], [0.25, 0.1, 0.15, 0.15, 0.35], [0.52, 0.24, 0.10, 0.06, 0.08])
            stars = 5 - (p.cumsum(axis=1) < r.random(n)[:, None]).sum(axis=1)
            pos = T.fill(T.REVIEW_POSITIVE, r.integers(0, len(T.REVIEW_POSITIVE), n), r)
            mixed = T.fill(T.REVIEW_MIXED, r.integers(0, len(T.REVIEW_MIXED), n), r)
            neg = T.fill(T.REVIEW_NEGATIVE, r.integers(0, len(T.REVIEW_NEGATIVE), n), r)
            reply = T.fill(T.REPLIES, np.where(stars <= 2, 2, r.integers(0, 2, n)), r)
            platform = np.where(r.random(n) < 0.8, "google", "trustpilot")
            replied = r.random(n) < np.where(stars <= 2, 0.7, 0.45)
            reply_at = when + pd.to_timedelta(np.round(r.lognormal(np.log(40), 0.8, n)), unit="h")
            authors = T.person(r, n, handle_share=0.1)
            rows = []
            for i in range(n):
                text = pos[i] if stars[i] >= 4 else (mixed[i] if stars[i] == 3 else neg[i])
                rows.append((when[i], platform[i], int(stars[i]), "", text, authors[i],
                             reply_at[i] if replied[i] else None, reply[i] if replied[i] else ""))
            for when_s, stars_s, text in _review_suggestions(month):
                rows.append((when_s, "google", stars_s, "", text, "Camille P.", None, ""))
            rows.sort(key=lambda x: x[0])
            published = iso([x[0] for x in rows])
            replied_at = iso([x[6] for x in rows])
            for row, pub, rep in zip(rows, published, replied_at):
                seq += 1
                w.row([f"RV{seq:07d}", row[1], pub, row[2], row[3], row[4], row[5], rep, row[7]])


REVIEW_SUGGESTIONS = ((dt.datetime(2025, 11, 16, 17, 20), 5), (dt.datetime(2026, 2, 22, 11, 3), 4),
                      (dt.datetime(2026, 5, 10, 15, 45), 5), (dt.datetime(2026, 8, 2, 10, 30), 4))  # (when, stars)


def _review_suggestions(month: pd.Timestamp):
    for (when, stars), text in zip(REVIEW_SUGGESTIONS, W.SUGGESTIONS_REVIEWS):
        if pd.Timestamp(when).to_period("M").to_timestamp() == month:
            yield pd.Timestamp(when), stars, text


def survey(out: Path, seed: int, scale: int) -> None:
    r = W.rng(seed, "survey")
    n = SURVEY_SIZE * scale
    span = (pd.Timestamp(SURVEY_WAVE[1]) - pd.Timestamp(SURVEY_WAVE[0])).days + 1
    when = (pd.Timestamp(SURVEY_WAVE[0]) + pd.to_timedelta(r.integers(0, span * 24 * 60, n), unit="min")).sort_values()
    nps = np.clip(np.round(r.normal(7.9, 1.9, n)), 0, 10).astype(int)
    csat = np.clip(np.round(nps / 2.2 + r.normal(0.6, 0.6, n)), 1, 5).astype(int)
    names = list(SURVEY_CHANNELS)
    uses = r.random((n, len(names))) < np.array(list(SURVEY_CHANNELS.values()))
    comments = [T.SURVEY_COMMENTS[i] for i in r.integers(0, len(T.SURVEY_COMMENTS), n)]
    for k, text in enumerate(W.SUGGESTIONS_SURVEY):  # planted at fixed positions
        comments[(k + 1) * n // (len(W.SUGGESTIONS_SURVEY) + 1)] = text
    with CsvWriter(out / "enquete" / "enquete_satisfaction_juin_2026.csv", bom=True) as w:
        w.row(SURVEY)
        submitted = iso(when)
        for i in range(n):
            w.row([f"R{i + 1:05d}", submitted[i], int(nps[i]), int(csat[i]),
                   ";".join(p for p, u in zip(names, uses[i]) if u), comments[i]])


_HOURS = np.array([0.5, 0.3, 0.2, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4.5, 4.5, 5, 4.5, 4, 4, 4, 4.5, 5, 5.5, 6, 5.5, 3.5, 1.5])
_HOURS = _HOURS / _HOURS.sum()
