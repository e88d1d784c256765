"""The systemic conditions: measure, predicted direction, the paper's line, variance and direction in the data.

Writes results/tables/systemic_conditions.{csv,tex,md}. Run: make systemic-conditions (or python analysis/systemic_conditions.py)
"""

import pandas as pd

from .. import _io, paths
from . import _shared
from ..panel import at_risk as risk_set
from ..panel import conditions_table


def build() -> None:
    panel = _shared.panel()
    at_risk = panel[risk_set(panel, "defected")]
    rows = []
    for r in conditions_table().itertuples():
        x = at_risk[r.condition].astype("Float64")
        rate = at_risk.groupby(x)["defected"].mean()
        rows.append({"condition": r.condition, "in_index": r.in_index, "predicted_direction": r.predicted_direction,
                     "paper_line": r.paper_line, "measure": r.measure, "n_measured": int(x.notna().sum()),
                     "n_missing": int(x.isna().sum()), "share_true": float(x.mean()),
                     "defection_rate_true": float(rate.get(1.0, float("nan"))),
                     "defection_rate_false": float(rate.get(0.0, float("nan")))})
    table = pd.DataFrame(rows)
    # direction check: does the raw defection rate fall when the condition favours cohesion?
    table["raw_direction_as_predicted"] = (
        (table["defection_rate_true"] < table["defection_rate_false"])
        == table["predicted_direction"].str.startswith("favours cohesion"))
    notes = ["Each condition is coded True when it favours cohesion, except outmatched (True = capability level below "
             "the enemy's), whose predicted direction is fragmentation by bandwagoning (Walt, quoted at line 141 of the "
             "2013 text). Line numbers refer to shared/papers/resnick2013_hang_together.txt.",
             "share_true and the defection rates are over the state-phases at risk (partnerless rows and rows after a "
             "historical exit left out, as in model_frame); the direction check compares raw rates only, with no "
             "controls. A condition whose share_true is near 0 or 1 cannot be estimated (common_adversary is left out "
             "of the index for that reason)."]
    _io.write_table(table, paths.tables_dir() / "systemic_conditions", label="tab:systemic_conditions",
                    caption="Systemic conditions: measures, predicted directions, variance and raw direction",
                    notes=notes, float_format="%.3f")
    print(table[["condition", "share_true", "defection_rate_true", "defection_rate_false",
                 "raw_direction_as_predicted"]].to_string(index=False))
