"""Each theory's predictions about defection, written down as signed statements about the
probability of defection in the cells regime type x systemic conditions, with the line of
Resnick (2013) (``/work/shared/papers/resnick2013_hang_together.txt``) that states them.

A prediction is a contrast c of the cell probabilities p = (P(aut, unfav), P(dem, unfav),
P(aut, fav), P(dem, fav)) with a predicted sign: "+" (c'p > 0) or "0" (c'p = 0, no effect).
:func:`evaluate_predictions` estimates c'p from a fitted model (average predictions with every row
set to the cell's values, war-clustered delta-method standard errors) and reports the one-sided
p-value of H0: c'p <= 0 for a "+" prediction (held: p < alpha) or the two-sided p-value of
H0: c'p = 0 for a "0" prediction (held: not rejected, which with few events is weak evidence;
Table 5 gives the minimum effect the design could detect).

The graded predictions use ``systemic_graded`` (0-1 share of the index conditions favouring
cohesion, 1 = all favour cohesion) where the panel has it: "extreme" = 0, "slight" = 2/3 (one of
the three index conditions against cohesion), "favourable" = 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

PAPER = "resnick2013_hang_together.txt"


@dataclass(frozen=True)
class Prediction:
    key: str
    theory: str
    statement: str
    cells: tuple  # ((democracy, systemic value, weight), ...)
    sign: str  # "+" or "0"
    line: int
    basis: str
    graded: bool = False


def _p(regime: str, cond: str) -> str:
    return f"P(defect | {regime}, {cond})"


BINARY = [
    Prediction("NCR1", "neoclassical realism", f"{_p('autocracy', 'unfavourable')} > {_p('democracy', 'unfavourable')}",
               ((0, 0, 1), (1, 0, -1)), "+", 145,
               "when systemic conditions favour fragmentation, autocracies are more likely to defect outright"),
    Prediction("NCR2", "neoclassical realism", f"{_p('democracy', 'unfavourable')} > {_p('democracy', 'favourable')}",
               ((1, 0, 1), (1, 1, -1)), "+", 155,
               "democracies maximise cohesion when systemic conditions favour it"),
    Prediction("NCR3", "neoclassical realism",
               "[P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)] > 0 (second difference)",
               ((1, 1, 1), (0, 1, -1), (1, 0, -1), (0, 0, 1)), "+", 153,
               "the regime gap in defection is widest when conditions favour fragmentation (lines 145-153 with 143)"),
    Prediction("NR1", "neorealism", f"{_p('autocracy', 'unfavourable')} > {_p('autocracy', 'favourable')}",
               ((0, 0, 1), (0, 1, -1)), "+", 83, "cohesion follows the systemic conditions, for every member"),
    Prediction("NR2", "neorealism", f"{_p('democracy', 'unfavourable')} > {_p('democracy', 'favourable')}",
               ((1, 0, 1), (1, 1, -1)), "+", 83, "cohesion follows the systemic conditions, for every member"),
    Prediction("NR3", "neorealism", f"{_p('democracy', 'unfavourable')} = {_p('autocracy', 'unfavourable')}",
               ((1, 0, 1), (0, 0, -1)), "0", 37, "variation in cohesion is attributable to systemic conditions only"),
    Prediction("NR4", "neorealism", f"{_p('democracy', 'favourable')} = {_p('autocracy', 'favourable')}",
               ((1, 1, 1), (0, 1, -1)), "0", 37, "variation in cohesion is attributable to systemic conditions only"),
    Prediction("LIB1", "liberalism", f"{_p('autocracy', 'unfavourable')} > {_p('democracy', 'unfavourable')}",
               ((0, 0, 1), (1, 0, -1)), "+", 87, "democracies are less able to abrogate commitments, whatever the conditions"),
    Prediction("LIB2", "liberalism", f"{_p('autocracy', 'favourable')} > {_p('democracy', 'favourable')}",
               ((0, 1, 1), (1, 1, -1)), "+", 87, "democracies are less able to abrogate commitments, whatever the conditions"),
]
SLIGHT = 2 / 3
GRADED = [
    Prediction("NCR1g", "neoclassical realism", f"{_p('autocracy', 'slightly unfavourable')} > "
               f"{_p('democracy', 'slightly unfavourable')}", ((0, SLIGHT, 1), (1, SLIGHT, -1)), "+", 153,
               "autocracies defect even if conditions only slightly favour fragmentation", graded=True),
    Prediction("NCR2g", "neoclassical realism", f"{_p('democracy', 'extreme')} > "
               f"{_p('democracy', 'slightly unfavourable')}", ((1, 0, 1), (1, SLIGHT, -1)), "+", 153,
               "democracies are deterred from defecting unless conditions adopt extreme values", graded=True),
    Prediction("LIB1g", "liberalism", f"{_p('autocracy', 'slightly unfavourable')} > "
               f"{_p('democracy', 'slightly unfavourable')}", ((0, SLIGHT, 1), (1, SLIGHT, -1)), "+", 87,
               "regime effect whatever the conditions", graded=True),
    Prediction("NR1g", "neorealism", f"{_p('democracy', 'slightly unfavourable')} = "
               f"{_p('autocracy', 'slightly unfavourable')}", ((1, SLIGHT, 1), (0, SLIGHT, -1)), "0", 37,
               "no regime effect", graded=True),
]
PREDICTIONS = BINARY + GRADED


def contrast(result, frame: pd.DataFrame, cells) -> tuple[float, float]:
    """c'p and its delta-method SE, p the average predictions with (democracy, systemic) set per cell."""
    from patsy import build_design_matrices

    from .effects import _backend

    beta, cov, info, inverse, deriv, offset = _backend(result, frame)
    est, grad = 0.0, np.zeros(len(beta))
    for dem, fav, weight in cells:
        X = np.asarray(build_design_matrices([info], frame.assign(democracy=float(dem),
                                                                 systemic_favorable=float(fav)))[0])
        eta = X @ beta + offset
        est += weight * inverse(eta).mean()
        grad += weight * (deriv(eta)[:, None] * X).mean(axis=0)
    return float(est), float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def evaluate_predictions(result, frame: pd.DataFrame, predictions=None, alpha: float = 0.05) -> pd.DataFrame:
    """One row per prediction: statement, line, predicted sign, estimate, SE, p-value, held."""
    graded = frame.attrs.get("systemic") == "systemic_graded"
    predictions = [p for p in (predictions or PREDICTIONS) if p.graded == graded]
    rows = []
    for p in predictions:
        row = {"key": p.key, "theory": p.theory, "prediction": p.statement, "paper_line": p.line, "basis": p.basis,
               "predicted_sign": p.sign, "model": result.name, "status": result.status}
        if result.status != "ok":
            rows.append({**row, "estimate": np.nan, "std_error": np.nan, "p_value": np.nan, "test": "",
                         "held": "not tested (" + result.status + ")"})
            continue
        est, se = contrast(result, frame, p.cells)
        if p.sign == "+":
            pval, test = float(stats.norm.sf(est / se)), "one-sided z, H0: <= 0"
            held = "yes" if pval < alpha else "no"
        else:
            pval, test = float(2 * stats.norm.sf(abs(est / se))), "two-sided z, H0: = 0"
            held = "not rejected" if pval >= alpha else "no"
        z = stats.norm.ppf(1 - alpha / 2)
        rows.append({**row, "estimate": est, "std_error": se, "ci_low": est - z * se, "ci_high": est + z * se,
                     "p_value": pval, "test": test, "held": held})
    return pd.DataFrame(rows)


def unavailable(graded_column: str = "systemic_graded") -> pd.DataFrame:
    """Rows for the graded predictions when the panel has no graded systemic measure."""
    return pd.DataFrame([{"key": p.key, "theory": p.theory, "prediction": p.statement, "paper_line": p.line,
                          "basis": p.basis, "predicted_sign": p.sign, "model": "", "status": "",
                          "held": f"not tested (panel has no {graded_column})"} for p in GRADED])
