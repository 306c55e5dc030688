"""Where a spec comes from: a file on disk, or `REV:PATH` read from git.

`HEAD~1:spec/runobject.yaml` is read with `git show` (PATH is relative to the top of the
repository, or to the current folder when written `REV:./PATH`, as git reads it). An
argument is a file when it exists on disk, looks like a Windows path (`C:\\specs\\a.yaml`)
or has no `:`; so a file whose name contains `:` is still read as a file.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import SchemaFirstError
from ..spec.bundle import bundle
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
    return load_bytes(git_show(source, cwd), text)


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
