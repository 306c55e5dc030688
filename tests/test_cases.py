"""End-to-end cases: generated output byte for byte, and payload behaviour."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.casekit import case_dirs, case_tree, generate_case, import_expected

CASES = case_dirs()
PAYLOAD_CASES = [
    pytest.param(case, i, entry, id=f"{case.name}-{i}")
    for case in CASES
    if (case / "payloads.yaml").exists()
    for i, entry in enumerate(yaml.safe_load((case / "payloads.yaml").read_text()))
]


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values that tells 1, 1.0 and True apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@pytest.mark.parametrize(
    "case", [c for c in CASES if (c / "expected").exists()], ids=lambda c: c.name
)
def test_generated_output_matches_expected(case: Path, tmp_path: Path) -> None:
    folder = generate_case(case, tmp_path)
    expected = case_tree(case / "expected" / folder.name)
    actual = case_tree(folder)
    assert sorted(actual) == sorted(expected), "generated file set differs (run `make golden`?)"
    for name in expected:
        assert actual[name] == expected[name], (
            f"{case.name}/{name} differs from expected (run `make golden`?)"
        )


@pytest.mark.parametrize(("case", "index", "entry"), PAYLOAD_CASES)
def test_payload(case: Path, index: int, entry: dict[str, Any]) -> None:
    pkg = import_expected(case)
    model = getattr(pkg, entry["model"])
    payload = entry["payload"]
    before = copy.deepcopy(payload)
    strict = bool(entry.get("strict", False))
    if "errors" in entry:
        with pytest.raises(pkg.ValidationError) as info:  # type: ignore[attr-defined]
            model.from_dict(payload, strict=strict)
        assert [f"{p}: {m}" for p, m in info.value.problems] == entry["errors"]
    else:
        value = model.from_dict(payload, strict=strict)
        assert entry.get("roundtrip") is True
        assert json_equal(value.to_dict(), payload), value.to_dict()
        if not any(isinstance(v, float) and not math.isfinite(v) for v in payload.values()):
            assert json_equal(json.loads(value.to_json()), payload)
            assert model.from_json(value.to_json(), strict=strict) == value
    assert json_equal(payload, before), "decoding mutated its input"
