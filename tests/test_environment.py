"""environment.yml (conda) and pyproject.toml declare the same pinned runtime dependencies."""
import re
import tomllib

import yaml

from conftest import ROOT


# conda-forge packages named otherwise than on PyPI
CONDA_NAMES = {"python-xxhash": "xxhash"}


def _norm(name: str) -> str:
    name = re.sub(r"[-_.]+", "-", name).lower()
    return CONDA_NAMES.get(name, name)


def test_environment_matches_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    py = dict(d.split("==") for d in deps)
    py = {_norm(k): v for k, v in py.items()}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for d in env["dependencies"]:
        if isinstance(d, str) and "=" in d and not d.startswith("python="):
            name, version = d.split("=", 1)
            conda[_norm(name)] = version
    assert conda == py


def test_every_runtime_dependency_is_pinned():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert all("==" in d for d in deps), [d for d in deps if "==" not in d]
