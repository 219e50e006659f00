"""YouTube Studio exports: Table data (by content, date and audience dimensions), Chart data, Totals,
CSV or zip. Real-sample values read by hand from ../shared/realdata/youtube; fixtures in
tests/fixtures/exports/youtube are written from the documented structure (invented channel)."""
from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from audit.ingest.pipeline import parse_file
from conftest import daily_value as daily, parse_ok as parse

YT = "youtube"
REAL = "RehanTharusha__complete-pandas-tutorial__"




# --- real samples (traffic-source trio) --------------------------------------------------------------
def test_real_table_by_traffic_source(realdata):
    res, t = parse(realdata / YT / f"{REAL}Table data.csv")
    assert res.formats == ["youtube.table"] and res.tables == {"audience": 15}
    assert res.dropped == [{"rows": 1, "reason": "Total row", "file": f"{REAL}Table data.csv"}]
    a = t["audience"].set_index("segment")
    assert set(a["dimension"]) == {"traffic_source"}
    # Total,489680,...  YouTube search,310588,...
    assert a.loc["YouTube search", "count"] == 310588
    assert a.loc["YouTube search", "share"] == pytest.approx(310588 / 489680)
    assert a.loc["Sound pages", "count"] == 4
    # the sources add up to 15 views less than the Total row, which stays the base of the shares
    assert a["count"].sum() == 489665 and a["share"].sum() == pytest.approx(489665 / 489680)


def test_real_chart_long_format(realdata):
    res, t = parse(realdata / YT / f"{REAL}Chart data.csv")
    assert res.formats == ["youtube.chart"] and res.tables == {"account_daily": 420}  # 28 days x 15 sources
    assert daily(t, "2025-03-05", "views[traffic_source=Direct or unknown]") == 488
    assert daily(t, "2025-03-05", "views[traffic_source=Browse features]") == 2571
    assert "views" not in set(t["account_daily"]["metric"])  # never mixed with the channel total


def test_real_totals(realdata):
    res, t = parse(realdata / YT / f"{REAL}Totals.csv")
    assert res.formats == ["youtube.totals"] and res.tables == {"account_daily": 28}
    assert daily(t, "2025-02-27", "views") == 16481
    assert daily(t, "2025-03-05", "views") == 16006


# --- fixtures -----------------------------------------------------------------------------------------------
@pytest.fixture()
def studio_zip(tmp_path, fixtures_dir):
    """The zip Studio hands out: one folder `<Report> <start>_<end> <Channel>` with the three CSVs."""
    z = tmp_path / "Content 2024-09-01_2024-09-20 Acme Coffee.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name in ("Table data.csv", "Chart data.csv", "Totals.csv"):
            zf.write(fixtures_dir / "exports" / YT / "content" / name, f"Content 2024-09-01_2024-09-20 Acme Coffee/{name}")
    return z


def test_zip_content_trio(studio_zip):
    res, t = parse(studio_zip)
    assert sorted(res.formats) == ["youtube.chart", "youtube.table", "youtube.totals"]
    assert res.tables == {"account_daily": 6, "posts": 3}
    p = t["posts"].set_index("post_id")
    assert list(p.index) == ["-aB3dE5fG7h", "_xY9zW8vU7t", "Q1w2E3r4T5y"]  # ' and leading space removed
    v = p.loc["-aB3dE5fG7h"]
    assert v["published_at"] == pd.Timestamp("2020-06-07", tz="UTC")
    assert (v["views"], v["video_views"], v["impressions"], v["reactions"], v["comments"], v["shares"]) == (1000, 1000, 20000, 60, 7, 5)
    assert v["engagements"] == 72 and v["follows"] == 10  # likes + comments + shares; net subscribers
    assert v["permalink"] == "https://www.youtube.com/watch?v=-aB3dE5fG7h" and v["post_type"] == "video"
    assert v["exported_at"] == pd.Timestamp("2024-09-20", tz="UTC")
    assert pd.isna(p.loc["_xY9zW8vU7t", "follows"])  # net -1 subscribers: follows gained unknown
    assert pd.isna(p.loc["Q1w2E3r4T5y", "published_at"])  # blank publish time
    assert set(t["posts"]["account"]) == {"Acme Coffee"}  # channel from the folder name
    assert daily(t, "2024-09-20", "views") == 126
    assert daily(t, "2024-09-20", "views[content=_xY9zW8vU7t]") == 120
    assert t["posts"]["source_file"].iloc[0].endswith("Acme Coffee/Table data.csv")


def test_age_buckets_en_dash_and_percent_shares(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / YT / "age_table.csv")
    assert res.formats == ["youtube.table"] and res.tables == {"audience": 4}
    a = t["audience"].set_index("age_band")
    assert list(a.index) == ["13-17", "18-24", "25-34", "65+"]
    assert a.loc["13-17", "segment"] == "13–17 years" and a.loc["25-34", "share"] == pytest.approx(0.455)
    assert set(a["dimension"]) == {"age"} and a["count"].isna().all()


def test_gender_table(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / YT / "gender_table.csv")
    a = t["audience"].set_index("segment")
    assert a.loc["Female", "gender"] == "female" and a.loc["User-specified", "gender"] == "other"
    assert a.loc["Male", "share"] == pytest.approx(0.613)


def test_cities_use_city_names(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / YT / "cities_table.csv")
    a = t["audience"].set_index("segment")
    assert set(a["dimension"]) == {"city"} and list(a.index) == ["Paris", "Lyon"]
    assert a.loc["Paris", "share"] == pytest.approx(600 / 900) and a.loc["Lyon", "count"] == 300


def test_table_by_date_durations_and_ctr(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / YT / "date_table.csv")
    assert res.formats == ["youtube.table"] and res.dropped[0]["reason"] == "Total row"
    assert daily(t, "2024-09-20", "views") == 126
    assert daily(t, "2024-09-20", "watch_time_hours") == pytest.approx(3.4)
    assert daily(t, "2024-09-20", "followers_net") == 2
    assert daily(t, "2024-09-20", "avg_view_duration_s") == 97  # 0:01:37
    assert daily(t, "2024-09-20", "impressions_ctr") == pytest.approx(0.046)  # 4.6 %


def test_totals_resaved_by_excel_day_first(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / YT / "Totals_resaved.csv")
    assert res.formats == ["youtube.totals"]
    assert daily(t, "2025-06-13", "views") == 50 and daily(t, "2025-06-14", "views") == 61


def test_totals_ambiguous_day_month_settled_by_consecutive_days(tmp_path):
    f = tmp_path / "Totals.csv"
    f.write_text("Date,Views\n05-06-2025,50\n06-06-2025,61\n07-06-2025,3\n")
    res, t = parse(f)
    assert daily(t, "2025-06-05", "views") == 50 and daily(t, "2025-06-07", "views") == 3
    assert any("consecutive days" in w for w in res.warnings)


def test_search_console_countries_is_not_a_youtube_table(tmp_path):
    # Country + Impressions look like a Studio table by geography; Clicks/CTR/Position say otherwise.
    f = tmp_path / "Countries.csv"
    f.write_text("Country,Clicks,Impressions,CTR,Position\nFrance,10,200,5%,3.2\n")
    res, _ = parse_file(f, "Countries.csv", None)
    assert not any(x.startswith("youtube.") for x in res.formats)
