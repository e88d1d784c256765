"""Estimation: logit and panel models of defection on democracy x favourable systemic conditions.

>>> from replication.models import model_frame, fit_all, interaction_table, compare_theories
>>> frame = model_frame(panel, outcome="defected_strict", regime="bmr")   # any panel scheme
>>> results = fit_all(frame)          # six estimators, each a ModelResult with .tidy and .diagnostics
>>> interaction_table(results["logit"], frame)                          # probability scale
>>> compare_theories(frame)                                              # the three theories
"""

from .compare import compare_theories, loo_war_log_score
from .data import model_frame
from .effects import cluster_bootstrap, interaction_table, point_quantities
from .estimators import (ALL, conditional_logit, firth_logit, fit_all, formula_for, hazard_logit, logit,
                         lpm_random_effects, lpm_within)
from .results import ModelResult

__all__ = ["model_frame", "fit_all", "logit", "firth_logit", "hazard_logit", "conditional_logit", "lpm_within",
           "lpm_random_effects", "formula_for", "interaction_table", "cluster_bootstrap", "point_quantities",
           "compare_theories", "loo_war_log_score", "ModelResult", "ALL"]


def load_panel(scheme: str = "year"):
    """The default panel from data/processed (year scheme), or a freshly built one for another scheme."""
    import warnings

    import pandas as pd

    from ..paths import processed_dir

    path = processed_dir() / "state_phase_panel.parquet"
    if scheme == "year" and path.is_file():
        return pd.read_parquet(path)
    from ..panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_panel(scheme=scheme)
