"""COW State System Membership v2016 (state spells and state-years) and Major Powers.

``read_states()``: one row per membership spell (26 states have two spells, so the
key is (ccode, start)). Columns: stateabb, ccode, state_name, start, end, version.

``read_system()``: one row per (ccode, year), 1816-2016. Columns: stateabb, ccode, year, version.

``read_majors(version)``: one row per major-power spell (key (ccode, start)).
Columns: stateabb, ccode, start, end, version. Version "2024" is an UNVERIFIED
rebuild of the 2024 release (see the registry); the default is "2016".
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ._csv import check_unique, read_text_table, to_date, to_number, to_text, validate

_SPELL_COLUMNS = ["stateabb", "ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday", "version"]


def _spell_schema(name: str, extra: dict) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "stateabb": pa.Column("string"),
            "ccode": pa.Column("Int64", pa.Check.in_range(1, 999)),
            **extra,
            "start": pa.Column("datetime64[ns]"),
            "end": pa.Column("datetime64[ns]"),
            "version": pa.Column("string"),
        },
        checks=[pa.Check(lambda d: d["end"] >= d["start"], error="spell ends before it starts")],
        unique=["ccode", "start"], strict=True, ordered=True, name=name,
    )


STATES_SCHEMA = _spell_schema("cow_states_2016", {"state_name": pa.Column("string")})
MAJORS_SCHEMA = _spell_schema("cow_majors", {})
SYSTEM_SCHEMA = pa.DataFrameSchema(
    {
        "stateabb": pa.Column("string"),
        "ccode": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "year": pa.Column("Int64", pa.Check.in_range(1816, 2030)),
        "version": pa.Column("string"),
    },
    unique=["ccode", "year"], strict=True, ordered=True, name="cow_system_2016",
)


def _spells(e: registry.Entry, path: Path, extra_text: list[str]) -> pd.DataFrame:
    raw = read_text_table(path, encoding=e.encoding, required=_SPELL_COLUMNS + extra_text)
    num = {c: to_number(raw, c, path=path, integer=True) for c in _SPELL_COLUMNS if c not in ("stateabb", "version")}
    out = pd.DataFrame({"stateabb": to_text(raw, "stateabb"), "ccode": num["ccode"]})
    for c in extra_text:
        out["state_name" if c == "statenme" else c] = to_text(raw, c)
    out["start"] = to_date(num["styear"], num["stmonth"], num["stday"])
    out["end"] = to_date(num["endyear"], num["endmonth"], num["endday"])
    out["version"] = to_text(raw, "version")
    check_unique(out, ["ccode", "start"], path=path)
    return out


def read_states(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the COW state list (states2016.csv)."""
    e = registry.entry("cow_states")
    path = registry.resolve(e, path)
    out = validate(STATES_SCHEMA, _spells(e, path, ["statenme"]), path=path)
    registry.check_extent(e, out, path, pd.concat([out["start"].dt.year, out["end"].dt.year]))
    out.attrs.update(source=e.key, file=str(path), label=e.label)
    return out


def read_majors(version: str = "2016", path: str | Path | None = None) -> pd.DataFrame:
    """Parse the COW major-power spells (``version`` "2016", or the unverified "2024")."""
    e = registry.versioned("cow_majors", version)
    path = registry.resolve(e, path)
    out = validate(MAJORS_SCHEMA, _spells(e, path, []), path=path)
    registry.check_extent(e, out, path, pd.concat([out["start"].dt.year, out["end"].dt.year]))
    out.attrs.update(source=e.key, file=str(path), label=e.label, publisher_file=e.publisher_file)
    return out


def read_system(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the COW state-year system membership (system2016.csv)."""
    e = registry.entry("cow_system")
    path = registry.resolve(e, path)
    raw = read_text_table(path, encoding=e.encoding, required=["stateabb", "ccode", "year", "version"])
    out = pd.DataFrame({
        "stateabb": to_text(raw, "stateabb"),
        "ccode": to_number(raw, "ccode", path=path, integer=True),
        "year": to_number(raw, "year", path=path, integer=True),
        "version": to_text(raw, "version"),
    })
    check_unique(out, ["ccode", "year"], path=path)
    out = validate(SYSTEM_SCHEMA, out, path=path)
    registry.check_extent(e, out, path, out["year"])
    out.attrs.update(source=e.key, file=str(path), label=e.label)
    return out


def major_power_years(majors: pd.DataFrame, years: pd.Series | None = None) -> pd.DataFrame:
    """(ccode, year) pairs in which a state was a major power for any part of the year."""
    start = majors["start"].dt.year.to_numpy()
    end = majors["end"].dt.year.to_numpy()
    lengths = end - start + 1
    idx = majors.index.repeat(lengths)
    offsets = pd.Series(range(len(idx))) - pd.Series(lengths.cumsum() - lengths).repeat(lengths).to_numpy()
    out = pd.DataFrame({"ccode": majors.loc[idx, "ccode"].to_numpy(),
                        "year": (majors.loc[idx, "start"].dt.year.to_numpy() + offsets.to_numpy())})
    out = out.drop_duplicates().astype({"ccode": "Int64", "year": "Int64"})
    if years is not None:
        out = out[out["year"].isin(years)]
    return out.sort_values(["ccode", "year"], kind="stable").reset_index(drop=True)
