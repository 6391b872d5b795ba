# Gazette's two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000
# Let Python keep the project's compiled modules where an environment says not
# to: the tests start many processes (servers, their workers, commands), and
# each would otherwise compile the whole project again, a second apiece.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup run test test-full lint format typecheck system-deps bench-pipeline bench clean

$(STAMP): pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Gazette needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

setup: $(STAMP)

run: setup
	$(BIN)/gazette migrate --noinput
	$(BIN)/gazette collectstatic --noinput --verbosity 0
	$(BIN)/gazette demo
	$(BIN)/gazette serve --host $(HOST) --port $(PORT)

# Chromium (browser tests), DejaVu fonts, poppler-utils (pdftoppm: the edition's
# front page as PNG), where missing.
system-deps:
	@scripts/install-system-packages

# The tests run in PYTEST_WORKERS processes (pytest-xdist), all but the
# reliability battery's, which load servers and time them and so run alone,
# after the others (GAZETTE_TESTS, conftest.py). A pass that PYTEST_ARGS leaves
# with no test passes (pytest's exit status 5).
PYTEST_WORKERS ?= 2
test: setup system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/gazette check --fail-level WARNING
	$(BIN)/gazette makemigrations --check --dry-run
	GAZETTE_TESTS=shared $(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]
	GAZETTE_TESTS=alone $(BIN)/pytest $(PYTEST_ARGS) || [ $$? -eq 5 ]

# The full tier of the security and reliability battery (tests marked `full`:
# every payload, long loads, crashes); `make test` runs the fast tier. The XSS
# payloads in the browser and the request floods share the processes in the
# same way; the loads and crashes run alone.
test-full: setup system-deps
	GAZETTE_TESTS=shared $(BIN)/pytest -m full -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || [ $$? -eq 5 ]
	GAZETTE_TESTS=alone $(BIN)/pytest -m full $(PYTEST_ARGS) || [ $$? -eq 5 ]

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Comments per second through the moderation pipeline and the civility model
# alone (README, "Evaluation of the civility checks"); BENCH_ARGS passes options.
bench-pipeline: setup
	$(BIN)/python bench/moderation_pipeline.py $(BENCH_ARGS)

# Gazette beside nginx, Wagtail and Isso under the same wrk load (README,
# "Performance"); installs nginx, wrk and the peers' venvs under var/bench/ where
# missing. About five minutes; BENCH_ARGS="--quick" about three.
bench: setup
	scripts/install-bench-tools
	$(BIN)/python bench/peers.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var artifacts .pytest_cache .ruff_cache
