"""The self-contained HTML replication report. Writes results/report.html. Run: make report"""

from replication import paths
from replication.report import build_report

counts = build_report(paths.results_dir(), paths.results_dir() / "report.html")
print(f"wrote {paths.results_dir() / 'report.html'}: {counts['found']} exhibits, {counts['missing']} missing")
