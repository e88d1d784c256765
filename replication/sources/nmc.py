"""COW National Material Capabilities (NMC), state-year, versions 4.0, 5.0, 6.0 and 7.0.

``read_nmc(version)`` returns one row per (ccode, year):

Columns
-------
ccode, year, stateabb (NA in the v7 conversion, which dropped it)
milex : military expenditure, thousands (current GBP before 1914, current USD from 1914)
milper : military personnel, thousands
irst : iron and steel production, thousand tons
pec : primary energy consumption, thousand coal-ton equivalents
tpop, upop : total and urban population, thousands
cinc : Composite Index of National Capability (the mean of the state's share of the
       system total of each of the six components)
nmc_version : "4.0", "5.0", "6.0" or "7.0"

``-9`` and blank fields are NA (v4.0 leaves tpop/upop blank in 25 rows), never 0.
Version 7.0 here is a conversion of peacesciencer's data object, not the
publisher's file: its rows carry ``attrs['publisher_file'] = False``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ._csv import check_unique, read_text_table, to_number, to_text, validate

COMPONENTS = ["milex", "milper", "irst", "pec", "tpop", "upop"]
VERSIONS = ("4.0", "5.0", "6.0", "7.0")
COVERAGE = {"4.0": (1816, 2007), "5.0": (1816, 2012), "6.0": (1816, 2016), "7.0": (1816, 2022)}
KEY = ["ccode", "year"]

SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "year": pa.Column("Int64", pa.Check.in_range(1816, 2030)),
        "stateabb": pa.Column("string", nullable=True),
        **{c: pa.Column("Float64", pa.Check.ge(0), nullable=True) for c in COMPONENTS},
        "cinc": pa.Column("Float64", pa.Check.in_range(0, 1), nullable=True),
        "nmc_version": pa.Column("string", pa.Check.isin(list(VERSIONS))),
    },
    unique=KEY, strict=True, ordered=True, name="cow_nmc",
)


def read_nmc(version: str = "4.0", path: str | Path | None = None) -> pd.DataFrame:
    """Parse NMC ``version`` ("4.0", "5.0", "6.0" or "7.0")."""
    e = registry.versioned("nmc", version)
    path = registry.resolve(e, path)
    has_abb = e.version != "7.0"
    required = ["ccode", "year", *COMPONENTS, "cinc"] + (["stateabb"] if has_abb else [])
    raw = read_text_table(path, encoding=e.encoding, required=required)
    missing = dict(path=path, na_codes=(-9,), na_strings=("", "NA"))
    out = pd.DataFrame({
        "ccode": to_number(raw, "ccode", integer=True, **missing),
        "year": to_number(raw, "year", integer=True, **missing),
        "stateabb": to_text(raw, "stateabb") if has_abb else pd.Series(pd.NA, index=raw.index, dtype="string"),
        **{c: to_number(raw, c, **missing) for c in COMPONENTS},
        "cinc": to_number(raw, "cinc", **missing),
        "nmc_version": pd.Series(e.version, index=raw.index, dtype="string"),
    })
    check_unique(out, KEY, path=path)
    out = validate(SCHEMA, out, path=path)
    out = out.sort_values(KEY, kind="stable").reset_index(drop=True)
    registry.check_extent(e, out, path, out["year"])
    out.attrs.update(source=e.key, file=str(path), label=e.label, publisher_file=e.publisher_file,
                     coverage=COVERAGE[e.version])
    return out


SUPPLEMENT_QUALITY = ["irstqualitycode", "irstanomalycode", "pecqualitycode", "pecanomalycode",
                      "upopqualitycode", "upopanomalycode", "tpopqualitycode", "tpopanomalycode"]
SUPPLEMENT_NOTES = ["irstsource", "irstnote", "pecsource", "pecnote", "milpersource", "milpernote",
                    "milexsource", "milexnote", "upopsource", "upopnote", "tpopsource", "tpopnote"]


def read_nmc_supplement(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the NMC v4.0 supplement: components plus their sources, notes and quality codes.

    The file is Windows-1252 with bare-CR line endings; text columns come back as
    Unicode strings (e.g. the curly quotes 0x93/0x94 in notes).
    """
    e = registry.entry("nmc_4.0_supplement")
    path = registry.resolve(e, path)
    required = ["statenme", "stateabb", "ccode", "year", *COMPONENTS, "cinc", *SUPPLEMENT_QUALITY, *SUPPLEMENT_NOTES]
    raw = read_text_table(path, encoding=e.encoding, required=required)
    missing = dict(path=path, na_codes=(-9,), na_strings=("",))
    out = pd.DataFrame({
        "ccode": to_number(raw, "ccode", integer=True, **missing),
        "year": to_number(raw, "year", integer=True, **missing),
        "stateabb": to_text(raw, "stateabb"),
        "statenme": to_text(raw, "statenme"),
        **{c: to_number(raw, c, **missing) for c in COMPONENTS},
        "cinc": to_number(raw, "cinc", **missing),
        **{c: to_text(raw, c) for c in SUPPLEMENT_QUALITY + SUPPLEMENT_NOTES},
    })
    check_unique(out, KEY, path=path)
    out = out.sort_values(KEY, kind="stable").reset_index(drop=True)
    registry.check_extent(e, out, path, out["year"])
    out.attrs.update(source=e.key, file=str(path), label=e.label)
    return out
