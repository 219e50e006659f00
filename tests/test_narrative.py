from audit import narrative
from audit.metrics.stats import Comparison, Estimate


def cmp(verdict, na=40, nb=35):
    return Comparison("channels.er", "reels", "other posts", Estimate(0.041, na), Estimate(0.023, nb),
                      0.018, 0.009, 0.027, verdict, "bootstrap of medians")


def test_reliable_difference_names_direction_and_figures():
    s = narrative.comparison(cmp("higher"), "the engagement rate by reach", "fraction")
    assert s.startswith("The engagement rate by reach is reliably higher for reels than for other posts")
    assert "4.1 % vs 2.3 %" in s and "n = 40 and 35" in s


def test_no_reliable_difference_is_said_plainly():
    s = narrative.comparison(cmp("no reliable difference"), "engagement", "fraction")
    assert "no reliable difference" in s and "chance" in s and "reliably" not in s


def test_not_enough_data_gives_sizes():
    s = narrative.comparison(cmp("not enough data", nb=3), "engagement", "fraction")
    assert "not enough data" in s and "3 items" in s


def test_figure_with_interval_and_small_sample():
    assert narrative.figure(Estimate(0.5, 120, 0.4, 0.6), "fraction") == "50.0 % (95 % interval 40.0 % – 60.0 %, n = 120)"
    assert narrative.figure(Estimate(0.5, 3), "fraction") == "not enough data (n = 3)"
