"""What the report template shows, computed from run.json, metrics.json, audit.yml and the
ingest report: plain dicts of already formatted text (the template only lays them out and
escapes them)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from .formatting import format_duration, format_interval, format_n, format_value

COMPASS = {  # the six directions of the business compass, in the order the report shows them
    "brand_health": ("Brand health", "What do people say and feel about the brand, where, and who matters?"),
    "marketing_optimisation": ("Marketing optimisation", "Which actions worked so far, at what cost, and do they serve the objective?"),
    "generating_returns": ("Generating returns", "Conversions, leads and online sales that come from social media."),
    "operational_efficiency": ("Operational efficiency", "Do social operations make money or cut costs?"),
    "customer_experience": ("Customer experience", "How fans are answered; reviews, complaints and satisfaction."),
    "innovation": ("Innovation", "Ideas, change proposals and feedback from customers."),
}
OTHER_DIRECTIONS = {"channels": "Channels", "audience": "Audience and target group",
                    "website": "Website", "competitors": "Competitors"}
OBJECTIVES = {"sales": "Sales", "leads": "Leads", "traffic": "Traffic", "image": "Image",
              "engagement": "Engagement", "customer_service": "Customer service",
              "recruitment": "Recruitment", "innovation": "Innovation"}
# Which compass directions measure progress towards each declared objective.
OBJECTIVE_DIRECTIONS = {
    "sales": ("generating_returns", "marketing_optimisation"),
    "leads": ("generating_returns", "marketing_optimisation"),
    "traffic": ("marketing_optimisation", "generating_returns"),
    "image": ("brand_health",),
    "engagement": ("marketing_optimisation", "customer_experience"),
    "customer_service": ("customer_experience", "operational_efficiency"),
    "recruitment": ("brand_health",),
    "innovation": ("innovation",),
}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2, "info": 3}
STATUS_LABELS = {"attention": "Needs attention", "watch": "To watch", "ok": "No issue found", "nodata": "No data"}
FIGURES_PER_DIRECTION = 3


def direction_name(d: str | None) -> str:
    if d in COMPASS:
        return COMPASS[d][0]
    return OTHER_DIRECTIONS.get(d or "", (d or "other").replace("_", " ").capitalize())


def cover(config: Any, run: dict, metrics: dict) -> dict:
    failed = [n for n in run.get("notebooks", []) if n.get("status") != "ok"]
    return {
        "client": config.client,
        "brand": config.brand.name,
        "competitors": [c.name for c in config.competitors],
        "objectives": [OBJECTIVES.get(o, o) for o in config.objectives],
        "period": period_text(config, run, metrics)[0],
        "period_note": period_text(config, run, metrics)[1],
        "date": _long_date(run.get("started_at")),
        "failed": (f"{len(failed)} of {len(run.get('notebooks', []))} sections could not be completed; "
                   "they are marked in the contents." if failed else ""),
    }


def period_text(config: Any, run: dict, metrics: dict) -> tuple[str, str]:
    """The period the figures cover: as the notebooks recorded it, else as requested."""
    meta = {m["key"]: m["value"] for m in reversed(metrics.get("meta", []))}
    params = run.get("parameters", {})
    start = meta.get("period_start") or params.get("period_start") or (config.period and config.period.start.isoformat())
    end = meta.get("period_end") or params.get("period_end") or (config.period and config.period.end.isoformat())
    if start and end:
        return f"{_long_date(start)} – {_long_date(end)}", ""
    return "The 12 full months before the latest data", "as found in the exports"


def unique_findings(metrics: dict) -> list[dict]:
    """Each finding once (a summary notebook may show again what a section recorded)."""
    seen, out = set(), []
    for f in metrics.get("findings", []):
        key = f.get("id") or f.get("title")
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def compass(metrics: dict, config: Any) -> list[dict]:
    brand = config.brand.name
    served = {d: [OBJECTIVES.get(o, o) for o in config.objectives if d in OBJECTIVE_DIRECTIONS.get(o, ())]
              for d in COMPASS}
    out = []
    for d, (name, question) in COMPASS.items():
        ms = [m for m in metrics.get("metrics", []) if m.get("direction") == d and m.get("account") in (None, brand)]
        fs = [f for f in unique_findings(metrics) if f.get("direction") == d]
        severities = {f["severity"] for f in fs}
        status = ("attention" if "high" in severities else "watch" if "medium" in severities
                  else "ok" if ms or fs else "nodata")
        out.append({
            "id": d, "name": name, "question": question,
            "status": status, "status_label": STATUS_LABELS[status],
            "objective": bool(served[d]), "objectives": served[d],
            "figures": [figure(m, config) for m in _headline(ms)],
            "findings_count": sum(1 for f in fs if f["severity"] != "info"),
            "empty_text": "No figure was recorded for this direction: its exports were not in the client folder."
            if status == "nodata" else "Only findings were recorded for this direction.",
        })
    return out


def _headline(ms: list[dict]) -> list[dict]:
    """The first figures each notebook recorded (notebooks record their headline figures
    first), one per metric, those with a value before those without."""
    seen, with_value, without = set(), [], []
    for m in ms:
        if m["metric"] in seen:
            continue
        seen.add(m["metric"])
        (with_value if m.get("value") is not None else without).append(m)
    return (with_value + without)[:FIGURES_PER_DIRECTION]


def figure(m: dict, config: Any) -> dict:
    qualifier = " · ".join(str(x) for x in (m.get("platform"), m.get("label")) if x)
    currency = m.get("currency") or config.currency  # money in another currency says so when recorded
    return {
        "label": m.get("name") or m["metric"],
        "qualifier": qualifier,
        "value": format_value(m.get("value"), m.get("unit"), currency),
        "n": format_n(m.get("n")),
        "interval": format_interval(m.get("low"), m.get("high"), m.get("unit"), currency),
        "anchor": definition_anchor(m["metric"]),
    }


def findings(metrics: dict, config: Any, sections: list[dict]) -> list[dict]:
    """Findings of every notebook, most severe first; among equals, those that concern a
    declared objective first; 'info' findings stay in their section."""
    objective_dirs = {d for o in config.objectives for d in OBJECTIVE_DIRECTIONS.get(o, ())}
    by_name = {s["name"]: s for s in sections}
    fs = [f for f in unique_findings(metrics) if f.get("severity") != "info"]
    order = sorted(range(len(fs)), key=lambda i: (SEVERITY_RANK.get(fs[i]["severity"], 9),
                                                  fs[i].get("direction") not in objective_dirs, i))
    out = []
    for i in order:
        f = fs[i]
        sec = by_name.get(f.get("notebook") or "")
        out.append({
            "severity": f["severity"], "title": f["title"], "detail": f.get("detail") or "",
            "direction_name": direction_name(f.get("direction")),
            "section_anchor": sec["anchor"] if sec else "", "section_title": sec["title"] if sec else "",
        })
    return out


def section(index: int, entry: dict, title: str) -> dict:
    """A notebook's section: anchor, number, title, status and the failure banner."""
    name = entry["name"]
    number = name.split("_", 1)[0] if name[:2].isdigit() else f"{index + 1:02d}"
    status = "ok" if entry.get("status") == "ok" else "failed"
    err = entry.get("error") or {}
    banner = None
    if status != "ok":
        banner = {"headline": _failure_headline(err), "message": err.get("message") or "Unknown error.",
                  "hint": "The rest of the report is complete. The executed notebook "
                          f"({entry.get('output') or name + '.ipynb'}) in the run folder shows where it stopped."}
    notices = []
    if entry.get("attempts", 1) > 1:
        notices.append(f"The notebook's kernel failed to start on the first attempt and was started again "
                       f"({entry.get('retry_reason') or 'no reason given'}).")
    return {"index": index, "anchor": f"section-{name}", "number": number, "name": name, "title": title,
            "status": status, "status_label": "Failed" if status != "ok" else "OK", "banner": banner,
            "notices": notices}


def _failure_headline(err: dict) -> str:
    kind = err.get("kind")
    if kind == "timeout":
        return "This section stopped: a step took longer than the time limit."
    if kind == "kernel_start":
        return "This section could not run: its Python kernel did not start."
    if kind == "kernel_died":
        return "This section stopped: its Python kernel died."
    return "This section could not be completed because of an error."


def definition_anchor(metric_id: str) -> str:
    return "def-" + "".join(c if c.isalnum() or c in "-_." else "-" for c in metric_id)


def definitions(metrics: dict, registry_get) -> list[dict]:
    ids = list(dict.fromkeys(m["metric"] for m in metrics.get("metrics", [])))
    out = []
    for mid in ids:
        try:
            d = registry_get(mid) if registry_get else None
        except KeyError:
            d = None
        rec = next(m for m in metrics["metrics"] if m["metric"] == mid)
        out.append({
            "id": mid, "anchor": definition_anchor(mid), "known": d is not None,
            "name": getattr(d, "name", None) or rec.get("name") or mid,
            "direction": direction_name(getattr(d, "direction", None) or rec.get("direction")),
            "unit": getattr(d, "unit", None) or rec.get("unit") or "",
            "numerator": getattr(d, "numerator", ""), "denominator": getattr(d, "denominator", ""),
            "aggregation": getattr(d, "aggregation", ""), "caveats": getattr(d, "caveats", ""),
        })
    order = list(COMPASS) + list(OTHER_DIRECTIONS)
    names = [direction_name(d) for d in order]
    out.sort(key=lambda d: (names.index(d["direction"]) if d["direction"] in names else 99, d["name"]))
    return out


def data_quality(ingest: dict | None, metrics: dict, sections: list[dict]) -> dict:
    titles = {s["name"]: s["title"] for s in sections}
    missing = [{"section": titles.get(m.get("notebook") or "", m.get("notebook") or "?"), "what": m.get("what") or ""}
               for m in metrics.get("missing", [])]
    if not ingest:
        return {"available": False, "files": [], "tables": [], "missing": missing,
                "summary": "No ingest report was found: the canonical tables were prepared outside `audit ingest`."}
    files = []
    for f in ingest.get("files", []):
        notes = [{"kind": "error", "text": e} for e in f.get("errors", [])]
        notes += [{"kind": "warning", "text": w} for w in f.get("warnings", [])]
        notes += [{"kind": "dropped", "text": f"{d.get('rows', '?')} row(s) dropped: {d.get('reason', '')}"}
                  for d in f.get("dropped", [])]
        files.append({"file": f.get("file", "?"), "status": f.get("status", "ok"),
                      "formats": ", ".join(f.get("formats", [])) or "not recognised",
                      "rows": f"{sum(f.get('tables', {}).values()):,}", "notes": notes})
    n_problems = sum(1 for f in files if f["status"] != "ok")
    tables = [{"name": t, "rows": f"{n:,}"} for t, n in ingest.get("tables", {}).items() if n]
    summary = (f"{len(files)} file{'s' if len(files) != 1 else ''} in the client folder; "
               f"{len(files) - n_problems} read without problems, {n_problems} with problems or not recognised.")
    if ingest.get("duplicates_removed"):
        dup = ", ".join(f"{n:,} in {t}" for t, n in ingest["duplicates_removed"].items())
        summary += f" Rows present in more than one export were counted once ({dup} duplicates removed)."
    return {"available": True, "files": files, "tables": tables, "missing": missing, "summary": summary}


def run_appendix(run: dict) -> dict:
    params = run.get("parameters", {})
    facts = [
        ("Run", run.get("run_id", "")),
        ("Started", run.get("started_at", "")),
        ("Duration", format_duration(run.get("timings", {}).get("total_s", 0) or 0)),
        ("Toolkit", f"social-audit {run.get('version', '')}"),
        ("Python", run.get("python", "")),
        ("Kernel", run.get("kernel", "")),
        ("Parallel jobs", str(run.get("jobs", ""))),
        ("Time limit per cell", f"{run.get('cell_timeout_s', '')} s"),
        ("Period requested", f"{params.get('period_start') or 'default'} – {params.get('period_end') or 'default'}"),
        ("Command", run.get("command", "")),
    ]
    notebooks = []
    for n in run.get("notebooks", []):
        notes = []
        if n.get("error"):
            notes.append(n["error"].get("message", ""))
        if n.get("attempts", 1) > 1:
            notes.append(f"kernel started twice ({n.get('retry_reason') or ''})")
        notebooks.append({"name": n["name"], "status": "ok" if n.get("status") == "ok" else "failed",
                          "status_label": "OK" if n.get("status") == "ok" else "Failed",
                          "duration": f"{n.get('duration_s') or 0:.1f} s", "notes": "; ".join(notes)})
    return {
        "facts": [{"key": k, "value": v} for k, v in facts],
        "notebooks": notebooks,
        "inputs": [{"file": k, "sha256": v} for k, v in run.get("inputs", {}).items()],
        "packages": [{"name": k, "version": v} for k, v in run.get("packages", {}).items()],
    }


def _long_date(value: Any) -> str:
    if not value:
        return ""
    try:
        d = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return f"{d.day} {d.strftime('%B %Y')}"
