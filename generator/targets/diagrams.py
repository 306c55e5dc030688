"""Decisions for the Mermaid class diagrams of the docs: which diagram, and how big.

GitHub renders a Mermaid block of at most 50,000 characters and shows an error instead
of a bigger one. The index holds the whole package as one diagram when it fits; when it
does not (the 477-schema OpenAI spec gives ~190 KB), the index shows a diagram of
groups of definitions instead, and every page shows its definition's neighbourhood:
what it refers to and what refers to it, at most MAX_EDGES of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Definition, Package
from .markdown import edges

MERMAID_LIMIT = 50_000  # characters in one block that GitHub still renders
MAX_EDGES = 40  # per direction in a neighbourhood diagram
MAX_GROUP_EDGES = 400  # in the index diagram of groups

# Names like CreateRunRequest and ListRunsResponse belong with Run, not with Create.
_VERBS = frozenset(
    {"Cancel", "Create", "Delete", "Get", "List", "Modify", "Retrieve", "Submit", "Update"}
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|_+")


def fits(diagram: str) -> bool:
    return len(diagram) <= MERMAID_LIMIT


def group_of(name: str) -> str:
    """The group of a definition: the first word of its name, after a leading verb."""
    words = [w for w in _WORD.findall(name) if not w.startswith("_")]
    if len(words) > 1 and words[0] in _VERBS:
        words = words[1:]
    return words[0] if words else name


@dataclass(frozen=True)
class Group:
    name: str
    size: int


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    label: str


@dataclass(frozen=True)
class GroupDiagram:
    groups: tuple[Group, ...]
    links: tuple[Link, ...]  # label: how many references
    hidden: int  # links left out to stay under the size limit


def group_diagram(pkg: Package) -> GroupDiagram:
    sizes: dict[str, int] = {}
    for d in pkg.definitions:
        sizes[group_of(d.name)] = sizes.get(group_of(d.name), 0) + 1
    counts: dict[tuple[str, str], int] = {}
    for d in pkg.definitions:
        source = group_of(d.name)
        for target, _ in edges(d):
            key = (source, group_of(target))
            if key[0] != key[1]:
                counts[key] = counts.get(key, 0) + 1
    # The strongest links first; ties by name, so the choice is deterministic.
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    kept = sorted(ranked[:MAX_GROUP_EDGES])
    return GroupDiagram(
        groups=tuple(Group(name, sizes[name]) for name in sorted(sizes)),
        links=tuple(Link(s, t, str(n)) for (s, t), n in kept),
        hidden=len(ranked) - len(kept),
    )


@dataclass(frozen=True)
class Neighbourhood:
    centre: Definition
    links: tuple[Link, ...]  # label: the field (or "variant", "alias of")
    others: tuple[str, ...]  # the other definitions drawn, without their fields
    hidden: int  # references left out (more than MAX_EDGES in one direction)


def neighbourhoods(pkg: Package) -> dict[str, Neighbourhood]:
    """Each definition's neighbourhood: what it refers to, and what refers to it."""
    incoming: dict[str, list[Link]] = {d.name: [] for d in pkg.definitions}
    outgoing: dict[str, list[Link]] = {}
    for d in pkg.definitions:
        outgoing[d.name] = [Link(d.name, target, label) for target, label in edges(d)]
        for link in outgoing[d.name]:
            if link.target in incoming and link.target != d.name:
                incoming[link.target].append(link)
    out: dict[str, Neighbourhood] = {}
    for d in pkg.definitions:
        going, coming = outgoing[d.name], incoming[d.name]
        links = going[:MAX_EDGES] + coming[:MAX_EDGES]
        others = sorted({x for link in links for x in (link.source, link.target)} - {d.name})
        hidden = len(going) + len(coming) - len(links)
        out[d.name] = Neighbourhood(d, tuple(links), tuple(others), hidden)
    return out
