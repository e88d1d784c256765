"""Table 4: neorealism, liberalism and neoclassical realism: nested models, penalised
leave-one-war-out log scores, each theory's signed predictions (a column per prediction, with
the paper's line), and the cross-war congruence test.

Writes results/tables/table4_theory_comparison.{csv,tex,md}, table4_predictions.csv,
table4_loo_folds.csv and table4_congruence.{csv,tex,md}. Run: make table4 (or python analysis/table4_theory_comparison.py)
"""

import pandas as pd

from .. import _io, paths
from ..models.tables import congruence_table, predictions_table, theories_table
from . import _shared


def build() -> None:
    frame = _shared.frame()
    graded = _shared.frame("systemic_graded") if _shared.has_column("systemic_graded") else None
    fits = _shared.fits()
    predictions = predictions_table(frame, graded, fits=(fits["logit"], fits["hazard"]))
    table, folds = theories_table(frame, predictions)
    congruence = congruence_table(frame)

    prediction_cols = [c for c in table.columns if c.split(" ")[0] in set(predictions["key"])]
    show = table[["model", "theory", "k", "events_per_parameter", "aic", "lr_p", "loo_war_log_score",
                  "loo_folds_not_ok", *prediction_cols]]
    sep = folds.filter(like="status:").apply(lambda s: s.str.contains("separated")).any(axis=1)
    notes = [
        "Each theory's model on the same sample: neorealism = systemic_favorable; liberalism = democracy; "
        "neoclassical realism = democracy x systemic_favorable; all with power share and major power. Pooled: logit; "
        "hazard: complementary log-log with a cubic in years since entry and the log-exposure offset. Formulas in the CSV.",
        f"Events per parameter: {int(frame['y'].sum())} defections in {frame['war'].nunique()} wars "
        f"({int((frame.groupby('war')['y'].max() > 0).sum())} with a defection). LR: the interaction model against each "
        "nested theory; the rivals are nested in it, so LR, AIC and BIC cannot test neoclassical realism on its own terms.",
        "LOO: leave-one-war-out summed held-out log-likelihood (higher is better). Pooled folds are fitted by Firth "
        "(finite even when the training wars are separated), hazard folds by ML; probabilities are not clipped, so a "
        f"fold that assigns probability 0 to an observed defection scores -inf. Folds with separated training data: "
        f"{int(sep.sum())} of {len(folds)}; per-fold scores in table4_loo_folds.csv.",
        "Prediction columns: estimate of the signed contrast of predicted probabilities (war-clustered delta method), "
        "p = one-sided p-value for a predicted sign (held: p < 0.05) or two-sided for a predicted zero (held: not "
        "rejected, which with these few events is weak evidence; see the minimum detectable effect in Table 5). Graded "
        "predictions (systemic_graded) are in table4_predictions.csv"
        + ("." if graded is not None else "; this panel has no systemic_graded column, so they are not tested."),
        "Predictions: " + "; ".join(f"{k} {p}" for k, p in predictions.drop_duplicates("key")[["key", "prediction"]]
                                    .itertuples(index=False)) + ".",
    ]
    _io.write_table(show, paths.tables_dir() / "table4_theory_comparison", csv_frame=table, label="tab:theories",
                    caption="The three theories of Resnick (2013) compared on the cross-war panel", notes=notes,
                    float_format="%.3f")
    _io.write_csv(predictions, paths.tables_dir() / "table4_predictions.csv")
    _io.write_csv(folds, paths.tables_dir() / "table4_loo_folds.csv")
    cong_notes = [
        "Table 2 of Resnick (2013) at scale: for every state-phase, each theory's point prediction (defect or not) "
        "against what happened. neorealism: defect when conditions favour fragmentation (line 83); liberalism: "
        "autocracies defect (line 87); neoclassical realism: autocracies defect when conditions favour fragmentation "
        "(lines 145-155).",
        "Fisher: one-sided exact test that predicted defections are more likely to be real defections. Permutation: "
        f"share of {int(congruence['permutations'].iloc[0])} within-war permutations of the outcome (each war keeps its "
        "number of defections) with a congruence rate at least as high, (1 + count) / (1 + permutations).",
    ]
    _io.write_table(congruence, paths.tables_dir() / "table4_congruence", label="tab:congruence",
                    caption="Cross-war congruence of each theory's predictions with observed defections",
                    notes=cong_notes, float_format="%.3f")
    print(show.to_string(index=False))
    print(congruence.to_string(index=False))
