"""Table 6: do democratic coalitions recover from military disadvantage and win? (Resnick 2013, line 671)

Writes results/tables/table6_coalition_recovery.{csv,tex,md} and table6_coalition_sides.csv.
Run: make table6 (or python analysis/table6_coalition_recovery.py)
"""

from .. import _io, paths
from ..models.coalitions import WORLD_WAR_II, coalition_sides, recovery_table
from . import _shared


def build() -> None:
    sides = coalition_sides(_shared.panel())
    table = recovery_table(sides)
    show = table[["sample", "measure", "term", "n", "won", "mean_share_winners", "mean_share_others", "firth_estimate",
                  "firth_ci_low", "firth_ci_high", "firth_p_one_sided", "permutation_p_one_sided",
                  "rank_sum_p_one_sided", "held"]]
    r = table.iloc[0]
    perms = "; ".join(f"{s}: {p}" for s, p in table.dropna(subset=["permutations"])
                      .drop_duplicates("sample")[["sample", "permutations"]].itertuples(index=False))
    wwii = sides[sides.war_num == WORLD_WAR_II]
    notes = [
        f"Unit: coalition side of a COW inter-state war ({int(r.sides)} sides, {int(r.outmatched_sides)} outmatched "
        "(capability ratio < 0.5) in at least one phase as a coalition). Won: modal COW outcome of the members is 1; "
        "not won: 2, 3 or 6; sides whose war was transformed or whose outcome is another code are excluded "
        f"({int(r.excluded_outcome_or_regime)} of the outmatched sides).",
        "Democratic share: mean over member spells of the share of democratic phases (Polity >= 6), by count or weighted "
        "by the members' mean CINC. Firth logit of won on the share (term 'share'), or on share x outmatched_ever with "
        "both main effects on all sides (term 'share x outmatched_ever': does the share matter more for sides that had "
        "to recover?); profile penalised-likelihood 95% CI, one-sided penalised-LR p (prediction > 0).",
        "Permutation tests: one-sided, exact, enumerating every assignment of the observed number of wins to the sides "
        f"({perms}); statistic the difference in mean share, or the rank sum with mid-ranks (the exact Wilcoxon-Mann-"
        "Whitney test with ties: many shares are 0, and the normal approximation is not used).",
        f"Samples: the outmatched sides (the test of line 671); the same without World War II (both of its sides, "
        f"{', '.join(wwii.war_name + ' side ' + wwii.side.astype(str))}, are outmatched sides); a placebo among the "
        "never-outmatched sides, where a positive slope means the share predicts winning without any recovery, so the "
        "first rows alone do not isolate recovery; and the interaction on all sides, the recovery test proper.",
        "Liberalism makes the same prediction: democracies are better allies and more likely to win whatever their "
        "military position (Resnick 2013, lines 87-95, on Choi), so a positive slope among outmatched sides cannot "
        "separate neoclassical realism from liberalism; only the interaction row speaks to recovery.",
        "Bivariate and on few sides: the tests do not adjust for the coalition's overall strength or the war's era, so "
        "they check the implication, they do not estimate a causal effect. All sides are in table6_coalition_sides.csv.",
    ]
    _io.write_table(show, paths.tables_dir() / "table6_coalition_recovery", csv_frame=table, label="tab:recovery",
                    caption="Democratic share and recovery from military disadvantage (Resnick 2013, line 671)",
                    notes=notes, float_format="%.3f")
    _io.write_csv(sides, paths.tables_dir() / "table6_coalition_sides.csv")
    print(show.to_string(index=False))
