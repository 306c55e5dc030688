"""The state one build shares: the document, the definitions built so far, the names
claimed, the diagnostics, and the queue of named schemas still to build.

Every other module of this package is functions over a `BuildContext`. They reach the
type dispatcher through `ctx.type_of`, so no concern imports another one in a cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from ..errors import SchemaFirstError
from ..model import (
    AliasDef,
    Definition,
    Diagnostic,
    Nullable,
    Primitive,
    Ref,
    Source,
    TypeExpr,
)
from ..spec.load import Document
from ..spec.refs import RefResolver
from . import names
from .annotations import docs
from .checks import InContext, json_schema_ids
from .schema import is_nullable


@dataclass(frozen=True)
class BuildOptions:
    roots: tuple[str, ...] = ()
    strict: bool = False  # unsupported keywords are errors instead of warnings
    # schemas: components/schemas; paths: what the operations use (their inline schemas
    # named after them) and the operations index; all: both.
    scope: str = "schemas"


class TypeOf(Protocol):
    def __call__(
        self, ctx: BuildContext, schema: Any, pointer: str, hint: str, top_level: bool = False
    ) -> TypeExpr: ...


class BuildContext:
    def __init__(self, doc: Document, options: BuildOptions, type_of: TypeOf) -> None:
        self.doc = doc
        self.options = options
        self.refs = RefResolver(doc)
        self._type_of = type_of
        self.defs: dict[str, Definition] = {}
        self.diagnostics: list[Diagnostic] = []
        self.problems: list[SchemaFirstError] = []  # the warnings, when they are errors
        # pointer of a named schema -> class name; filled before anything is built so
        # that names never depend on the order of traversal.
        self.names: dict[str, str] = {}
        self.sources: dict[str, str] = {}  # class name -> pointer, for collision errors
        # The same by lower-cased name (names may not differ only in case): one lookup
        # per claim, not a pass over every name.
        self.taken_lower: dict[str, str] = {}
        self.building: set[str] = set()  # queued or being built
        self.pending: list[tuple[str, Any, str]] = []
        self.built: set[str] = set()
        # id() of an allOf schema being merged -> its class name: a merged schema that
        # reaches itself again (through a property) refers to that class, not a new one.
        self.merging: dict[int, str] = {}
        # The schemas read as JSON Schema exactly (None: all), see checks.json_schema_ids.
        self.exact: frozenset[int] | None = frozenset()
        if _may_declare_dialect(doc):
            self.exact = json_schema_ids(doc.data)
        self.in_context = InContext()  # answers kept for the whole build

    def type_of(self, schema: Any, pointer: str, hint: str, top_level: bool = False) -> TypeExpr:
        """The type of `schema` (see `types.type_of`)."""
        return self._type_of(self, schema, pointer, hint, top_level)

    def error(self, message: str, at: object = None) -> SchemaFirstError:
        return self.refs.error(message, at)

    def warn(self, message: str, pointer: str, at: object = None) -> None:
        line, col = self.doc.position(at) if at is not None else (0, 0)
        file = self.doc.file_of(at)
        if self.options.strict:
            self.problems.append(SchemaFirstError(f"{message} (at {pointer})", file, line, col))
            return
        self.diagnostics.append(Diagnostic(message, Source(pointer, file, line, col)))

    def source(self, pointer: str, at: object) -> Source:
        line, col = self.doc.position(at)
        return Source(pointer, self.doc.file_of(at), line, col)

    def add(self, definition: Definition) -> None:
        self.defs[definition.name] = definition

    # --- the queue of named definitions ---------------------------------------

    def named(self, pointer: str) -> TypeExpr:
        """A Ref to the definition built from the schema at `pointer` (built once)."""
        schema = self.refs.pointer(pointer, None)
        name = self.names.get(pointer) or names.claim(
            self, names.class_name_of_pointer(pointer), pointer
        )
        if pointer not in self.built and pointer not in self.building:
            # Built later from the queue, not here: a chain of references then costs no
            # stack, and nothing depends on the order in which schemas are reached.
            self.building.add(pointer)
            self.pending.append((name, schema, pointer))
        return or_null(Ref(name), is_nullable(schema))

    def build_pending(self) -> None:
        while self.pending:
            name, schema, pointer = self.pending.pop(0)
            self._define(name, schema, pointer)

    def build_now(self, pointer: str) -> Definition | None:
        """The definition at `pointer`, built now if it is only queued; None while it is
        being built further up the stack (a reference cycle)."""
        ref = strip_null(self.named(pointer))
        if not isinstance(ref, Ref):
            return None
        for i, (_, _, queued) in enumerate(self.pending):
            if queued == pointer:
                name, schema, _ = self.pending.pop(i)
                self._define(name, schema, pointer)
                break
        return self.defs.get(ref.name)

    def _define(self, name: str, schema: Any, pointer: str) -> None:
        """Build the definition for a named schema (component or inline object/enum/union)."""
        t = self.type_of(schema, pointer, name, top_level=True)
        if name not in self.defs:  # else the schema defined itself (object, enum, union)
            inner, nullable = (t.inner, True) if isinstance(t, Nullable) else (t, False)
            source = self.source(pointer, schema)
            self.add(AliasDef(name, inner, nullable or is_nullable(schema), docs(schema), source))
        self.building.discard(pointer)
        self.built.add(pointer)


def _may_declare_dialect(doc: Document) -> bool:
    """Whether the document may name a JSON Schema dialect (spares the walk when not)."""
    texts = [doc.text, *doc.texts.values()]
    if not all(texts):  # read from data alone: look
        return True
    return any("$schema" in t or "jsonSchemaDialect" in t for t in texts)


def strip_null(t: TypeExpr) -> TypeExpr:
    return t.inner if isinstance(t, Nullable) else t


# `type: "null"`, `const: null`, `enum: [null]`: null and nothing else.
NULL = Primitive("null")


def or_null(t: TypeExpr, nullable: bool) -> TypeExpr:
    if nullable and not isinstance(t, Nullable) and t != NULL:
        return Nullable(t)
    return t
