"""Refresh every golden file deliberately: `make golden` (never run by the tests)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from tests.casekit import case_dirs, case_tree, generate_case, write_tree


def main() -> None:
    for case in case_dirs():
        if (case / "error.txt").exists():
            continue  # expected errors are written by hand
        with tempfile.TemporaryDirectory() as tmp:
            folder = generate_case(case, Path(tmp))
            target = case / "expected" / folder.name
            shutil.rmtree(case / "expected", ignore_errors=True)
            write_tree(case_tree(folder), target)
        print(f"updated {target}")
    try:
        from tests import update_golden_diff  # written with `schemafirst diff`
    except ImportError:
        return
    update_golden_diff.main()


if __name__ == "__main__":
    main()
