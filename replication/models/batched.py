"""Newton-Raphson for many binary-response fits at once (logit, or cloglog with an offset), in numpy.

Why written here: statsmodels, scikit-learn, firthmodels and glum fit one model per call, and no
maintained library batches GLM refits across bootstrap replicates or specifications; one
statsmodels fit costs ~5 ms of Python overhead for ~50 microseconds of arithmetic. The trick that
makes batching cheap: a pairs cluster bootstrap resample is the original rows with frequency
weights (how often each row's war was drawn), so every replicate shares the design X and the R
Hessians X' diag(w_r h) X come out of one (R, n) x (n, k*k) matrix product.

The iteration is statsmodels' Newton (``Logit.fit(method="newton")``): full Newton steps on the
observed Hessian with statsmodels' ridge of 1e-10 on its diagonal, stopped when no coefficient moves
by more than ``tol``; in addition a step that lowers the log-likelihood is halved (statsmodels would
take it). Both log-likelihoods are concave in the linear predictor (the cloglog one too), so the
observed Hessian is negative semi-definite and Newton with step-halving climbs to the maximum when
it exists. At a converged fit the score is zero, and the ridge and the halving do not move that
point: the estimates equal statsmodels' to rounding (tests/test_batched.py checks 1e-8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

LINKS = ("logit", "cloglog")
RIDGE = 1e-10  # statsmodels' _fit_newton ridge_factor: keeps the Hessian invertible along a separating direction
MAX_HALVINGS = 30


@dataclass
class BatchFit:
    """Estimates of a batch of fits: ``params`` (B, k), and per fit ``converged``, ``iterations``,
    ``loglik`` and ``failed`` (no estimate: a singular Hessian; params are NaN)."""

    params: np.ndarray
    converged: np.ndarray
    iterations: np.ndarray
    loglik: np.ndarray
    failed: np.ndarray


def inverse_link(eta: np.ndarray, link: str) -> np.ndarray:
    """P(y = 1) from the linear predictor."""
    if link == "logit":
        return expit(eta)
    return -np.expm1(-np.exp(np.minimum(eta, 700.0)))


def _derivatives(eta: np.ndarray, y: np.ndarray, link: str):
    """Per-row log-likelihood and its first and second derivatives in the linear predictor."""
    if link == "logit":
        p = expit(eta)
        return y * eta - np.logaddexp(0.0, eta), y - p, -p * (1.0 - p)
    # cloglog: P(y=1) = 1 - exp(-mu), mu = exp(eta); log P(y=0) = -mu.
    mu = np.exp(np.clip(eta, -700.0, 700.0))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        a = np.where(mu > 0, mu / np.expm1(mu), 1.0)  # d log P(y=1) / d eta
        a = np.where(np.isfinite(a), a, 0.0)
        log_p1 = np.log(-np.expm1(-mu))
    ll = np.where(y > 0, log_p1, 0.0) - (1.0 - y) * mu
    d1 = y * a - (1.0 - y) * mu
    d2 = y * a * (1.0 - a - mu) - (1.0 - y) * mu  # d a / d eta = a (1 - a - mu)
    return ll, d1, d2


class _Design:
    """X shared by every fit (n, k), or one X per fit (B, n, k) padded with zero-weight rows."""

    def __init__(self, X: np.ndarray):
        self.X = np.asarray(X, dtype=float)
        self.shared = self.X.ndim == 2
        k = self.X.shape[-1]
        if self.shared:
            # Row outer products, flattened: the batch of Hessians is one matrix product.
            self.outer = np.einsum("ni,nj->nij", self.X, self.X).reshape(len(self.X), k * k)

    def eta(self, beta: np.ndarray, idx: np.ndarray) -> np.ndarray:
        if self.shared:
            return beta @ self.X.T
        return np.einsum("bnk,bk->bn", self.X[idx], beta)

    def score(self, v: np.ndarray, idx: np.ndarray) -> np.ndarray:
        if self.shared:
            return v @ self.X
        return np.einsum("bn,bnk->bk", v, self.X[idx])

    def gram(self, v: np.ndarray, idx: np.ndarray) -> np.ndarray:
        k = self.X.shape[-1]
        if self.shared:
            return (v @ self.outer).reshape(len(v), k, k)
        Xi = self.X[idx]
        return np.matmul(Xi.transpose(0, 2, 1), Xi * v[:, :, None])


def _rows(a, idx, shared_ndim: int):
    """The rows of a per-fit array (or the shared one) for the fits ``idx``."""
    a = np.asarray(a, dtype=float)
    return a if a.ndim < shared_ndim else a[idx]


def newton(X: np.ndarray, y: np.ndarray, weights: np.ndarray, *, link: str = "logit",
           offset: np.ndarray | None = None, start: np.ndarray | None = None, maxiter: int = 100,
           tol: float = 1e-8, separated: np.ndarray | None = None, flat: float = 1e-10) -> BatchFit:
    """Maximum-likelihood fits of B binary-response GLMs at once.

    X: (n, k) shared by all fits, or (B, n, k); y and offset: (n,) shared or (B, n); weights:
    (B, n) frequency weights (0 drops a row; padding rows of per-fit designs get 0). ``start``:
    (k,) or (B, k) -- a warm start (e.g. the full-sample estimate for bootstrap replicates).

    ``separated``: (B,) fits known to be separated (Konis check). Their ML estimate is infinite and
    Newton walks off along the separating direction; such a fit stops, not converged, once a step
    gains less than ``flat`` in log-likelihood: the fitted probabilities of the separated rows are
    then that close to their limits 0 or 1, and so are the average predictions computed from them.
    """
    if link not in LINKS:
        raise ValueError(f"link must be one of {LINKS}, got {link!r}")
    design = _Design(X)
    weights = np.asarray(weights, dtype=float)
    B, k = weights.shape[0], design.X.shape[-1]
    y = np.asarray(y, dtype=float)
    offset = np.zeros(weights.shape[1]) if offset is None else np.asarray(offset, dtype=float)
    beta = np.array(np.broadcast_to(np.zeros(k) if start is None else start, (B, k)), dtype=float)
    converged = np.zeros(B, bool)
    failed = np.zeros(B, bool)
    iterations = np.zeros(B, int)

    def loglik(b, idx):
        eta = design.eta(b, idx) + _rows(offset, idx, 2)
        return eta, _derivatives(eta, _rows(y, idx, 2), link)

    all_idx = np.arange(B)
    _, (ll_rows, D1, D2) = loglik(beta, all_idx)
    ll = (weights * ll_rows).sum(axis=1)
    active = np.ones(B, bool)
    for _ in range(maxiter):
        idx = np.flatnonzero(active)
        if len(idx) == 0:
            break
        w = weights[idx]
        g = design.score(w * D1[idx], idx)
        H = design.gram(-w * D2[idx], idx)
        H[:, np.arange(k), np.arange(k)] += RIDGE
        step, ok = _solve(H, g)
        failed[idx[~ok]] = True
        active[idx[~ok]] = False
        idx, step, w = idx[ok], step[ok], w[ok]
        ll_old = ll[idx]
        # Step-halving: never accept a step that lowers the log-likelihood (beyond rounding).
        new = beta[idx] + step
        _, (rows_new, d1_new, d2_new) = loglik(new, idx)
        ll_new = (w * rows_new).sum(axis=1)

        def worse(sub):
            return ~(ll_new[sub] >= ll_old[sub] - 1e-10 * np.maximum(1.0, np.abs(ll_old[sub])))

        bad = np.flatnonzero(worse(np.arange(len(idx))))
        for _ in range(MAX_HALVINGS):
            if len(bad) == 0:
                break
            step[bad] /= 2
            new[bad] = beta[idx[bad]] + step[bad]
            _, (rows_b, d1_b, d2_b) = loglik(new[bad], idx[bad])
            ll_new[bad] = (w[bad] * rows_b).sum(axis=1)
            d1_new[bad], d2_new[bad] = d1_b, d2_b
            bad = bad[worse(bad)]
        beta[idx], ll[idx], D1[idx], D2[idx] = new, ll_new, d1_new, d2_new
        iterations[idx] += 1
        done = np.abs(step).max(axis=1) <= tol
        converged[idx[done]] = True
        active[idx[done]] = False
        if separated is not None:
            active[idx[separated[idx] & (ll_new - ll_old < flat)]] = False
    beta[failed] = np.nan
    ll[failed] = np.nan
    return BatchFit(beta, converged, iterations, ll, failed)


def _solve(H: np.ndarray, g: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Newton steps H^-1 g for a stack; a singular H fails its own fit, not the batch."""
    try:
        return np.linalg.solve(H, g[:, :, None])[:, :, 0], np.ones(len(H), bool)
    except np.linalg.LinAlgError:
        step, ok = np.zeros_like(g), np.ones(len(H), bool)
        for i in range(len(H)):
            try:
                step[i] = np.linalg.solve(H[i], g[i])
            except np.linalg.LinAlgError:
                ok[i] = False
        return step, ok


def full_rank(X: np.ndarray, weights: np.ndarray, rtol: float = 1e-10) -> np.ndarray:
    """Whether the rows with positive weight have full column rank, per fit (X shared, weights (B, n)).

    From the eigenvalues of each fit's X'X over its rows (scaled to unit column norms), so the
    test is about the columns' span rather than their units; ``rtol`` is deliberately loose
    (rank-deficiency here is structural: a column constant or a copy of another in the resample).
    """
    design = _Design(X)
    present = (np.asarray(weights) > 0).astype(float)
    G = design.gram(present, np.arange(len(present)))
    d = np.sqrt(np.einsum("bii->bi", G))
    if np.any(d == 0):
        zero = (d == 0).any(axis=1)
    else:
        zero = np.zeros(len(G), bool)
    d = np.where(d == 0, 1.0, d)
    C = G / d[:, :, None] / d[:, None, :]
    eig = np.linalg.eigvalsh(C)
    return ~zero & (eig[:, 0] > rtol * eig[:, -1])


def cluster_cov(X: np.ndarray, scores: np.ndarray, bread: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """statsmodels' cluster-robust covariance (cov_type="cluster"): bread S bread with the
    small-sample factor G/(G-1) (N-1)/(N-K); ``scores`` are the per-row score contributions."""
    codes = np.unique(groups, return_inverse=True)[1]
    summed = np.zeros((codes.max() + 1, X.shape[1]))
    np.add.at(summed, codes, scores)
    n, k, g = len(X), X.shape[1], len(summed)
    return bread @ (summed.T @ summed) @ bread * (g / (g - 1) * (n - 1) / (n - k))
