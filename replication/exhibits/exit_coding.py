"""The coalition-exit audit table: every early exit with its code, date, rule, citations and contested flag.

Writes results/tables/exit_coding.{csv,tex,md}. Run: make exit-coding (or python analysis/exit_coding.py)
"""

from .. import _io, paths, sources
from ..panel import create_coalition_spells
from ..panel.exits import exit_coding_table


def build() -> None:
    table = exit_coding_table(create_coalition_spells(sources.read_interstate_war()))
    notes = ["Rule (after Weisiger 2016): a state defects when it stops organised military effort against the enemy "
             "contrary to the wishes of its coalition partners; a side switch always is a defection; conquest, "
             "coalition-wide settlements, withdrawals with the leader or its consent, and exits with war aims met and "
             "partners agreeing never are. In code: switched_sides, or separate_peace/stood_aside with "
             "partners_objected = yes.",
             "defected_broad resolves every doubt towards defection: an 'unclear' objection counts as 'yes', and a contested "
             "exit counts if its alternative code is a defection (alt_is_defection = 1); "
             "exit_early is any exit before the coalition's end other than conquest (Choi 2012). cow_exit_type is what "
             "COW's dates alone give (empty for an early exit).",
             "Sources: Sarkees and Wayman (2010), Resort to War, by war entry; source_2 gives a second source."]
    notes.append(f"{len(table)} exits; primary defections {int(table['defected'].sum())}, strict "
                 f"{int(table['defected_strict'].sum())}, broad {int(table['defected_broad'].sum())}, early exits "
                 f"{int(table['exit_early'].sum())}; contested {int(table['contested'].sum())}.")
    _io.write_table(table, paths.tables_dir() / "exit_coding", label="tab:exit_coding",
                    caption="How each early-exiting coalition member left the war, with the evidence", notes=notes)
    print(notes[-1])
