"""Estimators of defection on democracy x favourable systemic conditions.

Every function takes the model frame (:func:`replication.models.data.model_frame`) and
returns a :class:`~replication.models.results.ModelResult`. Separation, few clusters and
dropped groups are detected and written into ``diagnostics`` (and the exhibit notes),
never passed over.

References
----------
Beck, Katz and Tucker (1998), "Taking Time Seriously", *AJPS* 42(4) (discrete-time hazard).
Carter and Signorino (2010), "Back to the Future", *Political Analysis* 18(3) (cubic time).
Firth (1993), *Biometrika* 80(1); Cameron and Miller (2015), "A Practitioner's Guide to
Cluster-Robust Inference", *J. Human Resources* 50(2) (few clusters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from .data import describe_sample
from .results import FEW_CLUSTERS, ModelResult, tidy_table

INTERACTION = "democracy * systemic_favorable"
CONTROLS = "power_share + major_power + log_days_at_risk"
DURATION = "t + I(t ** 2) + I(t ** 3)"


def formula_for(kind: str = "interaction", duration: bool = False, controls: bool = True) -> str:
    """The right-hand side for the three theories: "systemic" (neorealism), "regime"
    (liberalism) or "interaction" (neoclassical realism)."""
    rhs = {"interaction": INTERACTION, "systemic": "systemic_favorable", "regime": "democracy",
           "null": "1"}[kind]
    parts = [rhs] + ([CONTROLS] if controls else []) + ([DURATION] if duration else [])
    return "y ~ " + " + ".join(parts)


def _diagnostics(frame: pd.DataFrame, X: np.ndarray | None = None) -> dict:
    n_clusters = int(frame["war"].nunique())
    diag = {"n": len(frame), "events": int(frame["y"].sum()), "n_clusters": n_clusters,
            "few_clusters": n_clusters < FEW_CLUSTERS}
    if X is not None:
        from firthmodels import detect_separation

        try:
            sep = detect_separation(X, frame["y"].to_numpy(), fit_intercept=False)
            diag["separation"] = bool(sep.separation)
            diag["infinite_ml_terms"] = int((~np.asarray(sep.is_finite)).sum())
        except np.linalg.LinAlgError:
            diag["separation"] = None  # rank-deficient design: reported, not hidden
    return diag


def logit(frame: pd.DataFrame, formula: str | None = None, *, name: str = "Pooled logit",
          duration: bool = False) -> ModelResult:
    """Pooled logit with standard errors clustered by war (statsmodels)."""
    formula = formula or formula_for("interaction", duration=duration)
    model = smf.logit(formula, frame)
    fit = model.fit(disp=0, maxiter=200, cov_type="cluster", cov_kwds={"groups": frame["war"].to_numpy()})
    diag = _diagnostics(frame, model.exog)
    diag["converged"] = bool(fit.mle_retvals.get("converged", True))
    tidy = tidy_table(name, "statsmodels Logit, cluster-robust by war", formula, describe_sample(frame), fit.params,
                      fit.bse, n=int(fit.nobs), n_clusters=diag["n_clusters"], loglik=float(fit.llf),
                      k=len(fit.params), pvalues=fit.pvalues)
    return ModelResult(name, "logit", formula, describe_sample(frame), fit, tidy, diag)


def hazard_logit(frame: pd.DataFrame, kind: str = "interaction", name: str = "Discrete-time hazard") -> ModelResult:
    """Discrete-time hazard: a logit on the state-phase risk set (states leave it after defecting)
    with a cubic in time since entry (Carter and Signorino 2010)."""
    return logit(frame, formula_for(kind, duration=True), name=name)


def firth_logit(frame: pd.DataFrame, formula: str | None = None, name: str = "Firth logit") -> ModelResult:
    """Firth's penalised-likelihood logit (firthmodels): finite estimates under separation and rare events.

    Standard errors are the model-based Wald ones (firthmodels offers no cluster-robust
    covariance); the profile-likelihood CIs are reported instead of Wald CIs.
    """
    from firthmodels import FirthLogisticRegression
    from patsy import dmatrices

    formula = formula or formula_for("interaction")
    y, X = dmatrices(formula, frame, return_type="dataframe")
    fit = FirthLogisticRegression(fit_intercept=False).fit(X.to_numpy(), y.to_numpy().ravel())
    fit.lrt()
    ci = fit.conf_int(method="pl")
    params = pd.Series(fit.coef_, index=X.columns)
    tidy = tidy_table(name, "firthmodels FirthLogisticRegression (profile-likelihood CI, LR p)", formula,
                      describe_sample(frame), params, fit.bse_, n=len(frame), n_clusters=None,
                      loglik=float(fit.loglik_), k=len(params), pvalues=fit.lrt_pvalues_)
    tidy["ci_low"], tidy["ci_high"] = ci[:, 0], ci[:, 1]
    diag = _diagnostics(frame, X.to_numpy())
    diag["converged"] = bool(fit.converged_)
    diag["loglik_is_penalised"] = True
    return ModelResult(name, "firth", formula, describe_sample(frame), fit, tidy, diag)


def conditional_logit(frame: pd.DataFrame, name: str = "Conditional logit (war)") -> ModelResult:
    """Conditional (fixed-effects) logit grouped by war (statsmodels ConditionalLogit).

    Wars in which no member defected carry no information and drop out of the likelihood;
    their number is reported.
    """
    from patsy import dmatrix
    from statsmodels.discrete.conditional_models import ConditionalLogit

    rhs = formula_for("interaction").split("~", 1)[1]
    X = dmatrix(rhs + " - 1", frame, return_type="dataframe")
    varying = frame.groupby("war")["y"].transform(lambda s: s.nunique() > 1)
    kept = frame[varying]
    X = X[varying.to_numpy()]
    X = X.loc[:, X.std() > 0]
    fit = ConditionalLogit(kept["y"].to_numpy(), X, groups=kept["war"].to_numpy()).fit(disp=0)
    diag = _diagnostics(kept)
    diag.update(groups_dropped=int(frame["war"].nunique() - kept["war"].nunique()),
                rows_dropped=int(len(frame) - len(kept)))
    formula = "y ~ " + rhs.strip() + " | war (conditional on each war's number of defections)"
    tidy = tidy_table(name, "statsmodels ConditionalLogit, grouped by war", formula, describe_sample(frame),
                      fit.params, fit.bse, n=len(kept), n_clusters=int(kept["war"].nunique()),
                      loglik=float(fit.llf), k=len(fit.params), pvalues=fit.pvalues)
    return ModelResult(name, "clogit", formula, describe_sample(frame), fit, tidy, diag)


def _panel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(dem_x_fav=frame["democracy"] * frame["systemic_favorable"])
    return out.set_index(["entity", "year"])


PANEL_RHS = "democracy + systemic_favorable + dem_x_fav + power_share + major_power + log_days_at_risk"


def lpm_within(frame: pd.DataFrame, name: str = "LPM, entity and year effects",
               time_effects: bool = True) -> ModelResult:
    """Linear probability model with entity (member spell) and year effects, clustered by war (PanelOLS)."""
    from linearmodels import PanelOLS

    data = _panel_frame(frame)
    formula = f"y ~ {PANEL_RHS} + EntityEffects" + (" + TimeEffects" if time_effects else "")
    fit = PanelOLS.from_formula(formula, data, drop_absorbed=True, check_rank=False).fit(
        cov_type="clustered", clusters=data["war"])
    return _panel_result(name, "linearmodels PanelOLS, clustered by war", formula, frame, fit)


def lpm_random_effects(frame: pd.DataFrame, name: str = "LPM, random effects") -> ModelResult:
    """Linear probability model with member-spell random effects, clustered by war (RandomEffects)."""
    from linearmodels import RandomEffects

    data = _panel_frame(frame)
    formula = f"y ~ 1 + {PANEL_RHS}"
    fit = RandomEffects.from_formula(formula, data).fit(cov_type="clustered", clusters=data["war"])
    return _panel_result(name, "linearmodels RandomEffects, clustered by war", formula, frame, fit)


def _panel_result(name, estimator, formula, frame, fit) -> ModelResult:
    params = fit.params.rename(index={"dem_x_fav": "democracy:systemic_favorable", "Intercept": "Intercept"})
    bse = fit.std_errors.rename(index={"dem_x_fav": "democracy:systemic_favorable"})
    tidy = tidy_table(name, estimator, formula, describe_sample(frame), params, bse, n=int(fit.nobs),
                      n_clusters=int(frame["war"].nunique()), loglik=float(fit.loglik), k=len(params),
                      pvalues=fit.pvalues.to_numpy())
    diag = _diagnostics(frame)
    wanted = [t.strip() for t in PANEL_RHS.split("+")]
    diag["absorbed"] = [t for t in wanted if t not in fit.params.index]  # e.g. democracy, constant within a spell
    return ModelResult(name, "lpm", formula, describe_sample(frame), fit, tidy, diag)


ALL = {"logit": logit, "firth": firth_logit, "hazard": hazard_logit, "clogit": conditional_logit,
       "lpm_fe": lpm_within, "lpm_re": lpm_random_effects}


def fit_all(frame: pd.DataFrame) -> dict[str, ModelResult]:
    return {key: fn(frame) for key, fn in ALL.items()}
