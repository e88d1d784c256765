"""Table 5: the interaction on the probability scale under both readings of "favourable": the two
reported models (the Firth logit and the Jeffreys-penalised cloglog hazard with its exposure offset),
predicted probabilities, first differences and the second difference, with delta-method (model-based),
war-jackknife and war-cluster bootstrap intervals; what the design can detect (the size of the
reported test, the minimum detectable effect at 80% power, the equivalence bounds); few-cluster
inference for the LPM (CR1, CR2 with Imbens-Kolesar and Satterthwaite df, CR3, wild cluster bootstrap).

Writes results/tables/table5_interaction.{csv,tex,md}, table5_power.{csv,tex,md}, table5_power_curve.csv
and table5_few_clusters.{csv,tex,md}. Run: make table5 (or python analysis/table5_interaction.py)
"""

import pandas as pd

from .. import _io, paths
from ..models.tables import BOOTSTRAP_REPS as REPS
from ..models.tables import BOOTSTRAP_SEED as SEED
from ..models.tables import (POWER_REPS, REPORTED_LOGIT, few_clusters_table, interaction_effects_table,
                             power_table)
from . import _shared


def build() -> None:
    # every universe (issue 20), stacked with a universe column; the notes describe the COW universe's sample
    parts = {u: _universe(u) for u in _shared.UNIVERSES}
    table, curve, power, few = (pd.concat([p[i] for p in parts.values()], ignore_index=True) for i in range(4))
    cow = table[table.universe == "cow_interstate"]
    show = table[["universe", "reading", "model", "quantity", "estimate", "delta_ci_low", "delta_ci_high", "jack_ci_low",
                  "jack_ci_high", "boot_ci_low", "boot_ci_high"]]
    logit_rows = cow[cow.model == REPORTED_LOGIT].drop_duplicates("reading")
    notes = [
        "Average predicted probability of defection in a state-phase with democracy and favourable conditions set "
        "to each cell's values for every observation; FD = democracy minus autocracy; second difference = FD under "
        "favourable minus FD under unfavourable conditions (the interaction on the probability scale). Hazard: "
        "probability of exit within the phase at each phase's exposure (complementary log-log with the log-exposure "
        "offset).",
        "Readings of favourable (declared in replication/models/hypotheses.py before estimation): defeat_unites "
        "(primary: losing favours cohesion, lines 83, 143, 203) and defeat_divides (looming defeat invites "
        "defection, lines 131-171, 671: losing counted against cohesion).",
        "Models: " + REPORTED_LOGIT + " (firthmodels, logistf convention) and the Jeffreys-penalised complementary "
        "log-log hazard (Kosmidis and Firth 2021), both penalised maximum likelihood, finite under separation; the "
        "maximum-likelihood fits are in Table 3 (separated: no inference).",
        "Intervals (95%): delta method with the model-based covariance (X'WX)^-1 at the penalised estimate, z (the "
        "reported test; its size is in table5_power); war jackknife: leave-one-war-out refits, SE sqrt(sum_g "
        f"(theta_-g - theta)^2) (CR3 form), t(G-1); bootstrap (logit only): {REPS} resamples of wars with "
        f"replacement (seed {SEED}), each refitted by Firth, percentile intervals.",
        "Samples: " + "; ".join(
            f"{r.reading}: N = {int(r.n)} state-phases, {int(r.events)} defections, {int(r.n_clusters)} wars, "
            f"{int(r.clusters_with_events)} with a defection, the interaction non-zero in "
            f"{int(r.clusters_interaction_nonzero)} wars and varying within {int(r.clusters_interaction_varies)}"
            for r in logit_rows.itertuples()) + ".",
        "Universes: " + "; ".join(
            f"{r.universe}, {r.reading}: N = {int(r.n)}, {int(r.events)} defections, {int(r.n_clusters)} clusters "
            f"({_shared.CLUSTER_UNIT[r.universe]}), {int(r.clusters_with_events)} with a defection"
            for r in table[(table.universe != "cow_interstate") & (table.model == REPORTED_LOGIT)]
            .drop_duplicates(["universe", "reading"]).itertuples()) + ". In the 2001 coalitions and the pooled "
        "sample the jackknife and the bootstrap resample the clusters named there (contributor states in the 2001 "
        "rows), not wars; the pooled models carry the indicator coalition_2001_universe. table5_universes sets the "
        "key rows side by side.",
    ]
    _io.write_table(show, paths.tables_dir() / "table5_interaction", csv_frame=table, label="tab:interaction",
                    caption="The democracy x systemic-conditions interaction on the probability scale", notes=notes,
                    float_format="%.3f")
    power_show = power[["universe", "reading", "size_one_sided", "size_two_sided", "mde_80_one_sided", "mde_80_two_sided",
                        "estimate", "equivalence_lower", "equivalence_upper", "equivalence_bound"]]
    power_notes = [
        "The test simulated is the one reported: the Firth logit's second difference, delta method with (X'WX)^-1, z, "
        "one-sided at 5% for neoclassical realism's signed prediction (NCR3) and two-sided as a reference. "
        f"{POWER_REPS} simulated outcome sets per value of the second difference (seed {SEED}), the design as "
        "observed.",
        "Data-generating process: logit with a war random intercept N(0, sigma^2); the intercept shift and sigma are "
        "calibrated so that the expected defections and wars with a defection equal the observed ones: " + "; ".join(
            f"{r.reading}: sigma = {r.war_effect_sd:.2f}, {int(r.observed_events)} defections in "
            f"{int(r.observed_event_wars)} wars (independent outcomes would spread them over "
            f"{r.event_wars_if_independent:.1f})" for r in power.itertuples()) + ". The target is the marginal "
        "second difference (averaged over the war effect).",
        "Size: rejection rate at a true second difference of 0. MDE: the smallest positive second difference with "
        "power >= 0.8 (linear interpolation on the grid; the curve is table5_power_curve.csv). Equivalence: two "
        "one-sided tests at 5% (the 90% interval of the estimate): the data reject every second difference below "
        "the lower and above the upper bound; the bound is the larger in absolute value.",
    ]
    _io.write_table(power_show, paths.tables_dir() / "table5_power", csv_frame=power, label="tab:power",
                    caption="What the design can detect: size, minimum detectable effect and equivalence bounds",
                    notes=power_notes, float_format="%.3f")
    _io.write_csv(curve, paths.tables_dir() / "table5_power_curve.csv")
    few_show = few[["universe", "method", "estimate", "std_error", "df", "ci_low", "ci_high", "p_value"]]
    few_cow = few[few.universe == "cow_interstate"]
    f0, wild = few_cow.iloc[0], few_cow[few_cow.method.str.startswith("wild")].iloc[0]
    ik = few_cow[few_cow.method.str.contains("Imbens-Kolesar")].iloc[0]
    few_notes = [f"Linear probability model y ~ democracy x systemic_favorable + power share + major power, OLS; "
                 f"N = {int(f0.n)}, {int(f0.events)} defections, {int(f0.n_clusters)} wars "
                 f"({int(f0.clusters_with_events)} with a defection). The interaction is non-zero in "
                 f"{int(f0.clusters_interaction_nonzero)} wars and varies within {int(f0.clusters_interaction_varies)}.",
                 "CR1: the usual cluster-robust covariance (G/(G-1) (N-1)/(N-K) factor), t(G-1). CR2: Bell-McCaffrey "
                 "(residuals adjusted by (I - H_gg)^-1/2), with the Imbens-Kolesar (2016) degrees of freedom (Moulton "
                 f"working model, rho = {ik.moulton_rho:.4f}) and with the Bell-McCaffrey/Satterthwaite ones "
                 "(clubSandwich). CR3: the leave-one-war-out jackknife sum (clubSandwich's CR3; pyfixest's default "
                 "CRV3 also multiplies it by CR1's factor), t(G-1).",
                 "Wild cluster bootstrap: restricted (null imposed), bootstrap-t on CR1, Webb six-point weights, "
                 f"{int(f0.wild_reps)} replicates, seed "
                 f"{int(f0.seed)}; the CI inverts the test (bisection on the null value, same weights)."
                 + (f" Caution: {wild.note}." if isinstance(wild.note, str) and wild.note else ""),
                 "Rows above are the COW universe's; the coalition_2001 and pooled rows cluster by the units named in "
                 "Table 5's notes (contributor states in the 2001 rows), so 'wars' there reads 'clusters'."]
    _io.write_table(few_show, paths.tables_dir() / "table5_few_clusters", csv_frame=few, label="tab:fewclusters",
                    caption="Few-cluster inference for the interaction (linear probability model)", notes=few_notes,
                    float_format="%.3f")
    print(show.to_string(index=False))
    print(power_show.to_string(index=False))
    print(curve.to_string(index=False))
    print(few_show.to_string(index=False))


def _universe(universe: str):
    """(interaction table, power curve, power summary, few-cluster table) of one universe, each with a
    universe column."""
    frames = _shared.universe_frames(universe)
    table = interaction_effects_table(frames, fits=_shared.universe_reported(universe))
    curve, power = power_table(frames, table)
    few = few_clusters_table(_shared.universe_frame(universe))
    return tuple(_shared.with_universe(t, universe) for t in (table, curve, power, few))
