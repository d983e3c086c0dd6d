# Everything a fresh machine with Python 3.11 and make needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Background workers beside the web server (answer grading, code runs); more with `WORKERS=4 make run`.
WORKERS ?= 1
# The sandbox of coding questions (apt-get install bubblewrap).
BWRAP ?= /usr/bin/bwrap
PYTEST_ARGS ?=

.PHONY: run setup check-sandbox test mutation install install-dev translations clean

run: setup check-sandbox
	@echo ""
	@echo "Serving on http://$${GUNICORN_BIND:-127.0.0.1:$(PORT)}/  (Ctrl+C stops it)"
	@echo "First admin (in another terminal): $(BIN)/python manage.py createsuperuser"
	@echo ""
	$(BIN)/honcho start --procfile Procfile --port $(PORT) --concurrency web=1,worker=$(WORKERS)

setup: install translations
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py import_bank fixtures/bank.md
	$(BIN)/python manage.py import_bank fixtures/coding.md --topics fixtures/coding-topics.json
	$(BIN)/python manage.py collectstatic --no-input -v 0

# Coding questions run candidates' code only inside bubblewrap; without it the pages say the runner is unavailable.
check-sandbox:
	@test -x $(BWRAP) || echo "*** bubblewrap is not installed: coding questions cannot run code. Install it with: sudo apt-get install bubblewrap"

test: install-dev translations
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Mutation testing of the core modules (not part of `make test`; docs/testing.md). The modules are the
# source_paths of [tool.mutmut] in pyproject.toml; `make mutation MUTATION_MODULES=practice/scoring.py` runs one.
# One mutmut run for the chosen modules: it measures once which tests reach each function, then runs each mutant
# against those tests only. Lowest priority, a child per core; mutants/run.log has mutmut's output.
MUTATION_MODULES ?= $(shell $(PYTHON) -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["tool"]["mutmut"]["source_paths"])')
MUTATION_CHILDREN ?= $(shell nproc)
MUTMUT := nice -n 19 $(BIN)/mutmut
mutation: install-dev translations
	@test -x $(BWRAP) || { echo "The suite runs code in bubblewrap: install it first (sudo apt-get install bubblewrap)"; exit 1; }
	@mkdir -p mutants
	@$(MUTMUT) run --max-children $(MUTATION_CHILDREN) $(foreach m,$(MUTATION_MODULES),"$(subst /,.,$(m:.py=)).*") \
	  > mutants/run.log 2>&1 || { tail -n 30 mutants/run.log; exit 1; }
	@$(BIN)/mutmut results --all true > mutants/results.txt
	@for module in $(MUTATION_MODULES); do name=$$(echo $${module%.py} | tr / .); \
	  awk -v prefix="$$name." -v module="$$module" \
	    'index($$1, prefix) == 1 { n++; if ($$2 == "killed" || $$2 == "timeout") k++; else print "  " $$0 } \
	     END { printf "%-34s %4d mutants %4d killed %5.1f %%\n", module, n, k, n ? 100 * k / n : 0 }' mutants/results.txt; \
	done

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run pip only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# Compiled with polib (a Python package), so no system gettext is needed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
translations: $(MO_FILES)
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed
	$(BIN)/python -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

clean:
	rm -rf $(VENV) staticfiles
