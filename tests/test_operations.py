"""Models from operations (`--scope paths|all`) and the `OPERATIONS` index.

The committed cases operations_all (scope all) and operations_only (no components,
scope paths) hold the exact output; this file checks the index as Python sees it, the
default scope's warning, what each scope keeps, and operationId clashes.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from generator.build import BuildOptions, build_package
from generator.cli import main
from generator.errors import SchemaFirstError
from generator.spec.load import load_bytes
from tests.casekit import import_expected
from tests.conftest import ROOT

CASES = ROOT / "tests" / "cases"


def test_operations_index_names_the_body_types() -> None:
    pkg = import_expected(CASES / "operations_all")
    ops = pkg.OPERATIONS  # type: ignore[attr-defined]
    assert list(ops) == ["GetUsers", "PostUsers", "GetUser"]  # operationId, else method + path
    get = ops["GetUsers"]
    assert (get.method, get.path, get.request) == ("GET", "/users", None)
    assert get.responses == {
        "200": list[pkg.GetUsersResponse200Inner],  # type: ignore[attr-defined,name-defined]
        "default": pkg.Error,  # type: ignore[attr-defined]  # a $ref keeps its name
    }
    assert get.responses["200"] == pkg.GetUsersResponse200  # type: ignore[attr-defined]
    post = ops["PostUsers"]
    assert post.request is pkg.PostUsersRequest  # type: ignore[attr-defined]
    assert post.responses == {"201": pkg.PostUsersResponse201}  # type: ignore[attr-defined]
    assert "204" not in post.responses  # no JSON body
    # Parameters: an inline enum becomes a model named after the operation.
    assert [m.value for m in pkg.GetUsersStatus] == ["active", "banned"]  # type: ignore[attr-defined]
    assert isinstance(get, pkg.Operation)  # type: ignore[attr-defined]


def test_a_nullable_body_decodes_null() -> None:
    pkg = import_expected(CASES / "operations_all")
    t = pkg.OPERATIONS["GetUser"].responses["200"]  # type: ignore[attr-defined]
    assert t == pkg.GetUserResponse200 | None  # type: ignore[attr-defined]
    assert pkg.decode(t, None) is None  # type: ignore[attr-defined]
    assert pkg.decode(t, {"id": "u1"}).id == "u1"  # type: ignore[attr-defined]
    with pytest.raises(pkg.ValidationError) as info:  # type: ignore[attr-defined]
        pkg.decode(t, 3)  # type: ignore[attr-defined]
    assert str(info.value) == "$: expected null or object, got integer"


def test_operations_only_spec_with_scope_paths() -> None:
    pkg = import_expected(CASES / "operations_only")
    ops = pkg.OPERATIONS  # type: ignore[attr-defined]
    assert list(ops) == ["GetPetsPetId", "replacePet"]
    assert ops["GetPetsPetId"].responses == {"200": pkg.GetPetsPetIdResponse200}  # type: ignore[attr-defined]
    assert ops["replacePet"].request == pkg.ReplacePetRequest  # type: ignore[attr-defined]
    assert ops["replacePet"].responses == {"default": pkg.JsonValue}  # type: ignore[attr-defined]
    value = pkg.GetPetsPetIdResponse200.from_dict({"id": "p", "kind": "dog"})  # type: ignore[attr-defined]
    assert value.kind is pkg.GetPetsPetIdResponse200Kind.DOG  # type: ignore[attr-defined]


def test_default_scope_gives_an_empty_package_and_says_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    spec = "tests/cases/operations_only/spec.yaml"
    capsys.readouterr()
    code = main(["generate", "--spec", spec, "--out", str(tmp_path), "--package", "empty"])
    err = capsys.readouterr().err
    assert code == 0
    assert err.startswith(
        f"{spec}:1:1: warning: the spec defines no schemas in components/schemas: the package"
        " is empty; its operations may define models: generate them with --scope paths"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        empty = importlib.import_module("empty")
    finally:
        sys.path.remove(str(tmp_path))
    assert not hasattr(empty, "OPERATIONS")
    assert sorted(empty.__all__) == [
        "JsonValue",
        "UNSET",
        "UnknownVariant",
        "Unset",
        "ValidationError",
        "decode",
        "decode_json",
        "encode",
    ]


SPEC = b"""
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /a:
    get:
      operationId: op
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Used"}}}
components:
  schemas:
    Used: {type: object, properties: {x: {type: string}}}
    Unused: {type: object, properties: {y: {type: string}}}
"""


@pytest.mark.parametrize(
    ("scope", "names", "operations"),
    [
        ("schemas", ["Unused", "Used"], []),
        ("paths", ["Used"], ["op"]),
        ("all", ["Unused", "Used"], ["op"]),
    ],
)
def test_what_each_scope_keeps(scope: str, names: list[str], operations: list[str]) -> None:
    pkg = build_package(load_bytes(SPEC, "s.yaml"), BuildOptions(scope=scope))
    assert [d.name for d in pkg.definitions] == names
    assert [op.key for op in pkg.operations] == operations


def test_a_repeated_operation_id_is_an_error() -> None:
    spec = SPEC.replace(
        b"components:", b"  /b:\n    post:\n      operationId: op\n      responses: {}\ncomponents:"
    )
    with pytest.raises(SchemaFirstError) as info:
        build_package(load_bytes(spec, "s.yaml"), BuildOptions(scope="paths"))
    assert str(info.value).startswith("s.yaml:14:7: error: operationId 'op' of POST /b is also")
    assert str(info.value).endswith("that of GET /a")


@pytest.mark.parametrize("case", ["operations_all", "operations_only"])
def test_operations_module_is_emitted_in_blacks_style(case: str) -> None:
    """The template alone gives black's layout: no formatter needed for operations.py."""
    import black

    from generator import __version__
    from generator.generate import load_package
    from generator.render import Meta, render_package

    pkg = load_package(CASES / case / "spec.yaml", scope="all")
    meta = Meta(__version__, pkg.spec_name, pkg.spec_sha256, f"case_{case}", "json")
    raw = render_package(pkg, meta)["operations.py"]
    assert raw == black.format_str(raw, mode=black.Mode())
