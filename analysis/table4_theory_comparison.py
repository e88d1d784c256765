"""Table 4: the three theories: nested models, penalised leave-one-war-out folds, a column per signed
prediction, cross-war congruence test.

The code is replication/exhibits/table4_theory_comparison.py; this program builds that one exhibit, as
`make table4` does (log in results/.logs/table4_theory_comparison.log)."""

from replication.exhibits import main

main("table4_theory_comparison")
