"""The 2015 paper's cases: computed relative power and soft power, recommended vs observed strategy.

Writes results/tables/smartpower_cases.{csv,tex,md}. Run: make smartpower-cases
"""

from replication import _io, paths
from replication.smartpower import Weights, Zones, classify_cases, read_cases
from replication.sources import read_nmc

table = classify_cases(read_cases(), read_nmc("4.0"))
table["failure_diagnosed"] = table["failure_diagnosed"].fillna("none")
show = table[["case_id", "target", "period", "relative_power", "soft_power", "alignment", "recommended",
              "paper_strategy", "observed_strategy", "agrees_with_paper", "margin_to_boundary",
              "recommended_equal_weights", "recommended_narrow_band", "failure_diagnosed"]]
w, z = Weights(), Zones()
fragile = table[(table.recommended_equal_weights != table.recommended)
                | (table.recommended_narrow_band != table.recommended)]
notes = [f"Soft power = {w.threat} x threat + {w.power} x (2 x relative power - 1) x max(threat, 0) + "
         f"{w.voice} x voice, on [-1, 1]; relative power is the US share of US plus adversary CINC in the case "
         f"year (COW NMC v{table.nmc_version.iloc[0]}). Zones: coercive enticement <= {z.coercive_max}; side-payment "
         f"bribery within +/-{z.indifference}; bolstering above (conditional if preferences diverge).",
         f"{int(table.agrees_with_paper.sum())} of {len(table)} cases get the strategy the paper gives. "
         f"Under equal weights or a +/-0.15 indifference band, {len(fragile)} cases change recommendation "
         f"({', '.join(fragile.case_id)}): the paper's Figure 1 is qualitative, and these cases sit near a "
         "zone boundary or depend on how much the weights favour threat over voice, which the paper ranks "
         "but does not quantify.",
         "observed_strategy is what the US did; 'none' means no hard power was used (the failures of neglect and "
         "light-handedness). Failure types follow Table 1 from the coded use of hard and soft power."]
_io.write_table(show, paths.tables_dir() / "smartpower_cases", label="tab:smartpower_cases",
                caption="Resnick (2015) cases: computed soft power and Figure 1's recommended strategy",
                notes=notes, csv_frame=table, float_format="%.3f")
print(show[["case_id", "soft_power", "recommended", "agrees_with_paper"]].to_string(index=False))
