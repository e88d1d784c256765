"""Power shares from COW NMC capabilities, for any group of states and years.

Two readings of Resnick (2013), Table 1 note ("each state's proportion of total power
capabilities among the three allies in terms of" the six NMC components):

``method="cinc"``
    (a) the state's CINC divided by the group's summed CINC in that year.
``method="components"``
    (b) for each of the six components, the state's share of the group's total;
    then the mean of those six shares (a CINC computed within the group, as in
    Weitsman 2003's index).

Both are invariant to rescaling a component (e.g. a currency change in ``milex``):
(a) because CINC is itself built from shares of system totals, (b) by construction.
A group-year in which any member's input is missing is NA (with a warning), never
computed as if the missing value were 0.

References
----------
Singer, Bremer and Stuckey (1972), "Capability Distribution, Uncertainty, and Major
Power War, 1820-1965", for the CINC.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .sources.nmc import COMPONENTS

METHODS = ("cinc", "components")


def power_shares(nmc: pd.DataFrame, ccodes: Iterable[int], years: Iterable[int], method: str = "cinc") -> pd.DataFrame:
    """Each state's share (0-1) of the group's capabilities, per year.

    Parameters
    ----------
    nmc : output of :func:`replication.sources.read_nmc`
    ccodes : the group's COW codes
    years : years to compute
    method : "cinc" (a) or "components" (b); see the module docstring.

    Returns
    -------
    DataFrame with ccode, year, share (Float64), sorted by year then ccode.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    ccodes, years = sorted(set(ccodes)), sorted(set(years))
    grid = pd.MultiIndex.from_product([years, ccodes], names=["year", "ccode"]).to_frame(index=False)
    grid = grid.astype({"year": "Int64", "ccode": "Int64"})
    data = grid.merge(nmc, on=["year", "ccode"], how="left", validate="one_to_one")
    lo, hi = int(nmc["year"].min()), int(nmc["year"].max())
    outside = [y for y in years if y < lo or y > hi]
    if outside:
        warnings.warn(f"NMC v{nmc['nmc_version'].iloc[0]} covers {lo}-{hi}; years {outside} are NA.", stacklevel=2)
    columns = ["cinc"] if method == "cinc" else COMPONENTS
    values = data[columns].astype("float64")  # NaN for missing
    incomplete = values.isna().any(axis=1).groupby(data["year"]).transform("any")
    totals = values.groupby(data["year"]).transform("sum")
    shares = (values / totals).mean(axis=1)
    shares = shares.mask(incomplete.to_numpy())
    bad = sorted(set(data.loc[incomplete.to_numpy(), "year"].unique().tolist()) - set(outside))
    if bad:  # years outside coverage were already warned about above
        warnings.warn(f"power_shares: a member lacks {'/'.join(columns)} in year(s) {bad}; "
                      f"those group-years are NA.", stacklevel=2)
    return pd.DataFrame({"ccode": data["ccode"], "year": data["year"],
                         "share": shares.astype("Float64")}).sort_values(["year", "ccode"], kind="stable",
                                                                          ignore_index=True)


def cinc_from_components(nmc: pd.DataFrame) -> pd.Series:
    """Recompute CINC from the six components: the mean of each state's share of the
    system-wide total, over the components the state reports.

    Averaging over the available components is how COW treats a missing component;
    it reproduces the published ``cinc`` to rounding for states with all six.
    """
    values = nmc[COMPONENTS].astype("float64")
    world = values.groupby(nmc["year"]).transform("sum")
    return pd.Series(np.nanmean((values / world).to_numpy(), axis=1), index=nmc.index, name="cinc_recomputed")
