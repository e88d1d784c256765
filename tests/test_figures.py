"""Figures: every panel has labelled axes and a title, and no two pieces of text overlap.

Each figure exhibit's build() is run in this process (matplotlib's Agg backend, outputs to a temporary
folder) so the Figure object it built can be inspected: the labels and titles are read from the
axes, and every visible text's bounding box is measured with the renderer that drew the PNG.
The coefficient and interaction figures are fed a small Table 3 / Table 5 in the real layout
(their estimates do not matter here), so the test does not need the models to have been run.
"""

from __future__ import annotations

import importlib
import itertools

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from replication.paths import PROJECT_ROOT  # noqa: E402

TERMS = ["Intercept", "democracy", "systemic_favorable", "democracy:systemic_favorable"]
MODELS = {"Pooled logit": "statsmodels Logit, cluster-robust by war",
          "Firth logit": "firthmodels FirthLogisticRegression (profile-likelihood CI, LR p)",
          "Discrete-time hazard (cloglog)": "statsmodels GLM binomial cloglog, offset log exposure",
          "Jeffreys-penalised hazard": "Jeffreys-penalised cloglog (Firth-type), offset log exposure",
          "Conditional logit (war)": "statsmodels ConditionalLogit, grouped by war",
          "LPM, entity and year effects": "linearmodels PanelOLS, clustered by war",
          "LPM, random effects": "linearmodels RandomEffects, clustered by war"}
SEPARATED = {"Pooled logit", "Discrete-time hazard (cloglog)"}


def _table3(tables):
    rows = []
    for k, (model, estimator) in enumerate(MODELS.items()):
        for j, term in enumerate(TERMS):
            if model.startswith("LPM, entity") and term == "democracy":
                continue  # absorbed by the entity effects, as in the real table
            est = (k - 2.5) * 0.1 + j * 0.05 + (25.0 if model in SEPARATED else 0.0)
            rows.append({"model": model, "estimator": estimator, "term": term, "estimate": est,
                         "ci_low": est - 0.2, "ci_high": est + 0.2,
                         "status": "separated" if model in SEPARATED else "ok"})
    tables.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(tables / "table3_models.csv", index=False)


def _table5(tables):
    rows = []
    for reading in ("defeat_unites", "defeat_divides"):
        for model in ("Firth logit", "Jeffreys-penalised hazard (cloglog)"):
            for k, quantity in enumerate(["p(aut, unfav)", "p(dem, unfav)", "p(aut, fav)", "p(dem, fav)",
                                          "second difference"]):
                est = 0.002 * (k + 1)
                # a cell near 0 whose normal interval would run below zero
                rows.append({"reading": reading, "model": model, "quantity": quantity, "estimate": est,
                             "delta_se": 0.01, "delta_ci_low": est - 0.0196, "delta_ci_high": est + 0.0196})
    tables.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(tables / "table5_interaction.csv", index=False)


def _run(program: str, tmp_path, monkeypatch):
    monkeypatch.setenv("REPLICATION_RESULTS_DIR", str(tmp_path / "results"))
    if program == "fig_coefficients.py":
        _table3(tmp_path / "results" / "tables")
    if program == "fig_interaction.py":
        _table5(tmp_path / "results" / "tables")
    plt.close("all")
    # the exhibit's build() in this process (not through the runner, which closes its figures)
    importlib.import_module(f"replication.exhibits.{program.removesuffix('.py')}").build()
    fig = plt.figure(plt.get_fignums()[-1])
    stem = {"smartpower_figure1_strategies.py": "smartpower_figure1_strategies",
            "influence.py": "fig_influence"}.get(program, program.removesuffix(".py"))
    assert (tmp_path / "results" / "figures" / f"{stem}.png").is_file()
    return fig


def _texts(fig):
    """Every visible, non-empty text of the figure, with a name for the error message."""
    out = []
    if fig._suptitle is not None:
        out.append(("suptitle", fig._suptitle))
    out += [("figure text", t) for t in fig.texts if t is not fig._suptitle]  # captions
    for i, ax in enumerate(fig.axes):
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        named = [(f"ax{i} title", ax.title), (f"ax{i} xlabel", ax.xaxis.label), (f"ax{i} ylabel", ax.yaxis.label)]
        named += [(f"ax{i} xtick", t) for t, v in zip(ax.get_xticklabels(), ax.get_xticks()) if x0 <= v <= x1]
        named += [(f"ax{i} ytick", t) for t, v in zip(ax.get_yticklabels(), ax.get_yticks()) if y0 <= v <= y1]
        named += [(f"ax{i} text", t) for t in ax.texts]
        legend = ax.get_legend()
        if legend is not None:
            named += [(f"ax{i} legend", t) for t in legend.get_texts()]
        out += named
    return [(name, t) for name, t in out if t.get_visible() and t.get_text().strip()]


def _overlaps(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # Text.get_window_extent: the text alone (an Annotation's own method adds its leader line)
    boxes = [(f"{name} {t.get_text()!r}", Text.get_window_extent(t, renderer)) for name, t in _texts(fig)]
    return [(a, b) for (a, ba), (b, bb) in itertools.combinations(boxes, 2)
            if ba.x0 < bb.x1 - 0.5 and bb.x0 < ba.x1 - 0.5 and ba.y0 < bb.y1 - 0.5 and bb.y0 < ba.y1 - 0.5]


# fig_specification_curve (analysis/multiverse.py) is left out: drawing it means running the multiverse
def _label_problems(fig) -> list[str]:
    """Panels without an x label, without a y label or labelled y ticks, or without a title."""
    fig.canvas.draw()  # tick label texts are filled in at draw time
    problems = []
    has_suptitle = fig._suptitle is not None and fig._suptitle.get_text().strip()
    for i, ax in enumerate(a for a in fig.axes if a.get_visible()):
        if not ax.get_xlabel().strip():
            problems.append(f"panel {i}: no x-axis label")
        # a panel sharing its y axis with a labelled neighbour (sharey=True) is labelled by it
        siblings = ax.get_shared_y_axes().get_siblings(ax)
        if not any(a.get_ylabel().strip() or [t for t in a.get_yticklabels() if t.get_text().strip()]
                   for a in siblings):
            problems.append(f"panel {i}: neither a y-axis label nor labelled y ticks")
        if not (ax.get_title().strip() or has_suptitle):
            problems.append(f"panel {i}: no title")
    return problems


# fig_specification_curve (analysis/multiverse.py) is left out: drawing it means running the multiverse
@pytest.mark.parametrize("program", ["fig_power_shares.py", "fig_coefficients.py", "fig_interaction.py",
                                     "influence.py", "smartpower_figure1_strategies.py"])
def test_figure_has_labelled_axes_a_title_and_no_overlapping_text(program, tmp_path, monkeypatch):
    fig = _run(program, tmp_path, monkeypatch)
    try:
        assert [a for a in fig.axes if a.get_visible()]
        assert _label_problems(fig) == [], program
        assert _overlaps(fig) == [], f"{program}: overlapping text"
    finally:
        plt.close(fig)


def test_label_check_detects_a_missing_label():
    fig, (left, right) = plt.subplots(1, 2)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title("t")
    right.set_title("t")
    right.set_yticks([])
    assert _label_problems(fig) == ["panel 1: no x-axis label", "panel 1: neither a y-axis label nor labelled y ticks"]
    plt.close(fig)


def test_overlap_check_detects_overlap():
    """The check above can fail: two labels drawn at the same place are reported."""
    fig, ax = plt.subplots()
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title("t")
    ax.text(0.5, 0.5, "United States of America")
    ax.text(0.52, 0.5, "Finland")
    assert len(_overlaps(fig)) == 1
    plt.close(fig)


def test_separated_fits_are_left_out_of_the_coefficient_figure_and_named(tmp_path, monkeypatch):
    """A separated ML fit's runaway estimates (here +25) are not drawn; the caption names the fits left out."""
    fig = _run("fig_coefficients.py", tmp_path, monkeypatch)
    try:
        drawn = [x for ax in fig.axes for line in ax.get_lines() for x in line.get_xdata()]
        assert drawn and max(drawn) < 5
        caption = " ".join(t.get_text() for t in fig.texts)
        assert all(m in caption for m in SEPARATED)
        titles = [ax.get_title() for ax in fig.axes]
        assert any("cloglog" in t for t in titles) and any("log-odds" in t for t in titles)
    finally:
        plt.close(fig)


def test_probability_intervals_stay_inside_zero_one(tmp_path, monkeypatch):
    """The cells' intervals are logit-scale delta-method intervals transformed back: a cell at 0.002 with SE
    0.01 has a normal interval from -0.018, but the drawn one starts above 0."""
    from replication.exhibits.fig_interaction import bounded_interval

    lo, hi = bounded_interval(0.002, 0.01)
    assert 0 < lo < 0.002 < hi < 1
    fig = _run("fig_interaction.py", tmp_path, monkeypatch)
    try:
        for ax in fig.axes:
            for container in ax.containers:
                for segments in container.lines[2]:
                    for (_, y0), (_, y1) in segments.get_segments():
                        assert 0 <= min(y0, y1) and max(y0, y1) <= 1
    finally:
        plt.close(fig)
