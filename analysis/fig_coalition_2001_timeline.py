"""Figure: membership of the 2001 coalitions (Afghanistan, Iraq) over time, defections marked.

The code is replication/exhibits/fig_coalition_2001_timeline.py; this program builds that one exhibit, as
`make` does (log in results/.logs/fig_coalition_2001_timeline.log)."""

from replication.exhibits import main

main("fig_coalition_2001_timeline")
