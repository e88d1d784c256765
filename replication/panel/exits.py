"""How each member spell ended (``exit_type``), and the four defection outcomes.

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
is ``separate_peace`` or ``stood_aside`` **and** ``partners_objected == "yes"``
(:func:`is_defection`). The same function is applied to every spell, and to the
alternative code of every contested one.

Where the codes come from
-------------------------
COW's dates settle some exits (:func:`derive_exit_types`): a later spell on the other
side (``switched_sides``), a later spell on the same side (``truce_reentered``), COW
outcome 4 (``transformed``), and a spell that lasts until the coalition's last member
leaves (``war_end``). Every spell that ends before its coalition does is an **early
exit** and is coded by hand, with evidence, in the authored file
``data/raw/coalition_exits.csv`` (one row per early exit: exit type, exit date, whether
the partners objected, citations, and a ``contested`` flag with the alternative code).
A file row overrides a COW-derived code; the audit exhibit shows both.

Outcomes (one per phase; 1 in the phase in which the spell ends)
----------------------------------------------------------------
``defected``
    the primary rule above;
``defected_strict``
    side switches only;
``defected_broad``
    the primary rule with every doubt resolved towards defection: a partners' objection
    coded "unclear" counts as "yes", and a contested exit counts when either its code or
    its alternative code is then a defection;
``exit_early``
    any exit before the coalition's end other than conquest (Choi 2012, "Fighting to
    the Finish", *Security Studies* 21(4)); a truce followed by re-entry and a merger
    into a partner are not exits.
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
    "stood_aside": "stopped organised fighting without any agreement with the enemy while its partners fought on",
    "withdrew_with_partners": "withdrew together with the coalition leader or with its consent",
    "aims_met": "left when its own war aims were met, its partners agreeing",
    "coalition_settlement": "its fighting ended with a coalition-wide armistice or settlement",
    "truce_reentered": "a truce, then re-entry on the same side (a later COW spell): not an exit",
    "conquered": "conquest, or capitulation under occupation",
    "merged": "absorbed into another state, whose forces it fought on inside",
    "transformed": "COW outcome 4: the war became another type of war",
    "unclassified": "an early exit with no row in the authored exit file (counted in a warning)",
}
#: exits that are defections when the partners objected
ABANDONMENT = ("separate_peace", "stood_aside")
#: exits that are not exits from the coalition at all (for exit_early)
NOT_AN_EXIT = ("war_end", "truce_reentered", "merged", "conquered")
PARTNERS_OBJECTED = ("yes", "no", "unclear", "na")
EXITS_FILE = "coalition_exits.csv"
SPELL_KEY = ["war_num", "side", "ccode", "spell"]
FILE_COLUMNS = SPELL_KEY + ["state_name", "exit_type", "exit_date", "partners_objected", "contested",
                            "alt_exit_type", "alt_partners_objected", "evidence", "source", "source_2"]
OUTCOMES = ("defected", "defected_strict", "defected_broad", "exit_early")


def is_defection(exit_type: pd.Series, partners_objected: pd.Series, *, unclear_counts: bool = False) -> pd.Series:
    """The primary rule, vectorised: a side switch, or abandonment over the partners' objection.

    ``unclear_counts=True`` reads an "unclear" objection as "yes" (the broad variant).
    """
    exit_type = exit_type.astype("string")
    objected = partners_objected.astype("string").isin(["yes", "unclear"] if unclear_counts else ["yes"])
    return (exit_type.eq("switched_sides").fillna(False) | (exit_type.isin(ABANDONMENT) & objected)).astype(bool)


def _line_error(path, mask: pd.Series, frame: pd.DataFrame, column: str, message: str, fix: str) -> None:
    """Raise a DataError for the first line where ``mask`` holds, naming the file, line, column and value."""
    mask = mask.fillna(True).astype(bool)
    if mask.any():
        i = int(mask.to_numpy().argmax())
        value = frame[column].iloc[i]
        raise DataError(f"{path}: line {i + 2}, column '{column}' ({'empty' if pd.isna(value) else repr(value)}): "
                        f"{message}. {fix}")


def read_coalition_exits(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the authored exit file; every problem is a DataError naming the line and the fix."""
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
    date = pd.to_datetime(raw["exit_date"], format="%Y-%m-%d", errors="coerce")
    _line_error(path, date.isna(), raw, "exit_date", "not a date", "Write it as YYYY-MM-DD.")
    out["exit_date"] = date
    contested = raw["contested"].str.lower().map({"true": True, "false": False})
    _line_error(path, contested.isna(), raw, "contested", "must be true or false", "Write true or false.")
    out["contested"] = contested.astype(bool)
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


def classify_exits(spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per member spell: how it ended, the evidence, and the four outcome flags of the spell."""
    ex = read_coalition_exits() if exits is None else exits
    s = spells[SPELL_KEY + ["state_name", "start", "end", "coalition_end"]].copy()
    s["cow_exit_type"] = derive_exit_types(spells).to_numpy()
    stale = ~ex.set_index(SPELL_KEY).index.isin(s.set_index(SPELL_KEY).index)
    if stale.any():
        raise DataError(f"{EXITS_FILE}: row(s) for spells that are not coalition members: "
                        f"{ex.loc[stale, SPELL_KEY].to_dict('records')}. Check war_num/side/ccode/spell.")
    s = checked_merge(s, ex.drop(columns="state_name"), SPELL_KEY, what="classify_exits")
    in_file = s["exit_type"].notna()
    s["exit_source"] = pd.Series("COW", index=s.index, dtype="string").mask(in_file, EXITS_FILE)
    s["exit_type"] = s["exit_type"].fillna(s["cow_exit_type"])
    unknown = s["exit_type"].isna()
    if unknown.any():
        warnings.warn(f"classify_exits: {int(unknown.sum())} early exit(s) have no row in {EXITS_FILE} "
                      f"(e.g. {s.loc[unknown, SPELL_KEY + ['state_name']].head(3).to_dict('records')}); coded "
                      "'unclassified' (not a defection). Add them to the file with evidence.", stacklevel=2)
        s.loc[unknown, "exit_type"] = "unclassified"
        s.loc[unknown, "exit_source"] = "none"
    s["exit_date"] = s["exit_date"].fillna(s["end"])
    s["partners_objected"] = s["partners_objected"].fillna("na")
    s["contested"] = s["contested"].astype("boolean").fillna(False)
    primary = is_defection(s["exit_type"], s["partners_objected"])
    lenient = is_defection(s["exit_type"], s["partners_objected"], unclear_counts=True)
    alternative = s["contested"] & is_defection(s["alt_exit_type"], s["alt_partners_objected"], unclear_counts=True)
    s["defected"] = primary
    s["defected_strict"] = s["exit_type"].eq("switched_sides")
    s["defected_broad"] = primary | lenient | alternative
    s["exit_early"] = (s["end"] < s["coalition_end"]) & ~s["exit_type"].isin(NOT_AN_EXIT)
    return s.drop(columns=["start", "end", "coalition_end", "state_name"])


def add_exits(panel: pd.DataFrame, spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """Add how the row's spell ended and the four outcomes (1 in the phase the spell ends).

    No row is dropped: a state is at risk only while COW has it at war, so a member that
    defects leaves the risk set with its spell and comes back with a later spell (France
    on the Allied side in 1944-45). A row that holds two spells of one state (a truce
    inside one phase) takes its outcomes from every spell that ends inside the row.
    """
    spell_info = classify_exits(spells, exits)
    row_info = spell_info.drop(columns=list(OUTCOMES))
    out = checked_merge(panel, row_info, SPELL_KEY, what="add_exits")
    ends = spell_info[SPELL_KEY + list(OUTCOMES)].merge(spells[SPELL_KEY + ["end"]], on=SPELL_KEY)
    rows = out[["war_num", "side", "ccode", "phase_start", "phase_end"]].reset_index().merge(
        ends.drop(columns="spell"), on=["war_num", "side", "ccode"])
    rows = rows[(rows["end"] >= rows["phase_start"]) & (rows["end"] <= rows["phase_end"])]
    flags = rows.groupby("index")[list(OUTCOMES)].max()
    for name in OUTCOMES:
        out[name] = flags[name].reindex(out.index, fill_value=False).astype("Int64")
    return out


def exit_coding_table(spells: pd.DataFrame, exits: pd.DataFrame | None = None) -> pd.DataFrame:
    """The audit exhibit: every early exit and every authored code, with the rule's verdicts and the evidence.

    ``spells``: coalition member spells (:func:`..unit.create_coalition_spells`).
    """
    info = classify_exits(spells, exits)
    s = spells[SPELL_KEY + ["war_name", "state_name", "start", "end", "coalition_end"]].merge(info, on=SPELL_KEY)
    keep = (s["end"] < s["coalition_end"]) | s["exit_source"].eq(EXITS_FILE)
    s = s[keep].sort_values(["war_num", "side", "end", "ccode", "spell"], kind="stable")
    alt = is_defection(s["alt_exit_type"], s["alt_partners_objected"], unclear_counts=True) & s["contested"].astype(bool)
    return pd.DataFrame({
        "war_num": s["war_num"], "war_name": s["war_name"], "side": s["side"], "ccode": s["ccode"],
        "state_name": s["state_name"], "spell": s["spell"], "cow_end": s["end"].dt.strftime("%Y-%m-%d"),
        "exit_date": s["exit_date"].dt.strftime("%Y-%m-%d"), "exit_type": s["exit_type"],
        "cow_exit_type": s["cow_exit_type"], "partners_objected": s["partners_objected"],
        "defected": s["defected"].astype(int), "defected_strict": s["defected_strict"].astype(int),
        "defected_broad": s["defected_broad"].astype(int), "exit_early": s["exit_early"].astype(int),
        "contested": s["contested"].astype(bool), "alt_exit_type": s["alt_exit_type"],
        "alt_is_defection": alt.astype(int).where(s["contested"].astype(bool)).astype("Int64"),
        "evidence": s["evidence"], "source": s["source"], "source_2": s["source_2"],
    }).reset_index(drop=True)
