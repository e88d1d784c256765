"""The Grand Alliance rows of the panel beside the hand-coded case file, with the reasons
they differ. Writes results/tables/panel_grand_alliance_comparison.{csv,tex,md}.
Run: make panel-compare (or python analysis/panel_vs_casefile.py)
"""

import warnings

import pandas as pd

from .. import _io, paths
from ..grand_alliance import ALLIES, casefile
from ..panel import build_panel


def build() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NA counts are reported by `make panel`
        panel = build_panel(scheme="custom")
    ga = panel[(panel.war_num == 139) & panel.ccode.isin(list(ALLIES))].copy()
    ga["state"] = ga["ccode"].map(ALLIES)
    ga["phase"] = ga["phase"].map({"P1": "I", "P2": "II"})
    cases = casefile.load_cases()

    pairs = [("democracy", "democracy", "democracy",
              "Polity5 polity2 >= 6 in the year before the phase agrees with the paper's regime coding."),
             ("losing_favors", "losing", "losing (trend)",
              "The panel's trend proxy is the change in the capability ratio since the coalition's previous phase; it "
              "is NA in a coalition's first phase and sees mobilisation and membership, not the battlefield trends "
              "(territory, the U-boat war) by which the paper codes the Allies as losing until mid-1944."),
             ("power_symmetric_favors", "symmetric", "power symmetric",
              "The panel's coalition is every WWII Allied state (the US leads with under half of their CINC); the paper "
              "uses front-line contributions of the three allies only, and its own Table 1 shows 58-66% for the US."),
             ("common_adversary_favors", "common_adversary", "common adversary",
              "Both identify Germany as the principal enemy in phase I; in phase II the panel sees Japan as the "
              "principal enemy only for the USSR's August 1945 spell."),
             ("external_gt_internal_favors", "external_gt_internal", "external > internal threat",
              "The panel compares enemy CINC with the largest partner's CINC; the paper judges intentions and "
              "ideology, which capabilities cannot show.")]
    rows = []
    for case in cases.itertuples():
        row = ga[(ga.state == case.state) & (ga.phase == case.phase)]
        if row.empty:
            continue
        r = row.iloc[0]
        for cfield, pfield, label, why in pairs:
            coded, measured = bool(getattr(case, cfield)), r[pfield]
            agree = pd.NA if pd.isna(measured) else bool(measured) == coded
            rows.append({"state": case.state, "phase": case.phase, "variable": label, "case_file": coded,
                         "panel": pd.NA if pd.isna(measured) else bool(measured), "agree": agree,
                         "explanation": "agree" if agree is True else why})
    table = pd.DataFrame(rows)
    notes = ["Panel: scheme 'custom' with the July 1944 turning point (data/raw/phase_turning_points.csv); phase I in "
             "the panel starts at each state's COW entry (UK 1939, USSR June 1941, US December 1941), not January "
             "1942, and the power measures use the phase's first year.",
             f"{int(table['agree'].sum())} of {len(table)} codings agree. Every coding is True when the condition "
             "favours cohesion (for democracy: the state is a democracy)."]
    _io.write_table(table, paths.tables_dir() / "panel_grand_alliance_comparison", label="tab:panel_compare",
                    caption="Grand Alliance: the panel's measured conditions beside the hand-coded case file",
                    notes=notes)
    print(table.to_string(index=False))
