"""A mistake in a template (usually a user's override) as `file:line: error: ...`.

Jinja rewrites tracebacks so that the frames of template code carry the template's file
name and line; the innermost such frame is where the mistake is.
"""

from __future__ import annotations

import os
from types import TracebackType

import jinja2

from .errors import SchemaFirstError


def template_error(exc: BaseException) -> SchemaFirstError | None:
    """The user-facing error for an exception raised while rendering, or None when the
    exception did not come from template code (a bug in the generator itself)."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        file, line = exc.filename or exc.name or "", exc.lineno
    else:
        where = _innermost_template_frame(exc.__traceback__)
        if where is None or not (isinstance(exc, jinja2.TemplateError) or _last_is(exc, where)):
            return None
        file, line = where
    message = exc.message if isinstance(exc, jinja2.TemplateError) else None
    text = message or f"{type(exc).__name__}: {exc}"
    return SchemaFirstError(f"template error: {text}", _shown(file), line)


def _frames(tb: TracebackType | None) -> list[tuple[str, int]]:
    out = []
    while tb is not None:
        out.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    return out


def _is_template(filename: str) -> bool:
    return not filename.endswith(".py") and not filename.startswith("<")


def _innermost_template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    found = [frame for frame in _frames(tb) if _is_template(frame[0])]
    return found[-1] if found else None


def _last_is(exc: BaseException, frame: tuple[str, int]) -> bool:
    """True when template code itself raised (not a Python function it called)."""
    frames = _frames(exc.__traceback__)
    return bool(frames) and frames[-1] == frame


def _shown(file: str) -> str:
    """A template path relative to the working folder when inside it."""
    if not file:
        return "<template>"
    relative = os.path.relpath(file)
    return file if relative.startswith("..") else relative
