"""Summary of the state-phase panel: units, each outcome variant's events and wars, and events by
regime type and by systemic condition.

Writes results/tables/panel_summary.{csv,tex,md}. Run: make panel-summary (or python analysis/panel_summary.py)
"""

import pandas as pd

from .. import _io, paths
from . import _shared
from ..panel import OUTCOMES, at_risk
from ..panel.exits import PARTNERLESS_REASONS


def build() -> None:
    panel = _shared.panel()
    # each outcome's own risk set: partnerless rows never; rows after a historical exit except under COW's dates
    risk = {o: at_risk(panel, o) for o in OUTCOMES}
    at_risk_rows = panel[risk["defected"]]

    def block(label, by):
        key = by.astype("string").fillna("NA")
        g = at_risk_rows.groupby(key[risk["defected"]], dropna=False)
        out = pd.DataFrame({"section": label, "group": g.size().index, "state_phases": g.size().to_numpy()})
        for o in OUTCOMES:
            events = panel.loc[risk[o], o].groupby(key[risk[o]]).sum()
            out[o] = events.reindex(out["group"]).fillna(0).to_numpy()
        return out

    partnerless = panel["partnerless"].astype(bool)
    units = pd.DataFrame({
        "section": "units",
        "group": ["wars with a coalition", "coalition sides", "coalition members (state-sides)", "state-phases",
                  "partnerless state-phases (not at risk)",
                  f"  of which {PARTNERLESS_REASONS[0]}", f"  of which {PARTNERLESS_REASONS[1]}",
                  "state-phases after a historical exit (at risk only under COW's dates)",
                  "state-phases at risk (defected, defected_strict, defected_broad, exit_early)",
                  "state-phases at risk (defected_cow_dates)"],
        "state_phases": [panel["war_num"].nunique(), len(panel[["war_num", "side"]].drop_duplicates()),
                         len(panel[["war_num", "side", "ccode"]].drop_duplicates()),
                         len(panel), int(partnerless.sum()),
                         int(panel["partnerless_reason"].eq(PARTNERLESS_REASONS[0]).sum()),
                         int(panel["partnerless_reason"].eq(PARTNERLESS_REASONS[1]).sum()),
                         int((panel["after_exit"].astype(bool) & ~partnerless).sum()),
                         int(risk["defected"].sum()), int(risk["defected_cow_dates"].sum())],
    })
    events = pd.DataFrame({"section": "outcome variants", "group": ["events", "wars with an event"],
                           "state_phases": pd.NA})
    for o in OUTCOMES:
        units[o] = pd.NA
        hit = panel[risk[o] & (panel[o] == 1)]
        events[o] = [int(hit[o].sum()), int(hit["war_num"].nunique())]
    table = pd.concat([units, events,
                       block("democracy (Polity5 polity2 >= 6)", panel["democracy"]),
                       block("democracy (BMR)", panel["democracy_bmr"]),
                       block("systemic_favorable (2 of 3 conditions)", panel["systemic_favorable"]),
                       *[block(c, panel[c]) for c in ["losing", "outmatched", "symmetric", "common_adversary",
                                                      "external_gt_internal", "formal_ally_of_leader",
                                                      "regime_change_in_phase"]]], ignore_index=True)
    table["defection_rate"] = (table["defected"].astype("Float64") / table["state_phases"].astype("Float64")).where(
        ~table["section"].isin(["units", "outcome variants"]))
    table = table.astype({o: "Int64" for o in OUTCOMES} | {"state_phases": "Int64"})
    notes = [f"Scheme: {panel['scheme'].iloc[0]} (one row per calendar year of participation); NMC "
             f"v{panel['nmc_version'].iloc[0]}. For the units block, 'state_phases' is the count of the unit named; "
             "every block below it counts the state-phases at risk of the historically dated outcomes (partnerless "
             "rows and rows after a historical exit left out); each outcome column counts the events in its own risk "
             "set (defected_cow_dates keeps the rows after a historical exit).",
             "Outcomes, nested in every row: defected_strict (defections after which the state turned its arms "
             "against a former partner) <= defected (primary rule, after Weisiger 2016) <= defected_broad (unclear "
             "objections and contested alternatives counted) <= exit_early (any exit before the coalition's end other "
             "than conquest, a merger, a truce with re-entry or a coalition-wide settlement, Choi 2012); "
             "defected_cow_dates has the codes of defected with every event at the COW spell end. Events are placed "
             "at the last organised military effort where the exit file records one, else at the COW spell end; "
             "see results/tables/exit_coding for every coded spell.",
             "Systemic conditions are coded True when they favour cohesion, except outmatched (the capability level), "
             "which the paper's bandwagoning argument (line 141) ties to fragmentation; common_adversary is left out of "
             "the index because it barely varies. The 2013 paper's Table 2 calls conditions favourable when all four "
             "favour cohesion; the panel needs 2 of 3 because all 3 almost never hold (see the codebook)."]
    _io.write_table(table, paths.tables_dir() / "panel_summary", label="tab:panel_summary",
                    caption="The cross-war state-phase panel: units and events of each outcome variant", notes=notes,
                    float_format="%.3f")
    print(table.iloc[:12].to_string(index=False))
