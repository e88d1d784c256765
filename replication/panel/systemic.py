"""The four systemic conditions of Resnick (2013), measured from COW data.

Each is coded True when it favours cohesion, following Weitsman's neorealist
hypotheses as Resnick states them:

``outmatched``
    the coalition has less capability than the enemy (capability_ratio < 0.5). A proxy
    for "losing": it sees capabilities, not battlefield trends, territory or momentum
    (the Allies outmatched the Axis in CINC from 1942 though Resnick codes them as losing
    until mid-1944).
``symmetric``
    no member holds a majority of the coalition's capability (leader_share <= 0.5).
    The leader's share is used rather than the HHI because the HHI's floor (1/N) depends
    on the number of members; ``coalition_hhi`` is reported for other thresholds. Resnick
    (2013) calls the Grand Alliance's 58-66% US share "highly asymmetric".
    It cannot see front-line contributions (Resnick's reason for calling phase I symmetric).
``common_adversary``
    every member of the coalition-phase has the same principal enemy (the overlapping
    opposite-side state with the largest CINC). It cannot see perceptions of threat
    (e.g. Germany-first versus Japan).
``external_gt_internal``
    the enemy's summed CINC exceeds the CINC of the member's largest partner: a
    capability proxy for external versus intra-alliance threat. It cannot see ideology
    or intentions.

``systemic_index`` counts the conditions that favour cohesion (0-4; NA if any is NA)
and ``systemic_favorable`` is index >= ``favorable_min`` (default 3).
"""

from __future__ import annotations

import pandas as pd

CONDITIONS = ["outmatched", "symmetric", "common_adversary", "external_gt_internal"]


def add_systemic_conditions(panel: pd.DataFrame, *, max_leader_share: float = 0.5,
                            favorable_min: int = 3) -> pd.DataFrame:
    out = panel.copy()

    def flag(cond: pd.Series, *inputs: str) -> pd.Series:
        """Boolean with NA wherever an input is missing (never a silent False)."""
        missing = out[list(inputs)].isna().any(axis=1)
        return cond.astype("boolean").mask(missing)

    out["outmatched"] = flag(out["capability_ratio"] < 0.5, "capability_ratio")
    out["symmetric"] = flag(out["leader_share"] <= max_leader_share, "leader_share")
    same = out.groupby(["war_num", "side", "phase"])["principal_enemy"].transform(
        lambda s: s.notna().all() and s.nunique() == 1)
    any_missing = out.groupby(["war_num", "side", "phase"])["principal_enemy"].transform(lambda s: s.isna().any())
    out["common_adversary"] = same.astype("boolean").mask(any_missing.astype(bool))
    out["external_gt_internal"] = flag(out["enemy_cinc"] > out["largest_partner_cinc"], "enemy_cinc",
                                       "largest_partner_cinc")
    index = out[CONDITIONS].astype("Int64").sum(axis=1, min_count=4)
    index = index.mask(out[CONDITIONS].isna().any(axis=1))
    out["systemic_index"] = index.astype("Int64")
    out["systemic_favorable"] = (out["systemic_index"] >= favorable_min).astype("boolean")
    out.attrs.update(max_leader_share=max_leader_share, favorable_min=favorable_min)
    return out
