"""Strict decoding of unions whose variants overlap: exactly one may match.

The round-trip strategies (tests/strategies.py) draw payloads for one variant and cannot
tell when another variant accepts them too, so overlapping unions are tested here, on a
package generated for the test, rather than in a case folder the strategies fuzz.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Any

import pytest

from generator.config import Job
from generator.generate import generate

SPEC = """\
openapi: 3.1.0
info: {title: Overlap, version: "1"}
paths: {}
components:
  schemas:
    UserMessage:
      type: object
      required: [type, role]
      properties:
        type: {const: message}
        role: {const: user}
    AnyMessage:
      type: object
      required: [type, role]
      properties:
        type: {const: message}
        role: {type: string}
    Call:
      type: object
      required: [type]
      properties:
        type: {const: call}
    Item:
      oneOf:
        - $ref: '#/components/schemas/UserMessage'
        - $ref: '#/components/schemas/AnyMessage'
        - $ref: '#/components/schemas/Call'
      discriminator: {propertyName: type}
    NumberOrAny:
      oneOf:
        - type: number
        - {}
    Holder:
      type: object
      required: [item]
      properties:
        item: {$ref: '#/components/schemas/Item'}
        number_or_any: {$ref: '#/components/schemas/NumberOrAny'}
"""


@pytest.fixture(scope="module")
def pkg(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("overlap")
    spec = root / "spec.yaml"
    spec.write_text(SPEC)
    generate(Job(name="overlap", spec=spec, out=root / "out", package="overlap_pkg"))
    sys.path.insert(0, str(root / "out"))
    try:
        return importlib.import_module("overlap_pkg")
    finally:
        sys.path.remove(str(root / "out"))


def problems(pkg: ModuleType, payload: Any, strict: bool) -> list[str]:
    try:
        pkg.Holder.from_dict(payload, strict=strict)
    except pkg.ValidationError as err:
        return [f"{p}: {m}" for p, m in err.problems]
    return []


def test_two_exact_matches_leniently_the_first_wins(pkg: ModuleType) -> None:
    value = pkg.Holder.from_dict({"item": {"type": "message", "role": "user"}})
    assert type(value.item).__name__ == "UserMessage"


def test_two_exact_matches_are_an_error_in_strict_mode(pkg: ModuleType) -> None:
    payload = {"item": {"type": "message", "role": "user"}}
    assert problems(pkg, payload, strict=True) == [
        "$.item: matches 2 variants, expected exactly one"
    ]


def test_one_exact_match_is_accepted_in_strict_mode(pkg: ModuleType) -> None:
    value = pkg.Holder.from_dict({"item": {"type": "message", "role": "bot"}}, strict=True)
    assert type(value.item).__name__ == "AnyMessage" and value.item.role == "bot"
    assert value.to_dict() == {"item": {"type": "message", "role": "bot"}}


def test_no_match_lists_every_variant_of_the_tag(pkg: ModuleType) -> None:
    payload = {"item": {"type": "message", "role": 1}}
    assert problems(pkg, payload, strict=True) == [
        "$.item: matches no variant (UserMessage: role: expected 'user';"
        " AnyMessage: role: expected string, got integer)"
    ]


def test_an_untagged_one_of_requires_exactly_one_match_in_strict_mode(pkg: ModuleType) -> None:
    # `{}` accepts every value, so a number matches both variants: JSON Schema's oneOf
    # rejects it; anything else matches `{}` alone.
    call = {"type": "call"}
    assert problems(pkg, {"item": call, "number_or_any": 123}, strict=True) == [
        "$.number_or_any: matches 2 variants, expected exactly one"
    ]
    value = pkg.Holder.from_dict({"item": call, "number_or_any": "foo"}, strict=True)
    assert value.number_or_any == "foo"
    # Lenient decoding keeps the first variant that accepts the value.
    assert pkg.Holder.from_dict({"item": call, "number_or_any": 123}).number_or_any == 123
