"""Figure 1 of Resnick (2015) as a drawing: the strategy regions and every coded case.

Each case is drawn where its own coding puts it: horizontally at its computed soft power,
vertically in the half of its coded preference alignment (lower half "diverging", upper
half "shared"), so the region under the marker is the strategy Figure 1 recommends for
it. Every region and every case marker carries a ``gid`` (the strategy name, the case id)
so tests can read the drawn geometry back.
"""

from __future__ import annotations

import pandas as pd

from .model import Zones

#: vertical halves of the map, by coded alignment
HALVES = {"diverging": (0.0, 1.0), "shared": (1.0, 2.0)}
COLORS = {"coercive_enticement": "#d73027", "coercion_and_bribery": "#fc8d59", "side_payment_bribery": "#fee090",
          "side_payment_and_conditional_bolstering": "#e0f3f8", "conditional_bolstering": "#91bfdb",
          "unconditional_bolstering": "#4575b4"}
LABELS = {"coercive_enticement": "coercive\nenticement", "coercion_and_bribery": "mixed coercion\nand bribery\n(n. 33)",
          "side_payment_bribery": "side-payment\nbribery",
          "side_payment_and_conditional_bolstering": "side\npay-\nments\n+ cond.\n(n. 40)",
          "conditional_bolstering": "conditional\nbolstering", "unconditional_bolstering": "unconditional\nbolstering"}


def regions(zones: Zones = Zones()) -> list[tuple[str, float, float, float, float]]:
    """(strategy, x0, x1, y0, y1) for each region of the map, from the same zones as
    :func:`.model.recommended_strategy`."""
    z = zones
    return [("coercive_enticement", -1.0, z.coercive_max, 0.0, 2.0),
            ("coercion_and_bribery", z.coercive_max, -z.indifference, 0.0, 2.0),
            ("side_payment_bribery", -z.indifference, z.indifference, 0.0, 2.0),
            ("side_payment_and_conditional_bolstering", z.indifference, z.weak_max, 0.0, 1.0),
            ("conditional_bolstering", z.weak_max, 1.0, 0.0, 1.0),
            ("unconditional_bolstering", z.indifference, 1.0, 1.0, 2.0)]


def case_positions(cases: pd.DataFrame) -> pd.DataFrame:
    """x = soft power; y spread evenly inside the case's alignment half (sorted by soft power,
    so cases with equal scores do not sit on top of each other), below the region labels."""
    rows = []
    for alignment, group in cases.groupby("alignment", sort=True):
        lo, hi = HALVES[alignment]
        top = hi - 0.3  # room for the region labels at the top of each half
        group = group.sort_values(["soft_power", "case_id"], kind="stable")
        step = (top - (lo + 0.06)) / max(len(group), 1)
        for i, r in enumerate(group.itertuples()):
            rows.append({"case_id": r.case_id, "x": float(r.soft_power), "y": lo + 0.06 + step * (i + 0.5)})
    return pd.DataFrame(rows)


def draw_strategy_map(cases: pd.DataFrame, zones: Zones = Zones(), ax=None):
    """Draw the map on ``ax`` (a new figure if None) and return the figure.

    ``cases`` is :func:`.cases.classify_cases`'s output. Marker X: a failure computed from the
    observed against the recommended strategy; red ring: a failure in the paper's Table 1.
    """
    import matplotlib.pyplot as plt
    from adjustText import adjust_text

    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 7.5))
    fig = ax.figure
    for strategy, x0, x1, y0, y1 in regions(zones):
        ax.fill_between([x0, x1], y0, y1, color=COLORS[strategy], alpha=0.55, linewidth=0, gid=strategy)
        ax.text((x0 + x1) / 2, y1 - 0.03, LABELS[strategy], ha="center", va="top", fontsize=6.5,
                gid=f"region-label:{strategy}")
    ax.axhline(1.0, color="grey", linewidth=0.6)
    pos = case_positions(cases).set_index("case_id")
    texts, xs, ys = [], [], []
    for r in cases.itertuples():
        x, y = pos.loc[r.case_id, "x"], pos.loc[r.case_id, "y"]
        failure = isinstance(r.failure_computed, str)
        ax.scatter([x], [y], marker="X" if failure else "o", color="black", s=30, zorder=4, gid=r.case_id)
        if isinstance(r.paper_failure_type, str):
            ax.scatter([x], [y], marker="o", facecolors="none", edgecolors="#b2182b", s=110, linewidths=1.1,
                       zorder=3)
        texts.append(ax.text(x, y, r.case_id, fontsize=6.5, zorder=5, gid=f"case-label:{r.case_id}"))
        xs.append(x)
        ys.append(y)
    ax.set_xlim(-1, 1)
    ax.set_ylim(0, 2)
    # labels are pushed off each other and off the markers; adjustText is seeded, so reruns are identical
    adjust_text(texts, x=xs, y=ys, ax=ax, expand=(1.3, 1.8), force_static=(0.4, 0.8), ensure_inside_axes=True,
                arrowprops={"arrowstyle": "-", "color": "grey", "linewidth": 0.5})
    ax.set_yticks([0.5, 1.5], ["preferences\ndiverge", "preferences\nshared"])
    ax.set_ylabel("Partner's coded preference alignment with the leader")
    ax.set_xlabel("Alliance leader's soft power towards the partner (-1 repulsion, +1 attraction)")
    ax.set_title("Four hard-power strategies of wartime alliance management (Resnick 2015, Figure 1)\n"
                 "with the paper's cases: X = failure computed from observed vs recommended strategy; "
                 "red ring = failure in the paper's Table 1", fontsize=9)
    return fig


def draw_relative_power(cases: pd.DataFrame, ax) -> None:
    """One row per case: the power index used in the score (filled) beside the share it replaces
    (open), so the spread the log ratio adds after 1945 is visible."""
    order = cases.sort_values(["relative_power", "case_id"], kind="stable")
    y = range(len(order))
    ax.hlines(list(y), order["cinc_share_vs_adversary"], order["relative_power"], color="grey", linewidth=0.6)
    ax.scatter(order["cinc_share_vs_adversary"], list(y), facecolors="none", edgecolors="black", s=22,
               label="share: US / (US + adversary)", zorder=3)
    ax.scatter(order["relative_power"], list(y), color="#4575b4", s=22, zorder=3,
               label="index used: 0.5 + log10(US / adversary) / 4")
    ax.set_yticks(list(y), order["case_id"], fontsize=6.5)
    ax.set_xlim(0.45, 1.02)
    ax.set_xlabel("US capability against the adversary (COW NMC CINC, case year)")
    ax.set_ylabel("case", fontsize=8)
    ax.set_title("Relative power, the second source of soft power: the log-ratio index against the share",
                 fontsize=9)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    ax.grid(axis="x", alpha=0.3)
