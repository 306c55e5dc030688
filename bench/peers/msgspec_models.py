"""msgspec Structs for the RunObject closure (2025-04-29), written by hand.

The shapes follow spec/runobject.yaml as a careful msgspec user would write them:
- optional properties default to `msgspec.UNSET`, so "absent" and "null" stay distinct
  (`temperature: float | None | UnsetType = UNSET`);
- the tool and response-format unions are tagged Structs (`tag_field="type"`);
- numeric bounds and `maxItems` are `Meta` constraints, so they are validated.

What msgspec cannot do here (reported by the bench, not hidden):
- unknown keys are dropped (a Struct has no catch-all for extra fields);
- `number` is `float`, so an integer-valued JSON number (`1`) decodes to `1.0`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

# omit_defaults: UNSET fields are never encoded anyway; required fields have no default,
# so explicit nulls in required-nullable properties are always written.


class RankingOptions(Struct, omit_defaults=True):
    score_threshold: Annotated[float, Meta(ge=0, le=1)]
    ranker: Literal["auto", "default_2024_08_21"] | UnsetType = UNSET


class FileSearchOverrides(Struct, omit_defaults=True):
    max_num_results: Annotated[int, Meta(ge=1, le=50)] | UnsetType = UNSET
    ranking_options: RankingOptions | UnsetType = UNSET


class FunctionObject(Struct, omit_defaults=True):
    name: str
    description: str | UnsetType = UNSET
    parameters: dict[str, Any] | UnsetType = UNSET
    strict: bool | None | UnsetType = UNSET


class ToolCode(Struct, tag_field="type", tag="code_interpreter"):
    pass


class ToolFileSearch(Struct, tag_field="type", tag="file_search", omit_defaults=True):
    file_search: FileSearchOverrides | UnsetType = UNSET


class ToolFunction(Struct, tag_field="type", tag="function"):
    function: FunctionObject


Tool = ToolCode | ToolFileSearch | ToolFunction


class NamedToolChoiceFunction(Struct):
    name: str


class NamedToolChoice(Struct, omit_defaults=True):
    type: Literal["function", "code_interpreter", "file_search"]
    function: NamedToolChoiceFunction | UnsetType = UNSET


class ResponseFormatText(Struct, tag_field="type", tag="text"):
    pass


class ResponseFormatJsonObject(Struct, tag_field="type", tag="json_object"):
    pass


class JsonSchemaConfig(Struct, omit_defaults=True):
    name: str
    description: str | UnsetType = UNSET
    schema: dict[str, Any] | UnsetType = UNSET
    strict: bool | None | UnsetType = UNSET


class ResponseFormatJsonSchema(Struct, tag_field="type", tag="json_schema"):
    json_schema: JsonSchemaConfig


class ToolCallFunction(Struct):
    name: str
    arguments: str


class RunToolCall(Struct):
    id: str
    type: Literal["function"]
    function: ToolCallFunction


class SubmitToolOutputs(Struct):
    tool_calls: list[RunToolCall]


class RequiredAction(Struct):
    type: Literal["submit_tool_outputs"]
    submit_tool_outputs: SubmitToolOutputs


class LastError(Struct):
    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
    message: str


class IncompleteDetails(Struct, omit_defaults=True):
    reason: Literal["max_completion_tokens", "max_prompt_tokens"] | UnsetType = UNSET


class Usage(Struct):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class TruncationObject(Struct, omit_defaults=True):
    type: Literal["auto", "last_messages"]
    last_messages: Annotated[int, Meta(ge=1)] | None | UnsetType = UNSET


MaxTokens = Annotated[int, Meta(ge=256)]


class RunObject(Struct, omit_defaults=True):
    id: str
    object: Literal["thread.run"]
    created_at: int
    thread_id: str
    assistant_id: str
    status: Literal[
        "queued",
        "in_progress",
        "requires_action",
        "cancelling",
        "cancelled",
        "failed",
        "completed",
        "incomplete",
        "expired",
    ]
    required_action: RequiredAction | None
    last_error: LastError | None
    expires_at: int | None
    started_at: int | None
    cancelled_at: int | None
    failed_at: int | None
    completed_at: int | None
    incomplete_details: IncompleteDetails | None
    model: str
    instructions: str
    tools: Annotated[list[Tool], Meta(max_length=20)]
    metadata: dict[str, str] | None
    usage: Usage | None
    max_prompt_tokens: MaxTokens | None
    max_completion_tokens: MaxTokens | None
    truncation_strategy: TruncationObject | None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None
    parallel_tool_calls: bool
    response_format: (
        Literal["auto"]
        | ResponseFormatText
        | ResponseFormatJsonObject
        | ResponseFormatJsonSchema
        | None
    )
    temperature: float | None | UnsetType = UNSET
    top_p: float | None | UnsetType = UNSET


_json_decoder = msgspec.json.Decoder(RunObject)
_json_encoder = msgspec.json.Encoder()


def from_dict(data: Any) -> RunObject:
    return msgspec.convert(data, RunObject)


def to_dict(obj: RunObject) -> Any:
    return msgspec.to_builtins(obj)


def from_json(data: bytes) -> RunObject:
    return _json_decoder.decode(data)


def to_json(obj: RunObject) -> bytes:
    return _json_encoder.encode(obj)


ERRORS: tuple[type[BaseException], ...] = (msgspec.ValidationError, msgspec.DecodeError)
NOTES = [
    "unknown keys are dropped (Struct has no catch-all for extra fields)",
    "`number` fields are float: an integer-valued `1` comes back as `1.0`",
]
