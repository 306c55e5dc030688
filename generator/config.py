"""Generation jobs from `[tool.schemafirst]` in pyproject.toml, overridden by the CLI.

[tool.schemafirst]            # defaults for every job (and the job itself if no jobs)
spec = "spec/runobject.yaml"
out = "generated"
package = "runobject"

[tool.schemafirst.jobs.v1]    # optional: several jobs, each overriding the defaults
spec = "spec/runobject-2024-04-15.yaml"
package = "runobject_v1"
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import naming
from .errors import SchemaFirstError

KEYS = {
    "spec",
    "out",
    "package",
    "templates",
    "roots",
    "strict",
    "formatter",
    "formats",
    "ref_root",
    "scope",
}
SCOPES = ("schemas", "paths", "all")
FORMAT_MODES = ("json", "python")
# "none": the generated code is written as emitted (already in black's style). black or
# ruff: an opt-in post-pass for a project's own style. "auto" is the old default: none.
FORMATTERS = ("none", "black", "ruff", "auto")


@dataclass(frozen=True)
class Job:
    name: str
    spec: Path
    out: Path
    package: str
    templates: Path | None = None
    roots: tuple[str, ...] = ()
    strict: bool = False
    formatter: str = "none"
    formats: str = "json"
    scope: str = "schemas"  # schemas | paths | all (models from operations, OPERATIONS)
    ref_root: Path | None = None  # file $refs may read below this folder (default: the spec's)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def folder(self) -> Path:
        return self.out / self.package


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _job(name: str, table: dict[str, Any], base: Path, source: str) -> Job:
    unknown = sorted(set(table) - KEYS - {"jobs"})
    if unknown:
        raise SchemaFirstError(f"unknown key {unknown[0]!r} in [tool.schemafirst] ({name})", source)
    if "spec" not in table:
        raise SchemaFirstError(f"job {name!r} has no 'spec'", source)
    package = str(table.get("package") or Path(str(table["spec"])).stem)
    if naming.module_name(package) != package:
        raise SchemaFirstError(f"package name {package!r} is not a valid module name", source)
    formatter = str(table.get("formatter", "none"))
    if formatter not in FORMATTERS:
        raise SchemaFirstError(f"formatter must be one of {', '.join(FORMATTERS)}", source)
    formatter = "none" if formatter == "auto" else formatter
    formats = str(table.get("formats", "json"))
    if formats not in FORMAT_MODES:
        raise SchemaFirstError(f"formats must be one of {', '.join(FORMAT_MODES)}", source)
    scope = str(table.get("scope", "schemas"))
    if scope not in SCOPES:
        raise SchemaFirstError(f"scope must be one of {', '.join(SCOPES)}", source)
    roots = table.get("roots") or []
    if isinstance(roots, str):
        roots = [roots]
    templates = table.get("templates")
    ref_root = table.get("ref_root")
    return Job(
        name=name,
        spec=base / str(table["spec"]),
        out=base / str(table.get("out", "generated")),
        package=package,
        templates=base / str(templates) if templates else None,
        roots=tuple(str(r) for r in roots),
        strict=bool(table.get("strict", False)),
        formatter=formatter,
        formats=formats,
        scope=scope,
        ref_root=base / str(ref_root) if ref_root else None,
    )


def _table(pyproject: Path | None) -> dict[str, Any]:
    """The [tool.schemafirst] table ({} when there is none)."""
    if pyproject is None:
        return {}
    # Imported here: a run given its spec on the command line, without a pyproject.toml
    # around, never reads TOML (a few milliseconds of a run).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib  # type: ignore[import-not-found,no-redef,unused-ignore]
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SchemaFirstError(f"cannot read configuration: {exc}", str(pyproject)) from None
    table = data.get("tool", {}).get("schemafirst")
    return table if isinstance(table, dict) else {}


def one_off_job(pyproject: Path | None, spec: Path) -> Job:
    """A run on a spec named on the command line in a project with several jobs: the
    shared settings of [tool.schemafirst] apply, but no job's spec, out or package."""
    shared = {k: v for k, v in _table(pyproject).items() if k not in ("jobs", "out", "package")}
    shared |= {"spec": str(spec), "package": naming.module_name(spec.stem)}
    base = pyproject.parent if pyproject is not None else Path()
    job = _job("cli", shared, base, str(pyproject or ""))
    return replace(job, spec=spec, out=Path("generated"))


def load_jobs(pyproject: Path | None) -> list[Job]:
    """The jobs configured in `pyproject`, relative to its folder ([] when none)."""
    table = _table(pyproject)
    if pyproject is None or not table:
        return []
    base = pyproject.parent
    defaults = {k: v for k, v in table.items() if k != "jobs"}
    jobs_table = table.get("jobs")
    if isinstance(jobs_table, dict) and jobs_table:
        return [
            _job(name, {**defaults, **sub}, base, str(pyproject))
            for name, sub in jobs_table.items()
            if isinstance(sub, dict)
        ]
    if "spec" in defaults:
        return [_job("default", defaults, base, str(pyproject))]
    return []


def override(job: Job, **changes: Any) -> Job:
    return replace(job, **{k: v for k, v in changes.items() if v is not None})
