"""Installing the tool as the README's Install section says: a wheel, a git URL, pipx.

The pip installs take the tool's own dependencies (jinja2, pyyaml) from the
development environment through a `.pth` file (`--no-deps`); pipx, which has no such
switch, installs them from the package index, as building a wheel installs setuptools.
Every check runs in a folder outside the repository that holds a `generator.py`, so the
installed package, not the repository's folder, is what runs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from generator import __version__
from tests.casekit import read_tree
from tests.conftest import GENERATED, ROOT, SPEC_2025
from tests.lockfile import constraints_env
from tests.readme import commands
from tests.snapshot import git, snapshot

URL = "https://github.com/your-org/schemafirst"
DEV_SITE = [p for p in sys.path if p.endswith("site-packages")][0]


def _sh(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, f"{args}:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot(tmp_path_factory.mktemp("clone") / "schemafirst")


def _install_commands() -> dict[str, str]:
    """The README's install commands by kind: git, wheel (build), install, pipx."""
    found: dict[str, str] = {}
    for line in commands("Install"):
        kind = (
            "git"
            if "git+" in line
            else "build"
            if " wheel " in line
            else "pipx"
            if line.startswith("pipx ")
            else "install"
        )
        assert kind not in found, f"two {kind} commands in the Install section"
        found[kind] = line
    assert set(found) == {"git", "build", "install", "pipx"}, found
    return found


def _venv(where: Path) -> Path:
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
    python = where / "bin" / "python"
    _with_dev_deps(python)
    return python


def _with_dev_deps(python: Path) -> None:
    site = _sh(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], ROOT
    )
    (Path(site.strip()) / "dev-deps.pth").write_text(DEV_SITE + "\n")


def _env(bin_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return env | {"PATH": f"{bin_dir}:/usr/bin:/bin"}


def _run_readme(line: str, python: Path, cwd: Path, **subst: str) -> None:
    """Run one README command with `python` for `python`, offline for dependencies."""
    for old, new in subst.items():
        line = line.replace(old, new)
    args = [str(python) if a == "python" else a for a in shlex.split(line)]
    if args[1:4] == ["-m", "pip", "install"]:
        args.insert(4, "--no-deps")
    _sh(args, cwd)


@pytest.fixture(scope="module")
def wheel(clone: Path) -> Path:
    _run_readme(_install_commands()["build"], Path(sys.executable), clone)
    found = sorted((clone / "dist").glob("schemafirst-*.whl"))
    assert [w.name for w in found] == [f"schemafirst-{__version__}-py3-none-any.whl"]
    return found[0]


def test_the_wheel_holds_the_package_as_schemafirst_with_templates_and_diff_schema(
    wheel: Path,
) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.startswith("schemafirst-")}
    assert tops == {"schemafirst"}, "the only top-level import package is schemafirst"
    sources = {
        "schemafirst/" + p.relative_to(ROOT / "generator").as_posix()
        for p in (ROOT / "generator").rglob("*.py")
        if "__pycache__" not in p.parts and "templates" not in p.parts
    }
    assert sources <= names, f"modules missing from the wheel: {sorted(sources - names)}"
    templates = {
        "schemafirst/templates/" + p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*.jinja")
    }
    assert templates and templates <= names
    with zipfile.ZipFile(wheel) as zf:
        shipped = zf.read("schemafirst/schemas/diff.schema.json")
    assert shipped == (ROOT / "schemas" / "diff.schema.json").read_bytes()
    entry = zipfile.ZipFile(wheel).read(f"schemafirst-{__version__}.dist-info/entry_points.txt")
    assert b"schemafirst = schemafirst.cli:main" in entry


def _generates_outside_the_repo(bin_dir: Path, tmp_path: Path, python: Path | None) -> None:
    """The installed command and `python -m schemafirst` generate what the repo does."""
    env = _env(bin_dir)
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "generator.py").write_text("raise SystemExit('a user module named generator')\n")
    shutil.copy(SPEC_2025, work / "runobject.yaml")
    args = ["generate", "--spec", "runobject.yaml", "--out", "out", "--package", "runobject"]
    _sh([str(bin_dir / "schemafirst"), *args], work, env)  # no formatter installed or run
    assert read_tree(work / "out" / "runobject") == read_tree(GENERATED)
    if python is None:
        return
    version = _sh([str(python), "-m", "schemafirst", "--version"], work, env)
    assert version.strip() == f"schemafirst {__version__}"
    located = _sh(
        [str(python), "-c", "import schemafirst.render as r; print(r.builtin_templates())"],
        work,
        env,
    )
    assert located.startswith(str(python.parent.parent)), "templates from the installed package"


def test_readme_wheel_install_gives_the_command_and_python_m_schemafirst(
    wheel: Path, clone: Path, tmp_path: Path
) -> None:
    python = _venv(tmp_path / "venv")
    _run_readme(_install_commands()["install"], python, clone)
    _generates_outside_the_repo(python.parent, tmp_path, python)


def test_readme_git_url_install_at_a_commit(clone: Path, tmp_path: Path) -> None:
    python = _venv(tmp_path / "venv")
    commit = git("rev-parse", "HEAD", cwd=clone).strip()
    _run_readme(
        _install_commands()["git"],
        python,
        tmp_path,
        **{URL: f"file://localhost{clone}", "COMMIT": commit},
    )
    _generates_outside_the_repo(python.parent, tmp_path, python)


def test_readme_pipx_install(wheel: Path, clone: Path, tmp_path: Path) -> None:
    line = _install_commands()["pipx"]
    home, bin_dir = tmp_path / "pipx", tmp_path / "bin"
    env = (
        _env(Path(sys.executable).parent)
        | {
            "PIPX_HOME": str(home),
            "PIPX_BIN_DIR": str(bin_dir),
            "PIPX_MAN_DIR": str(tmp_path / "man"),
            "PIPX_DEFAULT_PYTHON": sys.executable,
        }
        | constraints_env(tmp_path)
    )
    args = shlex.split(line)
    proc = subprocess.run(
        [sys.executable, "-m", "pipx", *args[1:]],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _generates_outside_the_repo(bin_dir, tmp_path, None)
