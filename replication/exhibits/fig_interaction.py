"""Figure: predicted probability of defection by regime type and systemic conditions, with
delta-method and bootstrap CIs (from Table 5). Writes results/figures/fig_interaction.{png,pdf}.
Run: make fig-interaction (or python analysis/fig_interaction.py)
"""

import matplotlib.pyplot as plt
import pandas as pd

from .. import _io, paths


def build() -> None:
    table = pd.read_csv(paths.tables_dir() / "table5_interaction.csv")
    cells = {"p(aut, unfav)": (0, "autocracy"), "p(dem, unfav)": (0, "democracy"),
             "p(aut, fav)": (1, "autocracy"), "p(dem, fav)": (1, "democracy")}
    # a separated ML fit has no inference to draw; its penalised refit stands in its place (Table 5 says so)
    shown = table[~table["status"].eq("separated")] if "status" in table else table
    models = list(dict.fromkeys(shown["model"]))
    fig, axes = plt.subplots(1, len(models), figsize=(4.2 * len(models), 4.4), sharey=True)
    for ax, model in zip(axes, models):
        sel = table[(table.model == model) & table.quantity.isin(cells)]
        for r in sel.itertuples():
            x, regime = cells[r.quantity]
            dx = -0.08 if regime == "autocracy" else 0.08
            color = "#d95f02" if regime == "autocracy" else "#1b9e77"
            if r.boot_ci_low == r.boot_ci_low:  # no bootstrap for a penalised refit
                ax.errorbar(x + dx, r.estimate, yerr=[[r.estimate - r.boot_ci_low], [r.boot_ci_high - r.estimate]],
                            fmt="none", ecolor=color, alpha=0.35, elinewidth=6)
            ax.errorbar(x + dx, r.estimate, yerr=[[r.estimate - r.delta_ci_low], [r.delta_ci_high - r.estimate]],
                        fmt="o", color=color, capsize=3, label=regime if x == 0 else None)
        sd = table[(table.model == model) & (table.quantity == "second difference")].iloc[0]
        lo, hi = (sd.boot_ci_low, sd.boot_ci_high) if sd.boot_ci_low == sd.boot_ci_low else \
            (sd.delta_ci_low, sd.delta_ci_high)
        ax.set_title(f"{model.replace(' -> ', chr(10) + '-> ')}\nsecond difference {sd.estimate:+.3f} [{lo:+.3f}, {hi:+.3f}]",
                     fontsize=9)
        ax.set_xticks([0, 1], ["unfavourable", "favourable"])
        ax.set_xlabel("systemic conditions")
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("P(defection) in a state-phase")
    axes[0].legend(frameon=False, fontsize=8)
    # the caption sits in a bottom margin of its own, below the x-axis labels (it used to overlap them)
    fig.subplots_adjust(bottom=0.3)
    fig.text(0.5, 0.02, "Thin bars: delta-method 95% CI; wide bars: war-cluster bootstrap 95% CI (not run for a penalised "
             "refit, whose bracket is the delta-method CI). Favourable = 2 of 3 index conditions; raw rates are higher "
             "under favourable conditions because the losing (trend) condition, counted as favouring cohesion (Weitsman), "
             "coincides with bandwagoning defections (see systemic_conditions).", ha="center", va="bottom", fontsize=7, wrap=True)
    out = _io.save_figure(fig, paths.figures_dir() / "fig_interaction")
    print("wrote", *out)
