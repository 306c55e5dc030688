"""The JSON-Schema-Test-Suite (draft 2020-12) run through generated code.

Every group of every required-core file (`../shared/jsts/tests/draft2020-12/*.json`, not
`optional/`) becomes a component schema `G<n>` of one OpenAPI 3.1 document, with a
holder model `H<n>` (`{value: G<n>}`) so that a schema of any type is decoded through
the public API: `H<n>.from_dict({"value": data}, strict=True)`. Each test passes when
the payload is accepted exactly when the suite says it is valid.

A `$ref` to another document is bundled when the document is at hand: the 2020-12
meta-schemas, and the suite's `remotes/` folder (which the suite serves at
http://localhost:1234/) when `../shared/jsts/remotes/` exists: each URI under that
address is read from the file at the same path. Nothing is fetched. A group the
generator cannot build, or whose `$ref` names a document that is not here, is listed
with its reason and counted as failing all its tests; it is never dropped. Two rates
are reported: over every core test, and over the tests of the groups that need no
document of `remotes/` (by `$ref`, `$dynamicRef` or `$schema`), which is what can run
where that folder is absent. The same groups run through datamodel-code-generator's
pydantic v2 models (`Model.model_validate(data)`) for comparison. `python -m tests.jsts`
prints the table that bench/README.md shows.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import sys
import tempfile
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.build import BuildOptions, build_package
from generator.build.checks import join_uri
from generator.config import Job
from generator.errors import SchemaFirstError
from generator.generate import generate
from generator.spec.load import load_bytes
from tests.conftest import SHARED

SUITE = SHARED / "jsts" / "tests" / "draft2020-12"
REMOTES = SHARED / "jsts" / "remotes"  # not in ../shared today
REMOTE_BASE = "http://localhost:1234/"
VALUE_KEYS = frozenset({"enum", "const", "default", "examples", "example"})
REF_KEYS = ("$ref", "$dynamicRef")


@dataclass(frozen=True)
class Group:
    number: int
    file: str
    description: str
    schema: Any
    tests: tuple[dict[str, Any], ...]
    remote: bool = False  # it needs a document of the suite's remotes/ folder

    @property
    def name(self) -> str:
        return f"G{self.number:03d}"

    @property
    def holder(self) -> str:
        return f"H{self.number:03d}"

    @property
    def label(self) -> str:
        return f"{self.file}: {self.description}"


@dataclass
class Outcome:
    """Results of one implementation over the suite."""

    passed: dict[str, int] = field(default_factory=dict)  # file -> tests passed
    total: dict[str, int] = field(default_factory=dict)  # file -> tests
    excluded: dict[str, str] = field(default_factory=dict)  # group label -> reason
    crashes: list[str] = field(default_factory=list)  # unexpected exceptions
    failures: list[str] = field(default_factory=list)  # group label: test description
    # Tests of the groups that need no document of remotes/: (run, passed).
    local: list[int] = field(default_factory=lambda: [0, 0])

    def record(self, group: Group, test: dict[str, Any], ok: bool) -> None:
        self.total[group.file] = self.total.get(group.file, 0) + 1
        self.passed[group.file] = self.passed.get(group.file, 0) + ok
        if not group.remote:
            self.local[0] += 1
            self.local[1] += ok
        if not ok:
            self.failures.append(f"{group.label}: {test['description']}")

    @property
    def rate(self) -> float:
        return sum(self.passed.values()) / max(1, sum(self.total.values()))

    @property
    def local_rate(self) -> float:
        """The rate over the tests that run without the suite's remotes/ folder."""
        return self.local[1] / max(1, self.local[0])


def core_groups() -> list[Group]:
    groups: list[Group] = []
    for path in sorted(SUITE.glob("*.json")):
        for entry in json.loads(path.read_text(encoding="utf-8")):
            groups.append(
                Group(
                    len(groups),
                    path.name,
                    entry["description"],
                    entry["schema"],
                    tuple(entry["tests"]),
                    needs_remotes(entry["schema"]),
                )
            )
    return groups


def needs_remotes(schema: Any) -> bool:
    """Whether `schema` names a document of the suite's remotes/ folder (served at
    http://localhost:1234/) that it does not embed: by `$ref`/`$dynamicRef`, or as its
    meta-schema (`$schema`: a vocabulary test reads it to know which keywords apply)."""
    ids, refs = _references(schema, (*REF_KEYS, "$schema"))
    return any(u.startswith(REMOTE_BASE) and u not in ids for _, u in refs)


def _references(
    schema: Any, keys: tuple[str, ...] = REF_KEYS
) -> tuple[set[str], list[tuple[str, str]]]:
    """(the resource URIs `schema` embeds, (reference, document URI) of every `keys`)."""
    ids: set[str] = set()
    refs: list[tuple[str, str]] = []
    todo: list[tuple[Any, str]] = [(schema, "")]
    while todo:
        node, base = todo.pop()
        if isinstance(node, list):
            todo += [(item, base) for item in node]
        elif isinstance(node, dict):
            if isinstance(node.get("$id"), str):
                base = join_uri(base, node["$id"]).partition("#")[0]
                ids.add(base)
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    refs.append((value, join_uri(base, value).partition("#")[0]))
                elif key not in VALUE_KEYS:
                    todo.append((value, base))
    return ids, refs


def rewrite(schema: Any, name: str, remotes: Path | None = None) -> tuple[Any, str | None]:
    """The schema with its document pointers (`#`, `#/...` outside any `$id`) moved under
    its component and the documents it references by URI bundled into its `$defs`, and
    the reason it cannot be expressed (a reference to a document that is not here)."""

    def walk(node: Any, in_value: bool, scoped: bool) -> Any:
        if isinstance(node, list):
            return [walk(v, in_value, scoped) for v in node]
        if not isinstance(node, dict):
            return node
        scoped = scoped or (not in_value and isinstance(node.get("$id"), str))
        out: dict[str, Any] = {}
        for key, value in node.items():
            if not in_value and not scoped and key in REF_KEYS and isinstance(value, str):
                if value == "#" or value.startswith("#/"):
                    value = f"#/components/schemas/{name}{value[1:]}"
            out[key] = walk(value, in_value or key in VALUE_KEYS, scoped)
        return out

    schema = walk(schema, False, False)
    bundled: dict[str, Any] = {}
    missing = _bundle(schema, bundled, remotes)
    if missing is not None:
        folder = REMOTES if remotes is None else remotes
        note = "" if folder.is_dir() else "; the suite's remotes/ is not in ../shared/jsts"
        return schema, f"$ref {missing!r}: its document is not available (no network{note})"
    if bundled:
        own = schema.get("$defs", {}) if isinstance(schema, dict) else {}
        schema = {**schema, "$defs": {**own, **bundled}}
    return schema, None


def remote_document(uri: str, remotes: Path | None = None) -> Any:
    """The document of the suite's remotes/ folder at `uri` (http://localhost:1234/...),
    read from the file at the same path; LookupError when it is not there."""
    folder = REMOTES if remotes is None else remotes
    if not uri.startswith(REMOTE_BASE):
        raise LookupError(uri)
    path = folder / uri[len(REMOTE_BASE) :]
    if not folder.is_dir() or not path.resolve().is_relative_to(folder.resolve()):
        raise LookupError(uri)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError:
        raise LookupError(uri) from None
    # Embedded in the bundle, a document is a resource at the URI it was read from; one
    # with an `$id` of its own keeps it, inside a wrapper at that URI.
    if isinstance(document, dict) and document.get("$id", uri) != uri:
        return {"$id": uri, "allOf": [document]}
    return {**document, "$id": uri} if isinstance(document, dict) else document


def _bundle(schema: Any, bundled: dict[str, Any], remotes: Path | None = None) -> str | None:
    """Add the documents `schema` references by URI to `bundled` (by URI); the first
    reference whose document is not available, if any. The 2020-12 meta-schemas come
    from `jsonschema_specifications`, the suite's remotes/ from `remote_document`."""
    from jsonschema_specifications import REGISTRY

    ids, refs = _references(schema)
    for ref, where in refs:
        if not where or where in ids or where in bundled:
            continue
        try:
            document = REGISTRY.contents(where)
        except LookupError:
            try:
                document = remote_document(where, remotes)
            except LookupError:
                return ref
        bundled[where] = document
        missing = _bundle(document, bundled, remotes)
        if missing is not None:
            return missing
    return None


def document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "JSON-Schema-Test-Suite draft 2020-12", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas},
    }


def holder(name: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["value"],
        "properties": {"value": {"$ref": f"#/components/schemas/{name}"}},
    }


def buildable(groups: list[Group]) -> tuple[dict[str, Any], dict[str, str]]:
    """(component schemas of the groups the generator builds, label -> reason for the rest)."""
    schemas: dict[str, Any] = {}
    excluded: dict[str, str] = {}
    for group in groups:
        schema, reason = rewrite(group.schema, group.name)
        if reason is None:
            alone = {group.name: schema, group.holder: holder(group.name)}
            data = json.dumps(document(alone)).encode()
            try:
                build_package(load_bytes(data, f"{group.name}.json"), BuildOptions())
            except SchemaFirstError as exc:
                reason = f"generation fails: {exc.message}"
        if reason is None:
            schemas[group.name] = schema
            schemas[group.holder] = holder(group.name)
        else:
            excluded[group.label] = reason
    return schemas, excluded


@contextlib.contextmanager
def on_path(folder: Path) -> Iterator[None]:
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))


def run(
    groups: list[Group],
    excluded: dict[str, str],
    decide: Callable[[Group, Any], bool | None],
) -> Outcome:
    """Run every test; `decide` returns whether a payload is accepted (None: not run)."""
    outcome = Outcome(excluded=dict(excluded))
    for group in groups:
        for test in group.tests:
            if group.label in excluded:
                outcome.record(group, test, False)
                continue
            try:
                accepted = decide(group, test["data"])
            except Exception as exc:  # noqa: BLE001 - counted and reported, never hidden
                outcome.crashes.append(f"{group.label}: {test['description']}: {exc!r}")
                outcome.record(group, test, False)
                continue
            outcome.record(group, test, accepted is test["valid"])
    return outcome


def run_schemafirst(groups: list[Group], work: Path) -> Outcome:
    schemas, excluded = buildable(groups)
    spec = work / "jsts.json"
    spec.write_text(json.dumps(document(schemas)), encoding="utf-8")
    generate(Job(name="jsts", spec=spec, out=work / "sf", package="jsts_sf"))
    with on_path(work / "sf"):
        pkg = importlib.import_module("jsts_sf")

    def decide(group: Group, data: Any) -> bool:
        try:
            getattr(pkg, group.holder).from_dict({"value": data}, strict=True)
        except pkg.ValidationError:
            return False
        return True

    return run(groups, excluded, decide)


def run_dmcg(groups: list[Group], work: Path) -> Outcome:
    """datamodel-code-generator's pydantic v2 models for the same groups: one module for
    all of them; when dmcg refuses one, one module per file, then per group in that file."""
    from pydantic import ValidationError

    schemas: dict[str, Any] = {}
    excluded: dict[str, str] = {}
    for group in groups:
        schema, reason = rewrite(group.schema, group.name)
        if reason is None:
            schemas[group.name] = schema
        else:
            excluded[group.label] = reason
    folder = work / "dmcg"
    folder.mkdir(parents=True, exist_ok=True)
    classes: dict[str, Any] = {}

    def attempt(names: list[str]) -> str | None:
        """Generate and import a module for `names`; the error message on failure."""
        module = f"jsts_dmcg_{len(list(folder.iterdir()))}"
        try:
            _dmcg_module({n: schemas[n] for n in names}, folder / f"{module}.py")
        except Exception as exc:  # noqa: BLE001 - dmcg raises many types
            return str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        with on_path(folder):
            loaded = importlib.import_module(module)
        classes.update({n: getattr(loaded, n) for n in names if hasattr(loaded, n)})
        return None

    by_file: dict[str, list[str]] = {}
    for group in groups:
        if group.name in schemas:
            by_file.setdefault(group.file, []).append(group.name)
    labels = {g.name: g.label for g in groups}
    if attempt(list(schemas)) is not None:
        for names in by_file.values():
            if attempt(names) is not None:
                for name in names:
                    error = attempt([name])
                    if error is not None:
                        excluded[labels[name]] = f"dmcg fails: {error}"

    def decide(group: Group, data: Any) -> bool | None:
        cls = classes.get(group.name)
        if cls is None:
            raise LookupError(f"dmcg generated no class {group.name}")
        try:
            cls.model_validate(data)
        except ValidationError:
            return False
        return True

    return run(groups, excluded, decide)


def _dmcg_module(schemas: dict[str, Any], out: Path) -> None:
    from datamodel_code_generator import DataModelType, InputFileType
    from datamodel_code_generator import generate as dmcg_generate

    with (
        contextlib.redirect_stderr(io.StringIO()),
        contextlib.redirect_stdout(io.StringIO()),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        dmcg_generate(
            json.dumps(document(schemas)),
            input_file_type=InputFileType.OpenAPI,
            output_model_type=DataModelType.PydanticV2BaseModel,
            output=out,
            disable_timestamp=True,
        )


def table(ours: Outcome, theirs: Outcome) -> str:
    lines = [
        "| file | tests | schemafirst (strict) | datamodel-code-generator (pydantic) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for file in sorted(ours.total):
        lines.append(
            f"| {file} | {ours.total[file]} | {ours.passed[file]} | {theirs.passed.get(file, 0)} |"
        )
    total = sum(ours.total.values())
    lines.append(
        f"| **all core files** | {total} | **{sum(ours.passed.values())}"
        f" ({ours.rate:.1%})** | {sum(theirs.passed.values())} ({theirs.rate:.1%}) |"
    )
    lines.append(
        f"| **without remotes/** (groups that need no document of it) | {ours.local[0]} |"
        f" **{ours.local[1]} ({ours.local_rate:.1%})** | {theirs.local[1]}"
        f" ({theirs.local_rate:.1%}) |"
    )
    return "\n".join(lines)


def main() -> None:
    groups = core_groups()
    with tempfile.TemporaryDirectory() as tmp:
        ours = run_schemafirst(groups, Path(tmp))
        theirs = run_dmcg(groups, Path(tmp))
    print(table(ours, theirs))
    print(f"\nremotes/ folder: {'served from ' + str(REMOTES) if REMOTES.is_dir() else 'absent'}")
    print(f"\nGroups schemafirst cannot express ({len(ours.excluded)}):")
    for label, reason in sorted(ours.excluded.items()):
        print(f"- {label}: {reason}")
    print(f"\nUnexpected exceptions: {len(ours.crashes)}")
    for line in ours.crashes:
        print(f"- {line}")


if __name__ == "__main__":
    main()
