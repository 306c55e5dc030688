"""`<package>.decode(T, data)`, `decode_json(T, text)` and `encode(value)` for any type.

- Every alias and union of both whole OpenAI specs and of every committed case: hypothesis
  payloads (tests/strategies.py) decode, by the alias object and by its name, and encode
  back to exactly the input; strict decoding rejects exactly the unknown enum values and
  tags; a payload made invalid in one place raises one problem at that place, and two
  invalid payloads in a list raise one ValidationError listing both.
- Hand-checked: exact problem lists of nested combinations, `OPERATIONS` response types,
  the refusals (TypeError) where an object is ambiguous or unknown, encode's values, and
  the static types mypy --strict sees.
"""

from __future__ import annotations

import copy
import importlib
import json
import re
import subprocess
import sys
import typing
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Literal
from uuid import UUID

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable

from generator.config import Job
from generator.generate import generate, load_package
from generator.model import AliasDef, AnyJson, Package, UnionDef
from tests.casekit import case_dirs, import_expected, spec_of
from tests.conftest import GENERATED, ROOT, WHOLE_SPECS, WholeSpecs, hypothesis_examples
from tests.hostile_strings import deep, hostile_objects, hostile_values
from tests.readme import section
from tests.strategies import (
    Mutation,
    Sample,
    expected_problem,
    mutations,
    render_path,
    samples,
)
from tests.test_hostile_payloads import assert_plain_json, snapshot
from tests.test_roundtrip import first_difference, json_equal, strict_problem_paths

EXAMPLES = hypothesis_examples(3)
CASES = ROOT / "tests" / "cases"


def aliases(package: Package) -> list[str]:
    return [d.name for d in package.definitions if isinstance(d, (AliasDef, UnionDef))]


def decodable(pkg: Any, t: Any, name: str) -> Any:
    """`t` itself, or the definition's name where decode refuses the object as ambiguous
    (a shared object such as `str` or `JsonValue` whose definition checks more)."""
    try:
        pkg._TYPES.decoder(t, False)
    except TypeError as exc:
        assert name in str(exc) and "pass the definition's name" in str(exc), exc
        return name
    return t


def check_round_trip(pkg: Any, t: Any, name: str, sample: Sample) -> None:
    original = sample.value
    payload = copy.deepcopy(original)
    for target in (decodable(pkg, t, name), name):
        value = pkg.decode(target, payload)
        assert json_equal(payload, original), "decoding changed its input"
        encoded = pkg.encode(value)
        assert json_equal(encoded, original), first_difference(encoded, original)
    text = json.dumps(original)
    for data in (text, text.encode()):
        again = pkg.encode(pkg.decode_json(name, data))
        assert json_equal(again, original), first_difference(again, original)
    listed = pkg.encode(pkg.decode(list[name], [payload]))  # type: ignore[valid-type]
    assert json_equal(listed, [original])
    if any(isinstance(s.type, AnyJson) and s.type.check and s.ambiguous for s in sample.sites):
        return  # a strict check inside a variant the JSON type does not pick: not judged
    try:
        strict = pkg.decode(name, payload, strict=True)
    except pkg.ValidationError as exc:
        # At a union (a variant's path): a `oneOf` payload that fits several variants (no
        # tag, or one they share) is invalid in strict mode (JSON Schema: exactly one), and
        # the strategy does not know about the other variants; a union that tries several
        # variants reports their problems (an unknown enum value) at its own path.
        unions = {render_path(s.path) for s in sample.sites if s.variant}
        expected = strict_problem_paths(sample)
        reported = set()
        for path, message in exc.problems:
            inside = {e for e in expected if e == path or e[len(path) :][:1] in (".", "[")}
            if path in unions and re.fullmatch(r"matches \d+ variants, .+", message):
                continue
            if path in unions and message.startswith("matches no variant (") and inside:
                expected -= inside
                continue
            reported.add(path)
        assert reported == expected, exc.problems
    else:
        assert not sample.strict_rejects, f"strict decoding accepted {sample.unknown_paths}"
        assert json_equal(pkg.encode(strict), original)


def check_invalid(pkg: Any, name: str, first: Mutation, second: Mutation) -> None:
    """One invalid payload: one problem where it was changed. Two in a list: one error
    listing both, under `$[0]` and `$[1]`."""
    expected = []
    for i, mutation in enumerate((first, second)):
        path, pattern = expected_problem(mutation)
        with pytest.raises(pkg.ValidationError) as caught:
            pkg.decode(name, mutation.value, strict=True)
        problems = caught.value.problems
        what = (mutation.describe(), problems)
        assert len(problems) == 1, what
        where, message = problems[0]
        if message.startswith("matches no variant (") and not pattern.startswith("matches"):
            # A tag several variants share: the union tries them all and reports the
            # problem of each at its own path (the one above the change).
            assert path.startswith(where), what
            rest = path[len(where) :].lstrip(".")
            assert re.search(re.escape(f"{rest}: " if rest else "") + pattern, message), what
        else:
            assert where == path and re.fullmatch(pattern, message, re.DOTALL), what
        if not mutation.strict_only:
            try:
                kept = pkg.decode(name, mutation.value)
            except pkg.ValidationError:
                pass
            else:  # only where a union found another variant that keeps it leniently
                assert message.startswith("matches no variant ("), what
                assert json_equal(pkg.encode(kept), mutation.value), what
        expected.append(("$" + f"[{i}]" + where[1:], message))
    with pytest.raises(pkg.ValidationError) as caught:
        pkg.decode(list[name], [first.value, second.value], strict=True)  # type: ignore[valid-type]
    assert caught.value.problems == expected


def check_definition(pkg: Any, package: Package, name: str, examples: int) -> bool:
    """Round trips and invalid payloads of one definition; False when no payload of it
    can be made invalid in one place (it accepts any JSON value)."""
    t = getattr(pkg, name)
    fuzz = settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.filter_too_much],
    )

    @fuzz
    @given(sample=samples(package, name, unknown=True, max_depth=4))
    def round_trip(sample: Sample) -> None:
        check_round_trip(pkg, t, name, sample)

    @fuzz
    @given(
        first=mutations(package, name, max_depth=4), second=mutations(package, name, max_depth=4)
    )
    def invalid(first: Mutation, second: Mutation) -> None:
        check_invalid(pkg, name, first, second)

    round_trip()
    try:
        invalid()
    except Unsatisfiable:
        return False
    return True


# Definitions that tests.strategies.mutations cannot make invalid in one place (checked
# by reading each spec): any JSON value, or a typeless constraint that only strict mode
# checks (tests/test_jsts.py covers those).
NO_MUTATION: dict[str, set[str]] = {
    "2024-04-15": set(),
    "2025-04-29": {
        "CompoundFilterFiltersInner",  # ComparisonFilter or `$recursiveRef` (JsonValue)
        "CreateAssistantRequestToolResourcesFileSearch",  # oneOf of typeless `required`s
        "CreateThreadRequestToolResourcesFileSearch",  # (the same)
    },
    "cases": {"hostile_recursion.Json", "strict_checks.Small", "strict_checks.Named"}
    # checked JsonValues (schema resources, anchors, dynamic refs, unevaluated*)
    | {f"strict_resources.{n}" for n in ("Tree", "StrictTree", "Price", "ByUri", "Pet", "Pair")}
    # typeless schemas of a JSON Schema dialect: checked JsonValues
    | {
        f"strict_dialect.{n}"
        for n in ("Props", "Needs", "Ints", "SelfRef", "Applicators", "EvenThrees")
        + ("Dependent", "Uncle", "EitherObject")
    }
    | {"strict_unicode.ByLetter"},
}


# --- both whole OpenAI specs ---------------------------------------------------------


@pytest.mark.parametrize(("version", "count"), [("2024-04-15", 53), ("2025-04-29", 145)])
def test_every_alias_and_union_of_the_openai_specs(
    whole_specs: WholeSpecs, version: str, count: int
) -> None:
    pkg = importlib.import_module(WHOLE_SPECS[version])
    package = whole_specs.packages[version]
    names = aliases(package)
    assert len(names) == count
    always_valid = {n for n in names if not check_definition(pkg, package, n, EXAMPLES)}
    assert always_valid == NO_MUTATION[version]
    print(f"{version}: {count} aliases and unions round-trip, {EXAMPLES} examples each")


# --- every committed case --------------------------------------------------------------


def case_aliases() -> list[Any]:
    out = []
    for case in case_dirs():
        if (case / "expected").is_dir():
            for name in aliases(load_package(spec_of(case))):
                out.append(pytest.param(case, name, id=f"{case.name}-{name}"))
    return out


@pytest.mark.parametrize(("case", "name"), case_aliases())
def test_every_alias_and_union_of_the_cases(case: Path, name: str) -> None:
    pkg, package = import_expected(case), load_package(spec_of(case))
    can_be_invalid = check_definition(pkg, package, name, EXAMPLES * 3)
    assert can_be_invalid is (f"{case.name}.{name}" not in NO_MUTATION["cases"])


# --- hand-checked --------------------------------------------------------------------


@pytest.fixture(scope="module")
def runobject() -> Any:
    folder = str(GENERATED.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module("runobject")


def problems(pkg: Any, t: Any, data: Any, strict: bool = False) -> list[tuple[str, str]]:
    with pytest.raises(pkg.ValidationError) as caught:
        pkg.decode(t, data, strict=strict)
    result: list[tuple[str, str]] = caught.value.problems
    return result


def test_nested_combinations_report_every_problem_at_its_path(runobject: Any) -> None:
    r = runobject
    payload = {"a": [{"type": "function"}, 3, {"type": "code_interpreter"}], "b": 1, "c": []}
    assert problems(r, dict[str, list[r.RunObjectToolsInner]], payload) == [
        ("$.a[0]", "'function' is required"),
        ("$.a[1]", "expected object, got integer"),
        ("$.b", "expected array, got integer"),
    ]
    # A union alias inside a larger union is flattened; its members find its decoder.
    optional = r.RunObjectToolsInner | None
    assert r.decode(optional, None) is None
    assert problems(r, optional, {"type": "function", "function": {"name": 1}}) == [
        ("$.function.name", "expected string, got integer"),
    ]
    assert problems(r, optional, {"type": "new"}, strict=True) == [("$", "unknown type 'new'")]
    assert isinstance(r.decode(optional, {"type": "new"}), r.UnknownVariant)
    assert problems(r, optional, "x") == [("$", "expected object, got string")]
    # Members are told apart by JSON type first, then tried in order.
    assert r.decode(int | list[int], [1]) == [1]
    assert problems(r, int | list[int], 2.5) == [("$", "expected array or integer, got number")]
    assert problems(r, list[int] | list[str], [True]) == [
        (
            "$",
            "matches no variant (list[int]: [0]: expected integer, got boolean;"
            " list[str]: [0]: expected string, got boolean)",
        ),
    ]
    # JsonValue in a union is flattened too: its members find it again.
    assert r.decode(int | r.JsonValue, [1, {"a": None}]) == [1, {"a": None}]
    assert r.decode(int | r.JsonValue, 2) == 2 and r.decode(int | r.JsonValue, None) is None
    assert r.decode(tuple[int, Literal["x"]], [1, "x"]) == (1, "x")
    assert problems(r, tuple[int, Literal["x"]], [1, "y"]) == [("$[1]", "expected 'x'")]
    assert problems(r, typing.Optional[r.Metadata], {"k": 1}) == [  # noqa: UP045
        ("$.k", "expected string, got integer"),
    ]


def test_aliases_enums_and_names_decode_as_from_dict_does(runobject: Any) -> None:
    r = runobject
    assert r.decode(r.Metadata, None) is None  # Metadata is nullable (the annotation is not)
    assert r.decode("Metadata", {"k": "v"}) == {"k": "v"}
    assert r.decode(r.ParallelToolCalls, True) is True  # the class bool: decoded as bool
    assert problems(r, r.ParallelToolCalls, 1) == [("$", "expected boolean, got integer")]
    choice = r.decode(r.AssistantsApiToolChoiceOption, "auto")
    assert choice is r.AssistantsApiToolChoiceOptionOneOf.AUTO
    unknown = r.decode(r.RunObjectStatus, "paused")  # an open enum keeps a new value
    assert unknown.value == "paused" and r.encode(unknown) == "paused"
    assert problems(r, r.RunObjectStatus, "paused", strict=True) == [
        (
            "$",
            "'paused' is not one of 'queued', 'in_progress', 'requires_action', 'cancelling',"
            " 'cancelled', 'failed', 'completed', 'incomplete', 'expired'",
        ),
    ]
    run = {"type": "auto", "last_messages": None}
    assert r.decode(r.TruncationObject, run) == r.TruncationObject.from_dict(run)
    assert r.decode("TruncationObject", run) == r.TruncationObject.from_dict(run)
    assert r.decode_json(r.Metadata, b'{"k":"v"}') == {"k": "v"}
    with pytest.raises(r.ValidationError) as caught:
        r.decode_json(r.Metadata, "{")
    assert caught.value.problems[0][0] == "$"


def test_types_it_cannot_decode_are_a_type_error_naming_them(runobject: Any) -> None:
    r = runobject
    cases = [
        ("Nope", "'Nope' is not a type defined in runobject.models"),
        ("Any", "'Any' is not a type defined in runobject.models"),  # imported, not defined
        (set[int], "cannot decode set[int]: not a type of runobject.models"),
        (dict[int, str], "cannot decode dict[int, str]: not a type of runobject.models"),
        (r.UnknownVariant, "cannot decode UnknownVariant: not a type of runobject.models"),
        (r.UnknownVariant | None, "UnknownVariant is decoded only as part of a generated union"),
        ([int], "cannot decode [<class 'int'>]: it is not a type"),
    ]
    for t, message in cases:
        with pytest.raises(TypeError) as caught:
            r.decode(t, {})
        assert str(caught.value).startswith(message), caught.value


def test_operation_response_types_decode() -> None:
    pkg: Any = import_expected(CASES / "operations_all")
    ok = pkg.OPERATIONS["GetUsers"].responses["200"]
    users = pkg.decode(ok, [{"id": "1"}, {"id": "2", "extra": True}])
    assert users == [
        pkg.GetUsersResponse200Inner(id="1"),
        pkg.GetUsersResponse200Inner(id="2", additional_properties={"extra": True}),
    ]
    assert pkg.encode(users) == [{"id": "1"}, {"id": "2", "extra": True}]
    assert problems(pkg, ok, [{}, {"id": 2}, 3]) == [
        ("$[0]", "'id' is required"),
        ("$[1].id", "expected string, got integer"),
        ("$[2]", "expected object, got integer"),
    ]
    error = pkg.decode(pkg.OPERATIONS["GetUsers"].responses["default"], {"message": "no"})
    assert error == pkg.Error(message="no")
    only: Any = import_expected(CASES / "operations_only")
    assert only.decode(only.OPERATIONS["replacePet"].responses["default"], [1, {}]) == [1, {}]


AMBIGUOUS = b"""
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Name: {type: string, maxLength: 3}
    Flag: {type: boolean}
    Checked: {maximum: 3}
    Names: {type: array, items: {$ref: '#/components/schemas/Name'}}
    Pet:
      type: object
      properties:
        name: {$ref: '#/components/schemas/Name'}
"""


@pytest.fixture(scope="module")
def ambiguous(tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("ambiguous")
    (out / "spec.yaml").write_bytes(AMBIGUOUS)
    generate(Job(name="a", spec=out / "spec.yaml", out=out, package="decode_ambiguous"))
    sys.path.insert(0, str(out))
    try:
        return importlib.import_module("decode_ambiguous")
    finally:
        sys.path.remove(str(out))


def test_a_shared_object_never_drops_a_check(ambiguous: Any) -> None:
    a = ambiguous
    assert a.Name is str and a.Flag is bool and a.Checked is a.JsonValue
    for t in (a.Name, str, list[a.Name], a.Name | None):
        with pytest.raises(TypeError) as caught:
            a.decode(t, "abcd")
        assert str(caught.value) == (
            "str is also Name, which check more than that type says: pass the definition's"
            " name, e.g. decode('Name', data)"
        )
    assert problems(a, "Name", "abcd") == [("$", "must be at most 3 characters")]
    assert problems(a, list["Name"], ["ab", "abcd"]) == [  # noqa: F821
        ("$[1]", "must be at most 3 characters"),
    ]
    assert problems(a, a.Names, ["abcd"]) == [("$[0]", "must be at most 3 characters")]
    assert a.decode(a.Flag, False) is False  # bool is Flag too, which checks nothing more
    # JsonValue is Checked too, which checks more in strict mode only.
    assert a.decode(a.Checked, 5) == 5
    assert a.decode(dict[str, a.JsonValue], {"k": 5}) == {"k": 5}
    with pytest.raises(TypeError, match="JsonValue is also Checked"):
        a.decode(a.JsonValue, 5, strict=True)
    assert problems(a, "Checked", 5, strict=True) == [("$", "must be <= 3")]


def combinations(r: Any) -> list[Any]:
    tool = r.RunObjectToolsInner
    return [
        r.Metadata,
        r.AssistantsApiResponseFormatOption,
        "AssistantsApiToolChoiceOption",
        list[tool] | None,
        dict[str, list[tool | r.RunObjectStatus]],
        tuple[int, float, Literal["x", 1]] | r.JsonValue,
        list[r.TruncationObject] | bool | str,
    ]


@settings(
    max_examples=hypothesis_examples(200),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data())
def test_hostile_payloads_raise_only_validation_error(runobject: Any, data: st.DataObject) -> None:
    r = runobject
    t = data.draw(st.sampled_from(combinations(r)), label="type")
    keys = ["type", "function", "name", "last_messages", "k"]
    payload = data.draw(st.one_of(hostile_objects(keys), hostile_values(keys)), label="payload")
    strict = data.draw(st.booleans(), label="strict")
    before = snapshot(payload)
    try:
        value = r.decode(t, payload, strict=strict)
    except r.ValidationError as err:
        assert err.problems and all(path.startswith("$") for path, _ in err.problems)
    else:
        assert_plain_json(r.encode(value))
    assert snapshot(payload) == before, "decoding mutated its input"


def test_deep_nesting_is_a_validation_error(runobject: Any) -> None:
    r = runobject
    for t in (list[r.JsonValue], r.JsonValue | list[int], dict[str, r.Metadata]):
        for kind in ("list", "dict"):
            with pytest.raises(r.ValidationError):
                r.decode(t, deep(10_000, kind=kind))


def test_encode(runobject: Any) -> None:
    r = runobject
    tool = r.RunObjectToolsInner
    value = r.decode(dict[str, list[tool]], {"a": [{"type": "code_interpreter"}, {"type": "x"}]})
    assert r.encode(value) == {"a": [{"type": "code_interpreter"}, {"type": "x"}]}
    assert r.encode((1, r.RunObjectStatus.QUEUED, None)) == [1, "queued", None]
    moment = datetime(2024, 4, 15, 10, 20, 30, tzinfo=timezone.utc)
    assert r.encode([moment, date(2024, 4, 15)]) == ["2024-04-15T10:20:30Z", "2024-04-15"]
    uid = UUID("12345678-1234-5678-1234-567812345678")
    assert r.encode({"u": uid, "b": b"\x00\xff"}) == {"u": str(uid), "b": "AP8="}
    for bad, message in [
        (r.UNSET, "cannot encode UNSET"),
        ({1: 2}, "cannot encode a dict with the key 1"),
        (object(), "cannot encode object"),
    ]:
        with pytest.raises(TypeError, match=message):
            r.encode(bad)


def test_encode_writes_formats_as_to_dict_does() -> None:
    formats: Any = import_expected(CASES / "formats")
    stamp = {"at": "2024-04-15T10:20:30Z", "day": "2024-04-15"}
    value = formats.decode(formats.Stamp, stamp)
    assert formats.encode(value) == value.to_dict() == stamp
    assert formats.encode(value.at) == "2024-04-15T10:20:30Z"


def test_readme_example_runs_as_written(runobject: Any) -> None:
    text = section("Decoding any type: `decode`, `decode_json`, `encode`")
    blocks = [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```$", text, re.M | re.S)]
    assert len(blocks) == 1 and "import runobject as r" in blocks[0]
    scope: dict[str, Any] = {}
    exec(blocks[0], scope)
    assert scope["meta"] == {"user": "42"}


# --- static types ----------------------------------------------------------------------

TYPED_USE = """\
from typing import Any, assert_type

from runobject import JsonValue, Metadata, RunObject, RunObjectToolsInner, decode, encode
from runobject import decode_json

run = decode(RunObject, {})
assert_type(run, RunObject)
assert_type(decode_json(RunObject, "{}"), RunObject)
assert_type(decode(Metadata, {}), dict[str, str])
assert_type(decode(RunObjectToolsInner, {}), Any)
assert_type(decode("RunObject", {}), Any)
assert_type(encode(run), JsonValue)
wrong: int = decode(RunObject, {})
"""


def test_mypy_sees_the_decoded_type(tmp_path: Path) -> None:
    use = tmp_path / "use.py"
    use.write_text(TYPED_USE)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(use)],
        cwd=tmp_path,
        env={"MYPYPATH": str(GENERATED.parent), "PATH": ""},
        capture_output=True,
        text=True,
    )
    lines = [line for line in proc.stdout.splitlines() if ": error:" in line]
    assert [line.split(":", 2)[1:] for line in lines] == [
        [
            "13",
            ' error: Incompatible types in assignment (expression has type "RunObject",'
            ' variable has type "int")  [assignment]',
        ]
    ], proc.stdout
