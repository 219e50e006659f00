#!/usr/bin/env python3
"""Set up the project's environment and run one of its jobs. Needs only Python 3.11.

    python3 dev.py demo    # set up, then run the audit on the bundled demo client
    python3 dev.py test    # set up, then run the test suite

Set-up is idempotent: the virtual environment in .venv is (re)installed only when
pyproject.toml changed since the last install. The project's Jupyter kernel
("social-audit") is registered inside the venv so papermill and JupyterLab find it.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
KERNEL = "social-audit"


def run(*cmd: str | Path, **kw) -> None:
    print("+", " ".join(map(str, cmd)), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)


def setup(extras: str) -> None:
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest and PY.exists()):
        install(extras, stamp, digest)
    # The package byte-compiled now (only what changed): where PYTHONDONTWRITEBYTECODE is set, the
    # runner and the kernel server would otherwise compile it at every run, on the way to the first
    # notebook (~0.1 s each on the reference machine).
    subprocess.run([str(PY), "-m", "compileall", "-q", "src/audit"], cwd=ROOT, check=False)


def install(extras: str, stamp: Path, digest: str) -> None:
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(PY, "-m", "pip", "install", "--quiet", "-e", target)
    run(PY, "-m", "ipykernel", "install", "--sys-prefix", "--name", KERNEL,
        "--display-name", "Social audit (Python 3)")
    stamp.write_text(digest)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium (never a downloaded browser)."""
    if shutil.which("chromium"):
        return
    if shutil.which("apt-get") and os.geteuid() == 0:
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        try:
            run("apt-get", "update", "-qq", env=env, stdout=subprocess.DEVNULL)
            run("apt-get", "install", "-y", "-qq", "chromium", env=env, stdout=subprocess.DEVNULL)
        except subprocess.CalledProcessError:
            print("chromium could not be installed; browser tests will be skipped", flush=True)


def main(argv: list[str]) -> int:
    job = argv[0] if argv else "help"
    rest = argv[1:]
    if job == "demo":
        setup("")
        return subprocess.call([str(BIN / "audit"), "run", "data/demo", *rest], cwd=ROOT)
    if job == "test":
        setup("dev")
        ensure_chromium()
        return subprocess.call([str(PY), "-m", "pytest", *rest], cwd=ROOT)
    if job == "setup":
        setup("dev")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
