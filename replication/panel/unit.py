"""The unit of analysis: members of wartime coalitions, split into phases.

:func:`create_coalition_spells` finds the coalitions in the COW inter-state war data:
a war side on which at least two states' participation spells overlap in time. Every
state on such a side is a member, with each of its spells; a side switcher appears
on each side for its own dates.

:func:`create_state_phases` splits each member spell into phases (rows):

``scheme="year"`` (default)
    one row per calendar year of participation, clipped to the spell's dates;
``scheme="half"``
    before and after the war's midpoint (halfway between the first entry and the last exit);
``scheme="custom"``
    segments between turning points read from ``data/raw/phase_turning_points.csv``
    (e.g. Resnick 2013's July 1944 split of WWII); wars without turning points form one phase.

``days_at_risk`` counts the days of the phase the state spent in the war (both ends included).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from ..sources.cow_war import participation_spells

SCHEMES = ("year", "half", "custom")
TURNING_POINTS_FILE = "phase_turning_points.csv"


def create_participant_spells(war: pd.DataFrame) -> pd.DataFrame:
    """Every participation spell, flagged ``coalition_member`` (see module docstring).

    Non-members (states alone on their side) are kept because they are the enemies
    whose capabilities the coalition faces; :func:`keep_coalition_members` drops them
    once those are measured.
    """
    spells = participation_spells(war)
    # A side is a coalition if two different states' spells on it overlap in time.
    pairs = spells.merge(spells, on=["war_num", "side"], suffixes=("", "_o"))
    pairs = pairs[(pairs["ccode"] != pairs["ccode_o"]) & (pairs["start"] <= pairs["end_o"])
                  & (pairs["start_o"] <= pairs["end"])]
    coalition_sides = pairs[["war_num", "side"]].drop_duplicates().assign(coalition_member=True)
    spells = spells.merge(coalition_sides, on=["war_num", "side"], how="left", validate="many_to_one")
    spells["coalition_member"] = spells["coalition_member"].astype("boolean").fillna(False)
    spells["n_states_side"] = spells.groupby(["war_num", "side"])["ccode"].transform("nunique")
    spells["coalition_end"] = spells.groupby(["war_num", "side"])["end"].transform("max")
    war_span = spells.groupby("war_num").agg(war_start=("start", "min"), war_end=("end", "max")).reset_index()
    spells = spells.merge(war_span, on="war_num", how="left", validate="many_to_one")
    return spells.sort_values(["war_num", "side", "ccode", "spell"], kind="stable", ignore_index=True)


def create_coalition_spells(war: pd.DataFrame) -> pd.DataFrame:
    """Member spells of every coalition side: one row per (war_num, side, ccode, spell)."""
    spells = create_participant_spells(war)
    return spells[spells["coalition_member"]].reset_index(drop=True)


def keep_coalition_members(panel: pd.DataFrame) -> pd.DataFrame:
    """Drop the rows of states alone on their side (kept until now as enemies)."""
    return panel[panel["coalition_member"].astype(bool)].drop(columns="coalition_member").reset_index(drop=True)


def read_turning_points(path: str | Path | None = None) -> pd.DataFrame:
    """Turning points for ``scheme="custom"``: war_num, date, source."""
    path = authored_file(TURNING_POINTS_FILE, path)
    return check_turning_points(pd.read_csv(path, dtype="string", keep_default_na=False), path)


def check_turning_points(tp: pd.DataFrame, path: str | Path = "turning_points",
                         wars: pd.Series | None = None) -> pd.DataFrame:
    """Parse and check turning points (from the file or passed in by a caller).

    A repeated (war_num, date), a war the war data does not have, a date that is not
    YYYY-MM-DD, or a missing source is a :class:`DataError` naming the line.
    """
    missing = {"war_num", "date", "source"} - set(tp.columns)
    if missing:
        raise DataError(f"{path}: missing column(s) {sorted(missing)}; expected war_num, date, source.")
    tp = tp.reset_index(drop=True)
    war = pd.to_numeric(tp["war_num"], errors="coerce")
    date = (tp["date"] if pd.api.types.is_datetime64_any_dtype(tp["date"])
            else pd.to_datetime(tp["date"].astype("string"), format="%Y-%m-%d", errors="coerce"))

    def fail(mask, message):
        if mask.any():
            i = int(np.asarray(mask).argmax())
            raise DataError(f"{path}: line {i + 2} (war_num {tp['war_num'].iloc[i]!r}, date {tp['date'].iloc[i]!r}): "
                            f"{message}")

    fail(war.isna() | (war % 1 != 0), "war_num must be a COW war number.")
    fail(date.isna(), "date must be YYYY-MM-DD.")
    fail(tp["source"].isna() | tp["source"].astype("string").str.strip().eq(""),
         "every turning point needs a source (the paper's page or section).")
    out = pd.DataFrame({"war_num": war.astype("Int64"), "date": date, "source": tp["source"].astype("string")})
    fail(out.duplicated(["war_num", "date"], keep="first"), "this turning point is listed twice; keep one row.")
    if wars is not None:
        fail(~out["war_num"].isin(pd.Series(wars).astype("Int64")),
             "no such war in the COW war data; check war_num.")
    return out


def _segments(spells: pd.DataFrame, scheme: str, turning_points: pd.DataFrame | None) -> pd.DataFrame:
    """Per war: phase label, segment start and end."""
    wars = spells[["war_num", "war_start", "war_end"]].drop_duplicates("war_num")
    if scheme == "year":
        first, last = wars["war_start"].dt.year.to_numpy(), wars["war_end"].dt.year.to_numpy()
        n = last - first + 1
        seg = pd.DataFrame({"war_num": np.repeat(wars["war_num"].to_numpy(), n)})
        seg["year"] = np.concatenate([np.arange(a, b + 1) for a, b in zip(first, last)])
        seg["phase"] = seg["year"].astype(str)
        seg["seg_start"] = pd.to_datetime(dict(year=seg["year"], month=1, day=1))
        seg["seg_end"] = pd.to_datetime(dict(year=seg["year"], month=12, day=31))
        return seg.drop(columns="year")
    if scheme == "half":
        mid = wars["war_start"] + (wars["war_end"] - wars["war_start"]) / 2
        mid = mid.dt.normalize()
        h1 = pd.DataFrame({"war_num": wars["war_num"], "phase": "H1", "seg_start": wars["war_start"],
                           "seg_end": mid - pd.Timedelta(days=1)})
        h2 = pd.DataFrame({"war_num": wars["war_num"], "phase": "H2", "seg_start": mid, "seg_end": wars["war_end"]})
        return pd.concat([h1, h2], ignore_index=True)
    if scheme == "custom":
        # checked against the wars of the data: a typo in war_num is an error, not a silent no-op
        where = TURNING_POINTS_FILE if turning_points is None else "turning_points (argument)"
        tp = read_turning_points() if turning_points is None else turning_points
        tp = check_turning_points(tp, where, spells["war_num"])
        rows = []
        for w in wars.itertuples():  # a few dozen wars: clearer than a vectorised interval split
            cuts = sorted(d for d in tp.loc[tp["war_num"] == w.war_num, "date"] if w.war_start < d <= w.war_end)
            starts = [w.war_start, *cuts]
            ends = [c - pd.Timedelta(days=1) for c in cuts] + [w.war_end]
            rows += [(w.war_num, f"P{i + 1}", s, e) for i, (s, e) in enumerate(zip(starts, ends))]
        return pd.DataFrame(rows, columns=["war_num", "phase", "seg_start", "seg_end"])
    raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")


def create_state_phases(spells: pd.DataFrame, scheme: str = "year",
                        turning_points: pd.DataFrame | None = None) -> pd.DataFrame:
    """Split member spells into state-phases (see module docstring).

    Two spells of one state on one side that fall in the same phase (a truce and
    re-entry within a year) form **one** row, so (war_num, side, ccode, phase) is a key:
    ``days_at_risk`` sums the days at war, ``spell`` is the later spell and
    ``spells_in_phase`` counts them.
    """
    seg = _segments(spells, scheme, turning_points)
    rows = spells.merge(seg, on="war_num", how="inner")
    rows["phase_start"] = rows[["start", "seg_start"]].max(axis=1)
    rows["phase_end"] = rows[["end", "seg_end"]].min(axis=1)
    rows = rows[rows["phase_start"] <= rows["phase_end"]].copy()
    rows["days_at_risk"] = (rows["phase_end"] - rows["phase_start"]).dt.days + 1
    rows = rows.rename(columns={"start": "spell_start", "end": "spell_end", "seg_end": "segment_end"})
    rows = rows.sort_values(["war_num", "side", "ccode", "phase_start"], kind="stable", ignore_index=True)
    rows["first_entry"] = rows.groupby(["war_num", "side", "ccode"])["spell_start"].transform("min")
    key = ["war_num", "side", "ccode", "phase"]
    g = rows.groupby(key, sort=False)
    rows = rows.assign(phase_start=g["phase_start"].transform("min"), days_at_risk=g["days_at_risk"].transform("sum"),
                       spells_in_phase=g["spell"].transform("size")).drop_duplicates(key, keep="last")
    rows["year"] = rows["phase_start"].dt.year.astype("Int64")
    rows = rows.sort_values(["war_num", "side", "ccode", "phase_start"], kind="stable", ignore_index=True)
    rows["phase_index"] = rows.groupby(["war_num", "side", "ccode"]).cumcount() + 1
    rows["years_since_entry"] = ((rows["phase_start"] - rows["first_entry"]).dt.days / 365.25).round(4)
    rows["scheme"] = scheme
    keep = ["war_num", "war_name", "side", "ccode", "state_name", "spell", "spells_in_phase", "phase", "phase_index",
            "scheme", "phase_start", "phase_end", "segment_end", "days_at_risk", "year", "years_since_entry", "spell_start",
            "spell_end", "war_start", "war_end", "coalition_end", "n_states_side", "outcome", "coalition_member"]
    return rows[keep]
