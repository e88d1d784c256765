"""The three theories of Resnick (2013) compared on the same sample, in three ways that can fail.

1. Nested models (neorealism: systemic conditions only; liberalism: regime type only;
   neoclassical realism: their interaction, which nests both): log-likelihood, AIC, BIC and
   likelihood-ratio tests. Because the rivals are nested in the interaction model, these cannot
   test the neoclassical-realist claim on its own terms; they are reported with events per
   parameter so that over-fitting is visible.
2. Leave-one-war-out log score, penalised: each fold is fitted by Firth's logit (pooled) or the
   Jeffreys-penalised cloglog with the exposure offset (hazard), both finite even when the training
   wars are separated; held-out probabilities are never clipped, and the per-fold table (war, n,
   events, log score per theory, status) is returned, with the ranking without the most influential
   war (:func:`loo_influence`).
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
    """Fit on the training wars, predict the held-out war. Both models are penalised, so a fold whose
    training wars are separated still has finite estimates: Firth's logit (pooled), the Jeffreys-penalised
    cloglog with the log-exposure offset (hazard). The status says when the training data are separated."""
    from patsy import build_design_matrices, dmatrices

    y, X = dmatrices(formula, train, return_type="dataframe")
    Xt = np.asarray(build_design_matrices([X.design_info], test)[0])
    sep = separation_check(X.to_numpy(), y.to_numpy().ravel())["separation"]
    note = " (training data separated; penalised)" if sep else ""
    if hazard:
        from .penalised import inverse_link, penalised_fit

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # non-convergence is reported in the status
            fit = penalised_fit(X.to_numpy(), y.to_numpy().ravel(), link="cloglog",
                                offset=train["log_exposure"].to_numpy())
        p = inverse_link(Xt @ fit.coef + test["log_exposure"].to_numpy(), "cloglog")
        return p, ("ok" if fit.converged else "not converged") + note
    model, converged = firth_fit(X.to_numpy(), y.to_numpy().ravel())  # the package's convergence check
    from scipy.special import expit

    return expit(Xt @ model.coef_), ("ok" if converged else "not converged") + note


def _batched_folds(formula: str, frame: pd.DataFrame, hazard: bool) -> tuple[np.ndarray, list[str]]:
    """Every leave-one-war-out fit of one formula at once (the batched penalised solver: frequency
    weight 0 for the war left out) and each war's held-out log score; (scores, statuses) in war order.

    The same estimates as :func:`_fold_fit_predict` fold by fold (``penalised_newton`` equals
    ``penalised_fit`` and firthmodels to 1e-8, tests/test_penalised.py); batched because 2 readings x
    2 models x 3 theories x every war is several hundred fits."""
    from patsy import dmatrices

    from .penalised import inverse_link, penalised_newton

    y, X = dmatrices(formula, frame, return_type="dataframe")
    X, y = X.to_numpy(dtype=float), y.to_numpy(dtype=float).ravel()
    wars = frame["war"].to_numpy()
    ids = np.unique(wars)
    held = wars[None, :] == ids[:, None]
    link = "cloglog" if hazard else "logit"
    offset = frame["log_exposure"].to_numpy(dtype=float) if hazard else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # non-convergence is reported in the status
        fit = penalised_newton(X, y, (~held).astype(float), link=link, offset=offset)
    eta = fit.params @ X.T + (0.0 if offset is None else offset)
    p = inverse_link(eta, link)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows = np.where(y == 1, np.log(p), np.log1p(-p))
    scores = np.where(held, rows, 0.0).sum(axis=1)
    statuses = []
    for g, war in enumerate(ids):
        train = ~held[g]
        sep = separation_check(X[train], y[train])["separation"]
        ok = fit.converged[g] and not fit.failed[g]
        statuses.append(("ok" if ok else ("failed" if fit.failed[g] else "not converged"))
                        + (" (training data separated; penalised)" if sep else ""))
        if fit.failed[g]:
            scores[g] = np.nan
    return scores, statuses


def loo_folds(frame: pd.DataFrame, duration: bool = False) -> pd.DataFrame:
    """Per-fold held-out log-likelihood of each theory (no clipping; -inf is reported as such).

    Each fold is the penalised model fitted to the other wars: Firth's logit (pooled) or the
    Jeffreys-penalised cloglog with the log-exposure offset (hazard)."""
    controls = frame.attrs.get("controls", True)
    wars = np.unique(frame["war"])
    out = pd.DataFrame({"model": "discrete-time hazard" if duration else "pooled logit", "war": wars.astype(int),
                        "n": frame.groupby("war").size().reindex(wars).to_numpy(),
                        "events": frame.groupby("war")["y"].sum().reindex(wars).astype(int).to_numpy()})
    for theory, kind in THEORIES.items():
        scores, statuses = _batched_folds(formula_for(kind, duration=duration, controls=controls), frame, duration)
        out[f"log_score: {theory}"] = scores
        out[f"status: {theory}"] = statuses
    return out


def loo_war_log_score(formula: str, frame: pd.DataFrame) -> tuple[float, int]:
    """Summed held-out log-likelihood (Firth folds) for one formula; returns (score, folds not ok)."""
    total, failed = 0.0, 0
    for war in sorted(frame["war"].unique()):
        train, test = frame[frame["war"] != war], frame[frame["war"] == war]
        p, status = _fold_fit_predict(formula, train, test, hazard=False)
        failed += int(not status.startswith("ok"))
        total += float(np.sum(np.where(test["y"] == 1, np.log(p), np.log1p(-p))))
    return total, failed


def loo_influence(folds: pd.DataFrame) -> dict:
    """The most influential fold and the ranking without it.

    The most influential fold is the war whose held-out log scores differ most across the three
    theories (largest max - min); the ranking is recomputed from the summed scores without it, so a
    reader sees whether one war decides the comparison.
    """
    cols = {t: f"log_score: {t}" for t in THEORIES}
    scores = folds[list(cols.values())].to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        spread = np.nanmax(scores, axis=1) - np.nanmin(scores, axis=1)
    spread = np.where(np.isnan(spread), -np.inf, spread)
    i = int(np.argmax(spread))
    total = scores.sum(axis=0)
    # summed over the other folds, not total - scores[i]: a held-out event predicted with probability
    # 0 scores -inf, and -inf - -inf would be NaN instead of the other folds' sum
    without = np.delete(scores, i, axis=0).sum(axis=0)

    def rank(v):
        order = np.argsort(-v, kind="stable")
        r = np.empty(len(v), int)
        r[order] = np.arange(1, len(v) + 1)
        return r

    return {"war": int(folds["war"].iloc[i]), "spread": float(spread[i]),
            **{f"rank: {t}": int(r) for t, r in zip(THEORIES, rank(total))},
            **{f"score_without: {t}": float(v) for t, v in zip(THEORIES, without)},
            **{f"rank_without: {t}": int(r) for t, r in zip(THEORIES, rank(without))}}


def compare_theories(frame: pd.DataFrame, duration: bool = False, folds: pd.DataFrame | None = None) -> pd.DataFrame:
    """Nested-model statistics and the summed leave-one-war-out log score per theory.

    One rule for separated fits: a fit whose maximum-likelihood estimate does not exist (Konis LP
    check), whatever its optimiser reports, gets no log-likelihood, AIC, BIC or likelihood-ratio
    test (status "separated"); penalised log-likelihoods are never printed beside ML ones.
    """
    from .estimators import hazard_logit
    from .results import SeparationWarning

    folds = loo_folds(frame, duration) if folds is None else folds
    influence = loo_influence(folds)
    rows, fits = [], {}
    controls = frame.attrs.get("controls", True)
    events = int(frame["y"].sum())
    for theory, kind in THEORIES.items():
        if duration:
            with warnings.catch_warnings():
                # the ML fit as fitted: its separation is this table's ml_status column
                warnings.simplefilter("ignore", SeparationWarning)
                result = hazard_logit(frame, kind=kind, fallback=False, on_separation="record")
            fit, separated = result.fitted, bool(result.diagnostics.get("separation"))
            formula = formula_for(kind, duration=True, controls=controls) + " + offset(log_exposure)"
            converged = bool(fit.converged)
        else:
            formula = formula_for(kind, controls=controls)
            fit = _fit(formula, frame)
            separated = bool(separation_check(np.asarray(fit.model.exog), frame["y"].to_numpy())["separation"])
            converged = bool(fit.mle_retvals.get("converged"))
        exists = converged and not separated
        fits[theory] = (fit, exists)
        status = folds[f"status: {theory}"]
        rows.append({"model": "discrete-time hazard (cloglog)" if duration else "pooled logit", "theory": theory,
                     "formula": formula, "n": int(fit.nobs), "events": events, "k": len(fit.params),
                     "events_per_parameter": events / len(fit.params),
                     "ml_status": "separated" if separated else ("ok" if converged else "not converged"),
                     "loglik": float(fit.llf) if exists else np.nan,
                     "aic": float(fit.aic) if exists else np.nan,
                     "bic": len(fit.params) * np.log(fit.nobs) - 2 * float(fit.llf) if exists else np.nan,
                     "loo_war_log_score": float(folds[f"log_score: {theory}"].sum()),
                     "loo_rank": influence[f"rank: {theory}"],
                     "loo_most_influential_war": influence["war"],
                     "loo_score_without_it": influence[f"score_without: {theory}"],
                     "loo_rank_without_it": influence[f"rank_without: {theory}"],
                     "loo_folds": len(folds), "loo_folds_not_ok": int((~status.str.startswith("ok")).sum()),
                     "loo_folds_separated": int(status.str.contains("separated").sum())})
    out = pd.DataFrame(rows)
    full, full_ok = fits["neoclassical realism"]
    for theory in ("neorealism", "liberalism"):
        fit, ok = fits[theory]
        if not (ok and full_ok):
            continue  # no likelihood-ratio test from a fit whose maximum does not exist
        lr = 2 * (full.llf - fit.llf)
        df = len(full.params) - len(fit.params)
        out.loc[out.theory == theory, "lr_vs_interaction"] = lr
        out.loc[out.theory == theory, "lr_df"] = df
        out.loc[out.theory == theory, "lr_p"] = stats.chi2.sf(lr, df)
    for col in ("lr_vs_interaction", "lr_df", "lr_p"):
        if col not in out:
            out[col] = np.nan
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
    """Each theory's point predictions against what happened: the congruence rate beside the rate of
    the rule that predicts no defection at all, the share of defections and of non-defections it
    predicts, the odds ratio and Cohen's kappa of the association, Fisher's exact test (one-sided:
    predicted defections are more likely to be real) and a permutation p-value of the congruence
    rate, outcomes permuted within wars (which keeps each war's number of defections).

    With rare events the congruence rate mostly counts correctly predicted non-defections: a rule
    that predicts no defection at all scores 1 - events/n. A theory predicts defection well only if
    it predicts a larger share of the defections than of the non-defections (odds ratio > 1, kappa > 0).
    """
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
    n, events = len(y), int(y.sum())
    rows = []
    for theory in pred:
        p = pred[theory].to_numpy()
        a, b = int(np.sum((p == 1) & (y == 1))), int(np.sum((p == 1) & (y == 0)))
        c, d = int(np.sum((p == 0) & (y == 1))), int(np.sum((p == 0) & (y == 0)))
        rate = float(np.mean(p == y))
        chance = (p.mean() * y.mean()) + ((1 - p.mean()) * (1 - y.mean()))
        perm_rates = np.mean(perms == p[None, :], axis=1)
        odds_ratio, fisher_p = stats.fisher_exact([[a, b], [c, d]], alternative="greater")
        rows.append({"theory": theory, "state_phases": n, "defections": events,
                     "predicted_defections": int(p.sum()), "defections_predicted": a,
                     "share_of_defections_predicted": a / events if events else np.nan,
                     "share_of_non_defections_predicted": d / (n - events) if n > events else np.nan,
                     "congruence_rate": rate, "no_defection_rule_rate": 1 - events / n,
                     "odds_ratio": float(odds_ratio), "kappa": (rate - chance) / (1 - chance) if chance < 1 else np.nan,
                     "fisher_p_one_sided": float(fisher_p),
                     "permutation_p_within_war": float((1 + np.sum(perm_rates >= rate)) / (reps + 1)),
                     "permutations": reps})
    return pd.DataFrame(rows)
