# Reproduce every exhibit from the publishers' raw files.
#   make all     venv (first run only) -> raw data -> panel -> tables -> figures
#   make test    the test suite (fetches raw data first)
# Offline: DATA_MIRROR=/path/to/folder/with/raw/files make all
# Every program prints one line when it finishes, with its elapsed time (its full output: results/.logs/).
# Every target below declares its real inputs, so a second `make all` does nothing.

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
# Each exhibit program runs through replication.stage: one line with its elapsed time,
# and only the upstream warnings understood there are silenced.
RUN      := $(PY) -m replication.stage

# A copied or moved checkout carries a .venv whose editable install points at the
# original tree. The stamp records the checkout it was built for; another one rebuilds.
ifneq ($(wildcard $(VENV_OK)),)
ifneq ($(file <$(VENV_OK)),$(CURDIR))
$(info .venv was built for $(or $(file <$(VENV_OK)),another checkout); reinstalling it for $(CURDIR))
$(shell rm -f $(VENV_OK))
endif
endif

# Publisher files named in the registry (fetched, never committed).
RAW_FILES := $(addprefix $(RAW)/,$(shell sed -n 's/^file *= *"\(.*\)"/\1/p' $(REGISTRY)))
raw = $(RAW)/$(1)
WAR      := $(call raw,Inter-StateWarData_v4.0.csv)
NMC_ALL  := $(call raw,NMC_v4_0.csv) $(call raw,NMC_5_0.csv) $(call raw,NMC-60-abridged.csv) $(call raw,peacesciencer_cow_nmc_v7.csv)
# Package code every exhibit runs through (any change reruns the exhibits).
PKG      := $(shell find replication -name '*.py' -not -path '*/__pycache__/*') $(REGISTRY)
CASES    := $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv
AUTHORED_PANEL := $(RAW)/coalition_exits.csv $(RAW)/phase_turning_points.csv
PANEL    := $(PROC)/state_phase_panel.csv $(PROC)/state_phase_panel.parquet $(PROC)/codebook.md

# ---------------------------------------------------------------- exhibits
TABLE1   := $(addprefix $(TAB)/table1_power_shares,.csv .tex .md) $(TAB)/table1_deviations.csv
TABLE2   := $(addprefix $(TAB)/table2_congruence,.csv .tex .md) $(addprefix $(TAB)/table2_verdicts,.csv .tex .md)
TABLE2_SENS := $(addprefix $(TAB)/table2_sensitivity,.csv .tex .md) $(addprefix $(TAB)/table2_reversals,.csv .tex .md)
TABLE2_SYS  := $(addprefix $(TAB)/table2_systemic_conditions,.csv .tex .md)
SMALLN   := $(addprefix $(TAB)/table2_smalln_inference,.csv .tex .md)
APPX     := $(addprefix $(TAB)/appendix_grand_alliance_cases,.csv .tex .md) \
            $(addprefix $(TAB)/appendix_resource_sharing,.csv .tex .md)
FIG1     := $(addprefix $(FIG)/fig_power_shares,.png .pdf)
PSUMMARY := $(addprefix $(TAB)/panel_summary,.csv .tex .md)
EXITCODE := $(addprefix $(TAB)/exit_coding,.csv .tex .md)
SYSCOND  := $(addprefix $(TAB)/systemic_conditions,.csv .tex .md)
PCOMPARE := $(addprefix $(TAB)/panel_grand_alliance_comparison,.csv .tex .md)
SP_T1    := $(addprefix $(TAB)/smartpower_table1_failures,.csv .tex .md)
SP_CASES := $(addprefix $(TAB)/smartpower_cases,.csv .tex .md) $(addprefix $(TAB)/smartpower_confusion,.csv .tex .md)
SP_FIG1  := $(addprefix $(FIG)/smartpower_figure1_strategies,.png .pdf)
SP_IN    := $(RAW)/smartpower_cases.csv $(call raw,NMC_v4_0.csv)
T3       := $(addprefix $(TAB)/table3_models,.csv .tex .md .html) $(TAB)/table3_diagnostics.csv
T4       := $(addprefix $(TAB)/table4_theory_comparison,.csv .tex .md) $(addprefix $(TAB)/table4_congruence,.csv .tex .md) \
            $(TAB)/table4_predictions.csv $(TAB)/table4_loo_folds.csv
T5       := $(addprefix $(TAB)/table5_interaction,.csv .tex .md) $(addprefix $(TAB)/table5_few_clusters,.csv .tex .md) \
            $(TAB)/table5_power.csv
T6       := $(addprefix $(TAB)/table6_coalition_recovery,.csv .tex .md) $(TAB)/table6_coalition_sides.csv
FIG_INT  := $(addprefix $(FIG)/fig_interaction,.png .pdf)
FIG_COEF := $(addprefix $(FIG)/fig_coefficients,.png .pdf)
PARAGRAPH := $(RESULTS)/results_paragraph.md
MULTIVERSE := $(TAB)/multiverse.csv $(addprefix $(TAB)/multiverse_summary,.csv .tex .md) \
              $(addprefix $(FIG)/fig_specification_curve,.png .pdf)
INFLUENCE := $(addprefix $(TAB)/influence,.csv .tex .md) $(addprefix $(FIG)/fig_influence,.png .pdf)
REPORT   := $(RESULTS)/report.html
MANIFEST := $(RESULTS)/MANIFEST.sha256

TABLES   := $(TABLE1) $(TABLE2) $(SMALLN) $(APPX) $(PSUMMARY) $(EXITCODE) $(SYSCOND) $(PCOMPARE) $(SP_T1) $(SP_CASES) $(T3) $(T4) $(T5) $(T6) \
            $(MULTIVERSE) $(INFLUENCE)
FIGURES  := $(FIG1) $(SP_FIG1) $(FIG_INT) $(FIG_COEF)
TABLES   += $(TABLE2_SENS) $(TABLE2_SYS)

.PHONY: help all venv data report manifest panel panel-summary exit-coding systemic-conditions panel-compare tables figures table1 table2 smalln appendix \
        fig-power-shares multiverse influence table3 table4 table5 table6 fig-interaction fig-coefficients results-paragraph smartpower-table1 smartpower-cases smartpower-figure1 test bench clean distclean

help: ## list the targets
	@echo "Targets (run 'make all' to reproduce everything, 'make test' to test):"
	@echo "  Offline: DATA_MIRROR=/folder/with/the/raw/files make all  (make data lists what is missing)"
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

all: $(RAW_FILES) panel tables figures $(PARAGRAPH) $(REPORT) $(MANIFEST) ## reproduce every table and figure (creates .venv on first use)

venv: $(VENV_OK) ## create .venv and install the package with pinned dependencies

$(VENV_OK): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@echo "$(CURDIR)" > $@

data: $(VENV_OK) ## fetch (or copy from DATA_MIRROR) every raw file and verify its sha256
	@$(PY) -m replication.sources fetch

# One process fetches whatever is missing (files already present are only verified).
$(RAW_FILES) &: | $(VENV_OK)
	@$(PY) -m replication.sources fetch

panel: $(PANEL) ## build the state-phase panel and its codebook (data/processed/)
$(PANEL) &: analysis/build_panel.py $(RAW_FILES) $(AUTHORED_PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

panel-summary: $(PSUMMARY) ## panel summary: units and defections by regime type and systemic condition
$(PSUMMARY) &: analysis/panel_summary.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

exit-coding: $(EXITCODE) ## audit table: every early exit with its code, date, rule, citations, contested flag
$(EXITCODE) &: analysis/exit_coding.py $(call raw,Inter-StateWarData_v4.0.csv) $(RAW)/coalition_exits.csv $(PKG) | $(VENV_OK)
	@$(RUN) $<

systemic-conditions: $(SYSCOND) ## systemic conditions: predicted directions, variance, raw direction check
$(SYSCOND) &: analysis/systemic_conditions.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

panel-compare: $(PCOMPARE) ## the panel's Grand Alliance rows beside the hand-coded case file
$(PCOMPARE) &: analysis/panel_vs_casefile.py $(RAW_FILES) $(AUTHORED_PANEL) $(CASES) $(PKG) | $(VENV_OK)
	@$(RUN) $<

tables: $(TABLES) ## regenerate every table in results/tables/
figures: $(FIGURES) ## regenerate every figure in results/figures/

table1: $(TABLE1) ## Table 1 (2013): power shares, all NMC versions and both methods
$(TABLE1) &: analysis/table1_power_shares.py $(NMC_ALL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

fig-power-shares: $(FIG1) ## Figure: power shares of the US, UK and USSR, 1942-45
$(FIG1) &: analysis/fig_power_shares.py $(NMC_ALL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table2: $(TABLE2) ## Table 2 (2013): verdicts derived from the indicators, theory predictions and congruence
$(TABLE2) &: analysis/table2_congruence.py $(CASES) $(PKG) | $(VENV_OK)
	@$(RUN) $<

.PHONY: table2-sensitivity table2-systemic
table2-sensitivity: $(TABLE2_SENS) ## Table 2 (2013): scores with each of the 18 coded cohesion indicators flipped
$(TABLE2_SENS) &: analysis/table2_sensitivity.py $(CASES) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table2-systemic: $(TABLE2_SYS) ## Table 2 (2013): systemic conditions measured from COW data beside the paper's coding
$(TABLE2_SYS) &: analysis/table2_systemic_conditions.py $(CASES) $(WAR) $(call raw,NMC_v4_0.csv) $(PKG) | $(VENV_OK)
	@$(RUN) $<

smalln: $(SMALLN) ## small-N inference on the six cases: Firth logit and permutation tests
$(SMALLN) &: analysis/table2_smalln_inference.py $(CASES) $(PKG) | $(VENV_OK)
	@$(RUN) $<

appendix: $(APPX) ## appendix: the Grand Alliance case file and resource-sharing evidence
$(APPX) &: analysis/appendix_case_file.py $(CASES) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table3: $(T3) ## Table 3: the interaction in six estimators (logit, Firth, hazard, clogit, two LPMs)
$(T3) &: analysis/table3_models.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table4: $(T4) ## Table 4: the three theories as nested models (LR, AIC, BIC, leave-one-war-out)
$(T4) &: analysis/table4_theory_comparison.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table5: $(T5) ## Table 5: predicted probabilities, first and second differences, bootstrap CIs
$(T5) &: analysis/table5_interaction.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

table6: $(T6) ## Table 6: democratic share and recovery from military disadvantage (2013, line 671)
$(T6) &: analysis/table6_coalition_recovery.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

fig-interaction: $(FIG_INT) ## Figure: P(defection) by regime type and systemic conditions
$(FIG_INT) &: analysis/fig_interaction.py $(T5) | $(VENV_OK)
	@$(RUN) $<

fig-coefficients: $(FIG_COEF) ## Figure: coefficients across the six estimators
$(FIG_COEF) &: analysis/fig_coefficients.py $(T3) | $(VENV_OK)
	@$(RUN) $<

results-paragraph: $(PARAGRAPH) ## the README's results paragraph, generated from Tables 3-5
$(PARAGRAPH): analysis/results_paragraph.py $(T3) $(T4) $(T5) $(SMALLN) $(RAW)/previous_release_estimates.csv $(PKG) | $(VENV_OK)
	@$(RUN) $<

multiverse: $(MULTIVERSE) ## multiverse: every crossed specification of the second difference, specification curve
$(MULTIVERSE) &: analysis/multiverse.py $(RAW_FILES) $(AUTHORED_PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

influence: $(INFLUENCE) ## leave-one-war-out and leave-one-state-out second differences
$(INFLUENCE) &: analysis/influence.py $(PANEL) $(PKG) | $(VENV_OK)
	@$(RUN) $<

report: $(REPORT) ## self-contained HTML report of every table and figure (results/report.html)
$(REPORT): analysis/report.py $(TABLES) $(FIGURES) $(PARAGRAPH) $(PKG) | $(VENV_OK)
	@$(RUN) $<

manifest: $(MANIFEST) ## sha256 of every output (results/MANIFEST.sha256)
$(MANIFEST): $(TABLES) $(FIGURES) $(PARAGRAPH) $(REPORT) $(PANEL)
	@$(PY) -m replication.manifest $@ $(RESULTS) $(PANEL)

smartpower-table1: $(SP_T1) ## Table 1 (2015): typology of alliance-leadership failure with the cases
$(SP_T1) &: analysis/smartpower_table1_failures.py $(SP_IN) $(PKG) | $(VENV_OK)
	@$(RUN) $<

smartpower-cases: $(SP_CASES) ## 2015 cases: soft power, recommended vs observed strategy (strict), failures, confusion table
$(SP_CASES) &: analysis/smartpower_cases.py $(SP_IN) $(PKG) | $(VENV_OK)
	@$(RUN) $<

smartpower-figure1: $(SP_FIG1) ## Figure 1 (2015): the strategy map with every coded case
$(SP_FIG1) &: analysis/smartpower_figure1_strategies.py $(SP_IN) $(PKG) | $(VENV_OK)
	@$(RUN) $<

test: $(RAW_FILES) | $(VENV_OK) ## run the test suite
	@# pytest exits 5 when it collected no tests: that is a failure here, not a pass.
	@# -n 2: pytest-xdist on both cores (session fixtures are built once per worker).
	$(PY) -m pytest -q -n 2; status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$status

bench: $(RAW_FILES) | $(VENV_OK) ## benchmarks, printed as ratios
	$(PY) -m replication.bench

clean: ## delete generated results and processed data (keeps .venv and raw data)
	rm -rf $(RESULTS)/tables $(RESULTS)/figures $(RESULTS)/*.html $(RESULTS)/.logs $(MANIFEST) $(PARAGRAPH)
	find $(PROC) -mindepth 1 ! -name .gitkeep -delete

distclean: clean ## also delete .venv and the fetched raw files
	rm -rf $(VENV) $(RAW_FILES) $(RAW)/.downloads
