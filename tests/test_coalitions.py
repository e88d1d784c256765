"""Table 6: the exact permutation test with ties, the samples (without World War II, placebo) and the
share x outmatched interaction, on hand-counted cases and against scipy and an independent Firth fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from replication.models.coalitions import WORLD_WAR_II, permutation_p, recovery_table
from tests.test_models import _firth_numpy


def test_permutation_p_hand_counted_with_ties():
    """Shares (0, 0, 0, 0.5, 1), winners the third (0) and fourth (0.5): 10 ways to pick 2 winners of 5.
    Winners' sums: three pairs of zeros 0, three 0 + 0.5 = 0.5, three 0 + 1 = 1, one 0.5 + 1 = 1.5, so 7 of
    10 are >= 0.5 (the three tied 0.5s count), p = 0.7. Mid-ranks (2, 2, 2, 4, 5): winners 2 + 4 = 6, and
    the same 7 of 10 pairs reach 6."""
    x, won = [0, 0, 0, 0.5, 1], [0, 0, 1, 1, 0]
    assert permutation_p(x, won) == (pytest.approx(0.7, abs=1e-15), "exact (10 assignments)")
    assert permutation_p(x, won, "rank_sum")[0] == pytest.approx(0.7, abs=1e-15)
    assert stats.mannwhitneyu([0, 0.5], [0, 0, 1], alternative="greater").pvalue != pytest.approx(0.7)


def test_permutation_p_hand_counted_where_the_statistics_differ():
    """Shares (0, 0.1, 0.2, 10), winners the first and last. Sums of the 6 pairs: 0.1, 0.2, 10, 0.3, 10.1,
    10.2, so 3 reach 10: p = 1/2. Ranks 1..4, winners' rank sum 5; pair sums 3, 4, 5, 5, 6, 7: p = 4/6."""
    x, won = [0, 0.1, 0.2, 10], [1, 0, 0, 1]
    assert permutation_p(x, won)[0] == pytest.approx(0.5, abs=1e-15)
    assert permutation_p(x, won, "rank_sum")[0] == pytest.approx(4 / 6, abs=1e-15)


@pytest.mark.parametrize("n, k, seed", [(13, 6, 1), (16, 9, 2), (9, 2, 3)])
def test_permutation_p_equals_scipy_exact_permutation_test(n, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.choice([0.0, 0.0, 0.125, 1 / 3, 0.5, 1.0], size=n)  # many ties, as the democratic shares have
    won = np.zeros(n)
    won[rng.choice(n, k, replace=False)] = 1
    w = won.astype(bool)
    for statistic, data in (("mean_difference", x), ("rank_sum", stats.rankdata(x))):
        ref = stats.permutation_test((data[w], data[~w]),
                                     lambda a, b, axis=-1: a.mean(axis=axis) - b.mean(axis=axis),
                                     permutation_type="independent", alternative="greater", n_resamples=np.inf,
                                     vectorized=True)
        assert permutation_p(x, won, statistic)[0] == pytest.approx(ref.pvalue, abs=1e-12)


def test_permutation_p_samples_beyond_the_limit_with_a_stated_seed():
    rng = np.random.default_rng(4)
    x, won = rng.choice([0.0, 0.5, 1.0], size=14), np.r_[np.ones(6), np.zeros(8)]
    exact, _ = permutation_p(x, won)
    p1, how = permutation_p(x, won, exact_limit=100, n_resamples=5000, seed=7)
    assert how == "5000 random assignments of 3003, seed 7"
    assert permutation_p(x, won, exact_limit=100, n_resamples=5000, seed=7)[0] == p1  # reproducible
    assert p1 == pytest.approx(exact, abs=4 * np.sqrt(exact * (1 - exact) / 5000) + 1 / 5000)
    with pytest.raises(ValueError, match="both winners and others"):
        permutation_p([0.1, 0.2], [1, 1])


def _sides():
    """Twelve sides: ten outmatched (two of them World War II's), with shares and outcomes chosen so that
    every test has variation; two never outmatched; one side with a transformed war (won NA)."""
    rows = [  # war, side, outmatched_ever, count share, capability share, won
        (1, 1, True, 0.0, 0.0, 0.0), (2, 1, True, 0.5, 0.2, 1.0), (3, 1, True, 0.0, 0.0, 0.0),
        (4, 1, True, 1.0, 0.9, 1.0), (5, 1, True, 0.25, 0.5, 0.0), (6, 1, True, 0.0, 0.1, 1.0),
        (7, 1, True, 0.0, 0.0, np.nan), (8, 1, True, 0.3, 0.4, 0.0),
        (WORLD_WAR_II, 1, True, 0.48, 0.64, 1.0), (WORLD_WAR_II, 2, True, 0.13, 0.15, 0.0),
        (9, 1, False, 0.6, 0.7, 1.0), (10, 1, False, 0.2, 0.1, 0.0), (11, 2, False, 0.5, 0.3, 0.0),
        (12, 1, False, 0.0, 0.2, 1.0), (13, 1, False, 1.0, 0.8, 1.0)]
    out = pd.DataFrame(rows, columns=["war_num", "side", "outmatched_ever", "dem_share_count", "dem_share_capability",
                                      "won"])
    return out.assign(war_name="w", members=2, cow_outcome=1)


def test_recovery_table_samples_and_interaction():
    sides = _sides()
    table = recovery_table(sides).set_index(["sample", "measure"])
    assert list(dict.fromkeys(table.index.get_level_values(0))) == [
        "outmatched sides", "outmatched sides, without World War II", "never-outmatched sides (placebo)",
        "all sides: share x outmatched_ever"]
    main = table.loc[("outmatched sides", "dem_share_count")]
    assert (main.n, main.won, main.excluded_outcome_or_regime) == (9, 4, 1)
    no_wwii = table.loc[("outmatched sides, without World War II", "dem_share_count")]
    assert (no_wwii.n, no_wwii.won) == (7, 3)
    d = sides[sides.outmatched_ever & (sides.war_num != WORLD_WAR_II)].dropna(subset=["won"])
    assert no_wwii.permutation_p_one_sided == pytest.approx(permutation_p(d.dem_share_count, d.won)[0], abs=1e-15)
    placebo = table.loc[("never-outmatched sides (placebo)", "dem_share_count")]
    assert (placebo.n, placebo.held) == (5, "")
    # the interaction: Firth logit of won on (1, share, outmatched, share x outmatched), independent fit
    inter = table.loc[("all sides: share x outmatched_ever", "dem_share_capability")]
    a = sides.dropna(subset=["won"])
    o = a.outmatched_ever.to_numpy(float)
    X = np.column_stack([np.ones(len(a)), a.dem_share_capability, o, a.dem_share_capability * o])
    beta, _ = _firth_numpy(X, a.won.to_numpy())
    assert inter.n == 14 and inter.term == "share x outmatched_ever"
    assert inter.firth_estimate == pytest.approx(beta[3], abs=1e-6)
    assert inter.firth_ci_low < inter.firth_estimate < inter.firth_ci_high
    assert np.isnan(inter.permutation_p_one_sided)
    assert inter.held == ("yes" if inter.firth_p_one_sided < 0.05 else "no")
