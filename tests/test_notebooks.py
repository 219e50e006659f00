"""The real notebooks (notebooks/): committed clean and thin, with the same parameters; run end to
end on the tiny fixture client (figures checked by hand) and on the demo client (the planted
effects of data/demo/README.md are found, read from metrics.json, never from HTML)."""
from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from audit.runner import NOTEBOOK_PATTERN, STANDARD_PARAMETERS, RunOptions, run
from audit.tables import load_tables
from fixtures.tiny_client.make_client import make_client

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEMO = ROOT / "data" / "demo"
PARAMETERS = [*STANDARD_PARAMETERS, "anonymize"]
NOTEBOOK_FILES = sorted(p for p in NOTEBOOKS.glob("*.ipynb") if NOTEBOOK_PATTERN.match(p.name))


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def parameters(cell) -> dict[str, object]:
    """name -> literal default of a `parameters` cell; fails on anything but `name: type = literal  # help`."""
    tree = ast.parse(cell.source)
    out = {}
    for stmt in tree.body:
        assert isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name), ast.unparse(stmt)
        assert isinstance(stmt.value, ast.Constant), f"{stmt.target.id}: the default must be a literal"
        out[stmt.target.id] = stmt.value.value
    for line in cell.source.splitlines():
        assert "#" in line and line.split("#", 1)[1].strip(), f"undocumented parameter: {line!r}"
    return out


# --- static checks on every notebook ------------------------------------------------------------

def test_the_notebooks_are_there_in_reading_order():
    names = [p.stem for p in NOTEBOOK_FILES]
    for expected in ("00_summary", "01_channels", "02_audience", "03_competitors", "04_brand_health", "07_website"):
        assert expected in names
    assert len({n[:2] for n in names}) == len(names), "two notebooks share a number"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_committed_without_outputs_and_thin(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in code_cells(nb):
        assert cell.outputs == [], f"{path.name}: a code cell has outputs"
        assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        assert not defs, f"{path.name}: `def`/`class` {[d.name for d in defs]} belongs in src/audit"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# "), "a title comes first"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_parameters_then_a_validation_cell(path):
    nb = nbformat.read(path, as_version=4)
    first, second = code_cells(nb)[:2]
    assert "parameters" in first.metadata.get("tags", []), "the first code cell is tagged `parameters`"
    params = parameters(first)
    assert list(params) == PARAMETERS, "every notebook declares the same parameters, in the same order"
    assert params["client_dir"] == "../data/demo" and params["interactive"] is True
    calls = [n for n in ast.walk(ast.parse(second.source))
             if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "configure"]
    assert calls, "the second code cell calls configure(metrics_path, notebook=...)"
    named = {k.arg: k.value for k in calls[0].keywords}
    assert isinstance(named.get("notebook"), ast.Constant) and named["notebook"].value == path.stem


def test_every_notebook_declares_what_the_runner_sets():
    import papermill

    for path in NOTEBOOK_FILES:
        declared = papermill.inspect_notebook(str(path))
        assert set(STANDARD_PARAMETERS) <= set(declared), path.name


# --- the pipeline on the tiny fixture client ----------------------------------------------------

def by(metrics: dict, metric: str, **where) -> list[dict]:
    return [m for m in metrics["metrics"] if m["metric"] == metric
            and all(m.get(k) == v for k, v in where.items())]


def one(metrics: dict, metric: str, **where) -> dict:
    found = by(metrics, metric, **where)
    assert found, f"{metric} {where} was not recorded"
    return found[0]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    client = make_client(tmp_path_factory.mktemp("clients") / "tiny")
    result = run(RunOptions(client_dir=client, out=tmp_path_factory.mktemp("reports"), notebooks_dir=NOTEBOOKS,
                            ingest=False, progress=False, jobs=2))
    metrics = json.loads((result.run_dir / "metrics.json").read_text(encoding="utf-8"))
    return result, metrics


@pytest.mark.slow
def test_tiny_client_every_notebook_succeeds(tiny_run):
    result, _ = tiny_run
    status = {n["name"]: n["status"] for n in result.notebooks}
    assert status == {p.stem: "ok" for p in NOTEBOOK_FILES}, [n.get("error") for n in result.notebooks]
    assert result.exit_code == 0


@pytest.mark.slow
def test_tiny_client_figures_equal_the_hand_computed_ones(tiny_run):
    _, m = tiny_run
    brand, rival = "Tiny Bakery", "Crumbs & Co"
    # five brand posts on Facebook between 2024-01-01 and 2024-06-30 (182 days)
    assert one(m, "channels.posts", account=brand, platform="facebook")["value"] == 5
    per_week = one(m, "channels.posts_per_week", account=brand, platform="facebook")
    assert per_week["value"] == pytest.approx(5 / (182 / 7))
    # no reaction/comment/share columns: the export's own engagements, 250 over a reach of 6,000
    er = one(m, "channels.engagement_rate_reach", account=brand, platform="facebook")
    assert er["value"] == pytest.approx((50 + 120 + 20 + 30 + 30) / (1000 + 2000 + 800 + 1200 + 1000))
    assert er["n"] == 5 and er["low"] <= er["value"] <= er["high"]
    # six brand mentions of eight: two negative, share of voice 6/8; the rival 2/8
    assert one(m, "brand_health.mentions", account=brand, notebook="04_brand_health")["value"] == 6
    sov = one(m, "brand_health.share_of_voice", account=brand, platform=None, notebook="04_brand_health")
    assert (sov["value"], sov["n"]) == (pytest.approx(0.75), 8)
    rival_sov = one(m, "brand_health.share_of_voice", account=rival, notebook="03_competitors")
    assert rival_sov["value"] == pytest.approx(0.25)
    neg = one(m, "brand_health.sentiment_negative", account=brand, platform=None, label=None,
              notebook="04_brand_health")
    assert (neg["value"], neg["n"]) == (pytest.approx(2 / 6), 6)
    # the summary records its headline figures first, so the compass takes them
    first = [x for x in m["metrics"] if x["direction"] == "brand_health"][0]
    assert (first["notebook"], first["metric"]) == ("00_summary", "brand_health.share_of_voice")


@pytest.mark.slow
def test_tiny_client_missing_data_is_said_not_failed(tiny_run):
    _, m = tiny_run
    missing = {(x["notebook"], x["what"]) for x in m["missing"]}
    assert ("07_website", "web analytics traffic export (sessions by channel group)") in missing
    assert ("02_audience", "audience export (age, gender and location of followers)") in missing
    assert ("00_summary", "inbox export") in missing


# --- the pipeline on the demo client: the planted effects ---------------------------------------

CRISIS = ("2026-03-16", "2026-03-22")
SOCIAL_CARE = ("experience.response_rate", "operations.cost_per_social_contact", "innovation.ideas")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not (DEMO / "audit.yml").is_file():
        pytest.skip("data/demo is not there")
    client = tmp_path_factory.mktemp("clients") / "demo"
    shutil.copytree(DEMO, client, ignore=shutil.ignore_patterns(".audit"))
    result = run(RunOptions(client_dir=client, out=tmp_path_factory.mktemp("reports"), notebooks_dir=NOTEBOOKS,
                            progress=False, jobs=2))
    metrics = json.loads((result.run_dir / "metrics.json").read_text(encoding="utf-8"))
    return result, metrics, load_tables(client)


def verdict(record: dict) -> str:
    return record["label"].rsplit(": ", 1)[1]


def group(record: dict) -> str:
    return record["label"].split(" vs other posts", 1)[0]


@pytest.mark.slow
def test_demo_every_notebook_succeeds(demo):
    result, _, _ = demo
    failed = {n["name"]: n.get("error", {}).get("message") for n in result.notebooks if n["status"] != "ok"}
    assert not failed
    assert (result.run_dir / "baseline.html").is_file()


@pytest.mark.slow
def test_demo_short_videos_outperform_and_links_do_worst(demo):
    _, m, _ = demo
    types = {(r["platform"], group(r)): verdict(r) for r in by(m, "channels.engagement_by_post_type")}
    assert types["instagram", "reel"] == "higher" and types["instagram", "photo"] == "lower"
    assert types["facebook", "reel"] == "higher" and types["facebook", "video"] == "higher"
    assert types["facebook", "link"] == "lower"
    reel = next(r for r in by(m, "channels.engagement_by_post_type", platform="instagram") if group(r) == "reel")
    assert reel["low"] > 0  # the interval of the difference excludes zero


@pytest.mark.slow
def test_demo_posting_slot_makes_no_reliable_difference(demo):
    _, m, _ = demo
    slots = by(m, "channels.engagement_by_hour")
    for platform in ("facebook", "instagram"):
        mine = [r for r in slots if r["platform"] == platform]
        assert {group(r).split(" ")[0] for r in mine} == {"morning", "midday", "evening"}
        assert {verdict(r) for r in mine} == {"no reliable difference"}
        assert all(r["low"] <= 0 <= r["high"] for r in mine)


@pytest.mark.slow
def test_demo_crisis_week_is_found_with_its_critic(demo):
    _, m, _ = demo
    episode = next(r for r in by(m, "brand_health.mention_spike") if r["label"].startswith("largest episode"))
    start, end = re.search(r"(\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)", episode["label"]).groups()
    assert start == CRISIS[0] and "2026-03-20" <= end <= CRISIS[1]
    during = one(m, "brand_health.sentiment_negative", label="during the largest episode")
    year = one(m, "brand_health.sentiment_negative", account="Maison Brindelle", platform=None, label=None,
               notebook="04_brand_health")
    assert during["low"] > 0.5 > 0.25 > year["high"]
    voice = next(r for r in by(m, "brand_health.author_influence") if "largest episode" in (r["label"] or ""))
    assert voice["label"].endswith(": Le Palais Critique")


@pytest.mark.slow
def test_demo_competitor_weak_spot_is_customer_service(demo):
    _, m, _ = demo
    share = {r["account"]: r for r in by(m, "experience.complaint_share", notebook="03_competitors")}
    assert share["Fournil Orsane"]["low"] > 2 * share["Solvène Pâtisserie"]["high"]
    topics = by(m, "experience.complaint_topic_share", account="Fournil Orsane")
    top = max(topics, key=lambda r: r["value"])
    assert top["label"] in {"delivery", "customer_service", "billing_refund"}
    service = sum(r["value"] for r in topics if r["label"] in {"delivery", "customer_service", "billing_refund"})
    assert service > 0.6
    neg = {r["account"]: r for r in by(m, "brand_health.sentiment_negative", notebook="03_competitors")}
    assert neg["Fournil Orsane"]["low"] > 0.35 and neg["Solvène Pâtisserie"]["high"] < 0.2


@pytest.mark.slow
def test_demo_efforts_do_not_serve_the_sales_objective(demo):
    _, m, _ = demo
    ids = {f["id"] for f in m["findings"] if f["notebook"] == "00_summary"}
    assert {"marketing.sales_without_site_links", "marketing.ads_misaligned"} <= ids
    links = one(m, "marketing.posts_linking_to_site", notebook="00_summary")
    assert links["high"] < 0.10 and links["n"] > 1000
    aligned = one(m, "marketing.spend_aligned_with_objectives", notebook="00_summary")
    assert aligned["value"] < 0.8
    social, site = (one(m, f"returns.{x}_key_event_rate", notebook="00_summary") for x in ("social", "site"))
    assert social["high"] < site["low"]  # social visits convert less than the site as a whole


@pytest.mark.slow
def test_demo_brand_is_absent_on_pinterest_where_it_is_talked_about(demo):
    _, m, _ = demo
    gap = {r["platform"]: r for r in by(m, "audience.mention_platform_share")}
    assert gap["pinterest"]["label"] == "absent where it matters" and gap["pinterest"]["low"] > 0.10
    assert [p for p, r in gap.items() if r["label"] == "absent where it matters"] == ["pinterest"]


@pytest.mark.slow
def test_demo_facebook_audience_misses_the_persona(demo):
    _, m, _ = demo
    joint = {r["platform"]: r["value"] for r in by(m, "audience.target_coverage", label="age_gender")}
    assert joint["facebook"] < 0.2 < 0.4 < joint["instagram"]
    fit = {r["platform"]: r["value"] for r in by(m, "audience.target_fit")}
    assert fit["facebook"] < fit["instagram"]


@pytest.mark.slow
def test_demo_social_care_figures_when_the_inbox_is_read(demo):
    _, m, tables = demo
    if not tables.has("inbox"):
        pytest.skip("the inbox export of the demo is not read yet (canonical inbox loader)")
    questions = one(m, "experience.response_rate", notebook="00_summary")
    assert 0.6 < questions["low"] and questions["high"] < 0.85  # about 24 % never answered
    care = one(m, "operations.cost_per_social_contact", notebook="00_summary", label="social")
    assert care["value"] < 0.7 * 7.40


@pytest.mark.slow
def test_demo_the_twelve_suggestions_when_every_customer_text_is_read(demo):
    _, m, tables = demo
    if not all(tables.has(t) for t in ("inbox", "reviews", "surveys")):
        pytest.skip("inbox, reviews and survey of the demo are not all read yet (canonical loaders)")
    assert one(m, "innovation.ideas", notebook="00_summary")["value"] == 12
