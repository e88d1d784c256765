"""Table 3: the interaction democracy x favourable conditions in six estimators, in each universe: the COW
inter-state wars, the 2001 coalitions (Afghanistan, Iraq) and the pooled sample with a universe effect.

Writes results/tables/table3_models.{csv,tex,md,html} (CSV: tidy, with each model's formula, sample,
status and inference rule, and its universe; md/tex: the universes stacked, the models side by side;
HTML: maketables, one table per universe) and results/tables/table3_diagnostics.csv. Run: make table3 (or
python analysis/table3_models.py)
"""

import pandas as pd

from .. import _io, paths
from ..models.regtable import regression_frame, regression_table
from ..models.estimators import CLOGIT_MAXITER
from . import _shared


UNIVERSE_LABEL = {"cow_interstate": "COW inter-state wars", "coalition_2001": "2001 coalitions (Afghanistan, Iraq)",
                  "pooled": "pooled, with a universe effect"}


def build() -> None:
    parts = [_universe(u) for u in _shared.UNIVERSES]
    wide = pd.concat([p[0] for p in parts], ignore_index=True)
    tidy = pd.concat([p[1] for p in parts], ignore_index=True)
    diag = pd.concat([p[2] for p in parts], ignore_index=True)
    notes = parts[0][3] + [
        "Universes (issue 20): rows are stacked by universe, the models side by side. coalition_2001: the US-led "
        "coalitions in Afghanistan (2001-2014) and Iraq (2003-2011), counter-insurgencies against non-state "
        "adversaries, from data/raw/coalition_contributors_2001.csv; with two wars, war-clustered inference is "
        "impossible (G = 2), so its standard errors, jackknife and bootstrap cluster by contributor state, which "
        "assumes no common shock within a war beyond what the regressors carry. pooled: both universes with the "
        "indicator coalition_2001_universe among the controls (never pooled without it), clustered by war in the "
        "COW rows and by contributor in the 2001 rows. " + " ".join(p[3][-1] for p in parts[1:])]
    html = "\n".join(f"<h3>{UNIVERSE_LABEL[u]}</h3>\n{p[4]}" for u, p in zip(_shared.UNIVERSES, parts))
    _io.write_table(wide, paths.tables_dir() / "table3_models", csv_frame=tidy, label="tab:models",
                    caption="Defection from wartime coalitions: democracy x favourable systemic conditions, by universe",
                    notes=notes)
    _io.write_csv(diag, paths.tables_dir() / "table3_diagnostics.csv")
    _io.write_text(paths.tables_dir() / "table3_models.html", html)
    print(wide.to_string(index=False))


def _universe(universe: str):
    """(wide table, tidy CSV, diagnostics, notes, HTML) of one universe."""
    frame = _shared.universe_frame(universe)
    results = _shared.universe_fits(universe)
    tidy = pd.concat([r.tidy for r in results.values()], ignore_index=True)  # as models_table

    # The coefficient block comes from the package's regression-table function (maketables).
    wide = regression_frame(results)
    wide = wide[~wide.term.isin(["N", "Events", "Clusters (wars)", "Clusters with events", "Status", "Inference",
                                 "Log-likelihood", "AIC", "BIC"])].reset_index(drop=True)
    from ..models.data import interaction_cluster_counts

    counts = interaction_cluster_counts(frame)

    def _loglik(r) -> str:
        value, kind = r.tidy["loglik"].iloc[0], r.tidy["loglik_kind"].iloc[0]
        if value != value:
            return "-"
        return f"{value:.2f}" + (" (penalised)" if kind == "penalised" else "")

    stats = []
    for label, fn in [("Status", lambda r: r.status),
                      ("N", lambda r: f"{int(r.tidy['n'].iloc[0])}"),
                      ("Events", lambda r: f"{r.diagnostics['events']}"),
                      ("Clusters (wars)", lambda r: f"{r.diagnostics['n_clusters']}"),
                      ("Clusters with events", lambda r: f"{r.diagnostics['clusters_with_events']}"),
                      ("Wars where the interaction is non-zero", lambda r: f"{counts['clusters_interaction_nonzero']}"),
                      ("Wars where the interaction varies", lambda r: f"{counts['clusters_interaction_varies']}"),
                      ("Inference", lambda r: r.tidy["inference"].iloc[0]),
                      ("Log-likelihood", _loglik),
                      ("AIC", lambda r: "-" if r.tidy["aic"].iloc[0] != r.tidy["aic"].iloc[0] else
                       f"{r.tidy['aic'].iloc[0]:.1f}"),
                      ("BIC", lambda r: "-" if r.tidy["bic"].iloc[0] != r.tidy["bic"].iloc[0] else
                       f"{r.tidy['bic'].iloc[0]:.1f}")]:
        stats.append({"term": label, **{r.name: fn(r) for r in results.values()}})
    wide = pd.concat([wide, pd.DataFrame(stats)], ignore_index=True)

    diag = pd.DataFrame([{"model": r.name, **{k: (", ".join(v) if isinstance(v, list) else v)
                                              for k, v in r.diagnostics.items()}} for r in results.values()])
    logit_d, clog_d = results["logit"].diagnostics, results["clogit"].diagnostics
    fe_d, re_d = results["lpm_fe"].diagnostics, results["lpm_re"].diagnostics
    notes = [
        f"Cells: coefficient (standard error); * p<0.1, ** p<0.05, *** p<0.01. Outcome: {frame.attrs['outcome']}. "
        "Logit-scale models: pooled logit, Firth; complementary log-log: the hazard; the LPMs are on the probability "
        "scale. Inference: z for likelihood models, t with G - 1 df (G wars) for the clustered LPMs.",
        f"Sample: {results['logit'].sample}. Standard errors clustered by war for the pooled logit, hazard and LPMs. "
        "Firth: model-based SEs sqrt(diag((X'WX)^-1)) at the Firth estimate (the logistf/brglm2 convention), "
        "profile penalised-likelihood CIs and penalised LR p-values (CSV). Conditional logit: model-based SEs "
        "(inverse observed information, as survival::clogit), not clustered.",
        f"Few clusters: {logit_d['n_clusters']} wars, of which {logit_d['clusters_with_events']} contain a defection, so "
        "cluster-robust standard errors are anti-conservative; Table 5 gives the war-cluster bootstrap and the wild "
        "cluster bootstrap. Separation (Konis LP check) in the pooled logit: "
        f"{logit_d['separation']}; a separated fit shows no SEs or p-values and is refitted with Firth's penalty: the "
        "pooled logit by Firth's logit, the hazard by the Jeffreys-penalised cloglog with the same offset "
        "(Kosmidis and Firth 2021; the same SE, CI and p-value conventions as Firth).",
        f"Conditional logit: {clog_d['groups_dropped']} wars without a defection drop out ({clog_d['rows_dropped']} "
        f"rows); Newton-Raphson (at most {CLOGIT_MAXITER} steps, survival::clogit's default), largest |score| at the "
        f"estimate {clog_d['score_max_abs']:.1e}; separation (Konis LP check with one intercept per war): "
        f"{clog_d['separation']}"
        + (", so it shows no SEs (no maintained library fits a penalised conditional logit to refit it), and its "
           "point estimates are where Newton stopped on the way to infinity, not estimates. "
           if clog_d["separation"] else ". ") + f"LPM with member-spell "
        f"and year effects: absorbed {', '.join(fe_d['absorbed']) or 'nothing'} (constant within a spell); the "
        f"effects use {fe_d['effects_rank']} degrees of freedom (the rank of their dummies, not the "
        f"{fe_d['effects_dummies']} dummies). Random effects: entity variance {re_d['sigma2_entity']:.4f}, residual "
        f"variance {re_d['sigma2_resid']:.4f}" + (" (so the estimator is pooled OLS)." if re_d["pooled"] else "."),
        "Hazard: grouped-duration complementary log-log model with a cubic in years since entry (t) and the offset "
        "log exposure (the days at risk in the phase; in the phase of a defection, the days the state would have been "
        "at risk had it not left); the endogenous control log days at risk is no longer used.",
        "Likelihoods: maximum-likelihood fits show their log-likelihood, AIC and BIC only when the maximum exists (not "
        "for a separated fit, whatever its optimiser reports); penalised fits show the penalised log-likelihood, "
        "labelled, and no AIC or BIC; the LPMs none. Wars where the interaction is non-zero / varies: "
        f"{counts['clusters_interaction_nonzero']} / {counts['clusters_interaction_varies']} of "
        f"{counts['n_clusters']}; with so few, CR2 with small-sample degrees of freedom (Table 5's few-cluster table) "
        "is the LPM's honest inference.",
    ]
    if universe != "cow_interstate":
        unit = _shared.CLUSTER_UNIT[universe]
        notes = [f"{UNIVERSE_LABEL[universe]}: {results['logit'].sample}; clusters: {unit} "
                 f"({logit_d['n_clusters']}, {logit_d['clusters_with_events']} with a defection); separation in the "
                 f"pooled logit: {logit_d['separation']}."]
    if universe != "cow_interstate":
        unit = _shared.CLUSTER_UNIT[universe]
        wide["term"] = wide["term"].replace({"Clusters (wars)": f"Clusters ({unit})",
                                             "Wars where the interaction is non-zero": "Clusters where the interaction is non-zero",
                                             "Wars where the interaction varies": "Clusters where the interaction varies"})
    html = regression_table(results, "html", caption=f"Defection from wartime coalitions: {UNIVERSE_LABEL[universe]}",
                            label=f"table3_{universe}", notes=" ".join(notes))
    return (_shared.with_universe(wide, universe), _shared.with_universe(tidy, universe),
            _shared.with_universe(diag, universe), notes, html)
