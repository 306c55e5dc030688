"""pydantic v2 models generated at run time by datamodel-code-generator (dmcg).

The models are generated from the same fragment (spec/runobject.yaml) into
bench/.cache/ (gitignored) and imported from there; nothing generated is committed.
The cache key is the spec's hash, dmcg's version and the options, so a changed spec or
dmcg regenerates.

Two configurations:
- `defaults`: what `datamodel-codegen --input-file-type openapi --output-model-type
  pydantic_v2.BaseModel` gives. Measured for correctness only.
- `tuned` (the timed peer): adds `--strict-nullable` (without it dmcg drops `nullable:
  true` on required properties) and `--extra-fields allow` (keep unknown keys): the best
  fidelity dmcg offers for this spec.

Encode uses `model_dump(mode="json", exclude_unset=True, by_alias=True)` so absent
optionals stay absent; the JSON path is `model_validate_json` / `model_dump_json`.
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent.parent
ROOT = BENCH.parent
CACHE = BENCH / ".cache"
SPEC = ROOT / "spec" / "runobject.yaml"

BASE_OPTIONS = [
    "--input-file-type",
    "openapi",
    "--output-model-type",
    "pydantic_v2.BaseModel",
    "--disable-timestamp",
    "--formatters",
    "builtin",
    "--target-python-version",
    "3.11",
]
CONFIGS = {
    "defaults": [],
    "tuned": ["--strict-nullable", "--extra-fields", "allow"],
}


def dmcg_version() -> str:
    from importlib.metadata import version

    return version("datamodel-code-generator")


def dmcg_binary() -> str:
    return str(Path(sys.executable).parent / "datamodel-codegen")


def generate(config: str = "tuned", spec: Path = SPEC) -> Path:
    """Generate (or reuse) the models file for `config`; return its path."""
    options = BASE_OPTIONS + CONFIGS[config]
    key = hashlib.sha256(
        spec.read_bytes() + dmcg_version().encode() + "\0".join(options).encode()
    ).hexdigest()[:16]
    CACHE.mkdir(exist_ok=True)
    out = CACHE / f"pydantic_dmcg_{config}_{key}.py"
    if not out.exists():
        tmp = out.with_suffix(".tmp")
        cmd = [dmcg_binary(), "--input", str(spec), *options, "--output", str(tmp)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"datamodel-codegen failed: {proc.stderr.strip()[-2000:]}")
        tmp.replace(out)
    return out


def load(config: str = "tuned") -> ModuleType:
    path = generate(config)
    name = f"_bench_pydantic_{config}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    module.RunObject.model_rebuild()
    return module


class Peer:
    """The four operations on one configuration's `RunObject`."""

    def __init__(self, config: str = "tuned") -> None:
        import pydantic

        self.config = config
        self.module = load(config)
        model = self.module.RunObject
        self.from_dict = model.model_validate
        self.from_json = model.model_validate_json
        self.ERRORS: tuple[type[BaseException], ...] = (pydantic.ValidationError,)

    @staticmethod
    def to_dict(obj: Any) -> Any:
        return obj.model_dump(mode="json", exclude_unset=True, by_alias=True)

    @staticmethod
    def to_json(obj: Any) -> str:
        return obj.model_dump_json(exclude_unset=True, by_alias=True)


NOTES = {
    "defaults": [
        "dmcg ignores `nullable: true` on required properties unless --strict-nullable:"
        " every payload with a null timestamp/required_action/usage is rejected",
    ],
    "tuned": [
        "even with --strict-nullable, `allOf: [$ref, {nullable: true}]` loses the null:"
        " null `truncation_strategy` / `tool_choice` are rejected",
        "`number` fields are float: an integer-valued `1` comes back as `1.0`",
    ],
}
