"""`oneOf`/`anyOf`: union definitions and their discriminator, explicit or inferred."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import AnyJson, Discriminator, Ref, TypeExpr, UnionDef
from ..spec.refs import child_pointer, component_name, schema_pointer
from .annotations import docs
from .composition import flatten
from .context import NULL, or_null, strip_null
from .names import inline_name
from .schema import implied_type, is_null_schema, is_nullable

if TYPE_CHECKING:
    from .context import BuildContext


def union(
    ctx: BuildContext, schema: dict[str, Any], key: str, pointer: str, hint: str, top_level: bool
) -> TypeExpr:
    members = schema[key]
    if not isinstance(members, list) or not members:
        raise ctx.error(f"{key} must be a non-empty list at {pointer}", schema)
    nullable = is_nullable(schema)
    live = [(i, m) for i, m in enumerate(members) if not is_null_schema(m)]
    if not live:
        return NULL  # every member is `type: "null"`
    if len(live) == 1:
        i, member = live[0]
        return or_null(
            ctx.type_of(member, child_pointer(pointer, key, i), hint, top_level), nullable
        )
    name = inline_name(ctx, hint, pointer, top_level)
    label = "OneOf" if key == "oneOf" else "AnyOf"
    pairs: list[tuple[Any, TypeExpr]] = []
    for i, member in live:
        sub = f"{name}{label}{i if i else ''}"
        member_pointer = child_pointer(pointer, key, i)
        if isinstance(member, dict) and ctx.names.get(str(member.get("$ref"))) == name:
            ctx.warn(f"{name} lists itself as a variant: ignored", member_pointer, member)
            continue
        t = ctx.type_of(member, member_pointer, sub)
        if all(t != seen for _, seen in pairs):
            pairs.append((member, t))
    variants = [t for _, t in pairs]
    if not variants:  # only itself: no value is a variant; typed as any value, as before
        return or_null(AnyJson(), nullable)
    disc = discriminator(ctx, schema, pairs)
    ctx.add(
        UnionDef(
            name=name,
            variants=tuple(variants),
            discriminator=disc,
            nullable=nullable,
            exclusive=key == "oneOf",
            docs=docs(schema),
            source=ctx.source(pointer, schema),
        )
    )
    return or_null(Ref(name), nullable)


def discriminator(
    ctx: BuildContext, schema: dict[str, Any], pairs: list[tuple[Any, TypeExpr]]
) -> Discriminator | None:
    objects: list[tuple[Any, Ref]] = []
    for member, variant in pairs:
        # Judged from the schema, not from ctx.defs: a variant on a reference cycle
        # may still be being built, and the answer must not depend on schema order.
        if isinstance(variant, Ref) and _is_object_schema(ctx, member):
            objects.append((member, variant))
    explicit = schema.get("discriminator")
    if isinstance(explicit, dict) and isinstance(explicit.get("propertyName"), str):
        prop = explicit["propertyName"]
        # (tag, variant) pairs; a tag may name several variants (all `type: message`,
        # told apart by `role`): decoding then tries those variants.
        mapping: list[tuple[str, str]] = []
        raw_mapping = explicit.get("mapping") or {}
        for tag, target in raw_mapping.items():
            ref = target if str(target).startswith("#") else schema_pointer(str(target))
            target_ref = strip_null(ctx.named(ref))
            if not isinstance(target_ref, Ref):
                raise ctx.error(f"discriminator mapping {tag!r} is not a schema", explicit)
            mapping.append((str(tag), target_ref.name))
        mapped_tags = {tag for tag, _ in mapping}  # an explicit mapping entry wins
        for member, variant in objects:
            if any(name == variant.name for _, name in mapping):
                continue
            tags = _single_values(ctx, member, prop)
            if tags:
                implied = tags[0]
            elif isinstance(member, dict) and "$ref" in member:
                implied = str(component_name(member["$ref"]))
            else:
                continue
            if implied not in mapped_tags:
                mapping.append((implied, variant.name))
        return Discriminator(prop, tuple(mapping), explicit=True)
    if len(objects) < 2:
        return None  # one object variant: the JSON type alone picks it
    # Inferred: a property every object variant has with one value, distinct values
    # preferred; else one that some variants share, as long as it tells some apart.
    candidates = list(flatten(ctx, objects[0][0]).get("properties") or {})
    for distinct in (True, False):
        for prop in candidates:
            found: list[tuple[str, str]] = []
            for member, variant in objects:
                tags = _single_values(ctx, member, prop)
                if len(tags) != 1 or (distinct and any(t == tags[0] for t, _ in found)):
                    break
                found.append((tags[0], variant.name))
            else:
                if len({t for t, _ in found}) > 1:
                    return Discriminator(prop, tuple(found), explicit=False)
    return None


def _is_object_schema(ctx: BuildContext, member: Any) -> bool:
    flat = flatten(ctx, member)
    if "oneOf" in flat or "anyOf" in flat or "enum" in flat or "const" in flat:
        return False
    return bool(flat.get("properties")) and implied_type(flat) in ("object", None)


def _single_values(ctx: BuildContext, member: Any, prop: str) -> list[str]:
    """The tag values a union member allows for `prop` (enum or const), as strings."""
    flat = flatten(ctx, member)
    schema = ctx.refs.deref((flat.get("properties") or {}).get(prop))
    if not isinstance(schema, dict):
        return []
    if "const" in schema:
        return [str(schema["const"])]
    values = schema.get("enum")
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        return [str(v) for v in values] if len(values) == 1 else []
    return []
