"""The HTML report: self-contained, every image loads and every table is present (headless Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from replication.paths import PROJECT_ROOT
from replication.report import EXHIBITS, build_report

QUICK = ["table1_power_shares.py", "fig_power_shares.py", "table2_congruence.py", "smartpower_figure1_strategies.py"]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    """A report built from a few quickly made exhibits; the others are listed as not built."""
    results = tmp_path_factory.mktemp("results")
    env = {**os.environ, "REPLICATION_RESULTS_DIR": str(results)}
    for program in QUICK:
        subprocess.run([sys.executable, str(PROJECT_ROOT / "analysis" / program)], check=True, env=env,
                       capture_output=True)
    target = results / "report.html"
    counts = build_report(results, target)
    return target, counts


def test_report_is_self_contained(report):
    target, counts = report
    text = target.read_text()
    assert counts["found"] == 5 and counts["missing"] == len(EXHIBITS) - 5
    assert not re.search(r"""(src|href)=["']https?://""", text)  # no network resources
    assert text.count('src="data:image/png;base64,') == 2
    assert "Table 1 (Resnick 2013)" in text and "make table1" in text and "Not built yet" in text
    assert "Inter-StateWarData_v4.0.csv" in text and "CONVERSION" in text  # provenance


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian package 'chromium'; "
                                             ".ci/run installs it)")
def test_report_renders_in_chromium(report, tmp_path):
    target, _ = report
    profile = tmp_path / "profile"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000",
                          "--dump-dom", target.as_uri()], capture_output=True, text=True, timeout=120).stdout
    body = re.search(r"<body([^>]*)>", dom).group(1)
    attrs = dict(re.findall(r'data-([a-z-]+)="(\d+)"', body))
    assert attrs["images"] == attrs["images-ok"] == "2"
    assert int(attrs["tables"]) == target.read_text().count("<table")
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,1800",
                    f"--screenshot={shot}", target.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    saved = Path(os.environ.get("REPORT_SCREENSHOT", tmp_path / "saved.png"))
    shutil.copyfile(shot, saved)
