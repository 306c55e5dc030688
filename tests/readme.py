"""Code blocks of README.md, so that tests run the examples users copy."""

from __future__ import annotations

import re

from tests.conftest import ROOT

_BLOCK = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)


def section(heading: str) -> str:
    """The text of the README section titled `heading`, up to the next heading of any level
    (a `#` line inside a code block is not a heading)."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines(keepends=True)
    out: list[str] = []
    inside = fenced = False
    for line in lines:
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#+ ", line):
            if inside:
                break
            inside = line.split(" ", 1)[1].strip() == heading
            continue
        if inside:
            out.append(line)
    assert out, f"README has no section {heading!r}"
    return "".join(out)


def code_blocks(heading: str, language: str) -> list[str]:
    """The fenced code blocks of one language in a README section."""
    found = [body for lang, body in _BLOCK.findall(section(heading)) if lang == language]
    assert found, f"README section {heading!r} has no {language} block"
    return found


def commands(heading: str) -> list[str]:
    """The shell commands of a section's `sh` blocks, without comments and blank lines."""
    lines = "\n".join(code_blocks(heading, "sh")).splitlines()
    return [re.split(r"\s+# ", line)[0].strip() for line in lines if line.strip()[:1] not in "#"]
