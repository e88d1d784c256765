"""The exhibit registry: every table, figure and text the project produces, in one list.

Each :class:`Exhibit` names its build function (``replication.exhibits.<name>.build``), the
files it writes, the inputs it reads (publisher and authored files in data/raw, the panel,
other exhibits' outputs), the paper exhibit it reproduces and a one-line description. From
this list come the Makefile's rules (``exhibits.mk``), the README's "List of tables and
programs" and the order in which ``python -m replication.exhibits build`` runs them.

This module imports nothing heavy, so ``make help``, the Makefile generator and the README
generator stay fast; an exhibit's own module is imported only when it is built.

    python -m replication.exhibits build table5_interaction fig_interaction   # one process
    python analysis/table5_interaction.py                                      # one exhibit alone
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ALL_RAW = "*"  # every publisher file in replication/sources/registry.toml
NMC_ALL = ("NMC_v4_0.csv", "NMC_5_0.csv", "NMC-60-abridged.csv", "peacesciencer_cow_nmc_v7.csv")
WAR = "Inter-StateWarData_v4.0.csv"
CASES = ("grand_alliance_cases.csv", "grand_alliance_resources.csv")
AUTHORED_PANEL = ("coalition_exits.csv", "phase_turning_points.csv")
SMARTPOWER = "smartpower_cases.csv"
#: the 2001 coalitions (issue 20): their authored files, and the publisher files their panel is built from
C2001 = ("coalition_contributors_2001.csv", "coalition_2001_excluded.csv", "coalition_2001_turning_points.csv",
         "coalition_2001_series.csv", "coalition_2001_elections.csv")
C2001_RAW = ("peacesciencer_cow_nmc_v7.csv", "p5v2018.csv", "democracy-v4.0.csv", "majors2016.csv",
             "alliance_v4.1_by_member.csv")


@dataclass(frozen=True)
class Exhibit:
    """One exhibit. Outputs are paths as in a checkout: ``results/...`` (moved with
    REPLICATION_RESULTS_DIR / make RESULTS=) or ``data/processed/...``."""

    name: str  # module replication.exhibits.<name> and program analysis/<name>.py
    target: str  # its make target
    paper: str  # the paper exhibit it reproduces, or what it adds
    description: str  # one line: make help and the README
    outputs: tuple[str, ...]
    group: str  # panel | tables | figures | paragraph | report (make's aggregate targets)
    raw: tuple[str, ...] = ()  # publisher files read (ALL_RAW: every one)
    authored: tuple[str, ...] = ()  # authored files in data/raw read
    panel: bool = False  # reads the built state-phase panel
    after: tuple[str, ...] = ()  # exhibits whose outputs it reads

    @property
    def program(self) -> str:
        return f"analysis/{self.name}.py"

    def build(self) -> None:
        import importlib

        importlib.import_module(f"{__name__}.{self.name}").build()


def _tab(stem: str, exts: str = ".csv .tex .md") -> tuple[str, ...]:
    return tuple(f"results/tables/{stem}{e}" for e in exts.split())


def _fig(stem: str) -> tuple[str, ...]:
    return (f"results/figures/{stem}.png", f"results/figures/{stem}.pdf")


def _ex(name, target, paper, description, outputs, group="tables", **inputs) -> Exhibit:
    return Exhibit(name, target, paper, description, tuple(outputs), group, **inputs)


# In build order: every exhibit comes after the panel (if it reads it) and after the exhibits in its ``after``.
EXHIBITS: tuple[Exhibit, ...] = (
    _ex("build_panel", "panel", "data set (cross-war extension)",
        "State-phase panel (CSV, Parquet, labelled Stata .dta), Data Package descriptor, codebook, sha256 sidecar",
        ("data/processed/state_phase_panel.csv", "data/processed/state_phase_panel.parquet",
         "data/processed/state_phase_panel.dta", "data/processed/datapackage.json", "data/processed/codebook.md",
         "data/processed/state_phase_panel.sha256"), group="panel", raw=(ALL_RAW,), authored=AUTHORED_PANEL),
    _ex("table1_power_shares", "table1", "Table 1 (2013)",
        "Table 1 (2013): power shares, all NMC versions, both readings of the note",
        (*_tab("table1_power_shares"), "results/tables/table1_deviations.csv"), raw=NMC_ALL),
    _ex("fig_power_shares", "fig-power-shares", "Table 1 (2013), as a figure",
        "Figure: power shares of the US, UK and USSR 1942-45, reproduced vs published",
        _fig("fig_power_shares"), group="figures", raw=NMC_ALL),
    _ex("table2_congruence", "table2", "Table 2 (2013)",
        "Table 2 (2013): verdicts derived from the three indicators beside the paper's, theory predictions and "
        "congruence", (*_tab("table2_congruence"), *_tab("table2_verdicts")), authored=CASES),
    _ex("table2_sensitivity", "table2-sensitivity", "Table 2 (2013), sensitivity",
        "Table 2 sensitivity: each of the 18 indicator values flipped; changes needed to reverse each verdict",
        (*_tab("table2_sensitivity"), *_tab("table2_reversals")), authored=CASES),
    _ex("table2_systemic_conditions", "table2-systemic", "Table 2 (2013), systemic conditions",
        "Table 2 systemic conditions: NMC-measured losing and symmetry beside the paper's coding, with its reasons",
        _tab("table2_systemic_conditions"), raw=(WAR, "NMC_v4_0.csv"), authored=CASES),
    _ex("table2_smalln_inference", "smalln", "Table 2 (2013), inference",
        "Small-N inference on the six cases: Firth logit and exact permutation tests",
        _tab("table2_smalln_inference"), authored=CASES),
    _ex("appendix_case_file", "appendix", "case evidence of the 2013 text",
        "Appendix: Grand Alliance case file and resource-sharing figures",
        (*_tab("appendix_grand_alliance_cases"), *_tab("appendix_resource_sharing")), authored=CASES),
    _ex("panel_summary", "panel-summary", "cross-war extension",
        "Panel summary: units, each outcome variant's events and wars, events by regime type and systemic "
        "condition", _tab("panel_summary"), panel=True),
    _ex("exit_coding", "exit-coding", "cross-war extension",
        "Exit coding: every coded exit with its type, dates (COW and historical), the verdict of each outcome "
        "variant, citations and contested flag (COW wars and the 2001 coalitions)", _tab("exit_coding"), raw=(WAR,),
        authored=("coalition_exits.csv", "coalition_contributors_2001.csv")),
    _ex("war_endings", "war-endings", "cross-war extension",
        "War endings: how every coalition war ended, with its verdict and sources, and the review of every "
        "member's last organised military effort", _tab("war_endings"), raw=(WAR,),
        authored=("coalition_exits.csv", "coalition_war_endings.csv", "coalition_member_efforts.csv")),
    _ex("systemic_conditions", "systemic-conditions", "cross-war extension",
        "Systemic conditions: predicted direction, the paper's line, variance, raw direction",
        _tab("systemic_conditions"), panel=True),
    _ex("panel_vs_casefile", "panel-compare", "Table 2 (2013) against the panel",
        "The panel's Grand Alliance rows beside the hand-coded case file",
        _tab("panel_grand_alliance_comparison"), raw=(ALL_RAW,), authored=(*AUTHORED_PANEL, *CASES)),
    _ex("sample_flow", "sample-flow", "cross-war extension",
        "Sample flow: panel -> at risk -> estimation sample, with the rows, wars and events lost at each step",
        _tab("sample_flow"), panel=True, raw=C2001_RAW, authored=C2001),
    _ex("table3_models", "table3", "cross-war test of the 2013 hypotheses",
        "Table 3: the interaction in six estimators (logit, Firth, hazard, clogit, two LPMs), in the COW wars, the "
        "2001 coalitions and pooled with a universe effect",
        (*_tab("table3_models", ".csv .tex .md .html"), "results/tables/table3_diagnostics.csv"), panel=True,
        raw=C2001_RAW, authored=C2001),
    _ex("table4_theory_comparison", "table4", "cross-war test of the 2013 theories",
        "Table 4: the three theories under both readings of favourable: nested models, penalised leave-one-war-out "
        "folds, every declared prediction, cross-war congruence against the no-defection baseline",
        (*_tab("table4_theory_comparison"), *_tab("table4_predictions"), *_tab("table4_congruence"),
         "results/tables/table4_loo_folds.csv", "results/tables/table4_declared_predictions.csv"), panel=True,
        raw=C2001_RAW, authored=C2001),
    _ex("table5_interaction", "table5", "cross-war test of the 2013 interaction",
        "Table 5: the interaction on the probability scale under both readings (delta-method, war-jackknife and "
        "war-bootstrap CIs), the size, minimum detectable effect and equivalence bounds of the reported test, "
        "few-cluster inference (CR1, CR2 with small-sample df, CR3, wild cluster bootstrap)",
        (*_tab("table5_interaction"), *_tab("table5_power"), "results/tables/table5_power_curve.csv",
         *_tab("table5_few_clusters")), panel=True, raw=C2001_RAW, authored=C2001),
    _ex("table5_universes", "table5-universes", "issue 20: the universes side by side",
        "Table 5, universes side by side: what differs (adversary, democracies, clustering), sample flow, the second "
        "difference under both readings, predictions held, size, MDE and equivalence bounds",
        _tab("table5_universes"), panel=True, raw=C2001_RAW, authored=C2001,
        after=("sample_flow", "table4_theory_comparison", "table5_interaction")),
    _ex("fig_coalition_2001_timeline", "fig-timeline", "issue 20: the 2001 coalitions",
        "Figure: membership of the Afghanistan and Iraq coalitions over time (entry, peak, exit; defections marked)",
        _fig("fig_coalition_2001_timeline"), group="figures", authored=("coalition_contributors_2001.csv",)),
    _ex("coalition_2001_cases", "coalition-2001-cases", "cases of both papers in Afghanistan and Iraq",
        "The papers' cases in the 2001 wars (Resnick 2015: Pakistan, NATO, Turkey, Poland, Mongolia; Resnick 2013: "
        "premature defections) against the contributor rows", _tab("coalition_2001_cases"),
        authored=("coalition_contributors_2001.csv", "coalition_2001_excluded.csv", SMARTPOWER)),
    _ex("table6_coalition_recovery", "table6", "2013, line 671",
        "Table 6: democratic share and recovery from military disadvantage (2013, line 671), Firth logit and "
        "exact permutation tests, without World War II, never-outmatched placebo, share x outmatched interaction", (*_tab("table6_coalition_recovery"), "results/tables/table6_coalition_sides.csv"),
        panel=True),
    _ex("fig_interaction", "fig-interaction", "Table 5, as a figure",
        "Figure: P(defection) by regime type and systemic conditions, with CIs", _fig("fig_interaction"),
        group="figures", after=("table5_interaction",)),
    _ex("fig_coefficients", "fig-coefficients", "Table 3, as a figure",
        "Figure: coefficients across the six estimators", _fig("fig_coefficients"), group="figures",
        after=("table3_models",)),
    _ex("multiverse", "multiverse", "robustness",
        "Multiverse: every crossed specification of the second difference and the specification curve",
        ("results/tables/multiverse.csv", *_tab("multiverse_summary"), *_fig("fig_specification_curve")),
        raw=(ALL_RAW,), authored=AUTHORED_PANEL),
    _ex("influence", "influence", "robustness", "Influence: leave-one-war-out and leave-one-state-out second "
        "differences", (*_tab("influence"), *_fig("fig_influence")), panel=True),
    _ex("smartpower_table1_failures", "smartpower-table1", "Table 1 (2015)",
        "Table 1 (2015): typology of leadership failure, cases computed and as the paper gives them",
        _tab("smartpower_table1_failures"), raw=("NMC_v4_0.csv",), authored=(SMARTPOWER,)),
    _ex("smartpower_cases", "smartpower-cases", "cases of the 2015 text",
        "2015 cases: computed power and soft power, recommended vs observed strategy (strict), computed failure "
        "beside the paper's, confusion table", (*_tab("smartpower_cases"), *_tab("smartpower_confusion")),
        raw=("NMC_v4_0.csv",), authored=(SMARTPOWER,)),
    _ex("smartpower_figure1_strategies", "smartpower-figure1", "Figure 1 (2015)",
        "Figure 1 (2015): strategy map with every coded case; below, each case's relative power (log-ratio index "
        "beside the share)", _fig("smartpower_figure1_strategies"), group="figures", raw=("NMC_v4_0.csv",),
        authored=(SMARTPOWER,)),
    _ex("results_paragraph", "results-paragraph", "the README's results paragraph",
        "README results paragraph, generated from Tables 2-5 and the multiverse (also replaces the block in README.md)",
        ("results/results_paragraph.md",), group="paragraph", authored=("previous_release_estimates.csv",),
        after=("table2_smalln_inference", "table3_models", "table4_theory_comparison", "table5_interaction",
               "table5_universes", "multiverse")),
)
_DOCUMENTS = tuple(e.name for e in EXHIBITS if e.group in ("tables", "figures", "paragraph"))
EXHIBITS += (
    _ex("report", "report", "all of the above", "Replication report: every table and figure, provenance, commands",
        ("results/report.html",), group="report", after=_DOCUMENTS),
)
REGISTRY: dict[str, Exhibit] = {e.name: e for e in EXHIBITS}


def output_path(relative: str) -> Path:
    """Where an output of the registry lands now (the results and processed folders can be moved)."""
    from ..paths import processed_dir, results_dir

    for prefix, folder in (("results/", results_dir), ("data/processed/", processed_dir)):
        if relative.startswith(prefix):
            return folder() / relative[len(prefix):]
    raise ValueError(f"exhibit output {relative!r} is neither under results/ nor data/processed/")


def build_order(names) -> list[str]:
    """``names`` in registry order (which respects every declared input); an unknown name is an error."""
    unknown = [n for n in names if n not in REGISTRY]
    if unknown:
        raise SystemExit(f"unknown exhibit(s) {unknown}; the registered exhibits are: {', '.join(REGISTRY)}")
    wanted = set(names)
    return [e.name for e in EXHIBITS if e.name in wanted]


def main(name: str) -> None:
    """Entry point of analysis/<name>.py: build that one exhibit, as ``make`` would."""
    import sys

    from ._runner import build

    sys.exit(build([name]))
