"""Figure 1 of Resnick (2015): the four hard-power strategies on the soft-power axis, with every
coded case drawn where its own coding puts it (soft power; coded preference alignment), and
below it each case's relative power (the log-ratio index used, beside the share it replaces).
Writes results/figures/smartpower_figure1_strategies.{png,pdf}. Run: make smartpower-figure1 (or python analysis/smartpower_figure1_strategies.py)
"""

import matplotlib.pyplot as plt

from .. import _io, paths
from ..smartpower import classify_cases, read_cases
from ..smartpower.figure import draw_relative_power, draw_strategy_map
from ..sources import read_nmc


def build() -> None:
    cases = classify_cases(read_cases(), read_nmc("4.0"))
    fig, (ax_map, ax_power) = plt.subplots(2, 1, figsize=(10, 11), gridspec_kw={"height_ratios": [3, 1.5],
                                                                                  "hspace": 0.3})
    draw_strategy_map(cases, ax=ax_map)
    draw_relative_power(cases, ax_power)
    out = _io.save_figure(fig, paths.figures_dir() / "smartpower_figure1_strategies")
    print("wrote", *out)
