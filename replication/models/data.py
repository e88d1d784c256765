"""The estimation sample: numeric columns, the chosen outcome and regime measure, listwise deletion."""

from __future__ import annotations

import numpy as np
import pandas as pd

OUTCOMES = ("defected", "defected_strict", "defected_broad", "exit_early")
REGIMES = {"polity": "democracy", "bmr": "democracy_bmr"}
CONTROLS = ["power_share", "major_power", "log_days_at_risk"]


def model_frame(panel: pd.DataFrame, outcome: str = "defected", regime: str = "polity") -> pd.DataFrame:
    """Float columns ready for formulas: ``y``, ``democracy``, ``systemic_favorable``, the controls,
    duration terms, cluster and entity ids. Rows missing any of them are dropped; the count
    is in ``attrs['dropped']``.

    ``regime``: "polity" (Polity5 polity2 >= threshold, as built into the panel) or "bmr".
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
    if regime not in REGIMES:
        raise ValueError(f"regime must be one of {list(REGIMES)}, got {regime!r}")
    if "partnerless" in panel:
        # the risk set: a state with no partner in the phase has no partner to abandon
        panel = panel[~panel["partnerless"].astype(bool)]
    out = pd.DataFrame({
        "y": panel[outcome].astype("float64"),
        "democracy": panel[REGIMES[regime]].astype("Float64").astype("float64"),
        "systemic_favorable": panel["systemic_favorable"].astype("Float64").astype("float64"),
        "power_share": panel["power_share"].astype("float64"),
        "major_power": panel["major_power"].astype("Float64").astype("float64"),
        "log_days_at_risk": np.log(panel["days_at_risk"].astype("float64")),
        "t": panel["years_since_entry"].astype("float64"),
        "war": panel["war_num"].astype("int64"),
        "ccode": panel["ccode"].astype("int64"),
        "year": panel["year"].astype("int64"),
        # entity for panel models: one member spell (a state's spell on one side of one war)
        "entity": (panel["war_num"].astype("int64") * 100000 + panel["side"].astype("int64") * 10000
                   + panel["ccode"].astype("int64") * 10 + panel["spell"].astype("int64")),
    }, index=panel.index)
    complete = out.notna().all(axis=1)
    frame = out[complete].reset_index(drop=True)
    frame.attrs.update(outcome=outcome, regime=regime, n_panel=len(panel), dropped=int((~complete).sum()),
                       scheme=str(panel["scheme"].iloc[0]) if "scheme" in panel else "?",
                       nmc_version=str(panel["nmc_version"].iloc[0]) if "nmc_version" in panel else "?")
    return frame


def describe_sample(frame: pd.DataFrame) -> str:
    a = frame.attrs
    return (f"state-phases of the {a.get('scheme')} panel (NMC v{a.get('nmc_version')}), outcome {a.get('outcome')}, "
            f"regime {a.get('regime')}; {len(frame)} of {a.get('n_panel')} rows complete "
            f"({a.get('dropped')} dropped for missing values)")
