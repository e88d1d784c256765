"""The estimation sample: numeric columns, the chosen outcome, regime measure and controls, listwise deletion.

Exposure. A state-phase ends early when the state defects, so the days a state was at
risk in its last phase (``days_at_risk``) are shortened by the outcome itself: defectors'
last phases average fewer log-days than other phases. A control built from it is
endogenous, and it is no longer used. Instead the hazard model (see
:func:`replication.models.estimators.hazard_logit`) is a complementary log-log model of the
grouped-duration (interval-censored) proportional hazard with an offset
``log_exposure`` = log of the days the state *would* have been at risk in the phase had it
not exited: from the state's first day in the phase to the earlier of the phase's last
calendar day (``segment_end`` in the panel: 31 December in the year scheme, the war's
midpoint in the half scheme, the day before a turning point in the custom scheme) and the
coalition's end. With a constant hazard h within the phase,
P(exit in phase) = 1 - exp(-h * exposure), so cloglog(P) = x'b + log(exposure) exactly
(Prentice and Gloeckler 1978; Allison 1982, "Discrete-time methods for the analysis of event
histories", Sociological Methodology 13).

Codebook (two sentences): ``log_exposure`` is the log of the number of days a state would
have been at risk in the phase had it not left the coalition, so it is not shortened by a
defection. It enters the complementary log-log hazard as an offset (coefficient fixed at
1), which turns the phase-level probability of exit into a constant daily hazard and makes
phases of unequal length comparable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError

OUTCOMES = ("defected", "defected_strict", "defected_broad", "exit_early", "defected_cow_dates")
REGIMES = {"polity": "democracy", "bmr": "democracy_bmr"}
CONTROLS = ["power_share", "major_power"]
SYSTEMIC = ("systemic_favorable", "systemic_graded")


def _float(column: pd.Series) -> pd.Series:
    if isinstance(column.dtype, pd.BooleanDtype) or column.dtype == bool:
        column = column.astype("Int64")
    return pd.to_numeric(column.astype("Float64") if column.dtype != object else column,
                         errors="raise").astype("float64")


def _require(panel: pd.DataFrame, columns, what: str) -> None:
    missing = [c for c in columns if c not in panel.columns]
    if missing:
        raise DataError(f"state-phase panel: {what} column(s) {missing} not found; the panel has "
                        f"{sorted(panel.columns)}. Rebuild the panel (make panel) or choose an existing column.")


def exposure_days(panel: pd.DataFrame) -> pd.Series:
    """Days at risk in the phase had the state not exited (see the module docstring).

    From the state's first day in the phase to the earlier of the phase's last calendar day
    (``segment_end``: 31 December, the war's midpoint, or the day before a turning point) and
    the coalition's end, so it is the same for a defector and for a partner who fought on.
    """
    _require(panel, ["phase_start", "segment_end", "coalition_end"], "exposure")
    end = np.minimum(pd.to_datetime(panel["segment_end"]), pd.to_datetime(panel["coalition_end"]))
    return ((end - pd.to_datetime(panel["phase_start"])).dt.days + 1).astype("float64")


def model_frame(panel: pd.DataFrame, outcome: str = "defected", regime: str = "polity",
                controls: list[str] | None = None, systemic: str = "systemic_favorable") -> pd.DataFrame:
    """Float columns ready for formulas: ``y``, ``democracy``, ``systemic_favorable`` (the chosen
    systemic measure under that name), the controls, ``log_exposure``, duration terms, cluster and
    entity ids. Rows missing any of them are dropped; the count is in ``attrs['dropped']``.

    The risk set (:func:`replication.panel.exits.at_risk`) leaves out partnerless rows (no partner
    to abandon; ``attrs['partnerless_dropped']``) and, for every outcome except
    ``defected_cow_dates``, the rows after a state's historical exit (``after_exit``: it had
    stopped organised fighting before COW's end date; ``attrs['after_exit_dropped']``, counted
    among the rows that have a partner).

    ``outcome``: any of ``OUTCOMES`` present in the panel. ``regime``: "polity" (Polity5 polity2 >=
    threshold, as built into the panel) or "bmr". ``controls``: any panel columns (default
    ``CONTROLS``). ``systemic``: "systemic_favorable" (binary) or "systemic_graded" (0-1).
    """
    controls = list(CONTROLS if controls is None else controls)
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome must be one of {OUTCOMES}, got {outcome!r}")
    if regime not in REGIMES:
        raise ValueError(f"regime must be one of {list(REGIMES)}, got {regime!r}")
    if systemic not in SYSTEMIC:
        raise ValueError(f"systemic must be one of {SYSTEMIC}, got {systemic!r}")
    _require(panel, [outcome], "outcome")
    _require(panel, [REGIMES[regime], systemic], "regime/systemic")
    _require(panel, controls, "control")
    bad = [c for c in controls if not c.isidentifier()]
    if bad:
        raise ValueError(f"control names must be Python identifiers for the formulas, got {bad}")
    out = pd.DataFrame({
        "y": _float(panel[outcome]),
        "democracy": _float(panel[REGIMES[regime]]),
        "systemic_favorable": _float(panel[systemic]),
        **{c: _float(panel[c]) for c in controls},
        "log_exposure": np.log(exposure_days(panel)),
        "t": panel["years_since_entry"].astype("float64"),
        "war": panel["war_num"].astype("int64"),
        "ccode": panel["ccode"].astype("int64"),
        "year": panel["year"].astype("int64"),
        # entity for panel models: one member spell (a state's spell on one side of one war)
        "entity": (panel["war_num"].astype("int64") * 100000 + panel["side"].astype("int64") * 10000
                   + panel["ccode"].astype("int64") * 10 + panel["spell"].astype("int64")),
    }, index=panel.index)
    from ..panel.exits import at_risk  # here, so that importing the models does not import the panel builders

    # rows without a partner are not at risk of leaving one; rows after a historical exit are no
    # longer at risk (except under COW's dates)
    partnerless = (panel["partnerless"].astype("boolean").fillna(False).astype(bool) if "partnerless" in panel
                   else pd.Series(False, index=panel.index))
    keep = at_risk(panel, outcome)
    out = out[keep.to_numpy()]
    complete = out.notna().all(axis=1)
    frame = out[complete].reset_index(drop=True)
    frame.attrs.update(outcome=outcome, regime=regime, systemic=systemic, controls=controls, n_panel=len(panel),
                       dropped=int((~complete).sum()), partnerless_dropped=int(partnerless.sum()),
                       after_exit_dropped=int((~keep & ~partnerless).sum()),
                       scheme=str(panel["scheme"].iloc[0]) if "scheme" in panel else "?",
                       nmc_version=str(panel["nmc_version"].iloc[0]) if "nmc_version" in panel else "?")
    return frame


def describe_sample(frame: pd.DataFrame) -> str:
    a = frame.attrs
    return (f"state-phases of the {a.get('scheme')} panel (NMC v{a.get('nmc_version')}), outcome {a.get('outcome')}, "
            f"regime {a.get('regime')}; {len(frame)} of {a.get('n_panel')} rows complete "
            f"({a.get('dropped')} dropped for missing values)")


def cluster_counts(frame: pd.DataFrame) -> dict:
    """Number of wars (clusters) and of wars containing at least one event."""
    by_war = frame.groupby("war")["y"].max()
    return {"n_clusters": int(len(by_war)), "clusters_with_events": int((by_war > 0).sum())}


def interaction_cluster_counts(frame: pd.DataFrame, regressor: str | pd.Series | None = None) -> dict:
    """:func:`cluster_counts` plus how many wars identify an interaction ("treated" clusters).

    ``regressor``: a column of ``frame``, a Series aligned with it, or None for the interaction
    democracy x systemic_favorable. Adds ``clusters_interaction_nonzero`` (wars where the regressor
    is non-zero in at least one row: the treated clusters of MacKinnon and Webb 2017, 2018) and
    ``clusters_interaction_varies`` (wars where it takes more than one value, so it varies within
    the war). ``cluster_counts``' keys are unchanged.
    """
    if regressor is None:
        values = frame["democracy"] * frame["systemic_favorable"]
        name = "democracy x systemic_favorable"
    elif isinstance(regressor, str):
        _require(frame, [regressor], "interaction regressor")
        values, name = frame[regressor], regressor
    else:
        values, name = pd.Series(regressor), str(getattr(regressor, "name", "regressor"))
        if not values.index.equals(frame.index):
            raise ValueError(f"regressor {name!r} is not aligned with the frame's index")
    if values.isna().any():
        raise DataError(f"interaction regressor {name!r} is missing in {int(values.isna().sum())} rows; the model "
                        "frame drops incomplete rows (model_frame), so count on that frame")
    by_war = values.groupby(frame["war"])
    return {**cluster_counts(frame), "clusters_interaction_nonzero": int(by_war.apply(lambda s: (s != 0).any()).sum()),
            "clusters_interaction_varies": int((by_war.nunique() > 1).sum())}
