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
