"""Table 1 (2015): typology of leadership failure, cases computed and as the paper gives them.

The code is replication/exhibits/smartpower_table1_failures.py; this program builds that one exhibit, as
`make smartpower-table1` does (log in results/.logs/smartpower_table1_failures.log)."""

from replication.exhibits import main

main("smartpower_table1_failures")
