"""Which codings the Table 2 verdict depends on.

:func:`one_flip` changes each of the 18 coded indicator values (6 state-phases x 3
indicators) in turn, derives the observed behaviour again by the rule in :mod:`.verdict`
and rescores the three theories. :func:`reversals` asks the complementary question per
state-phase: how many indicator changes reverse its derived verdict, and what the scores
would then be.
"""

from __future__ import annotations

import pandas as pd

from . import theories
from .casefile import wide_cases
from .verdict import INDICATORS, MAXIMIZE, MINIMIZE, changes_needed, flipped

THEORY_ORDER = ["neoclassical realism", "neorealism", "liberalism"]


def _scores(cases: pd.DataFrame, rule: str) -> dict[str, int]:
    return theories.scores(theories.congruence(cases, rule))


def one_flip(long: pd.DataFrame, rule: str = "all") -> pd.DataFrame:
    """One row per coded indicator value: the verdict and the three scores with that value flipped.

    ``long`` is :func:`.casefile.read_case_file`'s output. Columns: state, phase, indicator,
    coded, flipped_to, verdict, verdict_flipped, verdict_changes, then the score of each
    theory with the value flipped and ``scores_change``.
    """
    base_cases = wide_cases(long)
    base = _scores(base_cases, rule)
    verdict = base_cases.set_index(["state", "phase"])["observed"]
    rows = []
    for i in long.index[long["variable"].isin(INDICATORS)]:
        changed = long.copy()
        coded = str(long.at[i, "value"])
        changed.at[i, "value"] = flipped(coded)
        cases = wide_cases(changed)
        state, phase = long.at[i, "state"], long.at[i, "phase"]
        after = cases.set_index(["state", "phase"]).at[(state, phase), "observed"]
        score = _scores(cases, rule)
        rows.append({"state": state, "phase": phase, "indicator": long.at[i, "variable"], "coded": coded,
                     "flipped_to": flipped(coded), "verdict": verdict[(state, phase)], "verdict_flipped": after,
                     "verdict_changes": after != verdict[(state, phase)],
                     **{t: score[t] for t in THEORY_ORDER},
                     "scores_change": any(score[t] != base[t] for t in THEORY_ORDER)})
    out = pd.DataFrame(rows)
    order = {"USA": 0, "UKG": 1, "RUS": 2}
    out = out.sort_values(["phase", "state", "indicator"], kind="stable",
                          key=lambda s: s.map(order) if s.name == "state" else (
                              s.map({v: k for k, v in enumerate(INDICATORS)}) if s.name == "indicator" else s))
    return out.reset_index(drop=True)


def reversals(cases: pd.DataFrame, rule: str = "all") -> pd.DataFrame:
    """Per state-phase: the indicator changes needed to reverse its derived verdict, and the
    three scores if it were reversed (every other state-phase as coded)."""
    rows = []
    for i, case in cases.iterrows():
        reversed_cases = cases.copy()
        new = MINIMIZE if case["observed"] == MAXIMIZE else MAXIMIZE
        reversed_cases.at[i, "observed"] = new
        score = _scores(reversed_cases, rule)
        rows.append({"state": case["state"], "phase": case["phase"],
                     "indicators": "/".join(str(case[c]) for c in INDICATORS), "verdict": case["observed"],
                     "changes_needed": changes_needed(tuple(case[c] for c in INDICATORS)), "reversed_to": new,
                     **{t: score[t] for t in THEORY_ORDER}})
    return pd.DataFrame(rows)
