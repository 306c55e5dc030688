"""Output: atomic under SIGKILL, and never touches a file it did not generate.

The kill test generates a large synthetic spec (~630 definitions, ~630 files) over a folder
that holds the complete output of an older version, kills the process with SIGKILL at
random moments (and at moments picked inside the write phase: as soon as the staging
folder appears), and checks each time that the folder holds exactly the old tree or
exactly the new tree, with the user's own files untouched; the next run then completes
and leaves no staging sibling behind.

The other tests prove the write rules on hostile folders: symbolic links, hard links,
a user's file where a file is to be generated, an edited stale file, a tampered
manifest, and a failure in the middle of writing.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import write as write_module
from generator.config import Job
from generator.errors import SchemaFirstError
from generator.generate import generate
from generator.write import MANIFEST
from tests.casekit import read_tree

PACKAGE = "pkg"
SIBLINGS = (f"{PACKAGE}.schemafirst-new", f"{PACKAGE}.schemafirst-old")
USER_FILES = {
    "NOTES.md": b"my notes\n",
    "docs/mine.md": b"# mine\n",
    "local/helpers.py": b"X = 1\n",
}


def synthetic_spec(count: int, flavour: str) -> dict[str, Any]:
    """`count` object schemas (each with an inline enum) and a union every ten."""
    schemas: dict[str, Any] = {}
    for i in range(count):
        schemas[f"Thing{i}"] = {
            "type": "object",
            "description": f"Thing number {i} ({flavour}). " + "Lorem ipsum dolor sit amet. " * 3,
            "required": ["id", "kind"],
            "properties": {
                "id": {"type": "string", "description": f"The id of thing {i}."},
                "kind": {"type": "string", "enum": [f"thing{i}", "other", flavour]},
                "count": {"type": "integer", "minimum": 0, "default": i},
                "ratio": {"type": "number", "nullable": True},
                "tags": {"type": "array", "items": {"type": "string"}},
                "next": {"$ref": f"#/components/schemas/Thing{(i + 1) % count}"},  # a ring
                "meta": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
        if i % 10 == 0 and i + 2 < count:
            schemas[f"Either{i}"] = {
                "oneOf": [
                    {"$ref": f"#/components/schemas/Thing{i + 1}"},
                    {"$ref": f"#/components/schemas/Thing{i + 2}"},
                ]
            }
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Kill {flavour}", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def cli(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "schemafirst", "generate", "--spec", str(spec)] + [
        "--out",
        str(out),
        "--package",
        PACKAGE,
        "--formatter",
        "ruff",
        "-q",
    ]


def tree_without_user_files(folder: Path) -> dict[str, bytes]:
    return {k: v for k, v in read_tree(folder).items() if k not in USER_FILES}


def add_user_files(folder: Path) -> None:
    for name, data in USER_FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def assert_user_files(folder: Path) -> None:
    for name, data in USER_FILES.items():
        assert (folder / name).read_bytes() == data, f"user file {name} changed"


@pytest.fixture(scope="module")
def trees(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Specs and reference output trees of the old and the new version."""
    root = tmp_path_factory.mktemp("kill")
    out: dict[str, Any] = {"root": root}
    for version, count in (("old", 260), ("new", 300)):
        spec = root / version / "spec.yaml"  # same file name: manifests differ by hash only
        spec.parent.mkdir()
        spec.write_text(yaml.safe_dump(synthetic_spec(count, version), sort_keys=False))
        ref = root / f"ref-{version}"
        start = time.monotonic()
        subprocess.run(cli(spec, ref), cwd=root, check=True, timeout=120)
        out[f"{version}-seconds"] = time.monotonic() - start
        out[version] = spec
        out[f"{version}-dir"] = ref / PACKAGE
        out[f"{version}-tree"] = read_tree(ref / PACKAGE)
    assert out["old-tree"] != out["new-tree"]
    assert len(out["new-tree"]) > 600
    return out


def test_sigkill_at_any_moment_leaves_old_or_new_output(trees: dict[str, Any]) -> None:
    root: Path = trees["root"]
    work = root / "work"
    old, new = trees["old-tree"], trees["new-tree"]
    # Time a complete run over the old output, as every kill run does.
    seconds = 0.0
    for _ in range(2):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(trees["old-dir"], work / PACKAGE)
        start = time.monotonic()
        subprocess.run(cli(trees["new"], work), cwd=root, check=True, timeout=120)
        seconds = max(seconds, time.monotonic() - start)
        assert read_tree(work / PACKAGE) == new
    rng = random.Random(int(os.environ.get("SCHEMAFIRST_KILL_SEED", "0")) or None)
    runs = 10
    seen: dict[str, int] = {"old": 0, "new": 0}
    modes = {"anywhere": 0, "assembling": 0, "swapped": 0}
    repaired: set[str] = set()  # states whose leftovers a complete run has cleaned up
    for i in range(runs):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(trees["old-dir"], work / PACKAGE)
        add_user_files(work / PACKAGE)
        folder, stage = work / PACKAGE, work / SIBLINGS[0]
        inode = folder.stat().st_ino
        deadline = time.monotonic() + 3 * seconds + 10
        proc = subprocess.Popen(cli(trees["new"], work), cwd=root)
        mode = ("anywhere", "assembling", "swapped")[i % 3]
        if mode == "anywhere":  # spread over the whole run, and a little past its end
            time.sleep(seconds * 1.2 * (i / runs + rng.uniform(0, 3 / runs)))
        elif mode == "assembling":  # the staging folder exists: 0-300 ms into the write
            while not stage.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.0005)
            modes[mode] += stage.exists()
            time.sleep(rng.uniform(0, 0.3))
        else:  # the exchange just happened: the old output is being removed
            while proc.poll() is None and time.monotonic() < deadline:
                try:
                    if folder.stat().st_ino != inode:
                        break
                except FileNotFoundError:  # the two-rename fallback's short window
                    break
                time.sleep(0.0002)
            modes[mode] += proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        tree = tree_without_user_files(folder)
        state = "old" if tree == old else "new" if tree == new else None
        assert state is not None, (
            f"run {i} ({mode}): after SIGKILL the folder is neither the old nor the new"
            f" output ({len(tree)} files; old has {len(old)}, new has {len(new)})"
        )
        seen[state] += 1
        assert_user_files(folder)
        leftovers = [s for s in SIBLINGS if (work / s).exists()]
        if (leftovers and state not in repaired) or i == runs - 1:
            repaired.add(state)
            # The next run repairs and completes, and leaves nothing behind (also when it
            # has nothing to write: see test_a_no_op_run_cleans_up_after_a_kill).
            subprocess.run(cli(trees["new"], work), cwd=root, check=True, timeout=120)
            assert tree_without_user_files(folder) == new
            assert_user_files(folder)
            assert sorted(p.name for p in work.iterdir()) == [PACKAGE]
    assert seen["old"] and seen["new"], seen
    assert modes["assembling"] and modes["swapped"], f"no kill landed in the write phase: {modes}"


def test_a_no_op_run_cleans_up_after_a_kill(tmp_path: Path) -> None:
    """The state a SIGKILL right after the exchange leaves: the new output in place and
    the old one in the staging sibling, half removed. The next run must remove it."""
    job = small_job(tmp_path)
    generate(job)
    leftover = job.out / SIBLINGS[0]
    shutil.copytree(job.folder, leftover)
    (leftover / "models.py").unlink()  # rmtree was under way
    generate(job)
    assert sorted(p.name for p in job.out.iterdir()) == [PACKAGE]


def test_a_failure_while_writing_leaves_the_old_output(
    trees: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error half-way through assembling the new output (a full disk, say)."""
    shutil.copytree(trees["old-dir"], tmp_path / PACKAGE)
    add_user_files(tmp_path / PACKAGE)
    calls = {"n": 0}
    real_write = write_module._write_new

    def failing_write(path: Path, data: bytes, flush: bool = False) -> None:
        calls["n"] += 1
        if calls["n"] == 200:
            raise OSError(28, "No space left on device")
        real_write(path, data, flush)

    monkeypatch.setattr(write_module, "_write_new", failing_write)
    job = Job(name="k", spec=trees["new"], out=tmp_path, package=PACKAGE, formatter="ruff")
    with pytest.raises(SchemaFirstError, match="No space left on device"):
        generate(job)
    assert calls["n"] == 200
    assert tree_without_user_files(tmp_path / PACKAGE) == trees["old-tree"]
    assert_user_files(tmp_path / PACKAGE)
    assert sorted(p.name for p in tmp_path.iterdir()) == [PACKAGE]


def test_the_new_output_is_on_disk_before_the_swap(
    trees: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Durability: the staged files are flushed (one syncfs on Linux) before the swap
    publishes them; a flush that fails (an I/O error) leaves the old output in place."""
    shutil.copytree(trees["old-dir"], tmp_path / PACKAGE)
    add_user_files(tmp_path / PACKAGE)
    events: list[str] = []
    real_swap = write_module._swap

    def failing_syncfs(path: Path) -> None:
        events.append("sync")
        assert path.name == SIBLINGS[0]  # the staging folder, complete
        assert len(list(path.rglob("*.md"))) > 300
        raise OSError(5, "Input/output error")

    def swap(stage: Path, folder: Path) -> None:
        events.append("swap")
        real_swap(stage, folder)

    monkeypatch.setattr(write_module, "_syncfs", failing_syncfs)
    monkeypatch.setattr(write_module, "_swap", swap)
    job = Job(name="k", spec=trees["new"], out=tmp_path, package=PACKAGE)
    with pytest.raises(SchemaFirstError, match="Input/output error"):
        generate(job)
    assert events == ["sync"]
    assert tree_without_user_files(tmp_path / PACKAGE) == trees["old-tree"]
    assert_user_files(tmp_path / PACKAGE)
    assert sorted(p.name for p in tmp_path.iterdir()) == [PACKAGE]


def test_without_syncfs_every_new_file_is_flushed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where syncfs is missing (not Linux), each written file (and, on POSIX, each of
    its folders) is fsynced on its own before the swap."""
    job = small_job(tmp_path)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(write_module, "_can_syncfs", lambda: False)
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    generate(job)
    written = [p for p in job.folder.rglob("*") if p.is_file()]
    folders = {p.parent for p in written} if os.name == "posix" else set()
    assert len(synced) == len(written) + len(folders)


def test_a_refused_spec_leaves_the_old_output(trees: dict[str, Any], tmp_path: Path) -> None:
    shutil.copytree(trees["old-dir"], tmp_path / PACKAGE)
    bad = tmp_path / "bad.yaml"
    bad.write_text("openapi: 3.0.3\ncomponents: {schemas: {A: {$ref: '#/nowhere'}}}\n")
    job = Job(name="k", spec=bad, out=tmp_path, package=PACKAGE, formatter="ruff")
    with pytest.raises(SchemaFirstError):
        generate(job)
    assert read_tree(tmp_path / PACKAGE) == trees["old-tree"]


# --- never touch what it did not generate ----------------------------------------------

SMALL = """openapi: 3.0.3
info: {title: small, version: "1"}
paths: {}
components:
  schemas:
    A: {type: object, properties: {x: {type: string}}}
"""


def small_job(tmp_path: Path, extra: str = "") -> Job:
    spec = tmp_path / "spec.yaml"
    spec.write_text(SMALL + extra)
    return Job(name="s", spec=spec, out=tmp_path / "out", package=PACKAGE, formatter="ruff")


def test_user_files_survive_and_keep_their_inode(tmp_path: Path) -> None:
    job = small_job(tmp_path)
    generate(job)
    add_user_files(job.folder)
    inodes = {n: (job.folder / n).stat().st_ino for n in USER_FILES}
    generate(small_job(tmp_path, "    B: {type: integer}\n"))
    generate(small_job(tmp_path))
    assert_user_files(job.folder)
    assert {n: (job.folder / n).stat().st_ino for n in USER_FILES} == inodes


def test_a_symlink_in_the_output_is_never_written_through(tmp_path: Path) -> None:
    """`docs` replaced by a link to a folder outside: refused, nothing written there."""
    job = small_job(tmp_path)
    generate(job)
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(job.folder / "docs")
    (job.folder / "docs").symlink_to(outside, target_is_directory=True)
    with pytest.raises(SchemaFirstError, match="'docs' is a symbolic link"):
        generate(small_job(tmp_path, "    B: {type: integer}\n"))
    assert list(outside.iterdir()) == []
    assert (job.folder / "docs").is_symlink()


def test_a_symlinked_generated_file_is_never_written_through(tmp_path: Path) -> None:
    job = small_job(tmp_path)
    generate(job)
    target = tmp_path / "precious.txt"
    target.write_text("precious\n")
    (job.folder / "models.py").unlink()
    (job.folder / "models.py").symlink_to(target)
    with pytest.raises(SchemaFirstError, match="'models.py' is a symbolic link"):
        generate(small_job(tmp_path, "    B: {type: integer}\n"))
    assert target.read_text() == "precious\n"


def test_a_users_file_where_a_file_is_to_be_generated(tmp_path: Path) -> None:
    """The user wrote docs/B.md (hard-linked elsewhere too); schema B then appears:
    an error naming it, and neither the file nor its other link changes."""
    job = small_job(tmp_path)
    generate(job)
    mine = job.folder / "docs" / "B.md"
    mine.write_text("my B\n")
    other_link = tmp_path / "B-elsewhere.md"
    os.link(mine, other_link)
    with pytest.raises(SchemaFirstError, match=r"'docs/B.md' would be overwritten"):
        generate(small_job(tmp_path, "    B: {type: integer}\n"))
    assert mine.read_text() == "my B\n" and other_link.read_text() == "my B\n"


def test_stale_generated_files_are_removed_only_while_unedited(tmp_path: Path) -> None:
    job = small_job(tmp_path, "    B: {type: integer}\n    C: {type: integer}\n")
    generate(job)
    edited = job.folder / "docs" / "C.md"
    edited.write_text(edited.read_text() + "\nmy note\n")
    result = generate(small_job(tmp_path))
    assert result.write.removed == ["docs/B.md"]
    assert not (job.folder / "docs" / "B.md").exists()
    assert edited.read_text().endswith("my note\n"), "an edited file is the user's now"


def test_a_tampered_manifest_cannot_delete_or_escape(tmp_path: Path) -> None:
    """A manifest claiming a user's file, paths outside the folder and absolute paths:
    none of them is deleted or written."""
    job = small_job(tmp_path)
    generate(job)
    add_user_files(job.folder)
    outside = tmp_path / "outside.txt"
    outside.write_text("outside\n")
    manifest = json.loads((job.folder / MANIFEST).read_text())
    digest = hashlib.sha256(b"something else\n").hexdigest()
    for name in ("NOTES.md", "../outside.txt", str(outside), "docs/../../outside.txt"):
        manifest["files"][name] = {"sha256": digest, "source_sha256": ""}
    (job.folder / MANIFEST).write_text(json.dumps(manifest))
    generate(small_job(tmp_path, "    B: {type: integer}\n"))
    assert outside.read_text() == "outside\n"
    assert_user_files(job.folder)


def test_a_damaged_manifest_is_no_manifest(tmp_path: Path) -> None:
    """Unreadable, not JSON, or nested beyond the recursion limit: the folder is then
    treated as not ours, and nothing in it is overwritten."""
    job = small_job(tmp_path)
    generate(job)
    for text in ("{", "[]", '{"files": "x"}', "[" * 100_000 + "]" * 100_000):
        (job.folder / MANIFEST).write_text(text)
        with pytest.raises(SchemaFirstError, match="holds files schemafirst did not generate"):
            generate(small_job(tmp_path, "    B: {type: integer}\n"))


def test_output_path_that_is_a_file(tmp_path: Path) -> None:
    job = small_job(tmp_path)
    job.out.mkdir()
    job.folder.write_text("not a folder\n")
    with pytest.raises(SchemaFirstError, match="exists and is not a folder"):
        generate(job)
    assert job.folder.read_text() == "not a folder\n"
