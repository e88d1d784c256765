"""Multiverse and influence: size, agreement with the main estimates, and the hand-written pieces."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from replication.models import model_frame
from replication.robustness import CHOICES, influence, run_multiverse, second_difference
from replication.robustness.multiverse import _columns, _design


def test_multiverse_main_specification_equals_tables_4_and_5(panel):
    """Two code paths, one number: the multiverse's batched Firth logit and (separated) hazard against Table 5's
    reported models, the Firth logit and the Jeffreys-penalised cloglog with the exposure offset. The hazard
    check fails on the multiverse before issue 18, whose "hazard" was a logit without the offset."""
    from replication.models.effects import delta_method
    from replication.models.estimators import firth_logit, penalised_hazard

    frame = model_frame(panel)
    d = _columns(panel, "defected", "polity>=6", "index>=2")
    assert len(d) == len(frame) and d["y"].sum() == frame["y"].sum()
    for estimator, fit in (("firth", firth_logit(frame)), ("hazard", penalised_hazard(frame, profile=False))):
        mine = second_difference(d, estimator)
        sd = delta_method(fit, frame).set_index("quantity").loc["second difference"]
        assert mine["status"] == ("ok" if estimator == "firth" else "separated: penalised cloglog")
        assert mine["estimate"] == pytest.approx(sd["estimate"], abs=1e-7)
        assert mine["ci_low"] == pytest.approx(sd["delta_ci_low"], abs=1e-6)
        assert mine["ci_high"] == pytest.approx(sd["delta_ci_high"], abs=1e-6)


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
           "nmc_version": ["4.0"], "systemic": ["index>=2", "graded (0-1)", "defeat divides: index>=2"]}


@pytest.fixture(scope="module")
def reduced_specs():
    return run_multiverse(n_jobs=1, choices=REDUCED)


def test_full_grid_size():
    # the README's count, from its description: 4 outcomes x 3 regime measures x 2 phase schemes x
    # 4 NMC versions x 8 definitions of favourable conditions (6 under the primary reading, 2 under the second)
    # x 4 estimators
    assert int(np.prod([len(v) for v in CHOICES.values()])) == 4 * 3 * 2 * 4 * 8 * 4 == 3072
    assert sum(v.startswith("defeat divides") for v in CHOICES["systemic"]) == 2
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
    assert (specs.status == "separated: Firth").any() and (specs.status == "separated: penalised cloglog").any()
    assert set(specs.inference.dropna()) == {"war jackknife (CR3 form), t(G-1)", "model-based (I^-1), z",
                                             "CR3, t(G-1)"}


def test_a_collinear_design_has_no_estimate_and_says_why():
    """favourable only among democracies: democracy x favourable equals favourable, no estimate exists."""
    rng = np.random.default_rng(4)
    n = 120
    dem = rng.integers(0, 2, n).astype(float)
    d = pd.DataFrame({"y": (rng.uniform(size=n) < 0.2).astype(float), "dem": dem, "fav": dem * rng.integers(0, 2, n),
                      "power_share": rng.uniform(size=n), "major_power": rng.integers(0, 2, n).astype(float),
                      "t": 1.0, "t2": 1.0, "t3": 1.0, "log_exposure": 5.0, "war": np.repeat(np.arange(12), 10)})
    for estimator in ("logit", "firth", "lpm"):
        r = second_difference(d, estimator)
        assert r["status"] == "failed: rank deficient" and "estimate" not in r


def test_multiverse_in_worker_processes_equals_one_process(reduced_specs):
    """The parallel path (loky workers, each with its own parse cache) gives the same table, value
    for value and in the same order, as the in-process run: the multiverse.csv bytes depend on it."""
    parallel = run_multiverse(n_jobs=2, choices=REDUCED)
    pd.testing.assert_frame_equal(parallel, reduced_specs)


# A leave-one-war-out fold can be separated although the full fit is not (the war left out held a cell's
# only events): statsmodels stops at maxiter and warns, as the batched path counts such folds in
# jackknife_not_converged; both stop at the same point, which is what is compared.
@pytest.mark.filterwarnings("ignore:Maximum Likelihood optimization failed to converge")
def test_multiverse_equals_per_specification_statsmodels(panel, reduced_specs):
    """The batched path against one statsmodels fit per specification and per left-out war: the ML logit
    (Newton) and the cloglog hazard with its offset (GLM), second difference and its war-jackknife interval
    (sum of squared leave-one-war-out deviations, t(G-1)); the LPM's CR3 interval against the textbook
    jackknife (replication.models.smallsample.cr3_vcov). To 1e-6."""
    import statsmodels.api as sm
    from scipy import stats
    from scipy.special import expit

    from replication.models.smallsample import cr3_vcov

    def second(d, params, hazard, offset):
        lo, hi = float(d["fav"].min()), float(d["fav"].max())
        est = 0.0
        for dem, fav, sign in ((1, hi, 1), (0, hi, -1), (1, lo, -1), (0, lo, 1)):
            eta = _design(d, dem, fav, hazard) @ params + offset
            est += sign * ((1 - np.exp(-np.exp(eta))) if hazard else expit(eta)).mean()
        return est

    checked = {"logit": 0, "hazard": 0, "lpm": 0}
    for r in reduced_specs[reduced_specs.status.eq("ok") & reduced_specs.estimator.isin(list(checked))].itertuples():
        d = _columns(panel, r.outcome, r.regime, r.systemic)
        hazard = r.estimator == "hazard"
        X, y, wars = _design(d, d["dem"], d["fav"], hazard), d["y"].to_numpy(), d["war"].to_numpy()
        G = len(np.unique(wars))
        t = stats.t.ppf(0.975, G - 1)
        if r.estimator == "lpm":
            beta = np.linalg.lstsq(X, y, rcond=None)[0]
            scale = float(d["fav"].max() - d["fav"].min())
            est, se = beta[3] * scale, np.sqrt(cr3_vcov(X, y - X @ beta, wars)[3, 3]) * scale
        else:
            offset = d["log_exposure"].to_numpy() if hazard else 0.0

            def fit(rows):
                if hazard:
                    family = sm.families.Binomial(link=sm.families.links.CLogLog())
                    return sm.GLM(y[rows], X[rows], family=family, offset=offset[rows]).fit(tol=1e-12, maxiter=200).params
                return sm.Logit(y[rows], X[rows]).fit(disp=0, method="newton", maxiter=100).params

            est = second(d, fit(np.ones(len(y), bool)), hazard, offset)
            folds = [second(d, fit(wars != g), hazard, offset) for g in np.unique(wars)]
            se = np.sqrt(np.sum((np.array(folds) - est) ** 2))
        assert r.estimate == pytest.approx(est, abs=1e-6)
        assert r.ci_low == pytest.approx(est - t * se, abs=1e-6)
        assert r.ci_high == pytest.approx(est + t * se, abs=1e-6)
        checked[r.estimator] += 1
    assert min(checked.values()) >= 1 and sum(checked.values()) >= 6, checked


def test_influence_covers_every_war_and_state(panel):
    table = influence(panel)
    assert set(table.loc[table.dropped == "war", "id"]) == set(panel["war_num"].astype(int))
    assert set(table.loc[table.dropped == "state", "id"]) == set(panel["ccode"].astype(int))
    # refit without World War II here, independently of the influence loop, and compare with its row
    keep = panel[panel.war_num != 139]
    without = second_difference(_columns(keep, "defected", "polity>=6", "index>=2"), "firth")["estimate"]
    full = second_difference(_columns(panel, "defected", "polity>=6", "index>=2"), "firth")["estimate"]
    row = table[(table.dropped == "war") & (table.id == 139)].iloc[0]
    assert row["estimate"] == pytest.approx(without, abs=1e-9)
    assert row["shift"] == pytest.approx(without - full, abs=1e-9)
    # defections dropped: the estimation sample's, not the panel's (World War I's Romania 1917 lacks Polity, so
    # it is a panel defection that was never in the sample)
    frame = model_frame(panel)
    for war in (106, 139):
        r = table[(table.dropped == "war") & (table.id == war)].iloc[0]
        assert r["defections_dropped"] == int(frame.loc[frame.war == war, "y"].sum())
    assert int(panel.loc[panel.war_num == 106, "defected"].sum()) > int(frame.loc[frame.war == 106, "y"].sum())


def test_separated_specification_is_refitted_by_firth_not_dropped():
    import pandas as pd

    from replication.robustness.multiverse import _data_hash

    rng = np.random.default_rng(2)
    n = 120
    d = pd.DataFrame({"dem": rng.integers(0, 2, n).astype(float), "fav": rng.integers(0, 2, n).astype(float),
                      "power_share": rng.uniform(size=n), "major_power": rng.integers(0, 2, n).astype(float),
                      "t": 1.0, "t2": 1.0, "t3": 1.0, "log_exposure": 5.0, "war": np.repeat(np.arange(12), 10)})
    d["y"] = np.where(d.dem == 1, 0.0, (np.arange(n) % 4 == 0).astype(float))  # no democracy defects
    r = second_difference(d, "logit")
    # the separated logit specification is the Firth specification of the same design, number for number
    firth = second_difference(d, "firth")
    assert r["status"] == "separated: Firth" and firth["status"] == "ok"
    assert (r["estimate"], r["ci_low"], r["ci_high"]) == (firth["estimate"], firth["ci_low"], firth["ci_high"])
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
