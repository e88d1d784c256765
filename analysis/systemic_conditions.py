"""Systemic conditions: predicted direction, the paper's line, variance, raw direction.

The code is replication/exhibits/systemic_conditions.py; this program builds that one exhibit, as
`make systemic-conditions` does (log in results/.logs/systemic_conditions.log)."""

from replication.exhibits import main

main("systemic_conditions")
