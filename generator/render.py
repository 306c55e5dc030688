"""Render the intermediate model through Jinja2 templates into file contents.

`render_package` returns `{relative path: text}`; nothing is written here. Templates
come from a user folder first (`--templates DIR`, one subfolder per target), then the
built-in ones, so a user overrides any single template by giving a file of that name.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .digest import builtin_templates
from .digest import templates_digest as templates_digest  # where callers used to find it
from .model import AliasDef, Definition, EnumDef, Field, ModelDef, Package, UnionDef
from .targets import codec_plan, decode_index, diagrams, layout
from .targets import markdown as md
from .targets import operations as ops
from .targets import python as py
from .template_cache import bytecode_cache
from .template_errors import template_error

TARGETS = ("python", "markdown")


@dataclass(frozen=True)
class Meta:
    version: str
    spec_name: str
    spec_sha256: str
    package: str
    formats: str = "json"  # "python": richer types for date-time, date, uuid, byte, unixtime


class _Context(jinja2.runtime.Context):
    """Jinja2's template context, with a shorter way to call a macro: about 20,000 macro
    calls render the 477-schema package, and `Context.call` looks at every callable for
    an argument to pass it first. A macro always takes the evaluation context (as
    `Context.call` finds out); every other callable goes the usual way."""

    @jinja2.utils.internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) is not jinja2.runtime.Macro:
            return jinja2.runtime.Context.call(__self, __obj, *args, **kwargs)
        if kwargs:  # what the compiled template hands every call inside a loop or block
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(__self.eval_ctx, *args, **kwargs)
        except StopIteration:  # as `Context.call` has it
            return __self.environment.undefined(
                "value was undefined because a callable raised a StopIteration exception"
            )


def environment(target: str, user_templates: Path | None) -> jinja2.Environment:
    search = []
    if user_templates is not None:
        search.append(str(user_templates / target))
    search.append(str(builtin_templates() / target))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search),
        bytecode_cache=bytecode_cache(),  # compiled templates kept between runs
        auto_reload=False,  # one run renders the templates as they were when loaded
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # escaping is per context, decided by the filters below
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        pyrepr=py.py_literal,
        docstring=py.docstring,
        comment=py.comment,
        md_text=md.md_text,
        md_cell=md.md_cell,
        md_code=md.md_code,
        first_sentence=md.first_sentence,
        sort_all=lambda names: sorted(names, key=py.all_sort_key),
        mermaid=md.mermaid_label,
        fit=layout.fit_block,
        block=_block,
        width=layout.width,
    )
    env.context_class = _Context
    return env


def _block(text: str, indent: int) -> str:
    """Generated lines placed in a template at `indent`: every line after the first
    indented (the template line indents the first), without the final newline."""
    text = text.rstrip("\n")
    if not indent or "\n" not in text:
        return text
    return _NONEMPTY_LINE.sub("\n" + " " * indent, text)


# The start of every line after the first but the empty ones (they stay empty).
_NONEMPTY_LINE = re.compile(r"\n(?=[^\n])")


def render_package(pkg: Package, meta: Meta, user_templates: Path | None = None) -> dict[str, str]:
    try:
        files = render_python(pkg, meta, environment("python", user_templates))
        files.update(render_markdown(pkg, meta, environment("markdown", user_templates)))
    except Exception as exc:
        error = template_error(exc)
        if error is None:
            raise
        raise error from None
    return files


# The filters of the Python target that need this run's code generator (compiling a
# template needs only their names).
RUN_FILTERS = ("class_docstring", "field_docstring", "docstring_text")


def _run_filters(cg: py.Codegen) -> dict[str, Any]:
    filters: dict[str, Any] = {
        "class_docstring": lambda d: _docstring_for(cg, d),
        "field_docstring": _field_docstring,
        "docstring_text": lambda text, fallback: py.docstring(fallback, 0),
    }
    assert tuple(filters) == RUN_FILTERS
    return filters


class TemplateWarmer:
    """The templates compiled into the template cache by a forked child while this
    process loads the spec and builds the model: on two or more cores, compiling (a
    fifth of a first run) overlaps with work that does not need the templates.

    Only where it can pay and is safe: Linux (a cheap fork, and no other thread in the
    process, so no lock another thread holds is inherited), more than one usable core,
    a usable cache that is not already filled. The child writes only cache entries
    (each atomically); if it fails or is slow, rendering compiles what it misses, so
    output and errors are those of a run without it.
    """

    def __init__(self, pid: int) -> None:
        self.pid = pid

    @classmethod
    def start(cls, user_templates: Path | None) -> TemplateWarmer | None:
        cache = bytecode_cache()
        if cache is None or not _can_fork() or _looks_warm(cache):
            return None
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: compile, and leave without running any cleanup of ours
            try:
                _compile_all(user_templates)
            finally:
                os._exit(0)
        return cls(pid)

    def wait(self) -> None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _can_fork() -> bool:
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def _looks_warm(cache: jinja2.BytecodeCache) -> bool:
    """Whether the cache holds an entry per built-in template already (then there is
    little left to compile; an edited template is simply compiled when rendering)."""
    folder = getattr(cache, "directory", None)
    if folder is None:
        return True
    shipped = sum(1 for p in builtin_templates().rglob("*.jinja") if p.is_file())
    try:
        return sum(1 for n in os.listdir(folder) if n.endswith(".jinjac")) >= shipped
    except OSError:
        return True


def _compile_all(user_templates: Path | None) -> None:
    for target in TARGETS:
        env = environment(target, user_templates)
        env.filters.update(dict.fromkeys(RUN_FILTERS, str))  # names only: never called
        for name in env.list_templates(filter_func=lambda n: n.endswith(".jinja")):
            with contextlib.suppress(Exception):  # a broken override: rendering reports it
                env.get_template(name)


def _docstring_for(cg: py.Codegen, d: Definition) -> str:
    parts: list[str] = []
    if d.docs.deprecated:
        parts.append("Deprecated.")
    if d.docs.description:
        parts.append(d.docs.description.strip())
    elif d.docs.title:
        parts.append(d.docs.title.strip())
    if isinstance(d, UnionDef):
        parts.append(py.union_summary(d, cg))
    if not parts:
        parts.append(f"The `{d.name}` schema.")
    return py.docstring("\n\n".join(parts))


def _field_docstring(f: Field) -> str:
    parts = []
    if f.docs.deprecated:
        parts.append("Deprecated.")
    parts.append((f.docs.description or f"The `{f.json_name}` property.").strip())
    if f.name != f.json_name:
        parts.append(f"JSON name: `{f.json_name}`.")
    return py.docstring("\n\n".join(parts))


def render_python(pkg: Package, meta: Meta, env: jinja2.Environment) -> dict[str, str]:
    cg = py.Codegen(pkg, meta.formats)
    enums = [d for d in pkg.definitions if isinstance(d, EnumDef)]
    models = py.base_first([d for d in pkg.definitions if isinstance(d, ModelDef)])
    aliases, cyclic = py.alias_order(
        [d for d in pkg.definitions if isinstance(d, (AliasDef, UnionDef))]
    )
    codec = codec_plan.build(cg, models, aliases)

    def alias_line(a: AliasDef | UnionDef) -> str:
        """`Name: TypeAlias = ...` laid out as black lays it out."""
        if isinstance(a, UnionDef):
            # Variants that differ only in what strict mode checks share an annotation.
            parts = list(dict.fromkeys(cg.annotation(v) for v in a.variants))
            if a.discriminator is not None:
                parts.append("UnknownVariant")
            if all(p.startswith("Literal[") for p in parts):  # one Literal (ruff PYI030)
                parts = ["Literal[" + ", ".join(p[len("Literal[") : -1] for p in parts) + "]"]
        else:
            parts = [cg.annotation(a.target)]
        head = f"{a.name}: TypeAlias = "
        if a.name in cyclic:
            lines = layout.fit(head + py.py_literal(" | ".join(parts)))
        else:
            lines = layout.union(head, parts).split("\n")
        return "\n".join([*layout.split_head(lines[0]), *lines[1:]])

    def field_line(f: Field) -> str:
        ann = layout.split_union(cg.field_annotation(f))
        lines = layout.annotated("    ", f.name, ann, cg.field_default(f))
        return "\n".join(lines)[4:]

    env.filters.update(_run_filters(cg))
    context: dict[str, Any] = dict(
        pkg=pkg,
        meta=meta,
        enums=enums,
        models=models,
        aliases=aliases,
        codec=codec,
        extra_annotation={m.name: cg.extra_annotation(m) for m in models},
        alias_line=alias_line,
        enum_base=py.enum_base,
        own_fields=py.own_fields(cg),
        field_line=field_line,
    )
    body = env.get_template("_models_body.py.jinja").render(context)
    codec_body = env.get_template("_codec_body.py.jinja").render(context)
    imports = py.imports_for(body)
    names = [d.name for d in pkg.definitions]
    operation_names = ops.exports(pkg)
    exported = sorted(
        [*names, *operation_names, "JsonValue", "UNSET", "UnknownVariant", "Unset"]
        + ["ValidationError", "decode", "decode_json", "encode"],
        key=py.dunder_all_key,
    )
    files = {
        "_runtime.py": env.get_template("_runtime.py.jinja").render(context),
        "models.py": env.get_template("models.py.jinja").render(
            context, body=body, imports=imports
        ),
        "_codec.py": env.get_template("_codec.py.jinja").render(
            context, body=codec_body, imports=py.imports_for(codec_body, names)
        ),
        "__init__.py": env.get_template("__init__.py.jinja").render(
            context,
            names=names,
            exported=exported,
            operation_names=operation_names,
            decode_checks=decode_index.extra_checks(pkg, meta.formats),
        ),
        "py.typed": "",
    }
    if pkg.operations:
        files["operations.py"] = env.get_template("operations.py.jinja").render(
            context, operations=ops.entries(pkg)
        )
    if codec.checks or codec.unicode:  # strict checks; `\p{...}` patterns
        files["_check.py"] = env.get_template("_check.py.jinja").render(context)
    return files


def render_markdown(pkg: Package, meta: Meta, env: jinja2.Environment) -> dict[str, str]:
    cg = py.Codegen(pkg, meta.formats)
    types = md.DocTypes(cg)
    context: dict[str, Any] = dict(pkg=pkg, meta=meta, cg=cg, types=types)
    union_summary = {
        d.name: py.union_summary(d, cg) for d in pkg.definitions if isinstance(d, UnionDef)
    }
    # One diagram of everything when GitHub can render it; else groups + neighbourhoods.
    diagram = env.get_template("_diagram.md.jinja").render(context)
    large = not diagrams.fits(diagram)
    groups = diagrams.group_diagram(pkg) if large else None
    around = diagrams.neighbourhoods(pkg) if large else {}
    files: dict[str, str] = {}
    for d in pkg.definitions:
        template = env.get_template(f"{types.kind(d)}.md.jinja")
        files[f"docs/{d.name}.md"] = template.render(
            context, d=d, union_summary=union_summary, neighbourhood=around.get(d.name)
        )
    files["docs/README.md"] = env.get_template("index.md.jinja").render(
        context, diagram=diagram, groups=groups
    )
    return files
