"""The raw-data registry: one pinned entry (URL, sha256, version, citation) per file.

The entries live in ``registry.toml`` beside this module; this module reads them and
resolves and verifies the local copies.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ChecksumError, MissingRawFileError, UnknownVersionError
from ..paths import raw_dir

REGISTRY_PATH = Path(__file__).with_name("registry.toml")


@dataclass(frozen=True)
class Entry:
    key: str
    file: str
    dataset: str
    version: str
    url: str
    download: str
    sha256: str
    rows: int
    status: str
    publisher_file: bool
    encoding: str
    citation: str
    licence: str
    bibtex: str
    year_min: int
    year_max: int
    zip_member: str | None = None
    # download = "convert": the publisher's own distribution and how to turn it into `file`
    # (see publisher.py); content_sha256 pins the parsed table, whatever the bytes.
    publisher_url: str | None = None
    publisher_format: str | None = None
    publisher_members: tuple[str, ...] | None = None
    dataverse_doi: str | None = None
    content_sha256: str | None = None

    @property
    def label(self) -> str:
        """Dataset and version, with the warning for files that are not the publisher's bytes."""
        text = f"{self.dataset} v{self.version}"
        if not self.publisher_file:
            text += f" [{self.status}: not a publisher file]"
        return text

    def path(self) -> Path:
        return raw_dir() / self.file


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    with REGISTRY_PATH.open("rb") as fh:
        data = tomllib.load(fh)
    # lists become tuples: an Entry is frozen, so it must stay hashable
    return tuple(Entry(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()})
                 for item in data["file"])


def entry(key: str) -> Entry:
    for e in entries():
        if e.key == key:
            return e
    raise UnknownVersionError(f"{REGISTRY_PATH.name}: no raw file is registered under '{key}'. "
                              f"Known keys: {', '.join(e.key for e in entries())}.")


def versioned(prefix: str, version: str) -> Entry:
    """The entry for dataset ``prefix`` at ``version``, e.g. ``versioned('nmc', '4.0')``."""
    version = str(version).removeprefix("v")
    known = [e for e in entries() if e.key.startswith(prefix + "_")]
    for e in known:
        if e.version == version and e.key == f"{prefix}_{version}":
            return e
    versions = sorted(e.version for e in known if e.key == f"{prefix}_{e.version}")
    raise UnknownVersionError(f"Unknown {prefix.upper()} version '{version}'. "
                              f"The registry ({REGISTRY_PATH.name}) has: {', '.join(versions)}. "
                              f"Pass one of those, or register the new file there with its URL and sha256.")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def accepted_hashes(e: Entry, path: Path) -> set[str]:
    """The mirror bytes' sha256, plus the sha256 of the file a conversion from the publisher's
    distribution wrote (recorded in the lock file only after its parsed content was verified)."""
    from .publisher import converted_hash

    converted = converted_hash(e, Path(path).parent) if e.download == "convert" else None
    return {e.sha256} | ({converted} if converted else set())


def check_hash(e: Entry, path: Path) -> None:
    actual = sha256_of(path)
    if actual not in accepted_hashes(e, path):
        raise ChecksumError(
            f"{path}: sha256 mismatch for {e.label}.\n"
            f"  expected {e.sha256}\n  actual   {actual}\n"
            f"The file is corrupt, truncated or a different release. Delete it and run "
            f"`make data` to fetch it again ({how_to_get(e)}).")


def how_to_get(e: Entry) -> str:
    """Where `make data` gets ``e`` from: one wording for every message."""
    source = e.publisher_url if e.download == "convert" else e.url
    how = "converted from the publisher's " + source if e.download == "convert" else "from " + source
    return f"{how}, or from DATA_MIRROR=/folder/with/{e.file}"


def missing_message(e: Entry, path: Path) -> str:
    return (f"{path} is missing ({e.label}). Run `make data` to fetch it ({how_to_get(e)}); "
            f"offline: `DATA_MIRROR=/path/to/folder make data`.")


def check_extent(e: Entry, df, path: Path, years) -> None:
    """Row count and year coverage against the registry: catches a file cut at a row boundary
    (which parses cleanly) even when the sha256 check is bypassed by passing ``path``."""
    from ..errors import MalformedCSVError

    years = [int(y) for y in years.dropna()] if hasattr(years, "dropna") else list(years)
    lo, hi = (min(years), max(years)) if years else (None, None)
    if len(df) != e.rows or (lo, hi) != (e.year_min, e.year_max):
        raise MalformedCSVError(
            f"{path}: {len(df)} rows covering {lo}-{hi}, but the registered {e.label} has {e.rows} rows "
            f"covering {e.year_min}-{e.year_max}. The file is truncated, padded or another release; "
            f"fetch it again with `make data`.")


_VERIFIED: dict[tuple[str, float, int], bool] = {}


def local_path(e: Entry, *, verify: bool = True) -> Path:
    """Path of the local copy of ``e``, checked to exist and (once per process) to match its hash."""
    path = e.path()
    if not path.is_file():
        raise MissingRawFileError(missing_message(e, path))
    if verify:
        stat = path.stat()
        token = (str(path), stat.st_mtime, stat.st_size)
        if token not in _VERIFIED:
            check_hash(e, path)
            _VERIFIED[token] = True
    return path


def resolve(e: Entry, path: str | Path | None) -> Path:
    """The file a parser reads: ``path`` as given (not hash-checked), else the verified local copy."""
    if path is None:
        return local_path(e)
    path = Path(path)
    if not path.is_file():
        raise MissingRawFileError(f"{path} does not exist. Pass the path of a {e.label} file, or omit "
                                  f"`path` to use the registered copy in {raw_dir()}.")
    return path
