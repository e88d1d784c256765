"""Resnick (2013) replication: published numbers, hand-computed cases and identities."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from replication import paths
from replication.errors import DataError, SchemaValidationError
from replication.grand_alliance import casefile, sensitivity, smalln, systemic, table1, theories, verdict
from replication.power import cinc_from_components, power_shares
from replication.sources import read_nmc
from replication.sources.nmc import COMPONENTS

# --------------------------------------------------------------------------- Table 1


@pytest.fixture(scope="module")
def t1():
    return table1.reproduce()


def test_table1_default_within_one_point_of_published(t1):
    sel = t1[(t1.method == table1.DEFAULT_METHOD) & (t1.nmc_version == table1.DEFAULT_VERSION)]
    assert len(sel) == 12
    published = {("UKG", 1942): 19, ("UKG", 1943): 16, ("UKG", 1944): 16, ("UKG", 1945): 15,
                 ("RUS", 1942): 23, ("RUS", 1943): 19, ("RUS", 1944): 18, ("RUS", 1945): 20,
                 ("USA", 1942): 58, ("USA", 1943): 64, ("USA", 1944): 66, ("USA", 1945): 65}
    for row in sel.itertuples():
        assert row.published_pct == published[(row.state, row.year)]
        assert abs(row.share_pct - row.published_pct) <= 1.0, row
    assert sel["diff_pp"].abs().max() == pytest.approx(0.5014, abs=1e-3)  # USA 1943: 64.50 vs 64


def test_table1_component_reading_does_not_reproduce(t1):
    sel = t1[(t1.method == "components") & (t1.nmc_version == "4.0")]
    assert sel["diff_pp"].abs().max() > 5  # USSR 1945: 25.6 vs 20


def test_table1_shares_sum_to_100(t1):
    sums = t1.groupby(["method", "nmc_version", "year"])["share_pct"].sum()
    assert np.allclose(sums, 100.0)


def test_table1_long_columns(t1):
    assert list(t1.columns) == ["state", "year", "nmc_version", "method", "share_pct", "published_pct", "diff_pp"]
    assert len(t1) == 3 * 4 * 4 * 2


# --------------------------------------------------------------------------- power shares


def _toy_nmc(rows):
    df = pd.DataFrame(rows)
    for c in COMPONENTS + ["cinc"]:
        df[c] = df[c].astype("Float64")
    df["ccode"] = df["ccode"].astype("Int64")
    df["year"] = df["year"].astype("Int64")
    df["nmc_version"] = "toy"
    return df


def _row(ccode, cinc, **comp):
    base = dict.fromkeys(COMPONENTS, 1.0)
    base.update(comp)
    return {"ccode": ccode, "year": 1900, "cinc": cinc, **base}


def test_power_shares_hand_computed():
    nmc = _toy_nmc([_row(1, 0.1, milex=1.0), _row(2, 0.3, milex=3.0)])
    a = power_shares(nmc, [1, 2], [1900], "cinc")
    assert a["share"].tolist() == pytest.approx([0.25, 0.75])
    b = power_shares(nmc, [1, 2], [1900], "components")
    # milex shares 1/4 and 3/4; the other five components split evenly.
    assert b["share"].tolist() == pytest.approx([(0.25 + 5 * 0.5) / 6, (0.75 + 5 * 0.5) / 6])


@pytest.mark.parametrize("component", COMPONENTS)
def test_component_reading_invariant_to_rescaling(component):
    nmc = read_nmc("4.0")
    base = power_shares(nmc, [2, 200, 365], range(1942, 1946), "components")
    scaled = nmc.copy()
    scaled[component] = scaled[component] * 1000  # e.g. a currency or unit change
    again = power_shares(scaled, [2, 200, 365], range(1942, 1946), "components")
    assert np.allclose(base["share"].astype(float), again["share"].astype(float))


def test_cinc_recomputed_from_components_matches_and_is_scale_invariant():
    nmc = read_nmc("5.0")
    recomputed = cinc_from_components(nmc)
    complete = nmc[COMPONENTS].notna().all(axis=1) & nmc["cinc"].notna()
    # identity: CINC is the mean of system shares; v5 prints 7 significant digits
    assert np.allclose(recomputed[complete], nmc.loc[complete, "cinc"].astype(float), rtol=1e-4, atol=1e-6)
    scaled = nmc.copy()
    scaled["milex"] = scaled["milex"] * 4.03  # pounds to dollars, say
    assert np.allclose(cinc_from_components(scaled), recomputed, equal_nan=True)


def test_power_shares_missing_is_na_not_zero():
    nmc = _toy_nmc([_row(1, 0.1), _row(2, None)])
    with pytest.warns(UserWarning, match="lacks cinc"):
        out = power_shares(nmc, [1, 2], [1900], "cinc")
    assert out["share"].isna().all()


def test_power_shares_outside_coverage_warns_and_is_na():
    nmc = read_nmc("4.0")
    with pytest.warns(UserWarning, match="covers 1816-2007"):
        out = power_shares(nmc, [2, 200], [2007, 2010], "cinc")
    assert out.loc[out.year == 2010, "share"].isna().all()
    assert out.loc[out.year == 2007, "share"].notna().all()


# --------------------------------------------------------------------------- theories and Table 2


@pytest.mark.parametrize("dem,fav,nr,lib,ncr", [
    (True, True, "maximize", "maximize", "maximize"),
    (True, False, "minimize", "maximize", "minimize"),
    (False, True, "maximize", "minimize", "minimize"),
    (False, False, "minimize", "minimize", "minimize"),
])
def test_theory_functions(dem, fav, nr, lib, ncr):
    assert theories.neorealism(dem, fav) == nr
    assert theories.liberalism(dem, fav) == lib
    assert theories.neoclassical_realism(dem, fav) == ncr


def test_systemic_favorable_rules():
    assert theories.systemic_favorable(True, True, True, True) is True
    assert theories.systemic_favorable(True, True, True, False) is False
    assert theories.systemic_favorable(True, True, True, False, rule="majority") is True
    with pytest.raises(ValueError):
        theories.systemic_favorable(True, True, True, True, rule="some")


@pytest.fixture(scope="module")
def cases():
    return casefile.load_cases()


def test_congruence_on_derived_verdicts_reproduces_published_scores(cases):
    # observed is derived from the three indicators, not the paper's verdict, so 6/5/4 is not built in
    # (test_changing_indicators_in_a_copy... shows the scores move when the indicators do)
    table = theories.congruence(cases)
    assert theories.scores(table) == {"neoclassical realism": 6, "neorealism": 5, "liberalism": 4}
    # the anomalies the paper names
    wrong = table[(table.correct == 0) & (table.state != "ALL")]
    assert set(zip(wrong.theory, wrong.state, wrong.phase)) == {
        ("neorealism", "RUS", "I"), ("liberalism", "USA", "II"), ("liberalism", "UKG", "II")}
    # the paper's verdicts as stated in the text (US and UK maximized in phase I, everyone else minimized)
    assert cases["paper_observed"].tolist() == ["maximize", "maximize", "minimize", "minimize", "minimize", "minimize"]
    assert cases["n_high"].tolist() == [3, 3, 0, 0, 0, 0]  # UKG II is low/low/mixed
    assert int(cases["differs_from_paper"].sum()) == 0


@pytest.mark.parametrize("indicators,expected", [
    (("high", "high", "high"), "maximize"), (("high", "high", "low"), "maximize"),
    (("low", "high", "mixed"), "minimize"), (("mixed", "mixed", "mixed"), "minimize"),
    (("high", "mixed", "high"), "maximize"), (("low", "low", "low"), "minimize"),
])
def test_verdict_rule_truth_table(indicators, expected):
    assert verdict.derive_verdict(*indicators) == expected


def _set_value(text: str, prefix: str, new: str) -> str:
    lines = text.splitlines(keepends=True)
    hits = [i for i, line in enumerate(lines) if line.startswith(prefix)]
    assert len(hits) == 1, prefix
    head, rest = lines[hits[0]][len(prefix):].split(",", 1)
    lines[hits[0]] = f"{prefix}{new},{rest}"
    return "".join(lines)


def test_changing_indicators_in_a_copy_moves_verdict_and_scores_as_the_rule_says(tmp_path):
    """Britain, phase II, is coded low/low/mixed (minimize). One indicator to high leaves one high of
    three: still minimize, scores unchanged. A second to high makes two of three: maximize, and the scores
    move as the theories' predictions for Britain in phase II say (NR and NCR predict minimize, liberalism
    maximize): NCR 6 -> 5, NR 5 -> 4, liberalism 4 -> 5."""
    src = (paths.authored_dir() / casefile.CASE_FILE).read_text()
    one = _set_value(src, "UKG,200,II,war_aims_overlap,", "high")
    (tmp_path / "one.csv").write_text(one)
    cases1 = casefile.load_cases(tmp_path / "one.csv").set_index(["state", "phase"])
    assert cases1.loc[("UKG", "II"), "n_high"] == 1
    assert cases1.loc[("UKG", "II"), "observed"] == "minimize"
    assert theories.scores(theories.congruence(cases1.reset_index())) == {
        "neoclassical realism": 6, "neorealism": 5, "liberalism": 4}

    two = _set_value(one, "UKG,200,II,resource_sharing,", "high")
    (tmp_path / "two.csv").write_text(two)
    cases2 = casefile.load_cases(tmp_path / "two.csv")
    row = cases2.set_index(["state", "phase"]).loc[("UKG", "II")]
    assert row["n_high"] == 2 and row["observed"] == "maximize"
    assert row["paper_observed"] == "minimize" and bool(row["differs_from_paper"])
    table = theories.congruence(cases2)
    assert theories.scores(table) == {"neoclassical realism": 5, "neorealism": 4, "liberalism": 5}
    totals = table[table.state == "ALL"].set_index("theory")
    assert totals["observed_differs"].tolist() == [1, 1, 1]
    # the paper's verdict still gives the published scores
    assert totals["correct_vs_paper"].to_dict() == {"neorealism": 5, "liberalism": 4, "neoclassical realism": 6}


def test_one_flip_sensitivity(cases):
    flips = sensitivity.one_flip(casefile.read_case_file())
    assert len(flips) == 18
    assert set(zip(flips.state, flips.phase, flips.indicator)) == {
        (s, p, i) for s in ("USA", "UKG", "RUS") for p in ("I", "II") for i in verdict.INDICATORS}
    # every state-phase's indicators are unanimous or low/low/mixed, so one flip never reaches two of three
    assert not flips["verdict_changes"].any() and not flips["scores_change"].any()
    assert flips.loc[(flips.state == "UKG") & (flips.phase == "II") & (flips.indicator == "resource_sharing"),
                     "flipped_to"].item() == "high"
    rev = sensitivity.reversals(cases).set_index(["state", "phase"])
    assert rev["changes_needed"].eq(2).all()
    # reversing the USSR's phase I verdict removes neorealism's one anomaly and adds one for NCR and liberalism
    assert rev.loc[("RUS", "I"), ["neoclassical realism", "neorealism", "liberalism"]].tolist() == [5, 6, 3]
    assert verdict.changes_needed(("high", "low", "low")) == 1


def test_systemic_conditions_from_nmc(cases):
    from replication.sources import read_interstate_war

    war, nmc = read_interstate_war(), read_nmc("4.0")
    ratios = systemic.capability_ratios(war, nmc).set_index("period")
    # by hand, NMC v4.0 CINC in 1942: Allies at war during phase I (US, UK, USSR, China, Canada, Australia,
    # New Zealand, South Africa, and Italy from October 1943) against the Axis (Germany, Italy, Japan,
    # Romania, Hungary, Finland, Bulgaria)
    c = nmc[nmc.year == 1942].set_index("ccode")["cinc"].astype(float)
    allies = c[[2, 200, 365, 710, 20, 900, 920, 560, 325]].sum()
    axis = c[[255, 325, 740, 360, 310, 375, 355]].sum()
    assert ratios.loc["I", "capability_ratio"] == pytest.approx(allies / (allies + axis), rel=1e-9)
    assert ratios.loc["I", "trend"] > 0 and ratios.loc["II", "trend"] > 0  # the ratio rose in both phases
    m = systemic.measured_conditions(cases, war, nmc)
    assert m["measured"].notna().sum() == 12
    differ = m[m["differs"].fillna(False)]
    assert set(zip(differ.phase, differ.condition)) == {("I", "losing"), ("I", "power_symmetric")}
    assert len(differ) == 6 and differ["paper_reason"].str.contains("n. ").all()
    # symmetry: the US share of Table 1 (58% published for 1942) is above one half
    assert m.loc[(m.phase == "I") & (m.condition == "power_symmetric"), "measure"].str.contains("USA 0.58").all()
    scores = theories.scores(theories.congruence(systemic.with_measured_conditions(cases, m)))
    assert scores == {"neoclassical realism": 4, "neorealism": 4, "liberalism": 4}


def test_case_file_every_value_has_evidence(cases):
    long = casefile.read_case_file()
    assert len(long) == 6 * len(casefile.CODES)
    assert long["evidence"].str.len().min() >= 10
    assert long["source"].str.contains(r"n\.|Phase|Predictions", regex=True).all()
    assert cases["democracy"].tolist() == [True, True, False, True, True, False]
    assert cases["maximized"].tolist() == [True, True, False, False, False, False]


def test_resource_evidence_figures():
    r = casefile.read_resources()
    lend_lease = r[(r.donor == "USA") & (r.recipient == "UKG")].set_index("period")["amount"]
    assert lend_lease["1942"] == pytest.approx(4.757) and lend_lease["1944"] == pytest.approx(10.706)
    assert r.loc[(r.donor == "USA") & (r.recipient == "RUS"), "amount"].item() == pytest.approx(7.88)
    assert r.loc[r.period == "1941-10 to 1944-07", "amount"].item() == 281
    assert r["unit"].notna().all() and r["source"].str.contains("n. ").all()


def test_bad_case_file_is_reported(tmp_path):
    src = (paths.authored_dir() / casefile.CASE_FILE).read_text()
    bad = tmp_path / "cases.csv"
    bad.write_text(src.replace("USA,2,I,paper_observed,maximize", "USA,2,I,paper_observed,maximise"))
    with pytest.raises(SchemaValidationError, match="cases.csv"):
        casefile.read_case_file(bad)
    short = tmp_path / "short.csv"
    short.write_text("\n".join(line for line in src.splitlines() if not line.startswith("RUS,365,II,losing")))
    with pytest.raises(DataError, match=r"\('RUS', 'II'\)"):
        casefile.read_case_file(short)


# --------------------------------------------------------------------------- small-N inference


def test_permutation_p_values_hand_computed(cases):
    perm = smalln.permutation_tests(cases).set_index("theory")
    # 2 "maximize" among 6 cases: C(6,2) = 15 equally likely placements.
    # NCR predicts exactly the observed pattern: 1/15. Neorealism needs both maxima in its
    # 3 predicted-max slots: C(3,2)/15. Liberalism needs both in its 4 slots: C(4,2)/15.
    assert Fraction(perm.loc["neoclassical realism", "p_exact"]).limit_denominator(100) == Fraction(1, 15)
    assert Fraction(perm.loc["neorealism", "p_exact"]).limit_denominator(100) == Fraction(3, 15)
    assert Fraction(perm.loc["liberalism", "p_exact"]).limit_denominator(100) == Fraction(6, 15)
    assert perm["n_permutations"].eq(720).all()


def test_firth_saturated_identity_and_separation(cases):
    assert smalln.separation(cases)["separation"] is True
    coefs, cells = smalln.firth_logit(cases)
    expected = (cells["n_maximize"] + 0.5) / (cells["n_cases"] + 1)
    assert np.allclose(cells["p_maximize_firth"], expected, atol=1e-6)
    assert smalln.second_difference(cells) == pytest.approx(2 / 3, abs=1e-6)
    assert np.isfinite(coefs["estimate"]).all()


# --------------------------------------------------------------------------- exhibits


@pytest.mark.parametrize("program,outputs", [
    ("table1_power_shares.py", ["tables/table1_power_shares.csv", "tables/table1_power_shares.tex"]),
    ("table2_congruence.py", ["tables/table2_congruence.csv", "tables/table2_congruence.md"]),
])
def test_exhibits_are_byte_identical_across_runs(program, outputs, tmp_path):
    def run(dest):
        env = {**os.environ, "REPLICATION_RESULTS_DIR": str(dest)}
        subprocess.run([sys.executable, str(paths.PROJECT_ROOT / "analysis" / program)], check=True, env=env,
                       capture_output=True)
        return [hashlib.sha256((dest / o).read_bytes()).hexdigest() for o in outputs]

    assert run(tmp_path / "a") == run(tmp_path / "b")


def test_table2_csv_has_published_totals(tmp_path):
    env = {**os.environ, "REPLICATION_RESULTS_DIR": str(tmp_path)}
    subprocess.run([sys.executable, str(paths.PROJECT_ROOT / "analysis" / "table2_congruence.py")], check=True,
                   env=env, capture_output=True)
    csv = pd.read_csv(tmp_path / "tables" / "table2_congruence.csv")
    assert list(csv.columns[:9]) == ["theory", "state", "phase", "predicted", "observed", "paper_observed",
                                     "observed_differs", "correct", "correct_vs_paper"]
    totals = csv[csv.state == "ALL"].set_index("theory")
    assert totals["correct"].to_dict() == {"neorealism": 5, "liberalism": 4, "neoclassical realism": 6}
    assert totals["observed_differs"].eq(0).all()
    verdicts = pd.read_csv(tmp_path / "tables" / "table2_verdicts.csv")
    assert verdicts.loc[verdicts.state == "ALL", "differs_from_paper"].item() == 0




def test_readme_states_the_computed_deviation(t1):
    """The README's sentence about Table 1 must match what the code computes."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text()
    dev = table1.deviations(t1).set_index(["method", "nmc_version"])
    default = dev.loc[(table1.DEFAULT_METHOD, table1.DEFAULT_VERSION), "max_abs_diff_pp"]
    other = dev.loc[("components", table1.DEFAULT_VERSION), "max_abs_diff_pp"]
    assert f"**{default:.2f} percentage points**" in readme
    assert f"(largest deviation {other:.2f} pp)" in readme


def test_readme_states_the_computed_table2_results(cases):
    """The README's Table 2 sentences must match what the code computes."""
    from replication.sources import read_interstate_war

    readme = " ".join((paths.PROJECT_ROOT / "README.md").read_text().split())
    war, nmc = read_interstate_war(), read_nmc("4.0")
    r = systemic.capability_ratios(war, nmc).set_index("period")["capability_ratio"]
    m = systemic.measured_conditions(cases, war, nmc)
    measured_scores = set(theories.scores(theories.congruence(systemic.with_measured_conditions(cases, m))).values())
    shares = systemic.allied_shares(nmc).set_index(["state", "year"])["share"]
    assert f"equal the paper's in all 6 state-phases ({int(cases.differs_from_paper.sum())} differences" in readme
    assert f"*rose* into phase I ({r['before']:.3f} in 1941, {r['I']:.3f} in 1942)" in readme
    assert f"the US held {shares[('USA', 1942)] * 100:.0f}% of the three allies' CINC in 1942" in readme
    assert measured_scores == {4} and "all three theories score 4/6" in readme
    flips = sensitivity.one_flip(casefile.read_case_file())
    assert not flips["scores_change"].any() and "none of the 18 single indicator flips changes" in readme
