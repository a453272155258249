# Two commands are all the set-up there is: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test soak lint clean system-deps bench

run: $(STAMP)
	@bash packaging/linux/check-system-libs.sh
	$(PY) -m annotator

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

# Crash safety and two instances, harder: 200 kills -9 at random moments instead of 20.
soak: $(STAMP)
	ANNOTATOR_SOAK_KILLS=200 QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/reliability -q

lint: $(STAMP)
	$(VENV)/bin/lint-imports

# Speed against raw baselines measured in the same run: prints the table, writes benchmarks/results.json.
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run.py

# Installs the Debian packages Qt needs for a real window (run as root, or prefix with sudo).
system-deps:
	bash packaging/linux/check-system-libs.sh --install

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Annotator needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || \
	  { echo "Could not create $(VENV). On Debian or Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	@echo "Installing Annotator and its dependencies into $(VENV) (a few minutes the first time)..."
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
