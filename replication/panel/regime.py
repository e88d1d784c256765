"""Regime type joins: Polity5 ``polity2`` and Boix-Miller-Rosato ``democracy``.

Both are measured in the year **before** the phase starts (``*_lag``), so regime type
is not itself shaped by the phase's events. Polity5 and BMR use their own country codes
for some states; :data:`COW_TO_REGIME` maps COW codes to theirs by year (checked
against both files' country names and years).
"""

from __future__ import annotations

import warnings

import pandas as pd

from ._merge import checked_merge

#: (COW ccode, first year, last year, Polity/BMR ccode). Years outside these ranges keep the COW code.
COW_TO_REGIME = [
    (300, 1816, 1918, 305),   # Austria / Austria-Hungary: Polity and BMR code Austria 305
    (325, 1816, 1860, 324),   # Sardinia/Piedmont before unification: 324 (Italy 325 from 1861)
    (345, 1878, 1920, 342),   # Serbia before Yugoslavia: 342
    (345, 1992, 2006, 347),   # Federal Republic of Yugoslavia / Serbia and Montenegro: 347
    (365, 1922, 1991, 364),   # USSR: 364 (Russia 365 before 1922 and after 1991)
    (530, 1993, 2020, 529),   # Ethiopia after Eritrean independence: 529
    (770, 1947, 1971, 769),   # Pakistan including Bangladesh: 769
    (816, 1976, 2020, 818),   # unified Vietnam: 818
]


def regime_code(ccode: pd.Series, year: pd.Series) -> pd.Series:
    """Translate COW codes to Polity/BMR codes for the given years (vectorised)."""
    out = ccode.astype("Int64").copy()
    for cow, lo, hi, alt in COW_TO_REGIME:
        hit = (ccode == cow) & year.between(lo, hi)
        out = out.mask(hit.fillna(False), alt)
    return out


def _lagged(panel: pd.DataFrame) -> pd.DataFrame:
    lag = panel["year"] - 1
    return pd.DataFrame({"regime_ccode": regime_code(panel["ccode"], lag), "lag_year": lag})


def add_democracy(panel: pd.DataFrame, polity: pd.DataFrame, threshold: int = 6) -> pd.DataFrame:
    """Add ``polity2_lag``, ``polity_special_lag`` and ``democracy`` (polity2_lag >= threshold).

    ``democracy`` is NA where polity2 is missing (state not in Polity that year, or a
    blank polity2); the count is reported in a warning, never filled with 0.
    """
    keys = _lagged(panel)
    right = polity[["ccode", "year", "polity2", "polity_special"]].rename(
        columns={"ccode": "regime_ccode", "year": "lag_year", "polity2": "polity2_lag",
                 "polity_special": "polity_special_lag"})
    out = checked_merge(panel.assign(**keys), right, ["regime_ccode", "lag_year"], what="add_democracy (Polity5)")
    out["democracy"] = (out["polity2_lag"] >= threshold).astype("boolean").mask(out["polity2_lag"].isna())
    out.attrs["democracy_threshold"] = threshold
    n_na = int(out["democracy"].isna().sum())
    if n_na:
        who = out.loc[out["democracy"].isna(), "state_name"].drop_duplicates().head(6).tolist()
        warnings.warn(f"add_democracy: {n_na} state-phases have no Polity5 polity2 for the prior year "
                      f"(e.g. {', '.join(who)}); democracy is NA there.", stacklevel=2)
    return out.drop(columns=["regime_ccode", "lag_year"])


def add_bmr_democracy(panel: pd.DataFrame, bmr: pd.DataFrame) -> pd.DataFrame:
    """Add ``democracy_bmr``: Boix-Miller-Rosato's dichotomous code for the prior year (NA where absent)."""
    keys = _lagged(panel)
    right = bmr[["ccode", "year", "democracy"]].rename(
        columns={"ccode": "regime_ccode", "year": "lag_year", "democracy": "democracy_bmr"})
    out = checked_merge(panel.assign(**keys), right, ["regime_ccode", "lag_year"], what="add_bmr_democracy")
    out["democracy_bmr"] = out["democracy_bmr"].map({1: True, 0: False}).astype("boolean")
    n_na = int(out["democracy_bmr"].isna().sum())
    if n_na:
        warnings.warn(f"add_bmr_democracy: {n_na} state-phases have no BMR code for the prior year; NA.",
                      stacklevel=2)
    return out.drop(columns=["regime_ccode", "lag_year"])


