"""Build the state-phase panel (default settings) and its codebook.

Writes data/processed/state_phase_panel.{csv,parquet} and data/processed/codebook.md.
Run: make panel (or python analysis/build_panel.py)
"""

import warnings

from .. import _io, paths
from ..panel import build_panel
from ..panel.schema import codebook


def build() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = build_panel()
    for w in caught:  # NA counts are part of the record: print them, do not hide them
        print(f"note: {w.message}")
    out = paths.processed_dir()
    _io.write_csv(panel, out / "state_phase_panel.csv")
    _io.write_parquet(panel, out / "state_phase_panel.parquet")
    _io.write_text(out / "codebook.md", codebook(panel, dict(panel.attrs)))
    print(f"wrote {out / 'state_phase_panel.csv'}: {len(panel)} state-phases")
