"""War endings: how every coalition war ended, with its verdict and sources, and the review of every
member's last organised military effort.

The code is replication/exhibits/war_endings.py; this program builds that one exhibit, as
`make war-endings` does (log in results/.logs/war_endings.log)."""

from replication.exhibits import main

main("war_endings")
