"""The estimation tables as functions, shared by the exhibit programs and the tests."""

from __future__ import annotations

import pandas as pd

from .compare import compare_theories
from .effects import interaction_table
from .estimators import fit_all, hazard_logit, logit

BOOTSTRAP_REPS, BOOTSTRAP_SEED = 2000, 20131101


def models_table(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Tidy coefficients of all six estimators (Table 3 CSV) and the fitted results."""
    results = fit_all(frame)
    return pd.concat([r.tidy for r in results.values()], ignore_index=True), results


def theories_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Table 4: the three theories, pooled logit and discrete-time hazard."""
    return pd.concat([compare_theories(frame), compare_theories(frame, duration=True)], ignore_index=True)


def interaction_effects_table(frame: pd.DataFrame, reps: int = BOOTSTRAP_REPS,
                              seed: int = BOOTSTRAP_SEED) -> pd.DataFrame:
    """Table 5: probability-scale effects for the pooled and hazard logits."""
    return pd.concat([interaction_table(logit(frame), frame, reps=reps, seed=seed),
                      interaction_table(hazard_logit(frame), frame, reps=reps, seed=seed)], ignore_index=True)
