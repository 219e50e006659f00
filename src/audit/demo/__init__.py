"""The demo client: a deterministic generator of a fictional brand's exports, in the platforms'
real file formats, with findings planted for the audit to discover.

    from audit.demo import generate
    generate("data/demo")                    # the shipped demo, byte for byte
    generate("/tmp/big", scale=100)          # ~1M mentions, >100k posts, for benchmarks

Every source draws from its own random stream (seed, source, month), and writes month by month,
so memory stays flat whatever the scale. `world.py` holds the story and the planted effects.
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Callable

from . import ads, care, config_file, linkedin, listening, meta, video, web, x
from ..errors import UsageError
from .world import DEFAULT_SEED

# (name, writer): each writes its files under the output folder
SOURCES: tuple[tuple[str, Callable[[Path, int, int], None]], ...] = (
    ("meta", meta.write),
    ("x", x.write),
    ("linkedin", linkedin.write),
    ("youtube", video.youtube),
    ("tiktok", video.tiktok),
    ("web", web.write),
    ("meta_ads", ads.meta_ads),
    ("google_ads", ads.google_ads),
    ("listening", listening.write),
    ("press", listening.press),
    ("inbox", care.inbox),
    ("reviews", care.reviews),
    ("survey", care.survey),
    ("audit.yml", config_file.write_config),
    ("README.md", config_file.write_readme),
)


def generate(out: str | Path, scale: int = 1, seed: int = DEFAULT_SEED, *, progress: Callable[[str, float], None]
             | None = None) -> Path:
    """Write a complete client folder to `out` (its previous export files are replaced; a
    `.audit/` cache inside it is left alone). Returns the folder."""
    if scale < 1 or int(scale) != scale:
        raise ValueError(f"scale must be a whole number >= 1, not {scale!r}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    children = [c for c in out.iterdir() if not c.name.startswith(".")]
    if children and not config_file.is_demo(out):
        raise UsageError(f"{out} is not empty and is not a generated demo client; choose an empty or new folder")
    for child in children:  # a regenerated folder holds exactly what this version writes
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    for name, write in SOURCES:
        t0 = time.perf_counter()
        write(out, int(seed), int(scale))
        if progress:
            progress(name, time.perf_counter() - t0)
    return out


__all__ = ["generate", "DEFAULT_SEED", "SOURCES"]
