"""The three theories of Resnick (2013) compared on the same sample, in three ways that can fail.

1. Nested models (neorealism: systemic conditions only; liberalism: regime type only;
   neoclassical realism: their interaction, which nests both): log-likelihood, AIC, BIC and
   likelihood-ratio tests. Because the rivals are nested in the interaction model, these cannot
   test the neoclassical-realist claim on its own terms; they are reported with events per
   parameter so that over-fitting is visible.
2. Leave-one-war-out log score, penalised: each fold is fitted by Firth's logit (finite
   estimates even when the training wars are separated), held-out probabilities are never
   clipped, and the per-fold table (war, n, events, log score per theory, status) is returned.
   The hazard rows use the ML cloglog; a fold whose training data are separated is flagged.
3. Cross-war congruence (Table 2 of the paper at scale): for every state-phase each theory's
   point prediction (defect or not) against what happened, with Fisher's exact test of
   association and a within-war permutation test of the congruence rate.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import stats

from .estimators import firth_fit, formula_for, separation_check

THEORIES = {"neorealism": "systemic", "liberalism": "regime", "neoclassical realism": "interaction"}


def _fit(formula: str, data: pd.DataFrame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return smf.logit(formula, data).fit(disp=0, method="newton", maxiter=100)


def _fold_fit_predict(formula: str, train: pd.DataFrame, test: pd.DataFrame, hazard: bool):
    from patsy import build_design_matrices, dmatrices

    y, X = dmatrices(formula, train, return_type="dataframe")
    Xt = np.asarray(build_design_matrices([X.design_info], test)[0])
    sep = separation_check(X.to_numpy(), y.to_numpy().ravel())["separation"]
    if hazard:
        fam = sm.families.Binomial(link=sm.families.links.CLogLog())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = sm.GLM(y.to_numpy().ravel(), X.to_numpy(), family=fam,
                         offset=train["log_exposure"].to_numpy()).fit(maxiter=200)
        p = fam.link.inverse(Xt @ fit.params + test["log_exposure"].to_numpy())
        status = "separated (ML)" if sep else ("ok" if fit.converged else "not converged")
        return p, status
    model, converged = firth_fit(X.to_numpy(), y.to_numpy().ravel())  # the package's convergence check
    from scipy.special import expit

    status = ("ok" if converged else "not converged") + (" (training data separated; Firth)" if sep else "")
    return expit(Xt @ model.coef_), status


def loo_folds(frame: pd.DataFrame, duration: bool = False) -> pd.DataFrame:
    """Per-fold held-out log-likelihood of each theory (no clipping; -inf is reported as such)."""
    rows = []
    controls = frame.attrs.get("controls", True)
    for war in sorted(frame["war"].unique()):
        train, test = frame[frame["war"] != war], frame[frame["war"] == war]
        row = {"model": "discrete-time hazard" if duration else "pooled logit", "war": int(war), "n": len(test),
               "events": int(test["y"].sum())}
        for theory, kind in THEORIES.items():
            try:
                p, status = _fold_fit_predict(formula_for(kind, duration=duration, controls=controls), train, test,
                                              duration)
                y = test["y"].to_numpy()
                with np.errstate(divide="ignore"):
                    score = float(np.sum(np.where(y == 1, np.log(p), np.log1p(-p))))
            except Exception as exc:  # noqa: BLE001 - a fold that cannot be fitted is reported with its reason
                score, status = np.nan, f"failed: {type(exc).__name__}"
            row[f"log_score: {theory}"] = score
            row[f"status: {theory}"] = status
        rows.append(row)
    return pd.DataFrame(rows)


def loo_war_log_score(formula: str, frame: pd.DataFrame) -> tuple[float, int]:
    """Summed held-out log-likelihood (Firth folds) for one formula; returns (score, folds not ok)."""
    total, failed = 0.0, 0
    for war in sorted(frame["war"].unique()):
        train, test = frame[frame["war"] != war], frame[frame["war"] == war]
        p, status = _fold_fit_predict(formula, train, test, hazard=False)
        failed += int(not status.startswith("ok"))
        total += float(np.sum(np.where(test["y"] == 1, np.log(p), np.log1p(-p))))
    return total, failed


def compare_theories(frame: pd.DataFrame, duration: bool = False, folds: pd.DataFrame | None = None) -> pd.DataFrame:
    """Nested-model statistics and the summed leave-one-war-out log score per theory."""
    from .estimators import hazard_logit

    folds = loo_folds(frame, duration) if folds is None else folds
    rows, fits = [], {}
    controls = frame.attrs.get("controls", True)
    events = int(frame["y"].sum())
    for theory, kind in THEORIES.items():
        if duration:
            fit = hazard_logit(frame, kind=kind).fitted
            formula = formula_for(kind, duration=True, controls=controls) + " + offset(log_exposure)"
        else:
            formula = formula_for(kind, controls=controls)
            fit = _fit(formula, frame)
        fits[theory] = fit
        converged = bool(fit.converged) if hasattr(fit, "converged") else bool(fit.mle_retvals.get("converged"))
        status = folds[f"status: {theory}"]
        rows.append({"model": "discrete-time hazard (cloglog)" if duration else "pooled logit", "theory": theory,
                     "formula": formula, "n": int(fit.nobs), "events": events, "k": len(fit.params),
                     "events_per_parameter": events / len(fit.params), "loglik": float(fit.llf),
                     "aic": float(fit.aic), "bic": len(fit.params) * np.log(fit.nobs) - 2 * float(fit.llf),
                     "loo_war_log_score": float(folds[f"log_score: {theory}"].sum()),
                     "loo_folds": len(folds), "loo_folds_not_ok": int((~status.str.startswith("ok")).sum()),
                     "loo_folds_separated": int(status.str.contains("separated").sum()),
                     "converged": converged})
    out = pd.DataFrame(rows)
    out.loc[~out.converged, ["loglik", "aic", "bic"]] = np.nan
    full = fits["neoclassical realism"]
    for theory in ("neorealism", "liberalism"):
        lr = 2 * (full.llf - fits[theory].llf)
        df = len(full.params) - len(fits[theory].params)
        out.loc[out.theory == theory, "lr_vs_interaction"] = lr
        out.loc[out.theory == theory, "lr_df"] = df
        out.loc[out.theory == theory, "lr_p"] = stats.chi2.sf(lr, df)
    return out


def point_predictions(frame: pd.DataFrame) -> pd.DataFrame:
    """Each theory's prediction for each state-phase: 1 = defection predicted.

    neorealism: defect when systemic conditions favour fragmentation (line 83); liberalism:
    autocracies defect, democracies do not (line 87); neoclassical realism: autocracies defect when
    conditions favour fragmentation, democracies are deterred (lines 145-153), and nobody defects
    when conditions favour cohesion (line 155: autocracies minimise cohesion but stay).
    """
    unfav = frame["systemic_favorable"] < 1
    aut = frame["democracy"] == 0
    return pd.DataFrame({"neorealism": unfav.astype(int), "liberalism": aut.astype(int),
                         "neoclassical realism": (aut & unfav).astype(int)}, index=frame.index)


def congruence_test(frame: pd.DataFrame, reps: int = 2000, seed: int = 20131101) -> pd.DataFrame:
    """Congruence rate per theory with Fisher's exact test (one-sided: predicted defections are more
    likely to be real) and a permutation p-value of the congruence rate, outcomes permuted within
    wars (which keeps each war's number of defections, the clustering of events)."""
    rng = np.random.default_rng(seed)
    pred = point_predictions(frame)
    y = frame["y"].to_numpy().astype(int)
    groups = [np.flatnonzero(frame["war"].to_numpy() == w) for w in np.unique(frame["war"])]
    perms = []
    for _ in range(reps):
        yp = y.copy()
        for idx in groups:
            yp[idx] = y[rng.permutation(idx)]
        perms.append(yp)
    perms = np.array(perms)
    rows = []
    for theory in pred:
        p = pred[theory].to_numpy()
        table = np.array([[np.sum((p == 1) & (y == 1)), np.sum((p == 1) & (y == 0))],
                          [np.sum((p == 0) & (y == 1)), np.sum((p == 0) & (y == 0))]])
        rate = float(np.mean(p == y))
        perm_rates = np.mean(perms == p[None, :], axis=1)
        rows.append({"theory": theory, "state_phases": len(y), "defections": int(y.sum()),
                     "predicted_defections": int(p.sum()), "defections_predicted": int(table[0, 0]),
                     "sensitivity": table[0, 0] / max(y.sum(), 1),
                     "specificity": table[1, 1] / max((y == 0).sum(), 1), "congruence_rate": rate,
                     "fisher_odds_ratio": stats.fisher_exact(table, alternative="greater")[0],
                     "fisher_p_one_sided": stats.fisher_exact(table, alternative="greater")[1],
                     "permutation_p_within_war": float((1 + np.sum(perm_rates >= rate)) / (reps + 1)),
                     "permutations": reps})
    return pd.DataFrame(rows)
