"""The Makefile's housekeeping: moved checkouts, `make clean`, `make help`, the MANIFEST, stage lines."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from replication.paths import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def _skeleton(tmp_path):
    """The files the Makefile reads at parse time, in a fresh folder (no venv, no data)."""
    root = tmp_path / "checkout"
    (root / "replication" / "sources").mkdir(parents=True)
    for name in ("Makefile", "exhibits.mk", "pyproject.toml", "requirements.lock",
                 "replication/sources/registry.toml"):
        shutil.copyfile(PROJECT_ROOT / name, root / name)
    return root


def _make(root, *args):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=root, capture_output=True, text=True)


def test_a_copied_checkouts_venv_is_reinstalled(tmp_path):
    root = _skeleton(tmp_path)
    venv = root / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    stamp = venv / ".installed"
    stamp.write_text("/the/original/checkout\n")  # as copied from elsewhere, newer than its inputs
    out = _make(root, "-n", "venv")
    assert "reinstalling it for" in out.stdout and "pip install" in out.stdout and "-e ." in out.stdout
    stamp.write_text(f"{root.resolve()}\n")  # built here: nothing to do
    out = _make(root, "-n", "venv")
    assert "pip install" not in out.stdout, out.stdout


def test_make_clean_removes_manifest_and_paragraph(tmp_path):
    root = _skeleton(tmp_path)
    outputs = ["results/MANIFEST.sha256", "results/results_paragraph.md", "results/tables/t.csv",
               "results/.logs/t.log", "data/processed/state_phase_panel.csv"]
    for name in outputs:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x\n")
    assert _make(root, "clean").returncode == 0
    assert [name for name in outputs if (root / name).exists()] == []


def test_make_help_mentions_data_mirror():
    out = _make(PROJECT_ROOT, "help")
    assert out.returncode == 0 and "DATA_MIRROR" in out.stdout


def test_manifest_has_one_path_base(tmp_path, monkeypatch):
    """sha256sum -c works from the project root for results and the processed panel alike."""
    from replication.manifest import main

    (tmp_path / "results" / "tables").mkdir(parents=True)
    (tmp_path / "data" / "processed").mkdir(parents=True)
    (tmp_path / "results" / "tables" / "t.csv").write_text("a\n")
    (tmp_path / "results" / "report.html").write_text("b\n")
    (tmp_path / "results" / ".logs").mkdir()
    (tmp_path / "results" / ".logs" / "t.log").write_text("log\n")
    (tmp_path / "data" / "processed" / "panel.csv").write_text("c\n")
    monkeypatch.chdir(tmp_path)
    main(["results/MANIFEST.sha256", "results", "data/processed/panel.csv"])
    lines = (tmp_path / "results" / "MANIFEST.sha256").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == ["data/processed/panel.csv", "results/report.html",
                                                      "results/tables/t.csv"]
    if shutil.which("sha256sum"):
        check = subprocess.run(["sha256sum", "-c", "results/MANIFEST.sha256"], cwd=tmp_path,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr


def test_stage_prints_one_line_and_silences_only_understood_warnings(tmp_path):
    program = tmp_path / "exhibit.py"
    program.write_text(
        "import warnings\n"
        "print('a long table')\n"
        "warnings.warn('\\nVariables have been fully absorbed and have removed from the regression:\\n\\n"
        "democracy\\n')\n"
        "warnings.warn('something new')\n")
    env = {"REPLICATION_RESULTS_DIR": str(tmp_path / "results"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "replication.stage", str(program)], cwd=PROJECT_ROOT,
                         capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.splitlines()) == 1 and out.stdout.startswith("exhibit ") and out.stdout.rstrip().endswith(" s")
    assert "something new" in out.stderr and "absorbed" not in out.stderr
    assert (tmp_path / "results" / ".logs" / "exhibit.log").read_text() == "a long table\n"


def test_progress_bar_only_at_a_terminal(monkeypatch):
    import io

    from tqdm import tqdm

    from replication import _progress

    items = range(3)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # a log or a pipe: no bar, no output
    assert _progress.progress(items, desc="x") is items

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stderr", Terminal())
    bar = _progress.progress(items, desc="bootstrap")
    assert isinstance(bar, tqdm) and list(bar) == [0, 1, 2]
