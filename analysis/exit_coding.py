"""Exit coding: every early exit with its code, date, rule, citations and contested flag.

The code is replication/exhibits/exit_coding.py; this program builds that one exhibit, as
`make exit-coding` does (log in results/.logs/exit_coding.log)."""

from replication.exhibits import main

main("exit_coding")
