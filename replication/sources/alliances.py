"""COW Formal Alliances v4.1, member level.

One row per membership spell. 20 (version4id, ccode) pairs occur twice because a
state left and re-joined, so the key is (version4id, ccode, mem_start).

Columns
-------
version4id, ccode, state_name
all_start, all_end : alliance dates (all_end NA while in force at the end of coverage)
ss_type : alliance type label ("Type I: Defense Pact", ...)
mem_start, mem_end : membership dates (mem_end NA while in force)
left_censor, right_censor, defense, neutrality, nonaggression, entente : booleans;
    the stray blanks in the file (left_censor x2, nonaggression x1, entente x2) are NA
version
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ._csv import check_unique, read_text_table, to_date, to_number, to_text, validate

FLAGS = ["left_censor", "right_censor", "defense", "neutrality", "nonaggression", "entente"]
DATE_PARTS = ["all_st_day", "all_st_month", "all_st_year", "all_end_day", "all_end_month", "all_end_year",
              "mem_st_day", "mem_st_month", "mem_st_year", "mem_end_day", "mem_end_month", "mem_end_year"]
KEY = ["version4id", "ccode", "mem_start"]

SCHEMA = pa.DataFrameSchema(
    {
        "version4id": pa.Column("Int64", pa.Check.ge(1)),
        "ccode": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "state_name": pa.Column("string"),
        # The Anglo-Portuguese alliance starts in 1386, outside datetime64[ns]'s
        # range, so alliance start/end are kept as years; membership dates are full.
        "all_start_year": pa.Column("Int64"),
        "all_end_year": pa.Column("Int64", nullable=True),
        "ss_type": pa.Column("string"),
        "mem_start": pa.Column("datetime64[ns]"),
        "mem_end": pa.Column("datetime64[ns]", nullable=True),
        **{f: pa.Column("boolean", nullable=True) for f in FLAGS},
        "version": pa.Column("string"),
    },
    unique=KEY, strict=True, ordered=True, name="cow_alliances_v4.1",
)


def read_alliances(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the COW alliance member file (v4.1)."""
    e = registry.entry("cow_alliances")
    path = registry.resolve(e, path)
    raw = read_text_table(path, encoding=e.encoding,
                          required=["version4id", "ccode", "state_name", "ss_type", *DATE_PARTS, *FLAGS, "version"])
    num = {c: to_number(raw, c, path=path, integer=True) for c in ["version4id", "ccode", *DATE_PARTS, *FLAGS]}
    out = pd.DataFrame({
        "version4id": num["version4id"],
        "ccode": num["ccode"],
        "state_name": to_text(raw, "state_name"),
        "all_start_year": num["all_st_year"],
        "all_end_year": num["all_end_year"],
        "ss_type": to_text(raw, "ss_type"),
        "mem_start": to_date(num["mem_st_year"], num["mem_st_month"], num["mem_st_day"]),
        "mem_end": to_date(num["mem_end_year"], num["mem_end_month"], num["mem_end_day"]),
        **{f: num[f].map({1: True, 0: False}).astype("boolean") for f in FLAGS},
        "version": to_text(raw, "version"),
    })
    check_unique(out, KEY, path=path)
    out = validate(SCHEMA, out, path=path)
    registry.check_extent(e, out, path, pd.concat([out["mem_start"].dt.year, out["mem_end"].dt.year]))
    out.attrs.update(source=e.key, file=str(path), label=e.label)
    return out
