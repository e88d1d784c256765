"""The README's "Using the package" examples run, and the README's numbers match the outputs.

Every ```python block of that section is executed in order in one namespace. A statement
whose line ends in a comment holding a Python literal (``# 0.585``, ``# ('6.0', 7)``), or is
followed by a comment line holding one, must produce that value (numbers to the printed digits).
Every expression statement (what a Python prompt would print) must have one: an example cannot
show a value the test does not check.
"""

from __future__ import annotations

import ast
import re
import warnings

import pytest

from replication.paths import PROJECT_ROOT

pytestmark = pytest.mark.mirror
README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def _section_blocks() -> list[str]:
    section = README.split("### Using the package", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def _literal(comment: str):
    try:
        return ast.literal_eval(comment.strip())
    except (ValueError, SyntaxError):
        return None


def _expected(lines: list[str], stmt: ast.stmt):
    last = lines[stmt.end_lineno - 1]
    if "#" in last:
        value = _literal(last.split("#", 1)[1].split("   ")[0])
        if value is not None:
            return value
    following = lines[stmt.end_lineno] if stmt.end_lineno < len(lines) else ""
    return _literal(following.strip().removeprefix("#")) if following.strip().startswith("#") else None


def _same(got, want) -> bool:
    if isinstance(want, float):
        digits = len(repr(want).split(".")[1]) if "." in repr(want) else 0
        return abs(float(got) - want) <= 0.5 * 10 ** -digits + 1e-12
    return got == want


@pytest.fixture(scope="module")
def namespace():
    ns: dict = {}
    checked, unchecked = 0, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NA notes from the panel build; asserted in test_panel.py
        for block in _section_blocks():
            lines = block.splitlines()
            for stmt in ast.parse(block).body:
                code = compile(ast.Module([stmt], []), "README.md", "exec")
                if isinstance(stmt, ast.Expr):
                    value = eval(compile(ast.Expression(stmt.value), "README.md", "eval"), ns)
                else:
                    exec(code, ns)
                    value = ns[stmt.targets[0].id] if isinstance(stmt, ast.Assign) and isinstance(
                        stmt.targets[0], ast.Name) else None
                want = _expected(lines, stmt)
                if want is not None:
                    assert _same(value, want), f"README: {ast.unparse(stmt)} gives {value!r}, not {want!r}"
                    checked += 1
                elif isinstance(stmt, ast.Expr):
                    unchecked.append(ast.unparse(stmt))
    ns["_checked"], ns["_unchecked"] = checked, unchecked
    return ns


def test_examples_run_and_commented_values_hold(namespace):
    assert len(_section_blocks()) >= 7
    assert namespace["_checked"] >= 14
    assert namespace["_unchecked"] == []  # every value an example shows is asserted


def test_panel_with_another_nmc_version_and_threshold(namespace, panel):
    other = namespace["panel_v6"]
    assert len(other) == len(panel)
    # a stricter threshold never makes more democracies
    assert other["democracy"].astype("Float64").sum() <= panel["democracy"].astype("Float64").sum()


def test_interaction_model_with_an_extra_control(namespace):
    """The README's claims about its example: the control is NA for every coalition leader (a
    DroppedRowsWarning naming it), the ML logit on what remains is separated (the old text said it was
    not), and what comes back is the Firth refit, labelled so."""
    from replication.models import DroppedRowsWarning, SeparationWarning

    caught = {w.category: str(w.message) for w in namespace["caught"]}
    n_leaders = int(namespace["frame"].attrs["dropped_by"]["formal_ally_of_leader"])
    assert n_leaders == 98 and f"formal_ally_of_leader NA in {n_leaders} rows" in caught[DroppedRowsWarning]
    assert "NA for every coalition leader" in caught[DroppedRowsWarning]
    assert "infinite for democracy, democracy:systemic_favorable" in caught[SeparationWarning]
    fit = namespace["fit"]
    assert fit.estimator == "firth" and fit.refit_of.diagnostics["separation"] is True
    assert abs(fit.refit_of.params["democracy"]) > 20  # "runs off to -23"
    assert round(fit.refit_of.params["democracy"]) == -23
    assert "formal_ally_of_leader" in fit.params.index
    # without the extra control the broad outcome's ML logit exists, as the README says
    from replication.models import logit, model_frame

    plain = logit(model_frame(namespace["panel_v6"], outcome="defected_broad"))
    assert plain.status == "ok" and plain.estimator == "logit"
    frame = namespace["frame"]
    assert frame.attrs["dropped_by"]["democracy"] == 39  # "the 39 that have no Polity score"


def test_coalition_power_shares_example(namespace):
    korea = namespace["korea"].sort_values("share", ascending=False)
    assert korea["share"].sum() == pytest.approx(1.0)
    assert korea["ccode"].head(3).tolist() == [2, 200, 20]
    assert [round(float(v), 2) for v in korea["share"].head(3)] == [0.74, 0.16, 0.03]


def test_verb_chain_equals_build_panel(namespace, panel):
    assert len(namespace["panel"]) == len(panel)


def test_readme_panel_numbers_match_the_panel(panel):
    m = re.search(r"(\d+) COW inter-state wars have a coalition.*?: (\d+) coalition sides, (\d+) member spells "
                  r"and (\d+)\s+state-years", README, flags=re.S)
    wars, sides, spells, rows = map(int, m.groups())
    assert wars == panel["war_num"].nunique()
    assert sides == panel.groupby(["war_num", "side"]).ngroups
    from replication import sources
    from replication.panel import create_coalition_spells

    # member spells as COW records them (two spells of one state in one year share a panel row)
    assert spells == len(create_coalition_spells(sources.read_interstate_war()))
    assert rows == len(panel)
