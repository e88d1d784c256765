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

Tests: Firth logit of won on each share (n is small and a share can separate the outcome), the
prediction being a positive slope (one-sided penalised-LR p, halved when the estimate has the
predicted sign), and the exact one-sided Wilcoxon-Mann-Whitney test that winners' shares are
larger. With so few sides the test has little power; a null result is reported as such.
"""

from __future__ import annotations

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


def recovery_test(sides: pd.DataFrame) -> pd.DataFrame:
    """Firth logit and exact rank test of winning on democratic share among outmatched sides."""
    from firthmodels import FirthLogisticRegression

    at_risk = sides[sides.outmatched_ever]
    rows = []
    for share in ("dem_share_count", "dem_share_capability"):
        d = at_risk.dropna(subset=["won", share])
        row = {"measure": share, "sides": len(sides), "outmatched_sides": len(at_risk), "n": len(d),
               "won": int(d["won"].sum()), "excluded_outcome_or_regime": len(at_risk) - len(d),
               "prediction": "slope > 0 (line 671)", "mean_share_winners": d.loc[d.won == 1, share].mean(),
               "mean_share_others": d.loc[d.won == 0, share].mean()}
        if d["won"].nunique() < 2 or d[share].nunique() < 2:
            rows.append({**row, "status": "no variation"})
            continue
        X = np.column_stack([np.ones(len(d)), d[share].to_numpy()])
        fit = FirthLogisticRegression(fit_intercept=False, gtol=1e-8, xtol=1e-8, max_iter=200).fit(X, d["won"].to_numpy())
        fit.lrt()
        ci = fit.conf_int(method="pl")
        slope, p_two = float(fit.coef_[1]), float(fit.lrt_pvalues_[1])
        p_one = p_two / 2 if slope > 0 else 1 - p_two / 2
        mw = stats.mannwhitneyu(d.loc[d.won == 1, share], d.loc[d.won == 0, share], alternative="greater",
                                method="exact" if d[share].nunique() == len(d) else "asymptotic")
        rows.append({**row, "status": "ok" if fit.converged_ else "not converged", "firth_slope": slope,
                     "firth_ci_low": float(ci[1, 0]), "firth_ci_high": float(ci[1, 1]), "firth_p_one_sided": p_one,
                     "rank_test_p_one_sided": float(mw.pvalue),
                     "held": "yes" if p_one < 0.05 else "no"})
    return pd.DataFrame(rows)
