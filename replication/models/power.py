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

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import optimize, stats
from scipy.special import expit

from .effects import CELLS, _counterfactual_designs


def _second_difference(beta, designs) -> float:
    p = {c: expit(designs[c] @ beta).mean() for c in CELLS}
    return (p[(1, 1)] - p[(0, 1)]) - (p[(1, 0)] - p[(0, 0)])


def _sd_and_se(fit, designs, cov) -> tuple[float, float]:
    beta = np.asarray(fit.params)
    grad = np.zeros(len(beta))
    est = 0.0
    for c, sign in zip(CELLS, (1, -1, -1, 1)):
        p = expit(designs[c] @ beta)
        est += sign * p.mean()
        grad += sign * ((p * (1 - p))[:, None] * designs[c]).mean(axis=0)
    return est, float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def power_curve(result, frame: pd.DataFrame, deltas, reps: int = 200, seed: int = 20131101,
                alpha: float = 0.05) -> pd.DataFrame:
    """Power of the delta-method test of the second difference for each target ``delta``."""
    from .estimators import separation_check

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
        reject = invalid = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(reps):
                y = (rng.uniform(size=len(p_true)) < p_true).astype(float)
                if separation_check(X, y)["separation"]:
                    invalid += 1
                    continue
                try:
                    fit = sm.Logit(y, X).fit(disp=0, method="newton", maxiter=100, cov_type="cluster",
                                             cov_kwds={"groups": groups})
                except (np.linalg.LinAlgError, ValueError):
                    invalid += 1
                    continue
                if not fit.mle_retvals.get("converged", False):
                    invalid += 1
                    continue
                est, se = _sd_and_se(fit, designs, np.asarray(fit.cov_params()))
                reject += int(se > 0 and abs(est / se) > crit)
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
