"""The documentation cannot rot: the tutorial's sessions run with their outputs asserted, and the site
(API reference from the docstrings, tutorial, codebook) builds with mkdocs --strict."""

from __future__ import annotations

import doctest
import re
import shutil
import subprocess
import sys

import pytest

from replication.paths import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"


def _sessions(markdown: str) -> str:
    """The ```pycon blocks of a page, in order, as one doctest text."""
    return "\n\n".join(re.findall(r"^```pycon\n(.*?)^```$", markdown, flags=re.S | re.M))


@pytest.mark.mirror
def test_tutorial_runs_with_the_outputs_it_shows():
    text = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    sessions = _sessions(text)
    assert text.count(">>> ") == sessions.count(">>> ")  # no example outside a pycon block (it would not run)
    test = doctest.DocTestParser().get_doctest(sessions, {}, "docs/tutorial.md", str(DOCS / "tutorial.md"), 0)
    failures = []
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    result = runner.run(test, out=failures.append)
    assert result.failed == 0, "".join(failures)
    assert result.attempted >= 25


def test_the_doctest_runner_would_catch_a_wrong_output():
    wrong = "```pycon\n>>> 1 + 1\n3\n```\n"
    test = doctest.DocTestParser().get_doctest(_sessions(wrong), {}, "wrong", "wrong.md", 0)
    assert doctest.DocTestRunner().run(test, out=lambda s: None).failed == 1


def test_tutorial_and_reference_have_no_placeholders():
    for page in DOCS.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"\b(TODO|TBD|FIXME|lorem ipsum)\b", text, flags=re.I), page


@pytest.mark.mirror
def test_mkdocs_build_strict(panel, tmp_path):
    """The site builds with --strict (a broken link, a missing page or an unrenderable docstring fails)
    from a copy of the docs, with the codebook generated from the session's panel (make docs takes it
    from data/processed, which make test does not build)."""
    pytest.importorskip("mkdocs")
    pytest.importorskip("mkdocstrings_handlers.python")
    from replication.panel.schema import codebook

    root = tmp_path / "project"
    shutil.copytree(DOCS, root / "docs")
    for name in ("mkdocs.yml", "README.md"):
        shutil.copyfile(PROJECT_ROOT / name, root / name)
    (root / "data" / "processed").mkdir(parents=True)
    (root / "data" / "processed" / "codebook.md").write_text(codebook(panel, dict(panel.attrs)), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                         cwd=root, capture_output=True, text=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stdout + out.stderr
    site = tmp_path / "site"
    for module in ["replication", "panel", "models", "sources", "smartpower", "grand_alliance"]:
        page = (site / "reference" / module / "index.html").read_text(encoding="utf-8")
        assert page.count('class="doc doc-heading"') >= 2, module  # the module and its members are rendered
    reference = (site / "reference" / "panel" / "index.html").read_text(encoding="utf-8")
    assert 'id="replication.panel.build_panel"' in reference and 'id="replication.panel.export.write_stata"' in reference
    assert "Key: war_num, side, ccode, phase" in (site / "codebook" / "index.html").read_text(encoding="utf-8")
    assert "Two commands do everything" in (site / "index.html").read_text(encoding="utf-8")  # the README overview
    assert "64.5" in (site / "tutorial" / "index.html").read_text(encoding="utf-8")
