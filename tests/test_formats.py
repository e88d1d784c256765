"""The panel in the field's formats (labelled Stata .dta, Frictionless datapackage.json), its sha256 sidecar
(a corrupt processed panel is a clear error and is rebuilt by make), and CITATION.cff."""

from __future__ import annotations

import json
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest

from replication.panel.schema import CODES, COLUMNS
from replication.paths import PROJECT_ROOT

pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def processed(tmp_path_factory, panel):
    """make panel's outputs, written by the exhibit into a temporary processed folder (once per module),
    from the session's panel (the same defaults, built once)."""
    from replication.exhibits import build_panel as exhibit

    folder = tmp_path_factory.mktemp("processed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("REPLICATION_PROCESSED_DIR", str(folder))
        mp.setattr(exhibit, "build_panel", lambda: panel.copy())
        exhibit.build()
    return folder


@pytest.fixture(scope="module")
def parquet(processed):
    return pd.read_parquet(processed / "state_phase_panel.parquet")


# --- Stata ---------------------------------------------------------------------------------------------------

def test_dta_round_trips_every_column_against_the_parquet_file(processed, parquet):
    from replication.panel.export import value_labels

    path = processed / "state_phase_panel.dta"
    with pd.io.stata.StataReader(path) as reader:
        dta = reader.read(convert_categoricals=False)
        stored_value_labels = reader.value_labels()
        variable_labels = reader.variable_labels()
        data_label = reader.data_label
    assert list(dta.columns) == list(parquet.columns) == list(COLUMNS) and len(dta) == len(parquet) == 476
    assert data_label.startswith("State-phase panel")
    labels = value_labels()
    for name, (dtype, nullable, _, meaning) in COLUMNS.items():
        ours, back = parquet[name], dta[name]
        assert 0 < len(variable_labels[name]) <= 80, name
        assert variable_labels[name] == meaning or variable_labels[name].endswith("..."), name
        assert back.isna().sum() == (ours.isna().sum() if dtype != "string" or name in CODES else 0), name
        if dtype == "boolean" or name in labels and name not in CODES:  # 0/1 with no/yes
            assert stored_value_labels[name] == {0: "no", 1: "yes"}, name
            expected = ours.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
            np.testing.assert_array_equal(back.to_numpy(dtype=float), expected, err_msg=name)
        elif name in CODES:  # codes 1..K whose labels are the panel's own strings
            assert stored_value_labels[name] == labels[name], name
            decoded = back.map(stored_value_labels[name]).astype("string")
            pd.testing.assert_series_equal(decoded, ours.astype("string"), check_names=False, obj=name)
        elif dtype == "string":  # Stata's missing string is ""
            pd.testing.assert_series_equal(back.replace("", pd.NA).astype("string"), ours.astype("string"),
                                           check_names=False, obj=name)
        elif dtype.startswith("datetime64"):
            # missing dates stay missing (Stata's '.'): NaT where NaT, equal elsewhere
            np.testing.assert_array_equal(back.to_numpy("datetime64[D]"), ours.to_numpy("datetime64[D]"), err_msg=name)
        else:  # numbers: equal, NA where NA (Stata's '.', never 0)
            np.testing.assert_array_equal(back.to_numpy(dtype=float),
                                          ours.astype("Float64").to_numpy(dtype=float, na_value=np.nan), err_msg=name)


def test_dta_as_haven_reads_it(processed, parquet):
    """pyreadstat wraps ReadStat, the C library under R's haven: what it reads is what R users get."""
    pyreadstat = pytest.importorskip("pyreadstat")
    df, meta = pyreadstat.read_dta(str(processed / "state_phase_panel.dta"), apply_value_formats=True,
                                   formats_as_category=False)
    assert meta.number_rows == len(parquet) and meta.column_names == list(COLUMNS)
    assert all(meta.column_names_to_labels[c] for c in COLUMNS)
    assert meta.original_variable_types["phase_start"] == "%td"
    assert list(df["exit_type"]) == list(parquet["exit_type"])
    assert list(df["democracy"].fillna("NA")) == \
        list(parquet["democracy"].map({True: "yes", False: "no"}).astype(object).fillna("NA"))
    # missing polity2 is missing (never 0), and the free text survives whole
    assert df["polity2_lag"].isna().sum() == parquet["polity2_lag"].isna().sum() > 0
    assert list(df["evidence"].replace("", None).dropna()) == list(parquet["evidence"].dropna())


def test_dta_is_byte_identical_across_writes(processed, parquet, tmp_path):
    from replication.panel.export import write_stata

    write_stata(parquet, tmp_path / "again.dta")
    assert (tmp_path / "again.dta").read_bytes() == (processed / "state_phase_panel.dta").read_bytes()


def test_variable_label_is_cut_at_a_word():
    from replication.panel.export import variable_label

    assert variable_label("short") == "short"
    long = "share of the state's days at war in the phase spent on this side (1 except for a side switcher)"
    label = variable_label(long)
    assert len(label) <= 80 and label.endswith("...") and long.startswith(label[:-3])


# --- Data Package ----------------------------------------------------------------------------------------------

def test_datapackage_is_generated_from_the_schema(processed):
    from replication.panel.schema import SCHEMA

    package = json.loads((processed / "datapackage.json").read_text())
    resource = package["resources"][0]
    schema = resource["schema"]
    fields = {f["name"]: f for f in schema["fields"]}
    assert list(fields) == list(COLUMNS)
    assert schema["primaryKey"] == ["war_num", "side", "ccode", "phase"] and schema["missingValues"] == ["NA"]
    assert fields["exit_type"]["constraints"]["enum"] == list(CODES["exit_type"])
    assert fields["polity2_lag"]["constraints"] == {"minimum": -10, "maximum": 10}  # nullable: not required
    assert fields["war_num"] == {"name": "war_num", "type": "integer", "description": COLUMNS["war_num"][3],
                                 "constraints": {"required": True}}
    assert fields["universe"]["constraints"] == {"required": True, "enum": ["cow_interstate", "coalition_2001"]}
    assert fields["phase_start"]["type"] == "date" and fields["democracy"]["type"] == "boolean"
    assert all(f["description"] == SCHEMA.columns[n].description for n, f in fields.items())
    import hashlib

    assert resource["hash"] == "sha256:" + hashlib.sha256((processed / resource["path"]).read_bytes()).hexdigest()


def test_datapackage_validates_and_the_validator_catches_a_broken_csv(processed, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(processed / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    # the same descriptor over a CSV with one unknown exit_type and one empty required cell: invalid
    copy = tmp_path / "copy"
    copy.mkdir()
    package = json.loads((processed / "datapackage.json").read_text())
    del package["resources"][0]["hash"], package["resources"][0]["bytes"]
    (copy / "datapackage.json").write_text(json.dumps(package))
    lines = (processed / "state_phase_panel.csv").read_text().splitlines()
    i = next(i for i, line in enumerate(lines) if i > 0 and ",war_end," in line)  # (line 0: the header)
    lines[i] = lines[i].replace(",war_end,", ",bogus_exit,", 1)  # not in exit_type's enum
    lines[i + 1] = "NA" + lines[i + 1][lines[i + 1].index(","):]  # universe (the first column) is required
    (copy / "state_phase_panel.csv").write_text("\n".join(lines) + "\n")
    broken = frictionless.validate(str(copy / "datapackage.json"))
    errors = broken.flatten(["rowNumber", "fieldName", "type"])
    assert not broken.valid
    assert sorted(errors) == [[i + 1, "exit_type", "constraint-error"], [i + 2, "universe", "constraint-error"]]


# --- the sidecar: a corrupt processed panel ------------------------------------------------------------------

def _copy(processed, tmp_path):
    folder = tmp_path / "processed"
    shutil.copytree(processed, folder)
    return folder


def test_a_corrupt_parquet_is_a_clear_error_not_a_pyarrow_traceback(processed, tmp_path, monkeypatch):
    from replication.errors import DataError
    from replication.models import load_panel

    folder = _copy(processed, tmp_path)
    monkeypatch.setenv("REPLICATION_PROCESSED_DIR", str(folder))
    assert len(load_panel()) == 476  # verified and read
    path = folder / "state_phase_panel.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(DataError, match=r"state_phase_panel.parquet differs from the sha256 .* `make panel`"):
        load_panel()
    (folder / "state_phase_panel.sha256").unlink()  # no sidecar (an older build): pyarrow's error, said clearly
    with pytest.raises(DataError, match=r"cannot be read as parquet .* Rebuild it with `make panel`"):
        load_panel()


@pytest.mark.skipif(shutil.which("make") is None, reason="GNU make is not installed")
def test_make_rebuilds_a_corrupt_panel(processed, tmp_path):
    folder = _copy(processed, tmp_path)
    for p in folder.iterdir():  # newer than every prerequisite: up to date
        p.touch()

    def dry_run():
        return subprocess.run(["make", "--no-print-directory", "-n", "panel", f"PROC={folder}",
                               f"RESULTS={tmp_path / 'results'}"], cwd=PROJECT_ROOT, capture_output=True, text=True)

    out = dry_run()
    assert out.returncode == 0 and "build_panel" not in out.stdout, out.stdout + out.stderr
    parquet = folder / "state_phase_panel.parquet"
    data = bytearray(parquet.read_bytes())
    data[len(data) // 2] ^= 0xFF
    parquet.write_bytes(bytes(data))
    out = dry_run()
    assert out.returncode == 0, out.stderr
    assert "state_phase_panel.parquet differs from the sha256 recorded when it was built" in out.stdout
    assert "rebuilding the panel" in out.stdout and "echo build_panel >> " in out.stdout
    assert parquet.stat().st_mtime == 0 and (folder / "state_phase_panel.csv").stat().st_mtime == 0


def test_sidecar_lists_every_panel_file(processed):
    from replication._checksums import problems, read_sidecar, sha256_of

    listed = read_sidecar(processed / "state_phase_panel.sha256")
    assert sorted(listed) == sorted(["state_phase_panel.csv", "state_phase_panel.parquet", "state_phase_panel.dta",
                                     "datapackage.json", "codebook.md"])
    assert all(sha256_of(processed / name) == digest for name, digest in listed.items())
    assert problems(processed / "state_phase_panel.sha256") == []


# --- CITATION.cff ----------------------------------------------------------------------------------------------

def test_citation_cff_is_valid_cff_1_2_0():
    """Validated against the CFF 1.2.0 JSON schema (tests/data/cff-1.2.0.schema.json, as shipped in cffconvert
    2.0.0; cffconvert itself pins jsonschema<4, which conflicts with frictionless)."""
    yaml = pytest.importorskip("yaml")
    jsonschema = pytest.importorskip("jsonschema")
    doc = yaml.safe_load((PROJECT_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads((PROJECT_ROOT / "tests" / "data" / "cff-1.2.0.schema.json").read_text())
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(doc)] == []
    assert {"cff-version", "message", "title", "authors"} <= set(doc) and doc["cff-version"] == "1.2.0"
    from importlib.metadata import version

    assert doc["version"] == version("replication")
    notes = " ".join(r.get("notes", "") for r in doc["references"] if r["type"] == "data")
    for name in ["coalition_exits.csv", "phase_turning_points.csv", "grand_alliance_cases.csv", "smartpower_cases.csv"]:
        assert f"data/raw/{name}" in notes
    assert {r.get("doi") for r in doc["references"]} >= {"10.1080/09636412.2013.844520",
                                                         "10.1080/01402390.2014.1002913"}
    # and the validator is not a rubber stamp
    assert list(validator.iter_errors({**doc, "references": [{"type": "dataset", "title": "x"}]}))
