# The two commands a new user needs: `make demo` and `make test`.
# Each creates .venv and installs requirements.txt when needed.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed

.PHONY: demo test browser chaos lint format stack-up stack-down stack-status bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

demo: $(STAMP)
	$(PY) scripts/demo.py $(if $(KEEP),--keep)

# Two pytest workers (pytest-xdist), each with its own Temporal dev server and PostgreSQL
# on free ports: the long fault-suite test waits on timeouts while the other tests run.
# PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= 2

test: $(STAMP) browser
	$(PY) -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# The browser test of the Web views drives Debian's chromium: installed here when root
# (apt-get), otherwise that test skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium (apt-get) for the browser test"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get install -y -q chromium >/dev/null 2>&1 \
	      || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; } \
	      || echo "chromium could not be installed: the browser test will be skipped"; \
	  else \
	    echo "chromium is not installed (installing it needs root): the browser test will be skipped"; \
	  fi; }

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
