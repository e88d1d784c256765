"""Influence: leave-one-war-out and leave-one-state-out second differences (main specification).

Writes results/tables/influence.{csv,tex,md} and results/figures/fig_influence.{png,pdf}.
Run: make influence (or python analysis/influence.py)
"""

import matplotlib.pyplot as plt

from .. import _io, paths
from ..robustness import influence
from . import _shared


def spread(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Label positions as close as possible to ``wanted`` (sorted ascending) but at least ``gap``
    apart and inside [lo, hi]: push up from the bottom, then back down from the top. Hand-written
    because the labels sit in the margin, outside the axes, where adjustText does not place text."""
    out = []
    for w in wanted:
        out.append(max(w, lo, out[-1] + gap) if out else max(w, lo))
    for i in range(len(out) - 1, -1, -1):
        ceiling = hi if i == len(out) - 1 else out[i + 1] - gap
        out[i] = min(out[i], ceiling)
    return out


def build() -> None:
    table = influence(_shared.panel())
    base = table["baseline"].iloc[0]
    top = table[table.rank_abs_shift <= 5]
    show = top[["dropped", "id", "name", "defections_dropped", "estimate", "ci_low", "ci_high", "shift"]]
    wars = table[table.dropped == "war"]
    ww = wars[wars.id.isin([106, 139])].set_index("id")
    notes = [f"Main specification (the Firth logit of Tables 4 and 5, primary reading): second difference {base:+.3f}, "
             "delta-method CIs with the model-based covariance. Rows: the five wars and the five states whose removal "
             "moves the estimate most; influence.csv has every war and state. defections_dropped: the defections of "
             "the estimation sample that the drop removes.",
             "Dropping World War I moves it by " + (f"{ww.loc[106, 'shift']:+.3f}" if 106 in ww.index else "NA")
             + " and World War II by " + (f"{ww.loc[139, 'shift']:+.3f}" if 139 in ww.index else "NA") + "."]
    _io.write_table(show, paths.tables_dir() / "influence", csv_frame=table, label="tab:influence",
                    caption="Influence of single wars and states on the second difference", notes=notes,
                    float_format="%.3f")

    fig, axes = plt.subplots(1, 2, figsize=(11, 6.5), gridspec_kw={"wspace": 0.7})
    for ax, unit in zip(axes, ["war", "state"]):
        sel = table[table.dropped == unit].sort_values("estimate", kind="stable")
        y = list(range(len(sel)))
        ax.errorbar(sel.estimate, y, xerr=[sel.estimate - sel.ci_low, sel.ci_high - sel.estimate], fmt="o", ms=2.5,
                    elinewidth=0.6, color="#1b9e77")
        ax.axvline(base, color="black", linewidth=0.8, linestyle="--")
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.set_ylim(-1, len(sel))
        ax.set_yticks([])
        flagged = [(i, n) for i, n, f in zip(y, sel.name, sel.rank_abs_shift <= 5) if f]
        # labels in the left margin, spaced by at least one label height, each joined to its row by a line
        fig.canvas.draw()
        points_per_row = ax.get_window_extent().height * 72 / fig.dpi / (len(sel) + 1)
        gap = 10.0 / points_per_row  # a 7-pt label is about 8 pt tall; 2 pt between labels
        label_y = spread([i for i, _ in flagged], gap, -0.5, len(sel) - 0.5)
        for (row, name), ly in zip(flagged, label_y):
            ax.annotate(name, xy=(0, row), xycoords=("axes fraction", "data"), xytext=(-0.04, ly),
                        textcoords=("axes fraction", "data"), ha="right", va="center", fontsize=7,
                        arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5, "shrinkA": 0, "shrinkB": 0})
        ax.set_title(f"leave one {unit} out (n = {len(sel)}; labelled: 5 largest shifts)", fontsize=9)
        ax.set_xlabel("second difference without it")
        ax.yaxis.set_label_position("right")  # the left margin holds the row labels
        ax.set_ylabel(f"{unit} left out, sorted by estimate", fontsize=8)
    fig.suptitle(f"Dashed: full-sample estimate {base:+.3f}", fontsize=9)
    _io.save_figure(fig, paths.figures_dir() / "fig_influence")
    print(show.to_string(index=False))
