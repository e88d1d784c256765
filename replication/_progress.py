"""Progress bars and stage lines: shown to a person at a terminal, silent in logs and tests."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def interactive() -> bool:
    """True when stderr is a terminal (a person is watching), False in make logs, CI and pytest."""
    return sys.stderr.isatty()


def progress(items: Iterable[T], *, desc: str, total: int | None = None) -> Iterator[T] | Iterable[T]:
    """``items`` wrapped in a tqdm bar when attached to a terminal, else ``items`` unchanged."""
    if not interactive():
        return items
    from tqdm import tqdm

    return tqdm(items, desc=desc, total=total, leave=False, file=sys.stderr)
