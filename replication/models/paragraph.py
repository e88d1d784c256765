"""Turn the estimation tables into the README's short results paragraph.

Every number in the text is read from a table passed in; none is typed here.
"""

from __future__ import annotations

import pandas as pd


def _fmt(x: float) -> str:
    return f"{x:+.3f}".replace("+-", "-")


def _held(predictions: pd.DataFrame, model: str) -> str:
    """Binary-index predictions tested in ``model`` (the graded ones are in Table 4)."""
    sel = predictions[(predictions.model == model) & predictions.p_value.notna()
                      & ~predictions.key.astype(str).str.endswith("g")]
    parts = []
    for theory, rows in sel.groupby("theory", sort=False):
        signed = rows[rows.predicted_sign == "+"]
        held = int((signed.held == "yes").sum())
        zero = rows[rows.predicted_sign == "0"]
        text = f"{theory} {held} of {len(signed)} signed predictions held"
        if len(zero):
            text += f" and {int((zero.held == 'not rejected').sum())} of {len(zero)} predicted zeros were not rejected"
        parts.append(text)
    return "; ".join(parts)


def _main_model(interaction: pd.DataFrame, name: str) -> tuple[str, bool]:
    """The model whose numbers the text reports: ``name``, or its penalised refit (the model named
    "<name> -> ... (ML separated)") when the ML fit is separated."""
    rows = interaction[interaction.model == name]
    separated = "status" in rows and rows["status"].eq("separated").any()
    if not separated:
        return name, False
    refits = [m for m in dict.fromkeys(interaction.model) if m.startswith(f"{name} -> ") and
              m.endswith("(ML separated)")]
    return refits[0], True


def _interval(row) -> tuple[str, float, float]:
    if row.boot_ci_low == row.boot_ci_low:
        return "war-cluster bootstrap", row.boot_ci_low, row.boot_ci_high
    return "delta-method, Firth", row.delta_ci_low, row.delta_ci_high


def paragraph(models: pd.DataFrame, theories: pd.DataFrame, interaction: pd.DataFrame,
              predictions: pd.DataFrame, few: pd.DataFrame, congruence: pd.DataFrame,
              smalln: pd.DataFrame | None = None, previous: pd.DataFrame | None = None,
              power: pd.DataFrame | None = None) -> str:
    logit = models[models.model == "Pooled logit"]
    n, clusters = int(logit.n.iloc[0]), int(logit.n_clusters.iloc[0])
    informative, events = int(logit.clusters_with_events.iloc[0]), int(logit.events.iloc[0])
    main, separated = _main_model(interaction, "Pooled logit")
    hazard_name = next(m for m in dict.fromkeys(interaction.model) if m.startswith("Discrete-time hazard"))
    hazard, _ = _main_model(interaction, hazard_name)
    inter = interaction[interaction.model == main].set_index("quantity")
    sd = inter.loc["second difference"]
    hz = interaction[interaction.model == hazard].set_index("quantity").loc["second difference"]
    cells = {q: inter.loc[q, "estimate"] for q in ["p(aut, unfav)", "p(dem, unfav)", "p(aut, fav)", "p(dem, fav)"]}
    wild = few[few.method.str.startswith("wild")].iloc[0]
    cr3 = few[few.method.str.startswith("CR3")].iloc[0]
    ncr3 = predictions[(predictions.key == "NCR3") & (predictions.model == main)].iloc[0]
    pooled = theories[theories.model == "pooled logit"].set_index("theory")
    best_loo = pooled["loo_war_log_score"].idxmax()
    cong = congruence.set_index("theory")
    best_cong = cong["congruence_rate"].idxmax()
    mde = sd["mde_80_positive"]
    kind, lo, hi = _interval(sd)
    text = ""
    if separated:
        text += ("The maximum-likelihood logit is separated (in the estimation sample no democracy defected under "
                 "unfavourable conditions), so it gives no inference; the numbers below are from its Firth refit. ")
    text += (
        f"Across {n} coalition state-phases in {clusters} wars, with {events} defections that fall in only "
        f"{informative} wars, the pooled logit's predicted probability of defecting in a phase is "
        f"{cells['p(aut, unfav)']:.3f} for autocracies and {cells['p(dem, unfav)']:.3f} for democracies under "
        f"unfavourable systemic conditions, and {cells['p(aut, fav)']:.3f} and {cells['p(dem, fav)']:.3f} under "
        f"favourable ones. The interaction on the probability scale (the second difference) is {_fmt(sd.estimate)} "
        f"({kind} 95% CI {_fmt(lo)} to {_fmt(hi)}), and {_fmt(hz.estimate)} "
        f"in the {'Jeffreys-penalised (Firth-type) refit of the ' if hazard != hazard_name else ''}hazard model"
        f"{' (the cloglog with its exposure offset)' if hazard != hazard_name else ''}; in the linear probability "
        "model the wild "
        f"cluster bootstrap gives p = {wild.p_value:.2f} (CR3: p = {cr3.p_value:.2f}). Neoclassical realism's "
        f"signed prediction of a positive second difference (line {int(ncr3.paper_line)} of the 2013 article) "
        f"{'held' if ncr3.held == 'yes' else 'did not hold'} (one-sided p = {ncr3.p_value:.2f}); over all signed "
        f"predictions in that model, {_held(predictions, main)}. "
    )
    if mde == mde:
        text += (f"The design could detect a second difference of {mde:.2f} with 80% power, so effects smaller "
                 "than that cannot be ruled out. ")
    elif power is not None and power["power"].notna().any():
        top = power.dropna(subset=["power"]).sort_values("delta").iloc[-1]
        text += (f"No second difference on the simulated grid reached 80% power with this design: even "
                 f"{top.delta:.2f} is detected with power {top.power:.2f}, because {top.invalid / top.reps:.0%} of the "
                 "simulated data sets are separated and give no valid test. ")
    else:
        text += "No second difference on the simulated grid reached 80% power with this design. "
    text += (
        f"The penalised leave-one-war-out log score favours {best_loo}, and in the cross-war congruence test "
        f"{best_cong} matches the most state-phases ({cong.loc[best_cong, 'congruence_rate']:.2f}; within-war "
        f"permutation p = {cong.loc[best_cong, 'permutation_p_within_war']:.2f})."
    )
    if smalln is not None:
        perm = smalln[smalln.block == "Permutation test"]
        if len(perm):
            text += (" The six Grand Alliance cases alone cannot separate the theories either (exact permutation "
                     f"p = {perm.p_value.min():.3f} at best).")
    if previous is not None:
        was = previous.set_index("quantity")["value"]
        old_sd, old_lo, old_hi = was["second difference"], was["ci_low"], was["ci_high"]
        sign = "changed sign" if (old_sd > 0) != (sd.estimate > 0) else "kept its sign"
        now, then = (lo > 0) or (hi < 0), (old_lo > 0) or (old_hi < 0)
        significance = {(True, True): "is still significant", (False, False): "is still not significant",
                        (True, False): "became significant", (False, True): "is no longer significant"}[(now, then)]
        text += (f" Compared with the previous release's coding ({int(was['defections'])} defections, second "
                 f"difference {_fmt(old_sd)}, 95% CI {_fmt(old_lo)} to {_fmt(old_hi)}), the second difference "
                 f"{sign} and {significance} at 5%.")
    return text
