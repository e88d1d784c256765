"""Estimation: logit and panel models of defection on democracy x favourable systemic conditions.

>>> from replication.models import load_panel, model_frame, logit, interaction_table, regression_table
>>> panel = load_panel()
>>> frame = model_frame(panel, outcome="defected", regime="polity")      # any panel outcome and scheme
>>> fit = logit(frame, "defected ~ democracy * systemic_favorable + power_share")   # the panel's own names
>>> print(fit.summary())            # the model actually fitted (a separated logit is refitted by Firth, with a warning)
>>> interaction_table(fit)          # probability scale, with its status column
>>> regression_table([fit], fmt="md")

Everything the README and the docstrings use is importable from here (``__all__``); the warnings the
estimators raise are :class:`ModelWarning` subclasses (:class:`SeparationWarning`,
:class:`NonConvergenceWarning`, :class:`DroppedRowsWarning`, and the penalised solver's
``PenalisedFitWarning``).
"""

# Lazy: ``from replication.models import load_panel`` (or ``import replication.models.coalitions``) does
# not import statsmodels; each name below loads its module on first use (PEP 562).
_LAZY = {
    # the estimation sample
    "model_frame": "data", "sample_flow": "data", "exposure_days": "data", "cluster_counts": "data",
    "interaction_cluster_counts": "data", "OUTCOMES": "data", "REGIMES": "data", "SYSTEMIC": "data",
    "CONTROLS": "data",
    # estimators
    "logit": "estimators", "firth_logit": "estimators", "hazard_logit": "estimators", "hazard_cloglog": "estimators",
    "penalised_hazard": "estimators", "conditional_logit": "estimators", "lpm_within": "estimators",
    "lpm_random_effects": "estimators", "fit_all": "estimators", "formula_for": "estimators",
    "penalised_refit": "estimators", "ALL": "estimators", "ON_SEPARATION": "estimators",
    # results and warnings
    "ModelResult": "results", "ModelWarning": "results", "SeparationWarning": "results",
    "NonConvergenceWarning": "results", "DroppedRowsWarning": "results", "ConvergenceError": "results",
    "SeparationError": "results", "PenalisedFitWarning": "penalised",
    # the probability scale
    "interaction_table": "effects", "cell_predictions": "effects", "differences": "effects",
    "delta_method": "effects", "war_jackknife": "effects", "cluster_bootstrap": "effects",
    "penalised_cluster_bootstrap": "effects", "point_quantities": "effects", "QUANTITIES": "effects",
    # the three theories and their predictions
    "compare_theories": "compare", "loo_war_log_score": "compare", "loo_folds": "compare",
    "congruence_test": "compare", "evaluate_predictions": "hypotheses", "declared_predictions": "hypotheses",
    "READINGS": "hypotheses", "PREDICTIONS": "hypotheses",
    # the tables' building blocks
    "reading_frames": "tables", "reported_fits": "tables", "interaction_effects_table": "tables",
    "regression_table": "regtable", "regression_frame": "regtable",
    "power_curve": "power", "minimum_detectable": "power", "equivalence_bounds": "power",
    "few_cluster_table": "fewclusters", "wild_p": "fewclusters",
    "coalition_sides": "coalitions", "recovery_table": "coalitions",
}

__all__ = ["load_panel", *_LAZY]


from .._lazy import lazy_attributes  # noqa: E402 (after the table it reads)

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)


def load_panel(scheme: str = "year"):
    """The default panel from data/processed (year scheme), or a freshly built one for another scheme.

    The parquet file is verified against the sha256 that ``make panel`` recorded beside it
    (state_phase_panel.sha256); a corrupt, truncated or edited file raises DataError telling to
    rebuild it with ``make panel``. ``scheme``: "year" (default), "half" or "custom"."""
    import warnings

    from ..paths import processed_dir
    from .data import check_choice

    check_choice(scheme, ("year", "half", "custom"), "scheme")
    path = processed_dir() / "state_phase_panel.parquet"
    if scheme == "year" and path.is_file():
        from ..panel.store import read_processed_panel

        return read_processed_panel(path)
    from ..panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_panel(scheme=scheme)
