"""Keep the closure of named root schemas: `schemafirst extract` and `--root`."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ..errors import SchemaFirstError
from ..spec.load import Document
from ..spec.refs import SCHEMAS_PREFIX, unescape_token


def _refs_in(node: Any) -> list[str]:
    """Every `$ref` string and discriminator mapping target under `node`, in order."""
    out: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str):
                out.append(ref)
            disc = item.get("discriminator")
            if isinstance(disc, dict) and isinstance(disc.get("mapping"), dict):
                out.extend(str(v) for v in disc["mapping"].values())
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return out


def _schema_of(ref: str) -> str | None:
    if ref.startswith(SCHEMAS_PREFIX):
        return unescape_token(ref[len(SCHEMAS_PREFIX) :].split("/", 1)[0])
    if not ref.startswith("#") and "/" not in ref:  # a bare name in a discriminator mapping
        return ref
    return None


def closure(doc: Document, roots: list[str]) -> list[str]:
    """Names of the component schemas reachable from `roots`, in spec order."""
    schemas = (doc.data.get("components") or {}).get("schemas") or {}
    for root in roots:
        if root not in schemas:
            raise SchemaFirstError(
                f"root schema {root!r} not found in components/schemas", doc.path
            )
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        if name not in schemas:
            continue  # a dangling ref: reported with its location when building
        seen.add(name)
        todo.extend(n for n in map(_schema_of, _refs_in(schemas[name])) if n is not None)
    return [name for name in schemas if name in seen]


def extract(doc: Document, roots: list[str]) -> dict[str, Any]:
    """A minimal valid OpenAPI document holding only the closure of `roots`."""
    schemas = doc.data["components"]["schemas"]
    keep = closure(doc, roots)
    info = dict(doc.data.get("info") or {"title": "extract", "version": "0"})
    return {
        "openapi": doc.data.get("openapi", "3.0.0"),
        "info": {k: info[k] for k in ("title", "version") if k in info},
        "paths": {},
        "components": {"schemas": {name: schemas[name] for name in keep}},
    }


def dump_yaml(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(
        data,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )


def dump_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
