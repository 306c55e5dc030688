"""End-to-end cases: folders of input and expected output, as sqlc keeps them.

tests/cases/<case>/
    spec.yaml       the input
    expected/       the package generated from it, byte for byte (refreshed by `make golden`)
    payloads.yaml   optional: payloads with the round trip or the exact problems expected
    error.txt       optional, instead of expected/: the exact error line generation must print
    options.json    optional: generation options (the keys of [tool.schemafirst])
"""

from __future__ import annotations

import importlib
import json
import re
import sys
from pathlib import Path

from generator.config import Job
from generator.generate import generate

CASES = Path(__file__).parent / "cases"


def case_dirs() -> list[Path]:
    return sorted(
        p for p in CASES.iterdir() if (p / "spec.yaml").is_file() or (p / "spec.json").is_file()
    )


def spec_of(case: Path) -> Path:
    return case / "spec.yaml" if (case / "spec.yaml").is_file() else case / "spec.json"


def package_name(case: Path) -> str:
    return f"case_{case.name}"


def generate_case(case: Path, out: Path) -> Path:
    """Generate a case's package under `out`; returns the package folder."""
    options = case / "options.json"
    extra = json.loads(options.read_text()) if options.exists() else {}
    job = Job(name=case.name, spec=spec_of(case), out=out, package=package_name(case), **extra)
    generate(job)
    return out / job.package


def read_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


MANIFEST = "_generated.json"
# The digests of the tool's own code and templates change with every edit of the tool; a
# case's expected output pins what the tool writes, not which revision of it wrote it.
_TOOL_DIGESTS = re.compile(rb'"(inputs|templates)_sha256": "\w*"')


def case_tree(folder: Path) -> dict[str, bytes]:
    """A case package as its golden files keep it: the manifest without the tool's digests
    (`make golden` writes them empty, so an edit of the tool rewrites no case manifest)."""
    tree = read_tree(folder)
    if MANIFEST in tree:
        tree[MANIFEST] = _TOOL_DIGESTS.sub(rb'"\1_sha256": ""', tree[MANIFEST])
    return tree


def write_tree(tree: dict[str, bytes], folder: Path) -> None:
    for name, data in tree.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


def import_expected(case: Path) -> object:
    """Import the committed expected package of a case."""
    expected = str(case / "expected")
    if expected not in sys.path:
        sys.path.insert(0, expected)
    return importlib.import_module(package_name(case))
