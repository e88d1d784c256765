"""Each theory's predictions about defection, declared before any estimate: signed statements
about the probability of defection in the cells regime type x systemic conditions, with the line
of Resnick (2013) (``shared/papers/resnick2013_hang_together.txt``) that states them, under each
of the two readings of "favourable" that the text allows.

The two readings of "favourable" (:data:`READINGS`)
-----------------------------------------------------
The article's systemic conditions are neorealism's four (line 83, after Weitsman): cohesion rises
when the alliance is *losing*, its power is symmetric, its members share an adversary, and
external threat exceeds internal threat. On the first of them the text pulls two ways:

``defeat_unites`` (primary)
    Losing favours cohesion (line 83). Neoclassical realism "echoes neorealism in hypothesizing
    that if the four international systemic variables identified by neorealism favor alliance
    fragmentation, then all partners will proceed to minimize cohesion" (line 143), and the article's
    own test codes the Grand Alliance's first phase, when "the Allies were losing the war badly",
    as a phase in which systemic conditions "broadly favored cohesion" (line 203).
``defeat_divides``
    Looming defeat invites defection, above all by autocracies. The lacuna neoclassical realism
    fills is that a losing alliance's members "could also seek to ensure their survival by
    bandwagoning with the winning state" (lines 131-141, after Walt); autocracies "betray their
    allies when the tides of war take an inauspicious turn" (line 157) and are "loath to enhance
    cohesion when the specter of military defeat looms" (line 169); democracies are deterred from
    defecting unless conditions "adopt extreme values" (line 153); democratic partnerships "recover
    from a position of military disadvantage" (line 671). Under this reading ``losing`` counts
    against cohesion.

Which reading is primary, and why (written before the estimates, never chosen by them): the
primary reading is ``defeat_unites``, because it is the one the article itself uses to code the
conditions of its own cases (line 203) and the one its formal statement of the theory adopts by
reference to neorealism's variables (line 143). The second reading is the one its causal argument
about bandwagoning suggests; both are estimated and reported side by side, in Tables 4 and 5 and
in the results paragraph. The panel carries both codings (``systemic_favorable``,
``systemic_graded``; ``favorable_if_defeat_divides``, ``graded_if_defeat_divides``),
built by the same rule with ``losing`` reversed (:mod:`replication.panel.systemic`).

Predictions
-----------
A prediction is a contrast c of the cell probabilities p = (P(aut, unfav), P(dem, unfav),
P(aut, fav), P(dem, fav)) with a predicted sign: "+" (c'p > 0) or "0" (c'p = 0, no effect).
Every prediction is evaluated under both readings; :func:`reading_status` says, per theory,
whether a reading is the theory's own: neorealism's hypothesis is ``defeat_unites`` (line 83), so
its predictions on the ``defeat_divides`` coding are reported (every declared prediction is) but
are not a test of Weitsman's hypothesis; liberalism makes no claim about systemic conditions.

:func:`evaluate_predictions` estimates c'p from a fitted model (average predictions with every row
set to the cell's values, delta-method standard errors with the fit's covariance) and reports the
one-sided p-value of H0: c'p <= 0 for a "+" prediction (held: p < alpha) or the two-sided p-value
of H0: c'p = 0 for a "0" prediction (held: not rejected, which with few events is weak evidence;
Table 5 gives the minimum effect the design could detect and the equivalence bound).

The graded predictions use the graded index (0-1 share of the index conditions favouring
cohesion, 1 = all favour cohesion): "extreme" = 0, "slight" = 2/3 (one of the three index
conditions against cohesion), "favourable" = 1.

NCR2 was re-derived in 2026-11: the earlier NCR2, P(dem, unfav) > P(dem, fav) citing line 155, was
the same contrast as NR2, cited a line about cohesion rather than defection, and contradicted the
theory's own claim that democracies are deterred from defecting (line 145). NCR2 is now the
autocratic half of the theory (lines 145, 157), and NCR4 states the democratic half as a zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

PAPER = "resnick2013_hang_together.txt"


@dataclass(frozen=True)
class Reading:
    """One reading of "favourable systemic conditions", with the panel columns that code it."""

    key: str
    name: str
    losing_favours: str  # "cohesion" or "fragmentation"
    lines: tuple
    binary: str  # panel column: favourable (binary index)
    graded: str  # panel column: graded 0-1 index
    primary: bool


READINGS = {
    "defeat_unites": Reading("defeat_unites", "defeat unites (losing favours cohesion)", "cohesion", (83, 143, 203),
                             "systemic_favorable", "systemic_graded", True),
    "defeat_divides": Reading("defeat_divides", "defeat divides (looming defeat invites defection)", "fragmentation",
                              (131, 141, 153, 157, 169, 671), "favorable_if_defeat_divides",
                              "graded_if_defeat_divides", False),
}
PRIMARY_READING = "defeat_unites"


def reading_of(column: str) -> tuple[str, bool]:
    """(reading key, graded?) of a panel systemic column."""
    for r in READINGS.values():
        if column == r.binary:
            return r.key, False
        if column == r.graded:
            return r.key, True
    raise ValueError(f"{column!r} is not a systemic coding of any reading; expected one of "
                     f"{[c for r in READINGS.values() for c in (r.binary, r.graded)]}")


def reading_status(theory: str, reading: str) -> str:
    """Whether ``reading`` is the theory's own reading of "favourable"."""
    if theory == "liberalism":
        return "no systemic claim (regime type only)"
    if theory == "neorealism":
        return "own reading (line 83)" if reading == "defeat_unites" else \
            "not neorealism's reading (line 83: defeat raises cohesion)"
    return {"defeat_unites": "own reading (lines 143, 203)",
            "defeat_divides": "own reading (lines 131-141, 153, 157, 169)"}[reading]


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
    Prediction("NCR2", "neoclassical realism", f"{_p('autocracy', 'unfavourable')} > {_p('autocracy', 'favourable')}",
               ((0, 0, 1), (0, 1, -1)), "+", 157,
               "autocracies cross the threshold of defecting when conditions favour fragmentation (line 145) and "
               "betray their allies when the tides of war turn (line 157); under favourable conditions they "
               "minimise cohesion but stay (line 155)"),
    Prediction("NCR3", "neoclassical realism",
               "[P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)] > 0 (second difference)",
               ((1, 1, 1), (0, 1, -1), (1, 0, -1), (0, 0, 1)), "+", 153,
               "the regime gap in defection is widest when conditions favour fragmentation (lines 145-153 with 143)"),
    Prediction("NCR4", "neoclassical realism", f"{_p('democracy', 'unfavourable')} = {_p('democracy', 'favourable')}",
               ((1, 0, 1), (1, 1, -1)), "0", 145,
               "veto players and transparency deter democracies from abrogating alliance commitments before the war "
               "ends (line 145); they maximise cohesion when conditions favour it (line 155): no defection either way "
               "short of extreme conditions (line 153, tested by NCR2g)"),
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
#: The predictions dropped from earlier releases, with the reason (reported, never silently removed).
WITHDRAWN = {"NCR2 (before 2026-11)": "P(dem, unfav) > P(dem, fav), cited line 155: the same contrast as NR2, line "
             "155 is about cohesion, not defection, and it contradicted the theory's claim that democracies are "
             "deterred from defecting (line 145); replaced by NCR2 (autocracies, lines 145, 157) and NCR4 "
             "(democracies, a zero)"}


def declared_predictions() -> pd.DataFrame:
    """Every declared prediction under every reading: the register written before estimation."""
    rows = []
    for reading in READINGS.values():
        for p in PREDICTIONS:
            rows.append({"reading": reading.key, "reading_primary": reading.primary, "key": p.key,
                         "theory": p.theory, "prediction": p.statement, "predicted_sign": p.sign,
                         "paper_line": p.line, "basis": p.basis, "graded": p.graded,
                         "systemic_column": reading.graded if p.graded else reading.binary,
                         "reading_status": reading_status(p.theory, reading.key)})
    return pd.DataFrame(rows)


def contrast(result, frame: pd.DataFrame, cells, _cache: dict | None = None) -> tuple[float, float]:
    """c'p and its delta-method SE, p the average predictions with (democracy, systemic) set per cell.

    ``_cache``: a dict shared by calls on the same fit and frame (:func:`evaluate_predictions`), holding the
    fit's backend and each cell's design matrix, which patsy would otherwise rebuild for every prediction."""
    from patsy import build_design_matrices

    from .data import cell_frame
    from .effects import _backend

    cache = {} if _cache is None else _cache
    if "backend" not in cache:
        cache["backend"] = _backend(result, frame)
    beta, cov, info, inverse, deriv, offset = cache["backend"]
    est, grad = 0.0, np.zeros(len(beta))
    for dem, fav, weight in cells:
        if (dem, fav) not in cache:
            cache[(dem, fav)] = np.asarray(build_design_matrices([info], cell_frame(frame, dem, fav))[0])
        X = cache[(dem, fav)]
        eta = X @ beta + offset
        est += weight * inverse(eta).mean()
        grad += weight * (deriv(eta)[:, None] * X).mean(axis=0)
    return float(est), float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def _reference(result):
    """(distribution name, critical function, sf) for the fit's inference: t(df) when the fit's
    covariance comes with degrees of freedom (a war-jackknife covariance), else z."""
    df = getattr(result, "diagnostics", {}).get("inference_df")
    if df:
        return f"t({df:g})", stats.t(df)
    return "z", stats.norm()


def evaluate_predictions(result, frame: pd.DataFrame, predictions=None, alpha: float = 0.05) -> pd.DataFrame:
    """One row per prediction: reading, statement, line, predicted sign, estimate, SE, p-value, held."""
    reading, graded = reading_of(frame.attrs.get("systemic", "systemic_favorable"))
    predictions = [p for p in (predictions or PREDICTIONS) if p.graded == graded]
    dist_name, dist = _reference(result)
    rows, cache = [], {}  # one backend and one design per cell for all the predictions of this fit
    for p in predictions:
        row = {"reading": reading, "reading_primary": READINGS[reading].primary, "key": p.key, "theory": p.theory,
               "prediction": p.statement, "paper_line": p.line, "basis": p.basis, "predicted_sign": p.sign,
               "reading_status": reading_status(p.theory, reading), "model": result.name, "status": result.status}
        if result.status != "ok":
            rows.append({**row, "estimate": np.nan, "std_error": np.nan, "p_value": np.nan, "test": "",
                         "held": "not tested (" + result.status + ")"})
            continue
        est, se = contrast(result, frame, p.cells, cache)
        stat = est / se if se > 0 else np.nan
        if p.sign == "+":
            pval, test = float(dist.sf(stat)), f"one-sided {dist_name}, H0: <= 0"
            held = "yes" if pval < alpha else "no"
        else:
            pval, test = float(2 * dist.sf(abs(stat))), f"two-sided {dist_name}, H0: = 0"
            held = "not rejected" if pval >= alpha else "no"
        crit = dist.ppf(1 - alpha / 2)
        rows.append({**row, "estimate": est, "std_error": se, "ci_low": est - crit * se, "ci_high": est + crit * se,
                     "p_value": pval, "test": test, "held": held})
    return pd.DataFrame(rows)


def unavailable(graded_column: str = "systemic_graded") -> pd.DataFrame:
    """Rows for the graded predictions when the panel has no graded systemic measure."""
    reading, _ = reading_of(graded_column)
    return pd.DataFrame([{"reading": reading, "key": p.key, "theory": p.theory, "prediction": p.statement,
                          "paper_line": p.line, "basis": p.basis, "predicted_sign": p.sign, "model": "", "status": "",
                          "held": f"not tested (panel has no {graded_column})"} for p in GRADED])
