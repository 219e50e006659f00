"""Benchmark the demo generator: time per source, output size, rows and peak memory.

    .venv/bin/python bench/bench_demo_generate.py                 # scale 100 into bench/out/demo-100
    .venv/bin/python bench/bench_demo_generate.py --scale 10 --out /tmp/demo10

Scale 100 is the large client the other benchmarks use (about a million mentions, over
100,000 posts). The target is "a few minutes" with flat memory (every source streams to disk).
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from audit.demo import DEFAULT_SEED, generate  # noqa: E402


def _rows(path: Path, header_lines: int = 1) -> int:
    """Records of a CSV (quoted newlines included), counted without loading it."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - header_lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=100)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or ROOT / "bench" / "out" / f"demo-{args.scale}"

    timings: list[tuple[str, float]] = []
    t0, c0 = time.perf_counter(), time.process_time()
    generate(out, scale=args.scale, seed=args.seed, progress=lambda name, s: timings.append((name, s)))
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux

    files = [p for p in out.rglob("*") if p.is_file() and ".audit" not in p.parts]
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    mentions = _rows(out / "ecoute" / "brand24_mentions_export.csv")
    posts = sum(_rows(p) for p in (out / "meta").glob("*.csv")) \
        + sum(_rows(p) for p in (out / "x").glob("account_analytics_content_*.csv")) \
        + _rows(out / "tiktok" / "Content.csv")
    print(f"demo generator, scale {args.scale}, seed {args.seed} -> {out}")
    for name, s in timings:
        print(f"  {name:<12} {s:8.1f} s")
    print(f"total {total:.1f} s wall, {cpu:.1f} s CPU; {len(files)} files, {size_mb:.1f} MB ({size_mb / total:.1f} MB/s); "
          f"peak memory {peak_mb:.0f} MB")
    print(f"mentions {mentions:,}; posts (Facebook, Instagram, X, TikTok; LinkedIn and YouTube not counted) {posts:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
