"""Appendix: the Grand Alliance case file (every coded value with its evidence and source)
and the paper's quantitative resource-sharing figures.

Writes results/tables/appendix_grand_alliance_cases.{csv,tex,md} and
results/tables/appendix_resource_sharing.{csv,tex,md}. Run: make appendix (or python analysis/appendix_case_file.py)
"""

from .. import _io, paths
from ..grand_alliance import casefile


def build() -> None:
    long = casefile.read_case_file()
    order = {v: i for i, v in enumerate(casefile.CODES)}
    long = long.assign(_o=long["variable"].map(order)).sort_values(["phase", "state", "_o"], kind="stable").drop(
        columns="_o")
    _io.write_table(long.drop(columns="ccode"), paths.tables_dir() / "appendix_grand_alliance_cases",
                    label="tab:cases", caption="Appendix: coding of the Grand Alliance cases from Resnick (2013)",
                    notes=["Source: data/raw/grand_alliance_cases.csv, authored by the project from the paper; "
                           "'source' gives the section and footnote(s) of Resnick (2013) each value rests on."])

    resources = casefile.read_resources()
    _io.write_table(resources, paths.tables_dir() / "appendix_resource_sharing", label="tab:resources",
                    caption="Appendix: resource-sharing figures cited in Resnick (2013)",
                    notes=["Amounts as printed in the paper, in the unit given; not deflated or converted.",
                           "Source: data/raw/grand_alliance_resources.csv."], float_format="%.3f")
    print("wrote appendix tables")
