"""A diff ready to print: classified changes grouped by definition, counts, and wording.

The formatters only lay this out; what a change is called (`describe`) and how changes
are grouped and ordered (breaking first) is decided once, here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..diff.classify import SEVERITIES, Classified, Verdict, classify
from ..diff.compare import INFORMATIONAL, Change, compare_packages, kind_name
from ..diff.rename import users
from ..model import Package

USED_BY_SHOWN = 5  # the formatters list this many users of a definition, then "N more"
STATUS_ORDER = ("changed", "removed", "added")  # within a severity, changed definitions first

# Marks up text taken from the spec: identity-like for a terminal, a code span in Markdown.
Code = Callable[[str], str]


@dataclass(frozen=True)
class SpecInfo:
    source: str  # as given on the command line: a path, or REV:PATH
    title: str
    version: str
    sha256: str
    definitions: int

    @staticmethod
    def of(package: Package, source: str) -> SpecInfo:
        return SpecInfo(
            source,
            package.spec_title,
            package.spec_version,
            package.spec_sha256,
            len(package.definitions),
        )

    def label(self) -> str:
        """`OpenAI API 2.3.0, 35 definitions`."""
        name = " ".join(p for p in (self.title, self.version) if p)
        count = f"{self.definitions} definition{'s' if self.definitions != 1 else ''}"
        return f"{name}, {count}" if name else count


@dataclass(frozen=True)
class Group:
    """The changes to one definition, worst first."""

    name: str
    kind: str  # "model", "enum", "union" or "alias" (its NEW kind when it exists)
    status: str  # "added", "removed" or "changed"
    used_by: tuple[str, ...]
    entries: tuple[Classified, ...]

    @property
    def rank(self) -> int:
        return min(e.rank for e in self.entries)

    @property
    def related(self) -> tuple[str, ...]:
        """For an added or removed definition: the other side's name if it looks renamed."""
        return tuple(r for e in self.entries for r in e.change.related)

    def order(self) -> tuple[int, int, int, str]:
        """Worst first; breaking for both sides before breaking for one; then changed
        before removed before added; then by name."""
        both = self.worst("reader").rank + self.worst("writer").rank
        return (self.rank, both, STATUS_ORDER.index(self.status), self.name)

    def worst(self, side: str) -> Verdict:
        verdicts = [e.reader if side == "reader" else e.writer for e in self.entries]
        return min(verdicts, key=lambda v: v.rank)


@dataclass(frozen=True)
class Report:
    old: SpecInfo
    new: SpecInfo
    roots: tuple[str, ...]
    entries: tuple[Classified, ...]  # canonical order (`Change.key`)
    kinds: Mapping[str, str]  # definition name -> kind, for every changed definition
    used_by: Mapping[str, tuple[str, ...]]  # definition name -> "Model.field", ...

    def counts(self, side: str) -> dict[str, int]:
        out = dict.fromkeys(SEVERITIES, 0)
        for e in self.entries:
            out[(e.reader if side == "reader" else e.writer).severity] += 1
        return out

    def worst(self) -> str | None:
        """The worst severity on either side, None when nothing changed."""
        if not self.entries:
            return None
        return SEVERITIES[min(e.rank for e in self.entries)]

    def split_groups(self) -> tuple[list[Group], list[Group]]:
        """(changed and removed definitions, worst first; added definitions)."""
        groups = self.groups()
        return [g for g in groups if g.status != "added"], [
            g for g in groups if g.status == "added"
        ]

    def groups(self) -> list[Group]:
        by_name: dict[str, list[Classified]] = {}
        for e in self.entries:
            by_name.setdefault(e.change.model, []).append(e)
        groups = [self._group(name, entries) for name, entries in by_name.items()]
        return sorted(groups, key=Group.order)

    def _group(self, name: str, entries: list[Classified]) -> Group:
        kinds = {e.change.kind for e in entries}
        status = "changed"
        for kind, presence in (("model-added", "added"), ("model-removed", "removed")):
            status = presence if kind in kinds else status
        ordered = sorted(entries, key=lambda e: (e.rank, e.change.key()))
        return Group(
            name, self.kinds.get(name, ""), status, self.used_by.get(name, ()), tuple(ordered)
        )


def rename_hint(group: Group, code: Code) -> str:
    """`looks renamed to X` for a removed definition, `looks like a rename of X` if added."""
    if not group.related:
        return ""
    return _hint(group.status == "added", group.related, code)


def _hint(added: bool, related: tuple[str, ...], code: Code) -> str:
    names = ", ".join(code(r) for r in related)
    return f"looks like a rename of {names}" if added else f"looks renamed to {names}"


def build_report(
    old: Package,
    new: Package,
    old_source: str,
    new_source: str,
    roots: tuple[str, ...] = (),
    informational: bool = False,
) -> Report:
    """Compare and classify; documentation-only changes are kept only if `informational`."""
    changes = [
        c for c in compare_packages(old, new) if informational or c.kind not in INFORMATIONAL
    ]
    names = {c.model for c in changes}
    old_defs, new_defs = old.by_name(), new.by_name()
    kinds = {n: kind_name(new_defs.get(n) or old_defs[n]) for n in names}
    old_users, new_users = users(old.definitions), users(new.definitions)
    used_by = {n: new_users.get(n) or old_users.get(n, ()) for n in names}
    return Report(
        SpecInfo.of(old, old_source),
        SpecInfo.of(new, new_source),
        roots,
        tuple(classify(c) for c in changes),
        kinds,
        {n: u for n, u in used_by.items() if u},
    )


# --- wording ----------------------------------------------------------------------------

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """Text safe for a terminal or a one-line cell: control characters made visible."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1], text)


EXCERPT = 60  # characters of a description shown on each side of a change
CONTEXT = 20  # characters before the first difference


def excerpts(old: str, new: str) -> tuple[str, str]:
    """One-line excerpts of two texts, starting a little before where they differ."""
    a, b = " ".join(old.split()), " ".join(new.split())
    same = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start = a.rfind(" ", 0, max(same - CONTEXT, 0)) + 1 if same > CONTEXT else 0
    return _cut(a, start), _cut(b, start)


def _cut(text: str, start: int) -> str:
    piece = text[start : start + EXCERPT]
    if start + EXCERPT < len(text):
        piece = piece.rstrip() + "..."
    return ("..." + piece) if start else piece


def describe(change: Change, code: Code) -> str:
    """What changed, in one line, without the field name; `code` marks up spec text."""
    return _DESCRIBE.get(change.kind, _generic)(change, code)


def headline(change: Change, code: Code) -> str:
    """`field: what changed`, or just what changed for the definition itself."""
    text = describe(change, code)
    return f"{code(change.field)}: {text}" if change.field is not None else text


def _opt(value: str | None, code: Code) -> str:
    return code(value) if value is not None else "none"


def _generic(c: Change, code: Code) -> str:
    return f"{c.kind}: {_opt(c.old, code)} -> {_opt(c.new, code)}"


def _definition(c: Change, code: Code) -> str:
    kind = c.new if c.kind == "model-added" else c.old
    verb = "added" if c.kind == "model-added" else "removed"
    if not c.related:
        return f"{kind} {verb}"
    return f"{kind} {verb} (same shape: {_hint(verb == 'added', c.related, code)})"


def _field(c: Change, code: Code) -> str:
    if c.kind == "field-added":
        return f"{c.aspect} field added: {_opt(c.new, code)}"
    return f"field removed (was {c.aspect}: {_opt(c.old, code)})"


def _type(c: Change, code: Code) -> str:
    how = f" ({c.aspect})" if c.aspect else ""
    return f"type changed: {_opt(c.old, code)} -> {_opt(c.new, code)}{how}"


def _state(c: Change, code: Code) -> str:
    return f"now {c.new} (was {c.old})"


def _default(c: Change, code: Code) -> str:
    if c.old is None:
        return f"default added: {_opt(c.new, code)}"
    if c.new is None:
        return f"default removed (was {code(c.old)})"
    return f"default changed: {code(c.old)} -> {code(c.new)}"


def _constraint(c: Change, code: Code) -> str:
    how = c.kind.rsplit("-", 1)[-1]
    if c.old is None:
        return f"{code(c.aspect)} added: {_opt(c.new, code)} ({how})"
    if c.new is None:
        return f"{code(c.aspect)} removed, was {code(c.old)} ({how})"
    return f"{code(c.aspect)} {how}: {code(c.old)} -> {code(c.new)}"


def _member(noun: str) -> Callable[[Change, Code], str]:
    def text(c: Change, code: Code) -> str:
        if c.kind.endswith("-added"):
            return f"{noun} {_opt(c.new, code)} added"
        return f"{noun} {_opt(c.old, code)} removed"

    return text


def _tag(c: Change, code: Code) -> str:
    if c.kind == "tag-added":
        return f"discriminator value {_opt(c.new, code)} added (selects {code(c.aspect)})"
    if c.kind == "tag-removed":
        return f"discriminator value {_opt(c.old, code)} removed (selected {code(c.aspect)})"
    now, was = _opt(c.new, code), _opt(c.old, code)
    return f"discriminator value {code(c.aspect)} now selects {now} (was {was})"


def _discriminator(c: Change, code: Code) -> str:
    return f"discriminator property changed: {_opt(c.old, code)} -> {_opt(c.new, code)}"


def _closed(c: Change, code: Code) -> str:
    return f"now {c.new} to unknown properties (was {c.old})"


def _extra(c: Change, code: Code) -> str:
    return f"additional properties changed: {_opt(c.old, code)} -> {_opt(c.new, code)}"


def _deprecated(c: Change, code: Code) -> str:
    return "now deprecated" if c.new == "deprecated" else "no longer deprecated"


def _docs(noun: str) -> Callable[[Change, Code], str]:
    def text(c: Change, code: Code) -> str:
        old, new = excerpts(c.old or "", c.new or "")
        old_text = code(old) if c.old is not None else "none"
        new_text = code(new) if c.new is not None else "none"
        return f"{noun} changed: {old_text} -> {new_text}"

    return text


def _kind(c: Change, code: Code) -> str:
    return f"changed from {c.old} to {c.new}"


_DESCRIBE: dict[str, Callable[[Change, Code], str]] = {
    "model-added": _definition,
    "model-removed": _definition,
    "kind-changed": _kind,
    "field-added": _field,
    "field-removed": _field,
    "type-changed": _type,
    "required-changed": _state,
    "nullable-changed": _state,
    "access-changed": _state,
    "default-changed": _default,
    "constraint-tightened": _constraint,
    "constraint-loosened": _constraint,
    "constraint-changed": _constraint,
    "enum-value-added": _member("value"),
    "enum-value-removed": _member("value"),
    "variant-added": _member("variant"),
    "variant-removed": _member("variant"),
    "tag-added": _tag,
    "tag-removed": _tag,
    "tag-changed": _tag,
    "discriminator-changed": _discriminator,
    "closed-changed": _closed,
    "extra-changed": _extra,
    "deprecated-changed": _deprecated,
    "title-changed": _docs("title"),
    "description-changed": _docs("description"),
}
