"""Generated decoders on hostile payloads: only `ValidationError`, with JSON paths, and
the input left exactly as it was.

Every model of every generated package (generated/runobject and each case's expected
package) gets arbitrary Python values from `from_dict` (wrong types, missing and extra
keys, huge integers, NaN and infinities, bytes, sets, tuples, non-string keys, lists
where objects belong, 10_000 levels of nesting) and arbitrary text and bytes from
`from_json`. Example counts scale with SCHEMAFIRST_FUZZ (`make fuzz`).

The bugs these tests found (huge integers in multipleOf, uniqueItems, non-string keys and
strict-mode messages) have regression tests at the end.
"""

from __future__ import annotations

import importlib
import math
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.casekit import CASES, package_name
from tests.conftest import GENERATED, hypothesis_examples
from tests.hostile_strings import (
    HUGE_INT,
    Odd,
    deep,
    hostile_json_text,
    hostile_objects,
    hostile_values,
)

# --- the packages under test ---------------------------------------------------------


def _packages() -> list[tuple[str, Path]]:
    """(import name, folder on sys.path) of every committed generated package."""
    out = [("runobject", GENERATED.parent)]
    for case in sorted(CASES.iterdir()):
        expected = case / "expected"
        # A package without models (a spec without schemas) has nothing to fuzz.
        if (expected / package_name(case)).is_dir() and "\nclass " in (
            expected / package_name(case) / "models.py"
        ).read_text(encoding="utf-8"):
            out.append((package_name(case), expected))
    return out


PACKAGES = _packages()


def _import(name: str, folder: Path) -> ModuleType:
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))
    return importlib.import_module(name)


def _models(pkg: ModuleType) -> list[tuple[type, list[str]]]:
    """Every model class of a package with the JSON names of its properties."""
    models = importlib.import_module(pkg.__name__ + ".models")
    out = []
    for name in sorted(pkg.__all__):
        cls = getattr(pkg, name)
        if isinstance(cls, type) and hasattr(cls, "from_dict"):
            keys = sorted(getattr(models, f"_KEYS_{name}", ()))
            out.append((cls, keys))
    return out


# --- what a decoder may do -----------------------------------------------------------


def snapshot(value: Any) -> list[Any]:
    """A flat, comparable record of a value (any depth, NaN-safe, identity for objects
    that are not plain data), to prove a decoder left its input alone."""
    out: list[Any] = []
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            out.append(("dict", id(v), len(v)))
            for k, item in reversed(list(v.items())):
                stack.append(item)
                stack.append(k)
        elif t in (list, tuple):
            out.append((t.__name__, id(v), len(v)))
            stack.extend(reversed(v))
        elif t in (set, frozenset):
            out.append((t.__name__, id(v), frozenset(map(_atom, v))))
        else:
            out.append(_atom(v))
    return out


def _atom(v: Any) -> Any:
    if isinstance(v, float) and math.isnan(v):
        return ("float", "nan")
    if isinstance(v, (str, bytes, bool, int, float, complex, type(None))):
        return (type(v).__name__, v)
    return (type(v).__name__, id(v))


def assert_plain_json(value: Any) -> None:
    """Only dict (string keys), list, str, int, finite float, bool and None, any depth."""
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is dict:
            assert all(type(k) is str for k in v), f"non-string key in {v!r:.80}"
            stack.extend(v.values())
        elif t is list:
            stack.extend(v)
        elif t is float:
            assert math.isfinite(v), "a non-finite number was accepted"
        else:
            assert t in (str, int, bool, type(None)), f"{t.__name__} in decoded output"


def check_decode(
    pkg: ModuleType, decode: Callable[[Any], Any], payload: Any, record: bool = True
) -> str:
    """Decode `payload`; fail on anything but success or a proper ValidationError.

    Returns "ok" or "invalid".
    """
    before = snapshot(payload)
    try:
        value = decode(payload)
    except pkg.ValidationError as err:
        assert err.problems, "a ValidationError without problems"
        for path, message in err.problems:
            assert isinstance(path, str) and path.startswith("$"), (path, message)
            assert isinstance(message, str) and message, (path, message)
        assert str(err)
        outcome = "invalid"
    except Exception as exc:  # noqa: BLE001 - the point: nothing else may escape
        raise AssertionError(
            f"{type(exc).__name__} escaped the decoder (only ValidationError may): {exc!s:.200}"
        ) from exc
    else:
        assert_plain_json(value.to_dict())  # whatever was accepted is plain JSON again
        outcome = "ok"
    assert snapshot(payload) == before, "decoding mutated its input"
    if record:
        event(outcome)
    return outcome


FUZZ = settings(
    max_examples=hypothesis_examples(250),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize(("name", "folder"), PACKAGES, ids=[p[0] for p in PACKAGES])
@FUZZ
@given(data=st.data())
def test_fuzz_from_dict_raises_only_validation_error(
    name: str, folder: Path, data: st.DataObject
) -> None:
    pkg = _import(name, folder)
    models = _models(pkg)
    cls, keys = data.draw(st.sampled_from(models), label="model")
    payload = data.draw(st.one_of(hostile_objects(keys), hostile_values(keys)), label="payload")
    strict = data.draw(st.booleans(), label="strict")
    check_decode(pkg, lambda p: cls.from_dict(p, strict=strict), payload)


@pytest.mark.parametrize(("name", "folder"), PACKAGES, ids=[p[0] for p in PACKAGES])
@settings(FUZZ, max_examples=hypothesis_examples(100))
@given(data=st.data())
def test_fuzz_from_json_raises_only_validation_error(
    name: str, folder: Path, data: st.DataObject
) -> None:
    pkg = _import(name, folder)
    cls, _ = data.draw(st.sampled_from(_models(pkg)), label="model")
    text = data.draw(hostile_json_text(), label="text")
    strict = data.draw(st.booleans(), label="strict")
    check_decode(pkg, lambda t: cls.from_json(t, strict=strict), text)


def _same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (NaN is NaN, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float):
        if math.isnan(a):
            return math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a is b or bool(a == b)


def _containers(value: Any) -> list[int]:
    if type(value) is dict:
        return [id(value), *(c for v in value.values() for c in _containers(v))]
    if type(value) is list:
        return [id(value), *(c for v in value for c in _containers(v))]
    return []


class _Str(str):
    pass


class _Float(float):
    pass


# JSON values, with now and then a leaf or key the checking walk reports or converts
_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=3)
)
_ODD_LEAVES = st.one_of(
    st.text(max_size=3).map(_Str), st.floats().map(_Float), st.floats(), hostile_values()
)
_KEYS = st.one_of(
    st.text(max_size=2), st.text(max_size=2).map(_Str), st.sampled_from([1, None, 1.5, b"k"])
)
_JSONISH = st.recursive(
    st.one_of(_LEAVES, _LEAVES, _LEAVES, _ODD_LEAVES),
    lambda c: st.one_of(st.lists(c, max_size=4), st.dictionaries(_KEYS, c, max_size=4)),
    max_leaves=12,
)


@FUZZ
@given(value=st.one_of(hostile_values(), _JSONISH))
def test_free_form_copy_agrees_with_the_checking_walk(value: Any) -> None:
    """decode_json's fast copy of valid JSON gives what the walk that reports problems
    gives: the same value, the same problems (none, or the walk's own), no shared
    container with the input."""
    runtime = _import("runobject", GENERATED.parent)._runtime
    fast: list[Any] = []
    checked: list[Any] = []
    got = runtime.decode_json(value, None, fast)
    event("valid" if not fast else "problems")
    assert _same(got, runtime._check_json(value, None, checked))
    assert fast == checked
    assert not set(_containers(got)) & set(_containers(value))


# --- deterministic extremes -------------------------------------------------------------

DEPTH = 10_000


SHAPES = [deep(DEPTH, kind="list"), deep(DEPTH, kind="dict"), deep(DEPTH, kind="int-keys")]


@pytest.mark.parametrize(("name", "folder"), PACKAGES, ids=[p[0] for p in PACKAGES])
def test_deep_nesting_is_bounded(name: str, folder: Path) -> None:
    """10_000 levels anywhere: a ValidationError, never a RecursionError."""
    pkg = _import(name, folder)
    for cls, keys in _models(pkg):
        payloads = [*SHAPES, *({key: SHAPES[i % 3]} for i, key in enumerate(keys))]
        for i, payload in enumerate(payloads):
            strict = bool(i % 2)
            outcome = check_decode(
                pkg, lambda p, s=strict, c=cls: c.from_dict(p, strict=s), payload, record=False
            )
            assert outcome in ("ok", "invalid")
        text = "[" * DEPTH + "]" * DEPTH
        assert check_decode(pkg, cls.from_json, text, record=False) == "invalid"
        text = '{"a":' * DEPTH + "1" + "}" * DEPTH
        assert check_decode(pkg, cls.from_json, text, record=False) == "invalid"


@pytest.mark.parametrize(("name", "folder"), PACKAGES, ids=[p[0] for p in PACKAGES])
def test_every_field_with_every_wrong_type(name: str, folder: Path) -> None:
    """Each property set to each kind of wrong or odd value, alone and all at once."""
    pkg = _import(name, folder)
    odd_values: list[Any] = [
        None,
        True,
        0,
        -1,
        2**64,
        10**400,
        HUGE_INT,
        -HUGE_INT,
        {HUGE_INT: 1},
        1.5,
        math.nan,
        math.inf,
        -math.inf,
        "",
        "x",
        b"bytes",
        bytearray(b"x"),
        [],
        [None],
        {},
        {"": None},
        {1: 2},
        (1, 2),
        {1, 2},
        frozenset(),
        Odd(),
        object(),
        1j,
        [[[]]],
        {"type": "x"},
        {"object": "thread.run", "type": 1},
    ]
    for cls, keys in _models(pkg):
        for value in odd_values:
            for payload in (value, [value], {k: value for k in keys}, *({k: value} for k in keys)):
                for strict in (False, True):
                    check_decode(
                        pkg,
                        lambda p, s=strict, c=cls: c.from_dict(p, strict=s),
                        payload,
                        record=False,
                    )


# --- regressions: bugs the fuzzing found (fixed in ce06e89) --------------------------


def _constraints() -> ModuleType:
    return _import("case_constraints", CASES / "constraints" / "expected")


def problems(pkg: ModuleType, payload: Any) -> list[tuple[str, str]]:
    try:
        pkg.Limits.from_dict(payload)
    except pkg.ValidationError as err:
        return list(err.problems)
    return []


def test_multiple_of_with_an_integer_too_large_for_a_float() -> None:
    """multipleOf divided with `/`: OverflowError for 10**400."""
    pkg = _constraints()
    assert problems(pkg, {"even": 10**400 + 1}) == [("$.even", "must be a multiple of 2")]
    assert problems(pkg, {"even": 10**400}) == []


def test_unique_items_with_non_string_keys() -> None:
    """uniqueItems json.dumps(sort_keys=True)'d the raw items: TypeError."""
    pkg = _constraints()
    assert problems(pkg, {"distinct": [{1: "a", "b": 2}]}) == [
        ("$.distinct[0]", "expected integer, got object")
    ]


def test_unique_items_with_a_huge_integer() -> None:
    """uniqueItems json.dumps'd the raw items: ValueError for 5000 digits."""
    pkg = _constraints()
    assert problems(pkg, {"distinct": [HUGE_INT]}) == []
    assert problems(pkg, {"distinct": [HUGE_INT, HUGE_INT]}) == [
        ("$.distinct", "items must be unique")
    ]


def test_a_huge_integer_key() -> None:
    """`f'non-string key {k!r}'`: repr() raised ValueError for 5000 digits."""
    pkg = _constraints()
    assert problems(pkg, {HUGE_INT: 1}) == [("$", "non-string key <int>")]


def test_strict_unknown_huge_integer_enum_value() -> None:
    pkg = _import("case_enums", CASES / "enums" / "expected")
    with pytest.raises(pkg.ValidationError):
        pkg.Palette.from_dict({"level": HUGE_INT}, strict=True)


def test_strict_closed_model_with_a_huge_integer_key() -> None:
    pkg = _import("case_maps", CASES / "maps" / "expected")
    with pytest.raises(pkg.ValidationError):
        pkg.Closed.from_dict({HUGE_INT: 1}, strict=True)
