"""Hypothesis strategies derived from the intermediate model (`generator.model.Package`).

Nothing here is written for RunObject: every strategy walks the definitions of whatever
package it is given.

- `payloads(package, name, unknown=True)`: JSON payloads that are valid for the definition
  `name`. With `unknown`, some carry things a newer spec could add: unknown enum values,
  unknown properties and unknown discriminator tags (valid leniently; strict decoding
  rejects unknown enum values and tags).
- `samples(...)`: the same payloads with a record of what was generated where (`Site`s),
  so a test knows which payloads hold unknown values without re-deriving it.
- `mutations(package, name)`: a valid payload made invalid in exactly one place (a wrong
  JSON type, a null where none is allowed, a missing required property, a violated
  constraint, an unknown enum value or tag, a wrong constant).
"""

from __future__ import annotations

import base64
import copy
import functools
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import jsonschema
from hypothesis import assume
from hypothesis import strategies as st
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from generator.build import canonical_json
from generator.build.checks import VALUE_KEYS
from generator.model import (
    AliasDef,
    AnyJson,
    ArrayType,
    Definition,
    Discriminator,
    EnumDef,
    InlineUnion,
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
)
from generator.patterns import CATEGORIES, ESCAPE, properties, property_name
from generator.spec.refs import unescape_token

JsonPath = tuple[Any, ...]  # keys (str) and indexes (int) from the root

# Integers stay inside int64 so every consumer (json, pydantic-core) handles them the same.
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MAX_EXTRA_ITEMS = 3  # array/map sizes beyond their minimum

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(INT_MIN, INT_MAX)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values: st.SearchStrategy[Any] = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=4)

# Strings for the `format`s an OpenAPI spec commonly declares: valid under any reading.
FORMAT_STRATEGIES: dict[str, st.SearchStrategy[str]] = {
    "date-time": st.datetimes().map(lambda d: d.isoformat() + "Z"),
    "date": st.dates().map(lambda d: d.isoformat()),
    "time": st.times().map(lambda t: t.isoformat() + "Z"),
    "uuid": st.uuids().map(str),
    "uri": st.from_regex(r"\Ahttps://[a-z]{1,10}\.example/[a-z0-9]{0,10}\Z"),
    "email": st.from_regex(r"\A[a-z]{1,8}@[a-z]{1,8}\.example\Z"),
    "byte": st.binary(max_size=12).map(lambda b: base64.b64encode(b).decode("ascii")),
}
# Integer formats: Unix time within the years datetime can represent.
INTEGER_FORMATS: dict[str, tuple[int, int]] = {"unixtime": (0, 253402300799)}


@dataclass(frozen=True)
class Site:
    """One generated value: where it is and what the spec says about it."""

    path: JsonPath
    type: TypeExpr  # the declared type at this position (Nullable/Ref not resolved)
    owner: tuple[str, str] | None = None  # (model, JSON property) when a property value
    required: bool = True  # False for an optional property
    unknown: str | None = None  # "enum" | "tag" | "key" | "closed_key": deliberately unknown
    tag: bool = False  # the discriminator property of a union variant
    variant: bool = False  # the chosen variant of a union (same path as the union's site)
    ambiguous: bool = False  # inside a union variant that the JSON kind alone may not pick


@dataclass(frozen=True)
class Sample:
    value: Any
    sites: tuple[Site, ...]

    @property
    def unknown_paths(self) -> list[tuple[str, JsonPath]]:
        return [(s.unknown, s.path) for s in self.sites if s.unknown]

    @property
    def strict_rejects(self) -> bool:
        """Whether strict decoding must reject the payload (lenient decoding accepts it)."""
        return any(s.unknown in ("enum", "tag", "closed_key", "check") for s in self.sites)


@dataclass(frozen=True)
class Mutation:
    value: Any  # the invalid payload
    original: Any  # the valid payload it was made from
    # "null" | "optional_null" | "wrong_type" | "missing" | "constraint" | "literal" |
    # "unknown_enum" | "unknown_tag"
    kind: str
    site: Site
    detail: str

    @property
    def strict_only(self) -> bool:
        """Invalid only in strict mode: lenient decoding keeps unknown values on purpose."""
        return self.kind in ("unknown_enum", "unknown_tag")

    def describe(self) -> str:
        return f"{self.kind} at {render_path(self.site.path)}: {self.detail}"


def check_accepts(check: str, value: Any) -> bool:
    """Whether `value` is valid against a strict check's schema, judged by `jsonschema`
    (an independent implementation: the generated check must agree with it)."""
    schema, defs = json.loads(check)
    pointers = {ref: target for ref, target in defs.items() if ref.startswith("#")}
    # The spec's other schema resources, by URI (never fetched).
    registry: Registry[Any] = Registry().with_resources(
        (uri, DRAFT202012.create_resource(target))
        for uri, target in defs.items()
        if not uri.startswith("#")
    )
    if isinstance(schema, dict) and pointers:
        # The referenced schemas, placed at their pointers inside the root schema, so
        # that `#/...` references resolve where they point in the spec.
        schema = copy.deepcopy(schema)
        for ref, target in pointers.items():
            node = schema
            tokens = [unescape_token(t) for t in ref.lstrip("#/").split("/")]
            for token in tokens[:-1]:
                node = node.setdefault(token, {})
            node.setdefault(tokens[-1], target)
    schema = _python_patterns(schema)
    return bool(jsonschema.Draft202012Validator(schema, registry=registry).is_valid(value))


@functools.cache
def python_pattern(pattern: str, last: int = 0x10FFFF) -> str:
    """`pattern` for Python's `re`: each Unicode property escape (`\\p{Letter}`, which `re`
    lacks) as the class of its code points up to `last`, read from `unicodedata` here: an
    oracle written apart from the generated translation (`_check.UnicodePattern`). (To
    draw strings, a smaller `last` keeps hypothesis fast: every string drawn still
    matches the pattern.)"""
    if not properties(pattern):
        return pattern
    out, depth, i = "", 0, 0
    while i < len(pattern):
        match = ESCAPE.match(pattern, i)
        if match is not None and match.group(1):
            wanted = frozenset(CATEGORIES[property_name(match.group(2))])
            ranges = _ranges(wanted, match.group(1) == "p", last)
            out += ranges if depth else f"[{ranges}]"
            i = match.end()
        elif match is not None:
            out += match.group(0)
            i = match.end()
        else:
            depth = 1 if pattern[i] == "[" else 0 if pattern[i] == "]" else depth
            out += pattern[i]
            i += 1
    return out


def _ranges(categories: frozenset[str], keep: bool, last: int) -> str:
    """A character class body of the code points up to `last` in `categories` (`keep`)
    or not in them."""
    out, start = "", None
    for code in range(last + 2):
        inside = code <= last and (unicodedata.category(chr(code)) in categories) is keep
        if inside and start is None:
            start = code
        elif not inside and start is not None:
            out += f"{re.escape(chr(start))}-{re.escape(chr(code - 1))}"
            start = None
    return out


@functools.cache
def _pattern_strings(pattern: str) -> st.SearchStrategy[str]:
    """Strings that `pattern` matches (its property escapes drawn from the BMP's first
    scripts: a class of the whole of Unicode makes hypothesis slow)."""
    return st.from_regex(python_pattern(pattern, 0x2FFF), fullmatch=False)


def _python_patterns(schema: Any) -> Any:
    """A schema with its patterns made fit for `re` (see `python_pattern`), for jsonschema."""
    if isinstance(schema, list):
        return [_python_patterns(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: v if k in VALUE_KEYS else _python_patterns(v) for k, v in schema.items()}
    if isinstance(schema.get("pattern"), str):
        out["pattern"] = python_pattern(schema["pattern"])
    if isinstance(schema.get("patternProperties"), dict):
        out["patternProperties"] = {
            python_pattern(k): _python_patterns(v) for k, v in schema["patternProperties"].items()
        }
    return out


def render_path(path: JsonPath) -> str:
    """A JSON path as `ValidationError.problems` writes it: `$.tools[0]["a b"]`."""
    out = "$"
    for key in path:
        if isinstance(key, int):
            out += f"[{key}]"
        elif key.isidentifier() and key.isascii():
            out += "." + key
        else:
            out += "[" + json.dumps(key) + "]"
    return out


# --- queries on the model ---------------------------------------------------------


class ModelInfo:
    """Questions about types, answered from the package's definitions."""

    def __init__(self, package: Package) -> None:
        self.defs: dict[str, Definition] = package.by_name()
        self.known_scalars: set[Any] = set()
        for d in package.definitions:
            if isinstance(d, EnumDef):
                self.known_scalars.update(m.value for m in d.members)
            if isinstance(d, UnionDef) and d.discriminator:
                self.known_scalars.update(tag for tag, _ in d.discriminator.mapping)
        for t in self._all_types(package):
            if isinstance(t, LiteralType):
                self.known_scalars.add(t.value)

    def _all_types(self, package: Package) -> list[TypeExpr]:
        out: list[TypeExpr] = []

        def walk(t: TypeExpr) -> None:
            out.append(t)
            if isinstance(t, Nullable):
                walk(t.inner)
            elif isinstance(t, ArrayType):
                walk(t.items)
            elif isinstance(t, MapType):
                walk(t.values)
            elif isinstance(t, (TupleType, InlineUnion)):
                for x in t.items if isinstance(t, TupleType) else t.variants:
                    walk(x)

        for d in package.definitions:
            if isinstance(d, ModelDef):
                for f in d.fields:
                    walk(f.type)
                walk(d.extra)
            elif isinstance(d, UnionDef):
                for v in d.variants:
                    walk(v)
            elif isinstance(d, AliasDef):
                walk(d.target)
        return out

    def nullable(self, t: TypeExpr, depth: int = 0) -> bool:
        """Whether JSON null is valid for `t`."""
        if depth > 50:
            return False
        if isinstance(t, Nullable) or t == Primitive("null"):
            return True
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if d.nullable:
                return True
            if isinstance(d, AliasDef):
                return self.nullable(d.target, depth + 1)
        return False

    def strip(self, t: TypeExpr, depth: int = 0) -> TypeExpr:
        """`t` without Nullable and with aliases replaced by their targets."""
        while depth < 50:
            depth += 1
            if isinstance(t, Nullable):
                t = t.inner
            elif isinstance(t, Ref) and isinstance(self.defs[t.name], AliasDef):
                target = self.defs[t.name]
                assert isinstance(target, AliasDef)
                t = target.target
            else:
                return t
        return t

    def definition(self, t: TypeExpr) -> Definition | None:
        t = self.strip(t)
        return self.defs[t.name] if isinstance(t, Ref) else None

    def kinds(self, t: TypeExpr, depth: int = 0) -> set[str]:
        """JSON kinds a value of type `t` may have ("any" for free-form JSON)."""
        if depth > 50:
            return {"any"}
        out: set[str] = {"null"} if self.nullable(t) else set()
        t = self.strip(t)
        if isinstance(t, Primitive):
            return out | ({"integer", "number"} if t.kind == "number" else {t.kind})
        if isinstance(t, LiteralType):
            return out | {json_kind(t.value)}
        if isinstance(t, (ArrayType, TupleType)):
            return out | {"array"}
        if isinstance(t, MapType):
            return out | {"object"}
        if isinstance(t, AnyJson):
            return out | ({"object"} if t.object_only else {"any"})
        if isinstance(t, InlineUnion):
            return out.union(*(self.kinds(v, depth + 1) for v in t.variants))
        if isinstance(t, Ref):
            d = self.defs[t.name]
            if isinstance(d, ModelDef):
                return out | {"object"}
            if isinstance(d, EnumDef):
                return out | ({"integer", "number"} if d.kind == "number" else {d.kind})
            if isinstance(d, UnionDef):
                return out.union(*(self.kinds(v, depth + 1) for v in d.variants))
        return out | {"any"}


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(type(value))


# --- valid payloads ---------------------------------------------------------------


def _int_bounds(c: Any) -> tuple[int, int]:
    lo, hi = INT_MIN, INT_MAX
    if c.minimum is not None:
        lo = max(lo, math.ceil(c.minimum))
    if c.exclusive_minimum is not None:
        lo = max(lo, math.floor(c.exclusive_minimum) + 1)
    if c.maximum is not None:
        hi = min(hi, math.floor(c.maximum))
    if c.exclusive_maximum is not None:
        hi = min(hi, math.ceil(c.exclusive_maximum) - 1)
    return lo, hi


def _is_multiple(value: float, divisor: float) -> bool:
    quotient = value / divisor
    return math.isfinite(quotient) and quotient == int(quotient)


def integer_strategy(
    c: Any, within: tuple[int, int] = (INT_MIN, INT_MAX)
) -> st.SearchStrategy[int]:
    lo, hi = _int_bounds(c)
    lo, hi = max(lo, within[0]), min(hi, within[1])
    m = c.multiple_of
    if m and float(m).is_integer():
        m = int(m)
        return st.integers(-(-lo // m), hi // m).map(lambda k: k * m)
    s = st.integers(lo, hi)
    return s.filter(lambda v: _is_multiple(v, m)) if m else s


def number_strategy(c: Any) -> st.SearchStrategy[float | int]:
    floats = st.floats(
        min_value=c.minimum if c.exclusive_minimum is None else c.exclusive_minimum,
        max_value=c.maximum if c.exclusive_maximum is None else c.exclusive_maximum,
        exclude_min=c.exclusive_minimum is not None,
        exclude_max=c.exclusive_maximum is not None,
        allow_nan=False,
        allow_infinity=False,
    )
    if c.minimum is not None and c.exclusive_minimum is not None:
        floats = floats.filter(lambda v: v >= c.minimum)
    if c.maximum is not None and c.exclusive_maximum is not None:
        floats = floats.filter(lambda v: v <= c.maximum)
    lo, hi = _int_bounds(c)
    # JSON numbers without a fraction (1, not 1.0) are numbers too: both must survive.
    s = floats | st.integers(lo, hi) if lo <= hi else floats
    if c.multiple_of:
        m = c.multiple_of
        return s.filter(lambda v: _is_multiple(v, m))
    return s


def string_strategy(t: Primitive) -> st.SearchStrategy[str]:
    c = t.constraints
    lo = c.min_length or 0
    hi = c.max_length if c.max_length is not None else lo + 20
    if c.pattern is not None:
        s = _pattern_strings(c.pattern)
        if c.min_length is not None or c.max_length is not None:
            s = s.filter(lambda v: lo <= len(v) <= hi)
        return s
    if t.format in FORMAT_STRATEGIES:
        s = FORMAT_STRATEGIES[t.format]
        if c.min_length is not None or c.max_length is not None:
            s = s.filter(lambda v: lo <= len(v) <= hi)
        return s
    return st.text(min_size=lo, max_size=hi)


class _Builder:
    """Draws one payload, recording a `Site` for every value it generates."""

    def __init__(
        self,
        info: ModelInfo,
        draw: Callable[..., Any],
        unknown: bool,
        max_depth: int,
        never_null: frozenset[tuple[str, str]] = frozenset(),
    ):
        self.never_null = never_null
        self.info = info
        self.defs = info.defs
        self.draw = draw
        self.unknown = unknown
        self.max_depth = max_depth
        self.sites: list[Site] = []

    def chance(self, one_in: int) -> bool:
        return bool(self.draw(st.integers(0, one_in - 1)) == 0)

    def fresh(self, kind: str, taken: set[Any]) -> Any:
        """A value of JSON kind `kind` that no enum, constant or tag in the package uses."""
        taken = taken | self.info.known_scalars
        if kind == "string":
            return self.draw(st.text(min_size=1, max_size=12).filter(lambda v: v not in taken))
        if kind == "integer":
            return self.draw(
                st.integers(-(2**31), 2**31).filter(
                    lambda v: not any(v == k and type(k) is not bool for k in taken)
                )
            )
        if kind == "number":
            return self.draw(
                st.floats(allow_nan=False, allow_infinity=False).filter(
                    lambda v: not any(v == k and type(k) is not bool for k in taken)
                )
            )
        raise ValueError(kind)

    # --- entry ---

    def value(
        self,
        t: TypeExpr,
        path: JsonPath,
        depth: int,
        *,
        owner: tuple[str, str] | None = None,
        required: bool = True,
        ambiguous: bool = False,
        forced: Any = None,
        has_forced: bool = False,
    ) -> Any:
        """A valid value for `t` (which may be null when `t` allows it)."""
        if has_forced:
            self.sites.append(Site(path, t, owner, required, tag=True, ambiguous=ambiguous))
            return forced
        null_ok = self.info.nullable(t) and owner not in self.never_null
        if null_ok and (depth >= self.max_depth or self.chance(4)):
            self.sites.append(Site(path, t, owner, required, ambiguous=ambiguous))
            return None
        index = len(self.sites)
        self.sites.append(Site(path, t, owner, required, ambiguous=ambiguous))
        return self.non_null(self.info.strip(t), path, depth, ambiguous, index)

    def non_null(self, t: TypeExpr, path: JsonPath, depth: int, ambiguous: bool, site: int) -> Any:
        draw = self.draw
        if isinstance(t, Primitive):
            if t.kind == "string":
                return draw(string_strategy(t))
            if t.kind == "integer":
                within = INTEGER_FORMATS.get(t.format or "", (INT_MIN, INT_MAX))
                return draw(integer_strategy(t.constraints, within))
            if t.kind == "number":
                return draw(number_strategy(t.constraints))
            if t.kind == "boolean":
                return draw(st.booleans())
            if t.kind == "null":
                return None
            raise ValueError(t.kind)
        if isinstance(t, LiteralType):
            return t.value
        if isinstance(t, AnyJson):
            if depth >= self.max_depth:
                value = {} if t.object_only else None
            else:
                value = draw(json_objects if t.object_only else json_values)
            if t.check is not None and not ambiguous and not check_accepts(t.check, value):
                self.sites[site] = replace(self.sites[site], unknown="check")
            return value
        if isinstance(t, ArrayType):
            c = t.constraints
            lo = c.min_items or 0
            hi = lo if depth >= self.max_depth else lo + MAX_EXTRA_ITEMS
            if c.max_items is not None:
                hi = min(hi, c.max_items)
            n = draw(st.integers(lo, hi))
            start = len(self.sites)
            items = [
                self.value(t.items, (*path, i), depth + 1, ambiguous=ambiguous) for i in range(n)
            ]
            if c.unique_items:
                items = self.dedupe(items, path, start)
            return items
        if isinstance(t, TupleType):
            return [
                self.value(x, (*path, i), depth + 1, ambiguous=ambiguous)
                for i, x in enumerate(t.items)
            ]
        if isinstance(t, MapType):
            c = t.constraints
            lo = c.min_properties or 0
            hi = lo if depth >= self.max_depth else lo + MAX_EXTRA_ITEMS
            if c.max_properties is not None:
                hi = min(hi, c.max_properties)
            keys = draw(st.lists(st.text(max_size=8), min_size=lo, max_size=hi, unique=True))
            return {
                k: self.value(t.values, (*path, k), depth + 1, ambiguous=ambiguous) for k in keys
            }
        if isinstance(t, InlineUnion):
            # Scalars only; which variant a value belongs to is not tracked, so no unknowns.
            variant = draw(st.sampled_from(t.variants))
            return self.non_null(self.info.strip(variant), path, depth, True, site)
        assert isinstance(t, Ref), t
        d = self.defs[t.name]
        if isinstance(d, ModelDef):
            return self.model(d, path, depth + 1, ambiguous, {})
        if isinstance(d, EnumDef):
            if self.unknown and not ambiguous and self.chance(6):
                self.sites[site] = replace(self.sites[site], unknown="enum")
                return self.fresh(d.kind, {m.value for m in d.members})
            return draw(st.sampled_from([m.value for m in d.members]))
        if isinstance(d, UnionDef):
            return self.union(d, path, depth + 1, ambiguous, site)
        raise AssertionError(d)

    def dedupe(self, items: list[Any], path: JsonPath, start: int) -> list[Any]:
        """Drop repeated items (uniqueItems) and move the kept items' sites to their new index."""
        kept: dict[int, int] = {}
        seen: set[str] = set()
        out: list[Any] = []
        for i, item in enumerate(items):
            key = canonical_json(item)
            if key not in seen:
                seen.add(key)
                kept[i] = len(out)
                out.append(item)
        depth = len(path)
        moved: list[Site] = []
        for s in self.sites[start:]:
            index = s.path[depth]
            if index in kept:
                moved.append(replace(s, path=(*path, kept[index], *s.path[depth + 1 :])))
        self.sites[start:] = moved
        return out

    def model(
        self, d: ModelDef, path: JsonPath, depth: int, ambiguous: bool, forced: dict[str, Any]
    ) -> Any:
        out: dict[str, Any] = {}
        for f in d.fields:
            present = (
                f.required
                or f.json_name in forced
                or (depth < self.max_depth and self.draw(st.booleans()))
            )
            if present:
                out[f.json_name] = self.value(
                    f.type,
                    (*path, f.json_name),
                    depth,
                    owner=(d.name, f.json_name),
                    required=f.required,
                    ambiguous=ambiguous,
                    forced=forced.get(f.json_name),
                    has_forced=f.json_name in forced,
                )
        for k, tag in forced.items():  # a tag the variant model does not declare itself
            if k not in out:
                self.sites.append(Site((*path, k), LiteralType(tag), tag=True, ambiguous=ambiguous))
                out[k] = tag
        names = {f.json_name for f in d.fields}
        open_typed = not d.closed and not isinstance(d.extra, AnyJson) and d.extra is not None
        wants_extra = depth < self.max_depth and not ambiguous and (self.unknown or open_typed)
        if wants_extra and self.chance(3):
            keys = self.draw(
                st.lists(
                    st.text(max_size=10).filter(lambda k: k not in names),
                    min_size=1,
                    max_size=2,
                    unique=True,
                )
            )
            for k in keys:
                if open_typed:  # additionalProperties with a schema: a known, typed map entry
                    out[k] = self.value(d.extra, (*path, k), depth, ambiguous=ambiguous)
                else:
                    kind = "closed_key" if d.closed or d.extra is None else "key"
                    self.sites.append(Site((*path, k), AnyJson(), unknown=kind))
                    out[k] = self.draw(json_values)
        # Property order carries no meaning: decoders must not depend on it.
        order = self.draw(st.permutations(list(out)))
        return {k: out[k] for k in order}

    def tags(self, disc: Discriminator, variant: str) -> list[str]:
        """The tags mapped to `variant` that its own tag property allows (an implicit
        mapping by schema name may name a value the variant's enum or constant forbids)."""
        target = self.info.defs.get(variant)
        fields = {f.json_name: f.type for f in getattr(target, "fields", ())}
        own = fields.get(disc.property)
        own = own.inner if isinstance(own, Nullable) else own
        if isinstance(own, Ref) and isinstance(self.info.defs.get(own.name), EnumDef):
            enum = self.info.defs[own.name]
            assert isinstance(enum, EnumDef)
            allowed: list[Any] | None = [m.value for m in enum.members]
        else:
            allowed = [own.value] if isinstance(own, LiteralType) else None
        return [
            tag
            for tag, name in disc.mapping
            if name == variant and (allowed is None or tag in allowed)
        ]

    def union(self, d: UnionDef, path: JsonPath, depth: int, ambiguous: bool, site: int) -> Any:
        info = self.info
        disc = d.discriminator
        mapped = dict(disc.mapping) if disc else {}
        # Every variant a tag picks (a tag several variants share maps to each of them).
        tagged = {name for _, name in disc.mapping} if disc else set()
        own_kinds = [info.kinds(v) - {"null"} for v in d.variants]

        def unique_kind(index: int) -> bool:
            """Whether the JSON kind alone (or the tag) picks variant `index` for its values."""
            v = d.variants[index]
            if disc and isinstance(v, Ref) and v.name in tagged:
                return True  # the tag picks it
            mine = own_kinds[index]
            for j, theirs in enumerate(own_kinds):
                if j != index and ("any" in mine or "any" in theirs or mine & theirs):
                    return False
            return True

        unmapped_objects = [
            v
            for v in d.variants
            if "object" in info.kinds(v) or "any" in info.kinds(v)
            if not (isinstance(v, Ref) and v.name in tagged)
        ]
        if disc and self.unknown and not ambiguous and not unmapped_objects and self.chance(8):
            self.sites[site] = replace(self.sites[site], unknown="tag")
            body = dict(self.draw(json_objects))
            body[disc.property] = self.fresh("string", set(mapped))
            return body
        # A variant whose tag property is a constant other than every tag mapped to it
        # (an implicit mapping by schema name) has no valid payload through the tag.
        reachable = [
            i
            for i, v in enumerate(d.variants)
            if not (disc and isinstance(v, Ref) and v.name in tagged) or self.tags(disc, v.name)
        ]
        index = self.draw(st.sampled_from(reachable))
        variant = d.variants[index]
        sub_ambiguous = ambiguous or not unique_kind(index)
        self.sites.append(Site(path, variant, variant=True, ambiguous=sub_ambiguous))
        target = self.defs.get(variant.name) if isinstance(variant, Ref) else None
        if disc and isinstance(target, ModelDef) and target.name in tagged:
            tag = self.draw(st.sampled_from(self.tags(disc, target.name)))
            return self.model(target, path, depth + 1, sub_ambiguous, {disc.property: tag})
        return self.non_null(info.strip(variant), path, depth, sub_ambiguous, len(self.sites) - 1)


def samples(
    package: Package,
    model_name: str,
    *,
    unknown: bool = True,
    max_depth: int = 8,
    never_null: frozenset[tuple[str, str]] = frozenset(),
) -> st.SearchStrategy[Sample]:
    """Valid payloads for definition `model_name`, each with the `Site`s it is made of.

    `never_null` lists (model, JSON property) pairs that are never generated as null
    even where the spec allows it (for an oracle that cannot represent that null).
    """
    info = ModelInfo(package)
    if model_name not in info.defs:
        raise KeyError(model_name)

    @st.composite
    def build(draw: Callable[..., Any]) -> Sample:
        # Half the payloads carry no unknowns at all, so "strict accepts" is exercised too.
        builder = _Builder(info, draw, unknown and draw(st.booleans()), max_depth, never_null)
        # The root is an instance of the definition, never null (`from_dict` returns one).
        root: TypeExpr = Ref(model_name)
        builder.sites.append(Site((), root))
        value = builder.non_null(info.strip(root), (), 0, False, 0)
        return Sample(value, tuple(builder.sites))

    return build()


def payloads(
    package: Package, model_name: str, *, unknown: bool = True, max_depth: int = 8
) -> st.SearchStrategy[Any]:
    """Valid JSON payloads for any definition of `package` (see the module docstring)."""
    return samples(package, model_name, unknown=unknown, max_depth=max_depth).map(lambda s: s.value)


# --- invalid payloads ---------------------------------------------------------------

WRONG_VALUES: dict[str, Any] = {
    "null": None,
    "boolean": True,
    "integer": 7,
    "number": 2.5,
    "string": "wrong",
    "array": [],
    "object": {},
}


def get_at(value: Any, path: JsonPath) -> Any:
    for key in path:
        value = value[key]
    return value


def set_at(value: Any, path: JsonPath, new: Any) -> Any:
    if not path:
        return new
    out = copy.deepcopy(value)
    parent = get_at(out, path[:-1])
    parent[path[-1]] = new
    return out


def delete_at(value: Any, path: JsonPath) -> Any:
    out = copy.deepcopy(value)
    parent = get_at(out, path[:-1])
    del parent[path[-1]]
    return out


def _constraint_violations(t: Primitive, value: Any) -> list[tuple[Any, str]]:
    c = t.constraints
    out: list[tuple[Any, str]] = []
    if t.kind in ("integer", "number"):
        integer = t.kind == "integer"
        if c.minimum is not None:
            out.append(
                (
                    math.ceil(c.minimum) - 1 if integer else c.minimum - 1,
                    f"below minimum {c.minimum}",
                )
            )
        if c.maximum is not None:
            out.append(
                (
                    math.floor(c.maximum) + 1 if integer else c.maximum + 1,
                    f"above maximum {c.maximum}",
                )
            )
        if c.exclusive_minimum is not None:
            v = math.floor(c.exclusive_minimum) if integer else c.exclusive_minimum
            out.append((v, f"not above exclusiveMinimum {c.exclusive_minimum}"))
        if c.exclusive_maximum is not None:
            v = math.ceil(c.exclusive_maximum) if integer else c.exclusive_maximum
            out.append((v, f"not below exclusiveMaximum {c.exclusive_maximum}"))
        if c.multiple_of and c.multiple_of != 1:
            base = value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0
            k = math.floor(base / c.multiple_of)
            bad: float | None = k * c.multiple_of + (
                1 if integer and c.multiple_of > 1 else c.multiple_of / 2
            )
            if integer and bad is not None and not float(bad).is_integer():
                bad = None
            if bad is not None and not _is_multiple(bad, c.multiple_of):
                out.append((int(bad) if integer else bad, f"not a multiple of {c.multiple_of}"))
    if t.kind == "string":
        if c.min_length:
            out.append(("a" * (c.min_length - 1), f"shorter than {c.min_length}"))
        if c.max_length is not None:
            out.append(("a" * (c.max_length + 1), f"longer than {c.max_length}"))
        if c.pattern is not None:
            for candidate in ("", "~", " \x00 ", "0", "zZ-_"):
                if re.search(python_pattern(c.pattern), candidate) is None:
                    out.append((candidate, f"does not match {c.pattern!r}"))
                    break
    return out


def site_mutations(
    info: ModelInfo, sample: Sample, site: Site, draw: Callable[..., Any]
) -> list[tuple[str, Callable[[], Any], str]]:
    """(kind, make the invalid payload, detail) for one site of a valid sample."""
    payload = sample.value
    path = site.path
    current = get_at(payload, path)
    t = site.type
    out: list[tuple[str, Callable[[], Any], str]] = []

    def put(new: Any) -> Callable[[], Any]:
        return lambda: set_at(payload, path, new)

    def put_fresh(kind: str) -> Callable[[], Any]:
        # Drawn only if this mutation is the one picked.
        return lambda: set_at(payload, path, draw_fresh(info, draw, kind))

    stripped = info.strip(t)
    d = info.definition(t)
    if not site.variant:
        # Whole-value mutations: only where the union (if any) has been picked already.
        accepted = info.kinds(t)
        if "any" not in accepted:
            for kind, wrong in WRONG_VALUES.items():
                if kind in accepted or (kind == "integer" and "number" in accepted):
                    continue
                if kind != "null":
                    label = "wrong_type"
                elif site.owner is not None and not site.required:
                    label = "optional_null"  # null for an optional property (absent is fine)
                else:
                    label = "null"
                out.append(
                    (
                        label,
                        put(wrong),
                        f"{kind} for {sorted(accepted)}",
                    )
                )
    if site.tag:
        out.append(("unknown_tag", put_fresh("string"), "unknown discriminator tag"))
        return out
    if current is None:
        return out
    if isinstance(stripped, LiteralType):
        kind = json_kind(stripped.value)
        if kind in ("string", "integer", "number"):
            out.append(("literal", put_fresh(kind), f"not the constant {stripped.value!r}"))
        elif kind == "boolean":
            out.append(("literal", put(not stripped.value), f"not the constant {stripped.value!r}"))
    if isinstance(stripped, Primitive):
        for bad, detail in _constraint_violations(stripped, current):
            out.append(("constraint", put(bad), detail))
    if isinstance(d, EnumDef) and d.kind in ("string", "integer", "number"):
        out.append(("unknown_enum", put_fresh(d.kind), f"not a member of {d.name}"))
    if isinstance(d, ModelDef) and isinstance(current, dict):

        def remove(key: str) -> Callable[[], Any]:
            return lambda: delete_at(payload, (*path, key))

        for f in d.fields:
            if f.required and f.json_name in current:
                out.append(("missing", remove(f.json_name), f"{d.name}.{f.json_name}"))
    if isinstance(stripped, (ArrayType, MapType)) and isinstance(current, (list, dict)):
        c = stripped.constraints
        array = isinstance(stripped, ArrayType)
        lo, hi = (c.min_items, c.max_items) if array else (c.min_properties, c.max_properties)
        if lo:
            if array:
                out.append(("constraint", put(current[: lo - 1]), f"fewer than {lo} items"))
            else:
                keep = list(current)[: lo - 1]
                out.append(
                    (
                        "constraint",
                        put({k: current[k] for k in keep}),
                        f"fewer than {lo} properties",
                    )
                )
        if hi is not None:
            extra_type = stripped.items if isinstance(stripped, ArrayType) else stripped.values

            def grow(
                current: Any = current, extra_type: TypeExpr = extra_type, hi: int = hi
            ) -> Any:
                builder = _Builder(info, draw, unknown=False, max_depth=4)
                grown: Any
                if isinstance(current, list):
                    grown = list(current)
                    while len(grown) <= hi:
                        grown.append(builder.value(extra_type, (), 0))
                else:
                    grown = dict(current)
                    n = 0
                    while len(grown) <= hi:
                        grown.setdefault(f"extra{n}", builder.value(extra_type, (), 0))
                        n += 1
                return set_at(payload, path, grown)

            out.append(("constraint", grow, f"more than {hi} {'items' if array else 'properties'}"))
        if array and c.unique_items and current:
            out.append(("constraint", put([*current, current[0]]), "duplicate items"))
    return out


def expected_problem(mutation: Mutation) -> tuple[str, str]:
    """The JSON path and a regex of the message our decoder should report."""
    site = mutation.site
    if mutation.kind == "missing":  # the site is the object that lost a property
        key = re.escape(mutation.detail.split(".", 1)[1])
        return render_path(site.path), rf"'{key}' is required( and must be a string)?"
    if site.tag:  # a discriminator: reported on the object it should pick a variant for
        parent = render_path(site.path[:-1])
        if mutation.kind == "unknown_tag":
            return parent, r"unknown \S+ .+"
        return parent, r"'\S+' is required and must be a string"
    pattern = {
        "null": r"expected .+",
        "optional_null": r"expected .+, got null",
        "wrong_type": r"expected .+",
        "literal": r"expected .+",
        "constraint": r"must .+",
        "unknown_enum": r".+ is not one of .+",
    }[mutation.kind]
    return render_path(site.path), pattern


def draw_fresh(info: ModelInfo, draw: Callable[..., Any], kind: str) -> Any:
    return _Builder(info, draw, unknown=False, max_depth=0).fresh(kind, set())


def mutations(
    package: Package,
    model_name: str,
    *,
    max_depth: int = 8,
    never_null: frozenset[tuple[str, str]] = frozenset(),
) -> st.SearchStrategy[Mutation]:
    """A valid payload (no unknowns) made invalid in one place."""
    info = ModelInfo(package)
    valid = samples(package, model_name, unknown=False, max_depth=max_depth, never_null=never_null)

    @st.composite
    def build(draw: Callable[..., Any]) -> Mutation:
        sample = draw(valid)
        options: dict[str, dict[str, list[tuple[Site, Callable[[], Any], str]]]] = {}
        for site in sample.sites:
            if site.ambiguous or site.unknown:
                continue
            where = ".".join(site.owner) if site.owner else repr(site.type)
            for kind, make, detail in site_mutations(info, sample, site, draw):
                options.setdefault(kind, {}).setdefault(where, []).append((site, make, detail))
        assume(options)  # some definitions accept every payload (a recursive JsonValue)
        # Kind first, then the property, so that rare kinds (constraints, missing
        # properties) and rare places (optional properties deep down) are drawn as often
        # as the wrong types that every site of every payload offers.
        kind = draw(st.sampled_from(sorted(options)))
        where = draw(st.sampled_from(sorted(options[kind])))
        site, make, detail = draw(st.sampled_from(options[kind][where]))
        return Mutation(make(), sample.value, kind, site, detail)

    return build()
