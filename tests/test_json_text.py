"""`to_json` / the runtime's `dumps`: orjson when it is importable, the standard library's
bytes always.

The reference is the standard library encoder the runtime has always used
(`ensure_ascii=False`, `allow_nan=False`, compact separators): text, or the exception it
raises (type and message). Every value is encoded with orjson available and with orjson
made unavailable; a spy on orjson proves which values really took the orjson path, so the
equality is not won by falling back every time.
"""

from __future__ import annotations

import enum
import json
import math
import random
import struct
import subprocess
import sys
import textwrap
import uuid
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.payloads import make_payloads
from tests.conftest import GENERATED, hypothesis_examples

sys.path.insert(0, str(GENERATED.parent))
from runobject import RunObject, UnknownVariant  # noqa: E402
from runobject import _runtime as runtime  # noqa: E402
from runobject import models as runtime_models  # noqa: E402

REFERENCE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
FUZZ = settings(max_examples=hypothesis_examples(400), derandomize=True, deadline=None)


def reference(value: Any) -> tuple[str, str]:
    """('text', JSON) or (exception type, message) from the standard library."""
    try:
        return "text", REFERENCE.encode(value)
    except (TypeError, ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


def ours(value: Any) -> tuple[str, str]:
    try:
        return "text", runtime.dumps(value)
    except (TypeError, ValueError, RecursionError) as exc:
        return type(exc).__name__, str(exc)


class Spy:
    """Stands in for orjson.dumps: counts calls and values it encoded without raising."""

    def __init__(self) -> None:
        self.calls = 0
        self.encoded = 0

    def __call__(self, value: Any) -> bytes:
        self.calls += 1
        out = orjson.dumps(value)
        self.encoded += 1
        return out


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    s = Spy()
    monkeypatch.setattr(runtime, "_orjson_dumps", s)
    return s


@pytest.fixture
def no_orjson(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(runtime, "_orjson_dumps", False)  # what _find_orjson leaves
    yield


# --- the 240-payload corpus -----------------------------------------------------------


def corpus_models() -> list[RunObject]:
    return [RunObject.from_dict(p) for p in make_payloads()]


def test_corpus_to_json_is_orjson_and_the_standard_library_bytes(spy: Spy) -> None:
    runs = corpus_models()
    assert len(runs) == 240
    for run in runs:
        assert run.to_json() == REFERENCE.encode(run.to_dict())
    # every payload went through orjson: none needed the fallback
    assert spy.calls == spy.encoded == 240


def test_corpus_to_json_without_orjson(no_orjson: None) -> None:
    for run in corpus_models():
        assert run.to_json() == REFERENCE.encode(run.to_dict())


def test_corpus_output_has_non_ascii_floats_and_nulls() -> None:
    """The corpus exercises what differs between encoders (else the test above is weak)."""
    texts = [run.to_json() for run in corpus_models()]
    assert sum(not t.isascii() for t in texts) >= 20
    assert sum("null" in t for t in texts) >= 100
    assert sum(any(isinstance(v, float) for v in _leaves(json.loads(t))) for t in texts) >= 50


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


# --- hypothesis values: JSON and the things around it ---------------------------------


class Colour(enum.Enum):
    RED = "red"


class Size(str, enum.Enum):
    BIG = "big"


class Level(enum.IntEnum):
    HIGH = 3


class Tiny(float, enum.Enum):
    EPS = 1e-05


class Name(str):
    pass


class Count(int):
    pass


class Ratio(float):
    pass


# Floats orjson and the standard library write differently, and their neighbours.
EDGE_FLOATS = [
    0.0, -0.0, 1e-4, -1e-4, 9.999999999999999e-05, 1e-05, 1.5e-05, 1e-06, 1e-09, 1e-10,
    1.2e-10, 5e-324, -5e-324, 2.2250738585072014e-308, 1e15, 1e16, 1.2345678901234568e17,
    1.7976931348623157e308, -1.7976931348623157e308, 0.1, 1.0, 123.456,
    float("nan"), float("inf"), float("-inf"),
]  # fmt: skip
EDGE_INTS = [0, -1, 2**53 + 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1]

# Text: every plane, control characters, quotes, backslashes and lone surrogates.
TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, categories=None))
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from(EDGE_INTS)
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | st.sampled_from(EDGE_FLOATS)
    | TEXT
)
ODD = st.sampled_from(
    [Colour.RED, Size.BIG, Level.HIGH, Tiny.EPS, Name("n"), Count(7), Ratio(0.5),
     uuid.UUID(int=1), (1, "a"), OrderedDict(a=1), {1, 2}, b"x", 1j]
)  # fmt: skip
KEYS = TEXT | st.sampled_from(["a", "é", "\ud800", "\x00"])
ODD_KEYS = KEYS | st.sampled_from([1, 1.5, True, None, 1e-05, Name("k"), (1,)])

JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)
ANY_VALUES = st.recursive(
    SCALARS | ODD,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(ODD_KEYS, inner, max_size=4)
        | st.tuples(inner, inner)
    ),
    max_leaves=12,
)


@FUZZ
@given(JSON_VALUES)
def test_json_values_with_orjson(value: Any) -> None:
    spy = Spy()
    saved = runtime._orjson_dumps
    runtime._orjson_dumps = spy
    try:
        assert ours(value) == reference(value)
    finally:
        runtime._orjson_dumps = saved
    assert spy.calls == runtime._orjson_safe((value,))  # orjson asked exactly when safe


@FUZZ
@given(ANY_VALUES)
def test_any_values_with_orjson(value: Any) -> None:
    saved = runtime._orjson_dumps
    runtime._orjson_dumps = orjson.dumps
    try:
        assert ours(value) == reference(value)
    finally:
        runtime._orjson_dumps = saved


@FUZZ
@given(ANY_VALUES)
def test_any_values_without_orjson(value: Any) -> None:
    saved = runtime._orjson_dumps
    runtime._orjson_dumps = False
    try:
        assert ours(value) == reference(value)
    finally:
        runtime._orjson_dumps = saved


@FUZZ
@given(JSON_VALUES)
def test_what_passes_the_check_orjson_writes_exactly(value: Any) -> None:
    """The check's promise, without the fallback: whatever it lets through, orjson itself
    writes as the standard library does (or raises, and the fallback takes over)."""
    if runtime._orjson_safe((value,)):
        try:
            text = orjson.dumps(value).decode()
        except orjson.JSONEncodeError:
            return
        assert text == REFERENCE.encode(value)


def test_floats_orjson_writes_differently_are_kept_from_it() -> None:
    """Random bit patterns (every exponent) plus random values in the range orjson gets:
    orjson's text for a float passes the check exactly when it is the standard
    library's."""
    rng = random.Random(20250429)
    floats = [struct.unpack("<d", rng.randbytes(8))[0] for _ in range(100_000)]
    floats += [rng.uniform(-1e-3, 1e-3) for _ in range(20_000)]
    floats += [rng.choice((-1, 1)) * 10 ** rng.uniform(-12, 20) for _ in range(50_000)]
    floats += EDGE_FLOATS
    differ = passed = 0
    for f in floats:
        same = math.isfinite(f) and orjson.dumps(f) == REFERENCE.encode(f).encode()
        safe = runtime._orjson_safe((f,))
        assert same or not safe, f  # never lets through a float orjson writes otherwise
        assert safe or not same or 0 < abs(f) < 1e-4, f  # holds back only tiny ones
        differ += not same
        passed += safe
    assert differ > 1000 and passed > len(floats) * 0.5


def test_each_difference_falls_back(spy: Spy) -> None:
    """The known differences, one by one: the standard library's answer, and for the ones
    orjson would write differently, orjson is not even asked."""
    cases: list[Any] = [
        {"x": 1e-05}, {"x": [2.5e-07]}, {"x": float("nan")}, {"x": float("inf")},
        {"x": Colour.RED}, {"x": uuid.UUID(int=1)}, {"x": Name("n")}, {"x": Tiny.EPS},
        {"x": OrderedDict(a=1)},
    ]  # fmt: skip
    for value in cases:
        assert ours(value) == reference(value), value
    assert spy.calls == 0
    raising: list[Any] = [{"x": 2**64}, {"x": -(2**63) - 1}, {"x": "\ud800"}, {1: "a"}, {None: 1}]
    for value in raising:  # orjson raises, the standard library writes them
        assert ours(value) == reference(value), value
        assert reference(value)[0] == "text"
    assert spy.calls == len(raising) and spy.encoded == 0


def test_circular_and_deep_values_raise_what_the_standard_library_raises(
    no_orjson: None,
) -> None:
    loop: list[Any] = []
    loop.append(loop)
    looped: dict[str, Any] = {}
    looped["self"] = looped
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    for value in (loop, looped, deep, {"a": [loop]}):
        assert ours(value) == reference(value)
    assert ours(loop) == ("ValueError", "Circular reference detected")


def test_circular_value_with_orjson_available() -> None:
    loop: list[Any] = []
    loop.append(loop)
    saved = runtime._orjson_dumps
    runtime._orjson_dumps = orjson.dumps
    try:
        assert ours(loop) == ("ValueError", "Circular reference detected")
    finally:
        runtime._orjson_dumps = saved


# --- models: to_json checks only what the encoders cannot vouch for ------------------
#
# `to_json` runs a copy of the generated encoders in which `_j(...)` checks its value:
# numbers, free-form JSON (`parameters`), unknown properties, the scalars of a union and
# `UnknownVariant` data. Each such place, holding each value orjson writes otherwise,
# must give the standard library's bytes (or exception), and orjson must not see it.

ODD_VALUES: list[Any] = [
    1e-05, -2.5e-07, float("nan"), float("inf"), float("-inf"), Tiny.EPS, Ratio(0.5),
    Colour.RED, uuid.UUID(int=1), Name("n"), OrderedDict(a=1), {"deep": [{"x": 1e-05}]},
    2**64, "\ud800", {1: "a"},
]  # fmt: skip


def _tool_payload() -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": "f", "parameters": {"type": "object", "properties": {}}},
    }


def _run_with_tools() -> RunObject:
    payload = next(p for p in make_payloads() if p.get("tools"))
    payload = {**payload, "tools": [_tool_payload()]}
    return RunObject.from_dict(payload)


def _places() -> Iterator[tuple[str, Any]]:
    """(what, function putting a value there): every kind of place `_j` guards."""

    def temperature(run: RunObject, v: Any) -> None:
        run.temperature = v

    def parameters(run: RunObject, v: Any) -> None:
        run.tools[0].function.parameters = {"type": "object", "default": v}  # type: ignore[union-attr]

    def top_extra(run: RunObject, v: Any) -> None:
        run.additional_properties = {"x_odd": v}

    def tool_extra(run: RunObject, v: Any) -> None:  # a model inside a union
        run.tools[0].additional_properties = {"x_odd": v}

    def unknown_tool(run: RunObject, v: Any) -> None:
        run.tools.append(UnknownVariant({"type": "x_new", "value": v}))

    def union_scalar(run: RunObject, v: Any) -> None:
        run.response_format = v

    yield from [
        ("temperature", temperature),
        ("parameters", parameters),
        ("top-level extra", top_extra),
        ("extra of a tool", tool_extra),
        ("UnknownVariant", unknown_tool),
        ("union scalar", union_scalar),
    ]


def reference_to_json(run: RunObject) -> tuple[str, str]:
    try:
        return "text", REFERENCE.encode(run.to_dict())
    except Exception as exc:  # to_dict's own errors (AttributeError) too
        return type(exc).__name__, str(exc)


def ours_to_json(run: RunObject) -> tuple[str, str]:
    try:
        return "text", run.to_json()
    except Exception as exc:  # to_dict's own errors (AttributeError) too
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize(("what", "put"), list(_places()), ids=[w for w, _ in _places()])
def test_model_places_orjson_writes_differently_fall_back(what: str, put: Any, spy: Spy) -> None:
    for value in ODD_VALUES:
        run = _run_with_tools()
        put(run, value)
        calls = spy.calls
        assert ours_to_json(run) == reference_to_json(run), (what, value)
        if spy.calls > calls:  # only what orjson refuses may reach it, and then it raised
            assert spy.encoded == 0, (what, value)
    run = _run_with_tools()
    put(run, 0.5)  # a plain value in the same place does go to orjson
    assert ours_to_json(run) == reference_to_json(run)
    assert spy.encoded == 1


def test_model_places_without_orjson(no_orjson: None) -> None:
    for _, put in _places():
        for value in ODD_VALUES:
            run = _run_with_tools()
            put(run, value)
            assert ours_to_json(run) == reference_to_json(run)


class MyTool(runtime_models.AssistantToolsFunction):
    """A user's subclass with its own to_dict: to_json must write what it returns."""

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out["x_mine"] = 1e-05
        return out


def test_user_subclass_in_a_union_is_encoded_by_its_own_to_dict(spy: Spy) -> None:
    run = _run_with_tools()
    tool = run.tools[0]
    assert isinstance(tool, runtime_models.AssistantToolsFunction)
    run.tools[0] = MyTool(function=tool.function)
    assert ours_to_json(run) == reference_to_json(run)
    assert '"x_mine":1e-05' in run.to_json()
    run.tools[0] = MyTool(function=tool.function)
    mine = MyTool(function=tool.function)
    assert ours_to_json(mine) == ("text", REFERENCE.encode(mine.to_dict()))
    assert spy.encoded == 0


def test_to_json_walks_only_what_the_encoders_cannot_vouch_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The output of the encoders (the models' own dicts) is not walked again: only
    free-form values are (here the tools' `parameters`)."""
    walked: list[Any] = []
    check = runtime._orjson_safe

    def spy_check(items: Any) -> bool:
        walked.append(items)
        return check(items)

    monkeypatch.setattr(runtime, "_orjson_safe", spy_check)
    for run in corpus_models():
        walked.clear()
        expected = REFERENCE.encode(run.to_dict())
        assert run.to_json() == expected
        out = run.to_dict()
        models = [out, *(t for t in out["tools"] if isinstance(t, dict))]  # type: ignore[union-attr]
        # the walks are of free-form values and unknown properties: never of a model's dict
        for items in walked:
            seen = list(items)
            for m in models:
                assert seen != [m] and seen != list(m.values())


# --- the generated package in a fresh interpreter -------------------------------------

SCRIPT = """
import json, sys
sys.path[:0] = [{root!r}, {generated!r}]
{block}
import runobject
from runobject import RunObject, _runtime
from bench.payloads import make_payloads
assert sys.modules.get("orjson") is None, "importing the package imports orjson"
ref = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
runs = [RunObject.from_dict(p) for p in make_payloads()]
assert all(r.to_json() == ref.encode(r.to_dict()) for r in runs)
print(type(_runtime._orjson_dumps).__name__, _runtime._orjson_dumps is False)
"""


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        ("", "builtin_function_or_method False"),
        ("sys.modules['orjson'] = None  # import orjson fails", "bool True"),
    ],
    ids=["orjson", "no-orjson"],
)
def test_fresh_interpreter_with_and_without_orjson(block: str, expected: str) -> None:
    from tests.conftest import ROOT

    code = SCRIPT.format(root=str(ROOT), generated=str(GENERATED.parent), block=block)
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == expected
