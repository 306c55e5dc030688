"""Write a generated package folder atomically, touching only what is ours.

The new folder is assembled beside the old one: unchanged files and every file the
tool did not generate are hard-linked in (so they keep their inode and mtime), changed
files are written. The two folders are then swapped with one `renameat2(EXCHANGE)`,
so a reader (or a killed run) sees the complete old or the complete new output, never
a mix. Where the exchange is not available the swap is two renames, and the next run
repairs the short window if it was interrupted there.

The manifest `_generated.json` lists the files a run generated, with their hashes; it
is how the next run knows which files are its own.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import hashlib
import json
import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import SchemaFirstError

MANIFEST = "_generated.json"
_STAGE_SUFFIX = ".schemafirst-new"
_OLD_SUFFIX = ".schemafirst-old"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Manifest:
    generator_version: str
    spec: str
    spec_sha256: str
    templates_sha256: str
    files: dict[str, dict[str, str]] = field(default_factory=dict)  # path -> hashes
    # A hash of everything the output depends on (spec, generator code, templates,
    # options): when it and every file on disk match, a run has nothing to do.
    inputs_sha256: str = ""
    definitions: int = 0
    # A multi-file spec: every file read (relative to the spec's folder) -> sha256.
    spec_files: dict[str, str] = field(default_factory=dict)
    formatter: str = "none"  # an opt-in post-pass (black or ruff) the files went through

    def to_json(self) -> str:
        data = {
            "generator": "schemafirst",
            "generator_version": self.generator_version,
            "spec": self.spec,
            "spec_sha256": self.spec_sha256,
            "templates_sha256": self.templates_sha256,
            "inputs_sha256": self.inputs_sha256,
            "definitions": self.definitions,
            "formatter": self.formatter,
            "files": {k: self.files[k] for k in sorted(self.files)},
        }
        if self.spec_files:
            data["spec_files"] = dict(sorted(self.spec_files.items()))
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            files = data["files"]
            if not isinstance(files, dict):
                return None
            return cls(
                str(data["generator_version"]),
                str(data["spec"]),
                str(data["spec_sha256"]),
                str(data["templates_sha256"]),
                {str(k): dict(v) for k, v in files.items() if _safe_relative(str(k))},
                str(data.get("inputs_sha256", "")),
                int(data.get("definitions", 0)),
                {str(k): str(v) for k, v in dict(data.get("spec_files") or {}).items()},
                str(data.get("formatter", "none")),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            return None


@dataclass
class WriteResult:
    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _safe_relative(name: str) -> bool:
    """A manifest or output path must stay inside the output folder."""
    p = PurePosixPath(name)
    return (
        bool(name)
        and not p.is_absolute()
        and ".." not in p.parts
        and "\\" not in name
        and "\x00" not in name
    )


def check_paths(files: dict[str, str]) -> None:
    lowered: dict[str, str] = {}
    for name in files:
        if not _safe_relative(name):
            raise SchemaFirstError(f"refusing to write outside the output folder: {name!r}")
        other = lowered.setdefault(name.lower(), name)
        if other != name:
            raise SchemaFirstError(
                f"output files {other!r} and {name!r} differ only in case"
                " (they clash on case-insensitive file systems)"
            )


def read_existing(folder: Path, names: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in names:
        try:  # newline="": compare the bytes on disk, not a newline-translated copy
            with open(folder / name, encoding="utf-8", newline="") as fh:
                out[name] = fh.read()
        except (OSError, UnicodeDecodeError):
            out[name] = None
    return out


def stale_report(folder: Path, files: dict[str, str], shown: str = "") -> tuple[list[str], str]:
    """Files that differ from (or are missing in, or are extra in) `folder`, and a diff.

    The diff names each file as `shown/name` (the folder as the user sees it, relative
    to the working folder), so `git apply` takes it from there.
    """
    manifest = Manifest.read(folder)
    existing = read_existing(folder, sorted(files))
    prefix = f"{shown.rstrip('/')}/" if shown else ""
    stale: list[str] = []
    chunks: list[str] = []
    for name in sorted(files):
        old = existing[name]
        if old == files[name]:
            continue
        stale.append(name)
        chunks.append(_file_diff(f"{prefix}{name}", old, files[name]))
    if manifest is not None:
        for name in sorted(set(manifest.files) - set(files)):
            old = read_existing(folder, [name])[name]
            if old is not None:
                stale.append(name)
                chunks.append(_file_diff(f"{prefix}{name}", old, None))
    return stale, "".join(chunks)


def _file_diff(path: str, old: str | None, new: str | None) -> str:
    """A unified diff of one file that `git apply` accepts, creations and deletions too."""
    head = f"diff --git a/{path} b/{path}\n"
    if old is None:
        head += "new file mode 100644\n"
    elif new is None:
        head += "deleted file mode 100644\n"
    import difflib  # imported here: only `--check` shows a diff

    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        (new or "").splitlines(keepends=True),
        fromfile=f"a/{path}" if old is not None else "/dev/null",
        tofile=f"b/{path}" if new is not None else "/dev/null",
    )
    body = "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
    return head + body


def recover(folder: Path) -> None:
    """Finish or undo a swap that an earlier run was killed in the middle of."""
    stage = folder.with_name(folder.name + _STAGE_SUFFIX)
    old = folder.with_name(folder.name + _OLD_SUFFIX)
    if not folder.exists() and old.exists():
        os.rename(old, folder)  # killed between the two renames: put the old output back
    for leftover in (stage, old):
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)


def _not_ours(folder: Path, names: list[str], ours: set[str]) -> tuple[str, str] | None:
    """The first generated path the user owns: (path, why), or None.

    A file there that the last run did not generate is the user's; a symbolic link (to a
    file or a folder, anywhere on the path) is never written through, since it could
    lead outside the output folder.
    """
    for name in names:
        parts = PurePosixPath(name).parts
        for i in range(1, len(parts) + 1):
            path = folder.joinpath(*parts[:i])
            if path.is_symlink():
                return "/".join(parts[:i]), "is a symbolic link"
            if i < len(parts) and path.exists() and not path.is_dir():
                return "/".join(parts[:i]), "is a file where a folder is generated"
        path = folder / name
        if path.is_dir():
            return name, "is a folder where a file is generated"
        if path.exists() and name not in ours:
            return name, "would be overwritten"
    return None


def _unmodified(path: Path, entry: dict[str, str]) -> bool:
    """True when a file is still exactly what a run generated (so it may be removed)."""
    try:
        if path.is_symlink() or not path.is_file():
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == entry.get("sha256")
    except OSError:
        return False


def write_package(folder: Path, files: dict[str, str], manifest: Manifest) -> WriteResult:
    """Make `folder` hold exactly `files` plus the user's own files, atomically.

    Never touches a file the previous run did not generate: a user's file where a file
    is to be generated is an error, and a generated file that is no longer produced is
    removed only while it is unchanged (an edited one is the user's now).
    """
    check_paths(files)
    folder = folder.absolute()
    recover(folder)
    previous = Manifest.read(folder) if folder.exists() else None
    if folder.exists() and not folder.is_dir():
        raise SchemaFirstError(f"output path {folder} exists and is not a folder")
    ours = set(previous.files) if previous else set()
    all_files = dict(files)
    all_files[MANIFEST] = manifest.to_json()
    if folder.exists():
        # Without a manifest nothing in the folder is ours, except a damaged manifest.
        clash = _not_ours(folder, sorted(all_files), ours | {MANIFEST})
        if clash:
            name, why = clash
            raise SchemaFirstError(
                f"{folder} holds files schemafirst did not generate ({name!r} {why});"
                " choose an empty folder or remove them"
            )
    result = WriteResult()
    existing = read_existing(folder, sorted(all_files)) if folder.exists() else {}
    changed = {n for n, text in all_files.items() if existing.get(n) != text}
    removed = sorted(
        n
        for n in ours - set(all_files)
        if previous is not None and _unmodified(folder / n, previous.files[n])
    )
    result.written = sorted(n for n in changed if n != MANIFEST)
    result.unchanged = sorted(n for n in files if n not in changed)
    result.removed = removed
    if not changed and not removed:
        return result
    stage = folder.with_name(folder.name + _STAGE_SUFFIX)
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        _assemble(stage, folder, all_files, changed, set(removed))
        _swap(stage, folder)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise SchemaFirstError(f"cannot write {folder}: {exc.strerror or exc}") from None
    shutil.rmtree(stage, ignore_errors=True)  # now the old output
    return result


def _assemble(
    stage: Path, folder: Path, files: dict[str, str], changed: set[str], drop: set[str]
) -> None:
    """Build the new output in `stage`: the user's files and unchanged generated files
    hard-linked from `folder`, every other generated file written new, all of it on disk
    (see `_make_durable`) before the caller swaps it in.

    A generated file is always created afresh (`O_EXCL`), never written through an
    existing path, so neither a hard link nor a symbolic link can carry a write into
    the old output or outside the folder.
    """
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    linked: set[str] = set()
    if folder.exists():
        shutil.copymode(folder, stage)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if rel in drop:
                continue  # a generated file no longer produced
            target = stage / rel
            if rel in files:
                if rel not in changed and path.is_file() and not path.is_symlink():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(path, target)
                    linked.add(rel)
            elif path.is_symlink():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.symlink(os.readlink(path), target)
            elif path.is_dir():
                target.mkdir(parents=True, exist_ok=True)
            else:  # the user's own file: carried over as is
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(path, target)
    new = [name for name in sorted(files) if name not in linked]  # the rest: linked above
    paths = [stage / name for name in new]
    for parent in sorted({path.parent for path in paths} - {stage}):
        parent.mkdir(parents=True, exist_ok=True)
    batch = _can_syncfs()  # else each file is flushed as it is written
    for name, path in zip(new, paths, strict=True):
        _write_new(path, files[name].encode("utf-8"), flush=not batch)
    _make_durable(stage, paths, batch)


# O_BINARY: Windows would otherwise write "\r\n" for every "\n".
_CREATE = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def _write_new(path: Path, data: bytes, flush: bool = False) -> None:
    fd = os.open(path, _CREATE, 0o666)  # the umask applies, as for open(..., "x")
    try:
        view = memoryview(data)
        while view:  # a regular file takes it in one call, short of a signal or a full disk
            view = view[os.write(fd, view) :]
        if flush:
            os.fsync(fd)
    finally:
        os.close(fd)


def _make_durable(stage: Path, written: list[Path], batch: bool) -> None:
    """Everything under `stage` on disk before the swap publishes it, so that a crash of
    the machine right after the swap cannot leave the new folder with empty files.

    On Linux (`batch`) one `syncfs` of the file system does it: one journal commit,
    where an `fsync` per file costs one each (most of the write phase for a thousand
    files). Elsewhere each file was flushed as it was written; the folders follow.
    """
    if batch:
        _syncfs(stage)
        return
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it
    for folder in sorted({p.parent for p in written} | {stage}):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@functools.lru_cache(maxsize=1)
def _libc_syncfs() -> Any:
    """libc's `syncfs`, or None where there is none (not Linux, or an old C library)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None


def _can_syncfs() -> bool:
    return _libc_syncfs() is not None


def _syncfs(path: Path) -> None:
    """`syncfs(2)` of the file system holding `path`."""
    fd = os.open(path, os.O_RDONLY)
    try:
        if _libc_syncfs()(fd) == 0:
            return
        err = ctypes.get_errno()
    finally:
        os.close(fd)
    raise OSError(err, os.strerror(err))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err))


def _swap(stage: Path, folder: Path) -> None:
    """Put `stage` at `folder`; afterwards `stage` holds the old output (if any)."""
    if not folder.exists():
        os.rename(stage, folder)
        return
    if _exchange(stage, folder):
        return
    old = folder.with_name(folder.name + _OLD_SUFFIX)
    os.rename(folder, old)
    os.rename(stage, folder)
    os.rename(old, stage)


def load_manifest_json(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else None
    except (OSError, ValueError, RecursionError):
        return None


def write_output_file(path: Path, text: str) -> Path:
    """Write a file the user named (`extract -o`): atomically, and never replacing anything
    but a regular file. A symbolic link is followed and its regular-file target written
    (the link stays); a folder, device, pipe or socket is refused. Returns the file written.
    """
    try:
        mode: int | None = os.stat(path).st_mode  # through links: what a write would reach
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        shown = f"{path} (a link to {os.path.realpath(path)})" if path.is_symlink() else path
        raise SchemaFirstError(
            f"refusing to replace {shown}: it is {_kind(mode)}, not a regular file"
            " (`-o -` writes to standard output)"
        )
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    atomic_write_text(target, text)
    return target


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    return "a socket" if stat.S_ISSOCK(mode) else "a special file"


def atomic_write_text(path: Path, text: str) -> None:
    """Write one file so that readers see the old or the new content, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.schemafirst-tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SchemaFirstError(f"cannot write {path}: {exc.strerror or exc}") from None
