"""One formatter per output format: each turns a `Report` into the text to print."""

from __future__ import annotations

from collections.abc import Callable

from ...diff.formats import json, markdown, text
from ...diff.report import Report

FORMATTERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json.render,
}
