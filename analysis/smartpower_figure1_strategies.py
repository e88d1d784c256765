"""Figure 1 of Resnick (2015): the four hard-power strategies on the soft-power axis, with every
coded case placed on it. Writes results/figures/smartpower_figure1_strategies.{png,pdf}.
Run: make smartpower-figure1
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from replication import _io, paths  # noqa: E402
from replication.smartpower import Zones, classify_cases, read_cases  # noqa: E402
from replication.sources import read_nmc  # noqa: E402

z = Zones()
cases = classify_cases(read_cases(), read_nmc("4.0"))
fig, ax = plt.subplots(figsize=(8.5, 4.2))
regions = [(-1, z.coercive_max, 0, 2, "#d73027", "coercive\nenticement"),
           (z.coercive_max, -z.indifference, 0, 2, "#fc8d59", "mixed coercion\nand bribery (n. 33)"),
           (-z.indifference, z.indifference, 0, 2, "#fee090", "side-payment\nbribery"),
           (z.indifference, z.weak_max, 0, 1, "#e0f3f8", "side pay-\nments +\ncondi-\ntional\n(n. 40)"),
           (z.weak_max, 1, 0, 1, "#91bfdb", "conditional\nbolstering"),
           (z.indifference, 1, 1, 2, "#4575b4", "unconditional\nbolstering")]
for x0, x1, y0, y1, color, label in regions:
    ax.fill_between([x0, x1], y0, y1, color=color, alpha=0.55, linewidth=0)
    ax.text((x0 + x1) / 2, y1 - 0.04, label, ha="center", va="top", fontsize=6.5)
# Each band gets its cases spread evenly by soft power, so labels do not collide.
band = cases["alignment"].where(cases["soft_power"] > z.indifference, "any")
limits = {"any": (0.1, 1.9), "diverging": (0.1, 0.9), "shared": (1.1, 1.9)}
for name, group in cases.groupby(band, sort=True):
    group = group.sort_values(["soft_power", "case_id"], kind="stable")
    lo, hi = limits[name]
    step = (hi - lo) / max(len(group), 1)
    for i, r in enumerate(group.itertuples()):
        y = lo + step * (i + 0.5)
        marker = "X" if isinstance(r.failure_type, str) else "o"
        ax.scatter(r.soft_power, y, marker=marker, color="black", s=28, zorder=3)
        ax.annotate(r.case_id, (r.soft_power, y), xytext=(4, -3), textcoords="offset points", fontsize=6.5)
ax.set_xlim(-1, 1)
ax.set_ylim(0, 2)
ax.set_yticks([0.5, 1.5], ["preferences\ndiverge", "preferences\nshared"])
ax.set_xlabel("Alliance leader's soft power towards the partner (-1 repulsion, +1 attraction)")
ax.set_title("Four hard-power strategies of wartime alliance management (Resnick 2015, Figure 1)\n"
             "with the paper's cases (X = leadership failure in Table 1)", fontsize=9)
out = _io.save_figure(fig, paths.figures_dir() / "smartpower_figure1_strategies")
print("wrote", *out)
