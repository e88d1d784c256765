"""The second universe: the US-led coalitions in Afghanistan (2001-2014) and Iraq (2003-2011).

COW's inter-state file holds only the two invasion wars (war 225, October-December 2001; war 227,
March-May 2003) and codes what followed as transformed wars outside it. This module builds the
coalitions' whole course from the project's authored files (``data/raw``, committed, pinned in
``authored.toml``), one reader each, every problem a :class:`~replication.errors.DataError` naming
the file, line, column and the fix:

``coalition_contributors_2001.csv`` (:func:`read_contributors_2001`)
    one row per member spell of either coalition: the war (9001 Afghanistan: Operation Enduring
    Freedom and ISAF, 2001-10-07 to 2014-12-31; 9002 Iraq: the invasion and the Multi-National
    Force, 2003-03-20 to 2011-12-18), entry and exit dates with their precision, peak troops, role,
    caveats, and the exit coded by the historical file's rule and vocabulary
    (:func:`replication.panel.exits.is_defection`), with evidence and two sources;
``coalition_2001_excluded.csv`` (:func:`read_excluded_2001`)
    the contributors below the inclusion threshold, with their peak and source;
``coalition_2001_turning_points.csv`` (:func:`read_turning_points_2001`)
    the custom scheme's phase boundaries, as ``phase_turning_points.csv`` plus ``event``;
``coalition_2001_series.csv`` (:func:`read_series_2001`)
    annual fatalities per war, the series the ``losing`` condition is read from;
``coalition_2001_elections.csv`` (:func:`read_elections_2001`)
    national elections and executive turnovers of members, with their sources.

Inclusion threshold (:data:`MIN_PEAK_TROOPS`): a state is a member when it deployed a formed
national military unit (platoon-sized or larger, under national command) to the coalition's
mission, operating in or over the country at war (Afghanistan; Iraq and its waters), with at least 50
military personnel at its peak. Naval units that served the coalition outside the country (OEF's
maritime interdiction and security in the Indian Ocean: Japan's refuelling ships, Pakistan's and
Bahrain's frigates) do not count; carrier aircraft flying over Afghanistan do. The second, independent
reading of the file (``coalition_contributors_2001_review.md``) asked for this line to be drawn one way
or the other, since the first version counted Japan's ships and not Pakistan's; it is drawn at the
country's territory and airspace. OEF and ISAF service is one membership,
and a gap of more than a year without a unit starts a new spell. A state qualifies through its
largest spell (Tonga's first Iraq spell peaked at 45, its second at 55).

The coalition is the partners as a whole: the leader's and the host government's public positions
at the time count as evidence of objection. A member that left when the coalition's own mandate
ended (the UN mandate in Iraq, 31 December 2008, and its Iraqi-law extension to 31 July 2009; the
end of ISAF) is a coalition-wide settlement; one that left in step with an agreed transition or with
the leader's consent withdrew with its partners (partners_objected "no" throughout); a unilateral
withdrawal while the coalition fought on stood aside; a deal with the insurgents is a separate
peace. ``last_organised_effort`` dates the end of a member's organised combat where the record puts
it more than 30 days before its exit (a combat mission ended while trainers stayed); the event is
placed there, as in the historical file.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from .exits import ABANDONMENT, EXIT_TYPES, LEAVING, MIN_GAP_DAYS, PARTNERS_OBJECTED, SPELL_KEY, _line_error
from .unit import check_turning_points

CONTRIBUTORS_FILE = "coalition_contributors_2001.csv"
EXCLUDED_FILE = "coalition_2001_excluded.csv"
TURNING_POINTS_FILE = "coalition_2001_turning_points.csv"
SERIES_FILE = "coalition_2001_series.csv"
ELECTIONS_FILE = "coalition_2001_elections.csv"
FILES = (CONTRIBUTORS_FILE, EXCLUDED_FILE, TURNING_POINTS_FILE, SERIES_FILE, ELECTIONS_FILE)

UNIVERSE = "coalition_2001"
#: war_num -> (name, first day, last day) of the two coalitions' wars
WARS: dict[int, tuple[str, str, str]] = {
    9001: ("Afghanistan (OEF and ISAF)", "2001-10-07", "2014-12-31"),
    9002: ("Iraq (invasion and MNF-I)", "2003-03-20", "2011-12-18"),
}
#: the adversary regime's fall, which ends each war's first phase (not losing there)
REGIME_FALL: dict[int, tuple[str, str]] = {
    9001: ("2001-11-13", "Kabul falls to Northern Alliance forces backed by US air power and special forces"),
    9002: ("2003-04-09", "Baghdad falls to US forces"),
}
MIN_PEAK_TROOPS = 50
PRECISIONS = ("day", "month", "year")
#: the exit types a contributor row may carry (COW's transformed wars and the 'unclassified' fallback are not)
EXIT_VOCABULARY = tuple(k for k in EXIT_TYPES if k not in ("transformed", "unclassified"))
#: exits that, by the file's written rule, carry partners_objected "no" (agreed, consented or coalition-wide)
CONSENTED = ("withdrew_with_partners", "aims_met", "coalition_settlement")
CONTRIBUTOR_COLUMNS = ["war_num", "side", "ccode", "state_name", "spell", "entry_date", "entry_date_precision",
                       "exit_date", "exit_date_precision", "peak_troops", "peak_date", "role", "caveats",
                       "exit_type", "partners_objected", "contested", "alt_exit_type", "alt_partners_objected",
                       "last_organised_effort", "leader_position", "host_position", "election_before_exit",
                       "evidence", "source", "source_2"]
SERIES_MEASURES = {"coalition": "fatalities_coalition", "us": "fatalities_us"}
_PEAK_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}(/\d{4}(-\d{2}){0,2})?$")


def _read(name: str, path, columns: list[str]) -> tuple[pd.DataFrame, Path]:
    path = authored_file(name, path)
    raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; expected {columns}. Restore the file with "
                        f"`git checkout -- data/raw/{name}` or add the column(s).")
    raw = raw[columns].apply(lambda s: s.str.strip()).replace("", pd.NA)
    return raw, path


def _whole(raw: pd.DataFrame, column: str, path, fix: str) -> pd.Series:
    num = pd.to_numeric(raw[column], errors="coerce")
    _line_error(path, num.isna() | (num % 1 != 0), raw, column, "not a whole number", fix)
    return num.astype("Int64")


def _date(raw: pd.DataFrame, column: str, path, *, required: bool = True) -> pd.Series:
    date = pd.to_datetime(raw[column], format="%Y-%m-%d", errors="coerce")
    bad = date.isna() if required else date.isna() & raw[column].notna()
    _line_error(path, bad, raw, column, "not a date", "Write it as YYYY-MM-DD"
                + ("" if required else ", or leave it empty") + ".")
    return date


def _war(raw: pd.DataFrame, path) -> pd.Series:
    war = _whole(raw, "war_num", path, f"Use {sorted(WARS)} (9001 Afghanistan, 9002 Iraq).")
    _line_error(path, ~war.isin(list(WARS)), raw, "war_num", "not one of the 2001 coalitions' wars",
                f"Use {sorted(WARS)} (9001 Afghanistan, 9002 Iraq).")
    return war


def _war_span(war: pd.Series) -> tuple[pd.Series, pd.Series]:
    start = pd.to_datetime(war.map(lambda w: WARS[int(w)][1]))
    end = pd.to_datetime(war.map(lambda w: WARS[int(w)][2]))
    return start, end


def read_contributors_2001(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check ``coalition_contributors_2001.csv`` (see the module docstring).

    Returns one typed row per member spell with ``file_line``. Every problem is a DataError naming the
    file, line, column and value, and saying what to do: a war or exit type outside the vocabulary, a
    date that is not YYYY-MM-DD or lies outside its war, a precision that the date contradicts (a month
    known entry not on the 1st, a month-known exit not on the month's last day), an exit before the
    entry, a state below the inclusion threshold, abandonment coded with the partners' agreement,
    a consented exit coded with an objection, a contested row without its alternative, a row without
    evidence or two sources, a last organised effort outside the spell or not more than 30 days before
    the exit, overlapping or misnumbered spells, and a repeated spell.
    """
    raw, path = _read(CONTRIBUTORS_FILE, path, CONTRIBUTOR_COLUMNS)
    out = raw.copy()
    out["war_num"] = _war(raw, path)
    out["side"] = _whole(raw, "side", path, "The coalitions are side 1.")
    _line_error(path, out["side"].ne(1), raw, "side", "the US-led coalition is side 1", "Write 1.")
    for col in ("ccode", "spell"):
        out[col] = _whole(raw, col, path, f"Give the COW {col} of the member spell.")
    _line_error(path, raw["state_name"].isna(), raw, "state_name", "empty", "Give the state's name.")
    for kind in ("entry", "exit"):
        col = f"{kind}_date"
        out[col] = _date(raw, col, path)
        prec = raw[f"{kind}_date_precision"]
        _line_error(path, ~prec.isin(PRECISIONS), raw, f"{kind}_date_precision", f"must be one of {PRECISIONS}",
                    "Say whether the day, only the month or only the year is known.")
    start, end = _war_span(out["war_num"])
    entry, exit_ = out["entry_date"], out["exit_date"]
    _line_error(path, entry.lt(start) | entry.gt(end), raw, "entry_date", "outside the war's dates",
                "A member enters between the war's first and last day (9001: 2001-10-07 to 2014-12-31; 9002: "
                "2003-03-20 to 2011-12-18); a year-known entry in the war's first year is the war's first day.")
    _line_error(path, exit_.lt(start) | exit_.gt(end), raw, "exit_date", "outside the war's dates",
                "A member's last unit leaves by the war's last day (the universe is truncated there).")
    _line_error(path, exit_.lt(entry), raw, "exit_date", "before the entry date", "Check both dates.")
    month_entry = raw["entry_date_precision"].eq("month") & entry.dt.day.ne(1)
    _line_error(path, month_entry, raw, "entry_date", "a month-known entry is dated the month's first day",
                "Write YYYY-MM-01, or set entry_date_precision to day.")
    month_exit = raw["exit_date_precision"].eq("month") & ~exit_.dt.is_month_end
    _line_error(path, month_exit, raw, "exit_date", "a month-known exit is dated the month's last day",
                "Write the month's last day, or set exit_date_precision to day.")
    year_entry = raw["entry_date_precision"].eq("year") & ~((entry.dt.month.eq(1) & entry.dt.day.eq(1)) | entry.eq(start))
    _line_error(path, year_entry, raw, "entry_date", "a year-known entry is dated 1 January (or the war's first day)",
                "Write YYYY-01-01, or set entry_date_precision.")
    year_exit = raw["exit_date_precision"].eq("year") & ~(exit_.dt.month.eq(12) & exit_.dt.day.eq(31))
    _line_error(path, year_exit, raw, "exit_date", "a year-known exit is dated 31 December",
                "Write YYYY-12-31, or set exit_date_precision.")
    out["peak_troops"] = _whole(raw, "peak_troops", path, "Give the highest number of military personnel found.")
    _line_error(path, out["peak_troops"].lt(0), raw, "peak_troops", "negative", "Give the number of personnel.")
    _line_error(path, raw["peak_date"].notna() & ~raw["peak_date"].fillna("").str.match(_PEAK_DATE), raw,
                "peak_date", "not a date, month, year or range", "Write YYYY, YYYY-MM, YYYY-MM-DD or a range "
                "FROM/TO of those, or leave it empty where the source gives none.")
    largest = out.groupby(["war_num", "ccode"])["peak_troops"].transform("max")
    _line_error(path, largest.lt(MIN_PEAK_TROOPS), raw, "peak_troops",
                f"below the inclusion threshold of {MIN_PEAK_TROOPS} military personnel in every spell",
                f"Move the state to {EXCLUDED_FILE}, or give the source for a peak of {MIN_PEAK_TROOPS} or more.")
    _line_error(path, ~raw["exit_type"].isin(EXIT_VOCABULARY), raw, "exit_type", "not an exit type",
                f"Use one of {list(EXIT_VOCABULARY)}.")
    _line_error(path, raw["alt_exit_type"].notna() & ~raw["alt_exit_type"].isin(EXIT_VOCABULARY), raw,
                "alt_exit_type", "not an exit type", f"Use one of {list(EXIT_VOCABULARY)}, or leave it empty.")
    for col in ("partners_objected", "alt_partners_objected"):
        bad = ~raw[col].isin(PARTNERS_OBJECTED) if col == "partners_objected" else \
            raw[col].notna() & ~raw[col].isin(PARTNERS_OBJECTED)
        _line_error(path, bad, raw, col, f"must be one of {PARTNERS_OBJECTED}",
                    "Say whether the partners objected (the leader's and the host's public positions count).")
    _line_error(path, raw["exit_type"].isin(ABANDONMENT) & raw["partners_objected"].isin(["no", "na"]), raw,
                "partners_objected", "standing aside or a separate peace that the partners agreed to (or with no "
                "partner) is not abandonment", "Code it withdrew_with_partners or coalition_settlement, or record "
                "the objection (yes) or a mixed record (unclear).")
    _line_error(path, raw["exit_type"].isin(CONSENTED) & raw["partners_objected"].ne("no"), raw,
                "partners_objected", "a consented, agreed or coalition-wide exit carries no objection",
                "Write no, or code the exit stood_aside (partners objected yes or unclear).")
    _line_error(path, raw["exit_type"].eq("war_end") & raw["partners_objected"].ne("na"), raw,
                "partners_objected", "the leader's war_end has no partner to object", "Write na.")
    last = out.groupby(["war_num", "side"])["exit_date"].transform("max")
    _line_error(path, raw["exit_type"].eq("war_end") & exit_.lt(last), raw, "exit_type",
                "war_end is for the member that fought until the coalition's last member stopped",
                "Code how this member left before the others (e.g. withdrew_with_partners, stood_aside).")
    contested = raw["contested"].str.lower().map({"true": True, "false": False})
    _line_error(path, contested.isna(), raw, "contested", "must be true or false", "Write true or false.")
    out["contested"] = contested.astype(bool)
    _line_error(path, out["contested"] & (raw["alt_exit_type"].isna() | raw["alt_partners_objected"].isna()), raw,
                "alt_exit_type", "a contested exit needs alt_exit_type and alt_partners_objected",
                "Give the alternative code and its partners_objected.")
    for col in ("evidence", "source", "source_2"):
        _line_error(path, raw[col].isna(), raw, col, "every contributor row needs evidence and two sources",
                    "Say what happened, with dates, and cite two sources (title, date, address).")
    out["last_organised_effort"] = _date(raw, "last_organised_effort", path, required=False)
    loe = out["last_organised_effort"]
    _line_error(path, loe.notna() & (loe.lt(entry) | loe.gt(exit_)), raw, "last_organised_effort",
                "outside the spell", "The last organised effort lies between the entry and the exit.")
    _line_error(path, loe.notna() & ((exit_ - loe).dt.days <= MIN_GAP_DAYS), raw, "last_organised_effort",
                f"not more than {MIN_GAP_DAYS} days before the exit",
                f"Fill it only where organised combat ended more than {MIN_GAP_DAYS} days before the exit; "
                "otherwise leave it empty (the exit date stands).")
    out["file_line"] = pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="Int64")
    _line_error(path, out.duplicated(SPELL_KEY, keep="first"), raw, "spell", "this spell is listed twice",
                "Keep one row per (war_num, side, ccode, spell).")
    order = out.sort_values(["war_num", "ccode", "entry_date"], kind="stable")
    expected = order.groupby(["war_num", "ccode"]).cumcount() + 1
    previous_exit = order.groupby(["war_num", "ccode"])["exit_date"].shift()
    bad_number = pd.Series(False, index=out.index)
    bad_number.loc[order.index] = order["spell"].ne(expected).to_numpy()
    _line_error(path, bad_number, raw, "spell", "spells are numbered 1, 2, ... in the order of entry",
                "Renumber the state's spells in this war by entry date.")
    overlap = pd.Series(False, index=out.index)
    overlap.loc[order.index] = (order["entry_date"] <= previous_exit).fillna(False).to_numpy()
    _line_error(path, overlap, raw, "entry_date", "this spell starts before the state's previous spell ended",
                "Merge the spells (a gap of a year or less is one spell) or correct the dates.")
    out.attrs["path"] = str(path)
    return out


def read_excluded_2001(path: str | Path | None = None) -> pd.DataFrame:
    """``coalition_2001_excluded.csv``: contributors left out (below the threshold or outside the
    missions), each with its peak (text: a number, a range or 'unknown', as the sources give it), the
    reason and a source."""
    raw, path = _read(EXCLUDED_FILE, path, ["war_num", "ccode", "state_name", "peak", "reason", "source"])
    out = raw.copy()
    out["war_num"] = _war(raw, path)
    out["ccode"] = _whole(raw, "ccode", path, "Give the COW ccode.")
    for col in ("state_name", "peak", "reason", "source"):
        _line_error(path, raw[col].isna(), raw, col, "empty", "Every excluded state needs its peak, the reason "
                    "and a source.")
    _line_error(path, out.duplicated(["war_num", "ccode"]), raw, "ccode", "listed twice in this war", "Keep one row.")
    return out


def read_turning_points_2001(path: str | Path | None = None) -> pd.DataFrame:
    """``coalition_2001_turning_points.csv``: the custom scheme's cuts (war_num, date, source, event)."""
    raw, path = _read(TURNING_POINTS_FILE, path, ["war_num", "date", "source", "event"])
    _war(raw, path)
    _line_error(path, raw["event"].isna(), raw, "event", "empty", "Say what happened on the date.")
    tp = check_turning_points(raw.fillna(""), path, pd.Series(list(WARS)))
    start, end = _war_span(tp["war_num"])
    _line_error(path, (tp["date"] <= start) | (tp["date"] > end), raw, "date", "not inside the war",
                "A turning point lies after the war's first day and no later than its last.")
    return tp.assign(event=raw["event"].astype("string"))


def read_series_2001(path: str | Path | None = None) -> pd.DataFrame:
    """``coalition_2001_series.csv``: annual fatalities per war (war_num, year, fatalities_coalition,
    fatalities_us, measure, source, source_2, note). ``measure`` names the column the ``losing`` rule
    reads for the war ("coalition": every member's deaths; "us": the leader's, where no coalition-wide
    series could be verified). Every year of each war must be present once, with the measured column
    filled; a blank count is missing (NA), never 0."""
    cols = ["war_num", "year", "fatalities_coalition", "fatalities_us", "measure", "source", "source_2", "note"]
    raw, path = _read(SERIES_FILE, path, cols)
    out = raw.copy()
    out["war_num"] = _war(raw, path)
    out["year"] = _whole(raw, "year", path, "Give the calendar year.")
    for col in ("fatalities_coalition", "fatalities_us"):
        num = pd.to_numeric(raw[col], errors="coerce")
        _line_error(path, raw[col].notna() & (num.isna() | (num % 1 != 0) | (num < 0)), raw, col,
                    "not a count", "Give a whole number of deaths, or leave it empty where no cited figure exists.")
        out[col] = num.astype("Int64")
    _line_error(path, ~raw["measure"].isin(list(SERIES_MEASURES)), raw, "measure",
                f"must be one of {list(SERIES_MEASURES)}", "Name the column the losing rule reads.")
    measured = pd.Series([out.loc[i, SERIES_MEASURES[m]] if m in SERIES_MEASURES else pd.NA
                          for i, m in raw["measure"].items()], index=raw.index)
    _line_error(path, measured.isna(), raw, "measure", "the measured column is empty",
                "Fill the count the rule reads, or change measure.")
    _line_error(path, raw["source"].isna(), raw, "source", "empty", "Cite the series.")
    _line_error(path, out.duplicated(["war_num", "year"]), raw, "year", "listed twice", "Keep one row per war-year.")
    mixed = out.groupby("war_num")["measure"].transform("nunique") > 1
    _line_error(path, mixed, raw, "measure", "a war's years must use one measure", "Use one measure per war.")
    start, end = _war_span(out["war_num"])
    _line_error(path, out["year"].lt(start.dt.year) | out["year"].gt(end.dt.year), raw, "year",
                "outside the war's years", "Keep the war's calendar years only.")
    for war, (_, first, last) in WARS.items():
        have = set(out.loc[out["war_num"] == war, "year"].astype(int))
        need = set(range(int(first[:4]), int(last[:4]) + 1))
        if need - have:
            raise DataError(f"{path}: war {war} lacks the year(s) {sorted(need - have)}; the losing rule needs every "
                            "year of the war. Add them with a cited count.")
    out["fatalities"] = measured.astype("float64")
    return out


def read_elections_2001(path: str | Path | None = None) -> pd.DataFrame:
    """``coalition_2001_elections.csv``: national elections and executive turnovers of members (war_num,
    ccode, state_name, date, kind, what_changed, linked_to_withdrawal, source)."""
    cols = ["war_num", "ccode", "state_name", "date", "kind", "what_changed", "linked_to_withdrawal", "source"]
    raw, path = _read(ELECTIONS_FILE, path, cols)
    out = raw.copy()
    out["war_num"] = _war(raw, path)
    out["ccode"] = _whole(raw, "ccode", path, "Give the COW ccode.")
    out["date"] = _date(raw, "date", path)
    for col in ("kind", "source"):
        _line_error(path, raw[col].isna(), raw, col, "empty", "Say what kind of event it was and cite it.")
    return out


def contributor_spells(contributors: pd.DataFrame) -> pd.DataFrame:
    """The member spells in the layout :func:`replication.panel.unit.create_participant_spells` gives for
    COW wars (start, end, coalition_member, n_states_side, coalition_end, war_start, war_end; outcome NA:
    COW has no outcome code for these wars)."""
    c = contributors
    start, end = _war_span(c["war_num"])
    s = pd.DataFrame({
        "war_num": c["war_num"].astype("Int64"), "war_name": c["war_num"].map(lambda w: WARS[int(w)][0]).astype("string"),
        "side": c["side"].astype("Int64"), "ccode": c["ccode"].astype("Int64"),
        "state_name": c["state_name"].astype("string"), "spell": c["spell"].astype("Int64"),
        "start": c["entry_date"], "end": c["exit_date"], "outcome": pd.Series(pd.NA, index=c.index, dtype="Int64"),
        "coalition_member": pd.Series(True, index=c.index, dtype="boolean"),
        "war_start": start, "war_end": end})
    s["n_states_side"] = s.groupby(["war_num", "side"])["ccode"].transform("nunique").astype("Int64")
    s["coalition_end"] = s.groupby(["war_num", "side"])["end"].transform("max")
    return s.sort_values(["war_num", "side", "ccode", "spell"], kind="stable", ignore_index=True)


def contributor_exits(contributors: pd.DataFrame) -> pd.DataFrame:
    """The contributor rows as the historical exit file's reader returns them, so that
    :func:`replication.panel.exits.classify_exits` applies the same rule to both universes.

    ``turned_arms`` is "no" for a member that left (no contributor turned its arms on a former partner)
    and "na" otherwise; no contributor lacks a real partner; no theatre rule applies."""
    c = contributors
    leaving = c["exit_type"].isin(LEAVING)
    out = c[SPELL_KEY + ["state_name", "exit_type", "exit_date", "partners_objected", "contested", "alt_exit_type",
                         "alt_partners_objected", "last_organised_effort", "evidence", "source", "source_2",
                         "file_line"]].copy()
    out["turned_arms"] = pd.Series(np.where(leaving, "no", "na"), index=c.index, dtype="string")
    out["alt_turned_arms"] = pd.Series(pd.NA, index=c.index, dtype="string")
    out["no_real_partner"] = False
    out["theatre"] = pd.Series(pd.NA, index=c.index, dtype="string")
    out.attrs["path"] = c.attrs.get("path", CONTRIBUTORS_FILE)
    return out


def fatality_rates(segments: pd.DataFrame, series: pd.DataFrame) -> pd.Series:
    """Deaths per day in each coalition-phase segment (columns war_num, seg_start, seg_end), from the
    annual counts spread evenly over each year's days at war: sum_y count_y x (days of the segment in
    year y) / (days at war in year y), over the segment's days. A calendar-year segment's rate is its
    year's count over its days at war, so in the year scheme a rise in the rate is a rise in the count
    (every year but a war's first and last is a full year)."""
    rates = []
    for seg in segments.itertuples():
        w_start, w_end = (pd.Timestamp(d) for d in WARS[int(seg.war_num)][1:])
        lo, hi = max(seg.seg_start, w_start), min(seg.seg_end, w_end)
        total = 0.0
        for year in range(lo.year, hi.year + 1):
            row = series[(series["war_num"] == seg.war_num) & (series["year"] == year)]
            if row.empty:
                raise DataError(f"{SERIES_FILE}: no count for war {seg.war_num} in {year}; add it with a source.")
            at_war = (min(pd.Timestamp(year, 12, 31), w_end) - max(pd.Timestamp(year, 1, 1), w_start)).days + 1
            inside = (min(pd.Timestamp(year, 12, 31), hi) - max(pd.Timestamp(year, 1, 1), lo)).days + 1
            total += float(row["fatalities"].iloc[0]) * inside / at_war
        rates.append(total / ((hi - lo).days + 1))
    return pd.Series(rates, index=segments.index, dtype="float64")


def add_fatality_trend(panel: pd.DataFrame, series: pd.DataFrame) -> pd.DataFrame:
    """``fatality_rate`` (the coalition-phase's deaths per day, :func:`fatality_rates`, on the phase's
    calendar segment) and ``fatality_trend`` (the rate minus the war's previous phase's; NA in each war's
    first phase, which contains the fall of the adversary's regime and has no previous phase)."""
    group = ["war_num", "side", "phase"]
    seg = panel.groupby(group, sort=False).agg(seg_end=("segment_end", "first")).reset_index()
    # a segment starts the day after the war's previous segment ends (members may enter later), the first
    # on the war's first day: calendar years in the year scheme, the spans between turning points in the custom
    seg = seg.sort_values(["war_num", "side", "seg_end"], kind="stable")
    prev_end = seg.groupby(["war_num", "side"])["seg_end"].shift()
    war_start = pd.to_datetime(seg["war_num"].map(lambda w: WARS[int(w)][1]))
    seg["seg_start"] = (prev_end + pd.Timedelta(days=1)).where(prev_end.notna(), war_start)
    seg["fatality_rate"] = fatality_rates(seg, series)
    seg["fatality_trend"] = seg.groupby(["war_num", "side"])["fatality_rate"].diff()
    out = panel.merge(seg[group + ["fatality_rate", "fatality_trend"]], on=group, how="left", validate="many_to_one")
    return out


def add_elections(panel: pd.DataFrame, elections: pd.DataFrame) -> pd.DataFrame:
    """``election_in_phase``: True where the elections file lists a national election or executive
    turnover of the member dated inside the phase (phase_start to phase_end); NA otherwise. Never False:
    the file records the elections the research examined for the members' deployment decisions, not
    every member's every election, so a phase without a listed election may still have had one."""
    rows = panel[["war_num", "ccode", "phase_start", "phase_end"]].reset_index().merge(
        elections[["war_num", "ccode", "date"]], on=["war_num", "ccode"])
    hit = rows[(rows["date"] >= rows["phase_start"]) & (rows["date"] <= rows["phase_end"])]["index"].unique()
    out = panel.copy()
    flag = pd.Series(pd.NA, index=out.index, dtype="boolean")
    flag.loc[hit] = True
    out["election_in_phase"] = flag
    return out


def check_excluded_against_members(excluded: pd.DataFrame, contributors: pd.DataFrame) -> None:
    """A state cannot be both a member and excluded in the same war."""
    both = excluded.merge(contributors[["war_num", "ccode"]].drop_duplicates(), on=["war_num", "ccode"])
    if len(both):
        r = both.iloc[0]
        raise DataError(f"{EXCLUDED_FILE}: {r['state_name']} (ccode {r['ccode']}) in war {r['war_num']} is also a "
                        f"member in {CONTRIBUTORS_FILE}; keep it in one file.")


def democracy_share(panel: pd.DataFrame) -> pd.DataFrame:
    """Share of state-phases with a democratic regime (Polity5 and BMR), per universe, among the rows
    where the measure is known; the counts say how many rows that is."""
    rows = []
    for universe, d in panel.groupby("universe", sort=False):
        for col, name in (("democracy", "Polity5 polity2_lag >= threshold"), ("democracy_bmr", "BMR")):
            known = d[col].dropna()
            rows.append({"universe": universe, "measure": name, "state_phases": len(d), "known": len(known),
                         "democratic": int(known.astype(bool).sum()),
                         "share": float(known.astype(bool).mean()) if len(known) else np.nan})
    return pd.DataFrame(rows)


def warn_if_nmc_short(nmc: pd.DataFrame) -> None:
    lo, hi = nmc.attrs.get("coverage", (int(nmc["year"].min()), int(nmc["year"].max())))
    last = max(int(w[2][:4]) for w in WARS.values())
    if hi < last:
        warnings.warn(f"NMC v{nmc['nmc_version'].iloc[0]} ends in {hi}; the 2001 coalitions run to {last}, so later "
                      "phases get NA capabilities. Use NMC v7.0 (the default for this universe).", stacklevel=3)
