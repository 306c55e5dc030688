"""The hashes that decide whether a run has anything to do (standard library only).

A no-op run computes these and reads the manifest; it imports nothing else (no Jinja,
no YAML, no model), so keep this module light.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path


def builtin_templates() -> Path:
    """The shipped templates: inside the installed package, or the repository's folder."""
    installed = Path(__file__).parent / "templates"
    if installed.is_dir():
        return installed
    return Path(__file__).parent.parent / "templates"


def templates_digest(user_templates: Path | None) -> str:
    """A hash of every template that can take part, for the provenance manifest."""
    h = hashlib.sha256()
    roots = [builtin_templates()] + ([user_templates] if user_templates else [])
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.lru_cache(maxsize=1)
def generator_digest() -> str:
    """A hash of the generator's own code: output depends on it, not just on its version."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
