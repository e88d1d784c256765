"""Parsers on the real publisher files: row counts, keys and known values.

Expected numbers come from ../shared/data/raw/PROVENANCE.md (counted on the raw
bytes) and from the publishers' codebooks.
"""

from __future__ import annotations

import pandas as pd
import pytest

from replication import sources

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def war():
    return sources.read_interstate_war()


def test_war_counts_and_key(war):
    assert len(war) == 337
    assert war["war_num"].nunique() == 95
    assert war["ccode"].nunique() == 98
    assert not war.duplicated(["war_num", "ccode", "side"]).any()
    # (war_num, ccode) is NOT unique: five side switchers, two rows each.
    pairs = war[war.duplicated(["war_num", "ccode"], keep=False)]
    assert len(pairs) == 10
    assert set(map(tuple, pairs[["war_num", "ccode"]].drop_duplicates().to_numpy().tolist())) == {
        (108, 255), (139, 220), (139, 325), (139, 360), (139, 355)}


def test_war_italy_two_wwii_rows(war):
    italy = war[(war.war_num == 139) & (war.ccode == 325)].set_index("side")
    assert italy.loc[2, "start1"] == pd.Timestamp("1940-06-10")
    assert italy.loc[2, "end1"] == pd.Timestamp("1943-09-02")
    assert italy.loc[1, "start1"] == pd.Timestamp("1943-10-18")
    assert italy.loc[1, "end1"] == pd.Timestamp("1945-05-07")
    assert italy.loc[2, "outcome_label"] == "loser" and italy.loc[1, "outcome_label"] == "winner"


def test_war_second_spells_and_missing_codes(war):
    assert war["start2"].notna().sum() == 19
    france = war[(war.war_num == 139) & (war.ccode == 220) & (war.side == 1)].iloc[0]
    assert france["start2"] == pd.Timestamp("1944-10-23") and france["end2"] == pd.Timestamp("1945-08-14")
    # -8 (not applicable) and -9 (unknown) are NA, never a number.
    assert war["trans_from"].isna().sum() == 268
    assert war["trans_to"].isna().sum() == 309
    thai = war[(war.war_num == 170) & (war.ccode == 800)].iloc[0]
    assert pd.isna(thai["bat_death"])
    assert war["bat_death"].isna().sum() == 1
    assert (war["bat_death"].dropna() >= 0).all()


def test_war_quoted_fields(war):
    assert "Vietnam War, Phase 2" in set(war.loc[war.war_num == 163, "war_name"])
    assert set(war.loc[war.war_num == 79, "trans_from"]) == {"404,410"}


def test_participation_spells(war):
    spells = sources.participation_spells(war)
    assert len(spells) == 337 + 19
    france = spells[(spells.war_num == 139) & (spells.ccode == 220)]
    assert list(zip(france.side, france.spell)) == [(1, 1), (1, 2), (2, 1)]


@pytest.mark.parametrize("version,rows,milex_na", [("4.0", 14199, 1972), ("5.0", 15171, 2065),
                                                   ("6.0", 15951, 2217), ("7.0", 17121, 2360)])
def test_nmc_versions(version, rows, milex_na):
    nmc = sources.read_nmc(version)
    assert len(nmc) == rows
    assert not nmc.duplicated(["ccode", "year"]).any()
    assert nmc["milex"].isna().sum() == milex_na
    usa42 = nmc[(nmc.ccode == 2) & (nmc.year == 1942)].iloc[0]
    # USA 1942 CINC: 0.2854552 in v4/v5 (7 significant digits), the same value in v6/v7.
    assert usa42["cinc"] == pytest.approx(0.2854552, abs=5e-8)
    assert usa42["milper"] == 3859
    assert nmc.attrs["publisher_file"] is (version != "7.0")


def test_nmc_v4_quirks():
    nmc = sources.read_nmc("4.0")
    # 25 rows have blank tpop/upop and cinc -9 (Panama 1903-1919 among them), plus one tpop -9.
    assert nmc["cinc"].isna().sum() == 25
    assert nmc["tpop"].isna().sum() == 26
    panama = nmc[(nmc.ccode == 95) & (nmc.year == 1903)].iloc[0]
    assert pd.isna(panama["tpop"]) and pd.isna(panama["cinc"])
    # quoted scientific-notation cinc values are numbers
    assert nmc["cinc"].dtype == "Float64"
    assert (nmc["cinc"].dropna() < 1e-5).sum() > 400
    # pec carries decimals in v4 only
    assert (nmc["pec"].dropna() % 1 != 0).sum() == 6104


def test_nmc_supplement_windows_1252():
    supp = sources.read_nmc_supplement()
    assert len(supp) == 14199
    notes = supp["tpopsource"].dropna()
    assert notes.str.contains("Contraloría", regex=False).any()


def test_polity5_special_codes_kept_apart():
    p = sources.read_polity5()
    assert len(p) == 17574
    assert p["polity_special"].value_counts().to_dict() == {-88: 312, -66: 260, -77: 237}
    assert not p["polity"].isin([-66, -77, -88]).any()
    assert p.loc[p["polity_special"].notna(), "polity"].isna().all()
    assert p["polity2"].isna().sum() == 267
    assert p["durable"].isna().sum() == 1264
    # -9 is a real score, not a missing code
    cuba = p[(p.country == "Cuba") & (p.year == 1955)].iloc[0]
    assert cuba["polity"] == -9 and cuba["polity2"] == -9
    usa = p[(p.ccode == 2) & (p.year == 1942)].iloc[0]
    assert (usa["democ"], usa["autoc"], usa["polity2"]) == (9, 0, 9)


@pytest.mark.parametrize("version,rows,extra_na", [("3.0", 18800, ("democracy_breakdowns", 706)),
                                                   ("4.0", 19775, ("abbreviation", 886))])
def test_bmr(version, rows, extra_na):
    b = sources.read_bmr(version)
    assert len(b) == rows
    assert b["democracy"].isna().sum() == 645
    assert b[extra_na[0]].isna().sum() == extra_na[1]
    assert b["ccode"].nunique() == 222
    assert b.loc[(b.ccode == 2) & (b.year == 1942), "democracy"].item() == 1
    # BMR codes the USSR as 364 (1922-1991); COW uses 365 throughout. No 365 row in 1922-1991.
    assert b.loc[(b.ccode == 364) & (b.year == 1942), "democracy"].item() == 0
    assert b[(b.ccode == 365) & b.year.between(1922, 1991)].empty


def test_cow_system_files():
    states = sources.read_states()
    assert len(states) == 243
    assert (states["ccode"].value_counts() == 2).sum() == 26
    assert len(sources.read_system()) == 15951
    majors = sources.read_majors()
    assert len(majors) == 14
    assert majors["ccode"].value_counts()[255] == 3 and majors["ccode"].value_counts()[220] == 2
    m24 = sources.read_majors("2024")
    assert m24.attrs["publisher_file"] is False
    assert (m24["end"].max().year, majors["end"].max().year) == (2024, 2016)
    years = sources.major_power_years(majors)
    assert {(2, 1942), (200, 1942), (365, 1942)} <= set(map(tuple, years.to_numpy().tolist()))
    assert (220, 1942) not in set(map(tuple, years.to_numpy().tolist()))  # France lost major status in 1940


def test_alliances():
    a = sources.read_alliances()
    assert len(a) == 1221
    assert a["version4id"].nunique() == 414
    assert a.duplicated(["version4id", "ccode"]).sum() == 20
    assert a[["left_censor", "nonaggression", "entente"]].isna().sum().to_dict() == {
        "left_censor": 2, "nonaggression": 1, "entente": 2}
    assert a["mem_end"].isna().sum() == 359


def test_versions_and_cite():
    v = sources.versions()
    assert len(v) == 14 and (v["local"] == "verified").all()
    assert set(v.loc[~v["publisher_file"], "file"]) == {"peacesciencer_cow_nmc_v7.csv",
                                                         "majors2024_TEXTINDEX_UNVERIFIED.csv"}
    frame, bib = sources.cite()
    assert len(frame) == 14
    for key in ("sarkees2010resort", "singer1972capability", "marshall2020polity5", "boix2013complete",
                "gibler2009international", "cow2017system"):
        assert bib.count("{" + key + ",") == 1



def test_parse_once_reuses_copies_and_rereads_a_changed_file(raw_copy):
    """The multiverse's parse cache: equal frames, independent copies, and no stale data after the
    file changes (the key holds each raw file's size and mtime); outside the block nothing is cached."""
    import os

    from replication.errors import ChecksumError

    path = raw_copy("Inter-StateWarData_v4.0.csv")
    with sources.parse_once():
        first = sources.read_interstate_war()
        first.loc[first.index[0], "war_name"] = "changed by the caller"
        second = sources.read_interstate_war()
        assert second["war_name"].iloc[0] != "changed by the caller"
        pd.testing.assert_frame_equal(second, sources.read_interstate_war())
        assert (second["war_name"] == "World War II").any()
        # An edited file is parsed (and so hash-checked) again, never served from the cache.
        path.write_bytes(path.read_bytes().replace(b"World War II", b"World War XX"))
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
        with pytest.raises(ChecksumError, match="sha256 mismatch"):
            sources.read_interstate_war()
    assert not sources._CACHING
