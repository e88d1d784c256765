"""Figures: every panel has labelled axes and a title, and no two pieces of text overlap.

Each figure program is run in this process (matplotlib's Agg backend, outputs to a temporary
folder) so the Figure object it built can be inspected: the labels and titles are read from the
axes, and every visible text's bounding box is measured with the renderer that drew the PNG.
The coefficient figure is fed a small Table 3 in the real layout (its estimates do not matter
here), so the test does not need the models to have been run.
"""

from __future__ import annotations

import itertools
import runpy

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
          "Discrete-time hazard": "statsmodels Logit, cluster-robust by war",
          "Conditional logit (war)": "statsmodels ConditionalLogit, grouped by war",
          "LPM, entity and year effects": "linearmodels PanelOLS, clustered by war",
          "LPM, random effects": "linearmodels RandomEffects, clustered by war"}


def _table3(tables):
    rows = []
    for k, (model, estimator) in enumerate(MODELS.items()):
        for j, term in enumerate(TERMS):
            if model.startswith("LPM, entity") and term == "democracy":
                continue  # absorbed by the entity effects, as in the real table
            est = (k - 2.5) * 0.1 + j * 0.05
            rows.append({"model": model, "estimator": estimator, "term": term, "estimate": est,
                         "ci_low": est - 0.2, "ci_high": est + 0.2})
    tables.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(tables / "table3_models.csv", index=False)


def _run(program: str, tmp_path, monkeypatch):
    monkeypatch.setenv("REPLICATION_RESULTS_DIR", str(tmp_path / "results"))
    if program == "fig_coefficients.py":
        _table3(tmp_path / "results" / "tables")
    plt.close("all")
    namespace = runpy.run_path(str(PROJECT_ROOT / "analysis" / program), run_name="__main__")
    fig = namespace["fig"]
    stem = {"smartpower_figure1_strategies.py": "smartpower_figure1_strategies",
            "influence.py": "fig_influence"}.get(program, program.removesuffix(".py"))
    assert (tmp_path / "results" / "figures" / f"{stem}.png").is_file()
    return fig


def _texts(fig):
    """Every visible, non-empty text of the figure, with a name for the error message."""
    out = []
    if fig._suptitle is not None:
        out.append(("suptitle", fig._suptitle))
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


@pytest.mark.parametrize("program", ["fig_power_shares.py", "fig_coefficients.py", "influence.py",
                                     "smartpower_figure1_strategies.py"])
def test_figure_has_labelled_axes_a_title_and_no_overlapping_text(program, tmp_path, monkeypatch):
    fig = _run(program, tmp_path, monkeypatch)
    try:
        panels = [ax for ax in fig.axes if ax.get_visible()]
        assert panels
        has_suptitle = fig._suptitle is not None and fig._suptitle.get_text().strip()
        for ax in panels:
            assert ax.get_xlabel().strip(), f"{program}: a panel has no x-axis label"
            assert ax.get_ylabel().strip() or [t for t in ax.get_yticklabels() if t.get_text().strip()], \
                f"{program}: a panel has neither a y-axis label nor labelled y ticks"
            assert ax.get_title().strip() or has_suptitle, f"{program}: a panel has no title"
        assert _overlaps(fig) == [], f"{program}: overlapping text"
    finally:
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
