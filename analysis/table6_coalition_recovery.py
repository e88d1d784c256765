"""Table 6: democratic share and recovery from military disadvantage (2013, line 671), Firth logit and
exact rank test.

The code is replication/exhibits/table6_coalition_recovery.py; this program builds that one exhibit, as
`make table6` does (log in results/.logs/table6_coalition_recovery.log)."""

from replication.exhibits import main

main("table6_coalition_recovery")
