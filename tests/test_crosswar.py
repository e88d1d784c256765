"""Cross-war test v3 (issue 18): every war in the sample, both readings declared, the rule for separated
fits, exposure at risk, the theory comparison's baselines, and the war jackknife of the reported models.
Each test fails on the code before that issue."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from replication.models import SeparationWarning, firth_logit, model_frame
from replication.paths import PROJECT_ROOT


@pytest.fixture(scope="module")
def frame(panel):
    return model_frame(panel)


def test_sample_flow_keeps_every_war_and_accounts_for_every_row(panel):
    from replication.models.data import sample_flow

    flow = sample_flow(panel)
    frame = model_frame(panel)
    final = flow.iloc[-1]
    assert final["rows"] == len(frame) and final["wars"] == panel["war_num"].nunique() == 38
    assert final["events"] == int(frame["y"].sum()) and final["event_wars"] == frame.loc[frame.y > 0, "war"].nunique()
    # each step's remaining count is the previous one minus what it removed
    for before, after in zip(flow.itertuples(), flow.iloc[1:].itertuples()):
        assert after.rows == before.rows - after.rows_removed
        assert after.events == before.events - after.events_removed
    assert flow.iloc[0]["rows"] == len(panel)
    # no step removes rows for a missing systemic condition any more (before: 155 rows, 20 wars)
    assert flow.set_index("step").loc["missing systemic conditions", "rows_removed"] == 0
    lost = flow.set_index("step").loc["missing regime type"]
    assert "Romania 1917" in lost["events_lost"]  # the defection the sample loses, and why


def test_both_readings_are_declared_and_coded(panel):
    from replication.models.hypotheses import PRIMARY_READING, READINGS, declared_predictions

    assert PRIMARY_READING == "defeat_unites" and READINGS[PRIMARY_READING].primary
    assert sum(r.primary for r in READINGS.values()) == 1
    a, b = READINGS["defeat_unites"], READINGS["defeat_divides"]
    # the second reading reverses losing and keeps the other conditions: its index is 1 + 2 x (not losing) ...
    rows = panel.dropna(subset=["losing", "symmetric", "external_gt_internal"])
    others = rows["symmetric"].astype(int) + rows["external_gt_internal"].astype(int)
    assert (rows[a.binary.replace("favorable", "index")] == others + rows["losing"].astype(int)).all()
    assert (rows["index_if_defeat_divides"] == others + (~rows["losing"].astype(bool)).astype(int)).all()
    assert (rows[b.binary] == (rows["index_if_defeat_divides"] >= 2)).all()
    register = declared_predictions()
    assert set(register.reading) == set(READINGS) and register.groupby("reading").size().nunique() == 1
    nr_b = register[(register.theory == "neorealism") & (register.reading == "defeat_divides")]
    assert nr_b["reading_status"].str.startswith("not neorealism's reading").all()


PHRASES = {145: "cross the threshold of completely defecting", 157: "betray their allies",
           153: "extreme values", 83: "cohesion will rise", 87: "democracies", 37: ""}


def test_each_prediction_cites_a_line_that_says_it():
    """The cited line of the 2013 text contains the claim (the old NCR2 cited line 155, about cohesion, for a
    claim about defection); NCR2 is not NR2's contrast any more, and the withdrawn one is reported."""
    from replication.models.hypotheses import BINARY, WITHDRAWN

    text = (PROJECT_ROOT.parent / "shared" / "papers" / "resnick2013_hang_together.txt")
    if not text.is_file():
        pytest.skip("the papers are in ../shared/papers")
    lines = text.read_text(encoding="utf-8").splitlines()
    for p in BINARY:
        assert PHRASES[p.line] in lines[p.line - 1], p.key
    by_key = {p.key: p for p in BINARY}
    assert by_key["NCR2"].cells != by_key["NR2"].cells and by_key["NCR4"].sign == "0"
    assert any("NCR2" in k for k in WITHDRAWN)


def test_exposure_is_the_time_at_risk_when_a_phase_ends_in_a_non_event_exit(panel):
    """Poland 1939 was conquered (not a defection): censored at its conquest, its exposure is its 27 days at war,
    not the 122 days it would have had to 31 December; a defector's phase keeps the would-be exposure."""
    from replication.models.data import exposure_days

    poland = panel[(panel.war_num == 139) & (panel.ccode == 290)]
    assert (poland["exit_type"] == "conquered").all()
    days = exposure_days(poland, "defected")
    assert days.iloc[0] == poland["days_at_risk"].iloc[0] == 27
    assert exposure_days(poland).iloc[0] == 122  # the rule before issue 18
    italy = panel[(panel.war_num == 139) & (panel.ccode == 325) & (panel.side == 2) & (panel.year == 1943)]
    assert italy["defected"].iloc[0] == 1
    assert exposure_days(italy, "defected").iloc[0] == exposure_days(italy).iloc[0] > italy["days_at_risk"].iloc[0]


def test_no_likelihood_from_a_separated_fit_and_penalised_ones_labelled(frame):
    from replication.models import logit
    from replication.models.compare import compare_theories

    with pytest.warns(SeparationWarning):
        separated = logit(frame, on_separation="record")
    assert separated.status == "separated"
    assert separated.tidy[["loglik", "aic", "bic"]].isna().all().all()
    f = firth_logit(frame)
    assert (f.tidy["loglik_kind"] == "penalised").all() and f.tidy[["aic", "bic"]].isna().all().all()
    table = compare_theories(frame)
    ncr = table[table.theory == "neoclassical realism"].iloc[0]
    assert ncr["ml_status"] == "separated" and np.isnan(ncr["loglik"]) and np.isnan(ncr["aic"])
    assert table["lr_p"].isna().all()  # every LR test would use the separated interaction model
    assert table.loc[table.theory == "liberalism", "aic"].notna().all()


def test_loo_ranking_without_the_most_influential_war():
    from replication.models.compare import loo_influence

    folds = pd.DataFrame({"war": [1, 2, 3], "log_score: neorealism": [-1.0, -1.0, -9.0],
                          "log_score: liberalism": [-1.2, -1.1, -2.0],
                          "log_score: neoclassical realism": [-0.9, -1.3, -5.0]})
    out = loo_influence(folds)
    assert out["war"] == 3  # its scores differ most (-9 to -2)
    assert out["rank: liberalism"] == 1 and out["rank: neorealism"] == 3
    # without war 3: neorealism -2.0, liberalism -2.3, neoclassical realism -2.2
    assert out["rank_without: neorealism"] == 1 and out["rank_without: liberalism"] == 3
    assert out["score_without: neoclassical realism"] == pytest.approx(-2.2)
    # a held-out event predicted with probability 0 scores -inf: that war is the most influential, and the
    # scores without it are the other folds' sums (not -inf - -inf = NaN)
    folds.loc[2, "log_score: neorealism"] = -np.inf
    out = loo_influence(folds)
    assert out["war"] == 3 and out["score_without: neorealism"] == pytest.approx(-2.0)
    assert out["rank: neorealism"] == 3 and out["rank_without: neorealism"] == 1


@pytest.mark.filterwarnings(  # the folds' penalised LR p-values and profile CIs are not compared here
    "ignore::replication.models.penalised.PenalisedFitWarning")
def test_war_jackknife_equals_explicit_leave_one_war_out_firth_fits(frame):
    """The batched jackknife of the reported Firth logit against firthmodels refits without each war."""
    from replication.models.effects import QUANTITIES, delta_method, war_jackknife

    fit = firth_logit(frame)
    jack = war_jackknife(fit, frame).set_index("quantity")
    full = delta_method(fit, frame).set_index("quantity")["estimate"]
    folds = []
    for war in sorted(frame["war"].unique()):
        rest = frame[frame.war != war]
        refit = firth_logit(rest) if rest["y"].sum() > 0 else None
        assert refit is not None
        # the fold's coefficients, with the average predictions taken over the full sample
        from replication.models.effects import _quantities

        folds.append(_quantities(refit.params.to_numpy(), _designs(fit, frame), np.arange(len(frame))))
    se = np.sqrt(((np.array(folds) - full.reindex(QUANTITIES).to_numpy()) ** 2).sum(axis=0))
    np.testing.assert_allclose(jack.reindex(QUANTITIES)["jack_se"], se, rtol=1e-6, atol=1e-9)
    assert (jack["jack_df"] == frame["war"].nunique() - 1).all()


def _designs(fit, frame):
    from patsy import dmatrices

    from replication.models.effects import CELLS

    _, X = dmatrices(fit.formula, frame, return_type="dataframe")
    out = {}
    for dem, fav in CELLS:
        cf = frame.assign(democracy=float(dem), systemic_favorable=float(fav))
        out[(dem, fav)] = dmatrices(fit.formula, cf, return_type="dataframe")[1].reindex(columns=X.columns).to_numpy()
    return out


@pytest.mark.filterwarnings(  # the folds' penalised LR p-values and profile CIs are not compared here
    "ignore::replication.models.penalised.PenalisedFitWarning")
def test_penalised_bootstrap_resamples_are_firth_fits(frame):
    """The penalised war bootstrap's draws recomputed by firthmodels on each resample's rows (wars repeated as
    drawn): the percentile bounds of three replicates are the bounds of these three second differences."""
    from replication.models.effects import QUANTITIES, _quantities, _war_draws, penalised_cluster_bootstrap

    fit = firth_logit(frame)
    table, info = penalised_cluster_bootstrap(fit, frame, reps=3, seed=11)
    assert info["reps"] == 3 and info["failed"] == 0 and info["not_converged"] == 0
    draws = []
    for w in _war_draws(frame["war"].to_numpy(), 3, 11):
        resample = frame.iloc[np.repeat(np.arange(len(frame)), w.astype(int))].reset_index(drop=True)
        one = firth_logit(resample)
        draws.append(_quantities(one.params.to_numpy(), _designs(one, resample), np.arange(len(resample))))
    lo, hi = np.quantile(np.array(draws), [0.025, 0.975], axis=0)
    got = table.set_index("quantity").reindex(QUANTITIES)
    np.testing.assert_allclose(got["boot_ci_low"], lo, atol=1e-7)
    np.testing.assert_allclose(got["boot_ci_high"], hi, atol=1e-7)
