"""Multi-file specs: relative file `$ref`s, bundled (generator/spec/bundle.py).

The committed cases (tests/cases/files_*) hold the exact output, warnings and errors;
this file checks what a case folder cannot: confinement through symlinks and
`--ref-root`, each file read once, staleness when any file changes, `extract` and
`diff` on multi-file specs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.generate import load_package, load_spec
from generator.spec.bundle import is_file_ref
from tests.conftest import ROOT

MULTI = ROOT / "tests" / "cases" / "files_multi"


def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(list(argv))
    return code, capsys.readouterr().err


def copy_case(tmp_path: Path) -> Path:
    folder = tmp_path / "api"
    shutil.copytree(MULTI, folder, ignore=shutil.ignore_patterns("expected"))
    return folder / "spec.yaml"


def test_names_come_from_components_stems_and_fragments() -> None:
    package = load_package(MULTI / "spec.yaml")
    assert sorted(d.name for d in package.definitions) == [
        "Address",  # common.json#/definitions/Address: the fragment's last segment
        "Country",  # reached through a `#/definitions/...` ref inside common.json
        "Customer",  # components/schemas/Customer: {$ref: ./schemas/User.yml}
        "Edge",  # Edge.yml: the file's stem
        "Item",  # models/a/Item.yml, first referenced
        "Item2",  # models/b/Item.yml: same stem, renamed with a warning
        "Money",
        "Node",
        "Order",
    ]
    order = package.by_name()["Order"]
    assert order.source.file.endswith("tests/cases/files_multi/models/order.yaml")
    assert (order.source.line, order.source.column) == (1, 1)
    [warning] = package.diagnostics
    assert "'Item2'" in warning.message and warning.source.line == 14


def test_each_file_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    real = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.name)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    doc = load_spec(MULTI / "spec.yaml")
    # User.yml and common.json are each referenced from two files.
    assert sorted(reads) == sorted(
        ["spec.yaml", "User.yml", "order.yaml", "common.json", "Node.yml", "Edge.yml"]
        + ["Item.yml", "Item.yml"]
    )
    assert len(doc.files) == 8


def test_a_symlink_out_of_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "secret.yml").write_text("type: string\n")
    folder = tmp_path / "api"
    folder.mkdir()
    (folder / "link.yml").symlink_to(tmp_path / "secret.yml")
    (folder / "spec.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
        "components:\n  schemas:\n    A:\n      $ref: ./link.yml\n"
    )
    code, err = run(
        "generate", "--spec", str(folder / "spec.yaml"), "--out", str(tmp_path / "out"),
        capsys=capsys,
    )  # fmt: skip
    assert code == 2
    assert ":7:7: error: file reference './link.yml' is a symlink to " in err
    assert "ref_root" in err and "--ref-root" in err
    # Allowed once the folder it points into is the root.
    code, err = run(
        "generate", "--spec", str(folder / "spec.yaml"), "--out", str(tmp_path / "out"),
        "--ref-root", str(tmp_path), capsys=capsys,
    )  # fmt: skip
    assert code == 0, err


def test_ref_root_allows_an_escaping_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    spec = "tests/cases/files_escape/spec.yaml"
    out = str(tmp_path / "out")
    code, err = run("generate", "--spec", spec, "--out", out, capsys=capsys)
    assert code == 2 and "is outside tests/cases/files_escape/" in err
    code, err = run(
        "generate", "--spec", spec, "--out", out, "--ref-root", "tests/cases", capsys=capsys
    )
    assert code == 0, err
    [models_py] = (tmp_path / "out").glob("*/models.py")
    models = models_py.read_text()
    assert "buyer: User | Unset = UNSET" in models


def test_a_reference_cycle_through_non_schemas_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: ./a.yml\n"
    )
    (tmp_path / "a.yml").write_text("get:\n  $ref: ./a.yml\n")
    code, err = run(
        "generate", "--spec", str(tmp_path / "spec.yaml"), "--out", str(tmp_path / "o"),
        capsys=capsys,
    )  # fmt: skip
    assert code == 2
    assert err.endswith("a.yml:2:3: error: reference cycle through './a.yml' (not a schema)\n")


def test_editing_any_file_makes_the_output_stale(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy_case(tmp_path)
    out = str(tmp_path / "out")
    args = ["generate", "--spec", str(spec), "--out", out, "--package", "multi"]
    assert run(*args, capsys=capsys)[0] == 0
    assert run(*args, "--check", capsys=capsys)[0] == 0
    code, err = run(*args, "-v", capsys=capsys)
    assert code == 0 and "0 written" in err  # a no-op run
    item = spec.parent / "models" / "b" / "Item.yml"
    item.write_text(item.read_text() + "  weight: {type: number}\n")
    capsys.readouterr()
    code = main([*args, "--check"])
    captured = capsys.readouterr()
    assert code == 1
    assert "+    weight: float | Unset = UNSET" in captured.out + captured.err
    code, err = run(*args, capsys=capsys)
    assert code == 0 and "0 written" not in err
    assert "weight: float" in (tmp_path / "out" / "multi" / "models.py").read_text()


def test_extract_bundles_a_multi_file_spec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundled = tmp_path / "bundled.yaml"
    code, err = run("extract", str(MULTI / "spec.yaml"), "-o", str(bundled), capsys=capsys)
    assert code == 0, err
    data = yaml.safe_load(bundled.read_text())
    refs: list[str] = []
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    assert refs and not any(is_file_ref(r) for r in refs)
    # The bundle generates the same code as the files it came from (headers aside).
    for spec, out in ((bundled, "one"), (MULTI / "spec.yaml", "many")):
        code, err = run(
            "generate", "--spec", str(spec), "--out", str(tmp_path / out), "--package", "p",
            capsys=capsys,
        )  # fmt: skip
        assert code == 0, err
    one, many = (
        [line for line in (tmp_path / out / "p" / "models.py").read_text().splitlines()
         if not line.startswith("#")]
        for out in ("one", "many")
    )  # fmt: skip
    assert one == many


def test_diff_compares_multi_file_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = copy_case(tmp_path)
    old = tmp_path / "old"
    shutil.copytree(spec.parent, old)
    money = spec.parent / "shared" / "common.json"
    money.write_text(money.read_text().replace('"minLength": 3, "maxLength": 3', '"maxLength": 4'))
    capsys.readouterr()
    code = main(["diff", str(old / "spec.yaml"), str(spec), "--fail-on", "any"])
    text = capsys.readouterr().out
    assert code == 1
    assert "Money" in text and "currency" in text and "maxLength" in text


def test_diff_reads_the_referenced_files_from_the_same_git_revision(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy_case(tmp_path)
    repo = spec.parent
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "-A"], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True)
    money = repo / "shared" / "common.json"
    money.write_text(money.read_text().replace('"maxLength": 3', '"maxLength": 5'))
    monkeypatch.chdir(repo)
    capsys.readouterr()
    assert main(["diff", "HEAD:spec.yaml", "spec.yaml", "--fail-on", "any"]) == 1
    text = capsys.readouterr().out
    assert "Money (model, changed)" in text and "maxLength loosened: 3 -> 5" in text
    # A referenced file the revision does not have: an error naming it in that revision.
    (repo / "models" / "order.yaml").write_text("$ref: ./new.yaml\n")
    (repo / "models" / "new.yaml").write_text("type: object\n")
    subprocess.run([*git, "commit", "-qam", "two"], cwd=repo, check=True)
    code, err = run("diff", "HEAD:spec.yaml", "spec.yaml", capsys=capsys)
    assert code == 2
    assert err.endswith(
        "HEAD:models/order.yaml:1:1: error: file reference './new.yaml': no such file"
        " HEAD:models/new.yaml\n"
    )
