"""Google Analytics loaders: GA4 report downloads (single and stacked) and Universal Analytics exports.

Expected values were read by hand from the raw files (real samples in ../shared/realdata, fixtures
under tests/fixtures/exports/google_analytics written from the documented structure)."""
from __future__ import annotations

import functools
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from audit.config import AuditConfig
from audit.ingest.formats.google_analytics import classify
from audit.ingest.pipeline import parse_file
from audit.ingest.values import norm_header
from audit.ingest.registry import best_format
from audit.ingest.sniff import blocks_from_bytes

GA = "google_analytics"


def parse(path: Path, config=None):
    return _parse_once(path) if config is None else _parse(path, config)


@functools.lru_cache(maxsize=None)
def _parse_once(path: Path):
    """Several tests check the same file: parse it once (the tests do not mutate the frames)."""
    return _parse(path, None)


def _parse(path: Path, config):
    res, tables = parse_file(path, path.name, config)
    assert res.status == "ok", res.errors
    return res, tables


def row(df: pd.DataFrame, **where) -> pd.Series:
    sel = df
    for k, v in where.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, f"{len(sel)} rows match {where}"
    return sel.iloc[0]


# --- real samples -------------------------------------------------------------------------------------
REAL = {  # file → (table, rows)
    "seed0x__h2oplumbers__Landing_page_Landing_page.csv": ("web_pages", 38),
    "seed0x__h2oplumbers__Pages_and_screens_Page_path_and_screen_class.csv": ("web_pages", 38),
    "seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv":
        ("web_traffic", 7),
    "seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group) (1).csv":
        ("web_traffic", 7),
    "seed0x__h2oplumbers__User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv":
        ("web_traffic", 6),
}


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_ga4_files_are_recognised(realdata, name):
    res, tables = parse(realdata / GA / name)
    table, rows = REAL[name]
    assert res.formats == ["google_analytics.ga4"]
    assert res.tables == {table: rows}
    df = tables[table]
    assert (df["platform"] == "ga4").all()
    assert (df["period_start"] == pd.Timestamp("2025-01-01")).all()
    assert (df["period_end"] == pd.Timestamp("2025-10-30")).all()


def test_real_traffic_acquisition_values(realdata):
    _, t = parse(realdata / GA / "seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv")
    df = t["web_traffic"]
    assert set(df["dimension"]) == {"channel_group"}
    social = row(df, value="Organic Social")  # "Organic Social,15,8,0.5333…,3.1333…,4,60,0,0,0"
    assert social["sessions"] == 15 and social["engaged_sessions"] == 8
    assert social["engagement_time_s"] == pytest.approx(3.1333333333333333)
    paid = row(df, value="Paid Search")
    assert paid["sessions"] == 4395 and paid["engaged_sessions"] == 1544 and paid["source_row"] == 11
    assert df["sessions"].sum() == 4395 + 1679 + 671 + 463 + 23 + 16 + 15


def test_real_second_property_differs(realdata):
    _, t = parse(realdata / GA / "seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group) (1).csv")
    referral = row(t["web_traffic"], value="Referral")
    assert referral["sessions"] == 745 and referral["engagement_time_s"] == pytest.approx(209.26308724832214)


def test_real_user_acquisition_values(realdata):
    _, t = parse(realdata / GA / "seed0x__h2oplumbers__User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv")
    df = t["web_traffic"]
    assert set(df["dimension"]) == {"first_user_channel_group"}
    direct = row(df, value="Direct")  # "Direct,1044,1969,35,27.29…"
    assert direct["users"] == 1044 and direct["new_users"] == 1969
    # The report's average is per active user, not per session: not put in the per-session column.
    assert df["engagement_time_s"].isna().all() and df["sessions"].isna().all()


def test_real_landing_and_pages_values(realdata):
    _, t = parse(realdata / GA / "seed0x__h2oplumbers__Landing_page_Landing_page.csv")
    df = t["web_pages"]
    assert set(df["page_kind"]) == {"landing"}
    contact = row(df, page="/contact-us")  # "/contact-us,240,144,267,17.5125,0,0,0"
    assert (contact["sessions"], contact["users"], contact["new_users"]) == (240, 144, 267)
    assert contact["engagement_time_s"] == pytest.approx(17.5125)
    assert row(df, page="(not set)")["sessions"] == 84  # GA's "(not set)" is a real row, kept as is

    _, t = parse(realdata / GA / "seed0x__h2oplumbers__Pages_and_screens_Page_path_and_screen_class.csv")
    df = t["web_pages"]
    assert set(df["page_kind"]) == {"page"}
    about = row(df, page="/about/")  # "/about/,315,142,2.218…,46.007…,732,0,0"
    assert (about["views"], about["users"]) == (315, 142)
    assert about["engagement_time_s"] == pytest.approx(46.00704225352113)


# --- GA4 fixtures -------------------------------------------------------------------------------------
def test_stacked_overview_sections(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / GA / "Acquisition_overview.csv")
    assert res.formats == ["google_analytics.ga4", "google_analytics.unused_section"]
    # Cohort and event sections are recognised and skipped with a warning, not an error.
    assert sum("has no canonical table and is skipped" in w for w in res.warnings) == 2
    assert res.dropped == [{"rows": 1, "reason": 'totals row ("Grand total")', "file": "Acquisition_overview.csv"}]
    df = t["web_traffic"]
    assert len(df) == 7 + 2 + 3  # Nth day, first-user channels, session channels (the campaign card is empty)
    days = df[df["dimension"] == "date"]
    assert days["date"].tolist() == list(pd.date_range("2025-03-01", "2025-03-07"))  # 0000 = the start date
    assert row(days, value="2025-03-04")["users"] == 20 and row(days, value="2025-03-04")["new_users"] == 14
    assert row(df, dimension="first_user_channel_group", value="Organic Social")["new_users"] == 30
    sessions = df[df["dimension"] == "channel_group"]
    assert sessions["sessions"].sum() == 87 and "Grand total" not in set(sessions["value"])
    # the lowercase "(Default channel group)" of newer exports is the same dimension
    assert (df["period_end"] == pd.Timestamp("2025-03-07")).all()


def test_german_traffic_acquisition(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / GA / "Traffic_acquisition_de.csv")
    assert res.formats == ["google_analytics.ga4"]
    df = t["web_traffic"]
    direct = row(df, value="Direct")
    assert direct["dimension"] == "channel_group"
    assert (direct["sessions"], direct["engaged_sessions"], direct["key_events"]) == (300, 150, 10)
    assert direct["engagement_time_s"] == 30.25 and direct["revenue"] == pytest.approx(199.9)
    assert direct["period_start"] == pd.Timestamp("2025-01-01") and direct["period_end"] == pd.Timestamp("2025-01-31")


def test_french_pages_and_screens(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / GA / "Pages_et_ecrans_fr.csv")
    df = t["web_pages"]
    shop = row(df, page="/boutique/")
    assert (shop["page_kind"], shop["views"], shop["users"], shop["key_events"]) == ("page", 310, 120, 12)
    assert shop["engagement_time_s"] == 80.25 and shop["revenue"] == 1540.5
    assert shop["period_start"] == pd.Timestamp("2025-02-01") and shop["period_end"] == pd.Timestamp("2025-02-28")


def test_date_report_and_bounce_rate_fraction(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / GA / "Date_report.csv")
    df = t["web_traffic"]
    assert df["dimension"].unique().tolist() == ["date"]
    jan2 = row(df, value="2025-01-02")
    assert jan2["date"] == pd.Timestamp("2025-01-02") and jan2["sessions"] == 12 and jan2["bounce_rate"] == 0.25


def test_secondary_date_dimension(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / GA / "Source_medium_by_date.csv")
    df = t["web_traffic"]
    assert set(df["dimension"]) == {"source_medium"}
    ig = df[df["value"] == "instagram.com / referral"]
    assert ig["date"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02")]
    assert ig["sessions"].tolist() == [10, 12]


PREAMBLE = "# ----\n# Report\n# Property: maison-exemple.fr\n# ----\n#\n# Start date: 20250101\n# End date: 20250102\n"


def test_date_first_then_channel(tmp_path):
    p = tmp_path / "daily_channels.csv"
    p.write_text(PREAMBLE + "Date,Session default channel group,Sessions\n"
                 "20250101,Organic Social,5\n20250101,Direct,7\n20250102,Organic Social,6\n")
    _, t = parse(p)
    df = t["web_traffic"]
    assert set(df["dimension"]) == {"channel_group"}  # the report is about channels, split by day
    social = df[df["value"] == "Organic Social"]
    assert social["date"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02")]
    assert social["sessions"].tolist() == [5, 6]


def test_unknown_secondary_dimension_keeps_rows_apart(tmp_path):
    p = tmp_path / "by_browser.csv"
    p.write_text(PREAMBLE + "Session source / medium,Browser,Sessions,Event count\n"
                 "google / cpc,Chrome,10,40\ngoogle / cpc,Safari,10,40\n")
    _, t = parse(p)
    df = t["web_traffic"]
    assert df["dimension"].tolist() == ["source_medium+browser"] * 2
    assert df["value"].tolist() == ["google / cpc | Chrome", "google / cpc | Safari"]


def test_pages_with_title_and_date_columns(tmp_path):
    p = tmp_path / "pages.csv"
    p.write_text(PREAMBLE + "Page path and screen class,Date,Views,Active users\n"
                 "/shop/,20250101,30,10\n/shop/,20250102,25,9\n")
    _, t = parse(p)
    df = t["web_pages"]
    # A page's row for one day covers that day: the period narrows to it.
    assert df["period_start"].tolist() == [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-02")]
    assert (df["period_start"] == df["period_end"]).all() and df["views"].tolist() == [30, 25]
    p = tmp_path / "pages_titles.csv"
    p.write_text(PREAMBLE + "Page path and screen class,Page title and screen class,Views\n/a/,About us,4\n")
    _, t = parse(p)
    assert t["web_pages"][["page", "title", "views"]].values.tolist() == [["/a/", "About us", 4]]


def test_empty_sections_give_no_rows(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text(PREAMBLE + "Nth day,Active users\n\n# Start date: 20250101\n# End date: 20250102\nDate,Sessions\n")
    res, t = parse_file(p, "empty.csv", None)
    assert res.status == "ok" and res.formats == ["google_analytics.ga4"] and t == {}


def test_xlsx_download_with_preamble_rows(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in (["# ----------------------------------------"], ["# Traffic acquisition: Session source / medium"],
              ["# Account: Maison Exemple"], ["# Property: maison-exemple.fr"], ["# Start date: 20250601"],
              ["# End date: 20250630"], ["Session source / medium", "Sessions", "Engagement rate"],
              ["facebook.com / referral", 42, 0.5], ["(direct) / (none)", 100, 0.25]):
        ws.append(r)
    path = tmp_path / "ga4.xlsx"
    wb.save(path)
    _, t = parse(path)
    df = t["web_traffic"]
    assert row(df, value="facebook.com / referral")["sessions"] == 42
    assert (df["dimension"] == "source_medium").all() and (df["period_start"] == pd.Timestamp("2025-06-01")).all()


def test_property_name_maps_to_account_when_listed(fixtures_dir):
    cfg = AuditConfig.model_validate({
        "client": "c", "objectives": ["sales"],
        "brand": {"name": "Maison", "accounts": {"ga4": ["maison-exemple.fr"]}},
        "competitors": [{"name": "Rival", "accounts": {"ga4": ["beispiel.de"]}}]})
    _, t = parse(fixtures_dir / "exports" / GA / "Traffic_acquisition_de.csv", cfg)
    assert set(t["web_traffic"]["account"]) == {"Rival"}
    _, t = parse(fixtures_dir / "exports" / GA / "Date_report.csv", cfg)
    assert set(t["web_traffic"]["account"]) == {"Maison"}


@pytest.mark.parametrize("header, expected", [
    ("Session primary channel group (Default Channel Group)", ("traffic", "channel_group")),
    ("Session primary channel group (Default channel group)", ("traffic", "channel_group")),
    ("Session default channel group", ("traffic", "channel_group")),
    ("Default Channel Grouping", ("traffic", "channel_group")),
    ("Sitzung – primäre Channelgruppe (Standard-Channelgruppe)", ("traffic", "channel_group")),
    ("Groupe de canaux principal de la session (Groupe de canaux par défaut)", ("traffic", "channel_group")),
    ("First user primary channel group (Default Channel Group)", ("traffic", "first_user_channel_group")),
    ("Groupe de canaux principal du premier utilisateur (Groupe de canaux par défaut)",
     ("traffic", "first_user_channel_group")),
    ("Erster Nutzer – primäre Channelgruppe (Standard-Channelgruppe)", ("traffic", "first_user_channel_group")),
    ("Session source / medium", ("traffic", "source_medium")),
    ("Source/support de la session", ("traffic", "source_medium")),
    ("First user source", ("traffic", "first_user_source")),
    ("Session medium", ("traffic", "medium")),
    ("Session campaign", ("traffic", "campaign")),
    ("Landing page + query string", ("landing", "landing_page")),
    ("Seitenpfad und Bildschirmklasse", ("page", "page")),
    ("Page title and screen class", ("page_title", "page_title")),
    ("Date", ("date", "date")),
    ("Nth day", ("nth_day", "date")),
    ("Day Index", ("date", "date")),
    ("Event name", (None, "")),
    ("Session source platform", (None, "")),
])
def test_first_column_decides_the_report(header, expected):
    assert classify(norm_header(header)) == expected


def test_not_mistaken_for_other_platforms():
    # A YouTube-like or LinkedIn-like daily table shares "Date"/"Views" but no GA vocabulary or preamble.
    for text in ("Date,Views,Watch time (hours)\n2025-01-01,10,1.5\n", "Date,Page views,Unique visitors\n2025-01-01,3,2\n"):
        block = blocks_from_bytes(text.encode(), "x.csv")[0]
        fmt, _ = best_format(block)
        assert fmt is None or not fmt.id.startswith("google_analytics.")


def test_nth_day_without_start_date_is_a_data_error(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("Nth day,Active users,Sessions\n0000,1,2\n")
    res, _ = parse_file(p, "x.csv", None)
    assert res.status == "problems" and "Start date" in res.errors[0]


# --- Universal Analytics ------------------------------------------------------------------------------
def test_ua_channels_with_totals_row_and_day_index(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / GA / "UA_channels_en.csv")
    assert res.formats == ["google_analytics.ua"]
    assert [d["reason"] for d in res.dropped] == ["totals row (empty dimension cell)"] * 2
    df = t["web_traffic"]
    assert (df["platform"] == "ua").all()
    organic = row(df, dimension="channel_group", value="Organic Search")
    # "3,215" · 58.32% · 00:02:48 · 0 goal completions
    assert organic["sessions"] == 3215 and organic["new_users"] == 2328
    assert organic["bounce_rate"] == pytest.approx(0.5832) and organic["engagement_time_s"] == 168
    assert row(df, dimension="channel_group", value="Direct")["key_events"] == 13
    assert organic["period_start"] == pd.Timestamp("2015-04-16") and organic["period_end"] == pd.Timestamp("2015-04-19")
    days = df[df["dimension"] == "date"]
    assert days["date"].tolist() == list(pd.date_range("2015-04-16", "2015-04-19"))  # 16/04/2015: day first
    assert days["sessions"].sum() == 4667 == df.loc[df["dimension"] == "channel_group", "sessions"].sum()


def test_ua_dutch_localisation(fixtures_dir):
    _, t = parse(fixtures_dir / "exports" / GA / "UA_kanalen_nl.csv")
    df = t["web_traffic"]
    organic = row(df, dimension="channel_group", value="Organic Search")
    assert organic["sessions"] == 2546 and organic["new_users"] == 1843  # "2.546": a thousands dot
    assert organic["bounce_rate"] == pytest.approx(0.5832)  # "58,32%"
    assert row(df, dimension="channel_group", value="Social")["bounce_rate"] == pytest.approx(0.9988)
    days = df[df["dimension"] == "date"]
    assert days["date"].tolist() == list(pd.date_range("2015-04-01", "2015-04-03"))  # "1-4-2015" = 1 April
    assert days["sessions"].tolist() == [1200, 1126, 1200]


def test_ua_tab_delimited_landing_pages(fixtures_dir):
    res, t = parse(fixtures_dir / "exports" / GA / "UA_landing_pages_tab.tsv")
    assert res.formats == ["google_analytics.ua"] and res.tables == {"web_pages": 2, "web_traffic": 3}
    shop = row(t["web_pages"], page="/shop/gift-box")
    assert (shop["page_kind"], shop["sessions"], shop["new_users"], shop["key_events"]) == ("landing", 321, 161, 7)
    assert shop["engagement_time_s"] == 4 * 60 + 1
    home = row(t["web_pages"], page="/")
    assert home["sessions"] == 1234
    # US-locale Day Index "1/2/19" = 2 January (consecutive days), not 1 February
    assert t["web_traffic"]["date"].tolist() == list(pd.date_range("2019-01-01", "2019-01-03"))


def test_ua_cp1252_ecommerce_revenue_in_pounds(fixtures_dir):
    path = fixtures_dir / "exports" / GA / "UA_source_medium_cp1252.csv"
    assert b"\xa3" in path.read_bytes()  # "£" as Windows-1252 writes it
    res, t = parse(path)
    assert res.encoding == "cp1252"
    df = t["web_traffic"]
    google = row(df, value="google / organic")  # "2,410" sessions, 31 transactions, "£1,299.00"
    assert (google["dimension"], google["sessions"], google["transactions"], google["revenue"]) == \
        ("source_medium", 2410, 31, 1299.0)
    assert row(df, value="(direct) / (none)")["revenue"] == 640.25
    assert df["revenue"].sum() == pytest.approx(2119.75)  # the totals row, which is dropped


@pytest.mark.parametrize("cut", [40, 200, 420, 700])
def test_truncated_exports_fail_cleanly(fixtures_dir, tmp_path, cut):
    raw = (fixtures_dir / "exports" / GA / "UA_channels_en.csv").read_bytes()[:cut]
    p = tmp_path / "cut.csv"
    p.write_bytes(raw)
    res, _ = parse_file(p, "cut.csv", None)  # never raises; at worst a listed problem
    assert res.status in ("ok", "problems", "unrecognised", "error")
