"""Authored files in data/raw are pinned (data/raw/authored.toml): a truncated one is an error that says
to restore it from git, an edited one a warning that says how to re-pin it."""

from __future__ import annotations

import shutil
import warnings

import pytest

from replication import paths
from replication.errors import AuthoredFileChangedWarning, DataError, TruncatedFileError
from replication.sources import authored

from .conftest import RAW

AUTHORED = ["coalition_exits.csv", "coalition_member_efforts.csv", "coalition_war_endings.csv",
            "phase_turning_points.csv", "grand_alliance_cases.csv", "grand_alliance_resources.csv",
            "smartpower_cases.csv", "previous_release_estimates.csv", "coalition_contributors_2001.csv",
            "coalition_2001_excluded.csv", "coalition_2001_elections.csv", "coalition_2001_series.csv",
            "coalition_2001_turning_points.csv"]


@pytest.fixture
def authored_copy(tmp_path, monkeypatch):
    """The authored files and their manifest, copied to a folder the package then reads them from."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in [*AUTHORED, authored.MANIFEST_NAME]:
        shutil.copyfile(RAW / name, folder / name)
    monkeypatch.setenv("REPLICATION_AUTHORED_DIR", str(folder))
    authored._CHECKED.clear()
    return folder


def test_the_committed_manifest_pins_every_authored_file_as_committed():
    manifest = authored.read_manifest(RAW)
    assert sorted(manifest) == sorted(AUTHORED) == authored.authored_names(RAW)
    # rows are CSV records after the header: quoted evidence with line breaks counts once
    import pandas as pd

    for name in AUTHORED:
        assert manifest[name]["rows"] == len(pd.read_csv(RAW / name)), name
    assert [state for _, state, _ in authored.status(RAW)] == ["ok"] * len(AUTHORED)


def _restore_advice(message: str, name: str) -> None:
    assert f"git checkout -- data/raw/{name}" in message
    assert "`make data` cannot" in message and "fetch it again" not in message.lower()


def test_truncated_at_a_line_boundary_is_an_error_naming_git(authored_copy):
    from replication.panel.exits import read_coalition_exits

    path = authored_copy / "coalition_exits.csv"
    data = path.read_bytes()
    cut = data.rindex(b"\n", 0, len(data) // 2) + 1  # whole lines: still a valid CSV, fewer rows
    path.write_bytes(data[:cut])
    with pytest.raises(TruncatedFileError) as err:
        read_coalition_exits()
    msg = str(err.value)
    pinned = authored.read_manifest(RAW)["coalition_exits.csv"]["rows"]
    assert str(path) in msg and f"where authored.toml pins {pinned}" in msg
    _restore_advice(msg, "coalition_exits.csv")


@pytest.mark.parametrize("name, reader", [
    ("smartpower_cases.csv", "replication.smartpower.cases:read_cases"),
    ("grand_alliance_cases.csv", "replication.grand_alliance.casefile:read_case_file"),
    ("phase_turning_points.csv", "replication.panel.unit:read_turning_points"),
])
def test_truncated_mid_line_is_an_error_naming_git(authored_copy, name, reader):
    import importlib

    module, function = reader.split(":")
    path = authored_copy / name
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - 7])  # cut inside the last line (no final newline)
    with pytest.raises(TruncatedFileError) as err:
        getattr(importlib.import_module(module), function)()
    _restore_advice(str(err.value), name)


def test_unterminated_quoted_field_is_truncation(authored_copy):
    path = authored_copy / "grand_alliance_resources.csv"
    text = path.read_text()
    cut = text.rindex(',"') + 10  # inside the last row's quoted field
    path.write_text(text[:cut] + "\n")
    found = authored.problem("grand_alliance_resources.csv", path, authored.read_manifest(authored_copy)[path.name])
    assert found[0] == "truncated" and "a quoted field is never closed" in found[1]
    with pytest.raises(TruncatedFileError):
        paths.authored_file("grand_alliance_resources.csv")


def test_an_edit_warns_with_the_repin_command_and_update_silences_it(authored_copy):
    from replication.panel.unit import read_turning_points

    path = authored_copy / "phase_turning_points.csv"
    path.write_text(path.read_text().replace("1944-07-01", "1944-06-06"))  # a deliberate edit: same rows
    with pytest.warns(AuthoredFileChangedWarning, match="python -m replication.sources authored --update"):
        turning = read_turning_points()
    assert str(turning["date"].iloc[0].date()) == "1944-06-06"  # used as it is
    authored.update(authored_copy)
    assert authored.read_manifest(authored_copy)["phase_turning_points.csv"]["sha256"] == \
        authored.fingerprint(path).sha256
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        read_turning_points()
    # an added row is an edit, not a truncation
    path.write_text(path.read_text() + '139,1945-01-01,"a second turning point"\n')
    assert authored.problem(path.name, path, authored.read_manifest(authored_copy)[path.name])[0] == "edited"


def test_a_new_authored_csv_is_found_and_asked_to_be_pinned(authored_copy):
    new = authored_copy / "new_case_file.csv"
    new.write_text("a,b\n1,2\n")
    assert "new_case_file.csv" in authored.authored_names(authored_copy)
    with pytest.warns(AuthoredFileChangedWarning, match="does not pin"):
        paths.authored_file("new_case_file.csv")
    states = dict((n, s) for n, s, _ in authored.status(authored_copy))
    assert states["new_case_file.csv"] == "unpinned" and states["coalition_exits.csv"] == "ok"
    authored.update(authored_copy)
    assert authored.read_manifest(authored_copy)["new_case_file.csv"] == {
        "sha256": authored.fingerprint(new).sha256, "rows": 1}


def test_publisher_files_are_not_authored(authored_copy):
    shutil.copyfile(RAW / "majors2016.csv", authored_copy / "majors2016.csv")
    assert "majors2016.csv" not in authored.authored_names(authored_copy)


def test_the_command_line_reports_truncation_as_an_error(authored_copy, capsys):
    from replication.sources.__main__ import main

    path = authored_copy / "previous_release_estimates.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))
    assert main(["authored"]) == 1
    err = capsys.readouterr().err
    assert "error:" in err and "previous_release_estimates.csv looks truncated" in err
    _restore_advice(err, "previous_release_estimates.csv")


def test_missing_manifest_in_the_checkout_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setattr(authored, "read_manifest", lambda folder=None: None)
    authored._CHECKED.clear()
    with pytest.raises(DataError, match="authored.toml is missing"):
        paths.authored_file("phase_turning_points.csv")
    authored._CHECKED.clear()


def test_a_broken_line_in_an_authored_file_is_not_sent_to_make_data(tmp_path):
    """An authored file read from elsewhere (no manifest there) still gets git's advice, not make data's."""
    from replication.errors import MalformedCSVError
    from replication.grand_alliance.casefile import read_case_file

    path = tmp_path / "grand_alliance_cases.csv"
    lines = (RAW / "grand_alliance_cases.csv").read_text().splitlines()
    lines[5] = lines[5] + ",an extra field"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(MalformedCSVError) as err:
        read_case_file(path)
    msg = str(err.value)
    assert "line 6 has" in msg and "git checkout -- data/raw/grand_alliance_cases.csv" in msg and "make data`." not in msg


def test_a_publisher_file_still_gets_make_data(tmp_path):
    from replication.errors import MalformedCSVError
    from replication.sources._csv import read_text_table

    path = tmp_path / "majors2016.csv"
    path.write_text("a,b\n1,2\n3\n")
    with pytest.raises(MalformedCSVError, match="Fetch the file again with `make data`"):
        read_text_table(path, encoding="utf-8", required=[])
