"""Boix-Miller-Rosato dichotomous democracy, versions 3.0 (1800-2015) and 4.0 (1800-2020).

Columns
-------
ccode (COW code), country, abbreviation, year
democracy : 1 democracy, 0 not (NA where BMR code none, e.g. foreign occupation)
democracy_trans : -1 breakdown, 0 none, 1 transition to democracy
democracy_breakdowns, democracy_duration, democracy_omitteddata, democracy_femalesuffrage
bmr_version : "3.0" or "4.0"

The literal string ``NA`` is missing and comes back as NA.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ._csv import check_unique, read_text_table, to_number, to_text, validate

VERSIONS = ("3.0", "4.0")
COVERAGE = {"3.0": (1800, 2015), "4.0": (1800, 2020)}
NUMERIC = ["democracy", "democracy_trans", "democracy_breakdowns", "democracy_duration",
           "democracy_omitteddata", "democracy_femalesuffrage"]
KEY = ["ccode", "year"]

SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64"),
        "country": pa.Column("string"),
        "abbreviation": pa.Column("string", nullable=True),
        "year": pa.Column("Int64", pa.Check.in_range(1800, 2030)),
        "democracy": pa.Column("Int64", pa.Check.isin([0, 1]), nullable=True),
        "democracy_trans": pa.Column("Int64", pa.Check.isin([-1, 0, 1]), nullable=True),
        "democracy_breakdowns": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "democracy_duration": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "democracy_omitteddata": pa.Column("Int64", nullable=True),
        "democracy_femalesuffrage": pa.Column("Int64", nullable=True),
        "bmr_version": pa.Column("string", pa.Check.isin(list(VERSIONS))),
    },
    unique=KEY, strict=True, ordered=True, name="bmr_democracy",
)


def read_bmr(version: str = "4.0", path: str | Path | None = None) -> pd.DataFrame:
    """Parse Boix-Miller-Rosato ``version`` ("3.0" or "4.0")."""
    e = registry.versioned("bmr", version)
    path = registry.resolve(e, path)
    raw = read_text_table(path, encoding=e.encoding, required=["country", "ccode", "abbreviation", "year", *NUMERIC])
    missing = dict(path=path, na_strings=("", "NA"), integer=True)
    out = pd.DataFrame({
        "ccode": to_number(raw, "ccode", **missing),
        "country": to_text(raw, "country", na_strings=("", "NA")),
        "abbreviation": to_text(raw, "abbreviation", na_strings=("", "NA")),
        "year": to_number(raw, "year", **missing),
        **{c: to_number(raw, c, **missing) for c in NUMERIC},
        "bmr_version": pd.Series(e.version, index=raw.index, dtype="string"),
    })
    check_unique(out, KEY, path=path)
    out = validate(SCHEMA, out, path=path)
    out = out.sort_values(KEY, kind="stable").reset_index(drop=True)
    registry.check_extent(e, out, path, out["year"])
    out.attrs.update(source=e.key, file=str(path), label=e.label, coverage=COVERAGE[e.version])
    return out
