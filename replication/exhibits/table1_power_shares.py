"""Table 1 of Resnick (2013): power shares, every NMC version, both readings of the note.

Writes results/tables/table1_power_shares.{csv,tex,md}. Run: make table1 (or python analysis/table1_power_shares.py)
"""

from .. import _io, paths
from ..grand_alliance import table1


def build() -> None:
    table = table1.reproduce()
    dev = table1.deviations(table)
    default = dev[(dev.method == table1.DEFAULT_METHOD) & (dev.nmc_version == table1.DEFAULT_VERSION)].iloc[0]
    identical = table.pivot_table(index=["method", "state", "year"], columns="nmc_version",
                                  values="share_pct").round(3).nunique(axis=1).eq(1).all()
    worst = table[(table.method == table1.DEFAULT_METHOD) & (table.nmc_version == table1.DEFAULT_VERSION)]
    misrounded = worst[worst.share_pct.round() != worst.published_pct]

    def describe(method):
        rows = dev[dev.method == method]
        by_value = rows.groupby(["max_abs_diff_pp", "cells_within_1pp", "cells_rounding_to_published", "cells"],
                                sort=False)["nmc_version"].apply(lambda v: ", ".join(v))
        return "; ".join(f"NMC v{versions}: largest deviation {mx:.2f} pp, {w}/{n} cells within 1 pp, "
                         f"{r}/{n} round to the printed percentage" for (mx, w, r, n), versions in by_value.items())

    notes = [
        "Cells: share reproduced from COW NMC, in percent (published figure in parentheses). "
        f"Default reading (a): each state's CINC over the three allies' summed CINC, NMC v{table1.DEFAULT_VERSION}. "
        f"It reproduces the published table: largest deviation {default.max_abs_diff_pp:.2f} percentage points, "
        f"{default.cells_within_1pp} of {default.cells} cells within 1 pp. All versions: " + describe("cinc") + ".",
        "Cells that do not round to the printed figure under the default: "
        + (", ".join(f"{r.state} {r.year} ({r.share_pct:.2f} vs {r.published_pct})" for r in misrounded.itertuples())
           or "none")
        + ". The paper cites the 1816-1985 ICPSR release (study 9903), which is not available here; a half-point "
          "difference in rounding or vintage cannot be resolved without it.",
        "Reading (b), the mean over the six components of each state's share of the allies' total, does not "
        "reproduce the table: " + describe("components") + ".",
        ("NMC versions 4.0, 5.0, 6.0 and the 7.0 conversion give the same shares for 1942-45 (to 0.001 pp)."
         if identical else "NMC versions differ for 1942-45; see the CSV for every version."),
        "NMC v7.0 is a conversion of peacesciencer's data object, not the publisher's file.",
    ]
    stem = paths.tables_dir() / "table1_power_shares"
    _io.write_table(table1.wide(table), stem, csv_frame=table, label="tab:table1",
                    caption="Table 1 (Resnick 2013): aggregate material power shares of Great Britain, the Soviet "
                            "Union and the United States, 1942-1945, reproduced from COW NMC",
                    notes=notes, float_format="%.4f")
    _io.write_csv(dev, paths.tables_dir() / "table1_deviations.csv")
    print(f"wrote {stem}.csv/.tex/.md")
