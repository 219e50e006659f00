"""The package's engagement figures on the real UCI "Facebook metrics" sample (Moro, Rita & Vala
2016; 496 posts of a cosmetics brand's page), checked against sums computed from the raw columns."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from audit import schemas
from audit.metrics import channels

UCI = "facebook/Flperez__RP_Practica1__dataset_Facebook.csv"
pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def raw(realdata) -> pd.DataFrame:
    path = realdata / UCI
    if not path.exists():
        pytest.skip(f"{UCI} not available")
    return pd.read_csv(path, sep=";")


@pytest.fixture(scope="module")
def posts(raw) -> pd.DataFrame:
    # The dataset has month, weekday and hour but no year or day: place each post on the first
    # of its month in 2014 (the year of the data) at its hour; no metric below depends on the day.
    published = pd.to_datetime(pd.DataFrame({"year": 2014, "month": raw["Post Month"], "day": 1,
                                             "hour": raw["Post Hour"]}), utc=True)
    return schemas.conform("posts", pd.DataFrame({
        "platform": "facebook", "account": "UCI page", "source_file": UCI, "source_row": np.arange(2, len(raw) + 2),
        "post_id": [f"uci-{i}" for i in range(len(raw))], "published_at": published,
        "post_type": raw["Type"].str.lower(), "is_paid": raw["Paid"].map({1.0: True, 0.0: False}),
        "reach": raw["Lifetime Post Total Reach"], "impressions": raw["Lifetime Post Total Impressions"],
        "reactions": raw["like"], "comments": raw["comment"], "shares": raw["share"],
        "engagements": raw["Total Interactions"],
    }))


def test_engagement_per_post_is_likes_comments_shares(raw, posts):
    e = channels.engagements(posts)
    assert (e["engagement_basis"] == "actions").all()
    np.testing.assert_array_equal(e["engagement"].to_numpy(), (raw["like"] + raw["comment"] + raw["share"]).to_numpy())
    # and it agrees with the dataset's own "Total Interactions"
    np.testing.assert_array_equal(e["engagement"].to_numpy(), raw["Total Interactions"].to_numpy(dtype=float))


def test_engagement_rates_match_raw_sums(raw, posts):
    r = channels.engagement_rates(posts).iloc[0]
    ti = raw["Total Interactions"]
    reach, imps = raw["Lifetime Post Total Reach"], raw["Lifetime Post Total Impressions"]
    assert r["posts"] == len(raw) == 496
    assert r["engagements"] == ti.sum()
    assert r["er_reach"] == pytest.approx(ti[reach > 0].sum() / reach[reach > 0].sum(), rel=1e-12)
    assert r["er_impressions"] == pytest.approx(ti[imps > 0].sum() / imps[imps > 0].sum(), rel=1e-12)
    assert r["median_er_reach"] == pytest.approx((ti / reach)[reach > 0].median(), rel=1e-12)
    assert r["median_engagements"] == ti.median()
    assert r["er_reach_low"] < r["er_reach"] < r["er_reach_high"]
    assert r["er_reach_posts"] == (reach > 0).sum()
    # no follower history was given: no rate by followers rather than a made-up one
    assert np.isnan(r["er_followers"]) and r["er_followers_posts"] == 0


def test_exposure_sums_match_raw(raw, posts):
    x = channels.exposure(posts).iloc[0]
    assert x["reach"] == raw["Lifetime Post Total Reach"].sum()
    assert x["impressions"] == raw["Lifetime Post Total Impressions"].sum()
    assert x["median_reach_per_post"] == raw["Lifetime Post Total Reach"].median()


def test_content_type_medians_match_raw(raw, posts):
    res = channels.compare_content(posts, "post_type", "UCI page").set_index("group")
    er = raw["Total Interactions"] / raw["Lifetime Post Total Reach"]
    direct = er.groupby(raw["Type"].str.lower()).median()
    assert set(res.index) == set(direct.index)
    for t, v in direct.items():
        assert res.loc[t, "value"] == pytest.approx(v, rel=1e-12)
        assert res.loc[t, "n"] == (raw["Type"].str.lower() == t).sum()
    # 7 videos: too few to judge
    assert res.loc["video", "verdict"] == "not enough data"
    assert set(res["verdict"]) <= {"higher", "lower", "no reliable difference", "not enough data"}


def test_row_order_does_not_change_figures(posts):
    a = channels.engagement_rates(posts)
    b = channels.engagement_rates(posts.sample(frac=1, random_state=3).reset_index(drop=True))
    pd.testing.assert_frame_equal(a, b)
