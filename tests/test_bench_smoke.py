"""The benchmarks still run (smoke mode: a few seconds). No timing is asserted here."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_bench_smoke_runs_and_reports_every_peer() -> None:
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--smoke"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for peer in ("schemafirst", "pydantic v2 (dmcg)", "msgspec", "mashumaro", "orjson"):
        assert f"| {peer}" in proc.stdout
    assert "schemafirst | 40/40 / 40/40 | 40 / 40 | nothing" in proc.stdout
