"""Run every benchmark, print the tables, write bench/results/ (JSON, Markdown, PNG).

    .venv/bin/python bench/run.py            # full: a few minutes (`make bench`)
    .venv/bin/python bench/run.py --smoke    # a few seconds (`make bench-smoke`, CI)

Options: --only serializers|generate|import|diff (repeatable), --committed (time
generated/runobject instead of regenerating it from the current templates),
--update-readme (paste the tables into bench/README.md between the result markers).

Absolute times on shared machines are noise: the results are the ratios, measured side
by side in one run. --smoke writes to bench/.cache/smoke/ instead of bench/results/, so a
CI run never overwrites the published numbers. Nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import (  # noqa: E402
    bench_generate,
    bench_import,
    bench_multifile,
    bench_serializers,
)

PACKAGES = (
    "schemafirst",
    "pydantic",
    "pydantic-core",
    "datamodel-code-generator",
    "msgspec",
    "mashumaro",
    "orjson",
    "black",
    "ruff",
    "matplotlib",
)


def versions() -> dict[str, str]:
    out = {
        "python": platform.python_version() + f" ({platform.python_implementation()})",
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
    }
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_diff_bench(smoke: bool) -> dict[str, Any] | None:
    """bench/bench_diff.py belongs to another engineer: run it as a script if present."""
    script = BENCH / "bench_diff.py"
    if not script.exists():
        return None
    cmd = [sys.executable, str(script)]
    if smoke:
        if "--smoke" not in script.read_text(encoding="utf-8"):
            return None  # no quick mode: keep the smoke run short
        cmd.append("--smoke")
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    return {
        "command": " ".join(["python", "bench/bench_diff.py", *cmd[2:]]),
        "rc": proc.returncode,
        "seconds": time.perf_counter() - t0,
        "stdout": proc.stdout.strip(),
        "stderr": proc.stderr.strip()[-2000:],
    }


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    plain = FuncFormatter(lambda value, _: f"{value:g}")

    ser = results.get("serializers")
    gen = results.get("generate")
    panels = (1 if ser else 0) + (1 if gen else 0)
    if not panels:
        return
    fig, axes = plt.subplots(1, panels, figsize=(7.5 * panels, 6.0), squeeze=False)
    ax_i = 0
    if ser:
        ax = axes[0][ax_i]
        ax_i += 1
        rows = [r for r in ser["rows"] if r["timed"] and r["peer"] != "schemafirst"]
        ops = bench_serializers.OPS
        width = 0.8 / max(1, len(rows))
        for k, r in enumerate(rows):
            xs = [i + (k - (len(rows) - 1) / 2) * width for i in range(len(ops))]
            ys = [r["ratio"].get(op, 0) for op in ops]
            bars = ax.bar(xs, ys, width, label=r["label"])
            for x, y in zip(xs, ys, strict=False):
                if y:
                    ax.text(x, y, f"{y:.2f}", ha="center", va="bottom", fontsize=6.5)
            del bars
        ax.axhline(1.0, color="black", linewidth=1)
        ax.axhline(2.0, color="grey", linewidth=0.8, linestyle="--")
        ax.text(len(ops) - 0.5, 2.0, " 2x target vs pydantic", va="bottom", ha="right", fontsize=7)
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xticks(range(len(ops)))
        ax.set_xticklabels([bench_serializers.OP_LABELS[op] for op in ops])
        ax.set_ylabel("peer time / schemafirst time  (>1: schemafirst faster)")
        ax.set_title(f"Serializers, RunObject ({ser['payloads']} payloads)")
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3)
    if gen:
        ax = axes[0][ax_i]
        labels: list[str] = []
        values: list[float] = []
        colors: list[str] = []
        palette = {"cold": "tab:red", "noop": "tab:green", "change": "tab:orange"}
        for s in gen["specs"]:
            short = s["label"].split(" (")[0].replace("OpenAI ", "")
            for fmt in ("none", "black", "ruff"):
                for kind in ("cold", "noop", "change"):
                    c = s["cases"].get(f"schemafirst {kind} ({fmt})")
                    if not c or c.get("ratio_vs_dmcg") is None:
                        continue
                    labels.append(f"{short} {kind} {fmt}")
                    values.append(c["ratio_vs_dmcg"])
                    colors.append(palette[kind])
        ys = range(len(labels))
        ax.barh(list(ys), values, color=colors)
        for y, v in zip(ys, values, strict=False):
            ax.text(v, y, f" {v:.2f}", va="center", fontsize=7)
        ax.axvline(1.0, color="black", linewidth=1)
        ax.axvline(0.25, color="grey", linewidth=0.8, linestyle="--")
        ax.text(0.25, len(labels) - 0.5, " 0.25 target", fontsize=7)
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.xaxis.set_major_formatter(plain)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.legend(
            handles=[Patch(color=c, label=k.replace("noop", "no-op")) for k, c in palette.items()],
            fontsize=7,
            loc="lower right",
        )
        ax.set_yticks(list(ys))
        ax.set_yticklabels(labels, fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("schemafirst time / dmcg time  (<1: schemafirst faster)")
        ax.set_title("Generator, whole process vs datamodel-code-generator")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def runobject_package(committed: bool = False) -> Path:
    """RunObject's package as the current tree generates it, in bench/.cache/sf (where
    the serializer bench generates it too; a no-op when it is up to date), so that any
    part run alone (`--only generate`) counts fresh lines; generated/runobject with
    `--committed` or when generating fails."""
    committed_folder = ROOT / "generated" / "runobject"
    if committed:
        return committed_folder
    out = BENCH / ".cache" / "sf"
    cmd = [str(Path(sys.executable).parent / "schemafirst"), "generate", "-q"]
    cmd += ["--spec", str(ROOT / "spec" / "runobject.yaml"), "--out", str(out)]
    proc = subprocess.run([*cmd, "--package", "runobject"], capture_output=True, text=True)
    if proc.returncode != 0:
        print(
            "warning: could not generate runobject, counting generated/: " + proc.stderr[-500:],
            file=sys.stderr,
        )
        return committed_folder
    return out / "runobject"


def runobject_lines(folder: Path) -> dict[str, int]:
    """Lines of RunObject's models.py and of any private codec module beside it."""
    shared = {"__init__.py", "_runtime.py", "_check.py", "operations.py"}
    return {
        p.name: p.read_text(encoding="utf-8").count("\n")
        for p in sorted(folder.glob("*.py"))
        if p.name == "models.py" or (p.name.startswith("_") and p.name not in shared)
    }


def issue11_targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every issue-11 target this run measured, in the issue's order."""
    out = [
        t
        for t in results.get("generate_targets", [])
        if t["target"] != "477-schema package at most 60,000 lines"
    ]
    sizes = results.get("runobject_lines") or {}
    total = sum(sizes.values()) if sizes else None
    out.append(
        {
            "target": "RunObject models.py + private codec at most 2,100 lines ("
            + " + ".join(sizes)
            + ")",
            "ratio": total,
            "need": 2100,
            "met": None if total is None else total <= 2100,
            "unit": "lines",
        }
    )
    out += [
        t
        for t in results.get("generate_targets", [])
        if t["target"] == "477-schema package at most 60,000 lines"
    ]
    imp = results.get("import")
    for mode, peer, text in (
        ("cached", "dmcg dataclasses", "import, cached bytecode, no slower than dmcg dataclasses"),
        ("no cache", "dmcg pydantic v2", "import, no bytecode, no slower than dmcg pydantic"),
    ):
        if "import" not in results:
            break
        r = bench_import.ratio(imp, peer, mode)
        out.append(
            {
                "target": f"477-schema {text}",
                "ratio": r,
                "need": 1.0,
                "met": None if r is None else r <= 1.0,
                "unit": "x",
            }
        )
    if "serializers" in results:
        out += bench_serializers.issue11_targets(results["serializers"])
    return out


def targets_md(rows: list[dict[str, Any]]) -> str:
    lines = []
    for t in rows:
        unit = t.get("unit")
        if t["ratio"] is None:
            measured = t.get("detail", "n/a")
        elif unit == "s":
            measured = f"{t['ratio']:.2f} s"
        elif unit == "lines":
            measured = f"{t['ratio']:,} lines"
        elif unit:
            measured = f"{t['ratio']:.2f}{unit}"
        else:
            measured = f"{t['ratio']:.2f}x"
        if t.get("range"):  # a median of runs: their lowest and highest value
            measured += f" ({t['range'][0]:.2f}-{t['range'][1]:.2f} over the runs)"
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {measured} | {met} |")
    if not lines:
        return ""
    return "\n".join(["| target | measured | met |", "| --- | --- | --- |", *lines])


def report(results: dict[str, Any]) -> str:
    v = results["versions"]
    parts = [
        f"Run {results['started']} ({'smoke' if results['smoke'] else 'full'},"
        f" {results['seconds']:.0f} s); Python {v['python']}, {v['cpus']} CPUs, {v['platform']}.",
        "",
        "Versions: " + ", ".join(f"{k} {v[k]}" for k in PACKAGES),
    ]
    t = targets_md(results.get("issue11_targets", []))
    if t:
        parts += ["", "### Targets (issue 11)", "", t]
    if "serializers" in results:
        parts += ["", "### Serializers", "", bench_serializers.markdown(results["serializers"])]
    if "generate" in results:
        parts += ["", "### Generator", "", bench_generate.markdown(results["generate"])]
        parts += ["", "### Multi-file spec", "", bench_multifile.markdown(results.get("multifile"))]
    if "import" in results:
        parts += ["", "### Import time", "", bench_import.markdown(results["import"])]
    if "diff" in results:
        d = results["diff"]
        parts += ["", "### schemafirst diff", ""]
        if d is None:
            parts.append("bench/bench_diff.py not present: skipped.")
        else:
            parts.append(f"`{d['command']}` (exit {d['rc']}, {d['seconds']:.1f} s):")
            parts += ["", "```", d["stdout"] or d["stderr"] or "(no output)", "```"]
    return "\n".join(parts)


def update_readme(text: str) -> None:
    readme = BENCH / "README.md"
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    current = readme.read_text(encoding="utf-8")
    if start not in current or end not in current:
        print("README.md has no result markers; not updated", file=sys.stderr)
        return
    new = re.sub(
        re.escape(start) + r".*?" + re.escape(end),
        lambda _: f"{start}\n{text}\n{end}",
        current,
        flags=re.S,
    )
    readme.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny corpus, one repetition")
    ap.add_argument(
        "--only", action="append", choices=("serializers", "generate", "import", "diff")
    )
    ap.add_argument("--committed", action="store_true", help="time generated/runobject as is")
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args(argv)
    parts = args.only or ["serializers", "generate", "import", "diff"]

    t0 = time.perf_counter()
    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S"),
        "smoke": args.smoke,
        "versions": versions(),
    }
    if "serializers" in parts:
        results["serializers"] = bench_serializers.run(args.smoke, fresh=not args.committed)
        print(bench_serializers.markdown(results["serializers"]), end="\n\n", flush=True)
    if "generate" in parts:
        results["generate"] = bench_generate.run(args.smoke)
        results["generate_targets"] = bench_generate.targets(results["generate"])
        print(bench_generate.markdown(results["generate"]), end="\n\n", flush=True)
        results["multifile"] = bench_multifile.run(args.smoke)
        print(bench_multifile.markdown(results["multifile"]), end="\n\n", flush=True)
    if "import" in parts:
        results["import"] = bench_import.run(args.smoke)
        print(bench_import.markdown(results["import"]), end="\n\n", flush=True)
    if "diff" in parts:
        # bench_diff.py falls back to the spec/ extracts itself when ../shared is absent
        results["diff"] = run_diff_bench(args.smoke)
    results["runobject_lines"] = runobject_lines(runobject_package(args.committed))
    results["issue11_targets"] = issue11_targets(results)
    results["seconds"] = time.perf_counter() - t0

    out_dir = BENCH / ".cache" / "smoke" if args.smoke else BENCH / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    text = report(results)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (out_dir / "latest.md").write_text(text + "\n", encoding="utf-8")
    plot(results, out_dir / "ratios.png")
    if args.update_readme and not args.smoke:
        update_readme(text + "\n\n![ratios](results/ratios.png)")
    print(text.split("\n\n", 2)[0])
    t = targets_md(results["issue11_targets"])
    if t:
        print("\nTargets (issue 11):\n" + t)
    if "diff" in results:
        d = results["diff"]
        print("\nschemafirst diff:", "skipped" if d is None else f"exit {d['rc']}")
        if d is not None:
            print(d["stdout"][-3000:] or d["stderr"][-1000:])
    print(f"\nwrote {out_dir.relative_to(ROOT)}/latest.json, latest.md, ratios.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
