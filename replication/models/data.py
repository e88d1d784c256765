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

A phase that ends in an exit that is *not* an event of the chosen outcome (conquest, a
withdrawal with the partners' consent, a coalition-wide settlement before the coalition's last
member stopped) is censored there: its exposure is the state's actual time at risk in the phase
(``days_at_risk``), not the days it would have had. Only the phase in which the outcome's event
occurs gets the would-be exposure; every other phase's exposure is its actual days at war.

Codebook (two sentences): ``log_exposure`` is the log of the days a state was at risk of the
outcome in the phase, where an event's phase counts the days the state would have been at risk had
it not left, so exposure is not shortened by the event itself. It enters the complementary log-log
hazard as an offset (coefficient fixed at 1), which turns the phase-level probability of exit into a
constant daily hazard and makes phases of unequal length comparable.

The estimation sample
---------------------
:func:`sample_flow` follows the panel to the estimation sample step by step (the rows, wars,
events and wars with an event that each step removes, with its reason); :func:`model_frame`
applies the same steps, in the same order, and keeps the table in ``frame.attrs["flow"]``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError

OUTCOMES = ("defected", "defected_strict", "defected_broad", "exit_early", "defected_cow_dates")
REGIMES = {"polity": "democracy", "bmr": "democracy_bmr"}
CONTROLS = ["power_share", "major_power"]
SYSTEMIC = ("systemic_favorable", "systemic_graded", "favorable_if_defeat_divides",
            "graded_if_defeat_divides")
#: the unit of clustered inference (cluster-robust covariances, jackknife, bootstrap, the power simulation's
#: random effect): the war, the contributor state, or per universe -- the war in the COW universe and the
#: contributor in the coalition_2001 universe, which has only two wars (panels without a universe column:
#: the war)
CLUSTERS = ("by_universe", "war", "contributor")
CONTRIBUTOR_CLUSTER_OFFSET = 100000  # contributor ids, 100000 + ccode, never collide with war numbers


def cluster_ids(frame: pd.DataFrame) -> np.ndarray:
    """The cluster of each row of a model frame: its ``cluster`` column, or its war where it has none."""
    return frame["cluster" if "cluster" in frame else "war"].to_numpy()


def _cluster_column(panel: pd.DataFrame, cluster: str) -> pd.Series:
    war = panel["war_num"].astype("int64")
    contributor = CONTRIBUTOR_CLUSTER_OFFSET + panel["ccode"].astype("int64")
    if cluster == "war":
        return war
    if cluster == "contributor":
        return contributor
    if "universe" not in panel:
        return war
    return contributor.where(panel["universe"].astype(str).eq("coalition_2001"), war)


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


def exposure_days(panel: pd.DataFrame, outcome: str | None = None) -> pd.Series:
    """Days at risk of ``outcome`` in each phase (see the module docstring).

    In a phase where the outcome's event occurs: from the state's first day in the phase to the
    earlier of the phase's last calendar day (``segment_end``: 31 December, the war's midpoint, or
    the day before a turning point) and the coalition's end, the days it would have been at risk
    had it not left, the same as for a partner who fought on. In every other phase: the days the
    state actually spent at war in it (``days_at_risk``), so a phase that ends in an exit that is
    not an event (conquest, a consented withdrawal) is censored at the exit. ``outcome=None``: the
    would-be exposure in every phase (the rule before 2026-11).
    """
    _require(panel, ["phase_start", "segment_end", "coalition_end"], "exposure")
    end = np.minimum(pd.to_datetime(panel["segment_end"]), pd.to_datetime(panel["coalition_end"]))
    would_be = ((end - pd.to_datetime(panel["phase_start"])).dt.days + 1).astype("float64")
    if outcome is None:
        return would_be
    _require(panel, ["days_at_risk", outcome], "exposure")
    event = panel[outcome].astype("Float64").fillna(0).to_numpy(dtype="float64") > 0
    actual = panel["days_at_risk"].astype("float64")
    if {"event_date", "spell_end", "phase_end"} <= set(panel.columns):
        # a member whose organised fighting ended before COW's end of its spell (the historical record,
        # replication.panel.exits) was at risk only until then
        stop = pd.to_datetime(panel["event_date"])
        start = pd.to_datetime(panel["phase_start"])
        inside = (stop >= start) & (stop <= pd.to_datetime(panel["phase_end"])) & (stop < pd.to_datetime(panel["spell_end"]))
        actual = actual.where(~inside.fillna(False), (stop - start).dt.days + 1.0)
    return would_be.where(event, actual)


#: The internal names every frame has, whatever outcome, regime measure and systemic coding it was built from.
ALIASES = ("y", "democracy", "systemic_favorable")
_RESERVED = ("y", "democracy", "systemic_favorable", "log_exposure", "t", "war", "ccode", "year", "entity")
#: Above this share of the rows at risk, rows dropped for missing values raise a DroppedRowsWarning.
DROPPED_WARNING_SHARE = 0.05


def check_choice(value, valid, what: str):
    """``value`` if it is one of ``valid``; otherwise a ValueError that lists the valid values (and the
    closest one, for a misspelling)."""
    import difflib

    valid = list(valid)
    if isinstance(value, str) and value in valid:
        return value
    close = difflib.get_close_matches(str(value), [str(v) for v in valid], n=1) if isinstance(value, str) else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ValueError(f"{what} must be one of {valid}, got {value!r}{hint}")


def check_names(value, what: str, example: str, noun: str = "column names") -> list[str]:
    """A list of strings (column names by default), or a TypeError saying what was passed instead (a lone
    string, which list() would split into letters, or a number)."""
    if isinstance(value, str):
        raise TypeError(f"{what} must be a list of {noun}, e.g. {what}=[{value!r}]; got the string {value!r} "
                        f"(a string would be read as its letters)")
    try:
        names = list(value)
    except TypeError:
        raise TypeError(f"{what} must be a list of {noun}, e.g. {what}={example}; got {value!r}") from None
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise TypeError(f"{what} must be a list of {noun} (strings), e.g. {what}={example}; got {bad!r} in it")
    return names


def model_frame(panel: pd.DataFrame, outcome: str = "defected", regime: str = "polity",
                controls: list[str] | None = None, systemic: str = "systemic_favorable",
                cluster: str = "by_universe", warn_dropped: float | None = DROPPED_WARNING_SHARE) -> pd.DataFrame:
    """The estimation sample: float columns ready for formulas, rows at risk with every column present.

    Parameters
    ----------
    panel : pandas.DataFrame
        The state-phase panel (:func:`replication.panel.build_panel`, or ``load_panel()``).
    outcome : str
        Any of ``OUTCOMES`` present in the panel (default "defected").
    regime : str
        "polity" (Polity5 polity2 >= threshold, the panel's ``democracy``) or "bmr" (``democracy_bmr``).
    controls : list of str, optional
        Any panel columns (default ``CONTROLS``: power_share, major_power). A list, even of one name.
    systemic : str
        One of ``SYSTEMIC``: "systemic_favorable" (binary, the primary reading), "systemic_graded" (0-1),
        "favorable_if_defeat_divides" or "graded_if_defeat_divides" (the second reading).
    warn_dropped : float or None
        Issue a :class:`~replication.models.results.DroppedRowsWarning` when the rows dropped for
        missing values are more than this share of the rows at risk (default 5%); None: never (the
        counts are kept in ``attrs`` all the same; :func:`sample_flow` reports them as a table).

    Returns
    -------
    pandas.DataFrame
        ``y`` (the outcome), ``democracy`` (the regime measure) and ``systemic_favorable`` (the chosen
        systemic coding) -- the internal names every formula of the package uses -- and beside them
        the same columns under their panel names (e.g. ``defected``, ``democracy_bmr``,
        ``favorable_if_defeat_divides``), so that ``"defected ~ democracy_bmr * favorable_if_defeat_divides"``
        works too; the controls, ``log_exposure``, duration ``t``, and the ``war``, ``ccode``,
        ``year`` and ``entity`` ids. ``attrs``: outcome, regime, regime_column, systemic, controls,
        n_panel, at_risk (rows left after the risk-set steps), dropped (rows dropped for missing
        values), dropped_by ({column: rows}), flow (every step, see :func:`sample_flow`),
        partnerless_dropped, after_exit_dropped, warnings, scheme, nmc_version.

    Notes
    -----
    The risk set (:func:`replication.panel.exits.at_risk`) leaves out partnerless rows (no partner
    to abandon) and, for every outcome except ``defected_cow_dates``, the rows after a state's
    historical exit (``after_exit``: it had stopped organised fighting before COW's end date). Rows
    at risk that miss any column are then dropped, each counted against the first column it misses.
    ``cluster``: the unit of clustered inference, in the ``cluster`` column (:data:`CLUSTERS`; default
    by universe: the war in the COW universe, the contributor state in the coalition_2001 universe).
    """
    controls = list(CONTROLS) if controls is None else check_names(controls, "controls", "['power_share']")
    check_choice(outcome, OUTCOMES, "outcome")
    check_choice(regime, REGIMES, "regime")
    check_choice(systemic, SYSTEMIC, "systemic")
    check_choice(cluster, CLUSTERS, "cluster")
    if warn_dropped is not None and not 0 <= float(warn_dropped) <= 1:
        raise ValueError(f"warn_dropped must be a share between 0 and 1 (or None), got {warn_dropped!r}")
    _require(panel, [outcome], "outcome")
    _require(panel, [REGIMES[regime], systemic], "regime/systemic")
    _require(panel, controls, "control")
    bad = [c for c in controls if not c.isidentifier()]
    if bad:
        raise ValueError(f"control names must be Python identifiers for the formulas, got {bad}")
    taken = {*_RESERVED, outcome, REGIMES[regime], systemic}
    clash = [c for c in controls if c in taken]
    if clash or len(set(controls)) < len(controls):
        raise ValueError(f"controls {clash or controls} repeat a column the frame already has (the outcome, the regime "
                         f"measure, the systemic coding or one of {list(_RESERVED)}) or each other; leave them out")
    out = pd.DataFrame({
        "y": _float(panel[outcome]),
        "democracy": _float(panel[REGIMES[regime]]),
        "systemic_favorable": _float(panel[systemic]),
        **{c: _float(panel[c]) for c in controls},
        "log_exposure": np.log(exposure_days(panel, outcome)),
        "t": panel["years_since_entry"].astype("float64"),
        "war": panel["war_num"].astype("int64"),
        "cluster": _cluster_column(panel, cluster),
        "ccode": panel["ccode"].astype("int64"),
        "year": panel["year"].astype("int64"),
        # entity for panel models: one member spell (a state's spell on one side of one war)
        "entity": (panel["war_num"].astype("int64") * 100000 + panel["side"].astype("int64") * 10000
                   + panel["ccode"].astype("int64") * 10 + panel["spell"].astype("int64")),
    }, index=panel.index)
    # the panel's own names beside the aliases, so formulas can use either
    for own, alias in ((outcome, "y"), (REGIMES[regime], "democracy"), (systemic, "systemic_favorable")):
        if own != alias:
            out[own] = out[alias]
    steps = _steps(panel, out, outcome, regime, systemic, controls)
    keep = np.ones(len(out), bool)
    for _, removed, _ in steps:
        keep &= ~removed
    frame = out[keep].reset_index(drop=True)
    flow = _flow(panel, out["y"].to_numpy(), steps)
    complete_steps = [r for r in flow if r["step"].startswith("missing")]
    at_risk = int(flow[0]["rows"] - sum(r["rows_removed"] for r in flow[1:] if not r["step"].startswith("missing")))
    dropped_by = {_step_column(r["step"], outcome, regime, systemic): int(r["rows_removed"]) for r in complete_steps}
    frame.attrs.update(outcome=outcome, regime=regime, regime_column=REGIMES[regime], systemic=systemic,
                       controls=controls, n_panel=len(panel), at_risk=at_risk, cluster=cluster,
                       dropped=int(sum(r["rows_removed"] for r in complete_steps)), dropped_by=dropped_by,
                       flow=flow, partnerless_dropped=_removed(flow, "partnerless"),
                       after_exit_dropped=_removed(flow, "after the historical exit"), warnings=[],
                       scheme=str(panel["scheme"].iloc[0]) if "scheme" in panel else "?",
                       nmc_version=str(panel["nmc_version"].iloc[0]) if "nmc_version" in panel else "?")
    dropped = frame.attrs["dropped"]
    if warn_dropped is not None and at_risk and dropped > float(warn_dropped) * at_risk:
        from .results import DroppedRowsWarning, warn

        message = _dropped_message(panel, out, steps, flow, frame.attrs, float(warn_dropped))
        frame.attrs["warnings"] = [message]
        warn(message, DroppedRowsWarning)
    return frame


def _step_column(step: str, outcome: str, regime: str, systemic: str) -> str:
    """The panel column a "missing ..." step of the flow is about."""
    fixed = {"missing outcome": outcome, "missing regime type": REGIMES[regime],
             "missing systemic conditions": systemic, "missing exposure or time": "log_exposure or years_since_entry"}
    return fixed.get(step, step.removeprefix("missing control "))


def _dropped_message(panel, out, steps, flow, attrs, share: float) -> str:
    """What a DroppedRowsWarning says: how many rows at risk were dropped, for which column, why a column
    is missing where a pattern explains it (every coalition leader's row) or else the codebook's rule,
    and the events lost."""
    try:
        from ..panel.schema import MISSING_RULES
    except ImportError:  # pragma: no cover - the schema ships with the package
        MISSING_RULES = {}
    leader = None
    if {"coalition_leader", "ccode"} <= set(panel.columns):
        leader = (panel["coalition_leader"].astype("Int64") == panel["ccode"].astype("Int64")).fillna(False).to_numpy()
    at_risk_rows = np.ones(len(out), bool)
    for name, removed, _ in steps:
        if not name.startswith("missing"):
            at_risk_rows &= ~removed
    parts = []
    for (name, removed, _), row in zip(steps, flow[1:]):
        if not name.startswith("missing") or not row["rows_removed"]:
            continue
        column = _step_column(name, attrs["outcome"], attrs["regime"], attrs["systemic"])
        why = ""
        if leader is not None and column in panel:
            na = panel[column].isna().to_numpy() & at_risk_rows
            leaders = leader & at_risk_rows
            if leaders.any() and na[leaders].all():
                why = (f"because it is NA for every coalition leader, {int(leaders.sum())} leader rows at risk: a "
                       "leader has no leader of its own")
                if (na & ~leader).any():
                    why += f" and in {int((na & ~leader).sum())} other rows"
        if not why and column in MISSING_RULES:
            why = f"codebook: NA when {MISSING_RULES[column]}"
        events = f", {row['events_removed']} of them events" if row["events_removed"] else ""
        parts.append(f"{column} NA in {row['rows_removed']} rows{events}" + (f", {why}" if why else ""))
    pct = 100 * attrs["dropped"] / attrs["at_risk"]
    events_lost = sum(r["events_removed"] for r in flow if r["step"].startswith("missing"))
    return (f"model_frame: {attrs['dropped']} of {attrs['at_risk']} rows at risk ({pct:.1f}%, more than "
            f"{100 * share:g}%) dropped for missing values, {events_lost} of them events: " + "; ".join(parts)
            + ". Each row is counted against the first column it misses; the counts are in frame.attrs['dropped_by'] "
            "and sample_flow(...) shows every step.")


def _removed(flow: list[dict], step: str) -> int:
    return int(sum(r["rows_removed"] for r in flow if r["step"] == step))


def _steps(panel: pd.DataFrame, out: pd.DataFrame, outcome: str, regime: str, systemic: str,
           controls: list[str]) -> list[tuple[str, np.ndarray, str]]:
    """The filters from the panel to the estimation sample, in order: (step, rows removed, reason).

    A row counts against the first step that removes it."""
    n = len(out)
    taken = np.zeros(n, bool)
    steps = []

    def step(name: str, mask, reason: str) -> None:
        nonlocal taken
        mask = np.asarray(mask, bool) & ~taken
        taken = taken | mask
        steps.append((name, mask, reason))

    if "partnerless" in panel:
        step("partnerless", panel["partnerless"].astype("boolean").fillna(False).to_numpy(),
             "the state has no partner in the phase (its side's only member, or no real partner), so it cannot "
             "leave one: not at risk")
    from ..panel.exits import at_risk  # here, so that importing the models does not import the panel builders

    if "after_exit" in panel:  # at_risk keeps these rows for the COW-dates variant only
        step("after the historical exit", ~at_risk(panel.assign(partnerless=False), outcome).to_numpy(),
             "the phase starts after the member's last organised military effort (the historical record), "
             "so it is no longer at risk")
    step("missing outcome", out["y"].isna().to_numpy(), f"{outcome} is NA")
    step("missing regime type", out["democracy"].isna().to_numpy(),
         f"{REGIMES[regime]} is NA (see the codebook's missing-value rules)")
    step("missing systemic conditions", out["systemic_favorable"].isna().to_numpy(), f"{systemic} is NA")
    for c in controls:
        step(f"missing control {c}", out[c].isna().to_numpy(), f"{c} is NA")
    step("missing exposure or time", out[["log_exposure", "t"]].isna().any(axis=1).to_numpy(),
         "exposure or years since entry is NA")
    return steps


def _flow(panel: pd.DataFrame, y: np.ndarray, steps) -> list[dict]:
    """Rows, wars, events and event wars before and after each step, and what it removed."""
    wars = panel["war_num"].to_numpy()
    names = panel["war_name"].astype(str).to_numpy() if "war_name" in panel else wars.astype(str)
    yv = np.nan_to_num(np.asarray(y, dtype=float)) > 0

    def counts(mask):
        return {"rows": int(mask.sum()), "wars": int(len(np.unique(wars[mask]))), "events": int((yv & mask).sum()),
                "event_wars": int(len(np.unique(wars[mask & yv])))}

    keep = np.ones(len(wars), bool)
    rows = [{"step": "panel", "reason": "every coalition state-phase", **counts(keep), "rows_removed": 0,
             "wars_removed": 0, "events_removed": 0, "event_wars_removed": 0, "wars_lost": "", "events_lost": ""}]
    for name, removed, reason in steps:
        before = counts(keep)
        after_keep = keep & ~removed
        after = counts(after_keep)
        lost_wars = sorted(set(wars[keep]) - set(wars[after_keep]))
        lost_events = removed & yv
        rows.append({"step": name, "reason": reason, **after,
                     "rows_removed": before["rows"] - after["rows"], "wars_removed": before["wars"] - after["wars"],
                     "events_removed": before["events"] - after["events"],
                     "event_wars_removed": before["event_wars"] - after["event_wars"],
                     "wars_lost": "; ".join(f"{w} {names[wars == w][0]}" for w in lost_wars),
                     "events_lost": "; ".join(f"{wars[i]} {panel['state_name'].iloc[i]} {panel['year'].iloc[i]}"
                                              for i in np.flatnonzero(lost_events)) if "state_name" in panel else ""})
        keep = after_keep
    return rows


def sample_flow(panel: pd.DataFrame, outcome: str = "defected", regime: str = "polity",
                controls: list[str] | None = None, systemic: str = "systemic_favorable") -> pd.DataFrame:
    """From the panel to the estimation sample: one row per step with the rows, wars, events and wars
    with an event that remain, what the step removed, and the wars and events it lost entirely.
    The steps are exactly those of :func:`model_frame` (which keeps the same table in
    ``frame.attrs["flow"]``)."""
    frame = model_frame(panel, outcome=outcome, regime=regime, controls=controls, systemic=systemic, warn_dropped=None)
    out = pd.DataFrame(frame.attrs["flow"])
    out.insert(0, "outcome", outcome)
    out.insert(1, "systemic", systemic)
    out.insert(2, "regime", regime)
    return out


def describe_sample(frame: pd.DataFrame) -> str:
    a = frame.attrs
    return (f"state-phases of the {a.get('scheme')} panel (NMC v{a.get('nmc_version')}), outcome {a.get('outcome')}, "
            f"regime {a.get('regime')}; {len(frame)} of {a.get('n_panel')} rows complete "
            f"({a.get('dropped')} dropped for missing values)")


def cluster_counts(frame: pd.DataFrame) -> dict:
    """Number of clusters (wars, or contributors where the frame clusters by contributor) and of clusters
    containing at least one event."""
    by_war = frame["y"].groupby(cluster_ids(frame)).max()
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
    by_war = values.groupby(cluster_ids(frame))
    return {**cluster_counts(frame), "clusters_interaction_nonzero": int(by_war.apply(lambda s: (s != 0).any()).sum()),
            "clusters_interaction_varies": int((by_war.nunique() > 1).sum())}


def cell_frame(frame: pd.DataFrame, democracy: float, favorable: float) -> pd.DataFrame:
    """``frame`` with every row set to one cell: the regime measure and the systemic coding set to the
    given values under the internal names (``democracy``, ``systemic_favorable``) and under their panel
    names (``democracy_bmr``, ``favorable_if_defeat_divides``...), so a counterfactual design is right
    whichever names the formula used."""
    values = {"democracy": float(democracy), "systemic_favorable": float(favorable)}
    for own, value in ((frame.attrs.get("regime_column"), democracy), (frame.attrs.get("systemic"), favorable)):
        if own and own in frame.columns:
            values[own] = float(value)
    return frame.assign(**values)
