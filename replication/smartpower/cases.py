"""The paper's illustrative cases (``data/raw/smartpower_cases.csv``) and their classification."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from ..sources._csv import check_unique, read_text_table, to_number
from .model import (FAILURES, STRATEGIES, THREAT_LEVELS, VOICE_LEVELS, Weights, Zones, diagnose_failure,
                    hard_power_use_from_strategies, recommended_strategy, soft_power_score)

CASE_FILE = "smartpower_cases.csv"
COLUMNS = ["case_id", "leader", "target", "war", "period", "year", "adversary_ccodes", "threat_to_target", "voice",
           "alignment", "observed_strategy", "paper_strategy", "hard_power_use", "soft_power_use", "failure_type",
           "evidence", "source"]
LEADERS = {"USA": 2}


def read_cases(path: str | Path | None = None) -> pd.DataFrame:
    path = authored_file(CASE_FILE, path)
    raw = read_text_table(path, encoding="utf-8", required=COLUMNS)
    df = raw.apply(lambda s: s.str.strip()).astype("string")
    df["year"] = to_number(raw, "year", path=path, integer=True)
    df["failure_type"] = df["failure_type"].mask(df["failure_type"] == "")
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
    bad = df["failure_type"].notna() & ~df["failure_type"].isin(list(FAILURES))
    if bad.any():
        raise DataError(f"{path}: unknown failure_type {df.loc[bad, 'failure_type'].tolist()}; use {FAILURES}.")
    return df


def relative_power(nmc: pd.DataFrame, leader: int, adversaries, year: int) -> float:
    """Leader CINC / (leader CINC + summed adversary CINC) in ``year`` (NA, with a warning, outside NMC)."""
    sel = nmc[(nmc["year"] == year) & nmc["ccode"].isin([leader, *adversaries])].set_index("ccode")["cinc"]
    missing = [c for c in [leader, *adversaries] if c not in sel.index or pd.isna(sel.get(c))]
    if missing:
        lo, hi = int(nmc["year"].min()), int(nmc["year"].max())
        warnings.warn(f"relative_power: NMC v{nmc['nmc_version'].iloc[0]} ({lo}-{hi}) has no CINC for "
                      f"{missing} in {year}; relative power is NA.", stacklevel=2)
        return float("nan")
    leader_cinc = float(sel[leader])
    return leader_cinc / (leader_cinc + float(sel[list(adversaries)].sum()))


def classify_cases(cases: pd.DataFrame, nmc: pd.DataFrame, weights: Weights = Weights(),
                   zones: Zones = Zones()) -> pd.DataFrame:
    """Compute relative power, soft power and the recommended strategy for every case, and
    set them beside what the paper reports. Also shows the recommendation under equal
    weights and a narrower indifference band, so parameter-driven disagreements are visible."""
    out = cases.copy()
    out["relative_power"] = [relative_power(nmc, LEADERS[l], [int(c) for c in a.split(";")], int(y))
                             for l, a, y in zip(out["leader"], out["adversary_ccodes"], out["year"])]
    out["nmc_version"] = str(nmc["nmc_version"].iloc[0])

    def classify(w, z):
        scores = [soft_power_score(t, p, v, w) for t, p, v in
                  zip(out["threat_to_target"], out["relative_power"], out["voice"])]
        return scores, [recommended_strategy(s, a, z) for s, a in zip(scores, out["alignment"])]

    out["soft_power"], out["recommended"] = classify(weights, zones)
    out["agrees_with_paper"] = [r in p.split("+") or r == p or (p == "side_payment_and_conditional_bolstering"
                                                                 and r in ("side_payment_bribery",
                                                                           "conditional_bolstering"))
                                for r, p in zip(out["recommended"], out["paper_strategy"])]
    boundaries = [zones.coercive_max, -zones.indifference, zones.indifference, zones.weak_max]
    out["margin_to_boundary"] = [min(abs(s - b) for b in boundaries) for s in out["soft_power"]]
    _, out["recommended_equal_weights"] = classify(Weights(1 / 3, 1 / 3, 1 / 3), zones)
    _, out["recommended_narrow_band"] = classify(weights, Zones(zones.coercive_max, 0.15, zones.weak_max))
    out["failure_diagnosed"] = [diagnose_failure(h, s) for h, s in zip(out["hard_power_use"], out["soft_power_use"])]
    out["hard_power_use_from_strategies"] = [hard_power_use_from_strategies(o, p) for o, p in
                                             zip(out["observed_strategy"], out["paper_strategy"])]
    return out
