"""`schemafirst diff OLD NEW`: build both specs, compare, print, and choose the exit code.

Exit codes: 0 when nothing at or above `--fail-on` changed, 1 when something did, 2 on an
error (raised as `SchemaFirstError` and printed by the CLI).
"""

from __future__ import annotations

import argparse
import sys
from typing import Protocol, TextIO

from ..build import BuildOptions, build_package
from ..diff.formats import FORMATTERS
from ..diff.report import Report, build_report
from ..diff.source import read_spec
from ..errors import SchemaFirstError
from ..model import Package
from ..spec.load import Document

EXIT_OK, EXIT_FAIL = 0, 1


class Output(Protocol):
    def detail(self, text: str) -> None: ...


def run_diff(args: argparse.Namespace, console: Output, out: TextIO | None = None) -> int:
    roots = tuple(getattr(args, "roots", None) or ())
    old_doc, new_doc = read_spec(args.old), read_spec(args.new)
    check_roots(roots, old_doc, new_doc)
    old, new = build_side(old_doc, roots, console), build_side(new_doc, roots, console)
    informational = bool(getattr(args, "descriptions", False) or getattr(args, "verbose", False))
    report = build_report(old, new, args.old, args.new, roots, informational)
    if not getattr(args, "quiet", False):
        (out or sys.stdout).write(FORMATTERS[getattr(args, "format", "text")](report))
    return exit_code(report, getattr(args, "fail_on", "breaking"))


def exit_code(report: Report, fail_on: str) -> int:
    worst = report.worst()
    if fail_on == "never" or worst is None:
        return EXIT_OK
    if fail_on == "any":
        return EXIT_FAIL
    return EXIT_FAIL if worst == "breaking" else EXIT_OK


def schema_names(doc: Document) -> set[str]:
    """The names `--root` can take: the keys of components/schemas."""
    components = doc.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return set(schemas) if isinstance(schemas, dict) else set()


def check_roots(roots: tuple[str, ...], old: Document, new: Document) -> None:
    known = schema_names(old) | schema_names(new)
    for root in roots:
        if root not in known:
            raise SchemaFirstError(
                f"root schema {root!r} is in neither spec's components/schemas", new.path
            )


def build_side(doc: Document, roots: tuple[str, ...], console: Output) -> Package:
    """The package of one spec, limited to the roots it has (a root may be new or gone)."""
    present = tuple(r for r in roots if r in schema_names(doc))
    if roots and not present:
        info = doc.data.get("info")
        info = info if isinstance(info, dict) else {}
        title, version = str(info.get("title", "")), str(info.get("version", ""))
        return Package((), doc.sha256, doc.path, title, version)
    package = build_package(doc, BuildOptions(roots=present))
    for diag in package.diagnostics:
        console.detail(f"{doc.path}: warning: {diag.message} (at {diag.source.pointer})")
    return package
