"""Outputs are byte-identical between runs, and between the two ways of building an exhibit: the
one-process path (python -m replication.exhibits build ..., as make runs it, with the panel,
model frame and fits shared between exhibits) and each program run alone (python analysis/NAME.py).

The exhibits chosen are cheap ones that can go wrong: binary formats (PNG, PDF, Parquet), the
report, the sample flow, which in one process reads the panel that build_panel has just rewritten
(the shared caches must see the new file) and builds the 2001 and pooled panels beside it, and the
influence figure, which refits the Firth logit war by war. Tables 3-5 (10-20 s a run, and each run
twice here) and the multiverse are left out to keep `make test` near a minute; their seeded parts are
tested for reproducibility in tests/test_models.py and tests/test_robustness.py."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from replication.exhibits import build_order
from replication.paths import PROJECT_ROOT

# Two independent groups, so that pytest-xdist runs them on both cores.
GROUPS = [["fig_power_shares", "smartpower_cases"],
          ["build_panel", "sample_flow", "influence", "report"]]


def _env(root):
    return {**os.environ, "REPLICATION_RESULTS_DIR": str(root / "results"),
            "REPLICATION_PROCESSED_DIR": str(root / "processed")}


def _hashes(root):
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and ".logs" not in p.parts}


@pytest.mark.parametrize("EXHIBITS", GROUPS, ids=["figures", "panel-flow-influence-report"])
def test_one_process_and_single_programs_give_identical_bytes(tmp_path, EXHIBITS):
    one, alone = tmp_path / "one", tmp_path / "alone"
    out = subprocess.run([sys.executable, "-m", "replication.exhibits", "build", *EXHIBITS], env=_env(one),
                         capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    # one line per exhibit, in the registry's order, each with its elapsed time
    assert [line.split()[0] for line in out.stdout.splitlines()] == build_order(EXHIBITS)
    for name in EXHIBITS:
        subprocess.run([sys.executable, str(PROJECT_ROOT / "analysis" / f"{name}.py")], check=True, env=_env(alone),
                       capture_output=True)
    a, b = _hashes(one), _hashes(alone)
    assert len(a) >= 6
    assert a == b
    assert all((one / "results" / ".logs" / f"{name}.log").is_file() for name in EXHIBITS if name != "build_panel")
