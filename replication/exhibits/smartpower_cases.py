"""The 2015 paper's cases: computed relative power and soft power, the recommended strategy
against the observed one (strict matching), the failure diagnosis computed from the two beside
the paper's failure type, and the confusion table of recommended against observed strategy.

Writes results/tables/smartpower_cases.{csv,tex,md} and
results/tables/smartpower_confusion.{csv,tex,md}. Run: make smartpower-cases (or python analysis/smartpower_cases.py)
"""

from .. import _io, paths
from ..smartpower import Weights, Zones, classify_cases, confusion, read_cases
from ..smartpower.cases import POWER_DECADES
from ..sources import read_nmc


def build() -> None:
    table = classify_cases(read_cases(), read_nmc("4.0"))
    show = table[["case_id", "target", "period", "log10_cinc_ratio", "relative_power", "soft_power", "alignment",
                  "recommended", "observed_strategy", "paper_strategy", "matches_paper_strategy", "margin_to_boundary",
                  "recommended_with_share", "recommended_equal_weights", "recommended_narrow_band", "failure_computed",
                  "paper_failure_type", "failure_agrees"]].copy()
    show["failure_computed"] = show["failure_computed"].fillna("none")
    show["paper_failure_type"] = show["paper_failure_type"].fillna("none")
    w, z = Weights(), Zones()
    fragile = table[(table.recommended_equal_weights != table.recommended)
                    | (table.recommended_narrow_band != table.recommended)]
    by_share = table[table.recommended_with_share != table.recommended]
    strategy_miss = table[~table.matches_paper_strategy]
    failure_miss = table[~table.failure_agrees]
    share = table["cinc_share_vs_adversary"]
    post45 = table["year"] > 1945
    notes = [f"Soft power = {w.threat} x threat + {w.power} x (2 x relative power - 1) x max(threat, 0) + "
             f"{w.voice} x voice, on [-1, 1]. Relative power = 0.5 + log10(US CINC / adversary CINC) / "
             f"{2 * POWER_DECADES:g}, clipped to [0, 1] (parity 0.5, 10:1 0.75, 100:1 1; COW NMC "
             f"v{table.nmc_version.iloc[0]}, case year). It replaces the share US / (US + adversary), which runs "
             f"{share[post45].min():.3f}-{share[post45].max():.3f} for every post-1945 case; the log ratio runs "
             f"{table.log10_cinc_ratio[post45].min():.2f}-{table.log10_cinc_ratio[post45].max():.2f} there. "
             f"Zones: coercive enticement <= {z.coercive_max}; side-payment bribery within +/-{z.indifference}; "
             "bolstering above (conditional if preferences diverge; side payments too up to "
             f"{z.weak_max}).",
             f"Strict matching: {int(table.matches_paper_strategy.sum())} of {len(table)} cases get exactly the strategy "
             f"the paper gives ({len(strategy_miss)} differ: {', '.join(strategy_miss.case_id) or 'none'}). "
             f"With the share as the power measure, {len(by_share)} recommendation(s) change "
             f"({', '.join(by_share.case_id) or 'none'}).",
             f"failure_computed compares the observed with the recommended strategy (more coercive: heavy-handedness; "
             "nothing where bolstering fits: malign neglect; any other shortfall: light-handedness). It agrees with the "
             f"paper's Table 1 (paper_failure_type) in {int(table.failure_agrees.sum())} of {len(table)} cases; it "
             f"differs in {', '.join(failure_miss.case_id) or 'none'}. The strategy-level diagnosis cannot see a right "
             "strategy applied too abruptly, the paper's heavy-handedness of May-August 1945.",
             f"Under equal weights or a +/-0.15 indifference band, {len(fragile)} cases change recommendation "
             f"({', '.join(fragile.case_id)}): Figure 1 is qualitative, and these cases sit near a zone boundary or "
             "depend on how much the weights favour threat over voice, which the paper ranks but does not quantify.",
             "observed_strategy is what the US did; 'none' means no hard power was used. A formalisation of a "
             "qualitative framework: the paper assigns strategies and failures by judgement; the package computes them "
             "from the coded threat, voice and alignment and from NMC capabilities."]
    _io.write_table(show, paths.tables_dir() / "smartpower_cases", label="tab:smartpower_cases",
                    caption="Resnick (2015) cases: computed soft power, Figure 1's recommended strategy and the failure "
                            "diagnosis, beside the paper",
                    notes=notes, csv_frame=table, float_format="%.3f")

    matrix = confusion(table)
    on_diagonal = int(sum(matrix.loc[s, s] for s in matrix.index if s in matrix.columns))
    conf = matrix.reset_index()
    conf.columns = [str(c) for c in conf.columns]
    _io.write_table(conf, paths.tables_dir() / "smartpower_confusion", label="tab:smartpower_confusion",
                    caption="Resnick (2015) cases: strategy recommended by Figure 1 (rows) against the strategy the US "
                            "used (columns)",
                    notes=[f"Counts of the {len(table)} cases. {on_diagonal} lie on the diagonal (the US did what Figure 1 "
                           f"recommends); the {len(table) - on_diagonal} off it are the computed failures "
                           "(smartpower_cases, failure_computed). Columns and rows in Figure 1's order, most coercive "
                           "first; 'none' = no hard power used."])
    print(show[["case_id", "recommended", "observed_strategy", "failure_computed", "paper_failure_type"]].to_string(
        index=False))
    print(matrix.to_string())
