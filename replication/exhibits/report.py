"""The self-contained HTML replication report. Writes results/report.html. Run: make report (or python analysis/report.py)"""

from .. import paths
from ..report import build_report


def build() -> None:
    counts = build_report(paths.results_dir(), paths.results_dir() / "report.html")
    print(f"wrote {paths.results_dir() / 'report.html'}: {counts['found']} exhibits, {counts['missing']} missing")
