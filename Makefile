# yingshang — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
comma := ,
# Test processes: one per core (each has its own test database and, for the browser tests, its own server).
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: run setup provision test test-quick bench check clean messages messages-check fuzz outage cluster-test

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -qq --disable-pip-version-check -e '.[test]' --config-settings editable_mode=compat
	@touch $(STAMP)

setup: $(STAMP)

# Chromium and CJK fonts for the browser tests: installed with apt when run as root on Debian, else named.
provision:
	@tools/provision

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py demo
	@echo
	@echo "  yingshang is serving on http://$(HOST):$(PORT)/  (log in with an account above; Ctrl-C stops)"
	@echo
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite, browser tests included (PostgreSQL when DATABASE_URL is set).
# pytest's "no tests ran" (exit 5) is a failure, never a pass.
test: $(STAMP) provision
	@$(PY) -m pytest -p no:cacheprovider -n $(WORKERS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: no tests ran" >&2; exit 1; fi; exit $$rc

# Everything but the browser tests.
test-quick: $(STAMP)
	@$(PY) -m pytest -p no:cacheprovider -n $(WORKERS) -m "not browser"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test-quick: no tests ran" >&2; exit 1; fi; exit $$rc

# The schema fuzz probe: schemathesis against a live server with a dispatcher's and a firm's token (bounded).
fuzz: $(STAMP)
	$(PY) tools/fuzz.py --seconds $(or $(FUZZ_SECONDS),80) --examples 25

# The outage probe (PostgreSQL, Debian's postgresql-common): a cluster of its own restarted and stopped under load.
outage: $(STAMP)
	$(PY) tools/outage.py --seconds 30

# The cluster test: nginx, two application servers, Redis, S3-compatible storage and a worker on loopback, under
# load while the sweep runs from both servers (PostgreSQL: DATABASE_URL names the server; nginx and redis-server
# are installed with apt as root on Debian).
cluster-test: $(STAMP)
	@tools/provision --cluster
	$(PY) tools/cluster.py --seconds $(or $(CLUSTER_SECONDS),20)

# `make bench SCALE=10000000`: the ledger's benchmarks (tickets, search) on that many problems.
bench: $(STAMP)
	$(if $(SCALE),BENCH_TICKETS=$(SCALE)) $(PY) bench/run.py $(or $(ONLY),$(if $(SCALE),tickets$(comma)search))

check: $(STAMP)
	DEBUG=1 $(PY) manage.py check
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets;print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.org \
		REDIS_URL=redis://127.0.0.1:6379/0 $(PY) manage.py check --deploy --fail-level WARNING
	rm -rf var/check-static && DEBUG=0 SECRET_KEY=check-only-key-$$(date +%s)-abcdefghijklmnopqrstuvwxyz0123456789 \
		ALLOWED_HOSTS=example.org STATIC_ROOT=var/check-static $(PY) manage.py collectstatic --noinput -v0 \
		&& rm -rf var/check-static && echo "collectstatic (manifest, compressed): ok"

# The Chinese catalogue (yingshang/locale/zh_Hans/LC_MESSAGES/django.po) is the source of the translations:
# `make messages` adds the new message ids (translate them in the .po), compiles it and checks it.
messages: $(STAMP)
	cd yingshang && DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete --ignore 'static/*' --ignore '*/tests/*'
	cd yingshang && DEBUG=1 ../$(PY) ../manage.py compilemessages
	$(PY) tools/check_po.py

# CI: the catalogue regenerated from the code has no untranslated or fuzzy entry (the tree is left as it was).
messages-check: $(STAMP)
	@tools/provision --gettext-only
	@cp yingshang/locale/zh_Hans/LC_MESSAGES/django.po var-django.po.bak
	@cd yingshang && DEBUG=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete --ignore 'static/*' --ignore '*/tests/*' -v0; \
	 cd .. && $(PY) tools/check_po.py; rc=$$?; mv var-django.po.bak yingshang/locale/zh_Hans/LC_MESSAGES/django.po; exit $$rc

clean:
	rm -rf $(VENV) var staticfiles *.egg-info
