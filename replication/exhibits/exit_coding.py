"""The coalition-exit audit table: every early exit and every authored code, with its type, dates, the rule's
verdicts in each outcome variant, citations and contested flag.

Writes results/tables/exit_coding.{csv,tex,md}. Run: make exit-coding (or python analysis/exit_coding.py)
"""

import pandas as pd

from .. import _io, paths, sources
from ..panel import create_coalition_spells
from ..panel.exits import MIN_GAP_DAYS, exit_coding_table


def build() -> None:
    from ..panel import coalition2001 as c2001

    cow = exit_coding_table(create_coalition_spells(sources.read_interstate_war()))
    contributors = c2001.read_contributors_2001()
    new = exit_coding_table(c2001.contributor_spells(contributors), c2001.contributor_exits(contributors))
    new = new.assign(cow_exit_type=pd.Series(pd.NA, index=new.index, dtype="string"))  # COW has no spell here
    table = pd.concat([cow.assign(universe="cow_interstate"), new.assign(universe="coalition_2001")],
                      ignore_index=True)
    table = table[["universe", *[c for c in table.columns if c != "universe"]]]
    notes = ["Rule (after Weisiger 2016): a state defects when it stops organised military effort against the enemy "
             "contrary to the wishes of its coalition partners; a side switch always is a defection; conquest, "
             "coalition-wide settlements, withdrawals with the leader or its consent, and exits with war aims met and "
             "partners agreeing never are. In code: switched_sides, or separate_peace, stood_aside or "
             "separate_peace_ending_war (a member's own armistice that ended the war for the whole coalition) with "
             "partners_objected = yes.",
             "Rows: every spell that ends before its coalition's last member leaves, and every spell the exit file "
             "codes although COW runs it to the coalition's end. last_organised_effort is filled where the record puts "
             f"the last organised military effort more than {MIN_GAP_DAYS} days before the COW end (cow_end); the "
             "event is placed at event_date (that date, event_dated_by = history, else the COW end) and "
             "defected_cow_dates places the defected events at cow_end. exit_date may lie after cow_end (Greece, "
             "Ethiopia and Hungary fought on), which does not move the event.",
             "defected_strict: defected and turned_arms = yes (the state then fought a former partner in an organised "
             "campaign; alt_turned_arms is the other reading where contested). defected_broad resolves every doubt "
             "towards defection: an 'unclear' objection counts as 'yes', and a contested exit counts if its "
             "alternative code is a defection (alt_is_defection = 1). exit_early is defected_broad or any other exit "
             "before the coalition's end (or with last_organised_effort) other than conquest, a merger, a truce with "
             "re-entry or a coalition-wide settlement (Choi 2012); theatre names the theatre whose coalition-wide "
             "settlement ended the state's war where COW merges theatres. no_real_partner: COW's side gave the state "
             "no real partner (its rows are partnerless). cow_exit_type is what COW's dates alone give (empty for an "
             "early exit).",
             "Sources: Sarkees and Wayman (2010), Resort to War, by war entry; source_2 gives a second source.",
             "coalition_2001 rows (issue 20): every member spell of the US-led coalitions in Afghanistan (9001) and "
             "Iraq (9002) from data/raw/coalition_contributors_2001.csv, coded by the same rule; there cow_end is "
             "the spell's exit date from that file (COW has no spells for these wars), source and source_2 its two "
             "sources, and the notes of the file (coalition_contributors_2001_notes.md) give every judgement call."]
    cow_rows = table[table.universe == "cow_interstate"]
    new_rows = table[table.universe == "coalition_2001"]
    notes.append(f"coalition_2001: {len(new_rows)} member spells; primary defections {int(new_rows['defected'].sum())}, "
                 f"broad {int(new_rows['defected_broad'].sum())}, early exits {int(new_rows['exit_early'].sum())}, "
                 f"dated by the end of organised combat {int(new_rows['event_dated_by'].eq('history').sum())}, "
                 f"contested {int(new_rows['contested'].sum())}.")
    table_all, table = table, cow_rows
    notes.append(f"cow_interstate: {len(table)} coded spells; primary defections {int(table['defected'].sum())} (the same "
                 f"{int(table['defected_cow_dates'].sum())} under COW's dates), strict "
                 f"{int(table['defected_strict'].sum())}, broad {int(table['defected_broad'].sum())}, early exits "
                 f"{int(table['exit_early'].sum())}; dated by history {int(table['event_dated_by'].eq('history').sum())}; "
                 f"no real partner {int(table['no_real_partner'].sum())}; contested {int(table['contested'].sum())}. "
                 "Counts are per spell, before the panel leaves out partnerless rows.")
    table = table_all
    _io.write_table(table, paths.tables_dir() / "exit_coding", label="tab:exit_coding",
                    caption="How each coded coalition member left the war, with the evidence", notes=notes)
    print(notes[-1])
