"""Differential test: our strict decoder against a pydantic v2 oracle.

The oracle is what datamodel-code-generator (dmcg) makes of spec/runobject.yaml
(`--input-file-type openapi --output-model-type pydantic_v2.BaseModel
--disable-timestamp --strict-nullable`). Both sides must agree on accept/reject for:

- valid payloads from tests/strategies.py (no unknown values: the oracle has closed enums);
- the same payloads made invalid in one place (a wrong JSON type, a null where none is
  allowed, a missing required property, a violated minimum/maximum/maxItems, an unknown
  enum value or discriminator tag, a wrong constant).

The oracle validates JSON text in pydantic's strict mode: no "1" -> 1 or 1.0 -> 1 or
true -> 1 coercions, which is the JSON typing our decoder implements. Keywords compared:
type, required, nullable, enum, minimum/maximum, maxItems, oneOf (tag or JSON type);
unknown properties are accepted by both (no schema here forbids them).

Where the oracle is known to be wrong, the cases are excluded by name (below), and
separate tests show each exclusion is still needed: when dmcg is fixed, they fail and the
exclusion should be removed.

Why `--strict-nullable`: without it dmcg ignores `nullable: true` on every *required*
property, so the oracle would reject null at all 15 required nullable RunObject properties
(required_action,
expires_at, usage, metadata, response_format, ...). With it, `nullable` beside a `$ref`
(response_format) and on a referenced component (usage -> RunCompletionUsage,
metadata -> Metadata) is honoured; only `nullable` inside `allOf` is still lost.
`test_without_strict_nullable_the_oracle_loses_every_required_null` documents this.
"""

from __future__ import annotations

import copy
import importlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import datamodel_code_generator as dmcg
import pydantic
import pytest
import yaml
from datamodel_code_generator.enums import DataModelType, InputFileType
from datamodel_code_generator.format import Formatter
from hypothesis import given, settings

from generator.generate import load_package
from generator.model import ModelDef, Package
from tests.conftest import GENERATED, SPEC_2025, hypothesis_examples
from tests.strategies import (
    ModelInfo,
    Mutation,
    Sample,
    expected_problem,
    mutations,
    render_path,
    samples,
    set_at,
)

ROOT = "RunObject"

# The oracle rejects a valid null here: dmcg 0.89 drops a `nullable: true` that is an
# `allOf` member beside the `$ref` (the shape the 2025 spec uses for these two), so the
# pydantic field is `TruncationObject` / `ToolChoice` instead of `... | None`.
ORACLE_REJECTS_VALID_NULL: dict[tuple[str, str], str] = {
    ("RunObject", "truncation_strategy"): (
        "allOf: [{$ref: TruncationObject}, {nullable: true}]: dmcg ignores nullable inside allOf"
    ),
    ("RunObject", "tool_choice"): (
        "allOf: [{$ref: AssistantsApiToolChoiceOption}, {nullable: true}]:"
        " dmcg ignores nullable inside allOf"
    ),
}
NEVER_NULL = frozenset(ORACLE_REJECTS_VALID_NULL)

# The oracle accepts an invalid null at every *optional* property that is not nullable:
# dmcg types an optional property as `X | None = None`, conflating "absent" with "null".
# Mutations that put null there are excluded from the comparison (our decoder must still
# reject them). Each entry: where, and a RunObject property + value that puts null there
# (used by test_oracle_accepts_null_for_optional_properties to show it is still needed).
OPTIONAL_NULL_REASON = "dmcg types optional properties as `X | None = None`"
ORACLE_ACCEPTS_NULL_FOR_OPTIONAL: dict[str, tuple[str, Any]] = {
    "AssistantsNamedToolChoice.function": (
        "tool_choice",
        {"type": "function", "function": None},
    ),
    "AssistantToolsFileSearch.file_search": (
        "tools",
        [{"type": "file_search", "file_search": None}],
    ),
    "AssistantToolsFileSearchFileSearch.max_num_results": (
        "tools",
        [{"type": "file_search", "file_search": {"max_num_results": None}}],
    ),
    "AssistantToolsFileSearchFileSearch.ranking_options": (
        "tools",
        [{"type": "file_search", "file_search": {"ranking_options": None}}],
    ),
    "FileSearchRankingOptions.ranker": (
        "tools",
        [
            {
                "type": "file_search",
                "file_search": {"ranking_options": {"score_threshold": 0.5, "ranker": None}},
            }
        ],
    ),
    "FunctionObject.description": (
        "tools",
        [{"type": "function", "function": {"name": "f", "description": None}}],
    ),
    "FunctionObject.parameters": (
        "tools",
        [{"type": "function", "function": {"name": "f", "parameters": None}}],
    ),
    "ResponseFormatJsonSchemaJsonSchema.description": (
        "response_format",
        {"type": "json_schema", "json_schema": {"name": "n", "description": None}},
    ),
    "ResponseFormatJsonSchemaJsonSchema.schema": (
        "response_format",
        {"type": "json_schema", "json_schema": {"name": "n", "schema": None}},
    ),
    "RunObjectIncompleteDetails.reason": (
        "incomplete_details",
        {"reason": None},
    ),
}

VALID_EXAMPLES = hypothesis_examples(200)
INVALID_EXAMPLES = hypothesis_examples(300)


# --- fixtures ------------------------------------------------------------------------


def dmcg_models(spec: Path, output: Path, name: str, strict_nullable: bool) -> ModuleType:
    dmcg.generate(
        spec,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        disable_timestamp=True,
        strict_nullable=strict_nullable,
        formatters=[Formatter.BUILTIN],
        output=output,
    )
    module_spec = importlib.util.spec_from_file_location(name, output)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module  # pydantic resolves forward references through it
    module_spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def oracle(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    out = tmp_path_factory.mktemp("oracle") / "runobject_oracle.py"
    return dmcg_models(SPEC_2025, out, "differential_runobject_oracle", strict_nullable=True)


@pytest.fixture(scope="session")
def ours() -> ModuleType:
    folder = str(GENERATED.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module = importlib.import_module("runobject")
    assert Path(module.__file__ or "").resolve().parent == GENERATED.resolve()
    return module


@pytest.fixture(scope="session")
def package() -> Package:
    return load_package(SPEC_2025)


def oracle_errors(oracle: ModuleType, payload: Any) -> list[Any]:
    """The oracle's errors for `payload` ([] when it accepts)."""
    try:
        oracle.RunObject.model_validate_json(json.dumps(payload), strict=True)
    except pydantic.ValidationError as exc:
        return list(exc.errors())
    return []


def our_problems(ours: ModuleType, payload: Any, strict: bool = True) -> list[tuple[str, str]]:
    try:
        ours.RunObject.from_dict(copy.deepcopy(payload), strict=strict)
    except ours.ValidationError as exc:
        problems: list[tuple[str, str]] = exc.problems
        return problems
    return []


def corrected_example() -> dict[str, Any]:
    """The spec's RunObject example with its two mistakes fixed (see test_roundtrip)."""
    spec = yaml.safe_load(SPEC_2025.read_text(encoding="utf-8"))
    example: dict[str, Any] = json.loads(
        spec["components"]["schemas"]["RunObject"]["x-oaiMeta"]["example"]
    )
    example["required_action"] = None
    example["instructions"] = "Be brief."
    return example


def optional_null(mutation: Mutation) -> bool:
    return mutation.kind == "optional_null"


# --- the comparison ------------------------------------------------------------------


def test_corrected_example_is_accepted_by_both(ours: ModuleType, oracle: ModuleType) -> None:
    example = corrected_example()
    assert our_problems(ours, example) == []
    assert oracle_errors(oracle, example) == []


@settings(max_examples=VALID_EXAMPLES, derandomize=True, deadline=None)
@given(sample=samples(load_package(SPEC_2025), ROOT, unknown=False, never_null=NEVER_NULL))
def test_fuzz_valid_payloads_are_accepted_by_both(
    ours: ModuleType, oracle: ModuleType, sample: Sample
) -> None:
    assert our_problems(ours, sample.value) == []
    assert oracle_errors(oracle, sample.value) == []


@settings(max_examples=INVALID_EXAMPLES, derandomize=True, deadline=None)
@given(mutation=mutations(load_package(SPEC_2025), ROOT, never_null=NEVER_NULL))
def test_fuzz_invalid_payloads_are_rejected_by_both(
    ours: ModuleType, oracle: ModuleType, mutation: Mutation
) -> None:
    what = mutation.describe()
    assert oracle_errors(oracle, mutation.original) == [], "the payload before mutation"
    problems = our_problems(ours, mutation.value)
    assert problems, f"our strict decoder accepted {what}"
    # One problem, reported where the payload was changed, saying what is wrong.
    path, pattern = expected_problem(mutation)
    assert len(problems) == 1 and problems[0][0] == path, (what, problems)
    assert re.fullmatch(pattern, problems[0][1], re.DOTALL), (what, problems)
    lenient = our_problems(ours, mutation.value, strict=False)
    if mutation.strict_only:
        assert lenient == [], f"lenient decoding must keep unknown values: {what}"
    else:
        assert lenient, f"our lenient decoder accepted {what}"
    errors = oracle_errors(oracle, mutation.value)
    if optional_null(mutation):
        # Excluded (ORACLE_ACCEPTS_NULL_FOR_OPTIONAL), and checked to still be needed.
        assert mutation.site.owner is not None
        assert ".".join(mutation.site.owner) in ORACLE_ACCEPTS_NULL_FOR_OPTIONAL, what
        assert errors == [], f"the oracle now rejects {what}: drop the exclusion"
    else:
        assert errors, f"the oracle accepted {what}"


def test_mutations_cover_every_kind(package: Package) -> None:
    kinds: set[str] = set()
    places: set[str] = set()

    @settings(max_examples=INVALID_EXAMPLES, derandomize=True, deadline=None, database=None)
    @given(mutation=mutations(package, ROOT, never_null=NEVER_NULL))
    def collect(mutation: Mutation) -> None:
        kinds.add(mutation.kind)
        places.add(render_path(tuple(k for k in mutation.site.path if isinstance(k, str))))

    collect()
    expected = {
        "null",
        "optional_null",
        "wrong_type",
        "missing",
        "constraint",
        "literal",
        "unknown_enum",
        "unknown_tag",
    }
    assert expected <= kinds, sorted(expected - kinds)
    # Mutations land all over the payload, not just on the root's properties.
    assert len(places) >= 15, sorted(places)
    assert any(p.count(".") >= 3 for p in places), sorted(places)


# --- the exclusions are real ---------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "prop"),
    [pytest.param(m, p, id=f"{m}.{p}") for m, p in sorted(ORACLE_REJECTS_VALID_NULL)],
)
def test_oracle_rejects_a_valid_null(
    ours: ModuleType, oracle: ModuleType, package: Package, model: str, prop: str
) -> None:
    """Each ORACLE_REJECTS_VALID_NULL entry: null is valid (spec, ours), the oracle says no."""
    definition = package.by_name()[model]
    assert isinstance(definition, ModelDef) and model == ROOT
    field = next(f for f in definition.fields if f.json_name == prop)
    assert ModelInfo(package).nullable(field.type), "the spec allows null here"
    example = corrected_example()
    example[prop] = None
    assert our_problems(ours, example) == []
    errors = oracle_errors(oracle, example)
    assert errors, f"dmcg now accepts null for {prop}: remove it from ORACLE_REJECTS_VALID_NULL"
    assert {e["loc"][0] for e in errors} == {prop}


@settings(max_examples=hypothesis_examples(50), derandomize=True, deadline=None)
@given(sample=samples(load_package(SPEC_2025), ROOT, unknown=False))
def test_excluded_nulls_are_the_oracles_only_disagreement(
    ours: ModuleType, oracle: ModuleType, sample: Sample
) -> None:
    """Valid payloads with null at the excluded places: only those nulls upset the oracle."""
    payload = sample.value
    for site in sample.sites:
        if site.owner in ORACLE_REJECTS_VALID_NULL:
            payload = set_at(payload, site.path, None)
    assert our_problems(ours, payload) == []
    errors = oracle_errors(oracle, payload)
    assert errors
    assert {e["loc"][0] for e in errors} <= {prop for _, prop in ORACLE_REJECTS_VALID_NULL}


def test_optional_null_exclusions_are_every_optional_non_nullable_property(
    package: Package,
) -> None:
    info = ModelInfo(package)
    expected = {
        f"{d.name}.{f.json_name}"
        for d in package.definitions
        if isinstance(d, ModelDef)
        for f in d.fields
        if not f.required and not info.nullable(f.type)
    }
    assert set(ORACLE_ACCEPTS_NULL_FOR_OPTIONAL) == expected


@pytest.mark.parametrize("where", sorted(ORACLE_ACCEPTS_NULL_FOR_OPTIONAL))
def test_oracle_accepts_null_for_optional_properties(
    ours: ModuleType, oracle: ModuleType, package: Package, where: str
) -> None:
    """ORACLE_ACCEPTS_NULL_FOR_OPTIONAL: null where the spec has an optional, non-null type."""
    model, prop = where.split(".")
    definition = package.by_name()[model]
    assert isinstance(definition, ModelDef)
    field = next(f for f in definition.fields if f.json_name == prop)
    assert not field.required and not ModelInfo(package).nullable(field.type)
    key, value = ORACLE_ACCEPTS_NULL_FOR_OPTIONAL[where]
    example = corrected_example()
    example[key] = value
    problems = our_problems(ours, example)
    assert len(problems) == 1, problems
    path, message = problems[0]
    assert path.endswith("." + prop) and message.endswith(", got null"), problems
    assert oracle_errors(oracle, example) == [], (
        f"dmcg now rejects null for {where} ({OPTIONAL_NULL_REASON}): drop the exclusion"
    )


# nullable beside a $ref (response_format) or on the referenced component (usage ->
# RunCompletionUsage, metadata -> Metadata): lost by dmcg without --strict-nullable only.
NULLABLE_THROUGH_REF = ["response_format", "usage", "metadata"]


@pytest.mark.parametrize("prop", NULLABLE_THROUGH_REF)
def test_strict_nullable_oracle_honours_nullable_beside_ref(
    ours: ModuleType, oracle: ModuleType, prop: str
) -> None:
    """Not excluded: with --strict-nullable dmcg gets these nulls right."""
    example = corrected_example()
    example[prop] = None
    assert our_problems(ours, example) == []
    assert oracle_errors(oracle, example) == []


def test_without_strict_nullable_the_oracle_loses_every_required_null(
    ours: ModuleType, package: Package, tmp_path: Path
) -> None:
    """Why the oracle is generated with --strict-nullable (see the module docstring)."""
    loose = dmcg_models(
        SPEC_2025, tmp_path / "loose.py", "differential_runobject_loose", strict_nullable=False
    )
    run = package.by_name()[ROOT]
    assert isinstance(run, ModelDef)
    info = ModelInfo(package)
    required_nullable = [f.json_name for f in run.fields if f.required and info.nullable(f.type)]
    assert {"response_format", "usage", "metadata", "expires_at"} <= set(required_nullable)
    for prop in required_nullable:
        example = corrected_example()
        example[prop] = None
        assert our_problems(ours, example) == [], prop
        assert oracle_errors(loose, example), f"dmcg without --strict-nullable accepts {prop}: null"
