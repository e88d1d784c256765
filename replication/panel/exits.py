"""How each member spell ended (``exit_type``) and the defection outcomes.

Derived from COW alone, in this order:

1. ``switched_sides``: the same state has a later spell on the other side of the same war;
2. ``transformed``: COW outcome 4 (the war became another type of war);
3. ``other`` (re-entered): the state has a later spell on the same side (a truce, then re-entry);
4. ``war_end``: the spell ends when the coalition's last member leaves.

Every other spell is an **early exit**, which the dates alone cannot classify
(conquest, separate peace, merger...). Those judgement calls are in the authored file
``data/raw/exit_overrides.csv``, one row per early exit with a one-line historical
reason, which users can audit and change. An override may also replace a derived
code. Early exits without an override are ``other`` and counted in a warning.

``defected`` is 1 in the phase in which a spell ends by ``switched_sides`` or
``separate_peace``; the state leaves that side's risk set afterwards.
``defected_strict`` counts side switches only (COW data alone).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from ._merge import checked_merge

EXIT_TYPES = ("war_end", "switched_sides", "separate_peace", "conquered", "transformed", "other")
DEFECTION = ("switched_sides", "separate_peace")
OVERRIDE_FILE = "exit_overrides.csv"
SPELL_KEY = ["war_num", "side", "ccode", "spell"]


def read_exit_overrides(path: str | Path | None = None) -> pd.DataFrame:
    path = authored_file(OVERRIDE_FILE, path)
    ov = pd.read_csv(path, dtype={"exit_type": "string", "reason": "string", "source": "string",
                                  "state_name": "string"})
    need = SPELL_KEY + ["exit_type", "reason", "source"]
    missing = [c for c in need if c not in ov.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; expected {need}.")
    bad = ~ov["exit_type"].isin(EXIT_TYPES)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        raise DataError(f"{path}: line {i + 2}: exit_type {ov['exit_type'].iloc[i]!r} is not one of {EXIT_TYPES}.")
    if ov["reason"].isna().any():
        raise DataError(f"{path}: line {int(ov['reason'].isna().to_numpy().argmax()) + 2}: every override needs a reason.")
    dup = ov.duplicated(SPELL_KEY, keep=False)
    if dup.any():
        raise DataError(f"{path}: spell(s) overridden twice: {ov.loc[dup, SPELL_KEY].to_dict('records')}.")
    return ov.astype({c: "Int64" for c in SPELL_KEY})


def classify_exits(spells: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per member spell: exit_type, exit_source, exit_reason."""
    ov = read_exit_overrides() if overrides is None else overrides
    s = spells[SPELL_KEY + ["start", "end", "outcome", "coalition_end", "state_name"]].copy()
    later = s.merge(s[["war_num", "side", "ccode", "start"]], on=["war_num", "ccode"], suffixes=("", "_o"))
    later = later[later["start_o"] > later["end"]]
    switched = later[later["side_o"] != later["side"]].drop_duplicates(SPELL_KEY)[SPELL_KEY].assign(_sw=True)
    reentered = later[later["side_o"] == later["side"]].drop_duplicates(SPELL_KEY)[SPELL_KEY].assign(_re=True)
    s = s.merge(switched, on=SPELL_KEY, how="left").merge(reentered, on=SPELL_KEY, how="left")
    s[["_sw", "_re"]] = s[["_sw", "_re"]].astype("boolean").fillna(False)

    s["exit_type"] = pd.Series(pd.NA, index=s.index, dtype="string")
    s["exit_source"] = pd.Series(pd.NA, index=s.index, dtype="string")
    s["exit_reason"] = pd.Series(pd.NA, index=s.index, dtype="string")
    rules = [
        (s["_sw"], "switched_sides", "COW", "fought on the other side of the same war afterwards"),
        (s["outcome"] == 4, "transformed", "COW", "COW outcome 4: the war was transformed into another type"),
        (s["_re"], "other", "COW", "re-entered the war on the same side (a later COW spell)"),
        (s["end"] >= s["coalition_end"], "war_end", "COW", "left when its coalition's last member left"),
    ]
    for mask, code, source, reason in rules:
        take = mask.fillna(False).astype(bool) & s["exit_type"].isna()
        s.loc[take, ["exit_type", "exit_source", "exit_reason"]] = [code, source, reason]

    s = s.merge(ov[SPELL_KEY + ["exit_type", "reason"]].rename(columns={"exit_type": "_ov", "reason": "_ovr"}),
                on=SPELL_KEY, how="left", validate="one_to_one")
    has = s["_ov"].notna()
    s.loc[has, "exit_type"] = s.loc[has, "_ov"]
    s.loc[has, "exit_source"] = "override"
    s.loc[has, "exit_reason"] = s.loc[has, "_ovr"]
    unknown = s["exit_type"].isna()
    if unknown.any():
        warnings.warn(f"classify_exits: {int(unknown.sum())} early exit(s) have no entry in {OVERRIDE_FILE} "
                      f"(e.g. {s.loc[unknown, SPELL_KEY + ['state_name']].head(3).to_dict('records')}); coded 'other'.",
                      stacklevel=2)
        s.loc[unknown, ["exit_type", "exit_source", "exit_reason"]] = ["other", "unclassified",
                                                                       "early exit without an override"]
    stale = ~ov.set_index(SPELL_KEY).index.isin(s.set_index(SPELL_KEY).index)
    if stale.any():
        raise DataError(f"{OVERRIDE_FILE}: override(s) for spells that are not coalition members: "
                        f"{ov.loc[stale, SPELL_KEY].to_dict('records')}. Check war_num/side/ccode/spell.")
    return s[SPELL_KEY + ["exit_type", "exit_source", "exit_reason"]]


def add_exits(panel: pd.DataFrame, spells: pd.DataFrame, overrides: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add exit_type (per spell), defected and defected_strict (in the exit phase), and drop
    a state's rows on a side after it defected from that side."""
    out = checked_merge(panel, classify_exits(spells, overrides), SPELL_KEY, what="add_exits")
    last = out["phase_end"] == out["spell_end"]
    out["defected"] = (last & out["exit_type"].isin(DEFECTION)).astype("Int64")
    out["defected_strict"] = (last & out["exit_type"].eq("switched_sides")).astype("Int64")
    first_defection = out["phase_end"].where(out["defected"] == 1).groupby(
        [out["war_num"], out["side"], out["ccode"]]).transform("min")
    after = first_defection.notna() & (out["phase_start"] > first_defection)
    return out[~after].reset_index(drop=True)
