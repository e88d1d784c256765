"""Table 5: the interaction on the probability scale (pooled logit and cloglog hazard): predicted
probabilities, first differences and the second difference, with delta-method CIs and
war-cluster (pairs) bootstrap CIs; few-cluster inference for the LPM (CR2, CR3, wild cluster
bootstrap); the minimum detectable second difference at 80% power on the real design.

Writes results/tables/table5_interaction.{csv,tex,md}, table5_few_clusters.{csv,tex,md} and
table5_power.csv. Run: make table5 (or python analysis/table5_interaction.py)
"""

from .. import _io, paths
from ..models.tables import BOOTSTRAP_REPS as REPS
from ..models.tables import BOOTSTRAP_SEED as SEED
from ..models.tables import POWER_REPS, few_clusters_table, interaction_effects_table, power_table
from . import _shared


def _mde(x):
    return "not reached on the grid" if x != x else f"{x:.3f}"


def build() -> None:
    frame = _shared.frame()
    fits = _shared.fits()
    table = interaction_effects_table(frame, fits=(fits["logit"], fits["hazard"]))
    curve, mde = power_table(frame, fit=fits["logit"])
    table["mde_80_positive"], table["mde_80_negative"] = mde["positive"], mde["negative"]
    few = few_clusters_table(frame)
    show = table[["model", "quantity", "estimate", "delta_ci_low", "delta_ci_high", "boot_ci_low", "boot_ci_high"]]
    sep = table.dropna(subset=["boot_separated"]).groupby("model", sort=False)[
        ["boot_separated", "boot_not_converged", "boot_failed"]].first()
    refits = [m for m in dict.fromkeys(table["model"]) if m.endswith("(ML separated)")]
    first = table.iloc[0]
    size = curve.loc[curve.delta == 0, "power"]

    notes = [
        "Average predicted probability of defection in a state-phase with democracy and favourable conditions set "
        "to each cell's values for every observation; FD = democracy minus autocracy; second difference = FD under "
        "favourable minus FD under unfavourable conditions (the interaction on the probability scale). Hazard: "
        "probability of exit within the phase at each phase's exposure.",
        f"N = {int(first.n)} state-phases, {int(first.events)} defections, {int(first.n_clusters)} wars of which "
        f"{int(first.clusters_with_events)} contain a defection. Delta-method 95% CIs with the war-clustered covariance "
        f"(z); bootstrap: {REPS} resamples of wars with replacement (seed {SEED}), percentile CIs.",
        "Bootstrap replicates accounted for (Konis LP check on each resample): " + "; ".join(
            f"{m}: {int(r.boot_separated)} of {REPS} separated (kept at their limit), {int(r.boot_not_converged)} "
            f"not converged, {int(r.boot_failed)} failed (excluded)" for m, r in sep.iterrows()) + ".",
        ("A separated ML fit prints no inference (status 'separated': its CIs are blank); its penalised refit follows "
         "it (Firth's logit for the pooled logit; for the hazard the Jeffreys-penalised cloglog with the same offset, "
         "Kosmidis and Firth 2021) with delta-method CIs from the model-based covariance (X'WX)^-1 at the penalised "
         "estimate, and no bootstrap: " + "; ".join(refits) + "." if refits else "No fit is separated."),
        f"Power: with this design the pooled logit detects a second difference of {_mde(mde['positive'])} (positive) "
        f"with 80% power at the 5% level ({POWER_REPS} simulated outcome sets per value; table5_power.csv); a negative "
        "second difference is bounded by the baseline rates"
        + (f" and is detectable from {_mde(mde['negative'])}." if mde["negative"] == mde["negative"] else
           " and no attainable negative value reaches 80% power.")
        + (f" The test's rejection rate at a true zero is {float(size.iloc[0]):.3f} (nominal 0.05)." if len(size) else ""),
        "Few clusters: table5_few_clusters gives the LPM interaction (= the LPM's second difference) with CR1, CR2 "
        "(Imbens-Kolesar and Satterthwaite degrees of freedom), CR3 (jackknife) and the restricted wild cluster "
        "bootstrap (pyfixest, Webb weights).",
    ]
    _io.write_table(show, paths.tables_dir() / "table5_interaction", csv_frame=table, label="tab:interaction",
                    caption="The democracy x systemic-conditions interaction on the probability scale", notes=notes,
                    float_format="%.3f")
    _io.write_csv(curve, paths.tables_dir() / "table5_power.csv")
    few_show = few[["method", "estimate", "std_error", "df", "ci_low", "ci_high", "p_value"]]
    f0, wild = few.iloc[0], few[few.method.str.startswith("wild")].iloc[0]
    ik = few[few.method.str.contains("Imbens-Kolesar")].iloc[0]
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
                 + (f" Caution: {wild.note}." if wild.note else "")]
    _io.write_table(few_show, paths.tables_dir() / "table5_few_clusters", csv_frame=few, label="tab:fewclusters",
                    caption="Few-cluster inference for the interaction (linear probability model)", notes=few_notes,
                    float_format="%.3f")
    print(show.to_string(index=False))
    print(few_show.to_string(index=False))
    print(curve.to_string(index=False), mde)
