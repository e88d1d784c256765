"""Build the state-phase panel (default settings) and its codebook.

Writes data/processed/state_phase_panel.{csv,parquet} and data/processed/codebook.md.
Run: make panel
"""

import warnings

from replication import _io, paths
from replication.panel import build_panel
from replication.panel.schema import codebook

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
