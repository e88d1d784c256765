"""Firth's penalised logit fit and Konis's separation check, without statsmodels.

Kept apart from ``estimators`` so that the multiverse's worker processes, which need only these
and numpy, do not import statsmodels (about 1.5 s each)."""

from __future__ import annotations

import warnings

import numpy as np

FIRTH_TOL = 1e-8  # tighter (1e-9) makes firthmodels' constrained LR refits fail on step halving


def separation_check(X: np.ndarray, y: np.ndarray) -> dict:
    """Konis's LP check (firthmodels): is any ML coefficient infinite?"""
    from firthmodels import detect_separation

    if len(np.unique(y)) < 2:  # no events (or only events): the intercept's ML estimate is infinite
        return {"separation": True, "infinite_ml_terms": None}
    try:
        sep = detect_separation(X, y, fit_intercept=False)
    except np.linalg.LinAlgError:
        return {"separation": None, "infinite_ml_terms": None}  # rank-deficient design: reported, not hidden
    return {"separation": bool(sep.separation), "infinite_ml_terms": int((~np.asarray(sep.is_finite)).sum())}


# Largest remaining scoring step, in standard errors, accepted when firthmodels' own criterion
# stalls: scale-free, and far below what any table prints.
FIRTH_STEP_TOL = 1e-4


def firth_step(X: np.ndarray, y: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The Fisher-scoring step I(beta)^-1 U*(beta) from ``beta``, with Firth's modified score
    U* = X'(y - p + h (1/2 - p)) (Firth 1993; h: hat values of W^1/2 X), and the standard errors
    sqrt(diag I^-1). At the penalised maximum U* = 0; near it the step is proportional to the
    distance from it (scoring on U* converges linearly, so it measures the distance rather than
    being it). Computed from the QR decomposition of W^1/2 X, not from X'WX, whose condition
    number is the square of the design's (a cubic in time makes X'WX numerically singular)."""
    from scipy.linalg import qr, solve_triangular
    from scipy.special import expit

    p = expit(X @ beta)
    root_w = np.sqrt(p * (1 - p))
    q, r = qr(X * root_w[:, None], mode="economic")
    h = (q ** 2).sum(axis=1)
    # X' u = R' Q' (u / W^1/2), so I^-1 X' u = R^-1 Q' (u / W^1/2)
    step = solve_triangular(r, q.T @ ((y - p + h * (0.5 - p)) / root_w))
    r_inv = solve_triangular(r, np.eye(len(r)))
    return step, np.sqrt((r_inv ** 2).sum(axis=1))


def firth_fit(X: np.ndarray, y: np.ndarray):
    """firthmodels at tolerance FIRTH_TOL; returns (fitted model, converged).

    With badly scaled columns (the cubic in time, a graded index) firthmodels' step-halving can
    stall at the optimum before its own gradient criterion is met, and flags the fit unconverged.
    Such a fit is accepted when one more Fisher-scoring step on the modified score would move no
    coefficient by more than FIRTH_STEP_TOL of its standard error: a direct, scale-free check that
    it is the penalised maximum. (The earlier rule, agreement with a default-tolerance fit to 1e-6,
    rejected correct fits, because that fit is itself up to ~1e-4 off.)
    """
    from firthmodels import FirthLogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = FirthLogisticRegression(fit_intercept=False, gtol=FIRTH_TOL, xtol=FIRTH_TOL, max_iter=200).fit(X, y)
    if fit.converged_:
        return fit, True
    coef = np.asarray(fit.coef_, dtype=float)
    if not np.all(np.isfinite(coef)):
        return fit, False
    step, se = firth_step(X, y, coef)
    return fit, bool(np.all(np.abs(step) <= FIRTH_STEP_TOL * se))
