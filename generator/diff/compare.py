"""Compare two packages definition by definition: a list of `Change`s.

Definitions are matched by name and fields by JSON name, so order never matters. Every
comparison is symmetric: `compare_packages(b, a)` is `compare_packages(a, b)` with each
change reversed (`Change.reverse`), which the property tests check.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..diff.rename import rename_hints
from ..diff.types import Renderer, Scalar, relation
from ..model import (
    AliasDef,
    Definition,
    Discriminator,
    Docs,
    EnumDef,
    Field,
    JsonValue,
    ModelDef,
    Package,
    TypeExpr,
    UnionDef,
)

# Every kind of change, in the order changes to one definition are listed.
KINDS = (
    "model-removed",
    "model-added",
    "kind-changed",
    "field-removed",
    "field-added",
    "type-changed",
    "required-changed",
    "nullable-changed",
    "default-changed",
    "constraint-tightened",
    "constraint-loosened",
    "constraint-changed",
    "enum-value-removed",
    "enum-value-added",
    "variant-removed",
    "variant-added",
    "discriminator-changed",
    "tag-removed",
    "tag-added",
    "tag-changed",
    "closed-changed",
    "extra-changed",
    "access-changed",
    "deprecated-changed",
    "title-changed",
    "description-changed",
)
# Documentation only: hidden unless asked for.
INFORMATIONAL = frozenset({"title-changed", "description-changed"})

_PAIRS = (
    ("model-added", "model-removed"),
    ("field-added", "field-removed"),
    ("constraint-tightened", "constraint-loosened"),
    ("enum-value-added", "enum-value-removed"),
    ("variant-added", "variant-removed"),
    ("tag-added", "tag-removed"),
)
REVERSED_KIND = {**dict(_PAIRS), **{b: a for a, b in _PAIRS}}
REVERSED_ASPECT = {"narrowed": "widened", "widened": "narrowed"}
_KIND_ORDER = {kind: i for i, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Change:
    """One difference between OLD and NEW.

    `model`: the definition's name; `field`: the property's JSON name, None for a change
    to the definition itself. `old`/`new`: the value on each side as plain text (a type,
    a bound, a JSON value), None where that side has none. `aspect` qualifies the kind:
    "required"/"optional" for a field added or removed, "narrowed"/"widened"/
    "equivalent" for a type change, the keyword path (`items.maxLength`) for a
    constraint, the variant for a discriminator value, the value for a retargeted one.
    `related`: the other side's name of a renamed-looking definition.
    """

    model: str
    field: str | None
    kind: str
    old: str | None = None
    new: str | None = None
    aspect: str = ""
    related: tuple[str, ...] = ()

    def reverse(self) -> Change:
        """The same change seen from NEW to OLD."""
        return Change(
            model=self.model,
            field=self.field,
            kind=REVERSED_KIND.get(self.kind, self.kind),
            old=self.new,
            new=self.old,
            aspect=REVERSED_ASPECT.get(self.aspect, self.aspect),
            related=self.related,
        )

    def key(self) -> tuple[str, bool, str, int, str, str, str]:
        """Canonical order: by definition, then its own changes, then fields."""
        return (
            self.model,
            self.field is not None,
            self.field or "",
            _KIND_ORDER.get(self.kind, len(KINDS)),
            self.aspect,
            self.old or "",
            self.new or "",
        )


@dataclass(frozen=True)
class Side:
    """One package's definitions and the ways to render its types."""

    defs: Mapping[str, Definition]
    deep: Renderer  # aliases followed, no constraints: the shape of a type
    shallow: Renderer  # aliases by name
    full: Renderer  # aliases followed, constraints shown: the identity of a variant

    @staticmethod
    def of(package: Package) -> Side:
        defs = package.by_name()
        deep = Renderer(defs)
        return Side(defs, deep, deep.but(expand=False), deep.but(constraints=True))


def kind_name(d: Definition) -> str:
    if isinstance(d, ModelDef):
        return "model"
    if isinstance(d, EnumDef):
        return "enum"
    return "union" if isinstance(d, UnionDef) else "alias"


def compare_packages(old: Package, new: Package) -> list[Change]:
    """Every change from OLD to NEW, in canonical order (`Change.key`)."""
    a, b = Side.of(old), Side.of(new)
    removed = sorted(a.defs.keys() - b.defs.keys())
    added = sorted(b.defs.keys() - a.defs.keys())
    hints = rename_hints(a.defs, b.defs, removed, added)
    out = [
        Change(n, None, "model-removed", old=kind_name(a.defs[n]), related=hints.get(n, ()))
        for n in removed
    ]
    out += [
        Change(n, None, "model-added", new=kind_name(b.defs[n]), related=hints.get(n, ()))
        for n in added
    ]
    for name in sorted(a.defs.keys() & b.defs.keys()):
        out += compare_definitions(a.defs[name], a, b.defs[name], b)
    return sorted(out, key=Change.key)


def compare_definitions(d: Definition, a: Side, e: Definition, b: Side) -> list[Change]:
    if kind_name(d) != kind_name(e):
        return [Change(d.name, None, "kind-changed", kind_name(d), kind_name(e))]
    out = docs_changes(d.name, None, d.docs, e.docs)
    out += flag(d.name, None, "nullable-changed", _nullable(d, a), _nullable(e, b), "nullable")
    if isinstance(d, ModelDef) and isinstance(e, ModelDef):
        out += compare_models(d, a, e, b)
    elif isinstance(d, EnumDef) and isinstance(e, EnumDef):
        out += compare_enums(d, e)
    elif isinstance(d, UnionDef) and isinstance(e, UnionDef):
        out += compare_unions(d, a, e, b)
    elif isinstance(d, AliasDef) and isinstance(e, AliasDef):
        out += type_changes(d.name, None, d.target, a, e.target, b)
    return out


def _nullable(d: Definition, side: Side) -> bool:
    if isinstance(d, AliasDef):
        return d.nullable or side.deep.is_nullable(d.target)
    return d.nullable


def flag(
    model: str, field: str | None, kind: str, old: bool, new: bool, yes: str, no: str = ""
) -> list[Change]:
    """A change between two states of a yes/no property, e.g. "nullable"/"not nullable"."""
    if old == new:
        return []
    no = no or f"not {yes}"
    return [Change(model, field, kind, yes if old else no, yes if new else no)]


def text_change(
    model: str, field: str | None, kind: str, old: str | None, new: str | None
) -> list[Change]:
    return [] if old == new else [Change(model, field, kind, old, new)]


def docs_changes(model: str, field: str | None, old: Docs, new: Docs) -> list[Change]:
    out = text_change(model, field, "description-changed", old.description, new.description)
    out += text_change(model, field, "title-changed", old.title, new.title)
    return out + flag(
        model, field, "deprecated-changed", old.deprecated, new.deprecated, "deprecated"
    )


# --- models -----------------------------------------------------------------------


def compare_models(d: ModelDef, a: Side, e: ModelDef, b: Side) -> list[Change]:
    out = flag(d.name, None, "closed-changed", d.closed, e.closed, "closed", "open")
    if not d.closed and not e.closed:
        out += text_change(
            d.name, None, "extra-changed", a.full.render(d.extra), b.full.render(e.extra)
        )
    old_fields = {f.json_name: f for f in d.fields}
    new_fields = {f.json_name: f for f in e.fields}
    for name in sorted(old_fields.keys() - new_fields.keys()):
        out.append(_field_presence(d.name, old_fields[name], a, "field-removed"))
    for name in sorted(new_fields.keys() - old_fields.keys()):
        out.append(_field_presence(d.name, new_fields[name], b, "field-added"))
    for name in sorted(old_fields.keys() & new_fields.keys()):
        out += compare_fields(d.name, old_fields[name], a, new_fields[name], b)
    return out


def _field_presence(model: str, f: Field, side: Side, kind: str) -> Change:
    type_text = side.deep.render(f.type)
    old, new = (type_text, None) if kind == "field-removed" else (None, type_text)
    return Change(model, f.json_name, kind, old, new, "required" if f.required else "optional")


def compare_fields(model: str, f: Field, a: Side, g: Field, b: Side) -> list[Change]:
    name = f.json_name
    out = type_changes(model, name, f.type, a, g.type, b)
    out += flag(model, name, "required-changed", f.required, g.required, "required", "optional")
    nullable_old, nullable_new = a.deep.is_nullable(f.type), b.deep.is_nullable(g.type)
    out += flag(model, name, "nullable-changed", nullable_old, nullable_new, "nullable")
    out += default_changes(model, f, g)
    out += text_change(model, name, "access-changed", _access(f), _access(g))
    return out + docs_changes(model, name, f.docs, g.docs)


def json_text(value: JsonValue) -> str:
    """A JSON value as canonical JSON text: 1, 1.0, "1" and true stay distinct."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _default(f: Field) -> str | None:
    return json_text(f.default) if f.has_default else None


def same_json(a: JsonValue, b: JsonValue) -> bool:
    """JSON equality: 1 and 1.0 are the same number, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


def default_changes(model: str, f: Field, g: Field) -> list[Change]:
    if f.has_default == g.has_default and (not f.has_default or same_json(f.default, g.default)):
        return []
    return [Change(model, f.json_name, "default-changed", _default(f), _default(g))]


def _access(f: Field) -> str:
    if f.read_only and f.write_only:
        return "read-only, write-only"
    return "read-only" if f.read_only else "write-only" if f.write_only else "read-write"


# --- types and constraints ------------------------------------------------------------


def type_changes(
    model: str, field: str | None, old: TypeExpr, a: Side, new: TypeExpr, b: Side
) -> list[Change]:
    """A type change, or else its constraint changes. Nullability is reported apart.

    Types that name the same alias are equal here (a change inside the alias is reported
    on the alias); otherwise aliases are followed, so a type moved into a named alias is
    no change.
    """
    for ra, rb in ((a.shallow, b.shallow), (a.deep, b.deep)):
        if ra.shape(old) == rb.shape(new):
            return constraint_changes(model, field, ra.constraint_map(old), rb.constraint_map(new))
    how = relation(old, a.deep, new, b.deep)
    return [Change(model, field, "type-changed", a.deep.shape(old), b.deep.shape(new), how)]


LOWER_BOUNDS = frozenset({"minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties"})
UPPER_BOUNDS = frozenset({"maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties"})


def constraint_changes(
    model: str, field: str | None, old: Mapping[str, Scalar], new: Mapping[str, Scalar]
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            kind = constraint_kind(key.rsplit(".", 1)[-1], before, after)
            out.append(Change(model, field, kind, _scalar(before), _scalar(after), key))
    return out


def _scalar(value: Scalar | None) -> str | None:
    return None if value is None else json_text(value)


def _number(value: Scalar | None) -> int | float | None:
    """The value as a number, unconverted: Python compares int and float exactly."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def constraint_kind(keyword: str, old: Scalar | None, new: Scalar | None) -> str:
    """Whether a constraint now allows fewer values (tightened), more, or different ones."""
    if old is None:
        return "constraint-tightened"
    if new is None:
        return "constraint-loosened"
    x, y = _number(old), _number(new)
    if x is None or y is None or x == y:
        return "constraint-changed"
    if keyword in LOWER_BOUNDS:
        return "constraint-tightened" if y > x else "constraint-loosened"
    if keyword in UPPER_BOUNDS:
        return "constraint-tightened" if y < x else "constraint-loosened"
    if keyword == "multipleOf" and x > 0 and y > 0:
        if _whole(y / x):
            return "constraint-tightened"  # every multiple of NEW is a multiple of OLD
        if _whole(x / y):
            return "constraint-loosened"
    return "constraint-changed"


def _whole(ratio: float) -> bool:
    return abs(ratio - round(ratio)) < 1e-9


# --- enums and unions -----------------------------------------------------------------


def set_changes(
    model: str, old: set[str], new: set[str], removed_kind: str, added_kind: str
) -> list[Change]:
    out = [Change(model, None, removed_kind, old=v) for v in sorted(old - new)]
    return out + [Change(model, None, added_kind, new=v) for v in sorted(new - old)]


def compare_enums(d: EnumDef, e: EnumDef) -> list[Change]:
    out = text_change(d.name, None, "type-changed", f"{d.kind} enum", f"{e.kind} enum")
    old = {json_text(m.value) for m in d.members}
    new = {json_text(m.value) for m in e.members}
    return out + set_changes(d.name, old, new, "enum-value-removed", "enum-value-added")


def compare_unions(d: UnionDef, a: Side, e: UnionDef, b: Side) -> list[Change]:
    old = {a.full.render(v) for v in d.variants}
    new = {b.full.render(v) for v in e.variants}
    out = set_changes(d.name, old, new, "variant-removed", "variant-added")
    prop_old = d.discriminator.property if d.discriminator else None
    prop_new = e.discriminator.property if e.discriminator else None
    out += text_change(d.name, None, "discriminator-changed", prop_old, prop_new)
    if d.discriminator and e.discriminator and prop_old == prop_new:
        out += tag_changes(d.name, _by_tag(d.discriminator), _by_tag(e.discriminator))
    return out


def _by_tag(disc: Discriminator) -> dict[str, str]:
    """Tag -> the variant it selects (`A | B` when a tag is shared by several)."""
    groups: dict[str, list[str]] = {}
    for tag, name in disc.mapping:
        groups.setdefault(tag, []).append(name)
    return {tag: " | ".join(names) for tag, names in groups.items()}


def tag_changes(model: str, old: dict[str, str], new: dict[str, str]) -> list[Change]:
    """Discriminator values added, removed, or now selecting another variant."""
    out = [
        Change(model, None, "tag-removed", json_text(t), None, old[t])
        for t in sorted(old.keys() - new.keys())
    ]
    out += [
        Change(model, None, "tag-added", None, json_text(t), new[t])
        for t in sorted(new.keys() - old.keys())
    ]
    for tag in sorted(old.keys() & new.keys()):
        if old[tag] != new[tag]:
            out.append(Change(model, None, "tag-changed", old[tag], new[tag], json_text(tag)))
    return out
