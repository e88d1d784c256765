"""Table 5: the interaction on the probability scale (pooled and hazard logits): predicted
probabilities, first differences and the second difference, with delta-method CIs
(marginaleffects) and war-cluster bootstrap CIs (2,000 replicates, seeded).

Writes results/tables/table5_interaction.{csv,tex,md}. Run: make table5
"""

from replication import _io, paths
from replication.models import load_panel, model_frame
from replication.models.tables import BOOTSTRAP_REPS as REPS
from replication.models.tables import BOOTSTRAP_SEED as SEED
from replication.models.tables import interaction_effects_table

table = interaction_effects_table(model_frame(load_panel()))
show = table[["model", "quantity", "estimate", "delta_ci_low", "delta_ci_high", "boot_ci_low", "boot_ci_high"]]
sep = table.groupby("model")[["boot_separated", "boot_failed"]].first()
notes = ["Average predicted probability of defection in a state-year with democracy and favourable conditions set "
         "to each cell's values for every observation; FD = democracy minus autocracy; second difference = FD under "
         "favourable minus FD under unfavourable conditions (the interaction on the probability scale).",
         f"Delta-method 95% CIs from marginaleffects with the war-clustered covariance; bootstrap: {REPS} "
         f"resamples of wars with replacement (seed {SEED}), percentile CIs.",
         "Resamples in which some cell has no defection are quasi-separated and kept (their fitted probability "
         "there tends to 0): " + "; ".join(f"{m}: {int(r.boot_separated)} of {REPS}, {int(r.boot_failed)} failed"
                                           for m, r in sep.iterrows()) + "."]
_io.write_table(show, paths.tables_dir() / "table5_interaction", csv_frame=table, label="tab:interaction",
                caption="The democracy x systemic-conditions interaction on the probability scale", notes=notes,
                float_format="%.3f")
print(show.to_string(index=False))
