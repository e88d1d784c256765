"""Few-cluster inference for the linear probability model: CR1, CR2 with small-sample degrees of
freedom, CR3 (jackknife), and the wild cluster bootstrap.

All defections fall in a handful of wars, so CR1 (the usual cluster-robust) standard errors
with t(G-1) are anti-conservative (Cameron, Gelbach and Miller 2008; MacKinnon and Webb 2017),
and more so for a regressor that is non-zero in few clusters: the interaction democracy x
systemic_favorable is identified by a handful of wars. Remedies, all on the LPM:

* CR2 (Bell-McCaffrey) standard errors with the Imbens-Kolesar (2016) and the Bell-McCaffrey /
  Satterthwaite (clubSandwich) degrees of freedom for the interaction, which fall far below G - 1
  when few clusters carry the regressor (:mod:`replication.models.smallsample`, written by hand:
  no Python library computes them);
* CR3, the jackknife sum sum_g (b_(-g) - b)(b_(-g) - b)' (clubSandwich's CR3), with t(G-1); it
  equals ``pyfixest``'s vcov "CRV3" with ``ssc(k_adj=False, G_adj=False)`` (tested), while its
  default CRV3 also multiplies the sum by CR1's factor G/(G-1) (N-1)/(N-K), not the textbook CR3;
  computed by :func:`~replication.models.smallsample.cr3_vcov`, which names a war whose removal
  loses identification where pyfixest would silently use a pseudo-inverse;
* the restricted wild cluster bootstrap-t (WCR11: null imposed, CR1 studentisation, Webb
  six-point weights, which behave better than Rademacher with few clusters) from ``pyfixest``
  (its ``wildboottest``, the same algorithm as the ``wildboottest`` package); the 95% CI is
  obtained by test inversion (bisection on the null value, same weights at every step). With
  few treated clusters (wars where the regressor is non-zero) the wild cluster bootstrap is
  itself unreliable: the restricted one under-rejects and the unrestricted one over-rejects
  (MacKinnon and Webb 2017, 2018); the table counts them and says so.

References: Cameron, Gelbach and Miller (2008), *REStat* 90(3); MacKinnon and Webb (2017), "Wild
bootstrap inference for wildly different cluster sizes", *J. Applied Econometrics* 32(2);
MacKinnon and Webb (2018), "The wild bootstrap for few (treated) clusters", *Econometrics
Journal* 21(2); Webb (2023), *Canadian J. Economics* 56(3); Roodman, MacKinnon, Nielsen and Webb
(2019), *Stata Journal* 19(1); Bell and McCaffrey (2002), *Survey Methodology* 28(2); Imbens and
Kolesar (2016), *REStat* 98(4); Pustejovsky and Tipton (2018), *JBES* 36(4).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .data import interaction_cluster_counts

TERM = "democracy:systemic_favorable"


def _formula(frame: pd.DataFrame, y: str = "y") -> str:
    controls = list(frame.attrs.get("controls", ["power_share", "major_power"]))
    return f"{y} ~ democracy * systemic_favorable" + "".join(f" + {c}" for c in controls)


def _feols(data: pd.DataFrame, formula: str, vcov):
    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.feols(formula, data=data, vcov=vcov)


def _compile_wildboottest_kernel_once() -> None:
    """wildboottest (which pyfixest calls) defines its numba kernel ``compute_denom`` inside
    ``WildboottestCL.get_denom``, so numba compiles it again on every call: 0.43 s of a 0.47 s
    p-value, and the CI inversion makes ~40 calls. The kernel uses only its arguments (no closure
    variables), so one compiled dispatcher per code object and options serves every call; the
    arithmetic is numba's own, unchanged. Patched once per process, in wildboottest's module only;
    a kernel that does close over variables is compiled as before."""
    import wildboottest.wildboottest as wb

    if getattr(wb, "_kernel_cache", None) is not None:
        return
    original, cache = wb.njit, {}

    def njit(*args, **options):
        if args and callable(args[0]):  # bare @njit
            return njit(**options)(args[0])

        def decorate(fn):
            if fn.__code__.co_freevars:
                return original(*args, **options)(fn)
            key = (fn.__code__, tuple(sorted(options.items())))
            if key not in cache:
                cache[key] = original(*args, **options)(fn)
            return cache[key]

        return decorate

    wb.njit, wb._kernel_cache = njit, cache


def wild_p(frame: pd.DataFrame, null: float = 0.0, reps: int = 9999, seed: int = 20131101,
           weights: str = "webb", term: str = TERM) -> float:
    """Wild cluster bootstrap p-value of H0: coefficient(term) = ``null`` (two-sided)."""
    _compile_wildboottest_kernel_once()
    data = frame.assign(_y_null=frame["y"] - null * frame["democracy"] * frame["systemic_favorable"]) \
        if term == TERM else frame.assign(_y_null=frame["y"] - null * frame[term])
    fit = _feols(data, _formula(frame, "_y_null"), {"CRV1": _cluster(frame)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = fit.wildboottest(param=term, reps=reps, seed=seed, weights_type=weights, cluster=_cluster(frame))
    return float(res["Pr(>|t|)"])


def _invert(frame, estimate, step, reps, seed, weights, alpha, side) -> float:
    """Bisection for the null value where the wild bootstrap p-value crosses alpha."""
    inside, outside = estimate, estimate + side * step
    for _ in range(20):  # expand until rejected
        if wild_p(frame, outside, reps, seed, weights) < alpha:
            break
        inside, outside = outside, outside + side * step
    for _ in range(14):  # bisection: the interval shrinks to 2**-14 of its width
        mid = (inside + outside) / 2
        if wild_p(frame, mid, reps, seed, weights) < alpha:
            outside = mid
        else:
            inside = mid
    return (inside + outside) / 2


# Treated clusters (wars where the interaction regressor is non-zero) below which the table's note
# says the wild cluster bootstrap is unreliable. MacKinnon and Webb (2017, 2018) show that the
# WCR bootstrap fails when few clusters are treated (it under-rejects badly with one to a few
# treated clusters of 50) and give no single cut-off; 10 is this project's conservative flag, not
# a published threshold. The same applies to few untreated clusters, so the smaller count is used.
WILD_MIN_TREATED = 10


def lpm_design(frame: pd.DataFrame):
    """y, X (patsy, the LPM's columns in formula order) and the war of each row."""
    from patsy import dmatrices

    y, X = dmatrices(_formula(frame), frame, return_type="dataframe")
    return y.iloc[:, 0].to_numpy(), X, frame[_cluster(frame)].to_numpy()


def _cluster(frame: pd.DataFrame) -> str:
    """The frame's cluster column: ``cluster`` (model_frame's, war or contributor), else ``war``."""
    return "cluster" if "cluster" in frame else "war"


def wild_bootstrap_note(treated: int, n_clusters: int, threshold: int = WILD_MIN_TREATED) -> str:
    """The table's statement on the wild bootstrap's reliability for this number of treated wars."""
    few = min(treated, n_clusters - treated)
    if few >= threshold:
        return ""
    side = "treated" if treated <= n_clusters - treated else "untreated"
    return (f"only {few} {side} wars (interaction non-zero in {treated} of {n_clusters}): with so few treated "
            "clusters the wild cluster bootstrap is unreliable (the restricted one under-rejects, the unrestricted "
            f"one over-rejects; MacKinnon and Webb 2017, 2018); flagged below {threshold}, a conservative rule, not "
            "a published cut-off")


def few_cluster_table(frame: pd.DataFrame, reps: int = 9999, seed: int = 20131101, weights: str = "webb",
                      alpha: float = 0.05, ci: bool = True) -> pd.DataFrame:
    """The LPM interaction coefficient (= the second difference on the probability scale) under
    CR1 with t(G-1), CR2 with the Imbens-Kolesar and with the Satterthwaite degrees of freedom,
    CR3 (jackknife) with t(G-1), and the restricted wild cluster bootstrap, with cluster counts.

    Columns: model, term, method, estimate, std_error, df (of the t reference distribution; NA for
    the bootstrap), ci_low, ci_high, p_value (two-sided), n, events, n_clusters,
    clusters_with_events, clusters_interaction_nonzero (treated wars), clusters_interaction_varies
    (wars where the interaction takes two values), moulton_rho and moulton_sigma2 (the working model
    of the IK df), note (the wild bootstrap's reliability), seed, wild_reps, wild_weights.

    References: see the module docstring and :mod:`replication.models.smallsample`.
    """
    from scipy import stats

    from .smallsample import cr2_dof, cr2_vcov, cr3_vcov

    counts = interaction_cluster_counts(frame)
    G = counts["n_clusters"]

    def row(label, est, se, df):
        crit = stats.t.ppf(1 - alpha / 2, df)
        return {"method": label, "estimate": est, "std_error": se, "df": df, "ci_low": est - crit * se,
                "ci_high": est + crit * se, "p_value": float(2 * stats.t.sf(abs(est / se), df))}

    fit1 = _feols(frame, _formula(frame), {"CRV1": _cluster(frame)})
    est = float(fit1.coef()[TERM])
    rows = [row("CR1, t(G-1)", est, float(fit1.se()[TERM]), G - 1)]
    y, X, war = lpm_design(frame)
    b = np.linalg.lstsq(X.to_numpy(), y, rcond=None)[0]
    resid = y - X.to_numpy() @ b
    contrast = (X.columns == TERM).astype(float)
    se2 = float(np.sqrt(contrast @ cr2_vcov(X.to_numpy(), resid, war) @ contrast))
    dof = cr2_dof(X.to_numpy(), resid, war, contrast)
    rows.append(row("CR2 (Bell-McCaffrey), Imbens-Kolesar df", est, se2, dof.imbens_kolesar))
    rows.append(row("CR2 (Bell-McCaffrey), Satterthwaite df (clubSandwich)", est, se2, dof.satterthwaite))
    # pyfixest's CRV3 with ssc(k_adj=False, G_adj=False) gives the same number (tests), but it uses a
    # pseudo-inverse when leaving a war out loses identification; cr3_vcov says so instead.
    try:
        rows.append(row("CR3 (jackknife sum, clubSandwich), t(G-1)", est,
                        float(np.sqrt(contrast @ cr3_vcov(X.to_numpy(), resid, war) @ contrast)), G - 1))
        cr3_note = ""
    except ValueError as exc:
        rows.append({"method": "CR3 (jackknife sum, clubSandwich), t(G-1)", "estimate": est, "std_error": np.nan,
                     "df": G - 1, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan})
        cr3_note = str(exc)
    p_wild = wild_p(frame, 0.0, reps, seed, weights)
    se1 = rows[0]["std_error"]
    lo = _invert(frame, est, 2 * se1, reps, seed, weights, alpha, -1) if ci else np.nan
    hi = _invert(frame, est, 2 * se1, reps, seed, weights, alpha, +1) if ci else np.nan
    rows.append({"method": f"wild cluster bootstrap (WCR11, {weights} weights, {reps} reps)", "estimate": est,
                 "std_error": np.nan, "df": np.nan, "ci_low": lo, "ci_high": hi, "p_value": p_wild})
    out = pd.DataFrame(rows)
    out.insert(0, "term", TERM)
    out.insert(0, "model", "LPM (OLS), clustered by war")
    out["n"], out["events"] = len(frame), int(frame["y"].sum())
    for key in ("n_clusters", "clusters_with_events", "clusters_interaction_nonzero", "clusters_interaction_varies"):
        out[key] = counts[key]
    out["moulton_rho"] = np.where(out.method.str.contains("Imbens-Kolesar"), dof.moulton_rho, np.nan)
    out["moulton_sigma2"] = np.where(out.method.str.contains("Imbens-Kolesar"), dof.moulton_sigma2, np.nan)
    out["note"] = np.where(out.method.str.startswith("wild"),
                           wild_bootstrap_note(counts["clusters_interaction_nonzero"], G),
                           np.where(out.method.str.startswith("CR3"), cr3_note, ""))
    out["seed"], out["wild_reps"], out["wild_weights"] = seed, reps, weights
    return out
