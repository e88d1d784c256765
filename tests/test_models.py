"""Estimators checked against values computed independently, and the probability-scale effects."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit

from replication.models import (cluster_bootstrap, conditional_logit, firth_logit, lpm_random_effects, lpm_within,
                                model_frame,
                                point_quantities)
from replication.models import SeparationWarning
from replication.models.effects import cell_predictions
from replication.models.estimators import logit
from replication.models.paragraph import paragraph
from replication.models.tables import interaction_effects_table, models_table, theories_table
from replication.panel import build_panel
from replication.paths import PROJECT_ROOT  # noqa: F401


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


def test_saturated_logit_reproduces_cell_means(panel):
    # defected_broad: every cell has an event, so the saturated ML logit exists (on the default outcome no
    # democracy defects under unfavourable conditions, and point_quantities would report the Firth refit)
    frame = model_frame(panel, outcome="defected_broad")
    r = logit(frame, "y ~ democracy * systemic_favorable", name="saturated")
    assert r.status == "ok" and r.estimator == "logit"
    q = point_quantities(r, frame)
    means = frame.groupby(["democracy", "systemic_favorable"])["y"].mean()
    assert q["p(aut, unfav)"] == pytest.approx(means[(0, 0)], abs=1e-6)
    assert q["p(dem, unfav)"] == pytest.approx(means[(1, 0)], abs=1e-6)
    assert q["p(aut, fav)"] == pytest.approx(means[(0, 1)], abs=1e-6)
    assert q["p(dem, fav)"] == pytest.approx(means[(1, 1)], abs=1e-6)


def test_marginaleffects_matches_the_hand_delta_method(panel):
    # On defected_broad, whose ML estimate exists. (On the default outcome the logit is separated --
    # no democracy defects under unfavourable conditions, the coefficient runs to -21.7 without
    # converging -- its war-clustered covariance is not even positive semi-definite (smallest eigenvalue
    # -140), and the delta-method variance of the boundary cell P(dem, unfav) ~ 1e-10 comes out as
    # -8e-21: that was marginaleffects' "invalid value encountered in sqrt", a NaN standard error.)
    frame = model_frame(panel, outcome="defected_broad")
    r = logit(frame)
    assert not r.diagnostics["separation"] and r.diagnostics["converged"]
    V = r.fitted.cov_params().to_numpy()
    assert np.linalg.eigvalsh(V).min() > 0
    me = cell_predictions(r).set_index(["democracy", "systemic_favorable"])
    q = point_quantities(r, frame)
    assert me.loc[(1, 1), "estimate"] == pytest.approx(q["p(dem, fav)"], rel=1e-6)
    # delta method by hand: gradient of mean(expit(X b)) is mean(p (1 - p) X); V is the war-clustered covariance
    names = list(r.fitted.model.exog_names)
    for dem, fav in [(0, 0), (1, 0), (0, 1), (1, 1)]:
        X = r.fitted.model.exog.copy()
        X[:, names.index("democracy")] = dem
        X[:, names.index("systemic_favorable")] = fav
        X[:, names.index("democracy:systemic_favorable")] = dem * fav
        p = expit(X @ r.fitted.params.to_numpy())
        g = ((p * (1 - p))[:, None] * X).mean(axis=0)
        assert me.loc[(dem, fav), "estimate"] == pytest.approx(p.mean(), rel=1e-6)
        assert me.loc[(dem, fav), "std_error"] == pytest.approx(float(np.sqrt(g @ V @ g)), rel=1e-3)


def test_within_estimator_equals_manual_demeaning(frame):
    r = lpm_within(frame, time_effects=False)
    d = frame.assign(dem_x_fav=frame.democracy * frame.systemic_favorable)
    cols = ["systemic_favorable", "dem_x_fav", "power_share", "major_power"]
    demeaned = d[["y", *cols]] - d.groupby("entity")[["y", *cols]].transform("mean")
    ols = sm.OLS(demeaned["y"], demeaned[cols]).fit()
    est = r.params.rename({"democracy:systemic_favorable": "dem_x_fav"})
    for c in cols:
        assert est[c] == pytest.approx(ols.params[c], abs=1e-8)
    assert "democracy" in r.diagnostics["absorbed"]


def test_bootstrap_reproducible_under_seed(frame):
    from replication.models.effects import ml_cluster_bootstrap

    with pytest.warns(SeparationWarning):
        r = logit(frame, on_separation="record")
    a, info_a = ml_cluster_bootstrap(r, frame, reps=40, seed=7)
    b, _ = ml_cluster_bootstrap(r, frame, reps=40, seed=7)
    c, _ = ml_cluster_bootstrap(r, frame, reps=40, seed=8)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert not a.equals(c)
    # the full sample is separated, so every resample whose design has full column rank is separated too
    from replication.models.effects import _war_draws

    X = np.asarray(r.fitted.model.exog)
    draws = _war_draws(frame["war"].to_numpy(), 40, seed=7)
    full_rank = sum(np.linalg.matrix_rank(X[w > 0]) == X.shape[1] for w in draws)
    assert r.status == "separated" and info_a["reps"] == 40 and info_a["separated"] == full_rank > 0


def test_diagnostics_are_reported(frame):
    with pytest.warns(SeparationWarning):
        r = logit(frame, on_separation="record")
    assert r.diagnostics["few_clusters"] is True and r.diagnostics["n_clusters"] == frame.war.nunique() < 50
    # the primary coding has no democratic defection under unfavourable conditions: separated, and said so
    assert r.diagnostics["separation"] is True and r.diagnostics["infinite_ml_terms"] >= 1
    with pytest.warns(SeparationWarning, match="no maintained library fits a penalised conditional logit"):
        c = conditional_logit(frame)
    no_event_wars = int((frame.groupby("war")["y"].max() == 0).sum())
    assert c.diagnostics["groups_dropped"] == no_event_wars
    f = firth_logit(frame)
    assert np.isfinite(f.params).all()
    # under separation ML runs off towards infinity on the separated term; Firth stays finite and small
    assert abs(r.params["democracy"]) > 10 > abs(f.params["democracy"])
    assert r.diagnostics["clusters_with_events"] == int((frame.groupby("war")["y"].max() > 0).sum())


def test_other_outcome_regime_and_scheme(panel):
    strict = model_frame(panel, outcome="defected_strict", regime="bmr")
    assert strict.attrs["outcome"] == "defected_strict"
    assert strict["y"].sum() == panel.loc[panel["democracy_bmr"].notna(), "defected_strict"].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeparationWarning)  # asserted just below
        r = logit(strict, on_separation="record")
    # five events: separated exactly when some democracy x conditions cell has no event (or only events)
    cells = strict.groupby(["democracy", "systemic_favorable"])["y"].agg(["sum", "size"])
    empty = bool(((cells["sum"] == 0) | (cells["sum"] == cells["size"])).any())
    assert r.diagnostics["separation"] is empty and r.status == ("separated" if empty else r.status)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        half = model_frame(build_panel(scheme="half"))
    assert len(half) < len(model_frame(panel))
    assert firth_logit(half).tidy["n"].iloc[0] == len(half)
    with pytest.raises(ValueError):
        model_frame(panel, outcome="left")


# Table 3's fits warn as they do in make all (logged there): profile bounds and LR p-values the penalised
# refits cannot give (NaN in the table), and democracy absorbed by the within LPM's entity effects.
@pytest.mark.filterwarnings("ignore::replication.models.penalised.PenalisedFitWarning")
@pytest.mark.filterwarnings("ignore:\\s*Variables have been fully absorbed")
def test_tidy_tables_carry_formula_and_sample(frame):
    with pytest.warns(SeparationWarning) as caught:  # Table 3 keeps the separated ML fits for the record
        tidy, _ = models_table(frame)
    warned = {str(w.message).split(":")[0] for w in caught if issubclass(w.category, SeparationWarning)}
    assert warned == {"Pooled logit", "Discrete-time hazard (cloglog)", "Conditional logit (war)"}
    assert {"term", "estimate", "std_error", "ci_low", "ci_high", "p_value", "n", "n_clusters", "loglik", "aic",
            "bic", "formula", "sample"} <= set(tidy.columns)
    assert tidy.groupby("model")["formula"].nunique().eq(1).all()
    # six estimators, plus a penalised refit for each separated ML fit (reported beside it, never instead)
    separated = tidy.loc[tidy["status"].eq("separated"), "model"].nunique()
    fallbacks = tidy["model"].str.endswith("(ML separated)")
    assert tidy.loc[~fallbacks, "model"].nunique() == 6
    # No maintained library fits a penalised conditional logit, so a separated clogit has no refit.
    clogit_separated = tidy.loc[tidy.model.str.startswith("Conditional logit"), "status"].eq("separated").any()
    assert tidy.loc[fallbacks, "model"].nunique() == separated - clogit_separated >= 1


@pytest.fixture(scope="module")
def reported_tables(panel):
    """Tables 3-5 as the exhibits build them, with few replicates (the numbers are the tables', whatever the reps)."""
    from replication.models.compare import congruence_test  # noqa: F401 (kept importable)
    from replication.models.fewclusters import few_cluster_table
    from replication.models.tables import (congruence_table, power_table, predictions_table, reading_frames,
                                           reported_fits)

    frames = reading_frames(panel)
    fits = {r: reported_fits(f["binary"]) for r, f in frames.items()}
    with warnings.catch_warnings():
        # Table 3 keeps the separated ML fits for the record, as test_tidy_tables_carry_formula_and_sample asserts
        warnings.simplefilter("ignore", SeparationWarning)
        tidy, _ = models_table(frames["defeat_unites"]["binary"])
    preds = predictions_table(frames, fits=fits)
    theories, _ = theories_table(frames)
    inter = interaction_effects_table(frames, reps=30, fits=fits)
    _, power = power_table(frames, inter, reps=40, grid=(0.0, 0.1, 0.2, 0.3))
    few = few_cluster_table(frames["defeat_unites"]["binary"], reps=99, ci=False)
    cong = congruence_table(frames, reps=50)
    return {"models": tidy, "theories": theories, "interaction": inter, "predictions": preds, "few": few,
            "congruence": cong, "power": power}


# Table 3's fits warn as they do in make all (logged there): profile bounds and LR p-values the penalised
# refits cannot give (NaN in the table), and democracy absorbed by the within LPM's entity effects.
@pytest.mark.filterwarnings("ignore::replication.models.penalised.PenalisedFitWarning")
@pytest.mark.filterwarnings("ignore:\\s*Variables have been fully absorbed")
def test_paragraph_numbers_all_come_from_the_tables(reported_tables):
    """Every number in the generated text is a value of one of the tables it is given (formatted as printed),
    a count of rows of one, or the article's year, a line number, the CI level or the power target."""
    t = reported_tables
    text = paragraph(t["models"], t["theories"], t["interaction"], t["predictions"], t["few"], t["congruence"],
                     power=t["power"])
    source = (PROJECT_ROOT / "replication" / "models" / "paragraph.py").read_text()
    assert not re.search(r"p = 0\.\d", source)  # no typed-in p-value
    numbers = set(re.findall(r"-?\d+\.\d+|\d+", text.replace("`results/tables/sample_flow.md`", "")))
    values = pd.concat([x.select_dtypes("number").stack() for x in t.values()])
    formatted = {f"{v:{f}}".replace("+", "") for v in values for f in (".3f", ".2f", ".1f", ".0f")}
    formatted |= {f"{100 * v:.0f}" for v in values}  # shares printed as percentages
    counts = {str(len(x)) for x in t.values()} | {str(n) for n in range(0, 11)}  # "k of n" counts of predictions
    assert numbers <= formatted | counts | {"2013", "80", "95"}, sorted(numbers - formatted - counts)
    # it opens with what the design can detect
    first = text.split("**Estimates.**")[0]
    p0 = t["power"].set_index("reading").loc["defeat_unites"]
    assert f"{p0.size_one_sided:.3f}" in first and f"{p0.mde_80_one_sided:.2f}" in first
    assert f"{p0.equivalence_upper:+.3f}" in first


def test_every_declared_prediction_is_in_the_paragraph(reported_tables):
    """Each row of table4_predictions.csv (every prediction x reading x model) appears in the text, on its
    prediction's line, with its estimate, p-value and verdict -- the ones that did not hold too."""
    from replication.models.hypotheses import PREDICTIONS, READINGS
    from replication.models.paragraph import prediction_entry

    t = reported_tables
    text = paragraph(t["models"], t["theories"], t["interaction"], t["predictions"], t["few"], t["congruence"],
                     power=t["power"])
    lines = {line.split("**")[1]: line for line in text.splitlines() if line.startswith("- **")}
    assert set(lines) == {p.key for p in PREDICTIONS}
    preds = t["predictions"]
    assert len(preds) == len(PREDICTIONS) * len(READINGS) * 2
    for r in preds.itertuples():
        line = lines[r.key]
        segment = line.split(r.reading.replace("_", " ") + ":")[1].split("|")[0]
        assert prediction_entry(r) in segment, (r.key, r.reading, r.model)
    assert {"held", "did not hold"} <= {w for line in lines.values() for w in ("held", "did not hold") if w in line}


# --- Reference implementations written independently of the package (numpy only) -------------------

def _firth_numpy(X, y, tol=1e-13, max_iter=200):
    """Firth (1993) by the modified score U* = X'(y - p + h (1/2 - p)) and Fisher scoring."""
    beta = np.zeros(X.shape[1])
    for _ in range(max_iter):
        p = expit(X @ beta)
        w = p * (1 - p)
        info = X.T @ (X * w[:, None])
        xw = X * np.sqrt(w)[:, None]
        h = np.einsum("ij,jk,ik->i", xw, np.linalg.inv(info), xw)
        step = np.linalg.solve(info, X.T @ (y - p + h * (0.5 - p)))
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    p = expit(X @ beta)
    return beta, np.sqrt(np.diag(np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))))


def _rare_event_frame(seed=3, n=60):
    rng = np.random.default_rng(seed)
    d = pd.DataFrame({"democracy": rng.integers(0, 2, n).astype(float),
                      "systemic_favorable": rng.integers(0, 2, n).astype(float),
                      "power_share": rng.uniform(0, 1, n), "major_power": rng.integers(0, 2, n).astype(float),
                      "war": np.repeat(np.arange(12), n // 12)})
    d["y"] = (rng.uniform(size=n) < expit(-1.5 + 0.8 * d.power_share - 0.7 * d.democracy)).astype(float)
    d.attrs["controls"] = ["power_share", "major_power"]
    return d


def test_firth_matches_an_independent_implementation_to_1e8():
    """Coefficients to 1e-8 and SEs in the logistf/brglm2 convention sqrt(diag((X'WX)^-1))."""
    from patsy import dmatrices

    d = _rare_event_frame()
    r = firth_logit(d)
    y, X = dmatrices(r.formula, d, return_type="dataframe")
    beta, se = _firth_numpy(X.to_numpy(), y.to_numpy().ravel())
    np.testing.assert_allclose(r.params.to_numpy(), beta, rtol=0, atol=1e-8)
    np.testing.assert_allclose(r.tidy["std_error"].to_numpy(), se, rtol=1e-8)
    assert r.status == "ok" and r.diagnostics["converged"]


def test_firth_reproduces_heinze_and_schemper_2002_endometrial_estimates():
    """Published Firth estimates on the endometrial data (Heinze and Schemper 2002, Statistics in
    Medicine 21, Table for the Firth model; the same numbers as R's logistf and brglm2):
    coefficient (SE) 3.77 (1.49), NV 2.93 (1.55), PI -0.03 (0.04), EH -2.60 (0.78), and the profile
    penalised-likelihood CI of NV 0.61 to 7.85. NV is quasi-separated (every NV = 1 patient is high
    grade), so ML has no finite estimate: the case Firth's method exists for."""
    d = pd.read_csv(PROJECT_ROOT / "tests" / "data" / "endometrial.csv", comment="#")
    d["y"], d["war"] = d["HG"].astype(float), np.arange(len(d))
    with pytest.warns(SeparationWarning, match="infinite for NV"):
        assert logit(d, formula="y ~ NV + PI + EH", on_separation="record").status == "separated"
    tidy = firth_logit(d, formula="y ~ NV + PI + EH").tidy.set_index("term")
    published = {"Intercept": (3.77, 1.49), "NV": (2.93, 1.55), "PI": (-0.03, 0.04), "EH": (-2.60, 0.78)}
    for term, (estimate, se) in published.items():
        assert round(tidy.loc[term, "estimate"], 2) == estimate, term
        assert round(tidy.loc[term, "std_error"], 2) == se, term
    assert (round(tidy.loc["NV", "ci_low"], 2), round(tidy.loc["NV", "ci_high"], 2)) == (0.61, 7.85)
    # The convergence check firth_fit falls back on: a scoring step from the optimum moves nothing;
    # from a point 1e-4 off in PI (0.005 on the linear predictor) it is far above the tolerance; and
    # its standard errors are the logistf ones above.
    from replication.models.firth import FIRTH_STEP_TOL, firth_step

    X = np.column_stack([np.ones(len(d)), d.NV, d.PI, d.EH])
    beta = tidy.loc[["Intercept", "NV", "PI", "EH"], "estimate"].to_numpy()
    step, se = firth_step(X, d.y.to_numpy(), beta)
    assert np.abs(step / se).max() < 1e-6
    np.testing.assert_allclose(se, tidy.loc[["Intercept", "NV", "PI", "EH"], "std_error"].to_numpy(), rtol=1e-8)
    off, se_off = firth_step(X, d.y.to_numpy(), beta + np.array([0, 0, 1e-4, 0]))
    assert np.abs(off / se_off).max() > 10 * FIRTH_STEP_TOL


def test_conditional_logit_matches_the_matched_pairs_solution():
    """1:1 matched pairs, one binary covariate: beta = log(n10 / n01), SE = sqrt(1/n10 + 1/n01)."""
    rows = []
    for war, (event_x, other_x) in enumerate([(1, 0)] * 6 + [(0, 1)] * 2 + [(1, 1)] * 3):
        rows += [(war, 1.0, event_x), (war, 0.0, other_x)]
    d = pd.DataFrame(rows, columns=["war", "y", "x"])
    from statsmodels.discrete.conditional_models import ConditionalLogit

    from replication.models.estimators import conditional_logit_fit

    fit = conditional_logit_fit(ConditionalLogit(d.y.to_numpy(), d[["x"]], groups=d.war.to_numpy()), 1)
    assert float(fit.params.iloc[0]) == pytest.approx(np.log(3), abs=1e-10)
    assert float(fit.bse.iloc[0]) == pytest.approx(np.sqrt(1 / 6 + 1 / 2), rel=1e-6)


def test_conditional_logit_matches_exact_enumeration():
    """Groups with several events: the conditional likelihood summed over every subset of the same size."""
    import itertools

    from scipy.optimize import minimize

    d = _rare_event_frame(seed=11, n=48)
    d["y"] = 0.0
    rng = np.random.default_rng(5)
    for w in range(12):  # 1 or 2 events in each of 12 groups of 4
        idx = d.index[d.war == w]
        d.loc[rng.choice(idx, size=1 + w % 2, replace=False), "y"] = 1.0
    r = conditional_logit(d)
    cols = [c for c in r.params.index]
    X = (d.assign(**{"democracy:systemic_favorable": d.democracy * d.systemic_favorable})[cols]).to_numpy()

    def negll(b):
        total = 0.0
        for w in range(12):
            idx = np.flatnonzero(d.war.to_numpy() == w)
            events = idx[d.y.to_numpy()[idx] == 1]
            eta = X[idx] @ b
            subsets = [np.sum(eta[list(s)]) for s in itertools.combinations(range(len(idx)), len(events))]
            total += X[events].sum(axis=0) @ b - np.log(np.sum(np.exp(subsets)))
        return -total

    exact = minimize(negll, np.zeros(len(cols)), method="BFGS", options={"gtol": 1e-10}).x
    np.testing.assert_allclose(r.params.to_numpy(), exact, atol=1e-5)
    assert r.diagnostics["converged"] and r.diagnostics["score_max_abs"] < 1e-8
    assert "model-based" in r.tidy["estimator"].iloc[0]


def test_separated_conditional_logit_prints_no_inference():
    """Within every war the democracies never defect: the conditional MLE of democracy is -inf. Newton
    stops with a tiny score at a large negative value; the fit must say "separated" and blank its
    SEs (Table 3 had printed democracy -22.5 (SE 45,987) as an ordinary estimate)."""
    d = _rare_event_frame(seed=4, n=60)
    d["y"] = 0.0
    for w in range(12):
        autocracies = d.index[(d.war == w) & (d.democracy == 0)]
        if len(autocracies) and (d.war == w).sum() > len(autocracies):
            d.loc[autocracies[0], "y"] = 1.0
    with pytest.warns(SeparationWarning, match="no maintained library fits a penalised conditional logit"):
        r = conditional_logit(d)
    assert r.diagnostics["separation"] is True and r.status == "separated"
    assert r.tidy[["std_error", "ci_low", "ci_high", "p_value"]].isna().all().all()
    from replication.models import SeparationError

    with pytest.raises(SeparationError, match="separated within wars"):
        conditional_logit(d, on_separation="raise")
    d.loc[d.index[(d.democracy == 1) & (d.war == d.loc[d.y == 1, "war"].iloc[0])][:1], "y"] = 1.0
    d.loc[d.index[(d.democracy == 1) & (d.war == d.loc[d.y == 1, "war"].iloc[-1])][:1], "y"] = 1.0
    assert conditional_logit(d).status == "ok"  # one defecting democracy in two wars ends the separation


def test_conditional_logit_drops_a_column_constant_within_every_war():
    """A war-level column has no conditional likelihood: it is dropped and named, and the fit (and its
    separation check, whose design would otherwise be rank-deficient) goes on."""
    d = _rare_event_frame(seed=11, n=48)
    d["y"] = 0.0
    rng = np.random.default_rng(5)
    for w in range(12):
        d.loc[rng.choice(d.index[d.war == w], size=1 + w % 2, replace=False), "y"] = 1.0
    d["major_power"] = (d["war"] % 2).astype(float)
    r = conditional_logit(d)
    assert r.diagnostics["absorbed"] == ["major_power"] and "major_power" not in r.params.index
    assert r.diagnostics["separation"] is False and r.status == "ok"


def _panel_like(seed=2, entities=30, wars=10):
    """Entities observed for 1 or 3 years, in two eras that share no year (as wars of different decades):
    the entity and year dummies are collinear beyond the one shared constant."""
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(entities):
        start = rng.integers(1900, 1905) + 50 * (e % 2)
        for t in range(1 if e % 3 == 0 else 3):
            rows.append({"entity": e, "year": start + t, "war": e % wars})
    d = pd.DataFrame(rows)
    n = len(d)
    d["democracy"] = (d.entity % 2).astype(float)
    d["systemic_favorable"] = rng.integers(0, 2, n).astype(float)
    d["power_share"] = rng.uniform(size=n)
    d["major_power"] = rng.integers(0, 2, n).astype(float)
    d["y"] = (rng.uniform(size=n) < 0.2).astype(float)
    d.attrs["controls"] = ["power_share", "major_power"]
    return d


def test_within_estimator_counts_the_rank_of_the_absorbed_effects():
    """Explicit dummies, cluster sandwich scaled by n / (n - rank of the whole design)."""
    from replication.models.estimators import effects_rank

    d = _panel_like()
    r = lpm_within(d)
    X = np.column_stack([d.systemic_favorable, d.democracy * d.systemic_favorable, d.power_share, d.major_power,
                         pd.get_dummies(d.entity, dtype=float), pd.get_dummies(d.year, dtype=float)])
    coef, *_ = np.linalg.lstsq(X, d.y.to_numpy(), rcond=None)
    resid = d.y.to_numpy() - X @ coef
    rank = np.linalg.matrix_rank(X)
    # the slopes' block of the sandwich, via the Frisch-Waugh residualised regressors
    D = X[:, 4:]
    M = np.eye(len(d)) - D @ np.linalg.pinv(D)
    Z = M @ X[:, :4]
    bread = np.linalg.inv(Z.T @ Z)
    meat = sum(np.outer(Z[g].T @ resid[g], Z[g].T @ resid[g]) for g in
               (np.flatnonzero(d.war.to_numpy() == w) for w in np.unique(d.war)))
    se = np.sqrt(np.diag(bread @ meat @ bread) * len(d) / (len(d) - rank))
    got = r.tidy.set_index("term").loc[["systemic_favorable", "democracy:systemic_favorable", "power_share",
                                        "major_power"], "std_error"].to_numpy()
    np.testing.assert_allclose(got, se, rtol=1e-8)
    assert r.diagnostics["effects_rank"] == effects_rank(d) < r.diagnostics["effects_dummies"]
    # one rule for t versus z: clustered linear models use t with G - 1 df
    row = r.tidy.set_index("term").loc["power_share"]
    from scipy import stats
    assert row["inference"] == "t(9)"
    assert row["ci_high"] - row["estimate"] == pytest.approx(stats.t.ppf(0.975, 9) * row["std_error"], rel=1e-12)


def test_random_effects_reports_variance_components_and_says_when_pooled():
    d = _panel_like(seed=4)
    # within-entity outcomes that alternate: the entity variance component is estimated as 0
    d["y"] = (d.groupby("entity").cumcount() % 2).astype(float)
    r = lpm_random_effects(d)
    assert r.diagnostics["sigma2_entity"] == 0 and r.diagnostics["pooled"] is True
    assert "pooled (entity variance 0)" in r.name
    assert r.diagnostics["sigma2_resid"] > 0


def test_separated_fit_shows_no_ml_inference_and_falls_back_to_firth():
    from replication.models import fit_all

    d = _rare_event_frame(seed=1, n=60)
    d["y"] = np.where(d.democracy == 1, 0.0, (np.arange(len(d)) % 3 == 0))  # no democracy defects: quasi-separation
    d["entity"], d["year"], d["t"] = np.arange(len(d)), 1900 + np.arange(len(d)) % 5, 0.5 * (np.arange(len(d)) % 7)
    d["log_exposure"] = np.log(30.0 + np.arange(len(d)) % 11)
    with pytest.warns(SeparationWarning):
        r = logit(d, on_separation="record")
    assert r.status == "separated" and r.diagnostics["separation"] is True
    assert r.tidy[["std_error", "ci_low", "ci_high", "p_value"]].isna().all().all()
    assert r.fallback is not None and r.fallback.status == "ok"
    assert np.isfinite(r.fallback.tidy["std_error"]).all()
    with pytest.warns(SeparationWarning):
        results = fit_all(d)  # never raises; every entry has a status
    assert "logit_firth" in results and all(isinstance(x.status, str) for x in results.values())
    # the separated hazard's refit is the penalised cloglog (with its offset), under its own key
    assert results["hazard"].status == "separated" and results["hazard_penalised"].estimator == "penalised_hazard"
    assert results["logit_firth"].estimator == "firth"


def test_penalised_refit_of_the_separated_hazard_reports_lr_p_values_and_profile_cis(frame):
    """The separated hazard's refit is the Jeffreys-penalised cloglog with the offset (until issue 18,
    a Firth logit without it). Every coefficient gets a profile penalised-likelihood CI around its
    estimate and a penalised LR p-value, except the intercept's: with the offset of log days at
    risk, fixing the intercept at 0 puts every fitted probability at 1 (information singular in
    floating point), so that refit fails, the p-value is NaN and the diagnostics say why."""
    from replication.models import hazard_logit
    from replication.models.penalised import PenalisedFitWarning

    with pytest.warns((PenalisedFitWarning, SeparationWarning)) as record:
        r = hazard_logit(frame, on_separation="record")
    assert any(w.category is SeparationWarning for w in record)
    assert any(w.category is PenalisedFitWarning and "coefficient 0" in str(w.message) for w in record)
    assert r.status == "separated" and r.fallback is not None and r.fallback.status == "ok"
    tidy = r.fallback.tidy.set_index("term")
    substantive = ["democracy", "systemic_favorable", "democracy:systemic_favorable", "power_share", "major_power"]
    assert np.isfinite(tidy.loc[substantive, ["ci_low", "ci_high"]].to_numpy(float)).all()
    assert ((tidy.ci_low < tidy.estimate) & (tidy.estimate < tidy.ci_high)).all()
    # a profile bound that the penalised likelihood never reaches (the cubic in time is nearly flat in one
    # direction) is infinite, and the fit's warnings name that coefficient and side
    names = list(tidy.index)
    for term, row in tidy.iterrows():
        for side, bound in (("lower", row.ci_low), ("upper", row.ci_high)):
            if not np.isfinite(bound):
                assert term.startswith("I(t") or term == "t"
                assert any(f"coefficient {names.index(term)}: the profile deviance does not reach" in w
                           and w.endswith(f"bound set to {bound}") for w in r.fallback.diagnostics["penalised_warnings"]), \
                    (term, side)
    p = tidy["p_value"]
    assert np.isnan(p["Intercept"]) and np.isfinite(p.drop("Intercept")).all()
    assert any("coefficient 0" in w for w in r.fallback.diagnostics["penalised_warnings"])
    assert p["democracy:systemic_favorable"] > 0.3


# Table 3's fits warn as they do in make all (logged there): profile bounds and LR p-values the penalised
# refits cannot give (NaN in the table), and democracy absorbed by the within LPM's entity effects.
@pytest.mark.filterwarnings("ignore::replication.models.penalised.PenalisedFitWarning")
@pytest.mark.filterwarnings("ignore:\\s*Variables have been fully absorbed")
def test_model_frame_accepts_any_column_and_names_a_missing_one(panel):
    from replication.errors import DataError

    f = model_frame(panel, controls=["power_share", "coalition_hhi"])
    assert "coalition_hhi" in f and f.attrs["controls"] == ["power_share", "coalition_hhi"]
    assert "coalition_hhi" in firth_logit(f).params.index
    with pytest.raises(DataError, match="no_such_column"):
        model_frame(panel, controls=["no_such_column"])


def test_exposure_is_not_shortened_by_the_exit():
    from replication.models.data import exposure_days

    rows = pd.DataFrame({"phase_start": pd.to_datetime(["1917-01-01", "1917-03-01", "1918-01-01", "1944-07-01"]),
                         "segment_end": pd.to_datetime(["1917-12-31", "1917-12-31", "1918-12-31", "1945-09-02"]),
                         "coalition_end": pd.to_datetime(["1918-11-11"] * 3 + ["1945-08-14"]),
                         "days_at_risk": [120, 30, 200, 40]})
    # a defector leaving on 30 April 1917 still had the whole year at risk; the coalition ended 11 Nov 1918;
    # a custom phase (July 1944 turning point) runs to the coalition's end, not to 31 December of its first year
    assert exposure_days(rows).tolist() == [365.0, 306.0, 315.0, 410.0]


def test_signed_predictions_on_known_cell_probabilities():
    """Saturated logit on four cells of 100 rows: the contrasts are differences of cell shares, and the
    cluster-robust SE (one row per cluster) is sqrt(sum p(1-p)/n) x sqrt(G/(G-1) (N-1)/(N-K))."""
    from replication.models.hypotheses import BINARY, evaluate_predictions

    shares = {(0, 0): 30, (1, 0): 5, (0, 1): 10, (1, 1): 8}
    rows = [(dem, fav, float(i < k)) for (dem, fav), k in shares.items() for i in range(100)]
    d = pd.DataFrame(rows, columns=["democracy", "systemic_favorable", "y"])
    d["war"] = np.arange(len(d))
    r = logit(d, "y ~ democracy * systemic_favorable")
    table = evaluate_predictions(r, d, BINARY).set_index("key")
    ncr1 = table.loc["NCR1"]
    assert ncr1["estimate"] == pytest.approx(0.30 - 0.05, abs=1e-9)
    se = np.sqrt((0.3 * 0.7 + 0.05 * 0.95) / 100 * 400 / 399 * 399 / 396)
    assert ncr1["std_error"] == pytest.approx(se, rel=1e-6)
    assert ncr1["predicted_sign"] == "+" and ncr1["held"] == "yes" and ncr1["paper_line"] == 145
    assert table.loc["NCR3", "estimate"] == pytest.approx((0.08 - 0.10) - (0.05 - 0.30), abs=1e-9)
    assert table.loc["NR3", "held"] == "no"  # a regime gap of 0.25 rejects "no regime effect"
    assert table.loc["LIB2", "held"] == "no"  # 0.10 vs 0.08 on 100 rows each: not significant
    from scipy import stats
    assert table.loc["LIB2", "p_value"] == pytest.approx(stats.norm.sf(table.loc["LIB2", "estimate"]
                                                                        / table.loc["LIB2", "std_error"]))


# pyfixest says it switches to full enumeration when 2^G < reps: that switch is what this test sets up
# (G = 6 clusters, 64 sign vectors) and checks by hand, so the notice is expected here.
@pytest.mark.filterwarnings(r"ignore:2\^G < the number of boot iterations, setting full_enumeration to True:UserWarning")
@pytest.mark.parametrize("outcome_seed", [0, 1])
def test_wild_cluster_bootstrap_equals_full_enumeration(outcome_seed):
    """Six clusters, Rademacher weights: 2^6 = 64 sign vectors, so pyfixest enumerates them all. The
    bootstrap t-statistics must equal the restricted (null-imposed) wild bootstrap computed by hand.
    Run with the package's compile-once kernel cache, on two data sets: the second one reuses the
    kernel compiled for the first and must still match by hand."""
    import itertools

    import pyfixest as pf
    import wildboottest.wildboottest as wb

    from replication.models.fewclusters import _compile_wildboottest_kernel_once

    _compile_wildboottest_kernel_once()
    rng = np.random.default_rng(outcome_seed)
    G = 6
    d = pd.DataFrame({"war": np.repeat(range(G), 8)})
    n = len(d)
    d["x"], d["z"] = rng.normal(size=n), rng.normal(size=n)
    d["y"] = 0.1 * d.x + rng.normal(size=n) + rng.normal(size=G)[d.war]
    fit = pf.feols("y ~ x + z", data=d, vcov={"CRV1": "war"})
    res, tstar = fit.wildboottest(param="x", reps=9999, seed=1, weights_type="rademacher",
                                  return_bootstrapped_t_stats=True)
    assert len(wb._kernel_cache) == 1  # one compiled kernel, however many calls
    X = np.column_stack([np.ones(n), d.x, d.z])
    g = d.war.to_numpy()

    def t_stat(y):
        b = np.linalg.lstsq(X, y, rcond=None)[0]
        u = y - X @ b
        bread = np.linalg.inv(X.T @ X)
        meat = sum(np.outer(X[g == k].T @ u[g == k], X[g == k].T @ u[g == k]) for k in range(G))
        return b[1] / np.sqrt((bread @ meat @ bread)[1, 1])

    Xr = X[:, [0, 2]]
    br = np.linalg.lstsq(Xr, d.y.to_numpy(), rcond=None)[0]
    ur = d.y.to_numpy() - Xr @ br
    hand = np.array([t_stat(Xr @ br + ur * np.array(v)[g]) for v in itertools.product([-1, 1], repeat=G)])
    t0 = t_stat(d.y.to_numpy())
    scale = float(res["t value"]) / t0  # the small-sample factor multiplies t and every t* alike
    np.testing.assert_allclose(np.sort(np.abs(np.asarray(tstar))), np.sort(np.abs(hand * scale)), rtol=1e-8)
    # p = share of |t*| above |t|; the two sign vectors that reproduce t exactly are ties
    strictly_above = np.mean(np.abs(hand) > abs(t0) * (1 + 1e-9))
    assert strictly_above <= float(res["Pr(>|t|)"]) <= strictly_above + 2 / 64


def test_few_cluster_table_reports_clusters_and_brackets_the_estimate(frame):
    from replication.models.fewclusters import few_cluster_table

    t = few_cluster_table(frame, reps=199, ci=False)
    assert set(t["n_clusters"]) == {frame.war.nunique()}
    assert set(t["clusters_with_events"]) == {int((frame.groupby("war")["y"].max() > 0).sum())}
    assert t["estimate"].nunique() == 1  # one coefficient, five ways of doing inference on it
    assert list(t.method.str.split(" ").str[0]) == ["CR1,", "CR2", "CR2", "CR3", "wild"]
    # the coefficient and its CR1 row against statsmodels' OLS with war-clustered covariance, t(G-1)
    X = sm.add_constant(frame.assign(dem_x_fav=frame.democracy * frame.systemic_favorable)[
        ["democracy", "systemic_favorable", "dem_x_fav", "power_share", "major_power"]])
    ols = sm.OLS(frame["y"], X).fit(cov_type="cluster", cov_kwds={"groups": frame["war"]})
    cr1 = t.iloc[0]
    assert cr1["estimate"] == pytest.approx(ols.params["dem_x_fav"], abs=1e-10)
    assert cr1["std_error"] == pytest.approx(ols.bse["dem_x_fav"], rel=1e-8)
    assert cr1["df"] == frame.war.nunique() - 1


def test_penalised_leave_one_war_out_reports_every_fold():
    """A war whose training data are separated is flagged; nothing is clipped; one row per war."""
    from replication.models.compare import loo_folds

    d = _rare_event_frame(seed=7, n=60)
    d["t"], d["log_exposure"] = 1.0, 0.0
    d.loc[d.war == 0, "y"] = 1.0  # war 0: every member defects
    d.loc[(d.war != 0) & (d.democracy == 1), "y"] = 0.0  # elsewhere no democracy defects: separated folds
    folds = loo_folds(d)
    assert list(folds["war"]) == sorted(d.war.unique())
    assert (folds["n"] == d.groupby("war").size().to_numpy()).all()
    assert (folds["events"] == d.groupby("war")["y"].sum().astype(int).to_numpy()).all()
    assert folds["status: liberalism"].str.contains("separated").any()
    assert np.isfinite(folds.filter(like="log_score").to_numpy()).all()  # Firth keeps probabilities inside (0, 1)


def test_congruence_rates_and_exact_test_by_hand():
    from scipy import stats

    from replication.models.compare import congruence_test

    d = pd.DataFrame({"democracy": [0, 0, 0, 0, 1, 1, 1, 1], "systemic_favorable": [0, 0, 1, 1, 0, 0, 1, 1],
                      "y": [1, 1, 0, 0, 0, 0, 0, 1], "war": [1, 2, 1, 2, 1, 2, 1, 2]}, dtype=float)
    t = congruence_test(d, reps=4000).set_index("theory")
    # neoclassical realism predicts rows 0-1 only: 2 hits, 1 miss among 8 -> 7/8 congruent
    assert t.loc["neoclassical realism", "congruence_rate"] == 7 / 8
    assert t.loc["liberalism", "congruence_rate"] == 5 / 8 and t.loc["neorealism", "congruence_rate"] == 5 / 8
    assert t.loc["neoclassical realism", "fisher_p_one_sided"] == pytest.approx(
        stats.hypergeom.sf(1, 8, 3, 2))  # P(at least 2 of the 2 predicted are among the 3 defections)
    # against the baseline and the association: 2 of 3 defections and 5 of 5 non-defections predicted
    ncr = t.loc["neoclassical realism"]
    assert ncr["no_defection_rule_rate"] == 5 / 8
    assert ncr["share_of_defections_predicted"] == 2 / 3 and ncr["share_of_non_defections_predicted"] == 1.0
    assert np.isinf(ncr["odds_ratio"])  # (2 x 5) / (0 x 1)
    chance = (2 / 8) * (3 / 8) + (6 / 8) * (5 / 8)
    assert ncr["kappa"] == pytest.approx((7 / 8 - chance) / (1 - chance))
    # the within-war permutation p against the exact distribution (4! x 4! permutations of the two wars)
    import itertools

    y = d["y"].to_numpy()
    pred = ((d.democracy == 0) & (d.systemic_favorable == 0)).to_numpy().astype(int)
    idx = [np.flatnonzero(d.war.to_numpy() == w) for w in (1, 2)]
    hits = []
    for p1 in itertools.permutations(idx[0]):
        for p2 in itertools.permutations(idx[1]):
            yp = y.copy()
            yp[idx[0]], yp[idx[1]] = y[list(p1)], y[list(p2)]
            hits.append(np.mean(yp == pred) >= 7 / 8)
    assert ncr["permutation_p_within_war"] == pytest.approx(np.mean(hits), abs=0.015)  # Monte Carlo SE < 0.008


def test_minimum_detectable_effect_interpolates_the_power_curve():
    from replication.models.power import equivalence_bounds, minimum_detectable

    curve = pd.DataFrame({"delta": [-0.1, 0.0, 0.1, 0.2, 0.3], "power_one_sided": [0.9, 0.05, 0.5, 0.7, 0.9]})
    assert minimum_detectable(curve) == pytest.approx(0.25)  # between 0.2 (0.7) and 0.3 (0.9); negatives ignored
    assert minimum_detectable(curve.assign(power_one_sided=[0.9, 0.05, 0.85, 0.9, 0.95])) == pytest.approx(0.1)
    assert np.isnan(minimum_detectable(curve.assign(power_one_sided=0.1)))
    eq = equivalence_bounds(0.01, 0.02)  # the 90% interval: 0.01 -+ 1.6449 x 0.02
    assert eq["lower"] == pytest.approx(0.01 - 1.6448536 * 0.02) and eq["upper"] == pytest.approx(0.01 + 1.6448536 * 0.02)
    assert eq["bound"] == pytest.approx(abs(eq["upper"])) and eq["level"] == pytest.approx(0.9)


def test_power_simulation_calibrates_and_refits_the_reported_test(frame):
    """The data-generating process matches the observed events and wars with an event; at the target delta the
    marginal second difference is delta; and the batched Firth refits equal firth_logit (firthmodels) and its
    delta-method second difference, fit by fit."""
    from patsy import dmatrices

    from replication.models.effects import delta_method
    from replication.models.estimators import formula_for
    from replication.models.penalised import penalised_newton
    from replication.models.power import (_cell_designs, batch_second_difference, calibrate, expected_counts,
                                          marginal_second_difference)

    y, X = dmatrices(formula_for("interaction", controls=frame.attrs["controls"]), frame, return_type="dataframe")
    names, X, y = list(X.columns), X.to_numpy(), y.to_numpy().ravel()
    war_index = np.unique(frame["war"], return_inverse=True)[1]
    beta = firth_logit(frame).params.reindex(names).to_numpy()
    observed_wars = frame.loc[frame.y > 0, "war"].nunique()
    cal = calibrate(X, beta, war_index, y.sum(), observed_wars)
    shifted = beta.copy()
    shifted[0] += cal["c"]
    events, wars = expected_counts(X, shifted, war_index, cal["sigma"])
    assert events == pytest.approx(y.sum(), abs=1e-6) and wars == pytest.approx(observed_wars, abs=1e-5)
    assert cal["sigma"] > 0 and cal["event_wars_if_independent"] > observed_wars  # defections cluster in wars
    # with sigma = 0 the expected counts are sums of probabilities, by hand
    p = expit(X @ beta)
    e0, w0 = expected_counts(X, beta, war_index, 0.0)
    assert e0 == pytest.approx(p.sum()) and w0 == pytest.approx(
        sum(1 - np.prod(1 - p[war_index == g]) for g in range(war_index.max() + 1)))
    designs = _cell_designs(X, names)
    assert marginal_second_difference(beta, designs, 0.0) == pytest.approx(
        delta_method(firth_logit(frame), frame).set_index("quantity").loc["second difference", "estimate"], abs=1e-10)
    # batched refits on simulated outcome sets against firth_logit one by one
    rng = np.random.default_rng(3)
    Y = (rng.uniform(size=(4, len(y))) < expit(X @ shifted + rng.normal(0, cal["sigma"], war_index.max() + 1)
                                              [war_index])).astype(float)
    fit = penalised_newton(X, Y, np.ones_like(Y), link="logit", start=beta)
    est, se = batch_second_difference(fit.params, fit.cov, designs)
    for r in range(len(Y)):
        if Y[r].sum() == 0:
            continue
        one = firth_logit(frame.assign(y=Y[r]))
        sd = delta_method(one, frame.assign(y=Y[r])).set_index("quantity").loc["second difference"]
        assert est[r] == pytest.approx(sd["estimate"], abs=1e-8) and se[r] == pytest.approx(sd["delta_se"], abs=1e-7)


def test_power_table_reports_size_mde_and_equivalence(panel):
    from replication.models.tables import interaction_effects_table as effects
    from replication.models.tables import power_table, reading_frames

    frames = {k: v for k, v in reading_frames(panel).items() if k == "defeat_unites"}
    inter = effects(frames, reps=20)
    curve, summary = power_table(frames, inter, reps=60, grid=(0.0, 0.2, 0.4))
    row = summary.iloc[0]
    assert row["size_one_sided"] == curve.loc[curve.delta == 0, "power_one_sided"].item()
    assert 0 <= row["size_one_sided"] <= 0.2 and curve.power_one_sided.is_monotonic_increasing
    sd = inter[(inter.model == "Firth logit") & (inter.quantity == "second difference")].iloc[0]
    assert row["equivalence_upper"] == pytest.approx(sd.estimate + 1.6448536269514722 * sd.delta_se)
    assert (curve.reps == 60).all() and (curve.not_converged == 0).all()


def test_coalition_recovery_shares_coding_and_firth_by_hand():
    from replication.models.coalitions import coalition_sides, recovery_test

    rows = []
    # war 1 side 1: state 2 democratic in 1 of 2 phases (cinc 0.3), state 3 autocratic (cinc 0.1); outmatched; won
    rows += [(1, 1, 2, 1, 1, 0.3, True, 1), (1, 1, 2, 1, 0, 0.3, False, 1), (1, 1, 3, 1, 0, 0.1, False, 1)]
    # war 2: a transformed war (COW 4) is excluded from the test
    rows += [(2, 1, 4, 1, 1, 0.2, True, 4)]
    # wars 3-10: outmatched sides, democratic share 0, 0.5 or 1, alternating outcomes; war 11 never outmatched
    for w, (dem, code) in enumerate([(0, 2), (0, 2), (1, 1), (1, 2), (0, 1), (1, 1), (0, 2), (1, 1)], start=3):
        rows += [(w, 1, 10 * w, 1, dem, 0.2, True, code), (w, 1, 10 * w + 1, 1, 0, 0.2, False, code)]
    rows += [(11, 1, 99, 1, 1, 0.5, False, 1)]
    panel = pd.DataFrame(rows, columns=["war_num", "side", "ccode", "spell", "democracy", "cinc", "outmatched",
                                        "outcome"])
    panel["war_name"] = "w" + panel.war_num.astype(str)
    sides = coalition_sides(panel).set_index("war_num")
    assert sides.loc[1, "dem_share_count"] == pytest.approx((0.5 + 0) / 2)
    assert sides.loc[1, "dem_share_capability"] == pytest.approx(0.5 * 0.3 / 0.4)
    assert sides.loc[1, "won"] == 1 and np.isnan(sides.loc[2, "won"]) and not sides.loc[11, "outmatched_ever"]
    table = recovery_test(sides.reset_index()).set_index("measure")
    row = table.loc["dem_share_count"]
    assert row["n"] == 9 and row["excluded_outcome_or_regime"] == 1 and row["outmatched_sides"] == 10
    d = sides[sides.outmatched_ever & sides.won.notna()]
    beta, _ = _firth_numpy(np.column_stack([np.ones(len(d)), d.dem_share_count]), d.won.to_numpy())
    assert row["firth_estimate"] == pytest.approx(beta[1], abs=1e-7)


def test_regression_table_renders_the_package_numbers_in_four_formats():
    from io import StringIO

    from replication.models.regtable import regression_table

    ok = firth_logit(_rare_event_frame())
    d = _rare_event_frame(seed=1)
    d["y"] = np.where(d.democracy == 1, 0.0, (np.arange(len(d)) % 3 == 0))
    with pytest.warns(SeparationWarning):
        separated = logit(d, on_separation="record")
    results = [ok, separated]
    csv = pd.read_csv(StringIO(regression_table(results, "csv")))
    assert list(csv.columns) == ["term", ok.name, separated.name]
    row = csv.set_index("term").loc["power_share"]
    se = ok.tidy.set_index("term").loc["power_share", "std_error"]
    assert f"({se:.3f})" in row[ok.name]  # the logistf-convention SE, not firthmodels' bse_
    assert str(row[separated.name]).endswith("(-)")  # a separated fit shows no standard error
    assert csv.set_index("term").loc["Status", separated.name] == "separated"
    assert "\\toprule" in regression_table(results, "tex") and "|" in regression_table(results, "md")
    html = regression_table(results, "html", label="x")
    assert ok.name in html and separated.name in html and f"({se:.3f})" in html and "separated" in html


def test_graded_predictions_use_the_graded_index(panel):
    """On a panel with systemic_graded (0-1) the graded predictions are evaluated at 0, 2/3 and 1."""
    from replication.models.hypotheses import GRADED, SLIGHT, evaluate_predictions

    rng = np.random.default_rng(0)
    p = panel.assign(systemic_graded=rng.choice([0.0, 1 / 3, 2 / 3, 1.0], size=len(panel)))
    f = model_frame(p, outcome="defected_broad", systemic="systemic_graded")  # the primary outcome is separated
    assert f.attrs["systemic"] == "systemic_graded" and set(f.systemic_favorable.unique()) <= {0, 1 / 3, 2 / 3, 1}
    r = logit(f)
    table = evaluate_predictions(r, f).set_index("key")
    assert set(table.index) == {g.key for g in GRADED}
    q = {}
    for dem in (0, 1):
        for g in (0.0, SLIGHT):
            X = r.fitted.model.exog.copy()
            names = list(r.fitted.model.exog_names)
            X[:, names.index("democracy")] = dem
            X[:, names.index("systemic_favorable")] = g
            X[:, names.index("democracy:systemic_favorable")] = dem * g
            q[(dem, g)] = expit(X @ r.fitted.params.to_numpy()).mean()
    assert table.loc["NCR1g", "estimate"] == pytest.approx(q[(0, SLIGHT)] - q[(1, SLIGHT)], abs=1e-12)
    assert table.loc["NCR2g", "estimate"] == pytest.approx(q[(1, 0.0)] - q[(1, SLIGHT)], abs=1e-12)


def test_a_member_alone_does_not_make_its_side_outmatched(panel):
    """Kuwait fought alone in 1990 (partnerless, outmatched by Iraq); the Gulf War coalition never was."""
    from replication.models.coalitions import coalition_sides

    sides = coalition_sides(panel).set_index(["war_num", "side"])
    kuwait_1990 = panel[(panel.war_num == 211) & (panel.ccode == 690) & (panel.year == 1990)].iloc[0]
    assert bool(kuwait_1990["partnerless"]) and bool(kuwait_1990["outmatched"])
    assert not sides.loc[(211, 1), "outmatched_ever"]


def test_robustness_paragraph_reads_every_number_from_the_multiverse_tables():
    """The README's multiverse sentence is computed from multiverse_summary.csv and multiverse.csv (a
    hand-made pair here): counts, medians, the share whose interval excludes zero, the choice with the
    largest such share, and the main coding's row; the verdict follows the numbers."""
    from replication.models.paragraph import robustness_paragraph

    rows = [("all", "all", 200, 200, 0.012, 0.55, 0.035)]
    rows += [("outcome", v, 50, 50, m, 0.5, 0.02) for v, m in
             (("defected", -0.011), ("defected_strict", -0.007), ("defected_broad", 0.054), ("exit_early", 0.029))]
    rows += [("systemic", "drop losing", 20, 20, 0.04, 0.9, 0.08)]
    summary = pd.DataFrame(rows, columns=["choice", "value", "specifications", "estimated", "median",
                                          "share_positive", "share_ci_excludes_zero"])
    main = dict(outcome="defected", regime="polity>=6", scheme="year", nmc_version=4.0, systemic="index>=2")
    specs = pd.DataFrame([{**main, "estimator": "logit", "estimate": 9.0, "ci_low": 8.0, "ci_high": 10.0},
                          {**main, "estimator": "firth", "estimate": -0.026, "ci_low": -0.104, "ci_high": 0.052}]
                         + [{**main, "outcome": "exit_early", "estimator": "firth", "estimate": 1.0, "ci_low": 0.0,
                             "ci_high": 2.0}] * 298)
    text = robustness_paragraph(summary, specs)
    assert "Across 300 specifications" in text and "200 distinct codings" in text
    assert "median +0.012, is positive in 55% of them" in text and "excludes zero in 7 (3.5%)" in text
    assert "No single choice moves it clearly: the most any one value reaches is 8.0% of its codings " \
           "(systemic = drop losing)" in text
    assert "-0.011 (`defected`), -0.007 (strict), +0.054 (broad) and +0.029 (`exit_early`)" in text
    assert "Firth) gives -0.026 [-0.104, +0.052]" in text
    summary.loc[summary.value.eq("drop losing"), "share_ci_excludes_zero"] = 0.25
    assert "One choice moves it: the most any one value reaches is 25.0%" in robustness_paragraph(summary, specs)
