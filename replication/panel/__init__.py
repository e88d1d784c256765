"""The cross-war state-phase panel, built the peacesciencer way.

One verb creates the unit; one verb per source joins onto it; every join keeps the
row count (checked)::

    from replication import sources
    from replication.panel import create_coalition_spells, create_state_phases, add_democracy, ...

    spells = create_participant_spells(sources.read_interstate_war())
    panel = create_state_phases(spells, scheme="year")
    panel = add_nmc(panel, sources.read_nmc("4.0"))   # needs every participant (enemies)
    panel = keep_coalition_members(panel)
    panel = add_democracy(panel, sources.read_polity5())
    ...

:func:`build_panel` runs the whole chain with the documented defaults.
"""

from __future__ import annotations

import pandas as pd

from .capabilities import add_major_power, add_nmc
from .exits import (EXIT_TYPES, HISTORICAL_OUTCOMES, OUTCOMES, add_exits, at_risk, classify_exits, is_defection,
                    read_coalition_exits)
from .moderators import add_formal_alliance, add_regime_change
from .regime import COW_TO_REGIME, add_bmr_democracy, add_democracy
from .systemic import CONDITIONS, INDEX_CONDITIONS, add_systemic_conditions, conditions_table
from .unit import (SCHEMES, check_turning_points, create_coalition_spells, create_participant_spells,
                   create_state_phases, keep_coalition_members, read_turning_points)

__all__ = ["build_panel", "create_participant_spells", "keep_coalition_members", "create_coalition_spells", "create_state_phases", "add_democracy", "add_bmr_democracy",
           "add_nmc", "add_major_power", "add_systemic_conditions", "add_formal_alliance", "add_regime_change",
           "add_exits", "at_risk", "classify_exits", "is_defection", "read_coalition_exits", "read_turning_points",
           "check_turning_points", "conditions_table", "SCHEMES", "EXIT_TYPES", "OUTCOMES", "HISTORICAL_OUTCOMES", "CONDITIONS",
           "INDEX_CONDITIONS", "COW_TO_REGIME"]


def build_panel(scheme: str = "year", *, nmc_version: str = "4.0", bmr_version: str = "4.0",
                democracy_threshold: int = 6, max_leader_share: float = 0.5, favorable_min: int = 2,
                war: pd.DataFrame | None = None, exits: pd.DataFrame | None = None,
                turning_points: pd.DataFrame | None = None, validate: bool = True) -> pd.DataFrame:
    """Build the state-phase panel from the raw files (defaults: NMC v4.0, the war data's
    own vintage; Polity5 democracy at polity2 >= 6; BMR v4.0)."""
    from .. import sources
    from ..sources._csv import validate as _validate
    from .schema import SCHEMA

    war = sources.read_interstate_war() if war is None else war
    spells = create_participant_spells(war)
    # Phases of every participant: the states alone on their side are the enemies whose
    # capabilities the coalitions face; they are dropped once those are measured.
    panel = create_state_phases(spells, scheme, turning_points)
    panel = add_nmc(panel, sources.read_nmc(nmc_version))
    panel = keep_coalition_members(panel)
    polity = sources.read_polity5()
    panel = add_democracy(panel, polity, threshold=democracy_threshold)
    panel = add_regime_change(panel, polity)
    panel = add_bmr_democracy(panel, sources.read_bmr(bmr_version))
    panel = add_major_power(panel, sources.read_majors())
    panel = add_formal_alliance(panel, sources.read_alliances())
    panel = add_systemic_conditions(panel, max_leader_share=max_leader_share, favorable_min=favorable_min)
    panel = add_exits(panel, spells[spells["coalition_member"]], exits)
    panel = panel.sort_values(["war_num", "side", "ccode", "phase_start"], kind="stable", ignore_index=True)
    panel = panel[list(_columns())]
    panel.attrs.update(scheme=scheme, nmc_version=nmc_version, bmr_version=bmr_version,
                       democracy_threshold=democracy_threshold, max_leader_share=max_leader_share,
                       favorable_min=favorable_min)
    if validate:
        panel = _validate(SCHEMA, panel, path="state_phase_panel",
                          fix="A panel-building step produced an unexpected value; see the failure cases.")
    return panel


def _columns():
    from .schema import COLUMNS

    return COLUMNS.keys()
