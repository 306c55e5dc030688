"""The one exception type the tool raises for problems in its input or environment."""

from __future__ import annotations


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
