"""Compiled templates are cached between runs (generator/template_cache.py).

The cache may change how long a run takes, never what it writes: same bytes with an
empty and a warm cache, an edited template (a `--templates` override) compiled afresh,
and a cache folder that cannot be used, or a damaged entry, silently ignored.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator import render, template_cache
from generator.config import Job
from generator.generate import generate
from tests.casekit import read_tree
from tests.conftest import GENERATED, SPEC_2025


def run(out: Path, templates: Path | None = None) -> dict[str, bytes]:
    generate(Job(name="t", spec=SPEC_2025, out=out, package="runobject", templates=templates))
    return read_tree(out / "runobject")


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("templates-*/*.jinjac"))


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja2 compiles from source."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, name: Any = None, *a: Any) -> Any:
        names.append(str(name))
        return real(self, source, name, *a)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def test_a_warm_cache_gives_the_same_bytes_without_compiling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(template_cache.ENV_VAR, str(cache))
    monkeypatch.setattr(render, "_can_fork", lambda: False)  # compile here, not in a child
    cold = run(tmp_path / "a")
    assert compiles, "an empty cache compiles"
    assert len(entries(cache)) == len(set(compiles))
    compiles.clear()
    warm = run(tmp_path / "b")
    assert compiles == []
    assert warm == cold
    for name in ("models.py", "_codec.py", "_runtime.py", "__init__.py", "docs/RunObject.md"):
        assert warm[name] == (GENERATED / name).read_bytes(), name


def test_an_edited_override_is_compiled_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(template_cache.ENV_VAR, str(tmp_path / "cache"))
    page = tmp_path / "tpl" / "markdown" / "enum.md.jinja"
    page.parent.mkdir(parents=True)
    for text in ("# {{ d.name }} (one)\n", "# {{ d.name }} (two)\n"):
        page.write_text(text)
        tree = run(tmp_path / "out", templates=tmp_path / "tpl")
        expected = text.replace("{{ d.name }}", "RunObjectStatus")
        assert tree["docs/RunObjectStatus.md"] == expected.encode()


def test_a_damaged_entry_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(template_cache.ENV_VAR, str(cache))
    cold = run(tmp_path / "a")
    damaged = entries(cache)
    for i, path in enumerate(damaged):  # cut short, emptied, or junk after a valid header
        data = path.read_bytes()
        path.write_bytes([data[: len(data) // 2], b"", data[:20] + b"\x00junk"][i % 3])
    assert run(tmp_path / "b") == cold
    assert [p.read_bytes() for p in entries(cache)] != [b""] * len(damaged)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_cache_folder_others_can_write_to_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    cache = tmp_path / "shared-cache"
    cache.mkdir()
    cache.chmod(0o777)
    monkeypatch.setenv(template_cache.ENV_VAR, str(cache))
    assert run(tmp_path / "a") == run(tmp_path / "b")
    assert entries(cache) == []
    assert len(compiles) == 2 * len(set(compiles))  # the second run compiled them again


def test_an_unusable_cache_path_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(template_cache.ENV_VAR, str(blocker / "cache"))
    tree = run(tmp_path / "out")
    assert tree["models.py"] == (GENERATED / "models.py").read_bytes()


def test_the_cache_defaults_to_the_user_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(template_cache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    if os.name != "nt":
        assert template_cache.cache_root() == Path("/somewhere/cache/schemafirst")
        monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
        assert template_cache.cache_root() == Path.home() / ".cache" / "schemafirst"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_templates_compile_in_a_child_while_the_spec_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str]
) -> None:
    """With an empty cache, a forked child fills it while the spec is read and the model
    built; rendering then compiles nothing, and the bytes are the same."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(template_cache.ENV_VAR, str(cache))
    monkeypatch.setattr(render, "_can_fork", lambda: True)
    started: list[int] = []
    real_start = render.TemplateWarmer.start.__func__  # type: ignore[attr-defined]

    def start(cls: type[render.TemplateWarmer], templates: Path | None) -> Any:
        warmer = real_start(cls, templates)
        started.append(warmer.pid if warmer is not None else 0)
        return warmer

    monkeypatch.setattr(render.TemplateWarmer, "start", classmethod(start))
    tree = run(tmp_path / "a")
    assert started and started[0] > 0
    assert compiles == []  # the child compiled every template into the cache
    shipped = len(list(render.builtin_templates().rglob("*.jinja")))
    assert len(entries(cache)) == shipped
    assert tree["models.py"] == (GENERATED / "models.py").read_bytes()
    assert tree["docs/RunObject.md"] == (GENERATED / "docs" / "RunObject.md").read_bytes()
    run(tmp_path / "b")  # the cache is warm: no child
    assert started[1:] == [0]
