"""Table 6: do democratic coalitions recover from military disadvantage and win? (Resnick 2013, line 671)

Writes results/tables/table6_coalition_recovery.{csv,tex,md} and table6_coalition_sides.csv.
Run: make table6 (or python analysis/table6_coalition_recovery.py)
"""

from .. import _io, paths
from ..models.coalitions import coalition_sides, recovery_test
from . import _shared


def build() -> None:
    sides = coalition_sides(_shared.panel())
    table = recovery_test(sides)
    show = table[["measure", "n", "won", "mean_share_winners", "mean_share_others", "firth_slope", "firth_ci_low",
                  "firth_ci_high", "firth_p_one_sided", "rank_test_p_one_sided", "held"]]
    r = table.iloc[0]
    notes = [
        f"Unit: coalition side of a COW inter-state war ({int(r.sides)} sides). Sample: the {int(r.outmatched_sides)} "
        "sides outmatched (capability ratio < 0.5) in at least one phase, less "
        f"{int(r.excluded_outcome_or_regime)} whose war was transformed or whose outcome is not coded win/lose/draw. "
        "Won: modal COW outcome of the members is 1; not won: 2, 3 or 6.",
        "Democratic share: mean over member spells of the share of democratic phases (Polity >= 6), by count or weighted "
        "by the members' mean CINC. Firth logit of won on the share: slope with profile penalised-likelihood 95% CI; "
        "one-sided p from the penalised LR test (prediction: slope > 0). Rank test: one-sided Wilcoxon-Mann-Whitney.",
        "Bivariate and on few sides: the test does not adjust for the coalition's overall strength or the war's era, so "
        "it is a check of the implication, not an estimate of a causal effect. All sides are in table6_coalition_sides.csv.",
    ]
    _io.write_table(show, paths.tables_dir() / "table6_coalition_recovery", csv_frame=table, label="tab:recovery",
                    caption="Democratic share and recovery from military disadvantage (Resnick 2013, line 671)",
                    notes=notes, float_format="%.3f")
    _io.write_csv(sides, paths.tables_dir() / "table6_coalition_sides.csv")
    print(show.to_string(index=False))
