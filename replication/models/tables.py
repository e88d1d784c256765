"""The estimation tables as functions, shared by the exhibit programs and the tests."""

from __future__ import annotations

import pandas as pd

from .compare import compare_theories, congruence_test, loo_folds
from .effects import interaction_table
from .estimators import fit_all, hazard_logit, logit
from .hypotheses import evaluate_predictions, unavailable

BOOTSTRAP_REPS, BOOTSTRAP_SEED = 2000, 20131101


def models_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Tidy coefficients of all six estimators (Table 3 CSV) and the fitted results."""
    results = fit_all(frame)
    return pd.concat([r.tidy for r in results.values()], ignore_index=True), results


def predictions_table(frame: pd.DataFrame, graded_frame: pd.DataFrame | None = None,
                      fits: tuple | None = None) -> pd.DataFrame:
    """Every signed prediction tested in the pooled logit and the hazard (graded ones on ``graded_frame``).
    ``fits``: the pooled logit and hazard already fitted to ``frame`` (they are fitted here otherwise)."""
    parts = []
    for data in ([frame] if graded_frame is None else [frame, graded_frame]):
        for fit in (fits if fits is not None and data is frame else (logit(data), hazard_logit(data))):
            parts.append(evaluate_predictions(fit, data))
            if fit.fallback is not None:  # a separated ML fit: the test is made on its penalised refit
                parts.append(evaluate_predictions(fit.fallback, data))
    if graded_frame is None:
        parts.append(unavailable())
    return pd.concat(parts, ignore_index=True)


def theories_table(frame: pd.DataFrame, predictions: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 4: the three theories (pooled logit and hazard) with a column per signed prediction,
    and the per-fold leave-one-war-out table."""
    folds = pd.concat([loo_folds(frame), loo_folds(frame, duration=True)], ignore_index=True)
    table = pd.concat([compare_theories(frame, folds=folds[folds.model == "pooled logit"]),
                       compare_theories(frame, duration=True, folds=folds[folds.model != "pooled logit"])],
                      ignore_index=True)
    predictions = predictions_table(frame) if predictions is None else predictions
    for key, rows in predictions.groupby("key", sort=False):
        col = f"{key} (line {rows['paper_line'].iloc[0]})"
        table[col] = ""
        for r in rows.itertuples():
            models = {"pooled logit", "discrete-time hazard (cloglog)"} if not r.model else \
                {"pooled logit" if r.model.startswith("Pooled") else "discrete-time hazard (cloglog)"}
            refit = refit_label(str(r.model))
            value = r.held if pd.isna(getattr(r, "estimate", float("nan"))) else \
                f"{refit + ': ' if refit else ''}{r.estimate:+.3f} (p = {r.p_value:.3f}): {r.held}"
            table.loc[(table.theory == r.theory) & table.model.isin(models), col] = value
    return table, folds


def refit_label(model: str) -> str:
    """The short name of the penalised refit a model name says it is ("Firth" for a separated
    logit's, "Jeffreys" for a separated hazard's Jeffreys-penalised cloglog), or "" for a fit that is
    not a refit."""
    if "-> Firth" in model:
        return "Firth"
    if "-> Jeffreys-penalised" in model:
        return "Jeffreys"
    return ""


def congruence_table(frame: pd.DataFrame, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    return congruence_test(frame, reps=reps, seed=seed)


def interaction_effects_table(frame: pd.DataFrame, reps: int = BOOTSTRAP_REPS,
                              seed: int = BOOTSTRAP_SEED, fits: tuple | None = None) -> pd.DataFrame:
    """Table 5: probability-scale effects for the pooled logit and the cloglog hazard.

    A separated ML fit prints no inference (its delta-method and bootstrap intervals are NA, its
    status says why); its penalised refit follows it with delta-method CIs from the model-based
    covariance (X'WX)^-1 at the penalised estimate: Firth's logit (the logistf covariance) for the
    logit, the Jeffreys-penalised cloglog with the offset for the hazard.
    ``fits``: the pooled logit and hazard already fitted to ``frame`` (they are fitted here otherwise).
    """
    from .effects import delta_method

    parts = []
    for fit in (fits if fits is not None else (logit(frame), hazard_logit(frame))):
        table = interaction_table(fit, frame, reps=reps, seed=seed)
        table["status"] = fit.status
        if fit.status == "separated":
            no_inference = ["delta_se", "delta_ci_low", "delta_ci_high", "delta_z", "boot_se", "boot_ci_low",
                            "boot_ci_high"]
            table[[c for c in no_inference if c in table]] = float("nan")
        parts.append(table)
        if fit.fallback is not None:
            refit = delta_method(fit.fallback, frame).assign(
                model=fit.fallback.name, status=f"ok ({refit_label(fit.fallback.name)} refit)")
            parts.append(refit.assign(n=len(frame), events=int(frame["y"].sum()),
                                      n_clusters=table["n_clusters"].iloc[0],
                                      clusters_with_events=table["clusters_with_events"].iloc[0]))
    return pd.concat(parts, ignore_index=True)


POWER_GRID = (-0.04, 0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
POWER_REPS, WILD_REPS = 400, 9999


def power_table(frame: pd.DataFrame, reps: int = POWER_REPS, seed: int = BOOTSTRAP_SEED,
                grid=POWER_GRID, fit=None) -> tuple[pd.DataFrame, dict]:
    """Power curve of the pooled logit's second-difference test on the real design, and the MDE.
    ``fit``: the pooled logit already fitted to ``frame`` (fitted here otherwise)."""
    from .power import minimum_detectable, power_curve

    curve = power_curve(fit if fit is not None else logit(frame), frame, grid, reps=reps, seed=seed)
    return curve, minimum_detectable(curve)


def few_clusters_table(frame: pd.DataFrame, reps: int = WILD_REPS, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    from .fewclusters import few_cluster_table

    return few_cluster_table(frame, reps=reps, seed=seed)
