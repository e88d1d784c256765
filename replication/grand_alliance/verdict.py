"""The observed cohesion behaviour of a state-phase, derived from the three coded indicators.

Resnick (2013, line 61 of the text; footnote 3) defines wartime cohesion by exactly three
operational indicators: (1) overlap of war aims, (2) military coordination and (3) sharing
of vital national resources. The paper then states each state-phase's behaviour
("maximize" or "minimize" cohesion) by judgement. This module makes that step a rule:

    RULE: a state-phase *maximizes* cohesion when at least two of its three indicators
    are coded "high"; otherwise it *minimizes*. "mixed" is not "high".

Why a majority of the three: the paper weights the indicators equally and names no
indicator as decisive, so the simplest symmetric aggregation is used; "mixed" counts as
not high because maximizing, in the paper's words, means adopting converging war aims,
"extensive" coordination and "few, if any, restrictions" on sharing (Neoclassical
Realism section, line 155 of the text), which a mixed record does not meet. The rule was fixed before the
congruence scores were computed on it and is not tuned to reproduce them.
"""

from __future__ import annotations

from itertools import combinations

import pandas as pd

#: the three indicators of Resnick (2013), line 61, in the paper's order
INDICATORS = ["war_aims_overlap", "military_coordination", "resource_sharing"]
MAXIMIZE, MINIMIZE = "maximize", "minimize"
HIGH = "high"
#: how many of the three indicators must be "high" for "maximize"
MIN_HIGH = 2
RULE_TEXT = (f"maximize when at least {MIN_HIGH} of the 3 cohesion indicators (war-aims overlap, military "
             "coordination, resource sharing) are coded high; otherwise minimize ('mixed' is not high)")


def n_high(*indicators) -> int:
    return sum(value == HIGH for value in indicators)


def derive_verdict(war_aims_overlap: str, military_coordination: str, resource_sharing: str) -> str:
    """The rule above, for one state-phase."""
    return MAXIMIZE if n_high(war_aims_overlap, military_coordination, resource_sharing) >= MIN_HIGH else MINIMIZE


def add_derived_verdict(wide: pd.DataFrame) -> pd.DataFrame:
    """Add ``n_high``, the derived ``observed`` and ``differs_from_paper`` to a one-row-per-state-phase frame."""
    out = wide.copy()
    out["n_high"] = [n_high(*row) for row in out[INDICATORS].itertuples(index=False)]
    out["observed"] = [derive_verdict(*row) for row in out[INDICATORS].itertuples(index=False)]
    out["differs_from_paper"] = out["observed"].ne(out["paper_observed"])
    return out


def flipped(value: str) -> str:
    """The one-value change used by the sensitivity analysis.

    high <-> low; "mixed" becomes "high", the only change of a mixed coding that the rule
    can notice (mixed -> low leaves every verdict as it is, since mixed already counts as not high).
    """
    return {"high": "low", "low": "high", "mixed": "high"}[value]


def changes_needed(indicators: tuple[str, str, str]) -> int:
    """Fewest indicator changes (each a :func:`flipped` step or, for "mixed", a change to low)
    that reverse the derived verdict of one state-phase."""
    current = derive_verdict(*indicators)
    for k in (1, 2, 3):
        for idx in combinations(range(3), k):
            trial = list(indicators)
            for i in idx:
                trial[i] = "low" if current == MAXIMIZE else "high"
            if derive_verdict(*trial) != current:
                return k
    raise AssertionError("unreachable: three changes always reverse a verdict")  # pragma: no cover
