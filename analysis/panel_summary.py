"""Summary of the state-phase panel: units, defections by regime type and by systemic condition.

Writes results/tables/panel_summary.{csv,tex,md}. Run: make panel-summary
"""

import pandas as pd

from replication import _io, paths

panel = pd.read_parquet(paths.processed_dir() / "state_phase_panel.parquet")


def block(label, by):
    g = panel.groupby(by.astype("string").fillna("NA"), dropna=False)
    return pd.DataFrame({"section": label, "group": g.size().index, "state_phases": g.size().to_numpy(),
                         "defections": g["defected"].sum().to_numpy(),
                         "strict_defections": g["defected_strict"].sum().to_numpy()})


spells = panel.drop_duplicates(["war_num", "side", "ccode", "spell"])
units = pd.DataFrame({
    "section": "units",
    "group": ["wars with a coalition", "coalition sides", "member participations (spells)", "state-phases"],
    "state_phases": [panel["war_num"].nunique(), len(panel[["war_num", "side"]].drop_duplicates()), len(spells),
                     len(panel)],
    "defections": [pd.NA, pd.NA, int(spells["exit_type"].isin(["switched_sides", "separate_peace"]).sum()),
                   int(panel["defected"].sum())],
    "strict_defections": [pd.NA, pd.NA, int((spells["exit_type"] == "switched_sides").sum()),
                          int(panel["defected_strict"].sum())],
})
exits = spells["exit_type"].value_counts().sort_index()
exit_block = pd.DataFrame({"section": "spells by exit type", "group": exits.index, "state_phases": exits.to_numpy(),
                           "defections": pd.NA, "strict_defections": pd.NA})
table = pd.concat([units, exit_block,
                   block("democracy (Polity5 polity2 >= 6)", panel["democracy"]),
                   block("democracy (BMR)", panel["democracy_bmr"]),
                   block("systemic_favorable (index >= 3)", panel["systemic_favorable"]),
                   *[block(c, panel[c]) for c in ["outmatched", "symmetric", "common_adversary",
                                                  "external_gt_internal"]]], ignore_index=True)
table["defection_rate"] = (table["defections"].astype("Float64") / table["state_phases"]).where(
    ~table["section"].isin(["units", "spells by exit type"]))
table = table.astype({"defections": "Int64", "strict_defections": "Int64"})
notes = [f"Scheme: {panel['scheme'].iloc[0]} (one row per calendar year of participation); NMC "
         f"v{panel['nmc_version'].iloc[0]}. For the units block, 'state_phases' is the count of the unit named.",
         "defections: phases in which a spell ended by switching sides or a separate peace; strict: side switches "
         "only (COW data alone). Systemic conditions are coded True when they favour cohesion."]
_io.write_table(table, paths.tables_dir() / "panel_summary", label="tab:panel_summary",
                caption="The cross-war state-phase panel: units and defections", notes=notes, float_format="%.3f")
print(table.head(6).to_string(index=False))
