"""Small-N inference on the six cases: Firth logit and exact permutation tests.

The code is replication/exhibits/table2_smalln_inference.py; this program builds that one exhibit, as
`make smalln` does (log in results/.logs/table2_smalln_inference.log)."""

from replication.exhibits import main

main("table2_smalln_inference")
