"""Fetch a file from the publisher's own distribution and convert it to the registered layout.

Seven registry files are not published as the CSV the parsers read: the publisher ships a
zip (NMC v4.0 supplement, Major Powers 2024), a zip inside a zip (NMC v7.0), an Excel file
(Polity5), or a file behind the Dataverse API (both BMR versions), or the file's bytes are
not known (NMC v4.0). Their registry entries carry ``download = "convert"``. Because the
publisher's bytes could not be hashed when the registry was written (no network), each
such file is pinned twice:

* ``content_sha256`` in the registry: :func:`content_hash` of the *parsed* table. It was
  computed from the mirror copies; the mirror copy and the converted publisher file must
  both reproduce it (``tests/test_publisher.py`` checks both, the second on fixtures that
  rebuild the publisher's format from the mirror copy).
* the raw bytes of the publisher's download: recorded in the lock file (``data/sources.lock``)
  on first fetch and checked on every later fetch, so a silent re-issue is caught.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .._io import atomic_path, write_text
from ..errors import ChecksumError, DataError, MissingRawFileError
from .registry import Entry, sha256_of

LOCK_NAME = "sources.lock"


# --------------------------------------------------------------------------- content hash
def content_hash(df: pd.DataFrame) -> str:
    """sha256 of a parsed table's values, independent of the file's bytes.

    Columns in order, rows in the parser's (sorted) order; each value written as text:
    NA as ``\\N``, floats as the shortest round-trip ``repr`` (so ``.0396975``,
    ``0.0396975`` and ``3.96975E-02`` are one value), dates as ISO dates. Written by hand
    because pandas' ``hash_pandas_object`` is not promised stable across versions.
    """
    digest = hashlib.sha256()
    digest.update(("\x1f".join(map(str, df.columns)) + "\n").encode())
    columns = []
    for name in df.columns:
        s = df[name]
        na = s.isna().to_numpy()
        if pd.api.types.is_float_dtype(s):
            text = [repr(float(v)) for v in s.astype("float64").fillna(0.0)]
        elif pd.api.types.is_integer_dtype(s):
            text = [str(int(v)) for v in s.fillna(0)]
        elif pd.api.types.is_datetime64_any_dtype(s):
            text = [str(v.date()) if not pd.isna(v) else "" for v in s]
        else:
            text = [str(v) for v in s.astype(object).where(~na, "")]
        columns.append(["\\N" if missing else value for value, missing in zip(text, na)])
    for row in zip(*columns):
        digest.update(("\x1f".join(row) + "\n").encode())
    return digest.hexdigest()


def parser_for(e: Entry) -> Callable[[Path], pd.DataFrame]:
    """The package's parser for entry ``e``, reading a file at a given path."""
    from . import alliances, bmr, cow_system, cow_war, nmc, polity

    prefix, _, version = e.key.partition("_")
    table = {
        "cow_war": cow_war.read_interstate_war,
        "nmc_4.0_supplement": nmc.read_nmc_supplement,
        "polity5": polity.read_polity5,
        "cow_states": cow_system.read_states,
        "cow_system": cow_system.read_system,
        "cow_alliances": alliances.read_alliances,
    }
    if e.key in table:
        return lambda path: table[e.key](path=path)
    if prefix == "nmc":
        return lambda path: nmc.read_nmc(version, path=path)
    if prefix == "bmr":
        return lambda path: bmr.read_bmr(version, path=path)
    if e.key.startswith("cow_majors_"):
        return lambda path: cow_system.read_majors(e.key.removeprefix("cow_majors_"), path=path)
    raise KeyError(e.key)


def file_content_hash(e: Entry, path: Path) -> str:
    return content_hash(parser_for(e)(Path(path)))


# --------------------------------------------------------------------------- lock file
def lock_path(dest_dir: Path) -> Path:
    """The lock file sits beside the raw folder (``data/sources.lock`` for ``data/raw``)."""
    return Path(dest_dir).parent / LOCK_NAME


def read_lock(dest_dir: Path) -> dict:
    path = lock_path(dest_dir)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write_lock(dest_dir: Path, lock: dict) -> None:
    write_text(lock_path(dest_dir), json.dumps(lock, indent=2, sort_keys=True) + "\n")


def converted_hash(e: Entry, dest_dir: Path) -> str | None:
    """sha256 of the file a conversion wrote for ``e``, as recorded in the lock (None if never)."""
    return read_lock(dest_dir).get(e.key, {}).get("converted_sha256")


# --------------------------------------------------------------------------- downloading
def download(url: str, cache: Path, *, known_hash: str | None = None) -> Path:
    """Download ``url`` into ``cache`` (pooch); ``file://`` URLs are copied (an offline copy
    of the publisher's file, and the tests). Network failures become MissingRawFileError."""
    cache.mkdir(parents=True, exist_ok=True)
    if url.startswith("file://"):
        source = Path(url.removeprefix("file://"))
        if not source.is_file():
            raise MissingRawFileError(f"{source} does not exist")
        target = cache / source.name
        shutil.copyfile(source, target)
        return target
    import pooch
    import requests

    from .._progress import interactive

    pooch.get_logger().setLevel("WARNING")  # its per-file "Downloading ..." lines; we print one line per file
    fname = hashlib.sha256(url.encode()).hexdigest()[:16] + "-" + url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
    try:
        return Path(pooch.retrieve(url, known_hash=known_hash, fname=fname, path=cache,
                                   progressbar=interactive()))
    except requests.exceptions.RequestException as exc:
        raise MissingRawFileError(f"could not download {url} ({type(exc).__name__}: "
                                  f"{str(exc).splitlines()[0][:120]})") from None


def _zip_member(data: bytes, members: list[str]) -> bytes:
    """Read ``members[-1]`` from a zip, descending through the nested zips ``members[:-1]``."""
    for name in members:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = archive.read(name)
    return data


def _dataverse_file(e: Entry, cache: Path) -> bytes:
    """The original upload of ``e.publisher_members[0]`` from the Dataverse dataset ``e.dataverse_doi``.

    Dataverse native API: list every version's files, take the newest version holding the
    file, and fetch it with ``format=original`` (Dataverse otherwise serves its tab-separated
    ingest copy). https://guides.dataverse.org/en/latest/api/native-api.html
    """
    server = e.publisher_url.rstrip("/")
    listing = download(f"{server}/api/datasets/:persistentId/versions?persistentId={e.dataverse_doi}", cache)
    versions = json.loads(listing.read_text(encoding="utf-8"))["data"]
    member = e.publisher_members[0]
    stem = member.rsplit(".", 1)[0]
    for version in versions:  # newest first
        for item in version.get("files", []):
            datafile = item.get("dataFile", {})
            names = {item.get("label"), datafile.get("filename"), datafile.get("originalFileName")}
            if member in names or f"{stem}.tab" in names:
                url = f"{server}/api/access/datafile/{datafile['id']}?format=original"
                return download(url, cache).read_bytes()
    raise MissingRawFileError(f"the Dataverse dataset {e.dataverse_doi} lists no file {member}")


def publisher_bytes(e: Entry, cache: Path) -> tuple[bytes, str]:
    """(the publisher's distribution, its sha256) for entry ``e``."""
    if e.publisher_format == "dataverse":
        data = _dataverse_file(e, cache)
    else:
        data = download(e.publisher_url, cache, known_hash=None).read_bytes()
    return data, hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- conversions
def _csv_text(data: bytes, encoding: str) -> str:
    text = data.decode(encoding)
    return text.removeprefix("\ufeff")


def _nmc7_layout(data: bytes) -> bytes:
    """NMC-70-abridged.csv -> the registered layout (peacesciencer's conversion, see PROVENANCE 2e):
    stateabb and version dropped, -9 written as NA, numbers in their shortest round-trip form."""
    rows = list(csv.reader(io.StringIO(_csv_text(data, "ascii").replace("\r\n", "\n").replace("\r", "\n"))))
    header = [h.strip() for h in rows[0]]
    keep = ["ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    index = [header.index(c) for c in keep]
    out = [",".join(keep)]
    for row in rows[1:]:
        if not row:
            continue
        out.append(",".join(_number_text(row[i]) for i in index))
    return ("\n".join(out) + "\n").encode("ascii")


def _number_text(value: str) -> str:
    value = value.strip()
    if value in ("-9", "", "NA"):
        return "NA"
    number = float(value)
    return str(int(number)) if number.is_integer() else repr(number)


def _polity_layout(data: bytes) -> bytes:
    """p5v2018.xls -> the CSV layout of the registered export: every sheet column, whole numbers
    without decimals, blank cells empty, CRLF (as Excel's "Save as CSV" writes it)."""
    # xlrd directly: pandas' xlrd engine is deprecated (Pandas4Warning) and .xls is xlrd's format.
    import xlrd

    sheet = xlrd.open_workbook(file_contents=data).sheet_by_index(0)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([str(c).strip() for c in sheet.row_values(0)])
    for i in range(1, sheet.nrows):
        writer.writerow([_cell_text(v) for v in sheet.row_values(i)])
    return buffer.getvalue().encode("ascii")


def _cell_text(value) -> str:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)


def _dataverse_layout(data: bytes) -> bytes:
    """Dataverse serves the original CSV; should it serve its tab-separated ingest copy instead,
    rewrite that as CSV (Dataverse quotes every string in .tab files)."""
    text = _csv_text(data, "utf-8")
    first = text.split("\n", 1)[0]
    if "\t" not in first:
        return data
    rows = csv.reader(io.StringIO(text), delimiter="\t")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue().encode("ascii")


def convert(e: Entry, data: bytes) -> bytes:
    """The publisher's distribution ``data`` -> the bytes of ``e.file`` in the registered layout."""
    fmt = e.publisher_format
    if fmt == "csv":
        return data
    if fmt == "zip":
        return _zip_member(data, e.publisher_members)
    if fmt == "nested_zip":
        member = _zip_member(data, e.publisher_members)
        return _nmc7_layout(member) if e.key == "nmc_7.0" else member
    if fmt == "xls":
        return _polity_layout(data)
    if fmt == "dataverse":
        return _dataverse_layout(data)
    raise ValueError(f"{e.key}: unknown publisher_format {fmt!r}")


def fetch_converted(e: Entry, target: Path) -> Path:
    """Download ``e``'s publisher distribution, check its raw bytes against the lock and its
    parsed content against ``e.content_sha256``, write ``target`` and record both in the lock."""
    dest_dir = target.parent
    lock = read_lock(dest_dir)
    entry_lock = lock.get(e.key, {})
    locked = entry_lock.get("sha256") if entry_lock.get("url") == e.publisher_url else None
    data, raw_hash = publisher_bytes(e, dest_dir / ".downloads")
    if locked is not None and raw_hash != locked:
        raise ChecksumError(
            f"{e.publisher_url}: the publisher's file for {e.file} changed since it was first fetched.\n"
            f"  locked {locked}  ({lock_path(dest_dir)})\n  actual {raw_hash}\n"
            f"The publisher may have re-issued it. Check the release, then delete the '{e.key}' entry "
            f"from {lock_path(dest_dir).name} to accept it (its parsed content is still checked).")
    converted = convert(e, data)
    with atomic_path(target) as tmp:
        tmp.write_bytes(converted)
        try:
            actual = file_content_hash(e, tmp)
        except DataError as exc:
            raise ChecksumError(f"{target}: the file converted from {e.publisher_url} does not parse as "
                                f"{e.label} ({exc}). The publisher's file is a different release or "
                                f"layout; do not use it without updating the registry.") from None
        if actual != e.content_sha256:
            raise ChecksumError(
                f"{target}: the content converted from {e.publisher_url} differs from the registered "
                f"{e.label}.\n  expected content {e.content_sha256}\n  actual content   {actual}\n"
                f"The publisher's file is a different release; do not use it without updating the registry.")
    lock[e.key] = {"url": e.publisher_url, "sha256": raw_hash, "converted_sha256": sha256_of(target),
                   "content_sha256": e.content_sha256}
    _write_lock(dest_dir, lock)
    return target
