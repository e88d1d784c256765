"""Statistical power of the reported test of the second difference, by simulation on the real design.

The test simulated is the one Tables 4 and 5 report: the second difference on the probability scale,
[P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)], from the pooled Firth logit
(:func:`replication.models.estimators.firth_logit`), with its delta-method standard error from the
logistf covariance (X'WX)^-1 at the Firth estimate, referred to the normal distribution: one-sided
(H0: delta <= 0 against delta > 0) for neoclassical realism's signed prediction (NCR3), and
two-sided as a reference. The Firth estimate is finite under separation, so a simulated data set
in which some cell has no defection is tested exactly as the data are (there is no "invalid" set
to count as a non-rejection).

Data-generating process. The design is kept as observed (the same state-phases, wars, regime
types, systemic conditions and controls); only the outcome is simulated, from a logit with a
war-level random intercept,

    logit P(y_i = 1 | u) = x_i'b + c + u_w(i),   u_w ~ N(0, sigma^2) independently across wars,

so that defections cluster in wars as they do in the data. b is the Firth fit to the data; the
intercept shift c and sigma are calibrated so that the expected number of defections and the
expected number of wars with a defection equal the observed ones (independent outcomes, sigma = 0,
would spread the observed events over about six wars where they fall in four). The target delta is
the marginal (averaged over u, by Gauss-Hermite quadrature) average-prediction second difference;
the interaction coefficient is moved until it equals delta (root finding). Power(delta) is the
share of simulated data sets in which the test rejects; the size is power(0); the minimum
detectable effect (MDE) is the smallest positive delta on the grid (linearly interpolated) with
power >= 0.8.

Equivalence. A null result is read with the effect size the data rule out: from the two one-sided
tests at 5% (Schuirmann 1987), i.e. the 90% confidence interval of the reported estimate, the data
reject every second difference below its lower and above its upper end; the equivalence bound is
the larger of the two in absolute value (the smallest margin D for which |delta| < D is shown).

All simulated data sets are refitted at once by the batched penalised Newton solver
(:func:`replication.models.penalised.penalised_newton`, tested against firthmodels to 1e-8).

References: Firth (1993), *Biometrika* 80(1); Schuirmann (1987), *J. Pharmacokinetics and
Biopharmaceutics* 15(6); Lakens (2017), *Social Psychological and Personality Science* 8(4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import expit

from .effects import CELLS

SIGNS = (1.0, -1.0, -1.0, 1.0)  # second difference: +(0,0) -(1,0) -(0,1) +(1,1), in CELLS order
INTERACTION = "democracy:systemic_favorable"
QUADRATURE_NODES = 40


def _cell_designs(X: np.ndarray, names: list[str]) -> list[np.ndarray]:
    """The design with democracy and systemic_favorable (and their product) set to each cell's values."""
    d, f, k = names.index("democracy"), names.index("systemic_favorable"), names.index(INTERACTION)
    out = []
    for dem, fav in CELLS:
        Z = X.copy()
        Z[:, d], Z[:, f], Z[:, k] = dem, fav, dem * fav
        out.append(Z)
    return out


def _quadrature():
    x, w = np.polynomial.hermite_e.hermegauss(QUADRATURE_NODES)
    return x, w / w.sum()


def marginal_second_difference(beta: np.ndarray, designs: list[np.ndarray], sigma: float) -> float:
    """The average-prediction second difference integrated over the war effect u ~ N(0, sigma^2)."""
    x, w = _quadrature()
    cells = [(expit((Z @ beta)[:, None] + sigma * x[None, :]) @ w).mean() for Z in designs]
    return float(np.dot(SIGNS, cells))


def expected_counts(X: np.ndarray, beta: np.ndarray, war_index: np.ndarray, sigma: float) -> tuple[float, float]:
    """E[number of events] and E[number of wars with an event] under the random-intercept logit."""
    x, w = _quadrature()
    P = expit((X @ beta)[:, None] + sigma * x[None, :])
    log_none = np.zeros((war_index.max() + 1, len(x)))
    np.add.at(log_none, war_index, np.log1p(-np.minimum(P, 1 - 1e-15)))
    return float((P @ w).sum()), float(((1 - np.exp(log_none)) @ w).sum())


def calibrate(X: np.ndarray, beta: np.ndarray, war_index: np.ndarray, events: float, event_wars: int) -> dict:
    """Intercept shift c and war-effect sd sigma matching the observed events and wars with an event.

    sigma = 0 when independent outcomes already put the events in no more wars than observed."""
    def shift(sigma):
        return optimize.brentq(lambda c: expected_counts(X, beta + _e0(beta, c), war_index, sigma)[0] - events,
                               -40.0, 40.0, xtol=1e-10)

    def excess(sigma):
        return expected_counts(X, beta + _e0(beta, shift(sigma)), war_index, sigma)[1] - event_wars

    independent = excess(0.0) + event_wars
    sigma = 0.0 if excess(0.0) <= 0 else optimize.brentq(excess, 0.0, 5.0, xtol=1e-8)
    return {"c": shift(sigma), "sigma": sigma, "event_wars_if_independent": independent}


def _e0(beta, c):
    e = np.zeros_like(beta)
    e[0] = c
    return e


def batch_second_difference(params: np.ndarray, cov: np.ndarray, designs: list[np.ndarray]):
    """Second difference and its delta-method SE for a batch of logit fits: params (B, k), cov (B, k, k)."""
    est = np.zeros(len(params))
    grad = np.zeros_like(params)
    for Z, sign in zip(designs, SIGNS):
        p = expit(params @ Z.T)  # (B, n)
        est += sign * p.mean(axis=1)
        grad += sign * ((p * (1 - p)) @ Z) / Z.shape[0]
    se = np.sqrt(np.maximum(np.einsum("bi,bij,bj->b", grad, cov, grad), 0.0))
    return est, se


def power_curve(frame: pd.DataFrame, deltas, reps: int = 400, seed: int = 20131101, alpha: float = 0.05,
                formula: str | None = None) -> tuple[pd.DataFrame, dict]:
    """Power of the reported Firth test of the second difference for each target ``delta``.

    Returns the curve (delta, power one-sided and two-sided, simulated events and event wars, failed fits)
    and the calibration (c, sigma, the observed and the independent-outcome event wars).
    """
    from patsy import dmatrices

    from .estimators import formula_for
    from .penalised import penalised_newton

    formula = formula or formula_for("interaction", controls=frame.attrs.get("controls", True))
    y, X = dmatrices(formula, frame, return_type="dataframe")
    names = list(X.columns)
    X, yv = X.to_numpy(dtype=float), y.to_numpy(dtype=float).ravel()
    from .data import cluster_ids

    wars = cluster_ids(frame)  # the random effect's unit: the frame's cluster (war, or contributor)
    _, war_index = np.unique(wars, return_inverse=True)
    G = war_index.max() + 1
    designs = _cell_designs(X, names)
    base = penalised_newton(X, yv[None, :], np.ones((1, len(yv))), link="logit")
    beta = base.params[0]
    observed_wars = len(np.unique(wars[yv > 0]))
    cal = calibrate(X, beta, war_index, yv.sum(), observed_wars)
    beta = beta + _e0(beta, cal["c"])
    k = names.index(INTERACTION)
    rng = np.random.default_rng(seed)
    crit_one, crit_two = stats.norm.ppf(1 - alpha), stats.norm.ppf(1 - alpha / 2)
    rows = []
    for delta in deltas:
        def gap(b3):
            b = beta.copy()
            b[k] = b3
            return marginal_second_difference(b, designs, cal["sigma"]) - delta

        try:
            b3 = optimize.brentq(gap, -30.0, 30.0, xtol=1e-10)
        except ValueError:
            rows.append({"delta": delta, "power_one_sided": np.nan, "power_two_sided": np.nan, "reps": 0,
                         "note": "delta not attainable with this design"})
            continue
        b = beta.copy()
        b[k] = b3
        u = rng.normal(0.0, cal["sigma"], size=(reps, G))[:, war_index]
        Y = (rng.uniform(size=(reps, len(yv))) < expit(X @ b + u)).astype(float)
        fit = penalised_newton(X, Y, np.ones_like(Y), link="logit", start=b)  # warm start: the generating model
        est, se = batch_second_difference(fit.params, fit.cov, designs)
        ok = fit.converged & ~fit.failed & (se > 0)
        z = np.where(ok, est / np.where(se > 0, se, 1.0), np.nan)
        rows.append({"delta": delta, "power_one_sided": float(np.mean(ok & (z > crit_one))),
                     "power_two_sided": float(np.mean(ok & (np.abs(z) > crit_two))), "reps": reps,
                     "not_converged": int((~ok).sum()), "mean_events": float(Y.sum(axis=1).mean()),
                     "mean_event_wars": float(np.mean([len(np.unique(wars[r > 0])) for r in Y])), "note": ""})
    cal.update(observed_events=int(yv.sum()), observed_event_wars=observed_wars, reps=reps, seed=seed)
    return pd.DataFrame(rows), cal


def minimum_detectable(curve: pd.DataFrame, target: float = 0.8, column: str = "power_one_sided") -> float:
    """Smallest positive delta with power >= target on the grid (linear interpolation), or NaN."""
    sel = curve[curve.delta > 0].dropna(subset=[column]).sort_values("delta")
    hit = np.flatnonzero(sel[column].to_numpy() >= target)
    if len(hit) == 0:
        return float("nan")
    i = hit[0]
    if i == 0:
        return float(sel["delta"].iloc[0])
    x0, x1 = sel["delta"].iloc[i - 1], sel["delta"].iloc[i]
    p0, p1 = sel[column].iloc[i - 1], sel[column].iloc[i]
    return float(x0 + (target - p0) * (x1 - x0) / (p1 - p0))


def equivalence_bounds(estimate: float, std_error: float, alpha: float = 0.05) -> dict:
    """Two one-sided tests at ``alpha``: the data reject every delta below ``lower`` and above ``upper``
    (the 1 - 2 alpha interval); ``bound`` = max(|lower|, |upper|), the smallest equivalence margin shown."""
    z = stats.norm.ppf(1 - alpha)
    lower, upper = estimate - z * std_error, estimate + z * std_error
    return {"lower": float(lower), "upper": float(upper), "bound": float(max(abs(lower), abs(upper))),
            "level": 1 - 2 * alpha}
