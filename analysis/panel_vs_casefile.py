"""The panel's Grand Alliance rows beside the hand-coded case file.

The code is replication/exhibits/panel_vs_casefile.py; this program builds that one exhibit, as
`make panel-compare` does (log in results/.logs/panel_vs_casefile.log)."""

from replication.exhibits import main

main("panel_vs_casefile")
