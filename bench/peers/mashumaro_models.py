"""mashumaro dataclasses for the RunObject closure (2025-04-29), written by hand.

The shapes follow spec/runobject.yaml as a careful mashumaro user would write them:
`DataClassDictMixin` for `from_dict`/`to_dict` (the JSON path is stdlib `json` around
them, which is what `DataClassJSONMixin` does), the tool union dispatched on `type` with
a `Discriminator`, `Literal` for enums.

What mashumaro cannot do here (reported by the bench, not hidden):
- unknown keys are dropped (no catch-all for extra fields);
- no per-field "absent" state: on `RunObject`, where required properties must be written
  as null, an absent optional (`temperature`, `top_p`) is written back as `null`; on the
  nested objects `omit_none` is used so absent optionals stay absent, at the price of
  dropping explicit nulls (`strict: null`, `last_messages: null`);
- no schema constraints (`minimum`, `maxItems`) and no type checks on `str`/`int`/`float`
  values: they are passed through as given.
"""

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from mashumaro import DataClassDictMixin
from mashumaro.config import BaseConfig
from mashumaro.types import Discriminator


class _OmitNone(BaseConfig):
    omit_none = True


@dataclass
class RankingOptions(DataClassDictMixin):
    score_threshold: float
    ranker: Literal["auto", "default_2024_08_21"] | None = None

    class Config(_OmitNone):
        pass


@dataclass
class FileSearchOverrides(DataClassDictMixin):
    max_num_results: int | None = None
    ranking_options: RankingOptions | None = None

    class Config(_OmitNone):
        pass


@dataclass
class FunctionObject(DataClassDictMixin):
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None

    class Config(_OmitNone):
        pass


@dataclass
class ToolCode(DataClassDictMixin):
    type: Literal["code_interpreter"] = "code_interpreter"


@dataclass
class ToolFileSearch(DataClassDictMixin):
    type: Literal["file_search"] = "file_search"
    file_search: FileSearchOverrides | None = None

    class Config(_OmitNone):
        pass


@dataclass
class ToolFunction(DataClassDictMixin):
    function: FunctionObject
    type: Literal["function"] = "function"


@dataclass
class NamedToolChoiceFunction(DataClassDictMixin):
    name: str


@dataclass
class NamedToolChoice(DataClassDictMixin):
    type: Literal["function", "code_interpreter", "file_search"]
    function: NamedToolChoiceFunction | None = None

    class Config(_OmitNone):
        pass


@dataclass
class ResponseFormatText(DataClassDictMixin):
    type: Literal["text"] = "text"


@dataclass
class ResponseFormatJsonObject(DataClassDictMixin):
    type: Literal["json_object"] = "json_object"


@dataclass
class JsonSchemaConfig(DataClassDictMixin):
    name: str
    description: str | None = None
    schema: dict[str, Any] | None = None
    strict: bool | None = None

    class Config(_OmitNone):
        pass


@dataclass
class ResponseFormatJsonSchema(DataClassDictMixin):
    json_schema: JsonSchemaConfig
    type: Literal["json_schema"] = "json_schema"


@dataclass
class ToolCallFunction(DataClassDictMixin):
    name: str
    arguments: str


@dataclass
class RunToolCall(DataClassDictMixin):
    id: str
    type: Literal["function"]
    function: ToolCallFunction


@dataclass
class SubmitToolOutputs(DataClassDictMixin):
    tool_calls: list[RunToolCall]


@dataclass
class RequiredAction(DataClassDictMixin):
    type: Literal["submit_tool_outputs"]
    submit_tool_outputs: SubmitToolOutputs


@dataclass
class LastError(DataClassDictMixin):
    code: Literal["server_error", "rate_limit_exceeded", "invalid_prompt"]
    message: str


@dataclass
class IncompleteDetails(DataClassDictMixin):
    reason: Literal["max_completion_tokens", "max_prompt_tokens"] | None = None

    class Config(_OmitNone):
        pass


@dataclass
class Usage(DataClassDictMixin):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


@dataclass
class TruncationObject(DataClassDictMixin):
    type: Literal["auto", "last_messages"]
    last_messages: int | None = None

    class Config(_OmitNone):
        pass


Tool = Annotated[
    ToolCode | ToolFileSearch | ToolFunction,
    Discriminator(field="type", include_supertypes=True),
]
ResponseFormat = Annotated[
    ResponseFormatText | ResponseFormatJsonObject | ResponseFormatJsonSchema,
    Discriminator(field="type", include_supertypes=True),
]


@dataclass
class RunObject(DataClassDictMixin):
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
    tools: list[Tool]
    metadata: dict[str, str] | None
    usage: Usage | None
    max_prompt_tokens: int | None
    max_completion_tokens: int | None
    truncation_strategy: TruncationObject | None
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None
    parallel_tool_calls: bool
    response_format: Literal["auto"] | ResponseFormat | None
    temperature: float | None = None
    top_p: float | None = None


_dumps_kw: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":")}


def from_dict(data: Any) -> RunObject:
    return RunObject.from_dict(data)


def to_dict(obj: RunObject) -> Any:
    return obj.to_dict()


def from_json(data: bytes) -> RunObject:
    return RunObject.from_dict(json.loads(data))


def to_json(obj: RunObject) -> str:
    return json.dumps(obj.to_dict(), **_dumps_kw)


ERRORS: tuple[type[BaseException], ...] = (Exception,)
NOTES = [
    "unknown keys are dropped (no catch-all for extra fields)",
    "no absent state: absent `temperature`/`top_p` come back as null; nested objects use"
    " omit_none, which drops explicit nulls (`strict`, `last_messages`)",
    "no constraint or scalar type checks on decode (values are passed through)",
]
