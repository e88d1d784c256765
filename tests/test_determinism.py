"""Two runs give byte-identical outputs. The exhibits with parallelism (multiverse), binary formats
(PNG, PDF, Parquet) and the report are run twice into separate folders and every file hashed.
(The bootstrap's seeded reproducibility is tested in test_models.py.)"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from replication.paths import PROJECT_ROOT

PROGRAMS = ["build_panel.py", "multiverse.py", "fig_power_shares.py", "smartpower_cases.py", "report.py"]


def _run(root):
    env = {**os.environ, "REPLICATION_RESULTS_DIR": str(root / "results"),
           "REPLICATION_PROCESSED_DIR": str(root / "processed")}
    for program in PROGRAMS:
        subprocess.run([sys.executable, str(PROJECT_ROOT / "analysis" / program)], check=True, env=env,
                       capture_output=True)
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_runs_are_byte_identical(tmp_path):
    a = _run(tmp_path / "a")
    b = _run(tmp_path / "b")
    assert len(a) >= 12
    assert a == b
