"""The influxdata multi-file spec (../shared/specs/influxdata/src/): every root generates
with `--scope all`, imports, passes `mypy --strict`, and its docs link every model."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import SPECS, needs_shared

INFLUX = SPECS / "influxdata" / "src"
ROOTS = ("oss", "cloud", "legacy")

pytestmark = needs_shared


def generate(spec: Path, out: Path, package: str, *extra: str) -> int:
    return main(["generate", "--spec", str(spec), "--out", str(out), "--package", package, *extra])


def test_every_root_generates_imports_type_checks_and_links_every_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    counts: dict[str, tuple[int, int]] = {}
    for root in ROOTS:
        package = f"influx_{root}"
        assert generate(INFLUX / f"{root}.yml", tmp_path, package, "--scope", "all", "-q") == 0
        folder = tmp_path / package
        # `decode` finds a decoder for every body type an operation names (else TypeError).
        probe = (
            f"import {package} as p; ops = p.OPERATIONS.values(); types = [t for o in ops"
            " for t in (o.request, *o.responses.values()) if t is not None];"
            " [p._TYPES.decoder(t, strict) for t in types for strict in (False, True)];"
            " print(len(p.__all__), len(p.OPERATIONS))"
        )
        listing = subprocess.run(
            [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
        )
        exported, operations = map(int, listing.stdout.split())
        index = (folder / "docs" / "README.md").read_text()
        models = sorted(p.stem for p in (folder / "docs").glob("*.md") if p.stem != "README")
        linked = set(re.findall(r"\]\((\w+)\.md\)", index))
        assert linked == set(models), set(models) ^ linked
        assert index.count("\n`") >= operations  # one table row per operation
        counts[root] = (len(models), operations)
        assert exported > len(models) and operations > 0
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", *(f"influx_{r}" for r in ROOTS)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout[-3000:]
    with capsys.disabled():
        for root, (models, operations) in counts.items():
            print(f"\ninfluxdata {root}.yml --scope all: {models} models, {operations} operations")
    # Counts as of the committed ../shared snapshot; a change is worth a look.
    assert counts == {"oss": (200, 74), "cloud": (158, 27), "legacy": (29, 8)}


def test_common_is_a_template_without_schemas(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """common.yml's `paths` and `schemas` are empty, for their build to fill: an empty
    package with a warning saying why, not a traceback."""
    capsys.readouterr()
    assert generate(INFLUX / "common.yml", tmp_path, "common") == 0
    err = capsys.readouterr().err
    assert "common.yml:1:1: warning: the spec defines no schemas: the package is empty" in err
    assert "Traceback" not in err
