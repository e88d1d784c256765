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
    zip_member: str | None = None

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
    return tuple(Entry(**item) for item in data["file"])


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


def check_hash(e: Entry, path: Path) -> None:
    actual = sha256_of(path)
    if actual != e.sha256:
        raise ChecksumError(
            f"{path}: sha256 mismatch for {e.label}.\n"
            f"  expected {e.sha256}\n  actual   {actual}\n"
            f"The file is corrupt, truncated or a different release. Delete it and run "
            f"`make data` to fetch it again from {e.url}"
            + (" (or from DATA_MIRROR)." if e.download != "mirror-only" else " via DATA_MIRROR."))


def missing_message(e: Entry, path: Path) -> str:
    how = (f"`make data` downloads it from {e.url}" if e.download != "mirror-only"
           else f"the publisher distributes it at {e.url} but not as these exact bytes, so `make data` "
                f"can only copy it from a mirror")
    return (f"{path} is missing ({e.label}). {how}. Offline, point DATA_MIRROR at a folder holding "
            f"{e.file} and run `DATA_MIRROR=/path/to/folder make data`.")


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
