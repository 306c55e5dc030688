"""Schemas no Python type carries: typed as any JSON value, checked in strict mode.

JSON Schema and the Python types pull apart for a schema without `type` (its keywords
apply by the value's JSON type), a `false` schema, `not`, `if`/`then`/`else`,
`contains`, `dependentRequired` and the like, and enums or consts of non-scalar or mixed
values. Such a schema becomes `AnyJson(check=...)`: decoding keeps any JSON value (as
lenient decoding always did) and strict decoding checks it against the schema itself,
carried with every schema it references. So does a schema whose meaning depends on
where it is evaluated: `$id` scopes with references in them, `$anchor`, `$dynamicRef`,
references to other resources, and `unevaluatedItems`/`unevaluatedProperties`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..model import AnyJson, json_kind
from ..patterns import pattern_problem
from ..spec.refs import is_pointer, join_uri, resources
from .schema import CONSTRAINT_KEYS, SUPPORTED_KEYS

if TYPE_CHECKING:
    from .context import BuildContext

# Keywords only the strict check enforces.
CHECK_ONLY_KEYS = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "contains",
        "minContains",
        "maxContains",
        "dependentRequired",
        "dependentSchemas",
        "patternProperties",
        "propertyNames",
    }
)
# Keywords that read the annotations of the keywords beside them: their schema is checked.
ANNOTATION_READERS = frozenset({"unevaluatedItems", "unevaluatedProperties"})
# Keywords whose meaning depends on where the schema is (resources, dynamic scope): the
# whole schema they are in is checked.
CONTEXT_KEYS = frozenset({"$anchor", "$dynamicRef", "$dynamicAnchor"}) | ANNOTATION_READERS
# Keywords that constrain a value of some JSON type.
VALIDATION_KEYS = (
    CHECK_ONLY_KEYS
    | CONSTRAINT_KEYS
    | {
        "required",
        "properties",
        "additionalProperties",
        "items",
        "prefixItems",
        "enum",
        "const",
        "allOf",
        "anyOf",
        "oneOf",
    }
)
# Keywords whose presence says which JSON type the schema means (OpenAPI's habit of
# leaving out `type: object` next to `properties` keeps its models).
SHAPE_KEYS = frozenset(
    {"type", "$ref", "properties", "additionalProperties", "items", "prefixItems"}
)
# In a schema that declares a JSON Schema dialect (see `json_schema_ids`) only `type`
# says the type: `properties` alone constrains objects and lets any other value through.
EXACT_SHAPE_KEYS = frozenset({"type", "$ref"})
# `$schema` / `jsonSchemaDialect` values that name OpenAPI's own dialect (its default):
# declaring it keeps the OpenAPI reading.
OPENAPI_DIALECTS = "https://spec.openapis.org/oas/"


def json_schema_ids(data: dict[str, Any]) -> frozenset[int] | None:
    """id() of every schema read as JSON Schema exactly, or None for all of them.

    OpenAPI documents leave `type: object` out beside `properties` (and `type: array`
    beside `items`) so habitually that every generator reads those keywords as the type,
    and so do we: such a schema stays a model, also in strict mode (which then rejects a
    non-object, unlike JSON Schema). A schema that says it is JSON Schema, by naming a
    meta-schema in `$schema` (it and every schema inside it), or every schema of an
    OpenAPI 3.1 document whose `jsonSchemaDialect` names one, means exactly what JSON
    Schema says: without `type` it is the free-form JSON value, checked in strict mode,
    where object keywords apply to objects only. OpenAPI's own dialect
    (`https://spec.openapis.org/oas/...`) keeps the OpenAPI reading."""
    dialect = data.get("jsonSchemaDialect")
    if isinstance(dialect, str) and not dialect.startswith(OPENAPI_DIALECTS):
        return None
    found: set[int] = set()
    todo: list[Any] = [data]
    while todo:
        node = todo.pop()
        if isinstance(node, list):
            todo += node
        elif isinstance(node, dict):
            declared = node.get("$schema")
            if isinstance(declared, str) and not declared.startswith(OPENAPI_DIALECTS):
                found.update(id(sub) for _, sub in subschemas(node))
            todo += [v for k, v in node.items() if k not in VALUE_KEYS]
    return frozenset(found)


VALUE_KEYS = frozenset({"enum", "const", "default", "examples", "example"})


def needs_check(
    schema: Any, exact: frozenset[int] | None = frozenset(), context: InContext | None = None
) -> bool:
    """Whether `schema` is typed as any JSON value and checked in strict mode. `exact`:
    the schemas read as JSON Schema exactly (`json_schema_ids`; None: all). `context`:
    the build's `InContext` (else one for this call)."""
    if schema is False:
        return True
    if not isinstance(schema, dict):
        return False
    if context is None:
        context = InContext()
    if context(schema) or _untypable(schema, exact, context):
        return True
    keys = set(schema)
    shape = _shape_keys(schema, exact)
    if "$ref" in keys:
        return bool(keys & VALIDATION_KEYS)  # siblings of a $ref apply too (2020-12)
    if keys & CHECK_ONLY_KEYS and not keys & shape:
        return True  # with a type, the type wins and the keyword is warned about
    if not keys & shape and keys & (VALIDATION_KEYS - {"enum", "const"}):
        # No type: `minimum` applies to numbers only, `required` to objects only, ...
        return not _typed_composition(schema, exact)
    for key in ("enum", "const"):
        if key in schema:
            values = schema[key] if key == "enum" else [schema[key]]
            if not isinstance(values, list) or not values:
                return key == "enum"
            kinds = {json_kind(v) for v in values if v is not None}
            if None in kinds or len(kinds) > 1:
                return True
    return False


STRUCTURE_KEYS = frozenset(
    {"properties", "additionalProperties", "patternProperties", "items", "prefixItems"}
)


def _shape_keys(schema: Any, exact: frozenset[int] | None) -> frozenset[str]:
    """The keywords that say the type of `schema` (see `json_schema_ids`)."""
    return EXACT_SHAPE_KEYS if exact is None or id(schema) in exact else SHAPE_KEYS


def _untypable(schema: dict[str, Any], exact: frozenset[int] | None, context: InContext) -> bool:
    """A shape a Python type would get wrong: a `prefixItems` array of any length (a
    tuple has a fixed one), `patternProperties` deciding what is additional, a `oneOf`/
    `anyOf` with a member that is itself checked (and no structure of its own: its
    properties or items keep their types), an `allOf` of non-object schemas."""
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and not _fixed_length(schema, len(prefix)):
        return True
    if "patternProperties" in schema and schema.get("additionalProperties", True) is not True:
        return True
    for key in ("oneOf", "anyOf"):
        members = schema.get(key)
        if isinstance(members, list) and not schema.keys() & STRUCTURE_KEYS:
            if any(needs_check(m, exact, context) for m in members):
                return True  # a union of checked JsonValues is one
    members = schema.get("allOf")
    if not isinstance(members, list):
        return False
    if _shape_keys(schema, exact) is EXACT_SHAPE_KEYS and _closes(schema):
        return True  # `additionalProperties` does not see the properties of the others
    return any(_not_an_object(m) for m in members)


def _closes(schema: dict[str, Any]) -> bool:
    """Whether an `allOf`, or one of its members, limits additional properties: merged
    into one model, it would see the properties its siblings name (JSON Schema: no)."""
    parts = [schema, *(m for m in schema["allOf"] if isinstance(m, dict))]
    return any(part.get("additionalProperties", True) is not True for part in parts)


def _not_an_object(schema: Any) -> bool:
    """A schema that says its value is no object (an `allOf` member a model cannot merge)."""
    if not isinstance(schema, dict):
        return False
    types = schema.get("type", "object")
    if "object" not in (types if isinstance(types, list) else [types]):
        return True
    if "items" in schema or "prefixItems" in schema:
        return True
    members = schema.get("allOf")
    return isinstance(members, list) and any(_not_an_object(m) for m in members)


def _fixed_length(schema: dict[str, Any], length: int) -> bool:
    """Whether an array schema allows exactly `length` items."""
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    closed = schema.get("items") is False or (isinstance(high, int) and high <= length)
    return closed and isinstance(low, int) and low >= length


def _says_type(member: Any, exact: frozenset[int] | None) -> bool:
    """A schema whose type the model knows: it names one, or is an enum, a const or a
    composition of such schemas."""
    if not isinstance(member, dict):
        return False
    keys = set(member)
    shape = _shape_keys(member, exact)
    return bool(keys & (shape | {"enum", "const"})) or _typed_composition(member, exact)


def _typed_composition(schema: dict[str, Any], exact: frozenset[int] | None) -> bool:
    """An allOf/oneOf/anyOf the model can type: an allOf with a member that says its
    type; a oneOf/anyOf whose members say theirs (or only annotate)."""
    keys = [k for k in ("allOf", "oneOf", "anyOf") if k in schema]
    if len(keys) != 1:
        return False
    members = schema[keys[0]]
    if not isinstance(members, list) or not members:
        return False
    says_type = [_says_type(m, exact) for m in members]
    if keys[0] == "allOf":  # keywords beside it are merged into the object it builds
        return any(says_type)
    if set(schema) & (VALIDATION_KEYS - set(keys)):
        return False
    return all(
        typed or (isinstance(m, dict) and not set(m) & VALIDATION_KEYS)
        for m, typed in zip(members, says_type, strict=True)
    )


IN_PLACE_KEYS = ("allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas")

# What a schema and the schemas inside it (`subschemas`) have, as bits.
_CONTEXT = 1  # an anchor, a dynamic reference, or a reference that is no document pointer
_ID = 2  # an `$id`
_REF = 4  # a `$ref`


class InContext:
    """Whether a schema needs the evaluation context: it reads the annotations beside it,
    or a schema inside it has an anchor, a dynamic reference, a reference that is no
    document pointer, or one inside an `$id`.

    One per build: every schema is looked at once, its answer kept by id() with the
    schema itself (so that no other object takes its id() meanwhile), where asking for
    each schema walked everything inside it again, once per schema around it."""

    def __init__(self) -> None:
        self._inside: dict[int, tuple[Any, int]] = {}
        self._reads: dict[int, tuple[Any, bool]] = {}

    def __call__(self, schema: dict[str, Any]) -> bool:
        if self.reads_annotations(schema):
            return True
        bits = self._inside_bits(schema)
        return bool(bits & _CONTEXT) or bits & (_ID | _REF) == _ID | _REF

    def reads_annotations(self, schema: Any) -> bool:
        """Whether `schema`, or a schema applied in place with it (`allOf`, `if`, ...),
        has `unevaluated*`: the value's other keywords decide what it sees."""
        if not isinstance(schema, dict):
            return False
        known = self._reads.get(id(schema))
        if known is not None:
            return known[1]
        reads = bool(schema.keys() & ANNOTATION_READERS) or any(
            self.reads_annotations(m) for m in _in_place(schema)
        )
        self._reads[id(schema)] = (schema, reads)
        return reads

    def _inside_bits(self, node: Any) -> int:
        """The bits of `node` and every schema inside it (as `subschemas` finds them);
        the recursion is as deep as the schema, which the loader bounds."""
        if not isinstance(node, dict):
            return 0
        known = self._inside.get(id(node))
        if known is not None:
            return known[1]
        bits = _own_bits(node)
        for key, value in node.items():
            if key in SCHEMA_KEYS:
                bits |= self._inside_bits(value)
            elif key in SCHEMA_MAP_KEYS and isinstance(value, dict):
                for child in value.values():
                    bits |= self._inside_bits(child)
            elif key in SCHEMA_LIST_KEYS and isinstance(value, list):
                for child in value:
                    bits |= self._inside_bits(child)
        self._inside[id(node)] = (node, bits)
        return bits


def _in_place(schema: dict[str, Any]) -> list[Any]:
    """The schemas applied in place with `schema`."""
    out: list[Any] = []
    for key in IN_PLACE_KEYS:
        value = schema.get(key)
        if value is None:
            continue  # absent (and `None` is no schema that reads annotations)
        if isinstance(value, dict) and key == "dependentSchemas":
            out += value.values()
        else:
            out += value if isinstance(value, list) else [value]
    return out


def _own_bits(node: dict[str, Any]) -> int:
    ref = node.get("$ref")
    bits = _ID if "$id" in node else 0
    if ref is not None:
        bits |= _REF
        if isinstance(ref, str) and not ref.startswith("#/"):
            bits |= _CONTEXT
    if node.keys() & _PLACE_KEYS:
        bits |= _CONTEXT
    return bits


_PLACE_KEYS = CONTEXT_KEYS - ANNOTATION_READERS


SCHEMA_KEYS = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "contains",
        "items",
        "additionalProperties",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
SCHEMA_MAP_KEYS = frozenset({"properties", "patternProperties", "dependentSchemas", "$defs"})
SCHEMA_LIST_KEYS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def subschemas(schema: Any) -> list[tuple[str, Any]]:
    """(keyword path, schema) for `schema` and every schema inside it."""
    out: list[tuple[str, Any]] = []
    todo: list[tuple[str, Any]] = [("", schema)]
    while todo:
        where, node = todo.pop()
        out.append((where, node))
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in SCHEMA_KEYS:
                todo.append((f"{where}/{key}", value))
            elif key in SCHEMA_MAP_KEYS and isinstance(value, dict):
                todo += [(f"{where}/{key}/{k}", v) for k, v in value.items()]
            elif key in SCHEMA_LIST_KEYS and isinstance(value, list):
                todo += [(f"{where}/{key}/{i}", v) for i, v in enumerate(value)]
    return out


def checked(ctx: BuildContext, schema: Any, pointer: str) -> AnyJson:
    """Any JSON value, checked against `schema` (and what it references) when strict."""
    supported = SUPPORTED_KEYS | CHECK_ONLY_KEYS | CONTEXT_KEYS | {"$comment"}
    for where, node in subschemas(schema):
        if isinstance(node, dict):
            for key in node:
                if key not in supported and not key.startswith("x-"):
                    ignored = "" if ctx.options.strict else " ignored"
                    ctx.warn(f"unsupported keyword {key!r}{ignored}", pointer + where, node)
            for pattern in _own_patterns(node):
                problem = pattern_problem(pattern)
                if problem is not None:
                    message = (
                        f"invalid pattern {pattern!r}: {problem}; strict mode matches no string"
                    )
                    ctx.warn(message, pointer + where, node)
    defs = _referenced(ctx, schema)
    text = json.dumps([schema, defs], sort_keys=True, ensure_ascii=False)
    return AnyJson(check=text)


def _own_patterns(node: dict[str, Any]) -> list[str]:
    """The patterns of one schema: `pattern` and the keys of `patternProperties`."""
    own = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
    names = node.get("patternProperties")
    return own + ([k for k in names if isinstance(k, str)] if isinstance(names, dict) else [])


def _referenced(ctx: BuildContext, schema: Any) -> dict[str, Any]:
    """What the references in `schema` name, transitively: document pointers by `$ref`
    value, and the spec's other schema resources by URI (`$id`)."""
    defs: dict[str, Any] = {}
    local = resources(schema)
    todo: list[tuple[Any, str]] = [(schema, "")]
    while todo:
        node, base = todo.pop()
        if isinstance(node, list):
            todo += [(item, base) for item in node]
            continue
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$id"), str):
            base = join_uri(base, node["$id"]).partition("#")[0]
        for key, value in node.items():
            if key in ("$ref", "$dynamicRef") and isinstance(value, str):
                if base or not is_pointer(value):
                    where = join_uri(base, value).partition("#")[0]
                    if not where or where in local or where in defs:
                        continue  # this schema's own resource or anchor
                    if where not in ctx.refs.resources:
                        message = f"remote reference {value!r} is not fetched (only local refs)"
                        raise ctx.error(message, node)
                    defs[where] = ctx.refs.resources[where]
                    todo.append((defs[where], ""))
                elif value not in defs:
                    _, target = ctx.refs.lookup(value, node)
                    defs[value] = target
                    todo.append((target, ""))
            elif key not in ("enum", "const", "default", "examples", "example"):
                todo.append((value, base))
    return defs
