"""The three theories of Resnick (2013) as nested models, compared on the same sample.

neorealism: systemic conditions only; liberalism: regime type only; neoclassical realism:
their interaction (which nests both). Reported: log-likelihood, AIC, BIC, likelihood-ratio
tests of the interaction model against each nested model, and the leave-one-war-out
cross-validated log score (the summed log-likelihood of each war's state-phases under a model
fitted without that war; higher is better).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from scipy import stats

from .estimators import formula_for

THEORIES = {"neorealism": "systemic", "liberalism": "regime", "neoclassical realism": "interaction"}


def _fit(formula: str, data: pd.DataFrame):
    return smf.logit(formula, data).fit(disp=0, maxiter=200)


def loo_war_log_score(formula: str, frame: pd.DataFrame) -> tuple[float, int]:
    """Summed held-out log-likelihood over wars; returns (score, number of folds that failed to fit)."""
    total, failed = 0.0, 0
    for war in sorted(frame["war"].unique()):
        train, test = frame[frame["war"] != war], frame[frame["war"] == war]
        try:
            fit = _fit(formula, train)
        except Exception:  # noqa: BLE001 - a fold that cannot be fitted is counted, not hidden
            failed += 1
            continue
        p = np.clip(fit.predict(test), 1e-12, 1 - 1e-12)
        total += float(np.sum(test["y"] * np.log(p) + (1 - test["y"]) * np.log(1 - p)))
    return total, failed


def compare_theories(frame: pd.DataFrame, duration: bool = False) -> pd.DataFrame:
    rows, fits = [], {}
    for theory, kind in THEORIES.items():
        formula = formula_for(kind, duration=duration)
        fit = _fit(formula, frame)
        fits[theory] = fit
        score, failed = loo_war_log_score(formula, frame)
        rows.append({"model": "discrete-time hazard" if duration else "pooled logit", "theory": theory,
                     "formula": formula, "n": int(fit.nobs), "k": len(fit.params), "loglik": float(fit.llf),
                     "aic": float(fit.aic), "bic": float(fit.bic), "loo_war_log_score": score,
                     "loo_failed_folds": failed})
    out = pd.DataFrame(rows)
    full = fits["neoclassical realism"]
    for theory in ("neorealism", "liberalism"):
        lr = 2 * (full.llf - fits[theory].llf)
        df = len(full.params) - len(fits[theory].params)
        out.loc[out.theory == theory, "lr_vs_interaction"] = lr
        out.loc[out.theory == theory, "lr_df"] = df
        out.loc[out.theory == theory, "lr_p"] = stats.chi2.sf(lr, df)
    return out
