# Newsroom developer commands. Everything runs in .venv, made from the system python3.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PIP := $(BIN)/python -m pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000
# The edition's language: `make run LANGUAGE=de` (en, de, fr, es or ar). A shell's own
# LANGUAGE (gettext's, such as "en_US:en") is not one of them and means English.
export LANGUAGE_CODE := $(or $(filter en de fr es ar,$(LANGUAGE)),en)
# The official schemas the tests validate against (../shared/standards of the checkout).
STANDARDS ?= $(abspath $(firstword $(wildcard ../shared/standards ../../shared/standards)))

.PHONY: run test lint install migrate demo wheel wheel-test lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Install the app (editable) with the site, database, cache and dev extras,
# pinned by constraints.txt to the versions CI tested.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e ".[site,postgres,redis,dev,bench]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo's photos are queued for the task worker, which `make run` starts.
demo: migrate
	$(BIN)/python manage.py load_demo

# The server and, beside it, the task worker that makes photo renditions
# (django-tasks-db's db_worker); Ctrl-C stops both. Photos a stopped worker left
# half done are queued again first (make_renditions --enqueue).
run: demo
	@echo ""
	@echo "  Newsroom demo:  http://$(HOST):$(PORT)/"
	@echo "  Editors' admin: http://$(HOST):$(PORT)/admin/  (username: editor, password: newsroom-demo)"
	@echo "  Reporter role:  username: reporter, password: newsroom-demo"
	@echo "  Task worker:    makes photo renditions in the background; Ctrl-C stops it with the server"
	@echo ""
	$(BIN)/python manage.py make_renditions --enqueue --verbosity 0
	@trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --no-reload --interval 0.5 & worker=$$!; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m django check --settings=tests.settings --fail-level WARNING
	$(BIN)/python -m django makemigrations --check --dry-run --settings=tests.settings

# On SQLite the task-worker tests need the test database in a file: a second pass.
test: lint
	$(BIN)/python -m pytest
	if [ -z "$$DATABASE_URL" ]; then NEWSROOM_TEST_SQLITE_FILE=1 $(BIN)/python -m pytest tests/test_tasks.py; fi

# Build the wheel and run the suite against the installed wheel, not the source
# tree: catches templates, static files or migrations missing from the package.
wheel: install
	rm -rf dist && $(BIN)/python -m build --wheel --outdir dist . >/dev/null

# Runs in a temporary folder outside the checkout so nothing imports the source tree
# (the demo site's own tests need its checkout, so they stay behind).
wheel-test: wheel
	set -e; dir=$$(mktemp -d); trap 'rm -rf "$$dir"' EXIT; \
	$(PYTHON) -m venv "$$dir/venv"; \
	"$$dir/venv/bin/python" -m pip --disable-pip-version-check install -q -c "$(CURDIR)/constraints.txt" \
		"$$(ls "$(CURDIR)"/dist/*.whl)[site,postgres,redis,dev]"; \
	cp -r tests "$$dir/tests"; \
	printf '[pytest]\nDJANGO_SETTINGS_MODULE = tests.settings\nmarkers =\n    browser: browser tests\n' > "$$dir/pytest.ini"; \
	cd "$$dir"; \
	venv/bin/python -c "import articles; assert 'site-packages' in articles.__file__, articles.__file__"; \
	NEWSROOM_STANDARDS="$(STANDARDS)" venv/bin/python -m pytest -q -p no:cacheprovider -m "not browser" --ignore=tests/test_site.py --ignore=tests/test_site_security.py tests

# Refresh constraints.txt from the current venv after changing dependencies.
lock: install
	$(PIP) freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) build dist staticfiles .pytest_cache .ruff_cache
