"""Renamed-looking definitions: a removed and an added definition of the same shape.

A rename is still reported as a removal plus an addition (code that names the old class
breaks); the hint only helps a reader connect the two. Shapes are compared with the
other renames already found applied, so a renamed parent whose inline children were
renamed with it is found too (up to a few rounds). Small shapes are common (an enum of
"auto" and "none"), so a pair must also be plausible: used from the same place, or named
alike. Only one-to-one matches are hinted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..diff.types import Renderer
from ..model import (
    AliasDef,
    Definition,
    EnumDef,
    ModelDef,
    UnionDef,
    definition_references,
    referenced_names,
)

MAX_ROUNDS = 6
MIN_SHARED_WORDS = 0.5  # of the shorter name's words, for names to count as alike
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def users(definitions: Iterable[Definition]) -> dict[str, tuple[str, ...]]:
    """Definition name -> where it is used: `Model.field`, or the union/alias naming it."""
    found: dict[str, set[str]] = {}
    for d in definitions:
        if isinstance(d, ModelDef):
            for f in d.fields:
                for name in referenced_names(f.type):
                    found.setdefault(name, set()).add(f"{d.name}.{f.json_name}")
            for name in referenced_names(d.extra):
                found.setdefault(name, set()).add(d.name)
        elif isinstance(d, (UnionDef, AliasDef)):
            for name in definition_references(d):
                found.setdefault(name, set()).add(d.name)
    return {name: tuple(sorted(where)) for name, where in found.items()}


def alike(a: str, b: str) -> bool:
    """Whether two class names share at least half the words of the shorter one."""
    wa, wb = set(_WORDS.findall(a)), set(_WORDS.findall(b))
    shorter = min(len(wa), len(wb))
    return shorter > 0 and len(wa & wb) >= MIN_SHARED_WORDS * shorter


def signature(d: Definition, r: Renderer) -> str:
    """The shape of a definition, without its name, docs or field order."""
    if isinstance(d, ModelDef):
        fields = sorted(
            (f.json_name, f.required, r.render(f.type), f.has_default) for f in d.fields
        )
        extra = "closed" if d.closed else r.render(d.extra)
        return repr(("model", fields, extra, d.nullable))
    if isinstance(d, EnumDef):
        values = sorted(json.dumps(m.value) for m in d.members)
        return repr(("enum", d.kind, values, d.nullable))
    if isinstance(d, UnionDef):
        variants = sorted(r.render(v) for v in d.variants)
        prop = d.discriminator.property if d.discriminator else None
        return repr(("union", variants, prop, d.nullable))
    assert isinstance(d, AliasDef)
    return repr(("alias", r.render(d.target), d.nullable))


def _groups(names: list[str], defs: Mapping[str, Definition], r: Renderer) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in names:
        out.setdefault(signature(defs[name], r), []).append(name)
    return out


@dataclass(frozen=True)
class _Usage:
    old: Mapping[str, tuple[str, ...]]
    new: Mapping[str, tuple[str, ...]]

    def plausible(self, old: str, new: str) -> bool:
        same_place = set(self.old.get(old, ())) & set(self.new.get(new, ()))
        return bool(same_place) or alike(old, new)


def _unique_pairs(
    olds: dict[str, list[str]], news: dict[str, list[str]], usage: _Usage
) -> dict[str, str]:
    """Old name -> new name, for the plausible pairs of equal shape that are one-to-one."""
    candidates = [
        (o, n)
        for sig, old_names in olds.items()
        for o in old_names
        for n in news.get(sig, [])
        if usage.plausible(o, n)
    ]
    old_count: dict[str, int] = {}
    new_count: dict[str, int] = {}
    for o, n in candidates:
        old_count[o] = old_count.get(o, 0) + 1
        new_count[n] = new_count.get(n, 0) + 1
    return {o: n for o, n in candidates if old_count[o] == 1 and new_count[n] == 1}


def rename_hints(
    old_defs: Mapping[str, Definition],
    new_defs: Mapping[str, Definition],
    removed: list[str],
    added: list[str],
) -> dict[str, tuple[str, ...]]:
    """For each removed or added name that looks renamed, the name on the other side."""
    news = _groups(added, new_defs, Renderer(new_defs, constraints=True))
    usage = _Usage(users(old_defs.values()), users(new_defs.values()))
    pairs: dict[str, str] = {}
    for _ in range(MAX_ROUNDS):
        olds = _groups(removed, old_defs, Renderer(old_defs, constraints=True, renames=pairs))
        found = _unique_pairs(olds, news, usage)
        if found == pairs:
            break
        pairs = found
    hints: dict[str, tuple[str, ...]] = {}
    for old, new in pairs.items():
        hints[old], hints[new] = (new,), (old,)
    return hints
