"""The exhibit registry is the one list of exhibits: every program is registered, the Makefile's
rules (exhibits.mk) and the README's list of tables are generated from it, and the Makefile's
outputs are the registry's."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from replication.exhibits import EXHIBITS, REGISTRY, build_order, generate, output_path
from replication.paths import PROJECT_ROOT

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")


def test_every_program_is_registered_and_is_a_thin_entry_point():
    programs = sorted(p.stem for p in (PROJECT_ROOT / "analysis").glob("*.py"))
    assert programs == sorted(REGISTRY)
    for name in programs:
        text = (PROJECT_ROOT / "analysis" / f"{name}.py").read_text(encoding="utf-8")
        assert f'main("{name}")' in text
        assert (PROJECT_ROOT / "replication" / "exhibits" / f"{name}.py").is_file()


def test_registry_order_respects_every_declared_input():
    seen = set()
    for e in EXHIBITS:
        assert set(e.after) <= seen, f"{e.name} is listed before {set(e.after) - seen}"
        assert not e.panel or "build_panel" in seen, e.name
        seen.add(e.name)
    assert build_order(["report", "fig_interaction", "table5_interaction"]) == [
        "table5_interaction", "fig_interaction", "report"]
    with pytest.raises(SystemExit, match="unknown exhibit"):
        build_order(["table7"])


def test_outputs_are_unique_and_resolve_under_the_moved_folders(tmp_path, monkeypatch):
    outputs = [o for e in EXHIBITS for o in e.outputs]
    assert len(outputs) == len(set(outputs))
    monkeypatch.setenv("REPLICATION_RESULTS_DIR", str(tmp_path / "r"))
    assert output_path("results/tables/t.csv") == tmp_path / "r" / "tables" / "t.csv"


def test_makefile_rules_are_generated_from_the_registry():
    text = (PROJECT_ROOT / "exhibits.mk").read_text(encoding="utf-8")
    assert text == generate.makefile(), "exhibits.mk is stale: python -m replication.exhibits makefile --write"


def test_readme_list_of_tables_is_generated_from_the_registry():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    assert generate.readme_section(readme) == generate.readme_table(), \
        "README list of tables is stale: python -m replication.exhibits readme-table --write"


@needs_make
def test_makefile_outputs_and_targets_are_the_registrys(tmp_path):
    """Make's own database (after parsing the Makefile) holds each exhibit's outputs and target."""
    out = subprocess.run(["make", "--no-print-directory", "-pn", "help", "RESULTS=results"], cwd=PROJECT_ROOT,
                         capture_output=True, text=True)
    declared = dict(re.findall(r"^OUT_(\w+) := (.*)$", out.stdout, flags=re.M))
    assert {name: tuple(v.split()) for name, v in declared.items()} == {e.name: e.outputs for e in EXHIBITS}
    help_text = subprocess.run(["make", "--no-print-directory", "help"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True).stdout
    for e in EXHIBITS:
        assert re.search(rf"^  {re.escape(e.target)} +{re.escape(e.description)}$", help_text, flags=re.M), e.target


@needs_make
def test_stale_exhibits_are_queued_and_built_by_one_process(tmp_path):
    """make -n on an empty results folder: Table 5 and its figure are queued, one process builds them."""
    out = subprocess.run(["make", "--no-print-directory", "-n", "fig-interaction", f"RESULTS={tmp_path}"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    queued = re.findall(r"echo (\w+) >> ", out.stdout)
    assert queued[-2:] == ["table5_interaction", "fig_interaction"]
    assert out.stdout.count("-m replication.exhibits build") == 1


def test_import_replication_is_light():
    code = ("import sys, replication, replication.exhibits; "
            "print(sorted(m for m in ('pandas', 'statsmodels', 'numpy', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
