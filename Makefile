# Two commands: `make run` (set up, open the dashboard on a sample centre) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run workshop test setup setup-dev bench samples clean

run: $(VENV)/.runtime
	$(BIN)/python scripts/serve.py --server.port $(PORT) --server.address 127.0.0.1

# A workshop in a room: served on the room's network; every other machine is a participant
# (the form and the wall only). docs/atelier.md says how.
workshop: $(VENV)/.runtime
	VALUECHAIN_ROOM=1 $(BIN)/python scripts/serve.py --server.port $(PORT) --server.address 0.0.0.0

test: $(VENV)/.dev
	./scripts/install-system-packages.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

# The package is compiled once at setup, as pip does for an installed package: every later
# start reads the bytecode (0.07 s a command) even where PYTHONDONTWRITEBYTECODE keeps Python
# from writing it.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m compileall -q valuechain dashboard pages
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/run_all.py

samples: $(VENV)/.runtime
	$(BIN)/python sample_data/build_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
