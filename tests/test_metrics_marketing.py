"""Marketing optimisation: ad costs as ratios of sums, paid vs organic, objective alignment."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, Period
from audit.metrics import marketing as mk
from audit.metrics.findings import Finding, by_severity

D = pd.Timestamp
JAN = [D("2025-01-01"), D("2025-01-31")]


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "meta_ads", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


def ads():
    return table("ads", level="campaign", campaign=["A", "A", "B", "C"],
                 objective=["sales", "sales", "engagement", "engagement"], spend=[100.0, 50, 30, 0],
                 impressions=[10000.0, 5000, 3000, None], reach=[5000.0, 2000, 2500, None],
                 clicks=[100.0, 50, 30, None], link_clicks=[80.0, 40, None, None],
                 engagements=[None, None, 300.0, 10], results=[5.0, 2, 300, 10],
                 result_type=["purchase", "purchase", "post engagement", "post engagement"],
                 period_start=[JAN[0], D("2025-02-01"), JAN[0], JAN[0]],
                 period_end=[JAN[1], D("2025-02-28"), JAN[1], JAN[1]])


def test_ad_performance_by_campaign():
    t = mk.ad_performance(ads(), by=["campaign"]).set_index("campaign")
    a = t.loc["A"]
    assert a["spend"] == 150 and a["impressions"] == 15000 and a["rows"] == 2
    assert a["cpm"] == pytest.approx(150 / 15000 * 1000)
    assert a["cpc"] == pytest.approx(150 / 150)
    assert a["cost_per_link_click"] == pytest.approx(150 / 120)
    assert a["ctr"] == pytest.approx(150 / 15000)
    assert a["link_ctr"] == pytest.approx(120 / 15000)
    assert a["frequency"] == pytest.approx(15000 / 7000)
    assert a["result_type"] == "purchase" and a["results"] == 7
    assert a["cost_per_result"] == pytest.approx(150 / 7)
    assert pd.isna(a["cost_per_engagement"])  # no engagement reported for A
    c = t.loc["C"]
    assert c["spend"] == 0 and c["cost_per_engagement"] == 0 and pd.isna(c["cpm"])  # zero spend, no impressions
    total = t.loc["all"]
    assert total["spend"] == 180
    assert total["result_type"] == "mixed" and pd.isna(total["cost_per_result"])  # never add purchases to engagements
    # cost per engagement over rows that report both: (30 + 0) / (300 + 10)
    assert total["cost_per_engagement"] == pytest.approx(30 / 310)
    assert list(t.index) == ["A", "B", "C", "all"]


def test_default_grouping_keeps_same_named_campaigns_apart():
    df = table("ads", level="campaign", campaign=["Instagram Post"] * 2, campaign_id=["1", "2"], spend=[1.0, 2])
    t = mk.ad_performance(df)
    assert t["campaign_id"].tolist() == ["2", "1", "all"] and t["spend"].tolist() == [2, 1, 3]


def test_money_never_added_across_currencies():
    df = table("ads", level="campaign", campaign=["A", "B", "C"], currency=["EUR", "USD", "EUR"],
               spend=[10.0, 20, 5], impressions=[1000.0, 1000, 1000])
    t = mk.ad_performance(df, by=["campaign"])
    assert list(t.columns[:2]) == ["currency", "campaign"]
    totals = t[t["campaign"] == "all"].set_index("currency")["spend"].to_dict()
    assert totals == {"EUR": 15, "USD": 20}


def test_ratio_of_sums_not_mean_of_rows():
    df = table("ads", level="campaign", campaign=["A", "B"], spend=[10.0, 90], impressions=[10000.0, 1000],
               period_start=[JAN[0]] * 2, period_end=[JAN[1]] * 2)
    total = mk.ad_performance(df, by=["campaign"]).set_index("campaign").loc["all"]
    assert total["cpm"] == pytest.approx(100 / 11000 * 1000)  # 9.09, where the mean of row CPMs would be 45.5


def test_by_objective_and_result_types():
    t = mk.ad_performance(ads(), by=["objective", "result_type"], total=False)
    s = t.set_index(["objective", "result_type"])
    assert s.loc[("engagement", "post engagement"), "cost_per_result"] == pytest.approx(30 / 310)


def test_period_filter():
    p = Period(start="2025-02-01", end="2025-02-28")
    t = mk.ad_performance(ads(), by=["campaign"], period=p).set_index("campaign")
    assert t.loc["all", "spend"] == 50


def test_one_level_per_platform_and_duplicates():
    df = table("ads", level=["campaign", "ad", "ad", "campaign"], campaign=["A", "A", "A", "A"],
               ad=[None, "x", "y", None], spend=[100.0, 60, 40, 100], platform=["meta_ads"] * 3 + ["meta_ads"],
               period_start=[JAN[0]] * 4, period_end=[JAN[1]] * 4)
    scoped = mk.ads_in_scope(df)
    assert len(scoped) == 1 and scoped["spend"].sum() == 100  # ad rows and the re-export are not added
    df2 = df.assign(platform=["meta_ads", "linkedin", "linkedin", "meta_ads"])
    assert mk.ads_in_scope(df2)["spend"].sum() == 200  # LinkedIn only has ad rows: those count


def test_no_ads():
    assert mk.ad_performance(schemas.empty("ads")).empty
    assert mk.spend_by_objective(schemas.empty("ads")).empty


def posts():
    return table("posts", platform="facebook", post_id=[str(i) for i in range(6)],
                 published_at=[D("2025-01-02", tz="UTC")] * 6,
                 text=["Buy at https://shop.example.com/x", "see notexample.com", "nothing", "EXAMPLE.COM/promo",
                       None, "hello"],
                 is_paid=[True, True, False, False, False, None],
                 reach=[100.0, 300, 200, 200, 0, 50], impressions=[150.0, 400, 300, 300, 10, 60],
                 engagements=[10.0, 20, 5, 15, 1, 1], link_clicks=[3.0, 0, None, 2, 0, 0])


def test_paid_vs_organic():
    t, comps = mk.paid_vs_organic(posts(), "Brand")
    s = t.set_index("group")
    assert s.loc["promoted", "er_reach"] == pytest.approx(30 / 400)
    # organic: the post with zero reach is left out of the ratio: (5 + 15) / (200 + 200)
    assert s.loc["organic", "er_reach"] == pytest.approx(20 / 400)
    assert s.loc["organic", "er_impressions"] == pytest.approx(21 / 610)
    assert s.loc["organic", "posts"] == 3 and s.loc["unknown", "posts"] == 1
    assert s.loc["promoted", "median_er_reach"] == pytest.approx((0.1 + 20 / 300) / 2)
    assert len(comps) == 1 and comps[0].verdict == "not enough data"
    assert comps[0].diff == pytest.approx(30 / 400 - 20 / 400)


def test_posts_linking():
    hits = mk.posts_linking(posts(), ["example.com"]).tolist()
    assert hits == [True, False, False, True, False, False]
    assert not mk.posts_linking(posts(), []).any()
    assert mk.posts_linking(posts(), ["https://www.example.com/"]).sum() == 2


def cfg(objectives, domains=("example.com",)):
    return AuditConfig(client="c", brand={"name": "Brand", "domains": list(domains)}, objectives=objectives)


def test_sales_objective_without_links():
    p = posts().assign(text="nothing here")
    f = {x.id: x for x in mk.objective_findings(cfg(["sales"]), p, schemas.empty("ads"))}
    x = f["marketing.sales_without_site_links"]
    assert x.severity == "high" and x.numbers["share"] == 0 and x.numbers["posts"] == 6
    assert x.numbers["posts_with_link_clicks"] == 2


def test_sales_objective_few_links():
    big = pd.concat([posts()] + [posts().assign(text="nothing", post_id=lambda d, i=i: d["post_id"] + f"_{i}")
                                 for i in range(3)], ignore_index=True)
    f = {x.id: x for x in mk.objective_findings(cfg(["sales"]), big, schemas.empty("ads"))}
    assert f["marketing.sales_without_site_links"].severity == "medium"
    assert f["marketing.sales_without_site_links"].numbers["share"] == pytest.approx(2 / 24)
    ok = {x.id: x for x in mk.objective_findings(cfg(["sales"]), posts(), schemas.empty("ads"))}
    assert ok["marketing.site_links_ok"].severity == "info"


def test_links_unchecked_without_domains():
    f = mk.objective_findings(cfg(["traffic"], domains=()), posts(), schemas.empty("ads"))
    assert [x.id for x in f] == ["marketing.site_links_unchecked"]


def test_ads_misaligned():
    df = table("ads", level="campaign", campaign=["A", "B", "C"], objective=["engagement", "awareness", None],
               spend=[70.0, 20, 500], period_start=[JAN[0]] * 3, period_end=[JAN[1]] * 3)
    f = {x.id: x for x in mk.objective_findings(cfg(["sales"]), posts(), df)}
    m = f["marketing.ads_misaligned"]
    assert m.severity == "high" and m.numbers["misaligned_share"] == 1.0  # unknown objective left out
    assert m.numbers["spend_by_ad_objective"] == {"(not set)": 500.0, "engagement": 70.0, "awareness": 20.0}
    assert "engagement" in m.detail
    f = {x.id: x for x in mk.objective_findings(cfg(["image"]), posts(), df)}
    assert f["marketing.ads_aligned"].severity == "info"
    f = {x.id: x for x in mk.objective_findings(cfg(["sales", "engagement"]), posts(), df)}
    assert f["marketing.ads_misaligned"].severity == "medium"
    assert f["marketing.ads_misaligned"].numbers["misaligned_share"] == pytest.approx(20 / 90)


def test_spend_in_other_currencies_is_left_out_and_said():
    """audit.yml says EUR: USD rows are not added to euros; a finding names what is left out."""
    df = table("ads", level="campaign", campaign=["A", "B", "C"], objective=["sales", "engagement", "engagement"],
               currency=["EUR", "USD", None], spend=[60.0, 1000, 40], period_start=[JAN[0]] * 3,
               period_end=[JAN[1]] * 3)
    assert mk.spend_by_objective(df, currency="EUR").to_dict() == {"sales": 60.0, "engagement": 40.0}
    assert mk.spend_in_other_currencies(df, "eur").to_dict() == {"USD": 1000.0}
    f = {x.id: x for x in mk.objective_findings(cfg(["sales"]), posts(), df)}
    other = f["marketing.ad_spend_in_other_currencies"]
    assert other.severity == "medium" and other.numbers["left_out"] == {"USD": 1000.0} and "1,000 USD" in other.detail
    # 40 of 100 EUR serve no sales objective (the 1,000 USD would have made it 1,040 of 1,100)
    assert f["marketing.ads_misaligned"].numbers["misaligned_share"] == pytest.approx(0.4)
    assert "marketing.ad_spend_in_other_currencies" not in {
        x.id for x in mk.objective_findings(cfg(["sales"]), posts(), df[df["currency"] != "USD"])}


def test_sales_without_conversion_data():
    f = {x.id for x in mk.objective_findings(cfg(["sales"]), posts(), ads())}
    assert "marketing.sales_without_conversion_data" in f
    with_conv = ads().assign(conversions=[1.0, 0, 0, 0])
    assert "marketing.sales_without_conversion_data" not in {
        x.id for x in mk.objective_findings(cfg(["sales"]), posts(), with_conv)}
    assert "marketing.sales_without_conversion_data" not in {
        x.id for x in mk.objective_findings(cfg(["image"]), posts(), ads())}


def test_finding_validation_and_order():
    with pytest.raises(ValueError):
        Finding("x", "marketing_optimisation", "urgent", "t", "d", {})
    with pytest.raises(ValueError):
        Finding("x", "marketing", "high", "t", "d", {})
    fs = [Finding("a", "website", "info", "t", "d"), Finding("b", "website", "high", "t", "d")]
    assert [f.id for f in by_severity(fs)] == ["b", "a"]
    assert fs[0].to_dict()["numbers"] == {}


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.integers(0, 500), st.integers(0, 10000),
                          st.integers(0, 10000)), min_size=1, max_size=12),
       st.randoms(use_true_random=False))
def test_properties(rows, rnd):
    rows = [(c, s, i, min(k, i)) for c, s, i, k in rows]
    df = table("ads", level="campaign", campaign=[r[0] for r in rows], spend=[float(r[1]) for r in rows],
               impressions=[float(r[2]) for r in rows], clicks=[float(r[3]) for r in rows],
               ad=[str(i) for i in range(len(rows))])  # distinct rows, none a re-export of another
    t = mk.ad_performance(df, by=["campaign"])
    ctr = t["ctr"].dropna()
    assert ((ctr >= 0) & (ctr <= 1)).all()
    body = t[t["campaign"] != "all"]
    assert body["spend"].sum() == pytest.approx(t.loc[t["campaign"] == "all", "spend"].iloc[0])
    order = list(range(len(rows)))
    rnd.shuffle(order)
    t2 = mk.ad_performance(df.iloc[order].reset_index(drop=True), by=["campaign"])
    key = lambda x: x.set_index("campaign").sort_index()  # noqa: E731
    pd.testing.assert_frame_equal(key(t), key(t2), check_like=True)


META = "meta_ads/scctsi__trial-promoter-app__facebook_ads_manager.csv"


@pytest.mark.realdata
def test_meta_ads_sample_matches_raw_sums(realdata):
    """Real Meta Ads Manager export (535 boosted posts, 2017): package figures against sums of the raw columns."""
    from audit.ingest.pipeline import parse_file
    path = realdata / META
    if not path.exists():
        pytest.skip(f"{META} not available")
    raw = pd.read_csv(path)
    res, tables = parse_file(path, META, cfg(["sales"]))
    assert res.status == "ok", res.errors
    t = mk.ad_performance(tables["ads"].assign(account="Brand"))
    total = t[t["campaign"] == "all"].iloc[0]
    spend, imps = raw["Amount Spent (USD)"], raw["Impressions"]
    assert total["spend"] == pytest.approx(spend.sum(), rel=1e-9)
    assert total["impressions"] == imps.sum()
    both = spend.notna() & imps.notna() & (imps > 0)
    assert total["cpm"] == pytest.approx(spend[both].sum() / imps[both].sum() * 1000, rel=1e-9)
    lc = raw["Link Clicks"]
    both = lc.notna() & imps.notna()
    assert total["link_ctr"] == pytest.approx(lc[both].sum() / imps[both].sum(), rel=1e-9)
    pe = raw["Post Engagement"]
    both = pe.notna() & spend.notna()
    assert total["cost_per_engagement"] == pytest.approx(spend[both].sum() / pe[both].sum(), rel=1e-9)
    assert len(t) - 1 == raw["Campaign ID"].nunique()  # one row per campaign id, plus the total


# The metric modules of engineer 2 (marketing, returns, operations, experience, innovation, website):
# every metric id they register is named in a docstring of the module that computes it.
@pytest.mark.parametrize("name", ["marketing", "returns", "operations", "experience", "innovation", "website"])
def test_metric_ids_named_in_docstrings(name):
    import importlib
    import inspect
    import re

    from audit.metrics.registry import MetricDef

    mod = importlib.import_module(f"audit.metrics.{name}")
    docs = " ".join(inspect.getdoc(f) or "" for _, f in inspect.getmembers(mod, inspect.isfunction)
                    if f.__module__ == mod.__name__)
    tokens = set(re.findall(r"[a-z0-9_.{},]+", docs))
    named = set()
    for t in tokens:  # expand "x.{a,b}" and ".tail" forms
        t = t.strip(".,")
        m = re.fullmatch(r"(.*)\{([a-z0-9_,]+)\}(.*)", t)
        named |= {m.group(1) + alt + m.group(3) for alt in m.group(2).split(",")} if m else {t}
    defs = [v for v in vars(mod).values() if isinstance(v, MetricDef)]
    defs += [x for v in vars(mod).values() if isinstance(v, dict) for x in v.values() if isinstance(x, MetricDef)]
    own = {d.id for d in defs}
    assert own, name
    for mid in own:
        short = mid.split(".", 1)[1]
        assert mid in named or short in named or any(n.endswith("." + short) for n in named), \
            f"{mid} is not named in any docstring of {name}.py"


def test_keyword_report_beside_campaign_report_is_not_counted_twice():
    import pandas as pd

    from audit import schemas
    from audit.metrics import marketing
    base = dict(platform="google_ads", account="B", source_file="f", period_start=pd.Timestamp("2025-01-01"),
                period_end=pd.Timestamp("2025-01-31"), campaign="C", campaign_id="1")
    ads = pd.DataFrame([{**base, "level": "campaign", "spend": 100.0},
                        {**base, "level": "keyword", "spend": 60.0, "adset": "k1"},
                        {**base, "level": "keyword", "spend": 40.0, "adset": "k2"}])
    ads = schemas.conform("ads", ads)
    assert marketing.ads_in_scope(ads)["spend"].sum() == 100.0


def test_ads_all_in_another_currency_say_which():
    """One currency, but not audit.yml's: the totals carry it, so that nobody reads USD as EUR;
    rows naming none are in audit.yml's currency."""
    df = table("ads", level="campaign", campaign=["A", "B"], currency=["USD", "USD"], spend=[10.0, 20])
    t = mk.ad_performance(df, by=["campaign"], currency="EUR")
    assert t.set_index("campaign").loc["all", "currency"] == "USD"
    assert "currency" not in mk.ad_performance(df, by=["campaign"]).columns  # nothing to tell it from
    mixed = table("ads", level="campaign", campaign=["A", "B"], currency=["eur", None], spend=[10.0, 20])
    assert "currency" not in mk.ad_performance(mixed, by=["campaign"], currency="EUR").columns  # all in EUR
