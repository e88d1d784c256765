"""Coalition exits v3 (issue 19): the audit corrections on the built panel, historical dating of exits that
COW's dates hide, the partnerless flags, the theatre rule, the nesting of the variants, and the two
companion files (war endings, member efforts) with their validators, on fixture files in tests/data."""

from __future__ import annotations

import shutil
import warnings

import pandas as pd
import pytest

from replication import sources
from replication.errors import DataError
from replication.panel import add_exits, at_risk, create_coalition_spells, create_state_phases
from replication.panel.endings import (check_member_efforts, check_war_endings, read_member_efforts,
                                       read_war_endings)
from replication.panel.exits import read_coalition_exits
from replication.paths import PROJECT_ROOT

from .test_panel import toy_war

DATA = PROJECT_ROOT / "tests" / "data"
TOY_EXITS, TOY_ENDINGS, TOY_EFFORTS = (DATA / "toy_coalition_exits.csv", DATA / "toy_war_endings.csv",
                                       DATA / "toy_member_efforts.csv")


def _row(panel, war, side, ccode, year):
    rows = panel[(panel.war_num == war) & (panel.side == side) & (panel.ccode == ccode) & (panel.year == year)]
    assert len(rows) == 1
    return rows.iloc[0]


def _variants(row):
    return tuple(int(row[o]) for o in ["defected", "defected_strict", "defected_broad", "exit_early",
                                       "defected_cow_dates"])


def _entity(war, side, ccode, spell):
    return war * 100000 + side * 10000 + ccode * 10 + spell


# ------------------------------------------------------------------ the audit corrections, on the built panel


def test_france_1940_is_a_defection_but_not_strict(panel):
    """An armistice over Britain's objection; the 'switch' is only COW's Vichy spell (was strict)."""
    row = _row(panel, 139, 1, 220, 1940)
    assert row["exit_type"] == "separate_peace" and row["partners_objected"] == "yes"
    assert row["turned_arms"] == "no" and row["alt_turned_arms"] == "yes"  # the other reading, recorded
    assert _variants(row) == (1, 0, 1, 1, 1)


def test_finland_1944_is_strict(panel):
    """The Lapland War: Finland turned its arms against Germany (was not strict)."""
    row = _row(panel, 139, 2, 375, 1944)
    assert row["exit_type"] == "separate_peace" and row["turned_arms"] == "yes"
    assert _variants(row) == (1, 1, 1, 1, 1)


@pytest.mark.parametrize("war, side, ccode, year", [(108, 1, 255, 1919), (139, 2, 325, 1943), (139, 2, 355, 1944),
                                                    (139, 2, 360, 1944), (139, 2, 375, 1944)])
def test_strict_is_the_five_that_turned_their_arms(panel, war, side, ccode, year):
    assert _row(panel, war, side, ccode, year)["defected_strict"] == 1
    strict = panel[panel["defected_strict"] == 1]
    assert len(strict) == 5 and set(strict["turned_arms"]) == {"yes"}


def test_iraq_1948_second_spell_is_a_broad_defection_only(panel):
    """Non-assistance while at war, as Syria and Lebanon: the objection unclear (was a primary defection)."""
    row = _row(panel, 148, 2, 645, 1948)  # the row holds both spells (truce and re-entry in 1948)
    assert row["spells_in_phase"] == 2 and row["spell"] == 2
    assert row["exit_type"] == "stood_aside" and row["partners_objected"] == "unclear"
    assert bool(row["contested"]) and row["alt_exit_type"] == "stood_aside" and row["alt_partners_objected"] == "yes"
    assert _variants(row) == (0, 0, 1, 1, 0)
    syria = _row(panel, 148, 2, 652, 1948)
    assert _variants(syria) == _variants(row)


@pytest.mark.parametrize("war, side, ccode, years", [(139, 2, 220, [1940, 1941]), (108, 2, 255, [1919]),
                                                     (108, 2, 365, [1919])])
def test_no_real_partner_rows_are_partnerless_and_out_of_every_risk_set(panel, war, side, ccode, years):
    """Vichy France 1940-41 (Axis side) and the two 'partners' on side 2 of war 108, each the other's enemy."""
    from replication.models.data import OUTCOMES, model_frame

    rows = panel[(panel.war_num == war) & (panel.side == side) & (panel.ccode == ccode)]
    flagged = rows[rows["partnerless_reason"].eq("no real partner (authored)").fillna(False)]
    assert flagged["year"].tolist() == years and flagged["partnerless"].all()
    assert (flagged["n_members_phase"] > 1).all()  # COW gives them co-members: the count alone misses them
    assert not at_risk(panel, "defected")[flagged.index].any()
    for outcome in OUTCOMES:
        frame = model_frame(panel, outcome=outcome)
        years_in = frame.loc[frame["entity"] == _entity(war, side, ccode, 1), "year"].tolist()
        assert not set(years) & set(years_in), outcome
        assert frame.attrs["partnerless_dropped"] == int(panel["partnerless"].sum()) == 16


def test_power_shares_stay_cows_for_rows_without_a_real_partner(panel):
    axis_1941 = panel[(panel.war_num == 139) & (panel.side == 2) & (panel.year == 1941)]
    assert 220 in set(axis_1941["ccode"]) and axis_1941["power_share"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize("ccode", [140, 325, 355, 360])
def test_world_war_ii_members_of_one_theatre_are_not_early_exits(panel, ccode):
    """Brazil, Italy, Bulgaria, Romania fought Germany to its surrender and never fought Japan (were exit_early 1)."""
    rows = panel[(panel.war_num == 139) & (panel.side == 1) & (panel.ccode == ccode)]
    assert set(rows["exit_type"]) == {"coalition_settlement"} and set(rows["theatre"]) == {"Europe"}
    assert rows["spell_end"].max() < rows["coalition_end"].max()  # COW ends them before the coalition
    assert rows[["defected", "defected_broad", "exit_early", "defected_cow_dates"]].to_numpy().sum() == 0


def test_hungary_1945_broad_is_an_early_exit(panel):
    row = _row(panel, 139, 2, 310, 1945)
    assert row["exit_type"] == "conquered" and row["exit_date"] == pd.Timestamp("1945-04-04")
    assert _variants(row) == (0, 0, 1, 1, 0)  # was broad 1, exit_early 0


@pytest.mark.parametrize("war, side, ccode, exit_date", [(139, 1, 350, "1941-06-01"), (139, 1, 530, "1941-11-27")])
def test_exit_dates_after_the_cow_end_do_not_move_the_event(panel, war, side, ccode, exit_date):
    """Greece fought on in Crete, Ethiopia at Gondar; the event stays in the spell's last phase (1941)."""
    rows = panel[(panel.war_num == war) & (panel.side == side) & (panel.ccode == ccode)]
    last = rows.iloc[-1]
    assert last["exit_date"] == pd.Timestamp(exit_date) > last["spell_end"] == last["event_date"]
    assert last["event_dated_by"] == "COW" and last["year"] == 1941 and not rows["after_exit"].any()


def test_philippines_event_in_1969_and_later_rows_after_exit(panel):
    """PHILCAG left on 12 December 1969 (COW: 28 January 1973)."""
    from replication.models.data import model_frame

    rows = panel[(panel.war_num == 163) & (panel.ccode == 840)].set_index("year")
    assert (rows["event_date"] == pd.Timestamp("1969-12-12")).all() and set(rows["event_dated_by"]) == {"history"}
    assert rows.index[rows["exit_early"] == 1].tolist() == [1969] == rows.index[rows["defected_broad"] == 1].tolist()
    assert rows.index[rows["after_exit"]].tolist() == [1970, 1971, 1972, 1973]
    entity = _entity(163, 2, 840, 1)
    historical = model_frame(panel, outcome="defected")
    cow = model_frame(panel, outcome="defected_cow_dates")
    assert historical.loc[historical.entity == entity, "year"].tolist() == [1966, 1967, 1968, 1969]
    assert cow.loc[cow.entity == entity, "year"].tolist() == list(range(1966, 1974))
    # Philippines 1970-73, Thailand 1973, Australia 1972, Bolivia 1881-83, Argentina 1870, Finland 1920
    assert historical.attrs["after_exit_dropped"] == int(panel["after_exit"].sum()) == 11
    assert cow.attrs["after_exit_dropped"] == 0 and len(cow) - len(historical) == 11
    thailand = panel[(panel.war_num == 163) & (panel.ccode == 800)].set_index("year")
    assert thailand.index[thailand["exit_early"] == 1].tolist() == [1972]
    assert thailand.index[thailand["after_exit"]].tolist() == [1973]


def test_the_four_variants_nest_on_the_built_panel(panel):
    strict, primary, broad, early = (panel[o].astype(int) for o in
                                     ["defected_strict", "defected", "defected_broad", "exit_early"])
    assert (strict <= primary).all() and (primary <= broad).all() and (broad <= early).all()
    # the COW-dates variant counts the same events per state-side, placed at the COW end
    by_member = panel.groupby(["war_num", "side", "ccode"])[["defected", "defected_cow_dates"]].sum()
    assert (by_member["defected"] == by_member["defected_cow_dates"]).all()
    assert not panel.loc[panel["after_exit"].astype(bool), ["defected", "defected_broad", "exit_early"]].any().any()
    counts = {o: int(panel.loc[at_risk(panel, o), o].sum()) for o in
              ["defected_strict", "defected", "defected_broad", "exit_early", "defected_cow_dates"]}
    # before the research rows of issue 19: 5, 11, 20, 23 and 11; after them 5, 14, 31, 36, 14; after the
    # second reading (France 1859 a coalition settlement, Argentina 1869 and the Philippines 1969 stood aside)
    assert counts == {"defected_strict": 5, "defected": 13, "defected_broad": 32, "exit_early": 36,
                      "defected_cow_dates": 13}


# ------------------------------------------------------------------ the machinery, on the toy war


def _toy_panel(exits_path=TOY_EXITS):
    spells = create_coalition_spells(toy_war())
    phases = create_state_phases(spells, "year")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # G in war 2 is not the only exit the toy file leaves out
        return add_exits(phases, spells, read_coalition_exits(exits_path))


def test_events_are_placed_by_the_historical_date_and_by_cow_in_the_variant():
    """A (side 1) stops on 1 October 1901 over B's protest; COW runs it to 30 June 1902."""
    panel = _toy_panel()
    a = panel[(panel.war_num == 1) & (panel.ccode == 10)].set_index("year")
    assert a["defected"].tolist() == [0, 1, 0] and a["defected_cow_dates"].tolist() == [0, 0, 1]
    assert a["after_exit"].tolist() == [False, False, True]
    assert set(a["event_dated_by"]) == {"history"} and (a["event_date"] == pd.Timestamp("1901-10-01")).all()
    # D's own armistice ended the war: a defection in its last phase, dated by COW
    d = panel[(panel.war_num == 1) & (panel.ccode == 40)].set_index("year")
    assert d["defected"].tolist() == [0, 0, 1] == d["defected_cow_dates"].tolist()
    assert not d["after_exit"].any() and set(d["event_dated_by"]) == {"COW"}
    # C's switch: strict (turned_arms yes); its later spell on side 2 is not after an exit
    c1 = panel[(panel.war_num == 1) & (panel.side == 1) & (panel.ccode == 30)]
    assert c1["defected_strict"].tolist() == [0, 1]
    assert not panel.loc[(panel.side == 2) & (panel.ccode == 30), "after_exit"].any()


def test_a_row_holding_a_later_spell_is_not_after_the_exit(tmp_path):
    """B stops (historically) in its first spell and re-enters in a later spell: the re-entry row is at risk."""
    text = TOY_EXITS.read_text() + ("1,1,20,1,B,truce_reentered,1900-09-30,na,false,,,1900-05-01,na,,false,,"
                                    "B stood down in May and re-entered in 1901,toy,\n")
    path = tmp_path / "exits.csv"
    path.write_text(text)
    b = _toy_panel(path).query("war_num == 1 and ccode == 20").set_index("year")
    assert b["after_exit"].tolist() == [False, False, False]  # 1900 holds the date; 1901-02 are spell 2
    assert b["exit_early"].sum() == 0  # a truce with re-entry is not an early exit


@pytest.mark.parametrize("line, message", [
    ("1,1,20,2,B,stood_aside,1902-06-30,yes,false,,,1902-06-10,no,,false,,late,toy,\n",
     "line 6, column 'last_organised_effort' \\('1902-06-10'\\): not more than 30 days before the COW spell end"),
    ("1,1,20,2,B,stood_aside,1902-06-30,yes,false,,,1900-05-01,no,,false,,early,toy,\n",
     "line 6, column 'last_organised_effort' \\('1900-05-01'\\): before the spell's COW start date"),
    ("1,1,20,1,B,separate_peace_ending_war,1900-09-30,yes,false,,,,no,,false,,ended,toy,\n",
     "line 6, column 'exit_type'.*fought a later spell on the same side.*Code it separate_peace"),
])
def test_exit_rows_that_contradict_the_cow_spells_are_data_errors(tmp_path, line, message):
    path = tmp_path / "exits.csv"
    path.write_text(TOY_EXITS.read_text() + line)
    with pytest.raises(DataError, match=f"{path}: {message}"):
        _toy_panel(path)


# ------------------------------------------------------------------ the named cases of issue 19, on the built panel
# (each fails on the exit file before the research rows: COW ran these spells to their coalition's end, war_end)


def test_bolivia_1880_is_dated_by_tacna_and_leaves_the_risk_set(panel):
    """Bolivia fought its last battle at Tacna (26 May 1880) while Peru fought on to 1883 (COW: 11 December 1883)."""
    from replication.models.data import model_frame

    rows = panel[(panel.war_num == 64) & (panel.ccode == 145)].set_index("year")
    assert rows.index.tolist() == [1879, 1880, 1881, 1882, 1883]
    coded = rows.loc[1883]
    assert (coded["exit_type"], coded["partners_objected"]) == ("stood_aside", "unclear") and bool(coded["contested"])
    assert (coded["alt_exit_type"], coded["alt_partners_objected"]) == ("withdrew_with_partners", "no")
    assert (rows["event_date"] == pd.Timestamp("1880-05-26")).all() and set(rows["event_dated_by"]) == {"history"}
    assert rows.index[rows["after_exit"]].tolist() == [1881, 1882, 1883]
    assert _variants(rows.loc[1880]) == (0, 0, 1, 1, 0)  # no documented Peruvian objection: broad only
    assert rows[["defected", "defected_strict", "defected_cow_dates"]].to_numpy().sum() == 0
    assert rows.loc[[1879, 1881, 1882, 1883], ["defected_broad", "exit_early"]].to_numpy().sum() == 0
    entity = _entity(64, 2, 145, 1)
    historical, cow = model_frame(panel, outcome="defected"), model_frame(panel, outcome="defected_cow_dates")
    assert historical.loc[historical.entity == entity, "year"].tolist() == [1879, 1880]
    assert cow.loc[cow.entity == entity, "year"].tolist() == [1879, 1880, 1881, 1882, 1883]


def _ending(war, side):
    return read_war_endings().set_index(["war_num", "side"]).loc[(war, side)]


def test_austria_1866_a_war_ending_separate_peace_that_only_broad_counts(panel):
    """Nikolsburg (26 July 1866), made without the south German allies; no allied protest was found."""
    row = _row(panel, 55, 2, 300, 1866)
    assert (row["exit_type"], row["partners_objected"]) == ("separate_peace_ending_war", "unclear")
    assert bool(row["contested"]) and row["alt_exit_type"] == "coalition_settlement"
    assert row["event_dated_by"] == "COW" and row["event_date"] == row["spell_end"] == pd.Timestamp("1866-07-26")
    assert not row["after_exit"] and row["turned_arms"] == "no"
    assert _variants(row) == (0, 0, 1, 1, 0)  # broad and exit_early; not defected, strict or the COW-dates variant
    ending = _ending(55, 2)
    assert (ending["verdict"], ending["member_ccode"], ending["partners_agreed"]) == ("war_ending_defection", 300,
                                                                                      "unclear")


def test_france_1859_is_a_coalition_settlement_with_the_separate_peace_as_the_contested_alternative(panel):
    """The second reading: Sardinia's commissioner took part in the armistice and its king signed the
    preliminaries; only Cavour objected. Primary: coalition_settlement, no event; broad counts the alternative."""
    rows = panel[(panel.war_num == 28) & (panel.side == 1) & (panel.ccode == 220)].set_index("year")
    row = rows.loc[1859]
    assert (row["exit_type"], row["partners_objected"]) == ("coalition_settlement", "no")
    assert bool(row["contested"]) and (row["alt_exit_type"], row["alt_partners_objected"]) == \
        ("separate_peace_ending_war", "yes")
    assert _variants(row) == (0, 0, 1, 1, 0)
    ending = _ending(28, 1)
    assert (ending["verdict"], ending["partners_agreed"]) == ("coalition_wide_settlement", "unclear")


@pytest.mark.parametrize("war, side, ccode, year, alternative", [
    (55, 1, 255, 1866, "aims_met"),  # Prussia at Nikolsburg, over Italy's protest
    (181, 2, 651, 1973, "coalition_settlement"),  # Egypt's ceasefire, to Syria's surprise and over Iraq's opposition
])
def test_war_ending_separate_peaces_over_a_partners_objection_are_defections(panel, war, side, ccode, year,
                                                                             alternative):
    rows = panel[(panel.war_num == war) & (panel.side == side) & (panel.ccode == ccode)].set_index("year")
    row = rows.loc[year]
    assert year == rows.index.max()  # the event lies in the member's last phase
    assert (row["exit_type"], row["partners_objected"], row["turned_arms"]) == ("separate_peace_ending_war", "yes",
                                                                                "no")
    assert bool(row["contested"]) and row["alt_exit_type"] == alternative
    assert row["event_dated_by"] == "COW" and not rows["after_exit"].any()
    assert _variants(row) == (1, 0, 1, 1, 1)
    assert rows["defected"].sum() == 1 and rows["exit_early"].sum() == 1
    ending = _ending(war, side)
    assert (ending["verdict"], ending["member_ccode"]) == ("war_ending_defection", ccode)


@pytest.mark.parametrize("war, side, ccode, year, exit_type, event_date", [
    (112, 1, 315, 1919, "separate_peace", "1919-06-24"),  # Czechoslovakia: the Northern Campaign ended 24 June
    (16, 1, 329, 1849, "stood_aside", "1849-05-19"),  # the Two Sicilies: Velletri, then home
])
def test_exits_inside_cows_dates_with_the_objection_unclear_are_broad_only(panel, war, side, ccode, year, exit_type,
                                                                          event_date):
    """Czechoslovakia 1919 (Romania marched on Budapest alone) and the Two Sicilies 1849 (France and Austria fought
    on to Rome's fall): COW runs both to the coalition's end."""
    row = _row(panel, war, side, ccode, year)
    assert row["spell_end"] == row["coalition_end"] > pd.Timestamp(event_date) + pd.Timedelta(days=30)
    assert (row["exit_type"], row["partners_objected"]) == (exit_type, "unclear") and bool(row["contested"])
    assert row["event_date"] == pd.Timestamp(event_date) and row["event_dated_by"] == "history"
    assert _variants(row) == (0, 0, 1, 1, 0)


def test_australia_and_thailand_are_dated_by_their_last_field_force(panel):
    """1 ATF ceased operations on 16 October 1971; the Thai division's second half left in February 1972."""
    australia = panel[(panel.war_num == 163) & (panel.ccode == 900)].set_index("year")
    assert (australia["event_date"] == pd.Timestamp("1971-10-16")).all()
    assert australia.index[australia["exit_early"] == 1].tolist() == [1971]
    assert australia.index[australia["after_exit"]].tolist() == [1972]
    thailand = panel[(panel.war_num == 163) & (panel.ccode == 800)]
    assert (thailand["event_date"] == pd.Timestamp("1972-02-29")).all()


@pytest.mark.parametrize("war, ccode, year, theatre, event_date", [
    (106, 350, 1918, "Salonica", "1918-09-30"),  # Greece: the Salonica armistice, signed for all the Allies
    (139, 560, 1945, "Europe", "1945-05-08"),  # South Africa: its own forces fought only Germany and Italy
])
def test_members_of_one_theatre_that_cow_runs_to_the_end_are_not_early_exits(panel, war, ccode, year, theatre,
                                                                            event_date):
    rows = panel[(panel.war_num == war) & (panel.side == 1) & (panel.ccode == ccode)]
    row = rows.set_index("year").loc[year]
    assert row["spell_end"] == row["coalition_end"]  # COW runs it to the coalition's end
    assert (row["exit_type"], row["theatre"], row["event_date"]) == ("coalition_settlement", theatre,
                                                                     pd.Timestamp(event_date))
    assert bool(row["contested"]) and row["alt_exit_type"] == "war_end"  # neither reading is an early exit
    assert rows[["defected", "defected_broad", "exit_early", "defected_cow_dates"]].to_numpy().sum() == 0


def test_the_ussr_in_europe_is_a_theatre_settlement_contested_with_its_re_entry():
    from replication.panel.exits import classify_exits

    spells = create_coalition_spells(sources.read_interstate_war())
    info = classify_exits(spells).set_index(["war_num", "side", "ccode", "spell"])
    europe = info.loc[(139, 1, 365, 1)]
    assert (europe["exit_type"], europe["theatre"], europe["alt_exit_type"]) == ("coalition_settlement", "Europe",
                                                                                 "truce_reentered")
    assert europe["cow_exit_type"] == "truce_reentered"
    assert not europe[["defected", "defected_broad", "exit_early"]].any()


def test_the_gulf_war_coalition_stopped_together_and_has_no_exit():
    """All stopped on 28 February 1991; COW ends the war with the formal ceasefire of 11 April (the lead's
    decision 2): no last_organised_effort, no exit row, no event."""
    from replication.panel.exits import classify_exits

    efforts = read_member_efforts()
    gulf = efforts[efforts.war_num == 211].set_index("ccode")
    assert (gulf["verdict"] == "coalition_stopped_together").sum() == 12 == (gulf["gap_days"] == 42).sum()
    assert gulf.loc[2, "verdict"] == "fought_to_cow_end"  # US jets shot down Iraqi aircraft on 20 March
    assert not read_coalition_exits()["war_num"].eq(211).any()
    info = classify_exits(create_coalition_spells(sources.read_interstate_war()))
    assert not info.loc[info.war_num == 211, ["defected", "defected_broad", "exit_early"]].any().any()


# ------------------------------------------------------------------ the companion files and their validators


def _spells():
    return create_coalition_spells(toy_war())


def _checks(endings=TOY_ENDINGS, efforts=TOY_EFFORTS, exits=TOY_EXITS, complete=True):
    ex = read_coalition_exits(exits)
    return (check_war_endings(read_war_endings(endings), _spells(), ex, complete=complete),
            check_member_efforts(read_member_efforts(efforts), _spells(), ex, complete=complete))


def _edit(tmp_path, source, name, transform):
    path = tmp_path / name
    path.write_text(transform(source.read_text()))
    return path


def test_good_companion_files_pass_every_check():
    missing_sides, missing_spells = _checks()
    assert missing_sides.empty and missing_spells.empty
    endings, efforts = read_war_endings(TOY_ENDINGS), read_member_efforts(TOY_EFFORTS)
    assert endings.set_index(["war_num", "side"]).loc[(1, 2), "member_ccode"] == 40
    a = efforts.set_index(["war_num", "side", "ccode", "spell"]).loc[(1, 1, 10, 1)]
    assert a["gap_days"] == (pd.Timestamp("1902-06-30") - pd.Timestamp("1901-10-01")).days == 272


def test_a_missing_side_is_named(tmp_path):
    path = _edit(tmp_path, TOY_ENDINGS, "endings.csv", lambda t: "\n".join(t.splitlines()[:-1]) + "\n")
    with pytest.raises(DataError, match=f"{path}: 1 of 3 coalition sides have no row: war_num 2, side 2, war_name "
                                        "Lone war. Add one row per coalition side"):
        _checks(endings=path)
    missing, _ = _checks(endings=path, complete=False)  # as the exhibit calls it while the research is open
    assert missing[["war_num", "side"]].to_numpy().tolist() == [[2, 2]]


def test_an_unmatched_war_ending_defection_is_a_data_error(tmp_path):
    # side 1's ending coded as a war-ending defection by A, whose exit row is not separate_peace_ending_war
    lines = TOY_ENDINGS.read_text().splitlines()
    lines[1] = "1,1,Toy war,1902-06-30,A's armistice,A,no,war_ending_defection,10,A signed alone,toy,a second source"
    path = tmp_path / "endings.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=f"{path}: line 2, column 'member_ccode' \\(10\\): no "
                                        "separate_peace_ending_war row for this member and side in "
                                        "coalition_exits.csv. Add the exit row"):
        _checks(endings=path, complete=False)


def test_a_war_ending_exit_without_its_ending_row_is_a_data_error(tmp_path):
    path = _edit(tmp_path, TOY_ENDINGS, "endings.csv", lambda t: t.replace(
        "no,war_ending_defection,40,", "yes,coalition_wide_settlement,,"))
    with pytest.raises(DataError, match=f"{TOY_EXITS}: the separate_peace_ending_war exit of ccode 40 \\(war 1, side "
                                        f"2\\) has no war_ending_defection row naming it in {path}. Add or correct"):
        _checks(endings=path, complete=False)


def test_an_uncovered_spell_is_named(tmp_path):
    path = _edit(tmp_path, TOY_EFFORTS, "efforts.csv",
                 lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("2,2,70,")) + "\n")
    with pytest.raises(DataError, match=f"{path}: 1 of 8 coalition member spells have no row: war_num 2, side 2, "
                                        "ccode 70, spell 1, state_name G. Add one row per coalition member spell"):
        _checks(efforts=path)
    _, missing = _checks(efforts=path, complete=False)
    assert missing[["war_num", "side", "ccode", "spell"]].to_numpy().tolist() == [[2, 2, 70, 1]]


def test_a_stopped_early_spell_without_its_exit_row_is_a_data_error(tmp_path):
    # B's first spell stopped early by the review (A fought on), but the exit file has no row with that date
    path = _edit(tmp_path, TOY_EFFORTS, "efforts.csv", lambda t: t.replace(
        "1,1,20,1,B,1900-09-30,,,fought_to_cow_end,B fought as an organised force,toy,",
        "1,1,20,1,B,1900-09-30,1900-07-15,77,stopped_early,B stood down in July,toy,a second source"))
    with pytest.raises(DataError, match=f"{path}: line 3, column 'last_organised_effort' \\('1900-07-15'\\): a "
                                        "stopped_early spell needs a row in coalition_exits.csv with the same "
                                        "last_organised_effort. Add or correct the spell's row"):
        _checks(efforts=path)
    # and the other way: the exit file dates A's exit, but the review says A fought to its COW end
    path = _edit(tmp_path, TOY_EFFORTS, "efforts2.csv", lambda t: t.replace(
        "1,1,10,1,A,1902-06-30,1901-10-01,272,stopped_early", "1,1,10,1,A,1902-06-30,,,fought_to_cow_end"))
    with pytest.raises(DataError, match=f"{TOY_EXITS}: the last_organised_effort 1901-10-01 of spell .*'ccode': 10.* "
                                        f"has no stopped_early row with that date in {path}"):
        _checks(efforts=path)


def test_coalition_stopped_together_and_stopped_early_are_judged_against_the_partners(tmp_path):
    """The lead's decision 2: stopped_early only where a partner fought on more than 30 days longer;
    coalition_stopped_together (no exit) where the gap to COW's end is over 30 days only because no partner did."""
    # B's second spell stops on 15 January 1902, after A (1 October 1901): it stopped with (after) its partners
    together = "1,1,20,2,B,1902-06-30,1902-01-15,166,coalition_stopped_together,B stood down with the coalition,toy,"
    path = _edit(tmp_path, TOY_EFFORTS, "efforts.csv", lambda t: t.replace(
        "1,1,20,2,B,1902-06-30,,,fought_to_cow_end,B fought as an organised force,toy,", together))
    assert [m.empty for m in _checks(efforts=path)] == [True, True]
    # the same spell called stopped_early: no partner fought on longer (A, the latest, stopped on 1 October 1901)
    path = _edit(tmp_path, TOY_EFFORTS, "efforts2.csv", lambda t: t.replace(
        "1,1,20,2,B,1902-06-30,,,fought_to_cow_end,B fought as an organised force,toy,",
        together.replace("coalition_stopped_together", "stopped_early") + "a second source"))
    with pytest.raises(DataError, match=f"{path}: line 4, column 'verdict' \\('stopped_early'\\): stopped_early, but "
                                        "no partner fought on more than 30 days longer \\(the longest: A, until "
                                        "1901-10-01\\). Write coalition_stopped_together"):
        _checks(efforts=path)
    # A called coalition_stopped_together: its partner B fought on to COW's end, 272 days longer
    path = _edit(tmp_path, TOY_EFFORTS, "efforts3.csv", lambda t: t.replace(
        "1901-10-01,272,stopped_early", "1901-10-01,272,coalition_stopped_together"))
    with pytest.raises(DataError, match=f"{path}: line 2, column 'verdict' \\('coalition_stopped_together'\\): "
                                        "coalition_stopped_together, but B fought on until 1902-06-30, 272 days "
                                        "longer. Write stopped_early and code the exit"):
        _checks(efforts=path)


@pytest.mark.parametrize("old, new, message", [
    ("1,1,10,1,A,1902-06-30,1901-10-01,272,", "1,1,10,1,A,1902-06-30,1901-10-01,270,",
     "line 2, column 'gap_days' \\('270'\\): not cow_end minus last_organised_effort in days"),
    ("2,2,60,1,F,1900-12-31,1901-03-05,-64,after_cow_end", "2,2,60,1,F,1900-12-31,1901-03-05,-64,fought_to_cow_end",
     "line 8, column 'verdict' \\('fought_to_cow_end'\\): disagrees with the gap"),
    # within 30 days either side of COW's end is fought_to_cow_end (the research's rule), not after_cow_end
    ("1,1,30,1,C,1901-01-31,1901-01-20,11,fought_to_cow_end", "1,1,30,1,C,1901-01-31,1901-02-05,-5,after_cow_end",
     "line 5, column 'verdict' \\('after_cow_end'\\): disagrees with the gap .*fought_to_cow_end: -30 to 30 days"),
    ("1,1,10,1,A,1902-06-30,1901-10-01,272,stopped_early", "1,1,10,1,A,1902-06-30,1901-10-01,272,fought_to_cow_end",
     "line 2, column 'verdict' \\('fought_to_cow_end'\\): disagrees with the gap \\(stopped_early or "
     "coalition_stopped_together: more than 30 days"),
    ("1,1,10,1,A,1902-06-30,1901-10-01,272,stopped_early,A fought as an organised force,toy,toy history",
     "1,1,10,1,A,1902-06-30,1901-10-01,272,stopped_early,A fought as an organised force,toy,",
     "line 2, column 'source_2'.*stopped early needs a second source"),
    ("1,2,40,1,D,1902-06-30,", "1,2,40,1,D,1902-07-30,",
     "line 7, column 'cow_end' \\('1902-07-30'\\): not the spell's COW end date \\(1902-06-30\\). Copy"),
    ("2,2,70,1,G,", "2,2,71,1,G,", "line 9, column 'spell'.*not a coalition member spell"),
])
def test_bad_member_effort_rows_name_file_line_and_fix(tmp_path, old, new, message):
    path = _edit(tmp_path, TOY_EFFORTS, "efforts.csv", lambda t: t.replace(old, new))
    assert new in path.read_text()
    with pytest.raises(DataError, match=f"{path}: {message}"):
        _checks(efforts=path, complete=False)


@pytest.mark.parametrize("old, new, message", [
    (",no,war_ending_defection,40,", ",yes,war_ending_defection,40,",
     "line 3, column 'partners_agreed' \\('yes'\\): a war_ending_defection is made without or against"),
    (",no,war_ending_defection,40,", ",no,war_ending_defection,,", "line 3, column 'member_ccode' \\(empty\\)"),
    (",na,conquest_or_collapse,,", ",na,conquest_or_collapse,60,", "line 4, column 'member_ccode'.*only a "
                                                                    "war_ending_defection names a member"),
    (",na,conquest_or_collapse,", ",na,lost,", "line 4, column 'verdict' \\('lost'\\): not a verdict"),
    ("2,2,Lone war,", "2,1,Lone war,", "line 4, column 'side'.*not a coalition side"),
    ("F was overrun,", ",", "line 4, column 'evidence' \\(empty\\): every row needs it"),
])
def test_bad_war_ending_rows_name_file_line_and_fix(tmp_path, old, new, message):
    path = _edit(tmp_path, TOY_ENDINGS, "endings.csv", lambda t: t.replace(old, new))
    with pytest.raises(DataError, match=f"{path}: {message}"):
        _checks(endings=path, complete=False)


def test_the_real_companion_files_cover_every_side_and_spell_and_agree_with_the_exit_file():
    """Every check, coverage included (complete=True), on the committed files: 44 coalition sides, 203 spells."""
    from replication.exhibits import war_endings

    assert war_endings.REQUIRE_COMPLETE  # make all stops on a side or spell without a row
    spells = create_coalition_spells(sources.read_interstate_war())
    exits = read_coalition_exits()
    endings, efforts = read_war_endings(), read_member_efforts()
    assert check_war_endings(endings, spells, exits, complete=True).empty
    assert check_member_efforts(efforts, spells, exits, complete=True).empty
    assert len(endings) == spells[["war_num", "side"]].drop_duplicates().shape[0] == 44
    assert len(efforts) == len(spells) == 203
    # the four war-ending defections, each matched by its exit row (the check above)
    named = endings.loc[endings.verdict == "war_ending_defection", ["war_num", "side", "member_ccode"]]
    assert named.to_numpy().tolist() == [[55, 1, 255], [55, 2, 300], [181, 2, 651]]  # France 1859: the alternative
    # every stopped_early spell, and only those, has its exit dated by the same last_organised_effort
    early = efforts[efforts.verdict == "stopped_early"].set_index(["war_num", "side", "ccode", "spell"])
    dated = exits[exits.last_organised_effort.notna()].set_index(["war_num", "side", "ccode", "spell"])
    assert len(early) == len(dated) == 12
    assert early["last_organised_effort"].sort_index().equals(dated["last_organised_effort"].sort_index())


def test_the_war_endings_exhibit_lists_missing_coverage_in_its_notes(tmp_path, monkeypatch):
    from replication.exhibits import war_endings

    authored = tmp_path / "authored"
    authored.mkdir()
    for name in ("coalition_exits.csv", "coalition_member_efforts.csv"):
        shutil.copyfile(PROJECT_ROOT / "data" / "raw" / name, authored / name)
    lines = (PROJECT_ROOT / "data" / "raw" / "coalition_war_endings.csv").read_text().splitlines()
    kept = [line for line in lines if not line.startswith("163,2,")]
    assert len(kept) == len(lines) - 1
    (authored / "coalition_war_endings.csv").write_text("\n".join(kept) + "\n")
    monkeypatch.setenv("REPLICATION_AUTHORED_DIR", str(authored))
    monkeypatch.setenv("REPLICATION_RESULTS_DIR", str(tmp_path / "results"))
    with pytest.raises(DataError, match="1 of 44 coalition sides have no row: war_num 163, side 2, war_name Vietnam "
                                        "War, Phase 2. Add one row"):
        war_endings.build()  # REQUIRE_COMPLETE: a side without a row stops the build
    monkeypatch.setattr(war_endings, "REQUIRE_COMPLETE", False)  # as for a file being filled
    war_endings.build()
    table = pd.read_csv(tmp_path / "results" / "tables" / "war_endings.csv")
    assert len(table) == 44 and table["researched"].sum() == len(kept) - 1 == 43
    vietnam = table[(table.war_num == 163) & (table.side == 2)].iloc[0]
    assert not vietnam["researched"] and vietnam["spells_checked"] == 7 and vietnam["stopped_early"] == 3
    gulf = table[table.war_num == 211].iloc[0]
    assert (gulf["spells_checked"], gulf["stopped_early"], gulf["stopped_together"]) == (13, 0, 12)
    notes = (tmp_path / "results" / "tables" / "war_endings.md").read_text()
    assert "INCOMPLETE" in notes and "war-ending row: 163 2." in notes
