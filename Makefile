# The two commands a new user needs: `make demo` and `make test`.
# Each creates .venv and installs requirements.txt when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: demo test chaos lint format stack-up stack-down stack-status bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

demo: $(STAMP)
	$(PY) scripts/demo.py $(if $(KEEP),--keep)

test: $(STAMP)
	$(PY) -m pytest -q $(PYTEST_ARGS)

chaos: $(STAMP)
	$(PY) -m tests.chaos --full

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

stack-up: $(STAMP)
	$(PY) scripts/stack.py up

stack-down: $(STAMP)
	$(PY) scripts/stack.py down

stack-status: $(STAMP)
	$(PY) scripts/stack.py status

clean:
	rm -rf .pytest_cache .ruff_cache
