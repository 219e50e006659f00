"""The demo client (data/demo): the generator reproduces the shipped folder byte for byte, each
export keeps its platform's layout, and the package's metrics find every planted effect with the
expected sign, and find nothing where nothing was planted (data/demo/README.md lists them)."""
from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from audit.config import Period, load_config
from audit.demo import DEFAULT_SEED, ads, generate
from audit.demo import world as W
from audit.demo.writers import CsvWriter, csv_bytes, write_zip
from audit.errors import UsageError
from audit.paths import DEMO_CLIENT

CRISIS = Period(start=W.CRISIS_START, end=W.CRISIS_END)


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.relative_to(folder).parts[0].startswith(".")}


# ------------------------------------------------------------------------------------ generator
@pytest.mark.slow
def test_scale_1_reproduces_the_shipped_demo_byte_for_byte(tmp_path):
    generate(tmp_path / "demo", scale=1, seed=DEFAULT_SEED)
    made, shipped = _files(tmp_path / "demo"), _files(DEMO_CLIENT)
    assert sorted(made) == sorted(shipped)
    differ = [name for name in shipped if made[name].read_bytes() != shipped[name].read_bytes()]
    assert not differ, f"regenerated files differ from data/demo: {differ}"


def test_another_seed_gives_other_data_and_the_same_seed_the_same(tmp_path):
    for seed in (1, 2, 1):
        ads.meta_ads(tmp_path / str(seed), seed, 1)
    a, b, a_again = ((tmp_path / s / "ads" / "pub_meta_2024-2026.csv").read_bytes() for s in ("1", "2", "1"))
    assert a != b
    assert a == a_again


def test_generator_refuses_to_empty_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UsageError):
        generate(tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"
    with pytest.raises(ValueError):
        generate(tmp_path / "new", scale=0)


def test_shipped_folder_is_small():
    size = sum(p.stat().st_size for p in _files(DEMO_CLIENT).values())
    assert size < 10 * 1024 * 1024


# ------------------------------------------------------------------------------------ writers
def test_csv_writer_quoting_encodings_and_line_ends():
    rows = [["Post ID", "Page name", "Reach"], ["1", "Maison Brindelle", 12], ["2", 'a "b", c', 3.5]]
    assert csv_bytes(rows) == b'Post ID,Page name,Reach\n1,Maison Brindelle,12\n2,"a ""b"", c",3.5\n'
    assert csv_bytes(rows, quoting="space", bom=True).startswith(b'\xef\xbb\xbf"Post ID","Page name",Reach\n')
    assert csv_bytes([["Date", "Primary"]], encoding="utf-16", quoting="all") == \
        b"\xff\xfe" + '"Date","Primary"\n'.encode("utf-16-le")
    assert csv_bytes([["a"], ["b"]], final_eol=False, eol="\r\n") == b"a\r\nb"
    assert csv_bytes([["Montant", 1.5], ["x", None]], sep=";", decimal=",") == b"Montant;1,5\nx;\n"
    buf = io.BytesIO()
    with CsvWriter(buf, sep=";") as w:
        w.line("title line")
        w.row(["a;b", 2])
    assert buf.getvalue() == b'title line\n"a;b";2\n'


def test_zips_are_byte_identical_and_dated_1980(tmp_path):
    for name in ("a.zip", "b.zip"):
        write_zip(tmp_path / name, [("x/Table data.csv", b"Content,Views\n")])
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    info = zipfile.ZipFile(tmp_path / "a.zip").infolist()[0]
    assert info.date_time == (1980, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------------------------ layouts
def test_shipped_files_keep_their_platforms_quirks():
    d = DEMO_CLIENT
    fb = (d / "meta" / "Oct-01-2025_Sep-30-2026_104271996638120.csv").read_bytes()
    assert fb.startswith(b'\xef\xbb\xbf"Post ID","Page ID","Page name",Title,')
    assert b',"10/01/2025 ' in fb or b',"10/02/2025 ' in fb  # MM/DD/YYYY HH:MM
    series = (d / "meta" / "insights" / "Reach.csv").read_bytes().decode("utf-16")
    assert series.startswith('sep=,\n"Facebook reach"\n"Date","Primary"\n"2024-10-01T')
    old = (d / "meta" / "insights" / "Page likes.csv").read_bytes().decode("utf-16")
    assert old.startswith('sep=,\r\n"Date","Facebook Page likes"\r\n')
    audience = (d / "meta" / "insights" / "Audience.csv").read_bytes().decode("utf-16")
    assert '"Age & gender"\n"","Women","Men"\n' in audience and '\n\n"Top countries"\n' in audience
    ga4 = (d / "ga4" / "Landing_page_Landing_page.csv").read_bytes()
    assert ga4.startswith(b"# ----") and b"\n# Start date: 20251001\n# End date: 20260930\n" in ga4
    assert not ga4.endswith(b"\n")
    gads = (d / "ads" / "Campaign report.csv").read_text("utf-8").splitlines()
    assert gads[:2] == ["Campaign report", '"October 1, 2025 - September 30, 2026"']
    assert any(line.startswith("Total: Campaigns, --") for line in gads)
    meta_ads = (d / "ads" / "pub_meta_2024-2026.csv").read_bytes().decode("utf-8-sig")
    assert meta_ads.startswith("Jour;Nom de la campagne;") and "Montant dépensé (EUR)" in meta_ads.splitlines()[0]
    assert ";" in meta_ads and ",0" in meta_ads  # decimal commas
    x = (d / "x" / "account_analytics_content_2025-10-01_2026-09-30.csv").read_bytes()
    assert x.startswith(b"Post id,Date,Post text,Link,") and b"\r\n" in x
    press = (d / "ecoute" / "revue_presse_orsane.csv").read_bytes()
    press.decode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        press.decode("utf-8")
    tiktok = (d / "tiktok" / "Overview.csv").read_bytes()
    assert tiktok.startswith(b"\xef\xbb\xbfDate,Video views,") and b"Phone number clicks ," in tiktok


def test_linkedin_workbook_layout():
    import openpyxl

    path = next((DEMO_CLIENT / "linkedin").glob("maison-brindelle_content_*.xlsx"))
    wb = openpyxl.load_workbook(path, read_only=True)
    assert wb.sheetnames == ["Metrics", "All posts"]
    rows = list(wb["Metrics"].iter_rows(min_row=1, max_row=3, values_only=True))
    assert rows[0][0].startswith("Aggregated engagement metrics") and rows[1][0] == "Date"
    assert isinstance(rows[2][0], str) and len(rows[2][0]) == 10  # MM/DD/YYYY as text
    assert zipfile.ZipFile(path).infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


# ------------------------------------------------------------------------------------ planted effects
@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """An ingested copy of the shipped demo: (config, tables, ingest report, audit period)."""
    from audit.ingest import ingest
    from audit.metrics.period import resolve_periods
    from audit.tables import load_tables

    folder = tmp_path_factory.mktemp("demo") / "demo"
    shutil.copytree(DEMO_CLIENT, folder, ignore=shutil.ignore_patterns(".audit"))
    report = ingest(folder, progress=False)
    config = load_config(folder)
    tables = load_tables(folder)
    audit_period, _ = resolve_periods(tables, config)
    assert (audit_period.start, audit_period.end) == (W.AUDIT_START, W.END)
    return config, tables, report, audit_period


def test_ingest_recognises_the_demo_exports(demo):
    _, tables, report, _ = demo
    assert [f.file for f in report.files if f.status != "ok"] == []
    assert [(f.file, f.errors) for f in report.files if f.errors] == []
    assert report.exit_code == 0
    from audit.schemas import TABLE_NAMES
    assert [t for t in TABLE_NAMES if not tables.has(t)] == []


def test_short_videos_outperform_other_content_types(demo):
    from audit.metrics.channels import compare_content

    config, t, _, period = demo
    res = compare_content(t.posts, "post_type", config.brand.name, t.account_daily, period, config.timezone)
    verdict = res.set_index(["platform", "group"])["verdict"]
    assert verdict["instagram", "reel"] == "higher"
    assert verdict["instagram", "photo"] == "lower"
    assert verdict["facebook", "reel"] == "higher" and verdict["facebook", "video"] == "higher"
    assert verdict["facebook", "link"] == "lower"
    m = res.set_index(["platform", "group"])["value"]
    assert m["instagram", "reel"] > 1.7 * m["instagram", "photo"]


def test_posting_slot_makes_no_reliable_difference(demo):
    from audit.metrics import stats
    from audit.metrics.channels import post_frame

    config, t, _, period = demo
    p = post_frame(t.posts, t.account_daily, period, config.timezone)
    p = p[(p["account"] == config.brand.name) & p["platform"].isin(["facebook", "instagram"])]
    slot = np.select([p["hour"] < 11, p["hour"] < 15], ["morning", "lunch"], "evening")
    checked = 0
    for platform, g in p.assign(slot=slot).groupby("platform"):
        res = stats.compare_many(g, "er_reach", "slot", "channels.engagement_by_hour")
        assert set(res["group"]) == {"morning", "lunch", "evening"}
        assert (res["verdict"] == "no reliable difference").all(), (platform, res[["group", "verdict"]])
        checked += 1
    assert checked == 2


def test_crisis_week_is_the_one_spike_of_negative_talk(demo):
    from audit.metrics.brand import sentiment, spikes

    config, t, _, period = demo
    s = spikes(t.mentions, config.brand.name, period, config.timezone)
    s["week"] = s["day"].dt.to_period("W-SUN")
    in_crisis = (s["day"] >= pd.Timestamp(W.CRISIS_START)) & (s["day"] <= pd.Timestamp(W.CRISIS_END))
    assert s.loc[in_crisis, "is_spike"].all()
    per_week = s[~in_crisis].groupby("week")["is_spike"].sum()
    assert per_week.max() <= 2  # elsewhere, a spike is an isolated day (seasonal peaks), never a week
    assert s.loc[in_crisis, "mentions"].max() > 2 * s.loc[~in_crisis, "mentions"].max()
    brand = config.brand.name
    crisis = sentiment(t.mentions[t.mentions["account"] == brand], CRISIS, config.timezone).iloc[0]
    year = sentiment(t.mentions[t.mentions["account"] == brand], period, config.timezone).iloc[0]
    assert crisis["negative_low"] > 0.5 > 0.25 > year["negative_high"]


def test_crisis_starts_with_one_influential_author(demo):
    from audit.metrics.brand import influencers

    config, t, _, period = demo
    week = influencers(t.mentions, config.brand.name, CRISIS, config.timezone, n=None)
    critic = week.set_index("author").loc[W.CRISIS_AUTHOR]
    assert critic["negative"] == 1
    assert critic["tool_influence"] == week["tool_influence"].max() == 10
    assert critic["reach"] == week["reach"].max() and critic["engagement"] == week["engagement"].max()
    year = influencers(t.mentions, config.brand.name, period, config.timezone, n=None)
    assert (year["tool_influence"] == 10).sum() == 1  # nobody else that influential all year


def test_one_competitor_is_dominated_by_service_complaints(demo):
    from audit.metrics.brand import sentiment
    from audit.metrics.competitors import complaint_topics

    config, t, _, period = demo
    orsane, solvene = (c.name for c in W.COMPETITORS)
    topics = complaint_topics(t, config, period)
    share = topics.drop_duplicates("account").set_index("account")
    assert share.loc[orsane, "complaint_low"] > 2 * share.loc[solvene, "complaint_high"]
    o = topics[topics["account"] == orsane].set_index("topic")["topic_share"]
    assert o.get("delivery", 0) + o.get("billing_refund", 0) + o.get("customer_service", 0) > 0.6
    sent = sentiment(t.mentions, period, config.timezone).set_index("account")
    assert sent.loc[orsane, "negative_low"] > 0.35
    assert sent.loc[solvene, "negative_high"] < 0.2


def test_sales_objective_without_shop_links_and_ads_bought_for_engagement(demo):
    from audit.metrics.marketing import link_share, objective_findings, spend_by_objective

    config, t, _, period = demo
    assert "sales" in config.objectives
    est, _ = link_share(t.posts, config, period)
    assert est.high < 0.10
    ids = {f.id for f in objective_findings(config, t.posts, t.ads, period)}
    assert {"marketing.sales_without_site_links", "marketing.ads_misaligned"} <= ids
    meta = spend_by_objective(t.ads[t.ads["platform"] == "meta_ads"], config.brand.name, period)
    assert meta.index[0] == "engagement" and meta["engagement"] > 0.6 * meta.sum()
    assert meta.get("sales", 0) < 0.1 * meta.sum()


def test_audience_of_one_platform_misses_the_persona(demo):
    from audit.metrics.audience import target_fit

    config, t, _, _ = demo
    fit = target_fit(t.audience, config.target, config.brand.name).set_index(["platform", "criterion"])
    assert fit.loc[("facebook", "age_gender"), "coverage"] < 0.2
    assert fit.loc[("instagram", "age_gender"), "coverage"] > 0.4
    assert fit.loc[("facebook", "fit"), "score"] < fit.loc[("instagram", "fit"), "score"]


def test_brand_is_talked_about_on_pinterest_where_it_is_absent(demo):
    from audit.metrics.audience import presence_gap

    config, t, _, period = demo
    gap = presence_gap(t, config, period).set_index("platform")
    assert gap.loc["pinterest", "gap"] == "absent where it matters"
    assert not gap.loc["pinterest", "present"]
    assert gap.loc["pinterest", "mention_low"] > 0.1 and gap.loc["pinterest", "survey_low"] > 0.2
    others = gap.drop(index="pinterest")
    assert (others["gap"] != "absent where it matters").all()
    assert others.loc[["facebook", "instagram", "x", "tiktok"], "present"].all()


def test_questions_unanswered_and_slow_weekend_answers(demo):
    from audit.metrics.experience import response_rates, weekday_vs_weekend

    config, t, _, period = demo
    rates = {e.label: e for e in response_rates(t.inbox, config.brand.name, period, config.timezone)}
    assert 0.6 < rates["questions"].low and rates["questions"].high < 0.85
    _, times = weekday_vs_weekend(t.inbox, config.brand.name, period, config.timezone)
    assert times.verdict == "lower"  # weekday faster than weekend
    assert times.b.value > 2.5 * times.a.value


def test_social_care_is_cheaper_per_contact_than_the_call_centre(demo):
    from audit.metrics.operations import cost_per_contact

    config, t, _, period = demo
    est = {(e.metric, e.label): e for e in cost_per_contact(t.inbox, config, period)}
    social = est["operations.cost_per_social_contact", "social"].value
    assert social is not None and social < 0.7 * config.costs.call_centre_cost_per_contact


def test_the_planted_customer_suggestions_are_found_and_nothing_else(demo):
    from audit.metrics.innovation import collect_texts, find_ideas

    config, t, _, _ = demo
    everything = Period(start=W.START, end=W.END)
    ideas = find_ideas(collect_texts(t, config.brand.name, everything, config.timezone), config)
    planted = set(W.SUGGESTIONS_INBOX + W.SUGGESTIONS_REVIEWS + W.SUGGESTIONS_SURVEY)
    found = set(ideas["text"])
    assert planted <= found
    assert found <= planted
