# Everything a user or CI needs; each target sets up .venv itself on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SHARED := ../shared/specs

.PHONY: generate test check golden spec diff lint typecheck bench bench-smoke fuzz clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	@touch $(STAMP)

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

## lint: ruff and mypy --strict on the tool and on the generated package
lint: $(STAMP)
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff check --isolated generated
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
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
