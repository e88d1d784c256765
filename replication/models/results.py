"""A common results object and the tidy coefficient table every estimator returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

FEW_CLUSTERS = 50


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

    @property
    def params(self) -> pd.Series:
        return self.tidy.set_index("term")["estimate"]


def tidy_table(name: str, estimator: str, formula: str, sample: str, params, bse, *, n: int, n_clusters: int | None,
               loglik: float | None, k: int, dist: str = "normal", alpha: float = 0.05, df_resid: float | None = None,
               pvalues=None) -> pd.DataFrame:
    """term, estimate, std_error, ci_low, ci_high, p_value, n, n_clusters, loglik, aic, bic, model, formula, sample."""
    params = pd.Series(params, dtype=float)
    bse = pd.Series(np.asarray(bse, dtype=float), index=params.index)  # libraries return arrays or Series
    z = stats.t.ppf(1 - alpha / 2, df_resid) if dist == "t" and df_resid else stats.norm.ppf(1 - alpha / 2)
    if pvalues is None:
        stat = params / bse
        pvalues = 2 * (stats.t.sf(np.abs(stat), df_resid) if dist == "t" and df_resid else stats.norm.sf(np.abs(stat)))
    aic = np.nan if loglik is None else 2 * k - 2 * loglik
    bic = np.nan if loglik is None else k * np.log(n) - 2 * loglik
    return pd.DataFrame({
        "model": name, "estimator": estimator, "term": params.index, "estimate": params.to_numpy(),
        "std_error": bse.to_numpy(), "ci_low": (params - z * bse).to_numpy(), "ci_high": (params + z * bse).to_numpy(),
        "p_value": np.asarray(pvalues, dtype=float), "n": n, "n_clusters": n_clusters,
        "loglik": np.nan if loglik is None else loglik, "aic": aic, "bic": bic, "formula": formula, "sample": sample,
    })
