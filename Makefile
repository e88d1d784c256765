# Reproduce every exhibit from the publishers' raw files.
#   make all     venv (first run only) -> raw data -> panel -> tables -> figures
#   make test    the test suite (fetches raw data first)
# Offline: DATA_MIRROR=/path/to/folder/with/raw/files make all
# The exhibits (their outputs, inputs and make targets) are listed once, in the registry
# replication/exhibits/__init__.py; exhibits.mk holds the rules generated from it.
# Make decides which exhibits are stale (every rule declares its real inputs, so a second
# `make all` does nothing); their recipes only queue them, and one Python process builds the
# queue in dependency order (python -m replication.exhibits build ...), so the panel is read and
# each model fitted once. Every exhibit prints one line with its elapsed time (its full output:
# results/.logs/).

SHELL        := /bin/bash
.SHELLFLAGS  := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS    += --no-builtin-rules

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
VENV_OK  := $(VENV)/.installed
RAW      := data/raw
PROC     := data/processed
RESULTS  ?= results
TAB      := $(RESULTS)/tables
FIG      := $(RESULTS)/figures
REGISTRY := replication/sources/registry.toml
export REPLICATION_RESULTS_DIR := $(abspath $(RESULTS))
# The exhibit queue: a stale exhibit's recipe appends its name; the last goal on the command line
# (or the manifest, or `all`) builds the queue in one process. A goal that is not a phony target
# (a file named on the command line) builds each exhibit at once instead.
QUEUE    := $(RESULTS)/.logs/queue
$(shell rm -f $(QUEUE))
LAST_GOAL := $(lastword $(or $(MAKECMDGOALS),$(.DEFAULT_GOAL)))
build_queue = if [ -s $(QUEUE) ]; then names="$$(cat $(QUEUE))"; rm -f $(QUEUE); \
	$(PY) -m replication.exhibits build $$names; fi
# Queuing touches the exhibit's existing outputs: make sees them as changed and queues every exhibit
# that reads them. If the build then fails or is interrupted, the runner sets the mtime of every
# output it did not build back to 1970, so the next make rebuilds them.
enqueue = $(if $(filter $(LAST_GOAL),$(PHONY_GOALS)),mkdir -p $(dir $(QUEUE)) && echo $(1) >> $(QUEUE) \
	&& touch -c $(OUT_$(1)),$(PY) -m replication.exhibits build $(1))
flush_if_last = $(if $(filter $(1),$(LAST_GOAL)),$(build_queue),:)

# A copied or moved checkout carries a .venv whose editable install points at the
# original tree. The stamp records the checkout it was built for; another one rebuilds.
ifneq ($(wildcard $(VENV_OK)),)
ifneq ($(file <$(VENV_OK)),$(CURDIR))
$(info .venv was built for $(or $(file <$(VENV_OK)),another checkout); reinstalling it for $(CURDIR))
$(shell rm -f $(VENV_OK))
endif
endif

# The interpreter: make venv first checks that $(PYTHON) meets pyproject's requires-python (a clear
# message, not a pip resolution error). A .venv built by an older Python (what a failed make venv with
# Python 3.10 leaves behind) or, when PYTHON is given explicitly, by another interpreter is rebuilt.
# replication/_venv_check.py uses the standard library only, so any python3 can run it. It runs only
# when make venv will run anyway (no stamp) or PYTHON is given: a stamped .venv was built after the
# check passed, and a no-op make stays fast (python3 behind a pyenv shim takes 0.2 s to start).
PYTHON_GIVEN := $(filter command line environment,$(origin PYTHON))
ifneq ($(wildcard $(VENV)/pyvenv.cfg),)
ifneq ($(PYTHON_GIVEN)$(if $(wildcard $(VENV_OK)),,missing),)
VENV_STALE := $(shell $(PYTHON) replication/_venv_check.py stale $(VENV) $(if $(PYTHON_GIVEN),--python) 2>/dev/null)
else ifeq ($(realpath $(PY)),)
VENV_STALE := $(PY) does not run (the Python it was built from is gone)
endif
ifneq ($(VENV_STALE),)
$(info $(VENV_STALE); rebuilding it)
$(shell rm -f $(VENV_OK))
endif
endif

# Publisher files named in the registry (fetched, never committed).
RAW_FILES := $(addprefix $(RAW)/,$(shell sed -n 's/^file *= *"\(.*\)"/\1/p' $(REGISTRY)))
# Package code every exhibit runs through (any change reruns the exhibits).
PKG      := $(shell find replication -name '*.py' -not -path '*/__pycache__/*') $(REGISTRY)
# OUT_<exhibit>, the exhibits' targets and rules, TABLES, FIGURES, PANEL, PARAGRAPH, REPORT:
include exhibits.mk
MANIFEST := $(RESULTS)/MANIFEST.sha256
# The processed panel is verified against the sha256 sidecar that make panel writes last: a missing,
# corrupt, truncated or edited panel file (or a missing sidecar) dates the panel's outputs back to
# 1970, so make rebuilds them instead of every reader failing on it. Standard library only (any python3).
# (The venv's interpreter when there is one: it starts in 0.03 s.)
ifneq ($(wildcard $(OUT_build_panel)),)
$(foreach line,$(shell $(or $(wildcard $(PY)),$(PYTHON)) replication/_checksums.py stale $(PROC)/state_phase_panel.sha256 \
	$(OUT_build_panel) 2>&1),$(eval PANEL_STALE += $(line)))
$(if $(PANEL_STALE),$(info $(PANEL_STALE)))
endif

PHONY_GOALS := help all venv data tables figures manifest test bench docs clean distclean $(EXHIBIT_TARGETS)
.PHONY: $(PHONY_GOALS)
# One process builds the queue; make itself runs one recipe at a time (the exhibits use both cores).
.NOTPARALLEL:

help: ## list the targets
	@echo "Targets (run 'make all' to reproduce everything, 'make test' to test):"
	@echo "  Offline: DATA_MIRROR=/folder/with/the/raw/files make all  (make data lists what is missing)"
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

all: $(RAW_FILES) $(PANEL) $(TABLES) $(FIGURES) $(PARAGRAPH) $(REPORT) $(MANIFEST) ## reproduce every table and figure (creates .venv on first use)
	@$(build_queue)

venv: $(VENV_OK) ## create .venv and install the package with pinned dependencies

$(VENV_OK): pyproject.toml requirements.lock
	@$(PYTHON) replication/_venv_check.py python
	$(if $(VENV_STALE),rm -rf $(VENV))
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@$(PY) -m replication._warmup
	@echo "$(CURDIR)" > $@

data: $(VENV_OK) ## fetch (or copy from DATA_MIRROR) every raw file and verify its sha256
	@$(PY) -m replication.sources fetch

# One process fetches whatever is missing (files already present are only verified).
$(RAW_FILES) &: | $(VENV_OK)
	@$(PY) -m replication.sources fetch

tables: $(TABLES) ## regenerate every table in results/tables/
	@$(call flush_if_last,$@)
figures: $(FIGURES) ## regenerate every figure in results/figures/
	@$(call flush_if_last,$@)

manifest: $(MANIFEST) ## sha256 of every output (results/MANIFEST.sha256)
	@$(call flush_if_last,$@)
$(MANIFEST): $(TABLES) $(FIGURES) $(PARAGRAPH) $(REPORT) $(PANEL)
	@$(build_queue)
	@$(PY) -m replication.manifest $@ $(RESULTS) $(PANEL)

test: $(RAW_FILES) | $(VENV_OK) ## run the test suite
	@$(build_queue)
	@# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
	@# -n 2: pytest-xdist on both cores (session fixtures are built once per worker).
	$(PY) -m pytest -q -n 2; status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$status

# Not part of make all. The codebook page includes data/processed/codebook.md, hence the panel.
docs: $(PANEL) | $(VENV_OK) ## API reference, tutorial and codebook as a website in site/ (mkdocs --strict)
	@$(build_queue)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs build --strict --quiet --site-dir site
	@echo "docs: open site/index.html"

bench: $(RAW_FILES) | $(VENV_OK) ## benchmarks, printed as ratios
	$(PY) -m replication.bench

# make clean deletes inside RESULTS and PROC, which can be set on the command line: each must be a
# folder inside this checkout (symlinks and `..` resolved), never empty, /, $$HOME, the checkout or a
# folder that contains it. ALLOW_CLEAN_OUTSIDE=1 allows a folder outside the checkout (still never
# empty, /, $$HOME or a parent of the checkout). The check is made while make expands the recipe, so
# it also stops `make -n clean`. $(call clean_refusal,VAR) is the reason VAR may not be cleaned, or empty.
clean_path = $(abspath $(or $(realpath $(1)),$(1)))
clean_refusal = $(strip $(if $(strip $($(1))),$(if $(word 2,$($(1))),$(1)="$($(1))" is more than one path,\
	$(call _clean_refusal,$(1),$(call clean_path,$($(1))))),$(1) is empty))
_clean_refusal = $(if $(filter /,$(2)),$(1)=$($(1)) is the filesystem root,$(if $(filter $(call clean_path,$(HOME)),\
	$(2)),$(1)=$($(1)) is your home folder,$(if $(filter $(2)/%,$(CURDIR)/),$(1)=$($(1)) is this checkout or a folder that contains it,\
	$(if $(filter $(CURDIR)/%,$(2))$(filter 1,$(ALLOW_CLEAN_OUTSIDE)),,$(1)=$($(1)) ($(2)) is outside this \
	checkout ($(CURDIR)); set ALLOW_CLEAN_OUTSIDE=1 to clean it anyway))))
CLEAN_REFUSAL = $(strip $(call clean_refusal,RESULTS) $(call clean_refusal,PROC))

clean: ## delete generated results, processed data and site/ (keeps .venv and raw data; refuses unsafe RESULTS/PROC)
	$(if $(CLEAN_REFUSAL),$(error make clean refused (nothing was deleted): $(CLEAN_REFUSAL)))
	rm -rf $(TAB) $(FIG) $(RESULTS)/*.html $(RESULTS)/.logs $(MANIFEST) $(PARAGRAPH)
	find $(PROC) -mindepth 1 ! -name .gitkeep -delete
	rm -rf site

distclean: clean ## also delete .venv and the fetched raw files
	rm -rf $(VENV) $(RAW_FILES) $(RAW)/.downloads
