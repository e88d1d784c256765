"""Turn the estimation tables into the README's short results paragraph."""

from __future__ import annotations

import pandas as pd


def _fmt(x: float) -> str:
    return f"{x:+.3f}".replace("+-", "-")


def paragraph(models: pd.DataFrame, theories: pd.DataFrame, interaction: pd.DataFrame) -> str:
    logit = models[models.model == "Pooled logit"]
    n, clusters = int(logit.n.iloc[0]), int(logit.n_clusters.iloc[0])
    coef = logit.set_index("term").loc["democracy:systemic_favorable"]
    inter = interaction[interaction.model == "Pooled logit"].set_index("quantity")
    sd = inter.loc["second difference"]
    hz = interaction[interaction.model == "Discrete-time hazard"].set_index("quantity").loc["second difference"]
    cells = {q: inter.loc[q, "estimate"] for q in ["p(aut, unfav)", "p(dem, unfav)", "p(aut, fav)", "p(dem, fav)"]}
    pooled = theories[theories.model == "pooled logit"].set_index("theory")
    best_aic = pooled["aic"].idxmin()
    best_loo = pooled["loo_war_log_score"].idxmax()
    lr = pooled.loc[["neorealism", "liberalism"], "lr_p"]
    sd_ci_excludes_zero = (sd.boot_ci_low > 0) or (sd.boot_ci_high < 0)
    n_sig = int(((models.term == "democracy:systemic_favorable") & (models.p_value < 0.05)).sum())
    n_models = int((models.term == "democracy:systemic_favorable").sum())
    return (
        f"Across {n} coalition state-years in {clusters} wars (pooled logit, errors clustered by war), the "
        f"predicted probability of defecting in a year is {cells['p(aut, unfav)']:.3f} for autocracies and "
        f"{cells['p(dem, unfav)']:.3f} for democracies under unfavourable systemic conditions, and "
        f"{cells['p(aut, fav)']:.3f} and {cells['p(dem, fav)']:.3f} under favourable ones. The interaction on the "
        f"probability scale (the second difference) is {_fmt(sd.estimate)} (delta-method 95% CI "
        f"{_fmt(sd.delta_ci_low)} to {_fmt(sd.delta_ci_high)}; war-cluster bootstrap {_fmt(sd.boot_ci_low)} to "
        f"{_fmt(sd.boot_ci_high)}), and {_fmt(hz.estimate)} in the discrete-time hazard model; the logit "
        f"interaction coefficient is {coef.estimate:.2f} (SE {coef.std_error:.2f}), and it is significant at 5% in "
        f"{n_sig} of {n_models} estimators. "
        + ("The bootstrap interval excludes zero. " if sd_ci_excludes_zero else
           "The bootstrap interval includes zero: these data do not show the interaction that neoclassical "
           "realism predicts. ")
        + f"Comparing the theories as nested models, AIC favours {best_aic} and the leave-one-war-out log score "
        f"favours {best_loo}; likelihood-ratio tests of the interaction model against neorealism and liberalism "
        f"give p = {lr['neorealism']:.2f} and p = {lr['liberalism']:.2f}. With {clusters} wars and few defections "
        "these estimates are imprecise; the six Grand Alliance cases alone cannot separate the theories either "
        "(permutation p = 0.067 at best)."
    )
