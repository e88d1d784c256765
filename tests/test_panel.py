"""The state-phase panel: small hand-built wars, then the real data against the raw war file."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
import numpy as np

from replication import sources
from replication.panel import (add_exits, add_nmc, classify_exits, create_coalition_spells,
                               create_participant_spells, create_state_phases, keep_coalition_members)
from replication.panel._merge import RowCountError, checked_merge
from replication.panel.exits import read_coalition_exits

T = pd.Timestamp


def toy_war():
    """War 1, 1900-03-15 to 1902-06-30.

    Side 1: A (ccode 10) fights throughout; B (20) fights 1900-04-01..1900-09-30 and again
    1901-05-01..1902-06-30 (two spells); C (30) fights on side 1 until 1901-01-31, then
    switches to side 2 from 1901-02-01. Side 2: D (40) throughout; C's second row.
    War 2 (1900): E (50) alone on side 1 against F (60) and G (70) on side 2.
    """
    na = pd.NaT
    rows = [
        (1, 10, "A", 1, "1900-03-15", "1902-06-30", na, na, 1),
        (1, 20, "B", 1, "1900-04-01", "1900-09-30", "1901-05-01", "1902-06-30", 1),
        (1, 30, "C", 1, "1900-03-15", "1901-01-31", na, na, 8),
        (1, 30, "C", 2, "1901-02-01", "1902-06-30", na, na, 2),
        (1, 40, "D", 2, "1900-03-15", "1902-06-30", na, na, 2),
        (2, 50, "E", 1, "1900-01-01", "1900-12-31", na, na, 1),
        (2, 60, "F", 2, "1900-01-01", "1900-12-31", na, na, 2),
        (2, 70, "G", 2, "1900-02-01", "1900-06-30", na, na, 2),
    ]
    df = pd.DataFrame(rows, columns=["war_num", "ccode", "state_name", "side", "start1", "end1", "start2", "end2",
                                     "outcome"])
    for c in ["start1", "end1", "start2", "end2"]:
        df[c] = pd.to_datetime(df[c])
    df["war_name"] = df["war_num"].map({1: "Toy war", 2: "Lone war"})
    df["initiator"] = False
    return df.astype({"war_num": "Int64", "ccode": "Int64", "side": "Int64", "outcome": "Int64"})


def test_coalitions_and_members():
    spells = create_coalition_spells(toy_war())
    sides = set(map(tuple, spells[["war_num", "side"]].drop_duplicates().to_numpy().tolist()))
    # war 1 side 2 has D and (from 1901) C overlapping; war 2 side 1 is E alone: not a coalition
    assert sides == {(1, 1), (1, 2), (2, 2)}
    assert 50 not in set(spells["ccode"])
    b = spells[spells.ccode == 20]
    assert b["spell"].tolist() == [1, 2]
    c = spells[spells.ccode == 30]
    assert sorted(c["side"].tolist()) == [1, 2]  # the side switcher appears on each side


def test_year_phases_are_clipped_with_days_at_risk():
    phases = create_state_phases(create_coalition_spells(toy_war()), "year")
    b = phases[phases.ccode == 20].set_index(["spell", "phase"])
    assert b.loc[(1, "1900"), "phase_start"] == T("1900-04-01") and b.loc[(1, "1900"), "phase_end"] == T("1900-09-30")
    assert b.loc[(1, "1900"), "days_at_risk"] == 183
    assert b.loc[(2, "1901"), "days_at_risk"] == (T("1901-12-31") - T("1901-05-01")).days + 1
    assert b.loc[(2, "1902"), "days_at_risk"] == 181  # 1902-01-01..06-30
    assert len(b) == 3
    a = phases[phases.ccode == 10]
    assert a["days_at_risk"].sum() == (T("1902-06-30") - T("1900-03-15")).days + 1


def test_half_and_custom_schemes():
    spells = create_coalition_spells(toy_war())
    half = create_state_phases(spells, "half")
    a = half[(half.ccode == 10) & (half.war_num == 1)]
    mid = T("1900-03-15") + (T("1902-06-30") - T("1900-03-15")) / 2
    assert a["phase"].tolist() == ["H1", "H2"]
    assert a["phase_start"].iloc[1] == mid.normalize()
    tp = pd.DataFrame({"war_num": pd.array([1], dtype="Int64"), "date": [T("1901-01-01")], "source": ["test"]})
    custom = create_state_phases(spells, "custom", turning_points=tp)
    a = custom[(custom.ccode == 10) & (custom.war_num == 1)]
    assert a["phase"].tolist() == ["P1", "P2"] and a["phase_end"].iloc[0] == T("1900-12-31")
    assert custom[custom.war_num == 2]["phase"].unique().tolist() == ["P1"]


def _exit_file(rows, **columns):
    """An exit-file frame from rows in the old 14-column layout; ``columns`` sets the v3 columns
    (last_organised_effort, turned_arms, alt_turned_arms, no_real_partner, theatre) for every row."""
    cols = ["war_num", "side", "ccode", "spell", "state_name", "exit_type", "exit_date", "partners_objected",
            "contested", "alt_exit_type", "alt_partners_objected", "evidence", "source", "source_2"]
    frame = pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)
    frame = frame.astype({k: "Int64" for k in ["war_num", "side", "ccode", "spell"]})
    frame["exit_date"] = pd.to_datetime(frame["exit_date"])
    frame["contested"] = frame["contested"].astype(bool)
    leaving = frame["exit_type"].isin(["switched_sides", "separate_peace", "stood_aside", "separate_peace_ending_war"])
    frame["turned_arms"] = pd.Series("na", index=frame.index, dtype="string").mask(leaving, "no")
    frame["last_organised_effort"] = pd.NaT
    frame["alt_turned_arms"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    frame["no_real_partner"] = False
    frame["theatre"] = pd.Series(pd.NA, index=frame.index, dtype="string")
    for name, value in columns.items():
        frame[name] = pd.to_datetime(value) if name == "last_organised_effort" else value
    return frame


def test_exits_switch_and_defection_flags():
    war = toy_war()
    spells = create_coalition_spells(war)
    with pytest.warns(UserWarning, match="no row in coalition_exits.csv"):
        exits = classify_exits(spells, _exit_file([])).set_index(["war_num", "side", "ccode", "spell"])
    assert exits.loc[(1, 1, 30, 1), "exit_type"] == "switched_sides"
    assert exits.loc[(1, 1, 20, 1), "exit_type"] == "truce_reentered"  # re-entered on the same side
    assert exits.loc[(1, 1, 10, 1), "exit_type"] == "war_end"
    # G leaves war 2 early: a judgement call the dates cannot make
    assert exits.loc[(2, 2, 70, 1), "exit_source"] == "none"
    phases = create_state_phases(spells, "year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = add_exits(phases, spells, _exit_file([]))
    c = panel[(panel.ccode == 30) & (panel.side == 1)]
    assert c["defected"].tolist() == [0, 1] and c["defected_strict"].tolist() == [0, 1]
    assert panel.loc[panel.ccode == 20, "defected"].sum() == 0
    assert panel.loc[panel.ccode == 20, "exit_early"].sum() == 0  # a truce is not an exit


@pytest.mark.parametrize("exit_type, objected, contested, alt, alt_objected, turned, expected", [
    # (defected, defected_strict, defected_broad, exit_early, defected_cow_dates)
    ("separate_peace", "yes", False, None, None, "no", (1, 0, 1, 1, 1)),
    ("separate_peace", "yes", False, None, None, "yes", (1, 1, 1, 1, 1)),  # turned its arms: strict
    ("switched_sides", "yes", False, None, None, "no", (1, 0, 1, 1, 1)),  # a switch without fighting its partners
    ("separate_peace", "unclear", False, None, None, "no", (0, 0, 1, 1, 0)),
    ("separate_peace", "unclear", False, None, None, "yes", (0, 0, 1, 1, 0)),  # strict only inside defected
    ("separate_peace_ending_war", "yes", False, None, None, "no", (1, 0, 1, 1, 1)),
    ("separate_peace_ending_war", "unclear", False, None, None, "no", (0, 0, 1, 1, 0)),
    ("stood_aside", "unclear", True, "stood_aside", "yes", "no", (0, 0, 1, 1, 0)),
    ("withdrew_with_partners", "no", True, "separate_peace", "yes", "na", (0, 0, 1, 1, 0)),
    ("withdrew_with_partners", "no", False, None, None, "na", (0, 0, 0, 1, 0)),
    ("conquered", "na", False, None, None, "na", (0, 0, 0, 0, 0)),
    # broad is inside exit_early by construction (Hungary 1945: conquered, contested with separate_peace/yes)
    ("conquered", "na", True, "separate_peace", "yes", "na", (0, 0, 1, 1, 0)),
    # a coalition-wide (or theatre-wide) settlement is never an early exit (was 1 before v3)
    ("coalition_settlement", "no", False, None, None, "na", (0, 0, 0, 0, 0)),
])
def test_the_primary_rule_and_the_variants(exit_type, objected, contested, alt, alt_objected, turned, expected):
    spells = create_coalition_spells(toy_war())
    row = [2, 2, 70, 1, "G", exit_type, "1900-06-30", objected, contested, alt, alt_objected, "test", "test",
           "second source" if contested else None]
    phases = create_state_phases(spells, "year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = add_exits(phases, spells, _exit_file([row], turned_arms=turned))
    g = panel[panel.ccode == 70].iloc[0]
    assert tuple(int(g[o]) for o in ["defected", "defected_strict", "defected_broad", "exit_early",
                                     "defected_cow_dates"]) == expected


def test_two_spells_in_one_phase_form_one_row_with_the_event():
    """A state that stops, re-enters and then makes a separate peace within one year: one row, one event."""
    war = toy_war()
    na = pd.NaT
    extra = pd.DataFrame([(3, 80, "H", 1, "1900-01-01", "1900-03-31", "1900-06-01", "1900-08-31", 2),
                          (3, 81, "I", 1, "1900-01-01", "1900-12-31", na, na, 2),
                          (3, 82, "J", 2, "1900-01-01", "1900-12-31", na, na, 1)],
                         columns=["war_num", "ccode", "state_name", "side", "start1", "end1", "start2", "end2",
                                  "outcome"])
    for c in ["start1", "end1", "start2", "end2"]:
        extra[c] = pd.to_datetime(extra[c])
    extra = extra.assign(war_name="Truce war", initiator=False).astype(
        {"war_num": "Int64", "ccode": "Int64", "side": "Int64", "outcome": "Int64"})
    war = pd.concat([war, extra[war.columns]], ignore_index=True)
    spells = create_coalition_spells(war)
    phases = create_state_phases(spells, "year")
    h = phases[phases.ccode == 80]
    assert len(h) == 1 and h["spells_in_phase"].iloc[0] == 2 and h["spell"].iloc[0] == 2
    assert h["days_at_risk"].iloc[0] == 90 + 92  # Jan-Mar plus Jun-Aug, the truce excluded
    row = [3, 1, 80, 2, "H", "separate_peace", "1900-08-31", "yes", False, None, None, "test", "test", None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = add_exits(phases, spells, _exit_file([row]))
    assert panel.loc[panel.ccode == 80, "defected"].tolist() == [1]
    assert not panel.duplicated(["war_num", "side", "ccode", "phase"]).any()


def test_nmc_na_outside_coverage_and_enemy_capability():
    war = toy_war()
    phases = create_state_phases(create_participant_spells(war), "year")
    nmc = pd.DataFrame({"ccode": [10, 20, 30, 40, 50, 60, 70], "year": [1900] * 7,
                        "cinc": [0.2, 0.1, 0.1, 0.4, 0.3, 0.2, 0.1]})
    nmc = nmc.astype({"ccode": "Int64", "year": "Int64", "cinc": "Float64"}).assign(nmc_version="toy")
    nmc.attrs["coverage"] = (1900, 1900)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = add_nmc(phases, nmc)
    messages = [str(w.message) for w in caught]
    assert any("covers 1900-1900" in m for m in messages)
    assert any("NA power_share" in m for m in messages)
    assert out.loc[out.year == 1901, "cinc"].isna().all()
    assert out.loc[out.year == 1901, "power_share"].isna().all()
    a1900 = out[(out.ccode == 10) & (out.year == 1900)].iloc[0]
    assert a1900["coalition_cinc"] == pytest.approx(0.4)  # A, B, C on side 1 in 1900
    assert a1900["power_share"] == pytest.approx(0.5)
    assert a1900["enemy_cinc"] == pytest.approx(0.4)       # D
    assert a1900["capability_ratio"] == pytest.approx(0.5)
    assert a1900["principal_enemy"] == 40
    assert a1900["coalition_hhi"] == pytest.approx(0.5 ** 2 + 0.25 ** 2 + 0.25 ** 2)
    # the lone state's capability counts as the enemy of war 2's coalition, then it is dropped
    f = out[(out.ccode == 60)].iloc[0]
    assert f["enemy_cinc"] == pytest.approx(0.3) and f["principal_enemy"] == 50
    assert 50 not in set(keep_coalition_members(out)["ccode"])


def test_checked_merge_refuses_to_add_rows():
    left = pd.DataFrame({"k": [1, 2]})
    with pytest.raises(RowCountError, match="repeats key"):
        checked_merge(left, pd.DataFrame({"k": [1, 1], "v": [0, 1]}), "k", what="test")


# ------------------------------------------------------------------------------ real data


def test_counts_against_the_raw_war_file(panel):
    raw = pd.read_csv(sources.entry("cow_war").path(), lineterminator="\r")
    n_states = raw.groupby(["WarNum", "Side"])["ccode"].nunique()
    multi = n_states[n_states >= 2].index
    # every multi-state side in v4.0 has overlapping spells, so each is a coalition
    assert panel[["war_num", "side"]].drop_duplicates().shape[0] == len(multi) == 44
    assert panel["war_num"].nunique() == len({w for w, _ in multi}) == 38
    rows = raw.set_index(["WarNum", "Side"]).loc[list(multi)]
    expected_spells = len(rows) + int((rows["StartYear2"] != -8).sum())
    member_spells = create_coalition_spells(sources.read_interstate_war())
    assert len(member_spells) == expected_spells == 203
    # each spell's calendar years, less the years in which a state's two spells on one side fall together
    years = pd.concat([pd.DataFrame({"k": [(w, s_, c)] * (e.year - b.year + 1), "year": range(b.year, e.year + 1)})
                       for w, s_, c, b, e in zip(member_spells.war_num, member_spells.side, member_spells.ccode,
                                                 member_spells.start, member_spells.end)])
    assert len(panel) == len(years.drop_duplicates()) == 476


def test_later_spells_survive_earlier_exits(panel):
    """France's 1944-45 spell on the Allied side follows its 1940 switch and stays in the panel."""
    france = panel[(panel.war_num == 139) & (panel.side == 1) & (panel.ccode == 220)]
    assert france["year"].tolist() == [1939, 1940, 1944, 1945]
    assert france["spell"].tolist() == [1, 1, 2, 2]
    assert france["defected"].tolist() == [0, 1, 0, 0]
    allies = panel[(panel.war_num == 139) & (panel.side == 1) & panel.year.isin([1944, 1945])]
    assert allies.groupby("year")["power_share"].sum().round(12).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("war, side, ccode, year", [(139, 2, 325, 1943), (139, 2, 360, 1944), (139, 2, 355, 1944)])
def test_side_switches(panel, war, side, ccode, year):
    rows = panel[(panel.war_num == war) & (panel.ccode == ccode) & (panel.year == year)]
    left = rows[rows.side == side].iloc[0]
    assert left["exit_type"] == "switched_sides"
    assert (left["defected"], left["defected_strict"], left["defected_broad"], left["exit_early"]) == (1, 1, 1, 1)
    # split at the switch: both sides' rows exist that year, on different dates, with weights summing to 1
    assert set(rows["side"]) == {1, 2}
    other = rows[rows.side != side].iloc[0]
    assert left["phase_end"] < other["phase_start"]
    assert rows["side_weight"].sum() == pytest.approx(1.0)
    assert left["side_weight"] == pytest.approx(left["days_at_risk"] / rows["days_at_risk"].sum())


@pytest.mark.parametrize("war, side, ccode, year", [(106, 1, 365, 1917), (106, 1, 360, 1917)])
def test_separate_peaces(panel, war, side, ccode, year):
    row = panel[(panel.war_num == war) & (panel.side == side) & (panel.ccode == ccode) & (panel.year == year)].iloc[0]
    assert row["exit_type"] == "separate_peace" and row["partners_objected"] == "yes"
    assert (row["defected"], row["defected_strict"], row["defected_broad"]) == (1, 0, 1)


@pytest.mark.parametrize("ccode, year", [(290, 1939), (385, 1940), (211, 1940), (210, 1940), (350, 1941),
                                         (345, 1941)])
def test_conquest_is_not_defection(panel, ccode, year):
    row = panel[(panel.war_num == 139) & (panel.side == 1) & (panel.ccode == ccode) & (panel.year == year)].iloc[0]
    assert row["exit_type"] == "conquered"
    assert (row["defected"], row["defected_broad"], row["exit_early"]) == (0, 0, 0)


@pytest.mark.parametrize("ccode", [645, 652, 660])
def test_arab_states_1948_stood_aside_and_are_contested(panel, ccode):
    row = panel[(panel.war_num == 148) & (panel.ccode == ccode) & (panel.year == 1948)].iloc[0]
    assert row["exit_type"] != "separate_peace"  # they signed armistices only in 1949, after Egypt
    assert bool(row["contested"]) and pd.notna(row["source_2"])
    assert row["defected_broad"] == 1 and row["exit_early"] == 1


def test_panel_invariants(panel):
    key = ["war_num", "side", "ccode", "phase"]
    assert not panel.duplicated(key).any()
    assert not panel.duplicated(["war_num", "side", "ccode", "year"]).any()  # year scheme: one row a year
    complete = panel.groupby(["war_num", "side", "phase"])["power_share"].transform(lambda s: s.notna().all())
    sums = panel[complete].groupby(["war_num", "side", "phase"])["power_share"].sum()
    assert ((sums - 1).abs() <= 1e-9).all() and len(sums) > 100
    counted = panel.groupby(["war_num", "side", "phase"])["ccode"].transform("nunique")
    assert (counted == panel["n_members_phase"]).all()
    # partnerless: the only member of the side in the phase, or no real partner (authored); at risk nowhere
    alone = panel["n_members_phase"] == 1
    authored = panel["partnerless_reason"].eq("no real partner (authored)").fillna(False)
    assert (panel["partnerless"] == (alone | authored)).all() and alone.sum() == 12 and authored.sum() == 4
    assert (panel.loc[alone, "partnerless_reason"] == "only member of its side in the phase").all()
    # no state on two sides of one war on the same date
    a = panel[["war_num", "ccode", "side", "phase_start", "phase_end"]]
    pairs = a.merge(a, on=["war_num", "ccode"], suffixes=("", "_o"))
    pairs = pairs[pairs.side < pairs.side_o]
    assert not ((pairs.phase_start <= pairs.phase_end_o) & (pairs.phase_start_o <= pairs.phase_end)).any()
    # each state's capability is counted once per war-phase
    w = panel.groupby(["war_num", "ccode", "phase"])["side_weight"].sum()
    assert ((w - 1).abs() < 1e-12).all()


def test_invariants_hold_in_the_custom_scheme():
    from replication.panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        custom = build_panel(scheme="custom")
    sums = custom.dropna(subset=["power_share"]).groupby(["war_num", "side", "phase"])["power_share"].sum()
    assert ((sums - 1).abs() <= 1e-9).all()
    assert not custom.duplicated(["war_num", "side", "ccode", "phase"]).any()


def test_outcome_variants_nest(panel):
    assert (panel["defected_strict"] <= panel["defected"]).all()
    assert (panel["defected"] <= panel["defected_broad"]).all()
    assert (panel["defected_broad"] <= panel["exit_early"]).all()
    assert panel["defected_strict"].sum() == 5


def test_systemic_measures_vary_and_point_the_stated_way(panel):
    from replication.panel import conditions_table

    t = conditions_table().set_index("condition")
    assert set(t.index[t.in_index]) == {"losing", "symmetric", "external_gt_internal"}
    assert not t.loc["outmatched", "in_index"] and not t.loc["common_adversary", "in_index"]
    for c in t.index[t.in_index]:
        share = panel[c].astype("Float64").mean()
        assert 0.1 < share < 0.9, c  # every index condition varies
    # losing is the trend; in a coalition's first phase, the change over the year of entry: no row with a
    # capability ratio lacks a trend (before issue 18, every first phase did, and 20 wars left the sample)
    first_phase = panel.sort_values("phase_start").groupby(["war_num", "side"])["phase"].transform("first")
    first = panel["phase"] == first_phase.reindex(panel.index)
    assert panel.loc[panel["capability_ratio"].notna(), "capability_trend"].notna().all()
    np.testing.assert_allclose(panel.loc[first, "capability_trend"],
                               panel.loc[first, "capability_ratio"] - panel.loc[first, "capability_ratio_prior_year"])
    assert panel.loc[panel["capability_ratio"].notna(), "losing"].notna().all()
    g = panel["systemic_graded"].dropna()
    assert g.between(0, 1).all() and g.std() > 0.1
    fav = panel["systemic_favorable"].dropna()
    assert (fav == (panel.loc[fav.index, "systemic_index"] >= 2)).all()


def test_first_phase_trend_by_hand():
    """The prior-year ratio recomputed from the NMC file for two first phases: the Allies of 1939 (every state
    existed in 1938) and the Arab coalition of 1948 (Israel, born in 1948, valued at its 1948 CINC)."""
    import warnings

    from replication import sources
    from replication.panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = build_panel()
    nmc = sources.read_nmc("4.0").set_index(["ccode", "year"])["cinc"].astype(float)

    from replication.panel import create_participant_spells

    spells = create_participant_spells(sources.read_interstate_war())

    def ratio(war, side, year, prior_year):
        """Every participant at war in ``year`` on each side (no side switcher in these two phases, so
        each counts fully), valued at its prior-year CINC, or its own year's if it has none."""
        at_war = spells[(spells.war_num == war) & (spells.start.dt.year <= year) & (spells.end.dt.year >= year)]
        value = {}
        for s in (1, 2):
            states = set(at_war.loc[at_war.side == s, "ccode"])
            value[s] = sum(nmc[(c, prior_year)] if (c, prior_year) in nmc.index else nmc[(c, year)] for c in states)
        return value[side] / (value[1] + value[2])

    allies_1939 = panel[(panel.war_num == 139) & (panel.side == 1) & (panel.year == 1939)].iloc[0]
    assert allies_1939["capability_ratio_prior_year"] == pytest.approx(ratio(139, 1, 1939, 1938), rel=1e-12)
    arabs_1948 = panel[(panel.war_num == 148) & (panel.side == 2) & (panel.year == 1948)].iloc[0]
    assert (666, 1947) not in nmc.index  # Israel has no 1947 CINC
    assert arabs_1948["capability_ratio_prior_year"] == pytest.approx(ratio(148, 2, 1948, 1947), rel=1e-12)
    assert arabs_1948["capability_trend"] == pytest.approx(arabs_1948["capability_ratio"]
                                                           - arabs_1948["capability_ratio_prior_year"])


def test_moderators(panel):
    # the USA led the Allies in 1944; the UK had no COW formal alliance with it then, the USSR neither
    uk = panel[(panel.war_num == 139) & (panel.ccode == 200) & (panel.year == 1944)].iloc[0]
    assert uk["coalition_leader"] == 2
    assert pd.isna(panel[(panel.war_num == 139) & (panel.ccode == 2) & (panel.year == 1944)].iloc[0][
        "formal_ally_of_leader"])  # the leader is not its own ally
    assert panel["formal_ally_of_leader"].dropna().nunique() == 2
    # France's regime fell in 1940 (Vichy); Polity codes the change in 1940
    fr = panel[(panel.war_num == 139) & (panel.ccode == 220) & (panel.year == 1940) & (panel.side == 1)].iloc[0]
    assert bool(fr["regime_change_in_phase"])


def test_missing_stays_missing(panel):
    # Hanover 1866 is not in Polity5: NA, not autocracy
    hanover = panel[panel.ccode == 240]
    assert hanover["democracy"].isna().all() and hanover["polity2_lag"].isna().all()
    # the USSR in WWII is Polity/BMR code 364, so it is found
    ussr = panel[(panel.war_num == 139) & (panel.ccode == 365)]
    assert ussr["democracy"].notna().all() and not ussr["democracy"].any()
    assert ussr["democracy_bmr"].notna().all()


def test_every_early_exit_is_in_the_exit_file(panel):
    exits = read_coalition_exits()
    spells = create_coalition_spells(sources.read_interstate_war())
    early = spells[spells["end"] < spells["coalition_end"]]
    coded = set(map(tuple, exits[["war_num", "side", "ccode", "spell"]].to_numpy().tolist()))
    assert set(map(tuple, early[["war_num", "side", "ccode", "spell"]].to_numpy().tolist())) <= coded
    # the other file rows code spells that COW runs to the coalition's end, each for a reason COW's dates
    # cannot show: no real partner (Soviet Russia in war 108), an earlier last organised effort (Bolivia 1880),
    # a war-ending separate peace (Austria 1866), a code other than COW's war_end (Electoral Hesse 1866:
    # conquered) or a contested reading (Britain 1956: war_end, or a war-ending exit)
    key = ["war_num", "side", "ccode", "spell"]
    late = exits[~exits.set_index(key).index.isin(early.set_index(key).index)]
    assert len(late) == 17
    assert (late["no_real_partner"] | late["last_organised_effort"].notna() | late["exit_type"].ne("war_end")
            | late["contested"]).all()
    assert not panel["exit_source"].eq("none").any()


# ------------------------------------------------------------------------------ bad input


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


TP_HEADER = "war_num,date,source\n"


@pytest.mark.parametrize("body, message", [
    ("139,1944-07-01,a\n139,1944-07-01,a\n", "line 3 .*listed twice"),
    ("999,1944-07-01,a\n", "line 2 .*no such war"),
    ("139,July 1944,a\n", "line 2 .*YYYY-MM-DD"),
    ("x,1944-07-01,a\n", "war_num', line 2: value 'x' is not a number.*whole number"),
    ("139,1944-07-01,\n", "line 2 .*source"),
])
def test_bad_turning_points_are_data_errors(tmp_path, body, message):
    from replication.errors import DataError
    from replication.panel import read_turning_points

    path = _write(tmp_path, "tp.csv", TP_HEADER + body)
    spells = create_coalition_spells(sources.read_interstate_war())
    with pytest.raises(DataError, match=message):
        # the war list is known only when phases are built, so an unknown war is caught there
        create_state_phases(spells, "custom", read_turning_points(path))


def test_turning_points_passed_as_strings_are_parsed_or_refused():
    from replication.errors import DataError

    spells = create_coalition_spells(toy_war())
    as_text = pd.DataFrame({"war_num": [1], "date": ["1901-01-01"], "source": ["test"]})
    phases = create_state_phases(spells, "custom", as_text)
    assert phases.loc[phases.ccode == 10, "phase"].tolist() == ["P1", "P2"]
    with pytest.raises(DataError, match="YYYY-MM-DD"):
        create_state_phases(spells, "custom", as_text.assign(date=["1 Jan 1901"]))


EXIT_HEADER = ("war_num,side,ccode,spell,state_name,exit_type,exit_date,partners_objected,contested,alt_exit_type,"
               "alt_partners_objected,last_organised_effort,turned_arms,alt_turned_arms,no_real_partner,theatre,"
               "evidence,source,source_2\n")
GOOD = "139,2,375,1,Finland,separate_peace,1944-09-19,yes,false,,,,yes,,false,,Moscow armistice,S&W war 139,\n"


@pytest.mark.parametrize("line, message", [
    (GOOD.replace(",1,Finland", ",x,Finland"), "column 'spell', line 2: value 'x' is not a number.*whole number"),
    (GOOD.replace("separate_peace", "peace"), "column 'exit_type' \\('peace'\\)"),
    (GOOD.replace(",yes,", ",maybe,"), "column 'partners_objected'"),
    (GOOD.replace("1944-09-19", "19/09/1944"), "column 'exit_date'.*YYYY-MM-DD"),
    (GOOD.replace(",false,", ",true,"), "contested exit needs alt_exit_type"),
    (GOOD.replace(",yes,", ",no,"), "not abandonment"),
    (GOOD.replace("Moscow armistice", ""), "column 'evidence'"),
    (GOOD + GOOD, "line 3.*coded twice"),
    (GOOD.replace(",yes,,false,", ",maybe,,false,"), "line 2, column 'turned_arms' \\('maybe'\\).*Say whether"),
    (GOOD.replace(",yes,,false,", ",na,,false,"), "column 'turned_arms' \\('na'\\): a state that left.*needs yes or no"),
    (GOOD.replace(",separate_peace,", ",conquered,").replace(",yes,false,", ",na,false,"),
     "column 'turned_arms' \\('yes'\\): yes is recorded only for a state that left"),
    (GOOD.replace(",yes,,false,", ",yes,yes,false,"), "column 'alt_turned_arms'.*repeats turned_arms"),
    (GOOD.replace(",yes,,false,", ",yes,no,false,"), "column 'source_2'.*contested turned_arms needs a second source"),
    (GOOD.replace(",yes,,false,", ",yes,,maybe,"), "column 'no_real_partner' \\('maybe'\\): must be true or false"),
    (GOOD.replace(",yes,false,", ",na,false,"), "column 'partners_objected' \\('na'\\): na \\(no partner\\).*"
                                               "no_real_partner to true"),
    (GOOD.replace("false,,,,yes", "false,,,Sept 1944,yes"), "column 'last_organised_effort'.*YYYY-MM-DD"),
    (GOOD.replace("separate_peace,", "separate_peace_ending_war,").replace("false,,,,yes", "false,,,1944-06-01,yes"),
     "column 'last_organised_effort'.*dated by the war's end"),
])
def test_bad_exit_file_rows_are_data_errors(tmp_path, line, message):
    from replication.errors import DataError

    path = _write(tmp_path, "exits.csv", EXIT_HEADER + line)
    with pytest.raises(DataError, match=message):
        read_coalition_exits(path)


def test_exit_rows_for_unknown_spells_are_refused(tmp_path):
    from replication.errors import DataError

    path = _write(tmp_path, "exits.csv", EXIT_HEADER + GOOD.replace("139,2,375", "139,2,999"))
    with pytest.raises(DataError, match="not coalition members"):
        classify_exits(create_coalition_spells(sources.read_interstate_war()), read_coalition_exits(path))


def test_duplicated_resource_figure_is_a_data_error(tmp_path):
    from replication.errors import DataError
    from replication.grand_alliance.casefile import RESOURCE_FILE, read_resources
    from replication.paths import authored_dir

    lines = (authored_dir() / RESOURCE_FILE).read_text().splitlines()
    path = _write(tmp_path, RESOURCE_FILE, "\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(DataError, match=f"lines \\[2, {len(lines) + 1}\\].*remove the duplicate row"):
        read_resources(path)


def test_readme_panel_numbers_match_the_panel(panel):
    """The README's panel paragraph states counts by hand; each must be the panel's."""
    import re

    from replication.paths import PROJECT_ROOT

    from replication.panel import OUTCOMES, at_risk

    text = " ".join((PROJECT_ROOT / "README.md").read_text().split())
    assert f"{len(panel)} state-years" in text
    assert f"of which {int(panel['partnerless'].sum())} are partnerless" in text
    assert f"{int(panel['after_exit'].sum())} state-years after a historical exit" in text
    for outcome in OUTCOMES:
        rows = panel[at_risk(panel, outcome)]
        n, wars = int(rows[outcome].sum()), rows.loc[rows[outcome] == 1, "war_num"].nunique()
        assert re.search(rf"{n} (?:defections |early exits )?in {wars} wars \(`{outcome}`", text), outcome
    exits = read_coalition_exits()
    assert f"{int(exits['contested'].sum())} of {len(exits)} are contested" in text
    risk = panel[at_risk(panel, "defected")]
    assert f"true in {round(100 * risk['common_adversary'].astype(float).mean())}% of state-years" in text
    assert f"all 3 hold in {int((panel['systemic_index'] == 3).sum())} state-year" in text
