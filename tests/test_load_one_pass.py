"""The one-pass YAML reader (`_construct_from_events`) gives what the full path gives.

A spec is read in one pass over the parser's events when it can be; anything unusual
(tags, duplicate keys, bad aliases, bounds, several documents) goes to the full path
(`_check_events`, then compose and construct), which gives the verdict and the message.
So the one-pass reader must either agree with the full path exactly, data (types
included), mapping positions and shared alias objects, or step aside. These tests
compare the two on every spec in the repository and ../shared, on hypothesis documents
with anchors and aliases in every style, and check that it steps aside where the full
path refuses or may disagree.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.spec import load
from tests.conftest import hypothesis_examples, needs_shared

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "specs"
CASES = ROOT / "tests" / "cases"


def full_path(text: str) -> tuple[Any, dict[int, tuple[int, int]]]:
    return load._compose(load._Loader, text, "x.yaml")


def assert_same(
    a: Any, b: Any, pa: dict[int, tuple[int, int]], pb: dict[int, tuple[int, int]], at: str
) -> None:
    """Type-strict equality (1, 1.0 and True differ), mapping positions included."""
    assert type(a) is type(b), (at, a, b)
    if isinstance(a, dict):
        assert list(a) == list(b), at
        assert pa.get(id(a)) == pb.get(id(b)), (at, pa.get(id(a)), pb.get(id(b)))
        for key in a:
            assert_same(a[key], b[key], pa, pb, f"{at}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), at
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, pa, pb, f"{at}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), at
    else:
        assert repr(a) == repr(b), (at, a, b)


def identities(value: Any, seen: dict[int, int]) -> list[int]:
    """The object graph's sharing: the index of the first visit of every collection."""
    out: list[int] = []
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, (dict, list)):
            out.append(seen.setdefault(id(v), len(seen)))
            stack.extend(v.values() if isinstance(v, dict) else v)
    return out


def check(text: str) -> bool:
    """True when the one-pass reader took the document (and agreed); False when it
    stepped aside."""
    try:
        fast = load._construct_from_events(text)
    except (load._Unusual, yaml.YAMLError):
        return False
    data, positions = full_path(text)  # raises if the one-pass reader took a bad document
    assert_same(data, fast[0], positions, fast[1], "$")
    assert len(positions) == len(fast[1])
    assert identities(data, {}) == identities(fast[0], {})
    return True


def own_spec_files() -> list[Path]:
    return [*sorted((ROOT / "spec").glob("*.yaml")), *sorted(CASES.glob("*/spec.yaml"))]


def shared_spec_files() -> list[Path]:
    return [*sorted(SHARED.glob("*.yaml")), *sorted((SHARED / "influxdata").rglob("*.yml"))]


def read_all(paths: list[Path]) -> int:
    """How many of `paths` the one-pass reader took (each agreeing with the full path)."""
    taken = 0
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            continue  # refused before YAML is read
        taken += check(text)
    return taken


def test_every_spec_of_the_repository_reads_the_same_in_one_pass() -> None:
    # 41 of the 52: the hostile cases (tags, duplicate keys, bombs, ...) step aside.
    assert read_all(own_spec_files()) > 35


@needs_shared
def test_every_shared_spec_reads_the_same_in_one_pass() -> None:
    # The two OpenAI specs and influxdata's ~800 files: all but one take the fast path.
    assert read_all(shared_spec_files()) > 700


@needs_shared
def test_the_openai_spec_is_read_in_one_pass() -> None:
    """The 477-schema spec (one anchor, two aliases) takes the one-pass reader."""
    assert check((SHARED / "openai-2025-04-29.yaml").read_text(encoding="utf-8"))


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["yes", "no", "on", "~", "null", "0x1F", "0o17", "09", "1_000", "1:30"]),
    st.sampled_from(["", "-", "-.5", ".inf", "<<", "a: b", "# c", "&a", "*a", "'", '"']),
    st.text(max_size=8),
)


@st.composite
def shared_documents(draw: st.DrawFn) -> str:
    """A document in which collections repeat (yaml.dump writes anchors and aliases)."""
    pool: list[Any] = []

    def value(depth: int) -> Any:
        kind = draw(st.integers(0, 9 if depth < 4 else 3))
        if kind <= 3:
            return draw(SCALARS)
        if kind <= 5 and pool:
            return draw(st.sampled_from(pool))
        if kind <= 7:
            made: Any = [value(depth + 1) for _ in range(draw(st.integers(0, 3)))]
        else:
            keys = draw(st.lists(st.text(max_size=4), max_size=3, unique=True))
            made = {k: value(depth + 1) for k in keys}
        pool.append(made)
        return made

    root = {"root": value(0), "again": value(0)}
    style = draw(st.sampled_from([None, True, False]))
    return yaml.dump(root, default_flow_style=style, sort_keys=False, allow_unicode=True)


@settings(
    max_examples=hypothesis_examples(300),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(shared_documents())
def test_hypothesis_documents_read_the_same(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x [1, {b: 2}]\nb: *x\nc: [*x, *x]\n",
        "a: &x 1\nb: [*x, *x]\n",
        "a: -.inf\nb: .NaN\nc: +5\nd: 0o17\ne: 0x1F\nf: 1e3\ng: -0.0\nh: 09\n",
        "a:\nb: ~\nc: null\nd: Null\ne: ''\nf: 'yes'\ng: \"true\"\nh: True\n",
        "1: a\n2.5: b\nnull: c\ntrue: d\n~: e\n<<: f\n",
        "{a, b: , c: d}\n",
        "? a\n: 1\n",
        "- a\n- b: c\n  d: [e]\n",
        "a: |\n  x\n  y\nb: >-\n  z\n",
        "%YAML 1.2\n---\na: 1\n...\n",
        "just a string\n",
    ],
)
def test_one_pass_takes_plain_documents(text: str) -> None:
    assert check(text)


# 10^7 nodes through aliases (the bound is 5M), in a few hundred characters
ALIAS_BOMB = "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n" for p, c in zip("abcdef", "bcdefg", strict=True)
)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",
        "a: ! 1\n",
        "a: !custom 1\n",
        "!!map {a: 1}\n",
        "a: 1\na: 2\n",
        "? [a]\n: 1\n",
        "*x : 1\n",
        "&k a: 1\nb: *k\n",
        "a: &x\n  b: *x\n",  # recursive
        "a: *y\n",  # unknown
        "a: &x 1\nb: &x 2\n",  # duplicate anchor
        "a: 1\n---\nb: 2\n",
        "# only a comment\n",
        "a: " + "1" * 5000 + "\n",
        "a: [1, 2\n",
        "a: " + "[" * 201 + "]" * 201 + "\n",
        ALIAS_BOMB,
    ],
)
def test_one_pass_steps_aside_for_the_unusual(text: str) -> None:
    assert not check(text)


def test_depth_through_aliases_is_left_to_the_full_path() -> None:
    """Each anchored level is under the depth bound; repeated through aliases, over it."""
    level = "[" * 150 + "]" * 150
    text = f"a: &a {level}\nb: &b [{'[' * 100}*a{']' * 100}]\n"
    assert not check(text)
    with pytest.raises(load.SchemaFirstError, match="nesting deeper than 200 levels"):
        load.load_bytes(text.encode(), "x.yaml")
