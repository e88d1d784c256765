"""How every coalition war ended, side by side, with its verdict and sources, and the review of every
member's last organised military effort (data/raw/coalition_war_endings.csv and
data/raw/coalition_member_efforts.csv, checked against the COW spells and the exit file).

Writes results/tables/war_endings.{csv,tex,md}. Run: make war-endings (or python analysis/war_endings.py)
"""

import pandas as pd

from .. import _io, paths, sources
from ..panel import create_coalition_spells
from ..panel.endings import (ENDING_VERDICTS, EFFORT_VERDICTS, check_member_efforts, check_war_endings,
                             read_member_efforts, read_war_endings)
from ..panel.exits import read_coalition_exits

#: True since the research of issue 19 covers every coalition side (44) and member spell (203): a side or
#: spell without a row stops the build with a DataError naming it. False lists the gaps in the table's
#: notes instead (for a file being filled). Contradictions between the files stop the build either way.
REQUIRE_COMPLETE = True


def _listing(frame: pd.DataFrame, columns) -> str:
    return "; ".join(" ".join(str(r[c]) for c in columns) for _, r in frame.iterrows())


def build() -> None:
    spells = create_coalition_spells(sources.read_interstate_war())
    exits = read_coalition_exits()
    endings, efforts = read_war_endings(), read_member_efforts()
    missing_sides = check_war_endings(endings, spells, exits, complete=REQUIRE_COMPLETE)
    missing_spells = check_member_efforts(efforts, spells, exits, complete=REQUIRE_COMPLETE)

    key = ["war_num", "side"]
    sides = (spells.groupby(key).agg(war_name=("war_name", "first"), members=("ccode", "nunique"),
                                     spells=("spell", "size")).reset_index())
    checked = efforts.groupby(key).agg(spells_checked=("spell", "size"),
                                       stopped_early=("verdict", lambda v: int(v.eq("stopped_early").sum())),
                                       stopped_together=("verdict",
                                                         lambda v: int(v.eq("coalition_stopped_together").sum())),
                                       after_cow_end=("verdict", lambda v: int(v.eq("after_cow_end").sum())))
    names = spells.drop_duplicates(["war_num", "side", "ccode"]).set_index(["war_num", "side", "ccode"])["state_name"]
    e = endings.copy()
    e["member"] = [names.get((w, s, c), pd.NA) if pd.notna(c) else pd.NA
                   for w, s, c in zip(e["war_num"], e["side"], e["member_ccode"])]
    table = sides.merge(e.drop(columns=["war_name", "file_line"]), on=key, how="left").merge(
        checked.reset_index(), on=key, how="left")
    table["researched"] = table["verdict"].notna()
    for c in ("spells_checked", "stopped_early", "stopped_together", "after_cow_end"):
        table[c] = table[c].fillna(0).astype("Int64")
    table["ending_date"] = table["ending_date"].dt.strftime("%Y-%m-%d")
    table = table[["war_num", "war_name", "side", "members", "researched", "ending_date", "instrument", "made_by",
                   "partners_agreed", "verdict", "member_ccode", "member", "spells", "spells_checked",
                   "stopped_early", "stopped_together", "after_cow_end", "evidence", "source", "source_2"]]

    n_sides, n_spells = len(sides), len(spells)
    counts = table["verdict"].value_counts()
    verdicts = "; ".join(f"{v} {int(counts.get(v, 0))}" for v in ENDING_VERDICTS)
    by_effort = efforts["verdict"].value_counts()
    early = efforts[efforts["verdict"].eq("stopped_early")].assign(
        when=lambda d: d["last_organised_effort"].dt.strftime("%Y-%m-%d"))
    notes = ["One row per coalition side (a COW war side on which two states' spells overlap). verdict: "
             + "; ".join(f"{k}: {v}" for k, v in ENDING_VERDICTS.items()) + ". A war_ending_defection names the "
             "member (member_ccode) whose separate_peace_ending_war row in data/raw/coalition_exits.csv codes it; "
             "the two files are checked against each other.",
             f"War endings researched: {int(table['researched'].sum())} of {n_sides} coalition sides ({verdicts}).",
             "Member efforts (data/raw/coalition_member_efforts.csv): the search for each member spell's last "
             "organised military effort against the enemy, applied to every member; "
             + "; ".join(f"{k}: {v}" for k, v in EFFORT_VERDICTS.items()) + ". A stopped_early spell carries the same "
             "last_organised_effort in the exit file, which places its event by that date. "
             f"Checked: {len(efforts)} of {n_spells} member spells; "
             + ", ".join(f"{v} {int(by_effort.get(v, 0))}" for v in EFFORT_VERDICTS)
             + (f" ({_listing(early, ['state_name', 'war_num', 'when'])})" if len(early) else "") + ".",
             "Sources: Sarkees and Wayman (2010), Resort to War, by war entry; source_2 gives a second source."]
    if len(missing_sides) or len(missing_spells):
        notes.append(f"INCOMPLETE (the research is not finished; make all lists the gaps instead of stopping): "
                     f"{len(missing_sides)} coalition side(s) without a war-ending row: "
                     f"{_listing(missing_sides, ['war_num', 'side'])}. {len(missing_spells)} member spell(s) "
                     f"without an effort row: {_listing(missing_spells, ['war_num', 'side', 'ccode', 'spell'])} "
                     "(war_num side ccode spell).")
    _io.write_table(table, paths.tables_dir() / "war_endings", label="tab:war_endings",
                    caption="How each coalition war ended, with its verdict, and the review of every member's last "
                            "organised military effort", notes=notes)
    print(notes[1])
    print(notes[2].split(". Checked: ")[-1])
    if len(notes) > 4:
        print(f"INCOMPLETE: {len(missing_sides)} sides and {len(missing_spells)} spells without a row")
