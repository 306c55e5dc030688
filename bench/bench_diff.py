"""`schemafirst diff` timed against a simple peer measured in the same run.

    .venv/bin/python bench/bench_diff.py            # 7 rounds, 3 formats
    .venv/bin/python bench/bench_diff.py --smoke    # 1 round, text only: a few seconds
    .venv/bin/python bench/bench_diff.py --json out.json

Absolute times on a shared machine are noise, so the result is a ratio: the diff, end to
end (read both specs, build both models, compare, classify, format, as `schemafirst
diff OLD NEW` does in process), over the peer: only reading and building both models,
which every diff must do first. A ratio near 1 means comparing costs little next to
building. The two are interleaved round by round; medians are reported. `compare only`
is `compare_packages` on models built beforehand.

The pair is the whole OpenAI spec, 2024-04-15 (141 schemas) -> 2025-04-29 (477), from
../shared/specs; without it, the RunObject extracts in spec/ (said so in the output).
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from generator.build import build_package  # noqa: E402
from generator.diff.command import run_diff  # noqa: E402
from generator.diff.compare import compare_packages  # noqa: E402
from generator.diff.report import build_report  # noqa: E402
from generator.spec.load import load_file  # noqa: E402

SHARED = ROOT.parent / "shared" / "specs"
WHOLE = (SHARED / "openai-2024-04-15.yaml", SHARED / "openai-2025-04-29.yaml")
EXTRACTS = (ROOT / "spec" / "runobject-2024-04-15.yaml", ROOT / "spec" / "runobject.yaml")
FORMATS = ("text", "markdown", "json")


class Quiet:
    def detail(self, text: str) -> None:
        pass


def peer(old: Path, new: Path) -> None:
    """The floor every diff pays: read and build both models."""
    build_package(load_file(old))
    build_package(load_file(new))


def diff(old: Path, new: Path, fmt: str) -> None:
    args = argparse.Namespace(
        old=str(old), new=str(new), roots=None, format=fmt, fail_on="never", quiet=False
    )
    run_diff(args, Quiet(), io.StringIO())


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def measure(old: Path, new: Path, rounds: int, formats: tuple[str, ...]) -> dict[str, Any]:
    a, b = build_package(load_file(old)), build_package(load_file(new))
    cases: dict[str, Callable[[], Any]] = {"load+build both (peer)": lambda: peer(old, new)}
    for fmt in formats:
        cases[f"diff --format {fmt}"] = lambda fmt=fmt: diff(old, new, fmt)  # type: ignore[misc]
    cases["compare only"] = lambda: compare_packages(a, b)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):  # interleaved: a slow moment hurts every case alike
        for name, fn in cases.items():
            times[name].append(timed(fn))
    medians = {name: statistics.median(t) for name, t in times.items()}
    floor = medians["load+build both (peer)"]
    return {
        "old": old.name,
        "new": new.name,
        "schemas": [len(load_file(p).data["components"]["schemas"]) for p in (old, new)],
        "changes": len(build_report(a, b, str(old), str(new)).entries),
        "rounds": rounds,
        "median_seconds": medians,
        "ratio_to_peer": {name: m / floor for name, m in medians.items()},
    }


def table(result: dict[str, Any]) -> str:
    lines = [
        f"{result['old']} ({result['schemas'][0]} schemas) -> {result['new']}"
        f" ({result['schemas'][1]} schemas): {result['changes']} changes"
        f" (without description changes), median of {result['rounds']} interleaved round(s)",
        "",
        "| case | median s | ratio to load+build |",
        "| --- | ---: | ---: |",
    ]
    for name, seconds in result["median_seconds"].items():
        lines.append(f"| {name} | {seconds:.3f} | {result['ratio_to_peer'][name]:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="one round: a few seconds")
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args(argv)
    old, new = WHOLE if all(p.exists() for p in WHOLE) else EXTRACTS
    if old not in WHOLE:
        print(f"{SHARED} not found: timing the RunObject extracts in spec/ instead")
    if args.smoke:  # one round, one format
        result = measure(old, new, 1, FORMATS[:1])
    else:
        result = measure(old, new, args.rounds, FORMATS)
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
