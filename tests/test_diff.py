"""`schemafirst diff`: golden outputs, the must-show changes, classification, CLI, sources.

The golden files in tests/golden/diff/ are the report of
spec/runobject-2024-04-15.yaml -> spec/runobject.yaml in each format. They are written
only deliberately:

    .venv/bin/python -m tests.test_diff          # or, through pytest:
    SCHEMAFIRST_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_diff.py -k golden

then reviewed with `git diff tests/golden/diff`.
"""

from __future__ import annotations

import argparse
import copy
import difflib
import io
import json
import os
import re
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.build import build_package
from generator.cli import main
from generator.diff.classify import SEVERITIES, classify
from generator.diff.command import run_diff
from generator.diff.compare import INFORMATIONAL, KINDS, REVERSED_KIND, Change, compare_packages
from generator.diff.formats import markdown, text
from generator.diff.report import build_report
from generator.diff.source import parse_source, read_spec
from generator.diff.types import Renderer, is_subtype
from generator.errors import SchemaFirstError
from generator.model import AnyJson, Nullable, Package, Primitive, Ref, UnionDef
from generator.spec.load import load_bytes, load_file
from tests.conftest import ROOT, SPEC_2024, SPEC_2025

GOLDEN = ROOT / "tests" / "golden" / "diff"
SCHEMA = ROOT / "schemas" / "diff.schema.json"
OLD, NEW = "spec/runobject-2024-04-15.yaml", "spec/runobject.yaml"  # as a user types them
FORMATS = {"text": "runobject.txt", "markdown": "runobject.md", "json": "runobject.json"}
UPDATE = os.environ.get("SCHEMAFIRST_UPDATE_GOLDEN") == "1"


class Console:
    """Stands in for generator.cli.Console: records verbose details."""

    def __init__(self) -> None:
        self.details: list[str] = []

    def detail(self, text: str) -> None:
        self.details.append(text)


def diff_args(old: str, new: str, **kw: Any) -> argparse.Namespace:
    values: dict[str, Any] = {
        "old": old,
        "new": new,
        "roots": None,
        "format": "text",
        "fail_on": "breaking",
        "descriptions": False,
        "verbose": False,
        "quiet": False,
    }
    values.update(kw)
    return argparse.Namespace(**values)


def run(old: str = OLD, new: str = NEW, **kw: Any) -> tuple[int, str]:
    out = io.StringIO()
    code = run_diff(diff_args(old, new, **kw), Console(), out)
    return code, out.getvalue()


def golden_json() -> dict[str, Any]:
    code, text = run(format="json")
    assert code == 1
    result: dict[str, Any] = json.loads(text)
    return result


def package(data: dict[str, Any], name: str = "spec.json") -> Package:
    return build_package(load_bytes(json.dumps(data).encode(), name))


def changes_of(doc: dict[str, Any], **where: Any) -> list[dict[str, Any]]:
    return [c for c in doc["changes"] if all(c[k] == v for k, v in where.items())]


def one(doc: dict[str, Any], **where: Any) -> dict[str, Any]:
    found = changes_of(doc, **where)
    assert len(found) == 1, (where, found)
    return found[0]


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Specs are named relative to the repository, as in the golden files."""
    monkeypatch.chdir(ROOT)


# --- golden files ---------------------------------------------------------------


def write_golden() -> list[Path]:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt, name in FORMATS.items():
        _, text = run(format=fmt)
        (GOLDEN / name).write_bytes(text.encode("utf-8"))
        written.append(GOLDEN / name)
    return written


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_golden_output_byte_for_byte(fmt: str) -> None:
    if UPDATE:
        write_golden()
        pytest.skip("SCHEMAFIRST_UPDATE_GOLDEN=1: golden files written; review `git diff`")
    code, text = run(format=fmt)
    assert code == 1  # breaking changes, --fail-on breaking
    expected = (GOLDEN / FORMATS[fmt]).read_bytes()
    if text.encode("utf-8") != expected:
        delta = difflib.unified_diff(
            expected.decode("utf-8").splitlines(), text.splitlines(), "golden", "now", lineterm=""
        )
        pytest.fail("output differs from the golden file:\n" + "\n".join(list(delta)[:80]))


def test_golden_files_show_each_must_show_change() -> None:
    text = (GOLDEN / "runobject.txt").read_text(encoding="utf-8")
    md = (GOLDEN / "runobject.md").read_text(encoding="utf-8")
    for needle in (
        "file_ids: field removed (was required: list[str])",
        "top_p: optional field added: float | None",
        "parallel_tool_calls: required field added: bool",
        'value "incomplete" added',
        "metadata: type changed: dict[str, JsonValue] -> dict[str, str] (narrowed)",
        "variant AssistantToolsRetrieval removed",
        "variant AssistantToolsFileSearch added",
        "variant ResponseFormatJsonSchema added",
        "variant AssistantsApiResponseFormat removed",
    ):
        assert needle in text, needle
    assert "| `file_ids`: field removed (was required: `list[str]`) | 🔴 breaking" in md
    assert "| `top_p`: optional field added: `float \\| None` |" in md
    assert "| Reader (decodes payloads, e.g. responses) | 8 | 10 | 23 |" in md  # summary table


# --- the must-show changes, one assertion each -------------------------------------------


def test_file_ids_removed_breaks_readers() -> None:
    c = one(golden_json(), model="RunObject", field="file_ids", kind="field-removed")
    assert (c["old"], c["new"], c["aspect"]) == ("list[str]", None, "required")
    assert c["reader"]["severity"] == "breaking"
    assert c["writer"]["severity"] == "breaking"


def test_top_p_added_optional_is_compatible() -> None:
    c = one(golden_json(), model="RunObject", field="top_p", kind="field-added")
    assert (c["aspect"], c["new"]) == ("optional", "float | None")
    assert c["reader"]["severity"] == c["writer"]["severity"] == "compatible"


def test_parallel_tool_calls_added_required_breaks_writers() -> None:
    c = one(golden_json(), model="RunObject", field="parallel_tool_calls", kind="field-added")
    assert (c["aspect"], c["new"]) == ("required", "bool")
    assert c["reader"]["severity"] == "compatible"
    assert c["writer"]["severity"] == "breaking"


def test_status_value_incomplete_added() -> None:
    doc = golden_json()
    c = one(doc, model="RunObjectStatus", kind="enum-value-added")
    assert c["new"] == '"incomplete"' and c["model_kind"] == "enum"
    assert c["reader"]["severity"] == "potentially-breaking"  # open enums; strict rejects
    assert "strict" in c["reader"]["reason"]
    assert c["writer"]["severity"] == "compatible"
    assert doc["used_by"]["RunObjectStatus"] == ["RunObject.status"]


def test_metadata_free_form_object_became_map_of_strings() -> None:
    c = one(golden_json(), model="RunObject", field="metadata", kind="type-changed")
    assert (c["old"], c["new"], c["aspect"]) == (
        "dict[str, JsonValue]",
        "dict[str, str]",
        "narrowed",
    )
    assert (c["reader"]["severity"], c["writer"]["severity"]) == ("compatible", "breaking")
    # Through the alias `Metadata`: nullable on both sides, so no nullable change.
    assert not changes_of(golden_json(), field="metadata", kind="nullable-changed")


def test_tool_variant_retrieval_removed_and_file_search_added() -> None:
    doc = golden_json()
    removed = one(doc, model="RunObjectToolsInner", kind="variant-removed")
    added = one(doc, model="RunObjectToolsInner", kind="variant-added")
    assert removed["old"] == "AssistantToolsRetrieval"
    assert added["new"] == "AssistantToolsFileSearch"
    tags = {(c["kind"], c["old"] or c["new"]) for c in changes_of(doc, model="RunObjectToolsInner")}
    assert ("tag-removed", '"retrieval"') in tags and ("tag-added", '"file_search"') in tags
    assert (
        one(doc, model="AssistantToolsRetrieval", kind="model-removed")["reader"]["severity"]
        == "breaking"
    )


def test_response_format_union_variants_changed() -> None:
    doc = golden_json()
    union = "AssistantsApiResponseFormatOption"
    removed = {c["old"] for c in changes_of(doc, model=union, kind="variant-removed")}
    added = {c["new"] for c in changes_of(doc, model=union, kind="variant-added")}
    assert removed == {"AssistantsApiResponseFormat", "AssistantsApiResponseFormatOptionOneOf"}
    assert added == {
        "Literal['auto']",
        "ResponseFormatText",
        "ResponseFormatJsonObject",
        "ResponseFormatJsonSchema",
    }
    assert one(doc, model=union, kind="discriminator-changed")["new"] == "type"


def test_renamed_looking_definitions_get_a_hint() -> None:
    doc = golden_json()
    old = one(doc, model="AssistantsApiNamedToolChoiceFunction", kind="model-removed")
    new = one(doc, model="AssistantsNamedToolChoiceFunction", kind="model-added")
    assert old["related"] == ["AssistantsNamedToolChoiceFunction"]
    assert new["related"] == ["AssistantsApiNamedToolChoiceFunction"]
    assert "looks renamed to AssistantsNamedToolChoiceFunction" in old["message"]


def check_schema(doc: dict[str, Any]) -> None:
    """Validate with jsonschema when installed, and always with the small validator below."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validate(doc, schema)
    try:
        import jsonschema  # type: ignore[import-untyped, unused-ignore]
    except ImportError:  # not a dependency of the tool; the small validator still ran
        return
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(doc)


def test_golden_json_matches_its_schema() -> None:
    check_schema(golden_json())
    check_schema(json.loads(run(NEW, NEW, format="json")[1]))  # no changes: worst is null


# --- properties of the comparison on the real pair --------------------------------------


def test_a_spec_against_itself_reports_nothing() -> None:
    for spec in (OLD, NEW):
        code, text = run(spec, spec, fail_on="any", descriptions=True)
        assert code == 0 and "No changes." in text
        assert json.loads(run(spec, spec, format="json")[1])["changes"] == []


def test_reversed_diff_reports_the_same_changes_reversed() -> None:
    a, b = build_package(load_file(SPEC_2024)), build_package(load_file(SPEC_2025))
    forward = compare_packages(a, b)
    assert Counter(compare_packages(b, a)) == Counter(c.reverse() for c in forward)
    assert all(c.reverse().reverse() == c for c in forward)


def test_reordered_and_reformatted_spec_is_no_change() -> None:
    data = yaml.safe_load(SPEC_2025.read_text(encoding="utf-8"))
    shuffled = copy.deepcopy(data)
    schemas = shuffled["components"]["schemas"]
    shuffled["components"]["schemas"] = dict(reversed(list(schemas.items())))
    for schema in schemas.values():
        if isinstance(schema.get("properties"), dict):
            schema["properties"] = dict(reversed(list(schema["properties"].items())))
            schema["required"] = sorted(schema.get("required", []))
    assert compare_packages(package(data), package(shuffled)) == []


def test_a_type_moved_into_a_named_schema_is_no_change_on_the_field() -> None:
    data = yaml.safe_load(SPEC_2025.read_text(encoding="utf-8"))
    inlined = copy.deepcopy(data)
    metadata = dict(inlined["components"]["schemas"].pop("Metadata"))
    inlined["components"]["schemas"]["RunObject"]["properties"]["metadata"] = metadata
    changes = compare_packages(package(inlined), package(data))
    assert [(c.model, c.kind) for c in changes] == [("Metadata", "model-added")]


def test_a_change_behind_a_ref_is_seen_where_it_is_defined() -> None:
    data = yaml.safe_load(SPEC_2025.read_text(encoding="utf-8"))
    changed = copy.deepcopy(data)
    changed["components"]["schemas"]["FileSearchRanker"]["enum"].append("newest")
    changed["components"]["schemas"]["Metadata"]["additionalProperties"] = {"type": "integer"}
    report = build_report(package(data), package(changed), "a", "b")
    found = {(e.change.model, e.change.field, e.change.kind, e.change.new) for e in report.entries}
    assert found == {
        ("FileSearchRanker", None, "enum-value-added", '"newest"'),
        ("Metadata", None, "type-changed", "dict[str, int]"),
    }
    assert report.used_by["Metadata"] == ("RunObject.metadata",)


# --- options and exit codes ------------------------------------------------------------


def test_description_changes_only_with_verbose_descriptions() -> None:
    def kinds(**kw: Any) -> set[str]:
        return {c["kind"] for c in json.loads(run(format="json", **kw)[1])["changes"]}

    assert not kinds() & INFORMATIONAL
    assert "description-changed" in kinds(descriptions=True)
    assert "description-changed" in kinds(verbose=True)
    _, text = run(descriptions=True)
    assert "status: description changed:" in text


def test_exit_codes_follow_fail_on(tmp_path: Path) -> None:
    assert run(fail_on="breaking")[0] == 1
    assert run(fail_on="any")[0] == 1
    assert run(fail_on="never")[0] == 0
    data = yaml.safe_load(SPEC_2025.read_text(encoding="utf-8"))
    data["components"]["schemas"]["RunObject"]["properties"]["note"] = {"type": "string"}
    compatible = tmp_path / "compatible.yaml"
    compatible.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert run(NEW, str(compatible), fail_on="breaking")[0] == 0
    assert run(NEW, str(compatible), fail_on="any")[0] == 1
    assert run(NEW, NEW, fail_on="any")[0] == 0


def test_quiet_prints_nothing_but_keeps_the_exit_code() -> None:
    assert run(quiet=True) == (1, "")


def test_roots_limit_the_diff_to_their_closure() -> None:
    full = run(format="json")[1]
    code, text = run(format="json", roots=["RunObject"])
    doc = json.loads(text)
    assert doc["roots"] == ["RunObject"]
    assert doc["changes"] == json.loads(full)["changes"]  # everything reaches RunObject here
    code, text = run(format="json", roots=["TruncationObject"])
    assert (code, json.loads(text)["changes"]) == (0, [])
    doc = json.loads(run(format="json", roots=["FileSearchRanker"])[1])  # only in NEW
    assert [(c["model"], c["kind"]) for c in doc["changes"]] == [
        ("FileSearchRanker", "model-added")
    ]
    with pytest.raises(SchemaFirstError, match="'Nope' is in neither spec"):
        run(roots=["Nope"])


def test_cli_end_to_end(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", OLD, NEW, "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["worst"] == "breaking"
    assert main(["diff", NEW, NEW, "--fail-on", "any"]) == 0
    assert "No changes." in capsys.readouterr().out
    assert main(["diff", OLD, NEW, "--fail-on", "never", "--format", "markdown"]) == 0
    assert capsys.readouterr().out.startswith("### Model changes:")


def test_cli_errors_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "missing.yaml", NEW]) == 2
    assert main(["diff", "HEAD:no/such/spec.yaml", NEW]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2
    assert err[0].startswith("missing.yaml: error: cannot read spec")
    assert err[1].startswith("HEAD:no/such/spec.yaml: error: cannot read from git:")


# --- sources: files and REV:PATH -----------------------------------------------------


def test_parse_source_tells_files_from_git_revisions(tmp_path: Path) -> None:
    def split(text: str) -> tuple[str | None, str]:
        source = parse_source(text)
        return source.rev, source.path

    assert split("HEAD~1:spec/runobject.yaml") == ("HEAD~1", "spec/runobject.yaml")
    assert split("origin/main:./api.yaml") == ("origin/main", "./api.yaml")
    assert parse_source("spec/runobject.yaml").rev is None
    assert parse_source("C:\\specs\\api.yaml").rev is None
    assert parse_source("d:/specs/api.yaml").rev is None
    odd = tmp_path / "v1:api.yaml"
    odd.write_text("openapi: 3.0.0\n", encoding="utf-8")
    assert parse_source(str(odd)).rev is None  # exists on disk: a file


def git(cwd: Path, *argv: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    subprocess.run(["git", *argv], cwd=cwd, env=env, check=True, capture_output=True)


def test_rev_path_reads_the_committed_version(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_bytes(SPEC_2024.read_bytes())
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "api.yaml")
    git(tmp_path, "commit", "-q", "-m", "v1")
    (tmp_path / "api.yaml").write_bytes(SPEC_2025.read_bytes())
    git(tmp_path, "commit", "-q", "-am", "v2")
    old = read_spec("HEAD~1:api.yaml", cwd=tmp_path)
    assert old.path == "HEAD~1:api.yaml"
    assert old.sha256 == load_file(SPEC_2024).sha256
    with pytest.raises(SchemaFirstError, match="cannot read from git: .*missing.yaml") as err:
        read_spec("HEAD:missing.yaml", cwd=tmp_path)
    assert err.value.file == "HEAD:missing.yaml"


def test_rev_path_rejects_options_and_empty_paths() -> None:
    with pytest.raises(SchemaFirstError, match="invalid revision"):
        read_spec("--output=/tmp/x:api.yaml")
    with pytest.raises(SchemaFirstError, match="no path after ':'"):
        read_spec("HEAD:")


# --- classification ------------------------------------------------------------------


def sample_changes() -> list[Change]:
    """One change of every kind, with each qualifier its verdict depends on."""
    qualified: dict[str, list[tuple[str, str | None, str | None]]] = {
        "field-added": [("required", None, "x"), ("optional", None, "x")],
        "field-removed": [("required", "x", None), ("optional", "x", None)],
        "type-changed": [(a, "x", "y") for a in ("", "narrowed", "widened", "equivalent")],
        "required-changed": [("", "required", "optional"), ("", "optional", "required")],
        "nullable-changed": [("", "nullable", "not nullable"), ("", "not nullable", "nullable")],
        "closed-changed": [("", "open", "closed"), ("", "closed", "open")],
        "deprecated-changed": [
            ("", "deprecated", "not deprecated"),
            ("", "not deprecated", "deprecated"),
        ],
    }
    out = []
    for kind in KINDS:
        for aspect, old, new in qualified.get(kind, [("", "x", "y")]):
            out.append(Change("M", "f", kind, old, new, aspect))
    return out


def test_every_kind_is_classified_and_reverses() -> None:
    for change in sample_changes():
        verdict = classify(change)
        assert verdict.reader.severity in SEVERITIES and verdict.reader.reason
        assert verdict.writer.severity in SEVERITIES and verdict.writer.reason
        assert change.reverse().reverse() == change
        assert change.reverse().kind == REVERSED_KIND.get(change.kind, change.kind)


def test_mirror_changes_swap_reader_and_writer_severity() -> None:
    """Widening for one direction is narrowing for the other: the sides swap roles."""
    for change in sample_changes():
        if change.kind in ("type-changed", "required-changed", "nullable-changed"):
            if change.aspect in ("", "equivalent") and change.kind == "type-changed":
                continue
            there, back = classify(change), classify(change.reverse())
            assert (there.reader.severity, there.writer.severity) == (
                back.writer.severity,
                back.reader.severity,
            ), change


def spec_with(props: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    schemas: dict[str, Any] = {"Thing": {"type": "object", "properties": props}}
    schemas.update(extra or {})
    return {
        "openapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "components": {"schemas": schemas},
    }


def kinds_between(
    old: dict[str, Any], new: dict[str, Any]
) -> list[tuple[str | None, str, str, str | None, str | None]]:
    return [
        (c.field, c.kind, c.aspect, c.old, c.new)
        for c in compare_packages(package(old), package(new))
    ]


def test_constraints_tightened_loosened_and_types_widened() -> None:
    old = spec_with(
        {
            "name": {"type": "string", "maxLength": 10},
            "size": {"type": "integer", "minimum": 0},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 5}},
            "ratio": {"type": "integer"},
            "kind": {"type": "string", "enum": ["a", "b"]},
        }
    )
    new = spec_with(
        {
            "name": {"type": "string", "maxLength": 5, "pattern": "^[a-z]+$"},
            "size": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 8}, "maxItems": 3},
            "ratio": {"type": "number"},
            "kind": {"type": "string"},
        }
    )
    found = kinds_between(old, new)
    assert ("name", "constraint-tightened", "maxLength", "10", "5") in found
    assert ("name", "constraint-tightened", "pattern", None, '"^[a-z]+$"') in found
    assert ("size", "constraint-loosened", "minimum", "0", None) in found
    assert ("tags", "constraint-tightened", "maxItems", None, "3") in found
    assert ("tags", "constraint-loosened", "items.maxLength", "5", "8") in found
    assert ("ratio", "type-changed", "widened", "int", "float") in found
    assert ("kind", "type-changed", "widened", "ThingKind", "str") in found


def test_required_nullable_default_and_docs_changes() -> None:
    old = spec_with({"a": {"type": "string"}, "b": {"type": "integer", "default": 1}})
    old["components"]["schemas"]["Thing"]["required"] = ["a"]
    new = spec_with(
        {
            "a": {"type": "string", "nullable": True, "deprecated": True},
            "b": {"type": "integer", "default": 2},
        }
    )
    new["components"]["schemas"]["Thing"]["required"] = ["b"]
    found = kinds_between(old, new)
    assert ("a", "required-changed", "", "required", "optional") in found
    assert ("a", "nullable-changed", "", "not nullable", "nullable") in found
    assert ("a", "deprecated-changed", "", "not deprecated", "deprecated") in found
    assert ("b", "required-changed", "", "optional", "required") in found
    assert ("b", "default-changed", "", "1", "2") in found
    same_number = spec_with({"a": {"type": "string"}, "b": {"type": "number", "default": 1.0}})
    one_int = spec_with({"a": {"type": "string"}, "b": {"type": "number", "default": 1}})
    assert kinds_between(same_number, one_int) == []  # 1 and 1.0 are one JSON number


def test_subtype_test_stays_fast_on_deeply_nested_unions() -> None:
    """Each union refers to the next twice: naive recursion would take 2**40 steps."""
    n = 40
    defs: list[UnionDef] = [
        UnionDef(f"U{i}", (Ref(f"U{i + 1}"), Nullable(Ref(f"U{i + 1}")))) for i in range(n)
    ]
    defs.append(UnionDef(f"U{n}", (Primitive("string"), Primitive("integer"))))
    r = Renderer({d.name: d for d in defs})
    start = time.perf_counter()
    assert not is_subtype(Primitive("boolean"), r, Ref("U0"), r)
    assert is_subtype(Primitive("integer"), r, Ref("U0"), r)
    assert is_subtype(Ref("U0"), r, AnyJson(), r)
    assert time.perf_counter() - start < 2


# --- hostile text in specs ---------------------------------------------------------


def test_spec_text_cannot_break_out_of_markdown_or_the_terminal() -> None:
    evil = "a|b`c\x1b[31m@octocat<script>"
    old = spec_with({"ok": {"type": "string"}})
    new = spec_with({"ok": {"type": "string"}, evil: {"type": "string", "enum": ["x`|y"]}})
    report = build_report(package(old), package(new), "old.json", "new.json")
    md = markdown.render(report)
    assert "\x1b" not in md
    row = next(line for line in md.splitlines() if "field added" in line)
    assert "\x1b" not in row and "\\x1b" in row
    assert row.count(" | ") == 2  # the pipes in the name are escaped: still three cells
    assert "`` a\\|b`c\\x1b[31m@octocat<script> ``" in row
    assert "\x1b" not in text.render(report)


def test_markdown_fits_a_comment_by_leaving_out_the_least_important_parts() -> None:
    a, b = build_package(load_file(SPEC_2024)), build_package(load_file(SPEC_2025))
    report = build_report(a, b, OLD, NEW)
    full = markdown.render(report)
    short = markdown.render(report, limit=3000)
    assert len(short) < 3000 < len(full)
    assert "| Reader (decodes payloads, e.g. responses) | 8 | 10 | 23 |" in short
    assert re.search(r"\.\.\.and \d+ more", short) or "list left out" in short


# --- a small JSON Schema validator, so the check runs without jsonschema installed -----


def validate(
    value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, at: str = "$"
) -> None:
    """Check `value` against the JSON Schema subset schemas/diff.schema.json uses."""
    root = root or schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        validate(value, target, root, at)
        return
    if "const" in schema:
        assert value == schema["const"] and type(value) is type(schema["const"]), at
    if "enum" in schema:
        assert value in schema["enum"], (at, value)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(_is_type(value, t) for t in types), (at, value, types)
    if isinstance(value, (int, float)) and "minimum" in schema:
        assert value >= schema["minimum"], at
    if isinstance(value, str) and "pattern" in schema:
        assert re.search(schema["pattern"], value), at
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            validate(item, schema["items"], root, f"{at}[{i}]")
    if isinstance(value, dict):
        _validate_object(value, schema, root, at)


def _validate_object(
    value: dict[str, Any], schema: dict[str, Any], root: dict[str, Any], at: str
) -> None:
    props = schema.get("properties", {})
    for key in schema.get("required", []):
        assert key in value, f"{at}: missing {key!r}"
    for key, item in value.items():
        if key in props:
            validate(item, props[key], root, f"{at}.{key}")
        elif schema.get("additionalProperties") is False:
            raise AssertionError(f"{at}: unexpected {key!r}")
        elif isinstance(schema.get("additionalProperties"), dict):
            validate(item, schema["additionalProperties"], root, f"{at}.{key}")


def _is_type(value: Any, t: str) -> bool:
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
    }
    return bool(checks[t](value))


def test_the_validator_catches_drift() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    doc = golden_json()
    bad = copy.deepcopy(doc)
    bad["changes"][0]["kind"] = "field-renamed"
    with pytest.raises(AssertionError):
        validate(bad, schema)
    bad = copy.deepcopy(doc)
    bad["summary"]["extra"] = 1
    with pytest.raises(AssertionError):
        validate(bad, schema)


def update_golden() -> None:
    """Rewrite tests/golden/diff/ (`python -m tests.test_diff`, or from tests/update_golden)."""
    os.chdir(ROOT)
    for path in write_golden():
        print(f"updated {path.relative_to(ROOT)}")


if __name__ == "__main__":
    update_golden()
