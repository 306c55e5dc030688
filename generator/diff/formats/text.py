"""Plain text for a terminal: grouped by definition, breaking changes first.

Changed and removed definitions come first, each with its changes and the verdict for
readers and writers; added definitions, compatible by nature, are listed last, one a
line. Everything taken from the spec goes through `printable`, so a spec cannot send
control sequences to the terminal.
"""

from __future__ import annotations

from ...diff.classify import LABELS, RULES, SEVERITIES, Classified, Verdict
from ...diff.report import USED_BY_SHOWN, Group, Report, headline, printable, rename_hint

SEVERITY_WIDTH = max(len(label) for label in LABELS.values()) + 2


def render(report: Report) -> str:
    lines = header(report)
    changed, added = report.split_groups()
    for group in changed:
        lines += ["", *group_lines(group)]
    if added:
        lines += ["", *added_lines(added)]
    return "\n".join(lines) + "\n"


def header(report: Report) -> list[str]:
    lines = [
        f"old: {printable(report.old.source)} ({printable(report.old.label())})",
        f"new: {printable(report.new.source)} ({printable(report.new.label())})",
    ]
    if report.roots:
        lines.append("roots: " + ", ".join(printable(r) for r in report.roots))
    if not report.entries:
        return [*lines, "", "No changes."]
    groups = len({e.change.model for e in report.entries})
    lines += ["", f"{_plural(len(report.entries), 'change')} in {_plural(groups, 'definition')}"]
    for side in ("reader", "writer"):
        counts = report.counts(side)
        parts = [f"{counts[s]} {LABELS[s]}" for s in SEVERITIES]
        lines.append(f"  {side}: " + ", ".join(parts))
    return lines


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def used_by(group: Group) -> str:
    if not group.used_by:
        return ""
    shown = [printable(u) for u in group.used_by[:USED_BY_SHOWN]]
    more = len(group.used_by) - len(shown)
    return " used by " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def group_lines(group: Group) -> list[str]:
    lines = [f"{group.name} ({group.kind}, {group.status}){used_by(group)}"]
    for entry in group.entries:
        lines += entry_lines(entry)
    return lines


def entry_lines(entry: Classified) -> list[str]:
    lines = ["  " + headline(entry.change, printable)]
    if entry.reader == entry.writer:
        return [*lines, verdict_line("both", entry.reader)]
    return [*lines, verdict_line("reader", entry.reader), verdict_line("writer", entry.writer)]


def verdict_line(side: str, verdict: Verdict) -> str:
    return f"    {side:<8}{LABELS[verdict.severity]:<{SEVERITY_WIDTH}}{verdict.reason}"


def added_lines(groups: list[Group]) -> list[str]:
    reader, _ = RULES["model-added"]
    lines = [f"Added definitions: {LABELS[reader.severity]} ({reader.reason})"]
    for g in groups:
        hint = rename_hint(g, printable)
        kind = f"{g.kind}; {hint}" if hint else g.kind
        lines.append(f"  {g.name} ({kind}){used_by(g)}")
    return lines
