"""Turning spec names into Python names: classes, fields, enum members, modules.

Every function here is pure and total: any string (empty, non-ASCII, punctuation,
keywords) maps to a valid identifier. Collisions are detected by the callers, which
know the sources to name in an error.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# Names a field may not take: they would shadow the builtins used in annotations of the
# class body, or the methods and attributes every generated class has.
RESERVED_FIELD_NAMES = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "list",
        "dict",
        "bytes",
        "field",
        "dataclass",
        "date",
        "datetime",
        "from_dict",
        "to_dict",
        "from_json",
        "to_json",
        "additional_properties",
    }
)
# Class names that would shadow what every generated module imports.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "Literal",
        "Final",
        "TypeAlias",
        "Union",
        "Enum",
        "Unset",
        "UNSET",
        "JsonValue",
        "ValidationError",
        "UnknownVariant",
        "Path",
        "Errors",
        "UUID",
        "None",
        "True",
        "False",
    }
)
# Class names whose docs page would be a file the package already has (docs/README.md is
# the index), compared without case because file systems may ignore it.
RESERVED_DOC_NAMES = frozenset({"readme"})

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9]|[^A-Za-z0-9]|$)|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def _ascii_words(text: str) -> list[str]:
    """Split on case changes and on anything that is not a letter or digit."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def class_name(raw: str) -> str:
    """`run_object` -> `RunObject`; `AssistantToolsCode` stays; `1x` -> `Model1x`."""
    words = _ascii_words(raw)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name:
        name = "Model"
    if name[0].isdigit():
        name = "Model" + name
    reserved = name in RESERVED_CLASS_NAMES or name.lower() in RESERVED_DOC_NAMES
    if keyword.iskeyword(name) or reserved:
        name += "_"
    return name


def join_class_name(*parts: str) -> str:
    """Name for an inline schema: the parent's class name and a PascalCase suffix."""
    return "".join(class_name(p) if i else p for i, p in enumerate(parts))


def snake_case(raw: str) -> str:
    words = _ascii_words(raw)
    return "_".join(w.lower() for w in words)


def field_name(raw: str) -> str:
    """A property name as a Python attribute: snake_case, never a keyword or reserved."""
    name = snake_case(raw)
    if not name:
        name = "field"
    # A leading underscore from the spec (`_id`) is kept: it is part of the name users know.
    if raw.startswith("_") and not name.startswith("_"):
        name = "_" + name
    if name[0].isdigit():
        name = "field_" + name
    if keyword.iskeyword(name) or name in RESERVED_FIELD_NAMES:
        name += "_"
    return name


def enum_member_name(value: object) -> str:
    """`in_progress` -> `IN_PROGRESS`; `thread.run` -> `THREAD_RUN`; 3 -> `VALUE_3`."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = str(value).replace("-", "MINUS_").replace(".", "_")
        return "VALUE_" + text
    words = _ascii_words(str(value))
    name = "_".join(w.upper() for w in words)
    if not name:
        name = "EMPTY"
    if name[0].isdigit():
        name = "VALUE_" + name
    if keyword.iskeyword(name) or name.startswith("_"):
        name += "_"
    return name


def module_name(raw: str) -> str:
    """A package or module name: snake_case, never a keyword."""
    name = snake_case(raw) or "generated"
    if name[0].isdigit():
        name = "pkg_" + name
    if keyword.iskeyword(name):
        name += "_"
    return name


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`, ... : the first not in `taken` (which is updated)."""
    candidate = name
    n = 2
    while candidate in taken:
        candidate = f"{name}_{n}" if not name.endswith("_") else f"{name}{n}"
        n += 1
    taken.add(candidate)
    return candidate
