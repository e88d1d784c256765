"""The three rival theories of Resnick (2013) as prediction functions (Table 2).

Each maps a state's regime type and its alliance's systemic conditions to a
predicted behaviour, "maximize" or "minimize" cohesion. Inputs may be scalars or
array-likes (vectorised with numpy).

Hypotheses (Resnick 2013, Table 2):

- **Neorealism**: if systemic variables favour cohesion, all allies maximize; if they
  favour fragmentation, all allies minimize. Regime type is irrelevant.
- **Liberalism**: democracies always maximize; autocracies always minimize. Systemic
  conditions are irrelevant.
- **Neoclassical realism**: if systemic variables favour cohesion, democracies maximize
  and autocracies minimize; if they favour fragmentation, both minimize.

References
----------
Resnick, Evan N. 2013. "Hang Together or Hang Separately? Evaluating Rival Theories of
Wartime Alliance Cohesion." *Security Studies* 22(4): 672-706, Table 2.
Weitsman, Patricia. 2003. "Alliance Cohesion and Coalition Warfare." *Security Studies* 12(3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MAXIMIZE, MINIMIZE = "maximize", "minimize"


def _label(flag) -> np.ndarray | str:
    out = np.where(np.asarray(flag, dtype=bool), MAXIMIZE, MINIMIZE)
    return str(out) if out.ndim == 0 else out


def neorealism(democracy=None, systemic_favorable=None):
    """Systemic conditions decide; ``democracy`` is accepted and ignored."""
    return _label(systemic_favorable)


def liberalism(democracy=None, systemic_favorable=None):
    """Regime type decides; ``systemic_favorable`` is accepted and ignored."""
    return _label(democracy)


def neoclassical_realism(democracy=None, systemic_favorable=None):
    """Systemic conditions filtered through regime type: only democracies under favourable conditions maximize."""
    return _label(np.logical_and(np.asarray(democracy, dtype=bool), np.asarray(systemic_favorable, dtype=bool)))


THEORIES = {"neorealism": neorealism, "liberalism": liberalism, "neoclassical realism": neoclassical_realism}


def systemic_favorable(losing, symmetric, common_adversary, external_gt_internal, rule: str = "all"):
    """Whether the four neorealist conditions favour cohesion.

    Each argument is True when that condition favours cohesion. ``rule="all"``
    requires all four (the Grand Alliance's phase I); ``"majority"`` requires at
    least three. In Resnick's two phases all four move together, so both rules
    give the same answer there.
    """
    stack = np.vstack([np.asarray(x, dtype=bool).ravel() for x in (losing, symmetric, common_adversary,
                                                                     external_gt_internal)])
    if rule == "all":
        out = stack.all(axis=0)
    elif rule == "majority":
        out = stack.sum(axis=0) >= 3
    else:
        raise ValueError(f"rule must be 'all' or 'majority', got {rule!r}")
    return bool(out[0]) if np.ndim(losing) == 0 else out


def add_systemic_favorable(cases: pd.DataFrame, rule: str = "all") -> pd.DataFrame:
    return cases.assign(systemic_favorable=systemic_favorable(
        cases["losing_favors"], cases["power_symmetric_favors"], cases["common_adversary_favors"],
        cases["external_gt_internal_favors"], rule=rule))


def congruence(cases: pd.DataFrame, rule: str = "all") -> pd.DataFrame:
    """Apply each theory to each coded case and score it against the observed behaviour.

    ``observed`` is the behaviour derived from the three cohesion indicators
    (:mod:`.verdict`); the score (``correct``) is computed on it. When ``cases`` also
    carries the paper's own verdict (``paper_observed``), it is set beside, with
    ``observed_differs`` and ``correct_vs_paper`` (the score the paper's verdict would give).

    Returns theory, state, phase, predicted, observed, paper_observed, observed_differs,
    correct (1/0), correct_vs_paper, n_cases, with one total row per theory
    (state = phase = "ALL", correct = number right; observed_differs = number of differences).
    """
    cases = add_systemic_favorable(cases, rule)
    paper = cases["paper_observed"] if "paper_observed" in cases else cases["observed"]
    rows = []
    for name, theory in THEORIES.items():
        predicted = theory(cases["democracy"].to_numpy(), cases["systemic_favorable"].to_numpy())
        block = pd.DataFrame({"theory": name, "state": cases["state"], "phase": cases["phase"],
                              "predicted": predicted, "observed": cases["observed"], "paper_observed": paper})
        block["observed_differs"] = (block["observed"] != block["paper_observed"]).astype(int)
        block["correct"] = (block["predicted"] == block["observed"]).astype(int)
        block["correct_vs_paper"] = (block["predicted"] == block["paper_observed"]).astype(int)
        block["n_cases"] = 1
        total = pd.DataFrame([{"theory": name, "state": "ALL", "phase": "ALL", "predicted": pd.NA,
                               "observed": pd.NA, "paper_observed": pd.NA,
                               "observed_differs": int(block["observed_differs"].sum()),
                               "correct": int(block["correct"].sum()),
                               "correct_vs_paper": int(block["correct_vs_paper"].sum()), "n_cases": len(block)}])
        rows += [block, total]
    return pd.concat(rows, ignore_index=True)


def scores(table: pd.DataFrame) -> dict[str, int]:
    """Number of correct predictions per theory, from a :func:`congruence` table."""
    totals = table[table["state"] == "ALL"]
    return dict(zip(totals["theory"], totals["correct"].astype(int)))
