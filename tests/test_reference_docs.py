"""Reference pages from another generator (../shared/reference-docs) against our RunObject.

Five pages document RunObject in five languages, made from two spec versions:

    Rust, TypeScript            2025-04-29  -> spec/runobject.yaml (committed package)
    Objective-C, Perl, PowerShell 2024-04-15 -> spec/runobject-2024-04-15.yaml

Every property a page names must exist in our RunObject of the same spec version, with an
equivalent type: each language's type names are mapped to JSON kinds (string, integer,
number, boolean, array of X, object/map, or a model by name) and compared with the field's
type in the intermediate model and with the generated class's annotation. Model names on
the pages must be our class names, except for the divergences listed (with the reason)
in NAME_DIVERGENCES.
"""

from __future__ import annotations

import dataclasses
import enum
import html
import importlib
import importlib.util
import re
import sys
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.config import Job
from generator.generate import generate, load_package
from generator.model import (
    AliasDef,
    AnyJson,
    ArrayType,
    EnumDef,
    LiteralType,
    MapType,
    ModelDef,
    Nullable,
    Package,
    Primitive,
    Ref,
    TypeExpr,
    UnionDef,
)
from tests.conftest import GENERATED, REFERENCE_DOCS, SPEC_2024, SPEC_2025, needs_shared

pytestmark = needs_shared

PAGES = {
    "rust": ("rust-RunObject.md", "2025"),
    "typescript": ("typescript-RunObject.md", "2025"),
    "objc": ("objc-OAIRunObject.md", "2024"),
    "perl": ("perl-RunObject.md", "2024"),
    "powershell": ("powershell-RunObject.md", "2024"),
}

# Model names on a page that are not our class names, and why.
NAME_DIVERGENCES = {
    # The other generator read the whole OpenAI spec, met the identical inline `oneOf`
    # of tools first under AssistantObject.tools and reused that name for RunObject.tools.
    # We read the RunObject closure only, so the inline union is named after where it is:
    # RunObject.tools items.
    "AssistantObjectToolsInner": "RunObjectToolsInner",
}

# Type names -> the JSON kinds a value of that type can hold, per language. A name not
# listed here is a model reference.
STRING, INTEGER, NUMBER, BOOLEAN = "string", "integer", "number", "boolean"
SCALARS: dict[str, dict[str, set[str]]] = {
    "rust": {"String": {STRING}, "i32": {INTEGER}, "i64": {INTEGER}, "f32": {NUMBER},
             "f64": {NUMBER}, "bool": {BOOLEAN}},
    "typescript": {"string": {STRING}, "number": {INTEGER, NUMBER}, "boolean": {BOOLEAN}},
    # NSNumber boxes integers, floating point numbers and booleans alike.
    "objc": {"NSString": {STRING}, "NSNumber": {INTEGER, NUMBER, BOOLEAN}},
    "perl": {"string": {STRING}, "int": {INTEGER}, "double": {NUMBER}, "boolean": {BOOLEAN}},
    "powershell": {"String": {STRING}, "Int32": {INTEGER}, "Int64": {INTEGER},
                   "Decimal": {NUMBER}, "Double": {NUMBER}, "Boolean": {BOOLEAN}},
}  # fmt: skip
# Free-form objects / maps: (language, type name).
OBJECTS = {
    ("typescript", "object"),
    ("perl", "object"),
    ("objc", "NSObject"),
    ("powershell", "SystemCollectionsHashtable"),
}
MODEL_PREFIX = {"objc": "OAI", "rust": "models::"}


# --- the page side -------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A type as a page or our model describes it."""

    kinds: frozenset[str] = frozenset()  # scalar JSON kinds
    array: Shape | None = None  # items of an array
    map: bool = False  # an object used as a map / free-form object
    values: Shape | None = None  # a map's value type, when the page says
    model: str | None = None  # a named model (class)

    def __str__(self) -> str:
        if self.array is not None:
            return f"array of {self.array}"
        if self.map:
            return "map" + (f" of {self.values}" if self.values else "")
        if self.model is not None:
            return f"model {self.model}"
        return "|".join(sorted(self.kinds))


@dataclass(frozen=True)
class Property:
    name: str  # as on the page
    json_name: str  # as in the spec
    type_text: str  # the page's type cell, markup removed
    shape: Shape
    optional: bool | None  # from the Notes column ([optional]); None when there is none


def parse_type(lang: str, text: str) -> Shape:
    text = text.strip()
    for pattern in (r"Option<(.+)>",):  # Rust: nullable/optional wrapper, not a type
        m = re.fullmatch(pattern, text)
        if m:
            return parse_type(lang, m.group(1))
    for pattern in (r"(?:Vec|Array|NSArray)<(.+)>", r"ARRAY\[(.+)\]", r"(.+)\[\]"):
        m = re.fullmatch(pattern, text)
        if m:
            return Shape(array=parse_type(lang, m.group(1)))
    m = re.fullmatch(r"(?:std::collections::)?HashMap<\s*String\s*,\s*(.+)>", text)
    if m:
        return Shape(map=True, values=parse_type(lang, m.group(1)))
    if (lang, text) in OBJECTS:
        return Shape(map=True)
    if text in SCALARS[lang]:
        return Shape(kinds=frozenset(SCALARS[lang][text]))
    prefix = MODEL_PREFIX.get(lang, "")
    assert text.startswith(prefix), f"{lang}: unknown type {text!r}"
    name = text[len(prefix) :]
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name), f"{lang}: unknown type {text!r}"
    return Shape(model=name)


def clean_type(cell: str) -> str:
    """`[**NSArray&lt;OAIX&gt;***](x.md)` -> `NSArray<OAIX>`."""
    text = html.unescape(cell.strip())
    text = re.sub(r"\[(.*?)\]\([^)]*\)", r"\1", text)  # markdown links
    text = text.replace("**", "")
    if text.endswith("*") or "*>" in text:  # Objective-C pointers
        text = text.replace("*", "")
    return text.strip()


def json_name(lang: str, name: str) -> str:
    if lang == "objc" and name.startswith("_"):
        name = name[1:]  # `id` is an Objective-C type, so the property is written `_id`
    if lang in ("rust", "perl"):
        return name
    # camelCase (TypeScript, Objective-C) and PascalCase (PowerShell) -> snake_case
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def parse_page(lang: str, text: str) -> list[Property]:
    section = text.split("## Properties", 1)[1]
    section = re.split(r"\n## |\n\[\[Back", section, maxsplit=1)[0]
    out: list[Property] = []
    for line in section.splitlines():
        line = line.strip()
        if lang == "typescript":
            m = re.fullmatch(r"`(?P<name>[^`]+)` \| (?P<type>.+)", line)
            notes = None
        else:
            # **name** | type | description | notes   (Rust leaves out the header row)
            cells = [c.strip() for c in line.split("|")]
            m = re.fullmatch(r"\*\*(?P<name>[^*]+)\*\*", cells[0]) if len(cells) >= 4 else None
            notes = cells[3] if m else None
        if not m:
            continue
        type_text = clean_type(m.group("type") if lang == "typescript" else cells[1])
        out.append(
            Property(
                name=m.group("name"),
                json_name=json_name(lang, m.group("name")),
                type_text=type_text,
                shape=parse_type(lang, type_text),
                optional=None if notes is None else "[optional]" in notes,
            )
        )
    return out


# --- our side ------------------------------------------------------------------------


def our_shape(package: Package, t: TypeExpr, depth: int = 0) -> Shape:
    """The shape of a field type; aliases are seen through, models and unions named."""
    assert depth < 20
    defs = package.by_name()
    if isinstance(t, Nullable):
        return our_shape(package, t.inner, depth + 1)
    if isinstance(t, Primitive):
        return Shape(kinds=frozenset({t.kind}))
    if isinstance(t, LiteralType):
        kind = {bool: BOOLEAN, int: INTEGER, float: NUMBER, str: STRING}[type(t.value)]
        return Shape(kinds=frozenset({kind}))
    if isinstance(t, ArrayType):
        return Shape(array=our_shape(package, t.items, depth + 1))
    if isinstance(t, MapType):
        return Shape(map=True, values=our_shape(package, t.values, depth + 1))
    if isinstance(t, AnyJson) and t.object_only:
        return Shape(map=True)
    assert isinstance(t, Ref), t
    d = defs[t.name]
    if isinstance(d, EnumDef):
        return Shape(kinds=frozenset({d.kind}))
    if isinstance(d, AliasDef):
        return our_shape(package, d.target, depth + 1)
    assert isinstance(d, (ModelDef, UnionDef))
    return Shape(model=d.name)


def equivalent(page: Shape, ours: Shape) -> bool:
    if page.array is not None:
        return ours.array is not None and equivalent(page.array, ours.array)
    if page.map:
        if not ours.map:
            return False
        if page.values is None or ours.values is None:
            return page.values is None  # the page's free-form object takes any map
        return equivalent(page.values, ours.values)
    if page.model is not None:
        return ours.model == NAME_DIVERGENCES.get(page.model, page.model)
    return bool(ours.kinds) and ours.kinds <= page.kinds


def hint_kinds(hint: Any) -> set[str]:
    """JSON kinds a Python annotation of the generated code admits."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return set().union(*(hint_kinds(a) for a in typing.get_args(hint)))
    if origin is typing.Literal:
        return {
            {bool: BOOLEAN, int: INTEGER, float: NUMBER, str: STRING}[type(v)]
            for v in typing.get_args(hint)
        }
    if origin is list:
        return {"array"}
    if origin is dict or hint is dict:
        return {"object"}
    if hint is type(None):
        return {"null"}
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return {"absent"} if hint.__name__ == "Unset" else {STRING}
        if hint is bool:
            return {BOOLEAN}
        if hint is int:
            return {INTEGER}
        if hint is float:
            return {NUMBER, INTEGER}
        if hint is str:
            return {STRING}
        if dataclasses.is_dataclass(hint) or hint.__name__ == "UnknownVariant":
            return {"object"}
    raise AssertionError(f"unexpected annotation {hint!r}")


def page_kinds(shape: Shape) -> set[str]:
    if shape.array is not None:
        return {"array"}
    if shape.map or shape.model is not None:
        return {"object"}  # a named union may admit scalars too; "object" must be among them
    return set(shape.kinds)


# --- fixtures ------------------------------------------------------------------------


@dataclass
class Version:
    package: Package
    module: ModuleType


def import_package(folder: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Version]:
    folder = str(GENERATED.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    current = importlib.import_module("runobject")
    out = tmp_path_factory.mktemp("reference-v1")
    result = generate(Job(name="v1", spec=SPEC_2024, out=out, package="runobject_v1"))
    old = import_package(out / "runobject_v1", "reference_runobject_v1")
    return {
        "2025": Version(load_package(SPEC_2025), current),
        "2024": Version(result.package, old),
    }


def page(lang: str) -> list[Property]:
    return parse_page(lang, (REFERENCE_DOCS / PAGES[lang][0]).read_text(encoding="utf-8"))


# --- tests ---------------------------------------------------------------------------


def test_readme_lists_the_pages_and_versions() -> None:
    readme = (REFERENCE_DOCS / "README.md").read_text(encoding="utf-8")
    for file, version in PAGES.values():
        row = next(line for line in readme.splitlines() if line.startswith(f"| {file} "))
        assert {"2025": "2025-04-29", "2024": "2024-04-15"}[version] in row


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_page_parses(lang: str) -> None:
    props = page(lang)
    assert len(props) >= 26
    names = [p.json_name for p in props]
    assert len(set(names)) == len(names)
    assert {"id", "created_at", "tools", "usage", "tool_choice"} <= set(names)


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_every_page_property_exists_with_an_equivalent_type(
    versions: dict[str, Version], lang: str
) -> None:
    version = versions[PAGES[lang][1]]
    run = version.package.by_name()["RunObject"]
    assert isinstance(run, ModelDef)
    fields = {f.json_name: f for f in run.fields}
    hints = typing.get_type_hints(version.module.RunObject)
    problems = []
    for prop in page(lang):
        field = fields.get(prop.json_name)
        if field is None:
            problems.append(f"{prop.name}: no property {prop.json_name!r} in our RunObject")
            continue
        ours = our_shape(version.package, field.type)
        if not equivalent(prop.shape, ours):
            problems.append(f"{prop.name}: page says {prop.shape} ({prop.type_text}), ours {ours}")
        if prop.optional is not None and prop.optional != (not field.required):
            problems.append(f"{prop.name}: optional={prop.optional}, required={field.required}")
        # The generated class agrees too: its annotation admits the page's JSON kinds.
        admitted = hint_kinds(hints[field.name])
        if not page_kinds(prop.shape) & admitted:
            problems.append(f"{prop.name}: annotation {hints[field.name]} admits {admitted}")
    assert problems == []


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_page_and_our_runobject_have_the_same_properties(
    versions: dict[str, Version], lang: str
) -> None:
    """Nothing of ours is missing from the page either: same spec version, same properties."""
    run = versions[PAGES[lang][1]].package.by_name()["RunObject"]
    assert isinstance(run, ModelDef)
    assert {p.json_name for p in page(lang)} == {f.json_name for f in run.fields}


@pytest.mark.parametrize("lang", sorted(PAGES))
def test_model_names_on_the_page_are_our_class_names(
    versions: dict[str, Version], lang: str
) -> None:
    version = versions[PAGES[lang][1]]
    exported = set(version.module.__all__)
    defined = set(version.package.by_name())
    named: set[str] = set()

    def collect(shape: Shape) -> None:
        if shape.model is not None:
            named.add(shape.model)
        for inner in (shape.array, shape.values):
            if inner is not None:
                collect(inner)

    for prop in page(lang):
        collect(prop.shape)
    assert {"RunObjectRequiredAction", "RunCompletionUsage", "TruncationObject"} <= named
    same = {n for n in named if n in defined}
    diverging = named - same
    assert diverging == set(NAME_DIVERGENCES), f"unlisted naming divergences: {diverging}"
    for theirs, ours in NAME_DIVERGENCES.items():
        assert theirs not in defined and ours in defined and ours in exported
    assert same <= exported


def test_divergent_name_is_the_same_union(versions: dict[str, Version]) -> None:
    """AssistantObjectToolsInner (pages) and our RunObjectToolsInner: the tools union."""
    for version in versions.values():
        union = version.package.by_name()[NAME_DIVERGENCES["AssistantObjectToolsInner"]]
        assert isinstance(union, UnionDef) and union.discriminator is not None
        assert "code_interpreter" in dict(union.discriminator.mapping)
