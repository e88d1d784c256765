"""Table 5: the interaction on the probability scale (delta-method and pairs-bootstrap CIs), few-
cluster inference (CR3, wild cluster bootstrap), power and minimum detectable effect.

The code is replication/exhibits/table5_interaction.py; this program builds that one exhibit, as
`make table5` does (log in results/.logs/table5_interaction.log)."""

from replication.exhibits import main

main("table5_interaction")
