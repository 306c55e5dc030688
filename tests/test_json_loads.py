"""`from_json` / the runtime's `loads`: orjson parses when it is importable, the value (or
the ValidationError) is always the standard library's.

The reference is the runtime's standard library path (`_orjson_parse = False`: what a user
without orjson gets). Values are compared type-strictly by `repr` (1, 1.0 and True differ,
-0.0 and 0.0 differ, key order counts); failures by their problems. A spy on orjson
proves which texts really took the orjson path, so the equality is not won by falling
back every time.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.payloads import make_json, make_payloads
from tests.conftest import GENERATED, hypothesis_examples
from tests.test_json_text import EDGE_FLOATS, EDGE_INTS, JSON_VALUES

sys.path.insert(0, str(GENERATED.parent))
from runobject import RunObject  # noqa: E402
from runobject import _runtime as runtime  # noqa: E402

FUZZ = settings(max_examples=hypothesis_examples(400), derandomize=True, deadline=None)


def outcome(parse: Any, text: bytes | str) -> tuple[str, Any]:
    """('value', repr) or ('error', problems) of `loads` with `parse` as orjson.loads."""
    saved = runtime._orjson_parse
    runtime._orjson_parse = parse
    try:
        return "value", repr(runtime.loads(text))
    except runtime.ValidationError as exc:
        return "error", exc.problems
    finally:
        runtime._orjson_parse = saved


def reference(text: bytes | str) -> tuple[str, Any]:
    return outcome(False, text)


class Spy:
    """Stands in for orjson.loads: counts calls and texts it parsed without raising."""

    def __init__(self) -> None:
        self.calls = 0
        self.parsed = 0

    def __call__(self, text: bytes) -> Any:
        self.calls += 1
        value = orjson.loads(text)
        self.parsed += 1
        return value


def same(text: bytes) -> tuple[str, Any]:
    got = outcome(orjson.loads, text)
    assert got == reference(text), text[:200]
    try:  # the same text as str
        chars = text.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return got
    assert outcome(orjson.loads, chars) == reference(chars), chars[:200]
    return got


def test_corpus_from_json_is_orjson_and_the_standard_library_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = make_json(make_payloads())
    assert len(texts) == 240
    spy = Spy()
    monkeypatch.setattr(runtime, "_orjson_parse", spy)
    values = [runtime.loads(t) for t in texts]
    models = [RunObject.from_json(t) for t in texts]
    from_str = [RunObject.from_json(t.decode()) for t in texts]
    monkeypatch.setattr(runtime, "_orjson_parse", False)
    assert [repr(v) for v in values] == [repr(runtime.loads(t)) for t in texts]
    assert models == from_str == [RunObject.from_json(t) for t in texts]
    # every text (bytes and str) went through orjson: none needed the fallback
    assert spy.calls == spy.parsed == 720


@FUZZ
@given(JSON_VALUES, st.booleans(), st.sampled_from([None, 0, 2]))
def test_json_texts(value: Any, ascii_only: bool, indent: int | None) -> None:
    """Any JSON value as the standard library writes it (NaN and infinities as the
    constants `loads` rejects, big integers, lone surrogates as escapes or as encoded
    surrogates)."""
    text = json.dumps(value, ensure_ascii=ascii_only, indent=indent)
    same(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(JSON_VALUES, st.data())
def test_damaged_texts(value: Any, data: st.DataObject) -> None:
    """A JSON text with bytes replaced, inserted or deleted: orjson accepts nothing the
    standard library rejects, and reads what both accept alike."""
    raw = bytearray(json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw)))
        byte = data.draw(st.integers(0, 255) | st.sampled_from(list(b' \t\n\r",:[]{}.eE+-019\\')))
        edit = data.draw(st.sampled_from(["replace", "insert", "delete"]))
        if edit == "insert" or at == len(raw):
            raw.insert(at, byte)
        elif edit == "replace":
            raw[at] = byte
        else:
            del raw[at]
    same(bytes(raw))


def _number_texts(rng: random.Random) -> list[str]:
    out = []
    for _ in range(30_000):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 18)))
        point = rng.randint(0, len(digits))
        mantissa = digits[:point].lstrip("0") or "0"
        if point < len(digits):
            mantissa += "." + digits[point:]
        exponent = rng.choice(["", f"e{rng.randint(-330, 330)}", f"E+{rng.randint(0, 30)}"])
        out.append(rng.choice(["", "-"]) + mantissa + exponent)
    return out


def test_numbers_parse_to_the_same_value() -> None:
    """Numbers of up to 18 digits with any exponent (those orjson gets), the floats orjson
    and the standard library write differently, and integers around the 64-bit limits."""
    rng = random.Random(20250429)
    texts = _number_texts(rng) + [repr(f) for f in EDGE_FLOATS] + [str(i) for i in EDGE_INTS]
    texts += [repr(rng.uniform(-1e-3, 1e-3)) for _ in range(5_000)]
    texts += ["9" * 18, "-" + "9" * 18, "9" * 19, "1" + "0" * 19, "1e999", "-1e999", "1e-999"]
    spy = Spy()
    for chunk in range(0, len(texts), 500):
        text = ("[" + ",".join(texts[chunk : chunk + 500]) + "]").encode()
        same(text)
        single = texts[chunk].encode()
        assert outcome(spy, single) == reference(single), single
    assert spy.parsed > 0


@pytest.mark.parametrize(
    "text",
    [
        b"18446744073709551616",  # 2**64: orjson would read a float
        b"-9223372036854775809",  # -(2**63) - 1
        b'{"id": 1234567890123456789012345}',
        b"[1e999]",
        b"NaN",
        b"[-Infinity]",
        b'"\\ud800"',
        b'"\xed\xa0\x80"',  # an encoded lone surrogate
        b"\xef\xbb\xbf{}",  # UTF-8 BOM
        '{"a": "é"}'.encode("utf-16"),
        b'{"a": 1, "a": 2, "b": 3}',
        b"[1, 2",
        b"",
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_texts_orjson_reads_differently_or_refuses(text: bytes) -> None:
    same(text)


@pytest.mark.parametrize(
    ("text", "calls"),
    [
        (b'{"n": 18446744073709551616}', 0),  # 20 digits: never given to orjson
        (b'{"id": "1234567890123456789"}', 0),  # 19 digits in a string: the same
        ('{"a": "é"}', 1),  # str: encoded to UTF-8 for orjson
        ('"\\ud800"', 1),  # an escaped lone surrogate: orjson refuses, json reads it
        ('"\ud800"', 0),  # a lone surrogate in the str itself: not encodable
        (b'{"n": 123456789012345678}', 1),  # 18 digits
        (b"[1e999]", 1),  # orjson refuses, the standard library raises
    ],
)
def test_which_texts_orjson_gets(text: bytes | str, calls: int) -> None:
    spy = Spy()
    assert outcome(spy, text) == reference(text)
    assert spy.calls == calls


@pytest.mark.parametrize("parse", [False, orjson.loads], ids=["no-orjson", "orjson"])
def test_values_and_errors_unchanged(parse: Callable[[bytes], Any] | bool) -> None:
    assert outcome(parse, '{"a": [1, 2.5, "é"]}'.encode()) == ("value", "{'a': [1, 2.5, 'é']}")
    kind, problems = outcome(parse, b"[1e999]")
    assert kind == "error"
    assert problems == [("$", "invalid JSON: number 1e999 is out of range")]
