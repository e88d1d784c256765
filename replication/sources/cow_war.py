"""COW Inter-State War Data v4.0, participant level.

One row per raw participant row. The key is (war_num, ccode, side): five states
switched sides within a war (Germany in war 108; France, Italy, Romania and Bulgaria
in WWII, war 139), so (war_num, ccode) is not unique. A state that left and
re-entered on the same side has its second spell in ``start2``/``end2`` (19 rows).

Columns
-------
war_num, war_name, ccode, state_name, side (1 or 2)
start1, end1, start2, end2 : participation spell dates (second spell NA when none, code -8)
trans_from, trans_to : the war number(s) this war was transformed from / into, as text
    ("404,410" for war 79, the Spanish-American War: a quirk PROVENANCE.md does not
    list); NA when not applicable (-8)
where_fought : COW region code
initiator : True if the state initiated the war
outcome, outcome_label : COW outcome code and its codebook label
bat_death : battle deaths (NA when unknown, -9)
version : dataset version
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import registry
from ..errors import MalformedCSVError
from ._csv import check_unique, read_text_table, to_date, to_number, to_text, validate

RAW_COLUMNS = ["WarNum", "WarName", "WarType", "ccode", "StateName", "Side",
               "StartMonth1", "StartDay1", "StartYear1", "EndMonth1", "EndDay1", "EndYear1",
               "StartMonth2", "StartDay2", "StartYear2", "EndMonth2", "EndDay2", "EndYear2",
               "TransFrom", "WhereFought", "Initiator", "Outcome", "TransTo", "BatDeath", "Version"]

OUTCOME_LABELS = {1: "winner", 2: "loser", 3: "compromise/tied", 4: "transformed into another type of war",
                  5: "ongoing as of 12/31/2007", 6: "stalemate", 7: "continues below war level",
                  8: "changed sides"}

KEY = ["war_num", "ccode", "side"]

SCHEMA = pa.DataFrameSchema(
    {
        "war_num": pa.Column("Int64", pa.Check.ge(1)),
        "war_name": pa.Column("string"),
        "ccode": pa.Column("Int64", pa.Check.in_range(1, 999)),
        "state_name": pa.Column("string"),
        "side": pa.Column("Int64", pa.Check.isin([1, 2])),
        "start1": pa.Column("datetime64[ns]"),
        "end1": pa.Column("datetime64[ns]"),
        "start2": pa.Column("datetime64[ns]", nullable=True),
        "end2": pa.Column("datetime64[ns]", nullable=True),
        "trans_from": pa.Column("string", pa.Check.str_matches(r"^\d+(,\d+)*$"), nullable=True),
        "where_fought": pa.Column("Int64"),
        "initiator": pa.Column("boolean"),
        "outcome": pa.Column("Int64", pa.Check.isin(list(OUTCOME_LABELS))),
        "outcome_label": pa.Column("string"),
        "trans_to": pa.Column("string", pa.Check.str_matches(r"^\d+(,\d+)*$"), nullable=True),
        "bat_death": pa.Column("Int64", pa.Check.ge(0), nullable=True),
        "version": pa.Column("string"),
    },
    checks=[pa.Check(lambda d: (d["end1"] >= d["start1"]), error="end1 before start1"),
            pa.Check(lambda d: d["start2"].isna() | (d["start2"] >= d["end1"]), error="second spell before first")],
    unique=KEY, strict=True, ordered=True, name="cow_interstate_war_v4",
)


def read_interstate_war(path: str | Path | None = None) -> pd.DataFrame:
    """Parse the COW Inter-State War participant file (v4.0).

    Handles the file's bare-CR line endings, the quoted war name with a comma, ``-8``
    (not applicable) and ``-9`` (unknown) codes, second spells and side switchers.
    """
    e = registry.entry("cow_war")
    path = registry.resolve(e, path)
    raw = read_text_table(path, encoding=e.encoding, required=RAW_COLUMNS)
    num = {c: to_number(raw, c, path=path, na_codes=(-8, -9), integer=True) for c in RAW_COLUMNS
           if c not in ("WarName", "StateName", "TransFrom", "TransTo")}
    out = pd.DataFrame({
        "war_num": num["WarNum"],
        "war_name": to_text(raw, "WarName"),
        "ccode": num["ccode"],
        "state_name": to_text(raw, "StateName"),
        "side": num["Side"],
        "start1": to_date(num["StartYear1"], num["StartMonth1"], num["StartDay1"]),
        "end1": to_date(num["EndYear1"], num["EndMonth1"], num["EndDay1"]),
        "start2": to_date(num["StartYear2"], num["StartMonth2"], num["StartDay2"]),
        "end2": to_date(num["EndYear2"], num["EndMonth2"], num["EndDay2"]),
        "trans_from": _war_list(raw, "TransFrom", path),
        "where_fought": num["WhereFought"],
        "initiator": num["Initiator"].map({1: True, 2: False}).astype("boolean"),
        "outcome": num["Outcome"],
        "outcome_label": num["Outcome"].map(OUTCOME_LABELS).astype("string"),
        "trans_to": _war_list(raw, "TransTo", path),
        "bat_death": num["BatDeath"],
        "version": to_text(raw, "Version"),
    })
    check_unique(out, KEY, path=path, hint="Side switchers are expected (same war and state, other side), "
                                           "but the same state twice on one side is not.")
    out = validate(SCHEMA, out, path=path)
    registry.check_extent(e, out, path, pd.concat([out[c].dt.year for c in ("start1", "end1", "end2")]))
    out.attrs.update(source=e.key, file=str(path), label=e.label)
    return out


def _war_list(raw: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """War numbers as canonical text ("404,410"); -8 (not applicable) is NA."""
    text = raw[column].str.replace(" ", "", regex=False)
    ok = text.str.fullmatch(r"-?\d+(,\d+)*").fillna(False)
    if not ok.all():
        i = int(ok.to_numpy().argmin())
        raise MalformedCSVError(f"{path}: column '{column}', line {i + 2}: {raw[column].iloc[i]!r} is not a war "
                                f"number, a comma-separated list of them, or -8.")
    return text.mask(text.isin(["-8", "-9"])).astype("string")


def participation_spells(war: pd.DataFrame) -> pd.DataFrame:
    """One row per participation spell: (war_num, ccode, side, spell) with ``start`` and ``end``.

    A state with a second spell on the same side (e.g. France in WWII, 1944-45) gets
    spell 2; a side switcher appears once per side.
    """
    first = war.assign(spell=1, start=war["start1"], end=war["end1"])
    second = war[war["start2"].notna()].assign(spell=2, start=lambda d: d["start2"], end=lambda d: d["end2"])
    cols = ["war_num", "war_name", "ccode", "state_name", "side", "spell", "start", "end", "outcome", "initiator"]
    spells = pd.concat([first[cols], second[cols]], ignore_index=True)
    return spells.sort_values(["war_num", "side", "ccode", "spell"], kind="stable").reset_index(drop=True)
