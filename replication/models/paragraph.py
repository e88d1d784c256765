"""Turn the estimation tables into the README's results section.

Every number in the text is read from a table passed in; none is typed here. The text opens with
what the design can detect (the size of the reported test, its minimum detectable effect and the
equivalence bounds), then reports every declared prediction under both readings of "favourable"
in both reported models -- the ones that held and the ones that did not -- and only then the
comparisons of the theories.
"""

from __future__ import annotations

import pandas as pd

from .hypotheses import READINGS

LOGIT, HAZARD = "Firth logit", "Jeffreys-penalised hazard (cloglog)"


def _fmt(x: float) -> str:
    return f"{x:+.3f}".replace("+-", "-")


def _reading(key: str) -> str:
    return key.replace("_", " ")


def _held_word(held: str) -> str:
    return {"yes": "held", "no": "did not hold", "not rejected": "zero not rejected"}.get(held, held)


def prediction_entry(row) -> str:
    """One prediction in one model under one reading, as the text prints it (a test looks for it)."""
    if pd.isna(row.estimate):
        return f"{row.held}"
    return f"{_fmt(row.estimate)} (p = {row.p_value:.3f}, {_held_word(row.held)})"


def predictions_list(predictions: pd.DataFrame) -> str:
    """Every declared prediction: one line per prediction, both readings, both models."""
    lines = []
    for key, rows in predictions.groupby("key", sort=False):
        first = rows.iloc[0]
        parts = []
        for reading in READINGS:
            sel = rows[rows.reading == reading]
            if sel.empty:
                continue
            models = "; ".join(f"{'logit' if r.model == LOGIT else 'hazard'} {prediction_entry(r)}"
                               for r in sel.itertuples())
            parts.append(f"{_reading(reading)}: {models}")
        lines.append(f"- **{key}** ({first.theory}, line {int(first.paper_line)}, predicted "
                     f"{'positive' if first.predicted_sign == '+' else 'zero'}): {first.prediction}. "
                     + " | ".join(parts) + ".")
    return "\n".join(lines)


def _count_held(predictions: pd.DataFrame, reading: str, model: str) -> str:
    sel = predictions[(predictions.reading == reading) & (predictions.model == model) & predictions.p_value.notna()]
    parts = []
    for theory, rows in sel.groupby("theory", sort=False):
        signed = rows[rows.predicted_sign == "+"]
        zero = rows[rows.predicted_sign == "0"]
        text = f"{theory} {int((signed.held == 'yes').sum())} of {len(signed)} signed"
        if len(zero):
            text += f" and {int((zero.held == 'not rejected').sum())} of {len(zero)} zeros not rejected"
        parts.append(text)
    return "; ".join(parts)


def paragraph(models: pd.DataFrame, theories: pd.DataFrame, interaction: pd.DataFrame,
              predictions: pd.DataFrame, few: pd.DataFrame, congruence: pd.DataFrame,
              smalln: pd.DataFrame | None = None, previous: pd.DataFrame | None = None,
              power: pd.DataFrame | None = None) -> str:
    primary = next(k for k, r in READINGS.items() if r.primary)
    other = next(k for k in READINGS if k != primary)

    def sd_row(reading, model):
        sel = interaction[(interaction.reading == reading) & (interaction.model == model)
                          & (interaction.quantity == "second difference")]
        return sel.iloc[0]

    a, b = sd_row(primary, LOGIT), sd_row(other, LOGIT)
    ha, hb = sd_row(primary, HAZARD), sd_row(other, HAZARD)
    pw = power.set_index("reading") if power is not None else None
    text = (
        f"**What the design can detect.** The estimation sample has {int(a.n)} coalition state-phases in "
        f"{int(a.n_clusters)} wars, with {int(a.events)} defections in only {int(a.clusters_with_events)} wars; the "
        f"interaction regressor is non-zero in {int(a.clusters_interaction_nonzero)} wars (sample flow: "
        "`results/tables/sample_flow.md`). ")
    if pw is not None:
        p0, p1 = pw.loc[primary], pw.loc[other]
        mde = (f"{p0.mde_80_one_sided:.2f}" if p0.mde_80_one_sided == p0.mde_80_one_sided
               else "no value on the grid")
        text += (
            f"The reported test -- the Firth logit's second difference on the probability scale, delta method, "
            f"one-sided at 5% -- has size {p0.size_one_sided:.3f} at a true zero in {int(p0.reps)} simulated data sets "
            f"with defections clustered in wars as observed, and detects a second difference of {mde} with 80% power "
            f"({p1.mde_80_one_sided:.2f} under the second reading of favourable). Two one-sided tests at 5% rule out "
            f"second differences above {_fmt(p0.equivalence_upper)} and below {_fmt(p0.equivalence_lower)} "
            f"({_fmt(p1.equivalence_upper)} and {_fmt(p1.equivalence_lower)} under the second reading): a null "
            f"result here means an interaction no larger than about {p0.equivalence_bound:.2f} on the probability "
            "scale, not no interaction. ")
    text += (
        f"**Estimates.** Under the primary reading of favourable conditions ({_reading(primary)}: losing favours "
        f"cohesion), the predicted probability of defecting in a phase is {_cell(interaction, primary, 'p(aut, unfav)')} "
        f"for autocracies and {_cell(interaction, primary, 'p(dem, unfav)')} for democracies under unfavourable "
        f"conditions, and {_cell(interaction, primary, 'p(aut, fav)')} and {_cell(interaction, primary, 'p(dem, fav)')} "
        f"under favourable ones; the second difference is {_fmt(a.estimate)} (delta-method 95% CI "
        f"{_fmt(a.delta_ci_low)} to {_fmt(a.delta_ci_high)}; war jackknife {_fmt(a.jack_ci_low)} to "
        f"{_fmt(a.jack_ci_high)}; war bootstrap {_fmt(a.boot_ci_low)} to {_fmt(a.boot_ci_high)}), and "
        f"{_fmt(ha.estimate)} in the Jeffreys-penalised hazard (cloglog with the exposure offset). Under the second "
        f"reading ({_reading(other)}: looming defeat invites defection) it is {_fmt(b.estimate)} "
        f"({_fmt(b.delta_ci_low)} to {_fmt(b.delta_ci_high)}) and {_fmt(hb.estimate)} in the hazard. ")
    wild = few[few.method.str.startswith("wild")].iloc[0]
    ik = few[few.method.str.contains("Imbens-Kolesar")].iloc[0]
    text += (
        f"In the linear probability model the interaction is {_fmt(ik.estimate)} (CR2, Imbens-Kolesar "
        f"{ik.df:.1f} degrees of freedom, p = {ik.p_value:.2f}; wild cluster bootstrap p = {wild.p_value:.2f}).\n\n")
    text += ("**Every declared prediction** (replication/models/hypotheses.py; Table 4; estimate of the contrast of "
             "predicted probabilities, one-sided p for a predicted sign, two-sided for a predicted zero):\n\n")
    text += predictions_list(predictions) + "\n\n"
    text += ("In short: " + "; ".join(
        f"{_reading(r)}, Firth logit: {_count_held(predictions, r, LOGIT)}" for r in READINGS) + ". ")
    pooled = theories[theories.model == "pooled logit"]
    for reading in (primary,):
        sel = pooled[pooled.reading == reading].set_index("theory")
        best = sel["loo_rank"].idxmin()
        best_without = sel["loo_rank_without_it"].idxmin()
        war = int(sel["loo_most_influential_war"].iloc[0])
        text += (f"The penalised leave-one-war-out log score ranks {best} first under the primary reading, and "
                 f"{best_without} first without the most influential war (war {war}). ")
    cong = congruence[congruence.reading == primary].set_index("theory")
    ncr = cong.loc["neoclassical realism"]
    text += (
        f"Cross-war congruence is no test of these theories: a rule that predicts no defection at all scores "
        f"{ncr.no_defection_rule_rate:.3f}, above every theory (neoclassical realism "
        f"{ncr.congruence_rate:.2f}, liberalism {cong.loc['liberalism', 'congruence_rate']:.2f}, neorealism "
        f"{cong.loc['neorealism', 'congruence_rate']:.2f}); neoclassical realism predicts "
        f"{ncr.share_of_defections_predicted:.0%} of the defections and {ncr.share_of_non_defections_predicted:.0%} of "
        f"the non-defections (odds ratio {ncr.odds_ratio:.2f}), liberalism "
        f"{cong.loc['liberalism', 'share_of_defections_predicted']:.0%} and "
        f"{cong.loc['liberalism', 'share_of_non_defections_predicted']:.0%} (odds ratio "
        f"{cong.loc['liberalism', 'odds_ratio']:.2f}, one-sided Fisher p = "
        f"{cong.loc['liberalism', 'fisher_p_one_sided']:.3f}).")
    if smalln is not None:
        perm = smalln[smalln.block == "Permutation test"]
        if len(perm):
            text += (" The six Grand Alliance cases alone cannot separate the theories either (exact permutation "
                     f"p = {perm.p_value.min():.3f} at best).")
    if previous is not None:
        was = previous.set_index("quantity")["value"]
        old_sd, old_lo, old_hi = was["second difference"], was["ci_low"], was["ci_high"]
        sign = "changed sign" if (old_sd > 0) != (a.estimate > 0) else "kept its sign"
        now = (a.delta_ci_low > 0) or (a.delta_ci_high < 0)
        then = (old_lo > 0) or (old_hi < 0)
        significance = {(True, True): "is still significant", (False, False): "is still not significant",
                        (True, False): "became significant", (False, True): "is no longer significant"}[(now, then)]
        text += (f" Compared with the previous release ({int(was['defections'])} defections in the estimation sample, "
                 f"second difference {_fmt(old_sd)}, 95% CI {_fmt(old_lo)} to {_fmt(old_hi)}), the second difference "
                 f"{sign} and {significance} at 5%.")
    return text


def _cell(interaction: pd.DataFrame, reading: str, quantity: str) -> str:
    row = interaction[(interaction.reading == reading) & (interaction.model == LOGIT)
                      & (interaction.quantity == quantity)].iloc[0]
    return f"{row.estimate:.3f}"


def universes_paragraph(table: pd.DataFrame) -> str:
    """The README's paragraph on the 2001 coalitions (issue 20), every number read from the long
    ``table5_universes`` table (universe, block, quantity, value, text)."""
    def text(universe, quantity):
        return table[(table.universe == universe) & (table.quantity == quantity)]["text"].iloc[0]

    def value(universe, quantity):
        return float(table[(table.universe == universe) & (table.quantity == quantity)]["value"].iloc[0])

    new, cow, pooled = "coalition_2001", "cow_interstate", "pooled"
    key = "democracies, unfavourable conditions"
    first = "Firth logit, defeat unites (primary)"
    return (
        "**A second universe: the 2001 coalitions.** The US-led coalitions in Afghanistan (2001-2014) and Iraq "
        "(2003-2011), coded by the same rule from `data/raw/coalition_contributors_2001.csv`, are counter-insurgencies "
        "against non-state adversaries: the capability ratio is undefined there, losing is read from the coalition's "
        "fatalities, and favourable conditions need both losing and symmetric power. Their estimation sample has "
        f"{text(new, 'estimation sample: state-phases')} state-phases with {text(new, 'estimation sample: defections')} "
        f"defections; {value(new, 'share of democracies, estimation sample (Polity5)'):.0%} of the state-phases are "
        f"democracies (COW wars: {value(cow, 'share of democracies, estimation sample (Polity5)'):.0%}). With two wars "
        f"the clustered inference uses the contributor state ({text(new, 'clusters')} contributors, "
        f"{text(new, 'clusters with a defection')} with a defection), which assumes no common shock within a war. "
        f"The cell the COW wars leave empty -- democracies under unfavourable conditions -- has {text(new, key)} "
        f"defections there (COW wars: {text(cow, key)}; pooled: {text(pooled, key)}). The second difference is "
        f"{text(new, first)} in the Firth logit (delta-method 95% CI in brackets; "
        f"{text(new, 'Firth logit, defeat divides')} under the second reading; "
        f"{text(new, 'penalised hazard, defeat unites (primary)')} in the penalised hazard), and "
        f"{text(pooled, first)} pooled with a universe effect (COW wars alone: {text(cow, first)}). "
        f"The reported test detects a second difference of {text(new, 'defeat unites (primary): MDE, 80% power (one-sided)')} "
        f"with 80% power in the 2001 universe (its size at a true zero: "
        f"{text(new, 'defeat unites (primary): size at 0 (one-sided)')}) and {text(pooled, 'defeat unites (primary): MDE, 80% power (one-sided)')} "
        f"pooled ({text(cow, 'defeat unites (primary): MDE, 80% power (one-sided)')} in the COW wars); neoclassical "
        f"realism's signed prediction NCR3 gives {text(new, 'defeat unites (primary): NCR3 (second difference > 0)')} "
        f"in the 2001 universe and {text(pooled, 'defeat unites (primary): NCR3 (second difference > 0)')} pooled. "
        "Every row side by side: `results/tables/table5_universes.md`.")


def robustness_paragraph(summary: pd.DataFrame, specs: pd.DataFrame) -> str:
    """The README's multiverse sentence, every number read from ``multiverse_summary.csv`` (``summary``) and
    ``multiverse.csv`` (``specs``, for the count of specifications and the main coding's row)."""
    everything = summary[summary.choice.eq("all")].iloc[0]
    by_choice = summary[~summary.choice.eq("all")]
    widest = by_choice.loc[by_choice.share_ci_excludes_zero.idxmax()]
    excluding = int(round(everything.share_ci_excludes_zero * everything.estimated))
    outcome = by_choice[by_choice.choice.eq("outcome")].set_index("value")
    main = specs[specs.outcome.eq("defected") & specs.regime.eq("polity>=6") & specs.scheme.eq("year")
                 & specs.nmc_version.astype(str).eq("4.0") & specs.systemic.eq("index>=2")
                 & specs.estimator.eq("firth")].iloc[0]
    return (
        f"**Robustness.** Across {len(specs):,} specifications (outcome variant, regime measure, phase scheme, NMC "
        f"version, eight codings of favourable conditions under both readings, four estimators), "
        f"{int(everything.specifications):,} distinct codings are counted once; the second difference has median "
        f"{_fmt(everything['median'])}, is positive in {everything.share_positive:.0%} of them, and its 95% interval "
        "(war jackknife for the maximum-likelihood fits, model-based for the penalised ones, CR3 for the LPM) excludes "
        f"zero in {excluding} ({everything.share_ci_excludes_zero:.1%}). "
        + ("No single choice moves it clearly: the most" if widest.share_ci_excludes_zero < 0.1 else
           "One choice moves it: the most")
        + f" any one value reaches is {widest.share_ci_excludes_zero:.1%} of its codings ({widest.choice} = "
        f"{widest.value}). By outcome the median is {_fmt(outcome.loc['defected', 'median'])} (`defected`), "
        f"{_fmt(outcome.loc['defected_strict', 'median'])} (strict), {_fmt(outcome.loc['defected_broad', 'median'])} "
        f"(broad) and {_fmt(outcome.loc['exit_early', 'median'])} (`exit_early`); the main coding (`defected`, Polity "
        f"5 >= 6, years, NMC v4.0, two of three conditions, Firth) gives {_fmt(main.estimate)} "
        f"[{_fmt(main.ci_low)}, {_fmt(main.ci_high)}]. Every specification: `results/tables/multiverse.csv`; the "
        "summary by choice: `results/tables/multiverse_summary.md`; the curve: `results/figures/fig_specification_curve.png`.")
