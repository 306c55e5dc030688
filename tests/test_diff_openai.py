"""`schemafirst diff` on the whole OpenAI spec: 141 schemas (2024-04-15) -> 477 (2025-04-29).

Needs ../shared/specs; skips with a visible reason where it is absent.
"""

from __future__ import annotations

import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from generator.build import build_package
from generator.diff.command import run_diff
from generator.diff.compare import compare_packages
from generator.diff.formats import markdown, text
from generator.diff.report import build_report
from generator.model import Package
from generator.spec.load import load_file
from tests.conftest import SPEC_2024, SPEC_2025, SPECS, needs_shared
from tests.test_diff import Console, check_schema, diff_args

pytestmark = needs_shared

OLD = SPECS / "openai-2024-04-15.yaml"
NEW = SPECS / "openai-2025-04-29.yaml"


@pytest.fixture(scope="module")
def packages() -> tuple[Package, Package]:
    return build_package(load_file(OLD)), build_package(load_file(NEW))


def test_the_whole_spec_diff_completes_quickly(packages: tuple[Package, Package]) -> None:
    for spec, count in ((OLD, 141), (NEW, 477)):
        assert len(load_file(spec).data["components"]["schemas"]) == count
    out = io.StringIO()
    start = time.perf_counter()
    code = run_diff(diff_args(str(OLD), str(NEW), format="json"), Console(), out)
    assert time.perf_counter() - start < 20  # about 1 s on a quiet machine
    assert code == 1
    doc = json.loads(out.getvalue())
    check_schema(doc)
    kinds = Counter(c["kind"] for c in doc["changes"])
    assert kinds["model-added"] > 300 and kinds["field-removed"] > 0
    report = build_report(*packages, str(OLD), str(NEW))
    assert text.render(report).count("\n") > 1000


def test_each_spec_against_itself_reports_nothing(packages: tuple[Package, Package]) -> None:
    for pkg in packages:
        assert compare_packages(pkg, pkg) == []


def test_the_whole_spec_diff_is_antisymmetric(packages: tuple[Package, Package]) -> None:
    a, b = packages
    forward = compare_packages(a, b)
    assert Counter(compare_packages(b, a)) == Counter(c.reverse() for c in forward)


def test_root_runobject_sees_what_the_extracted_fragments_see() -> None:
    """--root RunObject on the whole specs == the diff of the committed RunObject extracts."""

    def changes(old: Path, new: Path, roots: list[str] | None) -> list[dict[str, object]]:
        out = io.StringIO()
        run_diff(diff_args(str(old), str(new), format="json", roots=roots), Console(), out)
        result: list[dict[str, object]] = json.loads(out.getvalue())["changes"]
        return result

    whole = changes(OLD, NEW, ["RunObject"])
    assert whole == changes(SPEC_2024, SPEC_2025, None)
    assert {c["model"] for c in whole} < {c["model"] for c in changes(OLD, NEW, None)}


def test_changes_known_from_the_release_notes(packages: tuple[Package, Package]) -> None:
    report = build_report(*packages, "old", "new")
    found = {(e.change.model, e.change.field, e.change.kind) for e in report.entries}
    assert ("AssistantObject", "file_ids", "field-removed") in found
    assert ("Batch", "created_at", "type-changed") in found  # string -> integer
    assert ("CreateCompletionRequestStop", None, "model-removed") in found
    stop = next(e for e in report.entries if e.change.model == "CreateCompletionRequestStop")
    assert stop.change.related == ("StopConfiguration",)  # renamed-looking


def test_the_markdown_fits_a_pull_request_comment(packages: tuple[Package, Package]) -> None:
    text = markdown.render(build_report(*packages, str(OLD), str(NEW)))
    assert len(text) <= markdown.COMMENT_LIMIT
    assert "see the text or JSON output" in text  # what was left out is said
