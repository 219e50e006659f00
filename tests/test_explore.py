"""The explorer, driven from Python: build it on a small hand-made client, set the controls as a
user would, and check what it shows (the weekly figures, the chart's data, the table, the posts
and mentions listed) against values worked out by hand and against the metric functions called
directly on the same week (the explorer computes no metric itself)."""
from __future__ import annotations

import ast
import datetime as dt
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from audit import schemas
from audit.config import Period, load_config
from audit.explorer import Explorer
from audit.explorer import html as h
from audit.explorer.data import ALL_PLATFORMS, BY_KEY, ExploreData, unusual_weeks, weeks
from audit.metrics import brand, channels
from audit.runner import select_notebooks
from audit.session import Audit
from audit.tables import Tables

ROOT = Path(__file__).resolve().parent.parent
MONDAY = pd.Timestamp("2024-01-01")          # the period is 13 full weeks: 1 Jan - 31 Mar 2024
WEEKS = 13
ODD_WEEK = 7                                 # the brand's posts that week drew 200 reactions each
SPIKE_DAY = pd.Timestamp("2024-01-31")       # a Wednesday: 20 extra mentions of the brand
SCRIPT = "<script>alert('x')</script> croissant"

CONFIG = """client: Test <b>client</b>
brand:
  name: Brand
competitors:
  - name: Rival & Co
objectives: [sales]
timezone: UTC
period: {start: 2024-01-01, end: 2024-03-31}
"""


def _at(day: pd.Timestamp, hour: int = 12) -> pd.Timestamp:
    return (day + pd.Timedelta(hours=hour)).tz_localize("UTC")


def _posts() -> pd.DataFrame:
    """Brand on Facebook: 2 posts a week (Monday, Thursday), reactions 10 + k (200 in the odd week),
    comments 2, shares 1, reach 100. Rival: 1 post a week, 5 reactions, reach 50. One Brand post on
    Instagram (no reach) and one undated. Hand values: brand engagements in week k = 2 (13 + k), 406 in the odd week;
    engagement rate by reach = that / 200."""
    rows = []
    for k in range(WEEKS):
        for d, n in ((0, 0), (3, 1)):
            reactions = 200 if k == ODD_WEEK else 10 + k
            rows.append(dict(platform="facebook", account="Brand", post_id=f"b{k}{n}",
                             published_at=_at(MONDAY + pd.Timedelta(days=7 * k + d)), post_type="photo",
                             text=f"Post {k}.{n} " + (SCRIPT if k == ODD_WEEK and n == 0 else "#pain"),
                             permalink="javascript:alert(1)" if k == ODD_WEEK and n == 1 else
                             f"https://facebook.com/brand/posts/{k}{n}?a=1&b=2",
                             reactions=reactions, comments=2, shares=1, reach=100, impressions=150))
        rows.append(dict(platform="facebook", account="Rival & Co", post_id=f"r{k}",
                         published_at=_at(MONDAY + pd.Timedelta(days=7 * k + 2)), post_type="video",
                         text="Rival post", permalink=f"https://facebook.com/rival/{k}", reactions=5, comments=0,
                         shares=0, reach=50, impressions=80))
    rows.append(dict(platform="instagram", account="Brand", post_id="i1", published_at=_at(MONDAY),
                     post_type="reel", text="Insta", permalink="https://instagram.com/p/1", reactions=7, comments=1))
    rows.append(dict(platform="facebook", account="Brand", post_id="undated", published_at=pd.NaT, reactions=99,
                     reach=100))  # an export without a date: in no week, in no period
    return pd.DataFrame(rows).assign(source_file="posts.csv")


def _mentions() -> pd.DataFrame:
    """Brand: every week one positive (Monday), one negative (Wednesday) and one neutral (Friday)
    mention on X; on SPIKE_DAY 10 more negative ones from a news site ('retard de livraison') and 10
    positive ones on X ('super croissant'). Rival: 2 negative mentions a week on X."""
    rows = []
    for k in range(-6, WEEKS):  # six weeks before the period feed the spike baseline
        week = MONDAY + pd.Timedelta(days=7 * k)
        for d, s in ((0, "positive"), (2, "negative"), (4, "neutral")):
            rows.append(dict(account="Brand", platform="x", source="x.com", sentiment=s, text=f"regular {k}",
                             url=f"https://x.com/u/status/{k}{d}", published_at=_at(week + pd.Timedelta(days=d)),
                             reach=10.0, author=f"user{k}"))
        for d in (1, 3):
            rows.append(dict(account="Rival & Co", platform="x", source="x.com", sentiment="negative",
                             text="rival slow", url=f"https://x.com/r/status/{k}{d}",
                             published_at=_at(week + pd.Timedelta(days=d)), reach=5.0, author="critic"))
    for i in range(10):
        rows.append(dict(account="Brand", platform="web", source="news-fictive.fr", sentiment="negative",
                         text="retard de livraison", title="Les clients attendent", url="javascript:alert(1)",
                         published_at=_at(SPIKE_DAY, 8 + i), reach=1000.0 + i, author="<b>journal</b>"))
        rows.append(dict(account="Brand", platform="x", source="x.com", sentiment="positive", text="super croissant",
                         url=f"https://x.com/fan/status/{i}", published_at=_at(SPIKE_DAY, 9 + i), reach=20.0,
                         author=f"fan{i}"))
    m = pd.DataFrame(rows)
    return m.assign(mention_id=[f"m{i}" for i in range(len(m))], source_file="mentions.csv")


def _daily() -> pd.DataFrame:
    """Brand on Facebook from 25 Dec 2023: followers = 1000 + days since then, 1 gained a day.
    Hand values: followers at the end of week k = 1013 + 7 k; gained in a full week = 7."""
    days = pd.date_range("2023-12-25", "2024-03-31", freq="D")
    base = dict(platform="facebook", account="Brand", source_file="page.csv")
    f = pd.DataFrame(dict(base, date=days, metric="followers", value=1000.0 + np.arange(len(days))))
    g = pd.DataFrame(dict(base, date=days, metric="followers_gained", value=1.0))
    return pd.concat([f, g], ignore_index=True)


@pytest.fixture(scope="module")
def audit_(tmp_path_factory) -> Audit:
    folder = tmp_path_factory.mktemp("client")
    (folder / "audit.yml").write_text(CONFIG, encoding="utf-8")
    config = load_config(folder)
    tables = Tables({"posts": schemas.conform("posts", _posts()), "mentions": schemas.conform("mentions", _mentions()),
                     "account_daily": schemas.conform("account_daily", _daily())})
    return Audit(folder, config, tables, config.period, config.comparison_period or config.period)


@pytest.fixture
def ex(audit_) -> Explorer:
    e = Explorer(audit=audit_)
    assert e.last_error is None
    return e


def _week(k: int) -> Period:
    start = (MONDAY + pd.Timedelta(days=7 * k)).date()
    return Period(start=start, end=start + dt.timedelta(days=6))


# ------------------------------------------------------------------ the data side
def test_weeks_are_monday_to_sunday_cut_to_the_period():
    w = weeks(Period(start=dt.date(2024, 1, 3), end=dt.date(2024, 1, 16)))
    assert list(w["week"].dt.strftime("%Y-%m-%d")) == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert list(w["start"].dt.day) == [3, 8, 15] and list(w["end"].dt.day) == [7, 14, 16]
    assert list(w["days"]) == [5, 7, 2]


def test_unusual_weeks_by_hand():
    # median 10.5; absolute deviations' median 1.0, so robust SD 1.4826; 40 is 19.9 SD above
    values = [10, 12, 9, 11, 10, 13, 9, 10, 40, 11]
    flag, z = unusual_weeks(values, [True] * 10)
    assert list(flag) == [""] * 8 + ["high", ""]
    assert z[8] == pytest.approx(29.5 / 1.4826) and z[5] == pytest.approx(2.5 / 1.4826)
    flag, _ = unusual_weeks([10, 12, 9, 11, 10, 13, 9, 10, -40, 11], [True] * 10)
    assert flag[8] == "low"
    # a partial week is never flagged, and fewer than 8 full weeks flag nothing
    flag, _ = unusual_weeks(values, [True] * 8 + [False, True])
    assert flag[8] == ""
    assert list(unusual_weeks(values[:7], [True] * 7)[0]) == [""] * 7
    # no spread at all: nothing is unusual
    assert list(unusual_weeks([5] * 10, [True] * 10)[0]) == [""] * 10


def test_rows_of_an_account_platform_and_days(audit_):
    d = ExploreData(audit_)
    r = d.rows("posts", "Brand", "facebook", "2024-01-04", "2024-01-08")   # a Thursday to a Monday
    assert r["post_id"].tolist() == ["b01", "b10"]
    assert len(d.rows("posts", "Brand", "facebook")) == 2 * WEEKS + 1      # the undated post too
    assert len(d.rows("posts", None, "facebook", "2024-01-01", "2024-01-07")) == 3
    assert d.rows("posts", "Nobody", "facebook").empty and d.rows("posts", "Brand", "tiktok").empty
    assert len(d.rows("mentions", "Brand", ALL_PLATFORMS, SPIKE_DAY, SPIKE_DAY)) == 21
    assert len(d.rows("mentions", "Brand", "other web", SPIKE_DAY, SPIKE_DAY)) == 10  # brand.mention_platform
    assert d.platforms("mentions") == [ALL_PLATFORMS, "x", "other web"]
    assert d.accounts() == ["Brand", "Rival & Co"]


def test_weekly_engagement_matches_hand_values_and_the_metric_function(audit_):
    d = ExploreData(audit_)
    s, whole = d.series(BY_KEY["engagements"], "Brand", "facebook", audit_.period)
    expected = [406 if k == ODD_WEEK else 2 * (13 + k) for k in range(WEEKS)]
    assert list(s["value"]) == expected and list(s["n"]) == [2] * WEEKS
    assert whole["value"] == sum(expected)
    assert list(s["unusual"]) == ["high" if k == ODD_WEEK else "" for k in range(WEEKS)]
    er, _ = d.series(BY_KEY["er_reach"], "Brand", "facebook", audit_.period)
    assert er["value"].tolist() == pytest.approx([e / 200 for e in expected])
    # the same as the library's own function on that week's posts, interval included
    frame = channels.post_frame(audit_.tables.posts, audit_.tables.account_daily, _week(3), "UTC")
    direct = channels.engagement_rates(frame, frame=frame).set_index("account").loc["Brand"]
    assert er.loc[3, ["value", "low", "high", "n"]].tolist() == pytest.approx(
        [direct["er_reach"], direct["er_reach_low"], direct["er_reach_high"], direct["er_reach_posts"]])


def test_weekly_counts_sentiment_share_of_voice_and_followers(audit_):
    d = ExploreData(audit_)
    period = audit_.period
    posts, _ = d.series(BY_KEY["posts"], "Rival & Co", "facebook", period)
    assert list(posts["value"]) == [1] * WEEKS
    mentions, whole = d.series(BY_KEY["mentions"], "Brand", ALL_PLATFORMS, period)
    spike_week = (SPIKE_DAY - MONDAY).days // 7
    assert list(mentions["value"]) == [23 if k == spike_week else 3 for k in range(WEEKS)]
    assert whole["value"] == 3 * WEEKS + 20
    neg, _ = d.series(BY_KEY["negative_share"], "Brand", ALL_PLATFORMS, period)
    assert neg.loc[0, "value"] == pytest.approx(1 / 3) and neg.loc[spike_week, "value"] == pytest.approx(11 / 23)
    sov, _ = d.series(BY_KEY["share_of_voice"], "Brand", "x", period)
    # on X: 3 brand mentions of 5 a week; the spike week adds 10 brand mentions on X (the news ones are web)
    assert sov.loc[0, "value"] == pytest.approx(3 / 5) and sov.loc[spike_week, "value"] == pytest.approx(13 / 15)
    for k in range(WEEKS):  # one call for all the weeks gives what one call per week gives
        direct = brand.share_of_voice(d.rows("mentions", None, "x"), "Brand", _week(k), "UTC").iloc[0]
        assert sov.loc[k, ["value", "low", "high", "n"]].tolist() == pytest.approx(
            [direct["share_of_voice"], direct["low"], direct["high"], direct["mentions"]])
    direct = brand.sentiment(audit_.tables.mentions[audit_.tables.mentions["account"] == "Brand"], _week(4), "UTC")
    net, _ = d.series(BY_KEY["net_sentiment"], "Brand", ALL_PLATFORMS, period)
    assert net.loc[4, ["value", "low", "high"]].tolist() == pytest.approx(
        direct.iloc[0][["net_sentiment", "net_low", "net_high"]].astype(float).tolist())
    fol, whole = d.series(BY_KEY["followers_end"], "Brand", "facebook", period)
    assert list(fol["value"]) == [1013 + 7 * k for k in range(WEEKS)] and whole["value"] == 1013 + 7 * 12
    gained, _ = d.series(BY_KEY["followers_gained"], "Brand", "facebook", period)
    assert list(gained["value"]) == [7] * WEEKS


def test_weekly_followers_at_the_edges_of_a_partial_period(audit_):
    d = ExploreData(audit_)
    period = Period(start=dt.date(2024, 1, 3), end=dt.date(2024, 1, 16))   # 5, 7 and 2 days
    fol, _ = d.family_by_week("followers", "Brand", "facebook", period)
    rows = d.rows("followers", "Brand", "facebook")
    for i, (s, e) in enumerate(zip(fol["start"], fol["end"])):
        direct = channels.followers(rows, Period(start=s.date(), end=e.date())).iloc[0]
        assert fol.loc[i, ["followers_start", "followers_end", "followers_gained"]].tolist() == pytest.approx(
            direct[["followers_start", "followers_end", "followers_gained"]].astype(float).tolist())
    assert list(fol["followers_gained"]) == [5, 7, 2]


# ------------------------------------------------------------------ the widgets
def test_opens_on_the_brand_with_a_chart_a_table_and_the_odd_week(ex):
    assert ex.account.value == "Brand" and ex.metric.value == "engagements" and ex.platform.value == "facebook"
    assert [o[1] for o in ex.platform.options] == ["facebook", "instagram"]
    assert ex.chart.value[:8] == b"\x89PNG\r\n\x1a\n" and ex.chart.layout.display is None
    assert list(ex.chart_data["value"]) == [406 if k == ODD_WEEK else 2 * (13 + k) for k in range(WEEKS)]
    assert "Updated in" in ex.status.value
    assert "<td class=\"num\">406</td>" in ex.table.value and "unusually high" in ex.table.value
    assert "Whole period" in ex.summary.value and f"{sum(2 * (13 + k) for k in range(WEEKS)) - 2 * 20 + 406:,}" \
        in ex.summary.value
    # the drill-down opens on the unusual week, its posts largest first, escaped, links safe
    assert ex.week.value == "2024-02-19/2024-02-25"
    assert ex.posts_data["post_id"].tolist() == ["b70", "b71"]
    assert "&lt;script&gt;" in ex.posts.value and "<script>" not in ex.posts.value
    assert 'href="https://facebook.com/brand/posts/70?a=1&amp;b=2"' in ex.posts.value
    assert 'rel="noopener noreferrer"' in ex.posts.value and "javascript:" not in ex.posts.value
    assert "Test &lt;b&gt;client&lt;/b&gt;" in ex.widget.children[0].value


def test_changing_the_metric_redraws_the_chart_and_says_it_is_working(ex):
    seen = []
    ex.status.observe(lambda c: seen.append(c["new"]), names="value")
    before = ex.chart.value
    ex.metric.value = "er_reach"
    assert any("Working" in s for s in seen) and "Updated in" in seen[-1]
    assert ex.chart.value != before
    assert ex.chart_data["value"].tolist() == pytest.approx(
        [(406 if k == ODD_WEEK else 2 * (13 + k)) / 200 for k in range(WEEKS)])
    assert "Engagement rate by reach" in ex.caption.value
    assert "13.0 %" in ex.table.value  # week 0: 26 / 200
    assert "95 % interval" in ex.table.value
    ex.week.value = "2024-01-08/2024-01-14"
    assert ex.posts_data["post_id"].tolist() == ["b10", "b11"]
    assert "Engagement rate by reach" in ex.posts.value and "14.0 %" in ex.posts.value


def test_a_mention_metric_offers_all_platforms_and_opens_the_mentions(ex):
    ex.metric.value = "mentions"
    assert ex.platform.options[0] == ("All platforms", ALL_PLATFORMS)
    assert ex.platform.value == "facebook" or ex.platform.value in dict(ex.platform.options).values()
    ex.platform.value = ALL_PLATFORMS
    assert ex.tabs.selected_index == 1
    assert ex.chart_data["value"].max() == 23
    assert "Posts are listed per platform" in ex.posts.value
    # the spike is offered first and selected: its 21 mentions, the news site's first (largest reach)
    assert ex.window.value == "2024-01-31/2024-01-31"
    assert "Spike" in dict((v, k) for k, v in ex.window.options)[ex.window.value]
    assert len(ex.mentions_data) == 21
    assert ex.mentions_data["source"].iloc[0] == "news-fictive.fr"
    assert "&lt;b&gt;journal&lt;/b&gt;" in ex.mentions.value and "<b>journal" not in ex.mentions.value
    assert "javascript:" not in ex.mentions.value and 'href="https://x.com/fan/status/0"' in ex.mentions.value
    assert ex.spike_chart.value[:4] == b"\x89PNG"


def test_filtering_the_mentions_of_a_spike(ex):
    ex.metric.value = "mentions"
    ex.platform.value = ALL_PLATFORMS
    ex.sentiment.value = "negative"
    assert len(ex.mentions_data) == 11
    assert ("news-fictive.fr (10)", "news-fictive.fr") in ex.source.options
    ex.source.value = "news-fictive.fr"
    assert len(ex.mentions_data) == 10 and "10 mentions" in ex.mentions.value
    ex.sentiment.value = ""
    ex.source.value = ""
    ex.keyword.value = "CROISSANT"
    assert len(ex.mentions_data) == 10 and set(ex.mentions_data["sentiment"]) == {"positive"}
    ex.keyword.value = "nothing like this"
    assert ex.mentions_data.empty and "No mention matches" in ex.mentions.value


def test_comparing_the_brand_with_a_competitor(ex):
    ex.compare.value = "Rival & Co"
    assert set(ex.chart_data["account"]) == {"Brand", "Rival & Co"}
    rival = ex.chart_data[ex.chart_data["account"] == "Rival & Co"]
    assert list(rival["value"]) == [5] * WEEKS
    assert "Rival &amp; Co" in ex.table.value and "Rival &amp; Co</b>: 65" in ex.summary.value
    assert ex.view.summary["Rival & Co"]["value"] == 65
    # the competitor has no Instagram posts: said in words, the brand still drawn
    ex.platform.value = "instagram"
    assert set(ex.chart_data["account"]) == {"Brand"}
    assert "Rival &amp; Co: no posts on Instagram" in ex.caption.value
    # switching the account to the competitor takes it out of the comparison choices
    ex.platform.value = "facebook"
    ex.account.value = "Rival & Co"
    assert "Rival & Co" not in [v for _, v in ex.compare.options]
    assert ex.compare.value == ""
    assert list(ex.view.series["Rival & Co"]["value"]) == [5] * WEEKS


def test_a_shorter_period_and_a_wrong_one(ex):
    ex.start.value = dt.date(2024, 1, 3)
    ex.end.value = dt.date(2024, 1, 28)
    s = ex.view.series["Brand"]
    assert list(s["days"]) == [5, 7, 7, 7]
    assert list(s["value"]) == [13, 28, 30, 32]  # week 0 keeps only its Thursday post: 10 + 2 + 1
    assert len(ex.chart_data) == 3  # the chart shows the full weeks
    ex.end.value = dt.date(2023, 12, 1)
    assert isinstance(ex.last_error, ValueError) and "before the first" in ex.status.value
    ex.end.value = dt.date(2024, 3, 31)
    assert ex.last_error is None and len(ex.view.series["Brand"]) == 13


def test_going_back_to_a_view_reuses_the_computation(ex, monkeypatch):
    ex.metric.value = "er_reach"
    ex.metric.value = "engagements"
    calls = []
    monkeypatch.setattr(channels, "engagement_rates", lambda *a, **k: calls.append(1) or pd.DataFrame())
    ex.metric.value = "er_reach"
    assert calls == [] and ex.view.series["Brand"]["value"].notna().all()


# ------------------------------------------------------------------ html, notebook, package
def test_links_only_for_web_addresses():
    assert h.link("javascript:alert(1)") == "–" and h.link("data:text/html,x") == "–" and h.link(None) == "–"
    assert h.link('https://a.b/"><script>') == ('<a href="https://a.b/&quot;&gt;&lt;script&gt;" target="_blank" '
                                                'rel="noopener noreferrer">open</a>')
    assert "&lt;i&gt;" in h.table([("a", "text")], [["<i>"]])


def test_the_notebook_is_thin_clean_and_not_in_batch_runs():
    path = ROOT / "notebooks" / "explore.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert code[0].source.startswith('client_dir: str = "../data/demo"')
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert not [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert "audit.explore(client_dir)" in code[-1].source
    assert path not in select_notebooks(path.parent, None)


def test_audit_explore_is_loaded_on_first_use(audit_):
    out = subprocess.run([sys.executable, "-c", "import sys, audit; print('ipywidgets' in sys.modules, "
                          "callable(audit.explore))"], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_a_client_with_only_mentions_or_only_posts(audit_):
    only_mentions = Audit(audit_.client_dir, audit_.config, Tables({"mentions": audit_.tables.mentions}),
                          audit_.period, audit_.comparison)
    e = Explorer(audit=only_mentions)
    assert e.last_error is None and {BY_KEY[k].source for _, k in e.metric.options} == {"mentions"}
    assert e.metric.value == "mentions" and e.tabs.selected_index == 1
    assert "Posts are listed per platform" in e.posts.value or "No posts" in e.posts.value
    only_posts = Audit(audit_.client_dir, audit_.config, Tables({"posts": audit_.tables.posts}),
                       audit_.period, audit_.comparison)
    e = Explorer(audit=only_posts)
    assert e.last_error is None and {BY_KEY[k].source for _, k in e.metric.options} == {"posts"}
    assert "No mentions of Brand in the data" in e.mentions.value and e.spike_chart.layout.display == "none"
    nothing = Audit(audit_.client_dir, audit_.config, Tables({}), audit_.period, audit_.comparison)
    e = Explorer(audit=nothing)
    assert "nothing to explore" in e.caption.value
