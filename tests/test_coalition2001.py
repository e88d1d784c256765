"""The 2001 coalitions (issue 20): the authored contributor file, its readers, the coalition_2001 and
pooled panels, the losing rule, and the COW universe left as it was."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pytest

from replication.errors import DataError
from replication.panel import build_panel, is_defection
from replication.panel import coalition2001 as c2001
from replication.paths import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw"


def _quiet(fn, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fn(*args, **kwargs)


@pytest.fixture(scope="module")
def panel_2001():
    return _quiet(build_panel, universe="coalition_2001")


@pytest.fixture(scope="module")
def contributors():
    return c2001.read_contributors_2001()


def _row(panel, war, ccode, phase):
    sel = panel[(panel.war_num == war) & (panel.ccode == ccode) & (panel.phase == phase)]
    assert len(sel) == 1, (war, ccode, phase)
    return sel.iloc[0]


def test_withdrawal_the_leader_publicly_opposed_is_a_defection(panel_2001, contributors):
    """Spain, Iraq 2004: Zapatero's withdrawal, which Bush called 'regrettable' -- stood_aside, partners
    objected yes: a defection in the phase of the exit (2004-05-21), and not before."""
    spain = contributors[(contributors.war_num == 9002) & (contributors.ccode == 230)].iloc[0]
    assert (spain.exit_type, spain.partners_objected, spain.contested) == ("stood_aside", "yes", False)
    assert spain.exit_date == pd.Timestamp("2004-05-21")
    row = _row(panel_2001, 9002, 230, "2004")
    assert (row.defected, row.defected_broad, row.exit_early) == (1, 1, 1)
    assert _row(panel_2001, 9002, 230, "2003").defected == 0
    assert row.phase_end == pd.Timestamp("2004-05-21")


def test_withdrawal_at_the_end_of_the_mandate_is_a_coalition_settlement(panel_2001):
    """Contingents that left as the UN mandate expired (31 December 2008): coalition_settlement, which is
    neither a defection nor an early exit in any variant (South Korea, Czech Republic, Azerbaijan)."""
    for ccode, day in ((732, "2008-12-19"), (316, "2008-12-04"), (373, "2008-12-03")):
        row = _row(panel_2001, 9002, ccode, "2008")
        assert row.exit_type == "coalition_settlement" and row.exit_date == pd.Timestamp(day)
        assert (row.defected, row.defected_broad, row.exit_early) == (0, 0, 0)
    # the end of ISAF too: every member that stayed to 2014-12-31
    last = panel_2001[(panel_2001.war_num == 9001) & (panel_2001.phase == "2014")
                      & (panel_2001.exit_date == pd.Timestamp("2014-12-31")) & (panel_2001.ccode != 2)
                      & panel_2001.last_organised_effort.isna()]
    assert len(last) > 25 and last["exit_type"].eq("coalition_settlement").all()
    # an early exit only through a contested alternative that is itself a broad defection: the Netherlands,
    # whose Uruzgan withdrawal of 2010 against NATO's request is the alternative code
    assert (last["exit_early"] == last["defected_broad"]).all()
    assert last.loc[last["exit_early"] == 1, "ccode"].tolist() == [210]


def test_withdrawal_with_the_leaders_help_or_consent_is_not_a_defection(panel_2001):
    """Georgia, Iraq, August 2008: flown home by the US Air Force for the war with Russia; Poland, October
    2008: agreed with the allies. withdrew_with_partners: an early exit, never a defection."""
    for ccode in (372, 290):
        row = _row(panel_2001, 9002, ccode, "2008")
        assert (row.exit_type, row.partners_objected) == ("withdrew_with_partners", "no")
        assert (row.defected, row.defected_broad, row.exit_early) == (0, 0, 1)
    assert _row(panel_2001, 9002, 372, "2008").exit_date == pd.Timestamp("2008-08-11")


def test_entry_after_the_invasion_starts_the_members_first_phase(contributors):
    """Hungary joined Iraq with a transport battalion in August 2003 (month known): its first phase starts on
    2003-08-01, in the year scheme (2003) and in the custom scheme (after the end of major combat, P3)."""
    hungary = contributors[(contributors.war_num == 9002) & (contributors.ccode == 310)].iloc[0]
    assert hungary.entry_date == pd.Timestamp("2003-08-01") and hungary.entry_date_precision == "month"
    for scheme, phase in (("year", "2003"), ("custom", "P3")):
        panel = _quiet(build_panel, scheme, universe="coalition_2001")
        rows = panel[(panel.war_num == 9002) & (panel.ccode == 310)].sort_values("phase_start")
        first = rows.iloc[0]
        assert (first.phase, first.phase_index, first.phase_start) == (phase, 1, pd.Timestamp("2003-08-01"))
        assert first.years_since_entry == 0
    # Spain's entry is known to the day (the Umm Qasr task group, 2003-04-09, the second reading)
    spain = contributors[(contributors.war_num == 9002) & (contributors.ccode == 230)].iloc[0]
    assert (spain.entry_date, spain.entry_date_precision) == (pd.Timestamp("2003-04-09"), "day")


def test_a_cut_that_did_not_stop_the_fighting_is_not_an_exit(panel_2001):
    """The Netherlands in Afghanistan: the combat task force left Uruzgan on 2010-08-01 against NATO's formal
    request, but Dutch F-16s flew armed missions over Afghanistan until June 2014 (the second reading), so the
    primary code is the coalition's settlement at ISAF's end; the 2010 withdrawal is the contested alternative
    (stood_aside, yes), counted in the broad variant in 2014, not a primary defection."""
    nl = panel_2001[(panel_2001.war_num == 9001) & (panel_2001.ccode == 210)].set_index("phase")
    assert nl["defected"].sum() == 0 and not nl["after_exit"].any()
    assert (nl.loc["2014", "exit_type"], nl.loc["2014", "partners_objected"]) == ("coalition_settlement", "no")
    assert nl.loc["2014", "contested"] and (nl.loc["2014", "alt_exit_type"], nl.loc["2014", "alt_partners_objected"]) \
        == ("stood_aside", "yes")
    assert nl["defected_broad"].sum() == 1


def test_every_exit_follows_the_written_rule(contributors):
    """The file's codes against the rule: abandonment only with an objection (yes or unclear), consented
    exits with none, the leader's war_end with na; the primary defections are the ones the notes list."""
    abandon = contributors.exit_type.isin(["stood_aside", "separate_peace", "separate_peace_ending_war"])
    assert contributors.loc[abandon, "partners_objected"].isin(["yes", "unclear"]).all()
    assert contributors.loc[contributors.exit_type.isin(c2001.CONSENTED), "partners_objected"].eq("no").all()
    defections = contributors[is_defection(contributors.exit_type, contributors.partners_objected)]
    # after the second reading: the Netherlands (Afghanistan) is a coalition settlement, Japan's ships are not a
    # member (outside Afghanistan), Hungary (Iraq 2004) left over the Iraqi government's request to stay
    assert sorted(zip(defections.war_num, defections.state_name)) == [
        (9001, "South Korea"), (9002, "Hungary"), (9002, "Netherlands"), (9002, "Philippines"), (9002, "Spain")]
    assert contributors.groupby("war_num").size().to_dict() == {9001: 45, 9002: 36}


def test_losing_by_hand_against_the_series(panel_2001):
    """losing = the coalition's deaths rose from the previous calendar year (Afghanistan: all members; Iraq:
    the leader's, the only verified series), False in each war's first year; never NA."""
    series = pd.read_csv(RAW / c2001.SERIES_FILE)
    assert panel_2001["losing"].notna().all()
    for war, column in ((9001, "fatalities_coalition"), (9002, "fatalities_us")):
        counts = series[series.war_num == war].set_index("year")[column]
        by_hand = {str(y): (y > counts.index.min() and counts[y] > counts[y - 1]) for y in counts.index}
        panel = panel_2001[panel_2001.war_num == war].groupby("phase")["losing"].first()
        assert panel.to_dict() == by_hand
    # the numbers themselves: Afghanistan rose every year 2004-2010, fell 2011-2014; Iraq rose in 2004 and 2007
    afg = panel_2001[panel_2001.war_num == 9001].groupby("phase")["losing"].first()
    assert [p for p, v in afg.items() if v] == ["2002", "2004", "2005", "2006", "2007", "2008", "2009", "2010"]
    irq = panel_2001[panel_2001.war_num == 9002].groupby("phase")["losing"].first()
    assert [p for p, v in irq.items() if v] == ["2004", "2007"]


def test_fatality_rate_of_a_custom_phase_by_hand():
    """Afghanistan's second custom phase (Kabul's fall 2001-11-13 to NATO's command 2003-08-10): the 2001
    deaths over the 49 of its 86 days at war, all of 2002, and 2003's over 222 of 365 days, per day."""
    panel = _quiet(build_panel, "custom", universe="coalition_2001")
    p2 = panel[(panel.war_num == 9001) & (panel.phase == "P2")].iloc[0]
    by_hand = (12 * 49 / 86 + 70 + 58 * 222 / 365) / (49 + 365 + 222)
    assert p2.fatality_rate == pytest.approx(by_hand, rel=1e-12)
    p1 = panel[(panel.war_num == 9001) & (panel.phase == "P1")].iloc[0]
    assert p2.fatality_trend == pytest.approx(by_hand - 12 / 86, rel=1e-12) and not p1.losing


def test_capability_ratio_is_undefined_and_symmetry_varies(panel_2001):
    """A non-state adversary has no COW capability: the ratio, the enemy's CINC and the conditions built on
    them are NA. The US holds less than half of the contributors' CINC in most phases (so symmetric is
    measured and varies), and favourable needs both measurable conditions."""
    for col in ("enemy_cinc", "capability_ratio", "capability_trend", "outmatched", "external_gt_internal",
                "common_adversary", "principal_enemy"):
        assert panel_2001[col].isna().all(), col
    assert panel_2001.loc[~panel_2001.partnerless.astype(bool), "coalition_leader"].eq(2).all()
    shares = panel_2001.groupby(["war_num", "phase"])["leader_share"].first()
    assert shares.min() < 0.45 < 0.9 < shares.max()
    assert panel_2001["symmetric"].nunique() == 2
    fav = panel_2001["systemic_favorable"].dropna().astype(bool)
    both = (panel_2001["losing"].astype(bool) & panel_2001["symmetric"].astype(bool))[fav.index]
    assert fav.equals(both)
    us = panel_2001[(panel_2001.ccode == 2) & (panel_2001.war_num == 9002) & (panel_2001.phase == "2010")].iloc[0]
    assert us.power_share == pytest.approx(us.leader_share) and us.leader_share > 0.9


def test_universe_column_and_pooled_invariants(panel):
    """Every panel says its universe; the pooled panel is the two stacked, its keys unique, power shares
    summing to 1 within every coalition-phase (the schema checks it on build), and its COW rows are the
    default panel's."""
    pooled = _quiet(build_panel, universe="pooled")
    new = _quiet(build_panel, universe="coalition_2001")
    assert panel["universe"].eq("cow_interstate").all() and new["universe"].eq("coalition_2001").all()
    assert len(pooled) == len(panel) + len(new)
    assert not pooled.duplicated(["war_num", "side", "ccode", "phase"]).any()
    sums = pooled.groupby(["universe", "war_num", "side", "phase"])["power_share"].sum()
    assert np.allclose(sums, 1.0)
    cow = pooled[pooled.universe == "cow_interstate"].reset_index(drop=True)
    pd.testing.assert_frame_equal(cow, panel.reset_index(drop=True), check_like=False)
    assert (pooled.groupby(["war_num", "side", "phase"])["ccode"].transform("nunique")
            == pooled["n_members_phase"]).all()
    alone = pooled[pooled.n_members_phase == 1]
    assert alone["partnerless"].all()
    assert set(pooled.loc[pooled.universe == "coalition_2001", "nmc_version"]) == {"7.0"}
    with pytest.raises(ValueError, match="universe must be one of"):
        build_panel(universe="2001")


def test_the_cow_universe_is_the_same_without_the_2001_files(panel, tmp_path, monkeypatch):
    """The default panel does not read the 2001 files: built from an authored folder without them, it is
    the same frame."""
    folder = tmp_path / "authored"
    folder.mkdir()
    for path in RAW.iterdir():
        if path.is_file() and path.name not in c2001.FILES and (path.suffix in (".csv", ".toml", ".md")):
            shutil.copy(path, folder / path.name)
    assert not any((folder / name).exists() for name in c2001.FILES)
    monkeypatch.setenv("REPLICATION_AUTHORED_DIR", str(folder))
    without = _quiet(build_panel)
    pd.testing.assert_frame_equal(without, panel)
    with pytest.raises(DataError, match="coalition_contributors_2001.csv is missing"):
        _quiet(build_panel, universe="coalition_2001")


def test_elections_are_true_where_listed_and_never_false(panel_2001):
    spain = _row(panel_2001, 9002, 230, "2004")
    assert spain.election_in_phase is True or spain.election_in_phase == True  # noqa: E712 (pandas boolean)
    assert panel_2001["election_in_phase"].dropna().all()
    assert pd.isna(_row(panel_2001, 9001, 255, "2005").election_in_phase)  # Germany: not examined


def _contributors_with(tmp_path, edit) -> str:
    frame = pd.read_csv(RAW / c2001.CONTRIBUTORS_FILE, dtype=str, keep_default_na=False)
    edit(frame)
    path = tmp_path / c2001.CONTRIBUTORS_FILE
    frame.to_csv(path, index=False)
    return str(path)


def _set(war, ccode, which=1, **values):
    def edit(frame):
        m = (frame.war_num == str(war)) & (frame.ccode == str(ccode)) & (frame.spell == str(which))
        assert m.sum() == 1
        for k, v in values.items():
            frame.loc[m, k] = v
    return edit


SPAIN = dict(war=9002, ccode=230)


@pytest.mark.parametrize("edit, column, message", [
    (_set(**SPAIN, exit_type="retreated"), "exit_type", "not an exit type"),
    (_set(**SPAIN, partners_objected="no"), "partners_objected", "not abandonment"),
    (_set(9002, 290, exit_type="withdrew_with_partners", partners_objected="yes"), "partners_objected",
     "carries no objection"),
    (_set(**SPAIN, war_num="9003"), "war_num", "not one of the 2001 coalitions' wars"),
    (_set(**SPAIN, entry_date="2003-02-01"), "entry_date", "outside the war's dates"),
    (_set(**SPAIN, exit_date="2004-05-20", exit_date_precision="month"), "exit_date", "month's last day"),
    (_set(9002, 310, entry_date="2003-08-05"), "entry_date", "month's first day"),
    (_set(**SPAIN, peak_troops="40"), "peak_troops", "inclusion threshold"),
    (_set(**SPAIN, source_2=""), "source_2", "two sources"),
    (_set(**SPAIN, contested="true", alt_exit_type=""), "alt_exit_type", "needs alt_exit_type"),
    (_set(**SPAIN, last_organised_effort="2004-05-01"), "last_organised_effort", "not more than 30 days"),
    (_set(**SPAIN, exit_date="2003-04-08"), "exit_date", "before the entry date"),
    (_set(9001, 732, 2, spell="3"), "spell", "numbered 1, 2"),
    (_set(9001, 732, 2, entry_date="2007-12-01", entry_date_precision="month"), "entry_date",
     "before the state's previous spell ended"),
])
def test_bad_contributor_rows_are_data_errors(tmp_path, edit, column, message):
    path = _contributors_with(tmp_path, edit)
    with pytest.raises(DataError) as err:
        c2001.read_contributors_2001(path)
    text = str(err.value)
    assert path in text and f"column '{column}'" in text and message in text and "line " in text


def test_bad_series_and_turning_points_are_data_errors(tmp_path):
    series = pd.read_csv(RAW / c2001.SERIES_FILE, dtype=str, keep_default_na=False)
    gap = series[~((series.war_num == "9002") & (series.year == "2006"))]
    gap.to_csv(tmp_path / "gap.csv", index=False)
    with pytest.raises(DataError, match=r"war 9002 lacks the year\(s\) \[2006\]"):
        c2001.read_series_2001(tmp_path / "gap.csv")
    blank = series.copy()
    blank.loc[blank.year == "2005", "fatalities_us"] = ""
    blank.to_csv(tmp_path / "blank.csv", index=False)
    with pytest.raises(DataError, match="line .*column 'measure'.*the measured column is empty"):
        c2001.read_series_2001(tmp_path / "blank.csv")
    tp = pd.read_csv(RAW / c2001.TURNING_POINTS_FILE, dtype=str, keep_default_na=False)
    tp.loc[0, "date"] = "2015-01-01"
    tp.to_csv(tmp_path / "tp.csv", index=False)
    with pytest.raises(DataError, match="line 2.*not inside the war"):
        c2001.read_turning_points_2001(tmp_path / "tp.csv")


def test_a_state_cannot_be_member_and_excluded(contributors):
    excluded = c2001.read_excluded_2001()
    assert not excluded.merge(contributors[["war_num", "ccode"]], on=["war_num", "ccode"]).shape[0]
    fake = pd.concat([excluded, excluded.head(1).assign(war_num=9002, ccode=230, state_name="Spain")])
    with pytest.raises(DataError, match="also a member"):
        c2001.check_excluded_against_members(fake, contributors)


def test_democracy_share_by_universe(panel_2001, panel):
    pooled = pd.concat([panel, panel_2001], ignore_index=True)
    table = c2001.democracy_share(pooled)
    polity = table[table.measure.str.startswith("Polity")].set_index("universe")
    known = panel_2001["democracy"].dropna().astype(bool)
    assert polity.loc["coalition_2001", "share"] == pytest.approx(known.mean())
    assert polity.loc["coalition_2001", "share"] > 0.8 > polity.loc["cow_interstate", "share"]


def test_readme_states_the_us_share_as_the_panel_has_it(panel_2001):
    """The README's typed range of the US share of the contributors' CINC (why symmetric varies)."""
    text = " ".join((PROJECT_ROOT / "README.md").read_text().split())
    share = panel_2001.groupby(["war_num", "phase"])["leader_share"].first()
    afg = share.loc[9001].drop("2001")
    irq = share.loc[9002]
    assert (f"it holds {round(100 * afg.min())}-{round(100 * afg.max())}% in Afghanistan after 2001 and "
            f"{round(100 * irq.min())}-{round(100 * irq.max())}% in Iraq") in text
    contributors = c2001.read_contributors_2001()
    assert f"({len(contributors)} member spells of {contributors[contributors.war_num == 9001].ccode.nunique()} and " \
           f"{contributors[contributors.war_num == 9002].ccode.nunique()} states;" in text


def test_papers_cases_are_cross_referenced_to_contributor_rows():
    """Resnick (2015): Pakistan (2001) and Turkey (Iraq 2003) are not members, each with the excluded file's
    reason; Poland and Mongolia are, with their rows' codes; NATO maps to its members' rows. Resnick (2013)'s
    premature defections map to the file's defections."""
    from replication.exhibits.coalition_2001_cases import cases_table

    t = cases_table().set_index("case")
    assert t.loc["PAK-2001", "member"] == "no" and "granted overflight" in t.loc["PAK-2001", "note"]
    assert t.loc["IRQ-2003-TUR", "member"] == "no" and "Never deployed a unit" in t.loc["IRQ-2003-TUR", "note"]
    assert t.loc["IRQ-2003-POL", "member"] == "yes" and "withdrew_with_partners" in t.loc["IRQ-2003-POL", "contributor_rows"]
    assert t.loc["IRQ-2003-MNG", "defected"] == 0 and t.loc["IRQ-2003-MNG", "defected_broad"] == 1
    nato = t.loc["NATO-AFG-2001"]
    assert nato["member"] == "as states" and "United Kingdom (from 2001-10)" in nato["contributor_rows"]
    assert nato["defected"] == 0  # the Netherlands' 2010 cut is only the alternative (its F-16s fought on)
    resnick2013 = t.loc["premature alliance defections"]
    assert resnick2013["defected"].sum() == 5
    assert "Spain 2004-05: stood_aside/yes (primary)" in resnick2013.set_index("war_num").loc[9002, "contributor_rows"]


def test_timeline_marks_each_spell_by_the_rule():
    from replication.exhibits.fig_coalition_2001_timeline import timeline_frame

    frame = timeline_frame()
    assert len(frame) == 81 and frame["kind"].eq("defection").sum() == 5
    assert set(frame.loc[frame["kind"] == "defection", "state_name"]) == {
        "Spain", "Philippines", "Netherlands", "South Korea", "Hungary"}
    assert ((frame["peak_day"] >= frame["entry_date"]) & (frame["peak_day"] <= frame["exit_date"])).all()


def test_universes_paragraph_reads_every_number_from_the_table():
    """The README's paragraph on the 2001 coalitions is made from table5_universes: change a number in the
    table and the text changes with it."""
    from replication.models.paragraph import universes_paragraph

    rows = []
    quantities = ["estimation sample: state-phases", "estimation sample: defections",
                  "share of democracies, estimation sample (Polity5)", "clusters", "clusters with a defection",
                  "democracies, unfavourable conditions", "Firth logit, defeat unites (primary)",
                  "Firth logit, defeat divides", "penalised hazard, defeat unites (primary)",
                  "defeat unites (primary): MDE, 80% power (one-sided)",
                  "defeat unites (primary): NCR3 (second difference > 0)",
                  "defeat unites (primary): size at 0 (one-sided)"]
    for i, u in enumerate(("cow_interstate", "coalition_2001", "pooled")):
        for j, q in enumerate(quantities):
            value = 0.11 * (i + 1) + 0.001 * j
            rows.append({"universe": u, "block": "", "quantity": q, "value": value, "text": f"<{u}|{j}>"})
    text = universes_paragraph(pd.DataFrame(rows))
    assert all(f"<coalition_2001|{j}>" in text for j in (0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11))
    assert all(f"<pooled|{j}>" in text for j in (5, 6, 9, 10)) and all(f"<cow_interstate|{j}>" in text for j in (5, 6, 9))
    assert "22% of the state-phases are democracies (COW wars: 11%)" in text
