"""The project's authored input files in data/raw (case files, exit coding, turning points, ...).

They are committed, not fetched, so ``make data`` cannot repair them: git can. A committed
manifest, ``data/raw/authored.toml``, pins each authored CSV's sha256 and its number of CSV
records (rows after the header). :func:`check` runs whenever a file is resolved through
:func:`replication.paths.authored_file` (every reader of an authored file goes through it):

- the hash matches: nothing to say;
- the hash differs and the file looks truncated -- its last line has no newline, a quoted field
  is never closed, or it has fewer rows than pinned (a cut at a line boundary is a valid CSV; only
  the count gives it away) -- :class:`~replication.errors.TruncatedFileError`, telling to restore it
  with ``git checkout -- data/raw/NAME`` (and, if rows were deleted on purpose, to re-pin);
- the hash differs otherwise: an edit. A :class:`~replication.errors.AuthoredFileChangedWarning`
  says so and how to re-pin after a deliberate edit, and the file is used as it is;
- a CSV that the manifest does not know (a new authored file): a warning asking to pin it.

Which files are authored is not a hand-kept list: every ``*.csv`` in the authored folder that
is not a publisher file of ``registry.toml``. Re-pin (after deliberate edits, or to add a file)::

    python -m replication.sources authored --update
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
import warnings
from dataclasses import dataclass
from pathlib import Path

from ..errors import AuthoredFileChangedWarning, DataError, TruncatedFileError

MANIFEST_NAME = "authored.toml"
UPDATE_COMMAND = "python -m replication.sources authored --update"
_HEADER = f"""\
# The project's authored files in data/raw: sha256 and CSV records after the header ("rows").
# Checked whenever a file is read (replication/sources/authored.py). A truncated file is an error
# (restore it from git); any other change is a warning. After a deliberate edit, re-pin with
#   {UPDATE_COMMAND}
# Generated; do not edit by hand.
"""


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    rows: int | None  # None: not a parseable CSV (an unterminated quoted field)
    ends_with_newline: bool
    parse_error: str | None = None


def fingerprint(path: Path) -> Fingerprint:
    """sha256 of the bytes, the number of CSV records after the header, and the truncation signs."""
    data = Path(path).read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    try:
        records = [r for r in csv.reader(io.StringIO(text), strict=True) if r]
    except csv.Error as exc:
        return Fingerprint(digest, None, text.endswith("\n"), str(exc))
    return Fingerprint(digest, max(len(records) - 1, 0), text.endswith("\n"))


def manifest_path(folder: Path | None = None) -> Path:
    from ..paths import authored_dir

    return (Path(folder) if folder is not None else authored_dir()) / MANIFEST_NAME


def read_manifest(folder: Path | None = None) -> dict[str, dict] | None:
    """``{file name: {"sha256": ..., "rows": ...}}``, or None when the folder has no manifest."""
    path = manifest_path(folder)
    if not path.is_file():
        return None
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"{path}: not valid TOML ({exc}). Restore it with `git checkout -- data/raw/{MANIFEST_NAME}`"
                        f", or regenerate it with `{UPDATE_COMMAND}`.") from None


def authored_names(folder: Path | None = None) -> list[str]:
    """Every CSV in the authored folder that is not a registered publisher file, sorted."""
    from ..paths import authored_dir
    from .registry import entries

    folder = Path(folder) if folder is not None else authored_dir()
    publisher = {e.file for e in entries()}
    return sorted(p.name for p in folder.glob("*.csv") if p.is_file() and p.name not in publisher)


def _restore(name: str) -> str:
    return f"Restore it with `git checkout -- data/raw/{name}` (`make data` cannot: the project authors this file)"


def problem(name: str, path: Path, pinned: dict | None) -> tuple[str, str] | None:
    """``("truncated" | "edited" | "unpinned", message)`` for ``path`` against its manifest entry, or None."""
    if pinned is None:
        return ("unpinned", f"{path} is an authored file that {MANIFEST_NAME} does not pin, so a truncation could "
                            f"not be detected. Pin it with `{UPDATE_COMMAND}` and commit {MANIFEST_NAME}.")
    now = fingerprint(path)
    if now.sha256 == pinned["sha256"]:
        return None
    why = None
    if now.rows is None:
        why = f"a quoted field is never closed ({now.parse_error})"
    elif not now.ends_with_newline:
        why = "its last line has no newline (the file was cut mid-line)"
    elif now.rows < pinned["rows"]:
        why = f"it has {now.rows} rows where {MANIFEST_NAME} pins {pinned['rows']} (cut at a line boundary?)"
    if why:
        return ("truncated", f"{path} looks truncated: {why}. {_restore(name)}. If you shortened it on purpose, "
                             f"re-pin it with `{UPDATE_COMMAND}`.")
    return ("edited", f"{path} differs from the version pinned in {MANIFEST_NAME} ({now.rows} rows, pinned "
                      f"{pinned['rows']}); it is used as it is. After a deliberate edit, re-pin it with "
                      f"`{UPDATE_COMMAND}` and commit both files; otherwise {_restore(name).lower()}.")


_CHECKED: dict[tuple, None] = {}


def check(name: str, path: Path) -> None:
    """Check one authored file against the manifest in its folder (see the module docstring).

    Raises :class:`TruncatedFileError` for a truncated file; warns for an edited or unpinned one.
    A folder without a manifest is checked only if it is the checkout's own data/raw (where the
    manifest is committed, so its absence is itself an error)."""
    from ..paths import PROJECT_ROOT

    path = Path(path)
    st = path.stat()
    key = (str(path), st.st_mtime_ns, st.st_size)
    if key in _CHECKED:  # each state of a file is checked (and warned about) once per process
        return
    manifest = read_manifest(path.parent)
    if manifest is None:
        if path.parent.resolve() == (PROJECT_ROOT / "data" / "raw").resolve():
            raise DataError(f"{manifest_path(path.parent)} is missing; it pins the authored files. Restore it with "
                            f"`git checkout -- data/raw/{MANIFEST_NAME}`.")
        _CHECKED[key] = None
        return
    found = problem(name, path, manifest.get(name))
    if found is not None:
        kind, message = found
        if kind == "truncated":
            raise TruncatedFileError(message)
        warnings.warn(message, AuthoredFileChangedWarning, stacklevel=3)
    _CHECKED[key] = None


def status(folder: Path | None = None) -> list[tuple[str, str, str]]:
    """``(file, state, message)`` for every authored file and manifest entry: ok, edited, truncated,
    unpinned or missing."""
    folder = Path(folder) if folder is not None else manifest_path().parent
    manifest = read_manifest(folder) or {}
    out = []
    for name in sorted(set(authored_names(folder)) | set(manifest)):
        path = folder / name
        if not path.is_file():
            out.append((name, "missing", f"{path} is missing. {_restore(name)}."))
            continue
        found = problem(name, path, manifest.get(name))
        out.append((name, "ok", "") if found is None else (name, *found))
    return out


def update(folder: Path | None = None) -> Path:
    """Pin every authored CSV in ``folder`` as it is now (after deliberate edits); returns the manifest."""
    from .._io import write_text

    folder = Path(folder) if folder is not None else manifest_path().parent
    lines = [_HEADER]
    for name in authored_names(folder):
        fp = fingerprint(folder / name)
        if fp.rows is None:
            raise TruncatedFileError(f"{folder / name}: not a valid CSV ({fp.parse_error}); fix it before pinning it.")
        lines.append(f'["{name}"]\nsha256 = "{fp.sha256}"\nrows = {fp.rows}\n')
    _CHECKED.clear()
    return write_text(manifest_path(folder), "\n".join(lines))
