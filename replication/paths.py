"""Where the project's folders are.

The package is normally installed in editable mode from a checkout, so the folders
sit beside the package. Environment variables override each location, which is how
tests and ``make bench`` point the code at temporary folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _dir(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value) if value else default


def raw_dir() -> Path:
    """Folder with raw inputs: publisher files (fetched) and authored files (committed)."""
    return _dir("REPLICATION_RAW_DIR", PROJECT_ROOT / "data" / "raw")


def authored_dir() -> Path:
    """Folder with the project's own authored inputs (case files, overrides).

    They live in ``data/raw`` in the repository; this is kept separate from
    :func:`raw_dir` so that pointing the publisher files elsewhere does not lose them.
    """
    return _dir("REPLICATION_AUTHORED_DIR", PROJECT_ROOT / "data" / "raw")


def processed_dir() -> Path:
    return _dir("REPLICATION_PROCESSED_DIR", PROJECT_ROOT / "data" / "processed")


def results_dir() -> Path:
    return _dir("REPLICATION_RESULTS_DIR", PROJECT_ROOT / "results")


def tables_dir() -> Path:
    return results_dir() / "tables"


def figures_dir() -> Path:
    return results_dir() / "figures"


def authored_file(name: str, path=None) -> Path:
    """An authored input: ``path`` if given, else ``data/raw/<name>``; a clear error if it is absent.

    The authored folder's own copy (``path`` omitted, or naming that same file) is checked against
    the manifest data/raw/authored.toml (replication.sources.authored): a truncated file raises
    TruncatedFileError (restore it from git), an edited or unpinned one warns. A file elsewhere
    (a test's or a user's variant passed as ``path``) is not checked against it."""
    from .errors import DataError

    default = authored_dir() / name
    target = Path(path) if path else default
    if not target.is_file():
        raise DataError(f"{target} is missing. It is authored by the project and committed in data/raw/; "
                        f"restore it with `git checkout -- data/raw/{name}`.")
    if target.resolve() == default.resolve():
        from .sources.authored import check

        check(name, target)
    if AUTHORED_INTEGERS.get(name):
        _check_integers(target, AUTHORED_INTEGERS[name])
    return target


# Whole-number columns of the authored files, checked where the file is resolved: a hand edit such
# as spell=x must fail with the file and line, not later as a pyarrow cast error in a reader.
AUTHORED_INTEGERS = {
    "coalition_exits.csv": ["war_num", "side", "ccode", "spell"],
    "coalition_war_endings.csv": ["war_num", "side", "member_ccode"],
    "coalition_member_efforts.csv": ["war_num", "side", "ccode", "spell", "gap_days"],
    "phase_turning_points.csv": ["war_num"],
}


def _check_integers(path: Path, columns: list[str]) -> None:
    from .sources._csv import read_text_table, to_number

    from .errors import DataError

    table = read_text_table(path, encoding="utf-8", required=[])
    for column in columns:
        if column in table.columns:  # a missing column is the reader's error to report
            try:
                to_number(table, column, path=path, integer=True)
            except DataError as exc:
                # to_number's advice (re-fetch with make data) fits publisher files, not authored ones
                raise DataError(str(exc).split(" Check the file against", 1)[0].split(" or a known missing")[0]
                                + f". It must be a whole number; correct that line of {path.name}.") from None
