"""Regression tables of several :class:`~replication.models.results.ModelResult` objects through
``maketables`` (LaTeX with booktabs, HTML), with Markdown and CSV from the same table.

maketables reads each result through its plug-in interface (``__maketables_coef_table__`` and
friends, defined below on an adapter), so the table shows the numbers of the package's tidy
table -- the Firth SEs in the logistf convention, the rank-corrected fixed-effects SEs, blanked
inference for separated fits -- and not those the underlying library objects would give.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FORMATS = ("tex", "html", "md", "csv")


class _Adapter:
    """A ModelResult seen through maketables' plug-in format."""

    def __init__(self, result):
        self.result = result

    @property
    def __maketables_coef_table__(self) -> pd.DataFrame:
        t = self.result.tidy.set_index("term")
        out = pd.DataFrame({"b": t["estimate"], "se": t["std_error"], "p": t["p_value"],
                            "t": t["estimate"] / t["std_error"], "ci95l": t["ci_low"], "ci95u": t["ci_high"]})
        out.index.name = "Coefficient"
        return out

    def __maketables_stat__(self, key: str):
        t, d = self.result.tidy, self.result.diagnostics
        values = {"N": int(t["n"].iloc[0]), "events": d.get("events"), "clusters": d.get("n_clusters"),
                  "clusters_with_events": d.get("clusters_with_events"), "status": self.result.status,
                  "inference": t["inference"].iloc[0] if "inference" in t else None,
                  "loglik": _loglik(t)}
        return values.get(key)

    @property
    def __maketables_depvar__(self) -> str:
        return "y"

    @property
    def __maketables_vcov_info__(self) -> dict:
        return {"vcov_type": self.result.tidy["estimator"].iloc[0], "clustervar": "war"}


def _loglik(tidy: pd.DataFrame):
    """The log-likelihood row: a number for a maximum-likelihood fit, labelled "(penalised)" for a penalised
    one (the two are not comparable), None where there is none (separated fits, LPMs)."""
    value = tidy["loglik"].iloc[0]
    if not np.isfinite(value):
        return None
    if "loglik_kind" in tidy and tidy["loglik_kind"].iloc[0] == "penalised":
        return f"{value:.3f} (penalised)"
    return float(value)


STATS = ["N", "events", "clusters", "clusters_with_events", "status", "inference", "loglik"]
STAT_LABELS = {"N": "N", "events": "Events", "clusters": "Clusters (wars)",
               "clusters_with_events": "Clusters with events", "status": "Status", "inference": "Inference",
               "loglik": "Log-likelihood"}


def regression_table(results, fmt: str = "tex", caption: str | None = None, label: str | None = None,
                     notes: str = ""):
    """Render several results side by side: ``fmt`` "tex" (booktabs), "html", "md" or "csv" (strings),
    or "etable" (the maketables object). Numbers are shown with maketables' default of 3 decimals."""
    import maketables as mt

    if fmt not in (*FORMATS, "etable"):
        raise ValueError(f"fmt must be one of {FORMATS} or 'etable', got {fmt!r}")
    results = list(results.values()) if isinstance(results, dict) else list(results)
    table = mt.ETable([_Adapter(r) for r in results], model_stats=STATS, model_stats_labels=STAT_LABELS,
                      model_heads=[r.name for r in results], caption=caption, tab_label=label, notes=notes)
    if fmt == "etable":
        return table
    if fmt == "tex":
        return table.make(type="tex")
    if fmt == "html":
        import re

        html = table.make(type="html")
        if not isinstance(html, str):
            html = html.as_raw_html()
        # great-tables draws a random element id; a fixed one keeps two runs byte-identical
        ids = re.findall(r'id="([a-z]+)"', html)
        return html.replace(ids[0], label or "regression-table") if ids else html
    frame = _flat(table.df)
    if fmt == "md":
        return frame.to_markdown(index=False)
    return frame.to_csv(index=False)


def _flat(frame: pd.DataFrame) -> pd.DataFrame:
    """maketables' frame with one header row (model names) and a term column (blank on SE rows)."""
    out = frame.replace(r"\s*\n\s*", " ", regex=True)
    out.columns = [c[1] if isinstance(c, tuple) and len(c) > 1 else str(c) for c in out.columns]
    terms = [i[1] if isinstance(i, tuple) else str(i) for i in out.index]
    out.insert(0, "term", terms)
    return out.reset_index(drop=True)


def regression_frame(results) -> pd.DataFrame:
    """The table as a DataFrame (term column, one column per model), for exhibit writers."""
    return _flat(regression_table(results, fmt="etable").df)
