"""audit.plots helpers added for the direction notebooks (05-10): groups side by side and waterfalls."""
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


def test_grouped_bars_put_groups_side_by_side_with_their_colours_and_intervals():
    df = pd.DataFrame({"within": ["1 h", "1 h", "24 h", "24 h"], "day": ["weekday", "weekend", "weekday", "weekend"],
                       "share": [0.2, 0.0, 0.7, 0.3], "lo": [0.15, 0.0, 0.65, 0.25], "hi": [0.25, 0.01, 0.75, 0.35]})
    fig = plots.grouped_bars(df, category="within", group="day", x="share", low="lo", high="hi", percent=True,
                             colors={"weekday": "#000000", "weekend": "#FFFFFF"}, title="T", xlabel="Share (%)")
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == "T" and ax.get_xlabel() == "Share (%)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1 h", "24 h"]
    widths = {(round(p.get_y() + p.get_height() / 2, 6), to_hex(p.get_facecolor())): round(p.get_width(), 9)
              for p in ax.patches}
    # first category on top (larger y), first group above the second within it
    ys = sorted({y for y, _ in widths}, reverse=True)
    assert [widths[ys[0], "#000000"], widths[ys[1], "#ffffff"]] == [0.2, 0.0]
    assert [widths[ys[2], "#000000"], widths[ys[3], "#ffffff"]] == [0.7, 0.3]
    texts = [t.get_text().strip() for t in ax.texts]
    assert "70 %" in texts and "20 %" in texts
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["weekday", "weekend"]
    assert len(ax.containers) == 4  # two bar containers and their two error bars


def test_grouped_bars_follow_the_given_orders_and_leave_missing_values_out():
    df = pd.DataFrame({"c": ["a", "b", "b"], "g": ["x", "x", "y"], "v": [1.0, 2.0, np.nan]})
    fig = plots.grouped_bars(df, category="c", group="g", x="v", order=["b", "a", "zzz"], group_order=["x", "y"],
                             title="T", xlabel="Count")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "a"]  # an unknown category is skipped
    assert sorted(round(p.get_width(), 9) for p in ax.patches) == [0.0, 0.0, 1.0, 2.0]  # y has no value: no bar
    assert "2" in [t.get_text().strip() for t in ax.texts] and len(ax.texts) == 2


def test_waterfall_stacks_gains_and_costs_into_the_result():
    fig = plots.waterfall(["revenue", "savings", "unknown", "ads", "team"], [100.0, 50.0, None, -30.0, -40.0],
                          title="Result", ylabel="EUR")
    ax = fig.axes[0]
    bars = ax.patches
    assert [t.get_text() for t in ax.get_xticklabels()] == ["revenue", "savings", "ads", "team", "Result"]
    long = plots.waterfall(["revenue from social (web analytics)"], [1.0], title="T", ylabel="EUR").axes[0]
    assert long.get_xticklabels()[0].get_text() == "revenue from\nsocial (web\nanalytics)"  # wrapped, not rotated
    assert [(round(b.get_y(), 9), round(b.get_height(), 9)) for b in bars] == [
        (0, 100), (100, 50), (150, -30), (120, -40), (0, 80)]
    assert [to_hex(b.get_facecolor()) for b in bars] == [plots.GAIN_COLOR.lower()] * 2 + [
        plots.LOSS_COLOR.lower()] * 2 + [style.BRAND_COLOR.lower()]
    assert ax.texts[-1].get_text() == "80" and ax.get_ylabel() == "EUR"
    assert ax.get_ylim()[1] > 150 and ax.get_ylim()[0] <= 0  # the tallest bar and its label fit


def test_waterfall_total_below_zero_is_shown_as_a_loss():
    fig = plots.waterfall(["revenue", "costs"], [10.0, -25.0], title="T", ylabel="EUR", total_label="net")
    total = fig.axes[0].patches[-1]
    assert round(total.get_height(), 9) == -15 and to_hex(total.get_facecolor()) == plots.LOSS_COLOR.lower()
