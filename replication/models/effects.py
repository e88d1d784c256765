"""The interaction on the probability scale: predicted probabilities of defection in the four
cells democracy x favourable, first differences and the second difference.

Point estimates and delta-method CIs are computed from the design (average predictions over
the sample with both variables set to each cell's values, cluster-robust covariance of the
fitted statsmodels model) so that the cloglog hazard with its exposure offset and the logit
share one code path; ``cell_predictions``/``differences`` give the same numbers for the
logit through ``marginaleffects``, and the tests check that they agree. The war-cluster bootstrap is written here because
neither marginaleffects nor statsmodels resamples clusters: wars are drawn with
replacement, the logit is refitted, and the same average predictions are recomputed.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit

from .._progress import progress
from .data import cluster_ids

CELLS = [(0, 0), (1, 0), (0, 1), (1, 1)]  # (democracy, systemic_favorable)


GRID = {"democracy": [0.0, 1.0], "systemic_favorable": [0.0, 1.0]}


def _avg_predictions(result, hypothesis: str | None = None) -> pd.DataFrame:
    import marginaleffects as me

    pred = me.avg_predictions(result.fitted, variables=GRID, by=["democracy", "systemic_favorable"],
                              hypothesis=hypothesis)
    return pd.DataFrame(pred.to_pandas() if hasattr(pred, "to_pandas") else pred)


def cell_predictions(result) -> pd.DataFrame:
    """marginaleffects average predictions for the four cells, with delta-method CIs."""
    out = _avg_predictions(result)
    out = out.astype({"democracy": float, "systemic_favorable": float}).astype({"democracy": int,
                                                                                  "systemic_favorable": int})
    return out[["democracy", "systemic_favorable", "estimate", "std_error", "conf_low", "conf_high"]]


def differences(result) -> pd.DataFrame:
    """First differences (democracy 1 - 0 within each condition) and the second difference, as
    contrasts of the same counterfactual cell predictions (marginaleffects hypotheses).

    ``avg_comparisons(..., by="systemic_favorable")`` is not used: it averages within the
    *observed* subgroups, so its differences would not be differences of the cells reported.
    """
    cells = cell_predictions(result)
    b = {(d, f): f"b{i}" for i, (d, f) in enumerate(zip(cells["democracy"], cells["systemic_favorable"]))}
    contrasts = {
        "first difference: democracy 1 - 0 | favourable = 0": f"{b[(1, 0)]} - {b[(0, 0)]} = 0",
        "first difference: democracy 1 - 0 | favourable = 1": f"{b[(1, 1)]} - {b[(0, 1)]} = 0",
        "second difference: FD | favourable - FD | unfavourable":
            f"({b[(1, 1)]} - {b[(0, 1)]}) - ({b[(1, 0)]} - {b[(0, 0)]}) = 0",
    }
    rows = []
    for label, hypothesis in contrasts.items():
        r = _avg_predictions(result, hypothesis).iloc[0]
        rows.append({"quantity": label, "estimate": r["estimate"], "std_error": r["std_error"],
                     "ci_low": r["conf_low"], "ci_high": r["conf_high"]})
    return pd.DataFrame(rows)


def _link(result):
    """Inverse link and its derivative of a fitted statsmodels Logit or GLM."""
    model = result.fitted.model
    if hasattr(model, "family"):
        link = model.family.link
        return link.inverse, link.inverse_deriv
    return expit, lambda eta: expit(eta) * (1 - expit(eta))


def _offset(result) -> np.ndarray | float:
    offset = getattr(result.fitted.model, "offset", None)
    return 0.0 if offset is None else np.asarray(offset, dtype=float)


def _backend(result, frame: pd.DataFrame):
    """(beta, covariance, patsy design info, inverse link, its derivative, offset) of a fit.

    A statsmodels fit brings its own (war-clustered) covariance. A Firth fit -- the fallback of a
    separated ML logit -- is a logit with the covariance logistf reports, (X'WX)^-1 at the Firth
    estimate (model-based: no cluster-robust covariance exists for Firth here). The Jeffreys-penalised
    hazard -- the fallback of a separated ML hazard -- is a cloglog with the offset log_exposure and
    its (X'WX)^-1 at the penalised estimate (cloglog weights; model-based).
    """
    if getattr(result, "estimator", None) == "penalised_hazard":
        from patsy import dmatrices

        from .estimators import OFFSET
        from .penalised import inverse_link, inverse_link_deriv

        _, X = dmatrices(result.formula.replace(OFFSET, ""), frame, return_type="dataframe", NA_action="raise")
        beta = result.params.reindex(X.columns).to_numpy()
        return (beta, np.asarray(result.fitted.cov), X.design_info, lambda eta: inverse_link(eta, "cloglog"),
                lambda eta: inverse_link_deriv(eta, "cloglog"), frame["log_exposure"].to_numpy(dtype=float))
    if getattr(result, "estimator", None) == "firth":
        from patsy import dmatrices

        from .estimators import firth_cov

        _, X = dmatrices(result.formula, frame, return_type="dataframe")
        beta = result.params.reindex(X.columns).to_numpy()
        return (beta, firth_cov(X.to_numpy(), beta), X.design_info, expit,
                lambda eta: expit(eta) * (1 - expit(eta)), 0.0)
    inverse, deriv = _link(result)
    return (np.asarray(result.fitted.params), np.asarray(result.fitted.cov_params()),
            result.fitted.model.data.model_spec, inverse, deriv, _offset(result))


def _counterfactual_designs(result, frame: pd.DataFrame, info=None) -> dict:
    """Design matrices with democracy and systemic_favorable set to each cell's values for every row.

    Rebuilt from the fitted model's patsy design, so transformed terms such as the cubic in
    time are recomputed exactly as in the fit.
    """
    from patsy import build_design_matrices

    info = result.fitted.model.data.model_spec if info is None else info  # patsy DesignInfo of the RHS
    designs = {}
    for cell in CELLS:
        cf = frame.assign(democracy=float(cell[0]), systemic_favorable=float(cell[1]))
        designs[cell] = np.asarray(build_design_matrices([info], cf)[0])
    return designs


def _quantities(beta: np.ndarray, designs: dict, rows: np.ndarray, inverse=expit, offset=0.0) -> np.ndarray:
    off = offset[rows] if np.ndim(offset) else offset
    p = {cell: inverse(designs[cell][rows] @ beta + off).mean() for cell in CELLS}
    fd_unfav = p[(1, 0)] - p[(0, 0)]
    fd_fav = p[(1, 1)] - p[(0, 1)]
    return np.array([p[(0, 0)], p[(1, 0)], p[(0, 1)], p[(1, 1)], fd_unfav, fd_fav, fd_fav - fd_unfav])


QUANTITIES = ["p(aut, unfav)", "p(dem, unfav)", "p(aut, fav)", "p(dem, fav)", "FD | unfavourable",
              "FD | favourable", "second difference"]
# Each quantity as weights on the four cells' average predictions.
_CONTRASTS = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1], [-1, 1, 0, 0], [0, 0, -1, 1],
                       [1, -1, -1, 1]], dtype=float)


def point_quantities(result, frame: pd.DataFrame) -> pd.Series:
    """The seven quantities computed directly from the coefficients (no library): a check on marginaleffects."""
    inverse, _ = _link(result)
    designs = _counterfactual_designs(result, frame)
    return pd.Series(_quantities(np.asarray(result.fitted.params), designs, np.arange(len(frame)), inverse,
                                 _offset(result)), index=QUANTITIES)


def delta_method(result, frame: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Estimates, delta-method SEs and normal CIs of the seven quantities, with the fit's (war-clustered)
    covariance. Written against the design (not marginaleffects) so that offset models and the
    logit share one code path; tests check it against marginaleffects for the logit."""
    from scipy import stats

    beta, cov, info, inverse, deriv, offset = _backend(result, frame)
    designs = _counterfactual_designs(result, frame, info)
    grads = np.array([(deriv(designs[c] @ beta + offset)[:, None] * designs[c]).mean(axis=0) for c in CELLS])
    est = _quantities(beta, designs, np.arange(len(frame)), inverse, offset)
    g = _CONTRASTS @ grads
    se = np.sqrt(np.maximum(np.einsum("ij,jk,ik->i", g, cov, g), 0.0))
    z = stats.norm.ppf(1 - alpha / 2)
    return pd.DataFrame({"quantity": QUANTITIES, "estimate": est, "delta_se": se, "delta_ci_low": est - z * se,
                         # A separated fit's cell at its 0/1 limit has SE 0: z is undefined there (NA), not inf.
                         "delta_ci_high": est + z * se,
                         "delta_z": np.divide(est, se, out=np.full_like(est, np.nan), where=se > 0)})


def _link_name(result) -> str:
    """"logit" or "cloglog": the link of a fitted statsmodels Logit or binomial GLM (the ones bootstrapped here)."""
    from statsmodels.genmod.families import links

    model = result.fitted.model
    link = getattr(getattr(model, "family", None), "link", None)
    if isinstance(link, links.CLogLog):
        return "cloglog"
    if isinstance(link, links.Logit):
        return "logit"
    raise ValueError(f"cluster_bootstrap refits logit or cloglog models; {result.name} has link {link!r}")


def _war_draws(wars: np.ndarray, reps: int, seed: int) -> np.ndarray:
    """(reps, n) frequency weights: how often each row's war was drawn in each replicate.

    The draws are the same calls on the same generator as the old loop made (one ``choice`` of
    all wars per replicate), so a seed gives the same resamples as before.
    """
    rng = np.random.default_rng(seed)
    ids = np.unique(wars)
    counts = np.zeros((reps, len(ids)))
    for r in range(reps):
        np.add.at(counts[r], np.searchsorted(ids, rng.choice(ids, size=len(ids), replace=True)), 1)
    return counts[:, np.searchsorted(ids, wars)]


def bootstrap_separation(X: np.ndarray, y: np.ndarray, wars: np.ndarray, weights: np.ndarray,
                         finite: np.ndarray | None = None) -> np.ndarray:
    """Konis's separation check for every resample (True, False, or None for a rank-deficient design).

    The LP is run on the resample's distinct rows (repeating a row changes neither the LP's
    feasible set nor the sign of its optimum). It is skipped where the answer is already known:

    * ``finite``: resamples whose ML fit converged to a finite maximum (see :func:`_finite_mle`);
      a finite maximum exists only if the data are not separated (Albert and Anderson 1984);
    * separation only depends on the set of wars drawn (cached), and it is inherited along
      subsets: a direction that separates a set of rows separates any subset of it that still
      has full column rank, and a set that is not separated makes every superset not separated.

    A rank-deficient resample always gets the LP check itself.
    """
    from .batched import full_rank
    from .estimators import separation_check

    ids, col = np.unique(wars, return_inverse=True)
    row_of_war = np.zeros((len(ids), len(wars)))
    row_of_war[col, np.arange(len(wars))] = 1.0
    present = weights > 0
    war_sets = (present.astype(float) @ row_of_war.T) > 0
    ranked = full_rank(X, weights)
    finite = np.zeros(len(weights), bool) if finite is None else finite & ranked
    known: dict[bytes, bool | None] = {}
    sets = {True: np.zeros((0, len(ids)), bool), False: np.zeros((0, len(ids)), bool)}
    out = np.empty(len(weights), dtype=object)

    def learn(s: np.ndarray, separated: bool | None, full_rank_set: bool) -> bool | None:
        known[s.tobytes()] = separated
        if separated is not None and full_rank_set:
            sets[separated] = np.vstack([sets[separated], s])
        return separated

    def check(rows: np.ndarray) -> bool | None:
        sep = separation_check(X[rows], y[rows])["separation"]
        return None if sep is None else bool(sep)

    for r in np.flatnonzero(finite):
        learn(war_sets[r], False, True)
    # The full sample first: when it is separated, so is every full-rank resample.
    full = np.ones(len(ids), bool)
    if full.tobytes() not in known:
        learn(full, check(np.arange(len(wars))), True)
    for r, s in enumerate(war_sets):
        key = s.tobytes()
        if key not in known:
            if ranked[r] and sets[True][:, s].all(axis=1).any():
                learn(s, True, True)
            elif ranked[r] and not (sets[False] & ~s).any(axis=1).all():
                learn(s, False, True)
            else:
                learn(s, check(np.flatnonzero(present[r])), bool(ranked[r]))
        out[r] = known[key]
    return out


def _finite_mle(fit, X: np.ndarray, weights: np.ndarray, offset, link: str) -> np.ndarray:
    """Replicates whose Newton iteration converged to a finite maximum, away from separation.

    Converged (no coefficient moved by 1e-8) with every fitted probability of the resample's rows
    inside [1e-6, 1 - 1e-6]: along a separating direction the fitted probabilities of the
    separated rows go to 0 or 1, so a separated resample cannot pass (tests/test_batched.py
    checks these verdicts against the LP on the real resamples).
    """
    from .batched import inverse_link

    with np.errstate(all="ignore"):
        p = inverse_link(np.nan_to_num(fit.params) @ X.T + offset, link)
    inside = np.where(weights > 0, (p > 1e-6) & (p < 1 - 1e-6), True).all(axis=1)
    return fit.converged & ~fit.failed & inside


FIRST_PASS, MAX_ITER = 25, 100


def cluster_bootstrap(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101,
                      alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Percentile CIs from resampling wars with replacement (pairs cluster bootstrap).

    Every replicate is accounted for: ``separated`` (Konis LP check on the resample: the ML
    estimate is infinite, the fitted probability in some cell tends to 0 or 1 and the replicate
    is kept at that limit), ``not_converged`` and ``failed`` (no estimate; excluded from the
    percentiles, and counted). The table reports all three counts.

    All replicates are refitted at once (:mod:`replication.models.batched`): a resample is the
    original rows with frequency weights, Newton-Raphson warm-started at the full-sample estimate.
    """
    from .batched import full_rank, inverse_link, newton
    from .estimators import separation_check

    link = _link_name(result)
    designs = _counterfactual_designs(result, frame)
    X = np.asarray(result.fitted.model.exog, dtype=float)
    y = np.asarray(result.fitted.model.endog, dtype=float)
    offset = _offset(result)
    weights = _war_draws(cluster_ids(frame), reps, seed)
    off = None if np.ndim(offset) == 0 else offset
    # A first pass (warm-started, non-separated replicates converge in ~6 steps) certifies most
    # replicates as not separated; the LP decides the rest; the second pass continues the
    # unconverged ones, stopping separated ones once their likelihood is flat (see batched.newton).
    # When the full sample is separated, so is every full-rank resample (see bootstrap_separation).
    prior = full_rank(X, weights) if separation_check(X, y)["separation"] else None
    first = newton(X, y, weights, link=link, offset=off, start=np.asarray(result.fitted.params), maxiter=FIRST_PASS,
                   separated=prior)
    status = bootstrap_separation(X, y, cluster_ids(frame), weights,
                                  finite=_finite_mle(first, X, weights, offset, link))
    is_separated = np.array([s is True for s in status])
    fit = first
    rest = np.flatnonzero(~first.converged & ~first.failed)
    if len(rest):
        more = newton(X, y, weights[rest], link=link, offset=off, start=first.params[rest],
                      maxiter=MAX_ITER - FIRST_PASS, separated=is_separated[rest])
        for name in ("params", "converged", "loglik", "failed"):
            getattr(fit, name)[rest] = getattr(more, name)
        fit.iterations[rest] += more.iterations
    total = weights.sum(axis=1)
    with np.errstate(all="ignore"):
        cells = np.column_stack([(weights * inverse_link(fit.params @ designs[c].T + offset, link)).sum(axis=1) / total
                                 for c in CELLS])
    draws = cells @ _CONTRASTS.T
    ok = ~fit.failed & np.isfinite(draws).all(axis=1)
    failed = int((~ok).sum())
    separated = int((ok & is_separated).sum())
    not_converged = int((ok & ~fit.converged & ~is_separated).sum())
    draws = draws[ok]
    lo, hi = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    table = pd.DataFrame({"quantity": QUANTITIES, "boot_se": draws.std(axis=0, ddof=1), "boot_ci_low": lo,
                          "boot_ci_high": hi})
    return table, {"reps": reps, "failed": failed, "separated": separated, "not_converged": not_converged,
                   "seed": seed}


def interaction_table(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101) -> pd.DataFrame:
    """All seven quantities with delta-method and war-cluster bootstrap CIs, and the cluster counts."""
    from .data import cluster_counts

    delta = delta_method(result, frame)
    boot, info = cluster_bootstrap(result, frame, reps=reps, seed=seed)
    out = delta.merge(boot, on="quantity", validate="one_to_one")
    out.insert(0, "model", result.name)
    out["boot_reps"], out["boot_failed"], out["boot_separated"] = info["reps"], info["failed"], info["separated"]
    out["boot_not_converged"], out["boot_seed"] = info["not_converged"], info["seed"]
    counts = cluster_counts(frame)
    out["n"], out["events"] = len(frame), int(frame["y"].sum())
    out["n_clusters"], out["clusters_with_events"] = counts["n_clusters"], counts["clusters_with_events"]
    return out


def _penalised_design(result, frame: pd.DataFrame):
    """(X, y, link, offset, beta, designs, inverse) of a penalised fit (Firth logit or Jeffreys cloglog)."""
    beta, _, info, inverse, _, offset = _backend(result, frame)
    from patsy import build_design_matrices

    X = np.asarray(build_design_matrices([info], frame)[0], dtype=float)
    link = "cloglog" if result.estimator == "penalised_hazard" else "logit"
    return X, frame["y"].to_numpy(dtype=float), link, offset, beta, _counterfactual_designs(result, frame, info), inverse


PENALISED = ("firth", "penalised_hazard")


def war_jackknife(result, frame: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Leave-one-war-out refits of a penalised fit (Firth logit or Jeffreys cloglog): each quantity's
    jackknife standard error in the CR3 form, sqrt(sum_g (theta_-g - theta)^2) (Bell and McCaffrey
    2002; the textbook CR3 of clubSandwich, without a (G-1)/G factor), and t(G - 1) intervals.

    Every war's refit is one fit of the batched penalised solver (frequency weight 0 for the war
    left out), warm-started at the full-sample estimate; a refit that fails or does not converge is
    counted in ``jack_not_converged`` and makes the quantities NA (no partial jackknife)."""
    from scipy import stats

    from .penalised import penalised_newton

    if result.estimator not in PENALISED:
        raise ValueError(f"war_jackknife refits penalised fits (Firth logit, Jeffreys cloglog); {result.name} is "
                         f"{result.estimator!r}")
    X, y, link, offset, beta, designs, inverse = _penalised_design(result, frame)
    wars = cluster_ids(frame)
    ids = np.unique(wars)
    weights = (wars[None, :] != ids[:, None]).astype(float)
    off = None if np.ndim(offset) == 0 else offset
    fit = penalised_newton(X, y, weights, link=link, offset=off, start=beta)
    ok = fit.converged & ~fit.failed
    rows = np.arange(len(frame))
    full = _quantities(beta, designs, rows, inverse, offset)
    folds = np.array([_quantities(b, designs, rows, inverse, offset) for b in fit.params])
    se = np.sqrt(((folds - full) ** 2).sum(axis=0)) if ok.all() else np.full(len(full), np.nan)
    t = stats.t.ppf(1 - alpha / 2, len(ids) - 1)
    return pd.DataFrame({"quantity": QUANTITIES, "jack_se": se, "jack_ci_low": full - t * se,
                         "jack_ci_high": full + t * se, "jack_df": len(ids) - 1,
                         "jack_not_converged": int((~ok).sum())})


def penalised_cluster_bootstrap(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101,
                                alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Percentile CIs of the seven quantities from resampling wars with replacement (pairs cluster
    bootstrap) and refitting the penalised model (Firth logit or Jeffreys cloglog) to each resample.

    A penalised estimate is finite under separation, so every replicate has an estimate; replicates
    whose refit failed or did not converge are excluded and counted. The resamples are the same as
    :func:`cluster_bootstrap` draws for the same seed (:func:`_war_draws`)."""
    from .penalised import penalised_newton

    if result.estimator not in PENALISED:
        raise ValueError(f"penalised_cluster_bootstrap refits penalised fits; {result.name} is {result.estimator!r}")
    X, y, link, offset, beta, designs, inverse = _penalised_design(result, frame)
    weights = _war_draws(cluster_ids(frame), reps, seed)
    off = None if np.ndim(offset) == 0 else offset
    fit = penalised_newton(X, y, weights, link=link, offset=off, start=beta)
    ok = fit.converged & ~fit.failed
    total = weights.sum(axis=1)
    with np.errstate(all="ignore"):
        from .batched import inverse_link

        cells = np.column_stack([(weights * inverse_link(fit.params @ designs[c].T + offset, link)).sum(axis=1) / total
                                 for c in CELLS])
    draws = (cells @ _CONTRASTS.T)[ok]
    lo, hi = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
    table = pd.DataFrame({"quantity": QUANTITIES, "boot_se": draws.std(axis=0, ddof=1), "boot_ci_low": lo,
                          "boot_ci_high": hi})
    return table, {"reps": reps, "failed": int(fit.failed.sum()), "not_converged": int((~fit.converged & ~fit.failed)
                                                                                        .sum()), "seed": seed}
