"""The opt-in post-formatter (`--formatter black|ruff`).

Generated code is emitted in black's style and needs no formatter; a project that wants
its formatter's exact output anyway asks for one. Neither is a dependency of the tool:
the one asked for must be installed. Settings are fixed here, not read from the user's
configuration, so output does not depend on where it is run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .errors import SchemaFirstError

LINE_LENGTH = 88
TARGET = "py310"


def ruff_binary() -> str | None:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped,import-not-found,unused-ignore]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        pass
    beside = Path(sys.executable).parent / "ruff"
    if beside.is_file():
        return str(beside)
    return shutil.which("ruff")


def format_black(source: str, name: str) -> str:
    import black
    from black.mode import Mode, TargetVersion

    mode = Mode(
        target_versions={TargetVersion.PY310},
        line_length=LINE_LENGTH,
    )
    try:
        return black.format_str(source, mode=mode)
    except Exception as exc:  # black raises several types for unparsable input
        first = str(exc).strip().splitlines()
        raise internal_error({name: source}, f"black: {first[0] if first else exc}") from None


# The first line of each top-level definition the Python target emits, and its name.
_DEFINITION = re.compile(r"(?:class |def _(?:d|e|extra)_)?(\w+)(?:\(|: TypeAlias\b| = )")


def internal_error(sources: dict[str, str], formatter_message: str) -> SchemaFirstError:
    """The error for generated code the formatter rejects: always a bug in the tool.
    Names the file, line and the definition that produced it, with the formatter's words."""
    for name, text in sorted(sources.items()):
        try:
            compile(text, name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            line = exc.lineno or 0
            where = f" {name}:{line}"
            owner = definition_at(text, line)
            if owner:
                where += f" (from the definition of {owner})"
            break
        except ValueError:  # NUL bytes: compile() refuses before parsing
            where = f" {name}"
            break
    else:
        where = ""
    return SchemaFirstError(
        f"internal error: generated code does not parse{where} ({formatter_message});"
        " please report this bug"
    )


def check_parses(sources: dict[str, str]) -> None:
    """Raise the internal error for the first file that does not compile."""
    for name, text in sorted(sources.items()):
        try:
            compile(text, name, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
            raise internal_error(sources, f"compile: {message}") from None


def definition_at(text: str, line: int) -> str | None:
    """The name of the top-level definition (class, decoder, alias) holding `line`."""
    lines = text.splitlines()
    for source_line in reversed(lines[: max(line, 0)]):
        if source_line[:1].isspace() or not source_line:
            continue
        match = _DEFINITION.match(source_line)
        if match and not source_line.startswith(("from ", "import ", "_new ")):
            return match.group(1)
    return None


def format_ruff(sources: dict[str, str], binary: str) -> dict[str, str]:
    """Format many files with one ruff process."""
    with tempfile.TemporaryDirectory(prefix="schemafirst-fmt-") as tmp:
        root = Path(tmp)
        for name, text in sources.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        cmd = [
            binary,
            "format",
            "--isolated",
            "--no-cache",
            f"--line-length={LINE_LENGTH}",
            f"--target-version={TARGET}",
            str(root),
        ]
        proc = subprocess.run(
            cmd, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
        )
        if proc.returncode != 0:
            first = (proc.stderr or proc.stdout).strip().splitlines()
            message = (first[0] if first else "failed").replace(str(root) + os.sep, "")
            raise internal_error(sources, f"ruff format: {message}")
        return {name: (root / name).read_text(encoding="utf-8") for name in sources}


def format_python(sources: dict[str, str], formatter: str) -> dict[str, str]:
    """Format `{name: source}` with "black" or "ruff"."""
    if not sources:
        return {}
    if formatter == "ruff":
        binary = ruff_binary()
        if binary is None:
            raise SchemaFirstError("formatter 'ruff' requested but ruff is not installed")
        return format_ruff(sources, binary)
    try:
        import black  # noqa: F401
    except ImportError:
        raise SchemaFirstError("formatter 'black' requested but black is not installed") from None
    return {name: format_black(text, name) for name, text in sources.items()}
