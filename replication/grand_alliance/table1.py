"""Table 1 of Resnick (2013): power shares of Britain, the USSR and the US, 1942-45.

:data:`PUBLISHED` holds the printed percentages (the target, typed from the paper).
:func:`reproduce` recomputes them from every NMC version with both readings of the
table's note (see :mod:`replication.power`) and sets them beside the published
figures.
"""

from __future__ import annotations

import pandas as pd

from ..power import METHODS, power_shares
from ..sources.nmc import VERSIONS, read_nmc
from . import ALLIES

YEARS = (1942, 1943, 1944, 1945)

#: Resnick (2013), Table 1, percentages as printed.
PUBLISHED = {
    ("UKG", 1942): 19, ("UKG", 1943): 16, ("UKG", 1944): 16, ("UKG", 1945): 15,
    ("RUS", 1942): 23, ("RUS", 1943): 19, ("RUS", 1944): 18, ("RUS", 1945): 20,
    ("USA", 1942): 58, ("USA", 1943): 64, ("USA", 1944): 66, ("USA", 1945): 65,
}

#: The reading that reproduces the published table (every cell within 1 pp with NMC v4.0).
DEFAULT_METHOD = "cinc"
DEFAULT_VERSION = "4.0"
STATE_ORDER = ["UKG", "RUS", "USA"]  # the paper's row order


def reproduce(versions=VERSIONS, methods=METHODS, nmc_frames: dict | None = None) -> pd.DataFrame:
    """Long table: state, year, nmc_version, method, share_pct, published_pct, diff_pp."""
    frames = []
    for version in versions:
        nmc = nmc_frames[version] if nmc_frames else read_nmc(version)
        for method in methods:
            shares = power_shares(nmc, ALLIES, YEARS, method=method)
            shares["state"] = shares["ccode"].map(ALLIES)
            shares["nmc_version"] = version
            shares["method"] = method
            frames.append(shares)
    out = pd.concat(frames, ignore_index=True)
    out["share_pct"] = (out["share"] * 100).astype("float64")
    out["published_pct"] = [PUBLISHED[(s, int(y))] for s, y in zip(out["state"], out["year"])]
    out["diff_pp"] = out["share_pct"] - out["published_pct"]
    out["year"] = out["year"].astype(int)
    out["state"] = pd.Categorical(out["state"], STATE_ORDER, ordered=True)
    out = out.sort_values(["method", "nmc_version", "state", "year"], kind="stable", ignore_index=True)
    out["state"] = out["state"].astype(str)
    return out[["state", "year", "nmc_version", "method", "share_pct", "published_pct", "diff_pp"]]


def deviations(table: pd.DataFrame) -> pd.DataFrame:
    """Largest absolute deviation (pp) and cells within 1 pp, per NMC version and method."""
    g = table.assign(abs_diff=table["diff_pp"].abs()).groupby(["method", "nmc_version"], sort=True)
    return pd.DataFrame({"max_abs_diff_pp": g["abs_diff"].max(), "mean_abs_diff_pp": g["abs_diff"].mean(),
                         "cells_within_1pp": g["abs_diff"].apply(lambda s: int((s <= 1).sum())),
                         "cells_rounding_to_published": g.apply(
                             lambda d: int((d["share_pct"].round() == d["published_pct"]).sum()),
                             include_groups=False),
                         "cells": g.size()}).reset_index()


def wide(table: pd.DataFrame, method: str = DEFAULT_METHOD, version: str = DEFAULT_VERSION) -> pd.DataFrame:
    """The paper's layout: one row per state, reproduced (published) share per year."""
    sel = table[(table["method"] == method) & (table["nmc_version"] == version)]
    out = pd.DataFrame({"Alliance partner": STATE_ORDER})
    for year in YEARS:
        cell = sel[sel["year"] == year].set_index("state")
        out[f"{year}"] = [f"{cell.loc[s, 'share_pct']:.1f} ({cell.loc[s, 'published_pct']})" for s in STATE_ORDER]
    out["Alliance partner"] = out["Alliance partner"].map({"UKG": "Great Britain", "RUS": "Soviet Union",
                                                           "USA": "United States"})
    return out
