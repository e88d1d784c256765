"""Small-sample cluster-robust covariances for least squares: CR1, CR2 (Bell-McCaffrey), CR3
(jackknife), and the Satterthwaite and Imbens-Kolesar degrees of freedom for a contrast.

Why by hand: no maintained Python library computes CR2 or its degrees of freedom. pyfixest (0.60)
has CRV1 and CRV3 only, linearmodels and statsmodels have CR1-type cluster covariances only, and
no PyPI package implements clubSandwich's CR2 with its Satterthwaite test or Kolesar's dfadjust
(both are R packages). So CR2 and the two degrees-of-freedom formulas are written here and tested
against closed forms and independent computations (tests/test_fewclusters.py). CR1 is the
statsmodels/Stata/pyfixest one; CR3 equals pyfixest's CRV3 with ``ssc(k_adj=False, G_adj=False)``.

Notation (clubSandwich's and Pustejovsky and Tipton 2018's): y = X b + e, clusters g = 1..G with
n_g rows, N rows, K columns. M = (X'X)^-1, H = X M X' (the hat matrix), H_gg its block for
cluster g, e_g the OLS residuals of cluster g, I the identity.

* CR0: V0 = M [sum_g X_g' e_g e_g' X_g] M.
* CR1 (Stata's ``regress, vce(cluster)``, fixest/pyfixest's default): G/(G-1) (N-1)/(N-K) V0.
* CR2 (Bell and McCaffrey 2002; Pustejovsky and Tipton 2018, "CR2"):
  V2 = M [sum_g X_g' A_g e_g e_g' A_g X_g] M, A_g = (I - H_gg)^(-1/2), the symmetric inverse
  square root (Moore-Penrose when I - H_gg is singular, as clubSandwich and dfadjust do). V2 is
  unbiased when the errors are independent and homoskedastic (the "working model").
* CR3 (clubSandwich's "CR3"): A_g = (I - H_gg)^-1 in the same formula, which equals the
  leave-one-cluster-out jackknife sum sum_g (b_(-g) - b)(b_(-g) - b)', because
  b_(-g) - b = -M X_g' (I - H_gg)^-1 e_g. No (G-1)/G factor (MacKinnon, Nielsen and Webb 2023's
  CV3 has one) and no CR1 factor (pyfixest's default CRV3 has one).

Degrees of freedom for t = c'b / sqrt(c'V2 c), contrast c (a K-vector). Let p_g be the N-vector
p_g = (I - H)_g' A_g X_g M c, where (I - H)_g are the rows of I - H for cluster g, so that
c'V2 c = sum_g (p_g' e)^2. Stack them as the N x G matrix P = [p_1 ... p_G]. Under a working
covariance Omega of the errors, c'V2 c is a quadratic form whose Satterthwaite approximation gives

    df = (tr P' Omega P)^2 / tr[(P' Omega P)^2].

* "Satterthwaite" df (Bell and McCaffrey 2002; clubSandwich's ``coef_test(test = "Satterthwaite")``
  for ``lm``, Pustejovsky and Tipton 2018 eq. 11; dfadjust's ``IK = FALSE``): Omega = I.
* Imbens-Kolesar df (Imbens and Kolesar 2016, section on clustering; dfadjust's default): Omega the
  Moulton (1986) random-effects model, Omega_g = sigma2 I + rho J (J = a matrix of ones), with
  rho = [sum_g (sum_i e_gi)^2 - sum e^2] / (sum_g n_g^2 - N) and sigma2 = max(sum e^2 / N - rho, 0),
  as dfadjust estimates them (rho is not forced to be non-negative, its default ``rho0 = FALSE``).

Absorbed fixed effects: ``absorb`` (an N x R dummy matrix, rank-deficient allowed) is treated as
part of the design, built explicitly: H is the hat matrix of [X, absorb] (projection on both),
and the bread M uses X residualised on ``absorb`` (Frisch-Waugh-Lovell). This is CR2 on the full
dummy design, the estimator Pustejovsky and Tipton (2018, section 3) define for fixed effects,
computed without their shortcut; I - H_gg is then often singular (effects nested in a cluster),
hence the pseudo-inverse.

References
----------
Bell and McCaffrey (2002), "Bias reduction in standard errors for linear regression with
multi-stage samples", *Survey Methodology* 28(2). Pustejovsky and Tipton (2018), "Small-sample
methods for cluster-robust variance estimation and hypothesis testing in fixed effects models",
*JBES* 36(4). Imbens and Kolesar (2016), "Robust standard errors in small samples: some practical
advice", *REStat* 98(4). Moulton (1986), *J. Econometrics* 32(3). Cameron and Miller (2015),
*J. Human Resources* 50(2). MacKinnon, Nielsen and Webb (2023), "Cluster-robust inference: a
guide to empirical practice", *J. Econometrics* 232(2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EIGEN_TOL = 1e-10  # eigenvalues of I - H_gg below this are treated as 0 (pseudo-inverse), as dfadjust's tol


def _groups(groups) -> tuple[np.ndarray, list[np.ndarray]]:
    codes = np.asarray(groups)
    if codes.ndim != 1:
        raise ValueError(f"groups must be one-dimensional, got shape {codes.shape}")
    labels = np.unique(codes)  # sorted: the result does not depend on the row order
    return labels, [np.flatnonzero(codes == g) for g in labels]


def _check(X: np.ndarray, n: int, what: str) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != n:
        raise ValueError(f"{what} must be a 2-d array with {n} rows, got shape {X.shape}")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{what} has missing or infinite values; drop those rows first (missing stays missing)")
    return X


@dataclass
class _Design:
    X: np.ndarray          # regressors of interest (residualised on ``absorb`` when given)
    bread: np.ndarray      # M = (X'X)^-1 of the residualised regressors
    hat_basis: np.ndarray  # orthonormal basis of the column space of the full design: H = Q Q'
    idx: list[np.ndarray]
    labels: np.ndarray


def _design(X, groups, absorb=None) -> _Design:
    X = np.asarray(X, dtype=float)
    labels, idx = _groups(groups)
    X = _check(X, len(np.asarray(groups)), "X")
    basis = []
    if absorb is not None:
        D = _check(absorb, X.shape[0], "absorb")
        u, s, _ = np.linalg.svd(D, full_matrices=False)
        Q_d = u[:, s > s.max() * max(D.shape) * np.finfo(float).eps]
        X = X - Q_d @ (Q_d.T @ X)
        basis.append(Q_d)
    q, r = np.linalg.qr(X)
    if np.min(np.abs(np.diag(r))) <= np.abs(np.diag(r)).max() * max(X.shape) * np.finfo(float).eps:
        raise ValueError("X is rank-deficient (after absorbing the fixed effects): a coefficient is not "
                         "identified; drop the collinear column")
    basis.append(q)
    return _Design(X, np.linalg.inv(X.T @ X), np.column_stack(basis), idx, labels)


def _sym_power(matrix: np.ndarray, power: float) -> np.ndarray:
    """Symmetric power of a symmetric positive semi-definite matrix; eigenvalues below EIGEN_TOL
    are dropped (Moore-Penrose), as clubSandwich and dfadjust do."""
    values, vectors = np.linalg.eigh(matrix)
    keep = values > EIGEN_TOL
    scaled = np.zeros_like(values)
    scaled[keep] = values[keep] ** power
    return (vectors * scaled) @ vectors.T


def _adjustments(design: _Design, power: float) -> list[np.ndarray]:
    out = []
    for rows in design.idx:
        Q_g = design.hat_basis[rows]
        out.append(_sym_power(np.eye(len(rows)) - Q_g @ Q_g.T, power))
    return out


def _sandwich(design: _Design, resid: np.ndarray, adjust: list[np.ndarray] | None) -> np.ndarray:
    scores = []
    for k, rows in enumerate(design.idx):
        e_g = resid[rows] if adjust is None else adjust[k] @ resid[rows]
        scores.append(design.X[rows].T @ e_g)
    S = np.array(scores)
    return design.bread @ (S.T @ S) @ design.bread


def _resid(resid, n: int) -> np.ndarray:
    resid = np.asarray(resid, dtype=float).ravel()
    if resid.shape[0] != n or not np.all(np.isfinite(resid)):
        raise ValueError(f"resid must be {n} finite residuals, got {resid.shape[0]}")
    return resid


def cr1_vcov(X, resid, groups) -> np.ndarray:
    """CR1: G/(G-1) * (N-1)/(N-K) * CR0, the cluster-robust covariance of Stata, fixest and
    pyfixest's default (``{"CRV1": cluster}``) and of statsmodels' ``cov_type="cluster"``.

    Parameters
    ----------
    X : (N, K) array, the regressors. resid : (N,) OLS residuals. groups : (N,) cluster labels.
    """
    design = _design(X, groups)
    n, k = design.X.shape
    G = len(design.idx)
    return G / (G - 1) * (n - 1) / (n - k) * _sandwich(design, _resid(resid, n), None)


def cr2_vcov(X, resid, groups, absorb=None) -> np.ndarray:
    """CR2 (Bell and McCaffrey 2002; Pustejovsky and Tipton 2018): the cluster-robust covariance
    with residuals adjusted by A_g = (I - H_gg)^(-1/2), symmetric (pseudo-)inverse square root.

    V2 = M [sum_g X_g' A_g e_g e_g' A_g X_g] M, M = (X'X)^-1; no further small-sample factor (V2
    is exactly unbiased under independent homoskedastic errors). With ``absorb`` (N x R dummies of
    absorbed fixed effects), H is the hat matrix of the full design [X, absorb], built explicitly,
    and M and X_g are those of X residualised on ``absorb`` (see the module docstring).

    Parameters
    ----------
    X : (N, K) array. resid : (N,) residuals of the full model. groups : (N,) cluster labels.
    absorb : (N, R) array or None.

    Returns
    -------
    (K, K) covariance of the coefficients of X.

    References
    ----------
    Bell and McCaffrey (2002), *Survey Methodology* 28(2); Pustejovsky and Tipton (2018), *JBES* 36(4);
    R clubSandwich ``vcovCR(type = "CR2")``.
    """
    design = _design(X, groups, absorb)
    return _sandwich(design, _resid(resid, design.X.shape[0]), _adjustments(design, -0.5))


def cr3_vcov(X, resid, groups) -> np.ndarray:
    """CR3, the leave-one-cluster-out jackknife sum sum_g (b_(-g) - b)(b_(-g) - b)' (clubSandwich's
    ``vcovCR(type = "CR3")``; pyfixest's CRV3 with ``ssc(k_adj=False, G_adj=False)``).

    Computed as M [sum_g X_g' (I - H_gg)^-1 e_g e_g' (I - H_gg)^-1 X_g] M, which equals the sum
    because b_(-g) - b = -M X_g' (I - H_gg)^-1 e_g; this needs every I - H_gg to be invertible, i.e.
    X without cluster g still of full rank, and a cluster for which it is not is named in the error.
    Not multiplied by (G-1)/G (MacKinnon, Nielsen and Webb 2023's CV3 is) nor by CR1's factor
    (pyfixest's default CRV3 is).
    """
    design = _design(X, groups)
    for label, rows in zip(design.labels, design.idx):
        Q_g = design.hat_basis[rows]
        if np.linalg.eigvalsh(np.eye(len(rows)) - Q_g @ Q_g.T).min() <= EIGEN_TOL:
            raise ValueError(f"CR3: without cluster {label!r} the regressors are rank-deficient, so the "
                             "jackknife estimate leaving it out does not exist; use CR2")
    return _sandwich(design, _resid(resid, design.X.shape[0]), _adjustments(design, -1.0))


@dataclass
class SmallSampleDf:
    """Degrees of freedom for one contrast: Bell-McCaffrey/Satterthwaite and Imbens-Kolesar, with the
    Moulton working-model estimates the latter used."""

    satterthwaite: float
    imbens_kolesar: float
    moulton_rho: float
    moulton_sigma2: float


def cr2_dof(X, resid, groups, contrast, absorb=None) -> SmallSampleDf:
    """Degrees of freedom of the CR2 t-statistic for c'b (formulas in the module docstring).

    ``satterthwaite``: working model Omega = I, as clubSandwich's ``coef_test(vcov = "CR2",
    test = "Satterthwaite")`` for an ``lm`` fit and dfadjust's ``IK = FALSE``.
    ``imbens_kolesar``: Omega the Moulton random-effects model estimated from the residuals, as
    dfadjust's default (Imbens and Kolesar 2016).

    Parameters
    ----------
    X, resid, groups, absorb : as in :func:`cr2_vcov`. contrast : (K,) vector c.
    """
    design = _design(X, groups, absorb)
    n = design.X.shape[0]
    resid = _resid(resid, n)
    c = np.asarray(contrast, dtype=float).ravel()
    if c.shape[0] != design.X.shape[1]:
        raise ValueError(f"contrast must have {design.X.shape[1]} entries (one per column of X), got {c.shape[0]}")
    adjust = _adjustments(design, -0.5)
    Q = design.hat_basis
    Mc = design.bread @ c
    P = np.zeros((n, len(design.idx)))
    for k, rows in enumerate(design.idx):
        a_g = adjust[k] @ (design.X[rows] @ Mc)          # A_g X_g M c
        P[:, k] = -Q @ (Q[rows].T @ a_g)                 # (I - H)_g' a_g = a_g on rows g, minus H[:, g] a_g
        P[rows, k] += a_g
    sizes = np.array([len(r) for r in design.idx], dtype=float)
    ssr = float(resid @ resid)
    cluster_sums = np.array([resid[r].sum() for r in design.idx])
    denominator = float((sizes ** 2).sum() - n)
    rho = (float((cluster_sums ** 2).sum()) - ssr) / denominator if denominator > 0 else 0.0
    sigma2 = max(ssr / n - rho, 0.0)
    PP = P.T @ P                                          # P' I P
    sums = np.array([P[r].sum(axis=0) for r in design.idx])  # J_g blocks: (1' P_g)' (1' P_g)
    PoP = sigma2 * PP + rho * (sums.T @ sums)
    return SmallSampleDf(satterthwaite=_satterthwaite(PP), imbens_kolesar=_satterthwaite(PoP),
                         moulton_rho=rho, moulton_sigma2=sigma2)


def _satterthwaite(B: np.ndarray) -> float:
    """(tr B)^2 / tr(B^2) for symmetric B (= sum of eigenvalues squared over sum of squares)."""
    return float(np.trace(B) ** 2 / np.sum(B * B))
