"""What a raw schema says, read without building anything: keyword sets and predicates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import BuildContext

# Keywords that only annotate: a schema made of these alone adds no structure, so
# `allOf: [{$ref: X}, {nullable: true}]` is a nullable X, not a new model.
ANNOTATION_KEYS = frozenset(
    {
        "nullable",
        "description",
        "title",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "xml",
    }
)
# Keywords that constrain a scalar, array or object value.
CONSTRAINT_KEYS = frozenset(
    {
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minLength",
        "maxLength",
        "pattern",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minProperties",
        "maxProperties",
    }
)
SUPPORTED_KEYS = (
    ANNOTATION_KEYS
    | CONSTRAINT_KEYS
    | {
        "$ref",
        "$defs",
        "$schema",
        "$id",
        "type",
        "format",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "allOf",
        "oneOf",
        "anyOf",
        "discriminator",
        "contentEncoding",
        "contentMediaType",
    }
)
PRIMITIVES = ("string", "integer", "number", "boolean")


def is_nullable(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("nullable") is True:
        return True
    raw = schema.get("type")
    if isinstance(raw, list) and "null" in raw:
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    if "allOf" in schema and isinstance(schema["allOf"], list):
        return any(
            isinstance(m, dict) and m.get("nullable") is True and annotation_only(m)
            for m in schema["allOf"]
        )
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and any(is_null_schema(m) for m in members):
            return True
    return False


def annotation_only(schema: dict[str, Any]) -> bool:
    return all(k in ANNOTATION_KEYS or k.startswith("x-") for k in schema)


# Keywords beside an `allOf` that add nothing to the value: schemas kept for references
# (`$defs`) and the dialect.
PLACE_KEYS = frozenset({"allOf", "$defs", "$schema"})


def single_structural(schema: dict[str, Any]) -> Any:
    """The one structural `allOf` member when all others only annotate, else None."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return None
    own = [
        k
        for k in schema
        if k not in PLACE_KEYS and k not in ANNOTATION_KEYS and not k.startswith("x-")
    ]
    structural = [m for m in members if not (isinstance(m, dict) and annotation_only(m))]
    if len(structural) == 1 and not own:
        return structural[0]
    return None


def is_null_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "null":
        return True
    return schema.get("enum") == [None] or ("const" in schema and schema["const"] is None)


def implied_type(schema: dict[str, Any]) -> str | None:
    if "type" in schema and isinstance(schema["type"], str):
        return str(schema["type"])
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def declared_types(ctx: BuildContext, schema: dict[str, Any]) -> list[str]:
    """The non-null `type`s a schema lists (["null"] when it lists only null)."""
    raw = schema.get("type")
    if raw is None:
        return []
    listed = raw if isinstance(raw, list) else [raw]
    out = [t for t in listed if t != "null"]
    for t in out:
        if t not in (*PRIMITIVES, "object", "array"):
            raise ctx.error(f"unknown type {t!r}", schema)
    if not out and listed:
        return ["null"]
    return out
