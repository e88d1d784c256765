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


def pytest_configure(config):
    """Filters that must hold in module- and session-scoped fixtures too (which are set up before any
    function-scoped fixture): installed once, before the first test; pytest copies them into each test's
    warning capture.

    The default model frame (Polity >= 6) drops the rows at risk without a Polity score (39 of 455, 8.6%),
    so model_frame warns (DroppedRowsWarning) wherever a test builds it. Understood, and asserted in
    tests/test_api.py; the regex matches only when democracy is the one column with missing rows, so any
    other dropped column (an extra control's) still warns."""
    from replication.models import DroppedRowsWarning

    warnings.filterwarnings("ignore", category=DroppedRowsWarning,
                            message=r"model_frame: \d+ of \d+ rows at risk \([\d.]+%, more than 5%\) dropped for "
                                    r"missing values, \d+ of them events: democracy NA in \d+ rows[^;]*\. Each row")


@pytest.fixture(scope="session")
def panel():
    """The default state-phase panel (year scheme), built once for every test that needs it."""
    from replication.panel import build_panel

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NA counts: asserted where they matter, not here
        return build_panel()
