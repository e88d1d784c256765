"""Sample flow: from the panel to the estimation sample, for every outcome variant and both readings of
"favourable", with the rows, wars, events and wars with an event that each step removes, and why.

Writes results/tables/sample_flow.{csv,tex,md}. Run: make sample-flow (or python analysis/sample_flow.py)
"""

import pandas as pd

from .. import _io, paths
from ..models.data import OUTCOMES, sample_flow
from ..models.hypotheses import READINGS
from . import _shared


def build() -> None:
    parts = []
    for universe in _shared.UNIVERSES:  # issue 20: every universe, in a universe column
        panel = _shared.universe_panel(universe)
        for reading in READINGS.values():
            for outcome in [o for o in OUTCOMES if o in panel]:
                flow = sample_flow(panel, outcome=outcome, systemic=reading.binary,
                                   controls=_shared.universe_controls(universe))
                parts.append(_shared.with_universe(flow.assign(reading=reading.key), universe))
    table = pd.concat(parts, ignore_index=True)
    primary = table[(table.reading == "defeat_unites") & (table.outcome == "defected")]
    show = primary[["universe", "step", "rows", "wars", "events", "event_wars", "rows_removed", "wars_removed", "events_removed",
                    "event_wars_removed", "wars_lost", "events_lost"]]
    final = table[table.universe == "cow_interstate"].groupby(["reading", "outcome"], sort=False).tail(1)
    notes = [
        "Primary outcome (defected) and primary reading of favourable conditions (defeat unites). Each step removes "
        "the rows that fail it and that no earlier step removed; a war is lost when none of its rows remain. The CSV "
        "has every outcome variant under both readings, with each step's reason.",
        "Reasons: " + "; ".join(f"{r.step}: {r.reason}" for r in primary[primary.universe == "cow_interstate"]
                                .itertuples() if r.step != "panel") + ".",
        "Estimation samples (rows, wars, events, wars with an event): " + "; ".join(
            f"{r.outcome} / {r.reading}: {r.rows}, {r.wars}, {r.events}, {r.event_wars}" for r in final.itertuples())
        + " (COW universe).",
        "Universes (issue 20): the table stacks the COW universe, the 2001 coalitions (two wars, 9001 and 9002) and "
        "the pooled sample, whose controls include the universe indicator coalition_2001_universe.",
    ]
    _io.write_table(show, paths.tables_dir() / "sample_flow", csv_frame=table, label="tab:sample_flow",
                    caption="From the panel to the estimation sample", notes=notes, float_format="%.0f")
    print(show.to_string(index=False))
