"""`schemafirst diff`: what changed between two versions of a spec, on the resolved model.

Two specs are built into `Package`s (the intermediate model), compared definition by
definition (`compare`), each change is classified for readers and writers (`classify`),
and the result is printed as text, Markdown or JSON (`formats`). Comparing the model
rather than the text means a moved or reformatted schema is no change, while a change
behind a `$ref` is seen.
"""

from __future__ import annotations

from ..diff.compare import Change, compare_packages

__all__ = ["Change", "compare_packages"]
