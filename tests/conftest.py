"""Shared fixtures.

Tests that read the publishers' files use the verified copies in data/raw/, which
`make test` fetches first (from DATA_MIRROR in CI). Tests that need a broken or
synthetic file write it to a temporary folder and point the package there.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest

from replication.paths import PROJECT_ROOT

RAW = PROJECT_ROOT / "data" / "raw"


@pytest.fixture
def raw_copy(tmp_path, monkeypatch):
    """Copy one registered raw file into an isolated raw folder; return a function that does it."""
    raw = tmp_path / "raw"
    raw.mkdir()
    monkeypatch.setenv("REPLICATION_RAW_DIR", str(raw))

    def copy(name: str) -> Path:
        target = raw / name
        shutil.copyfile(RAW / name, target)
        return target

    return copy


@pytest.fixture(autouse=True)
def _understood_upstream_warnings():
    """The upstream warnings the exhibit runner silences (replication.stage.UNDERSTOOD, each with the
    reason it is harmless) are silenced in the tests too; every other warning still shows. pytest's
    warning capture wraps each test's set-up, call and teardown, so the filters last for one test."""
    from replication.stage import silence_understood

    silence_understood()


@pytest.fixture(scope="session")
def panel():
    """The default state-phase panel (year scheme), built once for every test that needs it."""
    from replication.panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NA counts: asserted where they matter, not here
        return build_panel()
