"""The batched Newton-Raphson (replication.models.batched) against statsmodels, fit by fit, and the
bootstrap and multiverse built on it against per-fit statsmodels loops."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from replication.models import SeparationWarning, hazard_logit, logit, model_frame
from replication.models.batched import newton
from replication.models.effects import (_CONTRASTS, CELLS, _counterfactual_designs, _link_name, _offset, _war_draws,
                                        bootstrap_separation, cluster_bootstrap)
from replication.models.estimators import separation_check


@pytest.fixture(scope="module")
def broad(panel):
    # defected_broad: the ML fit exists on the full sample (the primary outcome is separated)
    return model_frame(panel, outcome="defected_broad")


def _statsmodels_fit(fit, rows):
    """The reference: statsmodels' own Newton-Raphson on the resample's rows (repeated as drawn)."""
    model, start = fit.fitted.model, np.asarray(fit.fitted.params)
    X, y = np.asarray(model.exog)[rows], np.asarray(model.endog)[rows]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return _newton_fit(fit, X, y, start, rows)
        except np.linalg.LinAlgError:  # statsmodels' Newton on a separated resample: no estimate
            return np.full(len(start), np.nan), False


def _newton_fit(fit, X, y, start, rows):
    model = fit.fitted.model
    if _link_name(fit) == "logit":
        ref = sm.Logit(y, X).fit(disp=0, method="newton", maxiter=100, start_params=start)
    else:
        ref = sm.GLM(y, X, family=model.family, offset=np.asarray(model.offset)[rows]).fit(
            method="newton", maxiter=100, start_params=start)
    return np.asarray(ref.params), bool(ref.mle_retvals["converged"])


@pytest.mark.parametrize("estimator", [logit, hazard_logit])
def test_batched_coefficients_equal_statsmodels(broad, estimator):
    fit = estimator(broad)
    model = fit.fitted.model
    weights = np.vstack([np.ones(len(broad)), _war_draws(broad["war"].to_numpy(), 12, seed=3)])
    status = bootstrap_separation(np.asarray(model.exog), np.asarray(model.endog), broad["war"].to_numpy(), weights)
    off = _offset(fit)
    batch = newton(model.exog, model.endog, weights, link=_link_name(fit), offset=None if np.ndim(off) == 0 else off,
                   start=np.asarray(fit.fitted.params))
    compared = 0
    for r in range(len(weights)):
        if status[r]:
            continue  # separated: no finite estimate to compare
        rows = np.repeat(np.arange(len(broad)), weights[r].astype(int))
        params, converged = _statsmodels_fit(fit, rows)
        assert batch.converged[r]
        if not converged:
            # statsmodels' Newton (no step-halving) hit a singular Hessian on this resample: check the batched
            # estimate against the first-order condition instead (the score at a maximum is 0)
            X, y = np.asarray(model.exog)[rows], np.asarray(model.endog)[rows]
            eta = X @ batch.params[r] + (0.0 if off is None or np.ndim(off) == 0 else np.asarray(off)[rows])
            from replication.models.batched import _derivatives

            _, d1, d2 = _derivatives(eta, y, _link_name(fit))
            assert np.abs(X.T @ d1).max() < 1e-6 and np.all(np.linalg.eigvalsh(X.T @ (X * d2[:, None])) < 0)
            continue
        np.testing.assert_allclose(batch.params[r], params, rtol=0, atol=1e-8)
        compared += 1
    assert compared >= 5  # the full sample and several resamples


def test_batched_per_fit_designs_with_padding_equal_statsmodels(broad):
    """Fits with their own (zero-weight padded) designs, started from the logit of the mean."""
    X = np.asarray(logit(broad).fitted.model.exog)
    y = broad["y"].to_numpy()
    halves = [np.arange(len(y)), np.arange(0, len(y), 2)]
    Xs, ys, ws = np.zeros((2, len(y), X.shape[1])), np.zeros((2, len(y))), np.zeros((2, len(y)))
    for j, rows in enumerate(halves):
        Xs[j, :len(rows)], ys[j, :len(rows)], ws[j, :len(rows)] = X[rows], y[rows], 1.0
    start = np.zeros((2, X.shape[1]))
    start[:, 0] = [np.log(y[r].mean() / (1 - y[r].mean())) for r in halves]
    batch = newton(Xs, ys, ws, start=start)
    for j, rows in enumerate(halves):
        if separation_check(X[rows], y[rows])["separation"]:
            continue
        ref = sm.Logit(y[rows], X[rows]).fit(disp=0, method="newton")
        assert batch.converged[j]
        np.testing.assert_allclose(batch.params[j], ref.params, rtol=0, atol=1e-8)


def _reference_bootstrap(fit, frame, reps, seed):
    """The per-replicate loop cluster_bootstrap replaced, with statsmodels Newton refits and the LP
    check on every resample (same draws: one choice of all wars per replicate)."""
    rng = np.random.default_rng(seed)
    model = fit.fitted.model
    X, y = np.asarray(model.exog), np.asarray(model.endog)
    designs, off = _counterfactual_designs(fit, frame), _offset(fit)
    inverse = model.family.link.inverse
    wars = frame["war"].to_numpy()
    ids = np.unique(wars)
    draws, separated, not_converged = [], 0, 0
    for _ in range(reps):
        rows = np.concatenate([np.flatnonzero(wars == w) for w in rng.choice(ids, size=len(ids), replace=True)])
        params, converged = _statsmodels_fit(fit, rows)
        o = off[rows] if np.ndim(off) else off
        cells = np.array([inverse(designs[c][rows] @ params + o).mean() for c in CELLS])
        is_separated = bool(separation_check(X[rows], y[rows])["separation"])
        separated += is_separated
        not_converged += not converged and not is_separated
        draws.append(_CONTRASTS @ cells)
    return np.array(draws), separated, not_converged


def test_bootstrap_equals_statsmodels_loop_on_unseparated_data():
    """50 replicates, same seed: same counts, same percentile CIs. Synthetic data with events in every
    war, so no resample is separated and every draw is a finite MLE."""
    rng = np.random.default_rng(11)
    n = 600
    frame = pd.DataFrame({"war": np.repeat(np.arange(20), n // 20), "democracy": rng.integers(0, 2, n).astype(float),
                          "systemic_favorable": rng.integers(0, 2, n).astype(float),
                          "power_share": rng.uniform(size=n), "major_power": rng.integers(0, 2, n).astype(float),
                          "t": rng.integers(1, 6, n).astype(float)})
    frame["log_exposure"] = np.log(rng.uniform(0.3, 1.0, n))
    eta = -1.2 + 0.5 * frame.democracy - 0.4 * frame.systemic_favorable + frame.power_share
    frame["y"] = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
    frame.attrs["controls"] = ["power_share", "major_power"]
    for fit in (logit(frame), hazard_logit(frame)):
        table, info = cluster_bootstrap(fit, frame, reps=50, seed=5)
        draws, separated, not_converged = _reference_bootstrap(fit, frame, 50, 5)
        assert info["separated"] == separated == 0 and info["not_converged"] == not_converged == 0
        assert info["failed"] == 0
        lo, hi = np.quantile(draws, [0.025, 0.975], axis=0)
        np.testing.assert_allclose(table["boot_ci_low"], lo, rtol=0, atol=1e-8)
        np.testing.assert_allclose(table["boot_ci_high"], hi, rtol=0, atol=1e-8)
        np.testing.assert_allclose(table["boot_se"], draws.std(axis=0, ddof=1), rtol=0, atol=1e-8)


@pytest.mark.parametrize("estimator", [logit, hazard_logit])
def test_bootstrap_counts_equal_statsmodels_loop_on_real_data(broad, estimator):
    """Real resamples, about half separated: the same separated / not-converged counts as a
    statsmodels loop with the LP check on every resample (the shortcuts of bootstrap_separation
    -- finite-fit certificate, cache, subset rule -- give the LP's verdicts), and the same draws
    wherever the MLE is finite."""
    fit = estimator(broad)
    with pytest.warns(SeparationWarning, match=r"cluster_bootstrap: (\d+) of 50 war resamples") as caught:
        _, info = cluster_bootstrap(fit, broad, reps=50, seed=9)
    _, separated, not_converged = _reference_bootstrap(fit, broad, 50, 9)
    assert 0 < info["separated"] == separated < 50
    assert any(f"{separated} of 50 war resamples" in str(w.message) for w in caught)  # the warning gives the count
    assert info["not_converged"] == not_converged


def test_separation_shortcuts_agree_with_the_lp_on_every_resample(broad):
    fit = logit(broad)
    X, y = np.asarray(fit.fitted.model.exog), np.asarray(fit.fitted.model.endog)
    weights = _war_draws(broad["war"].to_numpy(), 120, seed=4)
    first = newton(X, y, weights, start=np.asarray(fit.fitted.params), maxiter=25)
    from replication.models.effects import _finite_mle

    fast = bootstrap_separation(X, y, broad["war"].to_numpy(), weights,
                                finite=_finite_mle(first, X, weights, 0.0, "logit"))
    lp = [separation_check(X[w > 0], y[w > 0])["separation"] for w in weights]
    assert list(fast) == lp and 0 < sum(lp) < len(lp)
