"""2015 cases: computed power and soft power, recommended vs observed strategy (strict), computed
failure beside the paper's, confusion table.

The code is replication/exhibits/smartpower_cases.py; this program builds that one exhibit, as
`make smartpower-cases` does (log in results/.logs/smartpower_cases.log)."""

from replication.exhibits import main

main("smartpower_cases")
