"""Summary of the state-phase panel: units, each outcome variant's events and wars, and events by
regime type and by systemic condition.

Writes results/tables/panel_summary.{csv,tex,md}. Run: make panel-summary (or python analysis/panel_summary.py)
"""

import pandas as pd

from .. import _io, paths
from . import _shared
from ..panel import OUTCOMES


def build() -> None:
    panel = _shared.panel()
    at_risk = panel[~panel["partnerless"].astype(bool)]

    def block(label, by):
        g = at_risk.groupby(by.astype("string").fillna("NA"), dropna=False)
        out = pd.DataFrame({"section": label, "group": g.size().index, "state_phases": g.size().to_numpy()})
        for o in OUTCOMES:
            out[o] = g[o].sum().to_numpy()
        return out

    units = pd.DataFrame({
        "section": "units",
        "group": ["wars with a coalition", "coalition sides", "coalition members (state-sides)", "state-phases",
                  "partnerless state-phases (not at risk)", "state-phases at risk"],
        "state_phases": [panel["war_num"].nunique(), len(panel[["war_num", "side"]].drop_duplicates()),
                         len(panel[["war_num", "side", "ccode"]].drop_duplicates()),
                         len(panel), int(panel["partnerless"].sum()), len(at_risk)],
    })
    events = pd.DataFrame({"section": "outcome variants", "group": ["events", "wars with an event"],
                           "state_phases": pd.NA})
    for o in OUTCOMES:
        units[o] = pd.NA
        events[o] = [int(at_risk[o].sum()), int(at_risk.loc[at_risk[o] == 1, "war_num"].nunique())]
    table = pd.concat([units, events,
                       block("democracy (Polity5 polity2 >= 6)", at_risk["democracy"]),
                       block("democracy (BMR)", at_risk["democracy_bmr"]),
                       block("systemic_favorable (2 of 3 conditions)", at_risk["systemic_favorable"]),
                       *[block(c, at_risk[c]) for c in ["losing", "outmatched", "symmetric", "common_adversary",
                                                        "external_gt_internal", "formal_ally_of_leader",
                                                        "regime_change_in_phase"]]], ignore_index=True)
    table["defection_rate"] = (table["defected"].astype("Float64") / table["state_phases"].astype("Float64")).where(
        ~table["section"].isin(["units", "outcome variants"]))
    table = table.astype({o: "Int64" for o in OUTCOMES} | {"state_phases": "Int64"})
    notes = [f"Scheme: {panel['scheme'].iloc[0]} (one row per calendar year of participation); NMC "
             f"v{panel['nmc_version'].iloc[0]}. For the units block, 'state_phases' is the count of the unit named; "
             "every block below it counts the state-phases at risk (partnerless rows left out).",
             "Outcomes: defected (primary rule, after Weisiger 2016), defected_strict (side switches), defected_broad "
             "(contested exits counted as defections), exit_early (any exit before the coalition's end other than "
             "conquest, Choi 2012); see results/tables/exit_coding for every exit.",
             "Systemic conditions are coded True when they favour cohesion, except outmatched (the capability level), "
             "which the paper's bandwagoning argument (line 141) ties to fragmentation; common_adversary is left out of "
             "the index because it barely varies. The 2013 paper's Table 2 calls conditions favourable when all four "
             "favour cohesion; the panel needs 2 of 3 because all 3 almost never hold (see the codebook)."]
    _io.write_table(table, paths.tables_dir() / "panel_summary", label="tab:panel_summary",
                    caption="The cross-war state-phase panel: units and events of each outcome variant", notes=notes,
                    float_format="%.3f")
    print(table.iloc[:8].to_string(index=False))
