"""The decoders and encoders are shaped by templates: a plan of immutable data rendered
by one macro file per kind, each of which a user can override with `--templates`."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.model import EnumDef, ModelDef
from generator.render import builtin_templates
from generator.targets import codec_plan
from generator.targets import python as py
from tests.conftest import GENERATED, SPEC_2025

SPEC = """\
openapi: 3.0.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Color: {type: string, enum: [red, green]}
    Paint:
      type: object
      required: [color]
      properties: {color: {$ref: '#/components/schemas/Color'}}
"""

# The built-in enum macro, changed so that an unknown value is an error even when not
# strict (a closed enum), with a message of the user's own.
CLOSED_ENUM = """\
{% macro decode(n, v, path, errs, strict) %}
_m = {{ n.name }}._value2member_map_.get({{ v }})
if _m is None:
    {{ errs }}.append(({{ path }}, "not a known {{ n.name }}"))
{{ v }} = _m
{% endmacro %}

{% macro encode(x) %}{{ x }}._value_{% endmacro %}
"""


def _generate(tmp_path: Path, templates: Path | None) -> Path:
    spec = tmp_path / "paint.yaml"
    spec.write_text(SPEC)
    out = tmp_path / ("custom" if templates else "default")
    args = ["generate", "--spec", str(spec), "--out", str(out), "--package", "paint", "-q"]
    assert main([*args, *(["--templates", str(templates)] if templates else [])]) == 0
    return out


def _decode(out: Path, payload: str) -> str:
    code = (
        "from paint import Paint, ValidationError\n"
        "try:\n"
        f"    print(Paint.from_json({payload!r}).to_json())\n"
        "except ValidationError as e:\n"
        "    print(e)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=out, capture_output=True, text=True, check=True
    )
    return run.stdout.strip()


def test_override_the_enum_decoder(tmp_path: Path) -> None:
    tpl = tmp_path / "tpl" / "python" / "_codec"
    tpl.mkdir(parents=True)
    (tpl / "enum.jinja").write_text(CLOSED_ENUM)
    default = _generate(tmp_path, None)
    custom = _generate(tmp_path, tmp_path / "tpl")
    codec = (custom / "paint" / "_codec.py").read_text()
    assert '"not a known Color"' in codec
    assert "_enum(" not in codec
    # Known values decode the same; an unknown one is kept by default (open enum) and
    # refused by the override.
    assert _decode(default, '{"color": "red"}') == '{"color":"red"}'
    assert _decode(custom, '{"color": "red"}') == '{"color":"red"}'
    assert _decode(default, '{"color": "blue"}') == '{"color":"blue"}'
    assert _decode(custom, '{"color": "blue"}') == "$.color: not a known Color"
    # Only the private codec changed: the public module is the built-in one.
    models = (custom / "paint" / "models.py").read_bytes()
    assert models == (default / "paint" / "models.py").read_bytes()


def test_each_kind_has_its_macro_file() -> None:
    folder = builtin_templates() / "python" / "_codec"
    kinds = {"scalar", "enum", "list", "map", "tuple", "union", "model", "free_form"}
    assert kinds <= {p.stem for p in folder.glob("*.jinja")}


def test_plan_is_immutable_data() -> None:
    from generator.generate import load_package

    pkg = load_package(SPEC_2025)
    cg = py.Codegen(pkg)
    models = [d for d in pkg.definitions if isinstance(d, ModelDef)]
    plan = codec_plan.build(cg, models, [])
    assert isinstance(plan.functions, tuple) and plan.functions
    first = plan.functions[0]
    assert isinstance(first, codec_plan.ModelDecoder)
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.cls = "Other"  # type: ignore[misc]
    # Values are identifiers and literals only: the status field's plan names its enum.
    run = next(f for f in plan.functions if getattr(f, "cls", None) == "RunObject")
    assert isinstance(run, codec_plan.ModelDecoder)
    status = next(f for f in run.fields if f.attr == "status")
    assert status.value == codec_plan.EnumValue("RunObjectStatus", "string", "_M_RunObjectStatus")
    assert ("_M_RunObjectStatus", "RunObjectStatus") in plan.members
    assert status.key == '"status"' and status.required
    # an enum's decoding reports an absent value (MISSING) as required: no branch of its own
    assert status.missing_checked
    assert isinstance(pkg.by_name()["RunObjectStatus"], EnumDef)


def test_default_templates_give_the_committed_package(tmp_path: Path) -> None:
    """An override folder without `_codec` files leaves the serializers as they are."""
    (tmp_path / "tpl" / "python").mkdir(parents=True)
    args = ["generate", "--spec", str(SPEC_2025), "--out", str(tmp_path), "-q"]
    assert main([*args, "--templates", str(tmp_path / "tpl")]) == 0
    assert (tmp_path / "runobject" / "models.py").read_bytes() == (
        GENERATED / "models.py"
    ).read_bytes()


def run_fresh(script: str) -> subprocess.CompletedProcess[str]:
    """`script` in a fresh interpreter beside the committed package (nothing imported yet)."""
    return subprocess.run(
        [sys.executable, "-c", script], cwd=GENERATED.parent, capture_output=True, text=True
    )


LAZY = """\
import sys
import runobject
from runobject import _runtime
assert "runobject._codec" not in sys.modules, "imported with the models"
run = runobject.RunObjectRequiredActionSubmitToolOutputs.from_dict({"tool_calls": []})
codec = sys.modules["runobject._codec"]
# Loading the codec gave every model its encoder; the lookup by name finds the same.
assert runobject.RunObject.to_dict is codec._e_RunObject
assert _runtime.codec_function("RunObject", encoder=True) is codec._e_RunObject
assert _runtime.codec_function("RunObject") is codec._d_RunObject
assert _runtime.codec_function("Metadata") is codec._d_Metadata
assert _runtime.codec_function("RunObjectStatus") is None
print(run.to_json())
"""


def test_codec_is_private_and_imported_on_first_use() -> None:
    models = (GENERATED / "models.py").read_text()
    assert "def _d_" not in models and "def to_dict" not in models
    assert "import _codec" not in models and "from ._codec" not in models
    run = run_fresh(LAZY)
    assert run.returncode == 0, run.stderr
    assert run.stdout == '{"tool_calls":[]}\n'


EARLY = """\
import sys
import runobject
from runobject import _runtime
assert "runobject._codec" not in sys.modules, "imported with the models"
to_dict = runobject.RunObject.to_dict  # looked up before any use
codec = sys.modules["runobject._codec"]
# ... is the generated encoder itself, not a wrapper finding it on every call
assert to_dict is codec._e_RunObject
assert runobject.RunObject.to_dict is codec._e_RunObject
try:
    _runtime.Model.to_dict(object())
except TypeError as exc:
    print(exc)
"""


def test_to_dict_looked_up_before_first_use_is_the_encoder() -> None:
    run = run_fresh(EARLY)
    assert run.returncode == 0, run.stderr
    assert run.stdout == "object has no generated encoder\n"


def test_key_sets_taken_from_the_dataclasses_are_the_property_names() -> None:
    """`_KEYS_X = _keys(_models.X)`: the fields of the dataclass, less the catch-all, are
    exactly the spec's property names (a model with a renamed one keeps a literal)."""
    import ast

    from generator.generate import load_package

    sys.path.insert(0, str(GENERATED.parent))
    from runobject import _codec, models

    pkg = load_package(SPEC_2025)
    plan = codec_plan.build(
        py.Codegen(pkg), [d for d in pkg.definitions if isinstance(d, ModelDef)], []
    )
    extras = [f for f in plan.functions if isinstance(f, codec_plan.ExtraDecoder)]
    assert extras and all(f.named for f in extras)
    for f in extras:
        names = frozenset(ast.literal_eval(k) for k in f.keys)
        assert getattr(_codec, f"_KEYS_{f.cls}") == names == _codec._keys(getattr(models, f.cls))
