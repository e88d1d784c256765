"""Figure: the regime, systemic and interaction coefficients across the six estimators (from Table 3).
Writes results/figures/fig_coefficients.{png,pdf}. Run: make fig-coefficients (or python analysis/fig_coefficients.py)
"""

import matplotlib.pyplot as plt
import pandas as pd

from .. import _io, paths


def build() -> None:
    tidy = pd.read_csv(paths.tables_dir() / "table3_models.csv")
    terms = ["democracy", "systemic_favorable", "democracy:systemic_favorable"]
    tidy = tidy[tidy.term.isin(terms)]
    groups = {"log-odds scale": tidy[~tidy.estimator.str.contains("linearmodels")],
              "probability scale (LPM)": tidy[tidy.estimator.str.contains("linearmodels")]}
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [2, 1], "wspace": 0.75})
    for ax, (title, data) in zip(axes, groups.items()):
        models = list(dict.fromkeys(data["model"]))
        for j, model in enumerate(models):
            sel = data[data.model == model].set_index("term")
            for i, term in enumerate(terms):
                if term not in sel.index:
                    continue
                r = sel.loc[term]
                y = i + (j - (len(models) - 1) / 2) * 0.15
                ax.errorbar(r.estimate, y, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o",
                            capsize=2, color=f"C{j}", label=model)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_yticks(range(len(terms)), terms)
        ax.set_ylim(-0.5, len(terms) - 0.5)  # the same rows in both panels
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("coefficient (change in log-odds)" if ax is axes[0] else "coefficient (change in probability)",
                      fontsize=8)
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles))
        ax.legend(uniq.values(), uniq.keys(), fontsize=6.5, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, -0.2), ncol=2)
        ax.grid(alpha=0.3)
    fig.suptitle("Coefficients with 95% CIs (clustered by war; penalised refits: profile likelihood)", fontsize=9)
    out = _io.save_figure(fig, paths.figures_dir() / "fig_coefficients")
    print("wrote", *out)
