"""Table 2 (2013): verdicts derived from the three indicators beside the paper's, theory predictions
and congruence.

The code is replication/exhibits/table2_congruence.py; this program builds that one exhibit, as
`make table2` does (log in results/.logs/table2_congruence.log)."""

from replication.exhibits import main

main("table2_congruence")
