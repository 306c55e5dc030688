"""`allOf`: an annotated reference, a subclass of one referenced base, or one
flattened model with the merged properties."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import ModelDef, Ref, TypeExpr
from ..spec.refs import child_pointer
from .annotations import docs
from .names import inline_name
from .objects import model_fields, object_model
from .schema import ANNOTATION_KEYS, implied_type, is_nullable, single_structural

if TYPE_CHECKING:
    from .context import BuildContext


def all_of(
    ctx: BuildContext, schema: dict[str, Any], pointer: str, hint: str, top_level: bool
) -> TypeExpr:
    members = schema["allOf"]
    if not isinstance(members, list) or not members:
        raise ctx.error(f"allOf must be a non-empty list at {pointer}", schema)
    structural = single_structural(schema)
    if structural is not None:
        index = members.index(structural)
        return ctx.type_of(structural, child_pointer(pointer, "allOf", index), hint, top_level)
    # Several structural members: merge their properties into one object.
    if id(schema) in ctx.merging:
        return Ref(ctx.merging[id(schema)])
    name = inline_name(ctx, hint, pointer, top_level)
    ctx.merging[id(schema)] = name
    derived = derived_model(ctx, schema, pointer, name)
    if derived is not None:
        return derived
    merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for member in [*members, {k: v for k, v in schema.items() if k != "allOf"}]:
        resolved = flatten(ctx, member)
        if implied_type(resolved) not in ("object", None):
            ctx.warn("allOf of non-object schemas is flattened as an object", pointer)
        merged["properties"].update(resolved.get("properties") or {})
        merged["required"] += [
            r for r in resolved.get("required") or [] if r not in merged["required"]
        ]
        if "additionalProperties" in resolved:
            merged["additionalProperties"] = resolved["additionalProperties"]
        for key in ("description", "title"):
            if key in resolved and key not in merged:
                merged[key] = resolved[key]
    for key in ("description", "title", "nullable", "deprecated"):
        if key in schema:
            merged[key] = schema[key]
    return object_model(ctx, merged, pointer, name, top_level=True)


def derived_model(
    ctx: BuildContext, schema: dict[str, Any], pointer: str, name: str
) -> TypeExpr | None:
    """`allOf: [{$ref: Base}, {properties...}]` as a subclass of Base, when that is
    sound: one referenced object model that is open to more properties, and other
    members that neither redefine nor newly require any of its properties. Else None
    (the caller flattens)."""
    members = schema["allOf"]
    refs = [m for m in members if isinstance(m, dict) and "$ref" in m]
    if len(refs) != 1 or any(not isinstance(m, dict) for m in members):
        return None
    own_keys = {k for k in schema if k != "allOf"} - ANNOTATION_KEYS
    if own_keys - {"type"} or (len(refs[0]) != 1):
        return None
    target, _ = ctx.refs.lookup(refs[0]["$ref"], refs[0])
    base = ctx.build_now(target)
    if not isinstance(base, ModelDef) or base.closed or base.nullable:
        return None
    inherited = {f.json_name for f in base.fields}
    own: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
    for member in members:
        if member is refs[0]:
            continue
        if "allOf" in member or "$ref" in member or implied_type(member) not in ("object", None):
            return None
        props, required = member.get("properties") or {}, member.get("required") or []
        if not isinstance(props, dict) or not isinstance(required, list):
            return None
        if inherited & (set(props) | {str(r) for r in required}):
            return None
        if "additionalProperties" in member:
            return None
        own["properties"].update(props)
        own["required"] += [str(r) for r in required]
    fields = (
        model_fields(ctx, name, own["properties"], own["required"], pointer)
        if own["properties"]
        else ()
    )
    own_docs = docs(schema)
    if own_docs.description is None:
        own_docs = replace(own_docs, description=base.docs.description)
    ctx.add(
        ModelDef(
            name=name,
            fields=base.fields + tuple(fields),
            extra=base.extra,
            nullable=is_nullable(schema),
            docs=own_docs,
            source=ctx.source(pointer, schema),
            base=base.name,
        )
    )
    return Ref(name)


def flatten(ctx: BuildContext, schema: Any, depth: int = 0) -> dict[str, Any]:
    """A schema with its `$ref`s and nested `allOf`s merged, for allOf merging."""
    schema = ctx.refs.deref(schema)
    if not isinstance(schema, dict):
        return {}
    if depth > 32:
        raise ctx.error("allOf nests too deeply (a cycle?)", schema)
    if "allOf" not in schema:
        return schema
    out: dict[str, Any] = {"properties": {}, "required": []}
    for member in schema["allOf"]:
        part = flatten(ctx, member, depth + 1)
        out["properties"].update(part.get("properties") or {})
        out["required"] += part.get("required") or []
    for key, value in schema.items():
        if key == "properties":
            out["properties"].update(value)
        elif key == "required":
            out["required"] += value
        elif key != "allOf":
            out[key] = value
    return out
