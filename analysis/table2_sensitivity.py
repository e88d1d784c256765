"""Table 2 sensitivity: each of the 18 indicator values flipped; changes needed to reverse each
verdict.

The code is replication/exhibits/table2_sensitivity.py; this program builds that one exhibit, as
`make table2-sensitivity` does (log in results/.logs/table2_sensitivity.log)."""

from replication.exhibits import main

main("table2_sensitivity")
