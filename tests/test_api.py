"""The package as researchers use it (issue 21): results objects with statsmodels' surface, no silent
separated fit, formulas in the panel's own names, dropped rows counted and warned about, a public API
whose arguments are checked.

Each defect the issue found has a test that fails on the code before it: the separated logit returned
without a warning, interaction_table on it (P(dem, unfav) = 1e-11 with SE 0 and every resample
separated), cell_predictions of the hazard without its offset, a string passed as the controls, a
misspelt multiverse key.
"""

from __future__ import annotations

import ast
import importlib
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.special import expit

from replication.models import (ConvergenceError, DroppedRowsWarning, ModelWarning, NonConvergenceWarning,
                                SeparationError, SeparationWarning, cell_predictions, cluster_bootstrap,
                                conditional_logit, delta_method, differences, firth_logit, hazard_logit,
                                interaction_table, logit, lpm_random_effects, lpm_within, model_frame,
                                penalised_cluster_bootstrap, penalised_hazard, point_quantities, war_jackknife)
from replication.models.estimators import CLUSTER_ML, FIRTH_COV, LPM_FE_COV, LPM_RE_COV, effects_rank
from replication.paths import PROJECT_ROOT

pytestmark = pytest.mark.mirror
EXTRA = ["power_share", "major_power", "formal_ally_of_leader"]


@pytest.fixture(scope="module")
def main(panel):
    """The primary model frame (defected, Polity >= 6, defeat unites): its ML logit is separated."""
    return model_frame(panel)


@pytest.fixture(scope="module")
def broad(panel):
    """defected_broad: the ML logit and hazard exist on the full sample."""
    return model_frame(panel, outcome="defected_broad")


@pytest.fixture(scope="module")
def recorded(main):
    """The separated ML logit kept for the record, with its Firth refit attached (Table 3's route)."""
    with pytest.warns(SeparationWarning, match="returned for the record"):
        return logit(main, on_separation="record")


@pytest.fixture(scope="module")
def refit(main):
    """The default: the separated logit comes back as its Firth refit, with a warning."""
    with pytest.warns(SeparationWarning, match="returning its penalised refit, the Firth logit") as caught:
        result = logit(main)
    result.caught = caught
    return result


# --- results objects with statsmodels' surface ------------------------------------------------------

def test_result_surface_equals_statsmodels_on_a_logit_that_exists(broad):
    r = logit(broad)
    fit = r.fitted
    assert r.status == "ok" and fit.status == "ok" and r.estimator == "logit"
    pd.testing.assert_series_equal(r.params, fit.params, check_names=False, rtol=0, atol=1e-12)
    pd.testing.assert_series_equal(r.bse, fit.bse, check_names=False, rtol=1e-12)
    pd.testing.assert_series_equal(r.pvalues, fit.pvalues, check_names=False, rtol=1e-12)
    pd.testing.assert_series_equal(r.tvalues, fit.tvalues, check_names=False, rtol=1e-12)
    for alpha in (0.05, 0.1, 0.01):
        np.testing.assert_allclose(r.conf_int(alpha).to_numpy(), fit.conf_int(alpha).to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(r.cov_params().to_numpy(), fit.cov_params().to_numpy(), rtol=1e-12)
    assert r.nobs == int(fit.nobs) == len(broad)
    assert list(r.conf_int().columns) == [0, 1] and list(r.cov_params().index) == list(fit.params.index)
    with pytest.raises(ValueError, match="alpha"):
        r.conf_int(1.5)


def _cluster_sandwich(scores: np.ndarray, bread_inv: np.ndarray, groups: np.ndarray) -> np.ndarray:
    summed = pd.DataFrame(scores).groupby(groups).sum().to_numpy()
    return bread_inv @ (summed.T @ summed) @ bread_inv


def test_cov_type_labels_name_the_covariance_each_model_computes(broad):
    """Each cov_type label checked against the sandwich written out here: the ML logit and hazard carry
    statsmodels' CR1 factor G/(G-1) x (N-1)/(N-K) on the observed information; the fixed-effects LPM is
    the within sandwich x N/(N-K-R), R the effects' rank, and the random-effects LPM the sandwich on the
    quasi-demeaned data x N/(N-K), neither with G/(G-1)."""
    wars = broad["war"].to_numpy()
    G = len(np.unique(wars))
    for result in (logit(broad), hazard_logit(broad)):
        assert result.status == "ok" and result.cov_type == CLUSTER_ML
        model, b = result.fitted.model, result.fitted.params.to_numpy()
        X = np.asarray(model.exog)
        n, k = X.shape
        observed = -model.hessian(b) if result.estimator == "logit" else -model.hessian(b, observed=True)
        V = _cluster_sandwich(model.score_obs(b), np.linalg.inv(observed), wars) * G / (G - 1) * (n - 1) / (n - k)
        np.testing.assert_allclose(result.cov_params().to_numpy(), V, rtol=1e-9)
        assert result.cov_type.startswith("CR1") and "G/(G-1) x (N-1)/(N-K)" in result.cov_type

    fe = lpm_within(broad)
    assert fe.cov_type == LPM_FE_COV and "no G/(G-1)" in fe.cov_type
    names = list(fe.params.index)
    X = broad.assign(**{"democracy:systemic_favorable": broad.democracy * broad.systemic_favorable})[names].to_numpy()
    D = np.column_stack([pd.get_dummies(broad["entity"], dtype=float), pd.get_dummies(broad["year"], dtype=float)])
    u, sv, _ = np.linalg.svd(D, full_matrices=False)
    Q = u[:, sv > sv.max() * max(D.shape) * np.finfo(float).eps]  # an orthonormal basis of the effects
    Xt, yt = X - Q @ (Q.T @ X), broad["y"].to_numpy() - Q @ (Q.T @ broad["y"].to_numpy())
    beta = np.linalg.lstsq(Xt, yt, rcond=None)[0]
    np.testing.assert_allclose(beta, fe.params.to_numpy(), atol=1e-10)
    n, k, rank = len(yt), len(beta), effects_rank(broad)
    V = _cluster_sandwich(Xt * (yt - Xt @ beta)[:, None], np.linalg.inv(Xt.T @ Xt), wars) * n / (n - k - rank)
    np.testing.assert_allclose(fe.cov_params().to_numpy(), V, rtol=1e-8)

    re_ = lpm_random_effects(broad)
    assert re_.cov_type == LPM_RE_COV
    theta = re_.fitted.theta["theta"].reindex(broad["entity"]).to_numpy()
    X = np.column_stack([np.ones(len(broad)), broad[["democracy", "systemic_favorable"]],
                         broad.democracy * broad.systemic_favorable, broad[["power_share", "major_power"]]])
    y = broad["y"].to_numpy()
    means = pd.DataFrame(np.column_stack([y, X])).groupby(broad["entity"].to_numpy()).transform("mean").to_numpy()
    yq, Xq = y - theta * means[:, 0], X - theta[:, None] * means[:, 1:]
    beta = np.linalg.lstsq(Xq, yq, rcond=None)[0]
    np.testing.assert_allclose(beta, re_.params.to_numpy(), atol=1e-10)
    n, k = Xq.shape
    V = _cluster_sandwich(Xq * (yq - Xq @ beta)[:, None], np.linalg.inv(Xq.T @ Xq), wars) * n / (n - k)
    np.testing.assert_allclose(re_.cov_params().to_numpy(), V, rtol=1e-8)


def test_firth_result_surface_and_profile_intervals():
    """The Firth covariance is (X'WX)^-1 at the estimate (by hand); conf_int() is the profile interval,
    the published one for NV on the endometrial data (Heinze and Schemper 2002: 0.61 to 7.85), and at
    alpha = 0.1 the profile deviance at each bound equals the chi-square(1) 0.90 quantile."""
    d = pd.read_csv(PROJECT_ROOT / "tests" / "data" / "endometrial.csv", comment="#")
    d["y"], d["war"] = d["HG"].astype(float), np.arange(len(d))
    r = firth_logit(d, formula="y ~ NV + PI + EH")
    assert r.cov_type == FIRTH_COV and r.fitted.status == "ok"
    X = np.column_stack([np.ones(len(d)), d.NV, d.PI, d.EH])
    p = expit(X @ r.params.to_numpy())
    np.testing.assert_allclose(r.cov_params().to_numpy(), np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None])),
                               rtol=1e-10)
    assert tuple(r.conf_int().loc["NV"].round(2)) == (0.61, 7.85)
    narrow = r.conf_int(0.1)
    assert ((narrow[0] > r.conf_int()[0]) & (narrow[1] < r.conf_int()[1])).all()

    def penalised_loglik(beta):
        p = np.clip(expit(X @ beta), 1e-300, 1 - 1e-16)  # BFGS's trial steps may overshoot
        info = X.T @ (X * (p * (1 - p))[:, None])
        return float(np.sum(d.y * np.log(p) + (1 - d.y) * np.log1p(-p)) + 0.5 * np.linalg.slogdet(info)[1])

    from scipy.optimize import minimize

    top = penalised_loglik(r.params.to_numpy())
    for bound in narrow.loc["EH"]:  # EH (column 3) fixed at its bound, the others maximised
        free = minimize(lambda b: -penalised_loglik(np.r_[b, bound]), r.params.to_numpy()[:3], method="BFGS",
                        options={"gtol": 1e-10})
        assert 2 * (top + free.fun) == pytest.approx(stats.chi2.ppf(0.9, 1), abs=2e-3)


def test_summary_names_the_model_its_covariance_counts_status_and_warnings(refit, recorded, main):
    text = str(refit.summary())
    for needed in ["Model:          Pooled logit -> Firth (ML separated)", f"Covariance:     {FIRTH_COV[:40]}",
                   "Observations:   410    Events: 12    Wars: 38    Wars with an event: 6",
                   "Replaces:       Pooled logit (status separated)",
                   "Rows dropped:   39 of 449 rows at risk, for missing values (democracy: 39)",
                   "Status:         ok", "LR p", "Warnings:", "the data are separated"]:
        assert needed in text, needed
    # one line per term with its estimate, and the penalised log-likelihood labelled
    assert re.search(r"^democracy:systemic_favorable\s+" + f"{refit.params['democracy:systemic_favorable']:.4f}",
                     text, flags=re.M)
    assert f"{refit.tidy['loglik'].iloc[0]:.3f} (penalised)" in text
    record = str(recorded.summary())
    assert "Status:         separated" in record and "for the record only" in record
    assert re.search(r"^democracy\s+-2\d\.\d{4}\s+-\s+-\s+-", record, flags=re.M)  # no SE, z or p
    assert recorded.conf_int().isna().all().all() and recorded.cov_params().isna().all().all()
    assert recorded.fitted.status == "separated"  # the library object carries the status


# --- no silent separated fit ----------------------------------------------------------------------

def test_separated_logit_returns_its_firth_refit_by_default_with_a_warning(refit, recorded, main):
    """Before issue 21, logit() on the main model returned the separated ML fit (democracy -21.7) with no
    warning; now the default is the Firth refit, labelled as such, with a SeparationWarning naming the
    infinite terms."""
    message = str(refit.caught[0].message)
    assert "infinite for democracy, democracy:systemic_favorable" in message
    assert refit.caught[0].filename == __file__  # the warning points at the caller's line, not the package's
    assert refit.estimator == "firth" and refit.name == "Pooled logit -> Firth (ML separated)"
    assert refit.refit_of is not None and refit.refit_of.status == "separated"
    pd.testing.assert_series_equal(refit.params, firth_logit(main).params, rtol=0, atol=1e-12)
    assert abs(refit.params["democracy"]) < 5 < abs(refit.refit_of.params["democracy"])
    assert any("separated" in w for w in refit.warnings)
    assert recorded.status == "separated" and recorded.fallback.estimator == "firth"
    pd.testing.assert_series_equal(recorded.fallback.params, refit.params, rtol=0, atol=1e-12)
    with pytest.raises(SeparationError, match="on_separation='penalised'"):
        logit(main, on_separation="raise")
    with pytest.warns(SeparationWarning):
        assert logit(main, on_separation="firth").estimator == "firth"  # the brief's spelling of the default
    with pytest.raises(ValueError, match=r"on_separation must be one of \['penalised', 'firth', 'record', 'raise'\]"):
        logit(main, on_separation="ignore")


def test_separated_hazard_returns_the_penalised_cloglog_with_its_offset(main):
    """The hazard's refit is the Jeffreys-penalised cloglog with the same offset and formula (on the
    interaction alone here, to keep the profile intervals quick; the full model is tested in
    test_penalised.py). The conditional logit's separation warning is tested in test_models.py."""
    from replication.models import PenalisedFitWarning

    formula = "y ~ democracy * systemic_favorable"
    with warnings.catch_warnings():
        # the intercept's LR test cannot be computed with the offset (explained and asserted in test_models.py)
        warnings.simplefilter("ignore", PenalisedFitWarning)
        with pytest.warns(SeparationWarning, match="Jeffreys-penalised cloglog with the same offset"):
            h = hazard_logit(main, formula=formula)
        direct = penalised_hazard(main, formula=formula)
    assert h.estimator == "penalised_hazard" and h.refit_of.status == "separated"
    assert h.formula == formula + " + offset(log_exposure)" and h.cov_type.startswith("model-based")
    pd.testing.assert_series_equal(h.params, direct.params, rtol=0, atol=1e-12)
    np.testing.assert_allclose(h.conf_int().to_numpy(), direct.conf_int().to_numpy(), rtol=1e-12)
    with pytest.raises(SeparationError):
        hazard_logit(main, formula=formula, on_separation="raise")


def test_interaction_table_on_the_separated_main_model_reports_the_firth_refit(recorded, main):
    """Before: P(dem, unfav) = 1e-11, delta SE ~ 0, and every bootstrap resample separated, no warning.
    Now: the Firth refit's numbers (Table 5's route), named in the table with a status column; the
    second difference is the README's: -0.026, delta-method 95% CI -0.104 to +0.052, war jackknife
    -0.122 to +0.070."""
    with pytest.warns(SeparationWarning, match="reporting its penalised refit, Pooled logit -> Firth"):
        table = interaction_table(recorded, reps=100)
    assert set(table["model"]) == {"Pooled logit -> Firth (ML separated)"} and set(table["status"]) == {"ok"}
    assert set(table["replaces"]) == {"Pooled logit (separated)"}
    rows = table.set_index("quantity")
    assert rows.loc["p(dem, unfav)", "estimate"] > 1e-3 and rows.loc["p(dem, unfav)", "delta_se"] > 1e-3
    sd = rows.loc["second difference"]
    assert (round(sd.estimate, 3), round(sd.delta_ci_low, 3), round(sd.delta_ci_high, 3)) == (-0.026, -0.104, 0.052)
    assert (round(sd.jack_ci_low, 3), round(sd.jack_ci_high, 3)) == (-0.122, 0.070)
    # the same numbers as the functions Table 5 calls on the Firth fit
    firth = recorded.fallback
    delta = delta_method(firth, main).set_index("quantity")
    np.testing.assert_allclose(rows["estimate"], delta["estimate"], rtol=1e-12)
    boot, info = penalised_cluster_bootstrap(firth, main, reps=100)
    np.testing.assert_allclose(rows["boot_ci_low"], boot["boot_ci_low"], rtol=1e-12)
    assert rows["boot_reps"].iloc[0] == 100 and rows["boot_separated"].isna().all()


def test_every_effects_function_takes_the_same_route_and_carries_a_status(recorded, main):
    firth = recorded.fallback
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tables = {"delta_method": delta_method(recorded), "war_jackknife": war_jackknife(recorded),
                  "cell_predictions": cell_predictions(recorded), "differences": differences(recorded),
                  "cluster_bootstrap": cluster_bootstrap(recorded, reps=30)[0],
                  "penalised_cluster_bootstrap": penalised_cluster_bootstrap(recorded, reps=30)[0]}
        q = point_quantities(recorded)
    assert sum(issubclass(w.category, SeparationWarning) for w in caught) == 7  # one per call, none silent
    for name, table in tables.items():
        assert list(table.columns[:3]) == ["model", "status", "replaces"], name
        assert set(table["model"]) == {firth.name} and set(table["status"]) == {"ok"}, name
        assert set(table["replaces"]) == {"Pooled logit (separated)"}, name
    delta = delta_method(firth, main)
    np.testing.assert_allclose(q.to_numpy(), delta["estimate"].to_numpy(), rtol=1e-12)
    assert q.name == f"{firth.name} (ok)"
    np.testing.assert_allclose(tables["cell_predictions"]["estimate"], delta["estimate"].iloc[:4], rtol=1e-12)
    np.testing.assert_allclose(tables["differences"]["std_error"], delta["delta_se"].iloc[4:], rtol=1e-12)
    # the route's bootstrap is the penalised one, on the same resamples for the same seed
    np.testing.assert_allclose(tables["cluster_bootstrap"]["boot_se"], tables["penalised_cluster_bootstrap"]["boot_se"])


def test_cell_predictions_of_the_hazard_use_its_exposure_offset(broad):
    """marginaleffects ignores a GLM's offset: cell_predictions of the hazard used to return the
    probabilities of a one-day phase (0.0003 for autocracies under unfavourable conditions instead of
    0.067). They now come from the design with the offset, the delta method's numbers."""
    h = hazard_logit(broad)
    assert h.status == "ok"
    cells = cell_predictions(h).set_index(["democracy", "systemic_favorable"])
    model = h.fitted.model
    names = list(model.exog_names)
    X = np.asarray(model.exog).copy()
    X[:, names.index("democracy")] = X[:, names.index("systemic_favorable")] = 0
    X[:, names.index("democracy:systemic_favorable")] = 0
    by_hand = (-np.expm1(-np.exp(X @ h.fitted.params.to_numpy() + broad["log_exposure"].to_numpy()))).mean()
    assert cells.loc[(0, 0), "estimate"] == pytest.approx(by_hand, rel=1e-10)
    assert cells.loc[(0, 0), "estimate"] > 0.03  # a phase, not a day
    second = differences(h).iloc[2]
    delta = delta_method(h).set_index("quantity").loc["second difference"]
    assert (second.estimate, second.std_error) == pytest.approx((delta.estimate, delta.delta_se), rel=1e-12)


def test_an_unconverged_fit_warns_and_its_effects_raise(main, monkeypatch):
    import replication.models.estimators as est

    real = est.firth_fit
    monkeypatch.setattr(est, "firth_fit", lambda X, y: (real(X, y)[0], False))
    with pytest.warns(NonConvergenceWarning, match="did not converge"):
        r = firth_logit(main)
    assert r.status == "not converged" and r.bse.isna().all() and r.fitted.status == "not converged"
    with pytest.raises(ConvergenceError, match="not converged"):
        delta_method(r)
    with pytest.raises(ConvergenceError):
        interaction_table(r, reps=10)


def test_every_model_warning_is_one_class():
    from replication.models import PenalisedFitWarning

    for category in (SeparationWarning, NonConvergenceWarning, DroppedRowsWarning, PenalisedFitWarning):
        assert issubclass(category, ModelWarning)
    assert issubclass(PenalisedFitWarning, RuntimeWarning)  # as before, for callers that catch it so


# --- formulas in the panel's own names ------------------------------------------------------------

def test_formulas_use_the_panels_own_column_names(panel):
    frame = model_frame(panel, regime="bmr", systemic="favorable_if_defeat_divides")
    for own, alias in (("defected", "y"), ("democracy_bmr", "democracy"),
                       ("favorable_if_defeat_divides", "systemic_favorable")):
        np.testing.assert_array_equal(frame[own], frame[alias])
    internal = "y ~ democracy * systemic_favorable + power_share + major_power"
    own = "defected ~ democracy_bmr * favorable_if_defeat_divides + power_share + major_power"
    renamed = {"democracy_bmr": "democracy", "favorable_if_defeat_divides": "systemic_favorable",
               "democracy_bmr:favorable_if_defeat_divides": "democracy:systemic_favorable"}
    a, b = firth_logit(frame, internal), firth_logit(frame, own)
    pd.testing.assert_series_equal(a.params, b.params.rename(renamed), rtol=0, atol=1e-12)
    # the counterfactual cells set the panel's names too, so the probability scale agrees
    np.testing.assert_allclose(delta_method(a)["estimate"], delta_method(b)["estimate"], rtol=1e-10)
    h_a, h_b = (penalised_hazard(frame, formula=f + " + t + I(t ** 2) + I(t ** 3)", profile=False)
                for f in (internal, own))
    np.testing.assert_allclose(h_a.params.to_numpy(), h_b.params.to_numpy(), rtol=0, atol=1e-10)
    with pytest.raises(ValueError, match=r"model_frame\(panel, outcome='defected_strict'\)"):
        firth_logit(frame, "defected_strict ~ democracy")
    with pytest.raises(ValueError, match=r"'formal_ally_of_leader' .* is not a column of the model frame"):
        logit(frame, "y ~ democracy + formal_ally_of_leader")
    with pytest.raises(ValueError, match="left-hand side"):
        logit(frame, "power_share ~ democracy")


def test_dropped_rows_are_counted_and_warned_about_by_column(panel):
    """formal_ally_of_leader is NA for every coalition leader: as an extra control it drops 98 more of
    the 449 rows at risk (137 in all, 31%); the warning names the column and says why."""
    with pytest.warns(DroppedRowsWarning) as caught:
        frame = model_frame(panel, outcome="defected_broad", controls=EXTRA)
    message = str(caught[0].message)
    assert "137 of 449 rows at risk (30.5%, more than 5%)" in message
    assert "formal_ally_of_leader NA in 98 rows" in message and "NA for every coalition leader" in message
    assert "democracy NA in 39 rows" in message
    assert frame.attrs["at_risk"] == 449 and frame.attrs["dropped"] == 137 == 449 - len(frame)
    assert frame.attrs["dropped_by"]["formal_ally_of_leader"] == 98 and frame.attrs["warnings"] == [message]
    # by hand: the leaders' rows at risk that still have a Polity score
    at_risk = panel[~panel["partnerless"].astype(bool) & ~panel["after_exit"].astype("boolean").fillna(False)]
    leaders = at_risk[(at_risk["coalition_leader"] == at_risk["ccode"]) & at_risk["democracy"].notna()]
    assert len(leaders) == 98 and leaders["formal_ally_of_leader"].isna().all()
    assert at_risk["formal_ally_of_leader"].isna().sum() == at_risk["coalition_leader"].eq(at_risk["ccode"]).sum()
    # below 5% no warning (BMR drops 12 of 449); warn_dropped=None never warns, and still counts
    with warnings.catch_warnings():
        warnings.simplefilter("error", DroppedRowsWarning)
        assert model_frame(panel, regime="bmr").attrs["dropped"] == 12
        assert model_frame(panel, outcome="defected_broad", controls=EXTRA, warn_dropped=None).attrs["dropped"] == 137
    with pytest.warns(DroppedRowsWarning, match="39 of 449 rows at risk"):
        model_frame(panel, warn_dropped=0.05)


# --- the public API -------------------------------------------------------------------------------

def test_public_names_import_from_replication_and_replication_models():
    import replication
    import replication.models as models

    for module in (replication, models):
        assert len(set(module.__all__)) == len(module.__all__)
        for name in module.__all__:
            assert getattr(module, name) is not None, (module.__name__, name)
    for name in ("regression_table", "run_multiverse", "sample_flow", "reading_frames", "power_curve",
                 "interaction_table", "SeparationWarning", "load_panel", "build_panel", "power_shares"):
        assert name in replication.__all__, name
    for name in ("regression_table", "sample_flow", "reading_frames", "power_curve", "cell_predictions",
                 "differences", "penalised_hazard", "DroppedRowsWarning", "ModelResult"):
        assert name in models.__all__, name
    assert replication.logit is models.logit and replication.run_multiverse.__module__.endswith("multiverse")


def _example_imports():
    """(source, module, names) of every `from replication... import ...` in the README's and the docs'
    Python examples and in the package's docstrings."""
    texts = [("README.md", (PROJECT_ROOT / "README.md").read_text(encoding="utf-8"))]
    texts += [(str(p.relative_to(PROJECT_ROOT)), p.read_text(encoding="utf-8")) for p in (PROJECT_ROOT / "docs").glob("*.md")]
    for path in (PROJECT_ROOT / "replication").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = [ast.get_docstring(n) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and ast.get_docstring(n)]
        texts += [(str(path.relative_to(PROJECT_ROOT)), d) for d in docs]
    pattern = re.compile(r"^\s*(?:>>> |\.\.\. )?from (replication[\w.]*) import \(?([\w, \n]+?)\)?\s*(?:#.*)?$", re.M)
    for source, text in texts:
        for module, names in pattern.findall(text):
            yield source, module, [n.strip() for n in names.replace("\n", " ").split(",") if n.strip()]


def test_examples_import_from_the_public_modules():
    """What the README, the docs and the docstrings show imports from replication, replication.models or a
    sub-package's top level, and every name is public there (in its __all__)."""
    seen = 0
    for source, module_name, names in _example_imports():
        module = importlib.import_module(module_name)
        assert hasattr(module, "__path__") or module_name == "replication", (source, module_name)
        for name in names:
            submodule = importlib.util.find_spec(f"{module_name}.{name}") if hasattr(module, "__path__") else None
            if submodule is None:
                assert name in getattr(module, "__all__", dir(module)), (source, module_name, name)
            seen += 1
    assert seen >= 30


def test_arguments_are_checked_with_the_valid_values(panel, main):
    from replication import run_multiverse
    from replication.models import formula_for, load_panel, sample_flow

    with pytest.raises(TypeError, match=r"controls=\['power_share'\]; got the string 'power_share'"):
        model_frame(panel, controls="power_share")
    with pytest.raises(TypeError, match="got the string"):
        formula_for("interaction", controls="power_share")
    with pytest.raises(ValueError, match=r"outcome must be one of \[.*'defected_broad'.*\], got 'defected_brod' "
                                         r"\(did you mean 'defected_broad'\?\)"):
        sample_flow(panel, outcome="defected_brod")
    with pytest.raises(ValueError, match=r"regime must be one of \['polity', 'bmr'\]"):
        model_frame(panel, regime="Polity")
    with pytest.raises(ValueError, match=r"systemic must be one of .*'favorable_if_defeat_divides'"):
        model_frame(panel, systemic="favourable_if_defeat_divides")
    with pytest.raises(ValueError, match="repeat a column"):
        model_frame(panel, systemic="favorable_if_defeat_divides", controls=["systemic_favorable"])
    with pytest.raises(ValueError, match=r"kind must be one of \['interaction', 'systemic', 'regime', 'null'\]"):
        formula_for("interactions")
    with pytest.raises(ValueError, match=r"scheme must be one of \['year', 'half', 'custom'\]"):
        load_panel("yearly")
    with pytest.raises(ValueError, match=r"a key must be one of \['outcome', .*'estimator'\], got 'outcomes' "
                                         r"\(did you mean 'outcome'\?\)"):
        run_multiverse(choices={"outcomes": ["defected"]})
    with pytest.raises(TypeError, match=r"choices\['outcome'\] must be a list of values"):
        run_multiverse(choices={"outcome": "defected"})
    with pytest.raises(ValueError, match=r"a value of 'estimator' must be one of \['logit', 'firth', 'hazard', "
                                         r"'lpm'\], got 'hazrd'"):
        run_multiverse(choices={"estimator": ["hazrd"]})
    with pytest.raises(ValueError, match=r"vcov must be one of \['CR1', 'CR2'\]"):
        lpm_within(main, vcov="CR3")
    with pytest.raises(ValueError, match="already on the probability scale"):
        interaction_table(lpm_random_effects(main))
