"""Figure: the regime, systemic and interaction coefficients across the estimators of Table 3, one panel
per scale (log-odds; log hazard ratio of the complementary log-log hazard; probability for the LPMs).
Writes results/figures/fig_coefficients.{png,pdf}. Run: make fig-coefficients (or python analysis/fig_coefficients.py)

A fit whose status is not "ok" (a separated maximum-likelihood fit, whose estimates run off to
infinity) is left out and named in the caption; its penalised refit is drawn instead.
"""

import matplotlib.pyplot as plt
import pandas as pd

from .. import _io, paths

TERMS = ["democracy", "systemic_favorable", "democracy:systemic_favorable"]


def _scale(estimator: str) -> str:
    if "linearmodels" in estimator:
        return "probability scale (LPM)"
    if "cloglog" in estimator:
        return "log hazard ratio (cloglog hazard)"
    return "log-odds scale (logit)"


def build() -> None:
    tidy = pd.read_csv(paths.tables_dir() / "table3_models.csv")
    if "universe" in tidy:  # the figure draws the COW universe
        tidy = tidy[tidy.universe.eq("cow_interstate")]
    tidy = tidy[tidy.term.isin(TERMS)]
    left_out = sorted({m for m, s in zip(tidy.model, tidy.status) if s != "ok"})
    tidy = tidy[tidy.status.eq("ok")]
    scales = ["log-odds scale (logit)", "log hazard ratio (cloglog hazard)", "probability scale (LPM)"]
    groups = {s: tidy[tidy.estimator.map(_scale) == s] for s in scales}
    groups = {s: d for s, d in groups.items() if len(d)}
    fig, axes = plt.subplots(1, len(groups), figsize=(4.6 * len(groups), 4.2), squeeze=False,
                             gridspec_kw={"wspace": 0.9})
    for ax, (title, data) in zip(axes[0], groups.items()):
        models = list(dict.fromkeys(data["model"]))
        for j, model in enumerate(models):
            sel = data[data.model == model].set_index("term")
            for i, term in enumerate(TERMS):
                if term not in sel.index:
                    continue
                r = sel.loc[term]
                y = i + (j - (len(models) - 1) / 2) * 0.15
                ax.errorbar(r.estimate, y, xerr=[[r.estimate - r.ci_low], [r.ci_high - r.estimate]], fmt="o",
                            capsize=2, color=f"C{j}", label=model)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_yticks(range(len(TERMS)), TERMS)
        ax.set_ylim(-0.5, len(TERMS) - 0.5)  # the same rows in every panel
        ax.set_title(title, fontsize=9)
        ax.set_xlabel("coefficient", fontsize=8)
        handles, labels = ax.get_legend_handles_labels()
        uniq = dict(zip(labels, handles))
        ax.legend(uniq.values(), uniq.keys(), fontsize=6.5, frameon=False, loc="upper center",
                  bbox_to_anchor=(0.5, -0.2), ncol=1)
        ax.grid(alpha=0.3)
    fig.suptitle("Coefficients with 95% CIs as Table 3 reports them (clustered by war; penalised fits: profile "
                 "likelihood; LPMs: t(G-1))", fontsize=9)
    note = ("Left out (no finite maximum-likelihood estimate, Table 3 shows no inference): " + "; ".join(left_out) + "."
            if left_out else "Every fit is drawn.")
    fig.text(0.5, -0.12, note, ha="center", va="top", fontsize=7, wrap=True)
    out = _io.save_figure(fig, paths.figures_dir() / "fig_coefficients")
    print("wrote", *out)
