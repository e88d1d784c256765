"""Power shares for any coalition, and errors that name the state."""

from __future__ import annotations

import pytest

from replication import sources
from replication.errors import DataError
from replication.power import coalition_power_shares, power_shares

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def nmc():
    return sources.read_nmc("4.0")


def test_korean_war_coalition_members_and_shares(nmc):
    # COW war 151 (Korean War), side 1 in 1950: the seven states that had joined by December 1950
    # (Belgium, Colombia, Ethiopia, France, Greece, the Netherlands and Thailand joined in 1951).
    shares = power_shares(151, 1, 1950)
    assert set(shares["ccode"]) == {2, 20, 200, 640, 732, 840, 900}
    assert shares.attrs["war_name"] == "Korean"
    cinc = nmc[nmc["year"] == 1950].set_index("ccode")["cinc"].astype(float)
    members = cinc.loc[sorted(shares["ccode"])]
    expected = members / members.sum()  # reading (a): CINC over the coalition's summed CINC
    got = shares.set_index("ccode")["share"].astype(float)
    assert got.to_dict() == pytest.approx(expected.to_dict(), abs=1e-12)
    assert got.sum() == pytest.approx(1.0)
    assert len(power_shares(151, 1, 1951)) == 14


def test_coalition_form_matches_the_group_form(nmc):
    by_war = coalition_power_shares(151, 1, 1950, method="components", nmc=nmc)
    by_group = power_shares(nmc, by_war["ccode"].tolist(), [1950], method="components")
    assert by_war["share"].notna().all()
    assert by_war["share"].tolist() == by_group["share"].tolist()


def test_unknown_ccode_is_named(nmc):
    with pytest.raises(DataError, match=r"ccode\(s\) \[999\]"):
        power_shares(nmc, [2, 999], [1943])


def test_state_without_data_in_a_year_is_named(nmc):
    # Germany (255) has no NMC row 1946-1954 (occupation): the warning names it and the years.
    with pytest.warns(UserWarning, match=r"ccode 255 in \[1946, 1947\]"):
        out = power_shares(nmc, [2, 255], [1946, 1947])
    assert out["share"].isna().all()


def test_no_such_war_or_side_in_year():
    with pytest.raises(DataError, match="war 9999"):
        power_shares(9999, 1, 1950)
    with pytest.raises(DataError, match="no state fought on side 1 of war 151"):
        power_shares(151, 1, 1949)
