"""Table 5, universes side by side (issue 20): the key rows of Tables 3-5 for the COW inter-state wars, the
2001 coalitions (Afghanistan, Iraq) and the pooled sample with a universe effect -- what differs between
the universes (adversary, share of democracies, clustering unit), the sample flow, the second difference
under both readings in both reported models, the declared predictions that held, and what the reported test
can detect (size, minimum detectable effect, equivalence bounds).

Reads the CSVs of Tables 3-5 and the sample flow; writes results/tables/table5_universes.{csv,tex,md} (CSV:
long, one row per universe and quantity with the number and its text). Run: make table5-universes (or python
analysis/table5_universes.py)
"""

import numpy as np
import pandas as pd

from .. import _io, paths
from ..models.tables import REPORTED_HAZARD, REPORTED_LOGIT
from . import _shared

ADVERSARY = {"cow_interstate": "states (inter-state wars)",
             "coalition_2001": "non-state insurgencies (counter-insurgency)",
             "pooled": "both (universe indicator)"}
READING_LABEL = {"defeat_unites": "defeat unites (primary)", "defeat_divides": "defeat divides"}


def _fmt(x: float) -> str:
    return "-" if x != x else f"{x:+.3f}".replace("+-", "-")


def universes_table() -> pd.DataFrame:
    """The long table: universe, block, quantity, value (a number or NaN) and text."""
    tables = paths.tables_dir()
    interaction = pd.read_csv(tables / "table5_interaction.csv")
    power = pd.read_csv(tables / "table5_power.csv")
    predictions = pd.read_csv(tables / "table4_predictions.csv")
    flow = pd.read_csv(tables / "sample_flow.csv")
    rows = []

    def add(universe, block, quantity, value, text=None):
        rows.append({"universe": universe, "block": block, "quantity": quantity,
                     "value": float(value) if value is not None and value == value else np.nan,
                     "text": text if text is not None else (f"{value:.3f}" if isinstance(value, float) else str(value))})

    for u in _shared.UNIVERSES:
        frame = _shared.universe_frame(u)
        panel = _shared.universe_panel(u)
        add(u, "what differs", "adversary", None, ADVERSARY[u])
        add(u, "what differs", "wars", frame["war"].nunique(), str(frame["war"].nunique()))
        add(u, "what differs", "clustering unit (jackknife, bootstrap, power's random effect)", None,
            _shared.CLUSTER_UNIT[u])
        dem = frame["democracy"].mean()
        add(u, "what differs", "share of democracies, estimation sample (Polity5)", dem, f"{dem:.2f}")
        bmr = panel["democracy_bmr"].dropna().astype(bool).mean()
        add(u, "what differs", "share of democracies, panel (BMR)", bmr, f"{bmr:.2f}")
        fav = frame["systemic_favorable"].mean()
        add(u, "what differs", "share of state-phases favourable (primary reading)", fav, f"{fav:.2f}")
        symmetric = panel["symmetric"].dropna().astype(bool).mean()
        add(u, "what differs", "share of state-phases with symmetric power", symmetric, f"{symmetric:.2f}")
        for dem, dem_name in ((0, "autocracies"), (1, "democracies")):
            for fav, fav_name in ((0, "unfavourable"), (1, "favourable")):
                cell = frame[(frame["democracy"] == dem) & (frame["systemic_favorable"] == fav)]
                add(u, "defections by cell (primary reading)", f"{dem_name}, {fav_name} conditions", cell["y"].sum(),
                    f"{int(cell['y'].sum())} of {len(cell)}")
        f = flow[(flow.universe == u) & (flow.outcome == "defected") & (flow.reading == "defeat_unites")]
        first, last = f.iloc[0], f.iloc[-1]
        add(u, "sample flow", "panel state-phases", first["rows"], str(int(first["rows"])))
        for step in ("partnerless", "after the historical exit"):
            removed = int(f.loc[f.step == step, "rows_removed"].sum())
            add(u, "sample flow", f"left out: {step}", removed, str(removed))
        missing = int(f.loc[f.step.str.startswith("missing"), "rows_removed"].sum())
        add(u, "sample flow", "dropped: a missing value", missing, str(missing))
        add(u, "sample flow", "estimation sample: state-phases", last["rows"], str(int(last["rows"])))
        add(u, "sample flow", "estimation sample: defections", last["events"], str(int(last["events"])))
        counts = interaction[(interaction.universe == u) & (interaction.model == REPORTED_LOGIT)].iloc[0]
        add(u, "sample flow", "clusters", counts["n_clusters"], str(int(counts["n_clusters"])))
        add(u, "sample flow", "clusters with a defection", counts["clusters_with_events"],
            str(int(counts["clusters_with_events"])))
        for reading in ("defeat_unites", "defeat_divides"):
            for model, short in ((REPORTED_LOGIT, "Firth logit"), (REPORTED_HAZARD, "penalised hazard")):
                r = interaction[(interaction.universe == u) & (interaction.reading == reading)
                                & (interaction.model == model) & (interaction.quantity == "second difference")].iloc[0]
                add(u, "second difference", f"{short}, {READING_LABEL[reading]}", r["estimate"],
                    f"{_fmt(r['estimate'])} [{_fmt(r['delta_ci_low'])}, {_fmt(r['delta_ci_high'])}]")
            p = predictions[(predictions.universe == u) & (predictions.reading == reading)
                            & (predictions.model == REPORTED_LOGIT) & predictions.p_value.notna()]
            signed, zero = p[p.predicted_sign == "+"], p[p.predicted_sign == "0"]
            held = int((signed.held == "yes").sum())
            add(u, "declared predictions (Firth logit)", f"{READING_LABEL[reading]}: signed predictions held",
                held, f"{held} of {len(signed)}")
            kept = int((zero.held == "not rejected").sum())
            add(u, "declared predictions (Firth logit)", f"{READING_LABEL[reading]}: zero predictions not rejected",
                kept, f"{kept} of {len(zero)}")
            ncr3 = p[p.key == "NCR3"]
            if len(ncr3):
                add(u, "declared predictions (Firth logit)", f"{READING_LABEL[reading]}: NCR3 (second difference > 0)",
                    ncr3["p_value"].iloc[0], f"p = {ncr3['p_value'].iloc[0]:.3f} (held: {ncr3['held'].iloc[0]})")
        for reading in ("defeat_unites", "defeat_divides"):
            w = power[(power.universe == u) & (power.reading == reading)].iloc[0]
            add(u, "what the test can detect", f"{READING_LABEL[reading]}: size at 0 (one-sided)", w["size_one_sided"],
                f"{w['size_one_sided']:.3f}")
            mde = w["mde_80_one_sided"]
            add(u, "what the test can detect", f"{READING_LABEL[reading]}: MDE, 80% power (one-sided)", mde,
                "beyond the grid" if mde != mde else f"{mde:.2f}")
            add(u, "what the test can detect", f"{READING_LABEL[reading]}: equivalence bounds (TOST 5%)",
                w["equivalence_bound"], f"{_fmt(w['equivalence_lower'])} to {_fmt(w['equivalence_upper'])}")
    return pd.DataFrame(rows)


def build() -> None:
    table = universes_table()
    wide = table.pivot_table(index=["block", "quantity"], columns="universe", values="text", aggfunc="first",
                             sort=False).reset_index()
    wide = wide[["block", "quantity", *_shared.UNIVERSES]]
    notes = [
        "cow_interstate: the COW inter-state wars (the main universe of Tables 3-5). coalition_2001: the US-led "
        "coalitions in Afghanistan (OEF and ISAF, 2001-2014) and Iraq (invasion and MNF-I, 2003-2011), coded from "
        "data/raw/coalition_contributors_2001.csv by the same rule; counter-insurgencies against non-state "
        "adversaries, whose capability COW does not measure, so losing is read from coalition fatalities and "
        "favourable needs both losing and symmetric power (replication/panel/systemic.py, CONDITIONS_2001). "
        "pooled: both, with the universe indicator among the controls.",
        "Clustering: with two wars, war-clustered inference is impossible in the 2001 universe (G = 2); its "
        "jackknife, bootstrap and the power simulation's random intercept use the contributor state, which "
        "assumes that contributors' decisions are independent given the regressors -- no common war-level shock. "
        "Defections bunched in time (Spain and the Philippines in 2004, with the Central American contingents leaving "
        "after Spain) suggest that assumption is "
        "optimistic, so its intervals are if anything too narrow.",
        "Second difference: [P(dem, fav) - P(aut, fav)] - [P(dem, unfav) - P(aut, unfav)] on the probability scale, "
        "delta-method 95% interval in brackets (Table 5). Predictions: Table 4 (held: one-sided p < 0.05 for a "
        "signed prediction; a zero not rejected). Size, minimum detectable effect and equivalence bounds: Table 5's "
        "power table, by simulation of the reported test on each universe's design.",
    ]
    _io.write_table(wide, paths.tables_dir() / "table5_universes", csv_frame=table, label="tab:universes",
                    caption="The universes side by side: COW inter-state wars, the 2001 coalitions, pooled",
                    notes=notes)
    print(wide.to_string(index=False))
