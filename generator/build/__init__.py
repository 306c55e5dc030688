"""Spec -> intermediate model: naming, type mapping, unions, composition.

`build_package(doc, options)` walks the component schemas (or the closure of `roots`)
and returns a `Package`. Every decision about what a schema *means* lives in this
package; the targets only present the result. One module per concern, all functions
over one shared `BuildContext`:

- `context`: the shared state and the queue of named schemas to build;
- `names`: which class name each named schema gets;
- `schema`: keyword sets and predicates over raw schemas;
- `types`: the dispatcher, primitives and arrays;
- `objects`, `composition` (allOf), `unions` (oneOf/anyOf), `enums` (enum/const);
- `annotations`: docs, constraints and field defaults.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from .. import naming
from ..errors import SchemaFirstError, combined, raise_all
from ..model import Diagnostic, JsonValue, Operation, Package, Source
from ..spec.extract import closure
from ..spec.load import MAX_DEPTH, Document
from . import names
from .context import BuildContext, BuildOptions
from .operations import build_operations
from .types import type_of

__all__ = ["BuildOptions", "build_package", "canonical_json", "component_schemas"]


def build_package(doc: Document, options: BuildOptions | None = None) -> Package:
    options = options or BuildOptions()
    ctx = BuildContext(doc, options, type_of)
    for message, pointer, file, line, col in doc.warnings:  # found while bundling files
        if options.strict:
            raise SchemaFirstError(f"{message} (at {pointer})", file, line, col)
        ctx.diagnostics.append(Diagnostic(message, Source(pointer, file, line, col)))
    # Nesting is bounded by the loader (MAX_DEPTH levels); building takes a few frames a
    # level, more than Python's default limit allows for the deepest specs it accepts.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 20 * MAX_DEPTH + 1000))
    try:
        operations = _build_all(ctx)
        if not ctx.defs:
            ctx.warn(_nothing_to_build(doc, options.scope), "#", doc.data)
    except RecursionError:
        raise SchemaFirstError("schemas nest too deeply to build", doc.path) from None
    except SchemaFirstError as err:  # reported with the strict problems found before it
        raise combined([*ctx.problems, err]) from None
    finally:
        sys.setrecursionlimit(limit)
    raise_all(ctx.problems)  # --strict: every warning is an error, all reported
    info = doc.data.get("info") if isinstance(doc.data.get("info"), dict) else {}
    assert isinstance(info, dict)
    return Package(
        definitions=tuple(sorted(ctx.defs.values(), key=lambda d: d.name)),
        spec_sha256=doc.sha256,
        spec_name=doc.path.replace("\\", "/").rsplit("/", 1)[-1],
        spec_title=str(info.get("title", "")),
        spec_version=str(info.get("version", "")),
        diagnostics=tuple(ctx.diagnostics),
        spec_files=doc.files,
        operations=operations,
    )


def _build_all(ctx: BuildContext) -> tuple[Operation, ...]:
    scope = ctx.options.scope
    schemas = component_schemas(ctx.doc) if scope != "paths" else {}
    selected = list(schemas)
    roots = ctx.options.roots
    if roots:
        missing = [r for r in roots if r not in schemas]
        if missing:
            raise SchemaFirstError(
                f"root schema {missing[0]!r} not found in components/schemas", ctx.doc.path
            )
        selected = closure(ctx.doc, list(roots))
    # Every component claims its name before anything is built, so that inline
    # schemas never take a component's name whatever the order of traversal.
    for raw in selected:
        names.claim(ctx, naming.class_name(raw), names.component_pointer(ctx.doc, raw))
    for raw in selected:
        ctx.named(names.component_pointer(ctx.doc, raw))
    operations = build_operations(ctx) if scope != "schemas" else ()
    ctx.build_pending()
    return operations


def _nothing_to_build(doc: Document, scope: str) -> str:
    paths = doc.data.get("paths")
    if scope == "schemas" and isinstance(paths, dict) and paths:
        return (
            "the spec defines no schemas in components/schemas: the package is empty;"
            " its operations may define models: generate them with --scope paths (or all)"
        )
    return "the spec defines no schemas: the package is empty"


def component_schemas(doc: Document) -> dict[str, Any]:
    data = doc.data
    components = data.get("components")
    schemas: dict[str, Any] = {}
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        schemas.update(components["schemas"])
    if isinstance(data.get("$defs"), dict):  # a bare JSON Schema document
        schemas.update(data["$defs"])
    return schemas


def canonical_json(value: JsonValue) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)
