"""Multiverse: every crossed specification of the second difference and the specification curve.

The code is replication/exhibits/multiverse.py; this program builds that one exhibit, as
`make multiverse` does (log in results/.logs/multiverse.log)."""

from replication.exhibits import main

main("multiverse")
