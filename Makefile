# Two commands do all the set-up on a fresh machine:
#   make run    create .venv if missing, install the pinned requirements, create or upgrade the summit database
#               (var/summit.sqlite, or LUP_DATABASE_URL), serve the app on http://localhost:8501
#   make serve  the same with SERVERS servers behind a load balancer on PORT (README, "Serving many readers")
#   make test   the same with the test requirements, then `make lint`, then run the whole test suite
#   make lint   ruff (lint and format check) and mypy, as configured in pyproject.toml
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
SERVERS ?= 2

.PHONY: run serve test lint validate bench clean
.DEFAULT_GOAL := run

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) -m comparisons summit migrate
	$(PY) -m streamlit run app.py --server.port $(PORT)

# SERVERS Streamlit servers on loopback behind HAProxy on PORT (README, "Serving many readers"); REMOTE adds other
# machines' servers ("host:port host:port"). Ctrl-C stops them all.
serve: $(VENV)/.runtime
	$(PY) -m comparisons summit migrate
	$(PY) deploy/serve.py --servers $(SERVERS) --port $(PORT) $(if $(REMOTE),--remote "$(REMOTE)")

test: lint
	$(PY) -m comparisons validate
	$(PY) -m pytest -n 2 --dist loadfile

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

validate: $(VENV)/.runtime
	$(PY) -m comparisons validate

bench: $(VENV)/.dev
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
