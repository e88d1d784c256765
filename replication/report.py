"""One self-contained HTML replication report: every table and figure, provenance, and the
command that makes each exhibit. Images are embedded (base64) and nothing is loaded from
the network, so the file can be mailed or archived on its own.
"""

from __future__ import annotations

import base64
import html
import platform
from pathlib import Path

from . import __version__, _io

# (section, title, kind, path relative to results/, make target)
EXHIBITS = [
    ("Resnick (2013) replication", "Table 1: power shares", "table", "tables/table1_power_shares.md", "make table1"),
    ("Resnick (2013) replication", "Table 1: deviation from the published table by NMC version and method",
     "csv", "tables/table1_deviations.csv", "make table1"),
    ("Resnick (2013) replication", "Power shares, reproduced and published", "figure",
     "figures/fig_power_shares.png", "make fig-power-shares"),
    ("Resnick (2013) replication", "Table 2: congruence", "table", "tables/table2_congruence.md", "make table2"),
    ("Resnick (2013) replication", "Small-N inference", "table", "tables/table2_smalln_inference.md", "make smalln"),
    ("Resnick (2013) replication", "Appendix: case file", "table", "tables/appendix_grand_alliance_cases.md",
     "make appendix"),
    ("Resnick (2013) replication", "Appendix: resource-sharing figures", "table",
     "tables/appendix_resource_sharing.md", "make appendix"),
    ("Cross-war panel", "Panel summary", "table", "tables/panel_summary.md", "make panel-summary"),
    ("Cross-war panel", "Exit coding: every coded exit with its evidence", "table", "tables/exit_coding.md",
     "make exit-coding"),
    ("Cross-war panel", "War endings and the review of members' last organised efforts", "table",
     "tables/war_endings.md", "make war-endings"),
    ("Cross-war panel", "Systemic conditions: directions and variance", "table", "tables/systemic_conditions.md",
     "make systemic-conditions"),
    ("Cross-war panel", "Grand Alliance: panel vs case file", "table",
     "tables/panel_grand_alliance_comparison.md", "make panel-compare"),
    ("Estimation", "Table 3: six estimators", "table", "tables/table3_models.md", "make table3"),
    ("Estimation", "Table 4: the theories compared", "table", "tables/table4_theory_comparison.md", "make table4"),
    ("Estimation", "Table 5: the interaction on the probability scale", "table", "tables/table5_interaction.md",
     "make table5"),
    ("Estimation", "Table 5, universes side by side: COW wars, the 2001 coalitions, pooled", "table",
     "tables/table5_universes.md", "make table5-universes"),
    ("Estimation", "Predicted probabilities of defection", "figure", "figures/fig_interaction.png",
     "make fig-interaction"),
    ("Estimation", "Coefficients across estimators", "figure", "figures/fig_coefficients.png",
     "make fig-coefficients"),
    ("The 2001 coalitions", "Membership over time, defections marked", "figure",
     "figures/fig_coalition_2001_timeline.png", "make fig-timeline"),
    ("The 2001 coalitions", "The papers' cases against the contributor rows", "table",
     "tables/coalition_2001_cases.md", "make coalition-2001-cases"),
    ("Robustness", "Multiverse summary", "table", "tables/multiverse_summary.md", "make multiverse"),
    ("Robustness", "Specification curve", "figure", "figures/fig_specification_curve.png", "make multiverse"),
    ("Robustness", "Influence of single wars and states", "table", "tables/influence.md", "make influence"),
    ("Robustness", "Influence", "figure", "figures/fig_influence.png", "make influence"),
    ("Smart power (Resnick 2015)", "Table 1: failure typology", "table", "tables/smartpower_table1_failures.md",
     "make smartpower-table1"),
    ("Smart power (Resnick 2015)", "Cases: computed vs the paper", "table", "tables/smartpower_cases.md",
     "make smartpower-cases"),
    ("Smart power (Resnick 2015)", "Figure 1: strategy map", "figure", "figures/smartpower_figure1_strategies.png",
     "make smartpower-figure1"),
]

CSS = """
body{font-family:Georgia,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;margin-top:2em}h3{font-size:1.05em;margin-bottom:.3em}
table{border-collapse:collapse;font-size:.78em;margin:.5em 0;display:block;overflow-x:auto}
th,td{border-top:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
th{border-bottom:1px solid #888}code{background:#f4f4f4;padding:0 3px}
img{max-width:100%;border:1px solid #eee}.cmd{color:#555;font-size:.85em}.missing{color:#b00}
"""

# Reports to the test whether every image decoded and how many tables the page holds.
CHECK_SCRIPT = """
window.addEventListener('load', function () {
  var imgs = Array.prototype.slice.call(document.images);
  var ok = imgs.filter(function (i) { return i.complete && i.naturalWidth > 0; }).length;
  document.body.setAttribute('data-images', imgs.length);
  document.body.setAttribute('data-images-ok', ok);
  document.body.setAttribute('data-tables', document.getElementsByTagName('table').length);
});
"""


def _table_html(path: Path) -> str:
    import markdown

    return markdown.markdown(path.read_text(encoding="utf-8"), extensions=["tables"])


def _csv_html(path: Path) -> str:
    import pandas as pd

    return pd.read_csv(path, dtype={"nmc_version": "string"}).to_html(index=False, float_format=lambda v: f"{v:.3f}", border=0, na_rep="")


def _figure_html(path: Path, title: str) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{html.escape(title)}" src="data:image/png;base64,{data}">'


def build_report(results: Path, target: Path) -> dict:
    """Write the report; returns counts of exhibits found and missing."""
    from . import sources

    parts = ["<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
             "<title>Wartime alliance cohesion: replication report</title>", f"<style>{CSS}</style>",
             f"<script>{CHECK_SCRIPT}</script></head><body>",
             "<h1>Wartime alliance cohesion: replication report</h1>",
             f"<p>Package <code>replication</code> {__version__}; Python {platform.python_version()}. "
             "Regenerate everything with <code>make all</code> (this report: <code>make report</code>). "
             "Every exhibit below names the command that makes it.</p>"]
    summary = results / "results_paragraph.md"
    if summary.is_file():
        parts.append(f"<h2>Main result</h2><p>{html.escape(summary.read_text(encoding='utf-8').strip())}</p>")
    parts.append("<h2>Data provenance</h2><p>Pinned in <code>replication/sources/registry.toml</code>; "
                 "each local copy is hashed now.</p>")
    versions = sources.versions()[["dataset", "version", "file", "status", "publisher_file", "sha256", "local"]]
    versions["sha256"] = versions["sha256"].str.slice(0, 16) + "..."
    parts.append(versions.to_html(index=False, border=0))
    found = missing = 0
    section = None
    for sec, title, kind, rel, command in EXHIBITS:
        if sec != section:
            parts.append(f"<h2>{html.escape(sec)}</h2>")
            section = sec
        path = results / rel
        parts.append(f"<h3>{html.escape(title)}</h3><p class='cmd'>Generated by <code>{command}</code> "
                     f"&rarr; <code>results/{rel}</code></p>")
        if not path.is_file():
            missing += 1
            parts.append(f"<p class='missing'>Not built yet: run <code>{command}</code>.</p>")
            continue
        found += 1
        parts.append({"table": _table_html, "csv": _csv_html}.get(kind, lambda p: _figure_html(p, title))(path))
    parts.append("</body></html>")
    _io.write_text(target, "\n".join(parts) + "\n")
    return {"found": found, "missing": missing}
