"""Table 2 systemic conditions: NMC-measured losing and symmetry beside the paper's coding, with its
reasons.

The code is replication/exhibits/table2_systemic_conditions.py; this program builds that one exhibit, as
`make table2-systemic` does (log in results/.logs/table2_systemic_conditions.log)."""

from replication.exhibits import main

main("table2_systemic_conditions")
