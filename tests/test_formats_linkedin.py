"""LinkedIn company page exports: content (Metrics, All posts), followers and visitors workbooks.

Real-sample values were read by hand from the xlsx (../shared/realdata/linkedin); the fixture
workbooks are written here with openpyxl from the documented layouts (invented page and numbers)."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from conftest import daily_value as daily, parse_ok as parse

REAL = "linkedin/NicoMandala__salesstrategy__leaf-space_content_1753863379800.xlsx"




def workbook(path, sheets: dict[str, list[list]]):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
    wb.save(path)
    return path


# --- real sample ------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(realdata):
    return parse(realdata / REAL, REAL)


def test_real_content_recognised(real):
    res, t = real
    assert res.formats == ["linkedin.content_metrics", "linkedin.content_posts"]
    # Metrics: 240 days x 19 metrics (6 counts x organic/sponsored/total, organic reach, engagements x 3)
    assert res.tables == {"account_daily": 240 * 19, "posts": 79}
    # All posts: 98 rows; 8 boosted posts have an Organic row, 1-2 Sponsored rows and a Total row
    assert res.dropped == [{"rows": 19, "reason": "organic and per-campaign rows of boosted posts (their Total row is kept)",
                            "file": REAL + "!All posts"}]


def test_real_metrics_values(real):
    _, t = real
    # row 3: 12/01/2024, 93, 0, 93, 66, 5, 0, 5, 1, 0, 1, ..., engagement rate 0.06451612903225806
    assert daily(t, "2024-12-01", "impressions") == 93
    assert daily(t, "2024-12-01", "reach_organic") == 66
    assert daily(t, "2024-12-01", "clicks") == 5
    assert daily(t, "2024-12-01", "reactions") == 1
    assert daily(t, "2024-12-01", "engagements") == 6  # 0.0645 x 93
    assert daily(t, "2025-03-11", "impressions_organic") == 1833
    assert daily(t, "2025-03-11", "reactions") == 47
    assert daily(t, "2025-07-28", "impressions") == 282
    assert set(t["account_daily"]["account"]) == {"leaf-space"}


def test_real_posts_values(real):
    _, t = real
    p = t["posts"].set_index("post_id")
    first = p.loc["urn:li:activity:7352615432538750976"]  # "Congrats VAST!", 07/20/2025
    assert first["text"] == "Congrats VAST!"
    assert (first["impressions"], first["clicks"], first["reactions"], first["comments"], first["shares"]) == (1317, 64, 17, 0, 0)
    assert first["engagements"] == 81  # 0.061503417789936066 x 1317 = 64 + 17
    assert first["published_at"] == pd.Timestamp("2025-07-20", tz="UTC")
    assert first["is_paid"] == False  # noqa: E712
    assert first["exported_at"] == pd.Timestamp(1753863379800, unit="ms", tz="UTC")
    boosted = p.loc["urn:li:activity:7302603211318697985"]  # Total row: 4688 impressions, ER 0.041382
    assert (boosted["impressions"], boosted["clicks"], boosted["reactions"], boosted["shares"]) == (4688, 120, 62, 5)
    assert boosted["engagements"] == 194 and boosted["is_paid"] == True  # noqa: E712
    assert p.index.is_unique


# --- fixtures: older content layout, followers and visitors workbooks -------------------------------------
DESCRIPTION = "Engagement metrics for individual posts. All dates and times are in UTC."


def test_older_update_layout_and_xls_extension(tmp_path):
    # An xlsx saved with the .xls extension: recognised by its magic bytes.
    f = workbook(tmp_path / "acme-shop_content.xls", {
        "Metrics": [["Aggregated engagement metrics for your updates."],
                    ["Date", "Impressions (organic)", "Impressions (sponsored)", "Impressions (total)",
                     "Unique impressions (organic)", "Clicks (organic)", "Clicks (sponsored)", "Clicks (total)",
                     "Reactions (organic)", "Reactions (sponsored)", "Reactions (total)", "Comments (organic)",
                     "Comments (sponsored)", "Comments (total)", "Shares (organic)", "Shares (sponsored)",
                     "Shares (total)", "Engagement rate (organic)", "Engagement rate (sponsored)", "Engagement rate (total)"],
                    ["01/31/2019", 100, 50, 150, 80, 4, 1, 5, 3, 0, 3, 1, 0, 1, 2, 0, 2, 0.1, 0.02, 0.0733333]],
        "Updates": [[DESCRIPTION],
                    ["Update title", "Update link", "Update type", "Campaign name", "Posted by", "Created date",
                     "Campaign start date", "Campaign end date", "Audience", "Impressions", "Clicks",
                     "Click through rate (CTR)", "Likes", "Comments", "Shares", "Follows", "Engagement rate"],
                    ["Our new shop", "https://www.linkedin.com/feed/update/urn:li:activity:6500000000000000001",
                     "Organic", "", "Ann Admin", "01/30/2019", "", "", "All followers", 200, 10, 0.05, 6, 2, 1, 1, None],
                    ["Sale", "https://www.linkedin.com/feed/update/urn:li:activity:6500000000000000002",
                     "Sponsored", "Winter sale", "Ann Admin", "01/31/2019", "01/31/2019", "02/07/2019",
                     "All followers", 1000, 30, 0.03, 4, 0, 0, 0, 0.036]],
    })
    res, t = parse(f)
    assert res.formats == ["linkedin.content_metrics", "linkedin.content_posts"]
    assert daily(t, "2019-01-31", "shares") == 2  # `Shares` in older files
    assert daily(t, "2019-01-31", "impressions_sponsored") == 50
    assert daily(t, "2019-01-31", "engagements") == 11  # 0.0733333 x 150
    p = t["posts"].set_index("post_id")
    organic = p.loc["urn:li:activity:6500000000000000001"]
    # no engagement rate: LinkedIn's actions added up (clicks + likes + comments + shares + follows)
    assert organic["engagements"] == 20 and organic["shares"] == 1 and organic["is_paid"] == False  # noqa: E712
    paid = p.loc["urn:li:activity:6500000000000000002"]
    assert paid["engagements"] == 36 and paid["is_paid"] == True  # noqa: E712
    assert set(t["posts"]["account"]) == {"acme-shop"}


def test_posts_listed_twice_without_total_are_added_up(tmp_path):
    head = ["Post title", "Post link", "Post type", "Campaign name", "Posted by", "Created date", "Impressions",
            "Clicks", "Likes", "Comments", "Reposts", "Engagement rate", "Content Type"]
    link = "https://www.linkedin.com/feed/update/urn:li:ugcPost:7000000000000000009"
    f = workbook(tmp_path / "page.xlsx", {"All posts": [[DESCRIPTION], head,
        ["Dark post", link, "Sponsored", "Leads A", "Ann", "03/01/2025", 100, 5, 1, 0, 0, 0.06, "Image"],
        ["Dark post", link, "Sponsored", "Leads B", "Ann", "03/01/2025", 300, 7, 2, 1, 0, 0.0333, "Image"]]})
    res, t = parse(f)
    row = t["posts"].iloc[0]
    assert len(t["posts"]) == 1 and row["post_id"] == "urn:li:ugcPost:7000000000000000009"
    assert (row["impressions"], row["clicks"], row["reactions"], row["engagements"]) == (400, 12, 3, 16)
    assert row["post_type"] == "photo" and row["is_paid"] == True  # noqa: E712
    assert res.dropped[0]["rows"] == 1


def test_followers_workbook(tmp_path):
    f = workbook(tmp_path / "acme-shop_followers_1740000000000.xlsx", {
        "New followers": [["Date", "Sponsored followers", "Organic followers", "Auto-invited followers", "Total followers"],
                          ["02/18/2025", 1, 4, 0, 5], ["02/19/2025", 0, 2, 1, 3]],
        "Location": [["Location", "Total followers"], ["Greater Lyon Area", 30], ["Île-de-France, France", 10]],
        "Job function": [["Job function", "Total followers"], ["Sales", 15], ["Engineering", 5]],
        "Seniority": [["Seniority", "Total followers"], ["Senior", 8], ["Entry", 2]],
        "Industry": [["Industry", "Total followers"], ["Retail", 9], ["Software Development", 1]],
        "Company size": [["Company size", "Total followers"], ["51-200", 3], ["10001+", 1]],
    })
    res, t = parse(f)
    assert res.formats == ["linkedin.followers_daily", "linkedin.demographics"]
    assert res.tables == {"account_daily": 8, "audience": 10}
    assert daily(t, "2025-02-18", "followers_gained") == 5  # "Total followers" = new followers that day
    assert daily(t, "2025-02-19", "followers_gained_auto_invited") == 1
    assert "followers" not in set(t["account_daily"]["metric"])  # not a running total
    a = t["audience"].set_index(["dimension", "segment"])
    assert a.loc[("location", "Greater Lyon Area"), "count"] == 30
    assert a.loc[("location", "Greater Lyon Area"), "share"] == pytest.approx(0.75)
    assert a.loc[("company_size", "51-200"), "share"] == pytest.approx(0.75)
    assert a.loc[("job_function", "Sales"), "as_of"] == pd.Timestamp("2025-02-19")  # export epoch 1740000000000
    assert pd.isna(a.loc[("company_size", "51-200"), "age_band"])


def test_visitors_workbook(tmp_path):
    sections = ["Overview", "Life", "Jobs", "Total"]
    head = ["Date"] + [f"{s} {k} ({d})" for s in sections for k in ("page views", "unique visitors")
                       for d in ("desktop", "mobile", "total")]
    row = ["02/18/2025"] + [1, 2, 3, 1, 1, 2] * 3 + [3, 6, 9, 3, 3, 6]
    f = workbook(tmp_path / "acme-shop_visitors_1740000000000.xlsx", {
        "Visitor metrics": [head, row],
        "Industry": [["Industry", "Total views"], ["Retail", 6], ["Banking", 2]],
    })
    res, t = parse(f)
    assert res.formats == ["linkedin.visitors_daily", "linkedin.demographics"]
    assert daily(t, "2025-02-18", "page_views") == 9
    assert daily(t, "2025-02-18", "page_views_mobile") == 6
    assert daily(t, "2025-02-18", "unique_visitors") == 6
    assert daily(t, "2025-02-18", "page_views_overview") == 3
    assert daily(t, "2025-02-18", "unique_visitors_jobs_desktop") == 1
    a = t["audience"].set_index("segment")
    assert set(t["audience"]["dimension"]) == {"visitors_industry"}
    assert a.loc["Retail", "share"] == pytest.approx(0.75)


def test_older_visitor_capitalisation(tmp_path):
    f = workbook(tmp_path / "v.xlsx", {"Visitor metrics": [
        ["Date", "Total Page Views (Desktop)", "Total Page Views (Mobile Devices)", "Total Page Views (Total)",
         "Total Unique Visitors (Desktop)", "Total Unique Visitors (Mobile Devices)", "Total Unique Visitors (Total)"],
        ["01/02/2018", 4, 6, 10, 2, 3, 5]]})
    res, t = parse(f)
    assert res.formats == ["linkedin.visitors_daily"]
    assert daily(t, "2018-01-02", "page_views_mobile") == 6 and daily(t, "2018-01-02", "unique_visitors") == 5
