"""The one merge every ``add_*`` verb uses: a left join that must not change the row count."""

from __future__ import annotations

import pandas as pd


class RowCountError(AssertionError):
    """A join changed the number of rows of the panel."""


def checked_merge(panel: pd.DataFrame, right: pd.DataFrame, on, *, what: str) -> pd.DataFrame:
    """Left-join ``right`` onto ``panel``; raise if the row count changes or ``right`` repeats a key."""
    keys = [on] if isinstance(on, str) else list(on)
    dup = right.duplicated(keys, keep=False)
    if dup.any():
        raise RowCountError(f"{what}: the joined table repeats key {keys}, e.g. "
                            f"{right.loc[dup, keys].head(3).to_dict('records')}; the join would add rows.")
    out = panel.merge(right, on=keys, how="left", validate="many_to_one")
    if len(out) != len(panel):
        raise RowCountError(f"{what}: join changed the row count from {len(panel)} to {len(out)}.")
    return out
