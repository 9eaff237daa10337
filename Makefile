# keyproj — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

ASSETS := keyproj/static/vendor
NODE_STAMP := node_modules/.installed

.PHONY: install browser documents run test lint format bench clean

# Idempotent: each part is redone only when what it is built from changes.
install: $(STAMP) $(ASSETS)/.built

# The browser libraries come from the npm registry (package-lock.json) and are served by
# keyproj itself, so no page loads anything from another site.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

$(ASSETS)/.built: $(NODE_STAMP)
	mkdir -p $(ASSETS)
	cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js $(ASSETS)/
	touch $(ASSETS)/.built

# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool);
# pdftotext (poppler-utils) lets the tests read the notices' PDFs. Installed once, as root.
browser: documents
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

# Notices are rendered to PDF with Pango and embed the Noto CJK fonts, so that Chinese shows
# on pages and in documents alike.
documents:
	@if ! fc-list 2>/dev/null | grep -qi "noto sans cjk" || ! ldconfig -p | grep -q libpangoft2-1.0; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Set up on SQLite, load the demo into an empty database, serve on http://$(HOST):$(PORT).
run: install documents
	$(BIN)/keyproj migrate --noinput
	$(BIN)/keyproj demo --if-empty
	$(BIN)/keyproj serve --host $(HOST) --port $(PORT)

test: install browser
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy keyproj/core keyproj/metrics keyproj/*/services.py keyproj/*/querysets.py

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build *.egg-info node_modules $(ASSETS)
