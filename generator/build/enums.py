"""`enum` and `const`: enum definitions, and literals for single values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import naming
from ..model import AnyJson, EnumDef, EnumMember, LiteralType, Ref, TypeExpr, json_kind
from .annotations import docs
from .context import NULL, or_null
from .names import inline_name
from .schema import declared_types, is_nullable

if TYPE_CHECKING:
    from .context import BuildContext


def literal(ctx: BuildContext, value: Any, pointer: str, at: object) -> TypeExpr:
    if value is None:
        return NULL
    if not isinstance(value, (str, int, float, bool)):
        ctx.warn("a non-scalar const is typed as any JSON value", pointer, at)
        return AnyJson()
    return LiteralType(value)


def enum(
    ctx: BuildContext, schema: dict[str, Any], pointer: str, hint: str, top_level: bool
) -> TypeExpr:
    raw = schema["enum"]
    if not isinstance(raw, list) or not raw:
        raise ctx.error(f"enum must be a non-empty list at {pointer}", schema)
    # `nullable: true` (or a `type` list with "null") admits null even when the enum
    # leaves it out: real APIs send it, and every other generator reads it so.
    nullable = is_nullable(schema)
    values = [v for v in raw if v is not None]
    if not values:
        return NULL
    if len(values) == 1:
        return or_null(literal(ctx, values[0], pointer, schema), nullable)
    kinds = {json_kind(v) for v in values}
    declared = declared_types(ctx, schema)
    if len(kinds) != 1 or None in kinds:
        ctx.warn(
            "an enum of mixed or non-scalar values is typed as any JSON value", pointer, schema
        )
        return or_null(AnyJson(), nullable)
    kind = kinds.pop()
    assert kind is not None
    if kind == "integer" and declared == ["number"]:
        kind = "number"
    name = inline_name(ctx, hint, pointer, top_level)
    members: list[EnumMember] = []
    taken: set[str] = set()
    seen_values: list[Any] = []
    for value in values:
        if any(value == v and type(value) is type(v) for v in seen_values):
            continue
        seen_values.append(value)
        members.append(EnumMember(naming.unique(naming.enum_member_name(value), taken), value))
    ctx.add(
        EnumDef(
            name=name,
            kind=kind,
            members=tuple(members),
            nullable=nullable,
            docs=docs(schema),
            source=ctx.source(pointer, schema),
        )
    )
    return or_null(Ref(name), nullable)
