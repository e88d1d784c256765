"""Figure: power shares of Britain, the USSR and the US, 1942-45, reproduced vs published.

Writes results/figures/fig_power_shares.{png,pdf}. Run: make fig-power-shares (or python analysis/fig_power_shares.py)
"""

import matplotlib.pyplot as plt

from .. import _io, paths
from ..grand_alliance import STATE_NAMES, table1


def build() -> None:
    table = table1.reproduce()
    fig, ax = plt.subplots(figsize=(8.4, 4.0))
    colors = {"UKG": "#1b9e77", "RUS": "#d95f02", "USA": "#7570b3"}
    for state in table1.STATE_ORDER:
        for method, style in (("cinc", "-"), ("components", ":")):
            sel = table[(table.state == state) & (table.method == method) & (table.nmc_version == table1.DEFAULT_VERSION)]
            label = f"{STATE_NAMES[state]}, {'(a) CINC ratio' if method == 'cinc' else '(b) component mean'}"
            ax.plot(sel.year, sel.share_pct, style, color=colors[state], marker="o" if method == "cinc" else None,
                    label=label)
        pub = table[(table.state == state) & (table.method == "cinc") & (table.nmc_version == table1.DEFAULT_VERSION)]
        ax.scatter(pub.year, pub.published_pct, marker="s", facecolors="none", edgecolors="black", zorder=3,
                   label="Published (Resnick 2013, Table 1)" if state == "UKG" else None)
    ax.set_xticks(list(table1.YEARS))
    ax.set_xlabel("Year")
    ax.set_ylabel("Share of the three allies' capabilities (%)")
    ax.set_ylim(0, 75)
    ax.set_title(f"Grand Alliance power shares, COW NMC v{table1.DEFAULT_VERSION}")
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)  # outside: no line hidden
    ax.grid(alpha=0.3)
    out = _io.save_figure(fig, paths.figures_dir() / "fig_power_shares")
    print("wrote", *out)
