"""The Grand Alliance's systemic conditions measured from COW data beside Resnick's (2013)
coding, with the paper's reason wherever they differ, and the congruence scores the
three theories would get with the measured conditions.

Writes results/tables/table2_systemic_conditions.{csv,tex,md}. Run: make table2-systemic (or python analysis/table2_systemic_conditions.py)
"""

from .. import _io, paths, sources
from ..grand_alliance import casefile, systemic, theories


def build() -> None:
    cases = casefile.load_cases()
    war, nmc = sources.read_interstate_war(), sources.read_nmc("4.0")
    ratios = systemic.capability_ratios(war, nmc)
    measured = systemic.measured_conditions(cases, war, nmc)
    coded = theories.scores(theories.congruence(cases))
    with_data = theories.scores(theories.congruence(systemic.with_measured_conditions(cases, measured)))
    n_measured = int(measured["measured"].notna().sum())
    n_differ = int(measured["differs"].fillna(False).sum())
    r = ratios.set_index("period")["capability_ratio"]
    order = ["neoclassical realism", "neorealism", "liberalism"]
    notes = [
        "losing: the trend measure of the cross-war panel, computed here for the Grand Alliance: the Allies' "
        "capability ratio, coalition CINC / (coalition + enemy CINC), with coalition and enemy the COW World War II "
        "participants on each side during the period, CINC of the period's first year (NMC v4.0); losing = the ratio "
        f"fell since the previous period. Ratios: 1941 {r['before']:.3f}, phase I (1942) {r['I']:.3f}, phase II "
        f"(1944) {r['II']:.3f}.",
        "power_symmetric: no ally holds more than half of the three allies' CINC (Table 1's shares, the panel's "
        "threshold). common_adversary and external_gt_internal are perceptions and intentions, not measured.",
        f"{n_measured} of {len(measured)} codings are measured; {n_differ} differ from the paper's, each with the "
        "paper's reason. Every value is True when the condition favours cohesion.",
        "Congruence with the measured conditions in place of the paper's (others as coded; favourable = all four): "
        + ", ".join(f"{t} {with_data[t]}/6" for t in order) + "; as coded: "
        + ", ".join(f"{t} {coded[t]}/6" for t in order) + ".",
    ]
    if with_data["neoclassical realism"] < coded["neoclassical realism"]:
        notes[-1] += (" Liberalism ignores systemic conditions; with phase I measured as unfavourable, neorealism and "
                      "neoclassical realism predict 'minimize' for Britain and the US in phase I, which by the derived "
                      "verdicts they did not do.")
    _io.write_table(measured, paths.tables_dir() / "table2_systemic_conditions", label="tab:table2_systemic",
                    caption="Grand Alliance systemic conditions: the paper's coding beside COW capability data",
                    notes=notes)
    print(measured[["state", "phase", "condition", "paper", "measured", "differs"]].to_string(index=False))
    print("scores with measured conditions:", with_data)
