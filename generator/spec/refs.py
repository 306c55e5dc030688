"""JSON pointers and `$ref` resolution inside one loaded document.

Only local references (`#/...`) are followed here: file references were bundled into
the document before (`bundle.py`), and remote URLs are never fetched.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from ..errors import SchemaFirstError
from ..spec.load import Document

SCHEMAS_PREFIX = "#/components/schemas/"
DEFS_PREFIX = "#/$defs/"


def escape_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape_token(token: str) -> str:
    return unquote(token).replace("~1", "/").replace("~0", "~")


def child_pointer(pointer: str, *tokens: str | int) -> str:
    return pointer + "".join("/" + escape_token(str(t)) for t in tokens)


def schema_pointer(name: str) -> str:
    return SCHEMAS_PREFIX + escape_token(name)


def component_name(pointer: str) -> str | None:
    """`#/components/schemas/Foo` -> `Foo`; None for any other pointer."""
    for prefix in (SCHEMAS_PREFIX, DEFS_PREFIX):
        if pointer.startswith(prefix):
            rest = pointer[len(prefix) :]
            if "/" not in rest:
                return unescape_token(rest)
    return None


class RefResolver:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._ends: set[str] = set()  # refs whose chain of pure `$ref`s ends at a schema

    def error(self, message: str, at: object = None) -> SchemaFirstError:
        line, col = self.doc.position(at) if at is not None else (0, 0)
        file = self.doc.file_of(at)
        err = SchemaFirstError(message, file, line, col)
        err.source_line = self.doc.line_text(line, file)
        return err

    def lookup(self, ref: object, at: object) -> tuple[str, Any]:
        """Resolve a `$ref` value found in mapping `at`: (normalised pointer, target)."""
        if not isinstance(ref, str):
            raise self.error(f"$ref must be a string, not {type(ref).__name__}", at)
        if "://" in ref or ref.startswith("//"):
            raise self.error(f"remote reference {ref!r} is not fetched (only local refs)", at)
        if not ref.startswith("#"):
            raise self.error(
                f"file reference {ref!r} not followed: the spec was loaded without bundling"
                " its files (generate.load_spec bundles them)",
                at,
            )
        target = self.pointer(ref, at)
        self._check_chain(ref, target, at)
        return ref, target

    def _check_chain(self, ref: str, target: Any, at: object) -> None:
        """A chain of pure `$ref`s must end at a schema: `A: {$ref: A}` names nothing, and
        following it would generate a decoder that calls itself forever."""
        chain = [ref]
        while isinstance(target, dict) and isinstance(target.get("$ref"), str):
            ref = target["$ref"]
            if not ref.startswith("#") or ref in self._ends:
                break  # a file or remote ref is reported where it is looked up
            if ref in chain:
                cycle = " -> ".join([*chain[chain.index(ref) :], ref])
                raise self.error(f"$ref cycle with no schema in it: {cycle}", at)
            chain.append(ref)
            target = self.pointer(ref, target)
        self._ends.update(chain)

    def pointer(self, ref: str, at: object) -> Any:
        if ref in ("#", "#/"):
            return self.doc.data
        if not ref.startswith("#/"):
            raise self.error(f"invalid JSON pointer {ref!r}", at)
        node: Any = self.doc.data
        for raw in ref[2:].split("/"):
            token = unescape_token(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise self.error(f"dangling $ref {ref!r}: {token!r} not found", at)
        return node

    def deref(self, schema: Any, limit: int = 64) -> Any:
        """Follow a chain of pure `$ref`s to the schema they name."""
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema:
            _, schema = self.lookup(schema["$ref"], schema)
            seen += 1
            if seen > limit:
                raise self.error("$ref chain too long (a cycle of pure references?)", schema)
        return schema
