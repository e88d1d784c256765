"""The panel's columns: pandera schema, invariants and the generated codebook."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .exits import (EXIT_TYPES, EXITS_FILE, MIN_GAP_DAYS, NOT_AN_EXIT, OUTCOMES, PARTNERLESS_REASONS,
                    PARTNERS_OBJECTED, at_risk)
from .regime import COW_TO_REGIME
from .systemic import conditions_table

# name: (pandera dtype, nullable, source, meaning)
COLUMNS: dict[str, tuple[str, bool, str, str]] = {
    "universe": ("string", False, "argument", "cow_interstate (the COW inter-state wars) or coalition_2001 (the US-led coalitions in Afghanistan 2001-2014 and Iraq 2003-2011)"),
    "war_num": ("Int64", False, "COW war", "COW war number; 9001 (Afghanistan, OEF and ISAF) and 9002 (Iraq, invasion and MNF-I) in the coalition_2001 universe"),
    "war_name": ("string", False, "COW war", "COW war name"),
    "side": ("Int64", False, "COW war", "COW side (1 or 2)"),
    "ccode": ("Int64", False, "COW war", "COW country code"),
    "state_name": ("string", False, "COW war", "state name as spelled in the war file"),
    "spell": ("Int64", False, "COW war", "participation spell (the later one where two fall in the phase)"),
    "spells_in_phase": ("Int64", False, "COW war", "participation spells of the state on this side in the phase (2 after a truce and re-entry)"),
    "phase": ("string", False, "derived", "phase label: calendar year, H1/H2, or P1, P2, ... (custom)"),
    "phase_index": ("Int64", False, "derived", "1 for the state's first phase on this side, then 2, 3, ..."),
    "scheme": ("string", False, "argument", "phase scheme: year, half or custom"),
    "phase_start": ("datetime64[ns]", False, "COW war", "first day of the phase the state was at war"),
    "phase_end": ("datetime64[ns]", False, "COW war", "last day of the phase the state was at war"),
    "segment_end": ("datetime64[ns]", False, "derived", "last calendar day of the phase (31 December, the war's midpoint, or the day before a turning point)"),
    "days_at_risk": ("Int64", False, "COW war", "days at war in the phase, both ends included (days of a truce excluded)"),
    "year": ("Int64", False, "derived", "calendar year of phase_start (annual covariates are joined on it)"),
    "years_since_entry": ("Float64", False, "COW war", "years from the state's first entry on this side to phase_start"),
    "spell_start": ("datetime64[ns]", False, "COW war", "start of the participation spell"),
    "spell_end": ("datetime64[ns]", False, "COW war", "end of the participation spell"),
    "war_start": ("datetime64[ns]", False, "COW war", "first entry of any participant"),
    "war_end": ("datetime64[ns]", False, "COW war", "last exit of any participant"),
    "coalition_end": ("datetime64[ns]", False, "COW war", "last exit of any member of this side"),
    "n_states_side": ("Int64", False, "COW war", "number of states that fought on this side"),
    "outcome": ("Int64", True, "COW war", "COW outcome code of the participant row (1 winner, 2 loser, ...)"),
    "polity2_lag": ("Int64", True, "Polity5", "polity2 in the year before phase_start (-10..10)"),
    "polity_special_lag": ("Int64", True, "Polity5", "Polity special code in that year: -66, -77 or -88 (NA if a score)"),
    "democracy": ("boolean", True, "Polity5", "polity2_lag >= threshold (default 6)"),
    "democracy_bmr": ("boolean", True, "BMR", "Boix-Miller-Rosato democracy in the year before phase_start"),
    "regime_change_in_phase": ("boolean", True, "Polity5", "the regime changed in a year the phase touches (durable = 0, a regtrans transition, or the onset of -66/-77/-88)"),
    "cinc": ("float64", True, "NMC", "CINC in the phase's start year"),
    "nmc_version": ("string", False, "NMC", "NMC version used"),
    "side_weight": ("float64", False, "COW war", "share of the state's days at war in the phase spent on this side (1 except for a side switcher in its switch phase)"),
    "coalition_cinc": ("float64", True, "NMC", "summed cinc x side_weight of the coalition's members in the phase"),
    "coalition_hhi": ("float64", True, "NMC", "Herfindahl index of members' power shares in the phase"),
    "leader_share": ("float64", True, "NMC", "largest member's power share in the phase"),
    "coalition_leader": ("Int64", True, "NMC", "ccode of the member with the largest power share in the phase"),
    "n_members_phase": ("Int64", False, "COW war", "distinct members of the coalition with a row in the phase"),
    "partnerless": ("boolean", False, "COW war + exit file", "the state has no partner in the phase: it is its coalition's only member, or the exit file says COW's side gave it no real partner (no_real_partner); left out of every risk set"),
    "partnerless_reason": ("string", True, "COW war + exit file", "why the row is partnerless: " + " / ".join(f'"{r}"' for r in PARTNERLESS_REASONS) + " (the count wins where both hold)"),
    "enemy_cinc": ("float64", True, "NMC", "summed cinc x side_weight of the opposite side's states in the phase"),
    "power_share": ("float64", True, "NMC", "cinc x side_weight / coalition_cinc"),
    "capability_ratio": ("float64", True, "NMC", "coalition_cinc / (coalition_cinc + enemy_cinc)"),
    "capability_ratio_prior_year": ("float64", True, "NMC", "the phase's members and enemies valued at their CINC in the year before the phase's start year (a state with no CINC that year, born in the war's year: its CINC in the phase's year)"),
    "capability_trend": ("float64", True, "NMC", "capability_ratio minus the coalition's capability_ratio in its previous phase (first phase: minus capability_ratio_prior_year)"),
    "fatality_rate": ("float64", True, "coalition_2001 series", "coalition_2001: the coalition's deaths per day in the phase, from the cited annual series (coalition_2001_series.csv) spread evenly over each year's days at war"),
    "fatality_trend": ("float64", True, "coalition_2001 series", "coalition_2001: fatality_rate minus the war's previous phase's (NA in each war's first phase)"),
    "largest_partner_cinc": ("float64", True, "NMC", "largest cinc x side_weight among the state's partners in the phase"),
    "principal_enemy": ("Int64", True, "NMC", "ccode of the overlapping opposite-side state with the largest CINC"),
    "major_power": ("boolean", False, "COW majors", "COW major power in the phase's start year"),
    "formal_ally_of_leader": ("boolean", True, "COW alliances", "a COW formal alliance with the coalition leader in force at phase_start"),
    "election_in_phase": ("boolean", True, "coalition_2001 elections", "coalition_2001: a national election or executive turnover of the member listed in coalition_2001_elections.csv falls inside the phase (never False: the file is not a complete election record)"),
    "losing": ("boolean", True, "derived", "capability_trend < 0 (trend proxy; favours cohesion; in the index); coalition_2001: fatality_trend > 0, False in each war's first phase"),
    "outmatched": ("boolean", True, "derived", "capability_ratio < 0.5 (level; favours fragmentation by bandwagoning; not in the index)"),
    "symmetric": ("boolean", True, "derived", "leader_share <= 0.5 (favours cohesion; in the index)"),
    "common_adversary": ("boolean", True, "derived", "all members share one principal enemy (favours cohesion; dropped from the index: nearly constant)"),
    "external_gt_internal": ("boolean", True, "derived", "enemy_cinc > largest_partner_cinc (favours cohesion; in the index)"),
    "systemic_index": ("Int64", True, "derived", "number of the three index conditions favouring cohesion (0-3); coalition_2001: of the two measurable ones, losing and symmetric (0-2)"),
    "systemic_favorable": ("boolean", True, "derived", "at least favorable_min (default 2) of the three index conditions favour cohesion; coalition_2001: the same share of the two measurable ones, rounded up (default: both)"),
    "systemic_graded": ("float64", True, "derived", "0-1 graded index: mean of losing, a symmetry score and an external-threat score (coalition_2001: of losing and the symmetry score)"),
    "index_if_defeat_divides": ("Int64", True, "derived", "systemic_index under the second reading of favourable: losing counted against cohesion (0-3)"),
    "favorable_if_defeat_divides": ("boolean", True, "derived", "systemic_favorable under the second reading (defeat divides): at least favorable_min of not losing, symmetric, external_gt_internal"),
    "graded_if_defeat_divides": ("float64", True, "derived", "systemic_graded under the second reading: mean of 1 - losing, the symmetry score and the external-threat score"),
    "exit_type": ("string", False, "COW war + exit file", "how the spell ended: " + ", ".join(EXIT_TYPES)),
    "cow_exit_type": ("string", True, "COW war", "the exit type COW's dates alone give (NA for an early exit)"),
    "exit_source": ("string", False, "derived", "COW (dates), coalition_exits.csv or coalition_contributors_2001.csv (authored, with evidence)"),
    "exit_date": ("datetime64[ns]", False, "COW war + exit file", "date of the armistice, treaty, withdrawal or capitulation (COW end date where not authored); may lie after the COW end (Greece 1941, Ethiopia 1941, Hungary 1945), which does not move the event"),
    "last_organised_effort": ("datetime64[ns]", True, "exit file", f"the state's last organised military effort against the enemy, where the record puts it more than {MIN_GAP_DAYS} days before its COW spell end and more than {MIN_GAP_DAYS} days before its partners stopped (the coalition fought on); not where every member stopped together and COW dates the end by a later instrument (the Gulf War, 1991)"),
    "event_date": ("datetime64[ns]", False, "COW war + exit file", "where the spell's event is placed: last_organised_effort where authored, else the COW spell end"),
    "event_dated_by": ("string", False, "derived", "history (last_organised_effort) or COW (the spell end)"),
    "after_exit": ("boolean", False, "derived", "the row's phase starts after its spell's event date: no longer at risk by the historical record; left out of the risk set of every outcome except defected_cow_dates"),
    "turned_arms": ("string", False, "exit file", "after leaving, the state waged an organised campaign against a former partner of the same war, on the enemy's side or under armistice terms the enemy imposed: yes, no, or na (did not leave); a COW side switch without a file row reads yes"),
    "alt_turned_arms": ("string", True, "exit file", "the other reading of turned_arms where historians disagree (France 1940: yes)"),
    "theatre": ("string", True, "exit file", "the theatre whose coalition-wide settlement ended the state's war where COW merges theatres (World War II: Europe; World War I: Salonica)"),
    "partners_objected": ("string", False, "exit file", "yes, no, unclear, or na (not applicable)"),
    "contested": ("boolean", False, "exit file", "historians disagree about the exit's code"),
    "alt_exit_type": ("string", True, "exit file", "the alternative code of a contested exit"),
    "alt_partners_objected": ("string", True, "exit file", "partners_objected under the alternative code"),
    "evidence": ("string", True, "exit file", "what happened, with dates"),
    "source": ("string", True, "exit file", "Sarkees and Wayman (2010) war entry (coalition_2001: the contributor file's first source)"),
    "source_2": ("string", True, "exit file", "a second historical source"),
    "defected": ("Int64", False, "derived", "1 in the phase containing event_date when the spell ends in a defection under the primary rule (a switch, or a separate peace, standing aside or war-ending separate peace over a partner's objection)"),
    "defected_strict": ("Int64", False, "derived", "defected, and the state then turned its arms against a former partner (turned_arms = yes)"),
    "defected_broad": ("Int64", False, "derived", "defected with every doubt resolved towards defection (unclear objection = yes; a contested exit's alternative code counts)"),
    "exit_early": ("Int64", False, "derived", "defected_broad, or any other exit before the coalition's end (or with last_organised_effort) other than conquest, a merger, a truce with re-entry or a coalition-wide settlement"),
    "defected_cow_dates": ("Int64", False, "derived", "the codes of defected with every event at the COW spell end (no after_exit rows): the effect of historical dating"),
}

#: why a column can be NA (every nullable column has a rule; missing is never 0)
MISSING_RULES: dict[str, str] = {
    "polity2_lag": "the state has no Polity5 row for the prior year, or polity2 is blank there",
    "polity_special_lag": "a regular polity score (no special code) or no Polity5 row",
    "democracy": "polity2_lag is NA",
    "democracy_bmr": "no BMR row for the prior year (the state or year is outside BMR)",
    "regime_change_in_phase": "Polity5 has none of the years the phase touches for the state",
    "cinc": "no NMC row for the state and year, or outside the NMC version's years (warned)",
    "coalition_cinc": "any member of the coalition-phase lacks CINC (never summed as 0)",
    "coalition_hhi": "as coalition_cinc",
    "leader_share": "as coalition_cinc",
    "coalition_leader": "as coalition_cinc",
    "enemy_cinc": "any enemy in the phase lacks CINC; always in coalition_2001 (a non-state adversary has no COW capability)",
    "power_share": "as coalition_cinc",
    "capability_ratio": "coalition_cinc or enemy_cinc is NA (so always in coalition_2001)",
    "capability_ratio_prior_year": "as capability_ratio (a member or enemy lacks CINC in the phase's year)",
    "capability_trend": "either ratio is NA (in a coalition's first phase: the prior-year ratio); always in coalition_2001",
    "largest_partner_cinc": "any partner lacks CINC; NA for a partnerless row (no partner)",
    "principal_enemy": "any overlapping enemy lacks CINC; always in coalition_2001 (non-state adversary)",
    "formal_ally_of_leader": "the state is the leader itself, the leader is unknown, or outside the alliance data's years (COW alliances v4.1 end in 2012: the 2013-2014 phases of the Afghanistan coalition)",
    "losing": "capability_trend is NA (cow_interstate); never in coalition_2001",
    "outmatched": "capability_ratio is NA (always in coalition_2001)",
    "symmetric": "leader_share is NA",
    "common_adversary": "any member's principal_enemy is NA (always in coalition_2001)",
    "external_gt_internal": "enemy_cinc or largest_partner_cinc is NA (so NA for partnerless rows, and always in coalition_2001)",
    "systemic_index": "any index condition is NA",
    "systemic_favorable": "any index condition is NA",
    "systemic_graded": "any part is NA; partnerless rows (no symmetry score)",
    "index_if_defeat_divides": "any index condition is NA",
    "favorable_if_defeat_divides": "any index condition is NA",
    "graded_if_defeat_divides": "as systemic_graded",
    "cow_exit_type": "an early exit: COW's dates cannot classify it, the exit file does",
    "alt_exit_type": "the exit is not contested",
    "alt_partners_objected": "the exit is not contested",
    "outcome": "the coalition_2001 universe (COW has no outcome code for these wars)",
    "fatality_rate": "the cow_interstate universe (losing is read from capabilities there)",
    "fatality_trend": "the cow_interstate universe; each 2001 war's first phase (no previous phase)",
    "election_in_phase": "the cow_interstate universe; in coalition_2001 wherever the elections file lists no election or turnover of the member inside the phase (not evidence of none)",
    "evidence": "the exit is settled by COW's dates (war_end, switch, truce, transformed) and not in the exit file",
    "source": "as evidence",
    "source_2": "no second source was needed (an uncontested exit) or none is in the file",
    "partnerless_reason": "the row has a partner (partnerless is False)",
    "last_organised_effort": "the record does not put the last organised fighting more than 30 days before both the COW end and the partners' last fighting (COW's date stands), or the spell has no row in the exit file",
    "alt_turned_arms": "turned_arms is not contested",
    "theatre": "COW does not merge theatres for this state's war, or the spell has no row in the exit file",
}


#: the allowed values of the coded text columns, in code order. They are the schema's isin checks, the
#: Stata value labels of the .dta (code 1 = the first value) and the Table Schema enums of datapackage.json.
CODES: dict[str, tuple[str, ...]] = {
    "universe": ("cow_interstate", "coalition_2001"),
    "scheme": ("year", "half", "custom"),
    "exit_type": tuple(EXIT_TYPES),
    "cow_exit_type": tuple(EXIT_TYPES),
    "alt_exit_type": tuple(EXIT_TYPES),
    "exit_source": ("COW", EXITS_FILE, "coalition_contributors_2001.csv", "none"),
    "partners_objected": PARTNERS_OBJECTED,
    "alt_partners_objected": PARTNERS_OBJECTED,
}

#: closed ranges that hold by construction (the schema's in_range checks; Table Schema min/max)
RANGES: dict[str, tuple[float, float]] = {
    "side": (1, 2),
    "polity2_lag": (-10, 10),
    "systemic_index": (0, 3),
    **{c: (0, 1) for c in ("side_weight", "coalition_hhi", "leader_share", "power_share", "capability_ratio",
                           "systemic_graded", *OUTCOMES)},
}


def _column_checks(name: str) -> list[pa.Check]:
    checks = []
    if name in CODES:
        checks.append(pa.Check.isin(list(CODES[name])))
    if name in RANGES:
        checks.append(pa.Check.in_range(*RANGES[name]))
    return checks


def _check_shares(d: pd.DataFrame) -> bool:
    """Power shares sum to 1 (+-1e-9) in every coalition-phase where all members' CINC is known."""
    sums = d.groupby(["war_num", "side", "phase"])["power_share"].agg(lambda s: s.sum() if s.notna().all() else 1.0)
    return bool(((sums - 1).abs() <= 1e-9).all())


def _check_members(d: pd.DataFrame) -> bool:
    counted = d.groupby(["war_num", "side", "phase"])["ccode"].transform("nunique")
    return bool((counted == d["n_members_phase"]).all())


def _check_no_double_dates(d: pd.DataFrame) -> bool:
    """No state is at war on two sides of one war on the same date (side switchers are split)."""
    a = d[["war_num", "ccode", "side", "phase_start", "phase_end", "spells_in_phase"]]
    pairs = a.merge(a, on=["war_num", "ccode"], suffixes=("", "_o"))
    pairs = pairs[pairs["side"] < pairs["side_o"]]
    overlap = (pairs["phase_start"] <= pairs["phase_end_o"]) & (pairs["phase_start_o"] <= pairs["phase_end"])
    # a row with two spells spans a truce; its two sides' days cannot be told apart here, so only
    # single-spell rows are checked (the war data has no switcher with a truce in the same phase)
    single = (pairs["spells_in_phase"] == 1) & (pairs["spells_in_phase_o"] == 1)
    return not bool((overlap & single).any())


def _check_cow_dates(d: pd.DataFrame) -> bool:
    """Both dating variants of the primary outcome count the same events for every state-side."""
    g = d.groupby(["war_num", "side", "ccode"])[["defected", "defected_cow_dates"]].sum()
    return bool((g["defected"] == g["defected_cow_dates"]).all())


INVARIANTS = [
    pa.Check(lambda d: d["phase_start"] <= d["phase_end"], error="phase ends before it starts"),
    pa.Check(lambda d: d["days_at_risk"] >= 1, error="empty phase"),
    pa.Check(lambda d: d["exit_type"].isin(list(EXIT_TYPES)), error="unknown exit_type"),
    pa.Check(lambda d: d["defected_strict"] <= d["defected"], error="a strict defection that is not a defection"),
    pa.Check(lambda d: d["defected"] <= d["defected_broad"], error="a primary defection missing from the broad one"),
    pa.Check(lambda d: d["defected_broad"] <= d["exit_early"], error="a broad defection that is not an early exit"),
    pa.Check(_check_cow_dates, error="defected_cow_dates and defected count different events for a spell"),
    pa.Check(lambda d: ~(d["after_exit"].astype(bool) & (d["exit_early"] == 1)),
             error="an event in a row after the state's historical exit"),
    pa.Check(lambda d: d["partnerless_reason"].notna() == d["partnerless"].astype(bool),
             error="partnerless and partnerless_reason disagree"),
    pa.Check(_check_shares, error="power shares do not sum to 1 in a coalition-phase with complete CINC"),
    pa.Check(_check_members, error="n_members_phase differs from the count of distinct members"),
    pa.Check(_check_no_double_dates, error="a state is on two sides of one war on the same date"),
    pa.Check(lambda d: ~d.duplicated(["war_num", "side", "ccode", "phase"]).any(),
             error="(war_num, side, ccode, phase) is not a key"),
]

SCHEMA = pa.DataFrameSchema(
    {name: pa.Column(dtype, checks=_column_checks(name), nullable=nullable, description=meaning)
     for name, (dtype, nullable, _, meaning) in COLUMNS.items()},
    checks=INVARIANTS,
    unique=["war_num", "side", "ccode", "phase"], strict=True, ordered=True, name="state_phase_panel",
)

CODING_RULE = """\
## The coding rule for defection

Primary rule, after Weisiger (2016, "Exiting the Coalition", *ISQ* 60(4)): a state **defects**
when it stops organised military effort against the enemy **contrary to the wishes of its
coalition partners**. A side switch is always a defection. Never defections: conquest or
capitulation under occupation; a coalition-wide armistice or settlement; a withdrawal made
together with the coalition leader or with its consent; an exit when the state's own war aims
were met and its partners agreed. In code (`replication.panel.exits.is_defection`): `exit_type`
is `switched_sides`, or `separate_peace`, `stood_aside` or `separate_peace_ending_war` with
`partners_objected = yes` ("yes" only where a partner's request, protest or objection at the time
is documented; "unclear" where the record is silent or mixed).

Every early exit (a spell that ends before its coalition's last member leaves) is coded by hand
in `data/raw/coalition_exits.csv` with the exit date, whether the partners objected, the
evidence, Sarkees and Wayman (2010) with the war entry, a second source where contested, and
the alternative code of each contested exit. Spells that COW runs to the coalition's end may
have a row too, for the two kinds of exit COW's dates hide:

- a member whose own armistice or separate peace **ended the war for the whole coalition**, made
  without or against a partner's agreement (`separate_peace_ending_war`; its event lies in the
  member's last phase; every coalition war's ending is listed with its verdict in
  `results/tables/war_endings`, from `data/raw/coalition_war_endings.csv`);
- a member whose **last organised military effort** against the enemy the record puts more than
  {gap} days before its COW end date **and** more than {gap} days before its partners stopped, the
  coalition fighting on (`last_organised_effort`). The rule is relative to the partners: where every
  member stopped together and COW dates the end by a later instrument (the Gulf War coalition stopped
  on 28 February 1991; COW ends the war with the formal ceasefire of 11 April) no member gets a
  date and no exit is coded (verdict `coalition_stopped_together` in
  `data/raw/coalition_member_efforts.csv`).

Both searches were applied to every coalition, not only to suspected cases: four researchers read
each war's narrative dyad by dyad (who fought whom until when) and recorded, for each of the 44
coalition sides, how the war ended, by whose act and whether every partner agreed
(`data/raw/coalition_war_endings.csv`), and for each of the 203 member spells its last organised
fighting, the gap to its COW end and a verdict (`data/raw/coalition_member_efforts.csv`). The two
files are checked against each other and against the exit file (`replication.panel.endings`).

The file also records `turned_arms` (after leaving, the state waged an organised campaign against a
former partner of the same war, either on the enemy's side, a COW side switch, or under armistice
terms the enemy imposed, as Finland's Lapland War), `no_real_partner` (COW's side gave the state no real partner:
Vichy France 1940-41 on the Axis side; Germany and Soviet Russia on side 2 of the Latvian war of
1919, each also the other's enemy) and `theatre` (the theatre whose coalition-wide settlement
ended the state's war where COW merges theatres: Brazil, Italy, Bulgaria, Romania and South
Africa's own forces on the Allied side fought Germany to its surrender in May 1945 and never fought
Japan, and the USSR's first spell ended there, so their exit is the European theatre's
coalition-wide settlement, not an early exit; Greece's war in 1918 ended with the Salonica
armistice, signed for all the Allies). `results/tables/exit_coding` lists every coded spell.

| outcome | definition |
|---|---|
| `defected` | the primary rule; the event is placed in the phase containing `event_date` (`last_organised_effort` where authored, else the COW spell end) |
| `defected_strict` | `defected` and `turned_arms = yes` (Germany 1919 at Cesis, Italy from October 1943, Romania and Bulgaria 1944, Finland's Lapland War); France 1940, an armistice over Britain's objection whose "switch" is only COW's Vichy spell, is `defected` but not strict (Vichy resisted British and Free French attacks but waged no campaign against Britain alongside the Axis; contested), and so are the war-ending separate peaces (France 1859, Prussia 1866, Egypt 1973) |
| `defected_broad` | `defected` with every doubt resolved towards defection: partners' objection "unclear" counts as "yes", and a contested exit counts if its alternative code is then a defection |
| `exit_early` | `defected_broad`, or any other exit before the coalition's end (or with `last_organised_effort`) other than conquest, a merger into a partner, a truce with re-entry and a coalition-wide or theatre-wide settlement (Choi 2012) |
| `defected_cow_dates` | the codes of `defected` with every event at the COW spell end and no `after_exit` rows, so that the effect of historical dating is visible |

The variants are nested by construction: every `defected_strict` event is a `defected` event,
every `defected` event a `defected_broad` event and every `defected_broad` event an `exit_early`
event, in every row (checked). A spell's rows whose phase starts after its event date are
`after_exit`: the state was no longer at risk by the historical record, and `model_frame` leaves
them out of the risk set of every outcome except `defected_cow_dates`. Otherwise no row is dropped
after an exit: a state is in the panel only while COW has it at war, so it leaves the risk set
with its spell and returns with a later spell (France on the Allied side in 1944-45).

Before this coding (v3, issue 19: historical dating, war-ending separate peaces, strict = turned
its arms, the theatre rule, the audit corrections) the year panel's rows at risk held 12 `defected`
events in 4 wars, 5 `defected_strict` (then: COW side switches) in 2, 20 `defected_broad` in 5 and 29
`exit_early` in 6; after the audit corrections and before the research rows (every coalition's
ending and every member's last organised effort) 11 in 4, 5 in 2, 20 in 5 and 23 in 5;
`results/tables/panel_summary` gives the current counts.

Exit types: """.replace("{gap}", str(MIN_GAP_DAYS)) + "; ".join(f"`{k}`: {v}" for k, v in EXIT_TYPES.items()) + f""".
Not early exits (for `exit_early`): {", ".join(NOT_AN_EXIT)}.

## Risk set, phases and capability

- Key: (war_num, side, ccode, phase). Two spells of one state on one side in one phase (a truce
  and re-entry) form one row; `days_at_risk` sums their days.
- Capability is annual (NMC): a side switcher's CINC in the phase of its switch is split between
  its two sides in proportion to its days at war on each (`side_weight`), so it is never counted
  twice; every other member counts fully in every phase it fought in, as in Resnick's Table 1.
  Power shares then sum to 1 in every coalition-phase with complete CINC (checked).
- `partnerless` rows cannot abandon a partner: the state is its side's only member in the phase,
  or the exit file says COW's side gave it no real partner (`no_real_partner`; the reason is in
  `partnerless_reason`). They stay in the panel, flagged, and are left out of every risk set by
  `model_frame`. Power shares and the other coalition measures stay COW's: a state flagged for
  having no real partner still counts in its COW side's shares, and its COW co-members' rows are
  unchanged.
- `after_exit` rows (after a historical exit that COW's dates hide) are left out of the risk set
  of every outcome except `defected_cow_dates`.

## Exposure (duration)

`days_at_risk` is shortened by a defection itself (a defector's last phase ends on its exit), so it
is not used as a control. `model_frame` builds `log_exposure`, the log of the days a state would
have been at risk in the phase had it not left: from its first day in the phase to the earlier of
`segment_end` (the phase's last calendar day) and `coalition_end`. It enters the complementary
log-log hazard as an offset (coefficient fixed at 1), which turns the phase-level probability of
exit into a constant daily hazard and makes phases of unequal length comparable (Prentice and
Gloeckler 1978; Allison 1982). Equal-length periods were the alternative; they would split the
panel's calendar-year phases and break the annual CINC join.
"""


def _crosswalk() -> str:
    lines = ["## COW-to-Polity/BMR country crosswalk", "",
             "Regime data are joined on the Polity/BMR code for these COW codes and years "
             "(`replication.panel.regime.COW_TO_REGIME`); every other COW code is used as it is.", "",
             "| COW ccode | first year | last year | Polity/BMR ccode |", "|---|---|---|---|"]
    lines += [f"| {cow} | {lo} | {hi} | {alt} |" for cow, lo, hi, alt in COW_TO_REGIME]
    return "\n".join(lines)


def _conditions(panel: pd.DataFrame) -> str:
    t = conditions_table()
    n_all = int((panel["systemic_index"] == len(t[t["in_index"]])).sum())
    n_measured = int(panel["systemic_index"].notna().sum())
    lines = ["## Systemic conditions", "",
             "Coded True when they favour cohesion. The index counts the conditions marked 'in index'; "
             "`systemic_favorable` requires a majority of them (2 of 3). The 2013 paper's Table 2 requires all "
             f"four; with all three required, {n_all} of {n_measured} measured state-phases would be favourable, so "
             "that rule could not be estimated. Both rules agree on the paper's six cases, which sit at the extremes. "
             "`common_adversary` is reported but left out because it barely varies. "
             "See `replication/panel/systemic.py` for each measure's limits.", "",
             "Two readings of favourable, declared before any estimate (`replication/models/hypotheses.py`, "
             "`READINGS`). The text pulls two ways on `losing`: neorealism's first hypothesis (line 83) has defeat "
             "raise cohesion, and neoclassical realism's bandwagoning argument (lines 131-171, 671) has looming "
             "defeat invite defection. The primary reading, *defeat unites* (`systemic_index`, "
             "`systemic_favorable`, `systemic_graded`), counts losing as favouring cohesion, because that is how "
             "the article codes its own cases (phase I of the Grand Alliance, when the Allies were losing badly, "
             "'broadly favored cohesion', line 203) and how it states the theory, by reference to neorealism's "
             "variables (line 143). The second reading, *defeat divides* (`index_if_defeat_divides`, "
             "`favorable_if_defeat_divides`, `graded_if_defeat_divides`), is the same rule with losing reversed. "
             "Tables 4 and 5 and the results paragraph report both.", "",
             "`losing` in a coalition's first phase, which has no previous phase: the change of the capability "
             "ratio over the year of entry (the phase's members and enemies at their CINC in the prior year; a "
             "state born in the war's year at its first-year CINC), so that no state-phase drops out of the "
             "estimation sample for a missing trend (before this rule, 20 of the 38 wars did).", "",
             "| condition | in index | predicted direction | paper (line of the text) | measure | limits |",
             "|---|---|---|---|---|---|"]
    lines += [f"| `{r.condition}` | {'yes' if r.in_index else 'no'} | {r.predicted_direction} | {r.paper_line} | "
              f"{r.measure} | {r.limits} |" for r in t.itertuples()]
    return "\n".join(lines)


FILES = """\
## Files and how to read them

`make panel` writes the same panel in four forms, in `data/processed/`:

| file | for | notes |
|---|---|---|
| `state_phase_panel.csv` | any tool | UTF-8, comma-separated, missing = `NA`, booleans `True`/`False`, dates `YYYY-MM-DD` |
| `state_phase_panel.parquet` | Python, R (arrow) | the types of the schema below |
| `state_phase_panel.dta` | Stata 14+ and R (haven) | format 118; variable labels (<= 80 characters; the full text is below); booleans and the four outcomes are 0/1 labelled no/yes; `exit_type`, `cow_exit_type`, `alt_exit_type`, `partners_objected`, `alt_partners_objected`, `exit_source` and `scheme` are integers whose value labels are the codes of the CSV; dates are Stata dates (`%td`); numeric missing is `.` (never 0), text missing is the empty string; `evidence`, `source` and `source_2` are strL |
| `datapackage.json` | Frictionless tools | Data Package of the CSV: types, descriptions, required columns, allowed codes and ranges, the primary key, missing value `NA`, the CSV's sha256 (`frictionless validate data/processed/datapackage.json`) |

`state_phase_panel.sha256` holds the sha256 of each file, written when the panel was built; the
package and `make` check the panel against it and rebuild it when it fails.

In Stata:

```stata
use data/processed/state_phase_panel.dta, clear
describe
label list exit_type
tabulate exit_type if exit_early == 1
```

In R:

```r
library(haven)
panel <- read_dta("data/processed/state_phase_panel.dta")
panel$exit_type <- as_factor(panel$exit_type)   # labelled integer -> factor of the CSV's codes
panel$democracy <- as_factor(panel$democracy)   # 0/1 -> no/yes; NA stays NA
# or, without labels: readr::read_csv("data/processed/state_phase_panel.csv", na = "NA")
# or arrow::read_parquet("data/processed/state_phase_panel.parquet")
```

In Python: `pandas.read_parquet("data/processed/state_phase_panel.parquet")`, or
`replication.models.load_panel()`, which checks it against its sha256 first.
"""


def _coalition_2001() -> str:
    """The 2001 universe's rules (static text: the COW codebook does not read the 2001 files)."""
    from .coalition2001 import FILES, MIN_PEAK_TROOPS, WARS
    from .systemic import conditions_table_2001, favorable_min_2001

    lines = ["## The second universe: the 2001 coalitions (`universe = coalition_2001`)", "",
             "Built by `build_panel(universe=\"coalition_2001\")` (or `\"pooled\"`, both universes stacked) from the "
             "authored files " + ", ".join(f"`data/raw/{f}`" for f in FILES) + "; the panel in data/processed is the "
             "COW universe's and does not read them. Wars: " + "; ".join(
                 f"{w} {name}, {start} to {end}" for w, (name, start, end) in WARS.items()) + ".", "",
             f"Inclusion threshold: a state is a member when it deployed a formed national military unit (platoon-sized "
             f"or larger, under national command) to the mission with at least {MIN_PEAK_TROOPS} military personnel "
             "at its peak; OEF and ISAF are one mission, as are the invasion and MNF-I; a gap of more than a year "
             "starts a new spell. States below it are listed with their peak and source in "
             "`coalition_2001_excluded.csv`. Exits follow the coding rule above; a withdrawal at the end of the "
             "coalition's own mandate is `coalition_settlement`, one in step with an agreed transition or with the "
             "leader's consent `withdrew_with_partners` (partners_objected no), a unilateral withdrawal while the "
             "coalition fought on `stood_aside`, a deal with the insurgents `separate_peace`.", "",
             "Capabilities: NMC v7.0 (the latest version; v6.0 also reaches 2014, v4.0 ends in 2007 and v5.0 in 2012), power shares among the contributors "
             "by the same code as the COW universe. The adversaries are non-state armed groups with no COW "
             "capability, so `enemy_cinc`, `capability_ratio`, `capability_trend`, `outmatched`, "
             "`external_gt_internal`, `common_adversary` and `principal_enemy` are NA. Systemic conditions "
             f"(`replication.panel.systemic.CONDITIONS_2001`): `systemic_favorable` needs {favorable_min_2001()} of the "
             "2 measurable index conditions (the COW share of 2 of 3, rounded up); `systemic_graded` is the mean of "
             "losing and the symmetry score; the second reading counts not losing instead of losing.", "",
             "| condition | measured | in index | measure | limits |", "|---|---|---|---|---|"]
    lines += [f"| `{r.condition}` | {'yes' if r.measured else 'no'} | {'yes' if r.in_index else 'no'} | {r.measure} | "
              f"{r.limits} |" for r in conditions_table_2001().itertuples()]
    lines += ["", "Clustered inference in this universe uses the contributor state (two wars cannot carry war-clustered "
              "inference): `replication.models.data.model_frame(cluster=...)`."]
    return "\n".join(lines)


def codebook(panel: pd.DataFrame, settings: dict) -> str:
    lines = ["# Codebook: state-phase panel of wartime coalition members", "",
             "Generated by `make panel` from the panel's schema (`replication/panel/schema.py`); do not edit.", "",
             "Unit: one row per member of a wartime coalition (a COW war side on which at least two states' "
             "participation spells overlap) per phase. Key: war_num, side, ccode, phase.", "",
             "Settings: " + "; ".join(f"{k} = {v}" for k, v in settings.items()) + ".", "",
             f"Rows: {len(panel)}; wars: {panel['war_num'].nunique()}; coalition sides: "
             f"{len(panel[['war_num', 'side']].drop_duplicates())}; coalition members (state-sides): "
             f"{len(panel[['war_num', 'side', 'ccode']].drop_duplicates())}; partnerless rows: "
             f"{int(panel['partnerless'].sum())} (of which {int(panel['partnerless_reason'].eq(PARTNERLESS_REASONS[1]).sum())} "
             f"with no real partner); rows after a historical exit: {int(panel['after_exit'].sum())}.", "",
             "Outcome counts (events in the rows at risk of each outcome): " + "; ".join(
                 f"`{o}` {int(panel.loc[at_risk(panel, o), o].sum())}" for o in OUTCOMES) + ".", "",
             FILES, CODING_RULE, _conditions(panel), "", _coalition_2001(), "", _crosswalk(), "",
             "## Columns", "",
             "Missing values stay missing (NA), never 0; the last column says when a column is NA.", "",
             "| column | type | source | missing | meaning | when NA |", "|---|---|---|---|---|---|"]
    for name, (dtype, _, source, meaning) in COLUMNS.items():
        src = {"NMC": f"COW NMC v{settings.get('nmc_version')}", "BMR": f"Boix-Miller-Rosato v{settings.get('bmr_version')}",
               "Polity5": "Polity5 p5v2018", "COW war": "COW Inter-State War v4.0",
               "COW majors": "COW Major Powers 2016", "COW alliances": "COW Formal Alliances v4.1"}.get(source, source)
        lines.append(f"| `{name}` | {dtype} | {src} | {int(panel[name].isna().sum())} | {meaning} | "
                     f"{MISSING_RULES.get(name, 'never')} |")
    return "\n".join(lines) + "\n"
