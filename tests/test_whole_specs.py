"""Whole real specs: every schema of both OpenAI specs generates, type-checks and decodes
the spec's own examples exactly as an independent JSON Schema validator judges them."""

from __future__ import annotations

import copy
import importlib
import json
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator.generate import load_package
from generator.naming import class_name
from generator.render import Meta, render_package
from generator.spec.load import load_file
from tests.conftest import SPECS, WHOLE_SPECS, WholeSpecs, needs_shared

pytestmark = needs_shared
VERSIONS = WHOLE_SPECS


class ExampleReport(UserWarning):
    """How many of a spec's examples decoded (shown in pytest's warnings summary)."""


@pytest.fixture(scope="module")
def whole(whole_specs: WholeSpecs) -> Path:
    return whole_specs.out


@pytest.mark.parametrize(("version", "count"), [("2024-04-15", 141), ("2025-04-29", 477)])
def test_every_schema_is_generated_and_importable(whole: Path, version: str, count: int) -> None:
    pkg = importlib.import_module(VERSIONS[version])
    doc = load_file(SPECS / f"openai-{version}.yaml")
    names = doc.data["components"]["schemas"]
    assert len(names) == count
    missing = [n for n in names if not hasattr(pkg, class_name(n))]
    assert missing == []


def test_whole_packages_pass_mypy_strict_and_ruff(whole: Path) -> None:
    bin_dir = Path(sys.executable).parent
    pkgs = list(VERSIONS.values())
    ruff = [
        str(bin_dir / "ruff"),
        "check",
        "--isolated",
        "--target-version=py310",
        "--quiet",
        *pkgs,
    ]
    subprocess.run(ruff, cwd=whole, check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *pkgs],
        cwd=whole,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.mark.parametrize("version", VERSIONS)
def test_docs_index_links_every_model(whole: Path, version: str) -> None:
    docs = whole / VERSIONS[version] / "docs"
    index = (docs / "README.md").read_text()
    linked = set(re.findall(r"^\[\*\*(\w+)\*\*\]\((\w+)\.md\)", index, re.M))
    pages = {p.stem for p in docs.glob("*.md")} - {"README"}
    assert {a for a, b in linked if a == b} == pages
    pkg = importlib.import_module(VERSIONS[version])
    runtime = {"JsonValue", "UNSET", "UnknownVariant", "Unset", "ValidationError"}
    runtime |= {"decode", "decode_json", "encode"}
    assert pages == set(pkg.__all__) - runtime


# --- the spec's own examples, judged by our decoder and by jsonschema ---------------


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: `nullable`, boolean exclusive bounds. A oneOf
    stays a oneOf: strict decoding requires exactly one variant to match, as JSON Schema
    does. (A tagged union's decoder goes by the tag: where its variants constrain the
    tag, as here, no value matches two of them, so that agrees with "exactly one".)"""
    if isinstance(node, list):
        return [to_json_schema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: to_json_schema(v) for k, v in node.items() if k not in ("nullable", "discriminator")}
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if out.get(flag) is True:
            out[flag] = out.pop(bound)
        elif out.get(flag) is False:
            del out[flag]
    if node.get("nullable") is True:
        return {"anyOf": [out, {"type": "null"}]}
    if isinstance(node.get("allOf"), list) and any(
        isinstance(m, dict) and m.get("nullable") is True and len(m) == 1 for m in node["allOf"]
    ):
        out["allOf"] = [m for m in out["allOf"] if m != {}]
        return {"anyOf": [out, {"type": "null"}]}
    return out


def examples(doc: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(schema name, where, example) for every example given as JSON in the spec."""
    out = []
    for name, schema in doc["components"]["schemas"].items():
        if not isinstance(schema, dict):
            continue
        if isinstance(schema.get("example"), dict):
            out.append((name, "example", schema["example"]))
        meta = schema.get("x-oaiMeta")
        if isinstance(meta, dict) and isinstance(meta.get("example"), str):
            try:
                out.append((name, "x-oaiMeta", json.loads(meta["example"])))
            except ValueError:
                out.append((name, "x-oaiMeta", None))  # not JSON: nothing to decode
    return out


@pytest.mark.parametrize("version", VERSIONS)
def test_spec_examples_decode_exactly_as_jsonschema_judges(whole: Path, version: str) -> None:
    pkg = importlib.import_module(VERSIONS[version])
    raw = yaml.load((SPECS / f"openai-{version}.yaml").read_text(), Loader=yaml.CSafeLoader)
    converted = to_json_schema(raw)
    exact = invalid = not_json = 0
    disagreements = []
    for name, where, example in examples(raw):
        cls = getattr(pkg, class_name(name))
        if example is None:
            not_json += 1
            continue
        if not hasattr(cls, "from_dict"):
            continue
        schema = {**converted["components"]["schemas"][name], "components": converted["components"]}
        valid = jsonschema.Draft202012Validator(schema).is_valid(example)
        before = copy.deepcopy(example)
        try:
            value = cls.from_dict(example, strict=True)
        except pkg.ValidationError:
            ours = False
        else:
            ours = True
            assert value.to_dict() == example, f"{name} ({where}) does not round-trip"
            assert json.loads(value.to_json()) == example
        assert example == before
        if ours != valid:
            disagreements.append(f"{name} ({where}): ours={ours} jsonschema={valid}")
        exact += ours
        invalid += not ours
    warnings.warn(
        ExampleReport(
            f"openai-{version}: {exact} examples decode and round-trip exactly; {invalid} are"
            f" invalid against their own schema (jsonschema agrees); {not_json} are not JSON"
        ),
        stacklevel=1,
    )
    assert disagreements == []
    assert exact >= (10 if version == "2024-04-15" else 100)


# --- names are stable -----------------------------------------------------------------


def test_adding_an_unrelated_schema_renames_nothing(tmp_path: Path) -> None:
    spec = SPECS / "openai-2025-04-29.yaml"
    before = load_package(spec)
    data = yaml.load(spec.read_text(), Loader=yaml.CSafeLoader)
    added = {
        "AaaNewThing": {
            "type": "object",
            "properties": {
                "status": {"type": "string", "enum": ["a", "b"]},
                "items": {"type": "array", "items": {"type": "object", "properties": {"x": {}}}},
                "choice": {"oneOf": [{"type": "string", "enum": ["x", "y"]}, {"type": "integer"}]},
            },
        }
    }
    data["components"]["schemas"] = {**added, **data["components"]["schemas"]}
    changed = tmp_path / "openai-2025-04-29.yaml"
    changed.write_text(json.dumps(data))
    after = load_package(changed)
    meta = Meta("0", "spec", "0", "p")
    old_docs = render_package(before, meta)
    new_docs = render_package(after, meta)
    old_names = {d.name for d in before.definitions}
    new_names = {d.name for d in after.definitions}
    assert old_names <= new_names
    assert len(new_names - old_names) >= 3  # the new schema and its inline definitions
    pages = [n for n in old_docs if n.startswith("docs/") and n != "docs/README.md"]
    assert [p for p in pages if old_docs[p] != new_docs[p]] == []


MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.M | re.S)


@pytest.mark.parametrize("version", VERSIONS)
def test_every_mermaid_diagram_stays_under_githubs_limit(whole: Path, version: str) -> None:
    """GitHub renders at most 50,000 characters of Mermaid: the whole-package diagram of
    these specs would be ~190 KB, so the index shows groups and each page its neighbours."""
    docs = whole / VERSIONS[version] / "docs"
    pages = sorted(docs.glob("*.md"))
    sizes = {}
    for page in pages:
        blocks = MERMAID_BLOCK.findall(page.read_text())
        assert len(blocks) == 1, page.name
        sizes[page.name] = len(blocks[0])
    assert max(sizes.values()) < 50_000
    index = (docs / "README.md").read_text()
    assert f"{len(pages) - 1} definitions make a diagram bigger than GitHub renders" in index
    run = (docs / "RunObject.md").read_text()
    diagram = MERMAID_BLOCK.findall(run)[0]
    assert "    class RunObject {\n" in diagram
    assert "    RunObject --> RunObjectStatus : status\n" in diagram
