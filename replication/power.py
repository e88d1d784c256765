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

from .errors import DataError
from .sources.nmc import COMPONENTS

METHODS = ("cinc", "components")


def power_shares(nmc: pd.DataFrame | int, ccodes: Iterable[int] | int, years: Iterable[int] | int,
                 method: str = "cinc", *, nmc_version: str = "4.0") -> pd.DataFrame:
    """Each state's share (0-1) of the group's capabilities, per year.

    Two forms:

    ``power_shares(nmc, ccodes, years, method)``
        any group of states: ``nmc`` from :func:`replication.sources.read_nmc`, the group's
        COW codes, the years.
    ``power_shares(war, side, year, method, nmc_version="4.0")``
        a coalition: the members of ``side`` (1 or 2) of COW war ``war`` that fought in
        ``year``, found in the COW war data (see :func:`coalition_power_shares`).

    ``method`` is "cinc" (a) or "components" (b); see the module docstring.

    Returns
    -------
    DataFrame with ccode, year, share (Float64), sorted by year then ccode (the coalition
    form adds state_name). A ccode that NMC does not know raises DataError naming it; a
    known state without data in a year is NA with a warning naming the state and year.
    """
    if isinstance(nmc, (int, np.integer)):
        return coalition_power_shares(int(nmc), int(ccodes), int(years), method=method, nmc_version=nmc_version)
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    ccodes, years = sorted(set(ccodes)), sorted(set(years))
    version = nmc["nmc_version"].iloc[0] if "nmc_version" in nmc and len(nmc) else "?"
    unknown = sorted(set(ccodes) - set(nmc["ccode"].dropna().astype(int)))
    if unknown:
        raise DataError(f"power_shares: ccode(s) {unknown} do not occur in NMC v{version}. Use COW state codes "
                        f"(e.g. 2 USA, 200 UK, 365 Russia/USSR; the list is sources.read_states()).")
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
    lacking = data[values.isna().any(axis=1).to_numpy() & ~data["year"].isin(outside).to_numpy()]
    if len(lacking):  # years outside coverage were already warned about above
        who = "; ".join(f"ccode {int(c)} in {sorted(int(y) for y in g['year'])}" for c, g in lacking.groupby("ccode"))
        warnings.warn(f"power_shares: a member lacks {'/'.join(columns)} in NMC v{version} ({who}); "
                      f"those group-years are NA.", stacklevel=2)
    return pd.DataFrame({"ccode": data["ccode"], "year": data["year"],
                         "share": shares.astype("Float64")}).sort_values(["year", "ccode"], kind="stable",
                                                                          ignore_index=True)


def coalition_power_shares(war: int, side: int, year: int, *, method: str = "cinc", nmc_version: str = "4.0",
                           war_data: pd.DataFrame | None = None, nmc: pd.DataFrame | None = None) -> pd.DataFrame:
    """Members of side ``side`` of COW war ``war`` in ``year`` and their power shares.

    Members are the states with a participation spell (COW Inter-State War Data, either of a
    state's two spells) on that side overlapping ``year``. Returns ccode, state_name, year,
    share; ``attrs`` carry the war's name. ``war_data`` and ``nmc`` default to the registered files.
    """
    from .sources import participation_spells, read_interstate_war, read_nmc

    war_data = read_interstate_war() if war_data is None else war_data
    spells = participation_spells(war_data)
    in_war = spells[spells["war_num"] == war]
    if in_war.empty:
        raise DataError(f"coalition_power_shares: war {war} is not in the COW inter-state war data "
                        f"(war numbers run {int(spells['war_num'].min())}-{int(spells['war_num'].max())}).")
    on_side = in_war[(in_war["side"] == side) & (in_war["start"].dt.year <= year) & (in_war["end"].dt.year >= year)]
    if on_side.empty:
        years = f"{int(in_war['start'].dt.year.min())}-{int(in_war['end'].dt.year.max())}"
        raise DataError(f"coalition_power_shares: no state fought on side {side} of war {war} "
                        f"({in_war['war_name'].iloc[0]}, {years}) in {year}.")
    names = on_side.drop_duplicates("ccode").set_index("ccode")["state_name"]
    nmc = read_nmc(nmc_version) if nmc is None else nmc
    shares = power_shares(nmc, names.index.astype(int), [year], method=method)
    shares.insert(1, "state_name", shares["ccode"].map(names).astype("string"))
    shares.attrs.update(war=war, side=side, war_name=str(in_war["war_name"].iloc[0]),
                        nmc_version=str(nmc["nmc_version"].iloc[0]), method=method)
    return shares


def cinc_from_components(nmc: pd.DataFrame) -> pd.Series:
    """Recompute CINC from the six components: the mean of each state's share of the
    system-wide total, over the components the state reports.

    Averaging over the available components is how COW treats a missing component;
    it reproduces the published ``cinc`` to rounding for states with all six.
    """
    values = nmc[COMPONENTS].astype("float64")
    world = values.groupby(nmc["year"]).transform("sum")
    return pd.Series(np.nanmean((values / world).to_numpy(), axis=1), index=nmc.index, name="cinc_recomputed")
