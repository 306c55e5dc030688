"""Decode -> encode round trips of the generated RunObject packages.

- The spec's own `x-oaiMeta.example` of RunObject (2025 spec and 2024 fragment) is invalid
  per its schema; the decoder must say exactly why, and the minimally corrected example
  must round-trip exactly.
- Hypothesis payloads derived from the intermediate model (tests/strategies.py) decode
  leniently and encode back to exactly the input, unknown keys, enum values and
  discriminator tags included; strict decoding rejects exactly the payloads with unknown
  enum values or tags, at exactly those paths.

The 2025 package under test is the committed `generated/runobject`; the 2024 one is
generated from spec/runobject-2024-04-15.yaml into a temporary folder.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import math
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Job
from generator.generate import generate, load_package
from generator.model import ModelDef, Package
from tests.casekit import case_dirs, import_expected, spec_of
from tests.conftest import GENERATED, SPEC_2024, SPEC_2025, hypothesis_examples
from tests.strategies import Sample, render_path, samples

EXAMPLES = hypothesis_examples(200)
# Derandomized: the same examples on every machine. The slow-generation health check is
# off because it measures the (shared, loaded) machine, not the code under test.
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# The two problems of the spec's own example (both spec versions have them).
EXAMPLE_PROBLEMS = [
    ("$", "'required_action' is required"),
    ("$.instructions", "expected string, got null"),
]


# --- helpers -------------------------------------------------------------------------


def json_equal(a: Any, b: Any) -> bool:
    """JSON equality that is strict about types: 1, 1.0 and True all differ.

    Also tells -0.0 from 0.0, and a `str` subclass (an enum member leaking out of
    `to_dict`) from a plain `str`. Key order is not compared (JSON objects are unordered).
    """
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1.0, a) == math.copysign(1.0, b)
    return bool(a == b)


def first_difference(a: Any, b: Any, path: str = "$") -> str | None:
    """Where `a` and `b` first differ, for assertion messages."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} {a!r} != {type(b).__name__} {b!r}"
    if isinstance(a, dict):
        if a.keys() != b.keys():
            return f"{path}: keys {sorted(a.keys() ^ b.keys())} on one side only"
        for k in a:
            found = first_difference(a[k], b[k], f"{path}.{k}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if json_equal(a, b) else f"{path}: {a!r} != {b!r}"


def import_package(folder: Path, name: str) -> ModuleType:
    """Import the generated package in `folder` under the module name `name`."""
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def spec_example(spec_path: Path) -> dict[str, Any]:
    """RunObject's `x-oaiMeta.example`, parsed (it is JSON text inside the YAML)."""
    spec = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    text = spec["components"]["schemas"]["RunObject"]["x-oaiMeta"]["example"]
    data: dict[str, Any] = json.loads(text)
    return data


def mess_up(value: Any) -> None:
    """Change every container inside `value` in place (to detect shared structure)."""
    if isinstance(value, dict):
        for v in value.values():
            mess_up(v)
        value["__changed__"] = True
    elif isinstance(value, list):
        for v in value:
            mess_up(v)
        value.append("__changed__")


# --- fixtures ------------------------------------------------------------------------


class Version:
    def __init__(self, name: str, module: Any, package: Package, spec: Path) -> None:
        self.name = name
        self.module = module
        self.package = package
        self.spec = spec


@pytest.fixture(scope="session")
def v2025() -> Version:
    """The committed generated/runobject, imported with generated/ on sys.path."""
    folder = str(GENERATED.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module = importlib.import_module("runobject")
    assert Path(module.__file__ or "").resolve().parent == GENERATED.resolve()
    return Version("2025", module, load_package(SPEC_2025), SPEC_2025)


@pytest.fixture(scope="session")
def v2024(tmp_path_factory: pytest.TempPathFactory) -> Version:
    out = tmp_path_factory.mktemp("roundtrip-v1")
    result = generate(Job(name="v1", spec=SPEC_2024, out=out, package="runobject_v1"))
    module = import_package(out / "runobject_v1", "roundtrip_runobject_v1")
    return Version("2024", module, result.package, SPEC_2024)


@pytest.fixture(scope="session", params=["2025", "2024"])
def version(request: pytest.FixtureRequest) -> Version:
    v: Version = request.getfixturevalue("v" + request.param)
    return v


# --- json_equal itself ---------------------------------------------------------------


def test_json_equal_is_type_strict() -> None:
    assert json_equal({"a": [1, 1.5, True, None, "x"]}, {"a": [1, 1.5, True, None, "x"]})
    assert not json_equal(1, 1.0)
    assert not json_equal(1, True)
    assert not json_equal(1.0, True)
    assert not json_equal(0, False)
    assert not json_equal(0.0, -0.0)
    assert not json_equal({"a": 1}, {"a": 1, "b": None})
    assert not json_equal([1, 2], [2, 1])
    assert not json_equal(None, {})

    class Sub(str):
        pass

    assert not json_equal(Sub("x"), "x")


# --- (a) the spec's own example ------------------------------------------------------


def test_spec_example_is_invalid_exactly_as_expected(version: Version) -> None:
    """The example omits required `required_action` and has `instructions: null`."""
    RunObject = version.module.RunObject
    example = spec_example(version.spec)
    before = copy.deepcopy(example)
    for strict in (False, True):
        with pytest.raises(version.module.ValidationError) as caught:
            RunObject.from_dict(example, strict=strict)
        assert sorted(caught.value.problems) == sorted(EXAMPLE_PROBLEMS)
        assert isinstance(caught.value, ValueError)
        with pytest.raises(version.module.ValidationError) as caught:
            RunObject.from_json(json.dumps(example), strict=strict)
        assert sorted(caught.value.problems) == sorted(EXAMPLE_PROBLEMS)
    assert json_equal(example, before), "decoding changed its input"


def test_spec_example_corrected_round_trips(version: Version) -> None:
    RunObject = version.module.RunObject
    example = spec_example(version.spec)
    example["required_action"] = None
    example["instructions"] = "You are a helpful assistant."
    before = copy.deepcopy(example)
    run = RunObject.from_dict(example, strict=True)
    assert json_equal(example, before), "decoding changed its input"
    assert run.required_action is None
    assert run.instructions == "You are a helpful assistant."
    assert json_equal(run.to_dict(), example), first_difference(run.to_dict(), example)
    assert json_equal(json.loads(run.to_json()), example)
    again = RunObject.from_json(run.to_json(), strict=True)
    assert json_equal(again.to_dict(), example)
    assert again == run
    raw = json.dumps(example).encode("utf-8")
    assert json_equal(RunObject.from_json(raw, strict=True).to_dict(), example)


def test_spec_example_keeps_number_spelling(version: Version) -> None:
    """`temperature: 1` (2024) stays an integer and `1.0` (2025) stays a float."""
    example = spec_example(version.spec)
    example["required_action"] = None
    example["instructions"] = ""
    encoded = version.module.RunObject.from_dict(example).to_dict()
    assert type(encoded["temperature"]) is type(example["temperature"])
    expected = {"2024": int, "2025": float}[version.name]
    assert type(encoded["temperature"]) is expected


# --- (b) hypothesis payloads ---------------------------------------------------------


def strict_problem_paths(sample: Sample) -> set[str]:
    """Where strict decoding reports the sample's unknowns: an unknown enum value or tag at
    its own path, an unknown property of a closed model at the model's path."""
    out = set()
    for kind, path in sample.unknown_paths:
        if kind in ("enum", "tag", "check"):
            out.add(render_path(path))
        elif kind == "closed_key":
            out.add(render_path(path[:-1]))
    return out


def check_round_trip(version: Version, sample: Sample) -> None:
    RunObject = version.module.RunObject
    ValidationError = version.module.ValidationError
    original = sample.value  # left alone: hypothesis reports it on failure
    payload = copy.deepcopy(original)

    run = RunObject.from_dict(payload)  # lenient
    assert json_equal(payload, original), "decoding changed its input"
    encoded = run.to_dict()
    assert json_equal(encoded, original), first_difference(encoded, original)

    text = run.to_json()
    assert json_equal(json.loads(text), original), "to_json differs from to_dict"
    for data in (text, text.encode("utf-8")):
        again = RunObject.from_json(data)
        assert json_equal(again.to_dict(), original), first_difference(again.to_dict(), original)

    # The decoded object shares nothing with its input: changing the input afterwards
    # does not change what it encodes to...
    mess_up(payload)
    assert json_equal(run.to_dict(), original), "the decoded object shares data with its input"
    # ...and each to_dict() builds new containers for what the schema describes (free-form
    # JSON values are shared by design: see test_generated_api).
    assert run.to_dict() is not run.to_dict()

    payload = copy.deepcopy(original)
    try:
        strict = RunObject.from_dict(payload, strict=True)
    except ValidationError as exc:
        assert sample.strict_rejects, f"strict decoding rejected a valid payload: {exc}"
        # Every unknown enum value and tag is reported, at its path, and nothing else.
        reported = {path for path, _ in exc.problems}
        assert reported == strict_problem_paths(sample), exc.problems
    else:
        assert not sample.strict_rejects, f"strict decoding accepted {sample.unknown_paths}"
        assert json_equal(strict.to_dict(), original)
    assert json_equal(payload, original), "strict decoding changed its input"


@FUZZ
@given(data=st.data())
def test_payloads_round_trip(version: Version, data: st.DataObject) -> None:
    sample = data.draw(samples(version.package, "RunObject", unknown=True), label="payload")
    check_round_trip(version, sample)


def features(sample: Sample) -> set[str]:
    value = sample.value
    out = {f"unknown {kind}" for kind, _ in sample.unknown_paths}
    out |= {f"null {k}" for k, v in value.items() if v is None}
    out |= {f"absent {k}" for k in ("temperature", "top_p") if k not in value}
    out |= {f"present {k}" for k in ("temperature", "top_p") if k in value}
    out |= {f"int {k}" for k in ("temperature", "top_p") if type(value.get(k)) is int}
    out |= {f"float {k}" for k in ("temperature", "top_p") if type(value.get(k)) is float}
    out |= {f"tool {t.get('type')}" for t in value["tools"] if isinstance(t.get("type"), str)}
    out |= {"several tools"} if len(value["tools"]) > 1 else set()
    out |= {"strict accepts"} if not sample.strict_rejects else {"strict rejects"}
    if isinstance(value["response_format"], dict):
        out.add(f"response_format {value['response_format'].get('type')}")
    out.add(f"tool_choice {type(value['tool_choice']).__name__}")
    action = value["required_action"]
    if isinstance(action, dict) and action["submit_tool_outputs"]["tool_calls"]:
        out.add("tool calls")
    return out


def test_strategy_covers_what_the_round_trip_claims(v2025: Version) -> None:
    """The payloads above really contain unknowns, nulls, absent optionals, every variant."""
    seen: set[str] = set()

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None)
    @given(samples(v2025.package, "RunObject"))
    def collect(sample: Sample) -> None:
        seen.update(features(sample))

    collect()
    wanted = {
        "unknown enum",
        "unknown tag",
        "unknown key",
        "strict accepts",
        "strict rejects",
        "null truncation_strategy",
        "null tool_choice",
        "null usage",
        "null metadata",
        "null response_format",
        "absent temperature",
        "present temperature",
        "int temperature",
        "float temperature",
        "tool code_interpreter",
        "tool file_search",
        "tool function",
        "several tools",
        "response_format text",
        "response_format json_object",
        "response_format json_schema",
        "tool_choice str",
        "tool_choice dict",
        "tool calls",
    }
    assert wanted <= seen, sorted(wanted - seen)


# --- the same strategies over every end-to-end case package --------------------------
# The strategies are generic: they must produce valid payloads for the recursive, map,
# union, composition, constraint and format cases too, and those packages must
# round-trip them exactly (tests/cases/<case>/expected, committed).


def case_models() -> list[Any]:
    out = []
    for case in case_dirs():
        if not (case / "expected").is_dir():
            continue
        for d in load_package(spec_of(case)).definitions:
            if isinstance(d, ModelDef):
                out.append(pytest.param(case, d.name, id=f"{case.name}-{d.name}"))
    return out


@pytest.mark.parametrize(("case", "model"), case_models())
def test_case_packages_round_trip(case: Path, model: str) -> None:
    package = load_package(spec_of(case))
    module = import_expected(case)
    version = Version(case.name, _Single(module, model), package, spec_of(case))

    @settings(max_examples=hypothesis_examples(30), derandomize=True, deadline=None)
    @given(samples(package, model))
    def round_trip(sample: Sample) -> None:
        check_round_trip(version, sample)

    round_trip()


class _Single:
    """A generated module seen through `check_round_trip`'s eyes: `model` as RunObject."""

    def __init__(self, module: Any, model: str) -> None:
        self.RunObject = getattr(module, model)
        self.ValidationError = module.ValidationError


# --- `formats = "python"` follows RFC 3339, not the laxer `fromisoformat` ---------------
# (found by this suite: the runtime once accepted all of these, some only on 3.11+)
NOT_RFC3339 = [
    pytest.param("at", "2024-04-15", id="date-time without a time"),
    pytest.param("at", "2024-04-15T10:20:30", id="date-time without an offset"),
    pytest.param("at", "20240415T102030Z", id="date-time in ISO 8601 basic format"),
    pytest.param("at", "2024-04-15T10:20:30.1234567Z", id="more precision than microseconds"),
    pytest.param("day", "20240415", id="date in ISO 8601 basic format"),
    pytest.param("day", "2024-W15-1", id="ISO week date"),
    pytest.param("day", "2024-02-30", id="no such day"),
]


@pytest.mark.parametrize(("prop", "text"), NOT_RFC3339)
def test_formats_python_rejects_what_rfc3339_does_not_allow(prop: str, text: str) -> None:
    formats: Any = import_expected(next(c for c in case_dirs() if c.name == "formats"))
    payload = {"at": "2024-04-15T10:20:30Z", prop: text}
    with pytest.raises(formats.ValidationError) as caught:
        formats.Stamp.from_dict(payload, strict=True)
    assert [path for path, _ in caught.value.problems] == [f"$.{prop}"]
