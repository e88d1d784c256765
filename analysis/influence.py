"""Influence: leave-one-war-out and leave-one-state-out second differences (main specification).

Writes results/tables/influence.{csv,tex,md} and results/figures/fig_influence.{png,pdf}.
Run: make influence
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from replication import _io, paths  # noqa: E402
from replication.models import load_panel  # noqa: E402
from replication.robustness import influence  # noqa: E402

table = influence(load_panel())
base = table["baseline"].iloc[0]
top = table[table.rank_abs_shift <= 5]
show = top[["dropped", "id", "name", "defections_dropped", "estimate", "ci_low", "ci_high", "shift"]]
wars = table[table.dropped == "war"]
ww = wars[wars.id.isin([106, 139])].set_index("id")
notes = [f"Main specification (pooled logit, Table 3): second difference {base:+.3f}. Rows: the five wars and "
         "the five states whose removal moves the estimate most; influence.csv has every war and state.",
         "Dropping World War I moves it by " + (f"{ww.loc[106, 'shift']:+.3f}" if 106 in ww.index else "NA")
         + " and World War II by " + (f"{ww.loc[139, 'shift']:+.3f}" if 139 in ww.index else "NA") + "."]
_io.write_table(show, paths.tables_dir() / "influence", csv_frame=table, label="tab:influence",
                caption="Influence of single wars and states on the second difference", notes=notes,
                float_format="%.3f")
fig, axes = plt.subplots(1, 2, figsize=(10, 6))
for ax, unit in zip(axes, ["war", "state"]):
    sel = table[table.dropped == unit].sort_values("estimate", kind="stable")
    y = range(len(sel))
    ax.errorbar(sel.estimate, y, xerr=[sel.estimate - sel.ci_low, sel.ci_high - sel.estimate], fmt="o", ms=2.5,
                elinewidth=0.6, color="#1b9e77")
    ax.axvline(base, color="black", linewidth=0.8, linestyle="--")
    ax.axvline(0, color="grey", linewidth=0.5)
    flagged = sel.rank_abs_shift <= 5
    ax.set_yticks([i for i, f in zip(y, flagged) if f], [n for n, f in zip(sel.name, flagged) if f], fontsize=7)
    ax.set_title(f"leave one {unit} out (n = {len(sel)}; labelled: 5 largest shifts)", fontsize=9)
    ax.set_xlabel("second difference without it")
fig.suptitle(f"Dashed: full-sample estimate {base:+.3f}", fontsize=9)
_io.save_figure(fig, paths.figures_dir() / "fig_influence")
print(show.to_string(index=False))
