"""Facebook: legacy Page Insights exports (post and page level, CSV and Excel) and the UCI dataset.

Expected values were read by hand from the raw files: the real samples under ../shared/realdata
(opened in a text editor / csv module), the fixtures under tests/fixtures/exports/facebook (written by
tests/fixtures/exports/facebook/_make.py, whose tables list every cell)."""
from __future__ import annotations

import pandas as pd
import pytest

from audit.config import load_config
from audit.ingest.pipeline import parse_file
from audit.ingest.registry import best_format
from audit.ingest.sniff import blocks_from_bytes
from conftest import write_config

FB = "facebook"
LEGACY_POSTS = "Facebook Insights Data Export (Post Level) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv"
LEGACY_PAGE = "Facebook Insights Data Export - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv"


@pytest.fixture(scope="module")
def fixtures(fixtures_dir):
    return fixtures_dir / "exports" / "facebook"


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return load_config(write_config(tmp_path_factory.mktemp("client")))


def parse(path, config=None, rel=None, status="ok"):
    res, tables = parse_file(path, rel or path.name, config)
    assert res.status == status, res.errors
    return res, tables


def row(tables, table, **where):
    df = tables[table]
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == (pd.Timestamp(v) if k in ("date", "as_of") else v)
    hit = df[mask]
    assert len(hit) == 1, (where, hit)
    return hit.iloc[0]


def daily(tables, day, metric):
    return row(tables, "account_daily", date=day, metric=metric)["value"]


# --- real samples -----------------------------------------------------------------------------------------
def test_real_legacy_posts(realdata):
    res, t = parse(realdata / FB / f"johankitti__vicvisual__{LEGACY_POSTS}")
    assert res.formats == ["facebook.insights_posts"] and res.tables == {"posts": 170}
    assert res.encoding == "utf-8-sig"
    p = row(t, "posts", post_id="518995791497187_1110323039031123")
    # row 3: Posted 02/14/2016 12:40:16 AM (Pacific, PST = UTC-8)
    assert p["published_at"] == pd.Timestamp("2016-02-14 08:40:16", tz="UTC")
    assert (p["reach"], p["impressions"], p["clicks"], p["link_clicks"]) == (301, 537, 32, 7)
    # stories by action type: comment '', like 10, share '' -> 10, 0, 0
    assert (p["reactions"], p["comments"], p["shares"], p["engagements"]) == (10, 0, 0, 10)
    assert p["post_type"] == "photo" and not p["is_paid"] and p["video_views"] == 0
    assert p["source_row"] == 3 and p["platform"] == FB
    assert p["exported_at"] == pd.Timestamp("2016-02-15 08:00", tz="UTC")  # midnight Pacific on the name's end date
    v = row(t, "posts", post_id="518995791497187_1107861962610564")
    # stories comment 3, like 43, share 14; Organic Video Views (Total Count) 485, Paid (Total Count) 0;
    # the (Unique Users) copies (384, 0) must not be used
    assert (v["reactions"], v["comments"], v["shares"], v["engagements"]) == (43, 3, 14, 60)
    assert v["video_views"] == 485 and v["post_type"] == "video"
    assert (v["reach"], v["impressions"], v["clicks"], v["link_clicks"]) == (1115, 4882, 111, 9)
    assert t["posts"]["post_id"].is_unique


def test_real_legacy_page(realdata):
    res, t = parse(realdata / FB / f"johankitti__vicvisual__{LEGACY_PAGE}")
    assert res.formats == ["facebook.insights_page"] and res.encoding == "utf-8"
    d = t["account_daily"]
    assert d["date"].nunique() == 180 and d["date"].min() == pd.Timestamp("2015-08-19")
    assert (d.groupby("metric").size() <= 180).all()
    # the row of 1/1/2016, read by hand
    assert daily(t, "2016-01-01", "followers") == 1023
    assert daily(t, "2016-01-01", "followers_gained") == 0 and daily(t, "2016-01-01", "followers_lost") == 0
    assert daily(t, "2016-01-01", "engaged_users") == 30
    assert daily(t, "2016-01-01", "reach") == 599 and daily(t, "2016-01-01", "impressions") == 1176
    # 'Daily Logged-in Page Views' twice: (Total Count) 5, (Unique Users) 4
    assert daily(t, "2016-01-01", "page_views") == 5
    assert daily(t, "2015-08-19", "followers") == 771 and daily(t, "2016-02-14", "followers") == 1094
    # demographics: the last day that has them (2/13/2016; the 2/14 row is empty)
    a = t["audience"]
    assert set(a["as_of"]) == {pd.Timestamp("2016-02-13")}
    ag = a[a["dimension"] == "age_gender"]
    assert ag["count"].sum() == 1092 and ag["share"].sum() == pytest.approx(1)
    f = row(t, "audience", dimension="age_gender", segment="F.25-34")
    assert (f["count"], f["gender"], f["age_band"]) == (112, "female", "25-34")
    assert f["share"] == pytest.approx(112 / 1092)
    assert pd.isna(row(t, "audience", dimension="age_gender", segment="U.25-34")["gender"])
    se = row(t, "audience", dimension="country", segment="SE")
    assert se["count"] == 665 and se["share"] == pytest.approx(665 / 1055)
    assert {"age_gender", "country", "city", "language"} == set(a["dimension"])


def test_real_uci_dataset(realdata):
    res, t = parse(realdata / FB / "Flperez__RP_Practica1__dataset_Facebook.csv")
    assert res.formats == ["facebook.uci_metrics"] and res.tables == {"posts": 496}
    p = t["posts"]
    first = p.iloc[0]  # 139441;Photo;2;12;4;3;0;2752;5091;178;109;159;3078;1640;119;4;79;17;100
    assert (first["reach"], first["impressions"], first["clicks"]) == (2752, 5091, 159)
    assert (first["comments"], first["reactions"], first["shares"], first["engagements"]) == (4, 79, 17, 100)
    assert first["post_type"] == "photo" and first["is_paid"] == False  # noqa: E712
    # month 12, weekday 4 (Wednesday: 1 = Sunday), hour 3, the first row: Wednesday 31 December 2014, 3 am Pacific
    assert first["published_at"] == pd.Timestamp("2014-12-31 11:00", tz="UTC")
    assert p["published_at"].notna().all()
    local = p["published_at"].dt.tz_convert("America/Los_Angeles")
    assert (local.dt.month.to_numpy() == pd.read_csv(
        realdata / FB / "Flperez__RP_Practica1__dataset_Facebook.csv", sep=";")["Post Month"].to_numpy()).all()
    assert p["published_at"].is_monotonic_decreasing
    last = p.iloc[-1]  # 81370;Photo;2;1;4;4;;4188;... : Paid is empty
    assert pd.isna(last["is_paid"]) and last["reach"] == 4188
    assert p["post_id"].is_unique and p["post_id"].str.startswith("uci-").all()
    assert any("2014" in w for w in res.warnings)


# --- fixtures: legacy post level ----------------------------------------------------------------------------
def test_legacy_posts_2017_layout(fixtures, config):
    f = fixtures / "Facebook Insights Data Export (Post Level) - Acme Bakery - 2017-03-31.csv"
    res, t = parse(f, config)
    assert res.formats == ["facebook.insights_posts"] and res.tables == {"posts": 3}
    assert res.dropped[0]["rows"] == 1 and "post id" in res.dropped[0]["reason"]
    link = row(t, "posts", post_id="111111111111111_222222222222221")
    assert link["published_at"] == pd.Timestamp("2017-03-30 16:15", tz="UTC")  # 9:15 am PDT
    assert (link["reactions"], link["comments"], link["shares"], link["engagements"]) == (45, 4, 6, 55)
    assert (link["clicks"], link["link_clicks"], link["is_paid"]) == (70, 30, False)
    video = row(t, "posts", post_id="111111111111111_222222222222222")
    # Organic Video Views: (Unique Users) 800 comes first, (Total Count) 1000 second; Paid: Total 900 first
    assert video["video_views"] == 1000 + 900
    assert (video["reactions"], video["comments"], video["shares"]) == (120, 0, 30)
    assert video["is_paid"] and video["link_clicks"] == 0 and video["text"] == "Behind the scenes\nat 5 am"
    assert video["published_at"] == pd.Timestamp("2017-03-29 01:05", tz="UTC")
    status = row(t, "posts", post_id="111111111111111_222222222222223")
    assert status["published_at"] == pd.Timestamp("2017-03-02 07:59:59", tz="UTC")  # PST, before DST
    assert status["engagements"] == 0 and status["post_type"] == "status"
    assert (t["posts"]["exported_at"] == pd.Timestamp("2017-03-31 07:00", tz="UTC")).all()
    assert (t["posts"]["account"] == "Brand").all()  # the page is not in audit.yml: the brand's, with a warning
    assert any("Acme Bakery" in w for w in res.warnings)


def test_legacy_posts_without_description_row(fixtures, tmp_path):
    raw = (fixtures / "Facebook Insights Data Export (Post Level) - Acme Bakery - 2017-03-31.csv").read_bytes()
    lines = raw.split(b"\r\n")
    f = tmp_path / "posts.csv"
    f.write_bytes(b"\r\n".join(lines[:1] + lines[2:]))
    res, t = parse(f)
    video = row(t, "posts", post_id="111111111111111_222222222222222")
    # without the description row the first copies are read (Unique 800 + Total 900) and the user is told
    assert video["video_views"] == 800 + 900
    assert any("description row" in w for w in res.warnings)


def test_legacy_posts_xlsx_folds_breakdown_sheets(fixtures):
    res, t = parse(fixtures / "Facebook Insights Data Export (Post Level) - Acme Bakery - 2020-10-31.xlsx")
    assert res.formats == ["facebook.insights_posts", "facebook.insights_sheet"]
    assert res.tables == {"posts": 2}
    a = row(t, "posts", post_id="333_1")
    # "Lifetime Post Stories by act..." sheet: comment 2, like 30, share 4; consumptions sheet: link clicks 12
    assert (a["reactions"], a["comments"], a["shares"], a["engagements"], a["link_clicks"]) == (30, 2, 4, 36, 12)
    assert (a["reach"], a["impressions"], a["clicks"], a["is_paid"]) == (1000, 1500, 40, False)
    assert a["published_at"] == pd.Timestamp("2020-10-30 15:00", tz="UTC")  # a date cell, 8 am PDT
    b = row(t, "posts", post_id="333_2")
    assert (b["reactions"], b["comments"], b["shares"], b["link_clicks"], b["is_paid"]) == (10, 0, 0, 0, True)
    assert b["published_at"] == pd.Timestamp("2020-10-30 02:30", tz="UTC")  # text cell 07:30 PM PDT
    assert t["posts"]["source_file"].str.endswith("!Key Metrics").all()


# --- fixtures: legacy page level ------------------------------------------------------------------------------
def test_legacy_page_cp1252_duplicates_and_audience(fixtures):
    res, t = parse(fixtures / "Facebook Insights Data Export - Acme Bakery - 2014-01-01 - 2014-01-05.csv")
    assert res.encoding == "cp1252" and res.formats == ["facebook.insights_page"]
    assert daily(t, "2014-01-02", "followers") == 503
    assert daily(t, "2014-01-02", "followers_gained") == 4 and daily(t, "2014-01-02", "followers_lost") == 1
    assert daily(t, "2014-01-02", "engaged_users") == 25 and daily(t, "2014-01-02", "reach") == 410
    # 'Daily Logged-in Page Views': (Unique Users) 6 first, (Total Count) 9 second: the total is kept
    assert daily(t, "2014-01-02", "page_views") == 9
    assert daily(t, "2014-01-01", "impressions") == 0  # the early all-zero rows are real zeros
    assert not (t["account_daily"]["metric"] == "reach_weekly").any()
    a = t["audience"]
    assert set(a["as_of"]) == {pd.Timestamp("2014-01-04")}  # the 1/5 row has no demographics
    f = row(t, "audience", segment="F.25-34")
    assert f["count"] == 102 and f["share"] == pytest.approx(102 / 191)
    city = row(t, "audience", dimension="city", segment="A Coruña, Galicia, Spain")
    assert city["count"] == 32 and city["share"] == pytest.approx(32 / 44)
    assert row(t, "audience", dimension="country", segment="FR")["share"] == pytest.approx(42 / 165)


def test_legacy_page_xls_workbook(fixtures):
    res, t = parse(fixtures / "Facebook Insights Data Export - Acme Bakery - 2018-08-13.xls")
    assert res.formats == ["facebook.insights_page", "facebook.insights_sheet"]
    assert daily(t, "2018-08-12", "followers") == 2004 and daily(t, "2018-08-11", "followers_gained") == 5
    assert daily(t, "2018-08-12", "impressions") == 1600
    f = row(t, "audience", dimension="age_gender", segment="F.25-34")
    assert f["as_of"] == pd.Timestamp("2018-08-12") and f["share"] == pytest.approx(501 / 1506)
    assert row(t, "audience", dimension="country", segment="FR")["share"] == pytest.approx(1200 / 1450)
    assert any("Daily Positive Feedback" in w for w in res.warnings)


# --- fixtures: UCI copies ---------------------------------------------------------------------------------------
def test_uci_spanish_header_cp1252_cr_only(fixtures):
    res, t = parse(fixtures / "dataset_Facebook_es.csv")
    assert res.encoding == "cp1252" and res.formats == ["facebook.uci_metrics"]
    p = t["posts"]
    local = p["published_at"].dt.tz_convert("America/Los_Angeles").dt.strftime("%Y-%m-%d %H:%M").tolist()
    # Tue 25 Feb 10:00 and 04:00 (same day, hours descend), Sun 23 Feb, Sun 16 Feb (hour 12 > 9: a week
    # earlier), then January: Friday 31 Jan twice
    assert local == ["2014-02-25 10:00", "2014-02-25 04:00", "2014-02-23 09:00", "2014-02-16 12:00",
                     "2014-01-31 08:00", "2014-01-31 08:00"]
    first = p.iloc[0]
    assert (first["comments"], first["reactions"], first["shares"], first["engagements"]) == (2, 50, 8, 60)
    assert p.iloc[1]["is_paid"] and pd.isna(p.iloc[4]["is_paid"])
    # identical rows stay two posts, with stable ids
    assert p["post_id"].is_unique and p.iloc[5]["post_id"] == p.iloc[4]["post_id"] + "-2"


def test_uci_ids_do_not_depend_on_delimiter_or_language(fixtures):
    _, es = parse(fixtures / "dataset_Facebook_es.csv")
    res, en = parse(fixtures / "dataset_Facebook_sorted.csv")
    assert set(en["posts"]["post_id"]) <= set(es["posts"]["post_id"])
    # this copy was re-sorted: days cannot be recovered, and the user is told why
    assert en["posts"]["published_at"].isna().all()
    assert any("reordered" in w for w in res.warnings)


def test_uci_does_not_steal_legacy_post_exports():
    header = "Post ID,Posted,Post Month,Post Weekday,Post Hour,Lifetime Post Total Reach\n1_2,01/01/2014 10:00:00 AM,1,4,10,5\n"
    fmt, _ = best_format(blocks_from_bytes(header.encode(), "x.csv")[0])
    assert fmt.id == "facebook.insights_posts"


def test_legacy_posts_export_limit_is_reported(fixtures, tmp_path):
    lines = (fixtures / "Facebook Insights Data Export (Post Level) - Acme Bakery - 2017-03-31.csv") \
        .read_bytes().decode("utf-8-sig").split("\r\n")
    post = lines[2].split(",", 1)[1]
    body = [f"111111111111111_{i}," + post for i in range(500)]
    f = tmp_path / "posts.csv"
    f.write_text("\r\n".join(lines[:2] + body) + "\r\n", encoding="utf-8-sig")
    res, t = parse(f)
    assert res.tables == {"posts": 500} and any("export limit" in w for w in res.warnings)
    res, _ = parse(fixtures / "Facebook Insights Data Export (Post Level) - Acme Bakery - 2017-03-31.csv")
    assert not any("export limit" in w for w in res.warnings)


def test_uci_header_only_is_recognised_and_empty(fixtures, tmp_path):
    header = (fixtures / "dataset_Facebook_es.csv").read_bytes().split(b"\r")[0]
    f = tmp_path / "uci.csv"
    f.write_bytes(header + b"\r")
    res, t = parse(f)
    assert res.formats == ["facebook.uci_metrics"] and t == {} and not res.errors
