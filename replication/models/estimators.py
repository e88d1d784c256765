"""Estimators of defection on democracy x favourable systemic conditions.

Every function takes the model frame (:func:`replication.models.data.model_frame`) and
returns a :class:`~replication.models.results.ModelResult`. Separation, convergence, few
clusters and dropped groups are detected and written into ``diagnostics``, the tidy table's
``status`` column and the exhibit notes, never passed over:

* separation is checked with the linear-programming test of Konis (2007) as implemented in
  ``firthmodels.detect_separation``; a separated maximum-likelihood fit keeps its point
  estimates for the record but shows no standard errors, CIs or p-values (status
  "separated"), and its penalised refit is attached as ``result.fallback``: Firth's logit for a
  logit, the Jeffreys-penalised cloglog with the same offset (:func:`penalised_hazard`) for the
  hazard;
* a fit whose optimiser did not converge is flagged ("not converged"), inference blanked;
* :func:`fit_all` never raises: an estimator that cannot be fitted becomes a flagged row.

No fit is returned silently. ``on_separation`` says what a maximum-likelihood fit (:func:`logit`,
:func:`hazard_logit`, :func:`conditional_logit`) does when its data are separated, always with a
:class:`~replication.models.results.SeparationWarning`:

* ``"penalised"`` (the default; ``"firth"`` is the same): return the penalised refit -- the Firth
  logit for the logit, the Jeffreys-penalised cloglog with the same offset for the hazard --
  named and labelled as that model, with the separated ML fit in ``result.refit_of``;
* ``"record"``: return the separated ML fit for the record (status "separated": point estimates, no
  standard errors, intervals or p-values) with the refit in ``result.fallback`` (Table 3, :func:`fit_all`);
* ``"raise"``: raise :class:`~replication.models.results.SeparationError`.

No penalised conditional logit exists in a maintained library, so a separated conditional logit is
returned for the record under ``"penalised"`` too (the warning says so). A fit that did not converge
warns with :class:`~replication.models.results.NonConvergenceWarning`.

The formulas may use the frame's internal names (``y``, ``democracy``, ``systemic_favorable``) or the
panel's own (``defected``, ``democracy_bmr``, ``favorable_if_defeat_divides``...): the outcome is the
formula's left-hand side, which must be the frame's outcome (the risk set and the exposure depend on it).

Reference conventions matched (see tests/test_models.py): Firth as R's logistf/brglm2
(tolerance 1e-8; standard errors sqrt(diag((X'WX)^-1)) at the Firth estimate, W the
binomial weights); conditional logit as survival::clogit (Newton-Raphson to a score of
1e-8); within-estimator degrees of freedom from the rank of the absorbed effects (as
fixest/plm count them, not the number of dummies).

References
----------
Beck, Katz and Tucker (1998), "Taking Time Seriously", *AJPS* 42(4) (discrete-time hazard).
Carter and Signorino (2010), "Back to the Future", *Political Analysis* 18(3) (cubic time).
Firth (1993), *Biometrika* 80(1); Heinze and Schemper (2002), *Statistics in Medicine* 21.
Kosmidis and Firth (2021), "Jeffreys-prior penalty, finiteness and shrinkage in binomial-response
generalized linear models", *Biometrika* 108(1) (the penalised cloglog).
Konis (2007), *Linear programming algorithms for detecting separated data in binary logistic
regression models*, DPhil thesis, Oxford. Cameron and Miller (2015), "A Practitioner's Guide
to Cluster-Robust Inference", *J. Human Resources* 50(2) (few clusters).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf

from .data import CONTROLS as DEFAULT_CONTROLS
from .data import OUTCOMES, check_choice, cluster_counts, cluster_ids, describe_sample
from .firth import FIRTH_STEP_TOL, FIRTH_TOL, firth_fit, firth_step, separation_check  # noqa: F401 (re-exported)
from .results import (FEW_CLUSTERS, ModelResult, NonConvergenceWarning, SeparationError, SeparationWarning,
                      failed_result, tidy_table, wald_ci, warn)

INTERACTION = "democracy * systemic_favorable"
DURATION = "t + I(t ** 2) + I(t ** 3)"
CLOGIT_SCORE_TOL = 1e-8


KINDS = {"interaction": INTERACTION, "systemic": "systemic_favorable", "regime": "democracy", "null": "1"}
ON_SEPARATION = ("penalised", "firth", "record", "raise")
# The covariances actually used, as each estimator computes them (tests/test_api.py checks the first two
# by hand against statsmodels' cov_type="cluster", and the LPM ones against the sandwich on the design).
CLUSTER_ML = ("CR1, clustered by war: sandwich with the observed information, small-sample factor "
              "G/(G-1) x (N-1)/(N-K) (statsmodels cov_type='cluster')")
FIRTH_COV = "model-based (X'WX)^-1 at the Firth estimate (the logistf/brglm2 convention); not cluster-robust"
PENALISED_COV = ("model-based (X'WX)^-1 at the penalised estimate, cloglog weights (the brglm2 convention); "
                 "not cluster-robust")
CLOGIT_COV = "model-based (inverse observed information, as survival::clogit); not clustered"
LPM_FE_COV = ("clustered by war: sandwich x N/(N-K-R), R the rank of the absorbed effects (linearmodels "
              "'clustered', debiased, effects counted by rank); no G/(G-1) factor")
LPM_RE_COV = ("clustered by war: sandwich on the quasi-demeaned data x N/(N-K) (linearmodels 'clustered', "
              "debiased); no G/(G-1) factor")
CR2_COV = "CR2 (Bell-McCaffrey), clustered by war, with each term's Satterthwaite degrees of freedom"


def formula_for(kind: str = "interaction", duration: bool = False, controls=True, outcome: str = "y") -> str:
    """The formula of one of the three theories: "systemic" (neorealism), "regime" (liberalism) or
    "interaction" (neoclassical realism; "null": intercept only).

    Parameters
    ----------
    kind : str
        "interaction" (default), "systemic", "regime" or "null".
    duration : bool
        Add the cubic in years since entry (``t + I(t ** 2) + I(t ** 3)``).
    controls : bool or list of str
        True (the default controls), False, or a list of column names (a list, even of one name).
    outcome : str
        The left-hand side: "y" (default) or the frame's outcome under its panel name.
    """
    rhs = KINDS[check_choice(kind, KINDS, "kind")]
    if controls is True:
        names = list(DEFAULT_CONTROLS)
    elif controls is False or controls is None:
        names = []
    else:
        from .data import check_names

        names = check_names(controls, "controls", "['power_share']")
    parts = [rhs] + names + ([DURATION] if duration else [])
    return f"{outcome} ~ " + " + ".join(parts)


def _on_separation(value: str) -> str:
    """"penalised", "record" or "raise" ("firth" is "penalised")."""
    value = check_choice(value, ON_SEPARATION, "on_separation")
    return "penalised" if value == "firth" else value


def prepare(frame: pd.DataFrame, formula: str, caller: str) -> pd.DataFrame:
    """Check ``formula`` against ``frame`` before fitting, with errors that say what to do, and return
    the frame with ``y`` set to the formula's outcome (its left-hand side).

    The outcome must be the frame's own ("y" or its panel name, e.g. "defected"): a frame is built for
    one outcome (its risk set and exposure depend on it). Every variable must be a column of the frame,
    with no missing values (model_frame drops and counts incomplete rows; a fit never drops rows itself).
    """
    import re

    from patsy import PatsyError, dmatrices

    if not isinstance(formula, str) or "~" not in formula:
        raise ValueError(f"{caller}: formula must be a string 'outcome ~ terms', got {formula!r}")
    lhs = formula.split("~", 1)[0].strip()
    outcome = frame.attrs.get("outcome")
    if outcome is not None and lhs not in ("y", outcome):
        if lhs in OUTCOMES:
            raise ValueError(f"{caller}: the formula's outcome {lhs!r} is not this frame's: the frame was built for "
                             f"{outcome!r} (its outcome columns are 'y' and {outcome!r}). The risk set and the exposure "
                             f"depend on the outcome, so build a frame for it: model_frame(panel, outcome={lhs!r}).")
        raise ValueError(f"{caller}: the formula's left-hand side must be the frame's outcome, 'y' or {outcome!r}; "
                         f"got {lhs!r}")
    try:
        dmatrices(formula.replace(OFFSET, ""), frame, NA_action="raise", return_type="dataframe")
    except PatsyError as exc:
        missing = re.search(r"name '(\w+)' is not defined", str(exc))
        if missing:
            raise ValueError(f"{caller}: {missing.group(1)!r} in the formula {formula!r} is not a column of the model "
                             f"frame (its columns: {list(frame.columns)}); add a panel column with "
                             f"model_frame(panel, controls=[...]).") from None
        if "missing values" in str(exc):
            raise ValueError(f"{caller}: a variable of {formula!r} has missing values in the frame; build the frame "
                             "with model_frame(panel, ...), which drops incomplete rows and counts them (a fit never "
                             "drops rows itself).") from None
        raise ValueError(f"{caller}: the formula {formula!r} cannot be built on this frame: {exc}") from None
    if lhs != "y":
        frame = frame.assign(y=frame[lhs].astype("float64"))
    return frame


def _controls(frame: pd.DataFrame) -> list[str]:
    return list(frame.attrs.get("controls", DEFAULT_CONTROLS))


def _diagnostics(frame: pd.DataFrame, X: np.ndarray | None = None) -> dict:
    counts = cluster_counts(frame)
    diag = {"n": len(frame), "events": int(frame["y"].sum()), **counts,
            "few_clusters": counts["n_clusters"] < FEW_CLUSTERS}
    if X is not None:
        diag.update(separation_check(X, frame["y"].to_numpy()))
        diag["events_per_parameter"] = diag["events"] / X.shape[1]
    return diag


def _status(diag: dict) -> str:
    if diag.get("separation"):
        return "separated"
    if not diag.get("converged", True):
        return "not converged"
    return "ok"


def logit(frame: pd.DataFrame, formula: str | None = None, *, name: str = "Pooled logit",
          duration: bool = False, on_separation: str = "penalised") -> ModelResult:
    """Pooled logit with standard errors clustered by war (statsmodels, Newton-Raphson).

    Parameters
    ----------
    frame : pandas.DataFrame
        The model frame (:func:`replication.models.model_frame`).
    formula : str, optional
        Default: the interaction with the frame's controls (``formula_for``). The left-hand side is the
        outcome (``y`` or the frame's outcome under its panel name).
    name : str
        The model's name in tables.
    duration : bool
        Add the cubic in years since entry (default formula only).
    on_separation : {"penalised", "firth", "record", "raise"}
        When the data are separated (Konis LP check), the ML estimate does not exist. "penalised"
        (default; "firth" is the same): return the Firth logit refit, named so, with the ML fit in
        ``refit_of``; "record": return the ML fit for the record (no inference) with the Firth refit in
        ``fallback``; "raise": raise SeparationError. A SeparationWarning is issued in the first two cases.

    Returns
    -------
    ModelResult
        Covariance: CR1 clustered by war (``cov_type``); z inference.
    """
    on_separation = _on_separation(on_separation)
    formula = formula or formula_for("interaction", duration=duration, controls=_controls(frame))
    frame = prepare(frame, formula, "logit")
    model = smf.logit(formula, frame)
    diag = _diagnostics(frame, model.exog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence and separation are checked below, not warned about
        fit = model.fit(disp=0, method="newton", maxiter=100, cov_type="cluster",
                        cov_kwds={"groups": cluster_ids(frame)})
    diag["converged"] = bool(fit.mle_retvals.get("converged", False))
    return _ml_result(name, "logit", "statsmodels Logit, cluster-robust by war", formula, frame, fit, diag,
                      on_separation=on_separation)


def hazard_logit(frame: pd.DataFrame, kind: str = "interaction",
                 name: str = "Discrete-time hazard (cloglog)", fallback: bool = True, *,
                 formula: str | None = None, on_separation: str = "penalised") -> ModelResult:
    """Grouped-duration hazard: a complementary log-log model on the state-phase risk set (states
    leave it after defecting) with a cubic in time since entry (Carter and Signorino 2010) and
    the offset ``log_exposure`` (see :mod:`replication.models.data`), clustered by war.

    Parameters
    ----------
    frame : pandas.DataFrame
        The model frame.
    kind : str
        "interaction" (default), "systemic", "regime" or "null" (default formula only).
    name : str
        The model's name in tables.
    fallback : bool
        With ``on_separation="record"``: attach the penalised refit as ``result.fallback`` (False: no
        refit, for callers that need only the ML fit and its status).
    formula : str, optional
        The formula without the offset (default: ``kind`` with the duration terms and the frame's
        controls); the offset is always ``log_exposure``.
    on_separation : {"penalised", "firth", "record", "raise"}
        As in :func:`logit`; the penalised refit is the Jeffreys-penalised cloglog with the same offset
        (:func:`penalised_hazard`).

    Returns
    -------
    ModelResult
        Covariance: CR1 clustered by war; z inference.
    """
    on_separation = _on_separation(on_separation)
    formula = (formula or formula_for(kind, duration=True, controls=_controls(frame))).replace(OFFSET, "")
    frame = prepare(frame, formula, "hazard_logit")
    model = smf.glm(formula, frame, family=sm.families.Binomial(link=sm.families.links.CLogLog()),
                    offset=frame["log_exposure"].to_numpy())
    diag = _diagnostics(frame, model.exog)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = model.fit(maxiter=200, tol=1e-10, cov_type="cluster", cov_kwds={"groups": cluster_ids(frame)})
    diag["converged"] = bool(fit.converged)
    return _ml_result(name, "hazard", "statsmodels GLM binomial cloglog, offset log exposure, cluster-robust by war",
                      formula + OFFSET, frame, fit, diag, fallback, on_separation=on_separation)


hazard_cloglog = hazard_logit


OFFSET = " + offset(log_exposure)"
REFIT_NAMES = {"logit": "the Firth logit", "hazard": "the Jeffreys-penalised cloglog with the same offset"}


def _ml_result(name, key, estimator, formula, frame, fit, diag, fallback: bool = True,
               on_separation: str = "record") -> ModelResult:
    status = _status(diag)
    llf = float(fit.llf)
    tidy = tidy_table(name, estimator, formula, describe_sample(frame), fit.params, fit.bse, n=int(fit.nobs),
                      n_clusters=diag["n_clusters"], clusters_with_events=diag["clusters_with_events"],
                      events=diag["events"], loglik=llf, k=len(fit.params), pvalues=fit.pvalues, status=status)
    result = ModelResult(name, key, formula, describe_sample(frame), fit, tidy, diag, cov_type=CLUSTER_ML,
                         cov=np.asarray(fit.cov_params()), frame=frame, ci_method=wald_ci(fit.params, fit.bse))
    if status == "separated":
        return _separated(result, frame, fallback, on_separation)
    if status == "not converged":
        warn(f"{name}: the optimiser did not converge (Newton-Raphson, {estimator}); status 'not converged': no "
             "standard errors, intervals or p-values", NonConvergenceWarning, result)
    return result


def _infinite_terms(result: ModelResult, frame: pd.DataFrame) -> list[str]:
    """The terms whose ML estimate is infinite (firthmodels' Konis check, per coefficient)."""
    from firthmodels import detect_separation

    model = result.fitted.model
    try:
        sep = detect_separation(np.asarray(model.exog, dtype=float), np.asarray(model.endog, dtype=float),
                                fit_intercept=False)
    except (np.linalg.LinAlgError, ValueError):
        return []
    return [str(n) for n, finite in zip(model.exog_names, np.asarray(sep.is_finite)) if not finite]


def penalised_refit(result: ModelResult, frame: pd.DataFrame | None = None, profile: bool = True) -> ModelResult | None:
    """The penalised refit of a maximum-likelihood result: the Firth logit of a logit, the
    Jeffreys-penalised cloglog (same offset) of a hazard, on the same formula and frame; None for any
    other estimator (no penalised version is available)."""
    frame = result.frame if frame is None else frame
    if result.estimator == "logit":
        return firth_logit(frame, result.formula, name=f"{result.name} -> Firth (ML separated)")
    if result.estimator == "hazard":
        return penalised_hazard(frame, formula=result.formula.replace(OFFSET, ""),
                                name=f"{result.name} -> Jeffreys-penalised cloglog (ML separated)", profile=profile)
    return None


def _separated(result: ModelResult, frame: pd.DataFrame, fallback: bool, on_separation: str) -> ModelResult:
    """What a separated ML fit becomes, by ``on_separation`` (see the module docstring)."""
    terms = _infinite_terms(result, frame)
    what = (f"{result.name}: the data are separated (Konis LP check; the ML estimate is infinite for "
            f"{', '.join(terms) or 'some coefficients'}), so the maximum-likelihood estimate does not exist")
    refit_name = REFIT_NAMES[result.estimator]
    if on_separation == "raise":
        raise SeparationError(f"{what}. Use its penalised refit, {refit_name} (on_separation='penalised'), or keep "
                              "the ML fit for the record (on_separation='record').")
    # The refit is the same model with a finite (penalised) estimate: the hazard's is the
    # cloglog with its offset, not a logit (which the hazard fell back on until issue 18).
    refit = penalised_refit(result, frame) if (on_separation == "penalised" or fallback) else None
    if on_separation == "record":
        result.fallback = refit
        warn(f"{what}; returned for the record (status 'separated': point estimates only, no standard errors, "
             "intervals or p-values)" + (f"; its penalised refit, {refit_name}, is result.fallback" if refit else ""),
             SeparationWarning, result)
        return result
    refit.refit_of = result
    warn(f"{what}; returning its penalised refit, {refit_name}, with covariance {refit.cov_type}. The ML fit is "
         "result.refit_of; on_separation='record' returns it instead.", SeparationWarning, refit)
    return refit


PENALISED_HAZARD = ("Jeffreys-penalised cloglog (Firth-type, Kosmidis-Firth 2021), offset log exposure; "
                    "SE (X'WX)^-1, model-based; profile penalised-likelihood CI, penalised LR p")


def penalised_hazard(frame: pd.DataFrame, kind: str = "interaction", formula: str | None = None,
                     name: str = "Jeffreys-penalised hazard (cloglog)", profile: bool = True) -> ModelResult:
    """The discrete-time hazard of :func:`hazard_logit` (cloglog, cubic in t, offset ``log_exposure``)
    fitted by maximum Jeffreys-penalised likelihood (:func:`replication.models.penalised.penalised_fit`):
    Firth's penalty for the cloglog link, finite under separation (Kosmidis and Firth 2021; R's
    ``brglm2::brglmFit(type = "MPL_Jeffreys")``).

    ``formula``: the right-hand side without the offset (default: ``kind`` with the duration terms
    and the frame's controls); the offset is always ``log_exposure``. Standard errors:
    sqrt(diag((X'WX)^-1)) at the estimate, W the cloglog binomial weights (model-based; no
    cluster-robust covariance is computed for a penalised fit). CIs: profile penalised likelihood;
    p-values: penalised likelihood ratio (each from a refit with the coefficient fixed at 0); a
    refit that fails leaves that p-value or bound NaN, with a warning recorded in
    ``diagnostics["penalised_warnings"]``. The log-likelihood in the table is the penalised one.
    ``profile=False`` skips the LR p-values and profile CIs (Wald CIs, labelled so), for callers that
    use only the estimates and the covariance (Tables 4 and 5, which use the delta method).
    """
    from patsy import dmatrices

    from .penalised import PenalisedFitWarning, penalised_fit

    formula = (formula or formula_for(kind, duration=True, controls=_controls(frame))).replace(OFFSET, "")
    frame = prepare(frame, formula, "penalised_hazard")
    y, X = dmatrices(formula, frame, return_type="dataframe", NA_action="raise")
    Xa, ya = X.to_numpy(), y.to_numpy().ravel()
    offset = frame["log_exposure"].to_numpy(dtype=float)
    diag = _diagnostics(frame, Xa)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PenalisedFitWarning)
        fit = penalised_fit(Xa, ya, link="cloglog", offset=offset)
        status = "ok" if fit.converged else "not converged"
        if status == "ok" and profile:
            pvalues = fit.lr_test()[1]
            ci = fit.profile_ci()
        else:
            pvalues, ci = None, None
    messages = [str(w.message) for w in caught if issubclass(w.category, PenalisedFitWarning)]
    for message in messages:
        warn(f"{name}: {message}", PenalisedFitWarning)
    diag.update(converged=fit.converged, loglik_is_penalised=True, iterations=fit.iterations,
                max_step_se=fit.step_se, max_score_se=fit.score_se, se="model-based (X'WX)^-1",
                penalised_warnings=messages)
    params = pd.Series(fit.coef, index=X.columns)
    full_formula = formula + OFFSET
    label = PENALISED_HAZARD if profile else PENALISED_HAZARD.replace("profile penalised-likelihood CI, penalised LR p",
                                                                       "Wald CI and z p")
    tidy = tidy_table(name, label, full_formula, describe_sample(frame), params, fit.bse, n=len(frame),
                      n_clusters=None, clusters_with_events=diag["clusters_with_events"], events=diag["events"],
                      loglik=fit.loglik_penalised, k=len(params), pvalues=pvalues, status=status,
                      loglik_kind="penalised")
    if status == "ok" and profile:
        tidy["ci_low"], tidy["ci_high"] = ci[:, 0], ci[:, 1]
    result = ModelResult(name, "penalised_hazard", full_formula, describe_sample(frame), fit, tidy, diag,
                         cov_type=PENALISED_COV, cov=np.asarray(fit.cov), frame=frame,
                         ci_method=fit.profile_ci if profile else wald_ci(fit.coef, fit.bse))
    result.warnings.extend(f"{name}: {message}" for message in messages)
    if status != "ok":
        warn(f"{name}: the penalised fit did not converge ({fit.iterations} iterations; largest remaining step "
             f"{fit.step_se:.2g} SE); status 'not converged': no standard errors, intervals or p-values",
             NonConvergenceWarning, result)
    return result


def firth_cov(X: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """(X'WX)^-1 at ``beta``: the covariance logistf and brglm2 report for a Firth fit."""
    from scipy.special import expit

    p = expit(X @ beta)
    return np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))


def _firth_default_tolerance(X: np.ndarray, y: np.ndarray):
    from firthmodels import FirthLogisticRegression

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return FirthLogisticRegression(fit_intercept=False, max_iter=200).fit(X, y)


def _rename_firth_warnings(caught: list, name: str, terms: list[str], result: ModelResult) -> None:
    """firthmodels says "LRT for parameter 4 was not computed" or "Profile-likelihood CI did not converge
    for parameter 4 (upper bound)"; re-issued as PenalisedFitWarning with the model's and the term's name
    (the value stays NaN in the table). Any other warning is passed on unchanged."""
    import re

    from .penalised import PenalisedFitWarning

    for w in caught:
        text = str(w.message)
        m = re.search(r"parameter (\d+)", text)
        term = terms[int(m.group(1))] if m and int(m.group(1)) < len(terms) else None
        if term and text.startswith("LRT for parameter"):
            warn(f"{name}: the penalised LR p-value of {term} is NaN: firthmodels' refit with it fixed at 0 "
                 "stalled in step halving", PenalisedFitWarning, result)
        elif term and text.startswith("Profile-likelihood CI did not converge"):
            bound = re.search(r"\((lower|upper) bound\)", text)
            warn(f"{name}: the profile CI's {bound.group(1) if bound else ''} bound of {term} is NaN: firthmodels' "
                 "profile search did not converge", PenalisedFitWarning, result)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def firth_logit(frame: pd.DataFrame, formula: str | None = None, name: str = "Firth logit") -> ModelResult:
    """Firth's penalised-likelihood logit (firthmodels): finite estimates under separation and rare events.

    ``formula``: default the interaction with the frame's controls; its left-hand side is the outcome.

    Converged to 1e-8 (firthmodels' default 1e-4 leaves the coefficients ~1e-5 from logistf's).
    Standard errors: sqrt(diag((X'WX)^-1)) at the Firth estimate, the logistf/brglm2 convention
    (firthmodels' ``bse_`` uses the penalised information, 1-2% smaller); model-based (no
    cluster-robust covariance exists for Firth here). CIs: profile penalised likelihood; p-values:
    penalised likelihood ratio, both as in logistf.
    """
    from patsy import dmatrices

    formula = formula or formula_for("interaction", controls=_controls(frame))
    frame = prepare(frame, formula, "firth_logit")
    y, X = dmatrices(formula, frame, return_type="dataframe", NA_action="raise")
    Xa, ya = X.to_numpy(), y.to_numpy().ravel()
    fit, converged = firth_fit(Xa, ya)
    diag = _diagnostics(frame, Xa)
    diag["converged"] = converged
    diag["loglik_is_penalised"] = True
    params = pd.Series(fit.coef_, index=X.columns)
    bse = np.sqrt(np.diag(firth_cov(Xa, fit.coef_)))
    status = "ok" if diag["converged"] else "not converged"  # Firth estimates are finite under separation
    if status == "ok":
        # A fit accepted by firth_fit's own check (badly scaled columns such as the hazard's cubic
        # in t) has converged_ False, and firthmodels then refuses the LR tests. They are computed
        # on the default-tolerance fit (the same maximum, found to firthmodels' default 1e-4; 4e-7
        # from these coefficients for Table 3's hazard refit); the estimates and SEs stay these.
        inference = fit if fit.converged_ else _firth_default_tolerance(Xa, ya)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            inference.lrt()
            ci = inference.conf_int(method="pl")
        pvalues = inference.lrt_pvalues_
    else:
        ci, pvalues, caught = np.full((len(params), 2), np.nan), None, []
    tidy = tidy_table(name, "firthmodels FirthLogisticRegression (SE (X'WX)^-1 as logistf; profile-likelihood CI, "
                      "penalised LR p)", formula, describe_sample(frame), params, bse, n=len(frame), n_clusters=None,
                      clusters_with_events=diag["clusters_with_events"], events=diag["events"],
                      loglik=float(fit.loglik_), k=len(params), pvalues=pvalues, status=status,
                      loglik_kind="penalised")
    if status == "ok":
        tidy["ci_low"], tidy["ci_high"] = ci[:, 0], ci[:, 1]
    profile = (lambda alpha: inference.conf_int(alpha=alpha, method="pl")) if status == "ok" else None
    result = ModelResult(name, "firth", formula, describe_sample(frame), fit, tidy, diag, cov_type=FIRTH_COV,
                         cov=firth_cov(Xa, fit.coef_), frame=frame, ci_method=profile)
    _rename_firth_warnings(caught, name, list(X.columns), result)
    if status != "ok":
        warn(f"{name}: the Firth fit did not converge (firthmodels, tolerance {FIRTH_TOL:g}, and the scoring-step "
             "check); status 'not converged': no standard errors, intervals or p-values", NonConvergenceWarning, result)
    return result


def conditional_logit(frame: pd.DataFrame, name: str = "Conditional logit (war)", *,
                      on_separation: str = "penalised") -> ModelResult:
    """Conditional (fixed-effects) logit grouped by war (statsmodels ConditionalLogit, Newton-Raphson).

    Wars in which no member defected carry no information and drop out of the likelihood;
    their number is reported. Standard errors are model-based (inverse observed information),
    as survival::clogit reports by default; they are not clustered. statsmodels' default
    optimiser (BFGS) stops ~5e-3 from the maximum, so Newton-Raphson is used and convergence is
    checked on the score.

    ``on_separation``: no maintained library fits a penalised conditional logit, so a separated fit
    is returned for the record (status "separated", no inference) with a SeparationWarning under
    "penalised" (the default) and "record" alike; "raise" raises SeparationError.
    """
    on_separation = _on_separation(on_separation)
    from patsy import dmatrix
    from statsmodels.discrete.conditional_models import ConditionalLogit

    rhs = formula_for("interaction", controls=_controls(frame)).split("~", 1)[1]
    formula = "y ~ " + rhs.strip() + " | war (conditional on each war's number of defections)"
    X = dmatrix(rhs + " - 1", frame, return_type="dataframe")
    varying = frame.groupby("war")["y"].transform(lambda s: s.nunique() > 1)
    kept = frame[varying]
    X = X[varying.to_numpy()]
    # A column constant within every war is absorbed by conditioning on the war (it has no
    # conditional likelihood, and it would make the separation check's design rank-deficient).
    within = X - X.groupby(kept["war"].to_numpy()).transform("mean").to_numpy()
    varies = within.abs().max() > 1e-12
    absorbed = [c for c in X.columns if not varies[c]]
    X = X.loc[:, varies]
    diag = _diagnostics(kept)
    diag.update(groups_dropped=int(frame["war"].nunique() - kept["war"].nunique()),
                rows_dropped=int(len(frame) - len(kept)), se="model-based (not clustered)", absorbed=absorbed)
    model = ConditionalLogit(kept["y"].to_numpy(), X, groups=kept["war"].to_numpy())
    fit = conditional_logit_fit(model, X.shape[1])
    diag["score_max_abs"] = float(np.max(np.abs(model.score(np.asarray(fit.params)))))
    diag["converged"] = bool(diag["score_max_abs"] < CLOGIT_SCORE_TOL and np.all(np.isfinite(fit.bse)))
    # The conditional MLE is infinite exactly when the logit with one intercept per war is
    # separated (a direction b ranks every case above every non-case of its war), so the Konis
    # check runs on [X, war dummies]. Newton then walks off towards infinity with a tiny score and
    # an enormous SE (democracy -22, SE 46,000 in the panel), which must not print as an estimate.
    strata = pd.get_dummies(kept["war"], dtype=float).to_numpy()
    diag.update(separation_check(np.column_stack([X.to_numpy(), strata]), kept["y"].to_numpy()))
    status = _status(diag)
    tidy = tidy_table(name, "statsmodels ConditionalLogit (Newton), grouped by war, model-based SE", formula,
                      describe_sample(frame), fit.params, fit.bse, n=len(kept), n_clusters=int(kept["war"].nunique()),
                      clusters_with_events=diag["clusters_with_events"], events=diag["events"],
                      loglik=float(fit.llf), k=len(fit.params), pvalues=fit.pvalues, status=status)
    result = ModelResult(name, "clogit", formula, describe_sample(frame), fit, tidy, diag, cov_type=CLOGIT_COV,
                         cov=np.asarray(fit.cov_params()), frame=frame, ci_method=wald_ci(fit.params, fit.bse))
    if status == "separated":
        what = (f"{name}: the data are separated within wars (Konis LP check with one intercept per war), so the "
                "conditional ML estimate does not exist")
        if on_separation == "raise":
            raise SeparationError(what + "; no maintained library fits a penalised conditional logit.")
        warn(what + "; no maintained library fits a penalised conditional logit, so it is returned for the record "
             "(status 'separated': point estimates only, no standard errors, intervals or p-values)",
             SeparationWarning, result)
    elif status == "not converged":
        warn(f"{name}: Newton-Raphson did not converge (largest |score| {diag['score_max_abs']:.1e}); status 'not "
             "converged': no standard errors, intervals or p-values", NonConvergenceWarning, result)
    return result


#: Newton-Raphson steps for the conditional logit: survival::clogit's default (coxph.control(iter.max = 20)).
#: A fit that exists converges in under ten; a separated one walks off towards infinity, and each extra
#: step costs a numerical Hessian over every subset sum of the large wars.
CLOGIT_MAXITER = 20


def conditional_logit_fit(model, k: int):
    """Newton-Raphson from zero with a tight tolerance, at most :data:`CLOGIT_MAXITER` steps (R's
    survival::clogit defaults). Convergence is judged afterwards on the score."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.fit(disp=0, method="newton", start_params=np.zeros(k), maxiter=CLOGIT_MAXITER, tol=1e-12)


def _panel_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.assign(dem_x_fav=frame["democracy"] * frame["systemic_favorable"])
    return out.set_index(["entity", "year"])


def _panel_rhs(frame: pd.DataFrame) -> str:
    return " + ".join(["democracy", "systemic_favorable", "dem_x_fav", *_controls(frame)])


def effects_rank(frame: pd.DataFrame, time_effects: bool = True) -> int:
    """Rank of the absorbed effects' dummy matrix (entity, and year if used): the degrees of
    freedom they really use. Entities observed in a single year make entity and year dummies
    collinear, so the rank is below the number of dummies."""
    dummies = [pd.get_dummies(frame["entity"], dtype=float)]
    if time_effects:
        dummies.append(pd.get_dummies(frame["year"], dtype=float))
    return int(np.linalg.matrix_rank(np.column_stack([d.to_numpy() for d in dummies])))


def lpm_within(frame: pd.DataFrame, name: str = "LPM, entity and year effects",
               time_effects: bool = True, vcov: str = "CR1") -> ModelResult:
    """Linear probability model with entity (member spell) and year effects, clustered by war (PanelOLS).

    ``vcov="CR1"`` (default): the covariance is scaled by n / (n - k - r), r the rank of the absorbed
    effects (:func:`effects_rank`); linearmodels counts every dummy instead (r + the collinear ones).
    Inference: t with G - 1 degrees of freedom.
    ``vcov="CR2"``: Bell-McCaffrey CR2 on the full dummy design (entity and year dummies built
    explicitly, Pustejovsky and Tipton 2018), each term tested with its Satterthwaite degrees of
    freedom (clubSandwich's); see :func:`replication.models.smallsample.cr2_vcov`.
    """
    from linearmodels import PanelOLS

    _check_vcov(vcov)
    data = _panel_frame(frame)
    formula = f"y ~ {_panel_rhs(frame)} + EntityEffects" + (" + TimeEffects" if time_effects else "")
    # Effects not counted by linearmodels; the correct count is applied below.
    fit = PanelOLS.from_formula(formula, data, drop_absorbed=True, check_rank=False).fit(
        cov_type="clustered", clusters=data["cluster" if "cluster" in data else "war"], auto_df=False,
        count_effects=False, debiased=True)
    n, k = int(fit.nobs), len(fit.params)
    rank = effects_rank(frame, time_effects)
    bse = fit.std_errors * np.sqrt((n - k) / (n - k - rank))
    if vcov == "CR2":
        dummies = [pd.get_dummies(frame["entity"], dtype=float)]
        if time_effects:
            dummies.append(pd.get_dummies(frame["year"], dtype=float))
        absorb = np.column_stack([d.to_numpy() for d in dummies])
        result = _panel_cr2(name + " (CR2)", "linearmodels PanelOLS; CR2 on the full dummy design, clustered by war, "
                            "Satterthwaite df", formula, frame, fit, data, absorb=absorb)
    else:
        result = _panel_result(name, "linearmodels PanelOLS, clustered by war, effects df = rank", formula, frame, fit,
                               bse, cov=np.asarray(fit.cov) * (n - k) / (n - k - rank), cov_type=LPM_FE_COV)
    result.diagnostics.update(effects_rank=rank, effects_dummies=int(frame["entity"].nunique()
                                                                    + (frame["year"].nunique() - 1 if time_effects
                                                                       else 0)))
    return result


def lpm_random_effects(frame: pd.DataFrame, name: str = "LPM, random effects", vcov: str = "CR1") -> ModelResult:
    """Linear probability model with member-spell random effects, clustered by war (RandomEffects).

    The variance components are reported; when the entity variance is estimated as 0 the
    estimator is pooled OLS and the model is labelled so. ``vcov="CR1"`` (default): linearmodels'
    clustered covariance, t(G-1). ``vcov="CR2"``: the RE estimate is OLS on the quasi-demeaned data
    (y - theta_i ybar_i, X - theta_i xbar_i, theta from linearmodels), whose errors are iid under the
    fitted random-effects model; CR2 is computed on those data (member spells are nested in wars, so
    the transformation stays within clusters), i.e. with the fitted random-effects model as the
    working model, each term tested with its Satterthwaite degrees of freedom.
    """
    from linearmodels import RandomEffects

    _check_vcov(vcov)
    data = _panel_frame(frame)
    formula = f"y ~ 1 + {_panel_rhs(frame)}"
    fit = RandomEffects.from_formula(formula, data).fit(cov_type="clustered",
                                                        clusters=data["cluster" if "cluster" in data else "war"])
    vd = fit.variance_decomposition
    sigma2_entity, sigma2_resid = float(vd["Effects"]), float(vd["Residual"])
    pooled = sigma2_entity <= 1e-12
    label = name + (" = pooled (entity variance 0)" if pooled else "")
    if vcov == "CR2":
        theta = fit.theta["theta"].reindex(data.index.get_level_values("entity")).to_numpy()
        result = _panel_cr2(label + " (CR2)", "linearmodels RandomEffects; CR2 on the quasi-demeaned data, clustered "
                            "by war, Satterthwaite df", formula, frame, fit, data, theta=theta)
    else:
        result = _panel_result(label, "linearmodels RandomEffects, clustered by war", formula, frame, fit,
                               fit.std_errors, cov=np.asarray(fit.cov), cov_type=LPM_RE_COV)
    result.diagnostics.update(sigma2_entity=sigma2_entity, sigma2_resid=sigma2_resid,
                              theta_mean=float(np.asarray(fit.theta).mean()), pooled=pooled)
    return result


def _check_vcov(vcov: str) -> None:
    check_choice(vcov, ("CR1", "CR2"), "vcov")


def _panel_cr2(name, estimator, formula, frame, fit, data, absorb=None, theta=None) -> ModelResult:
    """CR2 and per-term Satterthwaite df for a linearmodels panel fit. Fixed effects: the full dummy
    design (``absorb``); random effects: OLS on the data quasi-demeaned by ``theta``. The coefficients
    are recomputed by least squares and must equal linearmodels' (checked to 1e-6, else an error)."""
    from scipy import stats

    from .smallsample import cr2_dof, cr2_vcov

    names = list(fit.params.index)
    X = np.column_stack([np.ones(len(data)) if c in ("const", "Intercept") else data[c].to_numpy(dtype=float)
                         for c in names])
    y = data["y"].to_numpy(dtype=float)
    groups = data["cluster" if "cluster" in data else "war"].to_numpy()
    if theta is not None:  # quasi-demeaning within member spells; the constant becomes 1 - theta
        entity = data.index.get_level_values("entity")
        means = pd.DataFrame(np.column_stack([y, X])).groupby(entity.to_numpy()).transform("mean").to_numpy()
        y, X = y - theta * means[:, 0], X - theta[:, None] * means[:, 1:]
    if absorb is not None:
        u, sv, _ = np.linalg.svd(absorb, full_matrices=False)
        Q = u[:, sv > sv.max() * max(absorb.shape) * np.finfo(float).eps]
        Xt, yt = X - Q @ (Q.T @ X), y - Q @ (Q.T @ y)
    else:
        Xt, yt = X, y
    beta = np.linalg.lstsq(Xt, yt, rcond=None)[0]
    if not np.allclose(beta, fit.params.to_numpy(), rtol=1e-6, atol=1e-8):
        raise RuntimeError(f"{name}: least squares on the explicit design ({beta}) does not reproduce linearmodels' "
                           f"coefficients ({fit.params.to_numpy()}); CR2 not computed")
    resid = yt - Xt @ beta
    V = cr2_vcov(X, resid, groups, absorb=absorb)
    bse = np.sqrt(np.diag(V))
    dfs = np.array([cr2_dof(X, resid, groups, np.eye(len(beta))[j], absorb=absorb).satterthwaite
                    for j in range(len(beta))])
    pvalues = 2 * stats.t.sf(np.abs(fit.params.to_numpy() / bse), dfs)
    result = _panel_result(name, estimator, formula, frame, fit, bse, cov=V,
                           cov_type=CR2_COV + (" (fixed effects: the full dummy design)" if absorb is not None else
                                               " (random effects: on the quasi-demeaned data)"))
    result.ci_method = wald_ci(fit.params, bse, "t", dfs)
    crit = stats.t.ppf(0.975, dfs)
    tidy = result.tidy
    tidy["p_value"] = pvalues
    tidy["ci_low"], tidy["ci_high"] = tidy["estimate"] - crit * bse, tidy["estimate"] + crit * bse
    tidy["inference"] = [f"t({d:.2f}), CR2 Satterthwaite" for d in dfs]
    result.diagnostics.update(vcov="CR2", satterthwaite_df=dict(zip(tidy["term"], dfs)))
    return result


def _panel_result(name, estimator, formula, frame, fit, bse, cov=None, cov_type: str = "") -> ModelResult:
    params = fit.params.rename(index={"dem_x_fav": "democracy:systemic_favorable"})
    bse = pd.Series(np.asarray(bse, dtype=float), index=params.index)
    diag = _diagnostics(frame)
    df = diag["n_clusters"] - 1
    tidy = tidy_table(name, estimator, formula, describe_sample(frame), params, bse, n=int(fit.nobs),
                      n_clusters=diag["n_clusters"], clusters_with_events=diag["clusters_with_events"],
                      events=diag["events"], loglik=float(fit.loglik), k=len(params), dist="t", df_resid=df,
                      loglik_kind="none")
    wanted = [t.strip() for t in _panel_rhs(frame).split("+")]
    diag["absorbed"] = [t for t in wanted if t not in fit.params.index]  # e.g. democracy, constant within a spell
    diag["converged"] = True  # closed-form least squares
    return ModelResult(name, "lpm", formula, describe_sample(frame), fit, tidy, diag, cov_type=cov_type, cov=cov,
                       frame=frame, ci_method=wald_ci(params, bse, "t", df))


ALL = {"logit": logit, "firth": firth_logit, "hazard": hazard_logit, "clogit": conditional_logit,
       "lpm_fe": lpm_within, "lpm_re": lpm_random_effects}


def fit_all(frame: pd.DataFrame) -> dict[str, ModelResult]:
    """Every estimator (Table 3), each maximum-likelihood fit as fitted (``on_separation="record"``): a
    separated ML fit is kept with its status and no inference (and a SeparationWarning), and its
    penalised refit follows as an extra entry (``logit_firth``: Firth logit; ``hazard_penalised``:
    Jeffreys-penalised cloglog with the offset). An estimator that fails becomes a flagged row, never
    an exception."""
    out = {}
    for key, fn in ALL.items():
        try:
            result = fn(frame, on_separation="record") if key in ("logit", "hazard", "clogit") else fn(frame)
        except Exception as exc:  # noqa: BLE001 - reported in the table with its reason
            result = failed_result(key, key, "", describe_sample(frame), f"{type(exc).__name__}: {exc}",
                                   _diagnostics(frame))
        out[key] = result
        if result.fallback is not None:
            out[f"{key}_firth" if result.fallback.estimator == "firth" else f"{key}_penalised"] = result.fallback
    return out
