"""Benchmark the explorer: time to open a client, then the time of each interaction (wall and CPU),
driven from Python exactly as the widgets' callbacks run in JupyterLab (charts drawn to PNG).

    .venv/bin/python bench/bench_explore.py                          # the demo client
    .venv/bin/python bench/bench_explore.py --client DIR             # any ingested client
    .venv/bin/python bench/bench_explore.py --scale 100              # generate (seed 1) + ingest into bench/out/

A generated client at scale 100 has about 230,000 posts and 1.1 million mentions. Each row is one
interaction; "first" views compute, "again" views come from the explorer's cache.
"""
from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def _client(args) -> Path:
    if args.client:
        return Path(args.client)
    if not args.scale:
        return ROOT / "data" / "demo"
    out = ROOT / "bench" / "out" / f"explore-{args.scale}"
    audit = [sys.executable, "-m", "audit.cli"]
    if not (out / "audit.yml").exists():
        subprocess.run([*audit, "demo-data", "--out", str(out), "--scale", str(args.scale), "--seed", "1"], check=True)
    if not (out / ".audit" / "ingest_report.json").exists():
        subprocess.run([*audit, "ingest", str(out)], check=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--client", help="an ingested client folder")
    ap.add_argument("--scale", type=int, default=0, help="generate a demo client at this scale (seed 1)")
    args = ap.parse_args()
    client = _client(args)

    t0, c0 = time.perf_counter(), time.process_time()
    import audit
    from audit.explorer import Explorer

    a = audit.open_audit(client)
    t1, c1 = time.perf_counter(), time.process_time()
    ex = Explorer(audit=a)
    t2, c2 = time.perf_counter(), time.process_time()
    sizes = {t: len(a.tables[t]) for t in ("posts", "mentions", "account_daily")}
    print(f"client {client}: " + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))
    print(f"{'open_audit (import + load tables)':44s} {t1 - t0:7.2f} s wall {c1 - c0:7.2f} s cpu")
    print(f"{'build the explorer + first view':44s} {t2 - t1:7.2f} s wall {c2 - c1:7.2f} s cpu")

    competitor = a.competitors[0] if a.competitors else a.brand
    busiest = ex.platform.value
    mention_platform = next((p for p in ex.data.platforms("mentions") if p), "")
    steps = [
        ("metric: engagement rate by reach (first)", lambda: setattr(ex.metric, "value", "er_reach")),
        ("metric: engagement rate by impressions", lambda: setattr(ex.metric, "value", "er_impressions")),
        ("platform: another one (first)", lambda: setattr(ex.platform, "value",
                                                          [v for _, v in ex.platform.options if v != busiest][0])),
        ("platform: back (again)", lambda: setattr(ex.platform, "value", busiest)),
        ("compare with a competitor (first)", lambda: setattr(ex.compare, "value", competitor)),
        ("metric: link click-through rate (first)", lambda: setattr(ex.metric, "value", "link_ctr")),
        ("metric: followers at the end (first)", lambda: setattr(ex.metric, "value", "followers_end")),
        ("metric: mention volume, all platforms (first)", lambda: (setattr(ex.metric, "value", "mentions"),
                                                                  setattr(ex.platform, "value", ""))),
        ("metric: net sentiment (first)", lambda: setattr(ex.metric, "value", "net_sentiment")),
        ("metric: share of voice (first)", lambda: setattr(ex.metric, "value", "share_of_voice")),
        ("platform for mentions (first)", lambda: setattr(ex.platform, "value", mention_platform)),
        ("account: a competitor (first)", lambda: setattr(ex.account, "value", competitor)),
        ("account: the brand (again)", lambda: setattr(ex.account, "value", a.brand)),
        ("mentions: filter negative", lambda: setattr(ex.sentiment, "value", "negative")),
        ("mentions: keyword", lambda: setattr(ex.keyword, "value", "service")),
        ("mentions: another window", lambda: setattr(ex.window, "value", ex.window.options[0][1])),
        ("period: last 3 months (first)", lambda: setattr(ex.start, "value", ex.end.value - dt.timedelta(days=91))),
        ("metric: engagements (first)", lambda: (setattr(ex.metric, "value", "engagements"))),
        ("drill-down: another week", lambda: setattr(ex.week, "value", ex.week.options[-1][1])),
    ]
    walls = []
    for name, step in steps:
        w0, p0 = time.perf_counter(), time.process_time()
        step()
        w, p = time.perf_counter() - w0, time.process_time() - p0
        walls.append(w)
        flag = f"  ERROR {ex.last_error!r}" if ex.last_error else ""
        print(f"{name:44s} {w:7.2f} s wall {p:7.2f} s cpu{flag}")
    walls.sort()
    print(f"interactions: median {walls[len(walls) // 2]:.2f} s, slowest {walls[-1]:.2f} s; "
          f"over 1 s: {sum(w > 1 for w in walls)} of {len(walls)} (the explorer shows 'Working…' meanwhile)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
