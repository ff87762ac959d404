# Forum Desk. `make demo` runs the site with the seed forums; `make test` runs the checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_EMAIL ?= secretariat@forumdesk.example
DEMO_PASSWORD ?= forum-desk-demo
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: demo test lint format install install-dev migrate worker clean bench bench-checkin fonts browser

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { echo "Python 3.11 is required; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,redis]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Badges, certificates and the check-in list need fonts for every script in names (Noto, and
# Droid Sans Fallback for Chinese, Japanese and Korean, Symbola for emoji and symbols); the tests
# read PDFs back with poppler and decode QR codes with zbar. Installed with apt-get (Debian)
# when missing.
PDF_PACKAGES := fonts-noto-core fonts-droid-fallback fonts-symbola poppler-utils zbar-tools
fonts:
	@if [ -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf ] \
	  && [ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] \
	  && [ -f /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf ] \
	  && command -v pdftotext >/dev/null && command -v zbarimg >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -qq $(PDF_PACKAGES) >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq $(PDF_PACKAGES) >/dev/null; }; \
	else \
	  echo "Badges and certificates need: $(PDF_PACKAGES). Install them (sudo apt-get install $(PDF_PACKAGES)) or run make fonts as root."; exit 1; \
	fi

# The browser tests (tests/browser/) drive Debian's Chromium with Playwright, which is told to
# use /usr/bin/chromium and never downloads a browser. Installed with apt-get (Debian) when
# missing; without it the browser tests skip, except in CI (CI=true, or
# FORUMDESK_BROWSER_TESTS=required as .ci/run sets), where they fail.
BROWSER_PACKAGES := chromium
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }; \
	else \
	  echo "The browser tests need Debian's Chromium at /usr/bin/chromium. Install it (sudo apt-get install $(BROWSER_PACKAGES)) or run make browser as root."; exit 1; \
	fi

demo: install migrate
	@$(MAKE) --no-print-directory fonts || echo "The site runs without them; badges and certificates will say which fonts are missing."
	$(BIN)/python manage.py load_demo --facilitator-password $(DEMO_PASSWORD)
	$(BIN)/python manage.py create_secretariat $(DEMO_EMAIL) --password $(DEMO_PASSWORD)
	@echo "Serving http://127.0.0.1:8000 (log in at /accounts/login/ with the account above;"
	@echo "facilitators, e.g. lara.white@iom.example, with the password $(DEMO_PASSWORD))."
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py worker & worker=$$!; \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The background worker as docs/deploy.md runs it: it re-queues what a dead worker held, at
# start and every OUTBOX_SWEEP_SECONDS.
worker: install
	$(BIN)/python manage.py worker

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install-dev fonts lint
	@$(MAKE) --no-print-directory browser || echo "The browser tests (tests/browser/) will skip without Chromium."
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest

# Registration under load (see docs/benchmarks.md): needs PostgreSQL and Redis on 127.0.0.1;
# it drops and creates the database forumdesk_bench_register and empties Redis database 9.
$(VENV)/.installed-bench: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[bench,redis]'
	touch $@ $(VENV)/.installed

bench: $(VENV)/.installed-bench
	$(BIN)/python bench/register_load.py

# Check-in with 2,000 registrants (see docs/benchmarks.md): needs PostgreSQL on 127.0.0.1; it
# drops and creates the database forumdesk_bench_checkin.
bench-checkin: $(VENV)/.installed-bench
	$(BIN)/python bench/checkin.py

clean:
	rm -rf $(VENV) var
