"""The coalition-level implication of Resnick (2013), line 671: "democratic partnerships should be
more likely than autocratic ones to recover from a position of military disadvantage to mount a
successful comeback and eventually triumph in the war."

Unit: one coalition side of one COW inter-state war (44 in the panel). Among the sides that were
outmatched (capability ratio < 0.5 against the enemy coalition) in at least one phase in which
it was a coalition (a partnerless phase, one member alone, does not count), the
side's democratic share is related to whether it won:

* won: the modal COW outcome code of the side's members is 1 (winner); 0 if it is 2 (loser),
  3 (compromise) or 6 (stalemate); sides whose war was transformed (4) or whose modal code is
  another one are excluded and counted;
* democratic share by count: the mean over member spells of each spell's share of democratic
  phases; capability-weighted: the same weighted by each member's mean CINC share.

Tests, each on the count and the capability-weighted share:

* among outmatched sides (the test of line 671): Firth logit of won on the share (n is small and
  a share can separate the outcome), prediction a positive slope (one-sided penalised-LR p, halved
  when the estimate has the predicted sign, profile penalised-likelihood CI); and the exact one-sided
  permutation test that winners' shares are larger, enumerating every assignment of the observed
  number of wins to the sides (:func:`permutation_p`: difference in mean share, and the rank sum
  with mid-ranks). Ties are frequent (many shares are 0), so the normal approximation of the
  Wilcoxon-Mann-Whitney test, which scipy falls back to with ties, is not used;
* the same without World War II (both of its sides are among the outmatched ones);
* a placebo among never-outmatched sides: the share predicts winning there too, so the slope among
  outmatched sides alone does not isolate *recovery*;
* the recovery test proper: a Firth logit of won ~ share * outmatched_ever on all sides, whose
  interaction asks whether the share matters more for sides that had to recover (prediction > 0).

Liberalism predicts the same positive slope (democracies are better allies and win, whatever the
military position: Resnick 2013, lines 87-95 of the text), so a positive slope among outmatched
sides cannot separate neoclassical realism from liberalism; only the interaction speaks to recovery.
With so few sides every test has little power; a null result is reported as such.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from scipy import stats

WON, LOST = {1}, {2, 3, 6}


def coalition_sides(panel: pd.DataFrame, regime: str = "democracy") -> pd.DataFrame:
    """One row per war side: outmatched ever, democratic shares, COW outcome, won."""
    # a side is "outmatched" only as a coalition: a phase in which one member stood alone (Kuwait
    # before the Gulf War coalition formed) does not count
    alone = (panel["partnerless"].astype("boolean").fillna(False) if "partnerless" in panel
             else pd.Series(False, index=panel.index))
    p = panel.assign(dem=panel[regime].astype("Float64").astype("float64"),
                     cinc=panel["cinc"].astype("float64"),
                     outm=panel["outmatched"].astype("boolean").mask(alone, False))
    spells = p.groupby(["war_num", "side", "ccode", "spell"]).agg(dem=("dem", "mean"), cinc=("cinc", "mean"),
                                                                  outcome=("outcome", "first")).reset_index()
    rows = []
    for (war, side), s in spells.groupby(["war_num", "side"]):
        ph = p[(p.war_num == war) & (p.side == side)]
        valid = s.dropna(subset=["dem"])
        w = valid["cinc"].fillna(0)
        code = int(s["outcome"].mode().iloc[0])
        rows.append({"war_num": int(war), "war_name": ph["war_name"].iloc[0], "side": int(side),
                     "members": int(s["ccode"].nunique()), "outmatched_ever": bool(ph["outm"].fillna(False).any()),
                     "dem_share_count": float(valid["dem"].mean()) if len(valid) else np.nan,
                     "dem_share_capability": float((valid["dem"] * w).sum() / w.sum()) if w.sum() > 0 else np.nan,
                     "cow_outcome": code, "won": 1.0 if code in WON else 0.0 if code in LOST else np.nan})
    return pd.DataFrame(rows)


EXACT_LIMIT = 2_000_000  # enumerate up to this many assignments; beyond, sample (stated in the output)
PERMUTATION_SEED, PERMUTATION_RESAMPLES = 20131101, 200_000
SAMPLES = {"outmatched": "outmatched sides", "outmatched_no_wwii": "outmatched sides, without World War II",
           "never_outmatched": "never-outmatched sides (placebo)", "all": "all sides: share x outmatched_ever"}
WORLD_WAR_II = 139  # COW war number


def permutation_p(values, won, statistic: str = "mean_difference", exact_limit: int = EXACT_LIMIT,
                  n_resamples: int = PERMUTATION_RESAMPLES, seed: int = PERMUTATION_SEED) -> tuple[float, str]:
    """One-sided permutation p-value that winners' values are larger, exact with ties.

    Under H0 every assignment of the observed number of wins k to the n sides is equally likely;
    there are C(n, k) of them. When C(n, k) <= ``exact_limit`` all are enumerated and p = (number
    of assignments whose statistic is >= the observed one) / C(n, k), comparing with a tolerance of
    1e-9 of the values' scale so that tied values are ties, not decided by rounding. Beyond the
    limit ``n_resamples`` random assignments with ``seed`` are drawn and p = (1 + count) /
    (1 + n_resamples) (Phipson and Smyth 2010); the description returned says which was done.

    ``statistic``: "mean_difference" (mean of winners minus mean of the others) or "rank_sum" (sum
    of the winners' mid-ranks: the exact Wilcoxon-Mann-Whitney test with ties). Both are increasing
    functions of the sum of the winners' (raw or ranked) values given n, k and the total, so that sum
    is what is enumerated.

    Why by hand: ``scipy.stats.permutation_test`` computes the same exact p (tests/test_coalitions.py)
    but enumerates in Python, 8 s for C(24, 15) = 1,307,504 assignments against 0.3 s here, and
    Table 6 needs four of those.

    Returns (p, description of the null distribution used).

    References: Good (2005), *Permutation, Parametric and Bootstrap Tests of Hypotheses*, ch. 3;
    Phipson and Smyth (2010), *Stat. Appl. Genet. Mol. Biol.* 9(1).
    """
    import itertools
    from math import comb

    x = np.asarray(values, dtype=float)
    w = np.asarray(won, dtype=float)
    if x.shape != w.shape or x.ndim != 1 or np.isnan(x).any() or np.isnan(w).any() or not np.isin(w, (0.0, 1.0)).all():
        raise ValueError("values and won must be equally long 1-d arrays, without missing values, won coded 0/1")
    w = w.astype(bool)
    if w.all() or not w.any():
        raise ValueError("won must contain both winners and others")
    if statistic == "rank_sum":
        x = stats.rankdata(x)  # mid-ranks for ties
    elif statistic != "mean_difference":
        raise ValueError(f"statistic must be 'mean_difference' or 'rank_sum', got {statistic!r}")
    n, k = len(x), int(w.sum())
    total, tol = x.sum(), 1e-9 * max(1.0, float(np.abs(x).sum()))
    assignments = comb(n, k)
    if assignments <= exact_limit:
        # enumerate the smaller group; the winners' sum is the total minus the others' sum if that is smaller
        size, complement = min(k, n - k), k > n - k
        idx = np.fromiter(itertools.chain.from_iterable(itertools.combinations(range(n), size)), dtype=np.int64,
                          count=assignments * size).reshape(assignments, size)
        sums = x[idx].sum(axis=1)
        observed = x[~w if complement else w].sum()
        if complement:
            sums, observed = total - sums, total - observed
        return float(np.mean(sums >= observed - tol)), f"exact ({assignments} assignments)"
    rng = np.random.default_rng(seed)
    draws = np.array([x[rng.permutation(n)[:k]].sum() for _ in range(n_resamples)])
    count = int(np.sum(draws >= x[w].sum() - tol))
    return (1 + count) / (1 + n_resamples), f"{n_resamples} random assignments of {assignments}, seed {seed}"


def _firth_term(X: np.ndarray, y: np.ndarray, j: int) -> dict:
    """Firth logit (the project's fit, logistf conventions): coefficient j, profile penalised-likelihood
    95% CI, two-sided penalised LR p."""
    from .firth import firth_fit

    fit, converged = firth_fit(X, y)
    if not converged:
        return {"status": "not converged"}
    if not fit.converged_:  # accepted by firth_fit's step check: LR tests on a default-tolerance refit
        from firthmodels import FirthLogisticRegression

        inference = FirthLogisticRegression(fit_intercept=False, max_iter=200).fit(X, y)
    else:
        inference = fit
    inference.lrt(features=j)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ci = inference.conf_int(method="pl", features=j)  # only the tested term's profile is needed
    unconverged = [str(w.message) for w in caught if "did not converge" in str(w.message)]
    if unconverged:  # a bound that did not converge is not reported
        return {"status": "profile CI not converged: " + "; ".join(unconverged), "firth_estimate": float(fit.coef_[j]),
                "p_two": float(inference.lrt_pvalues_[j])}
    return {"status": "ok", "firth_estimate": float(fit.coef_[j]), "firth_ci_low": float(ci[j, 0]),
            "firth_ci_high": float(ci[j, 1]), "p_two": float(inference.lrt_pvalues_[j])}


def _sample(sides: pd.DataFrame, sample: str) -> pd.DataFrame:
    if sample == "outmatched":
        return sides[sides.outmatched_ever]
    if sample == "outmatched_no_wwii":
        return sides[sides.outmatched_ever & (sides.war_num != WORLD_WAR_II)]
    if sample == "never_outmatched":
        return sides[~sides.outmatched_ever]
    if sample == "all":
        return sides
    raise ValueError(f"sample must be one of {list(SAMPLES)}, got {sample!r}")


def recovery_test(sides: pd.DataFrame, sample: str = "outmatched") -> pd.DataFrame:
    """One row per share measure for one ``sample`` (see ``SAMPLES``): Firth logit and exact permutation
    tests of winning on the democratic share; for ``sample="all"`` the Firth logit of won ~ share *
    outmatched_ever, whose interaction is reported (no permutation test)."""
    at_risk = _sample(sides, sample)
    interaction = sample == "all"
    rows = []
    for share in ("dem_share_count", "dem_share_capability"):
        d = at_risk.dropna(subset=["won", share])
        prediction = ("share x outmatched_ever > 0 (recovery, line 671)" if interaction else
                      "none: placebo (a positive slope means the share predicts winning without a recovery)"
                      if sample == "never_outmatched" else "slope > 0 (line 671)")
        row = {"measure": share, "sample": SAMPLES[sample], "term": "share x outmatched_ever" if interaction else "share",
               "sides": len(sides), "outmatched_sides": int(sides.outmatched_ever.sum()), "n": len(d),
               "won": int(d["won"].sum()), "excluded_outcome_or_regime": len(at_risk) - len(d), "prediction": prediction,
               "mean_share_winners": d.loc[d.won == 1, share].mean(), "mean_share_others": d.loc[d.won == 0, share].mean()}
        if d["won"].nunique() < 2 or d[share].nunique() < 2:
            rows.append({**row, "status": "no variation"})
            continue
        x, y = d[share].to_numpy(), d["won"].to_numpy()
        if interaction:
            outm = d["outmatched_ever"].to_numpy().astype(float)
            X, j = np.column_stack([np.ones(len(d)), x, outm, x * outm]), 3
        else:
            X, j = np.column_stack([np.ones(len(d)), x]), 1
        firth = _firth_term(X, y, j)
        if "p_two" not in firth:
            rows.append({**row, **firth})
            continue
        p_two = firth.pop("p_two")
        p_one = p_two / 2 if firth["firth_estimate"] > 0 else 1 - p_two / 2
        row.update(firth, firth_p_one_sided=p_one)
        if not interaction:
            p_mean, how = permutation_p(x, y, "mean_difference")
            p_rank, _ = permutation_p(x, y, "rank_sum")
            row.update(permutation_p_one_sided=p_mean, rank_sum_p_one_sided=p_rank, permutations=how)
        row["held"] = "" if sample == "never_outmatched" else ("yes" if p_one < 0.05 else "no")
        rows.append(row)
    return pd.DataFrame(rows)


def recovery_table(sides: pd.DataFrame) -> pd.DataFrame:
    """Table 6: the outmatched-sides test, without World War II, the never-outmatched placebo, and the
    share x outmatched interaction on all sides, stacked with a ``sample`` column."""
    return pd.concat([recovery_test(sides, s) for s in SAMPLES], ignore_index=True)
