"""Decisions for the operations index (`OPERATIONS`): how each body type is spelled.

Types are written module-qualified (`_models.Users`, `_runtime.JsonValue`) so that no
schema name, not even one called `Operation`, can clash with the index's own names.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import AnyJson, Nullable, Operation, Package, Ref, TypeExpr


@dataclass(frozen=True)
class OperationEntry:
    key: str
    method: str
    path: str
    request: str  # a Python expression: "None" or a qualified type
    responses: tuple[tuple[str, str], ...]

    @property
    def uses_runtime(self) -> bool:
        """Whether a body type is `_runtime.JsonValue` (the module is imported only then)."""
        return any(
            t.startswith("_runtime.") for t in (self.request, *dict(self.responses).values())
        )


def type_expression(t: TypeExpr | None) -> str:
    if t is None:
        return "None"
    inner = t.inner if isinstance(t, Nullable) else t
    if isinstance(inner, AnyJson):
        return "_runtime.JsonValue"  # null included
    if isinstance(inner, Ref):
        name = f"_models.{inner.name}"
        return f"{name} | None" if isinstance(t, Nullable) else name
    raise AssertionError(f"operation bodies are named types, not {inner!r}")


def entries(pkg: Package) -> tuple[OperationEntry, ...]:
    return tuple(_entry(op) for op in pkg.operations)


def _entry(op: Operation) -> OperationEntry:
    return OperationEntry(
        key=op.key,
        method=op.method,
        path=op.path,
        request=type_expression(op.request),
        responses=tuple((status, type_expression(t)) for status, t in op.responses),
    )


def exports(pkg: Package) -> tuple[str, ...]:
    """What `__init__` re-exports: `OPERATIONS`, and `Operation` unless a schema has
    that name (then it stays reachable as `<package>.operations.Operation`)."""
    if not pkg.operations:
        return ()
    taken = {d.name for d in pkg.definitions}
    return ("OPERATIONS",) if "Operation" in taken else ("OPERATIONS", "Operation")
