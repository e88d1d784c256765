"""Table 1 of Resnick (2015): the smart-power typology of alliance-leadership failure. Each
row's cases are those whose failure the package computes from the observed against the
recommended strategy (replication.smartpower.diagnose_from_strategies), set beside the cases
the paper gives for that row.

Writes results/tables/smartpower_table1_failures.{csv,tex,md}. Run: make smartpower-table1 (or python analysis/smartpower_table1_failures.py)
"""

import itertools

import pandas as pd

from .. import _io, paths
from ..smartpower import FAILURES, classify_cases, diagnose_failure, read_cases
from ..sources import read_nmc


def build() -> None:
    wording = {"insufficient": "in possession but insufficiently exploited", "excessive": "deployed in excess",
               "overestimated": "overestimated", "appropriate": "appropriately used"}
    cases = classify_cases(read_cases(), read_nmc("4.0"))
    rows = []
    for hard, soft in itertools.product(["insufficient", "appropriate", "excessive"],
                                        ["insufficient", "appropriate", "overestimated"]):
        failure = diagnose_failure(hard, soft)
        if failure not in FAILURES:
            continue
        computed = cases[cases.failure_computed.fillna("none") == failure]
        paper = cases[cases.paper_failure_type.fillna("none") == failure]
        rows.append({"failure": failure.replace("_", "-"), "hard_power": wording[hard], "soft_power": wording[soft],
                     "cases_computed": ";".join(computed.case_id), "cases_paper": ";".join(paper.case_id),
                     "differences": len(set(computed.case_id) ^ set(paper.case_id))})
    table = pd.DataFrame(rows).sort_values("failure", key=lambda s: s.map(
        {"malign-neglect": 0, "heavy-handedness": 1, "light-handedness": 2}), kind="stable")
    no_failure = cases[cases.failure_computed.isna() & cases.paper_failure_type.isna()]
    n_disagree = int((~cases.failure_agrees).sum())
    notes = ["Rows are generated from diagnose_failure (every combination of hard- and soft-power use that Table 1 "
             "names). cases_computed: the cases whose observed strategy, set against the strategy Figure 1 recommends "
             "for their computed soft power, gives this failure (strict matching; see smartpower_cases). cases_paper: "
             "the cases the paper gives for the row (paper_failure_type in data/raw/smartpower_cases.csv).",
             f"The computed and the paper's failure types disagree in {n_disagree} of {len(cases)} cases "
             f"({', '.join(cases.loc[~cases.failure_agrees, 'case_id'])}); {len(no_failure)} cases have no failure on "
             "either reading. 'differences' counts the cases in one column of a row but not the other.",
             "Paper's examples: malign neglect, NATO allies in Afghanistan, Oct. 2001-early 2002; heavy-handedness, "
             "the Soviet Union and Britain, May-August 1945; light-handedness, Britain and Pakistan in the Vietnam "
             "War, 1964-66. The heavy-handedness of 1945 lay in the manner (abrupt cut-offs) of the strategy the "
             "paper says fits, conditional bolstering, which a strategy-level comparison cannot see."]
    _io.write_table(table, paths.tables_dir() / "smartpower_table1_failures", label="tab:smartpower_failures",
                    caption="Table 1 (Resnick 2015): a smart power typology of alliance leadership failure, with the "
                            "cases computed and as the paper gives them", notes=notes)
    print(table[["failure", "cases_computed", "cases_paper"]].to_string(index=False))
