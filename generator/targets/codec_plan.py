"""The codec plan: what the generated decoders and encoders check, decode and encode.

Python decides here, once per package, what every definition, field and helper needs;
the result is immutable data (frozen dataclasses and tuples of identifiers and
literals). The templates in `templates/python/_codec/` render it, one macro file per
kind, so a user can reshape or override the code of one kind with `--templates`.

Generated decoders share one signature: `_d_X(d, path, strict, errs) -> Any`. They
append `(path, message)` to `errs` instead of raising, so that every problem is
reported at once; `path` is a linked tuple `(parent, key)` turned into `$.a[0].b` only
when a problem is reported.

Value plans (`Value`) describe how one local `v` is checked and rebound to its decoded
value; encoder plans (`Enc`) how a Python value becomes plain JSON.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from typing import ClassVar, Final, TypeAlias

from ..model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Constraints,
    Discriminator,
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
from ..patterns import properties, schema_patterns, used_categories
from .python import Codegen, py_literal, type_key

# --- decoding one value -------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """A constraint: `op` names the test (see `_codec/scalar.jinja`), `value` is its
    literal (or a pattern constant), `message` the literal reported when it fails."""

    op: str
    value: str
    message: str


@dataclass(frozen=True)
class Scalar:
    """A string, integer, number, boolean or null; `parse` converts it (rich formats)."""

    json: str  # the JSON type
    checks: tuple[Check, ...] = ()
    parse: str | None = None

    kind: ClassVar[str] = "scalar"


@dataclass(frozen=True)
class Const:
    """A literal value (`const`, one-member enum); `test` is "is", "str" or "eq"."""

    value: str
    test: str
    message: str

    kind: ClassVar[str] = "const"


@dataclass(frozen=True)
class FreeForm:
    """Any JSON value (or any object): copied; `check` names a strict-mode schema check."""

    object_only: bool
    check: str | None = None

    kind: ClassVar[str] = "free_form"


@dataclass(frozen=True)
class EnumValue:
    """A member of enum class `name`; `members`: the module constant holding a string
    enum's members by value (`name._value2member_map_`, a slower class attribute)."""

    name: str
    json: str  # the JSON type of its values
    members: str | None = None

    kind: ClassVar[str] = "enum"


@dataclass(frozen=True)
class Call:
    """A call to a generated decoder; `checks` are size checks done before the call."""

    decoder: str
    checks: tuple[Check, ...] = ()

    kind: ClassVar[str] = "call"


@dataclass(frozen=True)
class Null:
    """`inner`, or JSON null. `fold`: inner is one `if` that can take the null test."""

    inner: Value
    fold: bool

    kind: ClassVar[str] = "null"


Value: TypeAlias = Scalar | Const | FreeForm | EnumValue | Call | Null

# --- encoding one value -------------------------------------------------------------


@dataclass(frozen=True)
class Same:
    """The Python value is already plain JSON."""

    kind: ClassVar[str] = "same"


@dataclass(frozen=True)
class Convert:
    """`func(x)`: a rich format's encoder or a generated `_e_` function."""

    func: str

    kind: ClassVar[str] = "convert"


@dataclass(frozen=True)
class ToDict:
    """A model (or a union of models, or `UnknownVariant`): `x.to_dict()`."""

    kind: ClassVar[str] = "to_dict"


@dataclass(frozen=True)
class MemberValue:
    """An enum member: its `_value_`."""

    kind: ClassVar[str] = "member"


@dataclass(frozen=True)
class EncList:
    item: Enc

    kind: ClassVar[str] = "list"


@dataclass(frozen=True)
class EncMap:
    value: Enc

    kind: ClassVar[str] = "map"


@dataclass(frozen=True)
class EncTuple:
    items: tuple[Enc, ...]

    kind: ClassVar[str] = "tuple"


@dataclass(frozen=True)
class EncNull:
    inner: Enc

    kind: ClassVar[str] = "null"


@dataclass(frozen=True)
class Checked:
    """`_j(inner)`: a value orjson may write otherwise than `json` (a number, free-form
    JSON). `to_dict` returns it as it is; `to_json` checks it before orjson writes it."""

    inner: Enc

    kind: ClassVar[str] = "checked"


Enc: TypeAlias = (
    Same | Convert | ToDict | MemberValue | EncList | EncMap | EncTuple | EncNull | Checked
)
_CHECKED_SAME: Final = Checked(Same())
_CHECKED_SAME_LIST: Final = Checked(EncList(Same()))
_CHECKED_SAME_MAP: Final = Checked(EncMap(Same()))

# --- functions and constants of the generated module ----------------------------------


@dataclass(frozen=True)
class Trial:
    """Try `candidates` (value plan, label literal) in order: exact matches first.
    With `exclusive`, strict mode requires exactly one exact match (`oneOf`)."""

    candidates: tuple[tuple[Value, str], ...]
    exclusive: bool = False

    kind: ClassVar[str] = "trial"


@dataclass(frozen=True)
class Tag:
    """One discriminator value: a decoder to call, or variants to try."""

    value: str
    decoder: str | None
    trial: Trial | None


@dataclass(frozen=True)
class Discriminated:
    prop: str  # literal
    prop_name: str | None  # the property when it is an identifier (fits an f-string)
    tags: tuple[Tag, ...]
    others: tuple[Value, ...]  # variants without a tag, tried before UnknownVariant
    missing: str  # message literal

    kind: ClassVar[str] = "discriminated"


@dataclass(frozen=True)
class Branch:
    """The variants for one JSON type (`test` names the type check)."""

    test: str
    body: Trial | Discriminated


@dataclass(frozen=True)
class UnionDecoder:
    name: str
    branches: tuple[Branch, ...]
    expected: str | None  # literal for the error; None: anything else is free-form JSON
    nullable: bool = False

    kind: ClassVar[str] = "union"

    @property
    def locals(self) -> tuple[str, ...]:
        return _locals(*(_trial_locals(b.body) for b in self.branches))


@dataclass(frozen=True)
class ListDecoder:
    name: str
    items: Value

    kind: ClassVar[str] = "list"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class MapDecoder:
    name: str
    values: Value

    kind: ClassVar[str] = "map"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class TupleDecoder:
    name: str
    items: tuple[Value, ...]

    kind: ClassVar[str] = "tuple"

    @property
    def locals(self) -> tuple[str, ...]:
        return ("v",) if self.items else ()


@dataclass(frozen=True)
class FieldDecode:
    attr: str
    key: str  # literal
    required: bool
    value: Value
    # Required, and `value` rejects `MISSING` through `bad_type`, which reports the
    # absent property: read with `get(key, MISSING)`, no branch of its own.
    missing_checked: bool = False


@dataclass(frozen=True)
class ModelDecoder:
    name: str  # decoder function
    cls: str
    fields: tuple[FieldDecode, ...]
    optional: bool  # some field is optional (counted as `seen`)
    required: int
    extra_free: bool  # unknown properties are free-form JSON (shared runtime helper)
    closed: bool

    kind: ClassVar[str] = "model"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()

    @property
    def reads(self) -> int:
        """How many fields are read with `get` (optional, or missing_checked)."""
        return sum(1 for f in self.fields if f.missing_checked or not f.required)


@dataclass(frozen=True)
class ExtraDecoder:
    """`_KEYS_X` and, unless extra properties are free-form, `_extra_X`."""

    cls: str
    keys: tuple[str, ...]  # literals
    value: Value | None
    closed: bool
    # Every property's attribute has its name: `_KEYS_X` is taken from the dataclass.
    named: bool = False

    kind: ClassVar[str] = "extra"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class AliasDecoder:
    name: str
    value: Value
    nullable: bool

    kind: ClassVar[str] = "alias"

    @property
    def locals(self) -> tuple[str, ...]:
        return ("v",)


@dataclass(frozen=True)
class AliasEncoder:
    name: str
    enc: Enc
    nullable: bool

    kind: ClassVar[str] = "alias_encoder"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class UnionEncoder:
    name: str
    enums: tuple[tuple[str, Enc], ...]  # (class, encoding)
    rich: tuple[tuple[str, str], ...]  # (class, encoder)
    containers: tuple[tuple[str, Enc], ...]  # ("list" or "dict", encoding)
    objects: bool  # some variant has `to_dict`

    kind: ClassVar[str] = "union_encoder"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class CheckConst:
    name: str
    schema: str  # literal
    defs: str  # literal

    kind: ClassVar[str] = "check"

    @property
    def locals(self) -> tuple[str, ...]:
        return ()


Function: TypeAlias = (
    UnionDecoder
    | ListDecoder
    | MapDecoder
    | TupleDecoder
    | ModelDecoder
    | ExtraDecoder
    | AliasDecoder
    | AliasEncoder
    | UnionEncoder
    | CheckConst
)


@dataclass(frozen=True)
class FieldEncode:
    attr: str
    key: str  # literal
    required: bool
    enc: Enc
    split: bool  # nullable with a conversion: `None if x is None else ...`


@dataclass(frozen=True)
class ModelEncoder:
    """The body of a model's `to_dict`; `extra` encodes additional properties."""

    fields: tuple[FieldEncode, ...]
    extra: Enc
    extra_free: bool  # additional properties are free-form JSON: copied as they are


@dataclass(frozen=True)
class CodecPlan:
    functions: tuple[Function, ...]  # in module order
    encoders: dict[str, ModelEncoder]  # model name -> `to_dict` body
    patterns: tuple[tuple[str, str, bool], ...]  # (constant, pattern literal, lazy)
    # A dict literal: the Unicode property names the patterns use (`\p{Letter}`) -> their
    # general categories ("" when none): such a pattern is translated on first use
    # (`_check.UnicodePattern`).
    unicode: str = ""
    members: tuple[tuple[str, str], ...] = ()  # (constant, string enum) of EnumValue.members

    @property
    def checks(self) -> bool:
        """Whether some value is checked against a schema in strict mode (`_check.py`)."""
        return any(isinstance(f, CheckConst) for f in self.functions)


# Locals a generated function declares (for mypy), in the order they are declared.
_LOCALS = ("v", "found", "tried", "sub")


def _locals(*used: set[str]) -> tuple[str, ...]:
    names = set().union(*used)
    return tuple(n for n in _LOCALS if n in names)


def _trial_locals(body: Trial | Discriminated) -> set[str]:
    if isinstance(body, Discriminated):
        out = set().union(*(_trial_locals(t.trial) for t in body.tags if t.trial))
        return out | ({"sub", "v"} if body.others else set())
    if len(body.candidates) == 1:
        value = body.candidates[0][0]
        # one call of a decoder returns what it decodes (`_codec/union.jinja` `direct`)
        return set() if isinstance(value, Call) and not value.checks else {"v"}
    return {"v", "sub", "tried"} | ({"found"} if body.exclusive else set())


# The longest enum name with a members constant: `v = _M_<name>[v]` at the deepest
# indentation a value is decoded at (16) and `_M_<name> = _models.<name>._value2member_map_`
# split once both fit a line. Longer ones go through `enum_value`.
_MEMBERS_NAME_MAX = 57

# --- building the plan --------------------------------------------------------------

_UNION_TESTS = ("null", "boolean", "integer", "number", "string", "array", "object")


class _Builder:
    """Walks the package once; helpers are planned the first time they are needed."""

    def __init__(self, cg: Codegen) -> None:
        self.cg = cg
        self.defs = cg.defs
        self.helpers: dict[str, Function | None] = {}
        self.patterns: dict[str, str] = {}
        self.check_patterns: list[str] = []  # the patterns of the strict checks' schemas
        self.members: dict[str, str] = {}  # string enum -> its EnumValue.members
        self.bases = {d.base for d in self.defs.values() if isinstance(d, ModelDef) and d.base}

    def check_const(self, check: str) -> str:
        name = "_CHECK_" + hashlib.sha256(check.encode()).hexdigest()[:10]
        if name not in self.helpers:
            schema, defs = json.loads(check)
            self.check_patterns += schema_patterns([schema, defs])
            self.helpers[name] = CheckConst(name, py_literal(schema), py_literal(defs))
        return name

    def pattern_const(self, pattern: str) -> str:
        if pattern not in self.patterns:
            self.patterns[pattern] = f"_PATTERN_{len(self.patterns)}"
        return self.patterns[pattern]

    # --- values ---------------------------------------------------------------

    def value(self, t: TypeExpr) -> Value:
        if isinstance(t, Nullable):
            inner = self.value(t.inner)
            return Null(inner, _one_if(inner))
        if isinstance(t, Primitive):
            rich = self.cg.rich(t)
            checks = self.constraint_checks(t.constraints, t.kind)
            return Scalar(t.kind, checks, rich[2] if rich else None)
        if isinstance(t, LiteralType):
            test = (
                "is" if isinstance(t.value, bool) else "str" if isinstance(t.value, str) else "eq"
            )
            return Const(py_literal(t.value), test, py_literal("expected " + repr(t.value)))
        if isinstance(t, AnyJson):
            check = None
            if t.check is not None and not t.object_only:
                check = self.check_const(t.check)
            return FreeForm(t.object_only, check)
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if isinstance(d, EnumDef):
                if d.kind != "string" or len(d.name) > _MEMBERS_NAME_MAX:
                    return EnumValue(d.name, d.kind)
                members = self.members.setdefault(d.name, f"_M_{d.name}")
                return EnumValue(d.name, d.kind, members)
            inline = self.cg.inline_alias(d)
            if inline is not None:  # no call for a simple alias such as Metadata
                return self.value(inline)
            return Call(f"_d_{t.name}")
        name = self.helper(t)
        if isinstance(t, (ArrayType, MapType)):
            return Call(name, self.size_checks(t))
        return Call(name)

    def constraint_checks(self, c: Constraints, kind: str) -> tuple[Check, ...]:
        checks: list[Check] = []
        if kind in ("integer", "number"):
            for op, bound, text in (
                ("min", c.minimum, ">="),
                ("max", c.maximum, "<="),
                ("exclusive_min", c.exclusive_minimum, ">"),
                ("exclusive_max", c.exclusive_maximum, "<"),
            ):
                if bound is not None:
                    checks.append(
                        Check(op, py_literal(bound), py_literal(f"must be {text} {bound!r}"))
                    )
            if c.multiple_of:
                message = py_literal(f"must be a multiple of {c.multiple_of!r}")
                checks.append(Check("multiple_of", py_literal(c.multiple_of), message))
        if kind == "string":
            if c.min_length is not None:
                message = py_literal(f"must be at least {c.min_length} characters")
                checks.append(Check("min_length", str(c.min_length), message))
            if c.max_length is not None:
                message = py_literal(f"must be at most {c.max_length} characters")
                checks.append(Check("max_length", str(c.max_length), message))
            if c.pattern is not None:
                message = py_literal(f"must match pattern {c.pattern!r}")
                checks.append(Check("pattern", self.pattern_const(c.pattern), message))
        return tuple(checks)

    def size_checks(self, t: ArrayType | MapType) -> tuple[Check, ...]:
        c = t.constraints
        array = isinstance(t, ArrayType)
        lo, hi = (c.min_items, c.max_items) if array else (c.min_properties, c.max_properties)
        noun = "items" if array else "properties"
        container = "list" if array else "dict"
        out: list[Check] = []
        if lo is not None:
            message = py_literal(f"must have at least {lo} {noun}")
            out.append(Check(f"min_{container}", str(lo), message))
        if hi is not None:
            message = py_literal(f"must have at most {hi} {noun}")
            out.append(Check(f"max_{container}", str(hi), message))
        if array and c.unique_items:
            out.append(Check("unique", "", py_literal("items must be unique")))
        return tuple(out)

    def helper(self, t: TypeExpr) -> str:
        """Name of a module-level decoder for a container type, planned once."""
        name = "_d_" + type_key(t)
        if name in self.helpers:
            return name
        self.helpers[name] = None  # reserve first: item types may recurse
        plan: Function
        if isinstance(t, ArrayType):
            plan = ListDecoder(name, self.value(t.items))
        elif isinstance(t, MapType):
            plan = MapDecoder(name, self.value(t.values))
        elif isinstance(t, TupleType):
            plan = TupleDecoder(name, tuple(self.value(i) for i in t.items))
        elif isinstance(t, InlineUnion):
            plan = self.union(name, list(t.variants), None)
        else:
            raise AssertionError(t)
        self.helpers[name] = plan
        return name

    # --- unions ---------------------------------------------------------------

    def union(
        self,
        name: str,
        variants: list[TypeExpr],
        disc: Discriminator | None,
        nullable: bool = False,
        exclusive: bool = False,
    ) -> UnionDecoder:
        """Dispatch on the JSON type, then on the discriminator, then try in order (with
        `exclusive`, strict mode requires exactly one exact match)."""
        by_kind: dict[str, list[TypeExpr]] = {}
        for variant in variants:
            for kind in sorted(self.cg.json_kinds(variant)):
                by_kind.setdefault(kind, []).append(variant)
        anys = by_kind.pop("any", [])
        branches: list[Branch] = []
        for kind in _UNION_TESTS:
            candidates = by_kind.get(kind, []) + [a for a in anys if a not in by_kind.get(kind, [])]
            if not candidates:
                continue
            body: Trial | Discriminated
            if kind == "object" and disc is not None:
                body = self.discriminated(disc, candidates)
            else:
                body = self.trial(candidates, exclusive)
            branches.append(Branch(kind, body))
        kinds = sorted({k for v in variants for k in self.cg.json_kinds(v)} - {"any"})
        expected = None if anys else py_literal(" or ".join(kinds) if kinds else "a JSON value")
        return UnionDecoder(name, tuple(branches), expected, nullable)

    def trial(self, candidates: list[TypeExpr], exclusive: bool = False) -> Trial:
        plans = tuple((self.value(c), py_literal(self.cg.annotation(c) + ": ")) for c in candidates)
        return Trial(plans, exclusive)

    def discriminated(self, disc: Discriminator, candidates: list[TypeExpr]) -> Discriminated:
        groups: dict[str, list[str]] = {}
        for tag, target in disc.mapping:
            groups.setdefault(tag, []).append(target)
        tags = tuple(
            Tag(py_literal(tag), f"_d_{targets[0]}", None)
            if len(targets) == 1
            else Tag(py_literal(tag), None, self.trial([Ref(t) for t in targets], exclusive=True))
            for tag, targets in groups.items()
        )
        others = tuple(
            self.value(c)
            for c in candidates
            if not (isinstance(c, Ref) and any(c.name == name for _, name in disc.mapping))
        )
        missing = py_literal(f"{disc.property!r} is required and must be a string")
        prop_name = disc.property if disc.property.isidentifier() else None
        return Discriminated(py_literal(disc.property), prop_name, tags, others, missing)

    # --- definitions ----------------------------------------------------------

    def model(self, m: ModelDef) -> ModelDecoder:
        fields = tuple(
            FieldDecode(
                f.name,
                py_literal(f.json_name),
                f.required,
                self.value(f.type),
            )
            for f in m.fields
        )
        required = sum(1 for f in m.fields if f.required)
        extra_free = isinstance(m.extra, AnyJson) and not m.extra.object_only
        return ModelDecoder(
            f"_d_{m.name}",
            m.name,
            fields,
            required < len(m.fields),
            required,
            extra_free,
            m.closed,
        )

    def extra(self, m: ModelDef) -> ExtraDecoder:
        keys = tuple(py_literal(f.json_name) for f in m.fields)
        free = isinstance(m.extra, AnyJson) and not m.extra.object_only
        named = all(f.name == f.json_name != "additional_properties" for f in m.fields)
        value = None if free else self.value(m.extra)
        return ExtraDecoder(m.name, keys, value, m.closed, named)

    def alias(self, a: AliasDef) -> AliasDecoder:
        return AliasDecoder(f"_d_{a.name}", self.value(a.target), a.nullable)

    # --- encoding -------------------------------------------------------------

    def enc(self, t: TypeExpr) -> Enc:
        """How Python value of type `t` becomes plain JSON."""
        if isinstance(t, Nullable):
            inner = self.enc(t.inner)
            plain = isinstance(inner, Same) or inner == _CHECKED_SAME  # `_j(None)` is None
            return inner if plain else EncNull(inner)
        if isinstance(t, Primitive):
            rich = self.cg.rich(t)
            if rich:
                return Convert(rich[3])
            return _CHECKED_SAME if t.kind == "number" else Same()
        if isinstance(t, LiteralType):
            return _CHECKED_SAME if isinstance(t.value, float) else Same()
        if isinstance(t, AnyJson):
            return _CHECKED_SAME  # shared: the model owns a private copy
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if isinstance(d, ModelDef):
                # A model no other model extends has one encoder: call it directly.
                return ToDict() if d.name in self.bases else Convert(f"_e_{d.name}")
            if isinstance(d, EnumDef):
                if d.kind == "boolean":
                    return Same()
                return Checked(MemberValue()) if d.kind == "number" else MemberValue()
            if isinstance(d, UnionDef) and all(self.cg.is_model(v) for v in d.variants):
                return ToDict()  # every variant, and UnknownVariant, has to_dict
            inline = self.cg.inline_alias(d)
            if inline is not None:
                return self.enc(inline)
            return Convert(f"_e_{t.name}")
        if isinstance(t, ArrayType):
            item = self.enc(t.items)
            # One check of the copy, not a call per item.
            return _CHECKED_SAME_LIST if item == _CHECKED_SAME else EncList(item)
        if isinstance(t, MapType):
            value = self.enc(t.values)
            return _CHECKED_SAME_MAP if value == _CHECKED_SAME else EncMap(value)
        if isinstance(t, TupleType):
            return EncTuple(tuple(self.enc(i) for i in t.items))
        if isinstance(t, InlineUnion):
            return Convert(self.encoder_helper(t))
        raise AssertionError(t)

    def encoder_helper(self, t: InlineUnion) -> str:
        name = "_e_" + type_key(t)
        if name not in self.helpers:
            self.helpers[name] = None
            self.helpers[name] = self.union_encoder(name, list(t.variants))
        return name

    def union_encoder(self, name: str, variants: list[TypeExpr]) -> UnionEncoder:
        cg = self.cg
        variants = cg.flat_variants(variants)
        enums: list[tuple[str, Enc]] = []
        rich: list[tuple[str, str]] = []
        containers: list[tuple[str, Enc]] = []
        for v in variants:
            target = cg.resolve_alias(v.inner if isinstance(v, Nullable) else v)
            d = self.defs.get(target.name) if isinstance(target, Ref) else None
            if isinstance(d, EnumDef):
                enums.append((d.name, self.enc(target)))
        for v in variants:
            inner = cg.resolve_alias(v.inner if isinstance(v, Nullable) else v)
            spec = cg.rich(inner) if isinstance(inner, Primitive) else None
            if spec:
                rich.append((spec[1], spec[3]))
        for v in variants:
            c = cg.resolve_alias(v)
            c = c.inner if isinstance(c, Nullable) else c
            if isinstance(c, (ArrayType, TupleType)):
                containers.append(("list", self.enc(c)))
            elif isinstance(c, (MapType, AnyJson)):
                containers.append(("dict", self.enc(c)))
        objects = any(
            isinstance(c, Ref) and isinstance(self.defs.get(c.name), (ModelDef, UnionDef))
            for c in (v.inner if isinstance(v, Nullable) else v for v in variants)
        )
        return UnionEncoder(name, tuple(enums), tuple(rich), tuple(containers), objects)

    def model_encoder(self, m: ModelDef) -> ModelEncoder:
        fields: list[FieldEncode] = []
        for f in m.fields:
            enc = self.enc(f.type)
            split = isinstance(f.type, Nullable) and isinstance(enc, EncNull)
            fields.append(FieldEncode(f.name, py_literal(f.json_name), f.required, enc, split))
        return ModelEncoder(tuple(fields), self.enc(m.extra), isinstance(m.extra, AnyJson))


def _one_if(v: Value) -> bool:
    """Whether the plan of `v` is a single `if` with no `elif`/`else`, so that a null
    test can join its condition (ruff SIM102)."""
    if isinstance(v, Scalar):
        return not v.checks and v.parse is None and v.json != "number"
    return isinstance(v, Const)


def build(cg: Codegen, models: list[ModelDef], aliases: list[AliasDef | UnionDef]) -> CodecPlan:
    """The codec plan of a package: models (in `models` order), then aliases and unions,
    then the helpers they need (by name), then pattern constants."""
    b = _Builder(cg)
    functions: list[Function] = []
    for m in models:
        functions += [b.model(m), b.extra(m)]
    for a in aliases:
        if isinstance(a, UnionDef):
            variants = list(a.variants)
            decoder = b.union(f"_d_{a.name}", variants, a.discriminator, a.nullable, a.exclusive)
            functions += [decoder, b.union_encoder(f"_e_{a.name}", variants)]
        else:
            functions += [b.alias(a), AliasEncoder(f"_e_{a.name}", b.enc(a.target), a.nullable)]
    encoders = {m.name: b.model_encoder(m) for m in models}
    for name in sorted(b.helpers):
        helper = b.helpers[name]
        assert helper is not None
        functions.append(helper)
    used = used_categories([*b.patterns, *b.check_patterns])
    unicode = "{" + ", ".join(f"{py_literal(n)}: {_tuple_literal(c)}" for n, c in used) + "}"
    patterns = tuple((const, py_literal(p), bool(properties(p))) for p, const in b.patterns.items())
    members = tuple((const, name) for name, const in sorted(b.members.items()))
    return CodecPlan(
        _check_missing(functions), encoders, patterns, unicode if used else "", members
    )


def _tuple_literal(items: tuple[str, ...]) -> str:
    return "(" + ", ".join(py_literal(i) for i in items) + ("," if len(items) == 1 else "") + ")"


def _check_missing(functions: list[Function]) -> tuple[Function, ...]:
    """`functions`, with each required field whose value rejects `MISSING` (see
    `rejects`) marked `missing_checked`."""
    by_name = {f.name: f for f in functions if hasattr(f, "name")}
    known: dict[str, bool] = {}

    def rejects(v: Value) -> bool:
        """Whether the first problem the code of `v` finds in `MISSING` goes through
        `bad_type` at `v`'s own path (and so reads "'key' is required")."""
        if isinstance(v, (Scalar, EnumValue, Const)):
            return True  # a type check first (enum_value's too), or bad_value
        if isinstance(v, FreeForm):
            return v.object_only  # any JSON: decode_json, which trusts parsed values
        if isinstance(v, Null):
            return rejects(v.inner)
        if isinstance(v, Call):
            if v.decoder not in known:
                known[v.decoder] = False  # a cycle (through aliases) is not assumed safe
                known[v.decoder] = decodes(by_name.get(v.decoder))
            return known[v.decoder]
        raise AssertionError(v)

    def decodes(f: Function | None) -> bool:
        if isinstance(f, (ModelDecoder, ListDecoder, MapDecoder)):
            return True  # `type(d) is not dict/list` first
        if isinstance(f, UnionDecoder):
            return f.expected is not None  # no branch takes MISSING: bad_type at the end
        if isinstance(f, AliasDecoder):
            return rejects(f.value)
        return False  # a tuple reports its own message

    out: list[Function] = []
    for f in functions:
        if isinstance(f, ModelDecoder):
            fields = tuple(
                replace(field, missing_checked=field.required and rejects(field.value))
                for field in f.fields
            )
            f = replace(f, fields=fields)
        out.append(f)
    return tuple(out)
