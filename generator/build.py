"""Spec -> intermediate model: naming, type mapping, unions, composition.

`build_package(doc, roots)` walks the component schemas (or the closure of `roots`)
and returns a `Package`. Every decision about what a schema *means* lives here; the
targets only present the result.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, replace
from typing import Any

from . import naming
from .errors import SchemaFirstError
from .model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Constraints,
    Definition,
    Diagnostic,
    Discriminator,
    Docs,
    EnumDef,
    EnumMember,
    Field,
    InlineUnion,
    JsonValue,
    LiteralType,
    MapType,
    ModelDef,
    Nullable,
    Package,
    Primitive,
    Ref,
    Source,
    TupleType,
    TypeExpr,
    UnionDef,
    json_kind,
)
from .spec.extract import closure
from .spec.load import MAX_DEPTH, Document
from .spec.refs import RefResolver, child_pointer, component_name, schema_pointer

# Keywords that only annotate: a schema made of these alone adds no structure, so
# `allOf: [{$ref: X}, {nullable: true}]` is a nullable X, not a new model.
ANNOTATION_KEYS = frozenset(
    {
        "nullable",
        "description",
        "title",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "example",
        "examples",
        "externalDocs",
        "$comment",
        "xml",
    }
)
SUPPORTED_KEYS = ANNOTATION_KEYS | {
    "$ref",
    "$defs",
    "$schema",
    "$id",
    "type",
    "format",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "enum",
    "const",
    "allOf",
    "oneOf",
    "anyOf",
    "discriminator",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "contentEncoding",
    "contentMediaType",
}
PRIMITIVES = ("string", "integer", "number", "boolean")


@dataclass(frozen=True)
class BuildOptions:
    roots: tuple[str, ...] = ()
    strict: bool = False  # unsupported keywords are errors instead of warnings


def build_package(doc: Document, options: BuildOptions = BuildOptions()) -> Package:
    builder = _Builder(doc, options)
    # Nesting is bounded by the loader (MAX_DEPTH levels); building takes a few frames a
    # level, more than Python's default limit allows for the deepest specs it accepts.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20 * MAX_DEPTH + 1000))
    try:
        builder.build_all()
    except RecursionError:
        raise SchemaFirstError("schemas nest too deeply to build", doc.path) from None
    finally:
        sys.setrecursionlimit(limit)
    info = doc.data.get("info") if isinstance(doc.data.get("info"), dict) else {}
    assert isinstance(info, dict)
    return Package(
        definitions=tuple(sorted(builder.defs.values(), key=lambda d: d.name)),
        spec_sha256=doc.sha256,
        spec_name=doc.path.replace("\\", "/").rsplit("/", 1)[-1],
        spec_title=str(info.get("title", "")),
        spec_version=str(info.get("version", "")),
        diagnostics=tuple(builder.diagnostics),
    )


def component_schemas(doc: Document) -> dict[str, Any]:
    data = doc.data
    components = data.get("components")
    schemas: dict[str, Any] = {}
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        schemas.update(components["schemas"])
    if isinstance(data.get("$defs"), dict):  # a bare JSON Schema document
        schemas.update(data["$defs"])
    return schemas


class _Builder:
    def __init__(self, doc: Document, options: BuildOptions) -> None:
        self.doc = doc
        self.options = options
        self.refs = RefResolver(doc)
        self.schemas = component_schemas(doc)
        self.defs: dict[str, Definition] = {}
        self.diagnostics: list[Diagnostic] = []
        # pointer of a named schema -> class name; filled before anything is built so
        # that names never depend on the order of traversal.
        self.names: dict[str, str] = {}
        self.sources: dict[str, str] = {}  # class name -> pointer, for collision errors
        self.building: set[str] = set()  # queued or being built
        self.pending: list[tuple[str, Any, str]] = []
        self.built: set[str] = set()
        # id() of an allOf schema being merged -> its class name: a merged schema that
        # reaches itself again (through a property) refers to that class, not a new one.
        self.merging: dict[int, str] = {}

    # --- entry -------------------------------------------------------------

    def build_all(self) -> None:
        selected = list(self.schemas)
        if self.options.roots:
            missing = [r for r in self.options.roots if r not in self.schemas]
            if missing:
                raise SchemaFirstError(
                    f"root schema {missing[0]!r} not found in components/schemas", self.doc.path
                )
            selected = closure(self.doc, list(self.options.roots))
        for raw in selected:
            self.claim_name(naming.class_name(raw), self._component_pointer(raw))
        for raw in selected:
            self.named(self._component_pointer(raw))
        self.build_pending()

    def _component_pointer(self, raw: str) -> str:
        if raw in (self.doc.data.get("$defs") or {}):
            return "#/$defs/" + raw.replace("~", "~0").replace("/", "~1")
        return schema_pointer(raw)

    def claim_name(self, name: str, pointer: str) -> str:
        """Reserve a class name for a schema; components claim theirs first."""
        if pointer in self.names:
            return self.names[pointer]
        if name in self.sources or name.lower() in {n.lower() for n in self.sources}:
            other = next(p for n, p in self.sources.items() if n.lower() == name.lower())
            if component_name(pointer) is not None and component_name(other) is not None:
                raise self.refs.error(
                    f"schema names collide: {pointer!r} and {other!r} both become class"
                    f" {name!r} (or differ only in case, which clashes on case-insensitive"
                    " file systems)",
                    self.refs.pointer(pointer, None),
                )
            base, n = name, 2
            while name.lower() in {k.lower() for k in self.sources}:
                name = f"{base}{n}"
                n += 1
            self.warn(f"inline schema named {name!r}: {base!r} is taken by {other!r}", pointer)
        self.names[pointer] = name
        self.sources[name] = pointer
        return name

    def warn(self, message: str, pointer: str, at: object = None) -> None:
        line, col = self.doc.position(at) if at is not None else (0, 0)
        if self.options.strict:
            raise SchemaFirstError(f"{message} (at {pointer})", self.doc.path, line, col)
        self.diagnostics.append(Diagnostic(message, Source(pointer, self.doc.path, line, col)))

    def source(self, pointer: str, at: object) -> Source:
        line, col = self.doc.position(at)
        return Source(pointer, self.doc.path, line, col)

    # --- named definitions --------------------------------------------------

    def named(self, pointer: str) -> TypeExpr:
        """A Ref to the definition built from the schema at `pointer` (built once)."""
        schema = self.refs.pointer(pointer, None)
        name = self.names.get(pointer) or self.claim_name(
            naming.class_name(pointer.rsplit("/", 1)[-1]), pointer
        )
        if pointer not in self.built and pointer not in self.building:
            # Built later from the queue, not here: a chain of references then costs no
            # stack, and nothing depends on the order in which schemas are reached.
            self.building.add(pointer)
            self.pending.append((name, schema, pointer))
        return _nullable(Ref(name), self.is_nullable(schema))

    def build_pending(self) -> None:
        while self.pending:
            name, schema, pointer = self.pending.pop(0)
            self.define(name, schema, pointer)
            self.building.discard(pointer)
            self.built.add(pointer)

    def define(self, name: str, schema: Any, pointer: str) -> None:
        """Build the definition for a named schema (component or inline object/enum/union)."""
        t = self.type_of(schema, pointer, name, top_level=True)
        if name in self.defs:
            return  # the schema defined itself (an object, enum or union)
        inner, nullable = (t.inner, True) if isinstance(t, Nullable) else (t, False)
        docs, source = self.docs(schema), self.source(pointer, schema)
        self.add(AliasDef(name, inner, nullable or self.is_nullable(schema), docs, source))

    def add(self, definition: Definition) -> None:
        self.defs[definition.name] = definition

    # --- type mapping -------------------------------------------------------

    def type_of(self, schema: Any, pointer: str, hint: str, top_level: bool = False) -> TypeExpr:
        """The type of `schema`. `hint` names an inline object/enum/union it defines.

        With `top_level`, `hint` is the schema's own name: an object, enum or union
        schema becomes the definition of that name instead of a new inline one.
        """
        if schema is True or schema == {}:
            return AnyJson()
        if not isinstance(schema, dict):
            parent = self.refs.pointer(pointer.rsplit("/", 1)[0], None) if "/" in pointer else None
            raise self.refs.error(
                f"schema must be an object, not {type(schema).__name__}, at {pointer}", parent
            )
        self.check_keywords(schema, pointer)
        nullable = self.is_nullable(schema)
        if "$ref" in schema:
            target, _ = self.refs.lookup(schema["$ref"], schema)
            t: TypeExpr = self.named(target)
            return _nullable(t, nullable)
        if "allOf" in schema:
            return _nullable(self.all_of(schema, pointer, hint, top_level), nullable)
        for key in ("oneOf", "anyOf"):
            if key in schema:
                return self.union(schema, key, pointer, hint, top_level)
        if "const" in schema:
            return _nullable(self.literal(schema["const"], pointer, schema), nullable)
        if "enum" in schema:
            return self.enum(schema, pointer, hint, top_level)
        types = self.types(schema)
        if len(types) > 1:
            variants = tuple(
                self.type_of({**schema, "type": t, "nullable": False}, pointer, hint, top_level)
                for t in types
            )
            return _nullable(InlineUnion(variants), nullable)
        kind = types[0] if types else _implied_type(schema)
        if kind == "object":
            return _nullable(self.object_model(schema, pointer, hint, top_level), nullable)
        if kind == "array":
            return _nullable(self.array(schema, pointer, hint), nullable)
        if kind in PRIMITIVES:
            fmt = schema.get("format")
            if fmt is None and schema.get("contentEncoding") == "base64":
                fmt = "byte"  # JSON Schema's spelling of OpenAPI 3.0's `format: byte`
            return _nullable(
                Primitive(kind, str(fmt) if fmt is not None else None, self.constraints(schema)),
                nullable,
            )
        if kind == "null":
            return Nullable(AnyJson())
        return _nullable(AnyJson(), nullable)

    def types(self, schema: dict[str, Any]) -> list[str]:
        raw = schema.get("type")
        if raw is None:
            return []
        listed = raw if isinstance(raw, list) else [raw]
        out = [t for t in listed if t != "null"]
        for t in out:
            if t not in (*PRIMITIVES, "object", "array"):
                raise self.refs.error(f"unknown type {t!r}", schema)
        if not out and listed:
            return ["null"]
        return out

    def is_nullable(self, schema: Any) -> bool:
        if not isinstance(schema, dict):
            return False
        if schema.get("nullable") is True:
            return True
        raw = schema.get("type")
        if isinstance(raw, list) and "null" in raw:
            return True
        if isinstance(schema.get("enum"), list) and None in schema["enum"]:
            return True
        if "allOf" in schema and isinstance(schema["allOf"], list):
            return any(
                isinstance(m, dict) and m.get("nullable") is True and _annotation_only(m)
                for m in schema["allOf"]
            )
        for key in ("oneOf", "anyOf"):
            members = schema.get(key)
            if isinstance(members, list) and any(_is_null_schema(m) for m in members):
                return True
        return False

    def check_keywords(self, schema: dict[str, Any], pointer: str) -> None:
        for key in schema:
            if key not in SUPPORTED_KEYS and not key.startswith("x-"):
                ignored = "" if self.options.strict else " ignored"
                self.warn(f"unsupported keyword {key!r}{ignored}", pointer, schema)

    def docs(self, schema: Any) -> Docs:
        if not isinstance(schema, dict):
            return Docs()
        examples: list[JsonValue] = []
        if "example" in schema:
            examples.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            examples.extend(schema["examples"])
        desc = schema.get("description")
        title = schema.get("title")
        return Docs(
            title=str(title) if title is not None else None,
            description=str(desc) if desc is not None else None,
            deprecated=schema.get("deprecated") is True,
            examples=tuple(examples),
            extensions=tuple((k, v) for k, v in schema.items() if k.startswith("x-")),
        )

    def constraints(self, schema: dict[str, Any]) -> Constraints:
        def num(key: str) -> int | float | None:
            v = schema.get(key)
            return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None

        def whole(key: str) -> int | None:
            v = schema.get(key)
            return v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None

        minimum, maximum = num("minimum"), num("maximum")
        ex_min, ex_max = num("exclusiveMinimum"), num("exclusiveMaximum")
        # OpenAPI 3.0: exclusiveMinimum is a boolean that qualifies minimum.
        if schema.get("exclusiveMinimum") is True:
            minimum, ex_min = None, minimum
        if schema.get("exclusiveMaximum") is True:
            maximum, ex_max = None, maximum
        pattern = schema.get("pattern")
        if pattern is not None:
            try:
                re.compile(str(pattern))
            except re.error as exc:
                raise self.refs.error(f"invalid pattern {pattern!r}: {exc}", schema) from None
        return Constraints(
            minimum=minimum,
            maximum=maximum,
            exclusive_minimum=ex_min,
            exclusive_maximum=ex_max,
            multiple_of=num("multipleOf") or None,
            min_length=whole("minLength"),
            max_length=whole("maxLength"),
            pattern=str(pattern) if pattern is not None else None,
            min_items=whole("minItems"),
            max_items=whole("maxItems"),
            unique_items=schema.get("uniqueItems") is True,
            min_properties=whole("minProperties"),
            max_properties=whole("maxProperties"),
        )

    # --- composites ---------------------------------------------------------

    def inline_name(self, hint: str, pointer: str, top_level: bool) -> str:
        if top_level:
            return hint
        return self.claim_name(hint, pointer)

    def object_model(
        self, schema: dict[str, Any], pointer: str, hint: str, top_level: bool
    ) -> TypeExpr:
        props = schema.get("properties") or {}
        if not isinstance(props, dict):
            raise self.refs.error(f"properties must be an object at {pointer}", schema)
        extra_schema = schema.get("additionalProperties", True)
        if not props:
            if isinstance(extra_schema, dict) and extra_schema:
                values = self.type_of(
                    extra_schema, child_pointer(pointer, "additionalProperties"), hint + "Value"
                )
                return MapType(values, self.constraints(schema))
            return AnyJson(object_only=True)
        name = self.inline_name(hint, pointer, top_level)
        if name in self.defs:
            return Ref(name)
        required = schema.get("required") or []
        if not isinstance(required, list):
            raise self.refs.error(f"required must be a list at {pointer}", schema)
        undefined = [str(r) for r in required if str(r) not in props]
        if undefined:
            # JSON Schema still requires the key: keep it as a field of any JSON value.
            self.warn(
                f"required {undefined!r} not among the properties: typed as any JSON value",
                pointer,
                schema,
            )
            props = {**props, **{r: {} for r in undefined}}
        fields = self.fields(name, props, [str(r) for r in required], pointer)
        extra: TypeExpr = AnyJson()
        if isinstance(extra_schema, dict) and extra_schema:
            extra = self.type_of(
                extra_schema, child_pointer(pointer, "additionalProperties"), name + "Value"
            )
        self.add(
            ModelDef(
                name=name,
                fields=fields,
                extra=extra,
                closed=extra_schema is False,
                nullable=self.is_nullable(schema),
                docs=self.docs(schema),
                source=self.source(pointer, schema),
            )
        )
        return Ref(name)

    def fields(
        self, model: str, props: dict[str, Any], required: list[str], pointer: str
    ) -> tuple[Field, ...]:
        out: list[Field] = []
        taken: dict[str, str] = {}
        for json_name, prop in props.items():
            prop_pointer = child_pointer(pointer, "properties", json_name)
            py = naming.field_name(json_name)
            if py in taken:
                unique = naming.unique(py, set(taken))
                self.warn(
                    f"properties {taken[py]!r} and {json_name!r} both become {py!r};"
                    f" {json_name!r} is named {unique!r}",
                    prop_pointer,
                    prop,
                )
                py = unique
            taken[py] = json_name
            t = self.type_of(prop, prop_pointer, naming.join_class_name(model, json_name))
            docs, default, has_default, flags = self.field_annotations(prop)
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
                    docs=docs,
                    source=self.source(prop_pointer, prop),
                )
            )
        return tuple(out)

    def field_annotations(self, prop: Any) -> tuple[Docs, JsonValue, bool, dict[str, Any]]:
        """Description, default and flags of a property, looking through `$ref`/`allOf`.

        The property's own keywords win; then annotation members of an `allOf`; then the
        referenced schema (a named `ParallelToolCalls` carries its description and default).
        """
        layers: list[dict[str, Any]] = []
        if isinstance(prop, dict):
            layers.append(prop)
            for member in prop.get("allOf") or []:
                if isinstance(member, dict) and _annotation_only(member):
                    layers.append(member)
            structural = prop if "$ref" in prop else _single_structural(prop)
            target = self.refs.deref(structural) if structural is not None else None
            if isinstance(target, dict) and target is not prop:
                layers.append(target)
        merged: dict[str, Any] = {}
        for layer in reversed(layers):
            for key in ("description", "title", "default", "deprecated", "readOnly", "writeOnly"):
                if key in layer:
                    merged[key] = layer[key]
        docs = self.docs(prop)
        if docs.description is None and "description" in merged:
            docs = replace(docs, description=str(merged["description"]))
        if merged.get("deprecated") is True:
            docs = replace(docs, deprecated=True)
        return docs, merged.get("default"), "default" in merged, merged

    def array(self, schema: dict[str, Any], pointer: str, hint: str) -> TypeExpr:
        if isinstance(schema.get("prefixItems"), list):
            items = tuple(
                self.type_of(s, child_pointer(pointer, "prefixItems", i), f"{hint}Item{i}")
                for i, s in enumerate(schema["prefixItems"])
            )
            return TupleType(items)
        items_schema = schema.get("items", True)
        item = self.type_of(items_schema, child_pointer(pointer, "items"), hint + "Inner")
        return ArrayType(item, self.constraints(schema))

    def all_of(self, schema: dict[str, Any], pointer: str, hint: str, top_level: bool) -> TypeExpr:
        members = schema["allOf"]
        if not isinstance(members, list) or not members:
            raise self.refs.error(f"allOf must be a non-empty list at {pointer}", schema)
        structural = _single_structural(schema)
        if structural is not None:
            index = members.index(structural)
            t = self.type_of(structural, child_pointer(pointer, "allOf", index), hint, top_level)
            return t
        # Several structural members: merge their properties into one object.
        if id(schema) in self.merging:
            return Ref(self.merging[id(schema)])
        name = self.inline_name(hint, pointer, top_level)
        self.merging[id(schema)] = name
        derived = self.derived_model(schema, pointer, name)
        if derived is not None:
            return derived
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for member in [*members, {k: v for k, v in schema.items() if k != "allOf"}]:
            resolved = self.flatten(member)
            if _implied_type(resolved) not in ("object", None):
                self.warn("allOf of non-object schemas is flattened as an object", pointer)
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
        return self.object_model(merged, pointer, name, top_level=True)

    def derived_model(self, schema: dict[str, Any], pointer: str, name: str) -> TypeExpr | None:
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
        target, _ = self.refs.lookup(refs[0]["$ref"], refs[0])
        base = self.build_now(target)
        if not isinstance(base, ModelDef) or base.closed or base.nullable:
            return None
        inherited = {f.json_name for f in base.fields}
        own: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for member in members:
            if member is refs[0]:
                continue
            if (
                "allOf" in member
                or "$ref" in member
                or _implied_type(member) not in ("object", None)
            ):
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
            self.fields(name, own["properties"], own["required"], pointer)
            if own["properties"]
            else ()
        )
        docs = self.docs(schema)
        if docs.description is None:
            docs = replace(docs, description=base.docs.description)
        self.add(
            ModelDef(
                name=name,
                fields=base.fields + tuple(fields),
                extra=base.extra,
                nullable=self.is_nullable(schema),
                docs=docs,
                source=self.source(pointer, schema),
                base=base.name,
            )
        )
        return Ref(name)

    def build_now(self, pointer: str) -> Definition | None:
        """The definition at `pointer`, built now if it is only queued; None while it is
        being built further up the stack (a reference cycle)."""
        ref = _strip(self.named(pointer))
        if not isinstance(ref, Ref):
            return None
        for i, (_, _, queued) in enumerate(self.pending):
            if queued == pointer:
                name, schema, _ = self.pending.pop(i)
                self.define(name, schema, pointer)
                self.building.discard(pointer)
                self.built.add(pointer)
                break
        return self.defs.get(ref.name)

    def flatten(self, schema: Any, depth: int = 0) -> dict[str, Any]:
        """A schema with its `$ref`s and nested `allOf`s merged, for allOf merging."""
        schema = self.refs.deref(schema)
        if not isinstance(schema, dict):
            return {}
        if depth > 32:
            raise self.refs.error("allOf nests too deeply (a cycle?)", schema)
        if "allOf" not in schema:
            return schema
        out: dict[str, Any] = {"properties": {}, "required": []}
        for member in schema["allOf"]:
            part = self.flatten(member, depth + 1)
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

    def union(
        self, schema: dict[str, Any], key: str, pointer: str, hint: str, top_level: bool
    ) -> TypeExpr:
        members = schema[key]
        if not isinstance(members, list) or not members:
            raise self.refs.error(f"{key} must be a non-empty list at {pointer}", schema)
        nullable = self.is_nullable(schema)
        live = [(i, m) for i, m in enumerate(members) if not _is_null_schema(m)]
        if len(live) == 1:
            i, member = live[0]
            return _nullable(
                self.type_of(member, child_pointer(pointer, key, i), hint, top_level), nullable
            )
        name = self.inline_name(hint, pointer, top_level)
        label = "OneOf" if key == "oneOf" else "AnyOf"
        pairs: list[tuple[Any, TypeExpr]] = []
        for i, member in live:
            sub = f"{name}{label}{i if i else ''}"
            member_pointer = child_pointer(pointer, key, i)
            if isinstance(member, dict) and self.names.get(str(member.get("$ref"))) == name:
                self.warn(f"{name} lists itself as a variant: ignored", member_pointer, member)
                continue
            t = self.type_of(member, member_pointer, sub)
            if all(t != seen for _, seen in pairs):
                pairs.append((member, t))
        variants = [t for _, t in pairs]
        disc = self.discriminator(schema, pairs, pointer)
        self.add(
            UnionDef(
                name=name,
                variants=tuple(variants),
                discriminator=disc,
                nullable=nullable,
                docs=self.docs(schema),
                source=self.source(pointer, schema),
            )
        )
        return _nullable(Ref(name), nullable)

    def discriminator(
        self, schema: dict[str, Any], pairs: list[tuple[Any, TypeExpr]], pointer: str
    ) -> Discriminator | None:
        objects: list[tuple[Any, Ref]] = []
        for member, variant in pairs:
            # Judged from the schema, not from self.defs: a variant on a reference cycle
            # may still be being built, and the answer must not depend on schema order.
            if isinstance(variant, Ref) and self.is_object_schema(member):
                objects.append((member, variant))
        explicit = schema.get("discriminator")
        if isinstance(explicit, dict) and isinstance(explicit.get("propertyName"), str):
            prop = explicit["propertyName"]
            mapping: dict[str, str] = {}
            raw_mapping = explicit.get("mapping") or {}
            for tag, target in raw_mapping.items():
                ref = target if str(target).startswith("#") else schema_pointer(str(target))
                target_ref = _strip(self.named(ref))
                if not isinstance(target_ref, Ref):
                    raise self.refs.error(
                        f"discriminator mapping {tag!r} is not a schema", explicit
                    )
                mapping[str(tag)] = target_ref.name
            for member, variant in objects:
                if variant.name in mapping.values():
                    continue
                tags = self.single_values(member, prop)
                if tags:
                    mapping.setdefault(tags[0], variant.name)
                elif isinstance(member, dict) and "$ref" in member:
                    mapping.setdefault(
                        str(component_name(member["$ref"])),
                        variant.name,
                    )
            return Discriminator(prop, tuple(mapping.items()), explicit=True)
        if len(objects) < 2:
            return None  # one object variant: the JSON type alone picks it
        # Inferred: a property every object variant has with one distinct value.
        candidates = self.property_names(objects[0][0])
        for prop in candidates:
            found: dict[str, str] = {}
            for member, variant in objects:
                tags = self.single_values(member, prop)
                if len(tags) != 1 or tags[0] in found:
                    break
                found[tags[0]] = variant.name
            else:
                return Discriminator(prop, tuple(found.items()), explicit=False)
        return None

    def is_object_schema(self, member: Any) -> bool:
        flat = self.flatten(member)
        if "oneOf" in flat or "anyOf" in flat or "enum" in flat or "const" in flat:
            return False
        return bool(flat.get("properties")) and _implied_type(flat) in ("object", None)

    def property_names(self, member: Any) -> list[str]:
        flat = self.flatten(member)
        return list(flat.get("properties") or {})

    def single_values(self, member: Any, prop: str) -> list[str]:
        """The tag values a union member allows for `prop` (enum or const), as strings."""
        flat = self.flatten(member)
        schema = self.refs.deref((flat.get("properties") or {}).get(prop))
        if not isinstance(schema, dict):
            return []
        if "const" in schema:
            return [str(schema["const"])]
        values = schema.get("enum")
        if isinstance(values, list) and all(isinstance(v, str) for v in values):
            return [str(v) for v in values] if len(values) == 1 else []
        return []

    def literal(self, value: Any, pointer: str, at: object) -> TypeExpr:
        if value is None:
            return Nullable(AnyJson())
        if not isinstance(value, (str, int, float, bool)):
            self.warn("a non-scalar const is typed as any JSON value", pointer, at)
            return AnyJson()
        return LiteralType(value)

    def enum(self, schema: dict[str, Any], pointer: str, hint: str, top_level: bool) -> TypeExpr:
        raw = schema["enum"]
        if not isinstance(raw, list) or not raw:
            raise self.refs.error(f"enum must be a non-empty list at {pointer}", schema)
        nullable = None in raw
        values = [v for v in raw if v is not None]
        if not values:
            return Nullable(AnyJson())
        if len(values) == 1:
            return _nullable(self.literal(values[0], pointer, schema), nullable)
        kinds = {json_kind(v) for v in values}
        declared = self.types(schema)
        if len(kinds) != 1 or None in kinds:
            self.warn(
                "an enum of mixed or non-scalar values is typed as any JSON value", pointer, schema
            )
            return _nullable(AnyJson(), nullable)
        kind = kinds.pop()
        assert kind is not None
        if kind == "integer" and declared == ["number"]:
            kind = "number"
        name = self.inline_name(hint, pointer, top_level)
        members: list[EnumMember] = []
        taken: set[str] = set()
        seen_values: list[Any] = []
        for value in values:
            if any(value == v and type(value) is type(v) for v in seen_values):
                continue
            seen_values.append(value)
            members.append(EnumMember(naming.unique(naming.enum_member_name(value), taken), value))
        self.add(
            EnumDef(
                name=name,
                kind=kind,
                members=tuple(members),
                nullable=nullable,
                docs=self.docs(schema),
                source=self.source(pointer, schema),
            )
        )
        return _nullable(Ref(name), nullable)


def _strip(t: TypeExpr) -> TypeExpr:
    return t.inner if isinstance(t, Nullable) else t


def _nullable(t: TypeExpr, nullable: bool) -> TypeExpr:
    if nullable and not isinstance(t, Nullable):
        return Nullable(t)
    return t


def _annotation_only(schema: dict[str, Any]) -> bool:
    return all(k in ANNOTATION_KEYS or k.startswith("x-") for k in schema)


def _single_structural(schema: dict[str, Any]) -> Any:
    """The one structural `allOf` member when all others only annotate, else None."""
    members = schema.get("allOf")
    if not isinstance(members, list):
        return None
    own = [
        k for k in schema if k != "allOf" and k not in ANNOTATION_KEYS and not k.startswith("x-")
    ]
    structural = [m for m in members if not (isinstance(m, dict) and _annotation_only(m))]
    if len(structural) == 1 and not own:
        return structural[0]
    return None


def _is_null_schema(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    if schema.get("type") == "null":
        return True
    return schema.get("enum") == [None] or ("const" in schema and schema["const"] is None)


def _implied_type(schema: dict[str, Any]) -> str | None:
    if "type" in schema and isinstance(schema["type"], str):
        return str(schema["type"])
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return None


def canonical_json(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
