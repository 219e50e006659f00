"""Channel metrics on tiny tables whose values are worked out by hand in the comments."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import Period
from audit.metrics import channels as C

JAN = Period(start="2024-01-01", end="2024-01-31")  # 1 Jan 2024 is a Monday
TZ = "Europe/Paris"


def make_posts(**cols) -> pd.DataFrame:
    n = len(next(iter(cols.values())))
    base = {"platform": "facebook", "account": "Brand", "source_file": "posts.csv",
            "post_id": [str(i) for i in range(n)]}
    return schemas.conform("posts", pd.DataFrame(base | cols))


def utc(*s):
    return pd.to_datetime(list(s), utc=True, format="ISO8601")


@pytest.fixture
def posts():
    return schemas.conform("posts", pd.DataFrame({
        "platform": ["facebook"] * 4 + ["instagram"] * 2, "account": ["Brand"] * 5 + ["Rival"],
        "source_file": "f", "post_id": list("abcdef"),
        # b: 23:30 UTC on 3 Jan is 00:30 on 4 Jan in Paris
        "published_at": utc("2024-01-01 10:00", "2024-01-03 23:30", "2024-01-20 08:00", "2024-01-31 12:00",
                            "2024-01-05 00:00", "2024-01-06 00:00"),
        "post_type": ["photo", "video", "photo", "link", "reel", "photo"],
        "text": ["hi #a", "long " * 30, None, "x #a #b #c", "?", "y"],
        "reach": [100, 200, 0, np.nan, 50, np.nan], "impressions": [150, 300, 10, 40, 60, np.nan],
        "reactions": [10, 20, 0, 1, 5, 7], "comments": [1, 2, 0, np.nan, 1, 0], "shares": [1, 0, 0, np.nan, 9, np.nan],
        "saves": [50, 50, 50, 50, 50, 50],  # never counted
        "link_clicks": [5, np.nan, 0, 2, np.nan, np.nan], "video_views": [np.nan, 500, np.nan, np.nan, 80, np.nan],
    }))


@pytest.fixture
def daily():
    return schemas.conform("account_daily", pd.DataFrame({
        "platform": "facebook", "account": "Brand", "source_file": "d",
        "date": pd.to_datetime(["2023-12-31", "2024-01-02", "2024-01-31", "2024-01-10", "2024-01-11", "2024-01-12"]),
        "metric": ["followers", "followers", "followers", "followers_gained", "followers_lost", "reach"],
        "value": [1000, 1010, 1100, 120, 30, 5000]}))


def test_engagements_use_the_platform_action_set(posts):
    e = C.engagements(posts)
    # facebook: reactions + comments + shares (missing ones ignored); instagram: likes + comments; saves never
    assert e["engagement"].tolist() == [12, 22, 0, 1, 6, 7]
    assert (e["engagement_basis"] == "actions").all()


def test_engagements_fall_back_to_the_export_total():
    p = make_posts(published_at=utc("2024-01-01", "2024-01-02"), engagements=[40, 40], reactions=[np.nan, 3])
    e = C.engagements(p)
    assert e["engagement"].tolist() == [40, 3]
    assert e["engagement_basis"].tolist() == ["export total", "actions"]


def test_post_frame_local_time_and_groups(posts, daily):
    f = C.post_frame(posts, daily, JAN, TZ).set_index("post_id")
    assert f.loc["b", "day"] == pd.Timestamp("2024-01-04") and f.loc["b", "hour"] == 0
    assert f.loc["b", "weekday"] == "Thursday"
    # followers on the post's day: latest count on or before it
    assert f.loc["a", "followers_on_day"] == 1000 and f.loc["b", "followers_on_day"] == 1010
    assert f.loc["d", "followers_on_day"] == 1100
    assert f.loc["a", "er_reach"] == pytest.approx(0.12) and np.isnan(f.loc["c", "er_reach"])  # zero reach
    assert f.loc["a", "hashtags"] == "1-2" and f.loc["d", "hashtags"] == "3+" and f.loc["b", "hashtags"] == "none"
    assert f.loc["b", "length"] == "100-299" and pd.isna(f.loc["c", "length"])


def test_hour_unknown_when_the_export_gives_days_only():
    p = make_posts(published_at=pd.to_datetime(["2024-01-01", "2024-01-02"]).tz_localize(TZ).tz_convert("UTC"),
                   reactions=[1.0, 2.0])
    f = C.post_frame(p, tz=TZ)
    assert f["hour"].isna().all() and f["weekday"].tolist() == ["Monday", "Tuesday"]


def test_followers(daily):
    r = C.followers(daily, JAN).iloc[0]
    assert r["followers_start"] == 1000 and r["start_date"] == pd.Timestamp("2023-12-31")
    assert r["followers_end"] == 1100 and r["net_growth"] == 100 and r["net_growth_pct"] == pytest.approx(0.1)
    assert r["followers_gained"] == 120 and r["followers_lost"] == 30 and r["net_from_flows"] == 90


def test_followers_without_history_before_the_period(daily):
    r = C.followers(daily, Period(start="2024-01-01", end="2024-01-15")).iloc[0]
    assert r["followers_start"] == 1000 and r["followers_end"] == 1010
    late = C.followers(daily[daily["date"] > "2024-01-01"], JAN).iloc[0]
    assert late["followers_start"] == 1010 and late["start_date"] == pd.Timestamp("2024-01-02")


def test_posting_regularity(posts):
    p = C.posting(posts, JAN, TZ).set_index(["platform", "account"])
    fb = p.loc[("facebook", "Brand")]
    # posts on 1, 4, 20, 31 Jan; full weeks: 1-7, 8-14, 15-21, 22-28 Jan (29-31 is partial)
    assert fb["posts"] == 4 and fb["posts_per_week"] == pytest.approx(4 / (31 / 7))
    assert fb["weeks"] == 4 and fb["weeks_with_post"] == 2 and fb["weeks_with_post_share"] == 0.5
    assert fb["weeks_with_post_low"] < 0.5 < fb["weeks_with_post_high"]
    # gaps: 2-3 Jan (2 days), 5-19 Jan (15), 21-30 Jan (10)
    assert fb["longest_gap_days"] == 15
    # one post on 5 Jan: 26 empty days after it (6-31 Jan)
    assert p.loc[("instagram", "Brand"), "longest_gap_days"] == 26


def test_engagement_rates_side_by_side(posts, daily):
    r = C.engagement_rates(posts, daily, JAN, TZ).set_index(["platform", "account"]).loc[("facebook", "Brand")]
    assert r["posts"] == 4 and r["engagements"] == 35
    # by reach: posts a and b only (c has reach 0, d none): (12 + 22) / (100 + 200)
    assert r["er_reach"] == pytest.approx(34 / 300) and r["er_reach_posts"] == 2
    assert r["median_er_reach"] == pytest.approx((0.12 + 0.11) / 2)
    # by impressions: all four: 35 / 500
    assert r["er_impressions"] == pytest.approx(35 / 500) and r["er_impressions_posts"] == 4
    # by followers on the post's day: 35 / (1000 + 1010 + 1010 + 1100)
    assert r["er_followers"] == pytest.approx(35 / 4120)
    assert r["median_engagements"] == 6.5


def test_exposure_and_ctr(posts, daily):
    x = C.exposure(posts, daily, JAN, TZ).set_index(["platform", "account"]).loc[("facebook", "Brand")]
    assert x["reach"] == 300 and x["impressions"] == 500 and x["reach_posts"] == 3
    assert np.isnan(x["views"]) and x["views_posts"] == 0
    # CTR over posts with both values: (5 + 0 + 2) / (150 + 10 + 40)
    assert x["link_ctr"] == pytest.approx(7 / 200) and x["link_ctr_posts"] == 3
    assert x["video_views"] == 500 and x["median_video_views_per_post"] == 500
    assert x["page_reach"] == 5000


def test_top_and_bottom_posts_against_own_baseline():
    er = [0.01 * i for i in range(1, 13)]  # 12 posts, median 0.065
    p = make_posts(published_at=utc(*[f"2024-01-{d:02d}" for d in range(1, 13)]),
                   reach=[1000.0] * 12, reactions=[1000 * e for e in er], comments=0.0, shares=0.0)
    t = C.top_posts(p, n=2)
    top = t[t["rank"] == "top"]
    assert top["post_id"].tolist() == ["11", "10"]
    assert top["index"].iloc[0] == pytest.approx(0.12 / 0.065) and (t["measure"] == "er_reach").all()
    assert t[t["rank"] == "bottom"]["post_id"].tolist() == ["0", "1"]
    # fewer than MIN_N posts: no ranking
    assert C.top_posts(p.iloc[:5]).empty


def test_compare_content_by_type():
    rng = np.random.default_rng(0)
    n = 40
    video = np.arange(n) % 2 == 0
    p = make_posts(published_at=utc(*[f"2024-01-{1 + i % 28:02d} 10:00" for i in range(n)]),
                   post_type=np.where(video, "video", "photo"), reach=1000.0,
                   reactions=np.where(video, 100, 20) + rng.integers(0, 5, n).astype(float))
    res = C.compare_content(p, "post_type", "Brand").set_index("group")
    assert res.loc["video", "verdict"] == "higher" and res.loc["photo", "verdict"] == "lower"
    assert res.loc["video", "n"] == 20 and (res["measure"] == "er_reach").all()
    with pytest.raises(ValueError):
        C.compare_content(p, "colour", "Brand")


def test_questions_answered():
    inbox = schemas.conform("inbox", pd.DataFrame({
        "platform": "facebook", "account": "Brand", "source_file": "i", "message_id": list("abcde"),
        "received_at": utc(*["2024-01-02"] * 5),
        "first_response_at": utc("2024-01-02 10:00", None, "2024-01-03", None, "2024-01-03"),
        "is_question": pd.array([True, True, None, None, False], dtype="boolean"),
        "text": ["a", "b", "where is it?", "thanks", "ok?"]}))
    r = C.questions_answered(inbox, JAN, TZ).iloc[0]
    # a, b flagged; c guessed from '?'; d unflagged without '?'; e flagged as not a question
    assert r["questions"] == 3 and r["answered"] == 2 and r["answered_share"] == pytest.approx(2 / 3)


def test_empty_tables_give_empty_frames_with_columns():
    posts, daily = schemas.empty("posts"), schemas.empty("account_daily")
    assert C.followers(daily, JAN).empty
    assert C.posting(posts, JAN).empty and "longest_gap_days" in C.posting(posts, JAN).columns
    assert C.engagement_rates(posts, daily, JAN).empty
    assert C.top_posts(posts).empty and C.compare_content(posts, "hour", "Brand").empty
    assert C.questions_answered(schemas.empty("inbox")).empty
    assert C.channel_summary({"posts": posts, "account_daily": daily}, None, JAN).empty


def test_zero_reach_everywhere_gives_no_rate_not_infinity():
    p = make_posts(published_at=utc("2024-01-01", "2024-01-02"), reach=[0.0, 0.0], reactions=[3.0, 4.0])
    r = C.engagement_rates(p).iloc[0]
    assert np.isnan(r["er_reach"]) and r["er_reach_posts"] == 0 and np.isnan(r["median_er_reach"])


def test_channel_summary_joins_one_row_per_channel(posts, daily):
    from audit.config import AuditConfig
    cfg = AuditConfig.model_validate({"client": "c", "brand": {"name": "Brand"}, "objectives": ["sales"],
                                      "timezone": TZ})
    s = C.channel_summary({"posts": posts, "account_daily": daily}, cfg, JAN)
    assert len(s) == 3 and s["is_brand"].tolist() == [True, True, False]
    assert {"followers_end", "posts_per_week", "er_reach", "link_ctr"} <= set(s.columns)


# ---------------------------------------------------------------- properties
post_rows = st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["facebook", "instagram"]),
                               st.integers(0, 500), st.integers(0, 5000)), min_size=1, max_size=40)


@settings(max_examples=20, deadline=None)
@given(post_rows, st.randoms())
def test_properties_shares_in_unit_interval_order_free_totals_add_up(rows, rnd):
    p = make_posts(published_at=pd.Timestamp("2024-01-01", tz="UTC") + pd.to_timedelta([r[0] for r in rows], unit="D"),
                   platform=[r[1] for r in rows], reactions=[float(r[2]) for r in rows],
                   reach=[float(r[3]) for r in rows])
    shuffled = p.sample(frac=1, random_state=rnd.randint(0, 10**6)).reset_index(drop=True)
    a, b = C.engagement_rates(p), C.engagement_rates(shuffled)
    pd.testing.assert_frame_equal(a, b)
    assert a["engagements"].sum() == sum(r[2] for r in rows)
    assert a["posts"].sum() == len(rows)
    reg = C.posting(p, JAN)
    assert reg["weeks_with_post_share"].between(0, 1).all() and reg["posts"].sum() == len(rows)
    assert ((reg["weeks_with_post_low"] <= reg["weeks_with_post_share"])
            & (reg["weeks_with_post_share"] <= reg["weeks_with_post_high"])).all()
    assert (reg["longest_gap_days"] <= 30).all()
