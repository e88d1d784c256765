"""Influence of single wars and states on the main specification's second difference.

Main specification: the reported model of Tables 4 and 5, the Firth logit (defected; Polity >= 6;
year scheme; NMC 4.0; favourable = index >= 2 of 3, the primary reading). Each war (then each
state) is dropped in turn and the second difference re-estimated (delta-method CI with the
model-based covariance, as in Table 5). ``defections_dropped`` counts the defections of the
estimation sample that the drop removes (rows not at risk or with missing values were never in it).
"""

from __future__ import annotations

import pandas as pd

from .multiverse import _columns, second_difference

MODEL = "firth"


def influence(panel: pd.DataFrame) -> pd.DataFrame:
    base = second_difference(_columns(panel, "defected", "polity>=6", "index>=2"), MODEL)
    rows = []
    for unit, column in (("war", "war_num"), ("state", "ccode")):
        names = panel.drop_duplicates(column).set_index(column)["war_name" if unit == "war" else "state_name"]
        for value in sorted(panel[column].unique()):
            sub = panel[panel[column] != value]
            r = second_difference(_columns(sub, "defected", "polity>=6", "index>=2"), MODEL)
            rows.append({"dropped": unit, "id": int(value), "name": names[value],
                         "defections_dropped": base["events"] - r["events"], **r})
    out = pd.DataFrame(rows)
    out["shift"] = out["estimate"] - base["estimate"]
    out["baseline"] = base["estimate"]
    out["rank_abs_shift"] = out.groupby("dropped")["shift"].transform(lambda s: s.abs().rank(ascending=False,
                                                                                              method="first"))
    return out.sort_values(["dropped", "rank_abs_shift"], kind="stable", ignore_index=True)
