"""The type dispatcher: which concern a schema belongs to, and the simple types
(primitives, arrays, tuples, any JSON) that need no module of their own."""

from __future__ import annotations

from typing import Any

from ..model import AnyJson, ArrayType, InlineUnion, Primitive, TupleType, TypeExpr
from ..spec.refs import child_pointer
from .annotations import constraints
from .checks import checked, needs_check
from .composition import all_of
from .context import NULL, BuildContext, or_null
from .enums import enum, literal
from .objects import object_model
from .schema import PRIMITIVES, SUPPORTED_KEYS, declared_types, implied_type, is_nullable
from .unions import union


def type_of(
    ctx: BuildContext, schema: Any, pointer: str, hint: str, top_level: bool = False
) -> TypeExpr:
    """The type of `schema`. `hint` names an inline object/enum/union it defines.

    With `top_level`, `hint` is the schema's own name: an object, enum or union
    schema becomes the definition of that name instead of a new inline one.
    """
    if schema is True or schema == {}:
        return AnyJson()
    if needs_check(schema, ctx.exact, ctx.in_context):
        return checked(ctx, schema, pointer)
    if not isinstance(schema, dict):
        parent = ctx.refs.pointer(pointer.rsplit("/", 1)[0], None) if "/" in pointer else None
        raise ctx.error(
            f"schema must be an object, not {type(schema).__name__}, at {pointer}", parent
        )
    check_keywords(ctx, schema, pointer)
    nullable = is_nullable(schema)
    if "$ref" in schema:
        target, _ = ctx.refs.lookup(schema["$ref"], schema)
        return or_null(ctx.named(target), nullable)
    if "allOf" in schema:
        return or_null(all_of(ctx, schema, pointer, hint, top_level), nullable)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return union(ctx, schema, key, pointer, hint, top_level)
    if "const" in schema:
        return or_null(literal(ctx, schema["const"], pointer, schema), nullable)
    if "enum" in schema:
        return enum(ctx, schema, pointer, hint, top_level)
    types = declared_types(ctx, schema)
    if len(types) > 1:
        variants = tuple(
            type_of(ctx, {**schema, "type": t, "nullable": False}, pointer, hint, top_level)
            for t in types
        )
        return or_null(InlineUnion(variants), nullable)
    kind = types[0] if types else implied_type(schema)
    if kind == "object":
        return or_null(object_model(ctx, schema, pointer, hint, top_level), nullable)
    if kind == "array":
        return or_null(array(ctx, schema, pointer, hint), nullable)
    if kind in PRIMITIVES:
        fmt = schema.get("format")
        if fmt is None and schema.get("contentEncoding") == "base64":
            fmt = "byte"  # JSON Schema's spelling of OpenAPI 3.0's `format: byte`
        return or_null(
            Primitive(kind, str(fmt) if fmt is not None else None, constraints(ctx, schema)),
            nullable,
        )
    if kind == "null":
        return NULL
    return or_null(AnyJson(), nullable)


def check_keywords(ctx: BuildContext, schema: dict[str, Any], pointer: str) -> None:
    for key in schema:
        if key not in SUPPORTED_KEYS and not key.startswith("x-"):
            ignored = "" if ctx.options.strict else " ignored"
            ctx.warn(f"unsupported keyword {key!r}{ignored}", pointer, schema)


def array(ctx: BuildContext, schema: dict[str, Any], pointer: str, hint: str) -> TypeExpr:
    if isinstance(schema.get("prefixItems"), list):
        items = tuple(
            ctx.type_of(s, child_pointer(pointer, "prefixItems", i), f"{hint}Item{i}")
            for i, s in enumerate(schema["prefixItems"])
        )
        return TupleType(items)
    items_schema = schema.get("items", True)
    item = ctx.type_of(items_schema, child_pointer(pointer, "items"), hint + "Inner")
    return ArrayType(item, constraints(ctx, schema))
