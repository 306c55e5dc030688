"""Properties of `compare_packages` over generated specs (hypothesis).

- A spec against itself reports nothing, and so does a copy with its schemas, properties,
  enum values and required lists in another order (written as YAML instead of JSON).
- The diff is antisymmetric: NEW -> OLD reports exactly the changes of OLD -> NEW,
  each reversed (`Change.reverse`).

Specs are small OpenAPI documents drawn from a few names, so two of them share most
schemas and properties and differ in the details the differ looks at: types, formats,
constraints, required lists, nullability, defaults, enum values, union variants,
discriminators, `additionalProperties`, descriptions.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import random
from collections import Counter
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build_package
from generator.diff.compare import Change, compare_packages
from generator.model import Definition, EnumDef, ModelDef, Package, UnionDef
from generator.spec.load import load_bytes
from tests.conftest import hypothesis_examples

NAMES = ("Pet", "Owner", "Toy", "Shape")
PROPS = ("id", "kind", "size", "tags", "owner")
WORDS = ("a", "b", "c", "d")
Schema = dict[str, Any]

SETTINGS = settings(
    max_examples=hypothesis_examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def optional(key: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Schema]:
    """{} or {key: value}."""
    return st.one_of(st.just({}), values.map(lambda v: {key: v}))


@st.composite
def scalar(draw: st.DrawFn) -> Schema:
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean"]))
    out: Schema = {"type": kind}
    if kind == "string":
        out |= draw(optional("maxLength", st.sampled_from([5, 10])))
        out |= draw(optional("format", st.sampled_from(["date-time", "uuid"])))
        out |= draw(optional("pattern", st.sampled_from(["^a", "^b"])))
    elif kind in ("integer", "number"):
        out |= draw(optional("minimum", st.sampled_from([0, 1])))
        out |= draw(optional("maximum", st.sampled_from([10, 100])))
    else:
        out |= draw(optional("default", st.booleans()))
    return out


def ref(names: tuple[str, ...]) -> st.SearchStrategy[Schema]:
    return st.sampled_from(names).map(lambda n: {"$ref": f"#/components/schemas/{n}"})


ENUM = st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True).map(
    lambda v: {"type": "string", "enum": v}
)


@functools.cache  # building strategies is slow: one per set of names
def prop(names: tuple[str, ...]) -> st.SearchStrategy[Schema]:
    leaf = st.one_of(scalar(), ref(names), ENUM) if names else st.one_of(scalar(), ENUM)
    refs = ref(names) if names else scalar()
    max_items = optional("maxItems", st.sampled_from([3, 9]))
    return st.one_of(
        leaf,
        st.builds(lambda items, most: {"type": "array", "items": items, **most}, leaf, max_items),
        leaf.map(lambda v: {"type": "object", "additionalProperties": v}),
        st.just({"type": "object"}),
        st.builds(lambda s: {"allOf": [s], "nullable": True}, refs),
        st.builds(lambda s: {**s, "nullable": True}, scalar()),
        st.builds(lambda s, d: {**s, "description": d}, leaf, st.sampled_from(WORDS)),
    )


@st.composite
def model(draw: st.DrawFn, names: tuple[str, ...]) -> Schema:
    keys = draw(st.lists(st.sampled_from(PROPS), min_size=1, max_size=4, unique=True))
    out: Schema = {"type": "object", "properties": {k: draw(prop(names)) for k in keys}}
    out["required"] = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    out |= draw(optional("additionalProperties", st.sampled_from([False, {"type": "string"}])))
    out |= draw(optional("nullable", st.just(True)))
    out |= draw(optional("description", st.sampled_from(WORDS)))
    return out


@st.composite
def union(draw: st.DrawFn, name: str, names: tuple[str, ...]) -> Schema:
    others = [n for n in names if n != name]
    if not others:
        return draw(ENUM)
    members = draw(st.lists(st.sampled_from(others), min_size=1, max_size=3, unique=True))
    variants: list[Schema] = [{"$ref": f"#/components/schemas/{m}"} for m in members]
    variants += draw(st.lists(scalar(), max_size=1))
    out: Schema = {"oneOf": variants}
    if draw(st.booleans()):
        out["discriminator"] = {"propertyName": "kind"}
    return out


@st.composite
def schema(draw: st.DrawFn, name: str, names: tuple[str, ...]) -> Schema:
    kind = draw(st.sampled_from(["model", "model", "model", "enum", "union", "alias"]))
    if kind == "model":
        return draw(model(names))
    if kind == "enum":
        return draw(ENUM)
    if kind == "union":
        return draw(union(name, names))
    # A named non-object schema only refers to names before its own: no cycle of pure refs.
    return draw(prop(tuple(n for n in names if NAMES.index(n) < NAMES.index(name))))


TWEAKS: dict[str, st.SearchStrategy[Any]] = {
    "maxLength": st.sampled_from([None, 5, 10, 20]),
    "minimum": st.sampled_from([None, 0, 1, 2]),
    "maxItems": st.sampled_from([None, 3, 9]),
    "nullable": st.sampled_from([None, True]),
    "default": st.sampled_from([None, True, False, 1, "a"]),
    "description": st.sampled_from([None, *WORDS]),
    "readOnly": st.sampled_from([None, True]),
    "deprecated": st.sampled_from([None, True]),
    "format": st.sampled_from([None, "date-time", "uuid"]),
}


@st.composite
def tweaked(draw: st.DrawFn, base: Schema) -> Schema:
    """`base` with one keyword set, changed or removed (or other enum values)."""
    if "enum" in base and draw(st.booleans()):
        return {**base, **draw(ENUM)}
    keyword = draw(st.sampled_from(sorted(TWEAKS)))
    value = draw(TWEAKS[keyword])
    out = {k: v for k, v in base.items() if k != keyword}
    return out if value is None else {**out, keyword: value}


@st.composite
def mutated_prop(draw: st.DrawFn, old: Schema | None, names: tuple[str, ...]) -> Schema:
    how = draw(st.sampled_from(["keep", "tweak", "tweak", "redraw"])) if old else "redraw"
    if how == "keep" and old is not None:
        return old
    if how == "tweak" and old is not None:
        return draw(tweaked(old))
    return draw(prop(names))


@st.composite
def mutated_model(draw: st.DrawFn, base: Schema, names: tuple[str, ...]) -> Schema:
    """`base` with properties kept, tweaked, redrawn, dropped or added; new required."""
    old = base["properties"]
    keys = draw(st.lists(st.sampled_from(PROPS), max_size=4, unique=True))
    keys = list(dict.fromkeys([*draw(st.sampled_from([[], list(old)])), *keys]))
    props = {k: draw(mutated_prop(old.get(k), names)) for k in keys}
    out = {**base, "properties": props}
    out["required"] = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
    return out


@st.composite
def variant_of(draw: st.DrawFn, base: Schema, name: str, names: tuple[str, ...]) -> Schema:
    """The schema `name` in a later spec: unchanged, changed a little, or redrawn."""
    how = draw(st.sampled_from(["keep", "mutate", "mutate", "redraw"]))
    if how == "keep":
        return base
    if how == "mutate" and isinstance(base.get("properties"), dict):
        return draw(mutated_model(base, names))
    if how == "mutate" and "enum" in base:
        return {**base, **draw(ENUM)}
    if how == "mutate" and "oneOf" in base:
        return draw(union(name, names))
    return draw(schema(name, names))


@st.composite
def specs(draw: st.DrawFn, base: dict[str, Any] | None = None) -> dict[str, Any]:
    """A spec; with `base`, a variant of it: schemas kept, changed, redrawn, added, gone."""
    names = tuple(
        draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=len(NAMES), unique=True))
    )
    kept = (base or {}).get("components", {}).get("schemas", {})
    schemas: dict[str, Schema] = {}
    for name in names:
        if name in kept:
            schemas[name] = draw(variant_of(kept[name], name, names))
        else:
            schemas[name] = draw(schema(name, names))
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": schemas},
    }


def valid(data: dict[str, Any]) -> dict[str, Any]:
    """Drop refs to names the spec does not have (a kept schema may point at one)."""
    present = {f"#/components/schemas/{n}" for n in data["components"]["schemas"]}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node and node["$ref"] not in present:
                return {"type": "string"}
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(data)
    return result


def build(data: dict[str, Any], as_yaml: bool = False) -> Package:
    if as_yaml:
        return build_package(load_bytes(yaml.safe_dump(data).encode(), "spec.yaml"))
    return build_package(load_bytes(json.dumps(data).encode(), "spec.json"))


def reordered(data: dict[str, Any], seed: int) -> dict[str, Any]:
    """The same spec with every order that carries no meaning changed."""

    def turn(items: list[Any]) -> list[Any]:
        k = seed % len(items) if items else 0
        return list(reversed(items[k:] + items[:k]))

    def walk(node: Any, key: str = "") -> Any:
        if isinstance(node, dict):
            pairs = [(k, walk(v, k)) for k, v in node.items()]
            if key in ("schemas", "properties"):
                pairs = turn(pairs)
            return dict(pairs)
        if isinstance(node, list) and key in ("required", "enum"):
            return turn([walk(v) for v in node])
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    result: dict[str, Any] = walk(data)
    return result


def key(c: Change) -> tuple[str, bool, str, int, str, str, str]:
    return c.key()


def shuffled(pkg: Package, rnd: random.Random) -> Package:
    """The same package with its definitions, fields, members and variants reordered."""

    def mix(items: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(items)
        rnd.shuffle(out)
        return tuple(out)

    defs: list[Definition] = []
    for d in pkg.definitions:
        if isinstance(d, ModelDef):
            d = dataclasses.replace(d, fields=mix(d.fields))
        elif isinstance(d, EnumDef):
            d = dataclasses.replace(d, members=mix(d.members))
        elif isinstance(d, UnionDef):
            d = dataclasses.replace(d, variants=mix(d.variants))
        defs.append(d)
    return dataclasses.replace(pkg, definitions=mix(tuple(defs)))


@SETTINGS
@given(specs(), st.integers(min_value=0, max_value=7))
def test_a_spec_against_itself_or_reordered_reports_nothing(raw: dict[str, Any], seed: int) -> None:
    data = valid(raw)
    pkg = build(data)
    assert compare_packages(pkg, pkg) == []
    assert compare_packages(pkg, shuffled(pkg, random.Random(seed))) == []
    # Also for unions on a reference cycle: build.py once inferred their discriminator
    # from the variants built so far, which depended on schema order (found by this test).
    assert compare_packages(pkg, build(reordered(data, seed), as_yaml=True)) == []


@SETTINGS
@given(st.data())
def test_the_diff_is_antisymmetric(data: st.DataObject) -> None:
    old = valid(data.draw(specs(), label="old"))
    new = valid(data.draw(specs(base=old), label="new"))
    a, b = build(old), build(new)
    forward, backward = compare_packages(a, b), compare_packages(b, a)
    assert Counter(backward) == Counter(c.reverse() for c in forward)
    assert backward == sorted(backward, key=key) and forward == sorted(forward, key=key)
    assert all(c.reverse().reverse() == c for c in forward)


def test_the_generated_specs_exercise_field_level_changes() -> None:
    """Guard against a strategy that only ever adds and removes whole schemas."""
    seen: Counter[str] = Counter()

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        derandomize=True,  # the same examples on every run: this test must not flake
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def collect(data: st.DataObject) -> None:
        old = valid(data.draw(specs()))
        new = valid(data.draw(specs(base=old)))
        seen.update(c.kind for c in compare_packages(build(old), build(new)))

    collect()
    kinds = ["field-added", "field-removed", "type-changed", "required-changed", "nullable-changed"]
    kinds += ["constraint-tightened", "enum-value-added", "variant-added", "default-changed"]
    for kind in kinds:
        assert seen[kind] > 0, (kind, seen)
