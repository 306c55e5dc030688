"""Generated serializers: schemafirst vs pydantic (dmcg), msgspec, mashumaro, json, orjson.

Every peer runs in this one process on the same payloads, interleaved: each round visits
every operation and every peer (in a rotating order) before the next round starts, so
drift of the shared machine hits all peers alike. Per payload the median over rounds is
kept; a peer's figure is the median over payloads, and its ratio is the median over
payloads of (peer time / schemafirst time) on the payloads both accepted.
"""

from __future__ import annotations

import copy
import gc
import importlib
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.payloads import DEFAULT_SEED, make_json, make_payloads  # noqa: E402

OPS = ("from_dict", "to_dict", "from_json", "to_json")
OP_LABELS = {
    "from_dict": "decode dict",
    "to_dict": "encode dict",
    "from_json": "decode JSON",
    "to_json": "encode JSON",
}


@dataclass
class Peer:
    name: str
    label: str
    ops: dict[str, Callable[[Any], Any]]
    errors: tuple[type[BaseException], ...]
    notes: list[str] = field(default_factory=list)
    floor: bool = False  # json/orjson: no model, no validation
    timed: bool = True
    what_if: bool = False  # not a product: a copy with one part of the work removed


# -- schemafirst -------------------------------------------------------------------


def load_schemafirst(fresh: bool = True) -> tuple[Any, str]:
    """The generated `runobject` package. With `fresh`, regenerate it from the current
    templates into bench/.cache/sf (a no-op when nothing changed) so the bench measures
    what the templates produce now, not a stale committed copy."""
    where = ROOT / "generated"
    origin = "generated/runobject (committed)"
    if fresh:
        out = BENCH / ".cache" / "sf"
        cmd = [
            str(Path(sys.executable).parent / "schemafirst"),
            "generate",
            "-q",
            "--spec",
            str(ROOT / "spec" / "runobject.yaml"),
            "--out",
            str(out),
            "--package",
            "runobject",
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            where = out
            origin = "fresh from the current templates (bench/.cache/sf/runobject)"
        else:
            print(
                "warning: could not regenerate runobject, using generated/: "
                + proc.stderr.strip()[-500:],
                file=sys.stderr,
            )
    sys.path.insert(0, str(where))
    module = importlib.import_module("runobject")
    sys.path.remove(str(where))
    return module, origin


def schemafirst_peer(module: Any) -> Peer:
    model = module.RunObject
    return Peer(
        name="schemafirst",
        label="schemafirst",
        ops={
            "from_dict": model.from_dict,
            "to_dict": model.to_dict,
            "from_json": model.from_json,
            "to_json": model.to_json,
        },
        errors=(module.ValidationError,),
    )


def package_copy(module: Any, name: str) -> Any:
    """A second copy of the generated package, imported as `name`, to change in place."""
    folder = BENCH / ".cache" / name  # not `copy`: that is the module deep-copying runs
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(
        Path(module.__file__).parent, folder / name, ignore=shutil.ignore_patterns("__pycache__")
    )
    sys.path.insert(0, str(folder))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(folder))


def schemafirst_without_orjson(module: Any) -> Peer:
    """A second copy of the package whose `to_json` and `from_json` never use orjson: what
    a user without orjson installed gets (the standard library path)."""
    stdlib = package_copy(module, "runobject_stdlib")
    stdlib._runtime._orjson_dumps = False  # as if `import orjson` had failed
    stdlib._runtime._orjson_parse = False
    model = stdlib.RunObject
    return Peer(
        name="schemafirst-stdlib",
        label="schemafirst without orjson",
        ops={"from_json": model.from_json, "to_json": model.to_json},
        errors=(stdlib.ValidationError,),
    )


def schemafirst_unchecked_free_form(module: Any) -> Peer:
    """What-if, not a mode of the product: a copy of the package whose decoders take
    free-form JSON values (function parameters, `UnknownVariant` data) as they are,
    neither checked to be JSON nor copied. Its from_dict time against msgspec's shows
    what decoding the rest costs: msgspec checks nothing inside an `Any` and shares it."""
    unchecked = package_copy(module, "runobject_unchecked")
    codec = importlib.import_module("runobject_unchecked._codec")
    codec._json = lambda value, path, errs: value
    return Peer(
        name="schemafirst-unchecked",
        label="schemafirst, free-form values unchecked (what-if)",
        ops={"from_dict": unchecked.RunObject.from_dict},
        errors=(unchecked.ValidationError,),
        what_if=True,
    )


def other_peers() -> tuple[list[Peer], list[Peer], list[str]]:
    """(timed peers, correctness-only peers, problems loading peers)."""
    timed: list[Peer] = []
    checked: list[Peer] = []
    problems: list[str] = []
    try:
        from bench.peers import pydantic_dmcg

        for config in ("tuned", "defaults"):
            p = pydantic_dmcg.Peer(config)
            peer = Peer(
                name=f"pydantic-{config}",
                label="pydantic v2 (dmcg)" if config == "tuned" else "pydantic v2 (dmcg defaults)",
                ops={
                    "from_dict": p.from_dict,
                    "to_dict": p.to_dict,
                    "from_json": p.from_json,
                    "to_json": p.to_json,
                },
                errors=p.ERRORS,
                notes=pydantic_dmcg.NOTES[config],
                timed=config == "tuned",
            )
            (timed if peer.timed else checked).append(peer)
    except Exception as exc:  # a broken peer is reported, not fatal
        problems.append(f"pydantic/dmcg: {exc}")
    for name, label in (("msgspec_models", "msgspec"), ("mashumaro_models", "mashumaro")):
        try:
            m = importlib.import_module(f"bench.peers.{name}")
            timed.append(
                Peer(
                    name=label,
                    label=label,
                    ops={op: getattr(m, op) for op in OPS},
                    errors=m.ERRORS,
                    notes=m.NOTES,
                )
            )
        except Exception as exc:
            problems.append(f"{label}: {exc}")

    dumps_kw: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}
    timed.append(
        Peer(
            name="json",
            label="json (stdlib, floor)",
            ops={"from_json": json.loads, "to_json": lambda d: json.dumps(d, **dumps_kw)},
            errors=(ValueError,),
            floor=True,
        )
    )
    try:
        import orjson

        timed.append(
            Peer(
                name="orjson",
                label="orjson (floor)",
                ops={"from_json": orjson.loads, "to_json": orjson.dumps},
                errors=(orjson.JSONDecodeError,),
                floor=True,
            )
        )
    except ImportError as exc:
        problems.append(f"orjson: {exc}")
    return timed, checked, problems


# -- correctness -----------------------------------------------------------------


def strict_diff(a: Any, b: Any, path: str = "$") -> list[tuple[str, str]]:
    """Differences between JSON values, type-strict: 1, 1.0 and True all differ."""
    if type(a) is not type(b):
        return [(path, f"{type(a).__name__} {_short(a)} became {type(b).__name__} {_short(b)}")]
    if isinstance(a, dict):
        out: list[tuple[str, str]] = []
        for k in a:
            if k not in b:
                out.append((f"{path}.{k}", f"{_short(a[k])} dropped"))
            else:
                out.extend(strict_diff(a[k], b[k], f"{path}.{k}"))
        for k in b:
            if k not in a:
                out.append((f"{path}.{k}", f"absent became {_short(b[k])}"))
        return out
    if isinstance(a, list):
        if len(a) != len(b):
            return [(path, f"length {len(a)} became {len(b)}")]
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out.extend(strict_diff(x, y, f"{path}[{i}]"))
        return out
    if a != b:
        return [(path, f"{_short(a)} became {_short(b)}")]
    return []


def _short(v: Any) -> str:
    if isinstance(v, (dict, list)):
        return type(v).__name__
    s = json.dumps(v, ensure_ascii=False)
    return s if len(s) <= 20 else s[:17] + "..."


def _category(path: str, what: str) -> str:
    import re

    path = re.sub(r"\[\d+\]", "[*]", path)
    if what.endswith("dropped") and not what.startswith("null"):
        what = "dropped"
    return f"{path}: {what}"


def _reason(exc: BaseException) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):  # pydantic
        try:
            first = errors()[0]
            loc = ".".join(str(x) for x in first["loc"])
            return f"{loc}: {first['msg']}"
        except Exception:
            pass
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:140]


@dataclass
class Check:
    accepted: dict[str, list[int]]  # op -> indices accepted (from_dict, from_json)
    roundtrip: dict[str, int]  # "dict"/"json" -> exact round trips
    losses: Counter[str]
    rejections: Counter[str]
    rejected_examples: list[tuple[int, str]]
    objects: dict[str, dict[int, Any]]  # decoded objects per path, for encode timing


def check_peer(peer: Peer, payloads: list[dict[str, Any]], texts: list[bytes]) -> Check:
    accepted: dict[str, list[int]] = {"from_dict": [], "from_json": []}
    objects: dict[str, dict[int, Any]] = {"dict": {}, "json": {}}
    roundtrip = {"dict": 0, "json": 0}
    losses: Counter[str] = Counter()
    rejections: Counter[str] = Counter()
    examples: list[tuple[int, str]] = []
    for i, (p, t) in enumerate(zip(payloads, texts, strict=False)):
        for op, path, data in (("from_dict", "dict", p), ("from_json", "json", t)):
            if op not in peer.ops:
                continue
            snapshot = json.dumps(p)
            try:
                obj = peer.ops[op](data)
            except peer.errors as exc:
                reason = _reason(exc)
                if op == "from_dict" or i in objects["dict"] or "from_dict" not in peer.ops:
                    # count each payload once (the JSON path usually fails the same way)
                    rejections[f"{reason}" if op == "from_dict" else f"JSON only: {reason}"] += 1
                if len(examples) < 20:
                    examples.append((i, f"{op}: {reason}"))
                continue
            if json.dumps(p) != snapshot:
                losses["input payload was mutated by decoding"] += 1
            accepted[op].append(i)
            objects[path][i] = obj
            encode = peer.ops.get("to_dict" if path == "dict" else "to_json")
            if encode is None:  # a what-if copy that only decodes
                continue
            back = encode(obj)
            if path == "json":
                back = json.loads(back)
            diffs = strict_diff(p, back)
            if not diffs:
                roundtrip[path] += 1
            elif path == "dict":
                for d in {_category(*d) for d in diffs}:
                    losses[d] += 1
    return Check(accepted, roundtrip, losses, rejections, examples, objects)


# -- timing ------------------------------------------------------------------------

# Wall clock, as in the issue-7 baseline. thread_time_ns is a system call on this VM
# (~560 ns a read against ~70 ns): at 3 calls a sample that added ~6% to a 3 us to_dict
# call and pulled every ratio towards 1. A sample lasts microseconds, so few are
# preempted, and the median over rounds drops those.
CLOCK = time.perf_counter_ns


def clock_cost_ns(clock: Any = CLOCK, n: int = 20_000) -> float:
    """Median cost of one clock read, reported beside the figures (not subtracted)."""
    costs = []
    for _ in range(5):
        t0 = time.perf_counter_ns()
        for _ in range(n):
            clock()
        costs.append((time.perf_counter_ns() - t0) / n)
    return statistics.median(costs)


def time_all(
    peers: list[Peer],
    checks: dict[str, Check],
    payloads: list[dict[str, Any]],
    texts: list[bytes],
    rounds: int,
    inner: int,
) -> dict[str, dict[str, dict[int, float]]]:
    """peer -> op -> payload index -> median ns per call."""
    samples: dict[str, dict[str, dict[int, list[float]]]] = {
        p.name: {op: {} for op in p.ops} for p in peers
    }
    work: dict[tuple[str, str], list[tuple[int, Any]]] = {}
    for p in peers:
        c = checks[p.name]
        for op in p.ops:
            if p.floor:
                src = payloads if op == "to_json" else texts
                items = list(enumerate(src))
            elif op == "from_dict":
                items = [(i, payloads[i]) for i in c.accepted["from_dict"]]
            elif op == "from_json":
                items = [(i, texts[i]) for i in c.accepted["from_json"]]
            else:
                objs = c.objects["dict" if op == "to_dict" else "json"]
                items = sorted(objs.items())
            work[p.name, op] = items
    clock = CLOCK
    reps = range(inner)
    gc_was = gc.isenabled()
    for r in range(rounds):
        order = peers[r % len(peers) :] + peers[: r % len(peers)]
        for op in OPS:
            for p in order:
                fn = p.ops.get(op)
                if fn is None:
                    continue
                bucket = samples[p.name][op]
                gc.collect()
                gc.disable()
                try:
                    for i, x in work[p.name, op]:
                        t0 = clock()
                        for _ in reps:
                            fn(x)
                        t1 = clock()
                        bucket.setdefault(i, []).append((t1 - t0) / inner)
                finally:
                    if gc_was:
                        gc.enable()
    return {
        name: {op: {i: statistics.median(v) for i, v in per.items()} for op, per in ops.items()}
        for name, ops in samples.items()
    }


# -- driver ------------------------------------------------------------------------


def run(smoke: bool = False, fresh: bool = True, repeats: int | None = None) -> dict[str, Any]:
    """The serializer bench, `repeats` times (3 by default, 1 in smoke mode), each in a
    fresh process: on this shared machine the ratios of one run move by 10-20% from one
    run to the next (more than within a run), so each figure is the median of the runs
    and the spread is reported beside it."""
    repeats = repeats or (1 if smoke else 3)
    if repeats == 1:
        return run_once(smoke, fresh)
    load_schemafirst(fresh)  # regenerate once; the workers then find it up to date
    runs = []
    with tempfile.TemporaryDirectory(prefix="schemafirst-bench-ser-") as tmp:
        for k in range(repeats):
            out = Path(tmp) / f"run{k}.json"
            cmd = [sys.executable, str(Path(__file__)), "--worker", str(out)]
            cmd += ["--smoke"] if smoke else []
            cmd += [] if fresh else ["--committed"]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            runs.append(json.loads(out.read_text(encoding="utf-8")))
    return combine(runs)


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One result from several runs: every time and ratio is the median over the runs,
    with each ratio's lowest and highest value in `ratio_range` / `pairs_range`."""
    base = copy.deepcopy(runs[0])
    base["runs"] = len(runs)
    base["timing_seconds"] = round(sum(r["timing_seconds"] for r in runs), 1)
    for j, row in enumerate(base["rows"]):
        rows = [r["rows"][j] for r in runs]
        assert all(r["peer"] == row["peer"] for r in rows)
        for key in ("us", "ratio"):
            for op in row[key]:
                values = [r[key][op] for r in rows if op in r[key]]
                row[key][op] = statistics.median(values)
                if key == "ratio":
                    row.setdefault("ratio_range", {})[op] = [min(values), max(values)]
    base["pairs_range"] = {}
    for name in base["pairs"]:
        values = [r["pairs"][name] for r in runs if r["pairs"].get(name) is not None]
        base["pairs"][name] = statistics.median(values) if values else None
        base["pairs_range"][name] = [min(values), max(values)] if values else None
    base["targets"] = targets(base)
    return base


def run_once(smoke: bool = False, fresh: bool = True) -> dict[str, Any]:
    n = 40 if smoke else 240
    rounds, inner = (3, 1) if smoke else (15, 3)
    payloads = make_payloads(n, DEFAULT_SEED)
    texts = make_json(payloads)

    sf_module, sf_origin = load_schemafirst(fresh)
    sf = schemafirst_peer(sf_module)
    timed, checked, problems = other_peers()
    peers = [
        sf,
        schemafirst_without_orjson(sf_module),
        schemafirst_unchecked_free_form(sf_module),
        *timed,
    ]

    checks = {p.name: check_peer(p, payloads, texts) for p in [*peers, *checked]}
    t0 = time.perf_counter()
    med = time_all(peers, checks, payloads, texts, rounds, inner)
    elapsed = time.perf_counter() - t0

    rows = []
    for p in [*peers, *checked]:
        c = checks[p.name]
        row: dict[str, Any] = {
            "peer": p.name,
            "label": p.label,
            "floor": p.floor,
            "what_if": p.what_if,
            "timed": p.timed,
            "notes": p.notes,
            "accepted_dict": (
                None if p.floor or "from_dict" not in p.ops else len(c.accepted["from_dict"])
            ),
            "accepted_json": len(c.accepted["from_json"]) if "from_json" in p.ops else None,
            "roundtrip_dict": None if p.floor else c.roundtrip["dict"],
            "roundtrip_json": None if p.floor else c.roundtrip["json"],
            "losses": c.losses.most_common(8),
            "rejections": c.rejections.most_common(5),
            "rejected_examples": c.rejected_examples[:5],
            "us": {},
            "ratio": {},
        }
        if p.name in med:
            for op, per in med[p.name].items():
                if not per:
                    continue
                row["us"][op] = statistics.median(per.values()) / 1000
                base = med["schemafirst"].get(op, {})
                both = [i for i in per if i in base]
                if both and p.name != "schemafirst":
                    row["ratio"][op] = statistics.median(per[i] / base[i] for i in both)
                    row.setdefault("ratio_n", {})[op] = len(both)
        rows.append(row)
    result = {
        "payloads": n,
        "seed": DEFAULT_SEED,
        "rounds": rounds,
        "inner": inner,
        "timing_seconds": round(elapsed, 1),
        "clock": f"time.{CLOCK.__name__}",
        "clock_ns": round(clock_cost_ns(), 1),
        "schemafirst_package": sf_origin,
        "problems": problems,
        "rows": rows,
        # peer time / other peer's time, median over payloads: for targets that compare
        # two peers neither of which is the schemafirst row
        "pairs": {
            f"{a}/{b}/{op}": pair_ratio(med, a, b, op)
            for a, b, op in (
                ("pydantic-tuned", "schemafirst-stdlib", "to_json"),
                ("schemafirst", "msgspec", "from_dict"),
                ("schemafirst-unchecked", "msgspec", "from_dict"),
            )
        },
    }
    result["targets"] = targets(result)
    return result


def pair_ratio(
    med: dict[str, dict[str, dict[int, float]]], a: str, b: str, op: str
) -> float | None:
    """Median over the payloads both timed of (a's time / b's time)."""
    ta, tb = med.get(a, {}).get(op, {}), med.get(b, {}).get(op, {})
    both = [i for i in ta if i in tb]
    return statistics.median(ta[i] / tb[i] for i in both) if both else None


def _row(result: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((r for r in result["rows"] if r["peer"] == name), None)


def targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's speed targets, each with the measured ratio and pass/fail."""
    out = []
    pyd = _row(result, "pydantic-tuned")
    mash = _row(result, "mashumaro")

    def add(text: str, row: dict[str, Any] | None, op: str, need: float, strict_gt: bool) -> None:
        ratio = row["ratio"].get(op) if row else None
        ok = None if ratio is None else (ratio > need if strict_gt else ratio >= need)
        out.append({"target": text, "ratio": ratio, "need": need, "met": ok})

    add("decode (from_dict) >= 2x faster than pydantic", pyd, "from_dict", 2.0, False)
    add("decode (from_dict) faster than mashumaro", mash, "from_dict", 1.0, True)
    add("encode (to_dict) >= 2x faster than pydantic", pyd, "to_dict", 2.0, False)
    add("encode (to_dict) at least as fast as mashumaro", mash, "to_dict", 1.0, False)
    add("from_json beats model_validate_json", pyd, "from_json", 1.0, True)
    return out


# Issue 11's baseline: bench/results of 2026-11-22 (peer time / schemafirst time).
ISSUE11_BASELINE = {
    ("pydantic-tuned", "from_dict"): 3.16,
    ("pydantic-tuned", "to_dict"): 3.83,
    ("pydantic-tuned", "from_json"): 2.12,
    ("pydantic-tuned", "to_json"): 0.72,
    ("mashumaro", "from_dict"): 1.29,
    ("mashumaro", "to_dict"): 1.56,
    ("mashumaro", "from_json"): 1.44,
    ("mashumaro", "to_json"): 1.16,
}


def issue11_targets(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Issue 11's serializer targets: `ratio` as in the tables (peer / schemafirst)."""
    out: list[dict[str, Any]] = []
    pyd = _row(result, "pydantic-tuned")
    sf_vs_msgspec = result["pairs"].get("schemafirst/msgspec/from_dict")
    out.append(
        {
            "target": "decode (from_dict) within 3x of msgspec's time",
            "ratio": sf_vs_msgspec,
            "need": 3.0,
            "met": None if sf_vs_msgspec is None else sf_vs_msgspec <= 3.0,
            "unit": "x msgspec's time",
            "range": result.get("pairs_range", {}).get("schemafirst/msgspec/from_dict"),
        }
    )
    with_orjson = pyd["ratio"].get("to_json") if pyd else None
    out.append(
        {
            "target": "to_json >= 2x pydantic model_dump_json, orjson installed",
            "ratio": with_orjson,
            "need": 2.0,
            "met": None if with_orjson is None else with_orjson >= 2.0,
            "range": pyd.get("ratio_range", {}).get("to_json") if pyd else None,
        }
    )
    without = result["pairs"].get("pydantic-tuned/schemafirst-stdlib/to_json")
    out.append(
        {
            "target": "to_json >= 1x pydantic model_dump_json, without orjson",
            "ratio": without,
            "need": 1.0,
            "met": None if without is None else without >= 1.0,
            "range": result.get("pairs_range", {}).get("pydantic-tuned/schemafirst-stdlib/to_json"),
        }
    )
    for (peer, op), before in ISSUE11_BASELINE.items():
        row = _row(result, peer)
        ratio = row["ratio"].get(op) if row else None
        label = "pydantic" if peer.startswith("pydantic") else peer
        out.append(
            {
                "target": f"{op} vs {label} no worse than before issue 11 ({before:.2f}x)",
                "ratio": ratio,
                "need": before,
                "met": None if ratio is None else ratio >= before,
                "range": row.get("ratio_range", {}).get(op) if row else None,
            }
        )
    return out


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Corpus: {result['payloads']} RunObject payloads (seed {result['seed']}); "
        f"{result['rounds']} interleaved rounds x {result['inner']} calls per payload; "
        "median per payload, then median over payloads"
        + (
            f"; {result['runs']} runs, each in a fresh process, and every figure the median"
            " of the runs (spread below). "
            if result.get("runs", 1) > 1
            else ". "
        )
        + f"Clock: `{result.get('clock', 'time.thread_time_ns')}`"
        + (f", {result['clock_ns']} ns a read." if "clock_ns" in result else "."),
        f"schemafirst package: {result['schemafirst_package']}.",
        "",
        "**Speed.** µs per payload (median). `x` = peer time / schemafirst time, median of"
        " per-payload ratios over the payloads both accepted: above 1 means schemafirst"
        " is faster.",
        "",
        "| peer | decode dict | encode dict | decode JSON | encode JSON |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in result["rows"]:
        if not r["timed"]:
            continue
        cells = []
        for op in OPS:
            us = r["us"].get(op)
            if us is None:
                cells.append("—")
                continue
            ratio = r["ratio"].get(op)
            cells.append(f"{us:.1f} µs" + ("" if ratio is None else f" ({ratio:.2f}x)"))
        lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
    if result.get("runs", 1) > 1:
        lines += [
            "",
            f"Spread of the ratios over the {result['runs']} runs (lowest-highest):",
            "",
            "| peer | decode dict | encode dict | decode JSON | encode JSON |",
            "| --- | --- | --- | --- | --- |",
        ]
        for r in result["rows"]:
            spread = r.get("ratio_range")
            if r["timed"] and spread:
                cells = [
                    f"{spread[op][0]:.2f}-{spread[op][1]:.2f}x" if op in spread else "—"
                    for op in OPS
                ]
                lines.append(f"| {r['label']} | " + " | ".join(cells) + " |")
    as_is = result["pairs"].get("schemafirst/msgspec/from_dict")
    what_if = result["pairs"].get("schemafirst-unchecked/msgspec/from_dict")
    if as_is is not None and what_if is not None:
        lines += [
            "",
            f"from_dict takes {as_is:.2f}x msgspec's time (median of per-payload ratios);"
            f" the what-if copy, which neither checks nor copies free-form values,"
            f" {what_if:.2f}x: the rest of decoding alone.",
        ]
    lines += [
        "",
        "**Correctness.** accepted = decoded without error (all payloads are valid);"
        " round trip = decode -> encode equals the input as JSON, type-strict"
        " (1 vs 1.0 vs true differ; absent vs null differ).",
        "",
        "| peer | accepted (dict / JSON) | exact round trip (dict / JSON) "
        "| what is lost or rejected |",
        "| --- | --- | --- | --- |",
    ]
    n = result["payloads"]
    for r in result["rows"]:
        if r["accepted_dict"] is None or r["what_if"]:  # floors, copies
            continue
        what = [f"{c}x {k}" for k, c in r["losses"][:4]]
        what += [f"rejects {c}x: {k}" for k, c in r["rejections"][:3]]
        lines.append(
            f"| {r['label']} | {r['accepted_dict']}/{n} / {r['accepted_json']}/{n} | "
            f"{r['roundtrip_dict']} / {r['roundtrip_json']} | "
            + ("<br>".join(w.replace("|", "\\|") for w in what) or "nothing")
            + " |"
        )
    lines += [
        "",
        "**Targets** (issue 7):",
        "",
        "| target | measured | met |",
        "| --- | --- | --- |",
    ]
    for t in result["targets"]:
        ratio = "n/a" if t["ratio"] is None else f"{t['ratio']:.2f}x"
        met = {True: "yes", False: "**no**", None: "n/a"}[t["met"]]
        lines.append(f"| {t['target']} | {ratio} | {met} |")
    notes = [f"- {r['label']}: {note}" for r in result["rows"] for note in r["notes"]]
    if notes:
        lines += ["", "Peer limitations (by design of the peer, as configured here):", "", *notes]
    if result["problems"]:
        lines += ["", "Peers that could not run:", ""] + [f"- {p}" for p in result["problems"]]
    return "\n".join(lines)


if __name__ == "__main__":
    if "--worker" in sys.argv:  # one run of `run`, its result written as JSON
        out = Path(sys.argv[sys.argv.index("--worker") + 1])
        res = run_once(smoke="--smoke" in sys.argv, fresh="--committed" not in sys.argv)
        out.write_text(json.dumps(res, default=str), encoding="utf-8")
    else:
        print(markdown(run(smoke="--smoke" in sys.argv)))
