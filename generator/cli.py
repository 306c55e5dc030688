"""Command line: argument parsing and printing only; the work is in `generator.generate`."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .config import Job, find_pyproject, load_jobs, one_off_job, override
from .errors import MAX_REPORTED, SchemaFirstError, SchemaFirstErrors

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class Console:
    """Where messages go: colour only on a terminal, and never with NO_COLOR set."""

    def __init__(
        self, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None
    ) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.stream = stream = stream or sys.stderr
        self.color = (
            stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )

    def paint(self, text: str, code: str) -> str:
        return f"\033[{code}m{text}\033[0m" if self.color else text

    def info(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(text, file=self.stream)

    def warning(self, location: str, text: str) -> None:
        if not self.quiet:
            prefix = f"{location}: " if location else ""
            print(f"{prefix}{self.paint('warning', '33')}: {text}", file=self.stream)

    BIG_SPEC = 100  # definitions; smaller specs are done before a bar would help

    def progress(self, step: int, steps: int, what: str, size: int) -> None:
        """A one-line progress bar for big specs, redrawn in place; only on a terminal."""
        if self.quiet or size < self.BIG_SPEC or not self.stream.isatty():
            return
        width = 20
        done = width * step // steps
        line = f"[{'#' * done}{'-' * (width - done)}] {step}/{steps} {what}"
        self._drawn = max(getattr(self, "_drawn", 0), len(line))
        self.stream.write("\r" + line.ljust(self._drawn))
        self.stream.flush()

    def clear_progress(self) -> None:
        if getattr(self, "_drawn", 0):
            self.stream.write("\r" + " " * self._drawn + "\r")
            self.stream.flush()
            self._drawn = 0

    def error(self, err: SchemaFirstError) -> None:
        if isinstance(err, SchemaFirstErrors):
            for one in err.errors[:MAX_REPORTED]:
                self.error(one)
            hidden = len(err.errors) - MAX_REPORTED
            if hidden > 0:
                more = SchemaFirstError(f"{hidden} more problems not shown (first {MAX_REPORTED})")
                self.error(more)
            return
        loc = err.location()
        prefix = f"{loc}: " if loc else ""
        print(f"{prefix}{self.paint('error', '1;31')}: {err.message}", file=self.stream)
        line = err.source_line if err.source_line is not None else _source_line(err)
        if line is not None and self.color:
            print(f"    {line}", file=self.stream)
            print("    " + " " * max(err.column - 1, 0) + self.paint("^", "1;31"), file=self.stream)


def _source_line(err: SchemaFirstError) -> str | None:
    """The offending line of the file an error points at, for the caret display."""
    if not (err.file and err.line):
        return None
    try:
        with open(err.file, encoding="utf-8", errors="replace") as fh:
            for number, text in enumerate(fh, 1):
                if number == err.line:
                    return text.rstrip("\r\n").expandtabs(1)
    except OSError:
        return None
    return None


REF_ROOT_HELP = "folder that file $refs may read from (default: the spec's folder)"


def _parser() -> argparse.ArgumentParser:
    # The global flags are accepted before or after the command; after it they must not
    # reset what was given before (hence SUPPRESS as the sub-parsers' default).
    def flags(parser: argparse.ArgumentParser, default: object) -> argparse.ArgumentParser:
        flag = {"action": "store_true", "default": default}
        parser.add_argument("--debug", help="show tracebacks", **flag)  # type: ignore[arg-type]
        parser.add_argument("-q", "--quiet", help="errors only", **flag)  # type: ignore[arg-type]
        parser.add_argument("-v", "--verbose", help="every file written", **flag)  # type: ignore[arg-type]
        return parser

    common = flags(argparse.ArgumentParser(add_help=False), argparse.SUPPRESS)

    p = flags(
        argparse.ArgumentParser(
            prog="schemafirst", description="OpenAPI -> Python dataclasses, serializers and docs."
        ),
        False,
    )
    p.add_argument("--version", action="version", version=f"schemafirst {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser(
        "generate", parents=[common], help="generate packages (all configured jobs by default)"
    )
    g.add_argument("job", nargs="?", help="run only this job from [tool.schemafirst.jobs]")
    g.add_argument("--spec", type=Path, help="OpenAPI document (YAML or JSON)")
    g.add_argument("--out", type=Path, help="folder that receives the package folder")
    g.add_argument("--package", help="import name of the generated package")
    g.add_argument(
        "--templates", type=Path, help="folder of templates that override the built-in ones"
    )
    g.add_argument(
        "--root",
        action="append",
        dest="roots",
        help="generate only the closure of this schema (repeatable)",
    )
    g.add_argument(
        "--strict", action="store_true", default=None, help="unsupported keywords are errors"
    )
    g.add_argument(
        "--formatter",
        choices=("none", "black", "ruff", "auto"),
        help="post-format the generated code (default none: it is emitted in black's style)",
    )
    g.add_argument(
        "--formats",
        choices=("json", "python"),
        help="python: date-time, date, uuid, byte and unixtime as datetime/date/UUID/bytes",
    )
    g.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff when output is stale",
    )
    g.add_argument("--config", type=Path, help="pyproject.toml to read (default: nearest one)")
    g.add_argument("--ref-root", type=Path, help=REF_ROOT_HELP)
    g.add_argument(
        "--scope",
        choices=("schemas", "paths", "all"),
        help="schemas: components/schemas (default); paths: models from operations and"
        " OPERATIONS; all: both",
    )

    e = sub.add_parser("extract", parents=[common], help="keep only the closure of some schemas")
    e.add_argument("spec", type=Path)
    e.add_argument(
        "--root",
        action="append",
        dest="roots",
        help="schema to keep (repeatable); without it, the whole spec in one file",
    )
    e.add_argument(
        "-o",
        "--output",
        required=True,
        help="file to write: YAML, JSON when it ends in .json, standard output for -",
    )
    e.add_argument("--ref-root", type=Path, help=REF_ROOT_HELP)

    d = sub.add_parser("diff", parents=[common], help="what changed between two spec versions")
    d.add_argument("old", help="spec file, or REV:PATH read from git")
    d.add_argument("new", help="spec file, or REV:PATH read from git")
    d.add_argument(
        "--root", action="append", dest="roots", help="limit to the closure of this schema"
    )
    d.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    d.add_argument("--fail-on", choices=("breaking", "any", "never"), default="breaking")
    d.add_argument(
        "--verbose-descriptions",
        action="store_true",
        dest="descriptions",
        help="also report description changes",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    args.argv = argv
    console = Console(quiet=args.quiet, verbose=args.verbose)
    try:
        if args.command == "generate":
            return _generate(args, console)
        if args.command == "extract":
            return _extract(args, console)
        return _diff(args, console)
    except SchemaFirstError as err:
        if args.debug:
            traceback.print_exc()
        console.error(err)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: say so in one line, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        console.error(
            SchemaFirstError(
                f"internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)"
            )
        )
        return EXIT_ERROR


def _jobs(args: argparse.Namespace) -> list[Job]:
    config = args.config or find_pyproject(Path.cwd())
    jobs = load_jobs(config)
    if args.job:
        jobs = [j for j in jobs if j.name == args.job]
        if not jobs:
            raise SchemaFirstError(
                f"no job named {args.job!r} in [tool.schemafirst]", str(config or "")
            )
    if not jobs:
        if args.spec is None:
            raise SchemaFirstError(
                "no spec: pass --spec or configure [tool.schemafirst] in pyproject.toml"
            )
        jobs = [
            Job(name="cli", spec=args.spec, out=Path("generated"), package=_package_name(args.spec))
        ]
    elif len(jobs) > 1 and args.spec is not None:
        jobs = [one_off_job(config, args.spec)]  # explicit paths: a run of its own
    elif len(jobs) > 1 and (args.package or args.out):
        raise SchemaFirstError(
            "--out/--package apply to one job: name it (`generate v1 --out DIR`)"
            " or name the spec too (`--spec FILE`) for a run of its own"
        )
    roots = tuple(args.roots) if args.roots else None
    package = args.package
    if package is not None and _module(package) != package:
        example = _module(package)
        raise SchemaFirstError(f"--package {package!r} is not a module name (e.g. {example!r})")
    return [
        override(
            j,
            spec=args.spec,
            out=args.out,
            package=args.package,
            templates=args.templates,
            roots=roots,
            strict=args.strict,
            formatter="none" if args.formatter == "auto" else args.formatter,
            formats=args.formats,
            ref_root=args.ref_root,
            scope=args.scope,
        )
        for j in jobs
    ]


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _module(name: str) -> str:
    from .naming import module_name

    return module_name(name)


def _package_name(spec: Path) -> str:
    from .naming import module_name

    return module_name(spec.stem)


def _command_without_check(argv: list[str]) -> str:
    """The command the user ran, as they would type it to regenerate instead of checking."""
    return shlex.join(["schemafirst", *(a for a in argv if a != "--check")])


def _generate(args: argparse.Namespace, console: Console) -> int:
    from .generate import generate

    status = EXIT_OK
    for job in _jobs(args):
        if job.templates is not None and not job.templates.is_dir():
            raise SchemaFirstError(f"templates folder {job.templates} does not exist")
        try:
            result = generate(job, check=args.check, progress=console.progress)
        finally:
            console.clear_progress()
        folder = _shown(job.folder)
        for diag in result.diagnostics:
            src = diag.source
            loc = (
                ":".join(str(x) for x in (src.file, src.line, src.column) if x)
                if src.line
                else src.file
            )
            console.warning(loc, f"{diag.message} (at {src.pointer})")
        models = result.definitions
        if args.check:
            if result.stale:
                sys.stdout.write(result.diff)
                console.info(
                    f"{folder}: stale: {', '.join(result.stale)}"
                    f" (run `{_command_without_check(args.argv)}` to update it)"
                )
                status = EXIT_FAIL
            else:
                console.info(f"{folder}: up to date ({models} models, {result.seconds:.2f}s)")
            continue
        w = result.write
        for name in w.written:
            console.detail(f"  wrote {folder}/{name}")
        for name in w.removed:
            console.detail(f"  removed {folder}/{name}")
        console.info(
            f"{folder}: {models} models; {len(w.written)} written,"
            f" {len(w.unchanged)} unchanged,"
            f" {len(w.removed)} removed in {result.seconds:.2f}s"
        )
    return status


def _extract(args: argparse.Namespace, console: Console) -> int:
    from .generate import load_spec
    from .spec.extract import dump_json, dump_yaml, extract
    from .write import write_output_file

    doc = load_spec(args.spec, args.ref_root)  # a multi-file spec is bundled
    roots = list(args.roots or [])
    data = extract(doc, roots) if roots else doc.data
    output = str(args.output)
    if output == "-":
        sys.stdout.write(dump_yaml(data))
        sys.stdout.flush()
    else:
        text = dump_json(data) if output.lower().endswith(".json") else dump_yaml(data)
        write_output_file(Path(output), text)
    count = len((data.get("components") or {}).get("schemas") or {})
    what = f"closure of {', '.join(roots)}" if roots else f"{len(doc.files) or 1} files bundled"
    shown = "<stdout>" if output == "-" else output
    console.info(f"{shown}: {count} schemas ({what})")
    return EXIT_OK


def _diff(args: argparse.Namespace, console: Console) -> int:
    from .diff.command import run_diff

    status: int = run_diff(args, console)
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
