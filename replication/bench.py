"""Benchmarks for ``make bench``, printed as ratios measured in one run.

Wall-clock seconds depend on the machine; ratios against a baseline measured in the
same run (here: one Python process that only imports the exhibits' dependencies)
say whether the pipeline itself is lean. Each exhibit is its own Python process, so
the floor is roughly (number of exhibit programs) x (their import cost).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .paths import PROJECT_ROOT

DEPENDENCIES = ["pandas", "numpy", "scipy.stats", "matplotlib.pyplot", "pandera.pandas", "firthmodels"]


def _time(cmd: list[str], repeat: int = 3, **kw) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, **kw)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> int:
    imports = _time([sys.executable, "-c", "import " + ", ".join(DEPENDENCIES)])
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh results folder: every table and figure is built from the raw files.
        t0 = time.perf_counter()
        subprocess.run(["make", "-s", "tables", "figures", f"RESULTS={tmp}"], check=True, cwd=PROJECT_ROOT,
                       stdout=subprocess.DEVNULL)
        build = time.perf_counter() - t0
        n_programs = len(list((PROJECT_ROOT / "analysis").glob("*.py")))
        noop = _time(["make", "-s", "tables", "figures", f"RESULTS={tmp}"])
    print(f"bare imports of the exhibits' dependencies, one process: {imports:6.2f} s  (median of 3)")
    print(f"make tables figures from the raw files ({n_programs} programs):     {build:6.2f} s  "
          f"ratio {build / imports:.1f}x bare imports")
    print(f"no-op make tables figures (nothing stale):                {noop:6.2f} s  "
          f"ratio {noop / imports:.2f}x bare imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
