"""The multiverse (specification curve) of the interaction's second difference.

Choices (all crossed): outcome (defected / defected_strict), regime measure (Polity >= 6,
Polity >= 7, BMR), phase scheme (year / half), NMC version (4.0-7.0), definition of
favourable systemic conditions (index >= 3 of 4; the 0-4 index rescaled to 0-1; each
indicator dropped in turn, favourable = at least 2 of the other 3), and estimator (logit,
Firth, hazard, LPM): 2 x 3 x 2 x 4 x 6 x 4 = 1,152 specifications.

Each specification reports the second difference on the probability scale,
[P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)], with a delta-method 95% CI.
Estimation is written against the design matrix directly (statsmodels Logit/OLS with
war-clustered covariance; firthmodels) rather than through formulas or marginaleffects:
1,152 fits must finish within a minute on two cores, and formula parsing and
marginaleffects' polars round trips cost more than the fits themselves.

References
----------
Simonsohn, Simmons and Nelson (2020), "Specification Curve Analysis", *Nature Human Behaviour* 4.
Steegen, Tuerlinckx, Gelman and Vanpaemel (2016), "Increasing Transparency Through a Multiverse
Analysis", *Perspectives on Psychological Science* 11(5).
"""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pandas as pd

from .._progress import progress

CONDITIONS = ["outmatched", "symmetric", "common_adversary", "external_gt_internal"]
CHOICES = {
    "outcome": ["defected", "defected_strict"],
    "regime": ["polity>=6", "polity>=7", "bmr"],
    "scheme": ["year", "half"],
    "nmc_version": ["4.0", "5.0", "6.0", "7.0"],
    "systemic": ["index>=3", "index (0-1)"] + [f"drop {c}" for c in CONDITIONS],
    "estimator": ["logit", "firth", "hazard", "lpm"],
}


def _columns(panel: pd.DataFrame, outcome: str, regime: str, systemic: str) -> pd.DataFrame:
    cond = panel[CONDITIONS].astype("Float64").astype("float64")
    if systemic == "index>=3":
        fav = (cond.sum(axis=1, min_count=4) >= 3).astype(float).where(cond.notna().all(axis=1))
    elif systemic == "index (0-1)":
        fav = cond.sum(axis=1, min_count=4) / 4
    else:
        keep = [c for c in CONDITIONS if c != systemic.removeprefix("drop ")]
        fav = (cond[keep].sum(axis=1, min_count=3) >= 2).astype(float).where(cond[keep].notna().all(axis=1))
    if regime == "bmr":
        dem = panel["democracy_bmr"].astype("Float64").astype("float64")
    else:
        threshold = int(regime.split(">=")[1])
        p2 = panel["polity2_lag"].astype("Float64").astype("float64")
        dem = (p2 >= threshold).astype(float).where(p2.notna())
    t = panel["years_since_entry"].astype("float64")
    return pd.DataFrame({
        "y": panel[outcome].astype("float64"), "dem": dem, "fav": fav,
        "power_share": panel["power_share"].astype("float64"),
        "major_power": panel["major_power"].astype("Float64").astype("float64"),
        "log_days": np.log(panel["days_at_risk"].astype("float64")),
        "t": t, "t2": t ** 2, "t3": t ** 3, "war": panel["war_num"].astype("int64"),
    }).dropna().reset_index(drop=True)


def _design(d: pd.DataFrame, dem, fav, hazard: bool) -> np.ndarray:
    dem = np.broadcast_to(np.asarray(dem, float), len(d))
    fav = np.broadcast_to(np.asarray(fav, float), len(d))
    cols = [np.ones(len(d)), dem, fav, dem * fav, d["power_share"], d["major_power"], d["log_days"]]
    if hazard:
        cols += [d["t"], d["t2"], d["t3"]]
    return np.column_stack(cols)


def second_difference(d: pd.DataFrame, estimator: str) -> dict:
    """Estimate the second difference and its delta-method CI for one specification."""
    import statsmodels.api as sm
    from scipy.special import expit

    out = {"n": len(d), "events": int(d["y"].sum()), "n_clusters": int(d["war"].nunique())}
    if out["events"] < 2 or d["dem"].nunique() < 2 or d["fav"].nunique() < 2:
        return {**out, "status": "no variation"}
    hazard = estimator == "hazard"
    X = _design(d, d["dem"], d["fav"], hazard)
    y = d["y"].to_numpy()
    lo, hi = float(d["fav"].min()), float(d["fav"].max())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if estimator == "lpm":
                fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": d["war"].to_numpy()})
                # In the LPM the second difference is the interaction coefficient times the fav range.
                grad = np.zeros(X.shape[1])
                grad[3] = hi - lo
                est = float(fit.params @ grad)
                se = float(np.sqrt(grad @ fit.cov_params() @ grad))
                return {**out, "status": "ok", "estimate": est, "ci_low": est - 1.96 * se, "ci_high": est + 1.96 * se}
            if estimator == "firth":
                from firthmodels import FirthLogisticRegression

                model = FirthLogisticRegression(fit_intercept=False).fit(X, y)
                beta = model.coef_
                p = expit(X @ beta)
                # firthmodels exposes SEs only; the delta method needs the full covariance. We use
                # the inverse Fisher information at the Firth estimate, the usual approximation;
                # firthmodels' bse_ comes from the penalised Hessian and differs by a few percent.
                cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
                status = "ok" if model.converged_ else "not converged"
            else:
                fit = sm.Logit(y, X).fit(disp=0, maxiter=200, cov_type="cluster",
                                         cov_kwds={"groups": d["war"].to_numpy()})
                beta, cov = fit.params, fit.cov_params()
                status = "ok" if fit.mle_retvals.get("converged", False) else "not converged"
                if np.abs(beta).max() > 15:
                    status = "separation"
        except (np.linalg.LinAlgError, ValueError) as exc:
            return {**out, "status": f"failed: {type(exc).__name__}"}
    est, grad = 0.0, np.zeros(X.shape[1])
    for dem, fav, sign in ((1, hi, 1), (0, hi, -1), (1, lo, -1), (0, lo, 1)):
        Xc = _design(d, dem, fav, hazard)
        p = expit(Xc @ beta)
        est += sign * p.mean()
        grad += sign * ((p * (1 - p))[:, None] * Xc).mean(axis=0)
    se = float(np.sqrt(max(grad @ cov @ grad, 0.0)))
    return {**out, "status": status, "estimate": float(est), "ci_low": est - 1.96 * se, "ci_high": est + 1.96 * se}


def _panel_task(scheme: str, nmc_version: str) -> list[dict]:
    from ..panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = build_panel(scheme=scheme, nmc_version=nmc_version, validate=False)
    rows = []
    for outcome, regime, systemic, estimator in itertools.product(CHOICES["outcome"], CHOICES["regime"],
                                                                  CHOICES["systemic"], CHOICES["estimator"]):
        d = _columns(panel, outcome, regime, systemic)
        rows.append({"outcome": outcome, "regime": regime, "scheme": scheme, "nmc_version": nmc_version,
                     "systemic": systemic, "estimator": estimator, **second_difference(d, estimator)})
    return rows


def run_multiverse(n_jobs: int = 2) -> pd.DataFrame:
    """All specifications; one parallel task per (scheme, NMC version) panel (joblib)."""
    from joblib import Parallel, delayed

    tasks = list(itertools.product(CHOICES["scheme"], CHOICES["nmc_version"]))
    # return_as="generator": results arrive in task order, so the bar advances as panels finish.
    chunks = list(progress(Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_panel_task)(s, v) for s, v in tasks),
                           desc="multiverse panels", total=len(tasks)))
    out = pd.DataFrame([row for chunk in chunks for row in chunk])
    for c in ["estimate", "ci_low", "ci_high"]:
        if c not in out:
            out[c] = np.nan
    order = list(CHOICES)
    out = out.sort_values(order, key=lambda s: s.map({v: i for i, v in enumerate(CHOICES[s.name])}),
                          kind="stable", ignore_index=True)
    out.insert(0, "spec_id", range(1, len(out) + 1))
    return out
