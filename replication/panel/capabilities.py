"""COW NMC joins: CINC, power shares within the coalition, concentration, enemy capability.

Within each coalition-phase (war, side, phase), the members are the states with a row
in that phase. For each row:

- ``cinc``: the state's CINC in the phase's start year;
- ``side_weight``: the share of the state's days at war in the phase that it spent on
  this side. It is 1 for every state except a side switcher in the phase of its switch,
  whose annual CINC is split between the two sides in proportion to its days on each,
  so that no state's capability is counted twice (Italy 1943: Jan-Sep on the Axis side,
  Oct-Dec on the Allied side). Every other member counts fully in every phase it fought
  in, as in Resnick's (2013) annual Table 1;
- ``power_share``: cinc x side_weight over the coalition's summed cinc x side_weight
  (Resnick 2013's reading (a)); the shares sum to 1 in every coalition-phase whose
  members all have a CINC;
- ``coalition_cinc``, ``coalition_hhi`` (sum of squared shares), ``leader_share``,
  ``coalition_leader`` (ccode of the largest share), ``largest_partner_cinc`` (the
  biggest weighted CINC among the state's partners), ``n_members_phase`` (distinct
  members), ``partnerless`` (the state is the only member in the phase);
- ``enemy_cinc``: the summed weighted CINC of the states with a row on the other side;
- ``principal_enemy``: the opposite-side state whose phase overlaps the member's and
  whose CINC is largest;
- ``capability_ratio``: coalition_cinc / (coalition_cinc + enemy_cinc);
- ``capability_ratio_prior_year``: the same ratio for the same members and enemies, each with the
  same side weight, from their CINC in the year before the phase's start year (a state with no
  CINC that year, one born in the war's year, at its CINC in the phase's year). It gives the
  trend of a coalition's first phase, which has no previous phase to compare with (see
  :mod:`replication.panel.systemic`): the change over the year of entry, before any partner or
  enemy has joined or left.

A coalition- or enemy-phase with any member's CINC missing is NA (strict; counted in
a warning), so a missing value is never summed as 0.
"""

from __future__ import annotations

import warnings

import pandas as pd

from ..sources.cow_system import major_power_years
from ._merge import checked_merge

GROUP = ["war_num", "side", "phase"]


def add_nmc(panel: pd.DataFrame, nmc: pd.DataFrame) -> pd.DataFrame:
    version = str(nmc["nmc_version"].iloc[0])
    lo, hi = nmc.attrs.get("coverage", (int(nmc["year"].min()), int(nmc["year"].max())))
    outside = panel["year"].lt(lo) | panel["year"].gt(hi)
    if outside.any():
        warnings.warn(f"add_nmc: NMC v{version} covers {lo}-{hi}; {int(outside.sum())} state-phases fall "
                      f"outside and get NA capabilities.", stacklevel=2)
    out = checked_merge(panel, nmc[["ccode", "year", "cinc"]].assign(cinc=lambda d: d["cinc"].astype("float64")),
                        ["ccode", "year"], what=f"add_nmc (NMC v{version})")
    out["nmc_version"] = version

    # A side switcher's CINC is split between its two sides by days at war (see module docstring).
    days_in_war = out.groupby(["war_num", "ccode", "phase"])["days_at_risk"].transform("sum")
    out["side_weight"] = out["days_at_risk"].astype("float64") / days_in_war.astype("float64")
    out["cinc_counted"] = out["cinc"] * out["side_weight"]
    members = out[GROUP + ["ccode", "cinc_counted"]].rename(columns={"cinc_counted": "cinc"})
    g = members.groupby(GROUP)["cinc"]
    # vectorised group counts (a Python lambda per group made this the multiverse's slowest join)
    side = pd.DataFrame({"coalition_cinc": g.sum(min_count=1),
                         "n_missing": members["cinc"].isna().groupby([members[c] for c in GROUP]).sum()})
    side.loc[side["n_missing"] > 0, "coalition_cinc"] = float("nan")
    shares = members.merge(side.reset_index(), on=GROUP, validate="many_to_one")
    shares["share"] = shares["cinc"] / shares["coalition_cinc"]
    shares = shares.sort_values(GROUP + ["share", "ccode"], ascending=[True] * len(GROUP) + [False, True],
                                kind="stable")
    shares["share_sq"] = shares["share"] ** 2
    conc = shares.groupby(GROUP).agg(leader_share=("share", "max"), coalition_leader=("ccode", "first"),
                                     n_members_phase=("ccode", "nunique"))
    conc.insert(0, "coalition_hhi", shares.groupby(GROUP)["share_sq"].sum(min_count=1))
    conc = conc.reset_index()
    incomplete = conc.set_index(GROUP).index.isin(side.index[side["n_missing"] > 0])
    conc.loc[incomplete, ["coalition_hhi", "leader_share"]] = float("nan")
    conc["coalition_leader"] = conc["coalition_leader"].astype("Int64").mask(incomplete)
    enemy = side.reset_index().assign(side=lambda d: 3 - d["side"])[GROUP + ["coalition_cinc"]].rename(
        columns={"coalition_cinc": "enemy_cinc"})
    out = checked_merge(out, side.reset_index()[GROUP + ["coalition_cinc"]], GROUP, what="coalition CINC")
    out = checked_merge(out, conc, GROUP, what="coalition concentration")
    out = checked_merge(out, enemy, GROUP, what="enemy CINC")
    out["power_share"] = out["cinc_counted"] / out["coalition_cinc"]
    out["partnerless"] = (out["n_members_phase"] == 1).astype("boolean")
    out["capability_ratio"] = out["coalition_cinc"] / (out["coalition_cinc"] + out["enemy_cinc"])
    out = checked_merge(out, _prior_year_ratio(out, nmc), GROUP, what="prior-year capability ratio")

    # largest partner: the biggest CINC among the other members of the coalition-phase
    partners = members.merge(members, on=GROUP, suffixes=("", "_p"))
    partners = partners[partners["ccode"] != partners["ccode_p"]]
    by = partners.groupby(GROUP + ["ccode"])["cinc_p"]
    largest = by.max().mask(by.count() < by.size()).rename("largest_partner_cinc").reset_index()
    out = checked_merge(out, largest, GROUP + ["ccode"], what="largest partner")
    out = out.drop(columns="cinc_counted")

    out = checked_merge(out, _principal_enemy(out), ["war_num", "side", "ccode", "spell", "phase"],
                        what="principal enemy")
    n_na = int(out["power_share"].isna().sum())
    if n_na:
        warnings.warn(f"add_nmc: {n_na} state-phases have NA power_share (a coalition member lacks CINC in "
                      f"NMC v{version}).", stacklevel=2)
    return out


def _prior_year_ratio(panel: pd.DataFrame, nmc: pd.DataFrame) -> pd.DataFrame:
    """``capability_ratio_prior_year`` per coalition-phase: the phase's members and enemies, each with
    its side weight in the phase, valued at their CINC in the year before the phase's start year,
    or, for a state with no CINC in that year, at its CINC in the phase's year. NA only when the
    phase's own ratio is NA (a member or enemy lacks a CINC in the phase's year)."""
    prior = nmc[["ccode", "year", "cinc"]].assign(year=lambda d: d["year"] + 1,
                                                 cinc_prior=lambda d: d["cinc"].astype("float64"))
    rows = panel[GROUP + ["ccode", "year", "side_weight"]].merge(prior[["ccode", "year", "cinc_prior"]],
                                                                   on=["ccode", "year"], how="left",
                                                                   validate="many_to_one")
    # A participant with no CINC in the prior year -- a state born in the war's year (Israel 1948,
    # Latvia 1918, Angola 1975, Croatia and Bosnia 1992) -- is valued at its CINC in the phase's own
    # year, so its birth is not read as a shift in the balance; the trend then comes from the
    # states that existed in both years.
    rows["cinc_prior"] = rows["cinc_prior"].fillna(panel["cinc"].astype("float64"))
    rows["counted"] = rows["cinc_prior"] * rows["side_weight"]
    g = rows.groupby(GROUP)["counted"]
    side = pd.DataFrame({"cinc": g.sum(min_count=1),
                         "missing": rows["counted"].isna().groupby([rows[c] for c in GROUP]).any()}).reset_index()
    side.loc[side["missing"], "cinc"] = float("nan")
    enemy = side.assign(side=lambda d: 3 - d["side"])[GROUP + ["cinc"]].rename(columns={"cinc": "enemy"})
    both = side[GROUP + ["cinc"]].merge(enemy, on=GROUP, how="left", validate="one_to_one")
    both["capability_ratio_prior_year"] = both["cinc"] / (both["cinc"] + both["enemy"])
    return both[GROUP + ["capability_ratio_prior_year"]]


def _principal_enemy(panel: pd.DataFrame) -> pd.DataFrame:
    """For each row, the overlapping opposite-side state with the largest CINC."""
    left = panel[["war_num", "side", "ccode", "spell", "phase", "phase_start", "phase_end"]]
    right = panel[["war_num", "side", "ccode", "phase_start", "phase_end", "cinc"]].rename(
        columns={"side": "enemy_side", "ccode": "enemy", "phase_start": "e_start", "phase_end": "e_end"})
    pairs = left.merge(right, on="war_num")
    pairs = pairs[(pairs["enemy_side"] != pairs["side"]) & (pairs["e_start"] <= pairs["phase_end"])
                  & (pairs["phase_start"] <= pairs["e_end"])]
    pairs = pairs.sort_values(["cinc", "enemy"], ascending=[False, True], na_position="last", kind="stable")
    key = ["war_num", "side", "ccode", "spell", "phase"]
    incomplete = pairs["cinc"].isna().groupby([pairs[c] for c in key]).any().rename("incomplete")
    best = pairs.drop_duplicates(key)[key + ["enemy"]].rename(columns={"enemy": "principal_enemy"})
    best = best.merge(incomplete.reset_index(), on=key)
    best["principal_enemy"] = best["principal_enemy"].astype("Int64").mask(best["incomplete"])
    return best.drop(columns="incomplete")


def add_major_power(panel: pd.DataFrame, majors: pd.DataFrame) -> pd.DataFrame:
    """``major_power``: COW major power status in the phase's start year."""
    years = major_power_years(majors).assign(major_power=True)
    out = checked_merge(panel, years, ["ccode", "year"], what="add_major_power")
    out["major_power"] = out["major_power"].astype("boolean").fillna(False)
    return out
