"""The state-phase panel: small hand-built wars, then the real data against the raw war file."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

from replication import sources
from replication.panel import (add_exits, add_nmc, classify_exits, create_coalition_spells,
                               create_participant_spells, create_state_phases, keep_coalition_members)
from replication.panel._merge import RowCountError, checked_merge
from replication.panel.exits import read_exit_overrides

T = pd.Timestamp
NO_OVERRIDES = pd.DataFrame({c: pd.Series(dtype="Int64") for c in ["war_num", "side", "ccode", "spell"]}
                            | {c: pd.Series(dtype="string") for c in ["exit_type", "reason", "source"]})


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


def test_exits_switch_and_defection_flags():
    war = toy_war()
    spells = create_coalition_spells(war)
    with pytest.warns(UserWarning, match="no entry in exit_overrides.csv"):
        exits = classify_exits(spells, NO_OVERRIDES).set_index(["war_num", "side", "ccode", "spell"])
    assert exits.loc[(1, 1, 30, 1), "exit_type"] == "switched_sides"
    assert exits.loc[(1, 1, 20, 1), "exit_type"] == "other"  # re-entered on the same side
    assert exits.loc[(1, 1, 10, 1), "exit_type"] == "war_end"
    # G leaves war 2 early: a judgement call the dates cannot make
    assert exits.loc[(2, 2, 70, 1), "exit_source"] == "unclassified"
    phases = create_state_phases(spells, "year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        panel = add_exits(phases, spells, NO_OVERRIDES)
    c = panel[(panel.ccode == 30) & (panel.side == 1)]
    assert c["defected"].tolist() == [0, 1] and c["defected_strict"].tolist() == [0, 1]
    assert panel.loc[panel.ccode == 20, "defected"].sum() == 0
    override = pd.DataFrame({"war_num": [2], "side": [2], "ccode": [70], "spell": [1],
                             "exit_type": ["separate_peace"], "reason": ["made peace"], "source": ["test"]})
    override = override.astype({k: "Int64" for k in ["war_num", "side", "ccode", "spell"]})
    panel = add_exits(phases, spells, override)
    g = panel[panel.ccode == 70]
    assert g["defected"].tolist() == [1] and g["defected_strict"].tolist() == [0]


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
    # France's 1944-45 spell on the Allied side follows its 1940 switch: it left the risk set
    assert panel.drop_duplicates(["war_num", "side", "ccode", "spell"]).shape[0] == 202
    # each spell's years of participation, clipped: the row count follows from the raw dates
    years = sum(e.year - s.year + 1 for s, e in zip(member_spells["start"], member_spells["end"]))
    france2 = member_spells[(member_spells.war_num == 139) & (member_spells.ccode == 220)
                            & (member_spells.side == 1) & (member_spells.spell == 2)]
    assert len(panel) == years - (france2["end"].dt.year - france2["start"].dt.year + 1).sum()


def test_wwii_side_switches_are_switched_sides(panel):
    spells = panel.drop_duplicates(["war_num", "side", "ccode", "spell"]).set_index(
        ["war_num", "side", "ccode", "spell"])
    for key in [(139, 1, 220, 1), (139, 2, 325, 1), (139, 2, 360, 1), (139, 2, 355, 1), (108, 1, 255, 1)]:
        assert spells.loc[key, "exit_type"] == "switched_sides", key
    assert panel["defected_strict"].sum() == 5
    strict = panel[panel.defected_strict == 1]
    assert set(zip(strict.war_num, strict.ccode)) == {(139, 220), (139, 325), (139, 360), (139, 355), (108, 255)}


def test_no_row_key_duplicates_and_missing_stays_missing(panel):
    assert not panel.duplicated(["war_num", "side", "ccode", "spell", "phase"]).any()
    # Hanover 1866 is not in Polity5: NA, not autocracy
    hanover = panel[panel.ccode == 240]
    assert hanover["democracy"].isna().all() and hanover["polity2_lag"].isna().all()
    # the USSR in WWII is Polity/BMR code 364, so it is found
    ussr = panel[(panel.war_num == 139) & (panel.ccode == 365)]
    assert ussr["democracy"].notna().all() and not ussr["democracy"].any()
    assert ussr["democracy_bmr"].notna().all()


def test_every_override_matches_an_early_exit(panel):
    ov = read_exit_overrides()
    spells = panel.drop_duplicates(["war_num", "side", "ccode", "spell"]).set_index(
        ["war_num", "side", "ccode", "spell"])
    for r in ov.itertuples():
        key = (r.war_num, r.side, r.ccode, r.spell)
        assert spells.loc[key, "exit_source"] == "override"
        assert spells.loc[key, "spell_end"] < spells.loc[key, "coalition_end"] or r.exit_type == "war_end"
    assert not (spells["exit_source"] == "unclassified").any()
