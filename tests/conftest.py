"""Shared fixtures: where the repository and ../shared are, and skip markers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
