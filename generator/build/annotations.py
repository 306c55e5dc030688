"""What a schema says besides its type: docs, validation constraints, field defaults."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Constraints, Docs, JsonValue
from ..patterns import pattern_problem
from .schema import annotation_only, single_structural

if TYPE_CHECKING:
    from .context import BuildContext


def docs(schema: Any) -> Docs:
    if not isinstance(schema, dict):
        return Docs()
    examples: list[JsonValue] = []
    if "example" in schema:
        examples.append(schema["example"])
    if isinstance(schema.get("examples"), list):
        examples.extend(schema["examples"])
    desc = schema.get("description")
    title = schema.get("title")
    return Docs(
        title=str(title) if title is not None else None,
        description=str(desc) if desc is not None else None,
        deprecated=schema.get("deprecated") is True,
        examples=tuple(examples),
        extensions=tuple((k, v) for k, v in schema.items() if k.startswith("x-")),
    )


def constraints(ctx: BuildContext, schema: dict[str, Any]) -> Constraints:
    def num(key: str) -> int | float | None:
        v = schema.get(key)
        return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    def whole(key: str) -> int | None:
        v = schema.get(key)
        return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None

    minimum, maximum = num("minimum"), num("maximum")
    ex_min, ex_max = num("exclusiveMinimum"), num("exclusiveMaximum")
    # OpenAPI 3.0: exclusiveMinimum is a boolean that qualifies minimum.
    if schema.get("exclusiveMinimum") is True:
        minimum, ex_min = None, minimum
    if schema.get("exclusiveMaximum") is True:
        maximum, ex_max = None, maximum
    pattern = schema.get("pattern")
    if pattern is not None:
        problem = pattern_problem(str(pattern))  # `\p{Letter}` is translated when used
        if problem is not None:
            raise ctx.error(f"invalid pattern {pattern!r}: {problem}", schema)
    return Constraints(
        minimum=minimum,
        maximum=maximum,
        exclusive_minimum=ex_min,
        exclusive_maximum=ex_max,
        multiple_of=num("multipleOf") or None,
        min_length=whole("minLength"),
        max_length=whole("maxLength"),
        pattern=str(pattern) if pattern is not None else None,
        min_items=whole("minItems"),
        max_items=whole("maxItems"),
        unique_items=schema.get("uniqueItems") is True,
        min_properties=whole("minProperties"),
        max_properties=whole("maxProperties"),
    )


def field_annotations(ctx: BuildContext, prop: Any) -> tuple[Docs, JsonValue, bool, dict[str, Any]]:
    """Description, default and flags of a property, looking through `$ref`/`allOf`.

    The property's own keywords win; then annotation members of an `allOf`; then the
    referenced schema (a named `ParallelToolCalls` carries its description and default).
    """
    layers: list[dict[str, Any]] = []
    if isinstance(prop, dict):
        layers.append(prop)
        for member in prop.get("allOf") or []:
            if isinstance(member, dict) and annotation_only(member):
                layers.append(member)
        structural = prop if "$ref" in prop else single_structural(prop)
        target = ctx.refs.deref(structural) if structural is not None else None
        if isinstance(target, dict) and target is not prop:
            layers.append(target)
    merged: dict[str, Any] = {}
    for layer in reversed(layers):
        for key in ("description", "title", "default", "deprecated", "readOnly", "writeOnly"):
            if key in layer:
                merged[key] = layer[key]
    out = docs(prop)
    if out.description is None and "description" in merged:
        out = replace(out, description=str(merged["description"]))
    if merged.get("deprecated") is True:
        out = replace(out, deprecated=True)
    return out, merged.get("default"), "default" in merged, merged
