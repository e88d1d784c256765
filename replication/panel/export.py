"""The panel in the field's formats: a labelled Stata file and a Frictionless Data Package descriptor.

Both are generated from the panel's schema (:mod:`replication.panel.schema`), so the labels, codes,
types and constraints are the ones the panel is validated against.

Stata (``state_phase_panel.dta``, format 118, Stata 14 or later; read in R with ``haven::read_dta``):

- every variable carries a label (the schema's description, cut at a word to Stata's 80 characters;
  the full text is in the codebook);
- booleans are 0/1 bytes with the value labels no/yes, as are the four outcome indicators;
- the coded text columns (:data:`~replication.panel.schema.CODES`: exit_type, partners_objected, ...)
  are integers 1, 2, ... with value labels that are the panel's own codes, so ``as_factor()`` in R
  or ``decode`` in Stata gives back the CSV's strings;
- dates are Stata dates (``%td``);
- missing stays missing: numeric NA is Stata's ``.``, never 0; text NA is the empty string,
  Stata's (and haven's) missing string;
- the free-text columns (evidence, sources) are strL, so no length limit applies.

The writer fixes the file's time stamp, so two builds give byte-identical files.

Data Package (``datapackage.json``, Frictionless Table Schema v1): field names, types,
descriptions, required (the schema's nullable), enum and minimum/maximum constraints (its isin and
in_range checks), the missing-value marker ``NA`` that the CSV uses, the primary key and the
CSV's sha256.

References
----------
StataCorp (2023), *Stata 18 Data-Management Reference Manual*, ``label`` and ``[P] file formats .dta``.
Wickham, Miller and Smith, *haven: Import and Export 'SPSS', 'Stata' and 'SAS' Files* (R package).
Frictionless Data, *Table Schema* and *Data Package* specifications, v1 (https://specs.frictionlessdata.io).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd

from .exits import OUTCOMES
from .schema import CODES, COLUMNS, SCHEMA

STATA_VERSION = 118
#: the .dta header's time stamp: fixed, so that two builds give the same bytes
STATA_TIME_STAMP = dt.datetime(2000, 1, 1)
STATA_LABEL_MAX = 80
#: free text: written as strL (no 2,045-byte limit)
FREE_TEXT = ("evidence", "source", "source_2")
YES_NO = {0: "no", 1: "yes"}
DATA_LABEL = "State-phase panel of wartime coalition members (replication package)"


def variable_label(text: str, limit: int = STATA_LABEL_MAX) -> str:
    """``text`` as a Stata variable label: at most ``limit`` characters, cut at a word with '...'."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit - 3].rsplit(" ", 1)[0].rstrip(",;:(") + "..."


def value_labels() -> dict[str, dict[int, str]]:
    """Stata value labels of every labelled column: booleans and outcomes no/yes, coded text 1..K."""
    out: dict[str, dict[int, str]] = {}
    for name, (dtype, _, _, _) in COLUMNS.items():
        if dtype == "boolean" or name in OUTCOMES:
            out[name] = dict(YES_NO)
        elif name in CODES:
            out[name] = {i: code for i, code in enumerate(CODES[name], start=1)}
    return out


def stata_frame(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel with Stata-ready columns (see the module docstring); NA stays NA."""
    labels = value_labels()
    out = {}
    for name, (dtype, _, _, _) in COLUMNS.items():
        column = panel[name]
        if dtype == "boolean":
            out[name] = column.astype("boolean").astype("Int8")
        elif name in CODES:
            codes = {code: i for i, code in labels[name].items()}
            text = column.astype("string")
            unknown = sorted(set(text.dropna()) - set(codes))
            if unknown:  # the schema's isin check makes this unreachable for a validated panel
                raise ValueError(f"{name}: values {unknown} have no Stata code; the codes are {list(codes)}")
            out[name] = text.map(codes, na_action="ignore").astype("Int8")
        elif dtype == "string":
            # Stata has no missing string but the empty one (haven reads it as NA, or "" by default);
            # a validated panel has no empty non-missing strings, so the round trip is exact.
            out[name] = column.astype("string").fillna("").astype(object)
        elif dtype.startswith("datetime64"):
            out[name] = pd.to_datetime(column).astype("datetime64[ns]")
        elif name in OUTCOMES:
            out[name] = column.astype("Int8")
        else:
            out[name] = column
    return pd.DataFrame(out, index=range(len(panel)))


def write_stata(panel: pd.DataFrame, target: str | os.PathLike) -> Path:
    """Write ``panel`` as a labelled Stata 118 file (atomic; byte-identical across runs)."""
    from .._io import atomic_path

    frame = stata_frame(panel)
    dates = {name: "td" for name, (dtype, *_) in COLUMNS.items() if dtype.startswith("datetime64")}
    with atomic_path(target) as tmp:
        frame.to_stata(tmp, write_index=False, version=STATA_VERSION, convert_dates=dates,
                       time_stamp=STATA_TIME_STAMP, data_label=DATA_LABEL,
                       variable_labels={n: variable_label(meaning) for n, (*_, meaning) in COLUMNS.items()},
                       value_labels=value_labels(), convert_strl=list(FREE_TEXT))
    return Path(target)


# --- Frictionless Data Package ------------------------------------------------------------------------------

_TABLE_SCHEMA_TYPES = {"Int64": "integer", "int64": "integer", "Float64": "number", "float64": "number",
                       "boolean": "boolean", "string": "string"}


def table_schema() -> dict:
    """The panel's Table Schema, generated from the pandera schema (names, types, descriptions,
    required, enum and range constraints, primary key)."""
    fields = []
    for name, column in SCHEMA.columns.items():
        dtype = str(column.dtype).split("[")[0]  # string[pyarrow] -> string, datetime64[ns] -> datetime64
        field = {"name": name, "type": "date" if dtype == "datetime64" else _TABLE_SCHEMA_TYPES[dtype],
                 "description": column.description}
        if field["type"] == "boolean":  # pandas writes True/False
            field.update(trueValues=["True"], falseValues=["False"])
        constraints = {"required": True} if not column.nullable else {}
        for check in column.checks:
            stats = check.statistics or {}
            if "allowed_values" in stats:
                constraints["enum"] = list(stats["allowed_values"])
            if "min_value" in stats:
                constraints["minimum"] = stats["min_value"]
            if "max_value" in stats:
                constraints["maximum"] = stats["max_value"]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "missingValues": ["NA"], "primaryKey": list(SCHEMA.unique)}


def _sources(settings: dict) -> list[dict]:
    from ..sources.registry import entry

    keys = ["cow_war", f"nmc_{settings.get('nmc_version', '4.0')}", "polity5", f"bmr_{settings.get('bmr_version', '4.0')}",
            "cow_majors_2016", "cow_alliances"]
    out = []
    for key in keys:
        e = entry(key)
        out.append({"title": f"{e.dataset} v{e.version}: {e.citation}", "path": e.url})
    out.append({"title": "Authored exit coding and phase turning points of this package (data/raw/coalition_exits.csv, "
                         "data/raw/phase_turning_points.csv)"})
    return out


def datapackage(panel: pd.DataFrame, csv_path: str | os.PathLike, *, version: str) -> dict:
    """The Data Package descriptor of the panel's CSV (``csv_path``: the written file, hashed)."""
    import hashlib

    csv_path = Path(csv_path)
    settings = dict(panel.attrs)
    return {
        "profile": "tabular-data-package",
        "name": "state-phase-panel",
        "title": "State-phase panel of wartime coalition members",
        "description": ("One row per member of a wartime coalition (a COW war side on which at least two states' "
                        "participation spells overlap) per phase, with regime, capability, systemic-condition and "
                        "exit (defection) variables. Built by `make panel` of the replication package; the codebook "
                        "(codebook.md) documents every column and coding rule. Settings: "
                        + "; ".join(f"{k} = {v}" for k, v in settings.items()) + "."),
        "version": version,
        "licenses": [{"name": "MIT", "title": "MIT License (the package's code and authored coding); the source "
                      "data keep their publishers' terms (see sources)"}],
        "sources": _sources(settings),
        "resources": [{
            "profile": "tabular-data-resource",
            "name": "state_phase_panel",
            "path": csv_path.name,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "hash": "sha256:" + hashlib.sha256(csv_path.read_bytes()).hexdigest(),
            "bytes": csv_path.stat().st_size,
            "dialect": {"delimiter": ",", "header": True, "quoteChar": '"', "doubleQuote": True,
                        "lineTerminator": "\n"},
            "schema": table_schema(),
        }],
    }
