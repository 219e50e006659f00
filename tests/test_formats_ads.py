"""Ad platform loaders: Google Ads UI reports and Meta Ads Manager exports → `ads`.

Expected values were read by hand from the raw files (real samples in ../shared/realdata; fixtures
under tests/fixtures/exports/ads written from the documented structure, with invented names)."""
from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
import pytest

from audit.config import AuditConfig
from audit.ingest.formats.ads import google_objective, meta_objective, parse_range
from audit.ingest.pipeline import parse_file

ADS = "ads"
GOOGLE_REAL = "google_ads/intragoinc__cp-mktg-google-ads-i__Campaign report.csv"
META_REAL = "meta_ads/scctsi__trial-promoter-app__facebook_ads_manager.csv"


def parse(path: Path, config=None):
    return _parse_once(path) if config is None else _parse(path, config)


@functools.lru_cache(maxsize=None)
def _parse_once(path: Path):
    """Several tests check the same file: parse it once (the tests do not mutate the frames)."""
    return _parse(path, None)


def _parse(path: Path, config):
    res, tables = parse_file(path, path.name, config)
    assert res.status == "ok", res.errors
    return res, tables["ads"]


def row(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{len(sel)} rows match {where}"
    return sel.iloc[0]


def fixture(fixtures_dir: Path, name: str) -> Path:
    return fixtures_dir / "exports" / ADS / name


# --- real samples -------------------------------------------------------------------------------------
def test_real_google_ads_campaign_report(realdata):
    res, df = parse(realdata / GOOGLE_REAL)
    assert res.formats == ["ads.google_ads"]
    assert res.tables == {"ads": 12}
    assert res.dropped[0]["rows"] == 5 and res.dropped[0]["reason"].startswith("totals rows")
    assert any("All time" in w for w in res.warnings) and df["period_start"].isna().all()
    assert (df["platform"] == "google_ads").all() and (df["level"] == "campaign").all()
    smart = row(df, campaign="Leads-Smart-4")
    # "Paused,Leads-Smart-4,…,Display,"795,836","9,265",1.16%,USD,0.29,2691.41,…,Maximize Conversions,"9,265",0.24%,22.00"
    assert (smart["spend"], smart["impressions"], smart["clicks"], smart["conversions"]) == (2691.41, 795836, 9265, 22)
    assert (smart["currency"], smart["status"]) == ("USD", "Paused")
    assert smart["objective_raw"] == "Display / Maximize Conversions" and smart["objective"] == "sales"
    wood = row(df, campaign="Bay Area Exterior Wood (<2025)")
    assert wood["conversions"] == pytest.approx(4838.80) and wood["status"] == "Not eligible"
    assert row(df, campaign="Deck, siding & other_Mobile_RSL")["spend"] == 7298.62  # name with a comma
    # The rows add up to the file's own "Total: Campaigns" row: 199421.15 spent, 14,117,313 impressions.
    assert df["spend"].sum() == pytest.approx(199421.15) and df["impressions"].sum() == 14117313
    assert row(df, campaign="All-In-One Performance Max")["clicks"] == 4687


def test_real_meta_ads_2017_layout(realdata):
    res, df = parse(realdata / META_REAL)
    assert res.formats == ["ads.meta_ads"] and res.tables == {"ads": 535}
    assert (df["platform"] == "meta_ads").all() and (df["level"] == "campaign").all()
    assert (df["currency"] == "USD").all()
    assert (df["period_start"] == pd.Timestamp("2017-04-19")).all()
    assert (df["period_end"] == pd.Timestamp("2017-07-19")).all()  # the reporting range, not the campaign's Ends
    first = row(df, campaign_id="6076520279839")  # row 2: 1491 impressions, 3 link clicks, 151 engagements, 8.27
    assert (first["impressions"], first["link_clicks"], first["engagements"], first["spend"]) == (1491, 3, 151, 8.27)
    assert first["campaign"].startswith('Post: "Hydrogen cyanide')
    ig = row(df, campaign_id="6076475739639")  # row 6: empty Link Clicks cell
    assert pd.isna(ig["link_clicks"]) and ig["engagements"] == 45 and ig["source_row"] == 6
    # "Instagram Post" names repeat; ids keep the campaigns apart.
    assert (df["campaign"] == "Instagram Post").sum() > 1 and df["campaign_id"].is_unique
    assert df["spend"].sum() == pytest.approx(4343.72)
    assert df["objective"].isna().all()  # no objective or result column in this layout: not guessed


# --- Google Ads fixtures ------------------------------------------------------------------------------
def test_google_ads_french_semicolon_report(fixtures_dir):
    res, df = parse(fixture(fixtures_dir, "Rapport_campagnes_fr.csv"))
    assert res.formats == ["ads.google_ads"] and len(df) == 3
    assert res.dropped[0]["rows"] == 2  # "Total : campagnes", "Total : compte"
    search = row(df, campaign="Printemps – Recherche")
    assert (search["spend"], search["impressions"], search["clicks"]) == (1234.56, 12345, 1234)  # "1 234,56"
    assert search["conversions"] == 12.5 and search["objective"] == "traffic"
    shop = row(df, campaign="Boutique en ligne")
    assert shop["objective"] == "sales" and shop["conversion_value"] == 3456.78
    assert row(df, campaign="Notoriété vidéo")["objective"] == "awareness"  # video bought on CPM
    assert (df["period_start"] == pd.Timestamp("2026-03-01")).all() and (df["period_end"] == pd.Timestamp("2026-03-31")).all()


def test_google_ads_utf16_tab_ad_group_report_by_day(fixtures_dir):
    assert fixture(fixtures_dir, "Ad_group_report_excel.csv").read_bytes()[:2] == b"\xff\xfe"
    res, df = parse(fixture(fixtures_dir, "Ad_group_report_excel.csv"))
    assert res.formats == ["ads.google_ads"] and len(df) == 3 and res.dropped[0]["rows"] == 2
    assert (df["level"] == "adset").all()
    brand = df[df["adset_id"] == "145678901234"]
    assert brand["period_start"].tolist() == [pd.Timestamp("2026-03-01"), pd.Timestamp("2026-03-02")]
    assert (brand["period_start"] == brand["period_end"]).all()  # one row per day
    assert brand["impressions"].tolist() == [1042, 998] and brand["spend"].tolist() == [45.10, 41.35]
    pmax = row(df, adset="Asset group A")
    assert (pmax["spend"], pmax["conversion_value"], pmax["clicks"]) == (1204.99, 2890.0, 402)
    assert pmax["objective"] == "sales" and pmax["campaign_id"] == "20123450000"
    assert df["spend"].sum() == pytest.approx(1291.44)  # the file's Total: Account row


def test_google_ads_keyword_report(fixtures_dir):
    _, df = parse(fixture(fixtures_dir, "Search_keyword_report.csv"))
    assert (df["level"] == "keyword").all() and len(df) == 2
    shoes = row(df, ad="running shoes")
    assert (shoes["ad_id"], shoes["impressions"], shoes["clicks"], shoes["spend"]) == ("301234567890", 2345, 120, 95.40)
    trail = row(df, ad="trail shoes")
    assert pd.isna(trail["ad_id"]) and pd.isna(trail["conversions"])  # " --" means n/a, not zero
    assert (df["currency"] == "GBP").all() and (df["period_end"] == pd.Timestamp("2026-01-31")).all()


def test_google_ads_ad_report(fixtures_dir):
    res, df = parse(fixture(fixtures_dir, "Ad_report.csv"))
    assert (df["level"] == "ad").all() and len(df) == 2 and res.dropped[0]["rows"] == 1
    # An unnamed responsive ad (" --") is identified by its first headline; a named one by its name.
    tables = row(df, adset="Oak tables")
    assert (tables["ad"], tables["impressions"], tables["spend"], tables["conversions"]) == \
        ("Handmade Oak Tables", 1204, 77.76, 4)
    assert row(df, adset="Oak chairs")["ad"] == "Chairs RSA v2"


@pytest.mark.parametrize("line, start, end", [
    ("March 27, 2026 - April 23, 2026", "2026-03-27", "2026-04-23"),
    ("Mar 1, 2026 – Mar 31, 2026", "2026-03-01", "2026-03-31"),
    ("1 janv. 2026 - 31 janv. 2026", "2026-01-01", "2026-01-31"),
    ("1. März 2026 - 23. April 2026", "2026-03-01", "2026-04-23"),
    ("Dec 15 - Jan 14, 2026", "2025-12-15", "2026-01-14"),
])
def test_date_range_lines(line, start, end):
    assert parse_range(line) == (pd.Timestamp(start), pd.Timestamp(end))


def test_google_objectives():
    assert google_objective("Search", "Maximize clicks") == "traffic"
    assert google_objective("Search", "Target impression share") == "awareness"
    assert google_objective("Display", "Maximize Conversions") == "sales"
    assert google_objective("Shopping", "Manual CPC") == "sales"  # the type decides
    assert google_objective("Smart", None) == "leads"
    assert google_objective("Video", "Target CPV") == "video"
    assert google_objective("Performance Max", None) == "sales"
    assert google_objective(None, None) is None


# --- Meta Ads Manager fixtures ------------------------------------------------------------------------
def test_meta_current_layout(fixtures_dir):
    res, df = parse(fixture(fixtures_dir, "Meta_ads_current.csv"))
    assert res.formats == ["ads.meta_ads"] and len(df) == 4
    assert (df["level"] == "ad").all() and (df["currency"] == "EUR").all()
    # Same ad name in two ad sets: two ids, two rows, each with its own result type.
    carousel = df[df["ad"] == "Carrousel A"]
    assert carousel["ad_id"].tolist() == ["120210000000000111", "120210000000000112"]
    traffic = row(df, ad_id="120210000000000111")
    assert (traffic["results"], traffic["result_type"], traffic["objective"]) == (420, "link_click", "traffic")
    assert (traffic["spend"], traffic["reach"], traffic["link_clicks"], traffic["clicks"]) == (125, 9800, 420, 610)
    msg = row(df, ad_id="120210000000000112")
    assert msg["objective"] == "engagement" and msg["result_type"].startswith("onsite_conversion.messaging")
    sale = row(df, campaign="Boutique")
    assert (sale["objective"], sale["conversions"], sale["conversion_value"]) == ("sales", 12, 1480.5)
    assert pd.isna(row(df, campaign="Vieille campagne")["results"])  # "—"
    assert df["period_start"].eq(pd.Timestamp("2026-02-01")).all()


def test_meta_french_semicolon_layout(fixtures_dir):
    _, df = parse(fixture(fixtures_dir, "Meta_ads_fr.csv"))
    assert len(df) == 3 and (df["currency"] == "EUR").all()
    sales = df[df["campaign"] == "Soldes d'été"]
    # "01/08/2026" in a French export is 1 August (day first), one row per day
    assert sales["period_start"].tolist() == [pd.Timestamp("2026-08-01"), pd.Timestamp("2026-08-02")]
    assert sales["spend"].tolist() == [1234.56, 987.10] and sales["impressions"].tolist() == [45678, 40001]
    reach = row(df, campaign="Notoriété")
    assert (reach["objective"], reach["results"], reach["result_type"]) == ("awareness", 18000, "reach")


def test_meta_italian_layout(fixtures_dir):
    _, df = parse(fixture(fixtures_dir, "Meta_ads_it.csv"))
    prim = row(df, campaign="Primavera")
    assert (prim["spend"], prim["impressions"], prim["reach"], prim["link_clicks"]) == (200, 10000, 8500, 150)
    assert prim["objective"] == "traffic" and prim["objective_raw"] == "Traffico"
    lead = row(df, campaign_id="120210000000000202")
    assert (lead["spend"], lead["impressions"], lead["objective"]) == (1250.75, 52300, "leads")


def test_meta_summary_row_and_lost_ids(tmp_path):
    p = tmp_path / "meta.csv"
    p.write_text("Campaign name,Campaign ID,Amount spent (USD),Impressions\n"
                 "Spring,1.20210E+17,10.5,100\n"
                 "Summer,120210000000000002,4.5,50\n"
                 ",,15,150\n", encoding="utf-8")
    res, df = parse(p)
    assert len(df) == 2 and res.dropped[0]["reason"].startswith("summary row")
    assert pd.isna(row(df, campaign="Spring")["campaign_id"])
    assert any("scientific notation" in w for w in res.warnings)


def test_meta_result_type_without_objective(tmp_path):
    p = tmp_path / "meta.csv"
    p.write_text("\ufeffReporting starts,Reporting ends,Ad set name,Ad set ID,Results,Result type,Cost per result,"
                 "Amount spent (GBP)\n"
                 "2026-01-01,2026-01-31,Form fillers,2301,14,Leads (form),3.50,49.00\n"
                 "2026-01-01,2026-01-31,Visitors,2302,380,Link clicks,0.12,45.60\n", encoding="utf-8")
    _, df = parse(p)
    assert (df["level"] == "adset").all() and (df["currency"] == "GBP").all()
    form = row(df, adset_id="2301")
    assert (form["results"], form["result_type"], form["objective"], form["spend"]) == (14, "Leads (form)", "leads", 49)
    assert row(df, adset_id="2302")["objective"] == "traffic"


def test_meta_objective_normalisation():
    assert meta_objective("OUTCOME_ENGAGEMENT", None) == "engagement"
    assert meta_objective("POST_ENGAGEMENT", None) == "engagement"
    assert meta_objective("OUTCOME_SALES", None) == "sales" == meta_objective("CONVERSIONS", None)
    assert meta_objective("LINK_CLICKS", None) == "traffic" == meta_objective("Traffic", None)
    assert meta_objective("REACH", None) == "awareness" == meta_objective("BRAND_AWARENESS", None)
    assert meta_objective("LEAD_GENERATION", None) == "leads"
    assert meta_objective(None, "actions:lead") == "leads"
    assert meta_objective(None, "reach") == "awareness"
    assert meta_objective(None, "Landing page views") == "traffic"
    assert meta_objective(None, "video_thruplay_watched_actions") == "video"
    assert meta_objective(None, None) is None


def test_ad_account_column_maps_to_competitor_only_when_listed(tmp_path):
    p = tmp_path / "meta.csv"
    p.write_text("Account name,Campaign name,Campaign ID,Amount spent (EUR)\nRival Ads,Launch,1,5\n", encoding="utf-8")
    cfg = AuditConfig.model_validate({"client": "c", "objectives": ["sales"], "brand": {"name": "Maison"},
                                      "competitors": [{"name": "Rival", "accounts": {"meta_ads": ["Rival Ads"]}}]})
    _, df = parse(p, cfg)
    assert df["account"].tolist() == ["Rival"]
    _, df = parse(p, AuditConfig.model_validate({"client": "c", "objectives": ["sales"], "brand": {"name": "Maison"}}))
    assert df["account"].tolist() == ["Maison"]
