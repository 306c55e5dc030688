"""Import time of the 477-schema package: schemafirst vs datamodel-code-generator's
dataclass and pydantic v2 outputs of the same spec (OpenAI 2025-04-29).

Each package is generated once into a temporary folder (schemafirst with its defaults,
dmcg with `--formatters builtin`: formatting does not change import time). Every
measurement is a fresh interpreter that times `import <package>` alone (interpreter
start-up is not counted; pydantic's own import is, since its users pay it):

- cached: the package's bytecode (`__pycache__`) was written by an earlier import;
- no cache: every `__pycache__` of the package is removed first and the interpreter runs
  with `-B`, so the package is compiled from source on every run, as in a container
  that ships no bytecode (the standard library's and pydantic's own bytecode stays).

The packages alternate within every repetition; per case the median. Ratio =
schemafirst / peer (below 1 = schemafirst imports faster).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.bench_generate import BIN, SHARED_SPECS

SPEC = SHARED_SPECS / "openai-2025-04-29.yaml"
PEERS = ("schemafirst", "dmcg dataclasses", "dmcg pydantic v2")
MODES = ("cached", "no cache")

_TIMER = (
    "import sys, time\n"
    "sys.path.insert(0, sys.argv[1])\n"
    "t0 = time.perf_counter()\n"
    "__import__(sys.argv[2])\n"
    "print(time.perf_counter() - t0)\n"
)


def generate(peer: str, folder: Path) -> str | None:
    """Generate `peer`'s package into `folder`; return its import name or None."""
    if peer == "schemafirst":
        cmd = [str(BIN / "schemafirst"), "generate", "-q", "--spec", str(SPEC)]
        cmd += ["--out", str(folder), "--package", "sf_pkg"]
        name = "sf_pkg"
    else:
        kind = "dataclasses.dataclass" if "dataclasses" in peer else "pydantic_v2.BaseModel"
        name = "dm_dc" if "dataclasses" in peer else "dm_pyd"
        cmd = [str(BIN / "datamodel-codegen"), "--input", str(SPEC)]
        cmd += ["--input-file-type", "openapi", "--output-model-type", kind]
        cmd += ["--disable-timestamp", "--formatters", "builtin", "--target-python-version"]
        cmd += ["3.10", "--output", str(folder / f"{name}.py")]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        print(f"bench_import: {peer} failed: {proc.stderr[-500:]}", file=sys.stderr)
        return None
    return name


def clear_bytecode(folder: Path) -> None:
    for cache in folder.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)


def time_import(folder: Path, name: str, mode: str) -> float | None:
    args = [sys.executable]
    if mode == "no cache":
        clear_bytecode(folder)
        args.append("-B")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(
        [*args, "-c", _TIMER, str(folder), name], capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        print(f"bench_import: import {name} failed: {proc.stderr[-500:]}", file=sys.stderr)
        return None
    return float(proc.stdout.strip())


def run(smoke: bool = False) -> dict[str, Any] | None:
    if not SPEC.exists() or smoke:
        return None  # the smoke run stays short; the 477-schema spec needs ../shared
    reps = 5
    times: dict[str, dict[str, list[float]]] = {p: {m: [] for m in MODES} for p in PEERS}
    lines: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="schemafirst-bench-import-") as tmp:
        names: dict[str, tuple[Path, str]] = {}
        for peer in PEERS:
            folder = Path(tmp) / peer.replace(" ", "-")
            folder.mkdir()
            name = generate(peer, folder)
            if name is not None:
                names[peer] = (folder, name)
                lines[peer] = sum(
                    p.read_text(encoding="utf-8").count("\n") for p in folder.rglob("*.py")
                )
        for folder, name in names.values():  # write the bytecode once
            time_import(folder, name, "cached")
        for _ in range(reps):
            for mode in MODES:
                for peer, (folder, name) in names.items():
                    t = time_import(folder, name, mode)
                    if t is not None:
                        times[peer][mode].append(t)
                if mode == "no cache":  # the next "cached" round needs the bytecode back
                    for folder, name in names.values():
                        time_import(folder, name, "cached")
    cases = {
        peer: {m: (statistics.median(ts) if ts else None) for m, ts in by_mode.items()}
        for peer, by_mode in times.items()
    }
    return {"spec": str(SPEC), "reps": reps, "seconds": cases, "lines": lines}


def ratio(result: dict[str, Any] | None, peer: str, mode: str) -> float | None:
    if result is None:
        return None
    ours, theirs = result["seconds"]["schemafirst"][mode], result["seconds"][peer][mode]
    return ours / theirs if ours is not None and theirs else None


def markdown(result: dict[str, Any] | None) -> str:
    if result is None:
        return f"{SPEC} not found, or smoke run: skipped."
    rows = [
        f"`import` of the package generated from {Path(result['spec']).name}, fresh"
        f" interpreter each time, median of {result['reps']} runs. `x` = schemafirst time /"
        " peer time (below 1 = schemafirst faster).",
        "",
        "| package | lines | cached bytecode | no bytecode |",
        "| --- | ---: | --- | --- |",
    ]
    for peer in PEERS:
        cells = []
        for mode in MODES:
            s = result["seconds"][peer][mode]
            r = ratio(result, peer, mode) if peer != "schemafirst" else None
            cell = "failed" if s is None else f"{s:.3f} s"
            cells.append(cell + (f" ({r:.2f}x)" if r is not None else ""))
        rows.append(f"| {peer} | {result['lines'].get(peer, '')} | {cells[0]} | {cells[1]} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown(run(smoke="--smoke" in sys.argv)))
