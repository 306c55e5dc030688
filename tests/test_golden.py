"""The committed output is what the generator makes, byte for byte, on any run."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import black
import pytest

from generator.cli import main
from generator.config import Job
from generator.format import LINE_LENGTH
from generator.generate import generate
from tests.casekit import read_tree
from tests.conftest import GENERATED, ROOT, SPEC_2025

CLI = [sys.executable, "-m", "schemafirst"]


def job(out: Path, **kw: object) -> Job:
    return Job(name="t", spec=SPEC_2025, out=out, package="runobject", **kw)  # type: ignore[arg-type]


def test_regenerating_changes_nothing(tmp_path: Path) -> None:
    generate(job(tmp_path))
    assert read_tree(tmp_path / "runobject") == read_tree(GENERATED)


def test_output_independent_of_hash_seed_and_working_folder(tmp_path: Path) -> None:
    trees = []
    for seed, cwd in (("1", tmp_path), ("4242", ROOT)):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [
            *CLI,
            "generate",
            "--spec",
            str(SPEC_2025),
            "--out",
            str(out),
            "--package",
            "runobject",
            "-q",
        ]
        subprocess.run(cmd, cwd=cwd, env=env, check=True)
        trees.append(read_tree(out / "runobject"))
    assert trees[0] == trees[1] == read_tree(GENERATED)


def test_check_fails_on_a_hand_edited_file_and_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(GENERATED, tmp_path / "runobject")
    args = [
        "generate",
        "--spec",
        str(SPEC_2025),
        "--out",
        str(tmp_path),
        "--package",
        "runobject",
        "--check",
    ]
    assert main(args) == 0
    models = tmp_path / "runobject" / "models.py"
    models.write_text(
        models.read_text().replace("class RunObject(_Model):", "class RunObject(_Model):  # edited")
    )
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "stale: models.py" in err
    assert f"+++ b/{tmp_path}/runobject/models.py" in out and "# edited" in out
    assert "class RunObject(_Model):  # edited" in models.read_text(), "--check must write nothing"


def test_only_changed_files_are_written_and_users_files_survive(tmp_path: Path) -> None:
    generate(job(tmp_path))
    pkg = tmp_path / "runobject"
    mine = pkg / "docs" / "NOTES.md"
    mine.write_text("my notes\n")
    (pkg / "local_helpers.py").write_text("X = 1\n")
    stale = pkg / "docs" / "Gone.md"
    before = {p: p.stat().st_mtime_ns for p in pkg.rglob("*") if p.is_file()}
    result = generate(job(tmp_path))
    assert result.write.written == [] and result.formatted == 0 and result.package is None
    assert {p: p.stat().st_mtime_ns for p in pkg.rglob("*") if p.is_file()} == before
    # A file an earlier run generated but this run does not is removed; ours only.
    manifest = (pkg / "_generated.json").read_text()
    stale.write_text("old\n")
    digest = hashlib.sha256(b"old\n").hexdigest()
    entry = f'"docs/Gone.md": {{"sha256": "{digest}", "source_sha256": ""}},'
    # ...as if an earlier run (other inputs) had generated docs/Gone.md:
    manifest = re.sub(r'"inputs_sha256": "\w*"', '"inputs_sha256": "earlier"', manifest)
    (pkg / "_generated.json").write_text(manifest.replace('"files": {', '"files": {\n' + entry, 1))
    result = generate(job(tmp_path))
    assert result.write.removed == ["docs/Gone.md"] and not stale.exists()
    assert mine.read_text() == "my notes\n" and (pkg / "local_helpers.py").read_text() == "X = 1\n"


def test_refuses_to_overwrite_files_it_did_not_generate(tmp_path: Path) -> None:
    pkg = tmp_path / "runobject"
    pkg.mkdir()
    (pkg / "models.py").write_text("# hand written\n")
    assert (
        main(
            [
                "generate",
                "--spec",
                str(SPEC_2025),
                "--out",
                str(tmp_path),
                "--package",
                "runobject",
                "-q",
            ]
        )
        == 2
    )
    assert (pkg / "models.py").read_text() == "# hand written\n"


def _black(source: str) -> str:
    mode = black.Mode(target_versions={black.TargetVersion.PY310}, line_length=LINE_LENGTH)
    return black.format_str(source, mode=mode)


def generated_python() -> list[Path]:
    trees = [GENERATED, *sorted((ROOT / "tests" / "cases").glob("*/expected/*"))]
    return [p for tree in trees for p in sorted(tree.rglob("*.py"))]


@pytest.mark.parametrize("path", generated_python(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_black_leaves_generated_files_unchanged(path: Path) -> None:
    source = path.read_text()
    assert _black(source) == source


@pytest.mark.parametrize("formatter", ["black", "ruff"])
def test_opt_in_formatter_changes_nothing_and_is_recorded(tmp_path: Path, formatter: str) -> None:
    """The output is already in black's style: the post-pass leaves every file as it is,
    and the manifest records it (so `--check` compares like with like)."""
    result = generate(job(tmp_path, formatter=formatter))
    assert result.formatted == 4  # __init__.py, _runtime.py, models.py, _codec.py
    made, committed = read_tree(tmp_path / "runobject"), read_tree(GENERATED)
    manifest = json.loads(made.pop("_generated.json"))
    committed.pop("_generated.json")
    assert made == committed
    assert manifest["formatter"] == formatter
    assert json.loads((GENERATED / "_generated.json").read_text())["formatter"] == "none"


def test_generated_package_is_mypy_strict_and_ruff_clean() -> None:
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [
            str(bin_dir / "ruff"),
            "check",
            "--isolated",
            "--target-version=py310",
            "--quiet",
            "generated",
            "tests/cases",
        ],
        cwd=ROOT,
        check=True,
    )
    expected = sorted((ROOT / "tests" / "cases").glob("*/expected/*"))
    cases = [os.path.relpath(p, ROOT / "generated") for p in expected]  # every case package
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "runobject", *cases],
        cwd=ROOT / "generated",
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout


def test_generator_is_mypy_strict_and_ruff_clean() -> None:
    bin_dir = Path(sys.executable).parent
    subprocess.run([str(bin_dir / "ruff"), "check", "--quiet", "generator"], cwd=ROOT, check=True)
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "generator"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout


def test_generated_package_needs_only_the_standard_library() -> None:
    code = (
        "import sys; sys.path.insert(0, 'generated'); import runobject, runobject.models; "
        "third = {m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names); "
        "third -= {'runobject', '__main__'}; "
        "print(sorted(third))"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("path", generated_python(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_import_detection_misses_no_name_the_parser_sees(path: Path) -> None:
    """Imports come from a fast scan of the module text; it must never miss a name."""
    import ast

    from generator.targets.python import used_names

    code = path.read_text()
    loaded = {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}
    assert loaded - used_names(code) == set()


def test_a_no_op_run_loads_nothing_and_any_change_of_input_reruns(tmp_path: Path) -> None:
    generate(job(tmp_path))
    assert generate(job(tmp_path)).package is None  # fast path: hashes only
    models = tmp_path / "runobject" / "models.py"
    models.write_text(models.read_text() + "# edited\n")
    result = generate(job(tmp_path))  # a generated file changed on disk: full run
    assert result.package is not None and result.write.written == ["models.py"]
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC_2025.read_text().replace("The identifier,", "The id,"))
    changed = Job(name="t", spec=spec, out=tmp_path, package="runobject")
    result = generate(changed)  # the spec changed: full run
    assert result.package is not None and "models.py" in result.write.written
    formats = Job(name="t", spec=spec, out=tmp_path, package="runobject", formats="python")
    assert generate(formats).package is not None  # an option changed: full run
