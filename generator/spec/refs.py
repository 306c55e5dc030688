"""JSON pointers and `$ref` resolution inside one loaded document.

Only local references (`#/...`) are followed here: file references were bundled into
the document before (`bundle.py`), and remote URLs are never fetched.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from ..errors import SchemaFirstError
from ..spec.load import Document

SCHEMAS_PREFIX = "#/components/schemas/"
DEFS_PREFIX = "#/$defs/"


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_VALUE_KEYS = frozenset({"enum", "const", "default", "examples", "example"})


def join_uri(base: str, ref: str) -> str:
    """`ref` resolved against the base URI `base` ("": the document), as the generated
    strict check resolves it."""
    if ref.startswith("#"):
        return base.partition("#")[0] + ref
    if _SCHEME.match(ref) or not base:
        return ref
    if urlsplit(base).scheme in ("http", "https", "file", ""):
        return urljoin(base, ref)
    return ref


def is_pointer(ref: object) -> bool:
    """Whether a `$ref` is a JSON pointer into the document (not an anchor, a file, a URI)."""
    return isinstance(ref, str) and (ref == "#" or ref.startswith("#/"))


def resources(data: Any) -> dict[str, Any]:
    """The schema resources (`$id`) embedded in `data`, by URI."""
    found: dict[str, Any] = {}
    todo: list[tuple[Any, str]] = [(data, "")]
    while todo:
        node, base = todo.pop()
        if isinstance(node, list):
            todo += [(item, base) for item in node]
        elif isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = join_uri(base, node["$id"]).partition("#")[0]
                found.setdefault(base, node)
            todo += [(v, base) for k, v in node.items() if k not in _VALUE_KEYS]
    return found


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
        self._resources: dict[str, Any] | None = None

    @property
    def resources(self) -> dict[str, Any]:
        """The document's schema resources (`$id`) by URI."""
        if self._resources is None:
            self._resources = resources(self.doc.data)
        return self._resources

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
            if not is_pointer(ref) or "$id" in target or ref in self._ends:
                break  # a file or remote ref is reported where it is looked up; an anchor
                # or a ref inside a schema resource is resolved by the strict check
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
            if "$id" in schema or not is_pointer(schema["$ref"]):
                break  # resolved against a schema resource when checked (see build.checks)
            _, schema = self.lookup(schema["$ref"], schema)
            seen += 1
            if seen > limit:
                raise self.error("$ref chain too long (a cycle of pure references?)", schema)
        return schema
