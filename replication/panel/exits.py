"""How each member spell ended (``exit_type``), when it stopped fighting, and the five outcomes.

The coding rule
---------------
Primary rule, after Weisiger (2016, "Exiting the Coalition", *International Studies
Quarterly* 60(4)): a state **defects** when it stops organised military effort against
the enemy **contrary to the wishes of its coalition partners**. A side switch is always
a defection. These are never defections: conquest or capitulation under occupation; a
coalition-wide armistice or settlement; a withdrawal made together with the coalition
leader or with its consent; an exit when the state's own war aims were met and its
partners agreed.

In code: a spell ends in a defection when ``exit_type`` is ``switched_sides``, or when it
is ``separate_peace``, ``stood_aside`` or ``separate_peace_ending_war`` **and**
``partners_objected == "yes"`` (:func:`is_defection`). The same function is applied to
every spell, and to the alternative code of every contested one.

Where the codes come from
-------------------------
COW's dates settle some exits (:func:`derive_exit_types`): a later spell on the other
side (``switched_sides``), a later spell on the same side (``truce_reentered``), COW
outcome 4 (``transformed``), and a spell that lasts until the coalition's last member
leaves (``war_end``). Every spell that ends before its coalition does is coded by hand,
with evidence, in the authored file ``data/raw/coalition_exits.csv`` (exit type, exit
date, whether the partners objected, citations, a ``contested`` flag with the
alternative code). A file row overrides a COW-derived code, and a spell that COW runs to
the coalition's end may have a row too: a member whose own armistice ended the war for
the whole coalition (``separate_peace_ending_war``), one whose last organised military
effort the record puts more than 30 days before its COW end date and more than 30 days
before its partners stopped (``last_organised_effort``; the rule is relative to the
partners and is checked against ``data/raw/coalition_member_efforts.csv`` by
:mod:`.endings`), or one whose code COW's dates cannot give (a conquest, a theatre-wide
settlement, a contested reading). The file also records whether the state afterwards turned
its arms against a former partner (``turned_arms``), whether COW's side gave it no real
partner (``no_real_partner``: Vichy France 1940-41; Germany and Soviet Russia on side 2
of war 108, each also the other's enemy), and the theatre whose coalition-wide
settlement ended its war where COW merges theatres (``theatre``).

Where the event is placed
-------------------------
The event date is ``last_organised_effort`` where the file gives one ("history"), else
the COW spell end ("COW"); every outcome except ``defected_cow_dates`` is 1 in the phase
containing it, and the spell's later phases are flagged ``after_exit`` (the state was no
longer at risk by the historical record; :func:`at_risk` leaves them out of the risk set).
``defected_cow_dates`` places the same events at the COW spell end and keeps those rows.

Outcomes (one per phase), nested by construction
------------------------------------------------
``defected``
    the primary rule above;
``defected_strict``
    ``defected`` and the state then turned its arms against a former partner in an
    organised campaign (``turned_arms == "yes"``: Germany 1919 at Cesis, Italy from October
    1943, Romania and Bulgaria 1944, Finland's Lapland War); France 1940, an armistice whose
    "switch" is only COW's Vichy spell, is not strict;
``defected_broad``
    the primary rule with every doubt resolved towards defection: a partners' objection
    coded "unclear" counts as "yes", and a contested exit counts when its alternative code
    is then a defection;
``exit_early``
    ``defected_broad``, or any other exit before the coalition's end (or with a
    ``last_organised_effort``) other than conquest, a merger into a partner, a truce with
    re-entry and a coalition-wide (or theatre-wide) settlement (Choi 2012, "Fighting to the
    Finish", *Security Studies* 21(4));
``defected_cow_dates``
    the codes of ``defected``, each event at the COW spell end, no row after_exit.

So strict <= defected <= broad <= exit_early in every row (the schema checks it).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..paths import authored_file
from ._merge import checked_merge

#: exit_type -> meaning (the vocabulary of the authored file and the panel)
EXIT_TYPES: dict[str, str] = {
    "war_end": "fought until its coalition's last member left (COW dates)",
    "switched_sides": "fought afterwards on the other side of the same war",
    "separate_peace": "signed its own armistice or peace with the enemy while its partners fought on",
    "separate_peace_ending_war": "its own armistice or separate peace with the enemy ended the war for the whole "
                                 "coalition (the partners then had to stop too), made without or against a "
                                 "partner's agreement",
    "stood_aside": "stopped organised fighting without any agreement with the enemy while its partners fought on",
    "withdrew_with_partners": "withdrew together with the coalition leader or with its consent",
    "aims_met": "left when its own war aims were met, its partners agreeing",
    "coalition_settlement": "its fighting ended with a coalition-wide (or theatre-wide) armistice or settlement",
    "truce_reentered": "a truce, then re-entry on the same side (a later COW spell): not an exit",
    "conquered": "conquest, or capitulation under occupation",
    "merged": "absorbed into another state, whose forces it fought on inside",
    "transformed": "COW outcome 4: the war became another type of war",
    "unclassified": "an early exit with no row in the authored exit file (counted in a warning)",
}
#: exits that are defections when the partners objected (abandonment)
ABANDONMENT = ("separate_peace", "stood_aside", "separate_peace_ending_war")
#: exits after which a state can have turned its arms against a former partner
LEAVING = ("switched_sides", *ABANDONMENT)
#: exits that are not early exits (for exit_early): not exits at all, or the coalition's own settlement
NOT_AN_EXIT = ("war_end", "truce_reentered", "merged", "conquered", "coalition_settlement")
PARTNERS_OBJECTED = ("yes", "no", "unclear", "na")
TURNED_ARMS = ("yes", "no", "na")
#: last_organised_effort is recorded only where it lies more than this many days before the COW spell end
MIN_GAP_DAYS = 30
EXITS_FILE = "coalition_exits.csv"
SPELL_KEY = ["war_num", "side", "ccode", "spell"]
FILE_COLUMNS = SPELL_KEY + ["state_name", "exit_type", "exit_date", "partners_objected", "contested",
                            "alt_exit_type", "alt_partners_objected", "last_organised_effort", "turned_arms",
                            "alt_turned_arms", "no_real_partner", "theatre", "evidence", "source", "source_2"]
#: the outcomes placed by the historical date, nested in this order (strict <= defected <= broad <= early)
HISTORICAL_OUTCOMES = ("defected", "defected_strict", "defected_broad", "exit_early")
OUTCOMES = (*HISTORICAL_OUTCOMES, "defected_cow_dates")
COW_DATES_OUTCOME = "defected_cow_dates"
PARTNERLESS_REASONS = ("only member of its side in the phase", "no real partner (authored)")


def is_defection(exit_type: pd.Series, partners_objected: pd.Series, *, unclear_counts: bool = False) -> pd.Series:
    """The primary rule, vectorised: a side switch, or abandonment over the partners' objection.

    ``unclear_counts=True`` reads an "unclear" objection as "yes" (the broad variant).
    """
    exit_type = exit_type.astype("string")
    objected = partners_objected.astype("string").isin(["yes", "unclear"] if unclear_counts else ["yes"])
    return (exit_type.eq("switched_sides").fillna(False) | (exit_type.isin(ABANDONMENT) & objected)).astype(bool)


def _line_error(path, mask: pd.Series, frame: pd.DataFrame, column: str, message: str, fix: str,
                lines: pd.Series | None = None) -> None:
    """Raise a DataError for the first line where ``mask`` holds, naming the file, line, column and value.

    ``lines``: the file line of each row (default: position + 2, the header being line 1).
    """
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        i = int(mask.to_numpy().argmax())
        value = frame[column].iloc[i]
        line = int(lines.iloc[i]) if lines is not None else i + 2
        shown = "empty" if pd.isna(value) else repr(value) if isinstance(value, str) else str(value)
        raise DataError(f"{path}: line {line}, column '{column}' ({shown}): {message}. {fix}")


def _dates(raw: pd.DataFrame, column: str, path, *, required: bool) -> pd.Series:
    """Parse a YYYY-MM-DD column (empty is NaT unless ``required``); a bad value is a DataError."""
    date = pd.to_datetime(raw[column], format="%Y-%m-%d", errors="coerce")
    bad = date.isna() if required else date.isna() & raw[column].notna()
    _line_error(path, bad, raw, column, "not a date", "Write it as YYYY-MM-DD." + ("" if required else
                                                                                   " Or leave it empty."))
    return date


def _true_false(raw: pd.DataFrame, column: str, path) -> pd.Series:
    flag = raw[column].str.lower().map({"true": True, "false": False})
    _line_error(path, flag.isna(), raw, column, "must be true or false", "Write true or false.")
    return flag.astype(bool)


def read_coalition_exits(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the authored exit file; every problem is a DataError naming the line and the fix.

    The returned frame has one row per coded spell, typed, with ``file_line`` (the row's line in
    the file) so that later checks against the COW spells can name it too.
    """
    path = authored_file(EXITS_FILE, path)
    raw = pd.read_csv(path, dtype="string", keep_default_na=False)
    missing = [c for c in FILE_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {missing}; expected {FILE_COLUMNS}.")
    raw = raw[FILE_COLUMNS].apply(lambda s: s.str.strip()).replace("", pd.NA)
    out = raw.copy()
    for col in SPELL_KEY:
        num = pd.to_numeric(raw[col], errors="coerce")
        _line_error(path, num.isna() | (num % 1 != 0), raw, col, "not a whole number",
                    f"Give the COW {col} of the spell.")
        out[col] = num.astype("Int64")
    vocab = [k for k in EXIT_TYPES if k != "unclassified"]
    _line_error(path, ~raw["exit_type"].isin(vocab), raw, "exit_type", "not an exit type", f"Use one of {vocab}.")
    _line_error(path, raw["alt_exit_type"].notna() & ~raw["alt_exit_type"].isin(vocab), raw, "alt_exit_type",
                "not an exit type", f"Use one of {vocab}, or leave it empty.")
    _line_error(path, ~raw["partners_objected"].isin(PARTNERS_OBJECTED), raw, "partners_objected",
                f"must be one of {PARTNERS_OBJECTED}", "Say whether the partners objected.")
    _line_error(path, raw["alt_partners_objected"].notna() & ~raw["alt_partners_objected"].isin(PARTNERS_OBJECTED),
                raw, "alt_partners_objected", f"must be one of {PARTNERS_OBJECTED}", "Or leave it empty.")
    out["exit_date"] = _dates(raw, "exit_date", path, required=True)
    out["last_organised_effort"] = _dates(raw, "last_organised_effort", path, required=False)
    out["contested"] = _true_false(raw, "contested", path)
    out["no_real_partner"] = _true_false(raw, "no_real_partner", path)
    _line_error(path, out["contested"] & (raw["alt_exit_type"].isna() | raw["alt_partners_objected"].isna()), raw,
                "alt_exit_type", "a contested exit needs alt_exit_type and alt_partners_objected",
                "Give the alternative code that historians defend.")
    _line_error(path, out["contested"] & raw["source_2"].isna(), raw, "source_2",
                "a contested exit needs a second source", "Cite a historical source besides Sarkees and Wayman (2010).")
    for col in ("evidence", "source"):
        _line_error(path, raw[col].isna(), raw, col, "every exit needs evidence and a source",
                    "Say what happened, with dates, and cite Sarkees and Wayman (2010) with the war entry.")
    _line_error(path, raw["exit_type"].isin(ABANDONMENT) & raw["partners_objected"].eq("no"), raw,
                "partners_objected", "a separate peace or standing aside that the partners agreed to is not "
                "abandonment", "Code it withdrew_with_partners or aims_met, or correct partners_objected.")
    _line_error(path, raw["exit_type"].isin(ABANDONMENT) & raw["partners_objected"].eq("na")
                & ~out["no_real_partner"], raw, "partners_objected", "na (no partner) for a state that left its "
                "partners", "Say whether they objected (yes, unclear), or set no_real_partner to true where COW's "
                "side gave the state no real partner.")
    _line_error(path, ~raw["turned_arms"].isin(TURNED_ARMS), raw, "turned_arms", f"must be one of {TURNED_ARMS}",
                "Say whether the state afterwards turned its arms against a former partner in an organised "
                "campaign (na where it did not leave).")
    _line_error(path, raw["exit_type"].isin(LEAVING) & raw["turned_arms"].eq("na") & ~out["no_real_partner"], raw,
                "turned_arms", "a state that left (a switch, a separate peace or standing aside) needs yes or no",
                f"For {', '.join(LEAVING)} write yes or no: defected_strict depends on it (na only where "
                "no_real_partner is true: there is no former partner to turn on).")
    _line_error(path, ~raw["exit_type"].isin(LEAVING) & raw["turned_arms"].eq("yes"), raw, "turned_arms",
                "yes is recorded only for a state that left (a switch, a separate peace or standing aside)",
                "Correct exit_type, or write no or na.")
    _line_error(path, raw["alt_turned_arms"].notna() & ~raw["alt_turned_arms"].isin(["yes", "no"]), raw,
                "alt_turned_arms", "must be yes or no", "Or leave it empty where the reading is not contested.")
    _line_error(path, raw["alt_turned_arms"].notna() & raw["alt_turned_arms"].eq(raw["turned_arms"]), raw,
                "alt_turned_arms", "the alternative reading repeats turned_arms",
                "Give the other reading historians defend, or leave it empty.")
    _line_error(path, raw["alt_turned_arms"].notna() & raw["source_2"].isna(), raw, "source_2",
                "a contested turned_arms needs a second source", "Cite the work that supports the other reading.")
    _line_error(path, raw["exit_type"].eq("separate_peace_ending_war") & raw["last_organised_effort"].notna(), raw,
                "last_organised_effort", "a separate peace that ended the war is dated by the war's end (the event "
                "lies in the member's last phase)",
                "Leave last_organised_effort empty, or code a member that stopped earlier separate_peace or stood_aside.")
    out["file_line"] = pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="Int64")
    _line_error(path, out.duplicated(SPELL_KEY, keep="first"), raw, "spell", "this spell is coded twice",
                "Keep one row per (war_num, side, ccode, spell).")
    out.attrs["path"] = str(path)
    return out


def derive_exit_types(spells: pd.DataFrame) -> pd.Series:
    """The exit types COW's dates settle (NA for the early exits that need the authored file)."""
    s = spells[SPELL_KEY + ["start", "end", "outcome", "coalition_end"]]
    later = s.merge(s[["war_num", "side", "ccode", "start"]], on=["war_num", "ccode"], suffixes=("", "_o"))
    later = later[later["start_o"] > later["end"]]
    switched = s.set_index(SPELL_KEY).index.isin(later.loc[later["side_o"] != later["side"]].set_index(SPELL_KEY).index)
    reentered = s.set_index(SPELL_KEY).index.isin(later.loc[later["side_o"] == later["side"]].set_index(SPELL_KEY).index)
    code = pd.Series(pd.NA, index=s.index, dtype="string")
    # first match wins, in this order
    for mask, value in [(switched, "switched_sides"), (s["outcome"].eq(4).fillna(False).to_numpy(), "transformed"),
                        (reentered, "truce_reentered"), ((s["end"] >= s["coalition_end"]).to_numpy(), "war_end")]:
        code = code.mask(code.isna() & mask, value)
    return code


def _check_against_spells(s: pd.DataFrame, ex: pd.DataFrame) -> None:
    """Checks of the file rows that need the COW spells (dates, the member's last spell)."""
    path = ex.attrs.get("path", EXITS_FILE)
    rows = s[s["exit_source"].eq(EXITS_FILE)].reset_index(drop=True)
    lines = rows["file_line"]
    loe = rows["last_organised_effort"]
    show = rows.assign(last_organised_effort=loe.dt.strftime("%Y-%m-%d"))
    _line_error(path, loe.notna() & (loe < rows["start"]), show, "last_organised_effort",
                "before the spell's COW start date", "Check the date and the spell number.", lines)
    gap = (rows["end"] - loe).dt.days
    _line_error(path, loe.notna() & (gap <= MIN_GAP_DAYS), show, "last_organised_effort",
                f"not more than {MIN_GAP_DAYS} days before the COW spell end",
                f"Fill it only where the record puts the last organised fighting more than {MIN_GAP_DAYS} days "
                "before COW's end date; otherwise leave it empty (COW's date stands).", lines)
    later = s.merge(s[["war_num", "side", "ccode", "start"]], on=["war_num", "side", "ccode"], suffixes=("", "_o"))
    has_later = later.loc[later["start_o"] > later["end"], SPELL_KEY].drop_duplicates()
    not_last = rows.set_index(SPELL_KEY).index.isin(has_later.set_index(SPELL_KEY).index)
    _line_error(path, pd.Series(not_last) & rows["exit_type"].eq("separate_peace_ending_war"), rows, "exit_type",
                "the state fought a later spell on the same side, so this armistice did not end the war",
                "Code it separate_peace or truce_reentered.", lines)


def classify_exits(spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per member spell: how it ended, the evidence, the event date and the five outcome flags.

    ``event_date`` is ``last_organised_effort`` where the exit file gives one, else the COW spell
    end (``event_dated_by`` "history" or "COW"). A COW side switch without a file row is read as
    having turned its arms against its former partners (``turned_arms`` "yes"), with a warning.
    """
    ex = (read_coalition_exits() if exits is None else exits).copy()
    if "file_line" not in ex:  # a caller's frame: its rows in order, as if it were the file
        ex["file_line"] = pd.Series(range(2, len(ex) + 2), index=ex.index, dtype="Int64")
    for col, default in [("last_organised_effort", pd.NaT), ("turned_arms", pd.NA), ("alt_turned_arms", pd.NA),
                         ("no_real_partner", False), ("theatre", pd.NA)]:
        if col not in ex:  # a caller's frame in the old layout: the new columns are optional there
            ex[col] = default
    s = spells[SPELL_KEY + ["state_name", "start", "end", "coalition_end"]].copy()
    s["cow_exit_type"] = derive_exit_types(spells).to_numpy()
    stale = ~ex.set_index(SPELL_KEY).index.isin(s.set_index(SPELL_KEY).index)
    if stale.any():
        raise DataError(f"{ex.attrs.get('path', EXITS_FILE)}: row(s) for spells that are not coalition members: "
                        f"{ex.loc[stale, SPELL_KEY].to_dict('records')}. Check war_num/side/ccode/spell.")
    s = checked_merge(s, ex.drop(columns="state_name"), SPELL_KEY, what="classify_exits")
    in_file = s["exit_type"].notna()
    s["exit_source"] = pd.Series("COW", index=s.index, dtype="string").mask(in_file, EXITS_FILE)
    s["last_organised_effort"] = pd.to_datetime(s["last_organised_effort"])
    _check_against_spells(s, ex)
    s["exit_type"] = s["exit_type"].fillna(s["cow_exit_type"])
    unknown = s["exit_type"].isna()
    if unknown.any():
        warnings.warn(f"classify_exits: {int(unknown.sum())} early exit(s) have no row in {EXITS_FILE} "
                      f"(e.g. {s.loc[unknown, SPELL_KEY + ['state_name']].head(3).to_dict('records')}); coded "
                      "'unclassified' (not a defection). Add them to the file with evidence.", stacklevel=2)
        s.loc[unknown, "exit_type"] = "unclassified"
        s.loc[unknown, "exit_source"] = "none"
    cow_switch = s["exit_source"].eq("COW") & s["exit_type"].eq("switched_sides")
    if cow_switch.any():
        warnings.warn(f"classify_exits: {int(cow_switch.sum())} COW side switch(es) have no row in {EXITS_FILE} "
                      f"(e.g. {s.loc[cow_switch, SPELL_KEY + ['state_name']].head(3).to_dict('records')}); "
                      "turned_arms is read as 'yes' (defected_strict). Add a row saying whether it fought its "
                      "former partners.", stacklevel=2)
    s["turned_arms"] = s["turned_arms"].astype("string").mask(cow_switch, "yes").fillna("na")
    s["alt_turned_arms"] = s["alt_turned_arms"].astype("string")
    s["theatre"] = s["theatre"].astype("string")
    s["no_real_partner"] = s["no_real_partner"].astype("boolean").fillna(False).astype(bool)
    s["exit_date"] = s["exit_date"].fillna(s["end"])
    s["partners_objected"] = s["partners_objected"].fillna("na")
    s["contested"] = s["contested"].astype("boolean").fillna(False)
    historical = s["last_organised_effort"].notna()
    s["event_date"] = s["last_organised_effort"].where(historical, s["end"])
    s["event_dated_by"] = pd.Series("COW", index=s.index, dtype="string").mask(historical, "history")
    primary = is_defection(s["exit_type"], s["partners_objected"])
    lenient = is_defection(s["exit_type"], s["partners_objected"], unclear_counts=True)
    alternative = s["contested"] & is_defection(s["alt_exit_type"], s["alt_partners_objected"], unclear_counts=True)
    # nested by construction: each variant is the one before it OR more
    s["defected"] = primary
    s["defected_strict"] = primary & s["turned_arms"].eq("yes")
    s["defected_broad"] = primary | lenient | alternative
    left_early = (s["end"] < s["coalition_end"]) | historical
    s["exit_early"] = s["defected_broad"] | (left_early & ~s["exit_type"].isin(NOT_AN_EXIT))
    s["defected_cow_dates"] = primary
    return s.drop(columns=["start", "end", "coalition_end", "state_name", "file_line"], errors="ignore")


def add_exits(panel: pd.DataFrame, spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add how the row's spell ended, the event date, ``after_exit``, the partnerless flag's
    authored part and the five outcomes.

    Every outcome except ``defected_cow_dates`` is 1 in the phase that contains the spell's
    event date (its ``last_organised_effort`` where authored, else its COW end);
    ``defected_cow_dates`` is 1 in the phase of the COW spell end. Rows of a spell whose phase
    starts after its event date get ``after_exit`` = True. No row is dropped: a state is at risk
    only while COW has it at war and before its historical exit, so a member that defects leaves
    the risk set with its spell and comes back with a later spell (France on the Allied side in
    1944-45). A row that holds two spells of one state (a truce inside one phase) takes its
    outcomes from every spell whose event falls inside the row.

    ``partnerless`` becomes True also where the row's spell has ``no_real_partner`` in the exit
    file, and ``partnerless_reason`` says why (:data:`PARTNERLESS_REASONS`); power shares stay COW's.
    """
    spell_info = classify_exits(spells, exits)
    row_info = spell_info.drop(columns=[*OUTCOMES, "no_real_partner"])
    out = checked_merge(panel, row_info, SPELL_KEY, what="add_exits")
    info = spell_info[SPELL_KEY + [*OUTCOMES, "event_date", "no_real_partner"]].merge(
        spells[SPELL_KEY + ["start", "end"]], on=SPELL_KEY)
    rows = out[["war_num", "side", "ccode", "phase_start", "phase_end"]].reset_index().merge(
        info.drop(columns="spell"), on=["war_num", "side", "ccode"])

    def placed(date_column: str, names) -> pd.DataFrame:
        inside = rows[(rows[date_column] >= rows["phase_start"]) & (rows[date_column] <= rows["phase_end"])]
        return inside.groupby("index")[list(names)].max()

    flags = placed("event_date", HISTORICAL_OUTCOMES).join(placed("end", [COW_DATES_OUTCOME]), how="outer")
    for name in OUTCOMES:
        out[name] = flags[name].reindex(out.index).fillna(False).astype(bool).astype("Int64")
    # the spells that overlap each row: a row is after the exit when every one of them is
    overlap = rows[(rows["start"] <= rows["phase_end"]) & (rows["end"] >= rows["phase_start"])].copy()
    overlap["after"] = overlap["event_date"] < overlap[["phase_start", "start"]].max(axis=1)
    by_row = overlap.groupby("index").agg(after=("after", "all"), no_real=("no_real_partner", "any"))
    out["after_exit"] = by_row["after"].reindex(out.index).fillna(False).astype("boolean")
    no_real = by_row["no_real"].reindex(out.index).fillna(False).astype(bool)
    alone = (out["partnerless"].astype("boolean").fillna(False).astype(bool) if "partnerless" in out
             else pd.Series(False, index=out.index))
    out["partnerless"] = (alone | no_real).astype("boolean")
    out["partnerless_reason"] = pd.Series(pd.NA, index=out.index, dtype="string").mask(
        no_real, PARTNERLESS_REASONS[1]).mask(alone, PARTNERLESS_REASONS[0])
    return out


def at_risk(panel: pd.DataFrame, outcome: str = "defected") -> pd.Series:
    """The rows at risk of ``outcome``: not partnerless, and (for every outcome except
    ``defected_cow_dates``, which keeps COW's dates) not after the state's historical exit."""
    keep = ~panel["partnerless"].astype("boolean").fillna(False).astype(bool) if "partnerless" in panel \
        else pd.Series(True, index=panel.index)
    if outcome != COW_DATES_OUTCOME and "after_exit" in panel:
        keep &= ~panel["after_exit"].astype("boolean").fillna(False).astype(bool)
    return keep


def exit_coding_table(spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit exhibit: every early exit and every authored code, with the rule's verdicts and the evidence.

    ``spells``: coalition member spells (:func:`..unit.create_coalition_spells`).
    """
    info = classify_exits(spells, exits)
    s = spells[SPELL_KEY + ["war_name", "state_name", "start", "end", "coalition_end"]].merge(info, on=SPELL_KEY)
    keep = (s["end"] < s["coalition_end"]) | s["exit_source"].eq(EXITS_FILE)
    s = s[keep].sort_values(["war_num", "side", "end", "ccode", "spell"], kind="stable")
    alt = is_defection(s["alt_exit_type"], s["alt_partners_objected"], unclear_counts=True) & s["contested"].astype(bool)

    def day(column):
        return s[column].dt.strftime("%Y-%m-%d")

    return pd.DataFrame({
        "war_num": s["war_num"], "war_name": s["war_name"], "side": s["side"], "ccode": s["ccode"],
        "state_name": s["state_name"], "spell": s["spell"], "cow_end": day("end"),
        "exit_date": day("exit_date"), "last_organised_effort": day("last_organised_effort"),
        "event_date": day("event_date"), "event_dated_by": s["event_dated_by"], "exit_type": s["exit_type"],
        "cow_exit_type": s["cow_exit_type"], "partners_objected": s["partners_objected"],
        "turned_arms": s["turned_arms"], "alt_turned_arms": s["alt_turned_arms"], "theatre": s["theatre"],
        "no_real_partner": s["no_real_partner"].astype(bool),
        "defected": s["defected"].astype(int), "defected_strict": s["defected_strict"].astype(int),
        "defected_broad": s["defected_broad"].astype(int), "exit_early": s["exit_early"].astype(int),
        "defected_cow_dates": s["defected_cow_dates"].astype(int),
        "contested": s["contested"].astype(bool), "alt_exit_type": s["alt_exit_type"],
        "alt_is_defection": alt.astype(int).where(s["contested"].astype(bool)).astype("Int64"),
        "evidence": s["evidence"], "source": s["source"], "source_2": s["source_2"],
    }).reset_index(drop=True)
