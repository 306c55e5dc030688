"""Unicode property escapes (`\\p{Letter}`, `\\P{Nd}`) in JSON Schema patterns.

JSON Schema patterns are ECMA-262 regular expressions with Unicode semantics; Python's
`re` has no `\\p{...}`. A pattern that uses one is translated when the generated package
first uses it: each escape becomes a character class built from the running Python's
`unicodedata` (the generated code is the same whatever Python generated it). Here: which
general categories each property name means, and the check at generation time that every
name is known and the rest of the pattern compiles.
"""

from __future__ import annotations

import re

# Unicode general categories, by short name, long name and alias (Unicode's
# PropertyValueAliases.txt, the names ECMA-262 accepts), -> the two-letter categories.
_GROUPS = (
    (("L", "Letter"), ("Lu", "Ll", "Lt", "Lm", "Lo")),
    (("LC", "Cased_Letter"), ("Lu", "Ll", "Lt")),
    (("Lu", "Uppercase_Letter"), ("Lu",)),
    (("Ll", "Lowercase_Letter"), ("Ll",)),
    (("Lt", "Titlecase_Letter"), ("Lt",)),
    (("Lm", "Modifier_Letter"), ("Lm",)),
    (("Lo", "Other_Letter"), ("Lo",)),
    (("M", "Mark", "Combining_Mark"), ("Mn", "Mc", "Me")),
    (("Mn", "Nonspacing_Mark"), ("Mn",)),
    (("Mc", "Spacing_Mark"), ("Mc",)),
    (("Me", "Enclosing_Mark"), ("Me",)),
    (("N", "Number"), ("Nd", "Nl", "No")),
    (("Nd", "Decimal_Number", "digit"), ("Nd",)),
    (("Nl", "Letter_Number"), ("Nl",)),
    (("No", "Other_Number"), ("No",)),
    (("P", "Punctuation", "punct"), ("Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po")),
    (("Pc", "Connector_Punctuation"), ("Pc",)),
    (("Pd", "Dash_Punctuation"), ("Pd",)),
    (("Ps", "Open_Punctuation"), ("Ps",)),
    (("Pe", "Close_Punctuation"), ("Pe",)),
    (("Pi", "Initial_Punctuation"), ("Pi",)),
    (("Pf", "Final_Punctuation"), ("Pf",)),
    (("Po", "Other_Punctuation"), ("Po",)),
    (("S", "Symbol"), ("Sm", "Sc", "Sk", "So")),
    (("Sm", "Math_Symbol"), ("Sm",)),
    (("Sc", "Currency_Symbol"), ("Sc",)),
    (("Sk", "Modifier_Symbol"), ("Sk",)),
    (("So", "Other_Symbol"), ("So",)),
    (("Z", "Separator"), ("Zs", "Zl", "Zp")),
    (("Zs", "Space_Separator"), ("Zs",)),
    (("Zl", "Line_Separator"), ("Zl",)),
    (("Zp", "Paragraph_Separator"), ("Zp",)),
    (("C", "Other"), ("Cc", "Cf", "Cs", "Co", "Cn")),
    (("Cc", "Control", "cntrl"), ("Cc",)),
    (("Cf", "Format"), ("Cf",)),
    (("Cs", "Surrogate"), ("Cs",)),
    (("Co", "Private_Use"), ("Co",)),
    (("Cn", "Unassigned"), ("Cn",)),
)
ALL_CATEGORIES = tuple(sorted({c for _, cats in _GROUPS for c in cats}))
CATEGORIES: dict[str, tuple[str, ...]] = {
    **{name: cats for names, cats in _GROUPS for name in names},
    # Binary properties that are unions of categories.
    "Any": ALL_CATEGORIES,
    "Assigned": tuple(c for c in ALL_CATEGORIES if c != "Cn"),
}
_PREFIXES = ("General_Category=", "gc=")
# A backslash escape: `\p{...}` / `\P{...}` is group 1 (the letter) and 2 (the name).
ESCAPE = re.compile(r"\\(?:([pP])\{([^}]*)\}|.)", re.S)


def property_name(raw: str) -> str:
    """`General_Category=Letter` and `gc=Letter` name `Letter`."""
    for prefix in _PREFIXES:
        if raw.startswith(prefix):
            return raw[len(prefix) :]
    return raw


def properties(pattern: str) -> list[str]:
    """The property names `pattern`'s `\\p{...}`/`\\P{...}` escapes use, as written."""
    return [m.group(2) for m in ESCAPE.finditer(pattern) if m.group(1)]


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be used (an unknown property, bad syntax), or None."""
    for name in properties(pattern):
        if property_name(name) not in CATEGORIES:
            return f"unknown Unicode property {name!r}"
    # One character stands in for a property here (valid inside `[...]` and outside):
    # the syntax around it is what is checked.
    text = ESCAPE.sub(lambda m: "a" if m.group(1) else m.group(0), pattern)
    try:
        re.compile(text)
    except re.error as exc:
        return str(exc)
    return None


def used_categories(patterns: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(name as written, its categories) for every property the patterns use, sorted."""
    names = {name for p in patterns for name in properties(p)}
    found = {n: CATEGORIES[property_name(n)] for n in names if property_name(n) in CATEGORIES}
    return tuple(sorted(found.items()))


def schema_patterns(node: object) -> list[str]:
    """Every pattern in a schema and the schemas inside it: `pattern` values and the
    keys of `patternProperties` (anything else that looks like one adds no names)."""
    found: list[str] = []
    todo = [node]
    while todo:
        item = todo.pop()
        if isinstance(item, list):
            todo += item
        elif isinstance(item, dict):
            if isinstance(item.get("pattern"), str):
                found.append(item["pattern"])
            if isinstance(item.get("patternProperties"), dict):
                found += [k for k in item["patternProperties"] if isinstance(k, str)]
            todo += list(item.values())
    return found
