"""Decisions for the Python target: annotations, literals, and serializer code.

The templates lay out the files (imports, classes, fields, docstrings, method
signatures); this module decides what goes in them. Decoder and encoder bodies are
type-directed and recursive, so they are produced here as code and placed by the
templates; every string from the spec reaches the code only through `py_literal`
(repr) or `docstring`, never by hand-written escaping.

Generated decoders share one signature: `_d_X(d, path, strict, errs) -> Any`. They
append `(path, message)` to `errs` instead of raising, so that every problem is
reported at once; `path` is a linked tuple `(parent, key)` turned into `$.a[0].b` only
when a problem is reported.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from ..model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Constraints,
    Definition,
    Discriminator,
    EnumDef,
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
    TupleType,
    TypeExpr,
    UnionDef,
    json_kind,
    referenced_names,
)
from .layout import LINE_LENGTH, width

PY_SCALARS = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "null": "None",
}
JSON_KIND_NAMES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
    "object": "object",
    "array": "array",
    "null": "null",
}


def py_string(text: str) -> str:
    """repr() of a string, with black's preference for double quotes."""
    r = repr(text)
    if r.startswith('"'):
        return r  # repr chose double quotes: the text has a ' and no "
    body = r[1:-1]
    doubled = body.replace("\\'", "'").replace('"', '\\"')
    # black's rule: double quotes unless they need more escapes than single ones.
    if doubled.count('\\"') > body.count("\\'"):
        return r
    return '"' + doubled + '"'


def py_literal(value: JsonValue) -> str:
    """A Python expression for a JSON value: repr() does all escaping."""
    if isinstance(value, str):
        return py_string(value)
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({py_string(str(value))})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    return repr(value)


_DOC_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\x00": "\\x00", "\t": "    "}
# Characters a docstring cannot hold as they are: backslash, control characters (not
# the newline), line separators Python or editors treat as line breaks, surrogates, and
# bidirectional controls ("Trojan Source": text that reads differently than it runs).
_DOC_UNSAFE = re.compile(
    "[\\\\\x00-\x09\x0b-\x1f\x7f\x85\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _doc_escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _DOC_ESCAPES:
        return _DOC_ESCAPES[ch]
    return f"\\x{ord(ch):02x}" if ord(ch) < 256 else f"\\u{ord(ch):04x}"


def docstring(text: str, indent: int = 4) -> str:
    """A triple-quoted literal whose value is `text`, safe for any input.

    Continuation lines are indented by `indent` spaces, as PEP 257 tools expect."""
    # Trailing spaces go (black strips them from docstrings too).
    first, _, rest = text.strip().partition("\n")
    # Continuation lines lose their common indentation and get `indent`, as black
    # re-indents docstrings.
    text = "\n".join(line.rstrip() for line in [first, *textwrap.dedent(rest).split("\n")])
    text = text.rstrip()
    body = _DOC_UNSAFE.sub(_doc_escape, text)
    trailing = len(body) - len(body.rstrip('"'))  # quotes that would touch the closing ones
    body = body[: len(body) - trailing].replace('"""', '\\"\\"\\"') + '\\"' * trailing
    if body.startswith('"'):
        body = " " + body  # as black writes it: four quotes in a row would not parse
    if "\n" in body:
        pad = " " * indent
        body = "\n".join(
            pad + line if line and i else line for i, line in enumerate(body.split("\n"))
        )
        # Closing quotes on their own line: where black and ruff format agree.
        body += "\n" + pad
    return '"""' + body + '"""'


def comment(text: str) -> str:
    """Text for a `#` comment: one line, control characters made visible."""
    return " ".join(repr(text)[1:-1].split())


def type_key(t: TypeExpr) -> str:
    """A short deterministic identifier for a type, used to name helper functions."""
    if isinstance(t, Ref):
        return t.name
    if isinstance(t, Primitive) and t.constraints == Constraints():
        return PY_SCALARS[t.kind]
    if isinstance(t, AnyJson) and t.check is None:
        return "json"
    if isinstance(t, ArrayType) and t.constraints == Constraints():
        return "list_" + type_key(t.items)
    if isinstance(t, MapType) and t.constraints == Constraints():
        return "dict_" + type_key(t.values)
    if isinstance(t, Nullable):
        return "opt_" + type_key(t.inner)
    digest = hashlib.sha256(repr(t).encode()).hexdigest()[:10]
    return f"{type(t).__name__.lower()}_{digest}"


# `formats = "python"`: string/integer formats decoded to richer Python types.
# format -> (JSON kind, annotation, decoder, encoder); every one round-trips its value.
RICH_FORMATS: dict[str, tuple[str, str, str, str]] = {
    "date-time": ("string", "datetime", "_parse_datetime", "_format_datetime"),
    "date": ("string", "date", "_parse_date", "_format_date"),
    "uuid": ("string", "UUID", "_parse_uuid", "str"),
    "byte": ("string", "bytes", "_parse_base64", "_format_base64"),
    "unixtime": ("integer", "datetime", "_parse_unixtime", "_format_unixtime"),
}
FORMAT_MODES = ("json", "python")


@dataclass
class Codegen:
    """Produces annotations and serializer code for one package."""

    package: Package
    formats: str = "json"
    defs: dict[str, Definition] = field(init=False)
    helpers: dict[str, str] = field(default_factory=dict)  # name -> function source
    patterns: dict[str, str] = field(default_factory=dict)  # pattern -> module constant

    def __post_init__(self) -> None:
        self.defs = self.package.by_name()

    def rich(self, t: Primitive) -> tuple[str, str, str, str] | None:
        """The richer Python type for a formatted primitive, when enabled and known."""
        if self.formats != "python" or t.format is None:
            return None
        spec = RICH_FORMATS.get(t.format)
        return spec if spec is not None and spec[0] == t.kind else None

    # --- annotations --------------------------------------------------------

    def annotation(self, t: TypeExpr) -> str:
        if isinstance(t, Nullable):
            return f"{self.annotation(t.inner)} | None"
        if isinstance(t, Primitive):
            rich = self.rich(t)
            return rich[1] if rich else PY_SCALARS[t.kind]
        if isinstance(t, LiteralType):
            return f"Literal[{py_literal(t.value)}]"
        if isinstance(t, Ref):
            return t.name
        if isinstance(t, ArrayType):
            return f"list[{self.annotation(t.items)}]"
        if isinstance(t, TupleType):
            return "tuple[" + ", ".join(self.annotation(i) for i in t.items) + "]"
        if isinstance(t, MapType):
            return f"dict[str, {self.annotation(t.values)}]"
        if isinstance(t, AnyJson):
            return "dict[str, JsonValue]" if t.object_only else "JsonValue"
        if isinstance(t, InlineUnion):
            return " | ".join(dict.fromkeys(self.annotation(v) for v in t.variants))
        raise AssertionError(t)

    def field_annotation(self, f: Field) -> str:
        ann = self.annotation(f.type)
        return ann if f.required else f"{ann} | Unset"

    def field_default(self, f: Field) -> str | None:
        """The `= ...` part of a field, or None when the field has no default."""
        inner = f.type.inner if isinstance(f.type, Nullable) else f.type
        if not f.required:
            if isinstance(inner, LiteralType):
                return py_literal(inner.value)
            return "UNSET"
        if isinstance(inner, LiteralType):
            return py_literal(inner.value)
        if f.has_default:
            return self.default_expr(f.type, f.default)
        return None

    def default_expr(self, t: TypeExpr, value: JsonValue) -> str | None:
        inner = t.inner if isinstance(t, Nullable) else t
        if value is None:
            return "None" if isinstance(t, Nullable) else None
        target = self.resolve_alias(inner)
        if isinstance(target, Ref) and isinstance(self.defs.get(target.name), EnumDef):
            enum = self.defs[target.name]
            assert isinstance(enum, EnumDef)
            for m in enum.members:
                if m.value == value and type(m.value) is type(value):
                    return f"{enum.name}.{m.name}"
            return None
        if isinstance(value, (list, dict)):
            if not value:
                return f"field(default_factory={'list' if isinstance(value, list) else 'dict'})"
            if isinstance(target, AnyJson) or (
                isinstance(target, (ArrayType, MapType)) and self.is_plain(target)
            ):
                return f"field(default_factory=lambda: {py_literal(value)})"
            return None
        if isinstance(target, Primitive) and self.rich(target):
            return None  # a rich default would need converting; the spec default is documented
        if isinstance(target, Primitive) and _fits(target.kind, value):
            return py_literal(value)
        if isinstance(target, AnyJson) and not target.object_only:
            return py_literal(value)
        return None

    def is_model(self, t: TypeExpr) -> bool:
        return isinstance(t, Ref) and isinstance(self.defs.get(t.name), ModelDef)

    def inline_alias(self, d: Definition) -> TypeExpr | None:
        """The type an alias stands for, when it can be expanded in place: it refers to
        no other alias or union (so expansion always ends) and is not a Literal."""
        if not isinstance(d, AliasDef):
            return None
        names = referenced_names(d.target)
        if any(isinstance(self.defs.get(n), (AliasDef, UnionDef)) for n in names):
            return None
        # A nullable alias is already Nullable(Ref(alias)) wherever it is used.
        return d.target

    def resolve_alias(self, t: TypeExpr) -> TypeExpr:
        seen = 0
        while isinstance(t, Ref) and isinstance(self.defs.get(t.name), AliasDef) and seen < 50:
            alias = self.defs[t.name]
            assert isinstance(alias, AliasDef)
            t, seen = alias.target, seen + 1
        return t

    def is_plain(self, t: TypeExpr) -> bool:
        """True when the decoded Python value is the JSON value itself (no conversion)."""
        t = self.resolve_alias(t)
        if isinstance(t, Primitive):
            return self.rich(t) is None
        if isinstance(t, (LiteralType, AnyJson)):
            return True
        if isinstance(t, Nullable):
            return self.is_plain(t.inner)
        if isinstance(t, ArrayType):
            return self.is_plain(t.items)
        if isinstance(t, MapType):
            return self.is_plain(t.values)
        return False

    # --- JSON kinds a type accepts (for union dispatch) ----------------------

    def json_kinds(self, t: TypeExpr, depth: int = 0) -> set[str]:
        if depth > 50:
            return {"any"}
        if isinstance(t, Nullable):
            return self.json_kinds(t.inner, depth + 1) | {"null"}
        if isinstance(t, Primitive):
            return {"integer", "number"} if t.kind == "number" else {t.kind}
        if isinstance(t, LiteralType):
            return {json_kind(t.value) or "string"}
        if isinstance(t, (ArrayType, TupleType)):
            return {"array"}
        if isinstance(t, MapType):
            return {"object"}
        if isinstance(t, AnyJson):
            return {"object"} if t.object_only else {"any"}
        if isinstance(t, InlineUnion):
            return set().union(*(self.json_kinds(v, depth + 1) for v in t.variants))
        assert isinstance(t, Ref)
        d = self.defs[t.name]
        if isinstance(d, ModelDef):
            return {"object"}
        if isinstance(d, EnumDef):
            kinds = {"integer", "number"} if d.kind == "number" else {d.kind}
            return kinds | ({"null"} if d.nullable else set())
        if isinstance(d, UnionDef):
            out = set().union(*(self.json_kinds(v, depth + 1) for v in d.variants))
            return out | ({"null"} if d.nullable else set())
        return self.json_kinds(d.target, depth + 1) | ({"null"} if d.nullable else set())

    # --- decoding -----------------------------------------------------------

    def check_const(self, check: str) -> str:
        """The module constant holding a strict check's (schema, referenced schemas)."""
        name = "_CHECK_" + hashlib.sha256(check.encode()).hexdigest()[:10]
        if name not in self.helpers:
            schema, defs = json.loads(check)
            self.helpers[name] = f"{name}: _Check = ({py_literal(schema)}, {py_literal(defs)})"
        return name

    def pattern_const(self, pattern: str) -> str:
        if pattern not in self.patterns:
            self.patterns[pattern] = f"_PATTERN_{len(self.patterns)}"
        return self.patterns[pattern]

    def decode_stmts(
        self, t: TypeExpr, v: str, path: str, errs: str = "errs", strict: str = "strict"
    ) -> list[str]:
        """Statements that check local `v` and rebind it to the decoded value.

        `path` is an expression for v's path; it is evaluated only on a problem, except
        where a nested decoder needs it.
        """
        if isinstance(t, Nullable):
            inner = self.decode_stmts(t.inner, v, path, errs, strict)
            if not inner:
                return []
            top = [line for line in inner if not line.startswith(" ")]
            if (
                len(top) == 1
                and top[0].startswith("if ")
                and top[0].endswith(":")
                and width(top[0]) < _FOLD_WIDTH
            ):
                # One `if` without elif/else: fold the null test into it (ruff SIM102).
                return [f"if {v} is not None and ({top[0][3:-1]}):", *inner[1:]]
            return [f"if {v} is not None:", *_indent(inner)]
        if isinstance(t, Primitive):
            return self.primitive_stmts(t, v, path, errs)
        if isinstance(t, LiteralType):
            lit = py_literal(t.value)
            if isinstance(t.value, bool):
                cond = f"{v} is not {lit}"
            elif isinstance(t.value, str):
                cond = f"{v} != {lit}"
            else:
                cond = f"{v} != {lit} or type({v}) is bool"
            return [
                f"if {cond}:",
                f"    {errs}.append(({path}, {py_literal('expected ' + repr(t.value))}))",
            ]
        if isinstance(t, AnyJson):
            if t.object_only:
                return [
                    f"if type({v}) is not dict:",
                    f'    _bad({errs}, {path}, "object", {v})',
                    "else:",
                    f"    {v} = _json({v}, {path}, {errs})",
                ]
            out = [f"{v} = _json({v}, {path}, {errs})"]
            if t.check is not None:  # a schema no Python type carries: checked when strict
                out += [
                    f"if {strict}:",
                    f"    _check_schema({v}, {self.check_const(t.check)}, {path}, {errs})",
                ]
            return out
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if isinstance(d, EnumDef):
                return self.enum_stmts(d, v, path, errs, strict)
            inline = self.inline_alias(d)
            if inline is not None:  # no call for a simple alias such as Metadata
                return self.decode_stmts(inline, v, path, errs, strict)
            return [f"{v} = _d_{t.name}({v}, {path}, {strict}, {errs})"]
        name = self.helper(t)
        stmts = [f"{v} = {name}({v}, {path}, {strict}, {errs})"]
        if isinstance(t, (ArrayType, MapType)):
            checks = self.size_checks(t, v, path, errs)
            if checks:
                stmts = [*checks, *stmts]
        return stmts

    def primitive_stmts(self, t: Primitive, v: str, path: str, errs: str) -> list[str]:
        kind = t.kind
        if kind == "string":
            bad = f"type({v}) is not str and not isinstance({v}, str)"
        elif kind == "integer":
            bad = f"type({v}) is not int and _not_int({v})"
        elif kind == "boolean":
            bad = f"{v} is not True and {v} is not False"
        elif kind == "null":
            bad = f"{v} is not None"
        else:
            bad = f"type({v}) is not float and type({v}) is not int and _not_number({v})"
        out = [f"if {bad}:", f"    _bad({errs}, {path}, {py_literal(kind)}, {v})"]
        if kind == "number":
            out += [
                f"elif type({v}) is float and not _isfinite({v}):",
                f'    {errs}.append(({path}, "expected a finite number"))',
            ]
        for cond, message in self.constraint_checks(t.constraints, v, kind):
            out += [f"elif {cond}:", f"    {errs}.append(({path}, {message}))"]
        rich = self.rich(t)
        if rich:
            out += ["else:", f"    {v} = {rich[2]}({v}, {path}, {errs})"]
        return out

    def constraint_checks(self, c: Constraints, v: str, kind: str) -> list[tuple[str, str]]:
        checks: list[tuple[str, str]] = []
        if kind in ("integer", "number"):
            if c.minimum is not None:
                checks.append(
                    (f"{v} < {py_literal(c.minimum)}", py_literal(f"must be >= {c.minimum!r}"))
                )
            if c.maximum is not None:
                checks.append(
                    (f"{v} > {py_literal(c.maximum)}", py_literal(f"must be <= {c.maximum!r}"))
                )
            if c.exclusive_minimum is not None:
                checks.append(
                    (
                        f"{v} <= {py_literal(c.exclusive_minimum)}",
                        py_literal(f"must be > {c.exclusive_minimum!r}"),
                    )
                )
            if c.exclusive_maximum is not None:
                checks.append(
                    (
                        f"{v} >= {py_literal(c.exclusive_maximum)}",
                        py_literal(f"must be < {c.exclusive_maximum!r}"),
                    )
                )
            if c.multiple_of:
                checks.append(
                    (
                        f"not _multiple_of({v}, {py_literal(c.multiple_of)})",
                        py_literal(f"must be a multiple of {c.multiple_of!r}"),
                    )
                )
        if kind == "string":
            if c.min_length is not None:
                checks.append(
                    (
                        f"len({v}) < {c.min_length}",
                        py_literal(f"must be at least {c.min_length} characters"),
                    )
                )
            if c.max_length is not None:
                checks.append(
                    (
                        f"len({v}) > {c.max_length}",
                        py_literal(f"must be at most {c.max_length} characters"),
                    )
                )
            if c.pattern is not None:
                const = self.pattern_const(c.pattern)
                checks.append(
                    (
                        f"{const}.search({v}) is None",
                        py_literal(f"must match pattern {c.pattern!r}"),
                    )
                )
        return checks

    def size_checks(self, t: ArrayType | MapType, v: str, path: str, errs: str) -> list[str]:
        c = t.constraints
        container = "list" if isinstance(t, ArrayType) else "dict"
        lo, hi = (
            (c.min_items, c.max_items)
            if isinstance(t, ArrayType)
            else (c.min_properties, c.max_properties)
        )
        noun = "items" if isinstance(t, ArrayType) else "properties"
        out: list[str] = []
        if lo is not None:
            out += [
                f"if type({v}) is {container} and len({v}) < {lo}:",
                f"    {errs}.append(({path}, {py_literal(f'must have at least {lo} {noun}')}))",
            ]
        if hi is not None:
            out += [
                f"if type({v}) is {container} and len({v}) > {hi}:",
                f"    {errs}.append(({path}, {py_literal(f'must have at most {hi} {noun}')}))",
            ]
        if isinstance(t, ArrayType) and c.unique_items:
            out += [
                f"if type({v}) is list and not _unique({v}):",
                f'    {errs}.append(({path}, "items must be unique"))',
            ]
        return out

    def enum_stmts(self, d: EnumDef, v: str, path: str, errs: str, strict: str) -> list[str]:
        if d.kind == "string":
            bad = f"type({v}) is not str and not isinstance({v}, str)"
        elif d.kind == "integer":
            bad = f"type({v}) is not int or isinstance({v}, bool)"
        elif d.kind == "boolean":
            bad = f"{v} is not True and {v} is not False"
        else:
            bad = f"not isinstance({v}, (int, float)) or isinstance({v}, bool)"
        return [
            f"if {bad}:",
            f"    _bad({errs}, {path}, {py_literal(d.kind)}, {v})",
            "else:",
            f"    _m = {d.name}._value2member_map_.get({v})",
            "    if _m is None:",
            f"        _m = _unknown({d.name}, {v}, {path}, {strict}, {errs})",
            f"    {v} = _m",
        ]

    def helper(self, t: TypeExpr) -> str:
        """Name of a module-level decoder for a container type, generating it once."""
        name = "_d_" + type_key(t)
        if name in self.helpers:
            return name
        self.helpers[name] = ""  # reserve first: item types may recurse
        if isinstance(t, ArrayType):
            body = [
                "if type(d) is not list:",
                '    _bad(errs, path, "array", d)',
                "    return d",
                "out = []",
                "for i, v in enumerate(d):",
                *_indent(self.decode_stmts(t.items, "v", "(path, i)")),
                "    out.append(v)",
                "return out",
            ]
        elif isinstance(t, MapType):
            body = [
                "if type(d) is not dict:",
                '    _bad(errs, path, "object", d)',
                "    return d",
                "out = {}",
                "for k, v in d.items():",
                "    if type(k) is not str:",
                "        _bad_key(errs, path, k)",
                "        continue",
                *_indent(self.decode_stmts(t.values, "v", "(path, k)")),
                "    out[k] = v",
                "return out",
            ]
        elif isinstance(t, TupleType):
            n = len(t.items)
            body = [
                f"if type(d) is not list or len(d) != {n}:",
                f'    errs.append((path, "expected an array of {n} items"))',
                "    return d",
                "out = []",
            ]
            for i, item in enumerate(t.items):
                body += [
                    f"v = d[{i}]",
                    *self.decode_stmts(item, "v", f"(path, {i})"),
                    "out.append(v)",
                ]
            body += ["return tuple(out)"]
        elif isinstance(t, InlineUnion):
            body = self.union_body(list(t.variants), None)
        else:
            raise AssertionError(t)
        self.helpers[name] = _function(name, body)
        return name

    # --- unions -------------------------------------------------------------

    def union_body(self, variants: list[TypeExpr], disc: Discriminator | None) -> list[str]:
        """Dispatch on the JSON type, then on the discriminator, then try in order."""
        out: list[str] = []
        by_kind: dict[str, list[TypeExpr]] = {}
        for variant in variants:
            for kind in sorted(self.json_kinds(variant)):
                by_kind.setdefault(kind, []).append(variant)
        tests = {
            "null": "d is None",
            "boolean": "d is True or d is False",
            "integer": "type(d) is int or (isinstance(d, int) and not isinstance(d, bool))",
            "number": "type(d) is float",
            "string": "isinstance(d, str)",
            "array": "type(d) is list",
            "object": "type(d) is dict",
        }
        anys = by_kind.pop("any", [])
        for kind in ("null", "boolean", "integer", "number", "string", "array", "object"):
            candidates = by_kind.get(kind, []) + [a for a in anys if a not in by_kind.get(kind, [])]
            if not candidates:
                continue
            out.append(f"if {tests[kind]}:")
            if kind == "object" and disc is not None:
                out += _indent(self.discriminated(disc, candidates))
            else:
                out += _indent(self.try_in_order(candidates))
        kinds = sorted({k for v in variants for k in self.json_kinds(v)} - {"any"})
        expected = " or ".join(kinds) if kinds else "a JSON value"
        if anys:
            out += ["return _json(d, path, errs)"]
        else:
            out += [f"_bad(errs, path, {py_literal(expected)}, d)", "return d"]
        return out

    def try_in_order(self, candidates: list[TypeExpr], exclusive: bool = False) -> list[str]:
        """Try each candidate: exact matches first, then leniently. With `exclusive`,
        strict mode requires exactly one exact match (`oneOf`)."""
        if len(candidates) == 1:
            return ["v = d", *self.decode_stmts(candidates[0], "v", "path"), "return v"]
        out: list[str] = ["found = []"] if exclusive else []
        # First every variant strictly, so an exact match wins over a lenient one.
        for c in candidates:
            out += [
                "sub = []",
                "v = d",
                *self.decode_stmts(c, "v", "path", errs="sub", strict="True"),
            ]
            if exclusive:
                out += [
                    "if not sub:",
                    "    if not strict:",
                    "        return v",
                    "    found.append(v)",
                ]
            else:
                out += ["if not sub:", "    return v"]
        if exclusive:
            out += [
                "if len(found) == 1:",
                "    return found[0]",
                "if found:",
                '    errs.append((path, f"matches {len(found)} variants, expected exactly one"))',
                "    return d",
            ]
        # Then leniently, noting why each variant failed.
        out += ["tried = []"]
        for c in candidates:
            label = py_literal(self.annotation(c) + ": ")
            out += ["sub = []", "v = d", *self.decode_stmts(c, "v", "path", errs="sub")]
            out += ["if not sub:", "    return v", f"tried.append(_first(sub, path, {label}))"]
        out += ["_no_variant(errs, path, tried)", "return d"]
        return out

    def discriminated(self, disc: Discriminator, candidates: list[TypeExpr]) -> list[str]:
        prop = py_literal(disc.property)
        out = [f"tag = d.get({prop})"]
        groups: dict[str, list[str]] = {}
        for tag, target in disc.mapping:
            groups.setdefault(tag, []).append(target)
        for i, (tag, targets) in enumerate(groups.items()):
            out.append(f"{'elif' if i else 'if'} tag == {py_literal(tag)}:")
            if len(targets) == 1:
                out.append(f"    return _d_{targets[0]}(d, path, strict, errs)")
            else:  # a tag shared by several variants: exactly one must match
                out += _indent(self.try_in_order([Ref(t) for t in targets], exclusive=True))
        others = [
            c
            for c in candidates
            if not (isinstance(c, Ref) and any(c.name == name for _, name in disc.mapping))
        ]
        missing = py_literal(f"{disc.property!r} is required and must be a string")
        out += [
            "if not isinstance(tag, str):",
            f"    errs.append((path, {missing}))",
            "    return d",
        ]
        if others:
            out += self.try_unknown_or(others)
        out += [
            "if strict:",
            f'    errs.append((path, f"unknown {disc.property!s} {{tag!r}}"))'
            if disc.property.isidentifier()
            else f'    errs.append((path, "unknown " + {prop} + f" {{tag!r}}"))',
            "    return d",
            "return UnknownVariant(_json(d, path, errs))",
        ]
        return out

    def try_unknown_or(self, others: list[TypeExpr]) -> list[str]:
        out: list[str] = []
        for c in others:
            out += [
                "sub = []",
                "v = d",
                *self.decode_stmts(c, "v", "path", errs="sub"),
                "if not sub:",
                "    return v",
            ]
        return out

    # --- definitions --------------------------------------------------------

    def model_decoder(self, m: ModelDef) -> str:
        body = [
            "if type(d) is not dict:",
            '    _bad(errs, path, "object", d)',
            "    return d",
            f"o = _new({m.name})",
        ]
        if any(not f.required for f in m.fields):
            body.append("get = d.get")
        optional = 0
        for f in m.fields:
            key = py_literal(f.json_name)
            fpath = f"(path, {key})"
            check = self.decode_stmts(f.type, "v", fpath)
            if f.required:
                # A subscript in a try costs nothing when the key is there (the usual case).
                body += [
                    "try:",
                    f"    v = d[{key}]",
                    "except KeyError:",
                    "    v = UNSET",
                    f"    errs.append((path, {py_literal(repr(f.json_name) + ' is required')}))",
                ]
                if check:
                    body += ["else:", *_indent(check)]
            else:
                optional += 1
                body += [
                    f"v = get({key}, UNSET)",
                    "if v is not UNSET:",
                    "    seen += 1",
                    *_indent(check),
                ]
            body.append(f"o.{f.name} = v")
        required = sum(1 for f in m.fields if f.required)
        count = f"{required} + seen" if optional else str(required)
        if optional:
            body.insert(4, "seen = 0")
        if isinstance(m.extra, AnyJson) and not m.extra.object_only:
            closed = "strict" if m.closed else "False"
            extra = f"_extra(d, _KEYS_{m.name}, path, {closed}, errs)"
        else:
            extra = f"_extra_{m.name}(d, path, strict, errs)"
        body += [
            f"if len(d) > {count}:",
            f"    o.additional_properties = {extra}",
            "else:",
            "    o.additional_properties = {}",
            # With problems in `errs` the caller discards this half-filled object.
            "return o",
        ]
        return _function(f"_d_{m.name}", body)

    def extra_decoder(self, m: ModelDef) -> str:
        keys = ", ".join(py_literal(f.json_name) for f in m.fields)
        known = f"frozenset({{{keys}}})" if keys else "frozenset()"
        constant = f"_KEYS_{m.name} = {known}"
        if isinstance(m.extra, AnyJson) and not m.extra.object_only:
            return constant
        check = self.decode_stmts(m.extra, "v", "(path, k)")
        body = [
            "out = {}",
            "for k, v in d.items():",
            f"    if k in _KEYS_{m.name}:",
            "        continue",
        ]
        body += [
            "    if type(k) is not str:",
            "        _bad_key(errs, path, k)",
            "        continue",
        ]
        if m.closed:
            body += [
                "    if strict:",
                '        errs.append((path, f"unexpected property {k!r}"))',
            ]
        body += [
            *_indent(check),
            "    out[k] = v",
            "return out",
        ]
        return constant + "\n\n\n" + _function(f"_extra_{m.name}", body)

    def union_decoder(self, u: UnionDef) -> str:
        variants = list(u.variants)
        body = self.union_body(variants, u.discriminator)
        if u.nullable:
            body = ["if d is None:", "    return None", *body]
        return _function(f"_d_{u.name}", body)

    def alias_decoder(self, a: AliasDef) -> str:
        body = ["v = d", *self.decode_stmts(a.target, "v", "path"), "return v"]
        if a.nullable:
            body = ["if d is None:", "    return None", *body]
        return _function(f"_d_{a.name}", body)

    # --- encoding -----------------------------------------------------------

    def encode_expr(self, t: TypeExpr, x: str, depth: int = 0) -> str:
        """An expression converting Python value `x` of type `t` to plain JSON."""
        if isinstance(t, Nullable):
            inner = self.encode_expr(t.inner, x, depth)
            return x if inner == x else f"(None if {x} is None else {inner})"
        if isinstance(t, Primitive):
            rich = self.rich(t)
            return f"{rich[3]}({x})" if rich else x
        if isinstance(t, LiteralType):
            return x
        if isinstance(t, AnyJson):
            return x  # free-form values are shared: the model owns a private copy
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if isinstance(d, ModelDef):
                return f"{x}.to_dict()"
            if isinstance(d, EnumDef):
                return f"{x}._value_" if d.kind != "boolean" else x
            if isinstance(d, UnionDef) and all(self.is_model(v) for v in d.variants):
                return f"{x}.to_dict()"  # every variant, and UnknownVariant, has to_dict
            inline = self.inline_alias(d)
            if inline is not None:
                return self.encode_expr(inline, x, depth)
            return f"_e_{t.name}({x})"
        var = f"x{depth}"
        if isinstance(t, ArrayType):
            item = self.encode_expr(t.items, var, depth + 1)
            return f"list({x})" if item == var else f"[{item} for {var} in {x}]"
        if isinstance(t, MapType):
            item = self.encode_expr(t.values, var, depth + 1)
            return (
                f"dict({x})"
                if item == var
                else f"{{k{depth}: {item} for k{depth}, {var} in {x}.items()}}"
            )
        if isinstance(t, TupleType):
            return (
                "["
                + ", ".join(
                    self.encode_expr(i, f"{x}[{n}]", depth + 1) for n, i in enumerate(t.items)
                )
                + "]"
            )
        if isinstance(t, InlineUnion):
            return f"{self.encoder_helper(t)}({x})"
        raise AssertionError(t)

    def encoder_helper(self, t: TypeExpr) -> str:
        name = "_e_" + type_key(t)
        if name not in self.helpers:
            self.helpers[name] = ""
            assert isinstance(t, InlineUnion)
            self.helpers[name] = _function(
                name,
                self.union_encoder_body(list(t.variants)),
                params="x: Any",
                returns="JsonValue",
            )
        return name

    def flat_variants(self, variants: list[TypeExpr]) -> list[TypeExpr]:
        """The variants of a union with nested unions (a `oneOf` member that is itself a
        `oneOf`/`anyOf`) replaced by their own variants: a value of the outer union is a
        value of one of these. A tagged nested union stays, for its `UnknownVariant`."""
        out: list[TypeExpr] = []
        seen: set[str] = set()

        def add(v: TypeExpr) -> None:
            inner = self.resolve_alias(v.inner if isinstance(v, Nullable) else v)
            d = self.defs.get(inner.name) if isinstance(inner, Ref) else None
            members = (
                d.variants
                if isinstance(d, UnionDef) and d.discriminator is None
                else inner.variants
                if isinstance(inner, InlineUnion)
                else None
            )
            if members is None:
                if v not in out:
                    out.append(v)
                return
            key = repr(inner)
            if key not in seen:
                seen.add(key)
                for m in members:
                    add(m)

        for v in variants:
            add(v)
        return out

    def union_encoder_body(self, variants: list[TypeExpr]) -> list[str]:
        out: list[str] = []
        variants = self.flat_variants(variants)
        for v in variants:
            inner = v.inner if isinstance(v, Nullable) else v
            target = self.resolve_alias(inner)
            d = self.defs.get(target.name) if isinstance(target, Ref) else None
            if isinstance(d, EnumDef):
                out += [
                    f"if isinstance(x, {d.name}):",
                    f"    return {self.encode_expr(target, 'x')}",
                ]
        for v in variants:
            inner = self.resolve_alias(v.inner if isinstance(v, Nullable) else v)
            rich = self.rich(inner) if isinstance(inner, Primitive) else None
            if rich:
                out += [f"if isinstance(x, {rich[1]}):", f"    return {rich[3]}(x)"]
        out += ["if x is None or isinstance(x, (str, int, float)):", "    return x"]
        containers = [self.resolve_alias(v) for v in variants]
        for c in containers:
            c = c.inner if isinstance(c, Nullable) else c
            if isinstance(c, (ArrayType, TupleType)):
                out += [
                    "if isinstance(x, (list, tuple)):",
                    f"    return {self.encode_expr(c, 'x')}",
                ]
            elif isinstance(c, (MapType, AnyJson)):
                expr = self.encode_expr(c, "x").replace("_copy(", "_copy_value(")
                out += ["if isinstance(x, dict):", f"    return {expr}"]
        has_objects = any(
            isinstance(c, Ref) and isinstance(self.defs.get(c.name), (ModelDef, UnionDef))
            for c in (v.inner if isinstance(v, Nullable) else v for v in variants)
        )
        if has_objects:
            out += ["result: JsonValue = x.to_dict()", "return result"]
        else:
            out += ['raise TypeError(f"cannot encode {type(x).__name__}")']
        return out

    def union_encoder(self, u: UnionDef) -> str:
        return _function(
            f"_e_{u.name}",
            self.union_encoder_body(list(u.variants)),
            params="x: Any",
            returns="JsonValue",
        )

    def alias_encoder(self, a: AliasDef) -> str:
        expr = self.encode_expr(a.target, "x")
        body = ["result: JsonValue = " + expr, "return result"]
        if a.nullable and expr != "x":
            body = ["if x is None:", "    return None", *body]
        return _function(
            f"_e_{a.name}",
            body,
            params="x: Any",
            returns="JsonValue",
        )

    def to_dict_body(self, m: ModelDef) -> list[str]:
        lines: list[str] = []
        head: list[str] = []
        started = False
        for f in m.fields:
            x = f"self.{f.name}"
            expr = self.encode_expr(f.type, x)
            item = f"{py_literal(f.json_name)}: {expr}"
            if f.required and not started and width(item) < _ITEM_WIDTH:
                head.append(item)
                continue
            started = True
            target = f"out[{py_literal(f.json_name)}]"
            if f.required:
                lines += self.encode_stmts(f.type, x, target, 8)
            else:
                lines += [
                    f"if {x} is not UNSET:",
                    *_indent(self.encode_stmts(f.type, x, target, 12)),
                ]
        extra = self.encode_expr(m.extra, "v")
        extra_stmt = (
            "out.update(self.additional_properties)"
            if isinstance(m.extra, AnyJson)
            else (f"out.update({{k: {extra} for k, v in self.additional_properties.items()}})")
        )
        return [
            "out: dict[str, JsonValue] = {" + ", ".join(head) + "}",
            *lines,
            "if self.additional_properties:",
            f"    {extra_stmt}",
            "return out",
        ]

    def encode_stmts(self, t: TypeExpr, x: str, target: str, indent: int) -> list[str]:
        """`target = <x encoded>` as statements; a nullable value that does not fit in
        one line at `indent` becomes an if/else (black would split the expression)."""
        if not isinstance(t, Nullable) or self.encode_expr(t.inner, x) == x:
            return [f"{target} = {self.encode_expr(t, x)}"]
        inner = self.encode_expr(t.inner, x)
        line = f"{target} = None if {x} is None else {inner}"  # no parentheses, as black
        if indent + width(line) <= LINE_LENGTH:
            return [line]
        return [f"if {x} is None:", f"    {target} = None", "else:", f"    {target} = {inner}"]

    def extra_annotation(self, m: ModelDef) -> str:
        return f"dict[str, {self.annotation(m.extra)}]"


def _fits(kind: str, value: JsonValue) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# A field goes into the dict literal that starts `to_dict` only when its item is this
# short, so that the literal, exploded one item per line if need be, fits.
_ITEM_WIDTH = 72

# A folded nullable check `if v is not None and (...)` is used only when this short, so
# that it fits on one line at any nesting the decoders use.
_FOLD_WIDTH = 56


def _indent(lines: list[str]) -> list[str]:
    return ["    " + line if line else line for line in lines]


DECODER_PARAMS = "d: Any, path: Path, strict: bool, errs: Errors"


def _function(
    name: str, body: list[str], params: str = DECODER_PARAMS, returns: str = "Any"
) -> str:
    if any(line.strip() == "sub = []" for line in body):
        body = ["sub: Errors = []", *body]
    if any(line.strip() == "tried = []" for line in body):
        body = ["tried: list[str] = []", *body]
    if any(line.strip() == "found = []" for line in body):
        body = ["found: list[Any] = []", *body]
    if params == DECODER_PARAMS and any(line.strip().startswith("v = d") for line in body):
        body = ["v: Any", *body]
    if any(line.strip().startswith("_m = ") for line in body):
        body = ["_m: Any", *body]
    return f"def {name}({params}) -> {returns}:\n" + "\n".join(_indent(body))


def enum_base(d: EnumDef) -> str:
    """The bases of an enum class: members compare equal to their JSON values, and all
    but boolean enums are open (an unknown value is kept, see `OpenEnum`)."""
    mixin = {"string": "str", "integer": "int", "number": "float"}.get(d.kind)
    return f"{mixin}, _OpenEnum" if mixin else "Enum"


def union_summary(u: UnionDef, cg: Codegen) -> str:
    """How a union is decoded, for its docstring and docs page."""
    names = ", ".join(dict.fromkeys(f"`{cg.annotation(v)}`" for v in u.variants))
    text = f"One of {names}."
    if u.discriminator is not None:
        how = (
            "explicit discriminator"
            if u.discriminator.explicit
            else "tag shared by every object variant"
        )
        text += (
            f" Objects are decoded by their `{u.discriminator.property}` property ({how});"
            " an unknown value decodes to `UnknownVariant` (an error with `strict`)."
        )
        tags = [tag for tag, _ in u.discriminator.mapping]
        if len(set(tags)) < len(tags):
            text += (
                " A value shared by several variants tries those (exact matches first);"
                " `strict` requires exactly one to match."
            )
    elif sum(1 for v in u.variants if "object" in cg.json_kinds(v)) > 1:
        text += (
            " Objects are decoded by trying the variants in order (exact matches first);"
            " the first that accepts the value wins."
        )
    return text


def alias_order(aliases: list[AliasDef | UnionDef]) -> tuple[list[AliasDef | UnionDef], set[str]]:
    """Aliases in an order where each is defined after those it names, and the names of
    aliases on a cycle (which must be written as strings)."""
    by_name = {a.name: a for a in aliases}
    from ..model import definition_references

    deps = {a.name: [n for n in definition_references(a) if n in by_name] for a in aliases}
    order: list[AliasDef | UnionDef] = []
    state: dict[str, int] = {}
    cyclic: set[str] = set()

    def visit(name: str, stack: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cyclic.update(stack[stack.index(name) :])
            return
        state[name] = 1
        for dep in deps[name]:
            visit(dep, [*stack, dep])
        state[name] = 2
        order.append(by_name[name])

    for a in aliases:
        visit(a.name, [a.name])
    return order, cyclic


# (module, name, alias) that generated modules may import; the order is isort's
# (constants, classes, functions), so that ruff's import sorting is satisfied.
_IMPORTABLE: tuple[tuple[str, str, str], ...] = (
    ("dataclasses", "dataclass", "dataclass"),
    ("datetime", "date", "date"),
    ("datetime", "datetime", "datetime"),
    ("uuid", "UUID", "UUID"),
    ("dataclasses", "field", "field"),
    ("enum", "Enum", "Enum"),
    ("math", "isfinite", "_isfinite"),
    ("typing", "Any", "Any"),
    ("typing", "Literal", "Literal"),
    ("typing", "TypeAlias", "TypeAlias"),
    ("typing", "Union", "Union"),
    ("._check", "Check", "_Check"),
    ("._check", "check_schema", "_check_schema"),
    ("._runtime", "UNSET", "UNSET"),
    ("._runtime", "Errors", "Errors"),
    ("._runtime", "JsonValue", "JsonValue"),
    ("._runtime", "Path", "Path"),
    ("._runtime", "UnknownVariant", "UnknownVariant"),
    ("._runtime", "Unset", "Unset"),
    ("._runtime", "Model", "_Model"),
    ("._runtime", "OpenEnum", "_OpenEnum"),
    ("._runtime", "bad_key", "_bad_key"),
    ("._runtime", "bad_type", "_bad"),
    ("._runtime", "copy_json", "_copy"),
    ("._runtime", "copy_json_value", "_copy_value"),
    ("._runtime", "decode", "_decode"),
    ("._runtime", "decode_json", "_json"),
    ("._runtime", "dumps", "_dumps"),
    ("._runtime", "extra_json", "_extra"),
    ("._runtime", "first_problem", "_first"),
    ("._runtime", "format_base64", "_format_base64"),
    ("._runtime", "format_date", "_format_date"),
    ("._runtime", "format_datetime", "_format_datetime"),
    ("._runtime", "format_unixtime", "_format_unixtime"),
    ("._runtime", "loads", "_loads"),
    ("._runtime", "multiple_of", "_multiple_of"),
    ("._runtime", "no_variant", "_no_variant"),
    ("._runtime", "not_int", "_not_int"),
    ("._runtime", "not_number", "_not_number"),
    ("._runtime", "parse_base64", "_parse_base64"),
    ("._runtime", "parse_date", "_parse_date"),
    ("._runtime", "parse_datetime", "_parse_datetime"),
    ("._runtime", "parse_unixtime", "_parse_unixtime"),
    ("._runtime", "parse_uuid", "_parse_uuid"),
    ("._runtime", "safe_repr", "_safe_repr"),
    ("._runtime", "unique", "_unique"),
    ("._runtime", "unknown_member", "_unknown"),
)


# Strings and comments, matched left to right so that a quote inside one never starts
# another: triple-quoted strings (escapes honoured), one-line strings, comments.
_NOT_CODE = re.compile(
    r'[rbfuRBFU]*(?:"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*')"
    r"|#[^\n]*"
)
_NAME = re.compile(r"(?<![.\w])[A-Za-z_]\w*")


def used_names(code: str) -> set[str]:
    """Names a generated module body refers to: its identifiers once strings and comments
    are taken out. Much faster than parsing a 100k-line module, and tested to find every
    name the parser finds."""
    return set(_NAME.findall(_NOT_CODE.sub(" ", code)))


def imports_for(code: str) -> list[list[tuple[str, list[str] | None]]]:
    """Import sections (stdlib, then the package's runtime) for a module body, laid out
    as isort does: plain names in one statement per module, each `as` in its own."""
    used = used_names(code)
    sections: list[list[tuple[str, list[str] | None]]] = []
    for local in (False, True):
        statements: list[tuple[str, list[str] | None]] = []
        if not local and "re" in used:
            statements.append(("re", None))
        modules = sorted({m for m, _, _ in _IMPORTABLE if m.startswith(".") == local})
        for module in modules:
            entries = [(n, a) for m, n, a in _IMPORTABLE if m == module and a in used]
            plain = sorted((n for n, a in entries if n == a), key=all_sort_key)
            if plain:
                statements.append((module, plain))
            for name, alias in sorted((e for e in entries if e[0] != e[1]), key=lambda e: e[0]):
                statements.append((module, [f"{name} as {alias}"]))
        if statements:
            sections.append(statements)
    return sections


def all_sort_key(name: str) -> tuple[int, str, str]:
    """isort's order for imported names: CONSTANTS, Classes, the rest; case-insensitive."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, name.lower(), name)


def dunder_all_key(name: str) -> tuple[int, str]:
    """ruff's order for `__all__` (RUF022): CONSTANTS, Classes, the rest; case-sensitive."""
    kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
    return (kind, name)


def base_first(models: list[ModelDef]) -> list[ModelDef]:
    """Models in name order, except that a base class comes before the models it has."""
    by_name = {m.name: m for m in models}
    out: list[ModelDef] = []
    placed: set[str] = set()

    def place(m: ModelDef) -> None:
        if m.name in placed:
            return
        placed.add(m.name)
        if m.base in by_name:
            place(by_name[m.base])
        out.append(m)

    for m in models:
        place(m)
    return out


def own_fields(cg: Codegen) -> Callable[[ModelDef], tuple[Field, ...]]:
    """The fields a model's class declares: all of them, less those of its base."""

    def own(m: ModelDef) -> tuple[Field, ...]:
        base = cg.defs.get(m.base) if m.base else None
        inherited = len(base.fields) if isinstance(base, ModelDef) else 0
        return m.fields[inherited:]

    return own
