"""Minimum detectable second difference at 80% power, by simulation on the real design.

The design is kept as observed (the same state-phases, wars, regime types, systemic conditions
and controls); only the outcome is simulated. For a target second difference delta, the pooled
logit's coefficients are taken from the fit to the data, the interaction coefficient is moved
until the model's average-prediction second difference equals delta (root finding), outcomes
are drawn from that model, the pooled logit is refitted with war-clustered standard errors,
and the second difference is tested two-sided at 5% by the delta method, as in Table 5.
Power(delta) is the share of rejections; the minimum detectable effect (MDE) is the smallest
|delta| on the grid (linearly interpolated) with power >= 0.8, for each sign.

A simulated data set in which the refit is separated or does not converge counts as a
non-rejection (no valid test) and is reported. When the fit to the data is itself separated,
the simulation starts from its Firth refit, whose coefficients are finite.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit

from .effects import CELLS, _counterfactual_designs


def _second_difference(beta, designs) -> float:
    p = {c: expit(designs[c] @ beta).mean() for c in CELLS}
    return (p[(1, 1)] - p[(0, 1)]) - (p[(1, 0)] - p[(0, 0)])


def _sd_and_se(beta, designs, cov) -> tuple[float, float]:
    beta = np.asarray(beta, dtype=float)
    grad = np.zeros(len(beta))
    est = 0.0
    for c, sign in zip(CELLS, (1, -1, -1, 1)):
        p = expit(designs[c] @ beta)
        est += sign * p.mean()
        grad += sign * ((p * (1 - p))[:, None] * designs[c]).mean(axis=0)
    return est, float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def _refit_all(X: np.ndarray, Y: np.ndarray, groups: np.ndarray, designs: dict, cell_columns: list[int]):
    """Refit the pooled logit to every simulated outcome set at once; return (valid, second
    difference, its delta-method SE with war-clustered covariance), as statsmodels' Logit with
    cov_type="cluster" would give one by one (the batched Newton equals it to 1e-8,
    tests/test_batched.py; tests/test_power.py checks this function against the loop).

    A set is invalid (no test) when it is separated or its fit does not converge in 100 Newton
    steps. Separation is decided without the LP where it is certain: a set in which some
    democracy x conditions cell has no event (or only events) is quasi-separated, because that
    cell's indicator lies in the design's column span; a fit that converged with every fitted
    probability inside (1e-6, 1 - 1e-6) is not. Konis's LP decides the rest.
    """
    from .batched import cluster_cov, newton
    from .effects import _finite_mle
    from .estimators import separation_check

    reps, n = Y.shape
    separated = np.zeros(reps, bool)
    binary = all(np.isin(X[:, j], (0.0, 1.0)).all() for j in cell_columns)
    if binary:  # the cell rule needs the cells' indicators in the span: binary democracy and conditions
        cell = np.unique(X[:, cell_columns], axis=0, return_inverse=True)[1].ravel()
        events = np.stack([Y[:, cell == c].sum(axis=1) for c in range(cell.max() + 1)], axis=1)
        separated = ((events == 0) | (events == np.bincount(cell))).any(axis=1)
    ones = np.ones((reps, n))
    fit = newton(X, Y, ones, link="logit", maxiter=100)
    undecided = np.flatnonzero(~separated & ~_finite_mle(fit, X, ones, 0.0, "logit"))
    for r in undecided:
        separated[r] = bool(separation_check(X, Y[r])["separation"])
    valid = ~separated & fit.converged & ~fit.failed
    est, se = np.full(reps, np.nan), np.full(reps, np.nan)
    for r in np.flatnonzero(valid):
        beta = fit.params[r]
        p = expit(X @ beta)
        bread = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
        cov = cluster_cov(X, X * (Y[r] - p)[:, None], bread, groups)
        est[r], se[r] = _sd_and_se(beta, designs, cov)
    return valid, est, se


def power_curve(result, frame: pd.DataFrame, deltas, reps: int = 200, seed: int = 20131101,
                alpha: float = 0.05) -> pd.DataFrame:
    """Power of the delta-method test of the second difference for each target ``delta``."""
    rng = np.random.default_rng(seed)
    X = np.asarray(result.fitted.model.exog)
    names = list(result.fitted.model.exog_names)
    k = names.index("democracy:systemic_favorable")
    designs = _counterfactual_designs(result, frame)
    base = np.asarray(result.fitted.params, dtype=float)
    if result.status == "separated" and result.fallback is not None:
        # the ML coefficients run off to infinity; the data-generating model starts from the finite Firth fit
        base = result.fallback.params.reindex(names).to_numpy(dtype=float)
    groups = frame["war"].to_numpy()
    crit = stats.norm.ppf(1 - alpha / 2)
    rows = []
    for delta in deltas:
        def gap(b3):
            beta = base.copy()
            beta[k] = b3
            return _second_difference(beta, designs) - delta
        try:
            b3 = optimize.brentq(gap, -30, 30)
        except ValueError:
            rows.append({"delta": delta, "power": np.nan, "reps": 0, "invalid": 0, "note": "delta not attainable"})
            continue
        beta = base.copy()
        beta[k] = b3
        p_true = expit(X @ beta)
        # One (reps, n) draw: the same stream as reps successive draws of n.
        Y = (rng.uniform(size=(reps, len(p_true))) < p_true).astype(float)
        valid, est, se = _refit_all(X, Y, groups, designs,
                                    [names.index("democracy"), names.index("systemic_favorable")])
        reject = int((valid & (se > 0) & (np.abs(est / np.where(se > 0, se, 1.0)) > crit)).sum())
        invalid = int((~valid).sum())
        rows.append({"delta": delta, "power": reject / reps, "reps": reps, "invalid": invalid, "note": ""})
    return pd.DataFrame(rows)


def minimum_detectable(curve: pd.DataFrame, target: float = 0.8) -> dict:
    """Smallest |delta| with power >= target on each side of zero (linear interpolation), or NaN."""
    out = {}
    for side, sel in (("positive", curve[curve.delta > 0]), ("negative", curve[curve.delta < 0])):
        sel = sel.assign(size=sel.delta.abs()).sort_values("size").dropna(subset=["power"])
        hit = np.flatnonzero(sel.power.to_numpy() >= target)
        if len(hit) == 0:
            out[side] = np.nan
            continue
        i = hit[0]
        if i == 0:
            out[side] = float(sel["size"].iloc[0])
        else:
            x0, x1 = sel["size"].iloc[i - 1], sel["size"].iloc[i]
            p0, p1 = sel.power.iloc[i - 1], sel.power.iloc[i]
            out[side] = float(x0 + (target - p0) * (x1 - x0) / (p1 - p0))
    return out
