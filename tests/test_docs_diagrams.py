"""The docs' Mermaid diagrams: one of the whole package while it fits GitHub's limit,
groups and per-definition neighbourhoods beyond it (the limit is tested at the limit)."""

from __future__ import annotations

import re

import pytest

from generator import __version__
from generator.generate import load_package
from generator.render import Meta, render_package
from generator.targets import diagrams
from tests.conftest import GENERATED, SPEC_2025

MERMAID_BLOCK = re.compile(r"^```mermaid\n(.*?)^```$", re.M | re.S)


def _docs(limit: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setattr(diagrams, "MERMAID_LIMIT", limit)
    pkg = load_package(SPEC_2025)
    files = render_package(pkg, Meta(__version__, pkg.spec_name, pkg.spec_sha256, "runobject"))
    return {n: t for n, t in files.items() if n.startswith("docs/")}


def _full_diagram_size() -> int:
    """The size of the index's whole-package diagram as the limit measures it."""
    index = (GENERATED / "docs" / "README.md").read_text()
    start = index.index("```mermaid\n")
    return len(index[start:])


def test_the_whole_diagram_is_kept_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = _docs(_full_diagram_size(), monkeypatch)
    assert docs["docs/README.md"] == (GENERATED / "docs" / "README.md").read_text()
    pages = [n for n in docs if n != "docs/README.md"]
    assert not any("```mermaid" in docs[n] for n in pages)


def test_one_character_over_the_limit_gives_groups_and_neighbourhoods(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    docs = _docs(_full_diagram_size() - 1, monkeypatch)
    index = docs["docs/README.md"]
    assert "35 definitions make a diagram bigger than GitHub renders" in index
    [groups] = MERMAID_BLOCK.findall(index)
    # RunObject, RunObjectStatus, ... are one group; AssistantsApiToolChoiceOption another.
    assert "    class Run {\n" in groups and "    class Assistants {\n" in groups
    assert re.search(r"^    Run --> Assistants : \d+$", groups, re.M)
    sizes = re.findall(r"^        (\d+) definitions$", groups, re.M)
    assert sum(map(int, sizes)) == 35
    for name, text in docs.items():
        if name == "docs/README.md":
            continue
        [diagram] = MERMAID_BLOCK.findall(text)
        centre = name.removeprefix("docs/").removesuffix(".md")
        assert re.search(rf"^    class {centre}\b", diagram, re.M), name
    run = MERMAID_BLOCK.findall(docs["docs/RunObject.md"])[0]
    assert "    RunObject --> RunObjectStatus : status\n" in run
    status = MERMAID_BLOCK.findall(docs["docs/RunObjectStatus.md"])[0]
    assert (
        status == "classDiagram\n    class RunObjectStatus\n    class RunObject\n"
        "    RunObject --> RunObjectStatus : status\n"
    )


def test_a_neighbourhood_draws_at_most_max_edges_each_way_and_says_how_many_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(diagrams, "MAX_EDGES", 2)
    docs = _docs(0, monkeypatch)
    run = docs["docs/RunObject.md"]
    [diagram] = MERMAID_BLOCK.findall(run)
    assert len(re.findall(r"^    RunObject --> ", diagram, re.M)) == 2
    links = len(diagrams.neighbourhoods(load_package(SPEC_2025))["RunObject"].links)
    assert links <= 4
    hidden = re.search(r"^(\d+) more references to or from `RunObject` are not drawn\.$", run, re.M)
    assert hidden and int(hidden.group(1)) > 0


@pytest.mark.parametrize(
    ("name", "group"),
    [
        ("RunObject", "Run"),
        ("CreateRunRequest", "Run"),
        ("ListRunsResponse", "Runs"),
        ("Create", "Create"),
        ("FineTuningJob", "Fine"),
        ("AssistantsApiToolChoiceOption", "Assistants"),
        ("HTTPError", "HTTP"),
    ],
)
def test_groups_are_the_first_word_after_a_leading_verb(name: str, group: str) -> None:
    assert diagrams.group_of(name) == group
