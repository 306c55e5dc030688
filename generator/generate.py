"""The library API: one function per command, each a straight pipeline.

load -> resolve/build (intermediate model) -> render -> format -> write.
The CLI is a thin layer over these functions.
"""

from __future__ import annotations

import gc
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .config import Job
from .digest import generator_digest, templates_digest
from .write import Manifest, WriteResult, recover

# A no-op run reads the manifest and hashes the inputs, nothing more: the modules that
# load, build and render (and Jinja2 and PyYAML with them) are imported by the
# functions that use them, so a run with nothing to do never pays for them.
if TYPE_CHECKING:
    from .model import Diagnostic, Package
    from .spec.load import Document


@dataclass
class GenerateResult:
    package: Package | None  # None when nothing had to be done (see `up_to_date`)
    definitions: int = 0
    write: WriteResult = field(default_factory=WriteResult)
    stale: list[str] = field(default_factory=list)
    diff: str = ""
    formatted: int = 0  # files that went through the opt-in post-formatter
    seconds: float = 0.0

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        return self.package.diagnostics if self.package is not None else ()


def inputs_digest(job: Job, spec_sha256: str) -> str:
    """Everything the generated files depend on, the optional post-formatter included."""
    inputs = {
        "spec": spec_sha256,
        "generator": generator_digest(),
        "templates": templates_digest(job.templates),
        "package": job.package,
        "roots": list(job.roots),
        "strict": job.strict,
        "formats": job.formats,
        **({"scope": job.scope} if job.scope != "schemas" else {}),  # old digests stay valid
        "formatter": job.formatter,
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
    from .spec.bundle import bundle
    from .spec.load import load_file

    doc = load_file(spec, display_name=_display(spec))
    return bundle(doc, spec, ref_root, display=_display)


def load_package(
    spec: Path,
    roots: tuple[str, ...] = (),
    strict: bool = False,
    ref_root: Path | None = None,
    scope: str = "schemas",
) -> Package:
    from .build import BuildOptions, build_package

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
    """Rendered files, the manifest describing them, and how many were post-formatted.

    The templates emit final code in black's style; only an explicit `formatter`
    (black or ruff, for a project's own style) runs a formatter afterwards."""
    from .render import Meta, render_package
    from .write import sha256

    meta = Meta(__version__, package.spec_name, package.spec_sha256, job.package, job.formats)
    rendered = render_package(package, meta, job.templates)
    files = dict(rendered)
    formatted = 0
    if job.formatter in ("black", "ruff"):
        files.update(_post_format(job, rendered, before_format))
        formatted = sum(1 for n in rendered if n.endswith(".py"))
    elif job.templates is not None:
        # Built-in templates are proven to give code that parses (tests compile every
        # case and hypothesis spec); a user's override is compiled before anything is
        # written. Compiling a 477-schema package costs more than generating it.
        from .format import check_parses  # (and its subprocess, tempfile: only here)

        check_parses({n: t for n, t in rendered.items() if n.endswith(".py")})
    manifest = Manifest(
        generator_version=__version__,
        spec=package.spec_name,
        spec_sha256=package.spec_sha256,
        templates_sha256=templates_digest(job.templates),
        files={n: {"sha256": sha256(files[n])} for n in sorted(files)},
        inputs_sha256=inputs_digest(job, package.spec_sha256),
        definitions=len(package.definitions),
        spec_files=dict(package.spec_files),
        formatter=job.formatter,
    )
    return files, manifest, formatted


def _post_format(
    job: Job, rendered: dict[str, str], before_format: Callable[[], None]
) -> dict[str, str]:
    """The Python files through the requested formatter."""
    from .format import format_python

    before_format()
    return format_python({n: t for n, t in rendered.items() if n.endswith(".py")}, job.formatter)


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
    with _Collections() as collections:
        return _generate(job, check, progress, start, collections)


class _Collections:
    """Cyclic garbage collection in step with a run, instead of the collector's rhythm.

    Loading and building allocate hundreds of thousands of objects that live until the
    run ends (the spec's data, the model) and make no cycles: collecting while they are
    young scans them again and again for nothing (the default rhythm costs more than a
    tenth of a run). So the collector is off for the run; once the model is built
    (`built`), what exists joins the oldest generation as it is (`gc.freeze` then
    `unfreeze`: a move of lists, no scan). Rendering does leave cycles (Jinja2's
    contexts and macros, some 30,000 objects on the 477-schema spec): one collection of
    the youngest generation at the end frees them, scanning only what rendering made.
    The caller's settings come back; a caller that froze objects of its own keeps them
    frozen (the move is skipped). Peak memory does not change measurably."""

    def __enter__(self) -> _Collections:
        self.enabled = gc.isenabled()
        gc.disable()
        return self

    def built(self) -> None:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()

    def __exit__(self, *exc: object) -> None:
        gc.collect(0)
        if self.enabled:
            gc.enable()


def _generate(
    job: Job, check: bool, progress: Progress, start: float, collections: _Collections
) -> GenerateResult:
    from .render import TemplateWarmer

    warmer = TemplateWarmer.start(job.templates)  # compiles while the spec loads
    try:
        package = load_package(job.spec, job.roots, job.strict, job.ref_root, job.scope)
    finally:
        if warmer is not None:
            warmer.wait()
    collections.built()
    size = len(package.definitions)
    progress(1, 3, f"rendering {size} definitions", size)
    formatting = lambda: progress(2, 3, "formatting", size)  # noqa: E731
    files, manifest, formatted = render_job(job, package, formatting)
    progress(3, 3, "checking" if check else "writing", size)
    result = GenerateResult(package, len(package.definitions), formatted=formatted)
    if check:
        from .write import stale_report

        files_with_manifest = dict(files)
        files_with_manifest["_generated.json"] = manifest.to_json()
        result.stale, result.diff = stale_report(
            job.folder, files_with_manifest, _display(job.folder)
        )
    else:
        from .write import write_package

        result.write = write_package(job.folder, files, manifest)
    result.seconds = time.perf_counter() - start
    return result
