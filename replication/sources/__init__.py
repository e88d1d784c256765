"""Raw sources: the pinned registry, fetching, and one parser per publisher file.

>>> from replication import sources
>>> sources.versions()          # what is registered, and whether the local copy verifies
>>> frame, bibtex = sources.cite()
>>> nmc = sources.read_nmc("4.0")
"""

from __future__ import annotations

import pandas as pd

from .alliances import read_alliances
from .bmr import read_bmr
from .cow_system import major_power_years, read_majors, read_states, read_system
from .cow_war import participation_spells, read_interstate_war
from .fetch import fetch, fetch_all
from .nmc import read_nmc, read_nmc_supplement
from .polity import read_polity5
from .registry import accepted_hashes, entries, entry, sha256_of

# --- opt-in cache of parsed files -------------------------------------------------------------
# The multiverse builds eight panels (scheme x NMC version) and each build re-parses the same war,
# Polity5, BMR, majors and alliance files. Inside ``parse_once()`` every parser below reads its file
# once per process and hands out deep copies. The key includes the size and mtime of every file in
# the raw folder, so an edited or replaced file is parsed again; outside the block nothing is cached
# and each call parses (and warns) as usual.
_PARSED: dict = {}
_CACHING = False


def _raw_state() -> tuple:
    from ..paths import raw_dir

    folder = raw_dir()
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir() if p.is_file())) \
        if folder.is_dir() else ()


def _cached(parser):
    import functools

    @functools.wraps(parser)
    def read(*args, **kwargs):
        if not _CACHING:
            return parser(*args, **kwargs)
        key = (parser.__name__, args, tuple(sorted(kwargs.items())), _raw_state())
        if key not in _PARSED:
            _PARSED[key] = parser(*args, **kwargs)
        return _PARSED[key].copy(deep=True)

    return read


class parse_once:
    """``with sources.parse_once(): ...``: parse each raw file at most once in the block (see above)."""

    def __enter__(self):
        global _CACHING
        self._before, _CACHING = _CACHING, True
        return self

    def __exit__(self, *exc):
        global _CACHING
        _CACHING = self._before
        return False


read_interstate_war = _cached(read_interstate_war)
read_nmc = _cached(read_nmc)
read_polity5 = _cached(read_polity5)
read_bmr = _cached(read_bmr)
read_majors = _cached(read_majors)
read_alliances = _cached(read_alliances)

__all__ = ["versions", "parse_once", "cite", "fetch", "fetch_all", "entries", "entry", "read_interstate_war",
           "participation_spells", "read_nmc", "read_nmc_supplement", "read_polity5", "read_bmr",
           "read_states", "read_system", "read_majors", "major_power_years", "read_alliances"]


def versions(check: bool = True) -> pd.DataFrame:
    """One row per registered raw file: dataset, version, URL, sha256, status.

    With ``check=True`` the local copy is hashed: ``local`` is "verified",
    "MISMATCH" or "missing".
    """
    rows = []
    for e in entries():
        row = {"key": e.key, "dataset": e.dataset, "version": e.version, "file": e.file,
               "publisher_file": e.publisher_file, "status": e.status, "url": e.url,
               "download": e.download, "sha256": e.sha256, "rows": e.rows}
        if check:
            path = e.path()
            row["local"] = ("missing" if not path.is_file()
                            else "verified" if sha256_of(path) in accepted_hashes(e, path) else "MISMATCH")
        rows.append(row)
    return pd.DataFrame(rows)


def cite() -> tuple[pd.DataFrame, str]:
    """Citations for every registered source: a DataFrame and one BibTeX string.

    BibTeX entries shared by several files (e.g. the COW system files) appear once.
    """
    frame = pd.DataFrame([{"key": e.key, "dataset": e.dataset, "version": e.version, "citation": e.citation,
                           "licence": e.licence, "url": e.url, "publisher_file": e.publisher_file}
                          for e in entries()])
    seen: dict[str, str] = {}
    for e in entries():
        for block in e.bibtex.strip().split("\n@"):
            block = block if block.startswith("@") else "@" + block
            seen.setdefault(block.split("{", 1)[1].split(",", 1)[0], block)
    return frame, "\n\n".join(seen.values()) + "\n"
