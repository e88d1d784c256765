"""Panel summary: units, each outcome variant's events and wars, events by regime type and systemic
condition.

The code is replication/exhibits/panel_summary.py; this program builds that one exhibit, as
`make panel-summary` does (log in results/.logs/panel_summary.log)."""

from replication.exhibits import main

main("panel_summary")
