"""Seeded corpus of valid OpenAI Assistants RunObject payloads (2025-04-29 spec).

`make_payloads(n, seed)` returns `n` JSON objects (as `json.loads` would return them)
that are valid against `spec/runobject.yaml`. Standard library only and deterministic:
the same `(n, seed)` gives the same list on every Python and platform.

Coverage (each is guaranteed to appear once `n >= 40`, by cycling rather than by luck):
every `status`; `required_action` with 1..5 tool calls; all three tool kinds (with and
without their optional parts); `tool_choice` as each string, as each object form and as
null; `response_format` as "auto", each object form and null; metadata maps (empty, small,
16 entries) and null; explicit nulls in every nullable property; optional properties both
absent and present; a few unknown keys (top level and nested); integer-valued numbers
(`"temperature": 1`) and non-ASCII text.
"""

from __future__ import annotations

import json
import random
from typing import Any

__all__ = ["make_payloads", "make_json", "coverage", "DEFAULT_SEED", "DEFAULT_N"]

DEFAULT_SEED = 20250429
DEFAULT_N = 240

STATUSES = (
    "queued",
    "in_progress",
    "requires_action",
    "cancelling",
    "cancelled",
    "failed",
    "completed",
    "incomplete",
    "expired",
)
MODELS = ("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "gpt-4-turbo")
ERROR_CODES = ("server_error", "rate_limit_exceeded", "invalid_prompt")
INCOMPLETE_REASONS = ("max_completion_tokens", "max_prompt_tokens")
RANKERS = ("auto", "default_2024_08_21")
# 7 forms of tool_choice and 5 of response_format; cycled so every one appears.
TOOL_CHOICE_FORMS = (
    "none",
    "auto",
    "required",
    "obj_function",
    "obj_file_search",
    "obj_code_interpreter",
    "null",
)
RESPONSE_FORMAT_FORMS = ("auto", "text", "json_object", "json_schema", "null")

WORDS = (
    "weather",
    "invoice",
    "lookup",
    "order",
    "customer",
    "refund",
    "search",
    "summary",
    "calendar",
    "ticket",
    "shipping",
    "report",
    "translate",
    "schedule",
    "forecast",
    "balance",
)
SENTENCES = (
    "You are a helpful assistant.",
    "Answer briefly and cite the files you used.",
    "Always call get_weather before answering questions about the weather.",
    "Réponds en français, s'il te plaît.",
    "回答は日本語でお願いします。",
    "Use the code interpreter for every calculation; show the result as a table.",
    'Quote user input verbatim: "like this" and escape \\ backslashes.',
    "Emoji are fine 👍 but keep it professional.",
    "",
)
UNKNOWN_TOP_LEVEL = (
    ("reasoning_effort", "medium"),
    ("x_request_id", "req_7f3a9c"),
    ("incomplete_at", None),
    ("beta_flags", {"streaming": True, "tier": 2, "ratio": 0.5, "tags": ["a", None]}),
)
RUN_OBJECT_KEYS = (
    "id",
    "object",
    "created_at",
    "thread_id",
    "assistant_id",
    "status",
    "required_action",
    "last_error",
    "expires_at",
    "started_at",
    "cancelled_at",
    "failed_at",
    "completed_at",
    "incomplete_details",
    "model",
    "instructions",
    "tools",
    "metadata",
    "usage",
    "temperature",
    "top_p",
    "max_prompt_tokens",
    "max_completion_tokens",
    "truncation_strategy",
    "tool_choice",
    "parallel_tool_calls",
    "response_format",
)
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def _ident(rng: random.Random, prefix: str, n: int = 24) -> str:
    return prefix + "".join(rng.choice(ALNUM) for _ in range(n))


def _name(rng: random.Random) -> str:
    return "_".join(rng.sample(WORDS, rng.randint(1, 3)))


def _json_schema(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    """A JSON Schema document: free-form JSON with nested objects, lists, bools, nulls."""
    props: dict[str, Any] = {}
    for _ in range(rng.randint(1, 4)):
        kind = rng.choice(("string", "integer", "number", "boolean", "array", "object"))
        prop: dict[str, Any] = {"type": kind, "description": rng.choice(SENTENCES)}
        if kind == "string" and rng.random() < 0.5:
            prop["enum"] = rng.sample(WORDS, 3)
        elif kind == "integer":
            prop["minimum"] = rng.randint(0, 10)
        elif kind == "number":
            prop["maximum"] = round(rng.uniform(1, 100), 2)
        elif kind == "array":
            prop["items"] = {"type": "string"}
        elif kind == "object" and depth < 2:
            prop = _json_schema(rng, depth + 1)
        props[_name(rng)] = prop
    schema: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": sorted(props)[: rng.randint(0, len(props))],
    }
    if rng.random() < 0.5:
        schema["additionalProperties"] = False
    if rng.random() < 0.2:
        schema["default"] = None  # an explicit null inside free-form JSON
    return schema


def _tool(rng: random.Random, kind: str) -> dict[str, Any]:
    if kind == "code_interpreter":
        return {"type": "code_interpreter"}
    if kind == "file_search":
        tool: dict[str, Any] = {"type": "file_search"}
        r = rng.random()
        if r < 0.6:
            fs: dict[str, Any] = {}
            if rng.random() < 0.7:
                fs["max_num_results"] = rng.randint(1, 50)
            if rng.random() < 0.6:
                ro: dict[str, Any] = {"score_threshold": rng.choice((0, 0.0, 0.5, 0.25, 0.75, 1.0))}
                if rng.random() < 0.7:
                    ro["ranker"] = rng.choice(RANKERS)
                fs["ranking_options"] = ro
            tool["file_search"] = fs
        return tool
    fn: dict[str, Any] = {"name": _name(rng)}
    if rng.random() < 0.8:
        fn["description"] = rng.choice(SENTENCES)
    if rng.random() < 0.85:
        fn["parameters"] = _json_schema(rng)
    r = rng.random()
    if r < 0.25:
        fn["strict"] = True
    elif r < 0.45:
        fn["strict"] = False
    elif r < 0.6:
        fn["strict"] = None  # nullable: must survive as an explicit null
    return {"type": "function", "function": fn}


def _tool_choice(rng: random.Random, form: str) -> Any:
    if form in ("none", "auto", "required"):
        return form
    if form == "null":
        return None
    if form == "obj_function":
        return {"type": "function", "function": {"name": _name(rng)}}
    return {"type": form[4:]}


def _response_format(rng: random.Random, form: str) -> Any:
    if form == "auto":
        return "auto"
    if form == "null":
        return None
    if form != "json_schema":
        return {"type": form}
    js: dict[str, Any] = {"name": _name(rng)}
    if rng.random() < 0.6:
        js["description"] = rng.choice(SENTENCES)
    if rng.random() < 0.8:
        js["schema"] = _json_schema(rng)
    r = rng.random()
    if r < 0.4:
        js["strict"] = True
    elif r < 0.55:
        js["strict"] = None
    elif r < 0.7:
        js["strict"] = False
    return {"type": "json_schema", "json_schema": js}


def _metadata(rng: random.Random, i: int) -> dict[str, str] | None:
    r = i % 5
    if r == 0:
        return None
    if r == 1:
        return {}
    if r == 4:
        # 16 pairs: the documented maximum, with a 512-character value
        meta = {f"key_{k:02d}": _ident(rng, "v_", 12) for k in range(15)}
        meta["long_note"] = "x" * 512
        return meta
    return {
        rng.choice(("user_id", "session", "env", "tenant", "trace")): _ident(rng, "", 10)
        for _ in range(rng.randint(1, 4))
    }


def _number(rng: random.Random, i: int) -> float | int:
    # Mostly floats as the API sends them, sometimes an integer-valued JSON number:
    # `1` and `1.0` are both valid `number`s and a faithful round trip keeps which it was.
    if i % 23 == 0:
        return 1
    return rng.choice((1.0, 0.7, 0.2, 0.0, 1.3, 0.95))


def _payload(rng: random.Random, i: int) -> dict[str, Any]:
    status = STATUSES[i % len(STATUSES)]
    created = 1_700_000_000 + rng.randint(0, 40_000_000)
    started = created + rng.randint(1, 30)
    terminal_at = started + rng.randint(1, 600)

    required_action = None
    last_error = None
    expires_at: int | None = created + 600
    started_at: int | None = started
    cancelled_at = failed_at = completed_at = None
    incomplete_details = None
    usage: dict[str, int] | None = None

    if status == "queued":
        started_at = None
    elif status == "requires_action":
        calls = []
        for _ in range(1 + i % 5):
            args = {"query": _name(rng), "limit": rng.randint(1, 9), "exact": rng.random() < 0.5}
            calls.append(
                {
                    "id": _ident(rng, "call_"),
                    "type": "function",
                    "function": {"name": _name(rng), "arguments": json.dumps(args)},
                }
            )
        required_action = {
            "type": "submit_tool_outputs",
            "submit_tool_outputs": {"tool_calls": calls},
        }
    elif status == "cancelled":
        cancelled_at = terminal_at
        expires_at = None
    elif status == "failed":
        failed_at = terminal_at
        expires_at = None
        last_error = {"code": ERROR_CODES[i % 3], "message": rng.choice(SENTENCES[:4])}
    elif status == "completed":
        completed_at = terminal_at
        expires_at = None
    elif status == "incomplete":
        expires_at = None
        # `reason` is optional: an empty object is valid and must stay empty
        incomplete_details = {} if i % 4 == 0 else {"reason": INCOMPLETE_REASONS[i % 2]}
    elif status == "expired":
        expires_at = started + 600
    if status in ("completed", "failed", "incomplete", "cancelled", "expired"):
        prompt = rng.randint(10, 50_000)
        completion = rng.randint(0, 4_000)
        usage = {
            "prompt_tokens": prompt,
            "completion_tokens": completion,
            "total_tokens": prompt + completion,
        }

    kinds = ("code_interpreter", "file_search", "function")
    if i % 11 == 0:
        tools: list[dict[str, Any]] = []
    elif i % 17 == 0:
        tools = [_tool(rng, kinds[k % 3]) for k in range(20)]  # maxItems
    else:
        tools = [_tool(rng, kinds[(i + k) % 3]) for k in range(rng.randint(1, 5))]

    if i % 7 == 0:
        truncation = None
    elif i % 3 == 0:
        truncation = {"type": "last_messages", "last_messages": rng.randint(1, 40)}
    elif i % 3 == 1:
        truncation = {"type": "auto", "last_messages": None}
    else:
        truncation = {"type": "auto"}

    p: dict[str, Any] = {
        "id": _ident(rng, "run_"),
        "object": "thread.run",
        "created_at": created,
        "assistant_id": _ident(rng, "asst_"),
        "thread_id": _ident(rng, "thread_"),
        "status": status,
        "started_at": started_at,
        "expires_at": expires_at,
        "cancelled_at": cancelled_at,
        "failed_at": failed_at,
        "completed_at": completed_at,
        "required_action": required_action,
        "last_error": last_error,
        "model": MODELS[i % len(MODELS)],
        "instructions": rng.choice(SENTENCES),
        "tools": tools,
        "metadata": _metadata(rng, i),
        "incomplete_details": incomplete_details,
        "usage": usage,
    }
    # temperature / top_p: optional AND nullable -> absent, null, or a number
    for key, salt in (("temperature", 0), ("top_p", 1)):
        r = (i + salt) % 6
        if r == 0:
            continue
        p[key] = None if r == 1 else _number(rng, i + salt)
    p["max_prompt_tokens"] = None if i % 4 == 0 else rng.choice((256, 1000, 4096, 128_000))
    p["max_completion_tokens"] = None if i % 6 == 1 else rng.choice((256, 512, 2048, 16_384))
    p["truncation_strategy"] = truncation
    p["response_format"] = _response_format(
        rng, RESPONSE_FORMAT_FORMS[i % len(RESPONSE_FORMAT_FORMS)]
    )
    p["tool_choice"] = _tool_choice(rng, TOOL_CHOICE_FORMS[(i // 2) % len(TOOL_CHOICE_FORMS)])
    p["parallel_tool_calls"] = i % 5 != 3

    # A few unknown keys: a newer API version adding properties.
    if i % 19 == 5:
        key, value = UNKNOWN_TOP_LEVEL[(i // 19) % len(UNKNOWN_TOP_LEVEL)]
        p[key] = value
    if i % 37 == 8 and tools:
        tools[0]["x_added_later"] = {"since": "2025-06", "enabled": True}
    if i % 41 == 12 and required_action is not None:
        required_action["submit_tool_outputs"]["tool_calls"][0]["x_attempt"] = 2
    return p


def make_payloads(n: int = DEFAULT_N, seed: int = DEFAULT_SEED) -> list[dict[str, Any]]:
    """`n` valid RunObject payloads; deterministic for a given `(n, seed)`."""
    rng = random.Random(seed)
    return [_payload(rng, i) for i in range(n)]


def make_json(payloads: list[dict[str, Any]]) -> list[bytes]:
    """The payloads as compact UTF-8 JSON text, as an HTTP body would carry them."""
    return [
        json.dumps(p, ensure_ascii=False, separators=(",", ":")).encode("utf-8") for p in payloads
    ]


def coverage(payloads: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts of the features the corpus is meant to cover (for the README and tests)."""
    known = set(RUN_OBJECT_KEYS)
    c: dict[str, Any] = {
        "payloads": len(payloads),
        "status": {},
        "tool_kinds": {},
        "tool_choice": {},
        "response_format": {},
        "max_tool_calls": 0,
        "metadata_null": 0,
        "unknown_top_level_keys": 0,
        "temperature_absent": 0,
        "temperature_null": 0,
        "int_valued_numbers": 0,
    }

    def form(value: Any) -> str:
        if value is None:
            return "null"
        if isinstance(value, str):
            return value
        return "object:" + value["type"]

    for p in payloads:
        c["status"][p["status"]] = c["status"].get(p["status"], 0) + 1
        for t in p["tools"]:
            c["tool_kinds"][t["type"]] = c["tool_kinds"].get(t["type"], 0) + 1
        for key in ("tool_choice", "response_format"):
            f = form(p[key])
            c[key][f] = c[key].get(f, 0) + 1
        if p["required_action"]:
            n = len(p["required_action"]["submit_tool_outputs"]["tool_calls"])
            c["max_tool_calls"] = max(c["max_tool_calls"], n)
        c["metadata_null"] += p["metadata"] is None
        c["unknown_top_level_keys"] += bool(set(p) - known)
        c["temperature_absent"] += "temperature" not in p
        c["temperature_null"] += "temperature" in p and p["temperature"] is None
        c["int_valued_numbers"] += any(type(p.get(k)) is int for k in ("temperature", "top_p"))
    return c


if __name__ == "__main__":
    ps = make_payloads()
    print(json.dumps(coverage(ps), indent=1))
