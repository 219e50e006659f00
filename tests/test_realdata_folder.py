"""Issue 2's acceptance test: one client folder holding every real sample (all platforms mixed,
some renamed, some zipped) is recognised file by file, with the expected format, table and size."""
import io
import shutil
import zipfile

import pytest

from audit.ingest import ingest
from conftest import write_config

# real file (relative to realdata) -> (format id prefix, table, minimum distinct rows in that table)
EXPECTED = {
    "facebook/Flperez__RP_Practica1__dataset_Facebook.csv": ("facebook.", "posts", 496),
    "facebook/johankitti__vicvisual__Facebook Insights Data Export (Post Level) - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv": ("facebook.", "posts", 170),
    "facebook/johankitti__vicvisual__Facebook Insights Data Export - Visualization Studio VIC - 2015-08-19 - 2016-02-15.csv": ("facebook.", "account_daily", 180),
    "google_ads/intragoinc__cp-mktg-google-ads-i__Campaign report.csv": ("ads.", "ads", 12),
    "google_analytics/seed0x__h2oplumbers__Landing_page_Landing_page.csv": ("google_analytics.", "web_pages", 38),
    "google_analytics/seed0x__h2oplumbers__Pages_and_screens_Page_path_and_screen_class.csv": ("google_analytics.", "web_pages", 38),
    "google_analytics/seed0x__h2oplumbers__Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv": ("google_analytics.", "web_traffic", 7),
    "google_analytics/seed0x__h2oplumbers__User_acquisition_First_user_primary_channel_group_(Default_Channel_Group).csv": ("google_analytics.", "web_traffic", 6),
    "linkedin/NicoMandala__salesstrategy__leaf-space_content_1753863379800.xlsx": ("linkedin.", "posts", 79),  # 98 rows: boosted posts repeat as Sponsored + Total rows
    "meta_ads/scctsi__trial-promoter-app__facebook_ads_manager.csv": ("ads.", "ads", 535),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Audience.csv": ("meta.", "audience", 10),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Follows.csv": ("meta.", "account_daily", 105),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Interactions.csv": ("meta.", "account_daily", 105),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Jan-14-2025_Apr-14-2025_1396269028466733.csv": ("meta.", "posts", 261),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Mar-18-2025_Apr-14-2025_1019826952924933.csv": ("meta.", "posts", 78),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Mar-18-2025_Apr-14-2025_553302954456165.csv": ("meta.", "posts", 48),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Reach.csv": ("meta.", "account_daily", 105),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Views.csv": ("meta.", "account_daily", 105),
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Visits.csv": ("meta.", "account_daily", 105),
    "tiktok/vsbperoto__vintage-analytics-dashboard__TIKTOK_AUDIENCE_RAW.csv": ("tiktok.", "account_daily", 62),
    "tiktok/vsbperoto__vintage-analytics-dashboard__TIKTOK_RAW.csv": ("tiktok.", "account_daily", 62),
    "tiktok/vsbperoto__vintage-analytics-dashboard__TIKTOK_VIDEO_RAW.csv": ("tiktok.", "posts", 51),
    "twitter/FG-SC__Wormhole-analytics__account_analytics_content_2024-11-21_2025-02-19.csv": ("x.", "posts", 141),
    "twitter/FG-SC__Wormhole-analytics__account_overview_analytics.csv": ("x.", "account_daily", 50),
    "twitter/debruine__30DCC-2022__daily_tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv": ("x.", "account_daily", 31),
    "twitter/debruine__30DCC-2022__tweet_activity_metrics_LisaDeBruine_20210801_20210901_en.csv": ("x.", "posts", 356),
    "youtube/RehanTharusha__complete-pandas-tutorial__Chart data.csv": ("youtube.", None, 1),
    "youtube/RehanTharusha__complete-pandas-tutorial__Table data.csv": ("youtube.", None, 1),
    "youtube/RehanTharusha__complete-pandas-tutorial__Totals.csv": ("youtube.", "account_daily", 28),
}
GSC = ["Countries", "Dates", "Devices", "Filters", "Pages", "Queries", "Search appearance"]
RENAMED = {  # users rename files: recognition must not depend on names
    "meta_business_suite/LeonMpofu__Oigetit-Social-Media-Reports__Reach.csv": "misc/FB_REACH.csv",
    "twitter/FG-SC__Wormhole-analytics__account_overview_analytics.csv": "misc/x daily.csv",
    "linkedin/NicoMandala__salesstrategy__leaf-space_content_1753863379800.xlsx": "misc/linkedin.xls",
    "google_ads/intragoinc__cp-mktg-google-ads-i__Campaign report.csv": "misc/gads.txt",
}


@pytest.fixture(scope="module")
def mixed_folder(realdata, tmp_path_factory):
    folder = tmp_path_factory.mktemp("all_realdata")
    write_config(folder)
    names = {}
    for rel in EXPECTED:
        target = RENAMED.get(rel, "exports/" + rel.split("/", 1)[1])
        (folder / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(realdata / rel, folder / target)
        names[rel] = target
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # Search Console delivers a zip of CSVs
        for n in GSC:
            z.write(realdata / f"search_console/Iman-hamdan__seo-python-project__{n}.csv", f"export/{n}.csv")
    (folder / "site-Performance-on-Search-2024-11-01.zip").write_bytes(buf.getvalue())
    return folder, names, ingest(folder, progress=False)


def test_every_real_file_is_recognised(mixed_folder):
    folder, names, rep = mixed_folder
    by_file = {f.file: f for f in rep.files}
    problems = {f.file: f.errors for f in rep.files if f.errors or f.status != "ok"}
    assert not problems
    for rel, (prefix, table, min_rows) in EXPECTED.items():
        f = by_file[names[rel]]
        assert f.formats and all(fid.startswith(prefix) for fid in f.formats), (rel, f.formats)
        if table:
            assert f.tables.get(table, 0) >= min_rows, (rel, f.tables)


def test_search_console_zip_members(mixed_folder):
    folder, names, rep = mixed_folder
    f = next(f for f in rep.files if f.file.endswith(".zip"))
    assert f.formats == ["search_console.performance", "search_console.filters"] or \
        set(f.formats) == {"search_console.performance", "search_console.filters"}
    assert f.tables == {"search": 1000 + 1000 + 244 + 184 + 3 + 4}
