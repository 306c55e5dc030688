"""Strict mode as JSON Schema defines it: Unicode property escapes in patterns and the
dialect a document declares (issue 12). The end-to-end payloads are in the cases
strict_unicode, strict_dialect and hostile_unknown_property; this module checks what
they cannot: the translation against every code point, that it waits for first use, and
`jsonSchemaDialect` on a whole document."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import unicodedata
from typing import Any

import pytest

from generator.build import build_package
from generator.model import AliasDef, AnyJson, ModelDef
from generator.patterns import pattern_problem
from generator.spec.load import load_bytes
from tests.casekit import CASES, import_expected

UNICODE = CASES / "strict_unicode"
LAST = 0x10FFFF


@pytest.fixture(scope="module")
def check() -> Any:
    import_expected(UNICODE)
    return importlib.import_module("case_strict_unicode._check")


@pytest.mark.parametrize(
    ("pattern", "member"),
    [
        ("^\\p{Letter}$", lambda c: c.startswith("L")),
        ("^\\p{L}$", lambda c: c.startswith("L")),
        ("^[\\P{Nd}]$", lambda c: c != "Nd"),
        ("^\\P{Nd}$", lambda c: c != "Nd"),
        ("^\\p{digit}$", lambda c: c == "Nd"),
        ("^[\\p{Ll}\\p{Nd}]$", lambda c: c in ("Ll", "Nd")),
        ("^\\p{gc=Lu}$", lambda c: c == "Lu"),
    ],
)
def test_a_property_escape_matches_exactly_its_categories(
    check: Any, pattern: str, member: Any
) -> None:
    compiled = check.UnicodePattern(pattern)
    wrong = [
        code
        for code in range(LAST + 1)
        if (compiled.search(chr(code)) is not None) is not member(unicodedata.category(chr(code)))
    ]
    assert wrong == []


def test_the_rest_of_the_pattern_is_left_as_it_is(check: Any) -> None:
    assert (
        check._translate("a\\p{Ll}")
        == "a[" + check._class_body(check._property_ranges(("Ll",))) + "]"
    )
    assert check._translate("[\\]\\p{Nd}]x\\\\p{Nd}").startswith("[\\]\\U00000030-")
    assert check._translate("[\\]\\p{Nd}]x\\\\p{Nd}").endswith("]x\\\\p{Nd}")


def test_the_classes_are_built_on_first_use_not_at_import() -> None:
    code = (
        "import case_strict_unicode as p, case_strict_unicode._check as c\n"
        "p.Holder.from_dict({'by_letter': {}}, strict=True)\n"
        "assert c._RANGES == {}, 'built before use'\n"
        "p.Holder.from_dict({'letters': 'x'})\n"
        "assert c._RANGES, 'not built'\n"
    )
    env = {"PYTHONPATH": str(UNICODE / "expected")}
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_unknown_properties_and_bad_syntax_are_reported() -> None:
    assert pattern_problem("^\\p{Letter}+$") is None
    assert pattern_problem("\\p{Script=Greek}") == "unknown Unicode property 'Script=Greek'"
    assert pattern_problem("[\\p{L}") is not None
    assert pattern_problem("^\\p{General_Category=Decimal_Number}$") is None


def _definition(dialect: str | None) -> Any:
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Props": {"properties": {"foo": {"type": "integer"}}}}},
    }
    if dialect is not None:
        doc["jsonSchemaDialect"] = dialect
    package = build_package(load_bytes(json.dumps(doc).encode(), "spec.json"))
    return package.definitions[0]


def test_a_document_dialect_of_json_schema_reads_typeless_schemas_exactly() -> None:
    exact = _definition("https://json-schema.org/draft/2020-12/schema")
    assert isinstance(exact, AliasDef) and isinstance(exact.target, AnyJson)
    assert exact.target.check is not None
    # OpenAPI's own dialect (its default) and no dialect keep the model.
    assert isinstance(_definition("https://spec.openapis.org/oas/3.1/dialect/base"), ModelDef)
    assert isinstance(_definition(None), ModelDef)


@pytest.mark.parametrize("strict", [False, True])
def test_an_integer_valued_float_decodes_as_the_integer(strict: bool) -> None:
    pkg: Any = import_expected(CASES / "strict_exact")
    value = pkg.Holder.from_dict({"count": 2.0, "counts": [1.0, 3]}, strict=strict)
    assert type(value.count) is int and value.count == 2
    assert [type(c) for c in value.counts] == [int, int] and value.counts == [1, 3]
    assert value.to_dict() == {"count": 2, "counts": [1, 3]}
