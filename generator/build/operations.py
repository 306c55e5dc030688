"""Models from operations (`--scope paths|all`): the inline schemas of request bodies,
responses and parameters, named after the operation, and the operations index.

A body schema that is a `$ref` keeps its own name; an inline one becomes a definition
named `<Operation>Request` or `<Operation>Response<status>` (an alias when it is not an
object, enum or union), so every operation body has a named type to decode with.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .. import naming
from ..model import AnyJson, Docs, Operation, TypeExpr
from ..spec.refs import child_pointer
from . import names
from .annotations import docs

if TYPE_CHECKING:
    from .context import BuildContext

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def build_operations(ctx: BuildContext) -> tuple[Operation, ...]:
    paths = ctx.doc.data.get("paths")
    if not isinstance(paths, dict):
        return ()
    out: list[Operation] = []
    keys: dict[str, str] = {}
    for path, raw_item in paths.items():
        item_pointer, item = _deref(ctx, child_pointer("#/paths", path), raw_item)
        if not isinstance(item, dict):
            continue
        shared = _list(item.get("parameters"))
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            pointer = child_pointer(item_pointer, method)
            op_id = op.get("operationId")
            key = str(op_id) if op_id is not None else naming.class_name(f"{method} {path}")
            name = naming.class_name(key)
            if key in keys:
                raise ctx.error(
                    f"operationId {key!r} of {method.upper()} {path} is also that of {keys[key]}",
                    op,
                )
            keys[key] = f"{method.upper()} {path}"
            for i, param in enumerate(shared + _list(op.get("parameters"))):
                _parameter(ctx, param, child_pointer(pointer, "parameters", i), name)
            request = None
            if "requestBody" in op:
                body_pointer = child_pointer(pointer, "requestBody")
                request = _body(ctx, op["requestBody"], body_pointer, name + "Request")
            responses: list[tuple[str, TypeExpr]] = []
            raw_responses = op.get("responses")
            if not isinstance(raw_responses, dict):
                raw_responses = {}
            for status, response in raw_responses.items():
                hint = name + "Response" + naming.class_name(str(status)).removeprefix("Model")
                t = _body(ctx, response, child_pointer(pointer, "responses", status), hint)
                if t is not None:
                    responses.append((str(status), t))
            out.append(
                Operation(
                    key=key,
                    method=method.upper(),
                    path=str(path),
                    request=request,
                    responses=tuple(responses),
                    docs=_docs(op),
                    source=ctx.source(pointer, op),
                )
            )
    return tuple(out)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _docs(op: dict[str, Any]) -> Docs:
    summary = op.get("summary")
    return replace(docs(op), title=str(summary) if summary is not None else None)


def _deref(ctx: BuildContext, pointer: str, node: Any) -> tuple[str, Any]:
    """A path item, parameter, request body or response, through its `$ref`s."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 64:
        pointer, node = ctx.refs.lookup(node["$ref"], node)
        seen += 1
    return pointer, node


def _parameter(ctx: BuildContext, raw: Any, pointer: str, operation: str) -> None:
    """An inline object, enum or union in a parameter becomes a model of its own."""
    pointer, param = _deref(ctx, pointer, raw)
    if not isinstance(param, dict) or not isinstance(param.get("schema"), dict):
        return
    hint = operation + naming.class_name(str(param.get("name", "")))
    ctx.type_of(param["schema"], child_pointer(pointer, "schema"), hint)


def _body(ctx: BuildContext, raw: Any, pointer: str, hint: str) -> TypeExpr | None:
    """The type of a request or response body's JSON schema, None without one."""
    pointer, holder = _deref(ctx, pointer, raw)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return None
    media = _json_media_type(content)
    if media is None or not isinstance(content[media], dict):
        return None
    schema = content[media].get("schema")
    if schema is None:
        return None
    schema_pointer = child_pointer(pointer, "content", media, "schema")
    if schema is True or schema == {}:
        return AnyJson()
    # A nullable body stays Nullable: the index then names `X | None`, so decoding that
    # response accepts the null the spec allows.
    if isinstance(schema, dict) and "$ref" in schema:
        return ctx.type_of(schema, schema_pointer, hint)
    names.claim(ctx, hint, schema_pointer)
    return ctx.named(schema_pointer)


def _json_media_type(content: dict[str, Any]) -> str | None:
    """`application/json` first, then any other JSON media type (`+json`, `json;...`)."""
    for media in content:
        if media.split(";")[0].strip().lower() == "application/json":
            return media
    for media in content:
        base = media.split(";")[0].strip().lower()
        if base.endswith(("+json", "/json")):
            return media
    return None
