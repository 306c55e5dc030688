"""Type expressions as the differ sees them: canonical strings, constraints, a subtype test.

A field's type is compared by its canonical string, rendered in Python notation
(`list[str] | None`). Refs to named models, enums and unions render as their names, so a
change inside one is reported on that definition, not on every field that uses it; Refs to
aliases can be followed, so `dict[str, JsonValue]` inline and `Metadata = dict[str, str]`
compare as the types they stand for. Constraints and formats are left out of the shape and
compared separately, keyword by keyword.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace

from ..model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Constraints,
    Definition,
    EnumDef,
    InlineUnion,
    LiteralType,
    MapType,
    ModelDef,
    Nullable,
    Primitive,
    Ref,
    TupleType,
    TypeExpr,
    UnionDef,
)

Scalar = str | int | float | bool

SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# `Constraints` attribute -> the JSON Schema keyword users know it by.
KEYWORDS = {
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusive_minimum": "exclusiveMinimum",
    "exclusive_maximum": "exclusiveMaximum",
    "multiple_of": "multipleOf",
    "min_length": "minLength",
    "max_length": "maxLength",
    "pattern": "pattern",
    "min_items": "minItems",
    "max_items": "maxItems",
    "unique_items": "uniqueItems",
    "min_properties": "minProperties",
    "max_properties": "maxProperties",
}
MAX_DEPTH = 40  # bounds alias chains and recursion through unions


def constraint_items(c: Constraints) -> list[tuple[str, Scalar]]:
    """The constraints that are set, as (JSON Schema keyword, value), in a fixed order."""
    out: list[tuple[str, Scalar]] = []
    for f in fields(c):
        value = getattr(c, f.name)
        if value is not None and value is not False:
            out.append((KEYWORDS[f.name], value))
    return out


@dataclass(frozen=True)
class Renderer:
    """Renders the type expressions of one package.

    `expand`: follow Refs to aliases (else render the alias name). `constraints`: append
    constraints and formats, `str(maxLength=64)`. `renames`: names to render differently
    (used to look for renamed definitions).
    """

    defs: Mapping[str, Definition]
    expand: bool = True
    constraints: bool = False
    renames: Mapping[str, str] = field(default_factory=dict)

    def but(self, *, expand: bool | None = None, constraints: bool | None = None) -> Renderer:
        return replace(
            self,
            expand=self.expand if expand is None else expand,
            constraints=self.constraints if constraints is None else constraints,
        )

    def alias(self, t: TypeExpr, seen: frozenset[str]) -> AliasDef | None:
        if not (self.expand and isinstance(t, Ref)) or t.name in seen:
            return None
        d = self.defs.get(t.name)
        return d if isinstance(d, AliasDef) else None

    def split(
        self, t: TypeExpr, seen: frozenset[str] = frozenset()
    ) -> tuple[TypeExpr, bool, frozenset[str]]:
        """(core, nullable, aliases followed): `Nullable` stripped, aliases followed."""
        nullable = False
        while True:
            if isinstance(t, Nullable):
                t, nullable = t.inner, True
                continue
            alias = self.alias(t, seen)
            if alias is None:
                return t, nullable, seen
            nullable = nullable or alias.nullable
            t, seen = alias.target, seen | {alias.name}

    def core(self, t: TypeExpr) -> TypeExpr:
        return self.split(t)[0]

    def is_nullable(self, t: TypeExpr) -> bool:
        """Whether JSON null is a value: a `Nullable`, or a nullable definition."""
        core, nullable, _ = self.split(t)
        d = self.defs.get(core.name) if isinstance(core, Ref) else None
        return nullable or (d is not None and d.nullable)

    def render(self, t: TypeExpr, seen: frozenset[str] = frozenset()) -> str:
        core, nullable, seen = self.split(t, seen)
        text = self.render_core(core, seen)
        return f"{text} | None" if nullable else text

    def shape(self, t: TypeExpr) -> str:
        """The type without its top-level nullability (reported on its own)."""
        core, _, seen = self.split(t)
        return self.render_core(core, seen)

    def render_core(self, t: TypeExpr, seen: frozenset[str]) -> str:
        if len(seen) > MAX_DEPTH:
            return "..."
        if isinstance(t, Primitive):
            return SCALARS.get(t.kind, t.kind) + self.suffix(t.constraints, t.format)
        if isinstance(t, LiteralType):
            return f"Literal[{t.value!r}]"
        if isinstance(t, Ref):
            return self.renames.get(t.name, t.name)
        if isinstance(t, ArrayType):
            return f"list[{self.render(t.items, seen)}]" + self.suffix(t.constraints)
        if isinstance(t, TupleType):
            return "tuple[" + ", ".join(self.render(i, seen) for i in t.items) + "]"
        if isinstance(t, MapType):
            return f"dict[str, {self.render(t.values, seen)}]" + self.suffix(t.constraints)
        if isinstance(t, InlineUnion):
            return " | ".join(sorted({self.render(v, seen) for v in t.variants}))
        if isinstance(t, AnyJson):
            return "dict[str, JsonValue]" if t.object_only else "JsonValue"
        return self.render(t, seen)  # a Nullable: split() never returns one

    def suffix(self, c: Constraints, fmt: str | None = None) -> str:
        if not self.constraints:
            return ""
        parts = [f"format={fmt}"] if fmt is not None else []
        parts += [f"{kw}={value!r}" for kw, value in constraint_items(c)]
        return f"({', '.join(parts)})" if parts else ""

    def constraint_map(self, t: TypeExpr, path: str = "") -> dict[str, Scalar]:
        """Every constraint and format in `t`, keyed `path.keyword` (`items.maxLength`)."""
        out: dict[str, Scalar] = {}
        self._collect(t, path, frozenset(), out)
        return out

    def _collect(
        self, t: TypeExpr, path: str, seen: frozenset[str], out: dict[str, Scalar]
    ) -> None:
        core, _, seen = self.split(t, seen)
        if len(seen) > MAX_DEPTH:
            return
        prefix = f"{path}." if path else ""
        if isinstance(core, Primitive) and core.format is not None:
            out[prefix + "format"] = core.format
        if isinstance(core, (Primitive, ArrayType, MapType)):
            out.update((prefix + kw, value) for kw, value in constraint_items(core.constraints))
        for sub, child in _children(core, self.but(constraints=False)):
            self._collect(child, prefix + sub, seen, out)


def _children(t: TypeExpr, plain: Renderer) -> list[tuple[str, TypeExpr]]:
    """(path segment, type) of the positions inside a composite type."""
    if isinstance(t, ArrayType):
        return [("items", t.items)]
    if isinstance(t, MapType):
        return [("values", t.values)]
    if isinstance(t, TupleType):
        return [(f"[{i}]", item) for i, item in enumerate(t.items)]
    if isinstance(t, InlineUnion):
        return [(f"<{plain.render(v)}>", v) for v in t.variants]
    return []


# --- subtype test -------------------------------------------------------------------


def relation(old: TypeExpr, ro: Renderer, new: TypeExpr, rn: Renderer) -> str:
    """How NEW relates to OLD, ignoring top-level nullability and constraints.

    "narrowed": every NEW value was an OLD value; "widened": the reverse; "equivalent":
    both; "" when neither (an unrelated type).
    """
    a, b = ro.core(old), rn.core(new)
    narrower = Subtyping(rn, ro).test(b, a)
    wider = Subtyping(ro, rn).test(a, b)
    if narrower and wider:
        return "equivalent"
    return "narrowed" if narrower else "widened" if wider else ""


def is_subtype(a: TypeExpr, ra: Renderer, b: TypeExpr, rb: Renderer) -> bool:
    """Whether every JSON value of `a` (typed in ra's package) is a value of `b` (in rb's)."""
    return Subtyping(ra, rb).test(a, b)


class Subtyping:
    """`test(a, b)`: is `a` (in one package) a subtype of `b` (in the other)?

    Each pair of types is decided once; a pair met again while it is being decided (a
    recursive type) is assumed to hold, as usual for recursive types. So the work is
    bounded by the number of pairs, however the unions nest.
    """

    def __init__(self, ra: Renderer, rb: Renderer) -> None:
        self.ra, self.rb = ra.but(constraints=False), rb.but(constraints=False)
        self.memo: dict[tuple[TypeExpr, TypeExpr], bool] = {}

    def test(self, a: TypeExpr, b: TypeExpr) -> bool:
        key = (a, b)
        if key not in self.memo:
            self.memo[key] = True  # assumed while being decided
            self.memo[key] = self._decide(a, b)
        return self.memo[key]

    def _decide(self, a: TypeExpr, b: TypeExpr) -> bool:
        ac, a_null, _ = self.ra.split(a)
        bc, b_null, _ = self.rb.split(b)
        any_value = isinstance(bc, AnyJson) and not bc.object_only  # JsonValue includes None
        if a_null and not (b_null or any_value):
            return False
        if self.ra.shape(ac) == self.rb.shape(bc):
            return True
        return self._core(ac, bc)

    def _core(self, a: TypeExpr, b: TypeExpr) -> bool:
        a_def = self.ra.defs.get(a.name) if isinstance(a, Ref) else None
        b_def = self.rb.defs.get(b.name) if isinstance(b, Ref) else None
        if isinstance(a_def, UnionDef):
            return all(self.test(v, b) for v in a_def.variants)
        if isinstance(a, InlineUnion):
            return all(self.test(v, b) for v in a.variants)
        if isinstance(b, AnyJson):
            return not b.object_only or _is_object(a, a_def)
        if isinstance(b_def, UnionDef):
            return any(self.test(a, v) for v in b_def.variants)
        if isinstance(b, InlineUnion):
            return any(self.test(a, v) for v in b.variants)
        return _scalar_subtype(a, a_def, b, b_def) or self._container(a, b)

    def _container(self, a: TypeExpr, b: TypeExpr) -> bool:
        if isinstance(a, ArrayType) and isinstance(b, ArrayType):
            return self.test(a.items, b.items)
        if isinstance(a, MapType) and isinstance(b, MapType):
            return self.test(a.values, b.values)
        if isinstance(a, TupleType) and isinstance(b, ArrayType):
            return all(self.test(i, b.items) for i in a.items)
        if isinstance(a, TupleType) and isinstance(b, TupleType):
            return len(a.items) == len(b.items) and all(
                self.test(x, y) for x, y in zip(a.items, b.items, strict=True)
            )
        return False


def _is_object(t: TypeExpr, d: Definition | None) -> bool:
    return (
        isinstance(t, MapType)
        or isinstance(d, ModelDef)
        or (isinstance(t, AnyJson) and t.object_only)
    )


def _kind_of(value: Scalar) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return "number" if isinstance(value, float) else "string"


def _kind_fits(kind: str, into: str) -> bool:
    return kind == into or (kind == "integer" and into == "number")


def _scalar_subtype(
    a: TypeExpr, a_def: Definition | None, b: TypeExpr, b_def: Definition | None
) -> bool:
    values: list[Scalar] | None = None
    kind = ""
    if isinstance(a, LiteralType):
        values, kind = [a.value], _kind_of(a.value)
    elif isinstance(a_def, EnumDef):
        values, kind = [m.value for m in a_def.members], a_def.kind
    elif isinstance(a, Primitive):
        kind = a.kind
    if isinstance(b, Primitive):
        return bool(kind) and _kind_fits(kind, b.kind)
    if values is None:
        return False
    if isinstance(b, LiteralType):
        return all(v == b.value and type(v) is type(b.value) for v in values)
    if isinstance(b_def, EnumDef):
        allowed = {(type(m.value), m.value) for m in b_def.members}
        return all((type(v), v) in allowed for v in values)
    return False
