"""The panel's columns: pandera schema and the generated codebook."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .exits import EXIT_TYPES

# name: (pandera dtype, nullable, source, meaning)
COLUMNS: dict[str, tuple[str, bool, str, str]] = {
    "war_num": ("Int64", False, "COW war", "COW war number"),
    "war_name": ("string", False, "COW war", "COW war name"),
    "side": ("Int64", False, "COW war", "COW side (1 or 2)"),
    "ccode": ("Int64", False, "COW war", "COW country code"),
    "state_name": ("string", False, "COW war", "state name as spelled in the war file"),
    "spell": ("Int64", False, "COW war", "participation spell (2 = second spell on the same side)"),
    "phase": ("string", False, "derived", "phase label: calendar year, H1/H2, or P1, P2, ... (custom)"),
    "phase_index": ("Int64", False, "derived", "1 for the state's first phase on this side, then 2, 3, ..."),
    "scheme": ("string", False, "argument", "phase scheme: year, half or custom"),
    "phase_start": ("datetime64[ns]", False, "COW war", "first day of the phase the state was at war"),
    "phase_end": ("datetime64[ns]", False, "COW war", "last day of the phase the state was at war"),
    "days_at_risk": ("Int64", False, "COW war", "days at war in the phase, both ends included"),
    "year": ("Int64", False, "derived", "calendar year of phase_start (annual covariates are joined on it)"),
    "years_since_entry": ("Float64", False, "COW war", "years from the state's first entry on this side to phase_start"),
    "spell_start": ("datetime64[ns]", False, "COW war", "start of the participation spell"),
    "spell_end": ("datetime64[ns]", False, "COW war", "end of the participation spell"),
    "war_start": ("datetime64[ns]", False, "COW war", "first entry of any participant"),
    "war_end": ("datetime64[ns]", False, "COW war", "last exit of any participant"),
    "coalition_end": ("datetime64[ns]", False, "COW war", "last exit of any member of this side"),
    "n_states_side": ("Int64", False, "COW war", "number of states that fought on this side"),
    "outcome": ("Int64", False, "COW war", "COW outcome code of the participant row (1 winner, 2 loser, ...)"),
    "polity2_lag": ("Int64", True, "Polity5", "polity2 in the year before phase_start (-10..10)"),
    "polity_special_lag": ("Int64", True, "Polity5", "Polity special code in that year: -66, -77 or -88 (NA if a score)"),
    "democracy": ("boolean", True, "Polity5", "polity2_lag >= threshold (default 6); NA when polity2 is missing"),
    "democracy_bmr": ("boolean", True, "BMR", "Boix-Miller-Rosato democracy in the year before phase_start"),
    "cinc": ("float64", True, "NMC", "CINC in the phase's start year"),
    "nmc_version": ("string", False, "NMC", "NMC version used"),
    "coalition_cinc": ("float64", True, "NMC", "summed CINC of the coalition's members in the phase"),
    "coalition_hhi": ("float64", True, "NMC", "Herfindahl index of members' power shares in the phase"),
    "leader_share": ("float64", True, "NMC", "largest member's power share in the phase"),
    "n_members_phase": ("Int64", True, "NMC", "members of the coalition in the phase"),
    "enemy_cinc": ("float64", True, "NMC", "summed CINC of the opposite side's states in the phase"),
    "power_share": ("float64", True, "NMC", "cinc / coalition_cinc"),
    "capability_ratio": ("float64", True, "NMC", "coalition_cinc / (coalition_cinc + enemy_cinc)"),
    "largest_partner_cinc": ("float64", True, "NMC", "largest CINC among the state's partners in the phase"),
    "principal_enemy": ("Int64", True, "NMC", "ccode of the overlapping opposite-side state with the largest CINC"),
    "major_power": ("boolean", False, "COW majors", "COW major power in the phase's start year"),
    "outmatched": ("boolean", True, "derived", "capability_ratio < 0.5 (proxy for losing; favours cohesion)"),
    "symmetric": ("boolean", True, "derived", "leader_share <= 0.5 (favours cohesion)"),
    "common_adversary": ("boolean", True, "derived", "all members share one principal enemy (favours cohesion)"),
    "external_gt_internal": ("boolean", True, "derived", "enemy_cinc > largest_partner_cinc (favours cohesion)"),
    "systemic_index": ("Int64", True, "derived", "number of the four conditions favouring cohesion (0-4)"),
    "systemic_favorable": ("boolean", True, "derived", "systemic_index >= 3 (default)"),
    "exit_type": ("string", False, "COW war + overrides", f"how the spell ended: {', '.join(EXIT_TYPES)}"),
    "exit_source": ("string", False, "derived", "COW (derived from dates/outcome) or override (data/raw/exit_overrides.csv)"),
    "exit_reason": ("string", False, "derived", "one-line reason for exit_type"),
    "defected": ("Int64", False, "derived", "1 in the phase the spell ended by switched_sides or separate_peace"),
    "defected_strict": ("Int64", False, "COW war", "1 in the phase the spell ended by switched_sides"),
}

SCHEMA = pa.DataFrameSchema(
    {name: pa.Column(dtype, nullable=nullable) for name, (dtype, nullable, _, _) in COLUMNS.items()},
    checks=[pa.Check(lambda d: d["phase_start"] <= d["phase_end"], error="phase ends before it starts"),
            pa.Check(lambda d: d["days_at_risk"] >= 1, error="empty phase"),
            pa.Check(lambda d: d["exit_type"].isin(EXIT_TYPES), error="unknown exit_type"),
            pa.Check(lambda d: d["defected_strict"] <= d["defected"], error="strict defection not a defection")],
    unique=["war_num", "side", "ccode", "spell", "phase"], strict=True, ordered=True, name="state_phase_panel",
)


def codebook(panel: pd.DataFrame, settings: dict) -> str:
    lines = ["# Codebook: state-phase panel of wartime coalition members", "",
             "Generated by `make panel` from the panel's schema (`replication/panel/schema.py`); do not edit.", "",
             "Unit: one row per member of a wartime coalition (a COW war side on which at least two states' "
             "participation spells overlap) per phase. Key: war_num, side, ccode, spell, phase.", "",
             "Settings: " + "; ".join(f"{k} = {v}" for k, v in settings.items()) + ".", "",
             f"Rows: {len(panel)}; wars: {panel['war_num'].nunique()}; coalition sides: "
             f"{len(panel[['war_num', 'side']].drop_duplicates())}.", "",
             "| column | type | source | missing | meaning |", "|---|---|---|---|---|"]
    for name, (dtype, _, source, meaning) in COLUMNS.items():
        src = {"NMC": f"COW NMC v{settings.get('nmc_version')}", "BMR": f"Boix-Miller-Rosato v{settings.get('bmr_version')}",
               "Polity5": "Polity5 p5v2018", "COW war": "COW Inter-State War v4.0",
               "COW majors": "COW Major Powers 2016"}.get(source, source)
        lines.append(f"| `{name}` | {dtype} | {src} | {int(panel[name].isna().sum())} | {meaning} |")
    return "\n".join(lines) + "\n"
