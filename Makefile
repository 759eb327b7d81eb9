# Two commands: `make run` (set up, open the dashboard on a sample centre) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test setup setup-dev bench samples clean

run: $(VENV)/.runtime
	$(BIN)/python -m streamlit run app.py --server.port $(PORT)

test: $(VENV)/.dev
	./scripts/install-system-packages.sh
	$(BIN)/python -m mypy
	$(BIN)/python -m pytest

setup: $(VENV)/.runtime
setup-dev: $(VENV)/.dev

$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
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
