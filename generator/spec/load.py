"""Load a spec file (YAML or JSON) into plain JSON values, safely and with positions.

Safety: YAML is read with the safe constructor (libyaml's C parser when present), with
YAML 1.2 core-schema scalars (no timestamps, no `yes`/`no` booleans), duplicate keys
rejected, and alias expansion and nesting depth bounded before anything walks the tree.
Every problem is a `SchemaFirstError` with file, line and column.

A usual document (no tags, one document, valid) is read in one pass over the parser's
events (`_construct_from_events`); anything else goes through the full path
(`_check_events`, then compose and construct), which gives the verdict and the message.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import SchemaFirstError, raise_all

# Bounds that no real spec comes near (the 477-schema OpenAI spec expands to ~0.4M nodes
# and ~2M characters of text, and nests ~25 levels) but that stop alias bombs and
# pathological nesting early. Depth counts mappings and sequences (objects and arrays).
MAX_NODES = 5_000_000
MAX_TEXT = 50_000_000
MAX_DEPTH = 200


class _PyParser(
    yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer
):
    """PyYAML's pure-Python parser: the same on every installation."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)


try:  # libyaml is several times faster; fall back to the pure-Python parser.
    from yaml._yaml import CParser as _Parser

    LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    LIBYAML = False
    _Parser = _PyParser  # type: ignore[misc,assignment,unused-ignore]


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
        # Problems that do not stop the construction: all are reported at the end.
        self.problems: list[SchemaFirstError] = []

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
                self.problem("mapping keys must be scalars", key_node.start_mark)
            elif key in seen:
                first = seen[key].start_mark.line + 1
                self.problem(
                    f"duplicate key {key!r} (first defined on line {first})", key_node.start_mark
                )
            else:
                seen[key] = key_node
        self.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            # JSON keys are strings: `200:` in a responses map is the string "200".
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            result[str(key)] = self.construct_object(value_node, deep=deep)
        return result

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        """YAML 1.2 core schema: decimal (leading zeros allowed), 0o octal, 0x hex."""
        value = str(self.construct_scalar(node))
        try:
            return _core_int(value)
        except ValueError:  # more digits than Python converts (sys.set_int_max_str_digits)
            self.problem(_too_many_digits(value), node.start_mark)
            return 0

    def construct_undefined(self, node: yaml.Node) -> Any:
        self.problem(f"unsupported YAML tag {node.tag!r}", node.start_mark)
        return None

    def problem(self, message: str, mark: Any) -> None:
        self.problems.append(_error(self.file_name, message, mark))


def _core_int(value: str) -> int:
    """A YAML 1.2 core-schema integer; ValueError beyond Python's digit limit."""
    if value.startswith("0o"):
        return int(value[2:], 8)
    if value.startswith("0x"):
        return int(value[2:], 16)
    return int(value, 10)


# Only the JSON data model: no timestamps, sets, binary or Python objects.
_Constructor.yaml_constructors = {
    "tag:yaml.org,2002:null": yaml.constructor.SafeConstructor.construct_yaml_null,
    "tag:yaml.org,2002:bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _Constructor.construct_yaml_int,
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


class _PyLoader(_PyParser, _Constructor, _Resolver):
    def __init__(self, stream: str, file_name: str) -> None:
        _PyParser.__init__(self, stream)
        _Constructor.__init__(self)
        _Resolver.__init__(self)
        self.file_name = file_name


def _error(file: str, message: str, mark: Any) -> SchemaFirstError:
    return SchemaFirstError(message, file, mark.line + 1, mark.column + 1)


def _too_many_digits(digits: str) -> str:
    limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    shown = digits if len(digits) <= 20 else digits[:12] + "..."
    return f"integer {shown} has more than {limit or 'the supported number of'} digits"


@dataclass
class Document:
    """A loaded spec: its data, where it came from, and where each mapping starts."""

    data: dict[str, Any]
    path: str
    sha256: str
    text: str = ""
    positions: dict[int, tuple[int, int]] = field(default_factory=dict)
    # A bundle of several files (spec/bundle.py): the file of each mapping that did not
    # come from `path`, every file's text by name, each file read with its sha256
    # (relative to the spec's folder), and warnings found while bundling.
    origins: dict[int, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    files: tuple[tuple[str, str], ...] = ()
    warnings: tuple[tuple[str, str, str, int, int], ...] = ()  # message, pointer, file, at

    def position(self, obj: object) -> tuple[int, int]:
        """(line, column) of a mapping in the file, (0, 0) when unknown (JSON input)."""
        return self.positions.get(id(obj), (0, 0))

    def file_of(self, obj: object) -> str:
        """The name of the file a mapping was read from."""
        return self.origins.get(id(obj), self.path)

    def line_text(self, line: int, file: str | None = None) -> str | None:
        text = self.texts.get(file, self.text) if file is not None else self.text
        lines = text.splitlines()
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
        data, positions = _load_json(text, name)
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


class _Constant(Exception):
    """NaN or Infinity in JSON text (json.loads accepts them; JSON does not)."""


def _load_json(text: str, name: str) -> tuple[Any, dict[int, tuple[int, int]]]:
    objects: list[dict[str, Any]] = []  # in the order json.loads finishes them

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(items)  # duplicates are reported by _json_layout, with both lines
        objects.append(out)
        return out

    def constant(word: str) -> Any:
        raise _Constant(word)

    lines = _LineIndex(text)
    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise SchemaFirstError(f"invalid JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except _Constant as exc:
        at = _find_outside_strings(text, r"NaN|-?Infinity")
        raise SchemaFirstError(f"{exc} is not valid JSON", name, *lines.at(at)) from None
    except RecursionError:
        _json_layout(text, name, lines)  # reports the first object or array too deep
        raise SchemaFirstError(f"nesting deeper than {MAX_DEPTH} levels", name) from None
    except ValueError as exc:  # an integer with more digits than Python converts
        limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
        at = _find_outside_strings(text, rf"-?[0-9]{{{limit + 1},}}") if limit else None
        if at is None:
            raise SchemaFirstError(f"invalid JSON: {exc}", name) from None
        digits = re.match(r"-?[0-9]+", text[at:])
        assert digits is not None
        raise SchemaFirstError(_too_many_digits(digits.group()), name, *lines.at(at)) from None
    starts = _json_layout(text, name, lines)
    if len(starts) != len(objects):  # cannot happen for text json.loads accepted
        return data, {}
    positions = {id(obj): lines.at(start) for obj, start in zip(objects, starts, strict=True)}
    if _SURROGATE_ESCAPE.search(text):
        _check_surrogates(data, name, positions)
    return data, positions


# `\ud800` is valid JSON but not Unicode text: a lone surrogate cannot be written to a
# UTF-8 file. (YAML rejects such escapes itself.) Pairs decode to one character.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_surrogates(data: Any, name: str, positions: dict[int, tuple[int, int]]) -> None:
    stack: list[tuple[Any, tuple[int, int]]] = [(data, (0, 0))]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            where = positions.get(id(value), where)
            stack.extend((v, where) for v in reversed(value.values()))
            stack.extend((k, where) for k in reversed(list(value)))
        elif isinstance(value, list):
            stack.extend((v, where) for v in reversed(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            raise SchemaFirstError(
                f"string {ascii(value[:40])} holds a lone surrogate (not Unicode text)",
                name,
                *where,
            )


class _LineIndex:
    """(line, column), both from 1, of an offset in a text."""

    def __init__(self, text: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]

    def at(self, offset: int | None) -> tuple[int, int]:
        if offset is None:
            return (0, 0)
        line = bisect.bisect_left(self.newlines, offset)
        start = self.newlines[line - 1] + 1 if line else 0
        return (line + 1, offset - start + 1)


_JSON_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_TOKEN = re.compile(_JSON_STRING + r"|[{}\[\]:,]")


def _find_outside_strings(text: str, pattern: str) -> int | None:
    for m in re.finditer(_JSON_STRING + "|" + pattern, text):
        if not m.group().startswith('"'):
            return m.start()
    return None


def _json_layout(text: str, name: str, lines: _LineIndex) -> list[int]:
    """Start offsets of JSON objects in the order json.loads finishes them.

    Also where json.loads cannot tell: duplicate keys (every one, each with both lines)
    and nesting deeper than MAX_DEPTH (error at the first object or array too deep).
    """
    finished: list[int] = []
    # One frame per open container: start offset, keys seen (objects only), and whether
    # the next string is a key.
    stack: list[tuple[int, dict[str, int] | None, list[bool]]] = []
    duplicates: list[SchemaFirstError] = []  # all reported, after the whole text
    for m in _JSON_TOKEN.finditer(text):
        token = m.group()
        first = token[0]
        if first in "{[":
            if len(stack) >= MAX_DEPTH:
                raise SchemaFirstError(
                    f"nesting deeper than {MAX_DEPTH} levels", name, *lines.at(m.start())
                )
            stack.append((m.start(), {} if first == "{" else None, [first == "{"]))
        elif first in "}]":
            if stack:
                start, keys, _ = stack.pop()
                if keys is not None:
                    finished.append(start)
        elif first == ",":
            if stack and stack[-1][1] is not None:
                stack[-1][2][0] = True
        elif first == '"' and stack and stack[-1][2][0]:
            keys, expecting = stack[-1][1], stack[-1][2]
            assert keys is not None
            expecting[0] = False
            key = token[1:-1] if "\\" not in token else json.loads(token)
            if key in keys:
                first_line = lines.at(keys[key])[0]
                duplicates.append(
                    SchemaFirstError(
                        f"duplicate key {key!r} (first defined on line {first_line})",
                        name,
                        *lines.at(m.start()),
                    )
                )
            else:
                keys[key] = m.start()
    raise_all(duplicates)
    return finished


def _load_yaml(text: str, name: str) -> tuple[Any, dict[int, tuple[int, int]]]:
    try:
        return _construct_from_events(text)
    except (_Unusual, yaml.YAMLError):
        pass  # the full path below gives the verdict, and the message
    try:
        try:
            return _compose(_Loader, text, name)
        except yaml.YAMLError:
            if not LIBYAML:
                raise
            # What libyaml refuses depends on its version (0.2.6 added a nesting limit of
            # its own, 1000 levels): a document it refuses is read again by the pure-Python
            # parser, whose verdict is the same on every installation.
            return _compose(_PyLoader, text, name)
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


def _compose(
    loader_class: type[_Loader] | type[_PyLoader], text: str, name: str
) -> tuple[Any, dict[int, tuple[int, int]]]:
    """Parse and construct with one parser; YAML errors propagate unconverted."""
    _check_events(loader_class, text, name)
    loader = loader_class(text, name)
    try:
        node = loader.get_single_node()
        if node is None:
            raise SchemaFirstError("spec is empty", name, 1, 1)
        data = loader.construct_document(node)
        raise_all(loader.problems)
    finally:
        loader.dispose()
    return data, loader.positions


class _Size:
    """A node's size once aliases are expanded: nodes, characters of text, height."""

    __slots__ = ("nodes", "chars", "height", "mark")

    def __init__(self, nodes: int, chars: int, height: int, mark: Any = None) -> None:
        self.nodes, self.chars, self.height, self.mark = nodes, chars, height, mark

    def add(self, child: _Size) -> None:
        self.nodes += child.nodes
        self.chars += child.chars
        self.height = max(self.height, child.height + 1)


def _check_events(loader_class: type[_Loader] | type[_PyLoader], text: str, name: str) -> None:
    """Bound the document on the parser's events, before anything recursive sees it:
    nesting depth, and the nodes, text and height it expands to through aliases.

    libyaml's composer recurses in C: a few ten thousand nested `[` crash the process
    (a segfault, not a RecursionError), so nothing is composed before this. An anchored
    node's expanded size is recorded when it ends and added wherever an alias repeats
    it, so an alias bomb is caught without expanding it.
    """
    max_text = max(MAX_TEXT, 2 * len(text))
    anchored: dict[str, _Size] = {}
    open_anchors: dict[str, Any] = {}  # anchors of collections not yet ended -> mark
    # One frame per open collection: its size so far and its anchor.
    stack: list[tuple[_Size, str | None]] = [(_Size(0, 0, -1), None)]  # the stream
    parser = loader_class(text, name)
    try:
        get_event = parser.get_event
        while parser.check_event():
            event: Any = get_event()  # the stubs type every event as the base class
            kind = type(event)
            if kind is yaml.ScalarEvent:
                size = _Size(1, len(event.value), 0)
                if event.anchor is not None:
                    anchored[event.anchor] = size
                stack[-1][0].add(size)
            elif kind in _OPENS:
                if len(stack) > MAX_DEPTH:
                    raise _error(name, f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
                if event.anchor is not None:
                    open_anchors[event.anchor] = event.start_mark
                stack.append((_Size(1, 0, 1, event.start_mark), event.anchor))
            elif kind in _CLOSES:
                size, anchor = stack.pop()
                _check_size(size, name, max_text)
                if anchor is not None:
                    open_anchors.pop(anchor, None)
                    anchored[anchor] = size
                stack[-1][0].add(size)
            elif kind is yaml.AliasEvent:
                if event.anchor in open_anchors:
                    raise _error(name, "recursive YAML alias", open_anchors[event.anchor])
                target = anchored.get(event.anchor)
                if target is not None:  # else the composer reports the unknown alias
                    stack[-1][0].add(target)
    finally:
        parser.dispose()


def _check_size(size: _Size, name: str, max_text: int) -> None:
    if size.nodes > MAX_NODES:
        raise _error(
            name,
            f"YAML expands to more than {MAX_NODES:,} nodes through aliases (an alias bomb?)",
            size.mark,
        )
    if size.chars > max_text:
        raise _error(
            name,
            f"YAML expands to more than {max_text:,} characters of text through"
            " aliases (an alias bomb?)",
            size.mark,
        )
    if size.height > MAX_DEPTH:
        raise _error(name, f"nesting deeper than {MAX_DEPTH} levels (through aliases)", size.mark)


_OPENS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSES = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Unusual(Exception):
    """The one-pass reader met something it leaves to the full path (see below)."""


# Scalar resolution of the YAML 1.2 core schema, as `_Resolver.resolve` does it: the
# implicit resolvers of a plain scalar's first character, in the order they were added.
_IMPLICIT: dict[str | None, list[tuple[str, re.Pattern[str]]]] = _Resolver.yaml_implicit_resolvers
_NULL, _BOOL, _INT = "tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int"
_BOOL_VALUES: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values


def _construct_from_events(text: str) -> tuple[Any, dict[int, tuple[int, int]]]:
    """The document's data and mapping positions in one pass over the parser's events,
    with no node tree: the common case (no tags, one document, valid) at a fraction of
    the cost of bounding the events, then composing and constructing.

    Gives exactly what the full path (`_check_events` + `_compose`) gives, or raises
    `_Unusual` (or the parser's `YAMLError`) wherever the full path might disagree or
    fail: any explicit tag, a non-scalar or duplicate key, an unknown, duplicate or
    recursive alias, a bound of `_check_events` exceeded, not exactly one document, an
    integer too long to convert. The caller then runs the full path, which reports.
    An alias shares the anchored object, as the composer's nodes do; its expanded size
    counts against the bounds as in `_check_events`.
    """
    max_text = max(MAX_TEXT, 2 * len(text))
    positions: dict[int, tuple[int, int]] = {}
    anchors: dict[str, Any] = {}  # anchor -> its value (the object aliases share)
    sizes: dict[str, tuple[int, int, int]] = {}  # anchor -> expanded nodes, chars, height
    # One frame per open collection: [container, the key whose value is next (maps;
    # None when a key is next), height, anchor, nodes and chars before it].
    stack: list[list[Any]] = []
    nodes = chars = 0  # expanded through aliases, as `_check_events` counts them
    height_of_root = 0
    root: list[Any] = []
    numbers = _Constructor()  # the full path's float construction
    parser = _Parser(text)
    try:
        get_event = parser.get_event
        if type(get_event()) is not yaml.StreamStartEvent:
            raise _Unusual
        if type(get_event()) is not yaml.DocumentStartEvent:
            raise _Unusual  # an empty stream
        while True:
            event: Any = get_event()  # the stubs type every event as the base class
            kind = type(event)
            frame = stack[-1] if stack else None
            if kind is yaml.ScalarEvent:
                if event.tag is not None:
                    raise _Unusual
                raw: str = event.value
                nodes += 1
                chars += len(raw)
                if frame is not None and frame[1] is None and type(frame[0]) is dict:
                    if raw in frame[0] or event.anchor is not None:
                        raise _Unusual  # a duplicate key, or an anchored one
                    frame[1] = raw  # keys are the text as written: `200:` is "200"
                    continue
                value: Any = raw
                if event.implicit[0]:  # plain: the core schema may make it a non-string
                    for tag, regexp in _IMPLICIT.get(raw[:1], ()):
                        if regexp.match(raw):
                            value = _scalar(numbers, tag, raw)
                            break
                if event.anchor is not None:
                    _anchor(anchors, event.anchor, value)
                    sizes[event.anchor] = (1, len(raw), 0)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.tag is not None or len(stack) >= MAX_DEPTH:
                    raise _Unusual
                value = {} if kind is yaml.MappingStartEvent else []
                if kind is yaml.MappingStartEvent:
                    mark = event.start_mark
                    positions[id(value)] = (mark.line + 1, mark.column + 1)
                if event.anchor is not None:
                    _anchor(anchors, event.anchor, value)
                _place(frame, root, value)
                stack.append([value, None, 1, event.anchor, nodes, chars])
                nodes += 1
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                _, _, height, anchor, nodes_before, chars_before = stack.pop()
                if anchor is not None:
                    sizes[anchor] = (nodes - nodes_before, chars - chars_before, height)
                if not stack:
                    height_of_root = height
                elif stack[-1][2] <= height:
                    stack[-1][2] = height + 1
                continue
            elif kind is yaml.AliasEvent:
                size = sizes.get(event.anchor)
                if size is None:
                    raise _Unusual  # unknown, or recursive (its collection is still open)
                value = anchors[event.anchor]
                nodes += size[0]
                chars += size[1]
                if nodes > MAX_NODES or chars > max_text:
                    raise _Unusual
                if frame is not None and frame[2] <= size[2]:
                    frame[2] = size[2] + 1
            elif kind is yaml.DocumentEndEvent:
                break
            else:
                raise _Unusual
            _place(frame, root, value)
        if type(get_event()) is not yaml.StreamEndEvent:
            raise _Unusual  # a second document
    finally:
        parser.dispose()
    if nodes > MAX_NODES or chars > max_text or height_of_root > MAX_DEPTH:
        raise _Unusual
    if len(root) != 1:
        raise _Unusual
    return root[0], positions


def _place(frame: list[Any] | None, root: list[Any], value: Any) -> None:
    """A value into the innermost open collection (a map's value or a sequence's item),
    or the document itself at the top level."""
    if frame is None:
        root.append(value)
        return
    container = frame[0]
    if type(container) is list:
        container.append(value)
    elif frame[1] is None:
        raise _Unusual  # a key that is a collection or an alias
    else:
        container[frame[1]] = value
        frame[1] = None


def _anchor(anchors: dict[str, Any], anchor: str, value: Any) -> None:
    if anchor in anchors:
        raise _Unusual  # the composer refuses a duplicate anchor
    anchors[anchor] = value


def _scalar(numbers: _Constructor, tag: str, raw: str) -> Any:
    """A plain scalar the core schema resolved to `tag`, constructed as the full path's
    constructor does."""
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _BOOL_VALUES[raw.lower()]
    if tag == _INT:
        try:
            return _core_int(raw)
        except ValueError:
            raise _Unusual from None  # more digits than Python converts: reported there
    return numbers.construct_yaml_float(yaml.ScalarNode(tag, raw))
