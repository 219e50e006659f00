"""audit.plots: the shared chart and table helpers draw what they are given, titled and labelled."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from audit import plots, style  # noqa: E402


@pytest.fixture(autouse=True)
def _report_style():
    """Charts are drawn with the report's style (titles on the left), whatever ran before."""
    style.use()


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def bar_widths(ax) -> list[float]:
    return [round(p.get_width(), 9) for p in ax.patches]


def test_pretty_keeps_order_renames_and_skips_missing_columns():
    df = pd.DataFrame({"b": [1], "a": [2], "c": [3]})
    out = plots.pretty(df, {"a": "Alpha", "zzz": "Nope", "b": "Beta"})
    assert list(out.columns) == ["Alpha", "Beta"]
    assert out.iloc[0].tolist() == [2, 1]


def test_posting_slot_groups_local_hours_and_keeps_unknown_hours_unknown():
    hour = pd.Series([0, 10, 11, 14, 15, 23, pd.NA], dtype="Int64")
    m, d, e = plots.SLOT_ORDER
    slot = plots.posting_slot(hour)
    assert slot.iloc[:6].tolist() == [m, m, d, d, e, e]
    assert slot.isna().tolist() == [False] * 6 + [True]


def test_bars_draw_sorted_values_with_intervals_and_labels():
    df = pd.DataFrame({"name": ["a", "b", "c"], "v": [0.2, 0.05, np.nan], "lo": [0.1, 0.01, np.nan],
                       "hi": [0.3, 0.09, np.nan]})
    fig = plots.bars(df, x="v", y="name", low="lo", high="hi", title="T", xlabel="Share (%)", percent=True,
                     colors={"a": "#000000"})
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "T" and ax.get_xlabel() == "Share (%)"
    assert bar_widths(ax) == [0.05, 0.2]  # the missing value is left out, the largest on top
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]
    assert to_hex(ax.patches[1].get_facecolor()) == "#000000"
    assert to_hex(ax.patches[0].get_facecolor()) == style.OTHER_COLOR.lower()
    assert sorted(t.get_text() for t in ax.texts) == ["20 %", "5.0 %"]


def test_bars_keep_the_given_order_when_not_sorted():
    df = pd.DataFrame({"name": ["x", "y"], "v": [1.0, 5.0]})
    ax = plots.bars(df, x="v", y="name", title="T", xlabel="n", sort=False).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["y", "x"]  # first row on top


def test_comparison_panels_one_panel_per_platform_coloured_by_verdict():
    res = pd.DataFrame({
        "platform": ["facebook", "facebook", "tiktok"], "group": ["reel", "photo", "video"],
        "measure": ["er_reach", "er_reach", "engagement"], "value": [0.09, 0.04, 245.0],
        "low": [0.08, 0.03, 200.0], "high": [0.1, 0.05, 300.0],
        "verdict": ["higher", "lower", "not enough data"]})
    fig = plots.comparison_panels(res, title="What works", group_label="Content type")
    panels = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title(loc="left") for ax in panels] == ["Facebook", "TikTok"]
    fb = panels[0]
    colours = {t.get_text(): to_hex(p.get_facecolor()) for t, p in zip(fb.get_yticklabels(), fb.patches)}
    assert colours == {"photo": plots.VERDICT_COLORS["lower"].lower(), "reel": plots.VERDICT_COLORS["higher"].lower()}
    assert "engagement rate by reach" in fb.get_xlabel()
    assert "engagements per post" in panels[1].get_xlabel()
    assert fig._suptitle.get_text() == "What works"


def test_comparison_panels_follow_a_given_order_and_survive_no_data():
    res = pd.DataFrame({"platform": ["x"] * 3, "group": ["b", "c", "a"], "measure": ["er_reach"] * 3,
                        "value": [0.1, 0.2, 0.3], "low": [np.nan] * 3, "high": [np.nan] * 3,
                        "verdict": ["no reliable difference"] * 3})
    ax = plots.comparison_panels(res, title="T", group_label="Slot", order=["a", "b", "c"]).axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["c", "b", "a"]  # a on top
    empty = res.iloc[0:0]
    fig = plots.comparison_panels(empty, title="T", group_label="Slot")
    assert not fig.axes[0].axison


def test_stacked_shares_add_up_and_write_large_segments():
    df = pd.DataFrame({"account": ["A", "B"], "positive": [0.5, 0.2], "neutral": [0.47, 0.3],
                       "negative": [0.03, 0.5]})
    ax = plots.stacked_shares(df, category="account", parts=["positive", "neutral", "negative"], title="S").axes[0]
    assert len(ax.patches) == 6
    assert sorted(t.get_text() for t in ax.texts) == sorted(["50 %", "47 %", "20 %", "30 %", "50 %"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["B", "A"]  # first row on top


def test_account_lines_colour_each_account_and_keep_the_brand_first():
    df = pd.DataFrame({"month": pd.to_datetime(["2026-01-01", "2026-02-01"] * 2),
                       "account": ["Rival", "Rival", "Brand", "Brand"], "n": [1, 2, 3, 4]})
    colors = style.account_colors(["Brand", "Rival"])
    ax = plots.account_lines(df, x="month", y="n", hue="account", colors=colors, title="M", ylabel="Mentions").axes[0]
    assert [ln.get_label() for ln in ax.lines] == ["Brand", "Rival"]
    assert to_hex(ax.lines[0].get_color()) == style.BRAND_COLOR.lower()
    assert ax.get_ylabel() == "Mentions"


def test_spike_chart_marks_the_unusual_days_and_the_window():
    days = pd.date_range("2026-03-01", periods=10, freq="D")
    s = pd.DataFrame({"day": days, "mentions": [5, 6, 5, 40, 50, 6, 5, 5, 6, 5], "threshold": [15.0] * 10,
                      "is_spike": [False, False, False, True, True] + [False] * 5})
    ax = plots.spike_chart(s, title="Spikes", window=(days[3], days[4]), window_label="recall").axes[0]
    marked = ax.collections[0].get_offsets()
    assert len(marked) == 2 and sorted(marked[:, 1].tolist()) == [40, 50]
    assert [t.get_text() for t in ax.texts] == ["recall"]
    assert ax.get_title(loc="left") == "Spikes"


def test_age_gender_one_panel_per_platform_with_the_target_shaded():
    demo = pd.DataFrame({
        "platform": ["instagram"] * 4 + ["facebook"] * 2, "dimension": ["age_gender"] * 6,
        "age_band": ["25-34", "25-34", "65+", "65+", "25-34", "65+"],
        "gender": ["female", "male", "female", "male", "female", "female"],
        "share": [0.5, 0.1, 0.3, 0.1, 0.2, 0.8]})
    fig = plots.age_gender(demo, title="Audience", target_bands=["25-34"], target_genders=["female"])
    panels = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title(loc="left") for ax in panels] == ["Instagram", "Facebook"]
    insta = panels[0]
    heights = sorted(round(p.get_height(), 9) for p in insta.patches if round(p.get_width(), 9) == 0.4)
    assert len(heights) == 4  # women and men for two age bands; the shaded target band is not a bar
    heights = [h for h in heights if h > 0]
    assert heights == [0.1, 0.1, 0.3, 0.5]
    assert [t.get_text() for t in insta.get_xticklabels()] == ["25-34", "65+"]


def test_rates_long_puts_the_three_engagement_bases_side_by_side():
    summary = pd.DataFrame({"platform": ["facebook", "x"], "account": ["B", "B"],
                            "er_reach": [0.06, np.nan], "er_reach_low": [0.05, np.nan], "er_reach_high": [0.07, np.nan],
                            "er_reach_posts": [289, 0], "er_impressions": [np.nan, 0.009],
                            "er_impressions_low": [np.nan, 0.008], "er_impressions_high": [np.nan, 0.01],
                            "er_impressions_posts": [0, 363]})
    out = plots.rates_long(summary)
    assert out["label"].tolist() == ["Facebook · by reach", "X · by impressions"]
    assert out["value"].tolist() == [0.06, 0.009] and out["posts"].tolist() == [289, 363]
    assert plots.rates_long(summary.iloc[0:0]).empty


def test_platform_and_measure_names_read_well():
    assert plots.platform_names(pd.Series(["tiktok", "youtube", "x", "mastodon"])).tolist() == \
        ["TikTok", "YouTube", "X", "Mastodon"]
    assert plots.measure_value(0.0915, "er_reach") == "9.2 %"
    assert plots.measure_value(0.25, "er_followers") == "25 %"
    assert plots.measure_value(245.0, "engagement") == "245"
    assert plots.measure_label("er_impressions") == "engagement rate by impressions"


def test_small_percentages_get_a_decimal_on_the_axis():
    df = pd.DataFrame({"name": ["a", "b"], "v": [0.007, 0.009]})
    ax = plots.bars(df, x="v", y="name", title="T", xlabel="Rate (%)", percent=True).axes[0]
    fmt = ax.xaxis.get_major_formatter()
    assert fmt(0.005, 0) == "0.5%"


def test_spike_episodes_group_consecutive_unusual_days_largest_first():
    days = pd.date_range("2026-03-01", periods=10, freq="D")
    s = pd.DataFrame({"day": days, "mentions": [5, 30, 5, 40, 50, 45, 5, 5, 6, 20],
                      "baseline": [5.0] * 10,
                      "is_spike": [False, True, False, True, True, True, False, False, False, True]})
    ep = plots.spike_episodes(s.sample(frac=1, random_state=1))  # row order does not matter
    assert ep[["days", "mentions", "peak_mentions"]].values.tolist() == [[3, 135, 50], [1, 30, 30], [1, 20, 20]]
    assert (ep.loc[0, "start"], ep.loc[0, "end"], ep.loc[0, "peak_day"]) == (days[3], days[5], days[4])
    assert ep.loc[0, "expected"] == 15
    assert plots.spike_episodes(s.assign(is_spike=False)).empty


def test_persona_in_words():
    from audit.config import Target

    t = Target(age_bands=["25-34", "35-44"], genders=["female"], countries=["France"], languages=["fr"])
    assert plots.persona_text(t) == "women; aged 25-34, 35-44; in France; languages: fr"
    assert plots.persona_text(Target(genders=["female", "male"])) == "women and men"
    assert plots.persona_text(Target()) == ""


def test_comparison_table_reads_rates_in_points_and_drops_lone_groups():
    res = pd.DataFrame({
        "platform": ["facebook", "facebook", "tiktok"], "group": ["reel", "photo", "video"],
        "measure": ["er_reach", "er_reach", "engagement"], "n": [63, 167, 171],
        "value": [0.0915, 0.0425, 245.0], "rest_value": [0.0458, 0.0819, np.nan],
        "diff": [0.0457, -0.0394, np.nan], "diff_low": [0.0349, -0.0476, np.nan],
        "diff_high": [0.0560, -0.0293, np.nan], "rest_n": [226, 122, 0],
        "verdict": ["higher", "lower", "not enough data"]})
    t = plots.comparison_table(res, "Content type")
    assert list(t.columns) == ["Platform", "Content type", "Posts", "Median", "Other posts",
                               "Difference (95 % interval)", "Verdict"]
    assert t["Platform"].tolist() == ["Facebook", "Facebook"]  # TikTok has nothing to compare with
    assert t.iloc[0]["Median"] == "9.2 %" and t.iloc[0]["Other posts"] == "4.6 %"
    assert t.iloc[0]["Difference (95 % interval)"] == "+4.6 pts (+3.5 to +5.6)"
    counts = plots.comparison_table(res.assign(measure="engagement", rest_n=1), "Type")
    assert counts.iloc[0]["Difference (95 % interval)"] == "+0 (+0 to +0)"
    assert counts.iloc[2]["Difference (95 % interval)"] == ""


def test_pretty_and_bars_show_platform_names():
    df = pd.DataFrame({"platform": ["tiktok", "x"], "v": [1.0, 2.0]})
    assert plots.pretty(df, {"platform": "Platform"})["Platform"].tolist() == ["TikTok", "X"]
    ax = plots.bars(df, x="v", y="platform", title="T", xlabel="n").axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["TikTok", "X"]


def test_theme_is_seaborn_whitegrid_with_the_report_settings():
    """style.use() writes seaborn's theme out (importing seaborn costs every kernel a second):
    the settings must be those seaborn itself sets, then the report's own on top."""
    import matplotlib as mpl
    import seaborn as sns

    with mpl.rc_context():
        mpl.rcdefaults()
        sns.set_theme(context="notebook", style="whitegrid", palette=list(style.OKABE_ITO), rc=style._RC)
        seaborn_sets = {k: v for k, v in mpl.rcParams.items() if k != "image.cmap"}
    with mpl.rc_context():
        mpl.rcdefaults()
        style.use()
        ours = {k: v for k, v in mpl.rcParams.items() if k != "image.cmap"}
    assert ours == seaborn_sets


def test_charts_are_laid_out_in_one_pass_with_the_result_of_two():
    """A chart with no room to keep is laid out once (rect=None); matplotlib's default, a
    rectangle covering the whole figure, measures it twice. Both must give the same drawing."""
    import io

    from matplotlib.layout_engine import TightLayoutEngine

    df = pd.DataFrame({"cat": [f"A rather long category name {i}" for i in range(8)], "v": np.linspace(0.01, 0.4, 8)})

    def svg(engine) -> bytes:
        fig = plots.bars(df, x="v", y="cat", title="Engagement rate by category", xlabel="Engagement rate (%)",
                         percent=True)
        assert fig.get_layout_engine().get()["rect"] is None  # the one-pass layout is the default
        if engine is not None:
            fig.set_layout_engine(engine)
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None})  # as the kernels save charts
        plt.close(fig)
        return out.getvalue()

    assert svg(None) == svg(TightLayoutEngine(rect=(0, 0, 1, 1)))
    room = plots.bars(df, x="v", y="cat", title="t", xlabel="x", source="Source: a caption")
    assert room.get_layout_engine().get()["rect"][1] > 0  # a caption keeps its room


def test_svg_text_sizes_are_measured_once_and_drawn_the_same():
    """style.use() has SVG renderers share their text sizes: the same bytes as matplotlib's own
    per-renderer measuring, a label measured once per process, and a font change still seen."""
    import io

    import matplotlib as mpl
    from matplotlib.backends.backend_svg import RendererSVG

    shared = RendererSVG.get_text_width_height_descent
    assert shared.shared
    df = pd.DataFrame({"cat": ["Reels", "Carousels", "Photos"], "v": [0.04, 0.02, 0.01]})

    def svg() -> bytes:
        fig = plots.bars(df, x="v", y="cat", title="Engagement rate", xlabel="Engagement rate (%)", percent=True)
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        plt.close(fig)
        return out.getvalue()

    try:
        RendererSVG.get_text_width_height_descent = shared.own
        theirs = svg()
    finally:
        RendererSVG.get_text_width_height_descent = shared
    assert svg() == theirs == svg()

    renderer = RendererSVG(100, 100, io.StringIO())
    prop = mpl.font_manager.FontProperties(size=10)
    first = renderer.get_text_width_height_descent("Carousels", prop, False)
    assert RendererSVG(100, 100, io.StringIO()).get_text_width_height_descent("Carousels", prop, False) == first
    with mpl.rc_context({"font.sans-serif": ["Liberation Sans"], "font.family": "sans-serif"}):
        other = RendererSVG(100, 100, io.StringIO()).get_text_width_height_descent("Carousels",
                                                                                    mpl.font_manager.FontProperties(size=10), False)
    expected = RendererSVG.get_text_width_height_descent.own
    with mpl.rc_context({"font.sans-serif": ["Liberation Sans"], "font.family": "sans-serif"}):
        assert other == expected(renderer, "Carousels", mpl.font_manager.FontProperties(size=10), False)
