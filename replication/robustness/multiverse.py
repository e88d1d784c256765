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
    "systemic": ["index>=2", "graded (0-1)", "all 3"] + [f"drop {c}" for c in CONDITIONS],
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
    from ..panel.exits import at_risk

    panel = panel[at_risk(panel, "defected").to_numpy()]
    out = {c: _float(panel[c]) for c in [*CONDITIONS, "systemic_graded", "democracy_bmr", "polity2_lag",
                                         "years_since_entry", "power_share", "major_power", *CHOICES["outcome"]]}
    out["war"] = panel["war_num"].to_numpy(dtype="int64")
    return out


def _columns(panel: pd.DataFrame | dict, outcome: str, regime: str, systemic: str) -> pd.DataFrame:
    a = panel if isinstance(panel, dict) else panel_arrays(panel)
    if systemic == "graded (0-1)":
        fav = a["systemic_graded"]
    else:
        keep = [c for c in CONDITIONS if c != systemic.removeprefix("drop ")]
        cond = np.column_stack([a[c] for c in keep])
        needed = {"index>=2": 2, "all 3": 3}.get(systemic, 2)  # "drop X": both others
        count = cond.sum(axis=1)  # NaN when any condition is NA
        fav = np.where(np.isnan(count), np.nan, (count >= needed) if systemic == "index>=2" else (count == needed))
    if regime == "bmr":
        dem = a["democracy_bmr"]
    else:
        p2 = a["polity2_lag"]
        dem = np.where(np.isnan(p2), np.nan, p2 >= int(regime.split(">=")[1]))
    t = a["years_since_entry"]
    cols = {"y": a[outcome], "dem": dem.astype(float), "fav": fav.astype(float), "power_share": a["power_share"],
            "major_power": a["major_power"], "t": t, "t2": t ** 2, "t3": t ** 3}
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


def _firth(X: np.ndarray, y: np.ndarray):
    """Firth fit with the logistf/brglm2 covariance (X'WX)^-1 at the estimate, as in Table 3."""
    from scipy.special import expit

    from ..models.firth import firth_fit

    model, converged = firth_fit(X, y)
    p = expit(X @ model.coef_)
    cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    return model.coef_, cov, "ok" if converged else "not converged"


def second_difference(d: pd.DataFrame, estimator: str) -> dict:
    """Estimate the second difference and its delta-method CI for one specification."""
    return estimate_specifications([(d, estimator)])[0]


def _delta(d: pd.DataFrame, beta: np.ndarray, cov: np.ndarray, hazard: bool, status: str,
           controls: np.ndarray | None = None) -> dict:
    from scipy.special import expit

    controls = _controls(d, hazard) if controls is None else controls
    lo, hi = float(d["fav"].min()), float(d["fav"].max())
    est, grad = 0.0, np.zeros(len(beta))
    for dem, fav, sign in ((1, hi, 1), (0, hi, -1), (1, lo, -1), (0, lo, 1)):
        Xc = _design(d, dem, fav, hazard, controls)
        p = expit(Xc @ beta)
        est += sign * p.mean()
        grad += sign * ((p * (1 - p))[:, None] * Xc).mean(axis=0)
    se = float(np.sqrt(max(grad @ cov @ grad, 0.0)))
    return {"status": status, "estimate": float(est), "ci_low": est - 1.96 * se, "ci_high": est + 1.96 * se}


def estimate_specifications(specs: list[tuple[pd.DataFrame, str]]) -> list[dict]:
    """The second difference of every (estimation data, estimator) pair; the ML logits of all of
    them are fitted at once (:func:`replication.models.batched.newton`), Firth by firthmodels.

    Statuses: "no variation" (fewer than two events, or democracy or favourable constant),
    "failed: rank deficient" (the design's columns are collinear, e.g. favourable only ever
    occurs among democracies: no estimate exists), "separated: Firth" (Konis LP check; refitted
    by Firth), "not converged". The ML logit starts at the logit of the mean outcome for the
    intercept (not zero: Newton from zero runs away on the badly scaled cubic in time) and
    halves any step that lowers the likelihood.
    """
    from scipy.special import logit as logit_fn

    from ..models.batched import cluster_cov, newton
    from ..models.firth import separation_check

    results: list[dict] = [{} for _ in specs]
    firth_cache: dict[tuple[int, bool], tuple] = {}
    batch = []  # (position, d, X, y, hazard, controls)
    described: dict[int, tuple] = {}  # the four estimators of a coding share its data
    for i, (d, estimator) in enumerate(specs):
        if id(d) not in described:
            y, wars = d["y"].to_numpy(dtype=float), d["war"].to_numpy()
            counts = {"n": len(d), "events": int(y.sum()), "n_clusters": len(np.unique(wars)),
                      "clusters_with_events": len(np.unique(wars[y > 0]))}
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
        if estimator == "lpm":
            # In the LPM the second difference is the interaction coefficient times the fav range.
            bread = np.linalg.inv(X.T @ X)
            beta = bread @ (X.T @ y)
            cov = cluster_cov(X, X * (y - X @ beta)[:, None], bread, d["war"].to_numpy())
            scale = float(d["fav"].max() - d["fav"].min())
            est, se = float(beta[3] * scale), float(np.sqrt(cov[3, 3]) * scale)
            out.update(status="ok", estimate=est, ci_low=est - 1.96 * se, ci_high=est + 1.96 * se)
            continue
        separated = estimator != "firth" and bool(separation_check(X, y)["separation"])
        if estimator == "firth" or separated:
            # A separated ML fit has no finite estimate: it is refitted by Firth and labelled so. The
            # Firth fit of a logit design is the same whether asked for or a fallback: fitted once.
            key = (id(d), hazard)
            if key not in firth_cache:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    try:
                        firth_cache[key] = _firth(X, y)
                    except (np.linalg.LinAlgError, ValueError) as exc:
                        firth_cache[key] = exc
            fitted = firth_cache[key]
            if isinstance(fitted, Exception):
                out["status"] = f"failed: {type(fitted).__name__}"
                continue
            beta, cov, status = fitted
            if estimator != "firth":
                status = "separated: Firth" if status == "ok" else "separated: Firth not converged"
            out.update(_delta(d, beta, cov, hazard, status, controls))
            continue
        batch.append((i, d, X, y, hazard, controls))
    if batch:
        k_max, n_max = max(b[2].shape[1] for b in batch), max(len(b[3]) for b in batch)
        Xs, ys, ws, starts = np.zeros((len(batch), n_max, k_max)), np.zeros((len(batch), n_max)), \
            np.zeros((len(batch), n_max)), np.zeros((len(batch), k_max))
        for j, (_, _, X, y, _, _) in enumerate(batch):
            # Padding: zero-weight rows, and for the 6-column logit design three zero columns whose
            # coefficients stay at 0 (their score and Hessian rows are 0 but for the ridge).
            Xs[j, :len(y), :X.shape[1]], ys[j, :len(y)], ws[j, :len(y)] = X, y, 1.0
            starts[j, 0] = logit_fn(y.mean())
        fit = newton(Xs, ys, ws, link="logit", start=starts, maxiter=100)
        for j, (i, d, X, y, hazard, controls) in enumerate(batch):
            beta = fit.params[j, :X.shape[1]]
            if fit.failed[j]:
                results[i]["status"] = "failed: LinAlgError"
                continue
            from scipy.special import expit

            p = expit(X @ beta)
            bread = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
            cov = cluster_cov(X, X * (y - p)[:, None], bread, d["war"].to_numpy())
            results[i].update(_delta(d, beta, cov, hazard, "ok" if fit.converged[j] else "not converged", controls))
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
        data_hash, coding_hash = _data_hash(d), _data_hash(d[["y", "dem", "fav", "war", "t"]])
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

    choices = {key: list(values) for key, values in {**CHOICES, **(choices or {})}.items()}
    for key, values in choices.items():
        unknown = [v for v in values if v not in CHOICES.get(key, [])]
        if unknown:
            raise ValueError(f"run_multiverse(choices=...): {key}={unknown} not among {CHOICES.get(key)}")
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
    for c in ["estimate", "ci_low", "ci_high"]:
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
