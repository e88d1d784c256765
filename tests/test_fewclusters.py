"""Few-cluster inference: CR1, CR2 and its degrees of freedom, CR3, the few-cluster table's counts.

Every check is against a published value, a closed form derived below, another library, or an
independent computation written differently (explicit N x N matrices, refits without each cluster).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import linalg, stats

from replication.models.data import interaction_cluster_counts, model_frame
from replication.models.smallsample import cr1_vcov, cr2_dof, cr2_vcov, cr3_vcov


@pytest.fixture(scope="module")
def frame(panel):
    return model_frame(panel)


@pytest.fixture(scope="module")
def lpm(frame):
    from replication.models.fewclusters import lpm_design

    y, X, war = lpm_design(frame)
    fit = sm.OLS(y, X).fit()
    return y, X, war, fit


def _kolesar_data():
    """The data of dfadjust's test "Test clustering if clusters out of order" (Kolesar's R package,
    tests/testthat/test_clustervar.R), whose values were checked there against Stata: y = (cos(0:9),
    tan(1:10)), x = (sin(1:10), sin(2:11)), clusters (2,1,3,2,2,3,3,1,1,2) recycled to 20 rows as R's
    data.frame does."""
    y = np.concatenate([np.cos(np.arange(0, 10)), np.tan(np.arange(1, 11))])
    x = np.concatenate([np.sin(np.arange(1, 11)), np.sin(np.arange(2, 12))])
    clusters = np.tile([2, 1, 3, 2, 2, 3, 3, 1, 1, 2], 2)
    return y, np.column_stack([np.ones(20), x]), clusters


def test_published_stata_values_cr1_and_cr2_with_singleton_clusters():
    """Published (dfadjust's tests, checked against Stata): OLS estimates -0.4456202905 and 0.3241183110;
    Stata's ``reg y x, cluster(clusters)`` SEs 0.4827602183 and 0.1814501834; with every observation its
    own cluster CR2 is HC2, Stata's ``vce(hc2)`` SEs 0.4227339762 and 0.4421048122."""
    y, X, clusters = _kolesar_data()
    fit = sm.OLS(y, X).fit()
    np.testing.assert_allclose(fit.params, [-0.4456202905, 0.3241183110], atol=5e-10)
    np.testing.assert_allclose(np.sqrt(np.diag(cr1_vcov(X, fit.resid, clusters))), [0.4827602183, 0.1814501834],
                               atol=5e-10)
    hc2 = np.sqrt(np.diag(cr2_vcov(X, fit.resid, np.arange(20))))
    np.testing.assert_allclose(hc2, [0.4227339762, 0.4421048122], atol=5e-10)
    np.testing.assert_allclose(hc2, sm.OLS(y, X).fit(cov_type="HC2").bse, rtol=1e-12)  # and statsmodels' HC2


def test_cr1_equals_statsmodels_cluster_covariance(lpm):
    y, X, war, fit = lpm
    clustered = sm.OLS(y, X).fit(cov_type="cluster", cov_kwds={"groups": war})  # G/(G-1) (N-1)/(N-K) by default
    np.testing.assert_allclose(cr1_vcov(X.to_numpy(), fit.resid, war), clustered.cov_params().to_numpy(),
                               rtol=1e-10, atol=1e-16)


def _balanced_design(G0=4, G1=7, m=5, seed=3):
    rng = np.random.default_rng(seed)
    G = G0 + G1
    cluster = np.repeat(np.arange(G), m)
    d = np.repeat(np.r_[np.zeros(G0), np.ones(G1)], m)
    z = rng.normal(size=G)[cluster]  # a cluster-level random effect: errors correlated within clusters
    x = rng.normal(size=G * m)       # a covariate that varies within clusters (for the Moulton check)
    y = 0.3 * d + z + rng.normal(size=G * m) * np.where(d == 1, 2.0, 0.5)
    return y, d, x, cluster


def test_cr2_and_both_dfs_have_the_closed_form_of_a_balanced_cluster_level_binary_regressor():
    """Balanced clusters (m rows each), G1 treated and G0 control, y on (1, d), d constant within clusters.

    The slope is ybar_1 - ybar_0, the difference of the means of the cluster means. For a treated cluster
    H_gg = J/(G1 m), so A_g = (I - H_gg)^(-1/2) multiplies the cluster's residual sum by (1 - 1/G1)^(-1/2)
    and its score is (ybar_g - ybar_1) / sqrt(G1 (G1 - 1)). Hence CR2 = s1^2/G1 + s0^2/G0 with s_j^2 the
    sample variance of the cluster means in group j: Welch's variance on cluster means, so the CR2 t is
    Welch's t (scipy). Under the working model (iid errors) the cluster means are iid with variance
    sigma^2/m, s_j^2 ~ sigma^2/m chi2(G_j - 1)/(G_j - 1), and the Satterthwaite df of the sum is
    df = (1/G1 + 1/G0)^2 / (1/(G1^2 (G1-1)) + 1/(G0^2 (G0-1)))
       = (G0 + G1)^2 (G0-1)(G1-1) / (G0^2 (G0-1) + G1^2 (G1-1))
    (Imbens and Kolesar 2016's binary-regressor formula with clusters as units). Under the Moulton model
    the cluster means are still iid (variance sigma^2/m + rho), so the Imbens-Kolesar df is the same.
    """
    G0, G1 = 4, 7
    y, d, _, cluster = _balanced_design(G0, G1)
    X = np.column_stack([np.ones_like(d), d])
    fit = sm.OLS(y, X).fit()
    means = pd.Series(y).groupby(cluster).mean()
    treated = pd.Series(d).groupby(cluster).first() == 1
    welch = stats.ttest_ind(means[treated], means[~treated], equal_var=False)
    V = cr2_vcov(X, fit.resid, cluster)
    assert fit.params[1] / np.sqrt(V[1, 1]) == pytest.approx(welch.statistic, rel=1e-12)
    assert V[1, 1] == pytest.approx(means[treated].var() / G1 + means[~treated].var() / G0, rel=1e-12)
    dof = cr2_dof(X, fit.resid, cluster, [0, 1])
    closed = (G0 + G1) ** 2 * (G0 - 1) * (G1 - 1) / (G0 ** 2 * (G0 - 1) + G1 ** 2 * (G1 - 1))
    assert dof.satterthwaite == pytest.approx(closed, rel=1e-12)
    assert dof.imbens_kolesar == pytest.approx(closed, rel=1e-10)
    assert closed < G0 + G1 - 1  # far below G - 1: (11^2 * 3 * 6) / (16 * 3 + 49 * 6) = 6.37


def _explicit_dfs(X, resid, groups, c):
    """Independent computation: explicit N x N matrices, scipy's sqrtm for A_g, explicit Omega, and the
    Satterthwaite formula from the eigenvalues of G' Omega G (Imbens and Kolesar 2016, section 5)."""
    n = len(resid)
    H = X @ np.linalg.solve(X.T @ X, X.T)
    M = np.linalg.inv(X.T @ X)
    I_H = np.eye(n) - H
    labels = np.unique(groups)
    Gmat = np.zeros((n, len(labels)))
    V = np.zeros((X.shape[1], X.shape[1]))
    for k, g in enumerate(labels):
        rows = np.flatnonzero(groups == g)
        A = np.real(linalg.sqrtm(np.linalg.inv(I_H[np.ix_(rows, rows)])))
        Gmat[:, k] = I_H[:, rows] @ A @ X[rows] @ M @ c
        s = X[rows].T @ A @ resid[rows]
        V += np.outer(s, s)
    sizes = np.array([np.sum(groups == g) for g in labels])
    sums = np.array([resid[groups == g].sum() for g in labels])
    rho = ((sums ** 2).sum() - resid @ resid) / ((sizes ** 2).sum() - n)
    sigma2 = max(resid @ resid / n - rho, 0.0)
    same = groups[:, None] == groups[None, :]
    Omega = sigma2 * np.eye(n) + rho * same
    df = []
    for W in (np.eye(n), Omega):
        lam = np.linalg.eigvalsh(Gmat.T @ W @ Gmat)
        df.append(lam.sum() ** 2 / (lam ** 2).sum())
    return M @ V @ M, df


def test_cr2_and_dfs_equal_an_explicit_computation_with_a_within_cluster_covariate():
    """With a regressor that varies within clusters the two dfs differ; both equal the explicit computation."""
    y, d, x, cluster = _balanced_design(seed=11)
    X = np.column_stack([np.ones_like(d), d, x, d * x])
    fit = sm.OLS(y, X).fit()
    c = np.array([0.0, 0.0, 0.0, 1.0])
    V_explicit, (df_bm, df_ik) = _explicit_dfs(X, fit.resid, cluster, c)
    np.testing.assert_allclose(cr2_vcov(X, fit.resid, cluster), V_explicit, rtol=1e-9)
    dof = cr2_dof(X, fit.resid, cluster, c)
    assert dof.satterthwaite == pytest.approx(df_bm, rel=1e-9)
    assert dof.imbens_kolesar == pytest.approx(df_ik, rel=1e-9)
    assert abs(dof.satterthwaite - dof.imbens_kolesar) > 0.1
    # the result does not depend on the row order
    order = np.random.default_rng(0).permutation(len(y))
    np.testing.assert_allclose(cr2_vcov(X[order], fit.resid[order], cluster[order]), V_explicit, rtol=1e-9)


def test_cr2_and_dfs_on_the_lpm_equal_the_explicit_computation(lpm):
    y, X, war, fit = lpm
    c = (X.columns == "democracy:systemic_favorable").astype(float)
    V_explicit, (df_bm, df_ik) = _explicit_dfs(X.to_numpy(), fit.resid.to_numpy(), war, c)
    np.testing.assert_allclose(cr2_vcov(X.to_numpy(), fit.resid, war), V_explicit, rtol=1e-8, atol=1e-14)
    dof = cr2_dof(X.to_numpy(), fit.resid, war, c)
    assert (dof.satterthwaite, dof.imbens_kolesar) == pytest.approx((df_bm, df_ik), rel=1e-8)


def test_cr2_with_absorbed_effects_equals_the_explicit_full_rank_dummy_design():
    """Entity effects nested in clusters plus period effects: CR2 with ``absorb`` (rank-deficient dummies)
    equals CR2 on an explicit full-rank design [X, entity dummies, period dummies less one]."""
    rng = np.random.default_rng(5)
    clusters, entities = np.repeat(np.arange(8), 6), np.repeat(np.arange(16), 3)
    period = np.tile(np.arange(3), 16)
    x1, x2 = rng.normal(size=48), rng.normal(size=48)
    y = 0.5 * x1 + rng.normal(size=8)[clusters] + rng.normal(size=48)
    E = pd.get_dummies(entities, dtype=float).to_numpy()
    T = pd.get_dummies(period, dtype=float).to_numpy()
    X = np.column_stack([x1, x2])
    Z = np.column_stack([X, E, T[:, 1:]])
    resid = sm.OLS(y, Z).fit().resid
    full = cr2_vcov(Z, resid, clusters)[:2, :2]
    np.testing.assert_allclose(cr2_vcov(X, resid, clusters, absorb=np.column_stack([E, T])), full, rtol=1e-9)
    assert cr2_dof(X, resid, clusters, [1, 0], absorb=np.column_stack([E, T])).satterthwaite == pytest.approx(
        cr2_dof(Z, resid, clusters, np.r_[1, np.zeros(Z.shape[1] - 1)]).satterthwaite, rel=1e-9)


def test_cr3_is_the_jackknife_sum_and_pyfixest_crv3_without_small_sample_factors(frame, lpm):
    """CR3 = sum_g (b_-g - b)(b_-g - b)' by refitting without each war (statsmodels); pyfixest's CRV3 with
    ssc(k_adj=False, G_adj=False) is that sum, and its default CRV3 is the sum times CR1's factor."""
    import pyfixest as pf

    from replication.models.fewclusters import _formula

    y, X, war, fit = lpm
    b = fit.params.to_numpy()
    jack = sum(np.outer(d, d) for d in (sm.OLS(y[war != g], X[war != g]).fit().params.to_numpy() - b
                                        for g in np.unique(war)))
    V3 = cr3_vcov(X.to_numpy(), fit.resid, war)
    np.testing.assert_allclose(V3, jack, rtol=1e-8, atol=1e-15)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = pf.feols(_formula(frame), data=frame, vcov={"CRV3": "war"}, ssc=pf.ssc(k_adj=False, G_adj=False))
        default = pf.feols(_formula(frame), data=frame, vcov={"CRV3": "war"})
    order = list(plain.coef().index)
    V3 = pd.DataFrame(V3, index=X.columns, columns=X.columns).loc[order, order].to_numpy()
    np.testing.assert_allclose(plain._vcov, V3, rtol=1e-8, atol=1e-15)
    n, k, G = X.shape[0], X.shape[1], len(np.unique(war))
    np.testing.assert_allclose(default._vcov, V3 * G / (G - 1) * (n - 1) / (n - k), rtol=1e-8, atol=1e-15)


def test_cr3_names_a_cluster_whose_removal_loses_identification():
    X = np.column_stack([np.ones(6), [1.0, 1.0, 0, 0, 0, 0]])  # the regressor is non-zero in cluster 0 only
    with pytest.raises(ValueError, match=r"without cluster np.int64\(0\)|without cluster 0"):
        cr3_vcov(X, np.arange(6.0), np.repeat([0, 1, 2], 2))


def test_interaction_cluster_counts_by_hand():
    f = pd.DataFrame({"war": [1, 1, 2, 2, 3, 3, 4], "y": [0, 1, 0, 0, 0, 0, 1.0],
                      "democracy": [1, 1, 1, 0, 0, 0, 1.0], "systemic_favorable": [1, 0, 1, 1, 1, 0, 1.0]})
    # interaction: war 1 (1, 0) varies; war 2 (1, 0) varies; war 3 (0, 0) never non-zero; war 4 (1) non-zero, constant
    counts = interaction_cluster_counts(f)
    assert counts == {"n_clusters": 4, "clusters_with_events": 2, "clusters_interaction_nonzero": 3,
                      "clusters_interaction_varies": 2}
    with pytest.raises(Exception, match="missing in 1 rows"):
        interaction_cluster_counts(f.assign(democracy=[1, 1, 1, 0, 0, 0, np.nan]))


def test_few_cluster_table_rows_match_the_estimators(frame, lpm):
    from replication.models.fewclusters import TERM, WILD_MIN_TREATED, few_cluster_table

    y, X, war, fit = lpm
    t = few_cluster_table(frame, reps=99, ci=False).set_index("method")
    c = (X.columns == TERM).astype(float)
    cr2 = t.loc["CR2 (Bell-McCaffrey), Satterthwaite df (clubSandwich)"]
    ik = t.loc["CR2 (Bell-McCaffrey), Imbens-Kolesar df"]
    assert cr2.std_error == pytest.approx(np.sqrt(c @ cr2_vcov(X.to_numpy(), fit.resid, war) @ c), rel=1e-10)
    dof = cr2_dof(X.to_numpy(), fit.resid, war, c)
    assert (cr2.df, ik.df) == pytest.approx((dof.satterthwaite, dof.imbens_kolesar), rel=1e-12)
    assert ik.p_value == pytest.approx(2 * stats.t.sf(abs(ik.estimate / ik.std_error), ik.df), rel=1e-12)
    cr3 = t.loc["CR3 (jackknife sum, clubSandwich), t(G-1)"]
    assert cr3.std_error == pytest.approx(np.sqrt(c @ cr3_vcov(X.to_numpy(), fit.resid, war) @ c), rel=1e-8)
    assert cr3.df == t.loc["CR1, t(G-1)"].df == frame.war.nunique() - 1
    counts = interaction_cluster_counts(frame)
    assert (t.clusters_interaction_nonzero == counts["clusters_interaction_nonzero"]).all()
    assert (t.clusters_interaction_varies == counts["clusters_interaction_varies"]).all()
    wild = t[t.index.str.startswith("wild")].iloc[0]
    assert (str(counts["clusters_interaction_nonzero"]) in wild.note) == (
        counts["clusters_interaction_nonzero"] < WILD_MIN_TREATED)
    assert (t.loc[~t.index.str.startswith("wild"), "note"] == "").all()


def test_wild_bootstrap_note_counts_the_smaller_group():
    from replication.models.fewclusters import wild_bootstrap_note

    assert wild_bootstrap_note(5, 18, threshold=10).startswith("only 5 treated wars")
    assert wild_bootstrap_note(15, 18, threshold=10).startswith("only 3 untreated wars")
    assert wild_bootstrap_note(10, 20, threshold=10) == ""


def test_fixed_effects_lpm_cr2_equals_an_explicit_pseudo_inverse_computation(frame):
    """Table 3's within LPM with vcov="CR2": H the hat matrix of [X, entity dummies, year dummies] (rank-
    deficient: pinv), A_g = sqrtm(pinv(I - H_gg)), bread from X residualised on the dummies."""
    from replication.models.estimators import lpm_within

    r = lpm_within(frame, vcov="CR2")
    terms = {"democracy:systemic_favorable": "dem_x_fav"}
    names = [terms.get(t, t) for t in r.tidy["term"]]
    d = frame.assign(dem_x_fav=frame.democracy * frame.systemic_favorable).sort_values(["entity", "year"])
    X = d[names].to_numpy()
    D = np.column_stack([pd.get_dummies(d.entity, dtype=float), pd.get_dummies(d.year, dtype=float)])
    Z = np.column_stack([X, D])
    H = Z @ np.linalg.pinv(Z)
    P_D = D @ np.linalg.pinv(D)
    Xt = X - P_D @ X
    M = np.linalg.inv(Xt.T @ Xt)
    resid = d.y.to_numpy() - H @ d.y.to_numpy()
    meat = np.zeros((X.shape[1], X.shape[1]))
    war = d.war.to_numpy()
    for g in np.unique(war):
        rows = np.flatnonzero(war == g)
        with warnings.catch_warnings():
            # I - H_gg is singular where the entity dummies absorb a whole cluster: hence the
            # pseudo-inverse, whose square root scipy calls ill-conditioned
            warnings.simplefilter("ignore", linalg.LinAlgWarning)
            A = np.real(linalg.sqrtm(np.linalg.pinv(np.eye(len(rows)) - H[np.ix_(rows, rows)], rcond=1e-10,
                                                    hermitian=True)))
        s = Xt[rows].T @ A @ resid[rows]
        meat += np.outer(s, s)
    np.testing.assert_allclose(r.tidy["std_error"], np.sqrt(np.diag(M @ meat @ M)), rtol=1e-6)
    assert r.tidy["inference"].str.endswith("CR2 Satterthwaite").all() and r.status == "ok"
    df = r.diagnostics["satterthwaite_df"]["democracy:systemic_favorable"]
    row = r.tidy.set_index("term").loc["democracy:systemic_favorable"]
    assert row.p_value == pytest.approx(2 * stats.t.sf(abs(row.estimate / row.std_error), df), rel=1e-12)
    with pytest.raises(ValueError, match="vcov must be"):
        lpm_within(frame, vcov="CR3")


def test_random_effects_lpm_cr2_is_cr2_on_the_quasi_demeaned_data(frame):
    """OLS on y - theta_i ybar_i, X - theta_i xbar_i reproduces linearmodels' RE estimate; CR2 there."""
    from replication.models.estimators import lpm_random_effects

    r = lpm_random_effects(frame, vcov="CR2")
    d = frame.assign(dem_x_fav=frame.democracy * frame.systemic_favorable).sort_values(["entity", "year"])
    theta = r.fitted.theta["theta"].reindex(d.entity).to_numpy()
    cols = ["democracy", "systemic_favorable", "dem_x_fav", "power_share", "major_power"]
    raw = np.column_stack([d.y, np.ones(len(d)), d[cols]])
    means = pd.DataFrame(raw).groupby(d.entity.to_numpy()).transform("mean").to_numpy()
    star = raw - theta[:, None] * means
    fit = sm.OLS(star[:, 0], star[:, 1:]).fit()
    np.testing.assert_allclose(fit.params, r.tidy["estimate"], rtol=1e-7, atol=1e-10)
    V = cr2_vcov(star[:, 1:], fit.resid, d.war.to_numpy())
    np.testing.assert_allclose(r.tidy["std_error"], np.sqrt(np.diag(V)), rtol=1e-8)


def test_few_cluster_table_blanks_cr3_when_leaving_a_war_out_loses_identification(frame):
    """If one war is the only one where a regressor is non-zero, its jackknife estimate does not exist:
    the CR3 row is blank and says which war, instead of a pseudo-inverse number."""
    from replication.models.fewclusters import few_cluster_table

    only = frame.war.iloc[0]
    f = frame.assign(major_power=np.where(frame.war == only, frame.major_power + 1.0, 0.0))
    f.attrs.update(frame.attrs)
    cr3 = few_cluster_table(f, reps=99, ci=False).set_index("method").loc["CR3 (jackknife sum, clubSandwich), t(G-1)"]
    assert np.isnan(cr3.std_error) and np.isnan(cr3.p_value) and "without cluster" in cr3.note
    assert str(only) in cr3.note
