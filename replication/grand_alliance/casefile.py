"""Load and check the project's Grand Alliance case file.

``data/raw/grand_alliance_cases.csv`` is long: one row per coded value (state x
phase x variable) with the evidence and the section or footnote of Resnick (2013)
it rests on. :func:`load_cases` checks it and pivots it to one row per state-phase.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ..errors import DataError
from ..paths import authored_file
from ..sources._csv import check_unique, read_text_table, to_number, validate
from .verdict import INDICATORS, add_derived_verdict

CASE_FILE = "grand_alliance_cases.csv"
RESOURCE_FILE = "grand_alliance_resources.csv"

#: allowed values of each coded variable
CODES = {
    "regime_type": {"democracy", "autocracy"},
    "losing": {"yes", "no"},
    "power_symmetric": {"yes", "no"},
    "common_adversary": {"yes", "no"},
    "external_gt_internal": {"yes", "no"},
    "war_aims_overlap": {"high", "low", "mixed"},
    "military_coordination": {"high", "low", "mixed"},
    "resource_sharing": {"high", "low", "mixed"},
    # the paper's own verdict, kept for comparison; the package derives ``observed`` (see .verdict)
    "paper_observed": {"maximize", "minimize"},
}
PHASES = {"I": ("1942-01-01", "1944-06-30"), "II": ("1944-07-01", "1945-09-02")}
CONDITIONS = ["losing", "power_symmetric", "common_adversary", "external_gt_internal"]

LONG_SCHEMA = pa.DataFrameSchema(
    {
        "state": pa.Column("string", pa.Check.isin(["USA", "UKG", "RUS"])),
        "ccode": pa.Column("Int64", pa.Check.isin([2, 200, 365])),
        "phase": pa.Column("string", pa.Check.isin(list(PHASES))),
        "variable": pa.Column("string", pa.Check.isin(list(CODES))),
        "value": pa.Column("string"),
        "evidence": pa.Column("string", pa.Check.str_length(min_value=10)),
        "source": pa.Column("string", pa.Check.str_length(min_value=3)),
    },
    checks=[pa.Check(lambda d: pd.Series([v in CODES[k] for k, v in zip(d["variable"], d["value"])], index=d.index),
                     error="value not allowed for its variable (see casefile.CODES)")],
    unique=["state", "phase", "variable"], strict=True, name="grand_alliance_cases",
)


def read_case_file(path: str | Path | None = None) -> pd.DataFrame:
    """The long case file: state, ccode, phase, variable, value, evidence, source."""
    path = authored_file(CASE_FILE, path)
    raw = read_text_table(path, encoding="utf-8", required=list(LONG_SCHEMA.columns))
    df = raw.apply(lambda s: s.str.strip()).astype("string")
    df["ccode"] = to_number(raw, "ccode", path=path, integer=True)
    check_unique(df, ["state", "phase", "variable"], path=path,
                 hint="Each state-phase codes each variable once; remove the duplicate row.")
    df = validate(LONG_SCHEMA, df, path=path, fix=f"Correct the row(s) listed; allowed values: {CODES}.")
    complete = df.groupby(["state", "phase"])["variable"].nunique()
    if (complete != len(CODES)).any():
        short = complete[complete != len(CODES)].index.tolist()
        raise DataError(f"{path}: state-phase(s) {short} do not code all of {sorted(CODES)}.")
    return df


def load_cases(path: str | Path | None = None) -> pd.DataFrame:
    """One row per state-phase with every coded variable, plus derived booleans.

    ``democracy`` is regime_type == "democracy"; each systemic condition is True when
    it favours cohesion (losing, symmetric, common adversary, external > internal).
    ``observed`` is derived from the three cohesion indicators by :data:`.verdict.RULE_TEXT`;
    the paper's own verdict is ``paper_observed`` and ``differs_from_paper`` marks where
    they differ. ``maximized`` is the derived observed == "maximize".
    """
    return wide_cases(read_case_file(path))


def wide_cases(long: pd.DataFrame) -> pd.DataFrame:
    """:func:`load_cases` on an already-read long case file (e.g. one with a value changed)."""
    wide = long.pivot(index=["state", "ccode", "phase"], columns="variable", values="value").reset_index()
    wide.columns.name = None
    wide["democracy"] = wide["regime_type"].eq("democracy")
    for c in CONDITIONS:
        wide[c + "_favors"] = wide[c].eq("yes")
    wide = add_derived_verdict(wide)
    wide["maximized"] = wide["observed"].eq("maximize")
    order = {"USA": 0, "UKG": 1, "RUS": 2}
    wide = wide.sort_values(["phase", "state"], key=lambda s: s.map(order) if s.name == "state" else s,
                            kind="stable", ignore_index=True)
    return wide[["state", "ccode", "phase", "regime_type", *CONDITIONS, *INDICATORS, "n_high", "observed",
                 "paper_observed", "differs_from_paper", "democracy", *(c + "_favors" for c in CONDITIONS),
                 "maximized"]]


def read_resources(path: str | Path | None = None) -> pd.DataFrame:
    """The paper's quantitative resource-sharing figures, with units and sources."""
    path = authored_file(RESOURCE_FILE, path)
    cols = ["donor", "recipient", "flow", "phase", "period", "amount", "unit", "evidence", "source"]
    raw = read_text_table(path, encoding="utf-8", required=cols)
    df = raw.astype("string")
    df["amount"] = to_number(raw, "amount", path=path)
    # a repeated figure would be summed or averaged twice by any reader of the table
    check_unique(df, ["donor", "recipient", "flow", "phase", "period"], path=path,
                 hint="Each figure is given once; remove the duplicate row.")
    return df
