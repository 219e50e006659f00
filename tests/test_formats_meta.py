"""Meta Business Suite: content exports (Facebook, Instagram, videos), per-metric daily series and Audience.csv.

Expected values were read by hand from the raw files: the real samples under ../shared/realdata
(UTF-16 ones through `iconv -f utf-16`), the fixtures under tests/fixtures/exports/meta (written by
tests/fixtures/exports/facebook/_make.py, which lists every cell)."""
from __future__ import annotations

import pandas as pd
import pytest

from audit.config import load_config
from audit.ingest.pipeline import parse_file
from audit.ingest.registry import best_format
from audit.ingest.sniff import blocks_from_bytes
from conftest import write_config

MBS = "meta_business_suite"
LEON = "LeonMpofu__Oigetit-Social-Media-Reports__"


@pytest.fixture(scope="module")
def fixtures(fixtures_dir):
    return fixtures_dir / "exports" / "meta"


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    folder = tmp_path_factory.mktemp("client")
    (folder / "audit.yml").write_text(
        "client: Test\nbrand:\n  name: Acme\n  accounts:\n    facebook: [Acme Bakery]\n    instagram: [acme.bakery]\n"
        "objectives: [sales]\ntimezone: Europe/Paris\n", encoding="utf-8")
    return load_config(folder)


def parse(path, config=None, status="ok"):
    res, tables = parse_file(path, path.name, config)
    assert res.status == status, res.errors
    return res, tables


def row(tables, table, **where):
    df = tables[table]
    mask = pd.Series(True, index=df.index)
    for k, v in where.items():
        mask &= df[k] == (pd.Timestamp(v) if k == "date" else v)
    hit = df[mask]
    assert len(hit) == 1, (where, hit)
    return hit.iloc[0]


# --- real samples -----------------------------------------------------------------------------------------
def test_real_facebook_content(realdata):
    res, t = parse(realdata / MBS / f"{LEON}Jan-14-2025_Apr-14-2025_1396269028466733.csv")
    assert res.formats == ["meta.fb_content"] and res.tables == {"posts": 261}
    p = row(t, "posts", post_id="939005954986064")
    # Views 40, Reach 15, 'Reactions, Comments and Shares' 3, Reactions 2, Comments 1, Shares 0, Total clicks 0
    assert (p["views"], p["reach"], p["engagements"], p["reactions"], p["comments"], p["shares"], p["clicks"]) == \
        (40, 15, 3, 2, 1, 0, 0)
    assert p["published_at"] == pd.Timestamp("2025-02-16 05:14", tz="UTC")  # no audit.yml: UTC
    assert p["post_type"] == "photo" and p["text"].startswith("Six years into South Africa")
    assert "\n\nRead Full Article" in p["text"]  # multi-line caption kept whole
    assert p["account"] == "Oigetit Fake News Filter - South Africa" and p["platform"] == "facebook"
    assert p["exported_at"] == pd.Timestamp("2025-04-14", tz="UTC")
    assert t["posts"]["post_type"].value_counts().to_dict() == {"photo": 254, "reel": 6, "link": 1}


def test_real_facebook_content_overlapping_window(realdata):
    res, t = parse(realdata / MBS / f"{LEON}Mar-18-2025_Apr-14-2025_553302954456165.csv")
    assert res.formats == ["meta.fb_content"] and res.tables == {"posts": 48}
    p = row(t, "posts", post_id="960221266197866")
    assert (p["reach"], p["engagements"], p["reactions"], p["clicks"]) == (37, 2, 2, 2)
    # 'Reach from Boosted posts' is 0: organic
    assert p["is_paid"] == False  # noqa: E712
    # both 'Views' columns hold 0 for every post although reach does not: left empty, with a warning
    assert t["posts"]["views"].isna().all() and any("Views" in w for w in res.warnings)


def test_real_overlapping_exports_keep_one_complete_row(realdata):
    from audit.ingest.pipeline import deduplicate
    _, jan = parse(realdata / MBS / f"{LEON}Jan-14-2025_Apr-14-2025_1396269028466733.csv")
    _, mar = parse(realdata / MBS / f"{LEON}Mar-18-2025_Apr-14-2025_553302954456165.csv")
    both = pd.concat([mar["posts"], jan["posts"]], ignore_index=True)
    kept = deduplicate("posts", both)
    assert len(kept) == 261 and kept["post_id"].is_unique  # the 48 posts of March-April are in both
    # both exports end on 14 April and agree on every total they share; only the longer one filled Views,
    # only the shorter one has 3-second video views: the kept row has both, nothing is added up
    p = kept[kept["post_id"] == "960221266197866"].iloc[0]
    assert (p["reach"], p["views"], p["video_views"], p["engagements"]) == (37, 64, 0, 2)


def test_real_instagram_content(realdata):
    res, t = parse(realdata / MBS / f"{LEON}Mar-18-2025_Apr-14-2025_1019826952924933.csv")
    assert res.formats == ["meta.ig_content"] and res.tables == {"posts": 78}
    p = row(t, "posts", post_id="18068710030723886")
    # Views 166, Reach 152, Likes 1, Shares 0, Comments 0, Saves 0, Follows '' (empty)
    assert (p["views"], p["reach"], p["reactions"], p["shares"], p["comments"], p["saves"]) == (166, 152, 1, 0, 0, 0)
    assert p["engagements"] == 1 and pd.isna(p["follows"])
    assert p["post_type"] == "reel" and p["platform"] == "instagram" and p["account"] == "oigetit_sa"
    assert p["published_at"] == pd.Timestamp("2025-03-18 09:50", tz="UTC")
    assert t["posts"]["post_type"].value_counts().to_dict() == {"photo": 39, "reel": 38, "carousel": 1}


@pytest.mark.parametrize("name, metric, checks", [
    ("Reach", "reach", {"2025-01-01": 5, "2025-01-02": 14, "2025-04-15": 43}),
    ("Views", "views", {"2025-01-01": 16, "2025-01-03": 60, "2025-04-15": 77}),
    ("Visits", "profile_visits", {"2025-01-03": 8, "2025-04-15": 0}),
    ("Interactions", "engagements", {"2025-01-03": 1}),
    ("Follows", "followers_gained", {"2025-01-05": 1, "2025-01-06": 2, "2025-01-11": 5}),
])
def test_real_daily_series(realdata, name, metric, checks):
    res, t = parse(realdata / MBS / f"{LEON}{name}.csv")
    assert res.formats == ["meta.daily_series"] and res.tables == {"account_daily": 105} and res.encoding == "utf-16"
    d = t["account_daily"]
    assert set(d["metric"]) == {metric} and set(d["platform"]) == {"facebook"}
    # 1 January to 15 April 2025; the hour (T01:00 in winter, T00:00 from April) is dropped
    assert d["date"].min() == pd.Timestamp("2025-01-01") and d["date"].max() == pd.Timestamp("2025-04-15")
    assert d["date"].is_unique
    for day, value in checks.items():
        assert row(t, "account_daily", date=day)["value"] == value
    if name == "Follows":
        assert d["value"].sum() == 66


def test_real_audience(realdata):
    res, t = parse(realdata / MBS / f"{LEON}Audience.csv")
    assert res.formats == ["meta.audience"] and res.tables == {"audience": 32}
    a = t["audience"]
    assert a.groupby("dimension").size().to_dict() == {"age_gender": 12, "country": 10, "city": 10}
    w = row(t, "audience", dimension="age_gender", segment="25-34 women")
    assert (w["share"], w["gender"], w["age_band"]) == (pytest.approx(0.262), "female", "25-34")
    assert row(t, "audience", segment="65+ men")["share"] == pytest.approx(0.02)
    assert row(t, "audience", dimension="country", segment="South Africa")["share"] == pytest.approx(0.751)
    assert row(t, "audience", dimension="city", segment="Cape Town, South Africa")["share"] == pytest.approx(0.137)
    assert row(t, "audience", dimension="city", segment="Maputo, Mozambique")["share"] == pytest.approx(0.014)


# --- fixtures: content --------------------------------------------------------------------------------------
def test_facebook_content_fixture(fixtures, config):
    res, t = parse(fixtures / "Feb-01-2025_Feb-28-2025_100200300400500.csv", config)
    assert res.formats == ["meta.fb_content"] and res.tables == {"posts": 3}
    croissant = row(t, "posts", post_id="501")
    assert croissant["views"] == 1204 and croissant["text"] == "Croissant day!\nCome early"  # "1,204"
    assert croissant["published_at"] == pd.Timestamp("2025-02-14 07:30", tz="UTC")  # 08:30 in Europe/Paris
    assert croissant["account"] == "Acme" and croissant["is_paid"] == False  # noqa: E712
    reel = row(t, "posts", post_id="502")
    assert (reel["views"], reel["reach"], reel["engagements"], reel["video_views"]) == (12400, 9870, 410, 3100)
    assert pd.isna(reel["link_clicks"])  # '--'
    assert reel["post_type"] == "reel" and reel["is_paid"]
    assert reel["text"] == "Our new oven in action - watch till the end"  # Title repeats the Description's start
    link = row(t, "posts", post_id="503")
    assert pd.isna(link["text"]) and link["post_type"] == "link" and link["link_clicks"] == 25
    assert (t["posts"]["exported_at"] == pd.Timestamp("2025-02-27 23:00", tz="UTC")).all()


def test_instagram_content_wrapped_by_a_spreadsheet(fixtures, config):
    res, t = parse(fixtures / "INSTAGRAM_RAW.csv", config)
    assert res.formats == ["meta.ig_content"] and res.tables == {"posts": 2}
    brunch = row(t, "posts", post_id="1801")
    assert brunch["text"] == "Sunday brunch ☕\nBook your table, now\n\n#brunch"
    assert (brunch["views"], brunch["reach"], brunch["reactions"], brunch["shares"], brunch["comments"],
            brunch["saves"], brunch["follows"]) == (2500, 1800, 120, 14, 9, 30, 4)
    # no interactions column on Instagram: likes + comments + shares + saves
    assert brunch["engagements"] == 120 + 9 + 14 + 30
    assert brunch["account"] == "Acme" and brunch["platform"] == "instagram" and brunch["post_type"] == "reel"
    secret = row(t, "posts", post_id="1802")
    assert secret["text"] == 'A "secret" recipe' and secret["engagements"] == 45 + 3 + 2 + 11
    assert secret["post_type"] == "carousel" and pd.isna(secret["follows"])
    assert secret["source_row"] == 6  # physical line of the record in the wrapped file


def test_video_content_fixture(fixtures):
    res, t = parse(fixtures / "Mar-01-2025_Mar-31-2025_100200300400500.csv")
    assert res.formats == ["meta.video_content"] and res.tables == {"posts": 2}
    v = row(t, "posts", post_id="7001")
    assert (v["reach"], v["video_views"], v["engagements"], v["reactions"], v["comments"], v["shares"]) == \
        (2222, 1488, 27, 24, 1, 2)
    assert v["post_type"] == "video" and pd.isna(v["text"])
    assert row(t, "posts", post_id="7002")["text"] == "Oven tour"


def test_content_with_ids_in_scientific_notation_is_refused():
    text = ("Post ID,Page ID,Page name,Publish time,Reach\n1.22158E+17,900,Acme,02/14/2025 08:30,10\n"
            "1.22158E+17,900,Acme,02/15/2025 08:30,12\n")
    res, _ = parse_file_bytes(text.encode("utf-8-sig"), "posts.csv")
    assert res.status == "problems" and "scientific notation" in res.errors[0]


def parse_file_bytes(data: bytes, name: str, tmp=None):
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(data)
        return parse_file(p, name, None)


# --- fixtures: daily series ---------------------------------------------------------------------------------
def test_instagram_series_with_missing_days(fixtures):
    res, t = parse(fixtures / "IG_FOLLOWS.csv")
    d = t["account_daily"]
    assert set(d["platform"]) == {"instagram"} and set(d["metric"]) == {"followers_gained"}
    assert d["date"].dt.strftime("%m-%d").tolist() == ["03-01", "03-02", "03-05"]  # IG leaves days out
    assert d["value"].tolist() == [3, 5, 1]


def test_bare_reach_title_is_instagram_unless_audit_yml_says(fixtures, tmp_path):
    res, t = parse(fixtures / "Reach.csv")
    assert set(t["account_daily"]["platform"]) == {"instagram"} and any("does not name the platform" in w for w in res.warnings)
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "audit.yml").write_text("client: T\nbrand:\n  name: Acme\nobjectives: [sales]\n"
                                      "sources:\n  - match: Reach.csv\n    platform: facebook\n", encoding="utf-8")
    res, t = parse(fixtures / "Reach.csv", load_config(folder))
    assert set(t["account_daily"]["platform"]) == {"facebook"}


def test_comparison_column_is_ignored(fixtures):
    res, t = parse(fixtures / "Reach (1).csv")
    assert t["account_daily"]["value"].tolist() == [40, 42]
    assert any("Comparison" in w for w in res.warnings)


def test_early_2024_layout_metric_in_header_stacked(fixtures):
    res, t = parse(fixtures / "visits.csv")
    d = t["account_daily"]
    fb = d[d["platform"] == "facebook"]
    ig = d[d["platform"] == "instagram"]
    assert fb["value"].tolist() == [3, 0] and set(fb["metric"]) == {"followers_gained"}
    assert ig["value"].tolist() == [7, 2] and ig["date"].min() == pd.Timestamp("2024-02-01")


def test_page_likes_running_total_or_daily_new_is_told_by_the_values(tmp_path):
    def series(values):
        rows = "".join(f'"2024-02-{d:02d}T08:00:00","{v}"\r\n' for d, v in enumerate(values, start=1))
        f = tmp_path / "Page likes.csv"
        f.write_bytes(('sep=,\r\n"Date","Facebook Page likes"\r\n' + rows).encode("utf-16"))
        res, t = parse(f)
        return set(t["account_daily"]["metric"]), res.warnings
    metric, warnings = series([18400, 18402, 18409, 18405, 18411])
    assert metric == {"followers"} and any("running total" in w for w in warnings)
    metric, warnings = series([3, 0, 5, 2, 0])
    assert metric == {"followers_gained"} and any("new followers per day" in w for w in warnings)
    assert series([12, 15, 9, 14])[0] == {"followers_gained"}


def test_excel_resaved_semicolon_series(fixtures):
    res, t = parse(fixtures / "Link clicks.csv")
    assert res.formats == ["meta.daily_series"]
    d = t["account_daily"]
    assert set(d["metric"]) == {"link_clicks"} and set(d["platform"]) == {"facebook"}
    assert row(t, "account_daily", date="2025-11-03")["value"] == 12


def test_series_title_mapping():
    from audit.ingest.formats.meta_business_suite import series_metric
    assert series_metric("Facebook reach") == ("facebook", "reach", True)
    assert series_metric("Instagram profile visits") == ("instagram", "profile_visits", True)
    assert series_metric("Content interactions") == (None, "engagements", True)
    assert series_metric("Facebook link clicks") == ("facebook", "link_clicks", True)
    assert series_metric('"Instagram follows";') == ("instagram", "followers_gained", True)
    assert series_metric("Facebook follows") == ("facebook", "followers_gained", True)
    assert series_metric("Something new") == (None, "something_new", False)


# --- fixtures: audience -------------------------------------------------------------------------------------
def test_audience_fixture(fixtures):
    res, t = parse(fixtures / "Audience.csv")
    a = t["audience"]
    assert a.groupby("dimension").size().to_dict() == {"age_gender": 8, "country": 3, "city": 3}
    assert row(t, "audience", segment="35-44 women")["share"] == pytest.approx(0.14)
    assert row(t, "audience", dimension="city", segment="Genève, Switzerland")["share"] == pytest.approx(0.017)


def test_audience_2024_layout(fixtures):
    res, t = parse(fixtures / "Audience_2024.csv")
    a = t["audience"]
    fb = a[a["platform"] == "facebook"]
    ig = a[a["platform"] == "instagram"]
    assert row(t, "audience", platform="facebook", segment="25-34 men")["share"] == pytest.approx(0.204)
    assert fb[fb["dimension"] == "country"]["share"].tolist() == pytest.approx([0.812, 0.063])
    assert ig["share"].tolist() == pytest.approx([0.20, 0.10])
    assert any("follower total" in w for w in res.warnings)


def test_audience_mangled_by_excel_is_refused(fixtures):
    res, t = parse(fixtures / "Audience_resaved.csv", status="problems")
    assert res.encoding == "cp1251"
    assert len(res.errors) == 1 and "'3.апр'" in res.errors[0] and "Excel" in res.errors[0]
    assert "audience" not in t or not (t["audience"]["dimension"] == "age_gender").any()
    # the blocks that were not damaged still load: countries and the Follows series
    assert row(t, "audience", dimension="country", segment="Bulgaria")["share"] == pytest.approx(0.921)
    assert t["account_daily"]["value"].tolist() == [4, 2]


def test_audience_does_not_steal_unrelated_tables():
    text = "Top countries\nCountry,Clicks,Impressions,CTR,Position\nFrance,3,10,30%,1.2\n"
    fmt, _ = best_format(blocks_from_bytes(text.encode(), "Countries.csv")[0])
    assert fmt is None or fmt.id != "meta.audience"


@pytest.mark.parametrize("name, fmt", [("IG_FOLLOWS.csv", "meta.daily_series"), ("visits.csv", "meta.daily_series"),
                                       ("Feb-01-2025_Feb-28-2025_100200300400500.csv", "meta.fb_content")])
def test_header_only_exports_are_recognised_and_empty(fixtures, tmp_path, name, fmt):
    raw = (fixtures / name).read_bytes()
    enc = "utf-16" if raw.startswith(b"\xff\xfe") else "utf-8-sig"
    text = raw.decode(enc).replace("\r\n", "\n")
    lines = text.split("\n")
    keep = next(i for i, ln in enumerate(lines) if ln.startswith(('"Date"', "Post ID"))) + 1
    f = tmp_path / name
    f.write_bytes("\n".join(lines[:keep] + [""]).encode(enc))
    res, t = parse(f)
    assert res.formats == [fmt] and t == {} and not res.errors
