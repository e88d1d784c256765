"""The Jeffreys-penalised fits (replication.models.penalised) against firthmodels and published Firth
values (logit), against an independent numerical maximisation and a hand-solved case (cloglog), the
batched solver against the single fit, and the separated hazard's penalised refit."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from scipy.special import expit

from replication.models.penalised import (PenalisedFitWarning, _evaluate, inverse_link, penalised_fit,
                                          penalised_newton)
from replication.paths import PROJECT_ROOT

HEINZE_SCHEMPER = {"Intercept": (3.77, 1.49), "NV": (2.93, 1.55), "PI": (-0.03, 0.04), "EH": (-2.60, 0.78)}


def _endometrial():
    d = pd.read_csv(PROJECT_ROOT / "tests" / "data" / "endometrial.csv", comment="#")
    return np.column_stack([np.ones(len(d)), d.NV, d.PI, d.EH]), d.HG.to_numpy(float)


def _design(seed, n=60, separated=False):
    """Intercept, a binary and two continuous columns, rare events; ``separated``: no event where the
    binary column is 1 (quasi-complete separation: its ML coefficient is -infinity)."""
    rng = np.random.default_rng(seed)
    x1 = rng.integers(0, 2, n).astype(float)
    x2, x3 = rng.normal(size=n), rng.uniform(0, 3, n)
    X = np.column_stack([np.ones(n), x1, x2, x3])
    y = (rng.uniform(size=n) < expit(-1.2 + 0.8 * x1 + 0.5 * x2 - 0.3 * x3)).astype(float)
    if separated:
        y[x1 == 1] = 0.0
    return X, y, rng.normal(0.0, 0.5, n)


# --- logit: Firth (1993) = firthmodels = logistf -------------------------------------------------

def _firthmodels(X, y, weights=None, offset=None):
    from firthmodels import FirthLogisticRegression

    return FirthLogisticRegression(fit_intercept=False, gtol=1e-8, xtol=1e-8, max_iter=200).fit(
        X, y, sample_weight=weights, offset=offset)


@pytest.mark.parametrize("case", ["random", "separated", "endometrial", "offset_and_weights"])
def test_logit_equals_firthmodels(case):
    """Coefficients and penalised log-likelihood to 1e-8; on the separated and the weighted design
    also the penalised LR p-values and profile CIs as firthmodels computes them (its profile
    tolerance 1e-4 on l*: CIs to 2e-4; the endometrial CI is checked against the published one)."""
    weights = offset = None
    if case == "endometrial":
        X, y = _endometrial()
    else:
        X, y, o = _design(4, separated=case == "separated")
        if case == "offset_and_weights":
            offset, weights = o, np.random.default_rng(5).integers(0, 4, len(y)).astype(float)
    fit = penalised_fit(X, y, weights=weights, offset=offset)
    ref = _firthmodels(X, y, weights, offset)
    assert fit.converged and ref.converged_
    np.testing.assert_allclose(fit.coef, ref.coef_, rtol=0, atol=1e-8)
    assert fit.loglik_penalised == pytest.approx(ref.loglik_, abs=1e-8)
    if case in ("random", "endometrial"):
        return
    with warnings.catch_warnings():
        # firthmodels warns where its constrained refit stalls; those p-values are NaN and skipped below
        warnings.simplefilter("ignore")
        ref.lrt()
    p = fit.lr_test()[1]
    known = np.isfinite(ref.lrt_pvalues_)
    np.testing.assert_allclose(p[known], ref.lrt_pvalues_[known], rtol=1e-6, atol=1e-10)
    for j in np.flatnonzero(~known):  # firthmodels' constrained refit failed: a direct maximisation instead
        f = np.ones(len(y)) if weights is None else weights
        o = np.zeros(len(y)) if offset is None else offset
        _, constrained = _maximise(X, y, f, o, fit.coef, fixed=(j, 0.0), link="logit")
        assert p[j] == pytest.approx(stats.chi2.sf(2 * (fit.loglik_penalised - constrained), 1), rel=1e-5)
    np.testing.assert_allclose(fit.profile_ci(), ref.conf_int(method="pl"), rtol=0, atol=2e-4)


def test_logit_reproduces_heinze_and_schemper_2002():
    """Published Firth estimates (SE) on the endometrial data (Heinze and Schemper 2002, Statistics in
    Medicine 21; the values tests/test_models.py checks for firth_logit): 3.77 (1.49), NV 2.93 (1.55),
    PI -0.03 (0.04), EH -2.60 (0.78); profile penalised-likelihood CI of NV 0.61 to 7.85."""
    X, y = _endometrial()
    fit = penalised_fit(X, y)
    for j, (estimate, se) in enumerate(HEINZE_SCHEMPER.values()):
        assert (round(fit.coef[j], 2), round(fit.bse[j], 2)) == (estimate, se)
    assert tuple(np.round(fit.profile_ci()[1], 2)) == (0.61, 7.85)


# --- cloglog: against l + 1/2 log det I maximised directly ----------------------------------------

def _penalised_loglik(beta, X, y, f, o, link="cloglog"):
    """l + 1/2 log det(X'WX) written from the likelihood (W = f mu'^2 / (mu (1 - mu)); cloglog:
    mu = 1 - exp(-e^eta), logit: mu = 1 / (1 + e^-eta)), in complex arithmetic so that the
    complex-step derivative gives its exact gradient."""
    eta = X @ beta + o
    if link == "cloglog":
        lam = np.exp(eta)
        mu, log_1m = 1.0 - np.exp(-lam), -lam
        dmu = lam * np.exp(-lam)
    else:
        mu = 1.0 / (1.0 + np.exp(-eta))
        log_1m, dmu = np.log(1.0 - mu), mu * (1.0 - mu)
    loglik = np.sum(f * (y * np.log(mu) + (1.0 - y) * log_1m))
    info = X.T @ (X * (f * dmu ** 2 / (mu * (1.0 - mu)))[:, None])
    return loglik + 0.5 * np.log(np.linalg.det(info))


def _maximise(X, y, f, o, start, fixed=None, link="cloglog"):
    """Direct maximisation of :func:`_penalised_loglik` from ``start`` (BFGS on its exact complex-step
    gradient, columns scaled to unit RMS). ``fixed`` = (j, value) holds one coefficient."""
    free = np.ones(X.shape[1], bool)
    if fixed is not None:
        free[fixed[0]] = False
    scale = np.sqrt((X[:, free] ** 2).mean(axis=0))

    def beta_of(theta):
        beta = np.array(start, dtype=complex)
        beta[free] = theta / scale
        if fixed is not None:
            beta[fixed[0]] = fixed[1]
        return beta

    def objective(theta):
        value = -_penalised_loglik(beta_of(theta), X, y, f, o, link).real
        return value if np.isfinite(value) else np.inf

    def gradient(theta):
        h = 1e-30
        g = np.array([-_penalised_loglik(beta_of(theta + 1j * h * e), X, y, f, o, link).imag / h
                      for e in np.eye(len(theta))])
        return np.where(np.isfinite(g), g, 0.0)

    x0 = np.asarray(start, float)[free] * scale
    # BFGS started from the inverse of a finite-difference Hessian at the start (a first step of the
    # size of the gradient overflows exp(eta) on the hazard's design)
    steps = np.eye(len(x0)) * 1e-5
    hessian = np.array([(gradient(x0 + e) - gradient(x0 - e)) / 2e-5 for e in steps])
    hessian = (hessian + hessian.T) / 2
    inverse = np.linalg.inv(hessian) if np.linalg.eigvalsh(hessian)[0] > 0 else np.eye(len(x0)) * 1e-2
    inverse = (inverse + inverse.T) / 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # overflow at trial points far out in the line search
        res = optimize.minimize(objective, x0, jac=gradient, method="BFGS",
                                options={"gtol": 1e-9, "maxiter": 5000, "hess_inv0": inverse})
    assert np.max(np.abs(res.jac)) < 1e-6, res.message
    return res.x / scale, -res.fun


@pytest.mark.parametrize("seed,separated", [(1, False), (2, False), (3, True), (7, True)])
def test_cloglog_equals_direct_maximisation(seed, separated):
    X, y, o = _design(seed, n=80, separated=separated)
    f = np.ones(len(y))
    fit = penalised_fit(X, y, link="cloglog", offset=o)
    beta, top = _maximise(X, y, f, o, np.zeros(X.shape[1]))
    assert fit.converged
    np.testing.assert_allclose(fit.coef, beta, rtol=0, atol=1e-6)
    assert fit.loglik_penalised == pytest.approx(top, abs=1e-9)
    if separated:  # the ML estimate is -infinity; the penalised one is finite and moderate
        assert -15 < fit.coef[1] < 0


@pytest.mark.parametrize("events,trials,offset", [(3, 10, 0.0), (0, 12, 1.5), (12, 12, -0.7), (1, 40, -2.0)])
def test_one_group_by_hand(events, trials, offset):
    """Intercept only, ``events`` in ``trials``, offset o. I = n mu'^2 / (mu (1 - mu)), so l* is, up to
    a constant, (y - 1/2) log mu + (n - y - 1/2) log(1 - mu) + log mu'. Logit: mu' = mu (1 - mu), so
    mu = (y + 1/2) / (n + 1). Cloglog: mu' = (1 - mu)(-log(1 - mu)), so the estimate maximises
    mu^(y - 1/2) (1 - mu)^(n - y + 1/2) (-log(1 - mu)); its derivative
    (y - 1/2)/mu - (n - y + 1/2)/(1 - mu) + 1/((1 - mu)(-log(1 - mu))) is solved by brentq.
    The rows are given once each with frequency weights (events, trials - events)."""
    X, y = np.ones((2, 1)), np.array([1.0, 0.0])
    weights, o = np.array([events, trials - events], float), np.full(2, offset)
    logit_fit = penalised_fit(X, y, weights=weights, offset=o)
    assert expit(logit_fit.coef[0] + offset) == pytest.approx((events + 0.5) / (trials + 1), abs=1e-12)

    def slope(mu):
        return (events - 0.5) / mu - (trials - events + 0.5) / (1 - mu) + 1 / ((1 - mu) * -np.log1p(-mu))

    mu = optimize.brentq(slope, 1e-12, 1 - 1e-12, xtol=1e-15, rtol=1e-15)
    fit = penalised_fit(X, y, link="cloglog", weights=weights, offset=o)
    assert fit.coef[0] == pytest.approx(np.log(-np.log1p(-mu)) - offset, abs=1e-9)


@pytest.mark.parametrize("link", ["logit", "cloglog"])
def test_frequency_weights_equal_the_expanded_data(link):
    X, y, o = _design(11, n=40, separated=True)
    weights = np.random.default_rng(12).integers(0, 4, len(y)).astype(float)
    rows = np.repeat(np.arange(len(y)), weights.astype(int))
    weighted = penalised_fit(X, y, link=link, offset=o, weights=weights)
    expanded = penalised_fit(X[rows], y[rows], link=link, offset=o[rows])
    np.testing.assert_allclose(weighted.coef, expanded.coef, rtol=0, atol=1e-10)
    np.testing.assert_allclose(weighted.cov, expanded.cov, rtol=1e-8)
    assert weighted.loglik_penalised == pytest.approx(expanded.loglik_penalised, abs=1e-9)


@pytest.mark.parametrize("link", ["logit", "cloglog"])
def test_newton_step_uses_the_exact_hessian(link):
    """The Newton step -H^-1 U* at a point away from the estimate, H the Hessian of l* the code
    assembles (penalty terms included), equals the one from a central-difference Jacobian of U*."""
    X, y, o = _design(3, n=80, separated=True)
    f, free = np.ones(len(y)), np.ones(X.shape[1], bool)
    beta = penalised_fit(X, y, link=link, offset=o).coef + np.array([0.05, -0.1, 0.03, 0.02])
    point = _evaluate(X, y, f, o, link, beta, free)
    jac = np.zeros((4, 4))
    for j in range(4):
        e = np.eye(4)[j] * 1e-6
        jac[:, j] = (_evaluate(X, y, f, o, link, beta + e, free).score
                     - _evaluate(X, y, f, o, link, beta - e, free).score) / 2e-6
    np.testing.assert_allclose(point.step, np.linalg.solve(-jac, point.score), rtol=1e-5, atol=1e-9)


def test_bad_input_and_non_convergence_are_reported():
    X, y, o = _design(1)
    with pytest.raises(ValueError, match=r"rows \[2\]"):
        penalised_fit(X, np.where(np.arange(len(y)) == 2, 2.0, y))
    with pytest.raises(ValueError, match="missing"):
        penalised_fit(X, y, offset=np.where(np.arange(len(y)) == 0, np.nan, o))
    with pytest.raises(ValueError, match="rank-deficient"):
        penalised_fit(np.column_stack([X, X[:, 1]]), y)
    with pytest.raises(ValueError, match="link"):
        penalised_fit(X, y, link="probit")
    with pytest.warns(PenalisedFitWarning, match="not converged"):
        fit = penalised_fit(X, y, link="cloglog", maxiter=1)
    assert not fit.converged


# --- the batched solver ---------------------------------------------------------------------------

@pytest.mark.parametrize("link", ["logit", "cloglog"])
def test_batched_equals_the_single_fit(link):
    """Shared design with frequency weights (zeros included) and an offset, and per-fit designs padded
    with zero-weight rows: estimates to 1e-8, covariances, both log-likelihoods."""
    rng = np.random.default_rng(21)
    X, y, o = _design(21, n=50, separated=True)
    B = 5
    W = rng.integers(0, 3, (B, len(y))).astype(float)
    Y = np.vstack([y] + [(rng.uniform(size=len(y)) < 0.25).astype(float) for _ in range(B - 1)])
    batch = penalised_newton(X, Y, W, link=link, offset=o, tol=1e-10)
    for b in range(B):
        single = penalised_fit(X, Y[b], link=link, offset=o, weights=W[b], tol=1e-10)
        np.testing.assert_allclose(batch.params[b], single.coef, rtol=0, atol=1e-8)
        np.testing.assert_allclose(batch.cov[b], single.cov, rtol=1e-6)
        assert batch.loglik[b] == pytest.approx(single.loglik, abs=1e-8)
        assert batch.penalised_loglik[b] == pytest.approx(single.loglik_penalised, abs=1e-8)
    assert batch.converged.all() and not batch.failed.any()

    designs, n_rows = [], [50, 38, 44]
    Xs, Ys, Ws, Os = np.zeros((3, 50, 4)), np.zeros((3, 50)), np.zeros((3, 50)), np.zeros((3, 50))
    for b, n in enumerate(n_rows):
        Xb, yb, ob = _design(30 + b, n=n, separated=b == 1)
        Xs[b, :n], Ys[b, :n], Ws[b, :n], Os[b, :n] = Xb, yb, 1.0, ob
        designs.append((Xb, yb, ob))
    batch = penalised_newton(Xs, Ys, Ws, link=link, offset=Os, tol=1e-10)
    for b, (Xb, yb, ob) in enumerate(designs):
        np.testing.assert_allclose(batch.params[b], penalised_fit(Xb, yb, link=link, offset=ob, tol=1e-10).coef,
                                   rtol=0, atol=1e-8)


def test_batched_flags_a_fit_without_full_rank():
    X, y, _ = _design(5, n=40)
    W = np.ones((3, len(y)))
    W[1, X[:, 1] == 1] = 0.0  # the binary column is 0 on every kept row: singular information
    fit = penalised_newton(X, y, W, link="cloglog")
    assert fit.failed.tolist() == [False, True, False] and np.isnan(fit.params[1]).all()
    assert fit.converged[[0, 2]].all()


# --- the separated hazard's penalised refit -------------------------------------------------------

@pytest.fixture(scope="module")
def hazard(panel):
    from replication.models import SeparationWarning, hazard_logit, model_frame

    frame = model_frame(panel)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PenalisedFitWarning)
        warnings.simplefilter("ignore", SeparationWarning)  # the point of these tests: the separated hazard
        return frame, hazard_logit(frame, on_separation="record")


def _hazard_design(frame):
    from patsy import dmatrices

    from replication.models.estimators import formula_for

    y, X = dmatrices(formula_for("interaction", duration=True, controls=frame.attrs["controls"]), frame,
                     return_type="dataframe")
    return X, y.to_numpy().ravel(), frame["log_exposure"].to_numpy(float)


def test_separated_hazard_falls_back_to_the_penalised_cloglog_with_offset(hazard):
    """Until issue 18 the fallback was a Firth logit without the offset, labelled as the hazard's."""
    frame, result = hazard
    refit = result.fallback
    assert result.status == "separated" and refit.status == "ok"
    assert refit.name == "Discrete-time hazard (cloglog) -> Jeffreys-penalised cloglog (ML separated)"
    assert refit.estimator == "penalised_hazard" and refit.formula.endswith("+ offset(log_exposure)")
    assert "Jeffreys-penalised cloglog" in refit.tidy["estimator"].iloc[0]
    X, y, offset = _hazard_design(frame)
    direct = penalised_fit(X.to_numpy(), y, link="cloglog", offset=offset)
    np.testing.assert_allclose(refit.params.reindex(X.columns).to_numpy(), direct.coef, rtol=0, atol=1e-10)
    np.testing.assert_allclose(refit.tidy["std_error"].to_numpy(), direct.bse, rtol=1e-10)
    # its fitted hazards use the exposure: 13.2 expected events for 9 observed with the offset; without
    # it the same coefficients (intercept about -10) would predict almost none
    assert inverse_link(X.to_numpy() @ direct.coef + offset, "cloglog").sum() > 5
    assert inverse_link(X.to_numpy() @ direct.coef, "cloglog").sum() < 0.1


def test_penalised_hazard_inference_against_independent_refits(hazard):
    """The penalised LR statistic of the interaction and the profile bound of democracy, from
    constrained maxima computed here by BFGS on l* written from the likelihood."""
    frame, result = hazard
    refit = result.fallback
    X, y, offset = _hazard_design(frame)
    Xa, f, names = X.to_numpy(), np.ones(len(y)), list(X.columns)
    top = refit.fitted.loglik_penalised
    j = names.index("democracy:systemic_favorable")
    _, constrained = _maximise(Xa, y, f, offset, refit.fitted.coef, fixed=(j, 0.0))
    p = refit.tidy.set_index("term")["p_value"]
    assert p.iloc[j] == pytest.approx(stats.chi2.sf(2 * (top - constrained), 1), rel=1e-5)
    j = names.index("democracy")
    low = refit.tidy.set_index("term")["ci_low"].iloc[j]
    _, at_bound = _maximise(Xa, y, f, offset, refit.fitted.coef, fixed=(j, low))
    assert 2 * (top - at_bound) == pytest.approx(stats.chi2.ppf(0.95, 1), abs=1e-5)


def test_delta_method_of_the_penalised_hazard_uses_cloglog_offset_and_its_covariance(hazard):
    """Cell probabilities 1 - exp(-exp(x'b + log exposure)) averaged over the sample, and delta-method
    SEs from a central-difference gradient with the fit's (X'WX)^-1."""
    from patsy import build_design_matrices

    from replication.models.effects import CELLS, delta_method
    from replication.models.hypotheses import contrast

    frame, result = hazard
    refit = result.fallback
    X, _, offset = _hazard_design(frame)
    beta, cov = refit.fitted.coef, refit.fitted.cov
    designs = [np.asarray(build_design_matrices([X.design_info], frame.assign(democracy=float(d),
                                                                              systemic_favorable=float(c)))[0])
               for d, c in CELLS]

    def second_difference(b):
        p = [(-np.expm1(-np.exp(D @ b + offset))).mean() for D in designs]
        return (p[3] - p[2]) - (p[1] - p[0])

    steps = np.eye(len(beta)) * 1e-6
    grad = np.array([(second_difference(beta + e) - second_difference(beta - e)) / 2e-6 for e in steps])
    table = delta_method(refit, frame).set_index("quantity")
    assert table.loc["second difference", "estimate"] == pytest.approx(second_difference(beta), abs=1e-12)
    assert table.loc["second difference", "delta_se"] == pytest.approx(np.sqrt(grad @ cov @ grad), rel=1e-6)
    est, se = contrast(refit, frame, ((1, 1, 1), (0, 1, -1), (1, 0, -1), (0, 0, 1)))
    assert (est, se) == pytest.approx((table.loc["second difference", "estimate"],
                                       table.loc["second difference", "delta_se"]), rel=1e-10)
