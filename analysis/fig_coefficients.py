"""Figure: coefficients across the six estimators.

The code is replication/exhibits/fig_coefficients.py; this program builds that one exhibit, as
`make fig-coefficients` does (log in results/.logs/fig_coefficients.log)."""

from replication.exhibits import main

main("fig_coefficients")
