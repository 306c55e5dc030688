"""The development environment is reproducible: pinned by the lock, installed from it.

`make` installs `.venv` from requirements.lock (hashes, transitive packages included),
which `make lock` exports from uv's universal lock (Python 3.10-3.13). Users of the tool
get lower bounds only.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import ROOT
from tests.lockfile import LOCK, canonical, locked_pins

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

UV = Path(sys.executable).parent / "uv"


@pytest.mark.skipif(
    bool(os.environ.get("SCHEMAFIRST_UNLOCKED")),
    reason="make test-latest installs the newest versions on purpose",
)
def test_every_installed_package_is_the_locked_version() -> None:
    pins = locked_pins()
    assert {"pyyaml", "jinja2", "black", "pytest", "hypothesis", "uv"} <= set(pins)
    installed = {
        canonical(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()
    }
    installed.pop("schemafirst", None)  # the project itself, installed editable
    installed.pop("pip", None)  # comes with the venv
    assert installed == pins


def test_every_locked_line_has_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 3)[-1].strip())
    assert len(entries) > 50
    for entry in entries:
        assert "--hash=sha256:" in entry, entry.splitlines()[0]


def test_the_lock_matches_pyproject_and_its_export() -> None:
    """`make lock` is the only way the lock changes: pyproject edits need it too."""
    check = subprocess.run(
        [str(UV), "lock", "--check", "--offline"], cwd=ROOT, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    export = subprocess.run(
        [str(UV), "export", "--frozen", "--all-extras", "--no-emit-project", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert export.stdout == LOCK.read_text(encoding="utf-8")


def test_users_get_lower_bounds_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = project["dependencies"]
    assert {canonical(Requirement(r).name) for r in runtime} >= {"jinja2", "pyyaml"}
    extras = [r for group in project["optional-dependencies"].values() for r in group]
    for spec in runtime + extras:
        for clause in Requirement(spec).specifier:
            assert clause.operator == ">=", spec
