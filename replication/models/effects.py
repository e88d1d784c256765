"""The interaction on the probability scale: predicted probabilities of defection in the four
cells democracy x favourable, first differences and the second difference.

Point estimates and delta-method CIs are computed from the design (average predictions over
the sample with both variables set to each cell's values, cluster-robust covariance of the
fitted statsmodels model) so that the cloglog hazard with its exposure offset and the logit
share one code path; ``cell_predictions``/``differences`` give the same numbers for the
logit through ``marginaleffects``, and the tests check that they agree. The war-cluster bootstrap is written here because
neither marginaleffects nor statsmodels resamples clusters: wars are drawn with
replacement, the logit is refitted, and the same average predictions are recomputed.

Every public function here takes the route of the exhibits (:func:`resolve`): a separated
maximum-likelihood fit is never used -- its probabilities sit at 0 or 1 with standard errors of 0
-- but replaced by its penalised refit (the Firth logit, the Jeffreys-penalised cloglog), with a
:class:`~replication.models.results.SeparationWarning`; an unconverged fit raises. Every table
says whose numbers it holds: ``model`` (the fit used), ``status`` and ``replaces`` (the separated
fit it stands in for, or ""). The frame may be omitted: a result keeps the frame it was fitted on.
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
PENALISED = ("firth", "penalised_hazard")


def resolve(result, frame: pd.DataFrame | None, caller: str):
    """The fit whose numbers an effects function reports, and its frame: the same route as the exhibits.

    A fit with status "ok" is used as it is. A separated maximum-likelihood fit is never used (its
    probabilities sit at 0 or 1 with standard errors of 0): its penalised refit is -- ``result.fallback``
    if it was kept, else fitted now (Firth logit for a logit, Jeffreys-penalised cloglog with the offset
    for the hazard) -- with a SeparationWarning that names it. A separated fit without a penalised
    version (the conditional logit), an unconverged or a failed fit raises, because its numbers are
    not estimates.

    Returns
    -------
    (result, frame, replaces)
        The fit used, the model frame, and "" or the name and status of the fit it stands in for.
    """
    from .estimators import penalised_refit
    from .results import ConvergenceError, SeparationError, SeparationWarning, warn

    frame = getattr(result, "frame", None) if frame is None else frame
    if frame is None:
        raise ValueError(f"{caller}: pass the model frame the result was fitted on ({caller}(result, frame))")
    if getattr(result, "estimator", None) not in ("logit", "hazard", *PENALISED):
        raise ValueError(f"{caller}: the cell probabilities are computed for the logit, the hazard, the Firth logit "
                         f"and the penalised hazard; {result.name} is {getattr(result, 'estimator', None)!r} (an LPM's "
                         "coefficients are already on the probability scale)")
    status = result.status
    if status == "ok":
        return result, frame, ""
    if status == "separated":
        refit = result.fallback if result.fallback is not None else penalised_refit(result, frame, profile=False)
        if refit is None:
            raise SeparationError(f"{caller}: {result.name} is separated and has no penalised version; its "
                                  "probabilities are not estimates")
        if refit.status != "ok":
            raise ConvergenceError(f"{caller}: {result.name} is separated and its penalised refit {refit.name} has "
                                   f"status {refit.status!r}")
        warn(f"{caller}: {result.name} is separated (its ML probabilities sit at 0 or 1 with standard errors of 0); "
             f"reporting its penalised refit, {refit.name}, as Tables 4 and 5 do", SeparationWarning)
        return refit, frame, f"{result.name} ({status})"
    raise ConvergenceError(f"{caller}: {result.name} has status {status!r}; its numbers are not estimates. Refit it "
                           "(a penalised model: firth_logit, penalised_hazard) or check the data.")


def _label(table: pd.DataFrame, result, replaces: str = "") -> pd.DataFrame:
    """``table`` with the model used, its status and the fit it replaces in front."""
    out = table.copy()
    out.insert(0, "replaces", replaces)
    out.insert(0, "status", result.status)
    out.insert(0, "model", result.name)
    return out


GRID = {"democracy": [0.0, 1.0], "systemic_favorable": [0.0, 1.0]}


def _avg_predictions(result, hypothesis: str | None = None) -> pd.DataFrame:
    import marginaleffects as me

    pred = me.avg_predictions(result.fitted, variables=GRID, by=["democracy", "systemic_favorable"],
                              hypothesis=hypothesis)
    return pd.DataFrame(pred.to_pandas() if hasattr(pred, "to_pandas") else pred)


def _marginaleffects_applies(result) -> bool:
    """marginaleffects reads a statsmodels Logit correctly. It ignores a GLM's offset (the hazard's
    log exposure: its "probabilities" would be those of a one-day phase) and cannot read a penalised
    fit, so those go through :func:`delta_method` (which tests check against marginaleffects on the logit)."""
    return result.estimator == "logit" and np.ndim(_offset(result)) == 0


def cell_predictions(result, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """Average predicted probabilities of the four cells (democracy x favourable), with delta-method CIs.

    marginaleffects for a maximum-likelihood logit; :func:`delta_method` (the same numbers, the
    design written out) for the hazard, whose offset marginaleffects would ignore, and for penalised
    fits. A separated fit is replaced by its penalised refit (:func:`resolve`, with a warning).
    Columns: model, status, replaces, democracy, systemic_favorable, estimate, std_error, conf_low, conf_high.
    """
    used, frame, replaces = resolve(result, frame, "cell_predictions")
    if _marginaleffects_applies(used):
        out = _avg_predictions(used)
        out = out.astype({"democracy": float, "systemic_favorable": float}).astype({"democracy": int,
                                                                                      "systemic_favorable": int})
        out = out[["democracy", "systemic_favorable", "estimate", "std_error", "conf_low", "conf_high"]]
    else:
        delta = delta_method(used, frame).iloc[:4]
        out = pd.DataFrame({"democracy": [d for d, _ in CELLS], "systemic_favorable": [f for _, f in CELLS],
                            "estimate": delta["estimate"].to_numpy(), "std_error": delta["delta_se"].to_numpy(),
                            "conf_low": delta["delta_ci_low"].to_numpy(), "conf_high": delta["delta_ci_high"].to_numpy()})
    return _label(out.reset_index(drop=True), used, replaces)


def differences(result, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """First differences (democracy 1 - 0 within each condition) and the second difference, as
    contrasts of the same counterfactual cell predictions (marginaleffects hypotheses for a
    maximum-likelihood logit, :func:`delta_method` otherwise, as in :func:`cell_predictions`).

    ``avg_comparisons(..., by="systemic_favorable")`` is not used: it averages within the
    *observed* subgroups, so its differences would not be differences of the cells reported.
    Columns: model, status, replaces, quantity, estimate, std_error, ci_low, ci_high.
    """
    used, frame, replaces = resolve(result, frame, "differences")
    labels = ["first difference: democracy 1 - 0 | favourable = 0", "first difference: democracy 1 - 0 | favourable = 1",
              "second difference: FD | favourable - FD | unfavourable"]
    if not _marginaleffects_applies(used):
        delta = delta_method(used, frame).iloc[4:]
        out = pd.DataFrame({"quantity": labels, "estimate": delta["estimate"].to_numpy(),
                            "std_error": delta["delta_se"].to_numpy(), "ci_low": delta["delta_ci_low"].to_numpy(),
                            "ci_high": delta["delta_ci_high"].to_numpy()})
        return _label(out, used, replaces)
    cells = _avg_predictions(used)
    cells = cells.astype({"democracy": float, "systemic_favorable": float}).astype({"democracy": int,
                                                                                      "systemic_favorable": int})
    b = {(d, f): f"b{i}" for i, (d, f) in enumerate(zip(cells["democracy"], cells["systemic_favorable"]))}
    contrasts = dict(zip(labels, [f"{b[(1, 0)]} - {b[(0, 0)]} = 0", f"{b[(1, 1)]} - {b[(0, 1)]} = 0",
                                  f"({b[(1, 1)]} - {b[(0, 1)]}) - ({b[(1, 0)]} - {b[(0, 0)]}) = 0"]))
    rows = []
    for label, hypothesis in contrasts.items():
        r = _avg_predictions(used, hypothesis).iloc[0]
        rows.append({"quantity": label, "estimate": r["estimate"], "std_error": r["std_error"],
                     "ci_low": r["conf_low"], "ci_high": r["conf_high"]})
    return _label(pd.DataFrame(rows), used, replaces)


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

    from .data import cell_frame

    info = result.fitted.model.data.model_spec if info is None else info  # patsy DesignInfo of the RHS
    designs = {}
    for cell in CELLS:
        designs[cell] = np.asarray(build_design_matrices([info], cell_frame(frame, *cell))[0])
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


def point_quantities(result, frame: pd.DataFrame | None = None) -> pd.Series:
    """The seven quantities computed directly from the coefficients (no library): a check on marginaleffects.
    A separated fit is replaced by its penalised refit (:func:`resolve`); the Series' name says which
    model and status the numbers are from."""
    used, frame, _ = resolve(result, frame, "point_quantities")
    beta, _, info, inverse, _, offset = _backend(used, frame)
    designs = _counterfactual_designs(used, frame, info)
    return pd.Series(_quantities(beta, designs, np.arange(len(frame)), inverse, offset), index=QUANTITIES,
                     name=f"{used.name} ({used.status})")


def delta_method(result, frame: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Estimates, delta-method SEs and normal CIs of the seven quantities, with the fit's covariance
    (``result.cov_type``: war-clustered for ML fits, model-based for penalised ones). Written against
    the design (not marginaleffects) so that offset models and the logit share one code path; tests
    check it against marginaleffects for the logit. A separated fit is replaced by its penalised refit
    (:func:`resolve`). Columns: model, status, replaces, quantity, estimate, delta_se, delta_ci_low,
    delta_ci_high, delta_z."""
    used, frame, replaces = resolve(result, frame, "delta_method")
    return _label(_delta_table(used, frame, alpha), used, replaces)


def _delta_table(result, frame: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
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


def cluster_bootstrap(result, frame: pd.DataFrame | None = None, reps: int = 2000, seed: int = 20131101,
                      alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Percentile CIs from resampling wars with replacement (pairs cluster bootstrap), refitting the
    model to each resample.

    A maximum-likelihood fit (logit, hazard) is refitted by maximum likelihood. Every replicate is
    accounted for: ``separated`` (Konis LP check on the resample: the ML estimate is infinite, the
    fitted probability in some cell tends to 0 or 1 and the replicate is kept at that limit, with a
    SeparationWarning saying how many), ``not_converged`` and ``failed`` (no estimate; excluded from
    the percentiles, and counted). A penalised fit (Firth logit, Jeffreys cloglog) -- and a separated
    ML fit, which is replaced by its penalised refit (:func:`resolve`) -- is refitted by its penalised
    model (:func:`penalised_cluster_bootstrap`), whose estimates are finite on every resample.

    All replicates are refitted at once (:mod:`replication.models.batched`): a resample is the
    original rows with frequency weights, Newton-Raphson warm-started at the full-sample estimate.

    Returns
    -------
    (table, info)
        ``table``: model, status, replaces, quantity, boot_se, boot_ci_low, boot_ci_high; ``info``: reps,
        failed, separated (None for a penalised bootstrap), not_converged, seed, model, status.
    """
    used, frame, replaces = resolve(result, frame, "cluster_bootstrap")
    if used.estimator in PENALISED:
        table, info = penalised_cluster_bootstrap(used, frame, reps=reps, seed=seed, alpha=alpha)
        return _label(table.drop(columns=["model", "status", "replaces"]), used, replaces), info
    table, info = ml_cluster_bootstrap(used, frame, reps=reps, seed=seed, alpha=alpha)
    if info["separated"]:
        from .results import SeparationWarning, warn

        warn(f"cluster_bootstrap: {info['separated']} of {reps} war resamples of {used.name} are separated (their "
             "ML estimate is infinite and is kept at its limit, probabilities of 0 or 1), so the percentile interval "
             "rests on them; penalised_cluster_bootstrap of the Firth refit has finite estimates on every resample",
             SeparationWarning)
    info.update(model=used.name, status=used.status)
    return _label(table, used, replaces), info


def ml_cluster_bootstrap(result, frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101,
                         alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """The maximum-likelihood war-cluster bootstrap of :func:`cluster_bootstrap`, on any ML fit as it
    is (no routing, no warning: for the benchmarks and the tests of the batched solver)."""
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


def interaction_table(result, frame: pd.DataFrame | None = None, reps: int = 2000,
                      seed: int = 20131101) -> pd.DataFrame:
    """The interaction on the probability scale: the four cells' predicted probabilities, the two first
    differences and the second difference, with their intervals and the sample's counts.

    The route is Table 5's. A separated maximum-likelihood fit is replaced by its penalised refit (the
    Firth logit for the logit, the Jeffreys-penalised cloglog for the hazard; a SeparationWarning says
    so and the ``replaces`` column names it). A penalised fit gets delta-method intervals (model-based
    covariance, z), the war jackknife (CR3 form, t(G-1)) and the penalised war-cluster bootstrap; a
    maximum-likelihood fit that exists gets delta-method intervals (its war-clustered covariance) and
    the ML war-cluster bootstrap (see :func:`cluster_bootstrap` for its separated resamples).

    Columns: model, status, replaces, quantity, estimate, delta_se, delta_ci_low, delta_ci_high, delta_z,
    [jack_se, jack_ci_low, jack_ci_high, jack_df, jack_not_converged,] boot_se, boot_ci_low, boot_ci_high,
    boot_reps, boot_failed, boot_separated, boot_not_converged, boot_seed, n, events, n_clusters,
    clusters_with_events.
    """
    from .data import cluster_counts

    used, frame, replaces = resolve(result, frame, "interaction_table")
    out = _delta_table(used, frame)
    if used.estimator in PENALISED:
        out = out.merge(_jackknife_table(used, frame), on="quantity", validate="one_to_one")
        boot, info = penalised_cluster_bootstrap(used, frame, reps=reps, seed=seed)
        boot = boot.drop(columns=["model", "status", "replaces"])
    else:
        boot, info = cluster_bootstrap(used, frame, reps=reps, seed=seed)
        boot = boot.drop(columns=["model", "status", "replaces"])
    out = out.merge(boot, on="quantity", validate="one_to_one")
    out["boot_reps"], out["boot_failed"] = info["reps"], info["failed"]
    out["boot_separated"] = info["separated"] if info.get("separated") is not None else pd.NA
    out["boot_not_converged"], out["boot_seed"] = info["not_converged"], info["seed"]
    counts = cluster_counts(frame)
    out["n"], out["events"] = len(frame), int(frame["y"].sum())
    out["n_clusters"], out["clusters_with_events"] = counts["n_clusters"], counts["clusters_with_events"]
    return _label(out, used, replaces)


def _penalised_design(result, frame: pd.DataFrame):
    """(X, y, link, offset, beta, designs, inverse) of a penalised fit (Firth logit or Jeffreys cloglog)."""
    beta, _, info, inverse, _, offset = _backend(result, frame)
    from patsy import build_design_matrices

    X = np.asarray(build_design_matrices([info], frame)[0], dtype=float)
    link = "cloglog" if result.estimator == "penalised_hazard" else "logit"
    return X, frame["y"].to_numpy(dtype=float), link, offset, beta, _counterfactual_designs(result, frame, info), inverse


PENALISED = ("firth", "penalised_hazard")


def war_jackknife(result, frame: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """Leave-one-war-out refits of a penalised fit (Firth logit or Jeffreys cloglog): each quantity's
    jackknife standard error in the CR3 form, sqrt(sum_g (theta_-g - theta)^2) (Bell and McCaffrey
    2002; the textbook CR3 of clubSandwich, without a (G-1)/G factor), and t(G - 1) intervals.

    Every war's refit is one fit of the batched penalised solver (frequency weight 0 for the war
    left out), warm-started at the full-sample estimate; a refit that fails or does not converge is
    counted in ``jack_not_converged`` and makes the quantities NA (no partial jackknife). A separated
    maximum-likelihood fit is replaced by its penalised refit (:func:`resolve`); a maximum-likelihood fit
    that exists raises (its folds would need ML refits, which may be separated).
    Columns: model, status, replaces, quantity, jack_se, jack_ci_low, jack_ci_high, jack_df, jack_not_converged."""
    used, frame, replaces = resolve(result, frame, "war_jackknife")
    return _label(_jackknife_table(used, frame, alpha), used, replaces)


def _jackknife_table(result, frame: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
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


def penalised_cluster_bootstrap(result, frame: pd.DataFrame | None = None, reps: int = 2000, seed: int = 20131101,
                                alpha: float = 0.05) -> tuple[pd.DataFrame, dict]:
    """Percentile CIs of the seven quantities from resampling wars with replacement (pairs cluster
    bootstrap) and refitting the penalised model (Firth logit or Jeffreys cloglog) to each resample.

    A penalised estimate is finite under separation, so every replicate has an estimate; replicates
    whose refit failed or did not converge are excluded and counted. The resamples are the same as
    :func:`cluster_bootstrap` draws for the same seed (:func:`_war_draws`). A separated
    maximum-likelihood fit is replaced by its penalised refit (:func:`resolve`).
    Returns (table with model, status, replaces, quantity, boot_se, boot_ci_low, boot_ci_high; info)."""
    from .penalised import penalised_newton

    result, frame, replaces = resolve(result, frame, "penalised_cluster_bootstrap")
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
    return _label(table, result, replaces), {"reps": reps, "failed": int(fit.failed.sum()),
                                             "not_converged": int((~fit.converged & ~fit.failed).sum()),
                                             "separated": None, "seed": seed, "model": result.name,
                                             "status": result.status}
