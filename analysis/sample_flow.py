"""Sample flow: from the panel to the estimation sample, with the rows, wars and events lost at each step.

The code is replication/exhibits/sample_flow.py; this program builds that one exhibit, as
`make sample-flow` does (log in results/.logs/sample_flow.log)."""

from replication.exhibits import main

main("sample_flow")
