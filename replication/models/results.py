"""The results object every estimator returns, its tidy coefficient table, and the warnings the
models raise.

One rule for t versus z across the tables: likelihood-based models (logit, Firth, the
cloglog hazard, the conditional logit) use the normal distribution; linear models with
war-clustered standard errors use Student's t with G - 1 degrees of freedom, G the number of
wars (the convention of fixest and Stata's ``regress, vce(cluster)``).

A :class:`ModelResult` has the surface of a statsmodels results object (``params``, ``bse``,
``pvalues``, ``tvalues``, ``conf_int(alpha)``, ``cov_params()``, ``nobs``, ``summary()``) plus the
package's ``status``, ``cov_type``, ``tidy`` table and ``diagnostics``; the library's own object
stays reachable as ``fitted``, with the status attached (``result.fitted.status``).

Warnings
--------
Every warning the models raise is a :class:`ModelWarning` (one filter catches them all):
:class:`SeparationWarning` (a maximum-likelihood estimate does not exist), :class:`NonConvergenceWarning`
(an optimiser stopped before its convergence criterion) and :class:`DroppedRowsWarning` (rows dropped
for missing values beyond 5% of the rows at risk). ``warnings.simplefilter("error", SeparationWarning)``
turns one into an exception; the fitting functions also take ``on_separation="raise"``
(:class:`SeparationError`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

FEW_CLUSTERS = 50


class ModelWarning(UserWarning):
    """Base class of every warning the estimation code raises."""


class SeparationWarning(ModelWarning):
    """The data are separated (Konis's LP check): a maximum-likelihood estimate does not exist, so the
    ML fit has no standard errors; the penalised refit (Firth logit, Jeffreys-penalised cloglog) is
    used or returned instead, or the ML fit is kept for the record, as the warning says."""


class NonConvergenceWarning(ModelWarning):
    """An optimiser stopped before its convergence criterion: the numbers are not estimates, and the
    result's inference columns are blank (status "not converged")."""


class DroppedRowsWarning(ModelWarning):
    """More than 5% of the rows at risk were dropped for missing values (the message names the columns)."""


class ConvergenceError(RuntimeError):
    """An estimator did not converge; its numbers must not be reported as estimates."""


class SeparationError(ConvergenceError):
    """A maximum-likelihood fit is separated and ``on_separation="raise"`` was asked for."""


def _caller_stacklevel() -> int:
    """The ``stacklevel`` that makes a warning point at the first line outside this package (the
    user's call), however deep in the package it was raised."""
    import os
    import sys

    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
    frame, level = sys._getframe(1), 1
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    if frame is None or frame.f_code.co_filename.startswith("<frozen"):
        return 2  # run by the package itself (python -m replication...): the package line that warned
    return level


def warn(message: str, category: type[Warning], result: "ModelResult | None" = None) -> None:
    """Issue ``message`` at the user's line and keep it in ``result.warnings`` (printed by ``summary()``)."""
    import warnings

    if result is not None and message not in result.warnings:
        result.warnings.append(message)
    warnings.warn(message, category, stacklevel=_caller_stacklevel())


def wald_ci(params, bse, dist: str = "normal", df=None) -> Callable[[float], np.ndarray]:
    """Wald intervals at any alpha: estimate -/+ the (1 - alpha/2) quantile of z, or of t with ``df``
    (a number, or one per coefficient)."""
    params = np.asarray(params, dtype=float)
    bse = np.asarray(bse, dtype=float)

    def ci(alpha: float) -> np.ndarray:
        crit = stats.norm.ppf(1 - alpha / 2) if dist == "normal" else stats.t.ppf(1 - alpha / 2, df)
        return np.column_stack([params - crit * bse, params + crit * bse])

    return ci


class Summary:
    """The text of :meth:`ModelResult.summary` (``print(result.summary())``, or ``as_text()``)."""

    def __init__(self, text: str):
        self.text = text

    def as_text(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__


@dataclass(eq=False)
class ModelResult:
    """What every estimator returns: the model actually fitted, its covariance and status, the library's
    fitted object, a tidy coefficient table and diagnostics.

    The statsmodels surface -- ``params``, ``bse``, ``tvalues``, ``pvalues``, ``conf_int(alpha)``,
    ``cov_params()``, ``nobs``, ``summary()`` -- reads the package's numbers (the tidy table): the
    logistf-convention Firth standard errors, the rank-corrected fixed-effects ones, and no inference
    at all for a fit whose status is not "ok" (a separated or unconverged maximum-likelihood fit keeps
    its point estimates for the record; its standard errors, intervals, p-values and covariance are NaN).

    Attributes
    ----------
    name : str
        The model actually fitted; a penalised refit says so ("Pooled logit -> Firth (ML separated)").
    estimator : str
        "logit", "firth", "hazard", "penalised_hazard", "clogit" or "lpm".
    formula, sample : str
        The formula (with the offset, if any) and a description of the estimation sample.
    fitted : object
        The library's fitted object (statsmodels, firthmodels, linearmodels, or
        :class:`~replication.models.penalised.PenalisedFit`), with ``fitted.status`` set to this status.
    tidy : pandas.DataFrame
        One row per term: estimate, std_error, ci_low, ci_high, p_value, inference, status, n, events,
        wars, log-likelihood and its kind, formula, sample (the exhibits' tables are built from it).
    diagnostics : dict
        Separation check, convergence, cluster counts and the estimator's own checks.
    fallback : ModelResult or None
        The penalised refit of a separated fit kept for the record (``on_separation="record"``).
    cov_type : str
        The covariance actually used, named with its small-sample factor.
    refit_of : ModelResult or None
        The separated maximum-likelihood fit this penalised refit stands in for
        (``on_separation="penalised"``, the default).
    warnings : list of str
        The warnings issued while fitting (also printed by ``summary()``).
    frame : pandas.DataFrame or None
        The model frame the result was fitted on (the effects functions use it when no frame is passed).
    """

    name: str
    estimator: str
    formula: str
    sample: str
    fitted: object
    tidy: pd.DataFrame
    diagnostics: dict = field(default_factory=dict)
    fallback: "ModelResult | None" = None
    cov_type: str = ""
    cov: np.ndarray | None = field(default=None, repr=False)
    refit_of: "ModelResult | None" = field(default=None, repr=False)
    warnings: list = field(default_factory=list)
    frame: pd.DataFrame | None = field(default=None, repr=False)
    ci_method: Callable[[float], np.ndarray] | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.fitted is not None:
            try:
                self.fitted.status = self.status
            except AttributeError:  # an object that refuses new attributes keeps its own surface
                pass

    # --- the statsmodels surface ------------------------------------------------------------------
    @property
    def params(self) -> pd.Series:
        """Point estimates (for a fit whose status is not "ok": for the record only)."""
        return self._column("estimate")

    @property
    def bse(self) -> pd.Series:
        """Standard errors (NaN unless the status is "ok")."""
        return self._column("std_error")

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided p-values of the tidy table (Wald, or penalised likelihood ratio for penalised fits)."""
        return self._column("p_value")

    @property
    def tvalues(self) -> pd.Series:
        """Estimate / standard error (z or t, as ``tidy["inference"]`` says)."""
        return (self.params / self.bse).rename(None)

    @property
    def nobs(self) -> int:
        return int(self.tidy["n"].iloc[0]) if "n" in self.tidy and pd.notna(self.tidy["n"].iloc[0]) else 0

    @property
    def status(self) -> str:
        """"ok", "separated", "not converged" or "failed: ..."."""
        return str(self.tidy["status"].iloc[0]) if "status" in self.tidy else "ok"

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Confidence intervals at level 1 - ``alpha``, one row per term, columns 0 and 1 (as statsmodels).

        The method is the tidy table's: Wald (z, or t with the fit's degrees of freedom) for
        maximum-likelihood and linear fits, profile penalised likelihood for the Firth logit and the
        Jeffreys-penalised hazard fitted with ``profile=True``. NaN when the status is not "ok".
        """
        if not 0 < float(alpha) < 1:
            raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}")
        index = pd.Index(self.tidy["term"].to_numpy(), name=None)
        if self.status != "ok":
            values = np.full((len(index), 2), np.nan)
        elif np.isclose(alpha, 0.05):  # the tidy table's intervals (computed with the same method)
            values = self.tidy[["ci_low", "ci_high"]].to_numpy(dtype=float)
        elif self.ci_method is None:
            raise NotImplementedError(f"{self.name}: intervals are available at alpha = 0.05 only")
        else:
            values = np.asarray(self.ci_method(float(alpha)), dtype=float)
        return pd.DataFrame(values, index=index, columns=[0, 1])

    def cov_params(self) -> pd.DataFrame:
        """The covariance matrix actually used (``cov_type``); NaN when the status is not "ok"."""
        index = pd.Index(self.tidy["term"].to_numpy(), name=None)
        if self.cov is None or self.status != "ok":
            return pd.DataFrame(np.nan, index=index, columns=index)
        return pd.DataFrame(np.asarray(self.cov, dtype=float), index=index, columns=index)

    def summary(self) -> Summary:
        """A text table: the model actually fitted, the covariance used, N, events, wars, wars with an
        event, rows dropped for missing values, status and warnings, then the coefficients."""
        return Summary(_summary_text(self))

    def _column(self, column: str) -> pd.Series:
        out = self.tidy.set_index("term")[column].astype(float)
        out.index.name = None
        return out.rename(None)


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


def _dropped_line(frame: pd.DataFrame | None) -> str | None:
    attrs = getattr(frame, "attrs", {}) or {}
    if "dropped" not in attrs:
        return None
    by = attrs.get("dropped_by") or {}
    detail = ", ".join(f"{column}: {n}" for column, n in by.items() if n)
    at_risk = attrs.get("at_risk")
    of = f" of {at_risk} rows at risk" if at_risk is not None else ""
    return f"{attrs['dropped']}{of}, for missing values" + (f" ({detail})" if detail else "")


def _summary_text(result: ModelResult) -> str:
    import textwrap

    width = 96
    t, d = result.tidy, result.diagnostics
    first = t.iloc[0]

    def value(key):
        got = d.get(key)
        if got is None and key in t:
            got = first[key]
        return "-" if got is None or (isinstance(got, float) and np.isnan(got)) else f"{int(got)}"

    inference = sorted(set(t["inference"].astype(str))) if "inference" in t else ["z"]
    stat = "z" if inference == ["z"] else "t"
    # penalised fits' p-values are penalised likelihood-ratio tests (the Wald z is shown beside them)
    p_label = "LR p" if "penalised LR p" in str(first.get("estimator", "")) else f"P>|{stat}|"
    loglik = first.get("loglik", np.nan)
    kind = first.get("loglik_kind", "ml")
    lines = [result.name.center(width), "=" * width]
    head = [("Model", result.name), ("Estimator", str(first.get("estimator", result.estimator))),
            ("Formula", result.formula), ("Covariance", result.cov_type or "-"),
            ("Inference", "; ".join(inference)), ("Status", result.status),
            ("Observations", f"{value('n')}    Events: {value('events')}    Wars: {value('n_clusters')}    "
                             f"Wars with an event: {value('clusters_with_events')}")]
    if result.refit_of is not None:
        head.append(("Replaces", f"{result.refit_of.name} (status {result.refit_of.status})"))
    dropped = _dropped_line(result.frame)
    if dropped:
        head.append(("Rows dropped", dropped))
    head.append(("Log-likelihood", "-" if pd.isna(loglik) else f"{loglik:.3f}" + (" (penalised)" if kind == "penalised"
                                                                                  else "")))
    head.append(("Sample", result.sample))
    for label, text in head:
        wrapped = textwrap.wrap(str(text), width - 16) or [""]
        lines.append(f"{label + ':':<16}{wrapped[0]}")
        lines.extend(" " * 16 + more for more in wrapped[1:])
    lines.append("-" * width)
    names = [str(term) for term in t["term"]]
    w = max([len(n) for n in names] + [10])
    lines.append(f"{'':<{w}} {'coef':>11} {'std err':>10} {stat:>8} {p_label:>8} {'[0.025':>11} {'0.975]':>11}")
    for _, row in t.iterrows():
        def num(x, fmt):
            return f"{x:{fmt}}" if pd.notna(x) and np.isfinite(x) else "-"
        z = row["estimate"] / row["std_error"] if pd.notna(row["std_error"]) and row["std_error"] > 0 else np.nan
        lines.append(f"{str(row['term']):<{w}} {num(row['estimate'], '11.4f'):>11} {num(row['std_error'], '10.4f'):>10} "
                     f"{num(z, '8.3f'):>8} {num(row['p_value'], '8.3f'):>8} {num(row['ci_low'], '11.4f'):>11} "
                     f"{num(row['ci_high'], '11.4f'):>11}")
    lines.append("=" * width)
    notes = list(result.warnings)
    if result.status != "ok":
        notes.insert(0, f"Status {result.status!r}: the point estimates are shown for the record only; no standard "
                        "errors, intervals or p-values.")
    if notes:
        lines.append("Warnings:")
        for i, note in enumerate(notes, 1):
            wrapped = textwrap.wrap(note, width - 6)
            lines.append(f"[{i}] ".ljust(6) + wrapped[0])
            lines.extend(" " * 6 + more for more in wrapped[1:])
    return "\n".join(lines)
