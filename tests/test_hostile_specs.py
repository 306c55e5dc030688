"""Hostile specs: every string is untrusted, every name is hostile, every file is a bomb.

Case folders (tests/cases/hostile_*/) hold the corpus. Besides what tests/test_cases.py
checks (expected/ byte for byte, payloads.yaml), this file runs:

    error.txt         the exact one line the CLI prints (exit 2, no traceback, nothing
                      written) for a spec it must refuse;
    warnings.txt      the exact warning lines of a run that succeeds;
    strict-error.txt  the exact error line of the same run with --strict.

The CLI runs in-process from the repository root with a relative spec path, so messages
name `tests/cases/<case>/spec.yaml` (with `--config` pointing at an empty file, so the
repository's own jobs do not take part).

Then hypothesis fills specs with hostile strings and names, generates, parses every
module with `ast`, imports the package in a fresh interpreter and checks that nothing
injected ran, that every string survived intact, and that the docs tables and the
Mermaid diagram are well formed.
"""

from __future__ import annotations

import ast
import json
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.config import Job
from generator.errors import SchemaFirstError
from generator.generate import generate
from generator.naming import class_name
from generator.spec import load as load_module
from generator.spec.load import MAX_DEPTH, load_bytes
from generator.spec.refs import schema_pointer
from generator.targets.python import docstring
from tests.casekit import case_dirs, read_tree, spec_of
from tests.conftest import ROOT, hypothesis_examples
from tests.hostile_strings import hostile_names, hostile_text, injections

HOSTILE = [c for c in case_dirs() if c.name.startswith("hostile_")]
# Also the multi-file cases (files_*), whose errors may point into a referenced file.
ERROR_CASES = [c for c in case_dirs() if (c / "error.txt").exists()]
WARNING_CASES = [c for c in case_dirs() if (c / "warnings.txt").exists()]
STRICT_CASES = [c for c in case_dirs() if (c / "strict-error.txt").exists()]


def run_cli(
    tmp_path: Path,
    spec: Path | str,
    *extra: str,
    capsys: pytest.CaptureFixture[str],
    package: str = "pkg",
) -> tuple[int, str, Path]:
    """Run `schemafirst generate` in-process from the repository root."""
    config = tmp_path / "empty.toml"
    config.write_text("")
    out = tmp_path / "out"
    capsys.readouterr()
    code = main(
        [
            "generate",
            "--config",
            str(config),
            "--spec",
            str(spec),
            "--out",
            str(out),
            "--package",
            package,
            "--formatter",
            "ruff",
            *extra,
        ]
    )
    return code, capsys.readouterr().err, out


def relative(case: Path) -> str:
    return spec_of(case).relative_to(ROOT).as_posix()


# --- the case corpus ---------------------------------------------------------------


def test_corpus_covers_every_class() -> None:
    """One case folder per class of hostile input the issue lists (see the README table)."""
    names = {c.name for c in HOSTILE}
    for required in (
        "hostile_escaping",
        "hostile_json_spec",
        "hostile_names",
        "hostile_name_collision",
        "hostile_case_collision",
        "hostile_dangling_ref",
        "hostile_remote_ref",
        "hostile_file_ref",
        "hostile_ref_self_cycle",
        "hostile_ref_mutual_cycle",
        "hostile_recursion",
        "hostile_alias_bomb",
        "hostile_string_bomb",
        "hostile_recursive_alias",
        "hostile_duplicate_key",
        "hostile_duplicate_key_json",
        "hostile_yaml_syntax",
        "hostile_json_syntax",
        "hostile_empty",
        "hostile_not_utf8",
        "hostile_nul_byte",
        "hostile_lone_surrogate",
        "hostile_deep_yaml",
        "hostile_deep_json",
        "hostile_huge_integer",
        "hostile_json_nan",
        "hostile_python_tag",
        "hostile_not_a_mapping",
        "hostile_unsupported",
    ):
        assert required in names, f"missing case folder tests/cases/{required}"
    for case in HOSTILE:
        has_expected = (case / "expected").is_dir()
        assert has_expected != (case / "error.txt").exists(), (
            f"{case.name}: exactly one of expected/ and error.txt"
        )


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda c: c.name)
def test_error_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code, err, out = run_cli(tmp_path, relative(case), capsys=capsys)
    expected = (case / "error.txt").read_text(encoding="utf-8")
    assert code == 2
    assert err == expected
    line = r"tests/cases/\w+/[\w/]+\.(yaml|yml|json)(:\d+:\d+)?: error: [^\n]+\n"
    assert re.fullmatch(f"({line})+", err)
    assert "Traceback" not in err
    assert not out.exists(), "a refused spec must not write anything"


@pytest.mark.parametrize("case", WARNING_CASES, ids=lambda c: c.name)
def test_warnings_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Unsupported keywords and renames are reported with their location, never silently."""
    monkeypatch.chdir(ROOT)
    code, err, out = run_cli(tmp_path, relative(case), capsys=capsys)
    assert code == 0
    warnings = [line for line in err.splitlines(keepends=True) if ": warning: " in line]
    assert "".join(warnings) == (case / "warnings.txt").read_text(encoding="utf-8")
    others = [line for line in err.splitlines() if ": warning: " not in line]
    assert len(others) == 1 and " models; " in others[0]  # the summary line


@pytest.mark.parametrize("case", STRICT_CASES, ids=lambda c: c.name)
def test_strict_case(
    case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    code, err, out = run_cli(tmp_path, relative(case), "--strict", capsys=capsys)
    assert code == 2
    assert err == (case / "strict-error.txt").read_text(encoding="utf-8")
    assert not out.exists()


@pytest.mark.parametrize(
    ("formatter", "words"),
    [
        ("ruff", "ruff format: error: Failed to parse models.py:"),
        ("black", "black: "),
        ("none", "compile: invalid syntax"),
    ],
)
def test_unparsable_output_is_an_internal_error(
    formatter: str,
    words: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Generated code that does not parse is a bug in the tool: said so, with the file,
    line and definition that produced it and the formatter's own message."""
    monkeypatch.chdir(ROOT)
    templates = tmp_path / "templates" / "python"
    templates.mkdir(parents=True)
    (templates / "models.py.jinja").write_text(
        "{% for d in pkg.definitions %}\nclass {{ d.name }}(:\n    pass\n{% endfor %}\n"
    )
    spec = relative(ROOT / "tests" / "cases" / "enums")
    extra = ("--templates", str(tmp_path / "templates"), "--formatter", formatter)
    code, err, out = run_cli(tmp_path, spec, *extra, capsys=capsys)
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(
        "error: internal error: generated code does not parse models.py:1"
        " (from the definition of Color) ("
    ), err
    assert words in err and err.endswith("); please report this bug\n")
    assert not out.exists()


def test_traceback_only_with_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    spec = relative(ROOT / "tests" / "cases" / "hostile_dangling_ref")
    code, err, _ = run_cli(tmp_path, spec, capsys=capsys)
    assert code == 2 and "Traceback" not in err and err.count("\n") == 1
    code, err, _ = run_cli(tmp_path, spec, "--debug", capsys=capsys)
    assert code == 2 and "Traceback (most recent call last)" in err
    assert err.endswith((ROOT / "tests/cases/hostile_dangling_ref/error.txt").read_text())


def test_error_cases_through_the_real_command(tmp_path: Path) -> None:
    """The same, as a user runs it: a fresh `python -m schemafirst`, exit status 2."""
    for name in ("hostile_alias_bomb", "hostile_python_tag", "hostile_deep_yaml"):
        case = ROOT / "tests" / "cases" / name
        proc = subprocess.run(
            [sys.executable, "-m", "schemafirst", "generate", "--spec", relative(case)]
            + ["--out", str(tmp_path / "out"), "--package", "pkg"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr == (case / "error.txt").read_text()
        assert proc.stdout == ""


# --- YAML and JSON: bombs, depth, encodings -------------------------------------------


def _limited(seconds: int, megabytes: int) -> Any:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds))

    return limit


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        pytest.param(
            "flow.yaml",
            "a: " + "[" * 200_000 + "]" * 200_000 + "\n",
            "spec.yaml:1:203: error: nesting deeper than 200 levels",
            id="yaml-flow-200k",
        ),
        pytest.param(
            "maps.yaml",
            "a: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
            "spec.yaml:1:800: error: nesting deeper than 200 levels",
            id="yaml-mappings-100k",
        ),
        pytest.param(
            "seq.yaml",
            "- " * 100_000 + "1\n",
            "spec.yaml:1:401: error: nesting deeper than 200 levels",
            id="yaml-block-100k",
        ),
        pytest.param(
            "deep.json",
            '{"a": ' + "[" * 200_000 + "]" * 200_000 + "}",
            "spec.json:1:206: error: nesting deeper than 200 levels",
            id="json-200k",
        ),
    ],
)
def test_extreme_nesting_is_a_clear_error_in_bounded_memory(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """Hundreds of thousands of levels: one line, exit 2; no RecursionError, and no
    crash of libyaml's recursive C composer (a segfault before the depth check)."""
    spec = tmp_path / ("spec" + Path(name).suffix)
    spec.write_text(text)
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "schemafirst", "generate", "--spec", spec.name]
        + ["--out", "out", "--package", "pkg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limited(30, 1024),
    )
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    assert proc.stderr == message + "\n"
    assert time.monotonic() - start < 20


def test_alias_bombs_are_bounded_in_time_and_memory(tmp_path: Path) -> None:
    """Billion laughs (nodes) and a string bomb (text): refused before expansion, in a
    process limited to 512 MB of address space."""
    for name in ("hostile_alias_bomb", "hostile_string_bomb"):
        case = ROOT / "tests" / "cases" / name
        start = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "schemafirst", "generate", "--spec", relative(case)]
            + ["--out", str(tmp_path / "out"), "--package", "pkg"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            preexec_fn=_limited(20, 512),
        )
        assert proc.returncode == 2, proc.stderr[-500:]
        assert proc.stderr == (case / "error.txt").read_text()
        assert time.monotonic() - start < 15


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "x.yaml:1:1: error: spec is empty"),
        ("   \n\n# only a comment\n", "x.yaml:1:1: error: spec is empty"),
        ("\ufeff", "x.yaml:1:1: error: spec is empty"),
        ("a: 1\na: 2\n", "x.yaml:2:1: error: duplicate key 'a' (first defined on line 1)"),
        ("a: &x [*x]\n", "x.yaml:1:4: error: recursive YAML alias"),
        (
            "a: !!binary aGk=\n",
            "x.yaml:1:4: error: unsupported YAML tag 'tag:yaml.org,2002:binary'",
        ),
        ("a: !!set {x}\n", "x.yaml:1:4: error: unsupported YAML tag 'tag:yaml.org,2002:set'"),
        ("a: !custom 1\n", "x.yaml:1:4: error: unsupported YAML tag '!custom'"),
        ("? [a]\n: 1\n", "x.yaml:1:3: error: mapping keys must be scalars"),
        (
            "a: [1, 2\n",
            "x.yaml:2:1: error: invalid YAML: while parsing a flow sequence"
            " expected ',' or ']', but got '<stream end>'",
        ),
        (
            "\ta: 1\n",
            "x.yaml:1:1: error: invalid YAML: while scanning for the next token"
            " found character '\\t' that cannot start any token",
        ),
        (
            "just a string\n",
            "x.yaml:1:1: error: spec must be a mapping at the top level, not a string",
        ),
    ],
)
def test_yaml_errors(text: str, error: str) -> None:
    with pytest.raises(SchemaFirstError) as info:
        load_bytes(text.encode("utf-8"), "x.yaml")
    assert str(info.value) == error


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        (b'{"a": 1,\n "a": 2}', "x.json:2:2: error: duplicate key 'a' (first defined on line 1)"),
        (
            b'{"a": {"b": 1, "\\u0062": 2}}',
            "x.json:1:16: error: duplicate key 'b' (first defined on line 1)",
        ),
        (b'{"a": Infinity}', "x.json:1:7: error: Infinity is not valid JSON"),
        (b'{"a": "NaN", "b": -Infinity}', "x.json:1:19: error: -Infinity is not valid JSON"),
        (
            b'{"a": 1,}',
            "x.json:1:9: error: invalid JSON: Expecting property name enclosed in double quotes",
        ),
        (b'{"a": "\xff"}', "x.json:1:8: error: spec is not UTF-8 (invalid byte 0xff)"),
        (b"\xff\xfe{\x00}\x00", "x.json:1:1: error: spec is not UTF-8 (invalid byte 0xff)"),
        (
            b'{"a": "\\udc00"}',
            "x.json:1:1: error: string '\\udc00' holds a lone surrogate (not Unicode text)",
        ),
        (
            b'{"a": ' + b"1" * 5000 + b"}",
            "x.json:1:7: error: integer 111111111111... has more than 4300 digits",
        ),
        (b"[1]", "x.json:1:1: error: spec must be a mapping at the top level, not an array"),
    ],
)
def test_json_errors(raw: bytes, error: str) -> None:
    with pytest.raises(SchemaFirstError) as info:
        load_bytes(raw, "x.json")
    assert str(info.value) == error


def test_json_and_yaml_specs_load_alike_with_positions() -> None:
    """A JSON spec is a first-class input: same data, and positions for every object."""
    yaml_doc = load_bytes((ROOT / "tests/cases/recursive/spec.yaml").read_bytes(), "s.yaml")
    text = json.dumps(yaml_doc.data, indent=1)
    json_doc = load_bytes(text.encode(), "s.json")
    assert json_doc.data == yaml_doc.data
    stack: list[Any] = [json_doc.data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            line, column = json_doc.position(value)
            assert line > 0 and text.splitlines()[line - 1][column - 1] == "{"
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def test_yaml_is_read_with_the_1_2_core_schema() -> None:
    """No YAML 1.1 surprises in a spec: `09`, `yes`, `on`, dates and `0o17`."""
    doc = load_bytes(b"a: 09\nb: yes\nc: on\nd: 2024-01-01\ne: 0o17\nf: 0x1F\ng: 012\n", "x.yaml")
    assert doc.data == {"a": 9, "b": "yes", "c": "on", "d": "2024-01-01", "e": 15, "f": 31, "g": 12}


def test_depth_bound_is_exact() -> None:
    """MAX_DEPTH objects and arrays are fine in both syntaxes; one more is an error."""
    for depth, ok in ((MAX_DEPTH, True), (MAX_DEPTH + 1, False)):
        value = "[" * (depth - 1) + "]" * (depth - 1)
        for raw, name in ((f'{{"a": {value}}}', "x.json"), (f"a: {value}\n", "x.yaml")):
            if ok:
                load_bytes(raw.encode(), name)
            else:
                with pytest.raises(SchemaFirstError, match="nesting deeper than 200 levels"):
                    load_bytes(raw.encode(), name)


# libyaml 0.2.6 (PyYAML 6.0.4 wheels) refuses more than 1000 nested levels with an error
# of its own; older versions have no limit. Ours is checked the same way on every parser.
LIBYAML_OWN_LIMIT = 1000


def _nested(style: str, depth: int) -> tuple[str, tuple[int, int]]:
    """A document nesting `depth` objects/arrays, and where its level MAX_DEPTH + 1 starts."""
    if style == "flow":  # the top mapping, then depth - 1 arrays: `a: [[...]]`
        return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n", (1, 4 + MAX_DEPTH - 1)
    lines = [" " * i + f"k{i}:" for i in range(depth)]  # one mapping a line
    return "\n".join(lines) + " 1\n", (MAX_DEPTH + 1, MAX_DEPTH + 1)


class _StricterLibyaml(load_module._Loader):  # type: ignore[misc,name-defined,unused-ignore]
    """libyaml as a future version might be: refusing documents nested deeper than 150."""

    def get_event(self) -> Any:
        event = super().get_event()
        self.level = getattr(self, "level", 0) + isinstance(
            event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)
        )
        if self.level > 150:
            raise yaml.YAMLError("exceeded maximum nesting depth")
        return event


@pytest.mark.parametrize("parser", ["installed", "pure-python", "stricter-libyaml"])
@pytest.mark.parametrize("style", ["flow", "block"])
@pytest.mark.parametrize(
    "depth",
    [180, MAX_DEPTH, MAX_DEPTH + 1] + [LIBYAML_OWN_LIMIT + d for d in (-1, 0, 1, 2)],
)
def test_depth_limit_is_the_same_whatever_yaml_library(
    parser: str, style: str, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below, at and above our limit and libyaml's own: the verdict and the message are ours."""
    if parser == "pure-python":
        monkeypatch.setattr(load_module, "_Loader", load_module._PyLoader)
        monkeypatch.setattr(load_module, "LIBYAML", False)
    elif parser == "stricter-libyaml":
        monkeypatch.setattr(load_module, "_Loader", _StricterLibyaml)
    text, (line, col) = _nested(style, depth)
    if depth <= MAX_DEPTH:
        doc = load_bytes(text.encode(), "x.yaml")
        value: Any = doc.data
        levels = 0
        while isinstance(value, (dict, list)):  # the document really is that deep
            levels += 1
            items = list(value.values()) if isinstance(value, dict) else value
            value = items[0] if items else None
        assert levels == depth
        return
    with pytest.raises(SchemaFirstError) as info:
        load_bytes(text.encode(), "x.yaml")
    assert str(info.value) == f"x.yaml:{line}:{col}: error: nesting deeper than {MAX_DEPTH} levels"


def test_the_installed_libyaml_is_the_one_the_limit_test_is_about() -> None:
    """The lock file pins PyYAML with libyaml; the depth test above covers its own limit."""
    assert load_module.LIBYAML
    with pytest.raises(yaml.YAMLError, match="maximum nesting depth"):
        list(yaml.parse("[" * (LIBYAML_OWN_LIMIT + 1), Loader=yaml.CSafeLoader))


def test_aliases_cannot_multiply_depth() -> None:
    """Chained anchors each under the bound, together far over it."""
    lines = ["x0: &x0 " + "[" * 150 + "1" + "]" * 150]
    lines += [f"x{i}: &x{i} " + "[" * 150 + f"*x{i - 1}" + "]" * 150 for i in range(1, 5)]
    with pytest.raises(SchemaFirstError, match="nesting deeper than 200 levels"):
        load_bytes("\n".join(lines).encode(), "x.yaml")


# --- $ref -----------------------------------------------------------------------------

REF_SPEC = """openapi: 3.0.3
info: {{title: Refs, version: "1"}}
paths: {{}}
components:
  schemas:
    Order:
      type: object
      properties:
        x:
          $ref: {ref}
"""


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        ("'https://evil.example/a.yaml#/A'", "remote"),
        ("'http://127.0.0.1:1/x'", "remote"),
        ("'//evil.example/a.yaml'", "remote"),
        ("'file:///etc/passwd'", "remote"),
        ("'ftp://evil.example/x'", "remote"),
        ("'urn:x:a'", "remote"),
        ("'../../../etc/passwd'", "file"),
        ("'/etc/passwd#/root'", "file"),
        ("'sub/../../other.yaml'", "file"),
        ("'C:\\\\Windows\\\\win.ini'", "file"),
    ],
)
def test_refs_are_never_fetched_nor_read(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    ref: str,
    kind: str,
) -> None:
    """Remote URLs are refused without touching the network; file references that leave
    the spec's folder are refused without opening the file."""
    import builtins
    import io
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("schemafirst tried to use the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    folder = tmp_path / "api"  # the spec's folder; other.yaml exists just outside it
    folder.mkdir()
    (folder / "spec.yaml").write_text(REF_SPEC.format(ref=ref))
    (tmp_path / "other.yaml").write_text("components: {schemas: {A: {type: string}}}\n")
    opened: list[str] = []
    real_open = io.open

    def watch_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.chdir(folder)
    monkeypatch.setattr(builtins, "open", watch_open)
    monkeypatch.setattr(io, "open", watch_open)
    code, err, out = run_cli(tmp_path, "spec.yaml", capsys=capsys)
    assert code == 2 and not out.exists()
    assert err.startswith("spec.yaml:10:11: error: ")
    word = "remote reference" if kind == "remote" else "file reference"
    assert word in err
    assert not any(p.endswith(("passwd", "other.yaml", "win.ini")) for p in opened), opened


def test_dangling_ref_inside_a_json_spec_has_a_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(
        '{"openapi": "3.0.3",\n "components": {"schemas": {\n  "A": {"type": "object",'
        ' "properties": {\n   "b": {"$ref": "#/components/schemas/B"}}}}}}'
    )
    monkeypatch.chdir(tmp_path)
    code, err, _ = run_cli(tmp_path, "spec.json", capsys=capsys)
    assert code == 2
    assert err == ("spec.json:4:9: error: dangling $ref '#/components/schemas/B': 'B' not found\n")


def test_long_pure_ref_chains_resolve_in_linear_time(tmp_path: Path) -> None:
    """3000 schemas that only `$ref` the next one: each chain is checked once."""
    lines = ["openapi: 3.0.3", 'info: {title: t, version: "1"}', "components:", "  schemas:"]
    for i in range(3000):
        lines.append(f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}")
    lines.append("    S3000: {type: string}")
    from generator.spec.refs import RefResolver

    doc = load_bytes("\n".join(lines).encode(), "x.yaml")
    resolver = RefResolver(doc)
    start = time.monotonic()
    for i in range(3000):
        resolver.lookup(f"#/components/schemas/S{i}", None)
    assert time.monotonic() - start < 2


# --- hypothesis: hostile strings everywhere ------------------------------------------

SENTINEL = Path(tempfile.gettempdir()) / f"schemafirst-pwned-{os.getpid()}"
TEXT = hostile_text(str(SENTINEL))


def _unique_class_names(names: list[str]) -> bool:
    lowered = [class_name(n).lower() for n in names]
    return len(set(lowered)) == len(lowered)


@st.composite
def property_schemas(draw: st.DrawFn, json_spec: bool) -> tuple[dict[str, Any], Any]:
    """(property schema, a value for it) with hostile strings wherever strings go."""
    kind = draw(
        st.sampled_from(["string", "enum", "const", "int", "number", "list", "map", "pattern"])
    )
    schema: dict[str, Any]
    value: Any
    if kind == "string":
        schema = {"type": "string"}
        value = draw(TEXT)
    elif kind == "enum":
        values = draw(st.lists(TEXT, min_size=2, max_size=4, unique=True))
        schema = {"type": "string", "enum": values}
        value = draw(st.sampled_from(values))
    elif kind == "const":
        value = draw(TEXT)
        schema = {"type": "string", "const": value}
    elif kind == "int":
        schema = {"type": "integer"}
        value = draw(st.integers(-(2**70), 2**70))
    elif kind == "number":
        schema = {"type": "number"}
        value = draw(st.floats(allow_nan=False, allow_infinity=False))
        if not json_spec and draw(st.booleans()):  # a default the payload cannot hold
            schema["default"] = draw(st.sampled_from([math.nan, math.inf, -math.inf]))
    elif kind == "list":
        schema = {"type": "array", "items": {"type": "string"}}
        value = draw(st.lists(TEXT, max_size=3))
    elif kind == "map":
        schema = {"type": "object", "additionalProperties": {"type": "string"}}
        value = draw(st.dictionaries(TEXT, TEXT, max_size=3))
    else:
        literal = draw(TEXT)
        schema = {"type": "string", "pattern": "^" + re.escape(literal) + "$"}
        value = literal
    for key in ("description", "title", "example"):
        if draw(st.booleans()):
            schema[key] = draw(TEXT)
    if kind != "const" and "default" not in schema and draw(st.booleans()):
        schema["default"] = value
    return schema, value


@st.composite
def hostile_specs(draw: st.DrawFn) -> tuple[dict[str, Any], bool, dict[str, dict[str, Any]]]:
    """(spec, written as JSON?, a valid payload per object schema)."""
    json_spec = draw(st.booleans())
    names = draw(
        st.lists(hostile_names(), min_size=1, max_size=3, unique_by=lambda n: class_name(n).lower())
    )
    schemas: dict[str, Any] = {}
    payloads: dict[str, dict[str, Any]] = {}
    for name in names:
        props = draw(st.lists(hostile_names(), min_size=1, max_size=4, unique=True))
        properties: dict[str, Any] = {}
        payload: dict[str, Any] = {}
        for prop in props:
            properties[prop], payload[prop] = draw(property_schemas(json_spec))
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "required": draw(st.lists(st.sampled_from(props), unique=True)),
        }
        for key in ("description", "title"):
            if draw(st.booleans()):
                schema[key] = draw(TEXT)
        schemas[name] = schema
        payloads[name] = payload
    enum_name = draw(hostile_names())
    if _unique_class_names([*names, enum_name]):
        schemas[enum_name] = {
            "type": "string",
            "description": draw(TEXT),
            "enum": draw(st.lists(TEXT, min_size=2, max_size=5, unique=True)),
        }
    union_name = draw(hostile_names())
    if len(names) >= 2 and _unique_class_names([*schemas, union_name]):
        tags = draw(st.lists(TEXT, min_size=2, max_size=2, unique=True))
        schemas[union_name] = {
            "description": draw(TEXT),
            "oneOf": [{"$ref": schema_pointer(n)} for n in names[:2]],
            "discriminator": {
                "propertyName": draw(hostile_names()),
                "mapping": {tag: schema_pointer(n) for tag, n in zip(tags, names, strict=False)},
            },
        }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": draw(TEXT), "version": draw(TEXT)},
        "paths": {},
        "components": {"schemas": schemas},
    }
    return spec, json_spec, payloads


# Run in a fresh interpreter: import the package (any executed injection creates the
# sentinel or exits with status 3), decode each model's payload and report what the
# package holds, for the test to compare with the spec.
IMPORT_SCRIPT = r"""
import dataclasses, enum, importlib, json, sys
sys.path.insert(0, sys.argv[1])
pkg = importlib.import_module(sys.argv[2])
payloads = json.loads(sys.argv[3])
report = {"docs": {}, "enums": {}, "roundtrip": {}, "defaults": {}}
for name in pkg.__all__:
    obj = getattr(pkg, name)
    if isinstance(obj, type) and issubclass(obj, enum.Enum):
        report["enums"][name] = [m.value for m in obj]
        report["docs"][name] = obj.__doc__
    elif isinstance(obj, type) and hasattr(obj, "from_dict"):
        report["docs"][name] = obj.__doc__
        defaults = {}
        for f in dataclasses.fields(obj):
            if f.default is not dataclasses.MISSING:
                v = f.default
            elif f.default_factory is not dataclasses.MISSING:
                v = f.default_factory()
            else:
                continue
            if v is pkg.UNSET or f.name == "additional_properties":
                continue
            defaults[f.name] = v.value if isinstance(v, enum.Enum) else v
        report["defaults"][name] = defaults
for name, payload in payloads.items():
    cls = getattr(pkg, name)
    value = cls.from_dict(payload, strict=True)
    again = cls.from_json(value.to_json())
    report["roundtrip"][name] = value.to_dict() == payload and again == value
print(json.dumps(report))
"""


def _cells(row: str) -> int:
    """Cells in a GFM table row: pipes split cells unless a backslash is right before."""
    return len(re.split(r"(?<!\\)\|", row))


# The tables the templates write: (header, delimiter) -> how each row starts. Text from
# a spec may hold Markdown of its own (OpenAPI descriptions are CommonMark), so only
# these tables are checked: one per page, each row with exactly the template's cells.
TEMPLATE_TABLES = {
    (
        "Name | Type | Description | Notes",
        "------------ | ------------- | ------------- | -------------",
    ): r"\*\*\w+\*\* \| ",  # a field
    ("Name | Value", "------------ | -------------"): r"\*\*\w+\*\* \| ",  # an enum member
    (
        "Model | Kind | Description",
        "------------ | ------------- | -------------",
    ): r"\[\*\*\w+\*\*\]\(\w+\.md\) \| (model|enum|union|alias) \| ",
    ("Type | Description", "------------ | -------------"): r"\S",  # a type label
}


def check_docs(folder: Path) -> None:
    """Every generated table keeps its column count and one row per item; every
    Mermaid line parses."""
    docs = folder / "docs"
    pages = sorted(docs.glob("*.md"))
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lines = text.split("\n")
        tables = 0
        for i, pair in enumerate(zip(lines, lines[1:], strict=False)):
            if pair not in TEMPLATE_TABLES:
                continue
            tables += 1
            columns = _cells(pair[1])
            j = i + 2
            while j < len(lines) and lines[j]:
                assert _cells(lines[j]) == columns, (page.name, lines[j])
                assert re.match(TEMPLATE_TABLES[pair], lines[j]), (page.name, lines[j])
                j += 1
        alias = "\n## Type\n" in text and page.name != "README.md"
        assert tables == (0 if alias else 1), (page.name, tables)
    index = (docs / "README.md").read_text(encoding="utf-8")
    table_rows = re.findall(r"^\[\*\*(\w+)\*\*\]\(\w+\.md\) \| ", index, re.M)
    assert sorted(table_rows) == sorted(p.stem for p in pages if p.name != "README.md")
    diagram = index.rsplit("```mermaid\n", 1)[1].split("\n```", 1)[0].split("\n")
    grammar = re.compile(
        r"classDiagram|    class \w+ \{|        \+[A-Za-z0-9_ #;]+ [A-Za-z0-9_#;]+|    \}"
        r"|    \w+ --> \w+ : [A-Za-z0-9_ #;]+"
    )
    for line in diagram:
        assert grammar.fullmatch(line), line


# Names the injections call; generated code never does.
FORBIDDEN_NAMES = {"__import__", "exec", "eval", "system", "_exit", "touch"}


def check_python(folder: Path) -> None:
    """Every module parses; no injected name is ever code (only ever inside strings)."""
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name):
                assert node.id not in FORBIDDEN_NAMES, (path.name, node.id, node.lineno)
            elif isinstance(node, ast.Attribute):
                assert node.attr not in FORBIDDEN_NAMES, (path.name, node.attr, node.lineno)
        for stmt in tree.body:  # a module body only defines things
            assert isinstance(
                stmt,
                (
                    ast.Import,
                    ast.ImportFrom,
                    ast.ClassDef,
                    ast.FunctionDef,
                    ast.Assign,
                    ast.AnnAssign,
                ),
            ) or (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)), (
                path.name,
                ast.dump(stmt)[:200],
            )


class _Yaml12Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1; strings that YAML 1.2's core schema reads as numbers (`0E0`,
    `1e5`) must be quoted for our 1.2 loader to read them back as strings."""


_Yaml12Dumper.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$"),
    list("-+0123456789."),
)


def yaml_text(spec: dict[str, Any]) -> str:
    """YAML that loads back to exactly `spec`. PyYAML's emitter writes some line breaks
    (`\x85`) raw, which YAML folds into a space; ASCII-only output escapes them."""
    text = yaml.dump(spec, Dumper=_Yaml12Dumper, allow_unicode=True)
    if not _same(load_bytes(text.encode(), "s.yaml").data, spec):
        text = yaml.dump(spec, Dumper=_Yaml12Dumper, allow_unicode=False)
    assert _same(load_bytes(text.encode(), "s.yaml").data, spec)
    return text


def _docstring_breaks(text: str) -> bool:
    try:
        return ast.literal_eval(docstring(text)) is None
    except SyntaxError:
        return True


def _words(text: str) -> list[str]:
    return text.replace("\t", "    ").split()


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b) and type(a) is type(b)


@settings(
    max_examples=hypothesis_examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(drawn=hostile_specs())
def test_hostile_strings_never_execute_and_survive_intact(
    drawn: tuple[dict[str, Any], bool, dict[str, dict[str, Any]]],
) -> None:
    spec, json_spec, payloads = drawn
    SENTINEL.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="schemafirst-hostile-") as tmp:
        root = Path(tmp)
        spec_path = root / ("spec.json" if json_spec else "spec.yaml")
        text = json.dumps(spec, ensure_ascii=False) if json_spec else yaml_text(spec)
        spec_path.write_text(text, encoding="utf-8")
        job = Job(name="h", spec=spec_path, out=root / "out", package="hostile", formatter="ruff")
        result = generate(job)
        assert not SENTINEL.exists(), "an injected statement ran during generation"
        folder = job.folder
        assert sorted(p.name for p in root.iterdir()) == ["out", spec_path.name]
        assert [p.name for p in (root / "out").iterdir()] == ["hostile"]
        check_python(folder)
        check_docs(folder)
        classes = {class_name(n): n for n in spec["components"]["schemas"]}
        wanted = {class_name(n): p for n, p in payloads.items()}
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(root / "out"), "hostile", json.dumps(wanted)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert not SENTINEL.exists(), "an injected statement ran on import or decode"
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert not (root / "PWNED").exists()
        report = json.loads(proc.stdout)
    # Everything reached the package intact: roundtrips, docstrings, enum values, defaults.
    assert all(report["roundtrip"].values()), report["roundtrip"]
    for cls, raw in classes.items():
        schema = spec["components"]["schemas"][raw]
        text = schema.get("description") or schema.get("title")
        if cls in report["docs"] and text and text.strip() and "oneOf" not in schema:
            assert _words(report["docs"][cls]) == _words(text.strip()), cls
        if "enum" in schema and "properties" not in schema:
            assert report["enums"][cls] == schema["enum"]
        for default in report["defaults"].get(cls, {}).values():
            assert any(
                _same(default, p.get("default")) or _same(default, p.get("const"))
                for p in schema.get("properties", {}).values()
            ), default
    assert result.package.definitions


@settings(
    max_examples=hypothesis_examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    schema_names=st.lists(hostile_names(), min_size=1, max_size=4, unique=True),
    property_names=st.lists(hostile_names(), min_size=1, max_size=6, unique=True),
)
def test_hostile_names_give_valid_deterministic_code_or_a_clear_error(
    schema_names: list[str], property_names: list[str]
) -> None:
    """Any names: valid code, identical on every run, nothing outside the package
    folder; or, for schemas whose class names clash, an error naming both schemas."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1"},
        "components": {
            "schemas": {
                n: {
                    "type": "object",
                    "required": property_names[:1],
                    "properties": {p: {"type": "string"} for p in property_names},
                }
                for n in schema_names
            }
        },
    }
    clashing = {
        schema_pointer(n)
        for n in schema_names
        for m in schema_names
        if n != m and class_name(n).lower() == class_name(m).lower()
    }
    with tempfile.TemporaryDirectory(prefix="schemafirst-names-") as tmp:
        root = Path(tmp)
        spec_path = root / "spec.yaml"
        spec_path.write_text(yaml_text(spec), encoding="utf-8")
        trees = []
        for run in ("a", "b"):
            job = Job(name="n", spec=spec_path, out=root / run, package="names", formatter="ruff")
            try:
                generate(job)
            except SchemaFirstError as err:
                assert clashing, f"unexpected error: {err}"
                named = [p for p in clashing if repr(p) in err.message]  # as the message quotes
                assert len(named) >= 2, err.message
                assert err.line > 0, "the error has a location"
                return
            assert not clashing, "clashing class names were not reported"
            trees.append(read_tree(job.folder))
        assert trees[0] == trees[1], "output is not deterministic"
        assert sorted(p.name for p in root.iterdir()) == ["a", "b", "spec.yaml"]
        for run in ("a", "b"):
            assert [p.name for p in (root / run).iterdir()] == ["names"]
        check_python(root / "a" / "names")
        check_docs(root / "a" / "names")
        payload = {p: f"value {i}" for i, p in enumerate(property_names)}
        wanted = {class_name(n): payload for n in schema_names}
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(root / "a"), "names", json.dumps(wanted)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert all(json.loads(proc.stdout)["roundtrip"].values())


def test_committed_hostile_packages_import_without_running_anything(tmp_path: Path) -> None:
    """The expected packages of the hostile cases, imported and exercised in a fresh
    interpreter whose working folder would receive the file PWNED."""
    for case in HOSTILE:
        expected = case / "expected"
        if not expected.is_dir():
            continue
        package = f"case_{case.name}"
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_SCRIPT, str(expected), package, "{}"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, (case.name, proc.returncode, proc.stderr[-1000:])
        assert not (tmp_path / "PWNED").exists()
        check_python(expected / package)
        check_docs(expected / package)


def test_injection_strings_are_what_they_claim(tmp_path: Path) -> None:
    """Guard against a vacuous test: the injections do run when executed as code."""
    sentinel = tmp_path / "ran"
    source = injections(str(sentinel))[0]  # '"""; <touch> #'
    exec(compile('x = """' + source + '"""', "<probe>", "exec"), {})  # noqa: S102
    assert sentinel.exists()


# --- regressions: bugs these tests found (fixed in ce06e89) -------------------------


def _generate_text(tmp_path: Path, text: str, package: str = "pkg") -> Path:
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    job = Job(name="x", spec=spec, out=tmp_path / "out", package=package, formatter="ruff")
    generate(job)
    return job.folder


HEADER = 'openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\ncomponents:\n  schemas:\n'


def test_a_long_reference_chain_generates(tmp_path: Path) -> None:
    lines = [HEADER]
    for i in range(300):
        ref = f"'#/components/schemas/S{i + 1}'"
        lines.append(f"    S{i}: {{type: object, properties: {{next: {{$ref: {ref}}}}}}}\n")
    lines.append("    S300: {type: string}\n")
    folder = _generate_text(tmp_path, "".join(lines))
    assert (folder / "models.py").exists()


def test_docstring_ending_in_triple_quotes(tmp_path: Path) -> None:
    for text in ('"""', 'ends with """', '""""""', 'a\\"""'):
        assert not _docstring_breaks(text), text
    _generate_text(
        tmp_path,
        HEADER + '    A:\n      type: object\n      title: \'"""\'\n'
        "      properties:\n        x: {type: string}\n",
    )


def test_non_finite_bounds_are_literals(tmp_path: Path) -> None:
    folder = _generate_text(
        tmp_path,
        HEADER + "    A:\n      type: object\n      properties:\n"
        "        a: {type: number, minimum: -.inf, maximum: .inf}\n",
    )
    proc = subprocess.run(
        [sys.executable, "-c", "import pkg; pkg.A.from_dict({'a': 1})"],
        cwd=folder.parent,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-300:]


def test_bidi_controls_are_escaped_in_docstrings(tmp_path: Path) -> None:
    folder = _generate_text(
        tmp_path,
        HEADER + '    A:\n      type: string\n      description: "x \\u202e y \\u2066"\n',
    )
    source = (folder / "models.py").read_text(encoding="utf-8")
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", source)


def test_a_code_fence_in_a_description_cannot_swallow_the_table(tmp_path: Path) -> None:
    folder = _generate_text(
        tmp_path,
        HEADER + '    A:\n      type: object\n      description: "before\\n```\\nafter"\n'
        "      properties:\n        x: {type: string}\n",
    )
    page = (folder / "docs" / "A.md").read_text(encoding="utf-8")
    table = page.index("Name | Type | Description | Notes")
    fences = [m.start() for m in re.finditer(r"^ {0,3}(```|~~~)", page, re.M)]
    assert all(f > table for f in fences), "a fence opened before the table hides it"


def test_a_union_containing_itself(tmp_path: Path) -> None:
    try:
        folder = _generate_text(
            tmp_path,
            HEADER + "    A:\n      oneOf:\n        - {$ref: '#/components/schemas/A'}\n"
            "        - {type: string}\n    H:\n      type: object\n"
            "      properties:\n        a: {$ref: '#/components/schemas/A'}\n",
        )
    except SchemaFirstError:
        return  # refusing the spec with a clear error would be a fix too
    proc = subprocess.run(
        [sys.executable, "-c", "import pkg; print(pkg.H.from_dict({'a': 'x'}))"],
        cwd=folder.parent,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr[-300:]


def test_a_non_object_schema_error_has_a_location(tmp_path: Path) -> None:
    with pytest.raises(SchemaFirstError) as info:
        _generate_text(
            tmp_path, HEADER + "    A:\n      type: object\n      properties:\n        a: 5\n"
        )
    assert info.value.line > 0, str(info.value)


def test_cli_package_cannot_escape_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    spec = relative(ROOT / "tests" / "cases" / "hostile_names")
    code, _, out = run_cli(tmp_path, spec, capsys=capsys, package="../escaped")
    assert not (tmp_path / "escaped").exists(), "wrote outside the --out folder"
    assert code == 2
