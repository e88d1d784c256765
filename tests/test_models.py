"""Estimators checked against values computed independently, and the probability-scale effects."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from replication.models import (cluster_bootstrap, conditional_logit, firth_logit, lpm_within, model_frame,
                                point_quantities)
from replication.models.effects import cell_predictions
from replication.models.estimators import logit
from replication.models.paragraph import paragraph
from replication.models.tables import interaction_effects_table, models_table, theories_table
from replication.panel import build_panel
from replication.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def frame(panel):
    return model_frame(panel)


def toy_frame():
    # x = 0: 2 of 10 defect; x = 1: 6 of 10. Ten "wars" of two rows each.
    y = [1, 1] + [0] * 8 + [1] * 6 + [0] * 4
    x = [0] * 10 + [1] * 10
    return pd.DataFrame({"y": np.array(y, float), "democracy": np.array(x, float), "war": np.repeat(range(10), 2)})


def test_logit_by_hand():
    r = logit(toy_frame(), "y ~ democracy", name="toy")
    assert r.params["Intercept"] == pytest.approx(np.log(2 / 8), abs=1e-7)
    assert r.params["democracy"] == pytest.approx(np.log(6 / 4) - np.log(2 / 8), abs=1e-7)
    # log-likelihood by hand and the AIC identity
    ll = 2 * np.log(0.2) + 8 * np.log(0.8) + 6 * np.log(0.6) + 4 * np.log(0.4)
    assert r.tidy["loglik"].iloc[0] == pytest.approx(ll, abs=1e-7)
    assert r.tidy["aic"].iloc[0] == pytest.approx(2 * 2 - 2 * ll, abs=1e-7)


def test_saturated_logit_reproduces_cell_means(frame):
    r = logit(frame, "y ~ democracy * systemic_favorable", name="saturated")
    q = point_quantities(r, frame)
    means = frame.groupby(["democracy", "systemic_favorable"])["y"].mean()
    assert q["p(aut, unfav)"] == pytest.approx(means[(0, 0)], abs=1e-6)
    assert q["p(dem, unfav)"] == pytest.approx(means[(1, 0)], abs=1e-6)
    assert q["p(aut, fav)"] == pytest.approx(means[(0, 1)], abs=1e-6)
    assert q["p(dem, fav)"] == pytest.approx(means[(1, 1)], abs=1e-6)


def test_marginaleffects_matches_the_hand_delta_method(frame):
    r = logit(frame)
    me = cell_predictions(r).set_index(["democracy", "systemic_favorable"])
    q = point_quantities(r, frame)
    assert me.loc[(1, 1), "estimate"] == pytest.approx(q["p(dem, fav)"], rel=1e-6)
    # delta method by hand: gradient of mean(expit(X b)) is mean(p (1 - p) X); V is the war-clustered covariance
    X = r.fitted.model.exog.copy()
    names = list(r.fitted.model.exog_names)
    X[:, names.index("democracy")] = 1
    X[:, names.index("systemic_favorable")] = 1
    X[:, names.index("democracy:systemic_favorable")] = 1
    p = expit(X @ r.fitted.params.to_numpy())
    grad = (p * (1 - p))[:, None] * X
    g = grad.mean(axis=0)
    se = float(np.sqrt(g @ r.fitted.cov_params().to_numpy() @ g))
    assert me.loc[(1, 1), "std_error"] == pytest.approx(se, rel=1e-3)


def test_within_estimator_equals_manual_demeaning(frame):
    r = lpm_within(frame, time_effects=False)
    d = frame.assign(dem_x_fav=frame.democracy * frame.systemic_favorable)
    cols = ["systemic_favorable", "dem_x_fav", "power_share", "major_power", "log_days_at_risk"]
    demeaned = d[["y", *cols]] - d.groupby("entity")[["y", *cols]].transform("mean")
    ols = sm.OLS(demeaned["y"], demeaned[cols]).fit()
    est = r.params.rename({"democracy:systemic_favorable": "dem_x_fav"})
    for c in cols:
        assert est[c] == pytest.approx(ols.params[c], abs=1e-8)
    assert "democracy" in r.diagnostics["absorbed"]


def test_bootstrap_reproducible_under_seed(frame):
    r = logit(frame)
    a, info_a = cluster_bootstrap(r, frame, reps=40, seed=7)
    b, _ = cluster_bootstrap(r, frame, reps=40, seed=7)
    c, _ = cluster_bootstrap(r, frame, reps=40, seed=8)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert not a.equals(c)
    assert info_a["reps"] == 40 and info_a["failed"] + info_a["separated"] <= 40


def test_diagnostics_are_reported(frame):
    r = logit(frame)
    assert r.diagnostics["few_clusters"] is True and r.diagnostics["n_clusters"] == frame.war.nunique() < 50
    # the primary coding has no democratic defection under unfavourable conditions: separated, and said so
    assert r.diagnostics["separation"] is True and r.diagnostics["infinite_ml_terms"] >= 1
    c = conditional_logit(frame)
    no_event_wars = int((frame.groupby("war")["y"].max() == 0).sum())
    assert c.diagnostics["groups_dropped"] == no_event_wars
    f = firth_logit(frame)
    assert np.isfinite(f.params).all()
    # under separation ML runs off towards infinity on the separated term; Firth stays finite and small
    assert abs(r.params["democracy"]) > 10 > abs(f.params["democracy"])


def test_other_outcome_regime_and_scheme(panel):
    strict = model_frame(panel, outcome="defected_strict", regime="bmr")
    assert strict.attrs["outcome"] == "defected_strict" and strict["y"].sum() == 5
    r = logit(strict)
    assert "separation" in r.diagnostics  # reported either way with only five events
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        half = model_frame(build_panel(scheme="half"))
    assert len(half) < len(model_frame(panel))
    assert logit(half).tidy["n"].iloc[0] == len(half)
    with pytest.raises(ValueError):
        model_frame(panel, outcome="left")


def test_tidy_tables_carry_formula_and_sample(frame):
    tidy, _ = models_table(frame)
    assert {"term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "n_clusters", "loglik", "aic",
            "bic", "formula", "sample"} <= set(tidy.columns)
    assert tidy.groupby("model")["formula"].nunique().eq(1).all()
    assert tidy["model"].nunique() == 6


def test_readme_paragraph_is_generated_from_the_numbers(frame):
    """Refit everything (2,000 bootstrap replicates) and regenerate the paragraph the README shows."""
    tidy, _ = models_table(frame)
    text = paragraph(tidy, theories_table(frame), interaction_effects_table(frame))
    readme = (PROJECT_ROOT / "README.md").read_text()
    block = re.search(r"<!-- RESULTS:START[^>]*-->\n(.*?)\n<!-- RESULTS:END -->", readme, flags=re.S).group(1)
    assert block == text
