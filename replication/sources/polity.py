"""Polity5 (p5v2018), country-year.

Columns
-------
ccode : Polity's own country code (differs from COW for some states)
scode, country, year
p5 : 1 if the row was revised in Polity5
democ, autoc : institutionalised democracy / autocracy, 0-10
polity : democ - autoc, -10..10
polity2 : ``polity`` with the special codes converted (interpolated / set to 0 by the publisher)
polity_special : the Polity special code when ``polity`` is not a score:
                 -66 interruption (foreign occupation), -77 interregnum (collapse),
                 -88 transition
polity_special_label : "interruption", "interregnum" or "transition"
durable : years since the last regime transition (NA when blank)
regtrans : regime transition code in the year of a transition (NA when blank): -2..3, or 96-99
    (state disintegration, transformation, demise, creation); Polity5 also uses -88/-77/-66

The special codes are kept apart from real scores: democ, autoc and polity are NA
in those years and the code itself is in ``polity_special``. Values -10..10,
including -9, -8, -7, -6 and -5, are real scores, not missing codes. Blank fields
are NA.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ._csv import check_unique, read_text_table, to_number, to_text, validate

SPECIAL_CODES = {-66: "interruption", -77: "interregnum", -88: "transition"}
COVERAGE = (1776, 2020)
KEY = ["ccode", "year"]

SCHEMA = pa.DataFrameSchema(
    {
        "ccode": pa.Column("Int64"),
        "scode": pa.Column("string"),
        "country": pa.Column("string"),
        "year": pa.Column("Int64", pa.Check.in_range(1700, 2030)),
        "p5": pa.Column("Int64", pa.Check.isin([0, 1])),
        "democ": pa.Column("Int64", pa.Check.in_range(0, 10), nullable=True),
        "autoc": pa.Column("Int64", pa.Check.in_range(0, 10), nullable=True),
        "polity": pa.Column("Int64", pa.Check.in_range(-10, 10), nullable=True),
        "polity2": pa.Column("Int64", pa.Check.in_range(-10, 10), nullable=True),
        "polity_special": pa.Column("Int64", pa.Check.isin(list(SPECIAL_CODES)), nullable=True),
        "polity_special_label": pa.Column("string", nullable=True),
        "durable": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "regtrans": pa.Column("Int64", pa.Check.isin([-88, -77, -66, -2, -1, 0, 1, 2, 3, 96, 97, 98, 99]),
                              nullable=True),
    },
    checks=[pa.Check(lambda d: d["polity"].isna() | d["polity_special"].isna(),
                     error="a year cannot have both a score and a special code")],
    unique=KEY, strict=True, ordered=True, name="polity5",
)


def read_polity5(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the Polity5 annual CSV."""
    e = registry.entry("polity5")
    path = registry.resolve(e, path)
    required = ["p5", "ccode", "scode", "country", "year", "democ", "autoc", "polity", "polity2", "durable",
                "regtrans"]
    raw = read_text_table(path, encoding=e.encoding, required=required)
    num = {c: to_number(raw, c, path=path, integer=True) for c in required if c not in ("scode", "country")}
    specials = list(SPECIAL_CODES)
    polity_special = num["polity"].where(num["polity"].isin(specials)).astype("Int64")
    out = pd.DataFrame({
        "ccode": num["ccode"],
        "scode": to_text(raw, "scode"),
        "country": to_text(raw, "country"),
        "year": num["year"],
        "p5": num["p5"],
        "democ": num["democ"].mask(num["democ"].isin(specials)),
        "autoc": num["autoc"].mask(num["autoc"].isin(specials)),
        "polity": num["polity"].mask(num["polity"].isin(specials)),
        "polity2": num["polity2"],
        "polity_special": polity_special,
        "polity_special_label": polity_special.map(SPECIAL_CODES).astype("string"),
        "durable": num["durable"],
        "regtrans": num["regtrans"],
    })
    check_unique(out, KEY, path=path)
    out = validate(SCHEMA, out, path=path)
    out = out.sort_values(KEY, kind="stable").reset_index(drop=True)
    registry.check_extent(e, out, path, out["year"])
    out.attrs.update(source=e.key, file=str(path), label=e.label, coverage=COVERAGE)
    return out
