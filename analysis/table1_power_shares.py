"""Table 1 (2013): power shares, all NMC versions, both readings of the note.

The code is replication/exhibits/table1_power_shares.py; this program builds that one exhibit, as
`make table1` does (log in results/.logs/table1_power_shares.log)."""

from replication.exhibits import main

main("table1_power_shares")
