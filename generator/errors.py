"""The one exception type the tool raises for problems in its input or environment."""

from __future__ import annotations

from collections.abc import Sequence

# At most this many problems of one run are printed (the rest are counted): enough to
# fix a batch at a time, not so many that the first ones scroll away.
MAX_REPORTED = 100


class SchemaFirstError(Exception):
    """A user-facing error: printed as `file:line:col: error: message`, exit code 2."""

    def __init__(self, message: str, file: str = "", line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        # Source text of the offending line, for a caret display on a terminal.
        self.source_line: str | None = None

    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.file and self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        loc = self.location()
        return f"{loc}: error: {self.message}" if loc else f"error: {self.message}"


class SchemaFirstErrors(SchemaFirstError):
    """Several problems found in one run, like a compiler reports them: one line each."""

    def __init__(self, errors: Sequence[SchemaFirstError]) -> None:
        first = errors[0]
        super().__init__(first.message, first.file, first.line, first.column)
        self.errors = list(errors)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


def combined(errors: Sequence[SchemaFirstError]) -> SchemaFirstError:
    """One error for the problems found (at least one), in file order."""
    ordered = sorted(errors, key=lambda e: (e.file, e.line, e.column))
    return ordered[0] if len(ordered) == 1 else SchemaFirstErrors(ordered)


def raise_all(errors: Sequence[SchemaFirstError]) -> None:
    """Raise every problem found; nothing when there is none."""
    if errors:
        raise combined(errors)
