"""Decisions for the Python target: annotations, defaults, literals, names.

The templates lay out the files (imports, classes, fields, docstrings, method
signatures); this module decides what goes in them. The decoders and encoders are
planned in `codec_plan.py` and shaped by `templates/python/_codec/`. Every string from
the spec reaches the code only through `py_literal` (repr) or `docstring`, never by
hand-written escaping.
"""

from __future__ import annotations

import hashlib
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
    if isinstance(value, float):
        return repr(value).replace("e+", "e")  # black's numeric literal: 1e100, not 1e+100
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
    if "\n" in body:
        pad = " " * indent
        body = "\n".join(
            pad + line if line and i else line for i, line in enumerate(body.split("\n"))
        )
        # Closing quotes on their own line: where black and ruff format agree.
        body += "\n" + pad
    elif body.endswith('\\"'):
        # A quote before the closing ones: unescaped and padded, the one form black
        # and ruff format both keep (black pads even an escaped quote, ruff does not).
        body = body[:-2] + '" '
    if body.startswith('"'):
        body = " " + body  # as black writes it: four quotes in a row would not parse
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
    """What the Python target decides about a package's types: annotations, defaults,
    JSON kinds, aliases. Read-only once built; the codec plan (`codec_plan.py`) and
    the templates use it."""

    package: Package
    formats: str = "json"
    defs: dict[str, Definition] = field(init=False)

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

    # --- unions -------------------------------------------------------------

    # --- definitions --------------------------------------------------------

    # --- encoding -----------------------------------------------------------

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
        text += " Objects are decoded by trying the variants in order (exact matches first);" + (
            " the first that accepts the value wins; `strict` requires exactly one"
            " to match (`oneOf`)."
            if u.exclusive
            else " the first that accepts the value wins."
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
    (".", "models", "_models"),
    ("._check", "Check", "_Check"),
    ("._check", "UnicodePattern", "_UnicodePattern"),
    ("._check", "check_schema", "_check_schema"),
    ("._runtime", "UNSET", "UNSET"),
    ("._runtime", "Errors", "Errors"),
    ("._runtime", "JsonValue", "JsonValue"),
    ("._runtime", "Path", "Path"),
    ("._runtime", "UnknownVariant", "UnknownVariant"),
    ("._runtime", "Unset", "Unset"),
    ("._runtime", "MISSING", "_MISSING"),
    ("._runtime", "Model", "_Model"),
    ("._runtime", "OpenEnum", "_OpenEnum"),
    ("._runtime", "as_int", "_as_int"),
    ("._runtime", "bad_key", "_bad_key"),
    ("._runtime", "bad_type", "_bad"),
    ("._runtime", "bad_value", "_bad_value"),
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
    ("._runtime", "property_names", "_keys"),
    ("._runtime", "safe_repr", "_safe_repr"),
    ("._runtime", "unique", "_unique"),
    ("._runtime", "enum_value", "_enum"),
    ("._runtime", "required", "_required"),
    ("._runtime", "unknown_member", "_unknown"),
    ("._runtime", "to_json_value", "_j"),
    ("._runtime", "to_json_object", "_jo"),
    ("._runtime", "encode_list", "_each"),
    ("._runtime", "to_dict_list", "_dicts"),
)


# One pass over a module body, left to right, a token at a time: strings (triple-quoted,
# escapes honoured; one-line) and comments, which hold no names, attribute names (after
# a dot) and other words (starting with a digit, or a non-ASCII letter), which are no
# names either, and names, the one group. Matched left to right, a quote inside a string
# or comment never starts another, and a word is consumed whole, so a name is never
# found inside one. A string's prefix letters (r, b, f, ...) are names of their own:
# harmless extra names. The loops are unrolled (`[^"\\]*(?:...[^"\\]*)*`): a run of
# plain characters at a time, and no backtracking that grows with a string's length.
_TOKENS = re.compile(
    r'"""[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*"""'
    r"|'''[^'\\]*(?:(?:\\[\s\S]|'(?!''))[^'\\]*)*'''"
    r'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    r"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    r"|#[^\n]*"
    r"|\.\w+"
    r"|([A-Za-z_]\w*)"
    r"|\w+"
)


def used_names(code: str) -> set[str]:
    """Names a generated module body refers to: its identifiers outside strings and
    comments. Much faster than parsing a 100k-line module, and tested to find every
    name the parser finds."""
    names = set(_TOKENS.findall(code))
    names.discard("")  # the tokens that are no names
    return names


def imports_for(
    code: str, models: list[str] | None = None
) -> list[list[tuple[str, list[str] | None]]]:
    """Import sections (stdlib, then the package's runtime) for a module body, laid out
    as isort does: plain names in one statement per module, each `as` in its own.
    `models`: the names `.models` defines, imported where the code uses them."""
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
            # One statement for the plain names, one per `as`; isort orders them by
            # their (first) name.
            found: list[tuple[str, list[str]]] = [(plain[0], plain)] if plain else []
            found += [(n, [f"{n} as {a}"]) for n, a in entries if n != a]
            for _, names in sorted(found, key=lambda e: all_sort_key(e[0])):
                statements.append((module, names))
        if local and models:
            from_models = sorted((n for n in models if n in used), key=all_sort_key)
            if from_models:
                statements.append((".models", from_models))
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
