"""The estimation tables as functions, shared by the exhibit programs and the tests.

Tables 4 and 5 report the same two models under both readings of "favourable"
(:data:`replication.models.hypotheses.READINGS`), side by side:

* the pooled **Firth logit** (:func:`replication.models.estimators.firth_logit`), and
* the discrete-time hazard as a **Jeffreys-penalised complementary log-log** with the log-exposure
  offset (:func:`replication.models.estimators.penalised_hazard`).

Both are penalised maximum-likelihood fits, finite under separation, so the reported numbers never
switch model when a cell happens to be empty; the maximum-likelihood logit and cloglog are in
Table 3, where a separated fit shows no inference. Inference: the delta method with the model-based
covariance (X'WX)^-1 at the penalised estimate, z -- the test whose size the power simulation checks
(:mod:`replication.models.power`) -- beside the war jackknife (CR3 form, t(G - 1)) and, for the
logit, the pairs war-cluster bootstrap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .compare import compare_theories, congruence_test, loo_folds
from .estimators import firth_logit, penalised_hazard
from .hypotheses import READINGS, evaluate_predictions

BOOTSTRAP_REPS, BOOTSTRAP_SEED = 2000, 20131101
REPORTED_LOGIT, REPORTED_HAZARD = "Firth logit", "Jeffreys-penalised hazard (cloglog)"


def reading_frames(panel: pd.DataFrame, **kwargs) -> dict[str, dict[str, pd.DataFrame]]:
    """The model frames of both readings: {reading: {"binary": frame, "graded": frame or None}}."""
    from .data import model_frame

    out = {}
    for key, reading in READINGS.items():
        graded = model_frame(panel, systemic=reading.graded, **kwargs) if reading.graded in panel else None
        out[key] = {"binary": model_frame(panel, systemic=reading.binary, **kwargs), "graded": graded}
    return out


def reported_fits(frame: pd.DataFrame) -> tuple:
    """The two reported models fitted to ``frame``: the Firth logit and the Jeffreys-penalised hazard."""
    return firth_logit(frame, name=REPORTED_LOGIT), penalised_hazard(frame, name=REPORTED_HAZARD, profile=False)


def _interaction_counts(frame: pd.DataFrame) -> dict:
    from .data import interaction_cluster_counts

    return interaction_cluster_counts(frame)


def predictions_table(frames: dict, fits: dict | None = None) -> pd.DataFrame:
    """Every declared prediction under both readings, tested in both reported models (binary predictions
    on the binary index, graded ones on the graded index). ``fits``: {reading: (logit, hazard)} already
    fitted to the binary frames."""
    from .hypotheses import unavailable

    parts = []
    for reading, pair in frames.items():
        for kind in ("binary", "graded"):
            frame = pair[kind]
            if frame is None:
                parts.append(unavailable(READINGS[reading].graded))
                continue
            models = fits[reading] if (fits is not None and kind == "binary") else reported_fits(frame)
            for fit in models:
                parts.append(evaluate_predictions(fit, frame).assign(index=kind))
    return pd.concat(parts, ignore_index=True)


def theories_table(frames: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table 4: the three theories under both readings (pooled logit and hazard: nested models, LOO log
    scores with the ranking without the most influential war), and the per-fold table."""
    tables, all_folds = [], []
    for reading, pair in frames.items():
        frame = pair["binary"]
        folds = pd.concat([loo_folds(frame), loo_folds(frame, duration=True)], ignore_index=True)
        table = pd.concat([compare_theories(frame, folds=folds[folds.model == "pooled logit"]),
                           compare_theories(frame, duration=True, folds=folds[folds.model != "pooled logit"])],
                          ignore_index=True)
        tables.append(table.assign(reading=reading))
        all_folds.append(folds.assign(reading=reading))
    table = pd.concat(tables, ignore_index=True)
    return table[["reading", *[c for c in table.columns if c != "reading"]]], pd.concat(all_folds, ignore_index=True)


def congruence_table(frames: dict, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    parts = [congruence_test(pair["binary"], reps=reps, seed=seed).assign(reading=reading)
             for reading, pair in frames.items()]
    table = pd.concat(parts, ignore_index=True)
    return table[["reading", *[c for c in table.columns if c != "reading"]]]


def interaction_effects_table(frames: dict, reps: int = BOOTSTRAP_REPS, seed: int = BOOTSTRAP_SEED,
                              fits: dict | None = None) -> pd.DataFrame:
    """Table 5: the seven probability-scale quantities of both reported models under both readings, with
    delta-method (model-based, z), war-jackknife (CR3 form, t(G-1)) and, for the logit, war-cluster
    bootstrap intervals, and the sample's war counts. ``fits``: {reading: (logit, hazard)}."""
    from .effects import delta_method, penalised_cluster_bootstrap, war_jackknife

    parts = []
    for reading, pair in frames.items():
        frame = pair["binary"]
        counts = _interaction_counts(frame)
        models = fits[reading] if fits is not None else reported_fits(frame)
        for fit in models:
            labels = ["model", "status", "replaces"]  # the fit's own name and status are added below
            table = delta_method(fit, frame).drop(columns=labels).merge(war_jackknife(fit, frame).drop(columns=labels),
                                                                        on="quantity", validate="one_to_one")
            if fit.estimator == "firth":
                boot, info = penalised_cluster_bootstrap(fit, frame, reps=reps, seed=seed)
                table = table.merge(boot.drop(columns=labels), on="quantity", validate="one_to_one")
                table["boot_reps"], table["boot_excluded"] = info["reps"], info["failed"] + info["not_converged"]
                table["boot_seed"] = info["seed"]
            table.insert(0, "model", fit.name)
            table.insert(0, "reading", reading)
            table["status"] = fit.status
            table["n"], table["events"] = len(frame), int(frame["y"].sum())
            for key, value in counts.items():
                table[key] = value
            parts.append(table)
    return pd.concat(parts, ignore_index=True)


# The grid brackets every minimum detectable effect found so far (0.08-0.17) and stops where power is
# near 1; negative values below about -0.03 are not attainable with these designs (the autocracies'
# cells bound them), so one small negative value shows the test's behaviour there.
POWER_GRID = (-0.02, 0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
POWER_REPS, WILD_REPS = 400, 9999


def power_table(frames: dict, interaction: pd.DataFrame, reps: int = POWER_REPS, seed: int = BOOTSTRAP_SEED,
                grid=POWER_GRID) -> tuple[pd.DataFrame, pd.DataFrame]:
    """For each reading: the power curve of the reported test (the Firth logit's second difference, one-sided
    and two-sided at 5%) under the calibrated random-intercept design, and a summary row with the size at
    delta = 0, the minimum detectable effect at 80% power and the equivalence bounds of the data's
    estimate (two one-sided tests at 5%)."""
    from .power import equivalence_bounds, minimum_detectable, power_curve

    curves, summary = [], []
    for reading, pair in frames.items():
        curve, cal = power_curve(pair["binary"], grid, reps=reps, seed=seed)
        curves.append(curve.assign(reading=reading))
        row = interaction[(interaction.reading == reading) & (interaction.model == REPORTED_LOGIT)
                          & (interaction.quantity == "second difference")].iloc[0]
        eq = equivalence_bounds(row.estimate, row.delta_se)
        at_zero = curve.loc[np.isclose(curve.delta, 0.0)]
        summary.append({"reading": reading, "test": "Firth logit, second difference, delta method (X'WX)^-1, z",
                        "size_one_sided": float(at_zero.power_one_sided.iloc[0]) if len(at_zero) else np.nan,
                        "size_two_sided": float(at_zero.power_two_sided.iloc[0]) if len(at_zero) else np.nan,
                        "mde_80_one_sided": minimum_detectable(curve, column="power_one_sided"),
                        "mde_80_two_sided": minimum_detectable(curve, column="power_two_sided"),
                        "estimate": row.estimate, "std_error": row.delta_se,
                        "equivalence_lower": eq["lower"], "equivalence_upper": eq["upper"],
                        "equivalence_bound": eq["bound"], "reps": reps, "seed": seed,
                        "war_effect_sd": cal["sigma"], "intercept_shift": cal["c"],
                        "observed_events": cal["observed_events"], "observed_event_wars": cal["observed_event_wars"],
                        "event_wars_if_independent": cal["event_wars_if_independent"]})
    curve = pd.concat(curves, ignore_index=True)
    return curve[["reading", *[c for c in curve.columns if c != "reading"]]], pd.DataFrame(summary)


def few_clusters_table(frame: pd.DataFrame, reps: int = WILD_REPS, seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    from .fewclusters import few_cluster_table

    return few_cluster_table(frame, reps=reps, seed=seed)


def models_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Tidy coefficients of all six estimators (Table 3 CSV) and the fitted results."""
    from .estimators import fit_all

    results = fit_all(frame)
    return pd.concat([r.tidy for r in results.values()], ignore_index=True), results


def refit_label(model: str) -> str:
    """The short name of the penalised refit a model name says it is ("Firth" for a separated
    logit's, "Jeffreys" for a separated hazard's Jeffreys-penalised cloglog), or "" for a fit that is
    not a refit."""
    if "-> Firth" in model:
        return "Firth"
    if "-> Jeffreys-penalised" in model:
        return "Jeffreys"
    return ""
