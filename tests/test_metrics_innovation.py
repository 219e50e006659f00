"""Innovation: idea keyword rules, themes, trend and examples."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import schemas
from audit.config import AuditConfig, Period
from audit.metrics import innovation as inn

T0 = pd.Timestamp("2025-03-10 12:00", tz="UTC")
DAY = pd.Timedelta(days=1)


def table(name: str, **cols) -> pd.DataFrame:
    n = max(len(v) for v in cols.values() if isinstance(v, list))
    base = {"platform": "facebook", "account": "Brand", "source_file": "f.csv"}
    return schemas.conform(name, pd.DataFrame(base | cols, index=range(n)))


@pytest.mark.parametrize("text,expected", [
    ("Ce serait génial d'avoir une livraison le dimanche", "ce serait genial"),
    ("SUGGESTION : ouvrir le dimanche", "suggestion"),
    ("You should add vegan options!", "you should add"),
    ("I have some ideas for you", "ideas"),
    ("Any idea why my order is late?", None),      # excluded phrase
    ("No idea. You should open on Sundays", "you should open"),  # exclusion keeps the rest
    ("The ideal gift", None),                       # whole words only
    ("Serait-il possible d'avoir des recharges ?", "serait-il possible"),
    ("j’aimerais bien une version bio", "j'aimerais bien"),  # curly apostrophe
    ("great product", None),
    (None, None),
])
def test_idea_keywords(text, expected):
    got = inn.first_keyword(pd.Series([text], dtype="str"), inn.idea_keywords(), inn.IDEA_EXCLUDE).iloc[0]
    assert (pd.isna(got) and expected is None) or got == expected


def test_wildcard_and_config_keywords():
    cfg = AuditConfig(client="c", brand={"name": "Brand"}, objectives=["innovation"], idea_keywords=["wishlist*"])
    s = pd.Series(["Adding to my wishlists", "Suggested by a friend"])
    assert inn.first_keyword(s, inn.idea_keywords()).tolist()[1] == "suggested"
    assert pd.isna(inn.first_keyword(s, inn.idea_keywords()).iloc[0])
    assert inn.first_keyword(s, inn.idea_keywords(cfg)).iloc[0] == "wishlists"


def test_keyword_pattern_longest_first():
    s = pd.Series(["it would be nice to have it"])
    assert inn.first_keyword(s, ["would", "would be nice"]).iloc[0] == "would be nice"


def tables():
    mn = table("mentions", mention_id=["m1", "m2", "m3"], published_at=[T0, T0 + 30 * DAY, T0],
               title=["Idée", None, None], text=["Vous devriez vendre en vrac", "nice shop", "meh"],
               account=["Brand", "Brand", "Rival"])
    ib = table("inbox", message_id=["i1", "i2"], received_at=[T0, T0 + 30 * DAY],
               text=["Could you add a loyalty card?", "Where is my order"])
    rv = table("reviews", review_id=["r1"], published_at=[T0 + 30 * DAY], rating=[4.0],
               title=["Good"], text=["It would be great to open on Sundays"])
    sv = table("surveys", response_id=["s1", "s2"], submitted_at=[T0, T0], comment=["Rien à dire", None])
    return {"mentions": mn, "inbox": ib, "reviews": rv, "surveys": sv}


def test_collect_texts():
    t = inn.collect_texts(tables(), "Brand")
    assert len(t) == 6  # 2 brand mentions, 2 inbox, 1 review, 1 survey comment (the empty one dropped)
    assert set(t["source"]) == {"mentions", "inbox", "reviews", "surveys"}
    assert "Idée. Vous devriez vendre en vrac" in t["text"].tolist()
    assert "Good. It would be great to open on Sundays" in t["text"].tolist()
    p = Period(start="2025-03-01", end="2025-03-31")
    assert len(inn.collect_texts(tables(), "Brand", p)) == 3
    assert len(inn.collect_texts(tables(), "Rival")) == 1
    assert inn.collect_texts({}, "Brand").empty


def test_find_ideas_and_themes():
    t = inn.collect_texts(tables(), "Brand")
    ideas = inn.find_ideas(t)
    assert sorted(ideas["item_id"]) == ["i1", "m1", "r1"]
    theme = dict(zip(ideas["item_id"], ideas["theme"]))
    assert theme["m1"] == "sustainability"  # "vrac"
    assert theme["i1"] == "price_loyalty"   # "loyalty"
    assert theme["r1"] == "store"           # "open on"
    kw = dict(zip(ideas["item_id"], ideas["keyword"]))
    assert kw["m1"] == "idee" and kw["i1"] == "could you add"

    share = inn.idea_share(t, ideas).set_index("source")
    assert share.loc["all", "ideas"] == 3 and share.loc["all", "texts"] == 6
    assert share.loc["all", "share"] == pytest.approx(3 / 6)
    assert share.loc["mentions", "share"] == pytest.approx(1 / 2)
    assert share.loc["surveys", "share"] == 0

    th = inn.idea_themes(ideas).set_index("theme")
    assert th.loc["sustainability", "ideas"] == 1
    assert th.loc["sustainability", "share"] == pytest.approx(1 / 3)
    assert th.loc["other", "ideas"] == 0


def test_idea_trend():
    t = inn.collect_texts(tables(), "Brand")
    tr = inn.idea_trend(t, inn.find_ideas(t), "Europe/Paris")
    assert tr["month"].tolist() == ["2025-03", "2025-04"]
    assert tr["texts"].tolist() == [3, 3]
    assert tr["ideas"].tolist() == [2, 1]
    assert tr["per_1000"].tolist() == [pytest.approx(2000 / 3), pytest.approx(1000 / 3)]
    assert (tr["low"] <= tr["per_1000"]).all() and (tr["per_1000"] <= tr["high"]).all()


def test_idea_examples():
    texts = pd.DataFrame({"source": "mentions", "platform": "x", "account": "Brand",
                          "item_id": ["a", "b", "c", "d"], "at": [T0, T0 + DAY, T0 + 2 * DAY, T0],
                          "text": ["idea: product one", "idea: product two", "idea: product " + "x" * 400,
                                   "idea: other"]})
    ideas = inn.find_ideas(texts)
    ex = inn.idea_examples(ideas, per_theme=2, max_chars=50)
    prod = ex[ex["theme"] == "product"]
    assert len(prod) == 2
    assert prod["text"].iloc[0].endswith("…") and len(prod["text"].iloc[0]) <= 51  # most recent first
    assert prod["text"].iloc[1] == "idea: product two"
    assert ex[ex["theme"] == "other"]["text"].tolist() == ["idea: other"]
    assert inn.idea_examples(ideas.iloc[:0]).empty


def test_no_texts():
    t = inn.collect_texts({}, "Brand")
    ideas = inn.find_ideas(t)
    assert ideas.empty
    assert inn.idea_share(t, ideas).set_index("source").loc["all", "share"] is None or \
        pd.isna(inn.idea_share(t, ideas).set_index("source").loc["all", "share"])
    assert inn.idea_trend(t, ideas).empty
    assert inn.idea_themes(ideas)["ideas"].sum() == 0


WORDS = ["idea", "you should add", "great", "livraison", "ce serait bien", "hello", "prix", "app", "no idea"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join), min_size=1, max_size=30),
       st.randoms(use_true_random=False))
def test_properties(texts, rnd):
    df = pd.DataFrame({"source": "mentions", "platform": "x", "account": "Brand",
                       "item_id": [str(i) for i in range(len(texts))], "at": T0, "text": texts})
    ideas = inn.find_ideas(df)
    kw = inn.first_keyword(df["text"], inn.idea_keywords(), inn.IDEA_EXCLUDE)
    assert (inn.has_keyword(df["text"], inn.idea_keywords(), inn.IDEA_EXCLUDE) == kw.notna().to_numpy()).all()
    share = inn.idea_share(df, ideas).set_index("source").loc["all"]
    assert 0 <= share["low"] <= share["share"] <= share["high"] <= 1
    order = list(range(len(texts)))
    rnd.shuffle(order)
    ideas2 = inn.find_ideas(df.iloc[order].reset_index(drop=True))
    assert sorted(ideas["item_id"]) == sorted(ideas2["item_id"])
    pd.testing.assert_frame_equal(inn.idea_themes(ideas), inn.idea_themes(ideas2))


def test_demo_planted_suggestions():
    """The demo client plants twelve suggestions verbatim and no other text uses suggestion wording
    (audit.demo.world / texts): the rules find all twelve and nothing else."""
    world = pytest.importorskip("audit.demo.world")
    demo_texts = pytest.importorskip("audit.demo.texts")
    planted = world.SUGGESTIONS_INBOX + world.SUGGESTIONS_REVIEWS + world.SUGGESTIONS_SURVEY
    others = [x for k, v in vars(demo_texts).items() if k.isupper() and isinstance(v, tuple)
              for x in v if isinstance(x, str)]
    assert len(planted) == 12 and len(others) > 50
    texts = pd.DataFrame({"source": "inbox", "platform": "x", "account": "Brand",
                          "item_id": [str(i) for i in range(len(planted) + len(others))], "at": T0,
                          "text": list(planted) + others})
    ideas = inn.find_ideas(texts)
    assert sorted(ideas["text"]) == sorted(planted)
    assert (ideas["theme"] != "other").all()
