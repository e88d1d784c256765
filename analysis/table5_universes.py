"""Table 5, universes side by side (issue 20): the key rows of Tables 3-5 for the COW wars, the 2001
coalitions and the pooled sample.

The code is replication/exhibits/table5_universes.py; this program builds that one exhibit, as
`make` does (log in results/.logs/table5_universes.log)."""

from replication.exhibits import main

main("table5_universes")
