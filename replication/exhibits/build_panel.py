"""Build the state-phase panel (default settings), its codebook and its descriptions for other tools.

Writes to data/processed/: state_phase_panel.csv, .parquet and .dta (Stata 118, labelled; see
replication.panel.export), datapackage.json (Frictionless Data Package of the CSV), codebook.md, and
state_phase_panel.sha256 (sha256 of each, written last: readers and the Makefile verify the panel
against it, and rebuild it when it fails).
Run: make panel (or python analysis/build_panel.py)
"""

import json
import warnings

from .. import _checksums, _io, paths
from ..panel import build_panel
from ..panel.export import datapackage, write_stata
from ..panel.schema import codebook


def build() -> None:
    from importlib.metadata import version

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        panel = build_panel()
    for w in caught:  # NA counts are part of the record: print them, do not hide them
        print(f"note: {w.message}")
    out = paths.processed_dir()
    files = [_io.write_csv(panel, out / "state_phase_panel.csv"),
             _io.write_parquet(panel, out / "state_phase_panel.parquet"),
             write_stata(panel, out / "state_phase_panel.dta")]
    package = datapackage(panel, files[0], version=version("replication"))
    files.append(_io.write_text(out / "datapackage.json", json.dumps(package, indent=2, ensure_ascii=False) + "\n"))
    files.append(_io.write_text(out / "codebook.md", codebook(panel, dict(panel.attrs))))
    _io.write_text(out / "state_phase_panel.sha256", _checksums.sidecar_text(files))
    print(f"wrote {out / 'state_phase_panel.csv'} (.parquet, .dta, datapackage.json): {len(panel)} state-phases")
