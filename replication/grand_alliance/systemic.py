"""The Grand Alliance's systemic conditions measured from COW data, beside the paper's coding.

Two of Resnick's (2013) four neorealist conditions can be seen in capability data:

``losing`` (favours cohesion)
    the trend measure the cross-war panel uses: the coalition's capability ratio,
    coalition CINC / (coalition CINC + enemy CINC), *fell* since the coalition's previous
    phase. Coalition and enemy are the COW World War II (war 139) participants on each
    side whose participation overlaps the period; CINC is the period's first year (as in
    the panel, ``replication.panel.capabilities``). Phase I's previous period is 1941, the
    year before the Declaration by United Nations. The level (``outmatched``:
    ratio < 0.5) is reported beside it; like the panel, it is not used in the index.
``power_symmetric`` (favours cohesion)
    no ally holds a majority of the three allies' capability: the largest share in
    Table 1 (each state's CINC over the three allies' summed CINC, NMC v4.0) is at most
    0.5 in the phase's first year, the panel's ``symmetric`` threshold.

``common_adversary`` and ``external_gt_internal`` rest on perceptions of threat and on
intentions (Germany-first, the convergence of armies in Germany), which capability data
cannot see; they keep the paper's coding and are marked "not measured".

This module does not read the panel (``replication.panel`` is being rebuilt); it applies
the panel's definitions to the three allies directly so the two can be compared.
"""

from __future__ import annotations

import pandas as pd

from ..power import power_shares
from . import ALLIES
from .casefile import PHASES

WAR_NUM = 139
#: the period before phase I, for the trend (calendar 1941)
PERIODS = {"before": ("1941-01-01", "1941-12-31"), **PHASES}
PREVIOUS = {"I": "before", "II": "I"}
MAX_LEADER_SHARE = 0.5

#: The paper's reason for each coding the data contradict (quoted or closely paraphrased).
PAPER_REASONS = {
    ("losing", "I"): "The paper judges the course of the war by territory, not capabilities: in early 1942 the Axis "
                     "held continental Europe west of Moscow, North Africa and Southeast Asia, and the Allies did "
                     "not 'begin to actually win the war until they began liberating strategically vital enemy "
                     "territories', in summer 1944 (Neorealist Predictions; nn. 35-36).",
    ("power_symmetric", "I"): "The paper calls its own Table 1 shares 'partially misleading' because they 'obscure "
                              "heavy US reliance on the front-line military forces fielded by Britain and the Soviet "
                              "Union during the initial temporal phase' (text after Table 1; n. 40).",
}


def capability_ratios(war: pd.DataFrame, nmc: pd.DataFrame) -> pd.DataFrame:
    """The Allies' (side 1) capability ratio against the Axis (side 2) in 1941 and each phase."""
    ww2 = war[war["war_num"] == WAR_NUM]
    rows = []
    for period, (start, end) in PERIODS.items():
        start, end = pd.Timestamp(start), pd.Timestamp(end)
        year = start.year
        cinc = nmc[nmc["year"] == year].set_index("ccode")["cinc"].astype("float64")
        sides = {}
        for side in (1, 2):
            rows_side = ww2[ww2["side"] == side]
            overlap = ((rows_side["start1"] <= end) & (rows_side["end1"] >= start)) | (
                (rows_side["start2"] <= end) & (rows_side["end2"] >= start))
            members = sorted(set(rows_side.loc[overlap.fillna(False), "ccode"].astype(int)))
            values = cinc.reindex(members)
            # strict, as in the panel: a member without CINC makes the side's total NA, never 0
            sides[side] = (members, float(values.sum()) if values.notna().all() else float("nan"))
        coalition, enemy = sides[1][1], sides[2][1]
        rows.append({"period": period, "start": start.date().isoformat(), "end": end.date().isoformat(),
                     "cinc_year": year, "coalition_members": len(sides[1][0]), "enemy_members": len(sides[2][0]),
                     "coalition_cinc": coalition, "enemy_cinc": enemy,
                     "capability_ratio": coalition / (coalition + enemy)})
    out = pd.DataFrame(rows)
    ratio = out.set_index("period")["capability_ratio"]
    out["previous_period"] = out["period"].map(PREVIOUS)
    out["trend"] = [ratio[p] - ratio[q] if isinstance(q, str) else float("nan")
                    for p, q in zip(out["period"], out["previous_period"])]
    return out


def allied_shares(nmc: pd.DataFrame) -> pd.DataFrame:
    """Table 1's shares (CINC over the three allies' summed CINC) in each phase's first year."""
    years = sorted({pd.Timestamp(s).year for s, _ in PHASES.values()})
    shares = power_shares(nmc, list(ALLIES), years, method="cinc")
    shares["state"] = shares["ccode"].map(ALLIES)
    shares["share"] = shares["share"].astype("float64")
    return shares


def measured_conditions(cases: pd.DataFrame, war: pd.DataFrame, nmc: pd.DataFrame) -> pd.DataFrame:
    """One row per state-phase and condition: the paper's coding, the measured value, and why they differ.

    ``paper`` and ``measured`` are True when the condition favours cohesion (NA: not measured).
    """
    ratios = capability_ratios(war, nmc).set_index("period")
    shares = allied_shares(nmc)
    rows = []
    for case in cases.itertuples():
        r = ratios.loc[case.phase]
        year = int(r["cinc_year"])
        s = shares[shares["year"] == year].set_index("state")["share"]
        leader = s.idxmax()
        measured = {
            "losing": (bool(r["trend"] < 0),
                       f"capability ratio {ratios.loc[r['previous_period'], 'capability_ratio']:.3f} "
                       f"({ratios.loc[r['previous_period'], 'cinc_year']}) -> {r['capability_ratio']:.3f} "
                       f"({year}): {'fell' if r['trend'] < 0 else 'rose'} by {abs(r['trend']):.3f}; level "
                       f"{'below' if r['capability_ratio'] < 0.5 else 'above'} 0.5 (outmatched: "
                       f"{'yes' if r['capability_ratio'] < 0.5 else 'no'})"),
            "power_symmetric": (bool(s.max() <= MAX_LEADER_SHARE),
                                f"largest share of the three allies' CINC in {year}: {leader} {s.max():.3f} "
                                f"({'at most' if s.max() <= MAX_LEADER_SHARE else 'above'} {MAX_LEADER_SHARE})"),
            "common_adversary": (pd.NA, "not measured: perceptions of the principal enemy (Germany-first)"),
            "external_gt_internal": (pd.NA, "not measured: intra-alliance threat is a matter of intentions"),
        }
        for condition, (value, measure) in measured.items():
            paper = bool(getattr(case, condition + "_favors"))
            differs = pd.NA if value is pd.NA else value != paper
            reason = ("" if differs is pd.NA else
                      PAPER_REASONS.get((condition, case.phase), "no reason recorded") if differs else "agree")
            rows.append({"state": case.state, "phase": case.phase, "condition": condition, "paper": paper,
                         "measured": value, "measure": measure, "differs": differs, "paper_reason": reason})
    out = pd.DataFrame(rows)
    out["measured"] = out["measured"].astype("boolean")
    out["differs"] = out["differs"].astype("boolean")
    return out


def with_measured_conditions(cases: pd.DataFrame, measured: pd.DataFrame) -> pd.DataFrame:
    """The cases with each measured condition replacing the paper's coding (unmeasured ones kept)."""
    out = cases.copy()
    m = measured.dropna(subset=["measured"]).set_index(["state", "phase", "condition"])["measured"]
    for (state, phase, condition), value in m.items():
        sel = (out["state"] == state) & (out["phase"] == phase)
        out.loc[sel, condition + "_favors"] = bool(value)
        out.loc[sel, condition] = "yes" if value else "no"
    return out
