"""Large files, chunk by chunk, on every core: read-ahead and an ordered parallel map.

pyarrow's CSV parsing and compute kernels release the GIL, so two threads really do work at once:
one parses the next block of the file while another cleans the current chunk. Work given to
`ordered_map` must be free of side effects (no warnings, no shared state written): results come
back in input order, so whatever the caller does with them happens in file order, as if serial.
"""
from __future__ import annotations

import os
import queue
import threading
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")
WORKERS = min(2, os.cpu_count() or 1)  # the target machine has 2 cores; more threads only add memory
_END = object()


class _Failed:
    def __init__(self, error: BaseException):
        self.error = error


def read_ahead(items: Iterable[T], depth: int = 2) -> Iterator[T]:
    """`items`, produced by a background thread up to `depth` items ahead of the caller."""
    if WORKERS <= 1:
        yield from items
        return
    q: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                q.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put(item):
                    return
            put(_END)
        except BaseException as e:  # handed to the caller, raised there
            put(_Failed(e))

    thread = threading.Thread(target=produce, name="audit-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = q.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        thread.join()


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int | None = None) -> Iterator[R]:
    """fn(item) for each item, `workers` (default WORKERS) at a time, yielded in input order. `workers`
    items are taken from `items` ahead of the one the caller is given, so that every worker has one
    while the caller deals with it (memory stays bounded)."""
    workers = workers or WORKERS
    if workers <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(workers, thread_name_prefix="audit-chunk") as pool:
        pending: deque = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) > workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for f in pending:
                f.cancel()
