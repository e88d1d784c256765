"""Figure 1 of Resnick (2015): the four hard-power strategies on the soft-power axis, with every
coded case drawn where its own coding puts it (soft power; coded preference alignment), and
below it each case's relative power (the log-ratio index used, beside the share it replaces).
Writes results/figures/smartpower_figure1_strategies.{png,pdf}. Run: make smartpower-figure1
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from replication import _io, paths  # noqa: E402
from replication.smartpower import classify_cases, read_cases  # noqa: E402
from replication.smartpower.figure import draw_relative_power, draw_strategy_map  # noqa: E402
from replication.sources import read_nmc  # noqa: E402

cases = classify_cases(read_cases(), read_nmc("4.0"))
fig, (ax_map, ax_power) = plt.subplots(2, 1, figsize=(10, 11), gridspec_kw={"height_ratios": [3, 1.5],
                                                                              "hspace": 0.3})
draw_strategy_map(cases, ax=ax_map)
draw_relative_power(cases, ax_power)
out = _io.save_figure(fig, paths.figures_dir() / "smartpower_figure1_strategies")
print("wrote", *out)
