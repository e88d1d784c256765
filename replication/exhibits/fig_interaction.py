"""Figure: predicted probability of defection by regime type and systemic conditions, for both
readings of "favourable" and both reported models (from Table 5). Writes
results/figures/fig_interaction.{png,pdf}. Run: make fig-interaction (or python analysis/fig_interaction.py)

The intervals are the delta-method 95% intervals computed on the logit scale of each cell's
probability and transformed back, so they stay inside [0, 1] (a probability's normal interval
runs below zero for cells near 0).
"""

import matplotlib.pyplot as plt
import pandas as pd
from scipy.special import expit, logit

from .. import _io, paths
from ..models.hypotheses import READINGS

CELLS = {"p(aut, unfav)": (0, "autocracy"), "p(dem, unfav)": (0, "democracy"),
         "p(aut, fav)": (1, "autocracy"), "p(dem, fav)": (1, "democracy")}


def bounded_interval(p: float, se: float, z: float = 1.959964) -> tuple[float, float]:
    """95% interval of a probability from its delta-method SE, on the logit scale and back: inside (0, 1)."""
    se_logit = se / (p * (1 - p))
    return float(expit(logit(p) - z * se_logit)), float(expit(logit(p) + z * se_logit))


def build() -> None:
    table = pd.read_csv(paths.tables_dir() / "table5_interaction.csv")
    if "universe" in table:  # the figure draws the COW universe (table5_universes sets the others beside it)
        table = table[table.universe.eq("cow_interstate")]
    models = list(dict.fromkeys(table["model"]))
    readings = [r for r in READINGS if r in set(table["reading"])]
    fig, axes = plt.subplots(len(readings), len(models), figsize=(4.4 * len(models), 3.6 * len(readings)),
                             sharey=True, squeeze=False)
    for i, reading in enumerate(readings):
        for j, model in enumerate(models):
            ax = axes[i, j]
            sel = table[(table.reading == reading) & (table.model == model)]
            for r in sel[sel.quantity.isin(CELLS)].itertuples():
                x, regime = CELLS[r.quantity]
                dx = -0.08 if regime == "autocracy" else 0.08
                lo, hi = bounded_interval(r.estimate, r.delta_se)
                color = "#d95f02" if regime == "autocracy" else "#1b9e77"
                ax.errorbar(x + dx, r.estimate, yerr=[[r.estimate - lo], [hi - r.estimate]], fmt="o", color=color,
                            capsize=3, label=regime if x == 0 else None)
            sd = sel[sel.quantity == "second difference"].iloc[0]
            ax.set_title(f"{model}\nreading: {READINGS[reading].key.replace('_', ' ')}\nsecond difference "
                         f"{sd.estimate:+.3f} [{sd.delta_ci_low:+.3f}, {sd.delta_ci_high:+.3f}]", fontsize=9)
            ax.set_xticks([0, 1], ["unfavourable", "favourable"])
            ax.set_xlabel("systemic conditions")
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.3)
        axes[i, 0].set_ylabel("P(defection) in a state-phase")
    axes[0, 0].legend(frameon=False, fontsize=8)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.text(0.5, 0.01, "Points: average predicted probability of defection in a state-phase (Firth logit; "
             "Jeffreys-penalised cloglog hazard with the exposure offset). Bars: delta-method 95% intervals on the logit "
             "scale, transformed back (inside [0, 1]). Titles: the second difference with its delta-method 95% interval. "
             "Rows: the two readings of favourable (Table 5).", ha="center", va="bottom", fontsize=7, wrap=True)
    out = _io.save_figure(fig, paths.figures_dir() / "fig_interaction")
    print("wrote", *out)
