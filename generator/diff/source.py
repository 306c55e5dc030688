"""Where a spec comes from: a file on disk, or `REV:PATH` read from git.

`HEAD~1:spec/runobject.yaml` is read with `git show` (PATH is relative to the top of the
repository, or to the current folder when written `REV:./PATH`, as git reads it). An
argument is a file when it exists on disk, looks like a Windows path (`C:\\specs\\a.yaml`)
or has no `:`; so a file whose name contains `:` is still read as a file.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import SchemaFirstError
from ..spec.bundle import Disk, bundle
from ..spec.load import Document, load_bytes, load_file

GIT_TIMEOUT = 120  # seconds
_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class SpecSource:
    text: str  # the argument as given
    rev: str | None  # None for a file
    path: str


def parse_source(text: str) -> SpecSource:
    if ":" not in text or _DRIVE.match(text) or Path(text).exists():
        return SpecSource(text, None, text)
    rev, _, path = text.partition(":")
    return SpecSource(text, rev, path)


def read_spec(text: str, cwd: Path | None = None) -> Document:
    """Load the spec named by a command-line argument."""
    source = parse_source(text)
    if source.rev is None:
        return bundle(load_file(source.path), Path(source.path))  # multi-file: bundled
    doc = load_bytes(git_show(source, cwd), text)
    git = _GitFiles(source, cwd)
    return bundle(doc, git.path_of(source.path), display=git.display, files=git)


class _GitFiles(Disk):
    """The files of a revision, for the file `$ref`s of a spec read from git: paths are
    normalised without the file system, and read with `git show REV:PATH`."""

    def __init__(self, source: SpecSource, cwd: Path | None) -> None:
        self.source = source
        self.cwd = (cwd or Path.cwd()).resolve()
        self._top: Path | None = None

    @property
    def top(self) -> Path:
        if self._top is None:
            done = subprocess.run(
                ["git", "rev-parse", "--show-toplevel"],
                cwd=self.cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise SchemaFirstError(
                    "cannot find the top of the git repository", self.source.text
                )
            self._top = Path(done.stdout.strip()).resolve()
        return self._top

    def path_of(self, path: str) -> Path:
        """Where `PATH` of `REV:PATH` is: relative to the top, or to here when `./...`."""
        base = self.cwd if path.startswith(("./", "../")) else self.top
        return self.resolve(base / path)

    def resolve(self, path: Path) -> Path:
        return Path(os.path.normpath(path))

    def read(self, path: Path) -> bytes:
        try:
            relative = path.relative_to(self.top).as_posix()
        except ValueError:
            raise FileNotFoundError(path) from None
        rev = self.source.rev or ""
        try:
            return git_show(SpecSource(f"{rev}:{relative}", rev, relative), self.top)
        except SchemaFirstError:
            raise FileNotFoundError(path) from None

    def display(self, path: Path) -> str:
        try:
            return f"{self.source.rev}:{path.relative_to(self.top).as_posix()}"
        except ValueError:
            return str(path)


def git_show(source: SpecSource, cwd: Path | None = None) -> bytes:
    rev = source.rev or ""
    if rev.startswith("-"):  # would be read by git as an option
        raise SchemaFirstError(f"invalid revision {rev!r}: expected REV:PATH", source.text)
    if not source.path:
        raise SchemaFirstError(
            "no path after ':': expected REV:PATH, e.g. HEAD~1:spec/api.yaml", source.text
        )
    command = ["git", "show", "--no-textconv", f"{rev}:{source.path}"]
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except FileNotFoundError:
        raise SchemaFirstError(
            "cannot read REV:PATH: git is not installed or not on PATH", source.text
        ) from None
    except subprocess.TimeoutExpired:
        raise SchemaFirstError(f"git show timed out after {GIT_TIMEOUT}s", source.text) from None
    if done.returncode != 0:
        raise SchemaFirstError(f"cannot read from git: {_first_line(done.stderr)}", source.text)
    return done.stdout


def _first_line(stderr: bytes) -> str:
    lines = [
        line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()
    ]
    message = lines[0] if lines else "git show failed"
    return message.removeprefix("fatal: ")
