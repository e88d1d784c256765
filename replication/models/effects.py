"""The interaction on the probability scale: predicted probabilities of defection in the four
cells democracy x favourable, first differences and the second difference.

Point estimates and delta-method CIs come from ``marginaleffects`` (average predictions
over the sample with both variables set to each cell's values, cluster-robust covariance
of the fitted statsmodels model). The war-cluster bootstrap is written here because
neither marginaleffects nor statsmodels resamples clusters: wars are drawn with
replacement, the logit is refitted, and the same average predictions are recomputed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy.special import expit

from .._progress import progress

CELLS = [(0, 0), (1, 0), (0, 1), (1, 1)]  # (democracy, systemic_favorable)


GRID = {"democracy": [0.0, 1.0], "systemic_favorable": [0.0, 1.0]}


def _avg_predictions(result, hypothesis: str | None = None) -> pd.DataFrame:
    import marginaleffects as me

    pred = me.avg_predictions(result.fitted, variables=GRID, by=["democracy", "systemic_favorable"],
                              hypothesis=hypothesis)
    return pd.DataFrame(pred.to_pandas() if hasattr(pred, "to_pandas") else pred)


def cell_predictions(result) -> pd.DataFrame:
    """marginaleffects average predictions for the four cells, with delta-method CIs."""
    out = _avg_predictions(result)
    out = out.astype({"democracy": float, "systemic_favorable": float}).astype({"democracy": int,
                                                                                  "systemic_favorable": int})
    return out[["democracy", "systemic_favorable", "estimate", "std_error", "conf_low", "conf_high"]]


def differences(result) -> pd.DataFrame:
    """First differences (democracy 1 - 0 within each condition) and the second difference, as
    contrasts of the same counterfactual cell predictions (marginaleffects hypotheses).

    ``avg_comparisons(..., by="systemic_favorable")`` is not used: it averages within the
    *observed* subgroups, so its differences would not be differences of the cells reported.
    """
    cells = cell_predictions(result)
    b = {(d, f): f"b{i}" for i, (d, f) in enumerate(zip(cells["democracy"], cells["systemic_favorable"]))}
    contrasts = {
        "first difference: democracy 1 - 0 | favourable = 0": f"{b[(1, 0)]} - {b[(0, 0)]} = 0",
        "first difference: democracy 1 - 0 | favourable = 1": f"{b[(1, 1)]} - {b[(0, 1)]} = 0",
        "second difference: FD | favourable - FD | unfavourable":
            f"({b[(1, 1)]} - {b[(0, 1)]}) - ({b[(1, 0)]} - {b[(0, 0)]}) = 0",
    }
    rows = []
    for label, hypothesis in contrasts.items():
        r = _avg_predictions(result, hypothesis).iloc[0]
        rows.append({"quantity": label, "estimate": r["estimate"], "std_error": r["std_error"],
                     "ci_low": r["conf_low"], "ci_high": r["conf_high"]})
    return pd.DataFrame(rows)


def _counterfactual_designs(result, frame: pd.DataFrame) -> dict:
    """Design matrices with democracy and systemic_favorable set to each cell's values for every row.

    Rebuilt from the formula (statsmodels' formula engine), so transformed terms such as
    the cubic in time are recomputed exactly as in the fit.
    """
    designs = {}
    for cell in CELLS:
        cf = frame.assign(democracy=float(cell[0]), systemic_favorable=float(cell[1]))
        model = smf.logit(result.formula, cf)
        if list(model.exog_names) != list(result.fitted.model.exog_names):
            raise RuntimeError("counterfactual design columns differ from the fitted model's")
        designs[cell] = np.asarray(model.exog)
    return designs


def _quantities(beta: np.ndarray, designs: dict, rows: np.ndarray) -> np.ndarray:
    p = {cell: expit(designs[cell][rows] @ beta).mean() for cell in CELLS}
    fd_unfav = p[(1, 0)] - p[(0, 0)]
    fd_fav = p[(1, 1)] - p[(0, 1)]
    return np.array([p[(0, 0)], p[(1, 0)], p[(0, 1)], p[(1, 1)], fd_unfav, fd_fav, fd_fav - fd_unfav])


QUANTITIES = ["p(aut, unfav)", "p(dem, unfav)", "p(aut, fav)", "p(dem, fav)", "FD | unfavourable",
              "FD | favourable", "second difference"]


def point_quantities(result, frame: pd.DataFrame) -> pd.Series:
    """The seven quantities computed directly from the coefficients (no library): a check on marginaleffects."""
    designs = _counterfactual_designs(result, frame)
    return pd.Series(_quantities(result.fitted.params.to_numpy(), designs, np.arange(len(frame))), index=QUANTITIES)


def cluster_bootstrap(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101,
                      alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Percentile CIs from resampling wars with replacement; refits that fail are counted and dropped."""
    rng = np.random.default_rng(seed)
    designs = _counterfactual_designs(result, frame)
    X = np.asarray(result.fitted.model.exog)
    y = np.asarray(result.fitted.model.endog)
    start = result.fitted.params.to_numpy()
    wars = frame["war"].to_numpy()
    ids = np.unique(wars)
    rows_of = {w: np.flatnonzero(wars == w) for w in ids}
    draws, failed, separated = [], 0, 0
    with warnings.catch_warnings():
        # Resamples without a defection in some cell are quasi-separated: the fitted probability
        # there tends to 0, which is the right limit, so the replicate is kept (dropping it would
        # bias the bootstrap towards resamples that happen to contain defections) and counted.
        warnings.simplefilter("ignore")
        for _ in progress(range(reps), desc="war-cluster bootstrap"):
            rows = np.concatenate([rows_of[w] for w in rng.choice(ids, size=len(ids), replace=True)])
            try:
                fit = sm.Logit(y[rows], X[rows]).fit(start_params=start, disp=0, method="newton", maxiter=100)
            except (np.linalg.LinAlgError, ValueError):
                failed += 1
                continue
            q = _quantities(fit.params, designs, rows)
            if not np.all(np.isfinite(q)):
                failed += 1
                continue
            separated += int(np.abs(fit.params).max() > 15)
            draws.append(q)
    draws = np.array(draws)
    lo, hi = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    table = pd.DataFrame({"quantity": QUANTITIES, "boot_se": draws.std(axis=0, ddof=1), "boot_ci_low": lo,
                          "boot_ci_high": hi})
    return table, {"reps": reps, "failed": failed, "separated": separated, "seed": seed}


def interaction_table(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101) -> pd.DataFrame:
    """All seven quantities with delta-method (marginaleffects) and war-cluster bootstrap CIs."""
    cells = cell_predictions(result)
    diffs = differences(result)
    delta = pd.DataFrame({
        "quantity": QUANTITIES,
        "estimate": [*(cells.set_index(["democracy", "systemic_favorable"]).loc[c, "estimate"] for c in CELLS),
                     *diffs["estimate"]],
        "delta_se": [*(cells.set_index(["democracy", "systemic_favorable"]).loc[c, "std_error"] for c in CELLS),
                     *diffs["std_error"]],
        "delta_ci_low": [*(cells.set_index(["democracy", "systemic_favorable"]).loc[c, "conf_low"] for c in CELLS),
                         *diffs["ci_low"]],
        "delta_ci_high": [*(cells.set_index(["democracy", "systemic_favorable"]).loc[c, "conf_high"] for c in CELLS),
                          *diffs["ci_high"]],
    })
    boot, info = cluster_bootstrap(result, frame, reps=reps, seed=seed)
    out = delta.merge(boot, on="quantity", validate="one_to_one")
    out.insert(0, "model", result.name)
    out["boot_reps"], out["boot_failed"], out["boot_separated"] = info["reps"], info["failed"], info["separated"]
    out["boot_seed"] = info["seed"]
    return out
