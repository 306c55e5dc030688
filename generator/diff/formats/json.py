"""JSON with a documented, stable shape: see schemas/diff.schema.json.

Changes are listed in canonical order (by definition, then field, then kind), not by
severity, so that two runs over the same specs give the same bytes and a consumer can
sort as it likes. Keys are only ever added in a compatible way; `version` changes if a
key is removed or changes meaning.
"""

from __future__ import annotations

import json
from typing import Any

from ...diff.classify import Classified, Verdict
from ...diff.report import Report, SpecInfo, headline, printable

FORMAT = "schemafirst-diff"
VERSION = 1


def render(report: Report) -> str:
    return json.dumps(document(report), indent=2, ensure_ascii=False) + "\n"


def document(report: Report) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": spec(report.old),
        "new": spec(report.new),
        "roots": list(report.roots),
        "summary": summary(report),
        "changes": [change(e, report) for e in report.entries],
        "used_by": {name: list(report.used_by[name]) for name in sorted(report.used_by)},
    }


def spec(info: SpecInfo) -> dict[str, Any]:
    return {
        "source": info.source,
        "title": info.title,
        "version": info.version,
        "sha256": info.sha256,
        "definitions": info.definitions,
    }


def summary(report: Report) -> dict[str, Any]:
    return {
        "changes": len(report.entries),
        "definitions": len({e.change.model for e in report.entries}),
        "worst": report.worst(),
        "reader": report.counts("reader"),
        "writer": report.counts("writer"),
    }


def verdict(v: Verdict) -> dict[str, str]:
    return {"severity": v.severity, "reason": v.reason}


def change(entry: Classified, report: Report) -> dict[str, Any]:
    c = entry.change
    return {
        "model": c.model,
        "model_kind": report.kinds.get(c.model, ""),
        "field": c.field,
        "kind": c.kind,
        "aspect": c.aspect,
        "old": c.old,
        "new": c.new,
        "related": list(c.related),
        "message": headline(c, printable),
        "reader": verdict(entry.reader),
        "writer": verdict(entry.writer),
    }
