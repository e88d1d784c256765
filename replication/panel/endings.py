"""The two companion files of the exit coding: how every coalition war ended, and when every member
last fought.

``data/raw/coalition_war_endings.csv`` (one row per coalition side of each coalition war)
    who made the settlement that ended the war and whether every partner agreed, with a verdict:
    ``coalition_wide_settlement``, ``war_ending_defection`` (one member's own armistice or separate
    peace ended the war without or against a partner's agreement; that member has a
    ``separate_peace_ending_war`` row in the exit file), ``conquest_or_collapse``,
    ``separate_settlements``, ``transformed`` or ``other``. It lets a reader see the wars checked
    and found clean as well as those coded.

``data/raw/coalition_member_efforts.csv`` (one row per coalition member spell)
    the search for each member's last organised military effort against the enemy, applied to
    every member and not only to suspected cases: the date, its gap to the COW end date and a
    verdict, ``fought_to_cow_end`` (the gap is at most 30 days either way), ``stopped_early``
    (more than 30 days before its COW end AND before its partners stopped, who fought on; the
    exit file then carries the same ``last_organised_effort``), ``coalition_stopped_together``
    (more than 30 days before its COW end only because every member stopped together and COW
    dates the end by a later instrument, as the Gulf War coalition on 28 February 1991 against
    COW's 11 April; no exit) or ``after_cow_end`` (it fought on more than 30 days after COW's
    date, which does not move the event). The 30-day rule is relative to the partners, not to
    COW's date (the lead's decision of issue 19): a member's partners are the other states on
    its war side, each dated by its own row's ``last_organised_effort`` (else its COW end).

:func:`read_war_endings` and :func:`read_member_efforts` check each file line by line. The cross
checks need the COW spells and the exit file: :func:`check_war_endings` and
:func:`check_member_efforts` always raise a :class:`DataError` (naming the file, line and fix) on a
contradiction between the files, and on missing coverage (a coalition side or member spell with no
row) either raise (``complete=True``) or return the missing units, so that an exhibit can list them
while the research is incomplete.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from .exits import (EXITS_FILE, MIN_GAP_DAYS, PARTNERS_OBJECTED, SPELL_KEY, _dates, _line_error,
                    read_coalition_exits)

ENDINGS_FILE = "coalition_war_endings.csv"
EFFORTS_FILE = "coalition_member_efforts.csv"
SIDE_KEY = ["war_num", "side"]
#: verdict -> meaning (the vocabulary of the war-endings file)
ENDING_VERDICTS: dict[str, str] = {
    "coalition_wide_settlement": "an armistice or peace made for (or accepted by) the whole coalition",
    "war_ending_defection": "one member's own armistice or separate peace ended the war for the coalition, made "
                            "without or against a partner's agreement (a separate_peace_ending_war exit)",
    "conquest_or_collapse": "the coalition (or its last member) was conquered or collapsed",
    "separate_settlements": "the members made their own armistices in turn, none of which ended the war for the "
                            "others against their wishes",
    "transformed": "the war became another type of war (COW outcome 4)",
    "other": "none of the above (say what in the evidence)",
}
PARTNERS_AGREED = PARTNERS_OBJECTED  # yes, no, unclear, na
#: verdict -> meaning (the vocabulary of the member-efforts file)
EFFORT_VERDICTS: dict[str, str] = {
    "fought_to_cow_end": f"its last organised military effort was at most {MIN_GAP_DAYS} days before or after its "
                         "COW end",
    "stopped_early": f"its last organised military effort was more than {MIN_GAP_DAYS} days before its COW end and "
                     f"more than {MIN_GAP_DAYS} days before a partner's (the coalition fought on); the exit file "
                     "dates its exit by it",
    "coalition_stopped_together": f"its last organised military effort was more than {MIN_GAP_DAYS} days before its "
                                  f"COW end only because every member stopped together (no partner fought on more "
                                  f"than {MIN_GAP_DAYS} days longer) and COW dates the end by a later instrument: "
                                  "no exit",
    "after_cow_end": f"it fought on more than {MIN_GAP_DAYS} days after its COW end date (the event stays at COW's "
                     "date)",
}
#: verdicts whose gap is more than MIN_GAP_DAYS days (the partners decide between them)
BEFORE_COW_END = ("stopped_early", "coalition_stopped_together")
ENDINGS_COLUMNS = ["war_num", "side", "war_name", "ending_date", "instrument", "made_by", "partners_agreed",
                   "verdict", "member_ccode", "evidence", "source", "source_2"]
EFFORTS_COLUMNS = SPELL_KEY + ["state_name", "cow_end", "last_organised_effort", "gap_days", "verdict", "evidence",
                               "source", "source_2"]


def _read(name: str, path, columns: list[str]) -> tuple[Path, pd.DataFrame]:
    path = authored_file(name, path)
    raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; expected {columns}.")
    return path, raw[columns].apply(lambda s: s.str.strip()).replace("", pd.NA)


def _whole_numbers(raw: pd.DataFrame, out: pd.DataFrame, path, columns, *, optional=()) -> None:
    for col in columns:
        num = pd.to_numeric(raw[col], errors="coerce")
        bad = (num.isna() | (num % 1 != 0)) if col not in optional else raw[col].notna() & (num.isna() | (num % 1 != 0))
        _line_error(path, bad, raw, col, "not a whole number", f"Give the COW {col}." +
                    (" Or leave it empty." if col in optional else ""))
        out[col] = num.astype("Int64")


def _required_text(raw: pd.DataFrame, path, columns, fix: str) -> None:
    for col in columns:
        _line_error(path, raw[col].isna(), raw, col, "every row needs it", fix)


def read_war_endings(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check ``coalition_war_endings.csv`` line by line (see the module docstring)."""
    path, raw = _read(ENDINGS_FILE, path, ENDINGS_COLUMNS)
    out = raw.copy()
    _whole_numbers(raw, out, path, ["war_num", "side"])
    _whole_numbers(raw, out, path, ["member_ccode"], optional=("member_ccode",))
    _line_error(path, ~out["side"].isin([1, 2]), raw, "side", "must be 1 or 2", "Give the COW side.")
    out["ending_date"] = _dates(raw, "ending_date", path, required=True)
    _line_error(path, ~raw["partners_agreed"].isin(PARTNERS_AGREED), raw, "partners_agreed",
                f"must be one of {PARTNERS_AGREED}", "Say whether every partner agreed to the instrument that ended "
                "the war (na: no partner was left).")
    _line_error(path, ~raw["verdict"].isin(list(ENDING_VERDICTS)), raw, "verdict", "not a verdict",
                f"Use one of {list(ENDING_VERDICTS)}.")
    defection = raw["verdict"].eq("war_ending_defection")
    _line_error(path, defection & out["member_ccode"].isna(), raw, "member_ccode",
                "a war_ending_defection names the member whose armistice ended the war", "Give its COW ccode.")
    _line_error(path, ~defection & out["member_ccode"].notna(), raw, "member_ccode",
                "only a war_ending_defection names a member", "Leave it empty, or correct the verdict.")
    _line_error(path, defection & raw["partners_agreed"].isin(["yes", "na"]), raw, "partners_agreed",
                "a war_ending_defection is made without or against a partner's agreement",
                "Write no or unclear, or correct the verdict (coalition_wide_settlement where every partner agreed).")
    _required_text(raw, path, ["war_name", "instrument", "made_by", "evidence", "source"],
                   "Say how the war ended, by whose act, with dates, and cite Sarkees and Wayman (2010) with the "
                   "war entry.")
    _line_error(path, defection & raw["source_2"].isna(), raw, "source_2", "a war_ending_defection needs a second "
                "source", "Cite a historical source besides Sarkees and Wayman (2010).")
    _line_error(path, out.duplicated(SIDE_KEY, keep="first"), raw, "side", "this coalition side is listed twice",
                "Keep one row per (war_num, side).")
    out["file_line"] = pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="Int64")
    out.attrs["path"] = str(path)
    return out


def read_member_efforts(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check ``coalition_member_efforts.csv`` line by line: dates, the gap in days
    (cow_end minus last_organised_effort) and a verdict that agrees with it."""
    path, raw = _read(EFFORTS_FILE, path, EFFORTS_COLUMNS)
    out = raw.copy()
    _whole_numbers(raw, out, path, SPELL_KEY)
    _whole_numbers(raw, out, path, ["gap_days"], optional=("gap_days",))
    out["cow_end"] = _dates(raw, "cow_end", path, required=True)
    out["last_organised_effort"] = _dates(raw, "last_organised_effort", path, required=False)
    _line_error(path, ~raw["verdict"].isin(list(EFFORT_VERDICTS)), raw, "verdict", "not a verdict",
                f"Use one of {list(EFFORT_VERDICTS)}.")
    dated = out["last_organised_effort"].notna()
    _line_error(path, ~dated & raw["verdict"].isin([*BEFORE_COW_END, "after_cow_end"]), raw,
                "last_organised_effort", "this verdict needs the date of the last organised military effort",
                "Give it as YYYY-MM-DD.")
    gap = (out["cow_end"] - out["last_organised_effort"]).dt.days.astype("Int64")
    _line_error(path, dated & out["gap_days"].ne(gap).fillna(True), raw, "gap_days",
                "not cow_end minus last_organised_effort in days", "Write the difference in days "
                "(negative when it fought on after the COW end).")
    _line_error(path, ~dated & out["gap_days"].notna(), raw, "gap_days", "a gap without a date",
                "Leave it empty, or give last_organised_effort.")
    before = gap.gt(MIN_GAP_DAYS).fillna(False)
    expected = pd.Series("fought_to_cow_end", index=raw.index, dtype="string").mask(
        gap.lt(-MIN_GAP_DAYS).fillna(False), "after_cow_end")
    agrees = (before & raw["verdict"].isin(BEFORE_COW_END)) | (~before & raw["verdict"].eq(expected))
    _line_error(path, ~agrees.fillna(False), raw, "verdict",
                f"disagrees with the gap (stopped_early or coalition_stopped_together: more than {MIN_GAP_DAYS} "
                f"days; after_cow_end: less than -{MIN_GAP_DAYS} days; fought_to_cow_end: -{MIN_GAP_DAYS} to "
                f"{MIN_GAP_DAYS} days or no date)", "Correct the verdict or the date.")
    _required_text(raw, path, ["state_name", "evidence", "source"],
                   "Say where and when the member last fought as an organised force, and cite the source.")
    _line_error(path, raw["verdict"].eq("stopped_early") & raw["source_2"].isna(), raw, "source_2",
                "a member that stopped early needs a second source", "Cite a second historical source.")
    _line_error(path, out.duplicated(SPELL_KEY, keep="first"), raw, "spell", "this spell is listed twice",
                "Keep one row per (war_num, side, ccode, spell).")
    out["file_line"] = pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="Int64")
    out.attrs["path"] = str(path)
    return out


def _missing_units(units: pd.DataFrame, rows: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    have = rows.set_index(key).index
    return units[~units.set_index(key).index.isin(have)].reset_index(drop=True)


def _coverage(missing: pd.DataFrame, total: int, what: str, path, complete: bool, fix: str) -> pd.DataFrame:
    if complete and len(missing):
        listed = "; ".join(", ".join(f"{c} {v}" for c, v in r.items()) for r in missing.head(12).to_dict("records"))
        more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        raise DataError(f"{path}: {len(missing)} of {total} {what} have no row: {listed}{more}. {fix}")
    return missing


def check_war_endings(endings: pd.DataFrame, spells: pd.DataFrame, exits: pd.DataFrame | None = None, *,
                      complete: bool = True) -> pd.DataFrame:
    """Check the war-endings file against the coalition sides and the exit file.

    Always a DataError: a row for a side that is not a coalition; a ``war_ending_defection`` whose
    member has no ``separate_peace_ending_war`` row in the exit file for that side; a
    ``separate_peace_ending_war`` exit whose side has no ``war_ending_defection`` row naming it.
    Coverage (every coalition side has exactly one row): with ``complete=True`` a DataError naming
    the missing sides, else they are returned (war_num, side, war_name), empty when none is missing.
    """
    ex = read_coalition_exits() if exits is None else exits
    path = endings.attrs.get("path", ENDINGS_FILE)
    sides = spells[SIDE_KEY + ["war_name"]].drop_duplicates(SIDE_KEY).sort_values(SIDE_KEY, ignore_index=True)
    e = endings.reset_index(drop=True)
    lines = e["file_line"] if "file_line" in e else None
    stale = ~e.set_index(SIDE_KEY).index.isin(sides.set_index(SIDE_KEY).index)
    _line_error(path, pd.Series(stale), e, "side", "not a coalition side of the COW war data",
                "Check war_num and side (a side on which two states' spells overlap).", lines)
    ending_exits = ex.loc[ex["exit_type"].eq("separate_peace_ending_war"), ["war_num", "side", "ccode"]]
    coded = e.set_index(["war_num", "side", "member_ccode"]).index
    matched = coded.isin(ending_exits.set_index(["war_num", "side", "ccode"]).index)
    _line_error(path, pd.Series(e["verdict"].eq("war_ending_defection").to_numpy() & ~matched), e, "member_ccode",
                f"no separate_peace_ending_war row for this member and side in {EXITS_FILE}",
                f"Add the exit row (with partners_objected, evidence and two sources) to {EXITS_FILE}, or correct "
                "the verdict.", lines)
    named = e.loc[e["verdict"].eq("war_ending_defection"), ["war_num", "side", "member_ccode"]]
    unmatched = ~ending_exits.set_index(["war_num", "side", "ccode"]).index.isin(
        named.set_index(["war_num", "side", "member_ccode"]).index)
    if unmatched.any():
        r = ending_exits[unmatched].iloc[0]
        raise DataError(f"{ex.attrs.get('path', EXITS_FILE)}: the separate_peace_ending_war exit of ccode {r.ccode} "
                        f"(war {r.war_num}, side {r.side}) has no war_ending_defection row naming it in {path}. "
                        f"Add or correct the side's row in {ENDINGS_FILE} (verdict war_ending_defection, member_ccode "
                        f"{r.ccode}), or recode the exit.")
    return _coverage(_missing_units(sides, e, SIDE_KEY), len(sides), "coalition sides", path, complete,
                     "Add one row per coalition side (how the war ended and whether every partner agreed).")


def partners_last_effort(efforts: pd.DataFrame, spells: pd.DataFrame) -> pd.DataFrame:
    """For each row of the member-efforts file, the partner that fought longest and until when.

    A member's partners are the other states on its war side (COW's coalition, every spell); each
    is dated by its own rows' ``last_organised_effort`` where given, else by its COW spell end, and
    its latest date counts. Returns ``partner`` (state name), ``partner_last`` (date) and
    ``partner_lead_days`` (partner_last minus the row's last_organised_effort; NA without either),
    aligned with ``efforts``' index.
    """
    units = spells[SPELL_KEY + ["state_name", "end"]]
    dated = units.merge(efforts[SPELL_KEY + ["last_organised_effort"]], on=SPELL_KEY, how="left")
    dated["effort"] = dated["last_organised_effort"].fillna(dated["end"])
    by_state = (dated.sort_values("effort").groupby(["war_num", "side", "ccode"], as_index=False)
                .agg(partner=("state_name", "last"), partner_last=("effort", "max")))
    pairs = efforts[SPELL_KEY].reset_index().merge(by_state, on=["war_num", "side"], suffixes=("", "_p"))
    pairs = pairs[pairs["ccode_p"] != pairs["ccode"]].sort_values(["index", "partner_last", "ccode_p"])
    longest = pairs.groupby("index")[["partner", "partner_last"]].last().reindex(efforts.index)
    longest["partner_lead_days"] = (longest["partner_last"] - efforts["last_organised_effort"]).dt.days.astype("Int64")
    return longest


def _check_against_partners(f: pd.DataFrame, units: pd.DataFrame, path, show: pd.DataFrame, lines) -> None:
    """stopped_early needs a partner that fought on more than MIN_GAP_DAYS days longer;
    coalition_stopped_together needs that none did (the rule is relative to the partners)."""
    p = partners_last_effort(f, units)
    lead = p["partner_lead_days"]
    checks = [
        (f["verdict"].eq("stopped_early") & ~lead.gt(MIN_GAP_DAYS).fillna(False),
         "stopped_early, but no partner fought on more than {gap} days longer (the longest: {partner}, until {last})",
         "Write coalition_stopped_together where every member stopped together and COW dates the end by a later "
         "instrument (no exit is coded), or correct the date."),
        (f["verdict"].eq("coalition_stopped_together") & lead.gt(MIN_GAP_DAYS).fillna(False),
         "coalition_stopped_together, but {partner} fought on until {last}, {lead} days longer",
         f"Write stopped_early and code the exit in {EXITS_FILE} with this last_organised_effort, or correct the "
         "date."),
    ]
    for mask, message, fix in checks:
        if mask.any():
            i = int(mask.to_numpy().argmax())
            last = p["partner_last"].iloc[i]
            _line_error(path, mask, show, "verdict", message.format(
                gap=MIN_GAP_DAYS, partner=p["partner"].iloc[i] if pd.notna(last) else "none",
                last=f"{last:%Y-%m-%d}" if pd.notna(last) else "-", lead=lead.iloc[i]), fix, lines)


def check_member_efforts(efforts: pd.DataFrame, spells: pd.DataFrame, exits: pd.DataFrame | None = None, *,
                         complete: bool = True) -> pd.DataFrame:
    """Check the member-efforts file against the coalition spells and the exit file.

    Always a DataError: a row for a spell that is not a coalition member spell; a ``cow_end`` that
    is not the spell's COW end; a ``stopped_early`` spell with no partner that fought on more than
    30 days longer, or a ``coalition_stopped_together`` spell with one (:func:`partners_last_effort`);
    a ``stopped_early`` spell whose exit-file row is missing or has another
    ``last_organised_effort``; an exit-file ``last_organised_effort`` whose spell has no
    ``stopped_early`` row with the same date. Coverage (every coalition spell has exactly one row):
    with ``complete=True`` a DataError naming the missing spells, else they are returned
    (war_num, side, ccode, spell, state_name), empty when none is missing.
    """
    ex = read_coalition_exits() if exits is None else exits
    path = efforts.attrs.get("path", EFFORTS_FILE)
    units = spells[SPELL_KEY + ["state_name", "end"]].sort_values(SPELL_KEY, ignore_index=True)
    f = efforts.reset_index(drop=True)
    lines = f["file_line"] if "file_line" in f else None
    show = f.assign(cow_end=f["cow_end"].dt.strftime("%Y-%m-%d"),
                    last_organised_effort=f["last_organised_effort"].dt.strftime("%Y-%m-%d"))
    stale = ~f.set_index(SPELL_KEY).index.isin(units.set_index(SPELL_KEY).index)
    _line_error(path, pd.Series(stale), f, "spell", "not a coalition member spell of the COW war data",
                "Check war_num, side, ccode and spell.", lines)
    cow = f.merge(units, on=SPELL_KEY, how="left")
    wrong = cow["cow_end"].ne(cow["end"]).fillna(False)
    expected = f"{cow.loc[wrong, 'end'].iloc[0]:%Y-%m-%d}" if wrong.any() else ""
    _line_error(path, wrong, show, "cow_end", f"not the spell's COW end date ({expected})",
                "Copy the spell's end date from the COW war data (results/tables/exit_coding lists it as cow_end).",
                lines)
    _check_against_partners(f, units, path, show, lines)
    exit_dates = ex[SPELL_KEY + ["last_organised_effort"]].rename(columns={"last_organised_effort": "exit_loe"})
    joined = f.merge(exit_dates, on=SPELL_KEY, how="left")
    early = joined["verdict"].eq("stopped_early")
    _line_error(path, early & joined["exit_loe"].ne(joined["last_organised_effort"]).fillna(True), show,
                "last_organised_effort", f"a stopped_early spell needs a row in {EXITS_FILE} with the same "
                "last_organised_effort", f"Add or correct the spell's row in {EXITS_FILE} (its code by the same "
                "rule, with evidence and two sources).", lines)
    dated = ex.loc[ex["last_organised_effort"].notna(), SPELL_KEY + ["last_organised_effort"]]
    back = dated.merge(f[SPELL_KEY + ["verdict", "last_organised_effort"]], on=SPELL_KEY, how="left",
                       suffixes=("", "_efforts"))
    bad = ~(back["verdict"].eq("stopped_early") & back["last_organised_effort_efforts"].eq(
        back["last_organised_effort"])).fillna(False)
    if bad.any():
        r = back[bad].iloc[0]
        raise DataError(f"{ex.attrs.get('path', EXITS_FILE)}: the last_organised_effort "
                        f"{r.last_organised_effort:%Y-%m-%d} of spell {dict(zip(SPELL_KEY, map(int, r[SPELL_KEY])))} "
                        f"has no stopped_early row with that date in {path}. Add or correct the spell's row in "
                        f"{EFFORTS_FILE} (the search procedure's finding, with evidence).")
    missing = _missing_units(units.drop(columns="end"), f, SPELL_KEY)
    return _coverage(missing, len(units), "coalition member spells", path, complete,
                     "Add one row per coalition member spell (when it last fought as an organised force).")
