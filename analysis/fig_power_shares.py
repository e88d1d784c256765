"""Figure: power shares of the US, UK and USSR 1942-45, reproduced vs published.

The code is replication/exhibits/fig_power_shares.py; this program builds that one exhibit, as
`make fig-power-shares` does (log in results/.logs/fig_power_shares.log)."""

from replication.exhibits import main

main("fig_power_shares")
