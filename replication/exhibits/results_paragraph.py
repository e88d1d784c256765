"""The README's results paragraph, generated from Tables 2-5 and the multiverse (never typed in).

Writes results/results_paragraph.md and replaces the block between the RESULTS markers in
README.md when the text has changed. Run: make results-paragraph (or python analysis/results_paragraph.py)
"""

import re

import pandas as pd

from .. import _io, paths
from ..models.paragraph import paragraph, robustness_paragraph, universes_paragraph


def _cow(path):
    """A table of the COW universe (Tables 3-5 stack the universes since issue 20)."""
    table = pd.read_csv(path)
    return table[table.universe.eq("cow_interstate")].drop(columns="universe") if "universe" in table else table


def build() -> None:
    tables = paths.tables_dir()
    smalln = tables / "table2_smalln_inference.csv"
    text = paragraph(_cow(tables / "table3_models.csv"), _cow(tables / "table4_theory_comparison.csv"),
                     _cow(tables / "table5_interaction.csv"), _cow(tables / "table4_predictions.csv"),
                     _cow(tables / "table5_few_clusters.csv"), _cow(tables / "table4_congruence.csv"),
                     pd.read_csv(smalln) if smalln.is_file() else None,
                     pd.read_csv(paths.authored_file("previous_release_estimates.csv")),
                     _cow(tables / "table5_power.csv"))
    text += "\n\n" + universes_paragraph(pd.read_csv(tables / "table5_universes.csv"))
    text += "\n\n" + robustness_paragraph(pd.read_csv(tables / "multiverse_summary.csv"),
                                          pd.read_csv(tables / "multiverse.csv"))
    _io.write_text(paths.results_dir() / "results_paragraph.md", text + "\n")
    readme = paths.PROJECT_ROOT / "README.md"
    old = readme.read_text(encoding="utf-8")
    new = re.sub(r"(<!-- RESULTS:START[^>]*-->\n)(.*?)(<!-- RESULTS:END -->)",
                 lambda m: m.group(1) + text + "\n" + m.group(3), old, flags=re.S)
    if new != old:
        _io.write_text(readme, new)
        print("README.md results paragraph updated")
    print(text)
