"""Website metrics: channel groups, landing pages, engagement time, objective pages."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, Period
from audit.metrics import website as w

D = pd.Timestamp
YEAR = Period(start="2025-01-01", end="2025-12-31")


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "ga4", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


def traffic():
    return table("web_traffic", dimension="channel_group",
                 value=["Organic Social", "organic social", "Direct", "Paid Social", "Direct"],
                 period_start=[D("2025-01-01")] * 4 + [D("2025-03-01")],
                 period_end=[D("2025-12-31")] * 4 + [D("2025-03-31")],
                 sessions=[100.0, 50, 300, 20, 99], engaged_sessions=[60.0, None, 200, 5, 1],
                 key_events=[3.0, 1, 10, 0, 0], revenue=[10.0, None, 90, 0, 5])


def test_sessions_by_channel_group():
    t = w.sessions_by(traffic(), period=YEAR).set_index("value")
    # the March-only Direct export lies inside the year export: dropped, not added
    assert t["sessions"].to_dict() == {"Direct": 300, "Organic Social": 150, "Paid Social": 20}
    assert t.loc["Organic Social", "share"] == pytest.approx(150 / 470)
    # engaged rate over rows where both are known: 60 / 100, not 60 / 150
    assert t.loc["Organic Social", "engaged_rate"] == pytest.approx(0.6)
    assert t.loc["Organic Social", "key_events_per_session"] == pytest.approx(4 / 150)
    assert t.loc["Direct", "revenue"] == 90
    assert t.loc["Paid Social", "engaged_low"] < 0.25 < t.loc["Paid Social", "engaged_high"]
    assert list(t.index) == ["Direct", "Organic Social", "Paid Social"]  # largest first
    assert len(w.sessions_by(traffic(), period=YEAR, top=1)) == 1


def test_period_overlap_and_daily_rows_win():
    df = table("web_traffic", dimension="channel_group", value=["Direct", "Direct", "Direct", "Direct"],
               date=[D("2025-01-05"), D("2025-02-05"), pd.NaT, D("2024-12-31")],
               period_start=[pd.NaT, pd.NaT, D("2025-01-01"), pd.NaT],
               period_end=[pd.NaT, pd.NaT, D("2025-12-31"), pd.NaT], sessions=[1.0, 2, 1000, 4])
    t = w.sessions_by(df, period=YEAR)
    assert t["sessions"].tolist() == [3]  # daily rows in the period; the range row is not added to them
    assert w.sessions_by(df)["sessions"].tolist() == [7]


def test_overlapping_keeps_partial_and_undated_rows():
    df = pd.DataFrame({"period_start": [D("2024-12-01"), D("2026-01-01"), pd.NaT],
                       "period_end": [D("2025-01-31"), D("2026-01-31"), pd.NaT]})
    assert w.overlapping(df, YEAR).index.tolist() == [0, 2]


def test_sessions_by_source_and_empty():
    df = table("web_traffic", dimension="source", value=["facebook.com", "l.facebook.com", "google"],
               sessions=[5.0, 7, 10])
    assert w.sessions_by(df, "source")["value"].tolist() == ["google", "l.facebook.com", "facebook.com"]
    assert w.sessions_by(df, "channel_group").empty
    assert w.sessions_by(schemas.empty("web_traffic")).empty


def pages():
    return table("web_pages", page_kind=["page"] * 5 + ["landing"] * 3,
                 page=["/fr/boutique/x", "https://x.com/Shop?a=1", "/about", "/", "/about",
                       "/shop", "/", "/?utm_source=fb"],
                 title=["Boutique", "Shop", "About", "Home", "About", None, None, None],
                 views=[10.0, 20, 30, 40, 6, None, None, None], users=[5.0, 10, 15, None, 3, None, None, None],
                 engagement_time_s=[60.0, 30, 10, 5, 20, None, None, None],
                 sessions=[None] * 5 + [7.0, 9, 1], key_events=[None] * 5 + [2.0, 0, 0])


def test_engaging_pages_by_hand():
    t = w.engaging_pages(pages()).set_index("page")
    # /about: 10 s x 15 users + 20 s x 3 users = 210 s; '/': 5 s x 40 views (no users) = 200 s
    assert t.loc["/about", "engagement_hours"] == pytest.approx(210 / 3600)
    assert t.loc["/about", "avg_engagement_s"] == pytest.approx(210 / 18)
    assert t.loc["/", "engagement_hours"] == pytest.approx(200 / 3600)
    assert t.loc["/fr/boutique/x", "engagement_hours"] == pytest.approx(300 / 3600)
    assert t.loc["/Shop", "engagement_hours"] == pytest.approx(300 / 3600)
    assert t["share"].sum() == pytest.approx(1)
    assert t.index[-1] == "/"


def test_landing_pages():
    t = w.landing_pages(pages()).set_index("page")
    assert t.loc["/", "sessions"] == 10  # '/?utm_source=fb' is the home page
    assert t.loc["/shop", "key_events_per_session"] == pytest.approx(2 / 7)
    assert t["share"].sum() == pytest.approx(1)


def test_objective_pages_and_findings():
    cfg = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["sales", "image", "recruitment"])
    t = w.objective_pages(pages(), cfg).set_index("objective")
    # sales: /fr/boutique/x (language prefix ignored) and /Shop (case-insensitive, host and query removed)
    assert t.loc["sales", "pages"] == 2 and t.loc["sales", "views"] == 30
    assert t.loc["sales", "view_share"] == pytest.approx(30 / 106)
    assert t.loc["sales", "landing_sessions"] == 7
    assert t.loc["image", "views"] == 36
    assert bool(t.loc["recruitment", "declared"]) and not bool(t.loc["engagement", "declared"])
    f = {x.id: x for x in w.objective_page_findings(pages(), cfg)}
    assert f["website.no_pages_recruitment"].severity == "medium"
    assert "website.no_pages_sales" not in f
    f = {x.id: x for x in w.objective_page_findings(pages(), cfg, low_share=0.5)}
    assert f["website.few_views_sales"].numbers["view_share"] == pytest.approx(30 / 106)


def test_objective_without_patterns():
    cfg = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["innovation"])
    f = w.objective_page_findings(pages(), cfg)
    assert [x.id for x in f] == ["website.no_patterns_innovation"] and f[0].severity == "info"
    assert w.objective_page_findings(schemas.empty("web_pages"), cfg) == []


@pytest.mark.parametrize("path,hit", [
    ("/shop", True), ("/shop/item", True), ("/en-gb/shop/x", True), ("/workshop", False),
    ("/SHOP", True), ("https://www.x.fr/panier?x=1", True), ("/blog/shop", False),
])
def test_match_pages(path, hit):
    assert bool(w.match_pages(pd.Series([path]), ["/shop*", "/panier*"]).iloc[0]) is hit


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Organic Social", "Direct", "Referral", "organic social"]),
                          st.integers(0, 1000), st.integers(0, 1000)), min_size=1, max_size=15),
       st.randoms(use_true_random=False))
def test_properties(rows, rnd):
    rows = [(v, s, min(e, s)) for v, s, e in rows]
    df = table("web_traffic", dimension="channel_group", value=[r[0] for r in rows],
               sessions=[float(r[1]) for r in rows], engaged_sessions=[float(r[2]) for r in rows])
    t = w.sessions_by(df)
    if t["sessions"].sum() > 0:
        assert t["share"].sum() == pytest.approx(1)
    rates = t["engaged_rate"].dropna()
    assert ((rates >= 0) & (rates <= 1)).all()
    order = list(range(len(rows)))
    rnd.shuffle(order)
    t2 = w.sessions_by(df.iloc[order].reset_index(drop=True))
    key = lambda x: x.assign(value=x["value"].str.casefold()).set_index("value").sort_index()  # noqa: E731
    pd.testing.assert_frame_equal(key(t), key(t2))


GA = "google_analytics/seed0x__h2oplumbers__"


def _ga(realdata, name):
    from audit.ingest.pipeline import parse_file
    rel = GA + name
    if not (realdata / rel).exists():
        pytest.skip(f"{rel} not available")
    cfg = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["sales"])
    res, tables = parse_file(realdata / rel, rel, cfg)
    assert res.status == "ok", res.errors
    return pd.read_csv(realdata / rel, comment="#"), tables


@pytest.mark.realdata
def test_ga4_channel_groups_match_raw_columns(realdata):
    raw, tables = _ga(realdata, "Traffic_acquisition_Session_primary_channel_group_(Default_Channel_Group).csv")
    t = w.sessions_by(tables["web_traffic"]).set_index("value")
    raw = raw.set_index(raw.columns[0])
    assert t["sessions"].to_dict() == raw["Sessions"].astype(float).to_dict()
    assert t["share"].to_dict() == pytest.approx((raw["Sessions"] / raw["Sessions"].sum()).to_dict())
    # GA4's own engagement rate column is engaged sessions / sessions
    assert t["engaged_rate"].to_dict() == pytest.approx(raw["Engagement rate"].to_dict())
    ps = w.sessions_by(tables["web_traffic"], period=Period(start="2025-06-01", end="2025-06-30"))
    assert ps["sessions"].sum() == raw["Sessions"].sum()  # the export's range covers June: counted whole


@pytest.mark.realdata
def test_ga4_pages_match_raw_columns(realdata):
    raw, tables = _ga(realdata, "Pages_and_screens_Page_path_and_screen_class.csv")
    t = w.engaging_pages(tables["web_pages"], top=1000).set_index("page")
    raw = raw.groupby(raw.columns[0]).agg(views=("Views", "sum"), users=("Active users", "sum"),
                                          total=("Average engagement time per active user",
                                                 lambda s: (s * raw.loc[s.index, "Active users"]).sum()))
    assert t["views"].to_dict() == pytest.approx(raw["views"].to_dict())
    assert t["engagement_hours"].to_dict() == pytest.approx((raw["total"] / 3600).to_dict())
    top = raw["total"].idxmax()
    assert t.index[0] == top
