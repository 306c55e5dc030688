"""Which class name each named schema gets: components first, inline schemas after,
collision-free (also across case, for case-insensitive file systems)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import naming
from ..spec.load import Document
from ..spec.refs import component_name, escape_token, schema_pointer

if TYPE_CHECKING:
    from .context import BuildContext


def component_pointer(doc: Document, raw: str) -> str:
    """The pointer of component schema `raw` (under `$defs` in a bare JSON Schema)."""
    if raw in (doc.data.get("$defs") or {}):
        return "#/$defs/" + escape_token(raw)
    return schema_pointer(raw)


def class_name_of_pointer(pointer: str) -> str:
    return naming.class_name(pointer.rsplit("/", 1)[-1])


def claim(ctx: BuildContext, name: str, pointer: str) -> str:
    """Reserve a class name for a schema; components claim theirs first."""
    if pointer in ctx.names:
        return ctx.names[pointer]
    taken = ctx.taken_lower
    if name.lower() in taken:
        other = taken[name.lower()]
        if component_name(pointer) is not None and component_name(other) is not None:
            raise ctx.error(
                f"schema names collide: {pointer!r} and {other!r} both become class"
                f" {name!r} (or differ only in case, which clashes on case-insensitive"
                " file systems)",
                ctx.refs.pointer(pointer, None),
            )
        base, n = name, 2
        while name.lower() in taken:
            name = f"{base}{n}"
            n += 1
        ctx.warn(f"inline schema named {name!r}: {base!r} is taken by {other!r}", pointer)
    ctx.names[pointer] = name
    ctx.sources[name] = pointer
    taken.setdefault(name.lower(), pointer)
    return name


def inline_name(ctx: BuildContext, hint: str, pointer: str, top_level: bool) -> str:
    """The name of an object, enum or union schema: its own name at the top level,
    else `hint` (derived from where it sits) claimed for it."""
    if top_level:
        return hint
    return claim(ctx, hint, pointer)
