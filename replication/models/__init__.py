"""Estimation: logit and panel models of defection on democracy x favourable systemic conditions.

>>> from replication.models import model_frame, fit_all, interaction_table, compare_theories
>>> frame = model_frame(panel, outcome="defected_strict", regime="bmr")   # any panel scheme
>>> results = fit_all(frame)          # six estimators, each a ModelResult with .tidy and .diagnostics
>>> interaction_table(results["logit"], frame)                          # probability scale
>>> compare_theories(frame)                                              # the three theories
"""

# Lazy: ``from replication.models import load_panel`` (or ``import replication.models.coalitions``) does
# not import statsmodels; each name below loads its module on first use (PEP 562).
_LAZY = {"compare_theories": "compare", "loo_war_log_score": "compare", "model_frame": "data",
         "cluster_bootstrap": "effects", "interaction_table": "effects", "point_quantities": "effects",
         "ALL": "estimators", "conditional_logit": "estimators", "firth_logit": "estimators",
         "fit_all": "estimators", "formula_for": "estimators", "hazard_logit": "estimators", "logit": "estimators",
         "lpm_random_effects": "estimators", "lpm_within": "estimators", "ModelResult": "results"}

__all__ = ["model_frame", "fit_all", "logit", "firth_logit", "hazard_logit", "conditional_logit", "lpm_within",
           "lpm_random_effects", "formula_for", "interaction_table", "cluster_bootstrap", "point_quantities",
           "compare_theories", "loo_war_log_score", "ModelResult", "ALL", "load_panel"]


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*globals(), *_LAZY])


def load_panel(scheme: str = "year"):
    """The default panel from data/processed (year scheme), or a freshly built one for another scheme.

    The parquet file is verified against the sha256 that ``make panel`` recorded beside it
    (state_phase_panel.sha256); a corrupt, truncated or edited file raises DataError telling to
    rebuild it with ``make panel``."""
    import warnings

    from ..paths import processed_dir

    path = processed_dir() / "state_phase_panel.parquet"
    if scheme == "year" and path.is_file():
        from ..panel.store import read_processed_panel

        return read_processed_panel(path)
    from ..panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_panel(scheme=scheme)
