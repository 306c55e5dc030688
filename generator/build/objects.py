"""Object schemas: models with fields, or maps when they list no properties."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .. import naming
from ..model import AnyJson, Field, MapType, ModelDef, Ref, TypeExpr
from ..spec.refs import child_pointer
from .annotations import constraints, docs, field_annotations
from .names import inline_name
from .schema import is_nullable

if TYPE_CHECKING:
    from .context import BuildContext


def object_model(
    ctx: BuildContext, schema: dict[str, Any], pointer: str, hint: str, top_level: bool
) -> TypeExpr:
    props = schema.get("properties") or {}
    if not isinstance(props, dict):
        raise ctx.error(f"properties must be an object at {pointer}", schema)
    extra_schema = schema.get("additionalProperties", True)
    if not props:
        if isinstance(extra_schema, dict) and extra_schema:
            values = ctx.type_of(
                extra_schema, child_pointer(pointer, "additionalProperties"), hint + "Value"
            )
            return MapType(values, constraints(ctx, schema))
        return AnyJson(object_only=True)
    name = inline_name(ctx, hint, pointer, top_level)
    if name in ctx.defs:
        return Ref(name)
    required = schema.get("required") or []
    if not isinstance(required, list):
        raise ctx.error(f"required must be a list at {pointer}", schema)
    undefined = [str(r) for r in required if str(r) not in props]
    if undefined:
        # JSON Schema still requires the key: keep it as a field of any JSON value.
        ctx.warn(
            f"required {undefined!r} not among the properties: typed as any JSON value",
            pointer,
            schema,
        )
        props = {**props, **{r: {} for r in undefined}}
    fields = model_fields(ctx, name, props, [str(r) for r in required], pointer)
    extra: TypeExpr = AnyJson()
    if isinstance(extra_schema, dict) and extra_schema:
        extra = ctx.type_of(
            extra_schema, child_pointer(pointer, "additionalProperties"), name + "Value"
        )
    ctx.add(
        ModelDef(
            name=name,
            fields=fields,
            extra=extra,
            closed=extra_schema is False,
            nullable=is_nullable(schema),
            docs=docs(schema),
            source=ctx.source(pointer, schema),
        )
    )
    return Ref(name)


def model_fields(
    ctx: BuildContext, model: str, props: dict[str, Any], required: list[str], pointer: str
) -> tuple[Field, ...]:
    out: list[Field] = []
    taken: dict[str, str] = {}
    for json_name, prop in props.items():
        prop_pointer = child_pointer(pointer, "properties", json_name)
        py = naming.field_name(json_name)
        if py in taken:
            unique = naming.unique(py, set(taken))
            ctx.warn(
                f"properties {taken[py]!r} and {json_name!r} both become {py!r};"
                f" {json_name!r} is named {unique!r}",
                prop_pointer,
                prop,
            )
            py = unique
        taken[py] = json_name
        t = ctx.type_of(prop, prop_pointer, naming.join_class_name(model, json_name))
        field_docs, default, has_default, flags = field_annotations(ctx, prop)
        out.append(
            Field(
                name=py,
                json_name=json_name,
                type=t,
                required=json_name in required,
                default=default,
                has_default=has_default,
                read_only=flags.get("readOnly") is True,
                write_only=flags.get("writeOnly") is True,
                docs=field_docs,
                source=ctx.source(prop_pointer, prop),
            )
        )
    return tuple(out)
