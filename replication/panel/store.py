"""Reading the processed panel (data/processed) safely: verified against its sha256 sidecar."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import DataError

SIDECAR = "state_phase_panel.sha256"


def read_processed_panel(path: str | Path) -> pd.DataFrame:
    """``path`` (the panel's parquet file) read after checking it against the sidecar beside it.

    Raises DataError (never a pyarrow traceback) when the file fails its sha256 or cannot be read;
    the message says to rebuild it with ``make panel`` (make also rebuilds it by itself: the
    Makefile runs the same check while it reads its rules)."""
    from .._checksums import problems

    path = Path(path)
    sidecar = path.parent / SIDECAR
    fix = "Rebuild it with `make panel` (or python analysis/build_panel.py)."
    if sidecar.is_file():
        found = problems(sidecar, only=[path.name])
        if found:
            raise DataError(f"{found[0]}. {fix}")
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises several types (ArrowInvalid, OSError) for a damaged file
        raise DataError(f"{path} cannot be read as parquet ({type(exc).__name__}: {str(exc)[:200]}). {fix}") from None
