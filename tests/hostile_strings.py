"""Hostile inputs shared by the hostile-spec and hostile-payload tests.

Spec side: strings that would run code, break a literal, a docstring, a comment, a
Jinja template, a Markdown table or a Mermaid diagram if they reached one unescaped;
and names that are not identifiers, are keywords, collide after normalisation or look
like paths.

Payload side: arbitrary Python values a caller may hand to `from_dict` (not only JSON:
bytes, sets, tuples, non-string keys, NaN, huge integers, deep nesting) and text or
bytes for `from_json`.
"""

from __future__ import annotations

import keyword
import math
from typing import Any

from hypothesis import strategies as st

# --- strings from a spec ----------------------------------------------------------


def injections(sentinel: str) -> list[str]:
    """Strings that create the file `sentinel` (or exit with status 3) if any of them is
    ever executed: each tries to close the literal, docstring, comment or template it
    lands in and run a statement of its own."""
    touch = f"__import__('pathlib').Path({sentinel!r}).touch()"
    exit3 = "__import__('os')._exit(3)"
    return [
        f'"""; {touch} #',
        f"'''; {touch} #",
        f'"; {touch} #',
        f"'; {touch} #",
        f'\\"; {touch} #',
        f'"""\n{touch}\n"""',
        f"\n{touch}\n",
        f"\r{touch}\r",
        f"\r\n{exit3}\r\n",
        f"\\\n{touch}",
        f'x"""\n{exit3}\n#',
        f"{{{{ {touch} }}}}",
        "{{ 7*7 }}",
        "{{ self.__init__.__globals__ }}",
        f"{{% raw %}}{touch}{{% endraw %}}",
        "{% raw %}",
        "{% endraw %}",
        "{# unclosed comment",
        "{%- if true -%}x{%- endif -%}",
        f"\x00{touch}",
        f"\u2028{touch}\u2029",
        f"\x85{exit3}",
        f"\x0b\x0c{touch}",
        f"# {touch}\n{touch}",
        f"*/ {touch} /*",
        f"\t{touch}",
        f"\\N{{LATIN SMALL LETTER A}}{touch}",
        f'f"{{{touch}}}"',
    ]


# Text that breaks Markdown tables, code spans, HTML and Mermaid if it is not escaped.
MARKUP = [
    "a | b | c",
    "\\|",
    "\\\\|",
    "|",
    "||",
    "`code | pipe`",
    "``",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- comment",
    "&amp; &lt;",
    "[link](javascript:alert(1))",
    "**bold",
    "---",
    "# heading",
    "Name | Type | Description | Notes\n------------ | -------------",
    'click A callback "x"',
    "A --> B : label",
    "}\nclass Evil {",
    "%%{init: {}}%%",
    "#59;",
    "Ünïcödé ✓ 日本語 🚀 \u200b\ufeff",
    "\u202e reversed",
    "trailing backslash \\",
    "line\nbreak",
    "cr\ronly",
    "crlf\r\nline",
    "   ",
    "",
]

# Characters that matter to one escaping context or another.
_NASTY_ALPHABET = st.sampled_from(
    list("\"'\\`|{}%#<>&*_[]()!$\n\r\t\x00\x0b\x0c\x85\u2028\u2029\ufeff\u200b")
    + ['"""', "'''", "{{", "}}", "{%", "%}", "{#", "#}", "-->", "<br>", "é", "日", "🚀"]
)

# Any Unicode text except lone surrogates (a spec is UTF-8 text; the loader rejects
# JSON `\ud800` escapes, see the hostile_surrogate case).
_ANY_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=20,
)


def hostile_text(sentinel: str = "PWNED") -> st.SearchStrategy[str]:
    """Strings built from injections, markup and nasty characters."""
    fixed = st.sampled_from(injections(sentinel) + MARKUP)
    pieces = st.one_of(fixed, _NASTY_ALPHABET, _ANY_TEXT)
    return st.one_of(
        fixed,
        st.lists(pieces, min_size=1, max_size=5).map("".join),
    )


# --- names from a spec --------------------------------------------------------------

SOFT_KEYWORDS = ["match", "case", "_", "type"]
NAME_SAMPLES = [
    *keyword.kwlist,
    *SOFT_KEYWORDS,
    "a-b",
    "a_b",
    "a.b",
    "a b",
    "1st",
    "123",
    "",
    " ",
    "-",
    "__init__",
    "__class__",
    "__dict__",
    "self",
    "cls",
    "str",
    "list",
    "dict",
    "float",
    "field",
    "dataclass",
    "to_dict",
    "from_json",
    "additional_properties",
    "UNSET",
    "Unset",
    "ValidationError",
    "JsonValue",
    "decode",
    "decode_json",
    "encode",
    "TypeVar",
    "overload",
    "TypeIndex",
    "Any",
    "Path",
    "Errors",
    "Union",
    "Enum",
    "README",
    "readme",
    "_generated",
    "models",
    "../../etc/passwd",
    "..",
    ".",
    "/abs/path",
    "a/b",
    "a\\b",
    "C:\\x",
    "~user",
    "$dollar",
    "日本語",
    "Ünïcödé",
    "🚀",
    "camelCase",
    "PascalCase",
    "SCREAMING_CASE",
    "x" * 120,
]


def hostile_names() -> st.SearchStrategy[str]:
    """Schema, property and enum names: keywords, non-identifiers, paths, Unicode."""
    return st.one_of(
        st.sampled_from(NAME_SAMPLES),
        st.lists(st.sampled_from(NAME_SAMPLES + list("-._/ 0")), min_size=1, max_size=3).map(
            "".join
        ),
        _ANY_TEXT,
    )


# --- payloads ------------------------------------------------------------------------


class Odd:
    """An object no JSON decoder knows; equal to nothing but itself."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "Odd()"


HUGE_INT = 10**5000  # more digits than int() / repr() convert by default
# Too large for a float, small enough for repr() (hypothesis prints drawn values, so
# HUGE_INT itself is used only by deterministic tests).
BIG_INTS = [10**400, -(10**400), 2**63, -(2**63) - 1, 2**64, 2**1024]


def deep(depth: int, leaf: Any = 1, kind: str = "list") -> Any:
    """A value nested `depth` levels, built iteratively (no recursion to build it)."""
    value = leaf
    for i in range(depth):
        value = [value] if kind == "list" else {("k" if kind == "dict" else i): value}
    return value


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(BIG_INTS),
    st.floats(),  # NaN and infinities included
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324]),
    st.text(max_size=10),
    st.binary(max_size=6),
    st.sampled_from(["", "\x00", "\ud800", "a" * 200, "1", "true", "null", "{}", "[]"]),
    st.just(Odd()),
    st.complex_numbers(max_magnitude=10, allow_nan=False),
)
_keys = st.one_of(
    st.text(max_size=8),
    st.integers(),
    st.sampled_from([10**400, None, True, 1.5, math.nan, b"k", (1, 2), frozenset({1})]),
)


def hostile_values(field_names: list[str] | None = None) -> st.SearchStrategy[Any]:
    """Arbitrary Python values: JSON-ish trees with every non-JSON thing mixed in.

    With `field_names`, dict keys are often the names a model expects, so the values
    reach the field decoders instead of all landing in `additional_properties`.
    """
    keys = _keys if not field_names else st.one_of(st.sampled_from(field_names), _keys)

    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(keys, children, max_size=4),
            st.lists(children, max_size=3).map(tuple),
            st.frozensets(st.integers(0, 5), max_size=3),
            st.sets(st.text(max_size=3), max_size=3),
        )

    return st.recursive(_scalars, extend, max_leaves=12)


def hostile_objects(field_names: list[str]) -> st.SearchStrategy[dict[Any, Any]]:
    """Objects keyed mostly by a model's own property names, with hostile values."""
    keys = st.one_of(st.sampled_from(field_names), _keys) if field_names else _keys
    return st.dictionaries(keys, hostile_values(field_names), max_size=6)


def hostile_json_text() -> st.SearchStrategy[Any]:
    """Inputs for `from_json`: broken JSON, non-JSON constants, huge numbers, deep
    nesting, bad UTF-8, and things that are not text at all."""
    fixed = st.sampled_from(
        [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "{'a': 1}",
            "NaN",
            "Infinity",
            "-Infinity",
            '{"a": NaN}',
            "1e999",
            "-1e999",
            "9" * 5000,
            '{"a": ' + "9" * 5000 + "}",
            "[" * 100_000 + "]" * 100_000,
            '{"a":' * 50_000 + "1" + "}" * 50_000,
            '"\\ud800"',
            '{"\\u0000": 1}',
            '{"a": 1, "a": 2}',
            "null",
            "true",
            "[]",
            '"text"',
            "\ufeff{}",
        ]
    )
    as_bytes = st.one_of(
        st.binary(max_size=40),
        st.sampled_from([b"\xff\xfe", b'{"a": "\xff"}', b"\xef\xbb\xbf{}", b"\x00" * 4]),
    )
    other = st.sampled_from([None, 1, 1.5, [], {}, Odd(), memoryview(b"{}")])
    return st.one_of(
        fixed,
        st.text(max_size=40),
        as_bytes,
        as_bytes.map(bytearray),
        other,
    )
