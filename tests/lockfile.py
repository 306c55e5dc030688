"""The pins of requirements.lock, for tests that install packages of their own."""

from __future__ import annotations

import re
from pathlib import Path

from packaging.markers import Marker

from tests.conftest import ROOT

LOCK = ROOT / "requirements.lock"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked_pins() -> dict[str, str]:
    """name -> version for this interpreter, from requirements.lock."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)(?: ; (.*?))?(?: \\)?$", line)
        if m and (m.group(3) is None or Marker(m.group(3)).evaluate()):
            pins[canonical(m.group(1))] = m.group(2)
    return pins


def constraints_env(folder: Path) -> dict[str, str]:
    """Environment that makes every pip run below it (pipx's, pre-commit's) install the
    locked versions: what the index serves tomorrow cannot change what these tests see."""
    path = folder / "constraints.txt"
    path.write_text("".join(f"{n}=={v}\n" for n, v in sorted(locked_pins().items())))
    return {"PIP_CONSTRAINT": str(path)}
