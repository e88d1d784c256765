"""Table 1 of Resnick (2015): the smart-power typology of alliance-leadership failure, with the
paper's illustrative cases diagnosed by replication.smartpower.diagnose_failure.

Writes results/tables/smartpower_table1_failures.{csv,tex,md}. Run: make smartpower-table1
"""

import itertools

import pandas as pd

from replication import _io, paths
from replication.smartpower import FAILURES, diagnose_failure, read_cases

wording = {"insufficient": "in possession but insufficiently exploited", "excessive": "deployed in excess",
           "overestimated": "overestimated", "appropriate": "appropriately used"}
cases = read_cases()
rows = []
for hard, soft in itertools.product(["insufficient", "appropriate", "excessive"],
                                    ["insufficient", "appropriate", "overestimated"]):
    failure = diagnose_failure(hard, soft)
    if failure not in FAILURES:
        continue
    hits = cases[(cases.hard_power_use == hard) & (cases.soft_power_use == soft)]
    rows.append({"failure": failure.replace("_", "-"), "hard_power": wording[hard], "soft_power": wording[soft],
                 "illustrative_cases": "; ".join(f"US-{t}, {p}" for t, p in zip(hits.target, hits.period)),
                 "case_ids": ";".join(hits.case_id), "paper_failure_types": ";".join(hits.failure_type.dropna())})
table = pd.DataFrame(rows).sort_values("failure", key=lambda s: s.map(
    {"malign-neglect": 0, "heavy-handedness": 1, "light-handedness": 2}), kind="stable")
assert all(set(t.split(";")) == {f.replace("-", "_")} for t, f in zip(table.paper_failure_types, table.failure)), \
    "a case's diagnosed failure differs from the paper's; see smartpower_cases"
notes = ["Rows are generated from diagnose_failure (every combination of hard- and soft-power use that Table 1 "
         "names); the cases are those in data/raw/smartpower_cases.csv whose coded use of hard and soft power "
         "maps to the row, and each matches the failure type the paper gives it.",
         "Paper's examples: malign neglect, NATO allies in Afghanistan, Oct. 2001-early 2002; heavy-handedness, "
         "the Soviet Union and Britain, May-August 1945; light-handedness, Britain and Pakistan in the Vietnam "
         "War, 1964-66."]
_io.write_table(table.drop(columns=["paper_failure_types"]), paths.tables_dir() / "smartpower_table1_failures",
                label="tab:smartpower_failures", caption="Table 1 (Resnick 2015): a smart power typology of "
                "alliance leadership failure", notes=notes, csv_frame=table)
print(table[["failure", "case_ids"]].to_string(index=False))
