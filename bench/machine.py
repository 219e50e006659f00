"""How fast this machine is right now, to read a benchmark's figures against.

The reference machine is a 2-vCPU virtual machine whose speed moves with its host's load, by up to
2x within minutes, without the guest seeing any steal time. The benchmarks print the time a fixed
pure-Python loop takes before and after they run: figures taken when it is slow are slow too.
"""
from __future__ import annotations

import time

LOOPS = 5_000_000


def loop_seconds() -> float:
    """CPU seconds of a fixed pure-Python loop (0.28 s was the fastest seen on the reference machine, 0.47 s common)."""
    t = time.process_time()
    s = 0
    for i in range(LOOPS):
        s += i * i
    return time.process_time() - t


def describe(label: str) -> str:
    return f"machine speed {label}: fixed loop {loop_seconds():.2f} s (fastest seen on the reference machine: 0.28 s)"
