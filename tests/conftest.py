"""Shared fixtures: where the repository and ../shared are, and skip markers."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.config import Job
from generator.generate import generate
from generator.model import Package

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SPECS = SHARED / "specs"
REFERENCE_DOCS = SHARED / "reference-docs"
GENERATED = ROOT / "generated" / "runobject"
SPEC_2025 = ROOT / "spec" / "runobject.yaml"
SPEC_2024 = ROOT / "spec" / "runobject-2024-04-15.yaml"

# Tests that read ../shared skip with this reason where it is absent (a user's clone).
# `.ci/run` fails the build if any test skipped with it, because CI always has ../shared.
SHARED_MISSING = "needs ../shared (specs and reference docs): absent in this clone"
needs_shared = pytest.mark.skipif(not SPECS.is_dir(), reason=SHARED_MISSING)


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# The two whole OpenAI specs (../shared/specs), generated once per session: version ->
# package name.
WHOLE_SPECS = {"2024-04-15": "openai24", "2025-04-29": "openai25"}


@dataclass(frozen=True)
class WholeSpecs:
    out: Path  # on sys.path: `import openai24`
    packages: dict[str, Package]  # version -> the intermediate model it was generated from


@pytest.fixture(scope="session")
def whole_specs(tmp_path_factory: pytest.TempPathFactory) -> WholeSpecs:
    if not SPECS.is_dir():
        pytest.skip(SHARED_MISSING)
    out = tmp_path_factory.mktemp("whole")
    packages = {}
    for version, package in WHOLE_SPECS.items():
        spec = SPECS / f"openai-{version}.yaml"
        result = generate(Job(name=version, spec=spec, out=out, package=package))
        packages[version] = result.package
    sys.path.insert(0, str(out))
    return WholeSpecs(out, packages)


def hypothesis_examples(default: int) -> int:
    """Example counts scale with SCHEMAFIRST_FUZZ (a longer run: `make fuzz`)."""
    return int(default * float(os.environ.get("SCHEMAFIRST_FUZZ", "1")))


# --- CI guard: ../shared tests must run, not skip ---------------------------------

_shared_skips: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and SHARED_MISSING in str(report.longrepr):
        _shared_skips.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("SCHEMAFIRST_REQUIRE_SHARED") and _shared_skips:
        print(f"\nERROR: {len(_shared_skips)} test(s) that need ../shared were skipped:")
        for nodeid in _shared_skips[:20]:
            print(f"  {nodeid}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_finish(session: pytest.Session) -> None:
    if os.environ.get("SCHEMAFIRST_REQUIRE_SHARED") and not SPECS.is_dir():
        pytest.exit(f"SCHEMAFIRST_REQUIRE_SHARED is set but {SPECS} is missing", returncode=3)
