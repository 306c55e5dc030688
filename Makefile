# Everything a user or CI needs; each target sets up .venv itself on a fresh machine.
# The development environment is installed from requirements.lock (every package pinned
# with its hashes, transitive ones included), exported from uv.lock by `make lock`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
SHARED := ../shared/specs
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: generate test check golden spec diff lint typecheck bench bench-smoke fuzz clean \
	lock test-latest test-matrix

# A new or changed lock gives a new environment: nothing left over from an older one.
$(STAMP): pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## lock: re-resolve after a pyproject.toml change (keeps other pins); UPGRADE=1: newest of all
lock: $(STAMP)
	$(VENV)/bin/uv lock $(if $(UPGRADE),--upgrade)
	$(VENV)/bin/uv export --frozen --all-extras --no-emit-project --quiet > $(LOCK)

## test-latest: the suite against the newest versions pyproject.toml allows (drift early)
test-latest:
	rm -rf .venv-latest
	$(PYTHON) -m venv .venv-latest
	.venv-latest/bin/python -m pip install --quiet --upgrade pip
	.venv-latest/bin/python -m pip install --quiet --upgrade -e '.[dev,bench]'
	.venv-latest/bin/python -m pip list --format=freeze > .venv-latest/versions.txt
	SCHEMAFIRST_UNLOCKED=1 .venv-latest/bin/python -m pytest -n 2 -q -p no:cacheprovider

## test-matrix: CLI tests, generated packages' round trips and JSON paths on Python 3.10, 3.12, 3.13
MATRIX ?= 3.10 3.12 3.13
MATRIX_TESTS := tests/test_cli.py tests/test_cases.py tests/test_roundtrip.py tests/test_generated_api.py \
	tests/test_json_text.py tests/test_json_loads.py tests/test_codec_templates.py
test-matrix:
	@set -e; for v in $(MATRIX); do \
		py=$$(ls -d $$HOME/.pyenv/versions/$$v.*/bin/python$$v 2>/dev/null | tail -n 1); \
		py=$${py:-$$(command -v python$$v || true)}; \
		if [ -z "$$py" ]; then echo "test-matrix: no Python $$v found"; exit 1; fi; \
		echo "== Python $$v ($$py)"; \
		rm -rf .venv-$$v; $$py -m venv .venv-$$v; \
		.venv-$$v/bin/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK); \
		.venv-$$v/bin/python -m pip install --quiet --no-deps --no-build-isolation -e .; \
		.venv-$$v/bin/python -m pytest -n 2 -q -p no:cacheprovider $(MATRIX_TESTS); \
	done

## generate: regenerate generated/ from the spec configured in pyproject.toml
generate: $(STAMP)
	$(VENV)/bin/schemafirst generate

## test: the whole suite (what CI runs)
test: $(STAMP)
	$(PY) -m pytest -n 2 -q

## check: fail (with a diff) when generated/ is stale
check: $(STAMP)
	$(VENV)/bin/schemafirst generate --check

## golden: deliberately refresh every expected output (generated/, tests/cases, diff goldens)
golden: $(STAMP)
	$(VENV)/bin/schemafirst generate
	$(PY) -m tests.update_golden

## spec: re-extract the RunObject fragments from ../shared/specs
spec: $(STAMP)
	$(VENV)/bin/schemafirst extract $(SHARED)/openai-2025-04-29.yaml --root RunObject -o spec/runobject.yaml
	$(VENV)/bin/schemafirst extract $(SHARED)/openai-2024-04-15.yaml --root RunObject -o spec/runobject-2024-04-15.yaml

## diff: what changed in spec/runobject.yaml since its previous committed version
diff: $(STAMP)
	@if git diff --quiet HEAD -- spec/runobject.yaml; then \
		prev=$$(git log -n 2 --format=%H -- spec/runobject.yaml | sed -n 2p); \
		new="HEAD:spec/runobject.yaml"; \
	else prev=HEAD; new=spec/runobject.yaml; fi; \
	if [ -z "$$prev" ]; then echo "spec/runobject.yaml has no earlier committed version"; exit 0; fi; \
	$(VENV)/bin/schemafirst diff "$$prev:spec/runobject.yaml" "$$new" --fail-on never

## lint: ruff (checks and format) and mypy --strict on the tool and on the generated package
lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests bench
	$(VENV)/bin/ruff check --isolated --target-version py310 generated
	$(VENV)/bin/mypy generator
	cd generated && ../$(VENV)/bin/mypy --strict runobject

bench: $(STAMP)
	$(PY) bench/run.py

bench-smoke: $(STAMP)
	$(PY) bench/run.py --smoke

## fuzz: the payload and spec fuzz tests with 20x the examples
fuzz: $(STAMP)
	SCHEMAFIRST_FUZZ=20 $(PY) -m pytest -n 2 -q tests -k "fuzz or hostile or roundtrip"

clean:
	rm -rf $(VENV) .venv-latest .venv-3.* .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
