"""Influence: leave-one-war-out and leave-one-state-out second differences.

The code is replication/exhibits/influence.py; this program builds that one exhibit, as
`make influence` does (log in results/.logs/influence.log)."""

from replication.exhibits import main

main("influence")
