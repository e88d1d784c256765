"""README results paragraph, generated from Tables 2-5 (also replaces the block in README.md).

The code is replication/exhibits/results_paragraph.py; this program builds that one exhibit, as
`make results-paragraph` does (log in results/.logs/results_paragraph.log)."""

from replication.exhibits import main

main("results_paragraph")
