"""Load a spec file (YAML or JSON) into plain JSON values, safely and with positions.

Safety: YAML is read with the safe constructor (libyaml's C parser when present), with
YAML 1.2 core-schema scalars (no timestamps, no `yes`/`no` booleans), duplicate keys
rejected, and alias expansion and nesting depth bounded before anything walks the tree.
Every problem is a `SchemaFirstError` with file, line and column.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.errors import SchemaFirstError

# Bounds that no real spec comes near (the 477-schema OpenAI spec expands to ~0.4M nodes
# and nests ~25 levels) but that stop alias bombs and pathological nesting early.
MAX_NODES = 5_000_000
MAX_DEPTH = 200

try:  # libyaml is several times faster; fall back to the pure-Python parser.
    from yaml._yaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    LIBYAML = False

    class _Parser(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


class _Resolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: null, true/false, ints, floats; everything else is a string."""


_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Resolver.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


class _Constructor(yaml.constructor.SafeConstructor):
    """Safe constructor that records each mapping's position and rejects duplicate keys."""

    def __init__(self) -> None:
        super().__init__()
        self.positions: dict[int, tuple[int, int]] = {}
        self.file_name = ""

    def construct_yaml_map(self, node: yaml.MappingNode) -> Any:
        data: dict[str, Any] = {}
        self.positions[id(data)] = (node.start_mark.line + 1, node.start_mark.column + 1)
        yield data
        data.update(self.construct_mapping(node))

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None:
                raise _error(self.file_name, "mapping keys must be scalars", key_node.start_mark)
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise _error(
                    self.file_name,
                    f"duplicate key {key!r} (first defined on line {first})",
                    key_node.start_mark,
                )
            seen[key] = key_node
        self.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # JSON keys are strings: `200:` in a responses map is the string "200".
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            result[str(key)] = self.construct_object(value_node, deep=deep)
        return result

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise _error(self.file_name, f"unsupported YAML tag {node.tag!r}", node.start_mark)


# Only the JSON data model: no timestamps, sets, binary or Python objects.
_Constructor.yaml_constructors = {
    "tag:yaml.org,2002:null": yaml.constructor.SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": yaml.constructor.SafeConstructor.construct_yaml_int,
    "tag:yaml.org,2002:float": yaml.constructor.SafeConstructor.construct_yaml_float,
    "tag:yaml.org,2002:str": yaml.constructor.SafeConstructor.construct_yaml_str,
    "tag:yaml.org,2002:seq": yaml.constructor.SafeConstructor.construct_yaml_seq,
    "tag:yaml.org,2002:map": _Constructor.construct_yaml_map,
    None: _Constructor.construct_undefined,
}


class _Loader(_Parser, _Constructor, _Resolver):  # type: ignore[misc,valid-type,unused-ignore]
    def __init__(self, stream: str, file_name: str) -> None:
        _Parser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self.file_name = file_name


def _error(file: str, message: str, mark: Any) -> SchemaFirstError:
    return SchemaFirstError(message, file, mark.line + 1, mark.column + 1)


@dataclass
class Document:
    """A loaded spec: its data, where it came from, and where each mapping starts."""

    data: dict[str, Any]
    path: str
    sha256: str
    text: str = ""
    positions: dict[int, tuple[int, int]] = field(default_factory=dict)

    def position(self, obj: object) -> tuple[int, int]:
        """(line, column) of a mapping in the file, (0, 0) when unknown (JSON input)."""
        return self.positions.get(id(obj), (0, 0))

    def line_text(self, line: int) -> str | None:
        lines = self.text.splitlines()
        return lines[line - 1] if 0 < line <= len(lines) else None


def load_file(path: str | Path, display_name: str | None = None) -> Document:
    p = Path(path)
    name = display_name or str(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise SchemaFirstError(f"cannot read spec: {exc.strerror or exc}", name) from None
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str) -> Document:
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SchemaFirstError(
            f"spec is not UTF-8 (invalid byte 0x{raw[exc.start]:02x})", name, line, col
        ) from None
    if not text.strip():
        raise SchemaFirstError("spec is empty", name, 1, 1)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise SchemaFirstError("spec contains a NUL character", name, line, 1)
    if name.endswith(".json") or text.lstrip().startswith("{"):
        data, positions = _load_json(text, name), dict[int, tuple[int, int]]()
    else:
        data, positions = _load_yaml(text, name)
    if not isinstance(data, dict):
        raise SchemaFirstError(
            f"spec must be a mapping at the top level, not {_json_type(data)}", name, 1, 1
        )
    return Document(data=data, path=name, sha256=digest, text=text, positions=positions)


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return "a string" if isinstance(value, str) else "a scalar"


def _load_json(text: str, name: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise SchemaFirstError(f"duplicate key {key!r} in JSON object", name)
            out[key] = value
        return out

    def constant(word: str) -> Any:
        raise SchemaFirstError(f"{word} is not valid JSON", name)

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise SchemaFirstError(f"invalid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except RecursionError:
        raise SchemaFirstError(f"nesting deeper than {MAX_DEPTH} levels", name) from None
    _check_tree(data, name)
    return data


def _load_yaml(text: str, name: str) -> tuple[Any, dict[int, tuple[int, int]]]:
    loader = _Loader(text, name)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SchemaFirstError("spec is empty", name, 1, 1)
        _check_nodes(node, name)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark is None:
            raise SchemaFirstError(f"invalid YAML: {msg}", name) from None
        raise _error(name, f"invalid YAML: {msg}", mark) from None
    except yaml.YAMLError as exc:
        raise SchemaFirstError(f"invalid YAML: {exc}", name) from None
    except RecursionError:
        raise SchemaFirstError(f"nesting deeper than {MAX_DEPTH} levels", name) from None
    finally:
        loader.dispose()
    return data, loader.positions


def _check_nodes(root: yaml.Node, name: str) -> None:
    """Bound the tree as it will be walked: aliases expanded, depth, and no cycles."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk; `on_path` catches recursive aliases (`&a [*a]`).
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_NODES:
                raise _error(
                    name,
                    f"YAML expands to more than {MAX_NODES:,} nodes through aliases"
                    " (an alias bomb?)",
                    node.start_mark,
                )
            continue
        if key in sizes:
            continue
        if key in on_path:
            raise _error(name, "recursive YAML alias", node.start_mark)
        if depth > MAX_DEPTH:
            raise _error(name, f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        on_path.add(key)
        stack.append((node, depth, True))
        for child in _children(node):
            if id(child) not in sizes:
                stack.append((child, depth + 1, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_tree(data: Any, name: str) -> None:
    """Depth bound for JSON input (json.loads has no alias expansion to bound)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise SchemaFirstError(f"nesting deeper than {MAX_DEPTH} levels", name)
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
