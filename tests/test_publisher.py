"""The seven files fetched from the publisher's own distribution and converted in code.

No network here: each test rebuilds the publisher's format (a CSV with other bytes, a zip,
a zip in a zip, an .xls, the Dataverse API) from the mirror copy, serves it through a
``file://`` URL or a stand-in downloader, and runs the real fetch path on it.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import replace

import pytest

from replication.errors import ChecksumError
from replication.sources import publisher, registry
from replication.sources.fetch import fetch

from .conftest import RAW

CONVERTED = [e.key for e in registry.entries() if e.download == "convert"]


def test_seven_files_are_converted_and_none_is_mirror_only():
    assert sorted(CONVERTED) == sorted(["nmc_4.0", "nmc_4.0_supplement", "nmc_7.0", "polity5", "bmr_3.0",
                                        "bmr_4.0", "cow_majors_2024"])
    assert all(e.download in ("direct", "zip", "convert") for e in registry.entries())


@pytest.mark.parametrize("key", CONVERTED)
def test_mirror_copy_reproduces_the_content_hash(key):
    e = registry.entry(key)
    assert publisher.file_content_hash(e, RAW / e.file) == e.content_sha256


def test_content_hash_ignores_bytes_but_not_values(tmp_path):
    e = registry.entry("cow_majors_2016")
    text = (RAW / e.file).read_text()
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(text.replace("\n", "\r\n").encode())
    assert publisher.file_content_hash(e, crlf) == publisher.file_content_hash(e, RAW / e.file)
    changed = tmp_path / "changed.csv"
    changed.write_text(text.replace("USA,2,1898,8,13", "USA,2,1898,8,14"))
    assert publisher.file_content_hash(e, changed) != publisher.file_content_hash(e, RAW / e.file)


# ---------------------------------------------------------------- publisher formats rebuilt
def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _nmc70_abridged() -> bytes:
    """NMC-70-abridged.csv as COW ships it (PROVENANCE 2e): stateabb and version columns,
    -9 for missing, no leading zero in cinc, CRLF."""
    abb = {row["ccode"]: row["stateabb"] for row in csv.DictReader(io.StringIO((RAW / "states2016.csv").read_text()))}
    rows = list(csv.DictReader(io.StringIO((RAW / "peacesciencer_cow_nmc_v7.csv").read_text())))
    out = ["stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"]
    for r in rows:
        values = ["-9" if r[c] == "NA" else r[c] for c in ["milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]]
        values[-1] = values[-1].removeprefix("0") if values[-1].startswith("0.") else values[-1]
        out.append(",".join([abb.get(r["ccode"], "XXX"), r["ccode"], r["year"], *values, "2025"]))
    return ("\r\n".join(out) + "\r\n").encode("ascii")


def _polity_xls() -> bytes:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("p5v2018")
    rows = list(csv.reader(io.StringIO((RAW / "p5v2018.csv").read_text())))
    for j, name in enumerate(rows[0]):
        sheet.write(0, j, name)
    for i, row in enumerate(rows[1:], start=1):
        for j, value in enumerate(row):
            if value != "":
                sheet.write(i, j, value if j in (3, 4) else float(value))  # scode, country are text
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _publisher_file(key: str) -> bytes:
    if key == "nmc_4.0":  # the publisher's CSV with other bytes: unquoted, LF
        return (RAW / "NMC_v4_0.csv").read_bytes().replace(b'"', b"").replace(b"\r\n", b"\n")
    if key == "nmc_4.0_supplement":
        return _zip({"NMC_Supplement_v4_0.csv": (RAW / "NMC_Supplement_v4_0.csv").read_bytes()})
    if key == "nmc_7.0":
        return _zip({"NMCv7/NMC-v7-abridged.zip": _zip({"NMC-70-abridged.csv": _nmc70_abridged()}),
                     "NMCv7/NMC_Codebook_7.0.pdf": b"%PDF"})
    if key == "polity5":
        return _polity_xls()
    if key == "cow_majors_2024":
        data = (RAW / "majors2024_TEXTINDEX_UNVERIFIED.csv").read_bytes().replace(b"\n", b"\r\n")
        return _zip({"MajorPowers2024/majors2024.csv": data})
    raise KeyError(key)


def _serve(e, tmp_path, monkeypatch, data: bytes):
    """Point entry ``e`` at ``data``: a file:// URL, or a stand-in Dataverse API."""
    if e.publisher_format != "dataverse":
        source = tmp_path / "publisher" / e.publisher_url.rsplit("/", 1)[-1]
        source.parent.mkdir(exist_ok=True)
        source.write_bytes(data)
        return replace(e, publisher_url=source.as_uri())
    listing = {"data": [{"versionNumber": 4, "files": [
        {"label": "democracy-v4.0.tab", "dataFile": {"id": 400, "filename": "democracy-v4.0.tab",
                                                      "originalFileName": "democracy-v4.0.csv"}}]},
        {"versionNumber": 3, "files": [
            {"label": "democracy-v3.0.tab", "dataFile": {"id": 300, "filename": "democracy-v3.0.tab",
                                                          "originalFileName": "democracy-v3.0.csv"}}]}]}
    file_id = 400 if e.key == "bmr_4.0" else 300
    served = {f"{e.publisher_url}/api/datasets/:persistentId/versions?persistentId={e.dataverse_doi}":
              json.dumps(listing).encode(),
              f"{e.publisher_url}/api/access/datafile/{file_id}?format=original": data}

    def fake_download(url, cache, *, known_hash=None):
        cache.mkdir(parents=True, exist_ok=True)
        target = cache / str(abs(hash(url)))
        target.write_bytes(served[url])
        return target

    monkeypatch.setattr(publisher, "download", fake_download)
    return e


@pytest.mark.parametrize("key", CONVERTED)
def test_conversion_from_publisher_format(key, tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    e = registry.entry(key)
    data = (RAW / e.file).read_bytes() if e.publisher_format == "dataverse" else _publisher_file(key)
    e = _serve(e, tmp_path, monkeypatch, data)
    dest = tmp_path / "raw"
    out = fetch(e, dest, quiet=True)
    assert publisher.file_content_hash(e, out) == e.content_sha256
    lock = json.loads((tmp_path / "sources.lock").read_text())[key]
    assert lock["sha256"] == publisher.hashlib.sha256(data).hexdigest()
    assert lock["converted_sha256"] == registry.sha256_of(out)
    # The converted file is accepted as the local copy from now on.
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(dest))
    registry.check_hash(e, out)
    if key == "nmc_7.0":  # the conversion rebuilds peacesciencer's file byte for byte
        assert registry.sha256_of(out) == e.sha256


def test_raw_bytes_are_locked_on_first_fetch(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    e = _serve(registry.entry("cow_majors_2024"), tmp_path, monkeypatch, _publisher_file("cow_majors_2024"))
    dest = tmp_path / "raw"
    out = fetch(e, dest, quiet=True)
    out.unlink()
    fetch(e, dest, quiet=True)  # same bytes: accepted
    out.unlink()
    # Re-issued with the same content but other bytes (stored, not deflated): refused.
    source = tmp_path / "publisher" / "MajorPowers2024.zip"
    with zipfile.ZipFile(source, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("MajorPowers2024/majors2024.csv", (RAW / e.file).read_bytes())
    with pytest.raises(ChecksumError, match="changed since it was first fetched"):
        fetch(e, dest, quiet=True)
    assert not out.exists()


def test_publisher_file_with_other_content_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    text = (RAW / "majors2024_TEXTINDEX_UNVERIFIED.csv").read_text().replace("USA,2,1898,8,13", "USA,2,1898,8,14")
    e = _serve(registry.entry("cow_majors_2024"), tmp_path, monkeypatch,
               _zip({"MajorPowers2024/majors2024.csv": text.encode()}))
    with pytest.raises(ChecksumError, match="expected content"):
        fetch(e, tmp_path / "raw", quiet=True)
    assert not (tmp_path / "raw" / e.file).exists()
    assert not (tmp_path / "sources.lock").exists()


def test_conversion_over_http_with_pooch(tmp_path, monkeypatch):
    """The online path proper: pooch downloads the publisher's zip from a loopback server."""
    import functools
    import http.server
    import threading

    monkeypatch.delenv("DATA_MIRROR", raising=False)
    served = tmp_path / "served"
    served.mkdir()
    (served / "MajorPowers2024.zip").write_bytes(_publisher_file("cow_majors_2024"))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(served)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/MajorPowers2024.zip"
        e = replace(registry.entry("cow_majors_2024"), publisher_url=url)
        out = fetch(e, tmp_path / "raw", quiet=True)
        assert publisher.file_content_hash(e, out) == e.content_sha256
    finally:
        server.shutdown()
        thread.join(timeout=5)
