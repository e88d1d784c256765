"""The papers' cases in Afghanistan and Iraq (Resnick 2015 smart-power cases; Resnick 2013's
premature defections) against the contributor rows.

The code is replication/exhibits/coalition_2001_cases.py; this program builds that one exhibit, as
`make` does (log in results/.logs/coalition_2001_cases.log)."""

from replication.exhibits import main

main("coalition_2001_cases")
