"""Compiled templates kept between runs, in the user's cache folder (as black keeps its).

Compiling the 28 templates costs more than a tenth of a second per run; loading their
compiled code costs a few milliseconds. The cache lives in
`$SCHEMAFIRST_CACHE_DIR`, else `$XDG_CACHE_HOME/schemafirst`, else
`~/.cache/schemafirst` (`%LOCALAPPDATA%\\schemafirst` on Windows), in a folder per
version of Jinja2 and of the generator's own code (which decides the filters and
options templates are compiled against). An entry is keyed by the template's file path
and checked against a hash of its source (Jinja2's `FileSystemBytecodeCache`), so an
edited template, or one of a `--templates` folder, is compiled afresh.

The cache changes no output, only how long compiling takes. It is silently off when the
folder cannot be made or is not the user's own (a folder others can write to could
hand this process code to run), and a damaged entry is a miss.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket

from .digest import generator_digest

ENV_VAR = "SCHEMAFIRST_CACHE_DIR"


def cache_root() -> Path | None:
    """Where every version's compiled templates go; None when no folder is known."""
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        return Path(explicit)
    if os.name == "nt":
        local = os.environ.get("LOCALAPPDATA")
        return Path(local) / "schemafirst" if local else None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "schemafirst"
    home = os.path.expanduser("~")
    return Path(home) / ".cache" / "schemafirst" if home != "~" else None


class _Cache(jinja2.FileSystemBytecodeCache):
    """Jinja2's file cache, made quiet: any failure to read or write is a miss."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged entry (pickle, marshal or I/O): compile instead
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full or read-only disk: the next run compiles again
            pass


_caches: dict[Path | None, jinja2.BytecodeCache | None] = {}


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for this version, or None when it cannot be used (looked up once per
    process and cache folder)."""
    root = cache_root()
    if root not in _caches:
        name = f"templates-{jinja2.__version__}-{generator_digest()[:16]}"
        folder = _private_folder(root, name)
        _caches[root] = None if folder is None else _Cache(str(folder), "%s.jinjac")
        if root is not None and folder is not None:
            _prune(root, keep=folder)
    return _caches[root]


def _private_folder(root: Path | None, name: str) -> Path | None:
    """`root/name`, made if need be, when only this user can write to it (and `root`)."""
    if root is None:
        return None
    folder = root / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path in (root, folder):
            info = os.lstat(path)
            if not stat.S_ISDIR(info.st_mode):
                return None
            if hasattr(os, "getuid") and (
                info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
            ):
                return None
    except OSError:
        return None
    return folder


# Other versions' folders unused for this long are removed.
STALE_SECONDS = 30 * 24 * 3600


def _prune(root: Path, keep: Path) -> None:
    """Mark `keep` as used now; remove other versions' folders long unused (several
    installations may share the cache, each with its own folder)."""
    try:
        os.utime(keep)
        now = keep.stat().st_mtime
        for path in root.iterdir():
            if path.name.startswith("templates-") and path != keep:
                if now - path.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
    except OSError:
        return
