"""Quantitative research on wartime alliance cohesion.

Replicates Resnick (2013) "Hang Together or Hang Separately?" and Resnick (2015)
"I Will Follow", and extends the 2013 test to every coalition in the Correlates of
War inter-state war data.

The top-level package imports nothing heavy on purpose (tests/test_exhibits.py checks that
``import replication`` loads neither pandas nor statsmodels), so ``make help``, the exhibit
registry (:mod:`replication.exhibits`) and the command-line tools start fast. The names in
``__all__`` -- the panel, the models, the probability scale, the tables, the multiverse and the
power shares -- load their module on first use (PEP 562)::

    from replication import load_panel, model_frame, logit, interaction_table
    panel = load_panel()
    fit = logit(model_frame(panel))

The sub-packages hold the rest: :mod:`replication.sources` (the raw files), :mod:`replication.panel`,
:mod:`replication.models`, :mod:`replication.robustness`, :mod:`replication.grand_alliance` and
:mod:`replication.smartpower`::

    from replication import sources
    nmc = sources.read_nmc("4.0")
"""

__version__ = "0.1.0"

_MODELS = ("load_panel", "model_frame", "sample_flow", "logit", "firth_logit", "hazard_logit", "penalised_hazard",
           "conditional_logit", "lpm_within", "lpm_random_effects", "fit_all", "formula_for", "ModelResult",
           "ModelWarning", "SeparationWarning", "NonConvergenceWarning", "DroppedRowsWarning", "SeparationError",
           "ConvergenceError", "interaction_table", "cell_predictions", "differences", "delta_method",
           "war_jackknife", "cluster_bootstrap", "penalised_cluster_bootstrap", "compare_theories",
           "evaluate_predictions", "reading_frames", "regression_table", "power_curve")
_LAZY = {**{name: "models" for name in _MODELS}, "build_panel": "panel", "run_multiverse": "robustness",
         "influence": "robustness", "power_shares": "power", "DataError": "errors"}

__all__ = ["__version__", *_LAZY]


from ._lazy import lazy_attributes  # noqa: E402 (after the table it reads)

__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)
