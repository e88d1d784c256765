"""Table 4: neorealism, liberalism and neoclassical realism under both readings of "favourable":
nested models (no likelihood, information criterion or LR test from a separated fit), penalised
leave-one-war-out log scores with the ranking without the most influential war, every declared
prediction tested in both reported models, and the cross-war congruence test beside the rule that
predicts no defection at all.

Writes results/tables/table4_theory_comparison.{csv,tex,md}, table4_predictions.{csv,tex,md},
table4_congruence.{csv,tex,md}, table4_loo_folds.csv and table4_declared_predictions.csv (the register of
predictions, written before estimation). Run: make table4 (or python analysis/table4_theory_comparison.py)
"""

import pandas as pd

from .. import _io, paths
from ..models.hypotheses import WITHDRAWN, declared_predictions
from ..models.tables import congruence_table, predictions_table, theories_table
from . import _shared


def build() -> None:
    # every universe (issue 20): the COW wars, the 2001 coalitions and the pooled sample with a universe effect
    parts = {u: _universe(u) for u in _shared.UNIVERSES}
    predictions, table, folds, congruence = (pd.concat([p[i] for p in parts.values()], ignore_index=True)
                                             for i in range(4))
    frames = _shared.frames()

    show = table[["universe", "reading", "model", "theory", "k", "events_per_parameter", "ml_status", "aic", "lr_p",
                  "loo_war_log_score", "loo_rank", "loo_most_influential_war", "loo_rank_without_it"]]
    primary = frames["defeat_unites"]["binary"]
    from ..models.data import interaction_cluster_counts

    counts = interaction_cluster_counts(primary)
    notes = [
        "Each theory's model on the same sample: neorealism = systemic_favorable; liberalism = democracy; "
        "neoclassical realism = democracy x systemic_favorable; all with power share and major power. Pooled: logit; "
        "hazard: complementary log-log with a cubic in years since entry and the log-exposure offset. Formulas in the "
        "CSV. Both readings of favourable (replication/models/hypotheses.py): defeat_unites (primary) and "
        "defeat_divides.",
        f"Sample: {len(primary)} state-phases, {int(primary['y'].sum())} defections in {primary['war'].nunique()} wars "
        f"({int((primary.groupby('war')['y'].max() > 0).sum())} with a defection; the interaction regressor is non-zero "
        f"in {counts['clusters_interaction_nonzero']} wars and varies within {counts['clusters_interaction_varies']}). "
        "Nested models by maximum "
        "likelihood: a fit whose maximum does not exist (ml_status separated, Konis LP check) has no log-likelihood, "
        "AIC, BIC or LR test; the rivals are nested in the interaction model, so LR, AIC and BIC cannot test "
        "neoclassical realism on its own terms.",
        "LOO: leave-one-war-out summed held-out log-likelihood (higher is better), each fold fitted by Firth's logit "
        "(pooled) or the Jeffreys-penalised cloglog (hazard), finite when the training wars are separated; "
        "probabilities are not clipped. loo_rank: 1 = best. The most influential war is the fold whose held-out "
        "scores differ most across the theories; loo_rank_without_it ranks the sums without it. Per-fold scores in "
        "table4_loo_folds.csv.",
        "Predictions: table4_predictions (every declared prediction, both readings, both reported models: the Firth "
        "logit and the Jeffreys-penalised hazard; delta method with the model-based covariance (X'WX)^-1, z; "
        "one-sided for a predicted sign, held: p < 0.05; two-sided for a predicted zero, held: not rejected, which "
        "with these few events is weak evidence: see Table 5's minimum detectable effect and equivalence bounds).",
        "Withdrawn: " + "; ".join(f"{k}: {v}" for k, v in WITHDRAWN.items()) + ".",
        "Universes (issue 20): the sample above is the COW universe's. " + "; ".join(
            f"{u}: {len(f)} state-phases, {int(f['y'].sum())} defections in {f['war'].nunique()} wars"
            for u, f in ((u, _shared.universe_frame(u)) for u in _shared.UNIVERSES[1:])) + ". In the 2001 "
        "coalitions leave-one-war-out has two folds (Afghanistan, Iraq): each theory is scored on one war from "
        "the other; where a fold's held-out log score is -inf (a held-out defection predicted with probability 0, "
        "as the hazard's cubic in years since entry does when fitted on Iraq's shorter war and extrapolated to "
        "Afghanistan's; probabilities are not clipped), or a fold's fit fails (a regressor constant in Iraq's rows), "
        "that universe's LOO ranking is not informative. The pooled "
        "models carry the indicator coalition_2001_universe.",
    ]
    _io.write_table(show, paths.tables_dir() / "table4_theory_comparison", csv_frame=table, label="tab:theories",
                    caption="The three theories of Resnick (2013) compared on the cross-war panel", notes=notes,
                    float_format="%.3f")
    pred_show = predictions[["universe", "reading", "key", "theory", "predicted_sign", "paper_line", "model", "estimate",
                             "p_value", "held", "reading_status"]]
    pred_notes = [
        "Every prediction declared in replication/models/hypotheses.py (binary index: NCR1-4, NR1-4, LIB1-2; graded "
        "index at 0, 2/3 and 1: NCR1g, NCR2g, LIB1g, NR1g), under both readings of favourable, in both reported "
        "models. Statements and the basis in the text: table4_declared_predictions.csv and the CSV of this table.",
        "Estimate: the contrast of average predicted probabilities; p: one-sided z for '+' (held: p < 0.05), "
        "two-sided z for '0' (held: not rejected). reading_status says whether the reading is the theory's own "
        "(neorealism's is defeat_unites, line 83; liberalism makes no systemic claim).",
    ]
    _io.write_table(pred_show, paths.tables_dir() / "table4_predictions", csv_frame=predictions,
                    label="tab:predictions", caption="Every declared prediction, under both readings of favourable",
                    notes=pred_notes, float_format="%.3f")
    _io.write_csv(declared_predictions(), paths.tables_dir() / "table4_declared_predictions.csv")
    _io.write_csv(folds, paths.tables_dir() / "table4_loo_folds.csv")
    cong_show = congruence[["universe", "reading", "theory", "congruence_rate", "no_defection_rule_rate",
                            "share_of_defections_predicted", "share_of_non_defections_predicted", "odds_ratio",
                            "kappa", "fisher_p_one_sided", "permutation_p_within_war"]]
    cong_notes = [
        "Table 2 of Resnick (2013) at scale: for every state-phase, each theory's point prediction (defect or not) "
        "against what happened. neorealism: defect when conditions favour fragmentation (line 83); liberalism: "
        "autocracies defect (line 87); neoclassical realism: autocracies defect when conditions favour fragmentation "
        "(lines 145-155).",
        "With rare events the congruence rate mostly counts non-defections: no_defection_rule_rate is the rate of "
        "the rule that predicts no defection at all. A theory predicts defection only if it predicts a larger share "
        "of the defections than of the non-defections (odds ratio > 1, kappa > 0). Fisher: one-sided exact test of "
        "that association. Permutation: share of "
        f"{int(congruence['permutations'].iloc[0])} within-war permutations of the outcome (each war keeps its number "
        "of defections) with a congruence rate at least as high, (1 + count) / (1 + permutations).",
    ]
    _io.write_table(cong_show, paths.tables_dir() / "table4_congruence", csv_frame=congruence, label="tab:congruence",
                    caption="Cross-war congruence of each theory's predictions with observed defections",
                    notes=cong_notes, float_format="%.3f")
    print(show.to_string(index=False))
    print(pred_show.to_string(index=False))
    print(cong_show.to_string(index=False))


def _universe(universe: str):
    """(predictions, theories, LOO folds, congruence) of one universe, each with a universe column."""
    frames = _shared.universe_frames(universe)
    predictions = predictions_table(frames, fits=_shared.universe_reported(universe))
    table, folds = theories_table(frames)
    congruence = congruence_table(frames)
    return tuple(_shared.with_universe(t, universe) for t in (predictions, table, folds, congruence))
