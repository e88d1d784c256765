r"""Jeffreys-prior penalised binomial GLMs: Firth's logit and the Firth-type (Jeffreys) cloglog, one fit
(:func:`penalised_fit`, with penalised likelihood-ratio tests and profile penalised-likelihood CIs) or
many at once (:func:`penalised_newton`).

Why written here: no maintained Python library fits a Jeffreys-penalised cloglog (firthmodels
fits the logit and Cox models only; R's brglm2, ``brglmFit(type = "MPL_Jeffreys")``, does, but R is
not available here), and no library batches penalised GLM fits, which the power simulation, the
multiverse and the leave-one-war-out folds need by the thousand. For the logit the estimates equal
firthmodels' (= logistf's) and the published Heinze-Schemper values; for the cloglog they equal a
direct numerical maximisation of the penalised likelihood (tests/test_penalised.py).

Only numpy and scipy are imported (the multiverse's worker processes must not import statsmodels).

The model
---------
Binary (or proportion) responses y_i with frequency weights f_i, linear predictor
eta_i = x_i' beta + o_i (o the offset), mu_i = F(eta_i) with F the inverse link, mu' = dmu/deta and
V = mu (1 - mu). The estimate maximises the penalised log-likelihood

    l*(beta) = l(beta) + 1/2 log det I(beta),   l = sum_i f_i [y_i log mu_i + (1 - y_i) log(1 - mu_i)],
    I(beta) = X' W X,   W_i = f_i w_i,   w_i = mu_i'^2 / V_i

(I is the expected information; the penalty is the log of Jeffreys' prior). For the logit
w = mu (1 - mu), and l* is Firth's (1993) penalised likelihood; for the cloglog, mu = 1 - exp(-e^eta),
it is Kosmidis and Firth's (2021) maximum Jeffreys-penalised likelihood, brglm2's "MPL_Jeffreys".

The modified score (derivation)
-------------------------------
d l / d beta_r = sum_i f_i (y_i - mu_i) mu_i' / V_i x_ir. For the penalty, with d log det A = tr(A^-1 dA)
and dI/d beta_r = X' diag(dW_i/deta_i x_ir) X,

    d/d beta_r 1/2 log det I = 1/2 tr(I^-1 X' diag(dW_i/deta_i x_ir) X)
                             = 1/2 sum_i x_ir (dW_i/deta_i) x_i' I^-1 x_i
                             = 1/2 sum_i x_ir h_i (dW_i/deta_i) / W_i,

h_i = W_i x_i' I^-1 x_i the hat values of W^1/2 X (the diagonal of W^1/2 X I^-1 X' W^1/2). Hence

    U*_r = sum_i [ f_i (y_i - mu_i) mu_i' / V_i + 1/2 h_i g_i ] x_ir,   g_i = d log w_i / d eta_i.

The frequency weight multiplies the first term only: it is already inside h_i (and cancels in g_i,
since d log W_i / d eta = d log w_i / d eta). This is what fitting the expanded data set gives: a
row repeated f times has f copies each with hat value h_i / f. Per link:

* logit: mu' = V, so the first term is f (y - mu), w = mu (1 - mu), g = 1 - 2 mu, and
  U* = X'(f (y - mu) + h (1/2 - mu)), Firth's (1993) modified score;
* cloglog: with lambda = e^eta, mu' = lambda (1 - mu) and a = lambda / (e^lambda - 1)
  (= d log mu / d eta), (y - mu) mu'/V = y a - (1 - y) lambda, w = lambda a = lambda^2 / (e^lambda - 1),
  and g = d/deta [2 eta - log(e^lambda - 1)] = 2 - lambda - a.

The iteration
-------------
Newton-Raphson on l* with step-halving whenever a step lowers l* (beyond rounding), from R's glm
start. The Hessian of the penalty is exact (module functions ``_evaluate``/``penalised_newton``):

    d^2/dbeta_r dbeta_s 1/2 log det I = 1/2 tr(I^-1 I_rs) - 1/2 tr(I^-1 I_r I^-1 I_s),
    I_r = sum_i c_i x_ir x_i x_i',  I_rs = sum_i W_i (g_i^2 + dg_i) x_ir x_is x_i x_i',  c_i = W_i g_i,

so the first term is 1/2 X' diag(h (g^2 + dg)) X and the second needs no n x n matrix. Where
-Hessian is not positive definite (l* need not be concave) the step is Fisher scoring's,
I^-1 U* (logistf's and brglm2's iteration). Why not scoring throughout: for the cloglog the scoring
map contracts slowly or not at all near the estimate (outcome sets simulated from the hazard
design: spectral radius of its Jacobian at the estimate median 0.41 and up to 1.49 over 40 sets;
6% of 7,200 sets unconverged after 200 scoring steps), while Newton converges quadratically
(median 7 steps). Dropping the second penalty term (a cheaper Hessian) diverges.
tests/test_penalised.py checks the Newton step against a finite-difference Jacobian of U*.

Convergence is declared at a point where both (a) the next step moves no coefficient by more than
``tol`` of its standard error (firth.py's FIRTH_STEP_TOL criterion, scale-free; with quadratic
convergence the step is the distance to the estimate) and (b) the modified score is flat in
standard-error units: |U*_r| se_r <= ``tol`` for every r (the first-order change of l* when beta_r
moves by one SE; unlike a raw score bound it does not depend on the scale of the columns); the
Newton step computed there is still taken (it leaves a distance of order step^2). The linear
algebra works in coordinates where the information is well conditioned (QR of W^1/2 X for one fit,
of X for a batch), not on X'WX, whose condition number is the square of the design's (a cubic in
time makes X'WX numerically singular). Standard errors are sqrt(diag(I^-1)), the expected
information at the estimate (logistf's and brglm2's).

References
----------
Firth, D. (1993). Bias reduction of maximum likelihood estimates. *Biometrika* 80(1), 27-38.
Heinze, G. and Schemper, M. (2002). A solution to the problem of separation in logistic regression.
*Statistics in Medicine* 21, 2409-2419 (penalised LR tests and profile penalised-likelihood CIs).
Kosmidis, I. and Firth, D. (2021). Jeffreys-prior penalty, finiteness and shrinkage in
binomial-response generalized linear models. *Biometrika* 108(1), 71-82.
Kosmidis, I., Kenne Pagui, E. C. and Sartori, N. (2020). Mean and median bias reduction in
generalized linear models. *Statistics and Computing* 30, 43-59 (brglm2's quasi-Fisher scoring).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import qr
from scipy.linalg.lapack import dtrtri
from scipy.special import expit

from .batched import BatchFit
from .results import ModelWarning

LINKS = ("logit", "cloglog")
MAX_HALVINGS = 30
# A step is refused only if it lowers l* by more than rounding: near the optimum the gain of a
# correct step, ~(step in SE)^2, falls below the rounding of l* long before the criteria are met.
ROUNDING = 1e-10
# Inner fits of the LR tests and profiles: only their maximised l* is used, whose error is of the
# order of the squared distance from the maximum (in SEs), so 1e-7 SE leaves ~1e-14 in l*.
PROFILE_TOL = 1e-7
# Profile CIs: grid of a quarter Wald half-width, walked until the deviance has stayed above the
# critical value for 6 points (1.5 half-widths), at most 50 half-widths out.
PROFILE_PATIENCE, PROFILE_GRID = 6, 200


class PenalisedFitWarning(ModelWarning, RuntimeWarning):
    """A penalised fit did not converge, or a profile CI bound could not be found (a
    :class:`~replication.models.results.ModelWarning`; a RuntimeWarning as before)."""


# --- the links -----------------------------------------------------------------------------------

def inverse_link(eta: np.ndarray, link: str) -> np.ndarray:
    """mu = F(eta): expit for the logit, 1 - exp(-exp(eta)) for the cloglog."""
    if link == "logit":
        return expit(eta)
    return -np.expm1(-np.exp(np.minimum(eta, 700.0)))


def inverse_link_deriv(eta: np.ndarray, link: str) -> np.ndarray:
    """dmu/deta: mu (1 - mu) for the logit, exp(eta - exp(eta)) for the cloglog."""
    if link == "logit":
        p = expit(eta)
        return p * (1.0 - p)
    eta = np.minimum(eta, 700.0)
    return np.exp(eta - np.exp(eta))


def link_rows(eta: np.ndarray, y: np.ndarray, link: str):
    """Per row and unit weight: the log-likelihood l_i, its first and second derivatives in eta, the
    expected-information weight w = mu'^2/V, g = d log w / d eta and dg = dg/deta (see the module
    docstring)."""
    if link == "logit":
        p = expit(eta)
        v = p * (1.0 - p)
        return y * eta - np.logaddexp(0.0, eta), y - p, -v, v, 1.0 - 2.0 * p, -2.0 * v
    lam = np.exp(np.clip(eta, -700.0, 700.0))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        a = np.where(lam > 0, lam / np.expm1(lam), 1.0)  # lambda / (e^lambda - 1) = d log mu / d eta
        a = np.where(np.isfinite(a), a, 0.0)
        log_mu = np.log(-np.expm1(-lam))
    da = a * (1.0 - a - lam)  # d a / d eta
    ll = np.where(y > 0, y * log_mu, 0.0) - (1.0 - y) * lam
    return ll, y * a - (1.0 - y) * lam, y * da - (1.0 - y) * lam, lam * a, 2.0 - lam - a, -lam - da


def _check_link(link: str) -> None:
    if link not in LINKS:
        raise ValueError(f"link must be one of {LINKS}, got {link!r}")


# --- one fit -------------------------------------------------------------------------------------

@dataclass
class _Point:
    """Everything the iteration needs at one beta (for the free coefficients ``free``)."""

    beta: np.ndarray
    penalised: float
    loglik: float
    step: np.ndarray  # Newton step of the free coefficients (scoring's where -Hessian is not pos. definite)
    se: np.ndarray  # sqrt(diag(I_FF^-1))
    score: np.ndarray  # U*_F
    r: np.ndarray  # R of W^1/2 X (all columns): I = R'R

    def criteria(self) -> tuple[float, float]:
        return float(np.max(np.abs(self.step) / self.se, initial=0.0)), \
            float(np.max(np.abs(self.score) * self.se, initial=0.0))


def _evaluate(X, y, f, offset, link, beta, free) -> _Point | None:
    """l*, the step and SEs at ``beta``; None where I is singular or l* is not finite.

    Computed in the coordinates zeta = R beta, R from the QR decomposition W^1/2 X = Q R, in which
    the information is the identity: the design there is x~_i = q_i / W_i^1/2, U*_zeta = Q'(u / W^1/2)
    and the Hessian of l* is (module docstring, with c_i = dW_i/deta_i = W_i g_i)

        Q' diag(f l_i'' / W) Q + 1/2 Q' diag(h (g^2 + dg) / W) Q - 1/2 S,
        S_rs = tr(T_r T_s),  T_r = sum_i c_i x~_ir x~_i x~_i'

    (d^2/dbeta_r dbeta_s of 1/2 log det I = 1/2 tr(I^-1 I_rs) - 1/2 tr(I^-1 I_r I^-1 I_s), with
    I_r = sum_i c_i x_ir x_i x_i' and I_rs = sum_i W_i (g_i^2 + dg_i) x_ir x_is x_i x_i').
    """
    eta = X @ beta + offset
    ll, d1, d2, w, g, dg = link_rows(eta, y, link)
    W = f * w
    root = np.sqrt(W)
    q, r = qr(X * root[:, None], mode="economic")
    diag = np.abs(np.diag(r))
    if not np.all(diag > 1e-300) or not np.all(np.isfinite(r)):
        return None
    loglik = float(np.sum(f * ll))
    penalised = loglik + float(np.sum(np.log(diag)))  # 1/2 log det R'R
    if not np.isfinite(penalised):
        return None
    h = (q ** 2).sum(axis=1)
    u = f * d1 + 0.5 * h * g  # U* = X' u
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_root = np.where(root > 0, 1.0 / root, 0.0)
    qz = q.T @ (u * inv_root)  # U*_zeta; X' u = R' Q' (u / W^1/2)
    # minus the Hessian of l* in zeta
    n, k = q.shape
    v, c = _hessian_rows(f, d2, h, g, dg, inv_root ** 2), _finite(g * inv_root)
    T = (q * c[:, None]).T @ (q[:, :, None] * q[:, None, :]).reshape(n, k * k)  # (k, k^2)
    neg_hessian = q.T @ (q * v[:, None]) + 0.5 * (T @ T.T)
    # free coefficients: R_F = R[:, F] = q_f r_free, so I_FF = r_free' r_free and U*_F = r_free' q_f' U*_zeta
    q_f, r_free = np.linalg.qr(r[:, free])
    qz_f = q_f.T @ qz
    try:
        chol = np.linalg.cholesky(q_f.T @ neg_hessian @ q_f)
        direction = np.linalg.solve(chol.T, np.linalg.solve(chol, qz_f))
    except np.linalg.LinAlgError:
        direction = qz_f  # l* not concave here: Fisher scoring, I_FF^-1 U*_F
    r_inv = _triangular_inverse(r_free)
    step = r_inv @ direction
    se = np.sqrt((r_inv ** 2).sum(axis=1))
    score = r_free.T @ qz_f
    return _Point(beta, penalised, loglik, step, se, score, r)


def _finite(a: np.ndarray) -> np.ndarray:
    """0 where a row's term is not finite: rows whose fitted probability is 1 or 0 to machine precision
    (lambda = e^eta beyond ~1e154), where the exact term tends to 0 but is computed as inf * 0."""
    return np.where(np.isfinite(a), a, 0.0)


def _hessian_rows(f, d2, h, g, dg, scale=1.0):
    """Row weights of the diagonal part of -Hessian(l*): -f l'' - h (g^2 + dg) / 2 (times ``scale``)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite((-f * d2 - 0.5 * h * (g ** 2 + dg)) * scale)


def _triangular_inverse(r: np.ndarray) -> np.ndarray:
    """R^-1 of an upper-triangular R (LAPACK dtrtri: scipy's solve_triangular costs ~0.3 ms a call here)."""
    inv, info = dtrtri(r, lower=0)
    if info != 0:
        raise np.linalg.LinAlgError(f"singular triangular factor (dtrtri info {info})")
    return inv


def _scoring(X, y, f, offset, link, start, free, tol, maxiter):
    """Newton-Raphson on l* with step-halving, over the coefficients ``free`` (the others stay at
    their values in ``start``). Returns (point, converged, iterations)."""
    point = _evaluate(X, y, f, offset, link, start, free)
    if point is None:
        return None, False, 0
    for iteration in range(maxiter + 1):
        step_se, score_se = point.criteria()
        full = np.zeros_like(point.beta)
        full[free] = point.step
        floor = point.penalised - ROUNDING * max(1.0, abs(point.penalised))
        if step_se <= tol and score_se <= tol:
            # Converged; the last (tiny) Newton step is still taken: it leaves ~step^2 instead of ~step.
            new = _evaluate(X, y, f, offset, link, point.beta + full, free)
            return (new if new is not None and new.penalised >= floor else point), True, iteration
        if iteration == maxiter:
            break
        for _ in range(MAX_HALVINGS + 1):
            new = _evaluate(X, y, f, offset, link, point.beta + full, free)
            if new is not None and new.penalised >= floor:
                break
            full = full / 2
        else:
            return point, False, iteration  # no step raises l*: stalled short of the criteria
        point = new
    return point, False, maxiter


def link_function(mu: np.ndarray, link: str) -> np.ndarray:
    """eta = F^-1(mu)."""
    return np.log(mu / (1.0 - mu)) if link == "logit" else np.log(-np.log1p(-mu))


def glm_start(X: np.ndarray, y: np.ndarray, f: np.ndarray, offset: np.ndarray, link: str) -> np.ndarray:
    """R's glm.fit start for a binomial GLM: mu0 = (f y + 1/2) / (f + 1), then one weighted least-squares
    step on the working response eta0 - offset + (y - mu0) / mu0'. Unlike beta = 0 it respects the
    offset (with log exposures of hundreds of days, beta = 0 puts every fitted probability at 1)."""
    mu0 = (f * y + 0.5) / (f + 1.0)
    eta0 = link_function(mu0, link)
    d = inverse_link_deriv(eta0, link)
    z = eta0 - offset + (y - mu0) / d
    root = np.sqrt(f * d ** 2 / (mu0 * (1.0 - mu0)))
    return np.linalg.lstsq(X * root[:, None], z * root, rcond=None)[0]


def _validated(X, y, weights, offset):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).ravel()
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D design matrix (n, k); got shape {X.shape}")
    n = len(X)
    if len(y) != n:
        raise ValueError(f"y has {len(y)} rows but X has {n}")
    f = np.ones(n) if weights is None else np.asarray(weights, dtype=float).ravel()
    o = np.zeros(n) if offset is None else np.asarray(offset, dtype=float).ravel()
    for name, a in (("weights", f), ("offset", o)):
        if len(a) != n:
            raise ValueError(f"{name} has {len(a)} rows but X has {n}")
    for name, a in (("X", X), ("y", y), ("weights", f), ("offset", o)):
        bad = np.flatnonzero(~np.isfinite(a).reshape(n, -1).all(axis=1))
        if len(bad):
            raise ValueError(f"{name} has missing or infinite values in rows {bad[:5].tolist()}: drop those rows first")
    bad = np.flatnonzero((y < 0) | (y > 1))
    if len(bad):
        raise ValueError(f"y must lie in [0, 1] (events, or the proportion of events with weights the trials); "
                         f"rows {bad[:5].tolist()} do not")
    bad = np.flatnonzero(f < 0)
    if len(bad):
        raise ValueError(f"weights must be non-negative; rows {bad[:5].tolist()} are negative")
    keep = f > 0  # a zero weight drops the row
    X, y, f, o = X[keep], y[keep], f[keep], o[keep]
    norms = np.linalg.norm(X, axis=0)
    rank = np.linalg.matrix_rank(X / np.where(norms > 0, norms, 1.0)) if np.all(norms > 0) else None
    if rank is None or rank < X.shape[1]:
        raise ValueError(f"the design (rows with positive weight) is rank-deficient ({X.shape[1]} columns"
                         f"{'' if rank is None else f', rank {rank}'}): drop a constant or collinear column")
    return X, y, f, o


@dataclass
class PenalisedFit:
    """Result of :func:`penalised_fit`.

    coef, cov = I(beta)^-1 at the estimate (model-based; the logistf/brglm2 covariance), bse,
    loglik_penalised = l + 1/2 log det I (as logistf's and firthmodels' ``loglik``), loglik = l,
    converged, iterations, and the two convergence measures at the estimate (largest remaining
    step in SEs, largest |U*_r| se_r). :meth:`lr_test` and :meth:`profile_ci` give
    penalised-likelihood inference.
    """

    coef: np.ndarray
    cov: np.ndarray
    bse: np.ndarray
    loglik_penalised: float
    loglik: float
    converged: bool
    iterations: int
    link: str
    step_se: float
    score_se: float
    _data: tuple = field(repr=False)
    _tol: float = field(repr=False, default=1e-8)
    _maxiter: int = field(repr=False, default=200)

    def _profile(self, j: int, value: float, start: np.ndarray | None = None):
        """Maximum of l* with coef[j] fixed at ``value`` (the penalty keeps the full design, as in
        logistf: the constrained model is the same model, not the one without column j)."""
        X, y, f, o = self._data
        free = np.ones(len(self.coef), bool)
        free[j] = False
        beta = (self.coef if start is None else start).copy()
        beta[j] = value
        tol, maxiter = min(self._tol, PROFILE_TOL), max(self._maxiter, 200)
        point, converged, _ = _scoring(X, y, f, o, self.link, beta, free, tol, maxiter)
        if point is None or not converged:  # far from the estimate: from the glm start given coef[j] = value
            beta[free] = glm_start(X[:, free], y, f, o + value * X[:, j], self.link)
            point, converged, _ = _scoring(X, y, f, o, self.link, beta, free, tol, maxiter)
        return point if converged else None

    def lr_test(self) -> tuple[np.ndarray, np.ndarray]:
        """Penalised likelihood-ratio statistics and p-values (chi-square, 1 df) of coef[j] = 0 for
        every j, each from a refit with that coefficient fixed at 0 (logistf's test; Heinze and
        Schemper 2002). A refit that does not converge gives NaN and a warning."""
        from scipy import stats

        chi2 = np.full(len(self.coef), np.nan)
        for j in range(len(self.coef)):
            point = self._profile(j, 0.0)
            if point is None:
                warnings.warn(f"penalised LR test of coefficient {j}: the refit with it fixed at 0 failed (singular "
                              "information or no convergence, also from the glm start); its p-value is NaN",
                              PenalisedFitWarning, stacklevel=2)
                continue
            chi2[j] = max(0.0, 2.0 * (self.loglik_penalised - point.penalised))
        return chi2, stats.chi2.sf(chi2, 1)

    def profile_ci(self, alpha: float = 0.05) -> np.ndarray:
        """Profile penalised-likelihood CIs (k, 2): for each coefficient, the values b where the
        profile deviance 2 (l*(beta_hat) - max l* given coef = b) reaches the chi-square(1) 1 - alpha
        quantile (Heinze and Schemper 2002; logistf's and firthmodels' ``method="pl"``).

        Each side is walked out from the estimate on a grid of a quarter of the Wald half-width,
        every constrained fit warm-started from the previous one, until the deviance has stayed
        above the critical value for :data:`PROFILE_PATIENCE` grid points; the bound is the last
        upward crossing before that, refined by Brent's method. Why not a root search from the
        Wald bound: l* need not be unimodal in the other coefficients, and the profile (the
        highest maximum) can exceed the critical value on one local branch and fall back on another
        (the hazard's coefficient of t on the panel), so the first crossing of a local branch is
        not a bound. Where the walk saw the deviance fall back below the critical value the bound is
        the outer crossing (the interval is then the hull of the set) and a warning says so. A side
        that is not crossed within :data:`PROFILE_GRID` grid points is -inf/+inf, and a constrained
        fit that fails makes the bound NaN, each with a :class:`PenalisedFitWarning`.
        """
        from scipy import stats

        crit = stats.chi2.ppf(1 - alpha, 1)
        half = stats.norm.ppf(1 - alpha / 2)
        out = np.full((len(self.coef), 2), np.nan)
        for j in range(len(self.coef)):
            for side, col in ((-1.0, 0), (1.0, 1)):
                out[j, col] = self._bound(j, side, crit, half)
        return out

    def _bound(self, j: int, side: float, crit: float, half: float) -> float:
        from scipy import optimize

        def excess(b: float, start: np.ndarray):
            point = self._profile(j, b, start=start)
            if point is None:
                raise _ProfileFailed
            return 2.0 * (self.loglik_penalised - point.penalised) - crit, point.beta

        grid = half * self.bse[j] / 4
        previous = (self.coef[j], -crit, self.coef)
        before = None  # the grid point before ``previous``: the warm start extrapolates linearly from both
        crossing, above, dipped = None, 0, False
        try:
            for m in range(1, PROFILE_GRID + 1):
                b = self.coef[j] + side * m * grid
                e, beta = excess(b, previous[2] if before is None else 2 * previous[2] - before[2])
                if e > 0:
                    if previous[1] <= 0:
                        crossing = (previous, (b, e, beta))
                    above += 1
                    if above >= PROFILE_PATIENCE:
                        break
                else:
                    dipped |= above > 0
                    above = 0
                before, previous = previous, (b, e, beta)
            else:
                if above == 0:
                    warnings.warn(f"profile CI of coefficient {j}: the profile deviance does not reach the critical "
                                  f"value within {PROFILE_GRID // 4} Wald half-widths; bound set to {side * np.inf}",
                                  PenalisedFitWarning, stacklevel=3)
                    return side * np.inf
            (b_in, _, beta_in), (b_out, _, beta_out) = crossing

            def between(b: float) -> float:  # warm start interpolated between the bracketing grid fits
                return excess(b, beta_in + (b - b_in) / (b_out - b_in) * (beta_out - beta_in))[0]

            bound = optimize.brentq(between, min(b_in, b_out), max(b_in, b_out), xtol=1e-10 * max(1.0, abs(b_out)),
                                    rtol=1e-12)
        except _ProfileFailed:
            warnings.warn(f"profile CI of coefficient {j}: a constrained refit failed; bound is NaN",
                          PenalisedFitWarning, stacklevel=3)
            return np.nan
        if dipped:
            warnings.warn(f"profile CI of coefficient {j} ({'lower' if side < 0 else 'upper'} bound): the profile "
                          "deviance exceeded the critical value and fell back below it (the penalised likelihood has "
                          "more than one local maximum in the other coefficients); the bound is the outer crossing",
                          PenalisedFitWarning, stacklevel=3)
        return float(bound)


class _ProfileFailed(Exception):
    pass


def penalised_fit(X, y, *, link: str = "logit", offset=None, weights=None, tol: float = 1e-8,
                  maxiter: int = 200, start=None) -> PenalisedFit:
    """Maximum Jeffreys-penalised likelihood fit of a binomial GLM (logit: Firth 1993; cloglog:
    Kosmidis and Firth 2021, brglm2's ``type = "MPL_Jeffreys"``).

    Parameters
    ----------
    X : (n, k) design, full column rank on the rows with positive weight (an intercept, if wanted,
        is a column of ones).
    y : (n,) events (0/1), or proportions in [0, 1] with ``weights`` the numbers of trials.
    link : "logit" or "cloglog".
    offset : (n,) added to the linear predictor (e.g. log exposure), or None.
    weights : (n,) non-negative frequency weights (a row with weight m counts as m copies of it;
        0 drops it), or None.
    tol : convergence tolerance in standard-error units (see the module docstring): the estimate
        is returned when one more Newton step would move no coefficient by more than ``tol`` SE
        and |U*_r| se_r <= ``tol`` for every coefficient.
    maxiter : largest number of Newton steps; a fit that stops short is returned with
        ``converged`` False and a :class:`PenalisedFitWarning`.
    start : (k,) starting values (default: :func:`glm_start`, R's glm start).

    Returns
    -------
    PenalisedFit

    Raises
    ------
    ValueError : bad input (shape, missing values, y outside [0, 1], negative weights,
        rank-deficient design), with the rows concerned.
    """
    _check_link(link)
    X, y, f, o = _validated(X, y, weights, offset)
    k = X.shape[1]
    beta0 = glm_start(X, y, f, o, link) if start is None else np.asarray(start, dtype=float).copy()
    point, converged, iterations = _scoring(X, y, f, o, link, beta0, np.ones(k, bool), tol, maxiter)
    if point is None:
        raise ValueError("the penalised likelihood is not finite at the starting values (all fitted probabilities "
                         "at 0 or 1): pass finite, moderate ``start`` values")
    step_se, score_se = point.criteria()
    if not converged:
        warnings.warn(f"penalised_fit ({link}): not converged after {iterations} Newton steps (remaining step "
                      f"{step_se:.1e} SE, score x SE {score_se:.1e}; tol {tol:g})", PenalisedFitWarning,
                      stacklevel=2)
    r_inv = _triangular_inverse(point.r)
    cov = r_inv @ r_inv.T  # (R'R)^-1 = I^-1
    return PenalisedFit(point.beta, cov, np.sqrt(np.diag(cov)), point.penalised, point.loglik, converged,
                        iterations, link, step_se, score_se, (X, y, f, o), tol, maxiter)


# --- many fits at once ---------------------------------------------------------------------------

@dataclass
class PenalisedBatchFit(BatchFit):
    """:class:`~replication.models.batched.BatchFit` of penalised fits: ``params`` (B, k),
    ``loglik`` the plain log-likelihood l, and in addition ``penalised_loglik`` (l + 1/2 log det I)
    and ``cov`` (B, k, k), I^-1 at each estimate."""

    penalised_loglik: np.ndarray = None
    cov: np.ndarray = None


def penalised_newton(X: np.ndarray, Y: np.ndarray, weights: np.ndarray, *, link: str = "logit",
                     offset: np.ndarray | None = None, start: np.ndarray | None = None, maxiter: int = 100,
                     tol: float = 1e-8) -> PenalisedBatchFit:
    """B Jeffreys-penalised fits at once (the iteration and convergence rule of :func:`penalised_fit`).

    Why hand-written: no library batches penalised GLM fits (firthmodels fits one model per call,
    with ~ms of overhead each), and the simulations refit thousands of outcome sets.

    X: (n, k) shared by all fits, or (B, n, k) (padding rows of per-fit designs get weight 0).
    Y and offset: (n,) shared or (B, n). weights: (B, n) frequency weights. start: (k,) or (B, k)
    (default: R's glm start of each fit, :func:`glm_start`).

    The design is first orthonormalised (X = Q R0; the fits run on Q with gamma = R0 beta): the
    penalised likelihood depends on beta only through X beta and, up to the constant log|det R0|,
    through log det I, so the estimates are the same, and X'WX of a design with a cubic in time is
    no longer numerically singular. Per fit, I = Q'WQ (one (B, n) x (n, k^2) product for a shared
    design) and its Cholesky factor L give I^-1 and log det I; the hat values are
    h_i = W_i q_i' I^-1 q_i, i.e. W times (B, k^2) x (k^2, n); the penalty's Hessian needs
    T_r = sum_i c_i q_ir q_i q_i' ((B, n) x (n, k^3)) and tr(I^-1 T_r I^-1 T_s), computed as inner
    products of L^-1 T_r L^-T. No n x n matrix is formed.

    A fit whose information is singular (rows with positive weight not of full rank) is ``failed``
    (NaN); one that does not meet the criteria in ``maxiter`` steps, or stalls, is not ``converged``.
    """
    _check_link(link)
    X = np.asarray(X, dtype=float)
    weights = np.asarray(weights, dtype=float)
    shared = X.ndim == 2
    B, n = weights.shape
    k = X.shape[-1]
    Y = np.asarray(Y, dtype=float)
    offset = np.zeros(n) if offset is None else np.asarray(offset, dtype=float)
    Q, R = np.linalg.qr(X)  # (n, k), (k, k) or stacked
    diag_r = np.abs(np.diagonal(R, axis1=-2, axis2=-1))
    ranked = np.all(diag_r > 1e-12 * np.max(diag_r, axis=-1, keepdims=True), axis=-1)
    if shared and not ranked:
        raise ValueError(f"the shared design has rank < {k} columns: drop a collinear column")
    R_b = np.broadcast_to(R, (B, k, k)) if shared else R
    ok_r = np.ones(B, bool) if shared else ranked.copy()
    R_inv = np.zeros((B, k, k))
    R_inv[ok_r] = np.linalg.inv(R_b[ok_r])
    log_det_r = np.where(ok_r, np.log(np.where(ok_r[:, None], np.broadcast_to(diag_r, (B, k)), 1.0)).sum(axis=1),
                         np.nan)
    if shared:
        outer2 = np.einsum("ni,nj->nij", Q, Q).reshape(n, k * k)
        # T is symmetric in its three indices: the product is taken over the k(k+1)(k+2)/6 distinct
        # triples only (4.4 times fewer columns for k = 9) and spread out afterwards
        triples = np.array([(i, j, l) for i in range(k) for j in range(i, k) for l in range(j, k)])
        outer3 = Q[:, triples[:, 0]] * Q[:, triples[:, 1]] * Q[:, triples[:, 2]]
        position = {tuple(t): c for c, t in enumerate(triples)}
        spread = np.array([position[tuple(sorted((i, j, l)))] for i in range(k) for j in range(k) for l in range(k)])

    def rows(a, idx):
        return a if a.ndim == 1 else a[idx]

    if start is None:  # glm_start for every fit: one weighted least-squares step, batched
        mu0 = (weights * Y + 0.5) / (weights + 1.0)
        eta0 = link_function(mu0, link)
        d = inverse_link_deriv(eta0, link)
        z = eta0 - offset + (Y - mu0) / d
        v = weights * d ** 2 / (mu0 * (1.0 - mu0))
        Qs = Q if not shared else None
        gram0 = (v @ outer2).reshape(B, k, k) if shared else np.matmul(Qs.transpose(0, 2, 1), Qs * v[:, :, None])
        rhs = (v * z) @ Q if shared else np.einsum("bn,bnk->bk", v * z, Qs)
        gram0[~ok_r] = np.eye(k)
        try:
            gamma = np.linalg.solve(gram0, rhs[:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:  # a resample without full rank: it fails below; start it at 0
            gamma = np.zeros((B, k))
            for b in np.flatnonzero(ok_r):
                try:
                    gamma[b] = np.linalg.solve(gram0[b], rhs[b])
                except np.linalg.LinAlgError:
                    pass
    else:
        beta0 = np.array(np.broadcast_to(start, (B, k)), dtype=float)
        gamma = np.einsum("bij,bj->bi", R_b, beta0)

    def evaluate(g, idx):
        """At ``g`` for the fits ``idx``: l*, l, the step (Newton, or scoring where l* is not concave),
        I^-1 and U* (gamma scale); ``bad``: information not positive definite or l* not finite."""
        m = len(idx)
        Qi = None if shared else Q[idx]
        eta = (g @ Q.T if shared else np.einsum("bnk,bk->bn", Qi, g)) + rows(offset, idx)
        ll, d1, d2, w, gl, dg = link_rows(eta, rows(Y, idx), link)
        f = weights[idx]
        W = f * w

        def gram(v):  # Q' diag(v) Q per fit
            return (v @ outer2).reshape(m, k, k) if shared else np.matmul(Qi.transpose(0, 2, 1), Qi * v[:, :, None])

        chol, bad = _cholesky(gram(W))
        chol_inv = np.linalg.inv(chol)
        info_inv = np.matmul(chol_inv.transpose(0, 2, 1), chol_inv)
        h = W * (info_inv.reshape(m, k * k) @ outer2.T if shared
                 else np.einsum("bnk,bkl,bnl->bn", Qi, info_inv, Qi))
        u = f * d1 + 0.5 * h * gl
        score = u @ Q if shared else np.einsum("bn,bnk->bk", u, Qi)
        loglik = np.where(f > 0, f * ll, 0.0).sum(axis=1)
        penalised = loglik + np.log(np.abs(np.diagonal(chol, axis1=1, axis2=2))).sum(axis=1)
        bad |= ~np.isfinite(penalised)
        # minus the Hessian of l*: Q' diag(-f l'' - h (g^2 + dg) / 2) Q + S / 2, S_rs = tr(I^-1 T_r I^-1 T_s)
        c = _finite(W * gl)
        if shared:
            T = np.take(c @ outer3, spread, axis=1).reshape(m, k, k * k)
        else:  # (c q_i)' times the rows' q q' as one batched matmul: twice as fast as the einsum
            outer = (Qi[:, :, :, None] * Qi[:, :, None, :]).reshape(m, n, k * k)
            T = np.matmul((c[:, :, None] * Qi).transpose(0, 2, 1), outer)
        # M[b, a, r, d] = (I^-1 T_r)_ad (T[b, c, (r, d)] = (T_r)_cd by symmetry); S_rs = sum_ad M_r,ad M_s,da
        M = np.matmul(info_inv, T).reshape(m, k, k, k)
        S = np.matmul(M.transpose(0, 2, 1, 3).reshape(m, k, k * k), M.transpose(0, 2, 3, 1).reshape(m, k, k * k)
                      .transpose(0, 2, 1))
        neg_hessian = gram(_hessian_rows(f, d2, h, gl, dg)) + 0.5 * S
        newton_chol, concave_fail = _cholesky(neg_hessian)
        newton = _cho_solve(newton_chol, score)
        scoring = np.einsum("bij,bj->bi", info_inv, score)
        step = np.where(concave_fail[:, None], scoring, newton)
        return {"pen": penalised, "ll": loglik, "step": step, "inv": info_inv, "score": score, "bad": bad}

    converged = np.zeros(B, bool)
    failed = ~ok_r
    iterations = np.zeros(B, int)
    pen, ll = np.full(B, np.nan), np.full(B, np.nan)
    step, inv, score = np.zeros((B, k)), np.zeros((B, k, k)), np.zeros((B, k))

    def store(idx, state, sel):
        pen[idx], ll[idx], step[idx] = state["pen"][sel], state["ll"][sel], state["step"][sel]
        inv[idx], score[idx] = state["inv"][sel], state["score"][sel]

    idx = np.flatnonzero(ok_r)
    first = evaluate(gamma[idx], idx)
    store(idx, first, slice(None))
    failed[idx[first["bad"]]] = True
    active = ~failed
    for iteration in range(maxiter + 1):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        # the criteria on the scale of beta: step R0^-1 step_gamma, cov R0^-1 I^-1 R0^-T, U*_beta = R0' U*_gamma
        cov = np.matmul(np.matmul(R_inv[idx], inv[idx]), R_inv[idx].transpose(0, 2, 1))
        # a refit whose information is not positive definite has a negative variance: its se is NaN,
        # so the criteria below are False and it ends "not converged" (reported), not silently
        with np.errstate(invalid="ignore"):
            se = np.sqrt(np.einsum("bii->bi", cov))
        step_se = np.max(np.abs(np.einsum("bij,bj->bi", R_inv[idx], step[idx])) / se, axis=1)
        score_se = np.max(np.abs(np.einsum("bji,bj->bi", R_b[idx], score[idx])) * se, axis=1)
        done = (step_se <= tol) & (score_se <= tol)
        converged[idx[done]] = True
        active[idx[done]] = False
        if done.any():  # the last (tiny) Newton step is still taken: it leaves ~step^2 instead of ~step
            fin = idx[done]
            trial = evaluate(gamma[fin] + step[fin], fin)
            accept = ~trial["bad"] & (trial["pen"] >= pen[fin] - ROUNDING * np.maximum(1.0, np.abs(pen[fin])))
            gamma[fin[accept]] += step[fin[accept]]
            store(fin[accept], trial, accept)
        idx = idx[~done]
        if len(idx) == 0 or iteration == maxiter:
            break
        full = step[idx].copy()
        floor = pen[idx] - ROUNDING * np.maximum(1.0, np.abs(pen[idx]))
        pending = np.arange(len(idx))
        for _ in range(MAX_HALVINGS + 1):
            trial = evaluate(gamma[idx[pending]] + full[pending], idx[pending])
            accept = ~trial["bad"] & (trial["pen"] >= floor[pending])
            acc = pending[accept]
            gamma[idx[acc]] += full[acc]
            store(idx[acc], trial, accept)
            iterations[idx[acc]] += 1
            pending = pending[~accept]
            if len(pending) == 0:
                break
            full[pending] /= 2
        active[idx[pending]] = False  # stalled: no step raises l*; left unconverged
    params = np.einsum("bij,bj->bi", R_inv, gamma)
    cov = np.matmul(np.matmul(R_inv, inv), R_inv.transpose(0, 2, 1))
    penalised = pen + log_det_r  # 1/2 log det X'WX = 1/2 log det Q'WQ + log |det R0|
    params[failed], cov[failed], ll[failed], penalised[failed] = np.nan, np.nan, np.nan, np.nan
    return PenalisedBatchFit(params, converged & ~failed, iterations, ll, failed, penalised_loglik=penalised, cov=cov)


def _cho_solve(chol: np.ndarray, b: np.ndarray) -> np.ndarray:
    """A^-1 b for a stack, from A's lower Cholesky factors."""
    inv = np.linalg.inv(chol)
    return np.einsum("bji,bj->bi", inv, np.einsum("bij,bj->bi", inv, b))


def _cholesky(matrices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower Cholesky factors of a stack; a matrix that is not positive definite (or not finite) fails
    its own fit (identity factor, flagged), not the batch. numpy's stacked Cholesky raises for the
    whole stack, so when it does the stack is screened by the smallest eigenvalue and factored again."""
    k = matrices.shape[1]
    bad = ~np.isfinite(matrices).all(axis=(1, 2))
    safe = np.where(bad[:, None, None], np.eye(k), matrices)
    try:
        return np.linalg.cholesky(safe), bad
    except np.linalg.LinAlgError:
        pass
    eig = np.linalg.eigvalsh(safe)
    bad |= ~(eig[:, 0] > 1e-13 * np.maximum(eig[:, -1], 1e-300))
    safe[bad] = np.eye(k)
    try:
        return np.linalg.cholesky(safe), bad
    except np.linalg.LinAlgError:  # a borderline matrix the screen let through
        out = np.empty_like(safe)
        for i in range(len(safe)):
            try:
                out[i] = np.linalg.cholesky(safe[i])
            except np.linalg.LinAlgError:
                out[i], bad[i] = np.eye(k), True
        return out, bad
