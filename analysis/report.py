"""Replication report: every table and figure, provenance, commands.

The code is replication/exhibits/report.py; this program builds that one exhibit, as
`make report` does (log in results/.logs/report.log)."""

from replication.exhibits import main

main("report")
