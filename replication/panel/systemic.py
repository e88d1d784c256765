"""The systemic conditions of Resnick (2013), measured from COW data, each in its own column.

Neorealism's four conditions (Resnick 2013, line 47 and line 83 of the text in
``shared/papers``, after Weitsman) favour cohesion when the alliance is **losing**, its
power is **symmetric**, its members share a **common adversary**, and **external threat
exceeds internal threat**. :data:`CONDITIONS` gives each measure, its predicted
direction and the paper's line; every condition is coded True when it favours cohesion.

``losing`` (trend; in the index)
    the coalition's capability ratio (coalition CINC over coalition plus enemy CINC)
    fell (``capability_trend`` < 0): since the coalition's previous phase, or, in the
    coalition's first phase, which has no previous phase, over the year of entry (the
    phase's ratio minus the same members' and enemies' ratio in the year before the
    phase's start year, ``capability_ratio_prior_year``; written rule of 2026-11, so that
    no coalition's first phase drops out of the estimation sample for a missing trend).
    A proxy: it sees mobilisation and partners or enemies joining and leaving, not
    battles, territory or momentum.
``outmatched`` (level; **not** in the index)
    capability_ratio < 0.5. The paper's own text cuts both ways on the level: facing
    defeat raises cohesion (line 83), but when defeat looks certain members bandwagon
    "from the losing side at an opportune moment" (Walt, line 141). All five COW side
    switches fall in outmatched phases, so the level is reported as a separate column
    (and a control), with its predicted direction "fragmentation", rather than counted
    as favouring cohesion.
``symmetric``
    no member holds a majority of the coalition's capability (leader_share <= 0.5).
    It cannot see front-line contributions (Resnick's reason for calling phase I of
    the Grand Alliance symmetric).
``common_adversary`` (reported; **dropped from the index**)
    every member of the coalition-phase has the same principal enemy (the overlapping
    enemy with the largest CINC). It is True in almost every row (the largest enemy is
    almost always shared), so it carries next to no information; it cannot see
    perceptions of threat (Germany-first versus Japan). The panel summary reports its
    variance.
``external_gt_internal``
    the enemy's summed CINC exceeds the CINC of the member's largest partner. It cannot
    see ideology or intentions.

Indices over the three index conditions (losing, symmetric, external_gt_internal):

``systemic_index``
    how many favour cohesion (0-3; NA if any is NA);
``systemic_favorable``
    at least ``favorable_min`` (default 2, a majority) of the three favour cohesion.
    Table 2 of the 2013 paper calls conditions favourable when all four favour cohesion.
    The panel cannot use that rule: with all three required, almost no measured
    state-year is favourable (the codebook gives the count), so the variable has no
    variance to estimate anything with. The two rules agree on the paper's own cases, which sit at the extremes (all
    four favourable in phase I, none in phase II); the difference is stated in the
    codebook, the panel summary and Table 2's notes;
``systemic_graded``
    0-1: the mean of ``losing`` (0/1), a symmetry score (1 - leader_share) / (1 - 1/n)
    (1 when the n members are equal, 0 when one holds everything) and an external-threat
    score enemy_cinc / (enemy_cinc + largest_partner_cinc) (above 0.5 exactly when
    external_gt_internal). NA if any part is NA.

The two readings of "favourable" (declared in :data:`replication.models.hypotheses.READINGS`
before any estimate): the three columns above follow the primary reading, *defeat unites*
(losing favours cohesion, line 83); ``index_if_defeat_divides``,
``favorable_if_defeat_divides`` and ``graded_if_defeat_divides`` are the same
measures under the second reading, *defeat divides* (looming defeat invites defection,
lines 131-141, 153, 171, 671): ``losing`` is counted as favouring fragmentation (1 - losing).
"""

from __future__ import annotations

import pandas as pd

#: condition -> (in the index?, predicted direction for cohesion, the paper's line, measure, limits)
CONDITIONS: dict[str, tuple[bool, str, str, str, str]] = {
    "losing": (True, "favours cohesion", "line 83 (Weitsman's first hypothesis); line 47",
               "capability_trend < 0: the coalition's capability ratio fell since its previous phase",
               "a proxy: sees mobilisation and members joining or leaving, not battles, territory or momentum "
               "(the Central Powers' ratio rose in 1918 after Russia left); in a coalition's first phase the "
               "change over the year of entry (same members and enemies, prior-year CINC)"),
    "outmatched": (False, "favours fragmentation (bandwagoning)", "line 141 (Walt); cf. line 131",
                   "capability_ratio < 0.5",
                   "a level, not a trend; CINC is annual, so a phase's ratio ignores when in the year states joined"),
    "symmetric": (True, "favours cohesion", "line 83 (second hypothesis)", "leader_share <= 0.5",
                  "counts every member's CINC, not front-line contributions (Resnick's reason for calling phase I "
                  "of the Grand Alliance symmetric)"),
    "common_adversary": (False, "favours cohesion", "line 83 (third hypothesis)",
                         "all members share one principal enemy (dropped from the index: nearly constant)",
                         "the principal enemy is the largest CINC, almost always shared; cannot see perceived "
                         "threat (Germany-first versus Japan)"),
    "external_gt_internal": (True, "favours cohesion", "line 83 (fourth hypothesis)",
                             "enemy_cinc > largest_partner_cinc",
                             "capabilities only; cannot see ideology or intentions, by which the paper codes "
                             "intra-alliance threat"),
}
INDEX_CONDITIONS = [c for c, (in_index, *_) in CONDITIONS.items() if in_index]


def conditions_table() -> pd.DataFrame:
    """The conditions, their measures and predicted directions (for the codebook and exhibits)."""
    return pd.DataFrame([{"condition": c, "in_index": i, "predicted_direction": d, "paper_line": line,
                          "measure": m, "limits": lim} for c, (i, d, line, m, lim) in CONDITIONS.items()])


def capability_trend(panel: pd.DataFrame) -> pd.Series:
    """Change in the coalition's capability ratio since the coalition's previous phase; in its first
    phase, since the year before entry (``capability_ratio_prior_year``, same members and enemies)."""
    group = ["war_num", "side", "phase"]
    agg = {"start": ("phase_start", "min"), "ratio": ("capability_ratio", "first")}
    if "capability_ratio_prior_year" in panel:
        agg["prior"] = ("capability_ratio_prior_year", "first")
    phases = panel.groupby(group, sort=False).agg(**agg).reset_index()
    phases = phases.sort_values(["war_num", "side", "start"], kind="stable")
    phases["capability_trend"] = phases.groupby(["war_num", "side"])["ratio"].diff()
    if "prior" in phases:
        first = ~phases.duplicated(["war_num", "side"], keep="first")
        phases.loc[first, "capability_trend"] = phases.loc[first, "ratio"] - phases.loc[first, "prior"]
    return panel[group].merge(phases[group + ["capability_trend"]], on=group, how="left",
                              validate="many_to_one")["capability_trend"].set_axis(panel.index)


def add_systemic_conditions(panel: pd.DataFrame, *, max_leader_share: float = 0.5,
                            favorable_min: int = 2) -> pd.DataFrame:
    out = panel.copy()

    def flag(cond: pd.Series, *inputs: str) -> pd.Series:
        """Boolean with NA wherever an input is missing (never a silent False)."""
        missing = out[list(inputs)].isna().any(axis=1)
        return cond.astype("boolean").mask(missing)

    out["capability_trend"] = capability_trend(out)
    out["losing"] = flag(out["capability_trend"] < 0, "capability_trend")
    out["outmatched"] = flag(out["capability_ratio"] < 0.5, "capability_ratio")
    out["symmetric"] = flag(out["leader_share"] <= max_leader_share, "leader_share")
    group = out.groupby(["war_num", "side", "phase"])["principal_enemy"]
    same = group.transform(lambda s: s.notna().all() and s.nunique() == 1)
    any_missing = group.transform(lambda s: s.isna().any())
    out["common_adversary"] = same.astype("boolean").mask(any_missing.astype(bool))
    out["external_gt_internal"] = flag(out["enemy_cinc"] > out["largest_partner_cinc"], "enemy_cinc",
                                       "largest_partner_cinc")
    conds = out[INDEX_CONDITIONS]
    complete = conds.notna().all(axis=1)
    out["systemic_index"] = conds.astype("Int64").sum(axis=1).astype("Int64").mask(~complete)
    out["systemic_favorable"] = (out["systemic_index"] >= favorable_min).astype("boolean").mask(~complete)
    n = out["n_members_phase"].astype("float64")
    symmetry_score = ((1 - out["leader_share"]) / (1 - 1 / n)).where(n > 1)
    external_score = out["enemy_cinc"] / (out["enemy_cinc"] + out["largest_partner_cinc"])
    losing = out["losing"].astype("Float64").astype("float64")
    parts = pd.concat([losing, symmetry_score, external_score], axis=1)
    out["systemic_graded"] = parts.mean(axis=1).where(parts.notna().all(axis=1))
    # The second reading of "favourable" (replication.models.hypotheses.READINGS): looming defeat
    # invites defection, so a falling capability ratio counts against cohesion. Same conditions,
    # same rule, with losing reversed.
    reversed_conds = conds.assign(losing=~conds["losing"])
    out["index_if_defeat_divides"] = reversed_conds.astype("Int64").sum(axis=1).astype("Int64").mask(~complete)
    out["favorable_if_defeat_divides"] = (out["index_if_defeat_divides"] >= favorable_min).astype(
        "boolean").mask(~complete)
    parts_b = pd.concat([1.0 - losing, symmetry_score, external_score], axis=1)
    out["graded_if_defeat_divides"] = parts_b.mean(axis=1).where(parts_b.notna().all(axis=1))
    out.attrs.update(max_leader_share=max_leader_share, favorable_min=favorable_min)
    return out


# ---------------------------------------------------------------------------------------------------------
# The 2001 coalitions (universe "coalition_2001"): conditions for wars against non-state adversaries.
# Declared before any estimate on this universe (issue 20); the codebook prints CONDITIONS_2001.
# ---------------------------------------------------------------------------------------------------------

#: condition -> (measured in the 2001 universe?, measure, limits) for the coalitions in Afghanistan and Iraq
CONDITIONS_2001: dict[str, tuple[bool, str, str]] = {
    "losing": (True, "fatality_trend > 0: the coalition's deaths per day rose from its previous phase (cited annual "
               "series, coalition_2001_series.csv: all members' deaths in Afghanistan, the leader's in Iraq, where "
               "no coalition-wide series could be verified; US deaths were 93% of the coalition's there); False in "
               "each war's first phase, which contains the fall of the adversary's regime (Kabul 2001-11-13, Baghdad "
               "2003-04-09) and has no previous phase",
               "deaths measure the cost of the war, not who is winning it: a surge raises them while it succeeds; the "
               "annual counts are spread evenly over each year, so phases inside one calendar year never differ "
               "(custom scheme); never NA"),
    "symmetric": (True, "leader_share <= 0.5 among the contributors, from NMC v7 CINC (the same share code as the COW "
                  "universe)",
                  "CINC counts each contributor's whole capability, not the troops it sent: the US held less than "
                  "half of the contributors' summed CINC in most phases while fielding most of the troops; it varies "
                  "as members enter and leave (results/tables/table5_universes gives the share of symmetric state-phases)"),
    "outmatched": (False, "undefined: the adversaries (the Taliban and al-Qaeda, the Iraqi insurgency) are non-state "
                   "armed groups with no COW capability, so capability_ratio and enemy_cinc are NA",
                   "no capability measure of a non-state adversary exists in the COW data"),
    "common_adversary": (False, "undefined (no principal enemy with a CINC); every member fought the same insurgency",
                         "NA, as in the COW universe it is outside the index"),
    "external_gt_internal": (False, "undefined: enemy_cinc is NA (non-state adversary), so the external threat cannot "
                             "be set against the largest partner's CINC",
                             "what replaces it: nothing measured; the index counts the two conditions that can be"),
}
MEASURED_2001 = [c for c, (measured, *_) in CONDITIONS_2001.items() if measured and c in INDEX_CONDITIONS]


def favorable_min_2001(favorable_min: int = 2) -> int:
    """The number of the two measurable index conditions that must favour cohesion in the 2001 universe:
    the same share as ``favorable_min`` of the three in the COW universe, rounded up (default 2 of 3 ->
    2 of 2, both losing and symmetric)."""
    import math

    return math.ceil(favorable_min * len(MEASURED_2001) / len(INDEX_CONDITIONS))


def add_systemic_conditions_2001(panel: pd.DataFrame, *, max_leader_share: float = 0.5,
                                 favorable_min: int = 2) -> pd.DataFrame:
    """The systemic conditions in the 2001 universe (:data:`CONDITIONS_2001`), in the COW universe's columns.

    ``losing`` is read from the fatality series (``fatality_trend`` > 0; False in each war's first phase),
    ``symmetric`` from the contributors' CINC shares (leader_share <= ``max_leader_share``). The capability
    ratio against the adversary is undefined (a non-state adversary has no COW capability), so
    ``capability_trend``, ``outmatched``, ``common_adversary`` and ``external_gt_internal`` are NA.

    The index counts the two measurable index conditions (0-2); ``systemic_favorable`` needs
    :func:`favorable_min_2001` of them (default: both). ``systemic_graded`` is the mean of losing (0/1) and
    the symmetry score. The second reading (defeat divides) counts ``not losing`` instead of ``losing``.
    Rule declared in issue 20 before any estimate on this universe. The issue expected the US to hold more
    than half of the contributors' capability throughout, which would have made favourable = losing; it
    holds less than half in most phases (NMC v7), so symmetry varies and is counted.
    """
    out = panel.copy()
    for col in ("capability_ratio", "capability_ratio_prior_year", "enemy_cinc", "principal_enemy"):
        out[col] = out[col].mask(pd.Series(True, index=out.index))
    out["capability_trend"] = pd.Series(float("nan"), index=out.index)
    out["losing"] = (out["fatality_trend"] > 0).astype("boolean").fillna(False)
    out["symmetric"] = (out["leader_share"] <= max_leader_share).astype("boolean").mask(out["leader_share"].isna())
    for col in ("outmatched", "common_adversary", "external_gt_internal"):
        out[col] = pd.Series(pd.NA, index=out.index, dtype="boolean")
    need = favorable_min_2001(favorable_min)
    complete = out["symmetric"].notna()
    losing = out["losing"].astype("Int64")
    symmetric = out["symmetric"].astype("Int64")
    out["systemic_index"] = (losing + symmetric).astype("Int64").mask(~complete)
    out["systemic_favorable"] = (out["systemic_index"] >= need).astype("boolean").mask(~complete)
    out["index_if_defeat_divides"] = ((1 - losing) + symmetric).astype("Int64").mask(~complete)
    out["favorable_if_defeat_divides"] = (out["index_if_defeat_divides"] >= need).astype("boolean").mask(~complete)
    n = out["n_members_phase"].astype("float64")
    symmetry_score = ((1 - out["leader_share"]) / (1 - 1 / n)).where(n > 1)
    lose = out["losing"].astype("Float64").astype("float64")
    parts = pd.concat([lose, symmetry_score], axis=1)
    out["systemic_graded"] = parts.mean(axis=1).where(parts.notna().all(axis=1))
    parts_b = pd.concat([1.0 - lose, symmetry_score], axis=1)
    out["graded_if_defeat_divides"] = parts_b.mean(axis=1).where(parts_b.notna().all(axis=1))
    out.attrs.update(max_leader_share=max_leader_share, favorable_min=favorable_min)
    return out


def conditions_table_2001() -> pd.DataFrame:
    """The conditions in the 2001 universe: measured or not, the measure and its limits."""
    return pd.DataFrame([{"condition": c, "measured": m, "in_index": m and c in INDEX_CONDITIONS, "measure": meas,
                          "limits": lim} for c, (m, meas, lim) in CONDITIONS_2001.items()])
