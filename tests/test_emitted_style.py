"""Generated code is emitted final, in black's style: no formatter runs while generating.

black (pinned in the dev dependencies) and ruff format are the oracles: both, in check
mode, must leave every generated file unchanged — the golden cases, the committed
package, both full OpenAI specs, the multi-file influxdata spec (`--scope all`) and
hypothesis-generated specs with hostile names and strings. And the bytes cannot depend
on what is installed: a run where neither black nor ruff can be imported or found gives
exactly the committed files.

black is the reference. The two formatters disagree only on constructs that fit no line
at all (a name or string longer than the line, or a target and value that do not fit
even split): black wraps the value in parentheses anyway, ruff leaves it on one line.
Hostile specs reach those; black's choice is kept there, and the test checks that every
change ruff would make is of that kind.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import black
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.generate import load_package
from generator.render import Meta, render_package
from generator.targets import layout
from generator.targets import python as py
from tests.conftest import GENERATED, ROOT, SPEC_2025, SPECS, hypothesis_examples, needs_shared
from tests.test_hostile_specs import hostile_specs, yaml_text

MODE = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=layout.LINE_LENGTH)
RUFF = Path(sys.executable).parent / "ruff"


def ruff_changes(folder: Path) -> str:
    """ruff format's diff for every .py file under `folder` (empty when it keeps them)."""
    proc = subprocess.run(
        [
            str(RUFF),
            "format",
            "--isolated",
            "--no-cache",
            "--diff",
            f"--line-length={layout.LINE_LENGTH}",
            "--target-version=py310",
            *sorted(str(p) for p in folder.rglob("*.py")),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr  # 2: a file did not parse
    return proc.stdout


def black_changes(sources: dict[str, str]) -> list[str]:
    """The names of the files black would change."""
    return [name for name, text in sources.items() if black.format_str(text, mode=MODE) != text]


def changes_too_long_lines_only(diff: str) -> bool:
    """Whether every hunk of a formatter's diff rewrites a line wider than the limit:
    the one kind of construct where ruff format and black (the reference) disagree."""
    hunks = diff.split("\n@@")[1:]
    return all(
        any(
            line.startswith("-") and layout.width(line[1:]) > layout.LINE_LENGTH
            for line in hunk.split("\n")
        )
        for hunk in hunks
    )


def rendered_python(spec: Path, package: str = "pkg", scope: str = "schemas") -> dict[str, str]:
    pkg = load_package(spec, scope=scope)
    files = render_package(pkg, Meta("0", pkg.spec_name, pkg.spec_sha256, package))
    return {name: text for name, text in files.items() if name.endswith(".py")}


def write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_ruff_format_keeps_every_golden_file() -> None:
    # black checks each of these files in test_golden.py
    trees = [GENERATED, *sorted((ROOT / "tests" / "cases").glob("*/expected/*"))]
    assert len(trees) >= 15
    for tree in trees:
        assert ruff_changes(tree) == "", tree


@needs_shared
@pytest.mark.parametrize("version", ["2024-04-15", "2025-04-29"])
def test_both_formatters_keep_a_whole_openai_package(version: str, tmp_path: Path) -> None:
    files = rendered_python(SPECS / f"openai-{version}.yaml")
    # the whole spec: hundreds of classes and codec functions (not a size the codec's
    # compaction would change)
    assert files["models.py"].count("\nclass ") > 200 and files["_codec.py"].count("\ndef ") > 400
    write(tmp_path, files)
    assert ruff_changes(tmp_path) == ""
    assert black_changes(files) == []


@needs_shared
@pytest.mark.parametrize("root", ["oss", "cloud", "legacy"])
def test_both_formatters_keep_the_multi_file_influxdata_packages(root: str, tmp_path: Path) -> None:
    files = rendered_python(SPECS / "influxdata" / "src" / f"{root}.yml", scope="all")
    assert "operations.py" in files and len(files) >= 4
    write(tmp_path, files)
    assert ruff_changes(tmp_path) == ""
    assert black_changes(files) == []


# A few derandomized examples on every run; `make fuzz` (SCHEMAFIRST_FUZZ=20) runs many
# more, on fresh random examples.
@settings(
    max_examples=hypothesis_examples(8),
    derandomize="SCHEMAFIRST_FUZZ" not in os.environ,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=hostile_specs())
def test_both_formatters_keep_packages_of_hostile_specs(
    drawn: tuple[dict[str, Any], bool, dict[str, dict[str, Any]]],
) -> None:
    spec, json_spec, _ = drawn
    with tempfile.TemporaryDirectory(prefix="schemafirst-style-") as tmp:
        root = Path(tmp)
        spec_path = root / ("spec.json" if json_spec else "spec.yaml")
        text = json.dumps(spec, ensure_ascii=False) if json_spec else yaml_text(spec)
        spec_path.write_text(text, encoding="utf-8")
        files = rendered_python(spec_path)
        assert black_changes(files) == []
        write(root / "out", files)
        diff = ruff_changes(root / "out")
    assert changes_too_long_lines_only(diff), diff


def test_ruff_and_black_disagree_only_on_lines_that_fit_nowhere(tmp_path: Path) -> None:
    """The one accepted difference, pinned: a value that does not fit even on a line of
    its own is parenthesized by black and left alone by ruff."""
    long = "v" * 90
    lines = layout.fit(f"    x.{long} = a.{long}")
    assert lines == [f"    x.{long} = (", f"        a.{long}", "    )"]
    source = "def f():\n" + "\n".join(lines) + "\n"
    assert black.format_str(source, mode=MODE) == source
    write(tmp_path, {"m.py": source})
    diff = ruff_changes(tmp_path)
    assert f"+    x.{long} = a.{long}" in diff
    assert changes_too_long_lines_only(diff)
    # and a change to a line that fits is never accepted
    assert not changes_too_long_lines_only("--- a\n+++ b\n@@ -1 +1 @@\n-x = (1)\n+x = 1\n")


LONG = "n" * 90


@pytest.mark.parametrize(
    "lines",
    [
        # a plain target: black splits the call even when `target = call(` is too long
        layout.fit(f'_KEYS_{LONG} = frozenset({{"a", "b"}})'),
        # a subscript that does not fit: split at its bracket, no comma (not a tuple)
        layout.fit(f'        v = d["{LONG}"]'),
        # a sum of strings inside exploded brackets: split before each `+`
        layout.fit(f'        raise E(path, "unknown " + "{LONG}" + f" {{tag!r}}")'),
        # an annotated target too long for its call: split at the annotation
        layout.fit(f"    {LONG}: T = f(a)"),
        # a subscript target too long for its call: split at the subscript
        layout.fit(f'        out["{LONG}"] = list(self.x)'),
        # a field whose name leaves no room: annotation in parentheses, then the default
        layout.annotated("    ", LONG, ["str"], '"abc"'),
        layout.annotated("    ", LONG, ["list[str]"], "field(default_factory=lambda: [1, 2])"),
        layout.annotated("    ", "f", ["X" * 84], "X" * 84 + ".MEMBER"),
        layout.annotated("    ", "f", ["X" * 84], "UNSET"),
        layout.annotated("    ", "f", ["str"], '"' + "s" * 90 + '"'),
        # a type alias whose name leaves no room for `TypeAlias = (`
        [*layout.split_head(f"{LONG}: TypeAlias = ("), "    A | B | C", ")"],
    ],
)
def test_constructs_longer_than_the_line_are_laid_out_as_black_does(lines: list[str]) -> None:
    assert any(layout.width(line) > layout.LINE_LENGTH for line in lines) or len(lines) > 1
    body = "\n".join(lines)
    indented = body.startswith("    ")
    source = "class C:\n    def f(self):\n" if body.startswith("        ") else "class C:\n"
    source = (source if indented else "") + body + "\n"
    assert black.format_str(source, mode=MODE) == source


def test_docstrings_and_floats_are_written_as_black_writes_them() -> None:
    for text in ['ends with "quote"', 'x"""', '"', "a\\", '"a\nb"']:
        source = f"def f():\n    {py.docstring(text)}\n"
        assert black.format_str(source, mode=MODE) == source, text
        assert ast.literal_eval(py.docstring(text)).strip() == text.replace("\n", "\n    ")
    assert py.py_literal(-4.548433115072096e162) == "-4.548433115072096e162"
    assert py.py_literal(1e-7) == "1e-07"
    assert black.format_str("x = 1e-07\n", mode=MODE) == "x = 1e-07\n"


def black_lines(line: str) -> list[str]:
    """What black makes of one line of code (inside a function when indented)."""
    indented, block = line.startswith("    "), line.endswith(":")
    source = ("def f():\n" if indented else "") + line + ("\n    pass" if block else "") + "\n"
    out = black.format_str(source, mode=MODE).split("\n")[:-1]
    return out[1 if indented else 0 : -1 if block else None]


K30 = "k" * 30


def test_long_constructs_are_laid_out_as_black_does() -> None:
    """The layout helper at its limits: a line of exactly 88 characters stays, one more
    splits as black splits it: the items on one line inside the brackets when they fit
    there (a def's lone parameter with black's trailing comma), one per line with a
    magic trailing comma when they do not, or when they are a literal's; a long call
    value moves into parentheses."""
    name = "x" * (88 - len("f(a, b)"))
    assert layout.fit(f"{name}f(a, b)") == [f"{name}f(a, b)"]
    assert layout.fit(f"{name}yf(a, b)") == [f"{name}yf(", "    a, b", ")"]
    for line in [
        f"{name}yf(a, b)",
        "def _d_" + "N" * 50 + "(d: Any, path: Path, strict: bool, errs: Errors) -> Any:",
        "def _e_" + "N" * 50 + "(o: " + "N" * 30 + ") -> Any:",
        "    v = _d_" + "N" * 50 + '(v, (path, "web_search_options"), strict, errs)',
        "    v = _d_" + "N" * 70 + '(v, (path, "web_search_options"), strict, errs)',
        "_KEYS_" + "N" * 50 + ' = frozenset({"max_num_results", "ranking_options"})',
        "_KEYS_" + "N" * 50 + " = frozenset({" + ", ".join(f'"k{i}"' for i in range(9)) + "})",
        "    x = [" + ", ".join("a" * 10 for _ in range(8)) + "]",
        "    x = {" + ", ".join(f'"{c}": 1' for c in "abcdefghijklmn") + "}",
        "    return (" + ", ".join("a" * 10 for _ in range(8)) + ")",
        '    out["' + "n" * 90 + '"] = list(self.x)',
        "    errs.append(((path, " + '"' + "k" * 40 + '"), "expected a finite number"))',
        # a long conditional dict value: in parentheses, on one line there or split
        # before `if` and `else`, the `else` part split further
        '    out: T = {"a": o.a, "k": None if o.k is None else _e_' + "N" * 50 + "(o.k)}",
        '    out: T = {"a": o.a, "k": None if o.' + K30 + " is None else _e_N(o." + K30 + ")}",
        '    out: T = {"a": o.a, "k": None if o.k is None else _e_' + "N" * 80 + "(o.k)}",
        # one item split further: no comma after it
        '    out: T = {"k": None if o.' + K30 + " is None else _e_N(o." + K30 + ")}",
        '    out: T = {"k": _e_' + "N" * 80 + "(o.k)}",
        "_KEYS_X = frozenset({" + ", ".join(f'"k{i}"' for i in range(30)) + "})",
        "    errs.append(((path, " + '"' + "k" * 40 + '"), "' + "m" * 60 + '"))',
    ]:
        assert layout.fit(line) == black_lines(line), line
    long = "_e_" + "L" * 70
    lines = layout.fit(f'    out["k"] = {long}(self.value)')
    assert lines == [
        '    out["k"] = (',
        f"        {long}(",
        "            self.value",
        "        )",
        "    )",
    ]
    assert lines == black_lines(f'    out["k"] = {long}(self.value)')
    source = "def f(self):\n" + "\n".join(lines) + "\n"
    assert black.format_str(source, mode=MODE) == source
    # A parenthesized expression or a subscript never gets a comma that would make it
    # a tuple; black would not add one either.
    grouped = "    x = (" + "a" * 90 + ")"
    assert layout.fit(grouped) == [grouped]


# Imports of black and ruff fail, and no ruff binary is on PATH: what a plain
# `pip install schemafirst` has.
PLAIN_INSTALL = r"""
import importlib.abc, sys

class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("black", "ruff", "blib2to3"):
            raise ImportError(f"{name} is not installed")
        return None

sys.meta_path.insert(0, Refuse())
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_generation_without_black_or_ruff_gives_the_committed_bytes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = "/usr/bin:/bin"  # not the venv's bin/, where ruff lives
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            PLAIN_INSTALL,
            "generate",
            "--spec",
            str(SPEC_2025),
            "--out",
            str(tmp_path),
            "--package",
            "runobject",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    made = tmp_path / "runobject"
    names = sorted(p.relative_to(made).as_posix() for p in made.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(GENERATED).as_posix()
        for p in GENERATED.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    assert names == committed
    for name in names:
        assert (made / name).read_bytes() == (GENERATED / name).read_bytes(), name
    # and asking for a formatter that is not there is a clear error, not a traceback
    proc = subprocess.run(
        [sys.executable, "-c", PLAIN_INSTALL, "generate", "--spec", str(SPEC_2025)]
        + ["--out", str(tmp_path / "f"), "--package", "runobject", "--formatter", "black"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "formatter 'black' requested but black is not installed" in proc.stderr


@settings(max_examples=hypothesis_examples(300), derandomize=True, deadline=None)
@given(text=st.text(alphabet="ab (){}[]\"'\\,=+#", max_size=30))
def test_fast_top_level_scan_equals_the_character_loop(text: str) -> None:
    """The regex-based blanking of strings and brackets gives exactly what the plain
    character loop gives, unterminated strings and stray brackets included."""
    assert layout._top_level_with_positions(text) == layout._top_level_slow(text)
