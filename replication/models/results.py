"""A common results object and the tidy coefficient table every estimator returns.

One rule for t versus z across the tables: likelihood-based models (logit, Firth, the
cloglog hazard, the conditional logit) use the normal distribution; linear models with
war-clustered standard errors use Student's t with G - 1 degrees of freedom, G the number of
wars (the convention of fixest and Stata's ``regress, vce(cluster)``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

FEW_CLUSTERS = 50


class ConvergenceError(RuntimeError):
    """An estimator did not converge; its numbers must not be reported as estimates."""


@dataclass
class ModelResult:
    """What every estimator returns: the fitted library object, the tidy table, and diagnostics."""

    name: str
    estimator: str
    formula: str
    sample: str
    fitted: object
    tidy: pd.DataFrame
    diagnostics: dict = field(default_factory=dict)
    fallback: "ModelResult | None" = None

    @property
    def params(self) -> pd.Series:
        return self.tidy.set_index("term")["estimate"]

    @property
    def status(self) -> str:
        return str(self.tidy["status"].iloc[0]) if "status" in self.tidy else "ok"


def tidy_table(name: str, estimator: str, formula: str, sample: str, params, bse, *, n: int, n_clusters: int | None,
               loglik: float | None, k: int, dist: str = "normal", alpha: float = 0.05, df_resid: float | None = None,
               pvalues=None, status: str = "ok", clusters_with_events: int | None = None,
               events: int | None = None, loglik_kind: str = "ml") -> pd.DataFrame:
    """term, estimate, std_error, ci_low, ci_high, p_value, inference, status, n, events, n_clusters,
    clusters_with_events, loglik, loglik_kind, aic, bic, model, formula, sample.

    ``status`` other than "ok" (separated, not converged) blanks the inference columns: the
    point estimates of such a fit are shown for the record, never its standard errors or tests.

    One rule for likelihoods in every table (``loglik_kind``): "ml", a maximum-likelihood fit: its
    log-likelihood, AIC and BIC, but none when its status is not "ok" (a separated fit has no maximum,
    whatever the optimiser reports); "penalised": the penalised log-likelihood, labelled so, and no
    AIC or BIC (information criteria of penalised and ML fits are not comparable); "none": a linear
    probability model, whose Gaussian log-likelihood is not a likelihood of the binary outcome (and
    a fixed-effects fit's parameter count would leave out its absorbed effects): no log-likelihood,
    AIC or BIC.
    """
    if loglik_kind not in ("ml", "penalised", "none"):
        raise ValueError(f"loglik_kind must be 'ml', 'penalised' or 'none', got {loglik_kind!r}")
    params = pd.Series(params, dtype=float)
    bse = pd.Series(np.asarray(bse, dtype=float), index=params.index)  # libraries return arrays or Series
    use_t = dist == "t" and df_resid is not None
    crit = stats.t.ppf(1 - alpha / 2, df_resid) if use_t else stats.norm.ppf(1 - alpha / 2)
    if pvalues is None:
        stat = params / bse
        pvalues = 2 * (stats.t.sf(np.abs(stat), df_resid) if use_t else stats.norm.sf(np.abs(stat)))
    if loglik_kind == "none" or (loglik_kind == "ml" and status != "ok"):
        loglik = None
    information = loglik is not None and loglik_kind == "ml"
    aic = 2 * k - 2 * loglik if information else np.nan
    bic = k * np.log(n) - 2 * loglik if information else np.nan
    out = pd.DataFrame({
        "model": name, "estimator": estimator, "term": params.index, "estimate": params.to_numpy(),
        "std_error": bse.to_numpy(), "ci_low": (params - crit * bse).to_numpy(),
        "ci_high": (params + crit * bse).to_numpy(), "p_value": np.asarray(pvalues, dtype=float),
        "inference": f"t({df_resid:g})" if use_t else "z", "status": status, "n": n, "events": events,
        "n_clusters": n_clusters, "clusters_with_events": clusters_with_events,
        "loglik": np.nan if loglik is None else loglik, "loglik_kind": loglik_kind, "aic": aic, "bic": bic,
        "formula": formula, "sample": sample,
    })
    if status != "ok":
        out[["std_error", "ci_low", "ci_high", "p_value"]] = np.nan
    return out


def failed_result(name: str, estimator: str, formula: str, sample: str, reason: str, diagnostics: dict) -> ModelResult:
    """A flagged row for an estimator that could not be fitted: the reason, no numbers."""
    tidy = pd.DataFrame([{"model": name, "estimator": estimator, "term": "(not estimated)", "estimate": np.nan,
                          "std_error": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan,
                          "inference": "", "status": f"failed: {reason}", "n": diagnostics.get("n"),
                          "events": diagnostics.get("events"), "n_clusters": diagnostics.get("n_clusters"),
                          "clusters_with_events": diagnostics.get("clusters_with_events"), "loglik": np.nan,
                          "aic": np.nan, "bic": np.nan, "formula": formula, "sample": sample}])
    return ModelResult(name, estimator, formula, sample, None, tidy, {**diagnostics, "failed": reason})
