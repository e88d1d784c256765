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


def test_stage_prints_one_line_logs_warnings_and_silences_only_understood_ones(tmp_path):
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
    log = tmp_path / "results" / ".logs" / "exhibit.log"
    # one line: the name, the time and the warnings counted by category, pointing at the log
    assert len(out.stdout.splitlines()) == 1 and out.stdout.startswith("exhibit ")
    assert out.stdout.rstrip().endswith(f" s  (1 warning: 1 UserWarning; in {log})")
    assert out.stderr == ""  # nothing else on the screen
    text = log.read_text()
    assert text.startswith("a long table\n\n--- 1 warning(s) ---\n") and "UserWarning: something new" in text
    assert "absorbed" not in text  # the understood warning is silenced, not logged


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


# --- make clean refuses folders it must not delete in ----------------------------------------------------------

def _clean_fixture(tmp_path):
    """A checkout skeleton plus sentinel files inside and outside it; returns (root, sentinels)."""
    root = _skeleton(tmp_path)
    home = tmp_path / "home"
    outside = tmp_path / "elsewhere"
    sentinels = [home / "keep.html", home / "tables" / "t.csv", outside / "keep.html", outside / "tables" / "t.csv",
                 root / "results" / "keep.html", root / "data" / "processed" / "panel.csv", root / "Makefile"]
    for path in sentinels:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text("x\n")
    return root, home, outside, sentinels


@pytest.mark.parametrize("assignment, reason", [
    ("RESULTS=", "RESULTS is empty"),
    ("PROC=", "PROC is empty"),
    ("RESULTS=/", "RESULTS=/ is the filesystem root"),
    ("PROC=/", "PROC=/ is the filesystem root"),
    ("RESULTS=..", "is this checkout or a folder that contains it"),
    ("RESULTS=results/../..", "is this checkout or a folder that contains it"),
    ("PROC=.", "PROC=. is this checkout or a folder that contains it"),
    ("RESULTS=results /", "is more than one path"),
])
def test_make_clean_refuses_unsafe_folders_even_in_a_dry_run(tmp_path, assignment, reason):
    """`make -n clean` expands the recipe, so the refusal fires before anything could run (with -n
    nothing runs anyway: the assertion is that make stops and prints no rm/find line)."""
    root, _, _, sentinels = _clean_fixture(tmp_path)
    out = _make(root, "-n", "clean", assignment)  # one argument, even with a space in it
    assert out.returncode != 0
    assert "make clean refused (nothing was deleted)" in out.stderr and reason in out.stderr, out.stderr
    assert "rm -rf" not in out.stdout and "find " not in out.stdout
    assert all(p.exists() for p in sentinels)


def test_make_clean_refuses_home_and_outside_folders_for_real(tmp_path):
    """Real runs (not -n), made safe by pointing HOME and the outside folder at temporary folders:
    every sentinel file survives the refusals, and ALLOW_CLEAN_OUTSIDE=1 then cleans the outside folder."""
    root, home, outside, sentinels = _clean_fixture(tmp_path)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home)}
    for assignment, reason in [(f"RESULTS={home}", "is your home folder"),
                               (f"RESULTS={outside}", "is outside this checkout"),
                               (f"PROC={outside}", "is outside this checkout"),
                               (f"RESULTS={root}/results/../../elsewhere", "is outside this checkout")]:
        out = subprocess.run(["make", "--no-print-directory", "clean", assignment], cwd=root, env=env,
                             capture_output=True, text=True)
        assert out.returncode != 0 and reason in out.stderr, (assignment, out.stderr)
        assert all(p.exists() for p in sentinels), assignment
    # a symlink inside the checkout that points outside is outside
    (root / "link").symlink_to(outside)
    out = subprocess.run(["make", "--no-print-directory", "clean", "RESULTS=link"], cwd=root, env=env,
                         capture_output=True, text=True)
    assert out.returncode != 0 and "is outside this checkout" in out.stderr
    assert all(p.exists() for p in sentinels)
    out = subprocess.run(["make", "--no-print-directory", "clean", f"RESULTS={outside}", "ALLOW_CLEAN_OUTSIDE=1"],
                         cwd=root, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert not (outside / "keep.html").exists() and not (outside / "tables").exists()
    assert (home / "keep.html").exists() and (root / "Makefile").exists()


# --- make venv checks the interpreter --------------------------------------------------------------------------

def _venv_check():
    import importlib.util

    spec = importlib.util.spec_from_file_location("_venv_check", PROJECT_ROOT / "replication" / "_venv_check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_version_floor_comes_from_pyproject():
    check = _venv_check()
    assert check.required_version() == (3, 11)
    msg = check.python_problem((3, 10, 13), "/usr/bin/python3.10")
    assert "needs Python >= 3.11" in msg and "/usr/bin/python3.10 is Python 3.10.13" in msg and "PYTHON=" in msg
    assert check.python_problem((3, 11, 0), "/usr/bin/python3.11") is None
    assert check.python_problem((3, 13, 1), "/usr/bin/python3.13") is None


def _fake_venv(root, version, home="/opt/python/bin"):
    venv = root / ".venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "pyvenv.cfg").write_text(f"home = {home}\ninclude-system-site-packages = false\nversion = {version}\n")
    return venv


def test_a_venv_built_by_python_310_is_detected(tmp_path):
    check = _venv_check()
    venv = _fake_venv(tmp_path, "3.10.13")
    msg = check.venv_problem(str(venv))
    assert "built by Python 3.10.13, older than the 3.11 this project needs" in msg
    # the script as the Makefile runs it, with any python3
    out = subprocess.run([sys.executable, str(PROJECT_ROOT / "replication" / "_venv_check.py"), "stale", str(venv)],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "built by Python 3.10.13" in out.stdout
    assert check.venv_problem(str(tmp_path / "no-venv")) is None


def test_a_venv_whose_interpreter_was_removed_is_rebuilt(tmp_path):
    check = _venv_check()
    venv = _fake_venv(tmp_path, ".".join(map(str, sys.version_info[:3])))
    (venv / "bin" / "python").symlink_to(tmp_path / "removed" / "python3.11")
    assert "no longer exists" in check.venv_problem(str(venv))


def test_a_venv_of_another_interpreter_is_rebuilt_only_when_python_is_named(tmp_path):
    check = _venv_check()
    here = ".".join(map(str, sys.version_info[:3]))
    same = _fake_venv(tmp_path / "a", here, home=str(PROJECT_ROOT / "nowhere"))
    assert check.venv_problem(str(same)) is None  # right version: kept unless PYTHON names another interpreter
    assert "was built by the Python in" in check.venv_problem(str(same), compare_interpreter=True)
    other = _fake_venv(tmp_path / "b", "3.99.0")
    assert "was built by Python 3.99.0, not by" in check.venv_problem(str(other), compare_interpreter=True)


def test_make_venv_checks_python_first_and_rebuilds_a_310_venv(tmp_path):
    root = _skeleton(tmp_path)
    (root / "replication" / "_venv_check.py").write_text(
        (PROJECT_ROOT / "replication" / "_venv_check.py").read_text())
    _fake_venv(root, "3.10.13")
    out = _make(root, "-n", "venv", f"PYTHON={sys.executable}")
    assert ".venv was built by Python 3.10.13, older than the 3.11 this project needs" in out.stdout, out.stdout
    lines = out.stdout.splitlines()
    recipe = [line for line in lines if "_venv_check.py python" in line or line.startswith("rm -rf .venv")
              or "-m venv .venv" in line]
    assert [("check" if "_venv_check" in r else "rm" if r.startswith("rm") else "venv") for r in recipe] == \
        ["check", "rm", "venv"], out.stdout


def test_make_venv_with_python_310_says_so(tmp_path):
    """With a real Python 3.10 (pyenv keeps one on the development machines; skipped elsewhere)."""
    import glob

    found = sorted(glob.glob("/root/.pyenv/versions/3.10*/bin/python3.10")) or \
        [p for p in [shutil.which("python3.10")] if p]
    if not found:
        pytest.skip("no Python 3.10 on this machine")
    root = _skeleton(tmp_path)
    (root / "replication" / "_venv_check.py").write_text(
        (PROJECT_ROOT / "replication" / "_venv_check.py").read_text())
    out = _make(root, "venv", f"PYTHON={found[0]}")
    assert out.returncode != 0
    assert "this project needs Python >= 3.11" in out.stderr and "is Python 3.10" in out.stderr, out.stderr
    assert not (root / ".venv").exists()  # nothing half-built left behind


# --- exhibit failures: one line on screen, the traceback in the log --------------------------------------------

def test_a_failing_exhibit_prints_one_message_and_logs_the_traceback(tmp_path, monkeypatch, capsys):
    from dataclasses import dataclass

    from replication import exhibits
    from replication.errors import DataError
    from replication.exhibits import _runner

    @dataclass(frozen=True)
    class Failing:
        outputs: tuple = ("results/tables/failing.csv",)

        def build(self):
            print("partial printout")
            raise DataError("data/raw/x.csv: line 3 is broken. Restore it with `git checkout -- data/raw/x.csv`.")

    @dataclass(frozen=True)
    class Buggy(Failing):
        def build(self):
            return {}["missing key"]

    monkeypatch.setenv("REPLICATION_RESULTS_DIR", str(tmp_path))
    (tmp_path / "tables").mkdir()
    stale = tmp_path / "tables" / "failing.csv"
    stale.write_text("old\n")
    monkeypatch.setitem(exhibits.REGISTRY, "table1_power_shares", Failing())
    assert _runner.build(["table1_power_shares"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "partial printout" not in err
    assert len(err.strip().splitlines()) == 2, err
    assert "table1_power_shares" in err and "FAILED" in err and "line 3 is broken" in err
    log = tmp_path / ".logs" / "table1_power_shares.log"
    assert str(log) in err
    text = log.read_text()
    assert text.startswith("partial printout\n") and "Traceback (most recent call last)" in text
    assert "DataError: data/raw/x.csv: line 3 is broken" in text
    assert stale.stat().st_mtime == 0  # the output it did not build is marked stale for make

    monkeypatch.setitem(exhibits.REGISTRY, "table1_power_shares", Buggy())
    assert _runner.build(["table1_power_shares"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "KeyError: 'missing key'" in err  # a bug says what kind of exception
    assert "Traceback" in log.read_text()


def test_make_venv_rebuilds_a_stamped_venv_whose_python_is_gone(tmp_path):
    """A no-op make does not run the interpreter check (it would cost a python start each time) once
    .venv is stamped, but a stamped .venv whose interpreter link dangles is still rebuilt."""
    root = _skeleton(tmp_path)
    (root / "replication" / "_venv_check.py").write_text(
        (PROJECT_ROOT / "replication" / "_venv_check.py").read_text())
    venv = _fake_venv(root, ".".join(map(str, sys.version_info[:3])))
    (venv / "bin" / "python").symlink_to(tmp_path / "removed" / "python3")
    (venv / ".installed").write_text(f"{root.resolve()}\n")
    out = _make(root, "-n", "venv")
    assert ".venv/bin/python does not run" in out.stdout and "rm -rf .venv" in out.stdout, out.stdout
