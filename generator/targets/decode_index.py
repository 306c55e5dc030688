"""Decisions for `<package>.decode(T, data)`: the aliases and unions it can look up.

At run time an alias is just the object on its right-hand side. `Metadata = dict[str,
str]` is a new object that belongs to `Metadata` alone, so `decode` finds Metadata's own
decoder by identity. `ParallelToolCalls = bool` is the class `bool` itself, shared with
every other use of `bool`: `decode` can then only decode it by its structure, which is
exact unless the definition checks more than its annotation says (a constraint, a null
the annotation leaves out, a strict-mode schema check). That difference is computed
here, once per alias and union, and written into `__init__.py`; the runtime refuses
(TypeError) to decode a shared object structurally where it would drop a check.
"""

from __future__ import annotations

from ..model import (
    AliasDef,
    AnyJson,
    ArrayType,
    InlineUnion,
    LiteralType,
    MapType,
    Nullable,
    Package,
    Primitive,
    Ref,
    TupleType,
    TypeExpr,
    UnionDef,
)

EXACT = 0  # decoding by the annotation's structure is the definition's own decoding
STRICT_ONLY = 1  # ... except in strict mode (a schema check of a JsonValue)
ALWAYS = 2  # the definition checks more in both modes, or is a union with a tag


def extra_checks(pkg: Package, formats: str) -> dict[str, int]:
    """For each alias and union: how its decoder differs from decoding its annotation."""
    out: dict[str, int] = {}
    for d in pkg.definitions:
        if isinstance(d, AliasDef):
            out[d.name] = max(_level(d.target, formats), ALWAYS if d.nullable else EXACT)
        elif isinstance(d, UnionDef):
            if len(d.variants) != 1:
                out[d.name] = ALWAYS  # decoded by its tag or in its order, not by try-all
            else:
                single = _level(d.variants[0], formats)
                out[d.name] = max(single, ALWAYS if d.nullable else EXACT)
    return out


def _level(t: TypeExpr, formats: str) -> int:
    if isinstance(t, Nullable):
        return _level(t.inner, formats)
    if isinstance(t, Primitive):
        # A Unix time is a `datetime` that is an integer in JSON: not what `datetime` reads.
        unixtime = formats == "python" and t.format == "unixtime"
        return ALWAYS if unixtime or not t.constraints.is_empty() else EXACT
    if isinstance(t, (ArrayType, MapType)):
        inner = t.items if isinstance(t, ArrayType) else t.values
        return ALWAYS if not t.constraints.is_empty() else _level(inner, formats)
    if isinstance(t, TupleType):
        return max((_level(i, formats) for i in t.items), default=EXACT)
    if isinstance(t, InlineUnion):
        return max((_level(v, formats) for v in t.variants), default=EXACT)
    if isinstance(t, AnyJson):
        return STRICT_ONLY if t.check is not None else EXACT
    # A Ref is written by name: the referenced object is looked up on its own.
    assert isinstance(t, (Ref, LiteralType)), t
    return EXACT
