"""Generator: `schemafirst generate` vs datamodel-code-generator, whole process.

Every measured command is its own process; wall time is taken around it and peak memory
is that command's own maximum RSS (including its child processes, e.g. ruff), read by
GNU `/usr/bin/time -f %M` (or a tiny fork/wait4 wrapper), so it is per command and not
floored by this benchmark's own memory. A case made of two processes (dmcg, then the black
CLI) sums the times and takes the larger peak.

Cases, per spec:
- schemafirst cold: fresh output folder, `--formatter none` (the default: the code is
  emitted in black's style, no formatter runs; what a plain install does), with an
  empty template cache (a first run: SCHEMAFIRST_CACHE_DIR points at an empty folder);
- schemafirst cold, warm cache: the same into another fresh folder, with the compiled
  templates the first run cached (any later run of a user's);
- schemafirst no-op: the same command again, nothing changed;
- schemafirst one change: one description in the spec edited, the same command again;
- dmcg: `--output-model-type dataclasses.dataclass --disable-timestamp` with its own
  black (+isort) formatting, the default; and with `--formatters builtin` followed by the
  `black` CLI (fresh black cache). dmcg has no incremental mode: every run is cold.

Ratios are schemafirst time / dmcg time (below 1 = schemafirst faster), against the
faster of the two dmcg variants.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SHARED_SPECS = (ROOT.parent / "shared" / "specs").resolve()
BIN = Path(sys.executable).parent

SPECS = [
    ("RunObject fragment (20 schemas)", ROOT / "spec" / "runobject.yaml"),
    ("OpenAI 2025-04-29 (477 schemas)", SHARED_SPECS / "openai-2025-04-29.yaml"),
    ("OpenAI 2024-04-15 (141 schemas)", SHARED_SPECS / "openai-2024-04-15.yaml"),
]


GNU_TIME = Path("/usr/bin/time")
# Fallback when GNU time is absent: a minimal Python process that forks the command and
# reports its rusage. A child's ru_maxrss starts from its parent's RSS at fork time, so
# the wrapper must be tiny; forking straight from this (large) process would floor every
# figure at the bench's own RSS.
_WRAPPER = (
    "import os,sys\n"
    "pid=os.fork()\n"
    "if pid==0:\n"
    "    os.execvp(sys.argv[2],sys.argv[2:])\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "open(sys.argv[1],'w').write(str(ru.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n"
)


def measure(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Run `cmd`; return wall seconds, peak RSS (MiB) of that command, rc, stderr tail."""
    with tempfile.TemporaryDirectory(prefix="schemafirst-measure-") as tmp:
        mem = Path(tmp) / "maxrss"
        # Dirty pages of earlier commands (another case's output, a deleted folder) are
        # written back now, not during this command: every command starts alike.
        os.sync()
        if GNU_TIME.exists():
            wrapped = [str(GNU_TIME), "-f", "%M", "-o", str(mem), *cmd]
        else:
            wrapped = [sys.executable, "-S", "-I", "-c", _WRAPPER, str(mem), *cmd]
        with open(Path(tmp) / "stderr", "w+b") as err:
            t0 = time.perf_counter()
            proc = subprocess.run(wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env=env)
            wall = time.perf_counter() - t0
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip()[-1500:]
        try:
            kib = int(mem.read_text().strip().splitlines()[-1])
        except (OSError, ValueError, IndexError):
            kib = 0
    return {
        "seconds": wall,
        "peak_mib": kib / 1024,  # Linux reports KiB
        "rc": proc.returncode,
        "stderr": tail,
    }


def change_one_description(text: str) -> str:
    """Edit the first plain-scalar description under components/schemas."""
    start = text.index("\n  schemas:")
    pattern = re.compile(r"^(\s+description: [A-Za-z][^\n]*)$", re.M)
    m = pattern.search(text, start)
    if m is None:
        raise ValueError("no plain description to edit")
    return text[: m.end()] + " Edited by the benchmark." + text[m.end() :]


# A plain install (runtime dependencies only): black and ruff cannot be imported, and the
# environment's bin folder (ruff's binary) is not on PATH; see plain_env().
_PLAIN = (
    "import sys; sys.modules.update(dict.fromkeys(('black', 'ruff')));"
    " sys.argv[0] = 'schemafirst'; from schemafirst.cli import main; sys.exit(main())"
)


def plain_env(cache: Path) -> dict[str, str]:
    """The environment of a plain install, with its own template cache folder (empty
    until the first run fills it, as for a user who has never run the tool)."""
    path = os.pathsep.join(
        p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p) != BIN
    )
    return {**os.environ, "PATH": path, "SCHEMAFIRST_CACHE_DIR": str(cache)}


def precompile() -> None:
    """Byte-compile the installed schemafirst, as `pip install` does (and as the peers
    are, in site-packages). The editable install of a checkout has no bytecode, and
    this machine sets PYTHONDONTWRITEBYTECODE, so without this every run would compile
    the generator's modules from source, which no installed tool does."""
    import schemafirst

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folder = Path(schemafirst.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        check=False,
    )


def sf_cmd(spec: Path, out: Path, formatter: str) -> list[str]:
    return [
        sys.executable,
        "-c",
        _PLAIN,
        "generate",
        "-q",
        "--spec",
        str(spec),
        "--out",
        str(out),
        "--package",
        "p",
        "--formatter",
        formatter,
    ]


def dmcg_cmd(spec: Path, out: Path, formatters: list[str]) -> list[str]:
    return [
        str(BIN / "datamodel-codegen"),
        "--input",
        str(spec),
        "--input-file-type",
        "openapi",
        "--output-model-type",
        "dataclasses.dataclass",
        "--disable-timestamp",
        "--formatters",
        *formatters,
        "--output",
        str(out),
    ]


def count_lines(folder: Path) -> int:
    return sum(
        p.read_text(encoding="utf-8").count("\n") for p in folder.rglob("*.py") if p.is_file()
    )


def schemafirst_sequence(spec: Path, formatter: str, work: Path, rep: int) -> dict[str, Any]:
    """cold (empty template cache) -> cold again into another fresh folder (warm
    cache) -> no-op -> one change, on a private copy of the spec. Every repetition of
    both tools has folders of its own: writing ~1,000 files beside a folder just deleted
    can cost more than writing into a new one (bench/README.md), which dmcg's one-file
    output would never pay."""
    folder = work / f"sf-{formatter}-{rep}"
    folder.mkdir()
    copy = folder / spec.name
    shutil.copyfile(spec, copy)
    out = folder / "out"
    cmd = sf_cmd(copy, out, formatter)
    env = plain_env(folder / "template-cache")
    cold = measure(cmd, folder, env)
    res: dict[str, Any] = {"cold": cold}
    if cold["rc"] != 0:
        return res
    res["lines"] = count_lines(out / "p")
    res["warm"] = measure(sf_cmd(copy, folder / "out-warm", formatter), folder, env)
    res["noop"] = measure(cmd, folder, env)
    # Untimed: does a no-op run import black at all? (-X importtime lists every import)
    probe = [sys.executable, "-X", "importtime", "-m", "schemafirst", *cmd[3:]]
    r = subprocess.run(probe, cwd=folder, capture_output=True, text=True)
    res["noop_imports_black"] = bool(re.search(r"\|\s+black(\.|$)", r.stderr, re.M))
    copy.write_text(change_one_description(copy.read_text(encoding="utf-8")), encoding="utf-8")
    res["change"] = measure(cmd, folder, env)
    return res


def dmcg_run(spec: Path, variant: str, work: Path, rep: int) -> dict[str, Any]:
    folder = work / f"dmcg-{variant}-{rep}"
    folder.mkdir()
    out = folder / "models.py"
    if variant == "black":
        r = measure(dmcg_cmd(spec, out, ["black", "isort"]), folder)
    else:
        r = measure(dmcg_cmd(spec, out, ["builtin"]), folder)
        if r["rc"] == 0:
            env = {**os.environ, "BLACK_CACHE_DIR": str(folder / "black-cache")}
            b = measure([str(BIN / "black"), "-q", str(out)], folder, env)
            r = {
                "seconds": r["seconds"] + b["seconds"],
                "peak_mib": max(r["peak_mib"], b["peak_mib"]),
                "rc": b["rc"],
                "stderr": b["stderr"] or r["stderr"],
                "black_seconds": b["seconds"],
            }
    if r["rc"] == 0 and out.exists():
        r["lines"] = out.read_text(encoding="utf-8").count("\n")
    return r


def _median(runs: list[dict[str, Any]], key: str) -> float | None:
    ok = [r[key] for r in runs if r.get("rc") == 0]
    return statistics.median(ok) if ok else None


def _error(runs: list[dict[str, Any]]) -> str | None:
    for r in runs:
        if r.get("rc") != 0:
            lines = [ln for ln in r["stderr"].splitlines() if ln.strip()]
            return f"exit {r['rc']}: " + (lines[-1] if lines else "(no message)")
    return None


def bench_spec(
    label: str, spec: Path, reps: int, budget: float, formatters: list[str]
) -> dict[str, Any]:
    """Repeat every case up to `reps` times, stopping a case once it has used `budget`
    seconds (so the 60-second cases run once or twice, the fast ones `reps` times)."""
    cases: dict[str, list[dict[str, Any]]] = {}
    spent: dict[str, float] = {}
    lines: dict[str, int] = {}
    black_in_noop: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="schemafirst-bench-") as tmp:
        work = Path(tmp)
        for rep in range(reps):
            # interleave: schemafirst and dmcg alternate within every repetition
            for fmt in formatters:
                if spent.get(f"sf-{fmt}", 0) > budget and rep > 0:
                    continue
                seq = schemafirst_sequence(spec, fmt, work, rep)
                spent[f"sf-{fmt}"] = spent.get(f"sf-{fmt}", 0) + sum(
                    seq[k]["seconds"] for k in ("cold", "warm", "noop", "change") if k in seq
                )
                for k in ("cold", "warm", "noop", "change"):
                    if k in seq:
                        cases.setdefault(f"schemafirst {k} ({fmt})", []).append(seq[k])
                if "noop_imports_black" in seq:
                    black_in_noop[fmt] = seq["noop_imports_black"]
                if "lines" in seq:
                    lines[f"schemafirst ({fmt})"] = seq["lines"]
            for variant in ("black", "builtin+black-cli"):
                name = f"dmcg {variant}"
                if spent.get(name, 0) > budget and rep > 0:
                    continue
                r = dmcg_run(spec, "black" if variant == "black" else "builtin", work, rep)
                spent[name] = spent.get(name, 0) + r["seconds"]
                cases.setdefault(name, []).append(r)
                if "lines" in r:
                    lines[name] = r["lines"]
    out: dict[str, Any] = {
        "label": label,
        "spec": str(spec),
        "cases": {},
        "lines": lines,
        "noop_imports_black": black_in_noop,
    }
    for name, runs in cases.items():
        out["cases"][name] = {
            "runs": len(runs),
            "seconds": _median(runs, "seconds"),
            "peak_mib": _median(runs, "peak_mib"),
            "error": _error(runs),
        }
    dm = [out["cases"][k]["seconds"] for k in ("dmcg black", "dmcg builtin+black-cli")]
    dm_ok = [s for s in dm if s is not None]
    ref = min(dm_ok) if dm_ok else None
    out["dmcg_reference_seconds"] = ref
    for c in out["cases"].values():
        c["ratio_vs_dmcg"] = c["seconds"] / ref if (ref and c["seconds"] is not None) else None
    return out


def run(smoke: bool = False) -> dict[str, Any]:
    specs = [(label, path) for label, path in SPECS if path.exists()]
    skipped = [str(path) for _, path in SPECS if not path.exists()]
    if smoke:
        specs = specs[:1]  # the fragment only
    reps, budget = (1, 0.0) if smoke else (3, 40.0)
    precompile()
    results = [bench_spec(label, path, reps, budget, ["none"]) for label, path in specs]
    return {"specs": results, "skipped": skipped, "reps": reps, "budget_seconds": budget}


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "Whole-process wall time (median of the runs shown) and peak RSS of that process."
        " `x dmcg` = schemafirst time / the faster dmcg variant's time: below 1 means"
        " schemafirst is faster; the target (cold, empty template cache) is <= 0.25. Each"
        " schemafirst sequence starts with an empty template cache (SCHEMAFIRST_CACHE_DIR);"
        " the warm-cache, no-op and one-change runs use the cache the first run filled.",
        "",
        "| spec | case | runs | wall | peak RSS | x dmcg | output lines |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    order = [
        "schemafirst cold (none)",
        "schemafirst warm (none)",
        "schemafirst noop (none)",
        "schemafirst change (none)",
        "dmcg black",
        "dmcg builtin+black-cli",
    ]
    for s in result["specs"]:
        for name in order:
            c = s["cases"].get(name)
            if c is None:
                continue
            if c["seconds"] is None:
                wall, mem, ratio = f"**failed**: {c['error']}", "—", "—"
            else:
                wall = f"{c['seconds']:.2f} s"
                mem = f"{c['peak_mib']:.0f} MiB"
                ratio = "—" if name.startswith("dmcg") else f"{c['ratio_vs_dmcg']:.2f}x"
            key = (
                f"schemafirst ({name.rsplit('(', 1)[1].rstrip(')')})"
                if name.startswith("schemafirst cold")
                else name
            )
            shows_lines = name.startswith(("schemafirst cold", "dmcg"))
            n_lines = s["lines"].get(key, "") if shows_lines else ""
            case = name.replace("noop", "no-op").replace("change", "one change")
            case = case.replace("cold", "cold, empty template cache")
            case = case.replace("warm", "cold, warm template cache")
            lines.append(
                f"| {s['label']} | {case} | {c['runs']} | {wall} | {mem} | {ratio} | {n_lines} |"
            )
    for s in result["specs"]:
        for fmt, imported in s["noop_imports_black"].items():
            if imported:
                lines += [
                    "",
                    f"Note: {s['label']}: the no-op run (--formatter {fmt}) imports black.",
                ]
    if result["skipped"]:
        lines += ["", "Skipped (not found): " + ", ".join(result["skipped"])]
    return "\n".join(lines)


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for s in result["specs"]:
        if "RunObject" in s["label"]:
            ratio = s["cases"].get("schemafirst cold (none)", {}).get("ratio_vs_dmcg")
            out.append(
                {
                    "target": "cold RunObject-fragment generation, plain install, faster"
                    " than dmcg (< 1x)",
                    "ratio": ratio,
                    "need": 1.0,
                    "met": None if ratio is None else ratio < 1.0,
                }
            )
        if "2025" not in s["label"]:
            continue
        cold = s["cases"].get("schemafirst cold (none)", {})
        ratio = cold.get("ratio_vs_dmcg")
        lines = s["lines"].get("schemafirst (none)")
        out.append(
            {
                "target": "477-schema package at most 60,000 lines",
                "ratio": lines,
                "need": 60_000,
                "met": None if lines is None else lines <= 60_000,
                "unit": "lines",
            }
        )
        out.append(
            {
                "target": "cold 477-schema generation, plain install, empty template cache,"
                " <= 0.25x dmcg",
                "ratio": ratio,
                "need": 0.25,
                "met": None if ratio is None else ratio <= 0.25,
            }
        )
        dm_peak = min(
            (s["cases"].get(k, {}).get("peak_mib") or float("inf"))
            for k in ("dmcg black", "dmcg builtin+black-cli")
        )
        peak = cold.get("peak_mib")
        out.append(
            {
                "target": "cold 477-schema generation peak memory <= dmcg's",
                "ratio": None if peak is None else peak / dm_peak,
                "need": 1.0,
                "met": None if peak is None else peak <= dm_peak,
            }
        )
        noop = s["cases"].get("schemafirst noop (none)", {})
        sec = noop.get("seconds")
        out.append(
            {
                "target": "no-op regeneration of the 477-schema spec under 0.3 s",
                "ratio": sec,
                "need": 0.3,
                "met": None if sec is None else sec < 0.3,
                "unit": "s",
            }
        )
        imports = s["noop_imports_black"].get("none")
        out.append(
            {
                "target": "generation does not import black",
                "ratio": None,
                "need": None,
                "met": None if imports is None else not imports,
                "detail": "imports black" if imports else "black not imported",
            }
        )
    return out


if __name__ == "__main__":
    res = run(smoke="--smoke" in sys.argv)
    print(markdown(res))
