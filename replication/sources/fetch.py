"""Fetch the registered raw files: from DATA_MIRROR if set, else from the publisher.

Downloads go through pooch, which checks the pinned sha256. Files that the
publisher ships inside a zip are unpacked with pooch's ``Unzip`` processor and the
member is then checked against the registry hash (pooch can only check the hash of
the zip itself, which we do not pin).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .._io import atomic_path
from ..errors import ChecksumError, MissingRawFileError
from .registry import Entry, check_hash, entries, missing_message, sha256_of


def mirror_dir() -> Path | None:
    value = os.environ.get("DATA_MIRROR")
    return Path(value).expanduser() if value else None


def fetch(e: Entry, dest_dir: Path | None = None, *, quiet: bool = False) -> Path:
    """Make sure ``dest_dir/e.file`` exists and matches the pinned sha256. Returns its path."""
    dest_dir = Path(dest_dir) if dest_dir is not None else e.path().parent
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / e.file
    mirror = mirror_dir()

    if mirror is not None:
        source = mirror / e.file
        if not source.is_file():
            raise MissingRawFileError(
                f"{source} is missing: DATA_MIRROR={mirror} has no {e.file} ({e.label}). "
                f"Copy the file there, or unset DATA_MIRROR so that `make data` downloads it from {e.url}.")
        actual = sha256_of(source)
        if actual != e.sha256:
            raise ChecksumError(
                f"{source}: sha256 mismatch for {e.label} in DATA_MIRROR.\n"
                f"  expected {e.sha256}\n  actual   {actual}\n"
                f"The mirror copy is corrupt or a different release; replace it with the file from {e.url}.")
        if target.is_file() and sha256_of(target) == e.sha256:
            _say(quiet, f"ok       {e.file}")
            return target
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
        _say(quiet, f"copied   {e.file}  (from {mirror})")
        return target

    if target.is_file():
        check_hash(e, target)
        _say(quiet, f"ok       {e.file}")
        return target
    if e.download == "mirror-only":
        raise MissingRawFileError(missing_message(e, target))
    _download(e, target)
    check_hash(e, target)
    _say(quiet, f"fetched  {e.file}  (from {e.url})")
    return target


def _download(e: Entry, target: Path) -> None:
    import pooch  # only needed online

    if e.download == "direct":
        with atomic_path(target) as tmp:
            try:
                pooch.retrieve(e.url, known_hash=f"sha256:{e.sha256}", fname=tmp.name, path=tmp.parent,
                               progressbar=False)
            except ValueError as exc:  # pooch reports a hash mismatch as ValueError
                raise ChecksumError(f"{target}: the file downloaded from {e.url} failed its sha256 check "
                                    f"({exc}). Expected {e.sha256}. The publisher may have re-issued it; "
                                    f"do not use it without updating the registry.") from None
        return
    # zip: the archive's own hash is not pinned (the registry pins the CSV inside it).
    cache = target.parent / ".downloads"
    members = pooch.retrieve(e.url, known_hash=None, path=cache, progressbar=False,
                             processor=pooch.Unzip(members=[e.zip_member]))
    member = Path(members[0])
    with atomic_path(target) as tmp:
        shutil.copyfile(member, tmp)


def fetch_all(dest_dir: Path | None = None, *, quiet: bool = False) -> list[Path]:
    """Fetch and verify every registered file; stops at the first failure with its message."""
    return [fetch(e, dest_dir, quiet=quiet) for e in entries()]


def _say(quiet: bool, msg: str) -> None:
    if not quiet:
        print(msg, flush=True)
