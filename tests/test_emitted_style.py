"""Generated code is emitted final, in black's style: no formatter runs while generating.

black (pinned in the dev dependencies) and ruff format are the oracles: both, in check
mode, must leave every generated file unchanged — the golden cases, the committed
package, both full OpenAI specs and hypothesis-generated specs with hostile names and
strings. And the bytes cannot depend on what is installed: a run where neither black
nor ruff can be imported or found gives exactly the committed files.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import black
import pytest

from generator.generate import load_package
from generator.render import Meta, render_package
from generator.targets import layout
from tests.conftest import GENERATED, ROOT, SPEC_2025, SPECS, needs_shared

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


def rendered_python(spec: Path, package: str = "pkg") -> dict[str, str]:
    pkg = load_package(spec)
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
    assert sum(text.count("\n") for text in files.values()) > 20_000
    write(tmp_path, files)
    assert ruff_changes(tmp_path) == ""
    assert black_changes(files) == []


def test_long_constructs_are_laid_out_as_black_does() -> None:
    """The layout helper at its limits: a line of exactly 88 characters stays, one more
    explodes with a magic trailing comma; a long call value moves into parentheses."""
    name = "x" * (88 - len("f(a, b)"))
    assert layout.fit(f"{name}f(a, b)") == [f"{name}f(a, b)"]
    assert layout.fit(f"{name}yf(a, b)") == [f"{name}yf(", "    a,", "    b,", ")"]
    long = "_e_" + "L" * 70
    lines = layout.fit(f'    out["k"] = {long}(self.value)')
    assert lines == [
        '    out["k"] = (',
        f"        {long}(",
        "            self.value,",
        "        )",
        "    )",
    ]
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
