# MedRecords Desktop.  `make run` starts the app, `make test` runs the whole suite;
# both create .venv with a suitable Python (3.12+) first.
PYTHON := $(shell sh scripts/find-python)
ifeq ($(PYTHON),)
$(error No Python 3.12+ found: install python3.12 or python3.13 (PySide6 6.12 aborts on 3.11))
endif
VENV := .venv
BIN := $(VENV)/bin

.PHONY: help venv run demo test test-fast check lint bench bundle bundle-smoke screenshots clean

help:            ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,directory]'
	touch $@

venv: $(BIN)/.installed  ## create .venv and install the app with its test tools

run: venv        ## start the app (on the demo vault when you have no vault yet)
	@if $(BIN)/python -c 'import sys; from medrecords_desktop.cli import default_vault_dir as d; sys.exit(0 if (d() / "vault.json").exists() else 1)'; then \
		$(BIN)/medrecords; \
	else \
		echo "No vault yet: opening the demo vault (a made-up family). Lock it (Ctrl+L) to create your own."; \
		$(BIN)/medrecords demo; \
	fi

demo: venv       ## start the app on the demo vault
	$(BIN)/medrecords demo

portal-harness:  ## install the FHIR/OAuth test servers (Node packages) used by the portal tests
	bash scripts/setup-portal-harness

test: venv portal-harness  ## run the whole test suite headless
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test-fast: venv  ## the suite without the corpus-wide and portal tests
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -m "not corpus"

check: venv      ## what CI checks before the tests: ruff (lint and format), the import-linter contracts, mypy (pyproject.toml)
	$(BIN)/ruff check medrecords_desktop tests benchmarks
	$(BIN)/ruff format --check medrecords_desktop tests benchmarks scripts
	$(BIN)/lint-imports
	$(BIN)/mypy medrecords_desktop
	$(BIN)/mypy --strict --follow-imports=silent medrecords_desktop/model medrecords_desktop/vault medrecords_desktop/services

lint: check      ## the same checks as `make check`

BENCH_VAULT := $(or $(TMPDIR),/tmp)/medrecords-bench-1m
bench: venv portal-harness  ## run every benchmark (prints the figures the issues ask for; about 5 minutes)
	rm -rf $(BENCH_VAULT)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_vault.py --keep $(BENCH_VAULT)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_gui.py $(BENCH_VAULT)/vault
	rm -rf $(BENCH_VAULT)
	for b in import fhir_parse ccda_parse packet portal_sync ocr bundle_start immunizations; do \
		echo "== bench_$$b"; QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/bench_$$b.py || exit 1; done

# The app folder: dist/MedRecords/medrecords (Linux onedir; .app on macOS).  Its own stamp so that
# `make venv` stays light: PyInstaller is installed only when a bundle is asked for.
$(BIN)/.installed-package: $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $@

bundle: $(BIN)/.installed-package  ## build the self-contained app folder dist/MedRecords (PyInstaller)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist \
		packaging/medrecords.spec
	@du -sh dist/MedRecords | sed 's/^/bundle size: /'

bundle-smoke: bundle  ## build the bundle, then run it headless (--version, selfcheck, start-up) via pytest
	MEDRECORDS_BUNDLE_TEST=1 MEDRECORDS_BUNDLE_DIR=dist/MedRecords QT_QPA_PLATFORM=offscreen \
		$(BIN)/python -m pytest -m bundle tests/test_bundle.py -v

screenshots: venv  ## save a screenshot of every view on the demo vault into docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m medrecords_desktop.tools.screenshots docs/screenshots
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m medrecords_desktop.tools.screenshots_a11y docs/screenshots

clean:           ## remove .venv and caches
	rm -rf $(VENV) .pytest_cache build dist
