"""Figure 1 (2015): strategy map with every coded case; below, each case's relative power (log-ratio
index beside the share).

The code is replication/exhibits/smartpower_figure1_strategies.py; this program builds that one exhibit, as
`make smartpower-figure1` does (log in results/.logs/smartpower_figure1_strategies.log)."""

from replication.exhibits import main

main("smartpower_figure1_strategies")
