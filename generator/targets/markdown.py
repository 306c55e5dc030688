"""Decisions for the Markdown docs: type labels, links, table-cell and Mermaid escaping."""

from __future__ import annotations

import html
import re

from ..model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Constraints,
    Definition,
    EnumDef,
    Field,
    InlineUnion,
    LiteralType,
    MapType,
    ModelDef,
    Nullable,
    Primitive,
    Ref,
    TupleType,
    TypeExpr,
    UnionDef,
    referenced_names,
)
from ..targets.python import Codegen, py_literal

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})", re.M)
# Bidirectional controls ("Trojan Source") are shown as character references.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Control characters (not tab or line breaks) are shown as their Unicode pictures: a NUL
# byte in a Markdown file makes tools treat it as binary.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _inert(text: str) -> str:
    escaped = html.escape(text.strip(), quote=False)
    escaped = _CONTROL.sub(
        lambda m: chr(0x2421 if m.group() == "\x7f" else 0x2400 + ord(m.group())), escaped
    )
    return _BIDI.sub(lambda m: f"&#x{ord(m.group()):x};", escaped)


def md_text(text: str | None) -> str:
    """Free text (a description) for a paragraph: HTML made inert, and no line may open
    a code fence (which would swallow the rest of the page, tables included)."""
    if not text:
        return ""
    escaped = _inert(text).replace("\r\n", "\n").replace("\r", "\n")
    return _FENCE.sub(lambda m: m.group(1) + "\\" + m.group(2), escaped)


def md_cell(text: str | None) -> str:
    """Text for a Markdown table cell: no pipe or newline can break the row."""
    if not text:
        return ""
    escaped = _inert(text).replace("|", "\\|")
    return "<br>".join(line.strip() for line in re.split(r"\r\n|\r|\n", escaped))


def md_code(text: str) -> str:
    """Inline code for a cell: backticks are doubled around text that contains them."""
    cell = md_cell(text)
    if "`" in cell:
        return f"`` {cell} ``"
    return f"`{cell}`"


def first_sentence(text: str | None) -> str:
    if not text:
        return ""
    para = text.strip().split("\n\n", 1)[0].replace("\n", " ")
    match = re.match(r"(.+?[.!?])(\s|$)", para)
    return match.group(1) if match else para


_MERMAID_UNSAFE = re.compile(r"[^A-Za-z0-9_ ]")


def mermaid_label(text: str) -> str:
    """Mermaid text with every character outside [A-Za-z0-9_ ] as an entity code."""
    return _MERMAID_UNSAFE.sub(lambda m: f"#{ord(m.group())};", text)


class DocTypes:
    """Type labels for the docs: the Python type, linked to the model pages it names."""

    def __init__(self, cg: Codegen) -> None:
        self.cg = cg

    def label(self, t: TypeExpr) -> str:
        inner = t.inner if isinstance(t, Nullable) else t
        text = self.cg.annotation(inner)
        names = referenced_names(inner)
        if len(set(names)) == 1:
            return f"[**{md_cell(text)}**]({names[0]}.md)"
        if names:
            linked = md_cell(text)
            for name in sorted(set(names), key=len, reverse=True):
                linked = re.sub(rf"\b{re.escape(name)}\b", f"[{name}]({name}.md)", linked)
            return linked
        return f"**{md_cell(text)}**"

    def body_label(self, t: TypeExpr) -> str:
        """An operation body's type, `[nullable]` as in a property's notes."""
        return self.label(t) + (" [nullable]" if isinstance(t, Nullable) else "")

    def notes(self, f: Field) -> str:
        notes: list[str] = []
        if not f.required:
            notes.append("[optional]")
        if isinstance(f.type, Nullable):
            notes.append("[nullable]")
        if f.has_default:
            notes.append(f"[default to {md_code(py_literal(f.default))}]")
        if f.read_only:
            notes.append("[readonly]")
        if f.write_only:
            notes.append("[writeonly]")
        if f.docs.deprecated:
            notes.append("[deprecated]")
        inner = f.type.inner if isinstance(f.type, Nullable) else f.type
        notes += self.type_notes(inner)
        return " ".join(notes)

    def type_notes(self, t: TypeExpr) -> list[str]:
        out: list[str] = []
        if isinstance(t, Ref):
            d = self.cg.defs.get(t.name)
            if isinstance(d, EnumDef):
                values = ", ".join(md_code(py_literal(m.value)) for m in d.members)
                out.append(f"[enum: {values}]")
        if isinstance(t, LiteralType):
            out.append(f"[always {md_code(py_literal(t.value))}]")
        if isinstance(t, Primitive):
            if t.format:
                out.append(f"[format: {md_code(t.format)}]")
            out += constraint_notes(t.constraints)
        if isinstance(t, (ArrayType, MapType)):
            out += constraint_notes(t.constraints)
            item = t.items if isinstance(t, ArrayType) else t.values
            item = item.inner if isinstance(item, Nullable) else item
            if isinstance(item, Primitive):
                out += [n.replace("[", "[items: ", 1) for n in constraint_notes(item.constraints)]
        return out

    def edges(self, d: Definition) -> list[tuple[str, str]]:
        return edges(d)

    def kind(self, d: Definition) -> str:
        return {ModelDef: "model", EnumDef: "enum", UnionDef: "union", AliasDef: "alias"}[type(d)]

    def mermaid_type(self, t: TypeExpr) -> str:
        inner = t.inner if isinstance(t, Nullable) else t
        if isinstance(inner, Ref):
            return inner.name
        if isinstance(inner, ArrayType):
            return "list"
        if isinstance(inner, (MapType, AnyJson)):
            return "dict" if not isinstance(inner, AnyJson) or inner.object_only else "JsonValue"
        if isinstance(inner, Primitive):
            return self.cg.annotation(inner)
        if isinstance(inner, LiteralType):
            return "Literal"
        if isinstance(inner, TupleType):
            return "tuple"
        if isinstance(inner, InlineUnion):
            return "Union"
        return "object"


def constraint_notes(c: Constraints) -> list[str]:
    pairs = [
        ("minimum", c.minimum),
        ("maximum", c.maximum),
        ("exclusive minimum", c.exclusive_minimum),
        ("exclusive maximum", c.exclusive_maximum),
        ("multiple of", c.multiple_of),
        ("min length", c.min_length),
        ("max length", c.max_length),
        ("min items", c.min_items),
        ("max items", c.max_items),
        ("min properties", c.min_properties),
        ("max properties", c.max_properties),
    ]
    out = [f"[{name}: {value!r}]" for name, value in pairs if value is not None]
    if c.pattern is not None:
        out.append(f"[pattern: {md_code(c.pattern)}]")
    if c.unique_items:
        out.append("[unique items]")
    return out


def edges(d: Definition) -> list[tuple[str, str]]:
    """(target, label) pairs for the class diagram: who refers to whom, and through what."""
    out: list[tuple[str, str]] = []
    if isinstance(d, ModelDef):
        for f in d.fields:
            out += [(name, f.name) for name in referenced_names(f.type)]
    elif isinstance(d, UnionDef):
        out += [(name, "variant") for v in d.variants for name in referenced_names(v)]
    elif isinstance(d, AliasDef):
        out += [(name, "alias of") for name in referenced_names(d.target)]
    seen: set[tuple[str, str]] = set()
    return [e for e in out if not (e in seen or seen.add(e))]  # type: ignore[func-returns-value]
