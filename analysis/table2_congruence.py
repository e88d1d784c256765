"""Table 2 of Resnick (2013): each theory's predictions for the six state-phases and its
congruence score, computed from the coded case file and the theory functions.

Writes results/tables/table2_congruence.{csv,tex,md}. Run: make table2
"""

from replication import _io, paths
from replication.grand_alliance import casefile, theories

cases = casefile.load_cases()
table = theories.congruence(cases)
score = theories.scores(table)
published = {"neoclassical realism": 6, "neorealism": 5, "liberalism": 4}  # Resnick (2013), text after Table 2

presentation = table.copy()
presentation["correct"] = [f"{c}/{n}" if s == "ALL" else ("yes" if c else "no")
                           for s, c, n in zip(table.state, table.correct, table.n_cases)]
presentation = presentation.drop(columns="n_cases").fillna("")
notes = [
    "Predictions come from applying each theory's hypotheses (Table 2 of the paper) to the project's coding of "
    "regime type and the four systemic conditions (data/raw/grand_alliance_cases.csv); systemic conditions "
    "favour cohesion when all four do (phase I) and fragmentation otherwise (phase II).",
    "Scores: " + ", ".join(f"{t} {score[t]}/6 (published {published[t]}/6)" for t in published) + ".",
    "Phase I: January 1942-June 1944; phase II: July 1944-September 1945. "
    "USA = United States, UKG = Britain, RUS = Soviet Union.",
]
_io.write_table(presentation, paths.tables_dir() / "table2_congruence", csv_frame=table, label="tab:table2",
                caption="Table 2 (Resnick 2013): predictions of the three theories and congruence with observed "
                        "cohesion behaviour in the Grand Alliance", notes=notes)
mismatch = {t: (score[t], p) for t, p in published.items() if score[t] != p}
print("congruence scores:", score, "| MISMATCH vs published: " + str(mismatch) if mismatch else "| match published")
