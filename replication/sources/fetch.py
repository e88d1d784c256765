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
from .registry import Entry, accepted_hashes, check_hash, entries, how_to_get, missing_message, sha256_of


def mirror_dir() -> Path | None:
    value = os.environ.get("DATA_MIRROR")
    return Path(value).expanduser() if value else None


def mirror_missing_message(mirror: Path) -> str:
    """DATA_MIRROR names a folder that does not exist (or is a file): say so, not 'set DATA_MIRROR'."""
    what = "is a file, not a folder" if mirror.exists() else "does not exist"
    return (f"DATA_MIRROR={mirror} {what}. Point DATA_MIRROR at the folder that holds the raw files "
            f"(e.g. DATA_MIRROR=/path/to/shared/data/raw make data), or unset it to download them.")


def fetch(e: Entry, dest_dir: Path | None = None, *, quiet: bool = False) -> Path:
    """Make sure ``dest_dir/e.file`` exists and matches the pinned sha256. Returns its path.

    A verified local copy is kept silently; a missing one is copied from DATA_MIRROR if set,
    else downloaded (and converted, for ``download = "convert"``)."""
    dest_dir = Path(dest_dir) if dest_dir is not None else e.path().parent
    dest_dir.mkdir(parents=True, exist_ok=True)
    target = dest_dir / e.file
    mirror = mirror_dir()

    if target.is_file():
        if sha256_of(target) in accepted_hashes(e, target):
            return target
        if mirror is None:
            check_hash(e, target)  # raises, naming both hashes
    if mirror is not None:  # (a corrupt local copy is replaced from the mirror)
        if not mirror.is_dir():
            raise MissingRawFileError(mirror_missing_message(mirror))
        source = mirror / e.file
        if not source.is_file():
            raise MissingRawFileError(f"{source} is missing: DATA_MIRROR={mirror} has no {e.file} ({e.label}); "
                                      f"add it, or unset DATA_MIRROR to fetch it ({how_to_get(e)}).")
        actual = sha256_of(source)
        if actual != e.sha256:
            raise ChecksumError(
                f"{source}: sha256 mismatch for {e.label} in DATA_MIRROR.\n"
                f"  expected {e.sha256}\n  actual   {actual}\n"
                f"The mirror copy is corrupt or a different release; replace it ({how_to_get(e)}).")
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
        _say(quiet, f"copied   {e.file}  (from {mirror})")
        return target
    try:
        if e.download == "convert":
            from .publisher import fetch_converted

            fetch_converted(e, target)
            _say(quiet, f"fetched  {e.file}  (converted from {e.publisher_url})")
            return target
        _download(e, target)
    except MissingRawFileError as exc:  # network down or file gone: one line, not a traceback
        raise MissingRawFileError(f"{missing_message(e, target)} [{exc}]") from None
    check_hash(e, target)
    _say(quiet, f"fetched  {e.file}  (from {e.url})")
    return target


def _download(e: Entry, target: Path) -> None:
    from .publisher import download

    cache = target.parent / ".downloads"
    if e.download == "direct":
        try:
            fetched = download(e.url, cache, known_hash=f"sha256:{e.sha256}")
        except ValueError as exc:  # pooch reports a hash mismatch as ValueError
            raise ChecksumError(f"{target}: the file downloaded from {e.url} failed its sha256 check "
                                f"({exc}). Expected {e.sha256}. The publisher may have re-issued it; "
                                f"do not use it without updating the registry.") from None
        with atomic_path(target) as tmp:
            shutil.move(fetched, tmp)
        return
    # zip: the archive's own hash is not pinned (the registry pins the CSV inside it).
    import zipfile

    archive = download(e.url, cache)
    with zipfile.ZipFile(archive) as zf, atomic_path(target) as tmp:
        tmp.write_bytes(zf.read(e.zip_member))


def fetch_all(dest_dir: Path | None = None, *, quiet: bool = False) -> list[Path]:
    """Fetch and verify every registered file; stops at the first failure with its message."""
    return [fetch(e, dest_dir, quiet=quiet) for e in entries()]


def missing_report(missing: list[Entry]) -> str:
    """One consolidated list of the files that could not be fetched: grouped by the folder of
    their official URL (so 14 files fit in a few lines), then how to supply them."""
    groups: dict[str, list[str]] = {}
    for e in missing:
        url = e.publisher_url if e.download == "convert" else e.url
        if e.download == "convert" and e.publisher_format == "dataverse":
            folder, name = f"{url} ({e.dataverse_doi}) ", e.publisher_members[0]
        else:
            folder, _, name = url.rpartition("/")
            folder += "/"
        groups.setdefault(folder, []).append(name if name == e.file else f"{name} -> {e.file}")
    lines = [f"error: {len(missing)} raw file(s) missing and not downloadable here (offline?). Official sources:"]
    lines += [f"  {folder}{{{', '.join(names)}}}" for folder, names in groups.items()]
    lines.append("Supply them: download them (`make data` converts zip/xls/Dataverse files itself), or put the "
                 "files named after '->' in a folder and run `DATA_MIRROR=/that/folder make data`.")
    return "\n".join(lines)


def _say(quiet: bool, msg: str) -> None:
    if not quiet:
        print(msg, flush=True)
