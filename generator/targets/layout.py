"""Lay out generated lines in black's style, without running a formatter.

Generated code is written so that almost every line fits in LINE_LENGTH. The few that
may not (calls, signatures and literals whose names come from the spec) end in a
bracket, and `fit` explodes that bracket one item per line with a trailing comma. black
and ruff format both keep such a "magic trailing comma" construct exploded, so the
result is already stable under either (tests run both as oracles). Long string literals
are left as they are: black never splits them either.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

LINE_LENGTH = 88
_OPEN = {"(": ")", "[": "]", "{": "}"}


def width(text: str) -> int:
    """Columns `text` takes, as black and ruff count them: East Asian wide and full-width
    characters take two."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def _char_width(ch: str) -> int:
    category, east_asian = unicodedata.category(ch), unicodedata.east_asian_width(ch)
    if category == "Cn":
        # Unassigned in this Python's Unicode tables: wide in the ideograph planes
        # (where newer Unicode versions assign them) and full-width blocks.
        return 2 if 0x20000 <= ord(ch) <= 0x3FFFD else 1
    if category in ("Mn", "Mc"):
        return 1  # combining marks and modifiers never widen a line
    return 2 if east_asian in "WF" else 1


_CLOSE = {")", "]", "}"}
# What may follow the exploded bracket: nothing, a colon, a comma, a return annotation.
_TAIL = re.compile(r"(?: -> [\w.]+)?:?,?")


# What `_scan` looks at: a whole string literal (skipped), a lone quote (unterminated),
# a bracket, a comma or a comment sign.
_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[][(){},#"']""", re.S)


def _scan(line: str) -> tuple[list[tuple[int, int]], list[int]] | None:
    """Bracket pairs (open, close) and top-level commas of each bracket, by position.

    Returns None for a line this helper does not understand (unbalanced brackets or an
    unterminated string), which is then left alone."""
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    commas: list[int] = []
    for m in _TOKEN.finditer(line):
        token, i = m.group(), m.start()
        if len(token) > 1:
            continue  # a string literal
        if token in "\"'#":
            return None  # an unterminated string, or a comment (never on a long line)
        if token in _OPEN:
            stack.append(i)
        elif token == ",":
            commas.append(i)
        else:
            if not stack or _OPEN[line[stack[-1]]] != token:
                return None
            pairs.append((stack.pop(), i))
    if stack:
        return None
    return pairs, commas


def _items(
    line: str, start: int, end: int, commas: list[int], pairs: list[tuple[int, int]]
) -> list[str]:
    """The comma-separated items directly inside the bracket at (start, end)."""
    inner = [(o, c) for o, c in pairs if start < o and c < end]
    cuts = [p for p in commas if start < p < end and not any(o < p < c for o, c in inner)]
    bounds = [start, *cuts, end]
    parts = [line[a + 1 : b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [p for p in parts if p]


def _top_level(text: str) -> str:
    """`text` with what is inside its brackets and strings blanked out (same length)."""
    return _top_level_with_positions(text)


def _is_comprehension(item: str) -> bool:
    return " for " in _top_level(item)


def _is_call_or_literal(line: str, start: int, item: str) -> bool:
    """Whether one item may get a trailing comma: a call's argument or a list/set/dict
    literal's item, not a parenthesized expression, a subscript or a comprehension."""
    if _is_comprehension(item):
        return False
    before = line[:start].rstrip()
    follows_name = bool(before) and (before[-1].isalnum() or before[-1] in "_)]")
    if line[start] == "(":
        return follows_name
    if line[start] == "[":
        return not follows_name
    return True


def fit(line: str, limit: int = LINE_LENGTH, bracketed: bool = False) -> list[str]:
    """`line` (with its indentation) as one or more lines of at most `limit` characters,
    by exploding its last bracket with a magic trailing comma, repeatedly.

    `bracketed`: the assignment's target stands for one with brackets (the end of a
    target split over several lines), which changes how black splits the value."""
    if width(line) <= limit:
        return [line]
    if _CONDITION.fullmatch(line):
        return _condition(line, limit)
    scanned = _scan(line)
    if scanned is None:
        return [line]
    pairs, commas = scanned
    closers = [c for _, c in pairs]
    if not closers:
        return _wrap_value(line, limit)
    close = max(closers)
    tail = line[close + 1 :]
    if _TAIL.fullmatch(tail) is None:
        return _wrap_value(line, limit)
    start = next(o for o, c in pairs if c == close)
    head, value = _value(line)
    callee = value[: start - len(line)]
    indent = line[: len(line) - len(line.lstrip())]
    pad = indent + "    "
    if callee and not _prefer_call_split(head, callee, limit, bracketed):
        return _wrap_value(line, limit)
    inside = line[start + 1 : close].strip()
    if _is_comprehension(inside):
        return _comprehension(line[: start + 1], inside, indent + line[close:], pad, limit)
    items = _items(line, start, close, commas, pairs)
    if not items:
        return _wrap_value(line, limit)
    if len(items) == 1 and not _is_call_or_literal(line, start, items[0]):
        if line[start] == "[":  # a subscript: split at its bracket, no comma (not a tuple)
            return [line[: start + 1], *_item(pad + items[0], limit), indent + line[close:]]
        return [line]
    out = [*split_head(line[: start + 1], limit)]
    body = _hugged(line, start, inside, items)
    if body is not None and len(out) > 1 and value and width(out[0]) <= limit:
        # The target itself splits, and its first line fits: black splits the target
        # first, and the rest, `] = value`, is laid out as a line of its own.
        return [*out[:-1], *_tail(indent, value, out[-1].strip()[0])]
    if body is not None and width(pad + body) <= limit:
        return [*out, pad + body, indent + line[close:]]
    if len(items) == 1 and body is not None and not body.endswith(","):
        # One item split further: black's right-hand split adds no comma after it.
        out += _item(pad + body, limit)
    else:
        for item in items:
            out += _item(f"{pad}{item},", limit)
    out.append(indent + line[close:])
    return out


def _hugged(line: str, start: int, inside: str, items: list[str]) -> str | None:
    """The items of the bracket at `start` on one line, as black keeps them when that
    line fits (its right-hand split leaves the body whole); None where black explodes
    them one per line anyway: a literal (list, set, dict, tuple) of several items, an
    import. A lone parameter of a `def` gets black's trailing comma."""
    stripped = line.lstrip()
    if stripped.startswith(("from ", "import ")) or inside.endswith(","):
        return None  # an import, or a magic trailing comma: exploded
    is_def = stripped.startswith(("def ", "async def ")) and line[start] == "("
    if len(items) == 1:
        return items[0] + "," if is_def else items[0]
    if line[start] == "{" or not _follows_name(line, start):
        return None  # a display of several items: black always explodes it
    return ", ".join(items)


def _follows_name(line: str, start: int) -> bool:
    """Whether the bracket at `start` is a call's or a subscript's (it follows a name,
    or a closing bracket), not a display or parenthesized expression (after an
    operator or a keyword such as `return`)."""
    before = line[:start].rstrip()
    if not before or not (before[-1].isalnum() or before[-1] in "_)]"):
        return False
    word = re.search(r"\w+$", before)
    return word is None or not keyword.iskeyword(word.group())


def _prefer_call_split(head: str, callee: str, limit: int, bracketed: bool = False) -> bool:
    """For `target = call(...)` too long: whether black splits inside the call's own
    brackets (True) or first wraps the whole value in parentheses (False).

    black (linegen `_prefer_split_rhs_oop_over_rhs`) keeps the call split when the
    target holds no brackets (a plain name, or `return`), when `target = (` would not
    fit anyway, or when `target = call(` fits. An annotation counts as bracketed: black
    gives it invisible parentheses."""
    target = head.strip()
    if target == "return" or not (bracketed or any(c in target for c in "[(:")):
        # black's first split must start with a line that fits: the call split, else
        # `target = (` (when `call(` fits inside), else the call split after all.
        pad = head[: len(head) - len(head.lstrip())] + "    "
        wrap = width(head) + 1 <= limit and width(pad + callee) + 1 <= limit
        return width(head + callee) + 1 <= limit or not wrap
    if width(head) >= limit:
        return True
    return width(head + callee) + 1 <= limit


# `name: annotation = value`, the annotation without top-level `=` (a class field or an
# annotated assignment as the templates write them).
_ANNOTATED = re.compile(r"(\s*)(\w+): ([^=]+?) = (.*)")


_SUBSCRIPTED = re.compile(r"(\s*)(\w+)\[(.*)\] = (.*)")


def split_head(line: str, limit: int = LINE_LENGTH) -> list[str]:
    """The first line of a split, itself split at its target when still too long:
    black's next right-hand split finds the annotation's invisible parentheses, or the
    brackets of a subscript target."""
    if width(line) <= limit:
        return [line]
    m = _ANNOTATED.fullmatch(line)
    if m is not None and "(" not in m.group(3):
        indent, name, ann, rest = m.groups()
        if "[" not in ann or " | " in _top_level(ann):
            return [f"{indent}{name}: (", f"{indent}    {ann}", f"{indent}) = {rest}"]
        if ann.endswith("]"):  # `list[X]`: split at its own bracket
            start = ann.index("[")
            inner = ann[start + 1 : -1]
            head = f"{indent}{name}: {ann[: start + 1]}"
            return [head, f"{indent}    {inner}", f"{indent}] = {rest}"]
    m = _SUBSCRIPTED.fullmatch(line)
    if m is not None and _scan(f"[{m.group(3)}]") is not None:
        indent, name, key, rest = m.groups()
        return [f"{indent}{name}[", f"{indent}    {key}", f"{indent}] = {rest}"]
    return [line]


def _item(line: str, limit: int) -> list[str]:
    """One line inside exploded brackets: what `fit` does, and a sum of strings that does
    not fit split before each `+`, as black splits at its delimiters."""
    if width(line) > limit:
        conditional = _conditional_value(line, limit)
        if conditional is not None:
            return conditional
    lines = fit(line, limit)
    if lines != [line] or width(line) <= limit:
        return lines
    cuts = _find_all(_top_level(line), " + ")
    if not cuts:
        return lines
    indent = line[: len(line) - len(line.lstrip())]
    bounds = [0, *cuts, len(line)]
    return [indent + line[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]


# `"key": value,`: an item of an exploded dict display whose key is a string literal (no
# comma: the only item).
_DICT_ITEM = re.compile(r"""(\s*)("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'): (.*?)(,?)""")


def _conditional_value(line: str, limit: int) -> list[str] | None:
    """`"key": a if b else c,` that does not fit, as black lays it out: the conditional in
    parentheses, on one line inside them when it fits, else split before `if` and
    `else` (the `else` part split further as a line of its own). None for another item."""
    m = _DICT_ITEM.fullmatch(line)
    if m is None:
        return None
    indent, key, value, comma = m.groups()
    top = _top_level(value)
    cut_if = top.find(" if ")
    cut_else = top.find(" else ", cut_if + 1)
    if cut_if < 0 or cut_else < 0:
        return None
    pad = indent + "    "
    if width(pad + value) <= limit:
        body = [pad + value]
    else:
        body = [
            pad + value[:cut_if],
            pad + value[cut_if + 1 : cut_else],
            *fit(pad + value[cut_else + 1 :], limit),
        ]
    return [f"{indent}{key}: (", *body, f"{indent}){comma}"]


def _comprehension(head: str, inside: str, tail: str, pad: str, limit: int) -> list[str]:
    """A bracketed comprehension as black lays it out: the body on one line when it fits,
    else split before its `for`."""
    if width(pad + inside) <= limit:
        return [head, pad + inside, tail]
    cut = _top_level(inside).index(" for ")
    return [head, pad + inside[:cut].rstrip(), pad + inside[cut:].strip(), tail]


_CONDITION = re.compile(r"\s*(?:if|elif|while) .*:")
# Where black splits a condition that does not fit inside its parentheses, weakest
# binding first.
_OPERATORS = (" or ", " and ", " != ", " == ", " is not ", " is ", " not in ", " in ")


def _condition(line: str, limit: int) -> list[str]:
    """`if cond:` as black lays it out: `cond` in parentheses on its own line, split
    before its weakest operators when that line does not fit either."""
    indent = line[: len(line) - len(line.lstrip())]
    keyword, cond = line.strip()[:-1].split(" ", 1)
    pad = indent + "    "
    head, tail = f"{indent}{keyword} (", indent + "):"
    if width(pad + cond) <= limit:
        return [head, pad + cond, tail]
    top = _top_level_with_positions(cond)
    for op in _OPERATORS:
        cuts = _find_all(top, op)
        if cuts:
            bounds = [0, *cuts, len(cond)]
            parts = [cond[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
            return [head, *(pad + part for part in parts), tail]
    return [line]


_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""", re.S)
_BRACKET = re.compile(r"[\[\](){}]")


def _top_level_with_positions(text: str) -> str:
    """`text` with everything inside brackets and strings blanked out, same length."""
    if not any(c in text for c in "\"'()[]{}"):
        return text
    out = _STRING.sub(lambda m: " " * len(m.group()), text)
    if "'" in out or '"' in out:
        return _top_level_slow(out)  # an unterminated string: blanked to the end
    parts, depth, start, last = [], 0, 0, 0
    for m in _BRACKET.finditer(out):
        if m.group() in _OPEN:
            if depth == 0:
                parts.append(out[last : m.start()])
                start = m.start()
            depth += 1
            continue
        depth -= 1
        if depth < 0:
            return _top_level_slow(out)  # a stray closer blanks the rest
        if depth == 0:
            parts.append(" " * (m.end() - start))
            last = m.end()
    parts.append(" " * (len(out) - start) if depth else out[last:])
    return "".join(parts)


def _top_level_slow(text: str) -> str:
    """`_top_level_with_positions`, one character at a time (the unusual cases)."""
    out, depth, quote, escaped = [], 0, "", False
    for ch in text:
        if quote:
            out.append(" ")
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
            out.append(" ")
        else:
            depth += ch in _OPEN
            depth -= ch in _CLOSE
            out.append(ch if depth == 0 and ch not in _CLOSE else " ")
    return "".join(out)


def _find_all(text: str, needle: str) -> list[int]:
    found, start = [], text.find(needle)
    while start >= 0:
        found.append(start)
        start = text.find(needle, start + len(needle))
    return found


def _wrap_value(line: str, limit: int) -> list[str]:
    """`target = value` whose value starts too far right: the value in parentheses on
    its own line(s), as black does."""
    indent = line[: len(line) - len(line.lstrip())]
    head, value = _value(line)
    if head.endswith("] = ") and "[" in head and width(head) + 1 > limit:
        # The subscript target alone is too long: black splits it first.
        start = head.index("[")
        return [head[: start + 1], f"{indent}    {head[start + 1 : -4]}", *_tail(indent, value)]
    if not head or (width(indent) + 4 + width(value) > limit and _one_token(value)):
        return [line]  # black leaves a single name or string that fits nowhere
    return [head + "(", *fit(indent + "    " + value, limit), indent + ")"]


def _one_token(value: str) -> bool:
    """A name, a number or one string literal: what black cannot split at all."""
    if re.fullmatch(r"\w+", value):
        return True
    prefix = _top_level(value).strip()  # a string's prefix (f, rb, ...) is all that stays
    return value[-1:] in "\"'" and re.fullmatch(r"[a-zA-Z]{0,2}", prefix) is not None


def _tail(indent: str, value: str | None, closer: str = "]") -> list[str]:
    """`] = value` (or `) = value`) closing a split target or annotation, laid out as
    black lays out `x[0] = value` (a target with brackets); just the bracket when there
    is no value."""
    if value is None:
        return [indent + closer]
    lines = fit(f"{indent}_ = {value}", bracketed=True)
    return [f"{indent}{closer}{lines[0][len(indent) + 1 :]}", *lines[1:]]


def _value(line: str) -> tuple[str, str]:
    """(`target = ` or `return `, the value) of an assignment or return; ("", "")."""
    stripped = line.lstrip()
    if stripped.startswith("return "):
        cut = len(line) - len(stripped) + 7
        return line[:cut], line[cut:]
    cut = _top_level(line).find(" = ")
    return (line[: cut + 3], line[cut + 3 :]) if cut >= 0 else ("", "")


def fit_block(text: str, limit: int = LINE_LENGTH) -> str:
    """`fit` applied to every line of a block of generated code (no multi-line strings)."""
    lines = text.split("\n")
    if text.isascii():  # every line as wide as long: measured without a call per line
        if max(map(len, lines)) <= limit:
            return text
    elif all(width(line) <= limit for line in lines):
        return text
    out: list[str] = []
    for line in lines:  # `fit` for the lines too long, the others as they are
        if width(line) <= limit:
            out.append(line)
        else:
            out += fit(line, limit)
    return "\n".join(out)


def union(head: str, parts: list[str], limit: int = LINE_LENGTH) -> str:
    """`head` followed by `A | B | ...` as black lays it out at the top level: one line
    when it fits, else in parentheses, one line inside or one variant per line."""
    one = head + " | ".join(parts)
    if width(one) <= limit:
        return one
    inside = " | ".join(parts)
    if 4 + width(inside) <= limit:
        return f"{head}(\n    {inside}\n)"
    return head + "(\n    " + "\n    | ".join(parts) + "\n)"


def annotated(indent: str, name: str, parts: list[str], default: str | None) -> list[str]:
    """A class-level `name: A | B = default` line as black lays it out when too long:
    the default in parentheses when the rest fits, else the annotation in parentheses
    (one variant per line if need be); an annotation that cannot be shortened stays."""
    ann = " | ".join(parts)
    tail = f" = {default}" if default is not None else ""
    line = f"{indent}{name}: {ann}{tail}"
    if width(line) <= LINE_LENGTH:
        return [line]
    pad = indent + "    "
    if default is not None:
        head = f"{indent}{name}: {ann} = "
        if (
            default.endswith(")")
            and "(" in default
            and _prefer_call_split(head, default[: default.index("(")], LINE_LENGTH)
        ):
            return fit(line)
        if width(head) < LINE_LENGTH:
            # black keeps the annotation whole whenever `name: ann =` leaves room for
            # the opening parenthesis, even if the default is still too long inside.
            body = fit(pad + default) if default[:1] in _OPEN else [pad + default]
            return [head + "(", *body, indent + ")"]
        if len(parts) == 1 and "[" not in ann and width(pad + ann) > LINE_LENGTH:
            return _unsplittable_head(line, head, default)
    if len(parts) == 1 and "[" not in ann:
        if width(pad + ann) > LINE_LENGTH:
            return [line]
        return [f"{indent}{name}: (", pad + ann, *_tail(indent, default, ")")]
    if len(parts) == 1 and ann.endswith("]"):  # `list[X]`: split at its bracket
        lines = _split_subscript(f"{indent}{name}: {ann}")
        return [*lines[:-1], *_tail(indent, default, "]")]
    if len(parts) == 1:
        return fit(line)
    if width(pad + ann) <= LINE_LENGTH:
        return [f"{indent}{name}: (", pad + ann, *_tail(indent, default, ")")]
    body = [pad + parts[0], *(f"{pad}| {p}" for p in parts[1:])]
    out = [f"{indent}{name}: ("]
    for b in body:
        if width(b) > LINE_LENGTH and b.endswith("]"):
            out += _split_subscript(b)
        else:
            out.append(b)
    return [*out, *_tail(indent, default, ")")]


def _unsplittable_head(line: str, head: str, default: str) -> list[str]:
    """`name: Annotation = default` where neither `name: Annotation = (` nor the
    annotation alone fits a line: what black makes of it (its optional parentheses
    around the default end up visible)."""
    indent = head[: len(head) - len(head.lstrip())]
    pad = indent + "    "
    if default[:1] in _OPEN:
        return fit(line)
    if width(pad + default) <= LINE_LENGTH:
        return [f"{head}({default})"]
    if default[:1] in "\"'":
        return [line]
    return [head + "(", pad + default, indent + ")"]


def _split_subscript(line: str) -> list[str]:
    """`X[inner]` (one item) split at its bracket, black's right-hand split."""
    indent = line[: len(line) - len(line.lstrip())]
    start = line.index("[")
    return [line[: start + 1], indent + "    " + line[start + 1 : -1], indent + "]"]


def split_union(annotation: str) -> list[str]:
    """The top-level variants of `A | B[C | D] | Literal["e | f"]`."""
    cuts = _find_all(_top_level(annotation), " | ")
    starts = [0, *(c + 3 for c in cuts)]
    ends = [*cuts, len(annotation)]
    return [annotation[a:b] for a, b in zip(starts, ends, strict=True)]
