"""The library API: one function per command, each a straight pipeline.

load -> resolve/build (intermediate model) -> render -> format -> write.
The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from generator import __version__
from generator.build import BuildOptions, build_package
from generator.config import Job
from generator.format import format_python
from generator.model import Diagnostic, Package
from generator.render import Meta, render_package, templates_digest
from generator.spec.load import load_file
from generator.write import (
    Manifest,
    WriteResult,
    read_existing,
    sha256,
    stale_report,
    write_package,
)


@dataclass
class GenerateResult:
    package: Package
    write: WriteResult = field(default_factory=WriteResult)
    stale: list[str] = field(default_factory=list)
    diff: str = ""
    formatted: int = 0  # files that went through the formatter (0 on a no-op run)
    seconds: float = 0.0

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.package.diagnostics


def load_package(spec: Path, roots: tuple[str, ...] = (), strict: bool = False) -> Package:
    doc = load_file(spec, display_name=_display(spec))
    return build_package(doc, BuildOptions(roots=roots, strict=strict))


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
    )
    return files, manifest, len(todo)


# (step, steps, what is happening, how many definitions the spec has)
Progress = Callable[[int, int, str, int], None]


def _no_progress(step: int, steps: int, what: str, size: int) -> None:
    pass


def generate(job: Job, check: bool = False, progress: Progress = _no_progress) -> GenerateResult:
    start = time.perf_counter()
    package = load_package(job.spec, job.roots, job.strict)
    size = len(package.definitions)
    progress(1, 3, f"rendering {size} definitions", size)
    formatting = lambda: progress(2, 3, "formatting", size)  # noqa: E731
    files, manifest, formatted = render_job(job, package, formatting)
    progress(3, 3, "checking" if check else "writing", size)
    result = GenerateResult(package=package, formatted=formatted)
    if check:
        files_with_manifest = dict(files)
        files_with_manifest["_generated.json"] = manifest.to_json()
        result.stale, result.diff = stale_report(job.folder, files_with_manifest)
    else:
        result.write = write_package(job.folder, files, manifest)
    result.seconds = time.perf_counter() - start
    return result
