"""Markdown for a pull-request comment: summary tables, then details per definition.

The summary gives the counts per side and one row per changed or removed definition;
added definitions are listed in one collapsed paragraph, and the details (collapsed too)
give each change with the reason for its verdicts. Every piece of spec text is put in a
code span (`md_code`), so a spec cannot inject HTML, links or @-mentions; every table
cell escapes `|`.
"""

from __future__ import annotations

from ...diff.classify import LABELS, RULES, SEVERITIES, Classified, Verdict
from ...diff.report import USED_BY_SHOWN, Group, Report, headline, printable, rename_hint

BADGES = {"breaking": "🔴", "potentially-breaking": "🟡", "compatible": "🟢"}
# GitHub refuses comments over 65536 characters; keep a margin for text around the report.
COMMENT_LIMIT = 60_000
RESERVED = 1_000  # for the notes that say what was left out
OMITTED = "see the text or JSON output (`--format text`, `--format json`) for all of it"
SIDES = (
    ("reader", "Reader (decodes payloads, e.g. responses)"),
    ("writer", "Writer (builds payloads, e.g. requests)"),
)


def md_code(text: str) -> str:
    """Inline code for any text: one line, fenced with more backticks than it contains."""
    body = printable(text)
    fence = "`"
    while fence in body:
        fence += "`"
    if not body or len(fence) > 1 or body.startswith(" ") or body.endswith(" "):
        return f"{fence} {body} {fence}"  # CommonMark strips one padding space per side
    return f"{fence}{body}{fence}"


def cell(text: str) -> str:
    """A table cell: `|` escaped (GitHub reads `\\|` as a pipe, even in code spans)."""
    return text.replace("|", "\\|")


def row(*cells: str) -> str:
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def badge(verdict: Verdict, reason: bool = False) -> str:
    text = f"{BADGES[verdict.severity]} {LABELS[verdict.severity]}"
    return f"{text}: {verdict.reason}" if reason else text


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def render(report: Report, limit: int = COMMENT_LIMIT) -> str:
    """The comment, cut down to `limit` characters (the least severe parts go first)."""
    lines = header(report)
    if report.entries:
        changed, added = report.split_groups()
        lines += ["", *summary_table(report)]
        budget = Budget(limit - len("\n".join(lines)) - RESERVED)
        # Spent in order of importance; laid out in reading order.
        table = definitions_table(changed, budget) if changed else []
        more = details(changed, budget) if any(g.status == "changed" for g in changed) else []
        listing = added_section(added, budget) if added else []
        for part in (table, listing, more):
            lines += ["", *part] if part else []
    return "\n".join(lines) + "\n"


class Budget:
    """Characters left for optional parts of the comment."""

    def __init__(self, left: int) -> None:
        self.left = left

    def take(self, lines: list[str]) -> bool:
        size = sum(len(line) + 1 for line in lines)
        if size > self.left:
            return False
        self.left -= size
        return True


def header(report: Report) -> list[str]:
    old, new = report.old, report.new
    lines = [
        f"### Model changes: {md_code(old.source)} → {md_code(new.source)}",
        "",
        f"Old: {md_code(old.label())}. New: {md_code(new.label())}.",
    ]
    if report.roots:
        roots = ", ".join(md_code(r) for r in report.roots)
        lines[-1] += f" Limited to the closure of {roots}."
    if not report.entries:
        return [*lines, "", "**No changes.**"]
    changes = _plural(len(report.entries), "change")
    groups = _plural(len({e.change.model for e in report.entries}), "definition")
    return [*lines, "", f"**{changes}** in {groups}."]


def summary_table(report: Report) -> list[str]:
    heads = [f"{BADGES[s]} {LABELS[s].capitalize()}" for s in SEVERITIES]
    lines = [row("Side", *heads), "| --- |" + " ---: |" * len(SEVERITIES)]
    for side, title in SIDES:
        counts = report.counts(side)
        lines.append(row(title, *(str(counts[s]) for s in SEVERITIES)))
    return lines


def definitions_table(groups: list[Group], budget: Budget) -> list[str]:
    lines = [
        row("Definition", "Kind", "Status", "Changes", "Reader", "Writer"),
        "| --- | --- | --- | ---: | --- | --- |",
    ]
    for i, g in enumerate(groups):
        hint = rename_hint(g, md_code)
        status = f"{g.status} ({hint})" if hint else g.status
        counts = str(len(g.entries))
        reader, writer = badge(g.worst("reader")), badge(g.worst("writer"))
        line = row(md_code(g.name), g.kind, status, counts, reader, writer)
        if not budget.take([line]):
            lines += ["", f"...and {_plural(len(groups) - i, 'more definition')}: {OMITTED}."]
            break
        lines.append(line)
    if any(g.status == "removed" for g in groups):
        reason = RULES["model-removed"][0].reason
        lines += ["", f"A removed definition is breaking for both sides: {reason}."]
    return lines


def added_section(groups: list[Group], budget: Budget) -> list[str]:
    reader, _ = RULES["model-added"]
    summary = f"{_plural(len(groups), 'added definition')}: {badge(reader)}"
    names = []
    for g in groups:
        hint = rename_hint(g, md_code)
        names.append(f"{md_code(g.name)} ({g.kind}; {hint})" if hint else md_code(g.name))
    listing = ", ".join(names)
    if not budget.take([listing]):
        return [f"{summary} (list left out: {OMITTED})."]
    return ["<details>", f"<summary>{summary}</summary>", "", listing, "", "</details>"]


def details(groups: list[Group], budget: Budget) -> list[str]:
    lines = ["<details>", "<summary>Details, with the reason for each verdict</summary>"]
    changed = [g for g in groups if g.status == "changed"]
    for i, group in enumerate(changed):
        section = ["", *group_section(group)]
        if not budget.take(section):
            left = _plural(len(changed) - i, "more changed definition")
            lines += ["", f"...and {left}: {OMITTED}."]
            break
        lines += section
    return [*lines, "", "</details>"]


def group_section(group: Group) -> list[str]:
    lines = [f"#### {md_code(group.name)} ({group.kind})", ""]
    if group.used_by:
        shown = [md_code(u) for u in group.used_by[:USED_BY_SHOWN]]
        more = len(group.used_by) - len(shown)
        tail = f" and {more} more" if more > 0 else ""
        lines += ["Used by " + ", ".join(shown) + tail + ".", ""]
    lines += [row("Change", "Reader", "Writer"), "| --- | --- | --- |"]
    return lines + [entry_row(e) for e in group.entries]


def entry_row(entry: Classified) -> str:
    reader, writer = badge(entry.reader, reason=True), badge(entry.writer, reason=True)
    return row(headline(entry.change, md_code), reader, writer)
