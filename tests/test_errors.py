"""Bad input gets a clear error that names the file, what is wrong and what to do."""

from __future__ import annotations

import functools
import hashlib
import http.server
import shutil
import threading
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replication import _io, sources
from replication.errors import (ChecksumError, DuplicateKeyError, MalformedCSVError, MissingColumnError,
                                MissingRawFileError, UnknownVersionError)
from replication.sources import registry
from replication.sources._csv import read_text_table
from replication.sources.fetch import fetch

from .conftest import RAW


def test_missing_raw_file_says_where_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(tmp_path))
    with pytest.raises(MissingRawFileError) as err:
        sources.read_interstate_war()
    msg = str(err.value)
    assert "Inter-StateWarData_v4.0.csv" in msg
    assert "https://correlatesofwar.org/wp-content/uploads/Inter-StateWarData_v4.0.csv" in msg
    assert "DATA_MIRROR" in msg and "make data" in msg


def test_checksum_mismatch_names_both_hashes(raw_copy):
    path = raw_copy("NMC_v4_0.csv")
    data = bytearray(path.read_bytes())
    data[5000] ^= 0x01  # one flipped bit
    path.write_bytes(bytes(data))
    with pytest.raises(ChecksumError) as err:
        sources.read_nmc("4.0")
    msg = str(err.value)
    assert registry.entry("nmc_4.0").sha256 in msg
    assert hashlib.sha256(bytes(data)).hexdigest() in msg
    assert "NMC_v4_0.csv" in msg


def test_corrupt_mirror_fails_fetch(tmp_path, monkeypatch):
    mirror, dest = tmp_path / "mirror", tmp_path / "raw"
    mirror.mkdir()
    e = registry.entry("cow_majors_2016")
    data = bytearray((RAW / e.file).read_bytes())
    data[10] = ord("X")
    (mirror / e.file).write_bytes(bytes(data))
    monkeypatch.setenv("DATA_MIRROR", str(mirror))
    with pytest.raises(ChecksumError, match="sha256 mismatch") as err:
        fetch(e, dest, quiet=True)
    assert e.sha256 in str(err.value) and str(mirror / e.file) in str(err.value)
    assert not (dest / e.file).exists()  # nothing half-copied


def test_mirror_copy_is_verified(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_MIRROR", str(RAW))
    e = registry.entry("cow_majors_2016")
    out = fetch(e, tmp_path, quiet=True)
    assert registry.sha256_of(out) == e.sha256


def test_truncated_csv_names_the_line(tmp_path):
    src = (RAW / "NMC_5_0.csv").read_bytes()
    path = tmp_path / "NMC_5_0.csv"
    path.write_bytes(src[: len(src) // 2])  # cut inside a row
    with pytest.raises(MalformedCSVError, match=r"line \d+ has \d+ fields but the header has 11.*truncated"):
        sources.read_nmc("5.0", path=path)


def test_unterminated_quote(tmp_path):
    path = tmp_path / "states.csv"
    path.write_text('stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version\n'
                    '"USA,2,United States,1816,1,1,2016,12,31,2016\n')
    with pytest.raises(MalformedCSVError, match="states.csv"):
        sources.read_states(path=path)


def test_missing_column(tmp_path):
    df = pd.read_csv(RAW / "majors2016.csv").drop(columns=["stday"])
    path = tmp_path / "majors.csv"
    df.to_csv(path, index=False)
    with pytest.raises(MissingColumnError, match=r"majors.csv: missing column\(s\) stday"):
        sources.read_majors(path=path)


def test_duplicate_key(tmp_path):
    lines = (RAW / "system2016.csv").read_text().splitlines()
    path = tmp_path / "system.csv"
    path.write_text("\n".join(lines + [lines[1]]) + "\n")
    with pytest.raises(DuplicateKeyError, match=r"system.csv: lines \[2, \d+\]: 2 rows share a key \(ccode, year\)"):
        sources.read_system(path=path)


def test_side_switcher_is_not_a_duplicate_but_same_side_twice_is(tmp_path):
    text = (RAW / "Inter-StateWarData_v4.0.csv").read_bytes().decode("ascii")
    rows = text.split("\r")
    italy_allied = next(r for r in rows if r.startswith("139,World War II,1,325,Italy,1,"))
    path = tmp_path / "war.csv"
    path.write_text("\r".join(rows + [italy_allied]))
    with pytest.raises(DuplicateKeyError, match="war_num, ccode, side"):
        sources.read_interstate_war(path=path)


def test_bad_value_names_column_and_line(tmp_path):
    lines = (RAW / "system2016.csv").read_text().splitlines()
    lines[3] = lines[3].replace(",1816,", ",18x6,")
    path = tmp_path / "system.csv"
    path.write_text("\n".join(lines))
    with pytest.raises(MalformedCSVError, match=r"column 'year', line 4: value '18x6'"):
        sources.read_system(path=path)


def test_wrong_encoding_is_reported(tmp_path):
    # The supplement is Windows-1252; read as ASCII it must fail loudly, not garble.
    with pytest.raises(MalformedCSVError, match="not valid ascii"):
        read_text_table(RAW / "NMC_Supplement_v4_0.csv", encoding="ascii", required=["ccode"])


@pytest.mark.parametrize("call", [lambda: sources.read_nmc("3.0"), lambda: sources.read_bmr("5"),
                                  lambda: sources.read_majors("2020")])
def test_unknown_version(call):
    with pytest.raises(UnknownVersionError, match="registry"):
        call()


def test_unknown_version_lists_known():
    with pytest.raises(UnknownVersionError, match="4.0, 5.0, 6.0, 7.0"):
        sources.read_nmc("8.0")


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-20, 10_000), st.sampled_from(["", "-9"])), min_size=1, max_size=20),
       eol=st.sampled_from(["\n", "\r\n", "\r"]), final=st.booleans())
def test_line_endings_and_missing_codes(values, eol, final, tmp_path_factory):
    """Any line-ending style parses the same; blank and -9 become NA, other numbers survive."""
    from replication.sources._csv import to_number

    path = tmp_path_factory.mktemp("eol") / "t.csv"
    body = eol.join(["id,x"] + [f"{i},{v}" for i, v in enumerate(values)]) + (eol if final else "")
    path.write_bytes(body.encode("ascii"))
    raw = read_text_table(path, encoding="ascii", required=["id", "x"])
    x = to_number(raw, "x", path=path, na_codes=(-9,), integer=True)
    expected = [pd.NA if v in ("", "-9", -9) else int(v) for v in values]
    assert len(x) == len(values)
    assert [pd.NA if pd.isna(a) else int(a) for a in x] == expected


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "t.csv"
    target.write_text("old\n")
    with pytest.raises(RuntimeError):
        with _io.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old\n"
    assert list(tmp_path.iterdir()) == [target]


def test_pooch_download_over_loopback(tmp_path, monkeypatch):
    """`make data` without a mirror downloads with pooch and checks the pinned hash."""
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    served = tmp_path / "served"
    served.mkdir()
    e0 = registry.entry("cow_majors_2016")
    shutil.copyfile(RAW / e0.file, served / e0.file)
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{e0.file}"
        e = replace(e0, url=url, download="direct")
        out = fetch(e, tmp_path / "raw", quiet=True)
        assert registry.sha256_of(out) == e.sha256
        bad = replace(e, sha256="0" * 64, file="other.csv", url=url)
        with pytest.raises(ChecksumError, match=url.replace(".", r"\.")):
            fetch(bad, tmp_path / "raw2", quiet=True)
        assert not (tmp_path / "raw2" / "other.csv").exists()
    finally:
        server.shutdown()
        thread.join(timeout=5)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


def test_download_failure_is_one_short_message_naming_data_mirror(tmp_path, monkeypatch):
    """No network: a short DataError that says how to supply the file, not a requests traceback."""
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    e = replace(registry.entry("cow_majors_2016"), url="http://127.0.0.1:9/majors2016.csv")  # port 9: refused
    with pytest.raises(MissingRawFileError) as err:
        fetch(e, tmp_path / "raw", quiet=True)
    msg = str(err.value)
    assert "DATA_MIRROR" in msg and "majors2016.csv" in msg and "ConnectionError" in msg
    assert len(msg.splitlines()) == 1 and len(msg) < 500


def test_make_data_lists_everything_missing_in_under_ten_lines(tmp_path, monkeypatch, capsys):
    from replication.sources import publisher
    from replication.sources.__main__ import main

    def offline(url, cache, *, known_hash=None):
        raise MissingRawFileError(f"could not download {url} (ConnectionError)")

    monkeypatch.setattr(publisher, "download", offline)
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(tmp_path / "raw"))
    assert main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) < 10
    assert "DATA_MIRROR" in err
    for e in registry.entries():  # each file with its official URL
        url = e.publisher_url if e.download == "convert" else e.url
        assert url.rsplit("/", 1)[0] in err and e.file in err


def test_truncated_at_a_row_boundary_is_caught_without_the_checksum(tmp_path):
    src = (RAW / "NMC_5_0.csv").read_bytes()
    cut = src.rindex(b"\n", 0, len(src) // 2) + 1  # a whole number of rows: the CSV itself is valid
    path = tmp_path / "NMC_5_0.csv"
    path.write_bytes(src[:cut])
    with pytest.raises(MalformedCSVError, match=r"NMC_5_0.csv: \d+ rows covering 1816-\d+, but the registered .* "
                                                r"has 15171 rows covering 1816-2012"):
        sources.read_nmc("5.0", path=path)


def test_non_integer_in_an_authored_file_names_file_and_line(tmp_path):
    from replication.errors import DataError
    from replication.panel.exits import read_coalition_exits

    lines = (RAW / "coalition_exits.csv").read_text().splitlines()
    head = lines[0].split(",")
    fields = lines[3].split(",")
    fields[head.index("spell")] = "x"
    lines[3] = ",".join(fields)
    path = tmp_path / "coalition_exits.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"coalition_exits.csv: column 'spell', line 4: value 'x' is not a number"):
        read_coalition_exits(path)


def test_read_only_results_folder_names_the_output(tmp_path, monkeypatch):
    # The OS's error, as mkstemp raises it in a read-only folder (simulated: tests may run as root,
    # which ignores folder permissions).
    def read_only(prefix, suffix, dir):
        raise PermissionError(13, "Permission denied", f"{dir}/{prefix}abc123{suffix}")

    monkeypatch.setattr(_io.tempfile, "mkstemp", read_only)
    folder = tmp_path / "results"
    with pytest.raises(PermissionError) as err:
        _io.write_text(folder / "table.md", "x")
    msg = str(err.value)
    assert str(folder / "table.md") in msg and ".tmp" not in msg and "REPLICATION_RESULTS_DIR" in msg


def test_corrupt_local_copy_is_replaced_from_the_mirror(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_MIRROR", str(RAW))
    e = registry.entry("cow_majors_2016")
    (tmp_path / e.file).write_text("corrupt\n")
    out = fetch(e, tmp_path, quiet=True)
    assert registry.sha256_of(out) == e.sha256


def test_nonexistent_data_mirror_is_named_as_missing(tmp_path, monkeypatch, capsys):
    """DATA_MIRROR=/nonexistent make data: one line saying the folder does not exist (not the list of
    files with 'set DATA_MIRROR')."""
    from replication.errors import DataError
    from replication.sources.__main__ import main

    gone = tmp_path / "nonexistent"
    monkeypatch.setenv("DATA_MIRROR", str(gone))
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(tmp_path / "raw"))
    assert main(["fetch"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (f"error: DATA_MIRROR={gone} does not exist. Point DATA_MIRROR at the folder that holds "
                           f"the raw files (e.g. DATA_MIRROR=/path/to/shared/data/raw make data), or unset it to "
                           f"download them.")
    with pytest.raises(DataError, match="does not exist"):  # the Python API says the same
        fetch(registry.entry("cow_majors_2016"), tmp_path / "raw", quiet=True)
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("DATA_MIRROR", str(tmp_path / "a-file"))
    with pytest.raises(DataError, match="is a file, not a folder"):
        fetch(registry.entry("cow_majors_2016"), tmp_path / "raw", quiet=True)


def test_nonexistent_data_mirror_is_noted_when_nothing_is_missing(tmp_path, monkeypatch, capsys):
    from replication.sources.__main__ import main

    raw = tmp_path / "raw"
    raw.mkdir()
    e = registry.entry("cow_majors_2016")
    shutil.copyfile(RAW / e.file, raw / e.file)
    monkeypatch.setenv("DATA_MIRROR", str(tmp_path / "nonexistent"))
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(raw))
    assert main(["fetch", e.file]) == 0
    out = capsys.readouterr()
    assert "1 files verified" in out.out and "does not exist" in out.err and "Not needed this time" in out.err
