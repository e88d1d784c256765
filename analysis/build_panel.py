"""State-phase panel and codebook.

The code is replication/exhibits/build_panel.py; this program builds that one exhibit, as
`make panel` does (log in results/.logs/build_panel.log)."""

from replication.exhibits import main

main("build_panel")
