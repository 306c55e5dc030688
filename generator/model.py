"""The intermediate model: the one contract between the spec reader and every target.

Plain frozen dataclasses, no behaviour beyond small queries. `build/` produces a
`Package`; the Python and Markdown targets and the differ only ever read it.

A type is a `TypeExpr`: a tree of the node classes below. Named definitions
(`ModelDef`, `EnumDef`, `UnionDef`, `AliasDef`) are referred to by `Ref(name)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

# A JSON value as it came from the spec (defaults, enum values, examples).
JsonValue: TypeAlias = None | bool | int | float | str | list["JsonValue"] | dict[str, "JsonValue"]


@dataclass(frozen=True)
class Constraints:
    """JSON Schema validation keywords that the generated decoder enforces."""

    minimum: int | float | None = None
    maximum: int | float | None = None
    exclusive_minimum: int | float | None = None
    exclusive_maximum: int | float | None = None
    multiple_of: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    unique_items: bool = False
    min_properties: int | None = None
    max_properties: int | None = None

    def is_empty(self) -> bool:
        return self == _NO_CONSTRAINTS


_NO_CONSTRAINTS = Constraints()


# --- type expressions -------------------------------------------------------


@dataclass(frozen=True)
class Primitive:
    """A JSON scalar: kind is one of "string", "integer", "number", "boolean", "null"."""

    kind: str
    format: str | None = None
    constraints: Constraints = _NO_CONSTRAINTS


@dataclass(frozen=True)
class LiteralType:
    """A single allowed value (`const`, or an enum with one value)."""

    value: str | int | float | bool


@dataclass(frozen=True)
class Ref:
    """A reference to a named definition in `Package.definitions`."""

    name: str


@dataclass(frozen=True)
class ArrayType:
    items: TypeExpr
    constraints: Constraints = _NO_CONSTRAINTS


@dataclass(frozen=True)
class TupleType:
    """`prefixItems`: a fixed-length array with one type per position."""

    items: tuple[TypeExpr, ...]


@dataclass(frozen=True)
class MapType:
    """An object used as a dictionary: `additionalProperties: {schema}`."""

    values: TypeExpr
    constraints: Constraints = _NO_CONSTRAINTS


@dataclass(frozen=True)
class AnyJson:
    """Any JSON value (an empty schema, or a free-form object when `object_only`).

    `check`, when set, is a schema no Python type carries, as canonical JSON text of
    `[schema, {"$ref" value: referenced schema}]`: strict decoding validates against it."""

    object_only: bool = False
    check: str | None = None


@dataclass(frozen=True)
class Nullable:
    """`inner` or JSON null. Never nested: Nullable(Nullable(x)) is normalised away."""

    inner: TypeExpr


@dataclass(frozen=True)
class InlineUnion:
    """An anonymous union of scalar types (a JSON Schema 2020-12 `type` list)."""

    variants: tuple[TypeExpr, ...]


TypeExpr: TypeAlias = (
    Primitive
    | LiteralType
    | Ref
    | ArrayType
    | TupleType
    | MapType
    | AnyJson
    | Nullable
    | InlineUnion
)


# --- definitions --------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a definition or field came from, for error messages and docs."""

    pointer: str  # JSON pointer, e.g. "#/components/schemas/RunObject/properties/status"
    file: str = ""
    line: int = 0
    column: int = 0


@dataclass(frozen=True)
class Docs:
    title: str | None = None
    description: str | None = None
    deprecated: bool = False
    examples: tuple[JsonValue, ...] = ()
    extensions: tuple[tuple[str, JsonValue], ...] = ()  # `x-` keys, in spec order


@dataclass(frozen=True)
class Field:
    name: str  # Python identifier
    json_name: str  # the property name exactly as in the spec
    type: TypeExpr
    required: bool
    default: JsonValue = None
    has_default: bool = False
    read_only: bool = False
    write_only: bool = False
    docs: Docs = Docs()
    source: Source = Source("")

    @property
    def nullable(self) -> bool:
        return isinstance(self.type, Nullable)


@dataclass(frozen=True)
class ModelDef:
    """An object schema with named properties: a dataclass."""

    name: str
    fields: tuple[Field, ...]
    # Type of properties not named in `fields`; None when the schema forbids them
    # (`additionalProperties: false`). Unknown properties are always kept when decoding
    # leniently; `closed` makes them an error in strict mode.
    extra: TypeExpr = AnyJson()
    closed: bool = False
    nullable: bool = False
    docs: Docs = Docs()
    source: Source = Source("")
    # The model this one extends (`allOf: [{$ref: Base}, {...}]`): `fields` starts with
    # the base's fields, unchanged, and adds its own.
    base: str | None = None


@dataclass(frozen=True)
class EnumMember:
    name: str  # Python identifier
    value: str | int | float | bool


@dataclass(frozen=True)
class EnumDef:
    name: str
    kind: str  # "string" | "integer" | "number" | "boolean"
    members: tuple[EnumMember, ...]
    nullable: bool = False
    docs: Docs = Docs()
    source: Source = Source("")


@dataclass(frozen=True)
class Discriminator:
    """How a union picks its variant from a decoded object."""

    property: str  # JSON name of the tag property
    mapping: tuple[tuple[str, str], ...]  # (tag value, variant definition name)
    explicit: bool  # from a `discriminator` keyword rather than inferred


@dataclass(frozen=True)
class UnionDef:
    name: str
    variants: tuple[TypeExpr, ...]
    discriminator: Discriminator | None = None
    nullable: bool = False
    exclusive: bool = False  # `oneOf`: strict decoding requires exactly one exact match
    docs: Docs = Docs()
    source: Source = Source("")


@dataclass(frozen=True)
class AliasDef:
    """A named schema that is not an object, enum or union: `Metadata = dict[str, str]`."""

    name: str
    target: TypeExpr
    nullable: bool = False
    docs: Docs = Docs()
    source: Source = Source("")


Definition: TypeAlias = ModelDef | EnumDef | UnionDef | AliasDef


@dataclass(frozen=True)
class Diagnostic:
    """A warning found while building (an unsupported keyword, a renamed collision)."""

    message: str
    source: Source


@dataclass(frozen=True)
class Operation:
    """An operation of `paths` (with `--scope paths|all`): what its bodies decode to.

    `request` and each response are the type of the JSON body (a `Ref` to a definition,
    or `AnyJson`); statuses without a JSON body are left out.
    """

    key: str  # operationId, else a name made of method and path (`GetUsersUserID`)
    method: str  # upper case
    path: str
    request: TypeExpr | None
    responses: tuple[tuple[str, TypeExpr], ...]  # status code or "default" -> body type
    docs: Docs = Docs()
    source: Source = Source("")


@dataclass(frozen=True)
class Package:
    """Everything generated from one spec: definitions in a deterministic order."""

    definitions: tuple[Definition, ...]
    spec_sha256: str = ""
    spec_name: str = ""
    spec_title: str = ""
    spec_version: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()
    # A multi-file spec: every file read, relative to the spec's folder, with its sha256
    # (`spec_sha256` is then a hash over all of them).
    spec_files: tuple[tuple[str, str], ...] = ()
    operations: tuple[Operation, ...] = ()  # in spec order; empty with `--scope schemas`

    def by_name(self) -> dict[str, Definition]:
        return {d.name: d for d in self.definitions}


def unwrap_nullable(t: TypeExpr) -> tuple[TypeExpr, bool]:
    """Return (inner type, whether it was nullable)."""
    if isinstance(t, Nullable):
        return t.inner, True
    return t, False


def referenced_names(t: TypeExpr) -> list[str]:
    """Names of the definitions a type expression refers to, in order of appearance."""
    if isinstance(t, Ref):
        return [t.name]
    if isinstance(t, Nullable):
        return referenced_names(t.inner)
    if isinstance(t, ArrayType):
        return referenced_names(t.items)
    if isinstance(t, MapType):
        return referenced_names(t.values)
    if isinstance(t, TupleType):
        return [n for item in t.items for n in referenced_names(item)]
    if isinstance(t, InlineUnion):
        return [n for item in t.variants for n in referenced_names(item)]
    return []


def definition_references(d: Definition) -> list[str]:
    """Names a definition refers to directly."""
    if isinstance(d, ModelDef):
        out = [n for f in d.fields for n in referenced_names(f.type)]
        return out + referenced_names(d.extra)
    if isinstance(d, UnionDef):
        return [n for v in d.variants for n in referenced_names(v)]
    if isinstance(d, AliasDef):
        return referenced_names(d.target)
    return []


def json_kind(value: object) -> str | None:
    """The JSON Schema type name of a scalar value, None for anything else."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None
