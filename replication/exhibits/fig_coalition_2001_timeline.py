"""Figure: membership of the 2001 coalitions over time (issue 20) -- each contributor spell from entry to
exit, its peak (marker area by troops, at the peak's date), the end of its organised combat where earlier
than its exit, and defections marked (primary rule: a cross at the event; broad variant only: an open
diamond).

Writes results/figures/fig_coalition_2001_timeline.{png,pdf}. Run: make fig-timeline (or python
analysis/fig_coalition_2001_timeline.py)
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .. import _io, paths
from ..panel import coalition2001 as c2001
from ..panel.exits import classify_exits

COLOURS = {"defection": "#d62728", "broad only": "#ff7f0e", "early exit": "#7f7f7f",
           "to the end, or a coalition-wide settlement": "#1f77b4"}


def _peak_day(text: str, entry: pd.Timestamp, exit_: pd.Timestamp) -> pd.Timestamp:
    """The middle of the peak's date (a day, a month, a year or a FROM/TO range), inside the spell."""
    if not isinstance(text, str) or not text:
        return entry + (exit_ - entry) / 2
    ends = []
    for part in text.split("/"):
        n = part.count("-")
        start = pd.Timestamp(part if n == 2 else f"{part}-01" if n == 1 else f"{part}-01-01")
        stop = start if n == 2 else (start + pd.offsets.MonthEnd(0) if n == 1 else pd.Timestamp(f"{part}-12-31"))
        ends += [start, stop]
    mid = min(ends) + (max(ends) - min(ends)) / 2
    return min(max(mid, entry), exit_)


def timeline_frame() -> pd.DataFrame:
    """One row per contributor spell with its dates, peak and kind (defection, broad only, other early exit, or
    to the end / a coalition-wide settlement such as the end of the UN mandate in Iraq)."""
    contributors = c2001.read_contributors_2001()
    spells = c2001.contributor_spells(contributors)
    info = classify_exits(spells, c2001.contributor_exits(contributors))
    key = ["war_num", "side", "ccode", "spell"]
    frame = contributors.merge(info[key + ["defected", "defected_broad", "exit_early", "event_date"]], on=key)
    frame["kind"] = np.select([frame["defected"], frame["defected_broad"], frame["exit_early"]],
                               ["defection", "broad only", "early exit"], "to the end, or a coalition-wide settlement")
    frame["peak_day"] = [_peak_day(t, a, b) for t, a, b in zip(frame["peak_date"], frame["entry_date"],
                                                                 frame["exit_date"])]
    return frame


def build() -> None:
    frame = timeline_frame()
    wars = list(c2001.WARS)
    heights = [frame[frame.war_num == w]["ccode"].nunique() for w in wars]
    fig, axes = plt.subplots(len(wars), 1, figsize=(10, 0.19 * sum(heights) + 2.5),
                             gridspec_kw={"height_ratios": heights})
    for ax, war in zip(axes, wars):
        d = frame[frame.war_num == war]
        order = d.groupby("state_name")["entry_date"].min().sort_values(kind="stable")
        ypos = {name: i for i, name in enumerate(order.index[::-1])}
        for r in d.itertuples():
            y = ypos[r.state_name]
            ax.plot([r.entry_date, r.exit_date], [y, y], color=COLOURS[r.kind], lw=3, solid_capstyle="butt")
            if pd.notna(r.last_organised_effort):
                ax.plot([r.last_organised_effort, r.exit_date], [y, y], color="white", lw=1.2, ls=(0, (2, 2)))
            ax.scatter([r.peak_day], [y], s=6 + 40 * np.log10(max(r.peak_troops, 1)) ** 1.5 / 5,
                       color="black", zorder=3, alpha=0.6)
            if r.kind == "defection":
                ax.scatter([r.event_date], [y], marker="x", color=COLOURS["defection"], s=60, zorder=4, lw=2)
            elif r.kind == "broad only":
                ax.scatter([r.event_date], [y], marker="D", facecolors="none", edgecolors=COLOURS["broad only"],
                           s=36, zorder=4)
        ax.set_yticks(list(ypos.values()), list(ypos.keys()), fontsize=7)
        name, start, end = c2001.WARS[war]
        ax.set_xlim(pd.Timestamp(start) - pd.Timedelta(days=60), pd.Timestamp(end) + pd.Timedelta(days=60))
        ax.set_title(f"{name}, {start} to {end}: {d['ccode'].nunique()} members, {len(d)} spells", fontsize=10)
        ax.grid(axis="x", alpha=0.3)
    handles = [plt.Line2D([], [], color=c, lw=3, label=f"{k}") for k, c in COLOURS.items()]
    handles += [plt.Line2D([], [], color="black", marker="o", ls="", alpha=0.6, label="peak (area ~ troops)"),
                plt.Line2D([], [], color=COLOURS["defection"], marker="x", ls="", label="defection (primary rule)"),
                plt.Line2D([], [], color=COLOURS["broad only"], marker="D", ls="", markerfacecolor="none",
                           label="defection, broad variant only"),
                plt.Line2D([], [], color="grey", ls=(0, (2, 2)), label="after the end of organised combat")]
    axes[0].legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.suptitle("The 2001 coalitions: membership over time (data/raw/coalition_contributors_2001.csv)", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.985))
    out = _io.save_figure(fig, paths.figures_dir() / "fig_coalition_2001_timeline")
    plt.close(fig)
    print("wrote", *out)
