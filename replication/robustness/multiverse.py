"""The multiverse (specification curve) of the interaction's second difference.

Choices (all crossed): outcome (defected / defected_strict / defected_broad / exit_early),
regime measure (Polity >= 6, Polity >= 7, BMR), phase scheme (year / half), NMC version
(4.0-7.0), definition of favourable systemic conditions over the panel's three index
conditions (index >= 2 of 3, the panel's rule; the graded 0-1 index; all 3, the 2013
paper's Table 2 rule; each condition dropped in turn, favourable = both others), and
estimator (logit, Firth, hazard, LPM): 4 x 3 x 2 x 4 x 6 x 4 = 2,304 specifications.
Partnerless rows are left out of every risk set, and so are the rows after a state's historical
exit (``after_exit``), as in ``model_frame`` for these four outcomes (all dated by the historical
record; the COW-dates variant ``defected_cow_dates`` is not one of the choices).

Specifications whose estimation data are identical are marked (``duplicate_of``, ``distinct``);
those with the same outcome, regime and systemic coding that differ only in the NMC-based power
share (NMC v5, v6 and v7 give the same coding; power shares differ in the fifth decimal) are
marked ``same_coding_as`` and the summaries count distinct codings. A
separated logit or hazard specification (Konis LP check) is refitted by Firth and labelled
"separated: Firth" rather than dropped.

Each specification reports the second difference on the probability scale,
[P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)], with a delta-method 95% CI.
Estimation is written against the design matrix directly (statsmodels Logit/OLS with
war-clustered covariance; firthmodels) rather than through formulas or marginaleffects:
2,304 fits must finish within a minute on two cores, and formula parsing and
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

CONDITIONS = ["losing", "symmetric", "external_gt_internal"]  # the panel's index conditions

CHOICES = {
    "outcome": ["defected", "defected_strict", "defected_broad", "exit_early"],
    "regime": ["polity>=6", "polity>=7", "bmr"],
    "scheme": ["year", "half"],
    "nmc_version": ["4.0", "5.0", "6.0", "7.0"],
    "systemic": ["index>=2", "graded (0-1)", "all 3"] + [f"drop {c}" for c in CONDITIONS]
    + ["defeat divides: index>=2", "defeat divides: graded (0-1)"],
    "estimator": ["logit", "firth", "hazard", "lpm"],
}


def _float(series: pd.Series) -> np.ndarray:
    """A nullable panel column as float64 with NaN for NA."""
    return series.astype("Float64").to_numpy(dtype="float64", na_value=np.nan)


def panel_arrays(panel: pd.DataFrame) -> dict:
    """The panel columns the specifications draw on, as float arrays, for the rows at risk
    (partnerless rows and rows after a historical exit are never at risk of the four historically
    dated outcomes, as in ``model_frame``). Computed once per panel: the 72 codings of a panel are
    then numpy operations on them."""
    from ..models.data import exposure_days
    from ..panel.exits import at_risk

    panel = panel[at_risk(panel, "defected").to_numpy()]
    out = {c: _float(panel[c]) for c in [*CONDITIONS, "systemic_graded", "graded_if_defeat_divides",
                                         "democracy_bmr", "polity2_lag", "years_since_entry", "power_share",
                                         "major_power", *CHOICES["outcome"]]}
    for outcome in CHOICES["outcome"]:  # the hazard's exposure depends on the outcome (models.data)
        out[f"exposure: {outcome}"] = exposure_days(panel, outcome).to_numpy(dtype="float64")
    out["war"] = panel["war_num"].to_numpy(dtype="int64")
    return out


def _columns(panel: pd.DataFrame | dict, outcome: str, regime: str, systemic: str) -> pd.DataFrame:
    a = panel if isinstance(panel, dict) else panel_arrays(panel)
    if systemic == "graded (0-1)":
        fav = a["systemic_graded"]
    elif systemic == "defeat divides: graded (0-1)":
        fav = a["graded_if_defeat_divides"]
    else:
        # the second reading of favourable (replication.models.hypotheses.READINGS): losing reversed
        divides = systemic.startswith("defeat divides")
        rule = systemic.removeprefix("defeat divides: ")
        keep = [c for c in CONDITIONS if c != rule.removeprefix("drop ")]
        cond = np.column_stack([1.0 - a[c] if (divides and c == "losing") else a[c] for c in keep])
        needed = {"index>=2": 2, "all 3": 3}.get(rule, 2)  # "drop X": both others
        count = cond.sum(axis=1)  # NaN when any condition is NA
        fav = np.where(np.isnan(count), np.nan, (count >= needed) if rule == "index>=2" else (count == needed))
    if regime == "bmr":
        dem = a["democracy_bmr"]
    else:
        p2 = a["polity2_lag"]
        dem = np.where(np.isnan(p2), np.nan, p2 >= int(regime.split(">=")[1]))
    t = a["years_since_entry"]
    y = a[outcome]
    # exposure: the would-be days in an event's phase, the actual days at risk elsewhere (models.data)
    log_exposure = np.log(a[f"exposure: {outcome}"])
    cols = {"y": y, "dem": dem.astype(float), "fav": fav.astype(float), "power_share": a["power_share"],
            "major_power": a["major_power"], "t": t, "t2": t ** 2, "t3": t ** 3, "log_exposure": log_exposure}
    complete = np.logical_and.reduce([~np.isnan(v) for v in cols.values()])
    frame = pd.DataFrame({k: v[complete] for k, v in cols.items()})
    frame.insert(len(cols), "war", a["war"][complete])
    return frame


def _controls(d: pd.DataFrame, hazard: bool) -> np.ndarray:
    # No log days at risk: it is shortened by the exit itself (see replication.models.data).
    return np.column_stack([d[c].to_numpy(dtype=float) for c in
                            ["power_share", "major_power", *(["t", "t2", "t3"] if hazard else [])]])


def _design(d: pd.DataFrame, dem, fav, hazard: bool, controls: np.ndarray | None = None) -> np.ndarray:
    """[1, dem, fav, dem x fav, power share, major power (, t, t^2, t^3)]. ``controls``: the last
    columns, when the caller already has them (a specification builds its design five times)."""
    controls = _controls(d, hazard) if controls is None else controls
    n = len(controls)
    dem = np.broadcast_to(np.asarray(dem, float), n)
    fav = np.broadcast_to(np.asarray(fav, float), n)
    return np.column_stack([np.ones(n), dem, fav, dem * fav, controls])


def _second_differences(d: pd.DataFrame, params: np.ndarray, hazard: bool,
                         controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The second difference and its gradient for a batch of coefficient vectors ``params`` (B, k):
    average predictions over d's rows with dem and fav set to each cell (fav at its lowest and highest
    observed value), on the probability scale of the model's own link (the hazard: the probability of
    exit within the phase at each phase's exposure, cloglog with the log-exposure offset)."""
    from ..models.batched import inverse_link
    from ..models.penalised import inverse_link_deriv

    link = "cloglog" if hazard else "logit"
    offset = d["log_exposure"].to_numpy(dtype=float) if hazard else 0.0
    lo, hi = float(d["fav"].min()), float(d["fav"].max())
    params = np.atleast_2d(params)
    est, grad = np.zeros(len(params)), np.zeros_like(params)
    for dem, fav, sign in ((1, hi, 1), (0, hi, -1), (1, lo, -1), (0, lo, 1)):
        Xc = _design(d, dem, fav, hazard, controls)
        with np.errstate(over="ignore"):
            eta = params @ Xc.T + offset
            est += sign * inverse_link(eta, link).mean(axis=1)
            grad += sign * (inverse_link_deriv(eta, link) @ Xc) / len(Xc)
    return est, grad


def second_difference(d: pd.DataFrame, estimator: str) -> dict:
    """Estimate the second difference and its 95% CI for one specification."""
    return estimate_specifications([(d, estimator)])[0]


Z95 = 1.959963984540054  # the normal 97.5% quantile, as the tables use it (scipy.stats.norm.ppf(0.975))
JACKKNIFE_MAXITER = 25  # a separated fold is at its limit by then (fitted probabilities ~exp(-25))


def _pad(jobs, link: str):
    """Stack per-fit designs of one link (their column counts are equal) into (B, n_max, k), with zero-weight
    padding rows; returns X, y, weights, offsets."""
    n_max = max(len(j["y"]) for j in jobs)
    k = jobs[0]["X"].shape[1]
    Xs, ys, ws, offs = (np.zeros((len(jobs), n_max, k)), np.zeros((len(jobs), n_max)), np.zeros((len(jobs), n_max)),
                        np.zeros((len(jobs), n_max)))
    for r, j in enumerate(jobs):
        n = len(j["y"])
        Xs[r, :n], ys[r, :n], ws[r, :n] = j["X"], j["y"], 1.0
        if link == "cloglog":
            offs[r, :n] = j["d"]["log_exposure"].to_numpy(dtype=float)
    return Xs, ys, ws, offs


def _cr3_ols(X: np.ndarray, resid: np.ndarray, wars: np.ndarray, bread: np.ndarray) -> np.ndarray:
    """CR3 of OLS, (X'X)^-1 [sum_g X_g'(I - H_gg)^-1 e_g e_g'(I - H_gg)^-1 X_g] (X'X)^-1 (Bell and McCaffrey
    2002; equal to the jackknife sum, replication.models.smallsample.cr3_vcov, which tests check it against).

    By Woodbury, X_g'(I - H_gg)^-1 e_g = s_g + S_g (X'X - S_g)^-1 s_g with S_g = X_g'X_g and s_g = X_g'e_g:
    one k x k solve per war instead of an n_g x n_g one. NaN when leaving a war out loses identification."""
    codes = np.unique(wars, return_inverse=True)[1]
    G, k = codes.max() + 1, X.shape[1]
    S = np.zeros((G, k, k))
    np.add.at(S, codes, np.einsum("ni,nj->nij", X, X))
    sv = np.zeros((G, k))
    np.add.at(sv, codes, X * resid[:, None])
    try:
        u = sv + np.einsum("gij,gj->gi", S, np.linalg.solve(X.T @ X - S, sv[:, :, None])[:, :, 0])
    except np.linalg.LinAlgError:
        return np.full((k, k), np.nan)
    return bread @ (u.T @ u) @ bread


def _cell_separated(dem: np.ndarray, fav: np.ndarray, y: np.ndarray) -> bool | None:
    """Quasi-complete separation read off the cells: with binary dem and fav, a dem x fav cell with no event
    (or only events) is separated, because its indicator lies in the span of [1, dem, fav, dem x fav]. None
    when fav is graded or every cell has both outcomes (the LP decides)."""
    if not (np.isin(fav, (0.0, 1.0)).all() and np.isin(dem, (0.0, 1.0)).all()):
        return None
    for dv in (0.0, 1.0):
        for fv in (0.0, 1.0):
            cell = (dem == dv) & (fav == fv)
            if cell.any() and (y[cell].sum() == 0 or y[cell].sum() == cell.sum()):
                return True
    return None


def estimate_specifications(specs: list[tuple[pd.DataFrame, str]]) -> list[dict]:
    """The second difference of every (estimation data, estimator) pair, with its 95% CI.

    Estimators and intervals (never CR1 with +-1.96, which the few event wars make anti-conservative;
    the old CR1 interval is kept in ``ci_low_cr1``/``ci_high_cr1`` to count the conclusions it changes):

    * ``logit`` and ``hazard`` (complementary log-log with the log-exposure offset): maximum likelihood;
      the CI is the war jackknife (CR3 form): every leave-one-war-out refit's second difference
      theta_-g, variance sum_g (theta_-g - theta)^2, t(G - 1). A leave-one-war-out fit that is
      separated is kept at its limit (its probabilities run to 0 or 1; ``jackknife_not_converged``
      counts them). A separated full-sample fit (Konis LP check, or an empty democracy x conditions
      cell) has no ML estimate: it is refitted by Firth (logit) or the Jeffreys-penalised cloglog with
      the offset (hazard), with the model-based interval, and labelled "separated: Firth" /
      "separated: penalised cloglog".
    * ``firth``: Firth's logit with the model-based delta-method interval (z), the test of Table 5.
    * ``lpm``: OLS, the interaction coefficient times the range of fav, CR3 (the jackknife form of
      Bell and McCaffrey, (I - H_gg)^-1), t(G - 1).

    Statuses otherwise: "no variation" (fewer than two events, or dem or fav constant), "failed: rank
    deficient" (the design's columns are collinear: no estimate exists), "not converged".

    All penalised fits of a link are one call of the batched penalised solver, all ML fits one call
    of the batched Newton, and all their jackknife folds one more (per-fit designs padded with
    zero-weight rows); hand-batched because these are thousands of small fits.
    """
    from scipy.special import logit as logit_fn
    from scipy.special import stdtrit  # Student t quantiles without importing scipy.stats (~1 s per worker)

    from ..models.batched import cluster_cov, inverse_link, newton
    from ..models.firth import separation_check
    from ..models.penalised import inverse_link_deriv, penalised_newton

    results: list[dict] = [{} for _ in specs]
    penalised: dict[tuple[int, bool], dict] = {}  # the Firth fit of a design serves 'firth' and a separated logit
    ml: list[dict] = []
    described: dict[int, tuple] = {}  # the four estimators of a coding share its data
    for i, (d, estimator) in enumerate(specs):
        if id(d) not in described:
            y, wars = d["y"].to_numpy(dtype=float), d["war"].to_numpy()
            inter = d["dem"].to_numpy(dtype=float) * d["fav"].to_numpy(dtype=float)
            per_war = pd.Series(inter).groupby(wars)
            counts = {"n": len(d), "events": int(y.sum()), "n_clusters": len(np.unique(wars)),
                      "clusters_with_events": len(np.unique(wars[y > 0])),
                      "clusters_interaction_nonzero": int((per_war.max() != 0).sum()),
                      "clusters_interaction_varies": int((per_war.nunique() > 1).sum())}
            varies = d["dem"].nunique() >= 2 and d["fav"].nunique() >= 2
            described[id(d)] = (counts, varies, y, d["dem"].to_numpy(dtype=float), d["fav"].to_numpy(dtype=float))
        counts, varies, y, dem, fav = described[id(d)]
        out = dict(counts)
        results[i] = out
        if out["events"] < 2 or not varies:
            out["status"] = "no variation"
            continue
        hazard = estimator == "hazard"
        controls = _controls(d, hazard)
        X = _design(d, dem, fav, hazard, controls)
        if np.linalg.matrix_rank(X) < X.shape[1]:
            out["status"] = "failed: rank deficient"
            continue
        G = out["n_clusters"]
        if estimator == "lpm":
            # In the LPM the second difference is the interaction coefficient times the fav range.
            scale = float(d["fav"].max() - d["fav"].min())
            bread = np.linalg.inv(X.T @ X)
            beta = bread @ (X.T @ y)
            resid = y - X @ beta
            wars = d["war"].to_numpy()
            cov1 = cluster_cov(X, X * resid[:, None], bread, wars)
            cov3 = _cr3_ols(X, resid, wars, bread)
            est = float(beta[3] * scale)
            se3, se1 = float(np.sqrt(cov3[3, 3]) * scale), float(np.sqrt(cov1[3, 3]) * scale)
            t = float(stdtrit(G - 1, 0.975))
            out.update(status="ok", estimate=est, ci_low=est - t * se3, ci_high=est + t * se3,
                       inference="CR3, t(G-1)", ci_low_cr1=est - 1.96 * se1, ci_high_cr1=est + 1.96 * se1)
            continue
        separated = estimator != "firth" and (_cell_separated(dem, fav, y)
                                              or bool(separation_check(X, y)["separation"]))
        if estimator == "firth" or separated:
            key = (id(d), hazard)
            job = penalised.setdefault(key, {"d": d, "X": X, "y": y, "hazard": hazard, "controls": controls,
                                             "positions": []})
            label = "ok" if estimator == "firth" else ("separated: penalised cloglog" if hazard else "separated: Firth")
            job["positions"].append((i, label))
            continue
        ml.append({"i": i, "d": d, "X": X, "y": y, "hazard": hazard, "controls": controls, "G": G})
    # Penalised fits (Firth logit, Jeffreys cloglog with the offset), model-based delta-method intervals.
    for link in ("logit", "cloglog"):
        jobs = [j for j in penalised.values() if j["hazard"] == (link == "cloglog")]
        if not jobs:
            continue
        Xs, ys, ws, offs = _pad(jobs, link)
        fit = penalised_newton(Xs, ys, ws, link=link, offset=offs)
        for r, j in enumerate(jobs):
            if fit.failed[r] or not fit.converged[r]:
                for i, label in j["positions"]:
                    results[i]["status"] = label + (" failed" if fit.failed[r] else " not converged")
                continue
            est, grad = _second_differences(j["d"], fit.params[r], j["hazard"], j["controls"])
            se = float(np.sqrt(max(grad[0] @ fit.cov[r] @ grad[0], 0.0)))
            for i, label in j["positions"]:
                results[i].update(status=label, estimate=float(est[0]), ci_low=float(est[0]) - Z95 * se,
                                  ci_high=float(est[0]) + Z95 * se, inference="model-based (I^-1), z")
    # Maximum likelihood and its war jackknife.
    for link in ("logit", "cloglog"):
        jobs = [j for j in ml if j["hazard"] == (link == "cloglog")]
        if not jobs:
            continue
        Xs, ys, ws, offs = _pad(jobs, link)
        starts = np.zeros((len(jobs), Xs.shape[2]))
        for r, j in enumerate(jobs):
            y = j["y"]
            if link == "cloglog":
                # cloglog(mean) minus the mean offset: the intercept of a constant daily hazard
                starts[r, 0] = np.log(-np.log1p(-y.mean())) - offs[r, :len(y)].mean()
            else:
                starts[r, 0] = logit_fn(y.mean())
        fit = newton(Xs, ys, ws, link=link, offset=offs, start=starts, maxiter=100)
        # every job's folds: one batched Newton per job on its own design (shared by its folds, so the
        # Hessians are one matrix product), the war left out at weight 0, warm-started at the job's estimate
        folds = {}
        for r, j in enumerate(jobs):
            if fit.failed[r]:
                continue
            wars = j["d"]["war"].to_numpy()
            weights = (wars[None, :] != np.unique(wars)[:, None]).astype(float)
            offset = j["d"]["log_exposure"].to_numpy(dtype=float) if j["hazard"] else None
            folds[r] = newton(j["X"], j["y"], weights, link=link, offset=offset,
                              start=fit.params[r, :j["X"].shape[1]], maxiter=JACKKNIFE_MAXITER)
        for r, j in enumerate(jobs):
            i, d, X, y, hazard, controls = j["i"], j["d"], j["X"], j["y"], j["hazard"], j["controls"]
            if fit.failed[r]:
                results[i]["status"] = "failed: LinAlgError"
                continue
            beta = fit.params[r]
            est, grad = _second_differences(d, beta, hazard, controls)
            theta, _ = _second_differences(d, np.nan_to_num(folds[r].params), hazard, controls)
            se = float(np.sqrt(np.sum((theta - est[0]) ** 2)))
            t = float(stdtrit(j["G"] - 1, 0.975))
            # the old interval (CR1, +-1.96), kept only to count the conclusions the change moves
            offset = d["log_exposure"].to_numpy(dtype=float) if hazard else 0.0
            eta = X @ beta + offset
            mu, dmu = inverse_link(eta, link), inverse_link_deriv(eta, link)
            v = np.clip(mu * (1 - mu), 1e-300, None)
            try:
                with np.errstate(over="ignore", invalid="ignore"):  # NaN when the fit sits at 0 or 1
                    bread = np.linalg.inv(X.T @ (X * (dmu ** 2 / v)[:, None]))
                    cov1 = cluster_cov(X, X * ((y - mu) * dmu / v)[:, None], bread, d["war"].to_numpy())
                    se1 = float(np.sqrt(max(grad[0] @ cov1 @ grad[0], 0.0)))
            except np.linalg.LinAlgError:  # fitted probabilities at 0 or 1: no CR1 to compare with
                se1 = float("nan")
            results[i].update(status="ok" if fit.converged[r] else "not converged", estimate=float(est[0]),
                              ci_low=float(est[0]) - t * se, ci_high=float(est[0]) + t * se,
                              inference="war jackknife (CR3 form), t(G-1)",
                              jackknife_not_converged=int((~folds[r].converged).sum()),
                              ci_low_cr1=float(est[0]) - 1.96 * se1, ci_high_cr1=float(est[0]) + 1.96 * se1)
    return results


def _data_hash(d: pd.DataFrame) -> str:
    """Fingerprint of a specification's estimation data: equal data and estimator = one specification."""
    import hashlib

    return hashlib.sha256(np.ascontiguousarray(d.to_numpy(dtype=float)).tobytes()).hexdigest()[:16]


def _panel_task(scheme: str, nmc_version: str, choices: dict) -> list[dict]:
    from ..panel import build_panel

    from ..sources import parse_once

    # A worker builds several panels: the files they share are parsed once per worker process.
    with warnings.catch_warnings(), parse_once():
        warnings.simplefilter("ignore")
        panel = build_panel(scheme=scheme, nmc_version=nmc_version, validate=False)
    labels, specs = [], []
    arrays = panel_arrays(panel)
    for outcome, regime, systemic in itertools.product(choices["outcome"], choices["regime"], choices["systemic"]):
        d = _columns(arrays, outcome, regime, systemic)
        data_hash, coding_hash = _data_hash(d), _data_hash(d[["y", "dem", "fav", "war", "t", "log_exposure"]])
        for estimator in choices["estimator"]:
            labels.append({"outcome": outcome, "regime": regime, "scheme": scheme, "nmc_version": nmc_version,
                           "systemic": systemic, "estimator": estimator, "data_hash": data_hash,
                           "coding_hash": coding_hash})
            specs.append((d, estimator))
    return [{**label, **result} for label, result in zip(labels, estimate_specifications(specs))]


def _parallel_config(backend: str | None):
    """joblib's configuration for ``backend`` (None: whatever the caller configured, else loky).
    "dask" is checked first, so a missing package or client is one clear error, and is imported
    only then: the default needs no Dask."""
    import contextlib

    from joblib import parallel_config

    if backend is None:
        return contextlib.nullcontext()
    if backend == "dask":
        try:
            from distributed import get_client
        except ImportError:
            raise ImportError("run_multiverse(backend='dask') needs dask and distributed: "
                              "pip install 'dask[distributed]' (or the package's [dask] extra)") from None
        try:
            get_client()
        except ValueError:
            raise ValueError("run_multiverse(backend='dask') runs on the cluster of the current distributed.Client; "
                             "create one first: Client('tcp://scheduler:8786') for an existing cluster, or "
                             "Client(LocalCluster()) on this machine") from None
    return parallel_config(backend=backend)


def _checked_choices(choices: dict | None) -> dict:
    """``choices`` if every key is one of CHOICES' and every value a list of that key's values; otherwise a
    clear error listing the valid keys or values (a lone string, e.g. {"outcome": "defected"}, is refused:
    it would be read as its letters)."""
    from ..models.data import check_choice, check_names

    if choices is None:
        return {}
    if not isinstance(choices, dict):
        raise TypeError(f"run_multiverse(choices=...) must be a dict of lists, e.g. {{'outcome': ['defected']}}; "
                        f"got {choices!r}")
    for key, values in choices.items():
        check_choice(key, CHOICES, "run_multiverse(choices=...): a key")
        for value in check_names(values, f"choices[{key!r}]", f"[{CHOICES[key][0]!r}]", noun="values"):
            check_choice(value, CHOICES[key], f"run_multiverse(choices=...): a value of {key!r}")
        if not values:
            raise ValueError(f"run_multiverse(choices=...): {key!r} has no values; leave the key out to keep all of "
                             f"{CHOICES[key]}")
    return choices


def run_multiverse(n_jobs: int = 2, choices: dict | None = None, backend: str | None = None) -> pd.DataFrame:
    """All specifications; one parallel task per (scheme, NMC version) panel (joblib).

    Parameters
    ----------
    n_jobs : int
        Parallel tasks (joblib's ``n_jobs``; -1: every core, or every Dask worker thread).
    choices : dict, optional
        A reduced grid (a subset of each of CHOICES' lists; missing keys keep all values).
    backend : str, optional
        joblib backend. None (default): local loky worker processes, or whatever the caller set with
        ``joblib.parallel_config``. ``"dask"``: the tasks run on the Dask cluster of the current
        ``distributed.Client`` (joblib's Dask backend), e.g. after ``Client("tcp://scheduler:8786")``.
        The workers need this package installed and the raw files where ``replication.paths``
        finds them (the same path, or REPLICATION_RAW_DIR / REPLICATION_AUTHORED_DIR set on them).
        The result is the same table, value for value, on every backend.
    """
    from joblib import Parallel, delayed

    choices = {key: list(values) for key, values in {**CHOICES, **_checked_choices(choices)}.items()}
    tasks = list(itertools.product(choices["scheme"], choices["nmc_version"]))
    # return_as="generator": results arrive in task order, so the bar advances as panels finish.
    # loky rather than forked workers: a worker that dies raises instead of hanging the pool, BLAS
    # threads are capped per worker, and numba's GNU OpenMP layer (used in this process by
    # pyfixest before the multiverse runs) is not fork-safe. The tasks import only pandas, the
    # panel and the statsmodels-free models.batched/models.firth, which keeps worker start-up short.
    args = [(s, v, choices) for s, v in tasks]
    with _parallel_config(backend):
        chunks = list(progress(Parallel(n_jobs=n_jobs, return_as="generator")(delayed(_panel_task)(*a) for a in args),
                               desc="multiverse panels", total=len(tasks)))
    out = pd.DataFrame([row for chunk in chunks for row in chunk])
    for c in ["estimate", "ci_low", "ci_high", "inference", "ci_low_cr1", "ci_high_cr1", "jackknife_not_converged"]:
        if c not in out:
            out[c] = np.nan
    order = list(CHOICES)
    out = out.sort_values(order, key=lambda s: s.map({v: i for i, v in enumerate(CHOICES[s.name])}),
                          kind="stable", ignore_index=True)
    out.insert(0, "spec_id", range(1, len(out) + 1))
    # NMC versions that give identical panels (and any other coincidence) yield identical
    # specifications: each is kept, pointing at the first one, so counts can be made over distinct ones.
    first = out.groupby(["data_hash", "estimator"], sort=False)["spec_id"].transform("min")
    out["duplicate_of"] = first.where(first != out["spec_id"]).astype("Int64")
    out["distinct"] = out["duplicate_of"].isna()
    # Same outcome, regime and systemic coding and estimator, differing only in the NMC-based
    # controls (power share): near-duplicates, reported separately.
    first = out.groupby(["coding_hash", "estimator"], sort=False)["spec_id"].transform("min")
    out["same_coding_as"] = first.where(first != out["spec_id"]).astype("Int64")
    out["distinct_coding"] = out["same_coding_as"].isna()
    return out
