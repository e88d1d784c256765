"""Multiverse and influence: size, agreement with the main estimates, and the hand-written pieces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from replication.models import interaction_table, logit, model_frame
from replication.robustness import CHOICES, influence, run_multiverse, second_difference
from replication.robustness.multiverse import _columns, _design


def test_main_specification_matches_marginaleffects(panel):
    """Two code paths, one number: the multiverse's hand delta method vs Table 5's marginaleffects."""
    # defected_broad: the primary outcome is separated (no democratic defection under unfavourable
    # conditions), and separated ML estimates are not a number two code paths can agree on
    mine = second_difference(_columns(panel, "defected_broad", "polity>=6", "index>=2"), "logit")
    frame = model_frame(panel, outcome="defected_broad")
    table = interaction_table(logit(frame), frame, reps=10, seed=1).set_index("quantity")
    sd = table.loc["second difference"]
    assert mine["n"] == len(frame)
    assert mine["estimate"] == pytest.approx(sd["estimate"], abs=1e-6)
    # marginaleffects differentiates numerically, the multiverse analytically: CIs agree to ~1e-3 relative
    assert mine["ci_low"] == pytest.approx(sd["delta_ci_low"], rel=5e-3)
    assert mine["ci_high"] == pytest.approx(sd["delta_ci_high"], rel=5e-3)


def test_firth_covariance_is_close_to_firthmodels_se(panel):
    from firthmodels import FirthLogisticRegression
    from scipy.special import expit

    d = _columns(panel, "defected", "polity>=6", "index>=2")
    X = _design(d, d["dem"], d["fav"], hazard=False)
    model = FirthLogisticRegression(fit_intercept=False).fit(X, d["y"].to_numpy())
    p = expit(X @ model.coef_)
    cov = np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))
    # an approximation to firthmodels' penalised-Hessian SEs: close, not equal (about 2% here)
    assert np.sqrt(np.diag(cov)) == pytest.approx(model.bse_, rel=0.05)


def test_lpm_second_difference_is_the_interaction_coefficient(panel):
    import statsmodels.api as sm

    d = _columns(panel, "defected", "bmr", "index>=2")
    ols = sm.OLS(d["y"], _design(d, d["dem"], d["fav"], hazard=False)).fit()
    assert second_difference(d, "lpm")["estimate"] == pytest.approx(ols.params.iloc[3], abs=1e-10)


# A reduced grid keeps `make test` near a minute: one panel (year, NMC 4.0), both codings that
# separate and that do not, the rank-deficient "all 3" rule, every estimator.
REDUCED = {"outcome": ["defected", "defected_broad"], "regime": ["polity>=6", "bmr"], "scheme": ["year"],
           "nmc_version": ["4.0"], "systemic": ["index>=2", "graded (0-1)", "all 3"]}


@pytest.fixture(scope="module")
def reduced_specs():
    return run_multiverse(n_jobs=1, choices=REDUCED)


def test_full_grid_size():
    # the README's count, from its description: 4 outcomes x 3 regime measures x 2 phase schemes x
    # 4 NMC versions x 6 definitions of favourable conditions x 4 estimators
    assert int(np.prod([len(v) for v in CHOICES.values()])) == 4 * 3 * 2 * 4 * 6 * 4 == 2304
    with pytest.raises(ValueError, match="nmc_version"):
        run_multiverse(choices={"nmc_version": ["8.0"]})


def test_multiverse_size_and_reporting(panel, reduced_specs):
    specs = reduced_specs
    assert len(specs) == 2 * 2 * 1 * 1 * 3 * 4
    assert not specs.duplicated(list(CHOICES)).any()
    # the rows carry the right labels after the batched fit and the sort: a main-specification row
    # equals the estimate computed here, in this process, from the session's panel (year scheme, NMC v4.0)
    main = specs[(specs.outcome == "defected_broad") & (specs.regime == "polity>=6") & (specs.scheme == "year")
                 & (specs.nmc_version == "4.0") & (specs.systemic == "index>=2") & (specs.estimator == "logit")]
    assert len(main) == 1
    direct = second_difference(_columns(panel, "defected_broad", "polity>=6", "index>=2"), "logit")
    assert main["estimate"].item() == pytest.approx(direct["estimate"], abs=1e-9)
    assert specs["status"].notna().all()
    ok = specs[specs.status == "ok"]
    assert len(ok) >= 10 and ok["estimate"].notna().all()
    assert (ok["ci_low"] <= ok["estimate"]).all() and (ok["estimate"] <= ok["ci_high"]).all()
    assert (specs.status == "separated: Firth").any()
    # a collinear design has no estimate, whatever the estimator (LPM included), and says why
    deficient = specs[specs.status == "failed: rank deficient"]
    assert len(deficient) > 0 and deficient["estimate"].isna().all()
    for r in deficient.itertuples():
        d = _columns(panel, r.outcome, r.regime, r.systemic)
        X = _design(d, d["dem"], d["fav"], hazard=r.estimator == "hazard")
        assert np.linalg.matrix_rank(X) < X.shape[1]


def test_multiverse_in_worker_processes_equals_one_process(reduced_specs):
    """The parallel path (loky workers, each with its own parse cache) gives the same table, value
    for value and in the same order, as the in-process run: the multiverse.csv bytes depend on it."""
    parallel = run_multiverse(n_jobs=2, choices=REDUCED)
    pd.testing.assert_frame_equal(parallel, reduced_specs)


def test_multiverse_equals_per_specification_statsmodels(panel, reduced_specs):
    """The batched path against one statsmodels fit per specification (Logit by Newton / OLS, both
    with war-clustered covariance), as the multiverse was computed before: second differences and
    CIs to 1e-8."""
    import statsmodels.api as sm
    from scipy.special import expit

    checked = 0
    for r in reduced_specs[reduced_specs.status.eq("ok") & reduced_specs.estimator.isin(["logit", "hazard", "lpm"])
                           ].itertuples():
        d = _columns(panel, r.outcome, r.regime, r.systemic)
        hazard = r.estimator == "hazard"
        X, y, groups = _design(d, d["dem"], d["fav"], hazard), d["y"].to_numpy(), {"groups": d["war"].to_numpy()}
        lo, hi = float(d["fav"].min()), float(d["fav"].max())
        if r.estimator == "lpm":
            fit = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds=groups)
            est, se = fit.params[3] * (hi - lo), np.sqrt(fit.cov_params()[3, 3]) * (hi - lo)
        else:
            fit = sm.Logit(y, X).fit(disp=0, method="newton", maxiter=100, cov_type="cluster", cov_kwds=groups)
            est, grad = 0.0, np.zeros(X.shape[1])
            for dem, fav, sign in ((1, hi, 1), (0, hi, -1), (1, lo, -1), (0, lo, 1)):
                Xc = _design(d, dem, fav, hazard)
                p = expit(Xc @ fit.params)
                est += sign * p.mean()
                grad += sign * ((p * (1 - p))[:, None] * Xc).mean(axis=0)
            se = np.sqrt(grad @ fit.cov_params() @ grad)
        assert r.estimate == pytest.approx(est, abs=1e-8)
        assert r.ci_low == pytest.approx(est - 1.96 * se, abs=1e-8)
        assert r.ci_high == pytest.approx(est + 1.96 * se, abs=1e-8)
        checked += 1
    assert checked >= 10


def test_influence_covers_every_war_and_state(panel):
    table = influence(panel)
    assert set(table.loc[table.dropped == "war", "id"]) == set(panel["war_num"].astype(int))
    assert set(table.loc[table.dropped == "state", "id"]) == set(panel["ccode"].astype(int))
    # refit without World War II here, independently of the influence loop, and compare with its row
    keep = panel[panel.war_num != 139]
    without = second_difference(_columns(keep, "defected", "polity>=6", "index>=2"), "logit")["estimate"]
    full = second_difference(_columns(panel, "defected", "polity>=6", "index>=2"), "logit")["estimate"]
    row = table[(table.dropped == "war") & (table.id == 139)].iloc[0]
    assert row["estimate"] == pytest.approx(without, abs=1e-9)
    assert row["shift"] == pytest.approx(without - full, abs=1e-9)
    ww2 = table[(table.dropped == "war") & (table.id == 139)].iloc[0]
    assert ww2["defections_dropped"] == int(panel.loc[panel.war_num == 139, "defected"].sum()) == 5


def test_separated_specification_is_refitted_by_firth_not_dropped():
    import pandas as pd

    from replication.robustness.multiverse import _data_hash

    rng = np.random.default_rng(2)
    n = 120
    d = pd.DataFrame({"dem": rng.integers(0, 2, n).astype(float), "fav": rng.integers(0, 2, n).astype(float),
                      "power_share": rng.uniform(size=n), "major_power": rng.integers(0, 2, n).astype(float),
                      "t": 1.0, "t2": 1.0, "t3": 1.0, "war": np.repeat(np.arange(12), 10)})
    d["y"] = np.where(d.dem == 1, 0.0, (np.arange(n) % 4 == 0).astype(float))  # no democracy defects
    r = second_difference(d, "logit")
    assert r["status"] == "separated: Firth" and np.isfinite(r["estimate"]) and r["ci_low"] < r["ci_high"]
    assert r["clusters_with_events"] == int((d.groupby("war")["y"].max() > 0).sum())
    assert _data_hash(d) == _data_hash(d.copy()) != _data_hash(d.assign(power_share=d.power_share + 1e-9))


def test_multiverse_on_a_local_dask_cluster_equals_the_local_run(reduced_specs):
    """joblib's Dask backend on an in-process LocalCluster (one worker, threads: no ports but the
    scheduler's inproc transport) gives the same table as the local run, value for value."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster):
        on_dask = run_multiverse(n_jobs=-1, choices=REDUCED, backend="dask")
    pd.testing.assert_frame_equal(on_dask, reduced_specs)


def test_dask_backend_without_a_client_says_how_to_get_one():
    pytest.importorskip("distributed")
    with pytest.raises(ValueError, match=r"Client\('tcp://scheduler:8786'\)"):
        run_multiverse(choices=REDUCED, backend="dask")


def test_the_default_multiverse_does_not_import_dask():
    import subprocess
    import sys

    code = ("import sys; from replication.robustness import multiverse; "
            "multiverse._parallel_config(None); print('dask' in sys.modules, 'distributed' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
