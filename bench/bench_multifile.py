"""Multi-file generation: influxdata `oss.yml` (relative file `$ref`s, 195 files), every
model including those from operations (`--scope all`), against datamodel-code-generator
on the same input, measured alternately in one run (whole processes; `measure` from
bench_generate). Ratio = schemafirst time / dmcg time (below 1 = schemafirst faster).
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_generate import BIN, SHARED_SPECS, dmcg_cmd, measure

SPEC = SHARED_SPECS / "influxdata" / "src" / "oss.yml"


def schemafirst_cmd(spec: Path, out: Path) -> list[str]:
    return [str(BIN / "schemafirst"), "generate", "-q", "--spec", str(spec), "--out", str(out)] + [
        "--package",
        "p",
        "--scope",
        "all",
    ]


def run(smoke: bool = False) -> dict[str, Any] | None:
    if not SPEC.exists():
        return None
    reps = 1 if smoke else 3
    runs: dict[str, list[dict[str, Any]]] = {"schemafirst --scope all": [], "dmcg black": []}
    with tempfile.TemporaryDirectory(prefix="schemafirst-bench-multi-") as tmp:
        work = Path(tmp)
        for rep in range(reps):  # alternate, so both see the same machine load
            out = work / f"sf{rep}"
            # an empty template cache each time: a first run, as dmcg's always is
            env = {**os.environ, "SCHEMAFIRST_CACHE_DIR": str(work / f"cache{rep}")}
            runs["schemafirst --scope all"].append(measure(schemafirst_cmd(SPEC, out), work, env))
            (work / f"dm{rep}").mkdir()
            target = work / f"dm{rep}" / "models.py"
            runs["dmcg black"].append(measure(dmcg_cmd(SPEC, target, ["black", "isort"]), work))
            shutil.rmtree(out, ignore_errors=True)
    cases = {}
    for name, rs in runs.items():
        ok = [r["seconds"] for r in rs if r["rc"] == 0]
        cases[name] = {
            "runs": len(rs),
            "seconds": statistics.median(ok) if ok else None,
            "peak_mib": statistics.median([r["peak_mib"] for r in rs]),
            "error": next((r["stderr"][-300:] for r in rs if r["rc"] != 0), None),
        }
    sf, dm = cases["schemafirst --scope all"]["seconds"], cases["dmcg black"]["seconds"]
    return {
        "spec": str(SPEC),
        "cases": cases,
        "ratio_vs_dmcg": sf / dm if sf is not None and dm else None,
    }


def markdown(result: dict[str, Any] | None) -> str:
    if result is None:
        return f"{SPEC} not found: skipped."
    lines = [
        "influxdata `oss.yml` (195 files), whole process, median of the runs shown.",
        "",
        "| case | runs | wall | peak RSS |",
        "| --- | --- | --- | --- |",
    ]
    for name, c in result["cases"].items():
        wall = f"{c['seconds']:.2f} s" if c["seconds"] is not None else f"failed: {c['error']}"
        lines.append(f"| {name} | {c['runs']} | {wall} | {c['peak_mib']:.0f} MiB |")
    ratio = result["ratio_vs_dmcg"]
    lines += ["", f"schemafirst / dmcg: {ratio:.2f}x" if ratio else "ratio: n/a"]
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(run(smoke="--smoke" in sys.argv)))
