"""Figure 1 of Resnick (2015): the four hard-power strategies on the soft-power axis, with every
coded case drawn where its own coding puts it (soft power; coded preference alignment).
Writes results/figures/smartpower_figure1_strategies.{png,pdf}. Run: make smartpower-figure1
"""

import matplotlib

matplotlib.use("Agg")

from replication import _io, paths  # noqa: E402
from replication.smartpower import classify_cases, read_cases  # noqa: E402
from replication.smartpower.figure import draw_strategy_map  # noqa: E402
from replication.sources import read_nmc  # noqa: E402

cases = classify_cases(read_cases(), read_nmc("4.0"))
fig = draw_strategy_map(cases)
out = _io.save_figure(fig, paths.figures_dir() / "smartpower_figure1_strategies")
print("wrote", *out)
