"""Figure: P(defection) by regime type and systemic conditions, with CIs.

The code is replication/exhibits/fig_interaction.py; this program builds that one exhibit, as
`make fig-interaction` does (log in results/.logs/fig_interaction.log)."""

from replication.exhibits import main

main("fig_interaction")
