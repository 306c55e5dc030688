"""The README's CI workflow and pre-commit configuration, run as written.

The workflow's shell steps run in a snapshot of the repository (GitHub's expressions
replaced by their values; installing and commenting left out: the tool is installed and
there is no pull request), and its `paths` filter is checked against every file the
generated code depends on. The pre-commit configuration runs with pre-commit itself,
which installs schemafirst from a commit of a snapshot repository into its own
environment (dependencies from the package index).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import GENERATED, ROOT, SPEC_2025
from tests.lockfile import constraints_env
from tests.readme import code_blocks
from tests.snapshot import git, snapshot

URL = "https://github.com/your-org/schemafirst"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot(tmp_path_factory.mktemp("repo") / "schemafirst")


def _workflow() -> dict[str, Any]:
    [block] = [b for b in code_blocks("In CI: comment on the pull request", "yaml")]
    data = yaml.safe_load(block)
    assert isinstance(data, dict)
    return data


def _glob(pattern: str) -> re.Pattern[str]:
    """GitHub's path filter: `**` crosses folders, `*` does not."""
    parts = re.split(r"(\*\*|\*)", pattern)
    regex = "".join(".*" if p == "**" else "[^/]*" if p == "*" else re.escape(p) for p in parts)
    return re.compile(regex + r"\Z")


def test_the_workflow_runs_for_every_file_the_generated_code_depends_on() -> None:
    on = _workflow()[True]  # YAML 1.1 reads the key `on` as true
    patterns = [_glob(p) for p in on["pull_request"]["paths"]]
    tracked = git("ls-files", cwd=ROOT).splitlines()
    inputs = [
        SPEC_2025.relative_to(ROOT).as_posix(),
        "pyproject.toml",
        ".github/workflows/spec-diff.yml",
        *(n for n in tracked if n.startswith("templates/")),
        *(n for n in tracked if n.startswith(GENERATED.relative_to(ROOT).as_posix() + "/")),
    ]
    assert len(inputs) > 50
    missed = [n for n in inputs if not any(p.match(n) for p in patterns)]
    assert not missed, f"a change to these would not run --check: {missed}"
    assert not any(p.match("README.md") or p.match("tests/test_cli.py") for p in patterns)


def _run_steps(repo: Path, tmp_path: Path) -> dict[str, int]:
    """Run the workflow's shell steps as GitHub would; the exit status of each by name."""
    steps = _workflow()["jobs"]["diff"]["steps"]
    output, summary = tmp_path / "output", tmp_path / "summary"
    output.write_text("")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {
        "PATH": f"{BIN}:/usr/bin:/bin",
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    base = git("rev-parse", "HEAD", cwd=repo).strip()
    results: dict[str, int] = {}
    for step in steps:
        script = step.get("run")
        if script is None or "pip install" in script or "gh pr comment" in script:
            continue
        outputs = dict(line.split("=", 1) for line in output.read_text().splitlines())
        condition = step.get("if")
        if condition is not None:
            found = re.fullmatch(r"steps\.diff\.outputs\.code != '(\d)'", condition)
            assert found, f"an `if:` this test does not know: {condition}"
            if outputs.get("code") == found.group(1):
                continue
        script = script.replace("${{ github.event.pull_request.base.sha }}", base)
        script = script.replace("${{ steps.diff.outputs.code }}", outputs.get("code", ""))
        assert "${{" not in script, script
        proc = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=env)
        results[step.get("name", script)] = proc.returncode
    return results


def test_the_workflow_steps_pass_on_an_up_to_date_repository(repo: Path, tmp_path: Path) -> None:
    results = _run_steps(repo, tmp_path)
    assert results == {
        "Generated code is up to date": 0,
        "Diff the spec against the base branch": 0,
    }
    report = (repo / "spec-diff.md").read_text()
    assert report.endswith("**No changes.**\n") and (tmp_path / "summary").read_text() == report


def test_the_workflow_fails_on_a_stale_package_and_a_breaking_spec_change(
    repo: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    git("clone", "-q", str(repo), str(work), cwd=tmp_path)
    spec = work / SPEC_2025.relative_to(ROOT)
    text = spec.read_text()
    assert text.count("      - instructions\n") == 1
    spec.write_text(text.replace("      - instructions\n", "", 1))  # no longer required
    results = _run_steps(work, tmp_path)
    assert results == {
        "Generated code is up to date": 1,
        "Diff the spec against the base branch": 0,
        "Fail on breaking changes (or on an error)": 1,
    }
    report = (work / "spec-diff.md").read_text()
    assert "instructions" in report and report == (tmp_path / "summary").read_text()


def _project(where: Path) -> Path:
    """A user's project: a spec, its configuration and the generated package, committed."""
    project = where / "project"
    (project / "spec").mkdir(parents=True)
    shutil.copy(SPEC_2025, project / "spec" / "runobject.yaml")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(GENERATED, project / "generated" / "runobject")
    return project


def test_the_pre_commit_example_runs_the_check_hook(repo: Path, tmp_path: Path) -> None:
    [block] = code_blocks("In CI and in pre-commit", "yaml")
    commit = git("rev-parse", "HEAD", cwd=repo).strip()
    assert block.count(URL) == 1 and block.count("rev: COMMIT ") == 1
    config = block.replace(URL, str(repo)).replace("rev: COMMIT ", f"rev: {commit} ")
    project = _project(tmp_path)
    (project / ".pre-commit-config.yaml").write_text(config)
    git("init", "-q", cwd=project)
    git("add", "-A", cwd=project)
    git("commit", "-q", "-m", "project", cwd=project)
    env = (
        {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        | {
            "PRE_COMMIT_HOME": str(tmp_path / "cache"),
            "PATH": f"{BIN}:/usr/bin:/bin",
        }
        | constraints_env(tmp_path)
    )
    run = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    proc = subprocess.run(run, cwd=project, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"schemafirst generated code is up to date\.+Passed", proc.stdout)
    spec = project / "spec" / "runobject.yaml"
    spec.write_text(spec.read_text().replace("Represents an execution run", "An execution run"))
    proc = subprocess.run(run, cwd=project, capture_output=True, text=True, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Failed" in proc.stdout and "generated/runobject: stale: " in proc.stdout
