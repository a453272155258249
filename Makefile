# Two commands are all the set-up there is: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test soak lint clean system-deps bench bundle

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

# The offline installer bundle: dist/Annotator/ (PyInstaller onedir: the app, Python, Qt, the spaCy pipeline,
# resources, migrations, licences), debug symbols stripped, held to 300 MB; on Linux also the .tar.gz.
# Check it with: dist/Annotator/Annotator --self-test
bundle: $(STAMP)
	@$(PY) -c 'import PyInstaller' 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,bundle]'
	nice $(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build packaging/annotator.spec
	$(PY) packaging/finish_bundle.py dist/Annotator
	$(PY) packaging/trim_icu.py dist/Annotator
	$(PY) packaging/check_size.py dist/Annotator --max-mb 300
	@if [ "$$(uname -s)" = Linux ]; then sh packaging/linux/make_tarball.sh dist/Annotator; fi

# Installs the Debian packages Qt needs for a real window, with fonts for the articles' scripts (Thai,
# Devanagari, Armenian, Hebrew, Arabic, CJK, emoji), which make bundle copies (run as root, or with sudo).
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
