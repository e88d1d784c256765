"""Sensitivity of Table 2 (Resnick 2013) to each coded cohesion indicator: the derived verdict
and the three congruence scores with each of the 18 indicator values flipped in turn, and,
per state-phase, how many changes reverse its verdict and what the scores would then be.

Writes results/tables/table2_sensitivity.{csv,tex,md} and
results/tables/table2_reversals.{csv,tex,md}. Run: make table2-sensitivity (or python analysis/table2_sensitivity.py)
"""

from .. import _io, paths
from ..grand_alliance import casefile, sensitivity, theories, verdict


def build() -> None:
    long = casefile.read_case_file()
    cases = casefile.load_cases()
    base = theories.scores(theories.congruence(cases))
    flips = sensitivity.one_flip(long)
    reversals = sensitivity.reversals(cases)
    n_verdict, n_scores = int(flips["verdict_changes"].sum()), int(flips["scores_change"].sum())
    base_text = ", ".join(f"{t} {base[t]}/6" for t in sensitivity.THEORY_ORDER)

    _io.write_table(flips, paths.tables_dir() / "table2_sensitivity", label="tab:table2_sensitivity",
                    caption="Table 2 (Resnick 2013): congruence scores with one coded cohesion indicator flipped",
                    notes=[f"Each row flips one of the {len(flips)} coded indicator values (high <-> low; mixed -> high, "
                           "the only change of a mixed value the rule can notice), derives every verdict again "
                           f"({verdict.RULE_TEXT}) and rescores the three theories. Scores as coded: {base_text}.",
                           f"{n_verdict} of {len(flips)} single flips change a derived verdict and {n_scores} change a "
                           "score: under a two-of-three rule no single coding decides a state-phase, because every "
                           "state-phase's indicators are unanimous or all but unanimous (Britain, phase II: "
                           "low/low/mixed). table2_reversals shows what two changes do."])
    _io.write_table(reversals, paths.tables_dir() / "table2_reversals", label="tab:table2_reversals",
                    caption="Table 2 (Resnick 2013): indicator changes needed to reverse each derived verdict, and "
                            "the scores if it were reversed",
                    notes=["changes_needed: the fewest indicator values that must change to reverse the state-phase's "
                           "derived verdict; the scores are those with that one verdict reversed and every other "
                           f"state-phase as coded (as coded: {base_text}).",
                           "Neoclassical realism's 6/6 falls to 5/6 if any one state-phase's verdict is reversed; "
                           "neorealism would reach 6/6 only if the USSR's phase I verdict were 'maximize'."])
    print(flips[["state", "phase", "indicator", "verdict_changes", "scores_change"]].to_string(index=False))
    print(reversals.to_string(index=False))
