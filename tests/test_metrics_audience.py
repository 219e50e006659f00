"""Audience against the target persona, and the presence gap, worked out by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, Period, Target
from audit.metrics import audience as A

JAN = Period(start="2024-01-01", end="2024-01-31")
CFG = AuditConfig.model_validate({
    "client": "c", "brand": {"name": "Acme"}, "objectives": ["sales"],
    "target": {"age_bands": ["25-44"], "genders": ["female"], "countries": ["FR"], "cities": ["Paris"]}})


@pytest.fixture
def audience():
    return schemas.conform("audience", pd.DataFrame({
        "platform": ["facebook"] * 6 + ["instagram"] * 5, "account": "Acme", "source_file": "a",
        "dimension": ["age_gender"] * 4 + ["country"] * 2 + ["age"] * 3 + ["gender"] * 2,
        "segment": ["F.25-34", "M.25-34", "F.35-44", "F.45-54", "FR", "BE", "18-24", "25-34", "65+", "female", "male"],
        "age_band": ["25-34", "25-34", "35-44", "45-54", None, None, "18-24", "25-34", "65+", None, None],
        "gender": ["female", "male", "female", "female", None, None, None, None, None, "female", "male"],
        "share": [0.4, 0.2, 0.2, 0.2, 0.7, 0.3, 0.5, 0.3, 0.2, 0.6, 0.4]}))


def test_age_fraction_counts_years_inside_the_target():
    f = A._age_fraction(pd.Series(["18-24", "20-29", "65+", "25–34", "not an age"]), ["25-44", "60+"])
    # 20-29: 5 of 10 years in 25-44; 65+: inside 60+; the en dash is read
    assert f[:4].tolist() == [0.0, 0.5, 1.0, 1.0] and np.isnan(f[4])


def test_target_fit_by_hand(audience):
    t = A.target_fit(audience, CFG.target).set_index(["platform", "criterion"])
    # facebook: women 25-44 = F.25-34 + F.35-44 = 0.6; age 25-44 = 0.8; women = 0.8; FR = 0.7
    assert t.loc[("facebook", "age_gender"), "coverage"] == pytest.approx(0.6)
    assert t.loc[("facebook", "age"), "coverage"] == pytest.approx(0.8)
    assert t.loc[("facebook", "gender"), "coverage"] == pytest.approx(0.8)
    assert t.loc[("facebook", "country"), "coverage"] == pytest.approx(0.7)
    # fit: age x gender counts once: 100 x (0.6 + 0.7) / 2; cities are not reported, so not used
    assert t.loc[("facebook", "fit"), "score"] == pytest.approx(65)
    assert t.loc[("facebook", "fit"), "criteria"] == "age_gender, country"
    # instagram: age 25-34 = 0.3, women 0.6
    assert t.loc[("instagram", "fit"), "score"] == pytest.approx(45)


def test_demographics_rescale_and_use_the_latest_snapshot():
    a = schemas.conform("audience", pd.DataFrame({
        "platform": "facebook", "account": "Acme", "source_file": "a", "dimension": "country",
        "segment": ["FR", "BE", "FR", "BE"], "count": [30, 10, 60, 40],
        "as_of": pd.to_datetime(["2023-12-31", "2023-12-31", "2024-03-31", "2024-03-31"])}))
    d = A.demographics(a, period=JAN).set_index("segment")
    assert d.loc["FR", "share"] == 0.75 and d.loc["FR", "as_of"] == pd.Timestamp("2023-12-31")
    latest = A.demographics(a).set_index("segment")
    assert latest.loc["FR", "share"] == 0.6


def test_no_target_or_no_audience():
    assert A.target_fit(schemas.empty("audience"), CFG.target).empty
    aud = schemas.conform("audience", pd.DataFrame({"platform": "x", "account": "Acme", "source_file": "a",
                                                    "dimension": "country", "segment": ["FR"], "share": [1.0]}))
    assert A.target_fit(aud, Target()).empty


def test_survey_channels_and_presence_gap():
    m = schemas.conform("mentions", pd.DataFrame({
        "platform": "listening", "account": "Acme", "source_file": "m",
        "published_at": pd.to_datetime(["2024-01-05"] * 10, utc=True),
        "source": ["instagram"] * 6 + ["news"] * 3 + ["tiktok.com"]}))
    sv = schemas.conform("surveys", pd.DataFrame({
        "account": "Acme", "platform": "surveys", "source_file": "s", "response_id": list("abcd"),
        "channels": ["facebook;instagram", "Instagram", "tiktok; instagram", None]}))
    posts = schemas.conform("posts", pd.DataFrame({
        "platform": ["facebook", "facebook", "linkedin"], "account": "Acme", "source_file": "p",
        "post_id": ["1", "2", "3"], "published_at": pd.to_datetime(["2024-01-02", "2024-01-09", "2024-01-10"], utc=True)}))
    s = A.survey_channels(sv).set_index("platform")
    # three respondents answered; all three name Instagram (case and spaces ignored)
    assert s.loc["instagram", "naming"] == 3 and s.loc["instagram", "share"] == 1.0 and s.loc["facebook", "share"] == 1 / 3
    t = {"mentions": m, "surveys": sv, "posts": posts, "account_daily": schemas.empty("account_daily")}
    g = A.presence_gap(t, CFG, JAN).set_index("platform")
    assert g.loc["instagram", "mention_share"] == 0.6 and g.loc["instagram", "gap"] == "absent where it matters"
    assert g.loc["facebook", "gap"] == "present where it matters"   # 1 in 3 customers
    assert g.loc["tiktok", "gap"] == "absent where it matters"      # 10 % of mentions
    assert g.loc["linkedin", "gap"] == "present, little said"
    assert g.loc["facebook", "posts_per_week"] == pytest.approx(2 / (31 / 7))
    nothing = {"mentions": schemas.empty("mentions"), "surveys": schemas.empty("surveys"), "posts": posts,
               "account_daily": schemas.empty("account_daily")}
    assert (A.presence_gap(nothing, CFG, JAN)["gap"] == "no mention or survey data").all()


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"]),
                          st.sampled_from(["female", "male"]), st.floats(0.001, 1)), min_size=1, max_size=14,
                unique_by=lambda r: (r[0], r[1])),
       st.lists(st.sampled_from(["18-24", "25-44", "30-39", "55+"]), min_size=1, max_size=3))
def test_coverage_and_fit_stay_in_range(rows, bands):
    a = schemas.conform("audience", pd.DataFrame({
        "platform": "facebook", "account": "Acme", "source_file": "a", "dimension": "age_gender",
        "segment": [f"{g[0].upper()}.{b}" for b, g, _ in rows], "age_band": [r[0] for r in rows],
        "gender": [r[1] for r in rows], "share": [r[2] / 14 for r in rows]}))
    t = A.target_fit(a, Target(age_bands=bands, genders=["female"]))
    cov = t[t["criterion"] != "fit"]["coverage"]
    assert cov.between(0, 1 + 1e-12).all()
    assert t[t["criterion"] == "fit"]["score"].between(0, 100 + 1e-9).all()
    joint = t.set_index("criterion")["coverage"]
    assert joint["age_gender"] <= min(joint["age"], joint["gender"]) + 1e-12
