"""X / Twitter exports: legacy per-tweet and per-day files, 2024+ content and overview files.

Expected values below were read by hand from the raw files (real samples under ../shared/realdata,
fixtures under tests/fixtures/exports/x)."""
from __future__ import annotations

import pandas as pd
import pytest

from audit.config import load_config
from audit.ingest.pipeline import parse_file
from conftest import daily_value as daily, parse_ok as parse, write_config

X = "x"




def post(tables, post_id):
    p = tables["posts"]
    hit = p[p["post_id"] == post_id]
    assert len(hit) == 1
    return hit.iloc[0]


# --- real samples ---------------------------------------------------------------------------------------
def test_real_legacy_tweets(realdata):
    f = realdata / "twitter" / "debruine__30DCC-2022__tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    res, t = parse(f)
    assert res.formats == ["x.legacy_tweets"] and res.tables == {"posts": 356}
    p = post(t, "1423445172092866563")
    assert p["published_at"] == pd.Timestamp("2021-08-06 00:45", tz="UTC")
    assert (p["impressions"], p["engagements"], p["shares"], p["comments"], p["reactions"]) == (1020329, 77718, 1093, 194, 1190)
    assert p["link_clicks"] == 33374 and p["follows"] == 0 and not p["is_paid"]
    assert p["account"] == "LisaDeBruine" and p["platform"] == X
    assert p["exported_at"] == pd.Timestamp("2021-09-01", tz="UTC")
    assert p["text"].startswith("Oh, this was fun!") and "\n\nhttps://t.co/FhR4DR38OU" in p["text"]
    assert t["posts"]["post_id"].is_unique


def test_real_legacy_daily(realdata):
    f = realdata / "twitter" / "debruine__30DCC-2022__daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv"
    res, t = parse(f)
    assert res.formats == ["x.legacy_daily"]
    assert res.tables == {"account_daily": 31 * 11}  # 31 days x (tweets published + 10 metrics)
    assert daily(t, "2021-08-04", "posts_published") == 15
    assert daily(t, "2021-08-04", "impressions") == 22394
    assert daily(t, "2021-08-04", "engagements") == 1290
    assert daily(t, "2021-08-04", "reactions") == 96
    assert daily(t, "2021-08-04", "shares") == 5
    assert daily(t, "2021-08-04", "media_views") == 710
    assert set(t["account_daily"]["account"]) == {"LisaDeBruine"}  # handle from the file name


def test_real_new_content(realdata):
    f = realdata / "twitter" / "FG-SC__Wormhole-analytics__account_analytics_content_2024-11-21_2025-02-19.csv"
    res, t = parse(f)
    assert res.formats == ["x.content"] and res.tables == {"posts": 141}
    p = post(t, "1891472667636797659")
    # Date says "Mon Feb 17 2025"; the snowflake id gives the time: (id >> 22) + 1288834974657 ms.
    assert p["published_at"] == pd.Timestamp("2025-02-17 13:00:00.484", tz="UTC")
    assert (p["impressions"], p["reactions"], p["engagements"], p["comments"], p["shares"], p["saves"]) == (197, 10, 29, 1, 0, 0)
    last = post(t, "1874078422043127856")  # "Tue Dec 31 2024", Share 2, Reposts 1, Replies 9
    assert last["published_at"] == pd.Timestamp("2024-12-31 13:01:29.165", tz="UTC")
    assert (last["shares"], last["comments"], last["reactions"]) == (1, 9, 13)
    assert p["account"] == "Wormhole_BR" and p["exported_at"] == pd.Timestamp("2025-02-19", tz="UTC")
    assert not any("midnight" in w for w in res.warnings)


def test_real_new_overview(realdata):
    f = realdata / "twitter" / "FG-SC__Wormhole-analytics__account_overview_analytics.csv"
    res, t = parse(f)
    assert res.formats == ["x.overview"] and res.tables == {"account_daily": 50 * 13}
    # "Mon, Feb 17, 2025",426,18,49,1,0,2,0,1,2,4,2,0,0
    expected = {"impressions": 426, "reactions": 18, "engagements": 49, "saves": 1, "private_shares": 0,
                "followers_gained": 2, "followers_lost": 0, "comments": 1, "shares": 2, "profile_visits": 4,
                "posts_published": 2, "video_views": 0, "media_views": 0}
    for metric, value in expected.items():
        assert daily(t, "2025-02-17", metric) == value, metric
    assert t["account_daily"]["date"].max() == pd.Timestamp("2025-02-18")


# --- fixtures ---------------------------------------------------------------------------------------------
def test_legacy_favorites_promoted_and_lost_ids(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / X / "tweet_activity_metrics_acme_shop_20150901_20151001_en.csv")
    assert res.formats == ["x.legacy_tweets"] and res.tables == {"posts": 2}
    organic = post(t, "640000000000000001")
    assert organic["reactions"] == 10 and organic["text"] == "New shop opening!\nCome and see us"
    assert organic["is_paid"] == False  # noqa: E712 (pandas boolean)
    # The id was in scientific notation: rebuilt from the permalink. Promoted counts are added to organic ones.
    paid = post(t, "640000000000000002")
    assert paid["is_paid"] == True  # noqa: E712
    assert (paid["impressions"], paid["engagements"], paid["reactions"], paid["link_clicks"]) == (3500, 115, 25, 65)
    assert paid["shares"] == 7 and paid["follows"] == 2
    assert any("scientific notation were rebuilt" in w for w in res.warnings)


def test_legacy_id_lost_without_permalink_is_refused(tmp_path, fixtures_dir):
    src = (fixtures_dir / "exports" / X / "tweet_activity_metrics_acme_shop_20150901_20151001_en.csv").read_text()
    f = tmp_path / "tweets.csv"
    f.write_text(src.replace("https://twitter.com/acme_shop/status/640000000000000002", ""))
    res, tables = parse_file(f, "tweets.csv", None)
    assert res.status == "problems" and not tables
    assert "scientific notation" in res.errors[0] and "row 4" in res.errors[0]  # physical line: the first tweet spans two lines and "'Tweet id'" in res.errors[0]


def test_legacy_daily_favorites_and_promoted(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / X / "daily_tweet_activity_metrics_acme_shop_20150901_20151001_en.csv")
    assert res.formats == ["x.legacy_daily"]
    assert daily(t, "2015-09-01", "reactions") == 2
    assert daily(t, "2015-09-02", "impressions") == 3900  # 900 organic + 3000 promoted
    assert daily(t, "2015-09-02", "reactions") == 25
    assert daily(t, "2015-09-02", "follows") == 2
    assert set(t["account_daily"]["account"]) == {"acme_shop"}


def test_new_content_header_drift_and_snowflake_fallback(tmp_path, fixtures_dir):
    write_config(tmp_path)  # time zone Europe/Paris
    cfg = load_config(tmp_path)
    f = fixtures_dir / "exports" / X / "account_analytics_content_2025-03-01_2025-03-31.csv"
    res, t = parse(f, config=cfg)
    assert res.formats == ["x.content"] and res.tables == {"posts": 2}
    p = post(t, "1896946232325050514")
    assert p["published_at"] == pd.Timestamp("2025-03-04 15:30", tz="UTC")
    # `Post Link`, `Shares` (private shares: no post column), `URL Clicks`, thousands separators
    assert p["permalink"].endswith("/1896946232325050514")
    assert (p["impressions"], p["engagements"], p["link_clicks"], p["shares"], p["saves"]) == (1250, 1010, 900, 7, 3)
    assert p["account"] == "Brand"  # handle not in audit.yml: counted as the brand, with a warning
    old = post(t, "123456")  # not a snowflake: midnight of the exported day in the audit time zone
    assert old["published_at"] == pd.Timestamp("2025-03-03 00:00", tz="Europe/Paris").tz_convert("UTC")
    assert any("do not encode their date" in w for w in res.warnings)
    assert any("acme_shop" in w and "not listed" in w for w in res.warnings)


def test_new_overview_thousands_and_newest_first(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / X / "account_overview_analytics.csv")
    assert res.formats == ["x.overview"]
    assert daily(t, "2025-03-04", "impressions") == 1200
    assert daily(t, "2025-03-04", "media_views") == 2500
    assert daily(t, "2025-03-03", "followers_lost") == 2
    assert res.tables == {"account_daily": 2 * 13}


@pytest.mark.parametrize("name, fmt", [
    ("tweet_activity_metrics_acme_shop_20150901_20151001_en.csv", "x.legacy_tweets"),
    ("account_overview_analytics.csv", "x.overview"),
])
def test_recognised_by_content_not_name(tmp_path, fixtures_dir, name, fmt):
    f = tmp_path / "renamed.csv"
    f.write_bytes((fixtures_dir / "exports" / X / name).read_bytes())
    res, _ = parse(f)
    assert res.formats == [fmt]
