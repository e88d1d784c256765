# Generated from the exhibit registry (replication/exhibits/__init__.py) by
# `python -m replication.exhibits makefile --write`; do not edit (tests/test_exhibits.py checks it).
# Per exhibit: OUT_<name> (its outputs), its make target (## text for make help) and the rule for its
# outputs, whose recipe only queues the exhibit; the Makefile builds the queue in one process.

OUT_build_panel := $(PROC)/state_phase_panel.csv $(PROC)/state_phase_panel.parquet $(PROC)/state_phase_panel.dta $(PROC)/datapackage.json $(PROC)/codebook.md $(PROC)/state_phase_panel.sha256
panel: $(OUT_build_panel) ## State-phase panel (CSV, Parquet, labelled Stata .dta), Data Package descriptor, codebook, sha256 sidecar
	@$(call flush_if_last,$@)
$(OUT_build_panel) &: analysis/build_panel.py $(RAW_FILES) $(RAW)/coalition_exits.csv $(RAW)/phase_turning_points.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,build_panel)

OUT_table1_power_shares := $(TAB)/table1_power_shares.csv $(TAB)/table1_power_shares.tex $(TAB)/table1_power_shares.md $(TAB)/table1_deviations.csv
table1: $(OUT_table1_power_shares) ## Table 1 (2013): power shares, all NMC versions, both readings of the note
	@$(call flush_if_last,$@)
$(OUT_table1_power_shares) &: analysis/table1_power_shares.py $(RAW)/NMC_v4_0.csv $(RAW)/NMC_5_0.csv $(RAW)/NMC-60-abridged.csv $(RAW)/peacesciencer_cow_nmc_v7.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,table1_power_shares)

OUT_fig_power_shares := $(FIG)/fig_power_shares.png $(FIG)/fig_power_shares.pdf
fig-power-shares: $(OUT_fig_power_shares) ## Figure: power shares of the US, UK and USSR 1942-45, reproduced vs published
	@$(call flush_if_last,$@)
$(OUT_fig_power_shares) &: analysis/fig_power_shares.py $(RAW)/NMC_v4_0.csv $(RAW)/NMC_5_0.csv $(RAW)/NMC-60-abridged.csv $(RAW)/peacesciencer_cow_nmc_v7.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,fig_power_shares)

OUT_table2_congruence := $(TAB)/table2_congruence.csv $(TAB)/table2_congruence.tex $(TAB)/table2_congruence.md $(TAB)/table2_verdicts.csv $(TAB)/table2_verdicts.tex $(TAB)/table2_verdicts.md
table2: $(OUT_table2_congruence) ## Table 2 (2013): verdicts derived from the three indicators beside the paper's, theory predictions and congruence
	@$(call flush_if_last,$@)
$(OUT_table2_congruence) &: analysis/table2_congruence.py $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,table2_congruence)

OUT_table2_sensitivity := $(TAB)/table2_sensitivity.csv $(TAB)/table2_sensitivity.tex $(TAB)/table2_sensitivity.md $(TAB)/table2_reversals.csv $(TAB)/table2_reversals.tex $(TAB)/table2_reversals.md
table2-sensitivity: $(OUT_table2_sensitivity) ## Table 2 sensitivity: each of the 18 indicator values flipped; changes needed to reverse each verdict
	@$(call flush_if_last,$@)
$(OUT_table2_sensitivity) &: analysis/table2_sensitivity.py $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,table2_sensitivity)

OUT_table2_systemic_conditions := $(TAB)/table2_systemic_conditions.csv $(TAB)/table2_systemic_conditions.tex $(TAB)/table2_systemic_conditions.md
table2-systemic: $(OUT_table2_systemic_conditions) ## Table 2 systemic conditions: NMC-measured losing and symmetry beside the paper's coding, with its reasons
	@$(call flush_if_last,$@)
$(OUT_table2_systemic_conditions) &: analysis/table2_systemic_conditions.py $(RAW)/Inter-StateWarData_v4.0.csv $(RAW)/NMC_v4_0.csv $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,table2_systemic_conditions)

OUT_table2_smalln_inference := $(TAB)/table2_smalln_inference.csv $(TAB)/table2_smalln_inference.tex $(TAB)/table2_smalln_inference.md
smalln: $(OUT_table2_smalln_inference) ## Small-N inference on the six cases: Firth logit and exact permutation tests
	@$(call flush_if_last,$@)
$(OUT_table2_smalln_inference) &: analysis/table2_smalln_inference.py $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,table2_smalln_inference)

OUT_appendix_case_file := $(TAB)/appendix_grand_alliance_cases.csv $(TAB)/appendix_grand_alliance_cases.tex $(TAB)/appendix_grand_alliance_cases.md $(TAB)/appendix_resource_sharing.csv $(TAB)/appendix_resource_sharing.tex $(TAB)/appendix_resource_sharing.md
appendix: $(OUT_appendix_case_file) ## Appendix: Grand Alliance case file and resource-sharing figures
	@$(call flush_if_last,$@)
$(OUT_appendix_case_file) &: analysis/appendix_case_file.py $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,appendix_case_file)

OUT_panel_summary := $(TAB)/panel_summary.csv $(TAB)/panel_summary.tex $(TAB)/panel_summary.md
panel-summary: $(OUT_panel_summary) ## Panel summary: units, each outcome variant's events and wars, events by regime type and systemic condition
	@$(call flush_if_last,$@)
$(OUT_panel_summary) &: analysis/panel_summary.py $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,panel_summary)

OUT_exit_coding := $(TAB)/exit_coding.csv $(TAB)/exit_coding.tex $(TAB)/exit_coding.md
exit-coding: $(OUT_exit_coding) ## Exit coding: every coded exit with its type, dates (COW and historical), the verdict of each outcome variant, citations and contested flag (COW wars and the 2001 coalitions)
	@$(call flush_if_last,$@)
$(OUT_exit_coding) &: analysis/exit_coding.py $(RAW)/Inter-StateWarData_v4.0.csv $(RAW)/coalition_exits.csv $(RAW)/coalition_contributors_2001.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,exit_coding)

OUT_war_endings := $(TAB)/war_endings.csv $(TAB)/war_endings.tex $(TAB)/war_endings.md
war-endings: $(OUT_war_endings) ## War endings: how every coalition war ended, with its verdict and sources, and the review of every member's last organised military effort
	@$(call flush_if_last,$@)
$(OUT_war_endings) &: analysis/war_endings.py $(RAW)/Inter-StateWarData_v4.0.csv $(RAW)/coalition_exits.csv $(RAW)/coalition_war_endings.csv $(RAW)/coalition_member_efforts.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,war_endings)

OUT_systemic_conditions := $(TAB)/systemic_conditions.csv $(TAB)/systemic_conditions.tex $(TAB)/systemic_conditions.md
systemic-conditions: $(OUT_systemic_conditions) ## Systemic conditions: predicted direction, the paper's line, variance, raw direction
	@$(call flush_if_last,$@)
$(OUT_systemic_conditions) &: analysis/systemic_conditions.py $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,systemic_conditions)

OUT_panel_vs_casefile := $(TAB)/panel_grand_alliance_comparison.csv $(TAB)/panel_grand_alliance_comparison.tex $(TAB)/panel_grand_alliance_comparison.md
panel-compare: $(OUT_panel_vs_casefile) ## The panel's Grand Alliance rows beside the hand-coded case file
	@$(call flush_if_last,$@)
$(OUT_panel_vs_casefile) &: analysis/panel_vs_casefile.py $(RAW_FILES) $(RAW)/coalition_exits.csv $(RAW)/phase_turning_points.csv $(RAW)/grand_alliance_cases.csv $(RAW)/grand_alliance_resources.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,panel_vs_casefile)

OUT_sample_flow := $(TAB)/sample_flow.csv $(TAB)/sample_flow.tex $(TAB)/sample_flow.md
sample-flow: $(OUT_sample_flow) ## Sample flow: panel -> at risk -> estimation sample, with the rows, wars and events lost at each step
	@$(call flush_if_last,$@)
$(OUT_sample_flow) &: analysis/sample_flow.py $(RAW)/peacesciencer_cow_nmc_v7.csv $(RAW)/p5v2018.csv $(RAW)/democracy-v4.0.csv $(RAW)/majors2016.csv $(RAW)/alliance_v4.1_by_member.csv $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/coalition_2001_turning_points.csv $(RAW)/coalition_2001_series.csv $(RAW)/coalition_2001_elections.csv $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,sample_flow)

OUT_table3_models := $(TAB)/table3_models.csv $(TAB)/table3_models.tex $(TAB)/table3_models.md $(TAB)/table3_models.html $(TAB)/table3_diagnostics.csv
table3: $(OUT_table3_models) ## Table 3: the interaction in six estimators (logit, Firth, hazard, clogit, two LPMs), in the COW wars, the 2001 coalitions and pooled with a universe effect
	@$(call flush_if_last,$@)
$(OUT_table3_models) &: analysis/table3_models.py $(RAW)/peacesciencer_cow_nmc_v7.csv $(RAW)/p5v2018.csv $(RAW)/democracy-v4.0.csv $(RAW)/majors2016.csv $(RAW)/alliance_v4.1_by_member.csv $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/coalition_2001_turning_points.csv $(RAW)/coalition_2001_series.csv $(RAW)/coalition_2001_elections.csv $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,table3_models)

OUT_table4_theory_comparison := $(TAB)/table4_theory_comparison.csv $(TAB)/table4_theory_comparison.tex $(TAB)/table4_theory_comparison.md $(TAB)/table4_predictions.csv $(TAB)/table4_predictions.tex $(TAB)/table4_predictions.md $(TAB)/table4_congruence.csv $(TAB)/table4_congruence.tex $(TAB)/table4_congruence.md $(TAB)/table4_loo_folds.csv $(TAB)/table4_declared_predictions.csv
table4: $(OUT_table4_theory_comparison) ## Table 4: the three theories under both readings of favourable: nested models, penalised leave-one-war-out folds, every declared prediction, cross-war congruence against the no-defection baseline
	@$(call flush_if_last,$@)
$(OUT_table4_theory_comparison) &: analysis/table4_theory_comparison.py $(RAW)/peacesciencer_cow_nmc_v7.csv $(RAW)/p5v2018.csv $(RAW)/democracy-v4.0.csv $(RAW)/majors2016.csv $(RAW)/alliance_v4.1_by_member.csv $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/coalition_2001_turning_points.csv $(RAW)/coalition_2001_series.csv $(RAW)/coalition_2001_elections.csv $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,table4_theory_comparison)

OUT_table5_interaction := $(TAB)/table5_interaction.csv $(TAB)/table5_interaction.tex $(TAB)/table5_interaction.md $(TAB)/table5_power.csv $(TAB)/table5_power.tex $(TAB)/table5_power.md $(TAB)/table5_power_curve.csv $(TAB)/table5_few_clusters.csv $(TAB)/table5_few_clusters.tex $(TAB)/table5_few_clusters.md
table5: $(OUT_table5_interaction) ## Table 5: the interaction on the probability scale under both readings (delta-method, war-jackknife and war-bootstrap CIs), the size, minimum detectable effect and equivalence bounds of the reported test, few-cluster inference (CR1, CR2 with small-sample df, CR3, wild cluster bootstrap)
	@$(call flush_if_last,$@)
$(OUT_table5_interaction) &: analysis/table5_interaction.py $(RAW)/peacesciencer_cow_nmc_v7.csv $(RAW)/p5v2018.csv $(RAW)/democracy-v4.0.csv $(RAW)/majors2016.csv $(RAW)/alliance_v4.1_by_member.csv $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/coalition_2001_turning_points.csv $(RAW)/coalition_2001_series.csv $(RAW)/coalition_2001_elections.csv $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,table5_interaction)

OUT_table5_universes := $(TAB)/table5_universes.csv $(TAB)/table5_universes.tex $(TAB)/table5_universes.md
table5-universes: $(OUT_table5_universes) ## Table 5, universes side by side: what differs (adversary, democracies, clustering), sample flow, the second difference under both readings, predictions held, size, MDE and equivalence bounds
	@$(call flush_if_last,$@)
$(OUT_table5_universes) &: analysis/table5_universes.py $(RAW)/peacesciencer_cow_nmc_v7.csv $(RAW)/p5v2018.csv $(RAW)/democracy-v4.0.csv $(RAW)/majors2016.csv $(RAW)/alliance_v4.1_by_member.csv $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/coalition_2001_turning_points.csv $(RAW)/coalition_2001_series.csv $(RAW)/coalition_2001_elections.csv $(OUT_build_panel) $(OUT_sample_flow) $(OUT_table4_theory_comparison) $(OUT_table5_interaction) $(PKG) | $(VENV_OK)
	@$(call enqueue,table5_universes)

OUT_fig_coalition_2001_timeline := $(FIG)/fig_coalition_2001_timeline.png $(FIG)/fig_coalition_2001_timeline.pdf
fig-timeline: $(OUT_fig_coalition_2001_timeline) ## Figure: membership of the Afghanistan and Iraq coalitions over time (entry, peak, exit; defections marked)
	@$(call flush_if_last,$@)
$(OUT_fig_coalition_2001_timeline) &: analysis/fig_coalition_2001_timeline.py $(RAW)/coalition_contributors_2001.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,fig_coalition_2001_timeline)

OUT_coalition_2001_cases := $(TAB)/coalition_2001_cases.csv $(TAB)/coalition_2001_cases.tex $(TAB)/coalition_2001_cases.md
coalition-2001-cases: $(OUT_coalition_2001_cases) ## The papers' cases in the 2001 wars (Resnick 2015: Pakistan, NATO, Turkey, Poland, Mongolia; Resnick 2013: premature defections) against the contributor rows
	@$(call flush_if_last,$@)
$(OUT_coalition_2001_cases) &: analysis/coalition_2001_cases.py $(RAW)/coalition_contributors_2001.csv $(RAW)/coalition_2001_excluded.csv $(RAW)/smartpower_cases.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,coalition_2001_cases)

OUT_table6_coalition_recovery := $(TAB)/table6_coalition_recovery.csv $(TAB)/table6_coalition_recovery.tex $(TAB)/table6_coalition_recovery.md $(TAB)/table6_coalition_sides.csv
table6: $(OUT_table6_coalition_recovery) ## Table 6: democratic share and recovery from military disadvantage (2013, line 671), Firth logit and exact permutation tests, without World War II, never-outmatched placebo, share x outmatched interaction
	@$(call flush_if_last,$@)
$(OUT_table6_coalition_recovery) &: analysis/table6_coalition_recovery.py $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,table6_coalition_recovery)

OUT_fig_interaction := $(FIG)/fig_interaction.png $(FIG)/fig_interaction.pdf
fig-interaction: $(OUT_fig_interaction) ## Figure: P(defection) by regime type and systemic conditions, with CIs
	@$(call flush_if_last,$@)
$(OUT_fig_interaction) &: analysis/fig_interaction.py $(OUT_table5_interaction) $(PKG) | $(VENV_OK)
	@$(call enqueue,fig_interaction)

OUT_fig_coefficients := $(FIG)/fig_coefficients.png $(FIG)/fig_coefficients.pdf
fig-coefficients: $(OUT_fig_coefficients) ## Figure: coefficients across the six estimators
	@$(call flush_if_last,$@)
$(OUT_fig_coefficients) &: analysis/fig_coefficients.py $(OUT_table3_models) $(PKG) | $(VENV_OK)
	@$(call enqueue,fig_coefficients)

OUT_multiverse := $(TAB)/multiverse.csv $(TAB)/multiverse_summary.csv $(TAB)/multiverse_summary.tex $(TAB)/multiverse_summary.md $(FIG)/fig_specification_curve.png $(FIG)/fig_specification_curve.pdf
multiverse: $(OUT_multiverse) ## Multiverse: every crossed specification of the second difference and the specification curve
	@$(call flush_if_last,$@)
$(OUT_multiverse) &: analysis/multiverse.py $(RAW_FILES) $(RAW)/coalition_exits.csv $(RAW)/phase_turning_points.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,multiverse)

OUT_influence := $(TAB)/influence.csv $(TAB)/influence.tex $(TAB)/influence.md $(FIG)/fig_influence.png $(FIG)/fig_influence.pdf
influence: $(OUT_influence) ## Influence: leave-one-war-out and leave-one-state-out second differences
	@$(call flush_if_last,$@)
$(OUT_influence) &: analysis/influence.py $(OUT_build_panel) $(PKG) | $(VENV_OK)
	@$(call enqueue,influence)

OUT_smartpower_table1_failures := $(TAB)/smartpower_table1_failures.csv $(TAB)/smartpower_table1_failures.tex $(TAB)/smartpower_table1_failures.md
smartpower-table1: $(OUT_smartpower_table1_failures) ## Table 1 (2015): typology of leadership failure, cases computed and as the paper gives them
	@$(call flush_if_last,$@)
$(OUT_smartpower_table1_failures) &: analysis/smartpower_table1_failures.py $(RAW)/NMC_v4_0.csv $(RAW)/smartpower_cases.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,smartpower_table1_failures)

OUT_smartpower_cases := $(TAB)/smartpower_cases.csv $(TAB)/smartpower_cases.tex $(TAB)/smartpower_cases.md $(TAB)/smartpower_confusion.csv $(TAB)/smartpower_confusion.tex $(TAB)/smartpower_confusion.md
smartpower-cases: $(OUT_smartpower_cases) ## 2015 cases: computed power and soft power, recommended vs observed strategy (strict), computed failure beside the paper's, confusion table
	@$(call flush_if_last,$@)
$(OUT_smartpower_cases) &: analysis/smartpower_cases.py $(RAW)/NMC_v4_0.csv $(RAW)/smartpower_cases.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,smartpower_cases)

OUT_smartpower_figure1_strategies := $(FIG)/smartpower_figure1_strategies.png $(FIG)/smartpower_figure1_strategies.pdf
smartpower-figure1: $(OUT_smartpower_figure1_strategies) ## Figure 1 (2015): strategy map with every coded case; below, each case's relative power (log-ratio index beside the share)
	@$(call flush_if_last,$@)
$(OUT_smartpower_figure1_strategies) &: analysis/smartpower_figure1_strategies.py $(RAW)/NMC_v4_0.csv $(RAW)/smartpower_cases.csv $(PKG) | $(VENV_OK)
	@$(call enqueue,smartpower_figure1_strategies)

OUT_results_paragraph := $(RESULTS)/results_paragraph.md
results-paragraph: $(OUT_results_paragraph) ## README results paragraph, generated from Tables 2-5 and the multiverse (also replaces the block in README.md)
	@$(call flush_if_last,$@)
$(OUT_results_paragraph) &: analysis/results_paragraph.py $(RAW)/previous_release_estimates.csv $(OUT_table2_smalln_inference) $(OUT_table3_models) $(OUT_table4_theory_comparison) $(OUT_table5_interaction) $(OUT_table5_universes) $(OUT_multiverse) $(PKG) | $(VENV_OK)
	@$(call enqueue,results_paragraph)

OUT_report := $(RESULTS)/report.html
report: $(OUT_report) ## Replication report: every table and figure, provenance, commands
	@$(call flush_if_last,$@)
$(OUT_report) &: analysis/report.py $(OUT_table1_power_shares) $(OUT_fig_power_shares) $(OUT_table2_congruence) $(OUT_table2_sensitivity) $(OUT_table2_systemic_conditions) $(OUT_table2_smalln_inference) $(OUT_appendix_case_file) $(OUT_panel_summary) $(OUT_exit_coding) $(OUT_war_endings) $(OUT_systemic_conditions) $(OUT_panel_vs_casefile) $(OUT_sample_flow) $(OUT_table3_models) $(OUT_table4_theory_comparison) $(OUT_table5_interaction) $(OUT_table5_universes) $(OUT_fig_coalition_2001_timeline) $(OUT_coalition_2001_cases) $(OUT_table6_coalition_recovery) $(OUT_fig_interaction) $(OUT_fig_coefficients) $(OUT_multiverse) $(OUT_influence) $(OUT_smartpower_table1_failures) $(OUT_smartpower_cases) $(OUT_smartpower_figure1_strategies) $(OUT_results_paragraph) $(PKG) | $(VENV_OK)
	@$(call enqueue,report)

EXHIBIT_TARGETS := panel table1 fig-power-shares table2 table2-sensitivity table2-systemic smalln appendix panel-summary exit-coding war-endings systemic-conditions panel-compare sample-flow table3 table4 table5 table5-universes fig-timeline coalition-2001-cases table6 fig-interaction fig-coefficients multiverse influence smartpower-table1 smartpower-cases smartpower-figure1 results-paragraph report
TABLES := $(OUT_table1_power_shares) $(OUT_table2_congruence) $(OUT_table2_sensitivity) $(OUT_table2_systemic_conditions) $(OUT_table2_smalln_inference) $(OUT_appendix_case_file) $(OUT_panel_summary) $(OUT_exit_coding) $(OUT_war_endings) $(OUT_systemic_conditions) $(OUT_panel_vs_casefile) $(OUT_sample_flow) $(OUT_table3_models) $(OUT_table4_theory_comparison) $(OUT_table5_interaction) $(OUT_table5_universes) $(OUT_coalition_2001_cases) $(OUT_table6_coalition_recovery) $(OUT_multiverse) $(OUT_influence) $(OUT_smartpower_table1_failures) $(OUT_smartpower_cases)
FIGURES := $(OUT_fig_power_shares) $(OUT_fig_coalition_2001_timeline) $(OUT_fig_interaction) $(OUT_fig_coefficients) $(OUT_smartpower_figure1_strategies)
PARAGRAPH := $(OUT_results_paragraph)
REPORT := $(OUT_report)
PANEL := $(OUT_build_panel)
