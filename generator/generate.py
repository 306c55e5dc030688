"""The library API: one function per command, each a straight pipeline.

load -> resolve/build (intermediate model) -> render -> format -> write.
The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .build import BuildOptions, build_package
from .config import Job
from .format import format_python
from .model import Diagnostic, Package
from .render import Meta, render_package, templates_digest
from .spec.bundle import bundle
from .spec.load import Document, load_file
from .write import (
    Manifest,
    WriteResult,
    read_existing,
    recover,
    sha256,
    stale_report,
    write_package,
)


@dataclass
class GenerateResult:
    package: Package | None  # None when nothing had to be done (see `up_to_date`)
    definitions: int = 0
    write: WriteResult = field(default_factory=WriteResult)
    stale: list[str] = field(default_factory=list)
    diff: str = ""
    formatted: int = 0  # files that went through the formatter (0 on a no-op run)
    seconds: float = 0.0

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.package.diagnostics if self.package is not None else ()


@functools.lru_cache(maxsize=1)
def generator_digest() -> str:
    """A hash of the generator's own code: output depends on it, not just on its version."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def inputs_digest(job: Job, spec_sha256: str) -> str:
    """Everything the generated files depend on. The formatter is not part of it: black
    and ruff give the same bytes (tested)."""
    inputs = {
        "spec": spec_sha256,
        "generator": generator_digest(),
        "templates": templates_digest(job.templates),
        "package": job.package,
        "roots": list(job.roots),
        "strict": job.strict,
        "formats": job.formats,
        **({"scope": job.scope} if job.scope != "schemas" else {}),  # old digests stay valid
    }
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def up_to_date(job: Job) -> Manifest | None:
    """The manifest, when the folder already holds exactly what this job would generate:
    same inputs, and every generated file still as written. Costs a few hashes."""
    previous = Manifest.read(job.folder)
    if previous is None or not previous.inputs_sha256:
        return None
    try:
        spec_sha = spec_digest(job.spec, previous.spec_files)
    except OSError:
        return None  # the full run reports the error
    if previous.inputs_sha256 != inputs_digest(job, spec_sha):
        return None
    for name, entry in previous.files.items():
        try:
            digest = hashlib.sha256((job.folder / name).read_bytes()).hexdigest()
        except OSError:
            return None
        if digest != entry.get("sha256"):
            return None
    return previous


def spec_digest(spec: Path, files: dict[str, str]) -> str:
    """The spec's sha256; for a multi-file spec, a hash over every file it read (as
    `bundle` computes it), so that editing any of them makes the output stale."""
    if not files:
        return hashlib.sha256(spec.read_bytes()).hexdigest()
    parts = []
    for name in sorted(files, key=lambda n: _display(spec.parent / n)):
        sha = hashlib.sha256((spec.parent / name).read_bytes()).hexdigest()
        parts.append(f"{name}\0{sha}\0")
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def load_spec(spec: Path, ref_root: Path | None = None) -> Document:
    """The spec with every file it references bundled in (see `spec/bundle.py`)."""
    doc = load_file(spec, display_name=_display(spec))
    return bundle(doc, spec, ref_root, display=_display)


def load_package(
    spec: Path,
    roots: tuple[str, ...] = (),
    strict: bool = False,
    ref_root: Path | None = None,
    scope: str = "schemas",
) -> Package:
    doc = load_spec(spec, ref_root)
    return build_package(doc, BuildOptions(roots=roots, strict=strict, scope=scope))


def _display(path: Path) -> str:
    """The spec's name in messages: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def render_job(
    job: Job, package: Package, before_format: Callable[[], None] = lambda: None
) -> tuple[dict[str, str], Manifest, int]:
    """Rendered and formatted files, the manifest describing them, and how many were formatted."""
    meta = Meta(__version__, package.spec_name, package.spec_sha256, job.package, job.formats)
    rendered = render_package(package, meta, job.templates)
    previous = Manifest.read(job.folder)
    py_names = sorted(n for n in rendered if n.endswith(".py"))
    # Content-hash cache: a file whose template output is what the last run formatted,
    # and which is still on disk as that run wrote it, is not formatted again.
    on_disk = read_existing(job.folder, py_names) if previous else {}
    final: dict[str, str] = {}
    todo: dict[str, str] = {}
    for name in py_names:
        source_hash = sha256(rendered[name])
        entry = previous.files.get(name) if previous else None
        disk = on_disk.get(name)
        if (
            entry
            and entry.get("source_sha256") == source_hash
            and disk is not None
            and sha256(disk) == entry.get("sha256")
        ):
            final[name] = disk
        else:
            todo[name] = rendered[name]
    if todo:
        before_format()
    final.update(format_python(todo, job.formatter))
    files = {n: (final[n] if n in final else rendered[n]) for n in sorted(rendered)}
    manifest = Manifest(
        generator_version=__version__,
        spec=package.spec_name,
        spec_sha256=package.spec_sha256,
        templates_sha256=templates_digest(job.templates),
        files={
            n: {"sha256": sha256(files[n]), "source_sha256": sha256(rendered[n])}
            for n in sorted(files)
        },
        inputs_sha256=inputs_digest(job, package.spec_sha256),
        definitions=len(package.definitions),
        spec_files=dict(package.spec_files),
    )
    return files, manifest, len(todo)


# (step, steps, what is happening, how many definitions the spec has)
Progress = Callable[[int, int, str, int], None]


def _no_progress(step: int, steps: int, what: str, size: int) -> None:
    pass


def generate(job: Job, check: bool = False, progress: Progress = _no_progress) -> GenerateResult:
    start = time.perf_counter()
    if not check:
        recover(job.folder)  # finish or undo a swap an earlier, killed run was in
    done = up_to_date(job)
    if done is not None:  # a no-op: nothing is loaded, rendered or formatted
        names = sorted(n for n in done.files if n != "_generated.json")
        result = GenerateResult(package=None, definitions=done.definitions)
        result.write.unchanged = names
        result.seconds = time.perf_counter() - start
        return result
    package = load_package(job.spec, job.roots, job.strict, job.ref_root, job.scope)
    size = len(package.definitions)
    progress(1, 3, f"rendering {size} definitions", size)
    formatting = lambda: progress(2, 3, "formatting", size)  # noqa: E731
    files, manifest, formatted = render_job(job, package, formatting)
    progress(3, 3, "checking" if check else "writing", size)
    result = GenerateResult(package, len(package.definitions), formatted=formatted)
    if check:
        files_with_manifest = dict(files)
        files_with_manifest["_generated.json"] = manifest.to_json()
        result.stale, result.diff = stale_report(
            job.folder, files_with_manifest, _display(job.folder)
        )
    else:
        result.write = write_package(job.folder, files, manifest)
    result.seconds = time.perf_counter() - start
    return result
