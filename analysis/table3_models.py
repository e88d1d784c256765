"""Table 3: the interaction in six estimators (logit, Firth, hazard, clogit, two LPMs).

The code is replication/exhibits/table3_models.py; this program builds that one exhibit, as
`make table3` does (log in results/.logs/table3_models.log)."""

from replication.exhibits import main

main("table3_models")
