"""Moderators the literature asks for: formal alliance with the coalition leader, regime change.

``formal_ally_of_leader`` (COW Formal Alliances v4.1)
    the state and its coalition's leader (the member with the largest power share in the
    phase, ``coalition_leader``) are both members of one COW formal alliance (any type:
    defence pact, neutrality, non-aggression or entente) in force on ``phase_start``.
    NA for the leader's own row (a state is not its own ally), where the leader is
    unknown (a member lacks CINC), and outside the alliance data's years (with a warning).
``regime_change_in_phase`` (Polity5)
    the state's regime changed in a calendar year the phase touches: Polity's ``durable``
    is 0 (a new polity that year), or ``regtrans`` records a transition (-2, -1, 1, 2, 3,
    96-98), or a Polity interruption, interregnum or transition code (-66, -77, -88)
    begins that year. NA where Polity has none of those years for the state. Polity codes
    are reached through the COW-to-Polity crosswalk (:data:`.regime.COW_TO_REGIME`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ._merge import checked_merge
from .regime import regime_code

ROW = ["war_num", "side", "ccode", "phase"]
TRANSITIONS = [-2, -1, 1, 2, 3, 96, 97, 98]


def add_formal_alliance(panel: pd.DataFrame, alliances: pd.DataFrame) -> pd.DataFrame:
    """Add ``formal_ally_of_leader`` (see module docstring)."""
    lo, hi = int(alliances["mem_start"].dt.year.min()), 2012  # v4.1 codes alliances through 2012
    rows = panel[ROW + ["phase_start", "coalition_leader"]].dropna(subset=["coalition_leader"])
    rows = rows[rows["ccode"] != rows["coalition_leader"]]
    in_force = alliances[["version4id", "ccode", "mem_start", "mem_end"]].rename(columns={"ccode": "member"})

    def memberships(who: str) -> pd.DataFrame:
        m = rows[list(dict.fromkeys(ROW + ["phase_start", who]))].merge(in_force, left_on=who, right_on="member")
        alive = (m["mem_start"] <= m["phase_start"]) & (m["mem_end"].isna() | (m["mem_end"] >= m["phase_start"]))
        return m.loc[alive, ROW + ["version4id"]]

    shared = memberships("ccode").merge(memberships("coalition_leader"), on=ROW + ["version4id"])
    allied = rows[ROW].assign(formal_ally_of_leader=True).merge(
        shared[ROW].drop_duplicates().assign(_hit=True), on=ROW, how="left")
    allied["formal_ally_of_leader"] = allied["_hit"].astype("boolean").fillna(False)
    out = checked_merge(panel, allied[ROW + ["formal_ally_of_leader"]], ROW, what="add_formal_alliance")
    year = out["phase_start"].dt.year
    outside = (year < lo) | (year > hi)
    if outside.any():
        warnings.warn(f"add_formal_alliance: COW alliances v4.1 cover {lo}-{hi}; {int(outside.sum())} "
                      "state-phases fall outside and get NA.", stacklevel=2)
    out["formal_ally_of_leader"] = out["formal_ally_of_leader"].astype("boolean").mask(outside)
    return out


def add_regime_change(panel: pd.DataFrame, polity: pd.DataFrame) -> pd.DataFrame:
    """Add ``regime_change_in_phase`` (see module docstring)."""
    p = polity[["ccode", "year", "durable", "regtrans", "polity_special"]].sort_values(["ccode", "year"])
    previous_special = p.groupby("ccode")["polity_special"].shift()
    onset = p["polity_special"].notna() & (previous_special.isna() | (previous_special != p["polity_special"]))
    p = p.assign(change=(p["durable"].eq(0).fillna(False) | p["regtrans"].isin(TRANSITIONS).fillna(False)
                         | onset.fillna(False)))
    first, last = panel["phase_start"].dt.year.to_numpy(), panel["phase_end"].dt.year.to_numpy()
    n = last - first + 1
    years = pd.DataFrame({"row": np.repeat(np.arange(len(panel)), n),
                          "year": np.concatenate([np.arange(a, b + 1) for a, b in zip(first, last)])})
    years["ccode"] = regime_code(pd.Series(panel["ccode"].to_numpy()[years["row"]]), years["year"]).to_numpy()
    hits = years.merge(p[["ccode", "year", "change"]], on=["ccode", "year"], how="left")
    per_row = hits.groupby("row")["change"].agg(lambda s: s.any() if s.notna().any() else pd.NA)
    out = panel.copy()
    out["regime_change_in_phase"] = pd.Series(per_row.to_numpy(), dtype="boolean").set_axis(out.index)
    return out
