"""Bundle a multi-file spec into one document: relative file `$ref`s, read from disk.

`$ref: "./common/schemas/User.yml"`, `"../parameters/x.yml#/orgID"`: resolved relative
to the file holding the reference, each file read once. A schema reached through a
file becomes a component of the bundle (`#/components/schemas/<Name>`), so reference
cycles across files stay cycles and every model keeps one name; anything else (a path
item, a parameter, a response) is copied in where it is referenced. Single-file specs
pass through untouched.

Confinement: only files inside `ref_root` (by default the spec's folder) are read,
symlinks resolved first. URLs are never fetched.

Names: a schema listed in the root's `components/schemas` as a bare file reference
keeps that name; any other gets the fragment's last segment or the file's stem
(`User.yml` -> `User`), made unique in order of first reference (with a warning).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .. import naming
from ..errors import SchemaFirstError
from .load import Document, load_bytes
from .refs import escape_token, join_uri, resources, unescape_token

# Keywords whose value is a schema, a list of schemas, or a map of schemas.
_SCHEMA_ONE = frozenset(
    {
        "items",
        "additionalProperties",
        "not",
        "contains",
        "if",
        "then",
        "else",
        "propertyNames",
        "unevaluatedItems",
        "unevaluatedProperties",
        "additionalItems",
    }
)
_SCHEMA_LIST = frozenset({"allOf", "oneOf", "anyOf", "prefixItems"})
_SCHEMA_MAP = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
)
_FILE_SUFFIXES = (".yml", ".yaml", ".json")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")  # https:, file:, urn: ...
HOW_TO_ALLOW = "allow a wider folder with `ref_root` in [tool.schemafirst] or --ref-root DIR"


@dataclass
class _File:
    doc: Document
    path: Path  # resolved, absolute
    name: str  # as shown in messages


class Disk:
    """Where referenced files are read: the file system, symlinks resolved (a spec read
    from git passes its own reader, see diff/source.py)."""

    def resolve(self, path: Path) -> Path:
        return path.resolve()

    def read(self, path: Path) -> bytes:
        return path.read_bytes()


def is_file_ref(ref: str) -> bool:
    return not ref.startswith("#")


def bundle(
    doc: Document,
    spec_path: Path,
    ref_root: Path | None = None,
    display: Callable[[Path], str] = str,
    files: Disk | None = None,
) -> Document:
    """One document holding `doc` and every file it references (or `doc` itself when it
    references none)."""
    if not _has_file_refs(doc.data):
        return doc
    return _Bundler(doc, spec_path, ref_root, display, files or Disk()).run()


def _has_file_refs(data: Any) -> bool:
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and is_file_ref(ref):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


class _Bundler:
    def __init__(
        self,
        doc: Document,
        spec_path: Path,
        ref_root: Path | None,
        display: Callable[[Path], str],
        files: Disk,
    ) -> None:
        self.reader = files
        root_path = files.resolve(spec_path)
        self.root = _File(doc, root_path, doc.path)
        self.ref_root = files.resolve(ref_root or root_path.parent)
        self.display = display
        self.files: dict[Path, _File] = {root_path: self.root}
        self.positions: dict[int, tuple[int, int]] = {}
        self.origins: dict[int, str] = {}
        self.warnings: list[tuple[str, str, str, int, int]] = []
        # (file, fragment) of a schema -> its component name in the bundle
        self.names: dict[tuple[Path, str], str] = {}
        self.taken: dict[str, str] = {}  # lower-cased class name -> who took it
        self.queue: list[tuple[str, _File, str, Any]] = []
        self.inlining: list[tuple[Path, str]] = []  # non-schema refs being copied
        self.embedded: set[str] = set()  # the `$id`s of the root document
        # root components that are bare file refs -> (file, fragment, target)
        self.aliases: dict[str, tuple[_File, str, Any]] = {}

    # --- entry -------------------------------------------------------------------

    def run(self) -> Document:
        data = self.root.doc.data
        self.embedded = set(resources(data))
        schemas = _component_schemas(data)
        for name in schemas:
            self.taken[naming.class_name(name).lower()] = f"components/schemas/{name}"
        # A component that is just a file reference gives that file its name.
        aliases = self.aliases
        for name, schema in schemas.items():
            ref = schema.get("$ref") if isinstance(schema, dict) and len(schema) == 1 else None
            if isinstance(ref, str) and is_file_ref(ref) and not self.is_embedded(ref):
                target_file, fragment, target = self.resolve(ref, self.root, schema)
                self.names.setdefault((target_file.path, fragment), name)
                aliases[name] = (target_file, fragment, target)
        out = self.copy(data, self.root, in_schema=False)
        bundled = out.setdefault("components", {}).setdefault("schemas", {})
        while self.queue:
            name, file, fragment, target = self.queue.pop(0)
            bundled[name] = self.copy(target, file, in_schema=True)
        return self.document(out)

    def document(self, data: dict[str, Any]) -> Document:
        files = list(self.files.values())
        relative = sorted((self._relative(f.path), f.doc.sha256) for f in files)
        digest = hashlib.sha256(
            "".join(f"{rel}\0{sha}\0" for rel, sha in relative).encode()
        ).hexdigest()
        return Document(
            data=data,
            path=self.root.doc.path,
            sha256=digest,
            text=self.root.doc.text,
            positions=self.positions,
            origins=self.origins,
            texts={f.name: f.doc.text for f in files},
            files=tuple(relative),
            warnings=tuple(self.warnings),
        )

    def _relative(self, path: Path) -> str:
        """A file's name relative to the root spec's folder (stable across machines)."""
        return Path(os.path.relpath(path, self.root.path.parent)).as_posix()

    # --- copying -----------------------------------------------------------------

    def copy(
        self,
        node: Any,
        file: _File,
        in_schema: bool,
        parent: str | None = None,
    ) -> Any:
        if isinstance(node, list):
            return [self.copy(v, file, in_schema) for v in node]
        if not isinstance(node, dict):
            return node
        if in_schema and isinstance(node.get("$id"), str):
            return self._verbatim(node, file)
        ref = node.get("$ref")
        if (
            isinstance(ref, str)
            and not self.is_embedded(ref)
            and (file is not self.root or is_file_ref(ref))
        ):
            return self.reference(node, ref, file, in_schema)
        out: dict[str, Any] = {}
        self._place(out, node, file)
        for key, value in node.items():
            if in_schema:
                out[key] = self._schema_keyword(key, value, file)
            elif key == "schema":
                out[key] = self.copy(value, file, in_schema=True)
            elif file is self.root and key == "schemas" and parent == "components":
                out[key] = self._schema_map(value, file, self.aliases)
            elif key == "$defs" and parent is None:
                out[key] = self._schema_map(value, file, {})
            else:
                out[key] = self.copy(value, file, in_schema=False, parent=key)
        return out

    def is_embedded(self, ref: str) -> bool:
        """A reference to a resource of the root document by its `$id`: checked when
        decoding (generated `_check.py`), not bundled."""
        return join_uri("", ref).partition("#")[0] in self.embedded

    def _verbatim(self, node: Any, file: _File) -> Any:
        """A schema resource (`$id`) as it is: its references resolve against its own URI
        when it is checked (JSON Schema), not against the spec's files."""
        if isinstance(node, list):
            return [self._verbatim(v, file) for v in node]
        if not isinstance(node, dict):
            return node
        out = {k: self._verbatim(v, file) for k, v in node.items()}
        self._place(out, node, file)
        return out

    def _schema_keyword(self, key: str, value: Any, file: _File) -> Any:
        if key in _SCHEMA_ONE:
            return self.copy(value, file, in_schema=True)
        if key in _SCHEMA_LIST and isinstance(value, list):
            return [self.copy(v, file, in_schema=True) for v in value]
        if key in _SCHEMA_MAP and isinstance(value, dict):
            return self._schema_map(value, file, {})
        if key == "discriminator" and isinstance(value, dict):
            return self._discriminator(value, file)
        return value  # examples, defaults, enums: data, not schemas

    def _schema_map(
        self, value: Any, file: _File, aliases: dict[str, tuple[_File, str, Any]]
    ) -> Any:
        if not isinstance(value, dict):
            return value
        out: dict[str, Any] = {}
        self._place(out, value, file)
        for name, schema in value.items():
            if name in aliases:
                target_file, _, target = aliases[name]
                out[name] = self.copy(target, target_file, in_schema=True)
            else:
                out[name] = self.copy(schema, file, in_schema=True)
        return out

    def _discriminator(self, value: dict[str, Any], file: _File) -> dict[str, Any]:
        out = dict(value)
        self._place(out, value, file)
        mapping = value.get("mapping")
        if isinstance(mapping, dict):
            targets: dict[str, Any] = {}
            for tag, target in mapping.items():
                text = str(target)
                if is_file_ref(text) and ("/" in text or text.endswith(_FILE_SUFFIXES)):
                    targets[tag] = self.schema_ref(text, file, value)
                else:
                    # A bare name, or a `#/...` pointer into the bundle: how bundlers and
                    # their users write it, even in the files that make the bundle up.
                    targets[tag] = target
            out["mapping"] = targets
        return out

    def _place(self, new: dict[str, Any], old: dict[str, Any], file: _File) -> None:
        """The copy keeps the original's position, and remembers its file."""
        at = file.doc.positions.get(id(old))
        if at is not None:
            self.positions[id(new)] = at
        if file is not self.root:
            self.origins[id(new)] = file.name

    # --- references --------------------------------------------------------------

    def reference(self, node: dict[str, Any], ref: str, file: _File, in_schema: bool) -> Any:
        if in_schema:
            out = {k: v for k, v in node.items() if k != "$ref"}
            out = {"$ref": self.schema_ref(ref, file, node), **out}
            self._place(out, node, file)
            return out
        target_file, fragment, target = self.resolve(ref, file, node)
        if target_file is self.root:
            out = {**node, "$ref": "#" + fragment}
            self._place(out, node, file)
            return out
        key = (target_file.path, fragment)
        if key in self.inlining:
            raise self.error(f"reference cycle through {ref!r} (not a schema)", file, node)
        self.inlining.append(key)
        copied = self.copy(target, target_file, in_schema=False)
        self.inlining.pop()
        extra = {k: v for k, v in node.items() if k != "$ref"}
        if extra and isinstance(copied, dict):
            copied.update(self.copy(extra, file, in_schema=False))
        return copied

    def schema_ref(self, ref: str, file: _File, at: dict[str, Any]) -> str:
        """The bundle-local `$ref` of the schema `ref` names, queuing it the first time."""
        target_file, fragment, target = self.resolve(ref, file, at)
        if target_file is self.root:
            return "#" + fragment
        key = (target_file.path, fragment)
        name = self.names.get(key)
        if name is None:
            name = self._claim(target_file, fragment, at, file)
            self.names[key] = name
            self.queue.append((name, target_file, fragment, target))
        return "#/components/schemas/" + escape_token(name)

    def _claim(self, target: _File, fragment: str, at: dict[str, Any], file: _File) -> str:
        last = fragment.rstrip("/").rsplit("/", 1)[-1] if fragment.strip("/") else ""
        base = unescape_token(last) if last else target.path.name.split(".", 1)[0]
        where = target.name + ("#" + fragment if fragment else "")
        name, n = base, 2
        while naming.class_name(name).lower() in self.taken:
            name, n = f"{base}{n}", n + 1
        if name != base:
            other = self.taken[naming.class_name(base).lower()]
            line, col = file.doc.position(at)
            message = f"schema {where} named {name!r}: {base!r} is taken by {other}"
            pointer = "#/components/schemas/" + escape_token(name)
            self.warnings.append((message, pointer, file.name, line, col))
        self.taken[naming.class_name(name).lower()] = where
        return name

    def resolve(self, ref: str, file: _File, at: dict[str, Any]) -> tuple[_File, str, Any]:
        """(file, fragment, target) that `ref`, found in `file` at `at`, names."""
        if "\\" in ref:
            raise self.error(
                f"file reference {ref!r} uses backslashes: write it with '/', relative to"
                " the file that holds it",
                file,
                at,
            )
        if _SCHEME.match(ref) or ref.startswith("//"):
            raise self.error(
                f"remote reference {ref!r} is never fetched: save the file inside the spec's"
                " folder and reference it by a relative path",
                file,
                at,
            )
        path_part, _, fragment = ref.partition("#")
        target_file = self.load(path_part, ref, file, at) if path_part else file
        return target_file, fragment, self.pointer(target_file, fragment, ref, file, at)

    def load(self, relative: str, ref: str, file: _File, at: dict[str, Any]) -> _File:
        unresolved = Path(file.path.parent, unquote(relative))
        lexical = Path(*_normalise(unresolved.parts))
        path = self.reader.resolve(unresolved)
        if not _inside(path, self.ref_root):
            how = (
                f"is a symlink to {path}, outside"
                if _inside(lexical, self.ref_root)
                else "is outside"
            )
            folder = self.display(self.ref_root)
            message = f"file reference {ref!r} {how} {folder}/: {HOW_TO_ALLOW}"
            raise self.error(message, file, at)
        cached = self.files.get(path)
        if cached is not None:
            return cached
        name = self.display(lexical)
        try:
            raw = self.reader.read(path)
        except FileNotFoundError:
            raise self.error(f"file reference {ref!r}: no such file {name}", file, at) from None
        except OSError as exc:
            raise self.error(
                f"file reference {ref!r}: cannot read {name}: {exc.strerror or exc}", file, at
            ) from None
        loaded = _File(load_bytes(raw, name), path, name)
        self.files[path] = loaded
        return loaded

    def pointer(self, target: _File, fragment: str, ref: str, file: _File, at: object) -> Any:
        node: Any = target.doc.data
        if fragment in ("", "/"):
            return node
        if not fragment.startswith("/"):
            raise self.error(f"invalid JSON pointer in {ref!r}", file, at)
        for raw in fragment[1:].split("/"):
            token = unescape_token(raw)
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                raise self.error(f"dangling $ref {ref!r}: {token!r} not found", file, at)
        return node

    def error(self, message: str, file: _File, at: object) -> SchemaFirstError:
        line, col = file.doc.position(at)
        err = SchemaFirstError(message, file.name, line, col)
        err.source_line = file.doc.line_text(line)
        return err


def _component_schemas(data: dict[str, Any]) -> dict[str, Any]:
    components = data.get("components")
    if isinstance(components, dict) and isinstance(components.get("schemas"), dict):
        return dict(components["schemas"])
    return {}


def _normalise(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part == "..":
            if len(out) > 1:
                out.pop()
        elif part != ".":
            out.append(part)
    return out


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
