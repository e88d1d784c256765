"""The paper's illustrative cases (``data/raw/smartpower_cases.csv``) and their classification.

Relative power
--------------
The paper's second source of soft power is "the amount of relative military power
possessed by the alliance leader" against the adversary. The package measures it with the
log of the CINC ratio, leader / adversary, mapped onto [0, 1] by :func:`power_index`:
0.5 at parity, 0.75 at 10:1, 1 at 100:1 or more (0.25 at 1:10, 0 at 1:100 or less).

Why not the share, leader / (leader + adversary): it compresses every ratio above 10:1
into 0.91-1.0, so the post-1945 cases (ratios from 21:1 against Iraq to 117:1 against
Afghanistan) all sit at 0.95-0.99 and the power term of the score barely varies. Ratios
are compared on a log scale because a 10:1 and a 100:1 advantage differ as much as parity
and 10:1; the paper's own caution that powerful states lose to much weaker ones (Mack 1975;
Arreguin-Toft 2005, its n. 10) argues against letting the raw share saturate near 1. The
two-decade span (:data:`POWER_DECADES`) is the package's choice: it is the largest ratio
among the paper's cases (117:1, the only one clipped), so the index uses their full range.
The share is kept in the output (``cinc_share_vs_adversary``) and the recommendation it
would give is shown beside (``recommended_with_share``).
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from ..sources._csv import check_unique, read_text_table, to_number
from .model import (COERCIVENESS, FAILURES, STRATEGIES, THREAT_LEVELS, VOICE_LEVELS, Weights, Zones,
                    diagnose_from_strategies, recommended_strategy, soft_power_score)

CASE_FILE = "smartpower_cases.csv"
COLUMNS = ["case_id", "leader", "target", "war", "period", "year", "adversary_ccodes", "threat_to_target", "voice",
           "alignment", "observed_strategy", "paper_strategy", "hard_power_use", "soft_power_use", "paper_failure_type",
           "evidence", "source"]
LEADERS = {"USA": 2}


def read_cases(path: str | Path | None = None) -> pd.DataFrame:
    path = authored_file(CASE_FILE, path)
    raw = read_text_table(path, encoding="utf-8", required=COLUMNS)
    df = raw.apply(lambda s: s.str.strip()).astype("string")
    df["year"] = to_number(raw, "year", path=path, integer=True)
    df["paper_failure_type"] = df["paper_failure_type"].mask(df["paper_failure_type"] == "")
    check_unique(df, ["case_id"], path=path, hint="Give each case its own case_id.")
    allowed = {"threat_to_target": set(THREAT_LEVELS), "voice": set(VOICE_LEVELS),
               "alignment": {"shared", "diverging"}, "observed_strategy": set(STRATEGIES) | {"none"},
               "paper_strategy": set(STRATEGIES), "hard_power_use": {"insufficient", "appropriate", "excessive"},
               "soft_power_use": {"insufficient", "appropriate", "overestimated"}, "leader": set(LEADERS)}
    for col, ok in allowed.items():
        bad = ~df[col].isin(list(ok))
        if bad.any():
            i = int(bad.to_numpy().argmax())
            raise DataError(f"{path}: line {i + 2}, column '{col}': {df[col].iloc[i]!r} is not one of {sorted(ok)}.")
    bad = df["paper_failure_type"].notna() & ~df["paper_failure_type"].isin(list(FAILURES))
    if bad.any():
        raise DataError(f"{path}: unknown paper_failure_type {df.loc[bad, 'paper_failure_type'].tolist()}; "
                        f"use one of {FAILURES} or leave it empty.")
    return df


#: orders of magnitude of the leader:adversary CINC ratio over which the power index runs from 0.5 to 1
POWER_DECADES = 2.0


def _cincs(nmc: pd.DataFrame, leader: int, adversaries, year: int) -> tuple[float, float]:
    """(leader CINC, summed adversary CINC) in ``year``; NaN, with a warning, if any is missing."""
    sel = nmc[(nmc["year"] == year) & nmc["ccode"].isin([leader, *adversaries])].set_index("ccode")["cinc"]
    missing = [c for c in [leader, *adversaries] if c not in sel.index or pd.isna(sel.get(c))]
    if missing:
        lo, hi = int(nmc["year"].min()), int(nmc["year"].max())
        warnings.warn(f"relative_power: NMC v{nmc['nmc_version'].iloc[0]} ({lo}-{hi}) has no CINC for "
                      f"{missing} in {year}; relative power is NA.", stacklevel=3)
        return float("nan"), float("nan")
    return float(sel[leader]), float(sel[list(adversaries)].sum())


def relative_power(nmc: pd.DataFrame, leader: int, adversaries, year: int) -> float:
    """Leader CINC / (leader CINC + summed adversary CINC) in ``year`` (NA, with a warning, outside NMC)."""
    leader_cinc, adversary_cinc = _cincs(nmc, leader, adversaries, year)
    return leader_cinc / (leader_cinc + adversary_cinc)


def cinc_ratio(nmc: pd.DataFrame, leader: int, adversaries, year: int) -> float:
    """Leader CINC / summed adversary CINC in ``year`` (NA, with a warning, outside NMC)."""
    leader_cinc, adversary_cinc = _cincs(nmc, leader, adversaries, year)
    return leader_cinc / adversary_cinc


def power_index(ratio: float, decades: float = POWER_DECADES) -> float:
    """The leader:adversary capability ratio on [0, 1], linear in its log (see the module docstring).

    0.5 + log10(ratio) / (2 * decades), clipped to [0, 1]; NaN stays NaN.
    """
    if math.isnan(ratio):
        return float("nan")
    if ratio <= 0:
        raise ValueError(f"a capability ratio must be positive, got {ratio}")
    return min(1.0, max(0.0, 0.5 + math.log10(ratio) / (2 * decades)))


def classify_cases(cases: pd.DataFrame, nmc: pd.DataFrame, weights: Weights = Weights(),
                   zones: Zones = Zones()) -> pd.DataFrame:
    """Compute relative power, soft power, the recommended strategy and the failure diagnosis for every
    case, and set them beside what the paper reports.

    - ``relative_power`` is :func:`power_index` of the CINC ratio (the input to the score);
      ``cinc_share_vs_adversary`` is the share it replaces, and ``recommended_with_share`` the
      strategy the share would give.
    - ``matches_paper_strategy``: strict, the recommended strategy is the one the paper names.
    - ``failure_computed``: :func:`.model.diagnose_from_strategies` of the observed against the
      recommended strategy; ``paper_failure_type`` is the paper's Table 1, kept for comparison
      only; ``failure_agrees`` compares the two.
    - ``recommended_equal_weights`` and ``recommended_narrow_band`` show what the package's
      unquantified choices (weights, zone boundaries) decide.
    """
    out = cases.copy()
    triples = [(LEADERS[l], [int(c) for c in a.split(";")], int(y))
               for l, a, y in zip(out["leader"], out["adversary_ccodes"], out["year"])]
    out["cinc_share_vs_adversary"] = [relative_power(nmc, *t) for t in triples]
    ratio = [cinc_ratio(nmc, *t) for t in triples]
    out["log10_cinc_ratio"] = [math.log10(r) if r == r else float("nan") for r in ratio]
    out["relative_power"] = [power_index(r) for r in ratio]
    out["nmc_version"] = str(nmc["nmc_version"].iloc[0])

    def classify(w, z, power="relative_power"):
        scores = [soft_power_score(t, p, v, w) for t, p, v in
                  zip(out["threat_to_target"], out[power], out["voice"])]
        return scores, [recommended_strategy(s, a, z) for s, a in zip(scores, out["alignment"])]

    out["soft_power"], out["recommended"] = classify(weights, zones)
    out["matches_paper_strategy"] = out["recommended"].eq(out["paper_strategy"])
    out["matches_observed"] = out["recommended"].eq(out["observed_strategy"])
    boundaries = [zones.coercive_max, -zones.indifference, zones.indifference, zones.weak_max]
    out["margin_to_boundary"] = [min(abs(s - b) for b in boundaries) for s in out["soft_power"]]
    _, out["recommended_with_share"] = classify(weights, zones, "cinc_share_vs_adversary")
    _, out["recommended_equal_weights"] = classify(Weights(1 / 3, 1 / 3, 1 / 3), zones)
    _, out["recommended_narrow_band"] = classify(weights, Zones(zones.coercive_max, 0.15, zones.weak_max))
    out["failure_computed"] = pd.array([diagnose_from_strategies(o, r) for o, r in
                                        zip(out["observed_strategy"], out["recommended"])], dtype="string")
    # no failure on both sides is agreement too
    out["failure_agrees"] = out["failure_computed"].fillna("none").eq(out["paper_failure_type"].fillna("none"))
    return out


#: row and column order of the confusion table (Figure 1's order, most coercive first; "none" last)
STRATEGY_ORDER = sorted(COERCIVENESS, key=lambda k: (-COERCIVENESS[k] if k != "none" else 1))


def confusion(classified: pd.DataFrame) -> pd.DataFrame:
    """Recommended (rows) against observed (columns) strategy: counts of cases, every category shown."""
    rows = pd.Categorical(classified["recommended"], [s for s in STRATEGY_ORDER if s != "none"])
    cols = pd.Categorical(classified["observed_strategy"], STRATEGY_ORDER)
    table = pd.crosstab(rows, cols, dropna=False)
    table.index.name, table.columns.name = "recommended", "observed"
    return table
