"""The generated package behaves like a well-made Python library."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import sys
from typing import Any

import pytest

from tests.conftest import GENERATED

sys.path.insert(0, str(GENERATED.parent))
import runobject  # noqa: E402
from runobject import (  # noqa: E402
    UNSET,
    AssistantsApiToolChoiceOptionOneOf,
    AssistantsNamedToolChoice,
    AssistantToolsFunction,
    RunObject,
    RunObjectStatus,
    UnknownVariant,
)


def payload(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "run_1", "object": "thread.run", "created_at": 1, "thread_id": "t",
        "assistant_id": "a",
        "status": "queued", "required_action": None, "last_error": None, "expires_at": None,
        "started_at": None, "cancelled_at": None, "failed_at": None, "completed_at": None,
        "incomplete_details": None, "model": "m", "instructions": "i",
        "tools": [{"type": "function", "function": {"name": "f"}}, {"type": "browser", "x": 1}],
        "metadata": {"k": "v"}, "usage": None, "max_prompt_tokens": None,
        "max_completion_tokens": None, "truncation_strategy": None, "tool_choice": "auto",
        "parallel_tool_calls": True, "response_format": None, "extra": [1],
    }  # fmt: skip
    base.update(changes)
    return base


def test_all_exports_every_definition() -> None:
    defs = {
        line.split("[**")[1].split("**]")[0]
        for line in (GENERATED / "docs" / "README.md").read_text().splitlines()
        if line.startswith("[**")
    }
    assert defs <= set(runobject.__all__)
    assert {"ValidationError", "UNSET", "Unset", "UnknownVariant", "JsonValue"} <= set(
        runobject.__all__
    )
    assert all(hasattr(runobject, name) for name in runobject.__all__)


def test_repr_hides_nothing_and_equality_is_by_value() -> None:
    run = RunObject.from_dict(payload(status="brand_new"))
    text = repr(run)
    for needle in (
        "id='run_1'",
        "'brand_new'",
        "UnknownVariant({'type': 'browser', 'x': 1})",
        "additional_properties={'extra': [1]}",
        "top_p=UNSET",
    ):
        assert needle in text
    assert run == RunObject.from_dict(payload(status="brand_new"))
    assert run != RunObject.from_dict(payload(status="queued"))


def test_replace_and_copy() -> None:
    run = RunObject.from_dict(payload())
    changed = dataclasses.replace(run, status=RunObjectStatus.COMPLETED)
    assert changed.status is RunObjectStatus.COMPLETED and run.status is RunObjectStatus.QUEUED
    assert changed.to_dict() == payload(status="completed")
    if hasattr(copy, "replace"):  # Python 3.13+
        assert copy.replace(run, model="x").model == "x"
    assert copy.deepcopy(run) == run


def test_pickle_round_trip_keeps_unknown_values() -> None:
    run = RunObject.from_dict(payload(status="brand_new"))
    again = pickle.loads(pickle.dumps(run))
    assert again == run and again.to_dict() == payload(status="brand_new")
    assert pickle.loads(pickle.dumps(UNSET)) is UNSET


def test_pattern_matching_on_unions() -> None:
    run = RunObject.from_dict(payload(tool_choice={"type": "function", "function": {"name": "f"}}))
    seen = []
    for tool in run.tools:
        match tool:
            case AssistantToolsFunction(function=function):
                seen.append(function.name)
            case UnknownVariant(data={"type": kind}):
                seen.append(f"unknown {kind}")
    assert seen == ["f", "unknown browser"]
    match run.tool_choice:
        case AssistantsApiToolChoiceOptionOneOf.AUTO:
            choice = "auto"
        case AssistantsNamedToolChoice(function=function) if function is not UNSET:
            choice = function.name
    assert choice == "f"


def test_constructing_by_hand_uses_literal_and_spec_defaults() -> None:
    run = RunObject(
        id="r", created_at=1, thread_id="t", assistant_id="a", status=RunObjectStatus.QUEUED,
        required_action=None, last_error=None, expires_at=None, started_at=None, cancelled_at=None,
        failed_at=None, completed_at=None, incomplete_details=None, model="m", instructions="i",
        metadata=None, usage=None, max_prompt_tokens=None, max_completion_tokens=None,
        truncation_strategy=None, tool_choice=None, response_format=None,
    )  # fmt: skip
    data = run.to_dict()
    assert (
        data["object"] == "thread.run"
        and data["tools"] == []
        and data["parallel_tool_calls"] is True
    )
    assert "top_p" not in data and "temperature" not in data
    assert RunObject.from_dict(data) == run


def test_validation_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError) as info:
        RunObject.from_dict(payload(created_at="soon"))
    err = info.value
    assert isinstance(err, runobject.ValidationError)
    assert err.problems == [("$.created_at", "expected integer, got string")]
    assert pickle.loads(pickle.dumps(err)).problems == err.problems


def test_to_dict_builds_new_containers_and_shares_free_form_values() -> None:
    tool = {"type": "function", "function": {"name": "f", "parameters": {"a": [1]}}}
    data = payload(tools=[tool])
    run = RunObject.from_dict(data)
    first, second = run.to_dict(), run.to_dict()
    assert first is not second and first["tools"] is not second["tools"]
    assert first["metadata"] is not second["metadata"]  # a map of strings: a typed container
    parameters = first["tools"][0]["function"]["parameters"]  # type: ignore[index,call-overload]
    # Free-form JSON values are not copied on the way out (the model owns a private copy,
    # made when decoding): copy.deepcopy the result before changing it in place.
    assert parameters is second["tools"][0]["function"]["parameters"]  # type: ignore[index,call-overload]
    assert parameters is not data["tools"][0]["function"]["parameters"]


class _Str(str):
    pass


class _Float(float):
    pass


def _containers(value: Any) -> list[Any]:
    """Every dict and list inside a JSON value, the value itself included."""
    if isinstance(value, dict):
        return [value, *(c for v in value.values() for c in _containers(v))]
    if isinstance(value, list):
        return [value, *(c for v in value for c in _containers(v))]
    return []


def test_free_form_values_are_copied_and_every_problem_in_them_has_its_path() -> None:
    """A free-form value is decoded to a copy sharing no container with the input,
    whether it is valid or a problem turns up deep inside it after valid parts."""
    valid = {"a": [1, 2.5, "s", True, None, {"b": {"c": [[]]}}], "d": {}, "e": -0.0}
    data = payload(tools=[{"type": "function", "function": {"name": "f", "parameters": valid}}])
    parameters = RunObject.from_dict(data).tools[0].function.parameters  # type: ignore[union-attr]
    assert parameters == valid and type(parameters["e"]) is float
    assert not {id(c) for c in _containers(parameters)} & {id(c) for c in _containers(valid)}
    # A str subclass is taken as it is, a float subclass as a float: still valid.
    odd = {"s": _Str("x"), "f": [_Float(0.5)]}
    data = payload(tools=[{"type": "function", "function": {"name": "f", "parameters": odd}}])
    parameters = RunObject.from_dict(data).tools[0].function.parameters  # type: ignore[union-attr]
    assert parameters == odd and type(parameters["s"]) is _Str
    assert type(parameters["f"][0]) is float
    bad = {
        "ok": {"x": [1, {"y": "z"}]},
        "deep": {"list": [1, float("nan"), {"t": (1,)}]},
        1: "int key",
        "later": [{"k": {_Str("sub"): 1, "inf": float("-inf")}}, {2, 3}],
    }
    tool = {"type": "function", "function": {"name": "f", "parameters": bad}}
    with pytest.raises(runobject.ValidationError) as info:
        RunObject.from_dict(payload(tools=[tool]))
    at = "$.tools[0].function.parameters"
    assert info.value.problems == [
        (f"{at}.deep.list[1]", "expected a finite number"),
        (f"{at}.deep.list[2].t", "expected a JSON value, got tuple"),
        (at, "non-string key 1"),
        (f"{at}.later[0].k", "non-string key 'sub'"),
        (f"{at}.later[0].k.inf", "expected a finite number"),
        (f"{at}.later[1]", "expected a JSON value, got set"),
    ]


# Objects of a payload in which every nested object is present: (where, model).
CALLS = ("required_action", "submit_tool_outputs", "tool_calls")
NESTED = [
    ((), "RunObject"),
    (("required_action",), "RunObjectRequiredAction"),
    (("required_action", "submit_tool_outputs"), "RunObjectRequiredActionSubmitToolOutputs"),
    ((*CALLS, 0), "RunToolCallObject"),
    ((*CALLS, 0, "function"), "RunToolCallObjectFunction"),
    (("last_error",), "RunObjectLastError"),
    (("usage",), "RunCompletionUsage"),
    (("truncation_strategy",), "TruncationObject"),
    (("tools", 0), "AssistantToolsFunction"),
    (("tools", 0, "function"), "FunctionObject"),
    (("tool_choice",), "AssistantsNamedToolChoice"),
    (("tool_choice", "function"), "AssistantsNamedToolChoiceFunction"),
    (("response_format",), "ResponseFormatJsonSchema"),
    (("response_format", "json_schema"), "ResponseFormatJsonSchemaJsonSchema"),
]  # fmt: skip


TAGS = {(("tools", 0), "type"), (("response_format",), "type")}


def full_payload() -> dict[str, Any]:
    call = {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    action = {"type": "submit_tool_outputs", "submit_tool_outputs": {"tool_calls": [call]}}
    return payload(
        required_action=action,
        last_error={"code": "server_error", "message": "m"},
        usage={"completion_tokens": 1, "prompt_tokens": 2, "total_tokens": 3},
        truncation_strategy={"type": "auto"},
        tool_choice={"type": "function", "function": {"name": "f"}},
        response_format={"type": "json_schema", "json_schema": {"name": "n"}},
        tools=[{"type": "function", "function": {"name": "f"}}],
    )  # fmt: skip


def test_an_absent_required_property_is_its_one_problem() -> None:
    """Each required property of each object, removed alone: one problem, at the object
    that lost it, in every mode; the rest of the payload still decodes without one."""
    from generator.generate import load_package
    from generator.model import ModelDef
    from tests.conftest import SPEC_2025

    defs = {d.name: d for d in load_package(SPEC_2025).definitions}
    RunObject.from_dict(full_payload(), strict=True)
    removed = 0
    for where, name in NESTED:
        model = defs[name]
        assert isinstance(model, ModelDef)
        path = "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in where)
        for field in (f for f in model.fields if f.required):
            data = full_payload()
            target: Any = data
            for k in where:
                target = target[k]
            del target[field.json_name]
            for strict in (False, True):
                with pytest.raises(runobject.ValidationError) as info:
                    RunObject.from_dict(data, strict=strict)
                message = f"{field.json_name!r} is required"
                if (where, field.json_name) in TAGS:  # a union's discriminator
                    message += " and must be a string"
                assert info.value.problems == [(path, message)]
            removed += 1
    assert removed >= 40


def test_repr_and_equality_are_the_dataclass_ones() -> None:
    """The models are declared with `repr=False, eq=False` (cheaper class creation on
    import); the shared ones in `Model` give exactly what dataclass would generate."""

    @dataclasses.dataclass(kw_only=True)
    class Reference(RunObject):  # dataclass writes repr and eq over every inherited field
        pass

    run = RunObject.from_dict(full_payload())
    same = RunObject.from_dict(full_payload())
    other = RunObject.from_dict(payload(status="brand_new"))
    assert repr(run) == Reference.__repr__(run)
    assert repr(other) == Reference.__repr__(other)
    for a, b in [(run, same), (run, other), (same, run), (run, run)]:
        assert (a == b) is Reference.__eq__(a, b)
        assert (a != b) is not Reference.__eq__(a, b)
    assert run.__eq__(object()) is NotImplemented
    assert run != run.required_action
    with pytest.raises(TypeError, match="unhashable type: 'RunObject'"):
        hash(run)
    # a model inside itself is shown as `...`, as the dataclass repr does
    run.additional_properties["self"] = run  # type: ignore[assignment]
    assert repr(run).endswith("additional_properties={'extra': [1], 'self': ...})")
