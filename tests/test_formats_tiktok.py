"""TikTok exports: business-account daily overview, audience and per-video files (real samples in
../shared/realdata/tiktok, values read by hand), and TikTok Studio's CSVs (fixtures written from the
documented structure: yearless dates, `undefined`, `1.2K`, Spanish headers)."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from audit.config import load_config
from conftest import daily_value as daily, parse_ok as parse, write_config

TT = "tiktok"
REAL = "vsbperoto__vintage-analytics-dashboard__"




def fixture(fixtures_dir, name):
    return fixtures_dir / "exports" / TT / name


# --- real samples -------------------------------------------------------------------------------------------
def test_real_business_overview(realdata):
    res, t = parse(realdata / TT / f"{REAL}TIKTOK_RAW.csv")
    assert res.formats == ["tiktok.business_overview"]
    assert res.tables == {"account_daily": 62 * 11 - 1}  # 62 days x 11 metrics, one `NAN` (reach on 10/31)
    # 2025/11/01,75155,75134,539,845,244,58,0,0,100,100,0
    expected = {"video_views": 75155, "reach": 75134, "profile_visits": 539, "reactions": 845, "shares": 244,
                "comments": 58, "phone_clicks": 0, "leads": 0, "followers_net": 100, "followers_gained": 100,
                "followers_lost": 0}
    for metric, value in expected.items():
        assert daily(t, "2025-11-01", metric) == value, metric
    d = t["account_daily"]
    assert d[(d["date"] == "2025-10-31") & (d["metric"] == "reach")].empty  # NAN
    assert "phone_clicks" in set(d["metric"])  # `Phone number clicks ` with its trailing space


def test_real_business_audience(realdata):
    res, t = parse(realdata / TT / f"{REAL}TIKTOK_AUDIENCE_RAW.csv")
    assert res.formats == ["tiktok.business_audience"]
    assert res.tables == {"account_daily": 62 + 61 + 61}  # Total followers all `--`; first day NAN
    assert daily(t, "2025-11-01", "followers_gained") == 100
    assert daily(t, "2025-11-01", "reach") == 75134
    assert daily(t, "2025-11-01", "engaged_audience") == 1801
    assert "followers" not in set(t["account_daily"]["metric"])


def test_real_business_videos(realdata):
    res, t = parse(realdata / TT / f"{REAL}TIKTOK_VIDEO_RAW.csv")
    assert res.formats == ["tiktok.business_videos"] and res.tables == {"posts": 51}
    p = t["posts"].set_index("post_id")
    v = p.loc["7567452112981069079"]  # 2025/10/31 18:19:10,172353,1774,42,413,180
    assert v["published_at"] == pd.Timestamp("2025-10-31 18:19:10", tz="UTC")
    assert (v["views"], v["reactions"], v["comments"], v["shares"], v["saves"]) == (172353, 1774, 42, 413, 180)
    assert v["engagements"] == 2409 and v["account"] == "vintagerest.bg"
    assert v["text"].startswith("Нормален следобед в Плевен")
    # Post time is UTC: it matches the upload time in every video id within a minute
    from audit.ingest.formats._social import tiktok_id_time
    gap = (t["posts"]["published_at"] - tiktok_id_time(t["posts"]["post_id"])).abs()
    assert gap.max() < pd.Timedelta(minutes=1)


# --- business fixtures -------------------------------------------------------------------------------------
def test_business_files_placeholders_and_trailing_space(fixtures_dir):
    _, t = parse(fixture(fixtures_dir, "business_overview.csv"))
    assert daily(t, "2025-03-02", "followers_net") == -2 and daily(t, "2025-03-02", "phone_clicks") == 1
    _, a = parse(fixture(fixtures_dir, "business_audience.csv"))
    assert daily(a, "2025-03-02", "followers") == 2041 and len(a["account_daily"]) == 5
    _, v = parse(fixture(fixtures_dir, "business_videos.csv"))
    p = v["posts"].set_index("post_id")
    assert p.loc["7589004920060012721", "text"] == "Two\nlines" and p.loc["7589004920060012721", "views"] == 1500
    assert pd.isna(p.loc["7589004920060012721", "shares"])  # `--`
    assert p.loc["7589004920060012721", "engagements"] == 105


# --- Studio fixtures ---------------------------------------------------------------------------------------
def test_studio_overview_year_from_file_name_and_rollover(fixtures_dir):
    res, t = parse(fixture(fixtures_dir, "Overview_2025-01-02.csv"))
    assert res.formats == ["tiktok.studio_overview"] and res.tables == {"account_daily": 4 * 5}
    assert daily(t, "2024-12-30", "video_views") == 1200  # "1.2K"
    assert daily(t, "2025-01-01", "video_views") == 2310  # "2,310"
    assert daily(t, "2025-01-02", "profile_visits") == 0
    assert any("no year" in w and "file name" in w for w in res.warnings)


def test_studio_overview_newest_first_rollover(tmp_path, fixtures_dir):
    lines = fixture(fixtures_dir, "Overview_2025-01-02.csv").read_text().splitlines()
    f = tmp_path / "Overview_2025-01-02.csv"
    f.write_text("\n".join([lines[0]] + lines[:0:-1]) + "\n")
    _, t = parse(f)
    assert sorted(t["account_daily"]["date"].unique()) == list(pd.to_datetime(
        ["2024-12-30", "2024-12-31", "2025-01-01", "2025-01-02"]))


def test_studio_spanish_year_from_audit_period(tmp_path, fixtures_dir):
    write_config(tmp_path, period="{start: 2025-01-01, end: 2025-12-31}")
    res, t = parse(fixture(fixtures_dir, "Overview_es.csv"), config=load_config(tmp_path))
    assert res.formats == ["tiktok.studio_overview"]
    assert daily(t, "2025-02-10", "video_views") == 120 and daily(t, "2025-02-11", "shares") == 1
    assert any("audit period" in w for w in res.warnings)


def test_studio_without_context_uses_today_and_says_so(fixtures_dir):
    res, t = parse(fixture(fixtures_dir, "FollowerHistory.csv"))
    assert res.formats == ["tiktok.studio_follower_history"]
    days = t["account_daily"]["date"]
    assert days.max() <= pd.Timestamp(dt.date.today()) and days.max() > pd.Timestamp(dt.date.today()) - pd.Timedelta(days=366)
    assert any("today" in w for w in res.warnings)


def test_studio_follower_history_undefined(tmp_path, fixtures_dir):
    f = tmp_path / "FollowerHistory_2025-11-01.csv"
    f.write_bytes(fixture(fixtures_dir, "FollowerHistory.csv").read_bytes())
    _, t = parse(f)
    assert daily(t, "2025-10-31", "followers") == 1512 and daily(t, "2025-11-01", "followers_net") == -3
    d = t["account_daily"]
    assert d[(d["date"] == "2025-10-30") & (d["metric"] == "followers_net")].empty  # `undefined`


def test_studio_viewers_and_activity(tmp_path, fixtures_dir):
    f = tmp_path / "Viewers 2025-11-01.csv"
    f.write_bytes(fixture(fixtures_dir, "Viewers.csv").read_bytes())
    _, t = parse(f)
    assert daily(t, "2025-11-01", "viewers") == 60 and daily(t, "2025-10-31", "returning_viewers") == 12
    res, tables = parse(fixture(fixtures_dir, "FollowerActivity.csv"))
    assert res.formats == ["tiktok.studio_follower_activity"] and tables == {}


def test_studio_content_times_from_video_ids(fixtures_dir):
    res, t = parse(fixture(fixtures_dir, "Content.csv"))
    assert res.formats == ["tiktok.studio_content"] and res.tables == {"posts": 3}
    p = t["posts"].set_index("post_id")
    new = p.loc["7591049753989638321"]  # "January 3"; id >> 32 = 2026-01-03 08:30 UTC
    assert new["published_at"] == pd.Timestamp("2026-01-03 08:30", tz="UTC")
    assert p.loc["7589004920060012721", "published_at"] == pd.Timestamp("2025-12-28 20:15", tz="UTC")
    assert (new["reactions"], new["views"], new["comments"]) == (1200, 25400, 34)  # "1.2K", "25.4K"
    big = p.loc["7546202564478265521"]
    assert (big["reactions"], big["comments"], big["views"]) == (2_500_000, 1100, 10_200_000)
    # `Time` ("January 5") is the export day: the first January 5 on or after the newest upload
    assert set(t["posts"]["exported_at"]) == {pd.Timestamp("2026-01-05", tz="UTC")}
    assert set(t["posts"]["account"]) == {"acme.cafe"}


def test_studio_content_spanish_without_usable_ids(tmp_path, fixtures_dir):
    f = tmp_path / "Content_2026-01-05.csv"
    f.write_bytes(fixture(fixtures_dir, "Content_es.csv").read_bytes())
    res, t = parse(f)
    assert res.formats == ["tiktok.studio_content"]
    row = t["posts"].iloc[0]
    assert (row["post_id"], row["reactions"], row["comments"], row["shares"], row["views"]) == ("123", 12, 3, 1, 450)
    assert row["published_at"] == pd.Timestamp("2026-01-03", tz="UTC")  # "3 de enero", before "5 de enero"
    assert row["exported_at"] == pd.Timestamp("2026-01-05", tz="UTC")


def test_studio_audience_shares(fixtures_dir):
    res, t = parse(fixture(fixtures_dir, "FollowerGender.csv"))
    assert res.formats == ["tiktok.studio_follower_gender"]
    g = t["audience"].set_index("segment")
    assert g.loc["Female", "share"] == pytest.approx(0.59) and g.loc["Female", "gender"] == "female"
    assert g.loc["Other", "gender"] == "other"
    res, t = parse(fixture(fixtures_dir, "FollowerTopTerritories.csv"))
    c = t["audience"].set_index("segment")
    assert set(c["dimension"]) == {"country"} and c.loc["FR", "share"] == pytest.approx(0.852)


@pytest.mark.parametrize("cell, month, day", [
    ("October 1", 10, 1), ("Oct 1", 10, 1), ("1 October", 10, 1), ("10 de febrero", 2, 10), ("1er octobre", 10, 1),
    ("18 января", 1, 18), ("3 мая", 5, 3), ("9月16日", 9, 16), ("18 tháng 8", 8, 18), ("1. Oktober", 10, 1),
    ("Sept. 4", 9, 4), ("January 32", None, None), ("Hello", None, None), ("2025-10-01", None, None),
])
def test_month_day_without_year(cell, month, day):
    from audit.ingest.formats._social import month_day
    got = month_day(pd.Series([cell])).iloc[0]
    assert (None if pd.isna(got["month"]) else got["month"], None if pd.isna(got["day"]) else got["day"]) == (month, day)
