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

__all__ = ["build_panel", "UNIVERSES", "create_participant_spells", "keep_coalition_members", "create_coalition_spells", "create_state_phases", "add_democracy", "add_bmr_democracy",
           "add_nmc", "add_major_power", "add_systemic_conditions", "add_formal_alliance", "add_regime_change",
           "add_exits", "at_risk", "classify_exits", "is_defection", "read_coalition_exits", "read_turning_points",
           "check_turning_points", "conditions_table", "SCHEMES", "EXIT_TYPES", "OUTCOMES", "HISTORICAL_OUTCOMES", "CONDITIONS",
           "INDEX_CONDITIONS", "COW_TO_REGIME"]


UNIVERSES = ("cow_interstate", "coalition_2001", "pooled")
#: the NMC version each universe uses by default: COW's war data's own vintage; v7.0, the latest, for the
#: 2001 coalitions (v4.0 ends in 2007 and v5.0 in 2012; v6.0 also reaches 2014)
DEFAULT_NMC = {"cow_interstate": "4.0", "coalition_2001": "7.0"}


def build_panel(scheme: str = "year", *, universe: str = "cow_interstate", nmc_version: str | None = None,
                bmr_version: str = "4.0", democracy_threshold: int = 6, max_leader_share: float = 0.5,
                favorable_min: int = 2, war: pd.DataFrame | None = None, exits: pd.DataFrame | None = None,
                turning_points: pd.DataFrame | None = None, validate: bool = True) -> pd.DataFrame:
    """Build the state-phase panel from the raw files (defaults: NMC v4.0, the war data's
    own vintage; Polity5 democracy at polity2 >= 6; BMR v4.0).

    ``universe``: "cow_interstate" (the default: the COW inter-state wars, the replication's universe,
    unchanged by the 2001 files, which it does not read), "coalition_2001" (the US-led coalitions in
    Afghanistan 2001-2014 and Iraq 2003-2011, from the authored files of
    :mod:`replication.panel.coalition2001`, NMC v7.0 by default) or "pooled" (both, stacked, each with its
    own default NMC version unless ``nmc_version`` is given; the ``universe`` column says which is which).
    ``war``, ``exits`` and ``turning_points`` replace the COW universe's inputs; for the 2001 universe the
    turning points of ``scheme="custom"`` are ``coalition_2001_turning_points.csv``.
    """
    from ..sources._csv import validate as _validate
    from .schema import SCHEMA

    if universe not in UNIVERSES:
        raise ValueError(f"universe must be one of {UNIVERSES}, got {universe!r}")
    settings = dict(bmr_version=bmr_version, democracy_threshold=democracy_threshold,
                    max_leader_share=max_leader_share, favorable_min=favorable_min)
    if universe == "pooled":
        cow = build_panel(scheme, universe="cow_interstate", nmc_version=nmc_version, war=war, exits=exits,
                          turning_points=turning_points, validate=False, **settings)
        new = build_panel(scheme, universe="coalition_2001", nmc_version=nmc_version, validate=False, **settings)
        # the COW part's storage types (datetime resolution, integer kind), so stacking changes neither part
        new = new.astype({c: cow[c].dtype for c in cow.columns if c in new and cow[c].dtype != new[c].dtype})
        panel = pd.concat([cow, new], ignore_index=True)
        nmc = "; ".join(f"{u}: {p.attrs['nmc_version']}" for u, p in (("cow_interstate", cow), ("coalition_2001", new)))
    elif universe == "coalition_2001":
        panel = _build_2001(scheme, nmc_version or DEFAULT_NMC[universe], **settings)
        nmc = nmc_version or DEFAULT_NMC[universe]
    else:
        nmc = nmc_version or DEFAULT_NMC[universe]
        panel = _build_cow(scheme, nmc, war=war, exits=exits, turning_points=turning_points, **settings)
    panel = panel[list(_columns())]
    panel.attrs.update(scheme=scheme, universe=universe, nmc_version=nmc, **settings)
    if validate:
        panel = _validate(SCHEMA, panel, path="state_phase_panel",
                          fix="A panel-building step produced an unexpected value; see the failure cases.")
    return panel


def _add_state_attributes(panel: pd.DataFrame, *, bmr_version: str, democracy_threshold: int) -> pd.DataFrame:
    """The joins every universe makes onto its coalition members: Polity5 democracy and regime change,
    BMR democracy, COW major power status and formal alliance with the coalition's leader."""
    from .. import sources

    polity = sources.read_polity5()
    panel = add_democracy(panel, polity, threshold=democracy_threshold)
    panel = add_regime_change(panel, polity)
    panel = add_bmr_democracy(panel, sources.read_bmr(bmr_version))
    panel = add_major_power(panel, sources.read_majors())
    return add_formal_alliance(panel, sources.read_alliances())


def _build_cow(scheme, nmc_version, *, bmr_version, democracy_threshold, max_leader_share, favorable_min, war,
               exits, turning_points) -> pd.DataFrame:
    from .. import sources

    war = sources.read_interstate_war() if war is None else war
    spells = create_participant_spells(war)
    # Phases of every participant: the states alone on their side are the enemies whose
    # capabilities the coalitions face; they are dropped once those are measured.
    panel = create_state_phases(spells, scheme, turning_points)
    panel = add_nmc(panel, sources.read_nmc(nmc_version))
    panel = keep_coalition_members(panel)
    panel = _add_state_attributes(panel, bmr_version=bmr_version, democracy_threshold=democracy_threshold)
    panel = add_systemic_conditions(panel, max_leader_share=max_leader_share, favorable_min=favorable_min)
    panel = add_exits(panel, spells[spells["coalition_member"]], exits)
    panel = panel.assign(universe="cow_interstate", fatality_rate=float("nan"), fatality_trend=float("nan"),
                         election_in_phase=pd.Series(pd.NA, index=panel.index, dtype="boolean"))
    return panel.sort_values(["war_num", "side", "ccode", "phase_start"], kind="stable", ignore_index=True)


def _build_2001(scheme, nmc_version, *, bmr_version, democracy_threshold, max_leader_share,
                favorable_min) -> pd.DataFrame:
    """The 2001 coalitions (:mod:`replication.panel.coalition2001`) through the COW universe's verbs."""
    from .. import sources
    from . import coalition2001 as c2001
    from .exits import EXITS_FILE
    from .systemic import add_systemic_conditions_2001

    contributors = c2001.read_contributors_2001()
    c2001.check_excluded_against_members(c2001.read_excluded_2001(), contributors)
    spells = c2001.contributor_spells(contributors)
    tp = c2001.read_turning_points_2001()[["war_num", "date", "source"]] if scheme == "custom" else None
    panel = create_state_phases(spells, scheme, tp)
    nmc = sources.read_nmc(nmc_version)
    c2001.warn_if_nmc_short(nmc)
    panel = add_nmc(panel, nmc)  # no enemy rows: enemy_cinc and the ratio stay NA (non-state adversary)
    panel = keep_coalition_members(panel)
    panel = _add_state_attributes(panel, bmr_version=bmr_version, democracy_threshold=democracy_threshold)
    panel = c2001.add_fatality_trend(panel, c2001.read_series_2001())
    panel = add_systemic_conditions_2001(panel, max_leader_share=max_leader_share, favorable_min=favorable_min)
    panel = add_exits(panel, spells, c2001.contributor_exits(contributors))
    panel["exit_source"] = panel["exit_source"].replace(EXITS_FILE, c2001.CONTRIBUTORS_FILE)
    panel = c2001.add_elections(panel, c2001.read_elections_2001())
    panel = panel.assign(universe=c2001.UNIVERSE)
    # whole numbers as the COW universe stores them (no NA possible)
    for col in ("spell", "spells_in_phase", "n_states_side"):
        panel[col] = panel[col].astype("int64")
    return panel.sort_values(["war_num", "side", "ccode", "phase_start"], kind="stable", ignore_index=True)


def _columns():
    from .schema import COLUMNS

    return COLUMNS.keys()
