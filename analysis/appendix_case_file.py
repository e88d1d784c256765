"""Appendix: Grand Alliance case file and resource-sharing figures.

The code is replication/exhibits/appendix_case_file.py; this program builds that one exhibit, as
`make appendix` does (log in results/.logs/appendix_case_file.log)."""

from replication.exhibits import main

main("appendix_case_file")
