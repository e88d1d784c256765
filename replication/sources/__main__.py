"""Command line: ``python -m replication.sources {fetch,verify,versions,cite}``."""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import DataError, MissingRawFileError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m replication.sources", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    f = sub.add_parser("fetch", help="fetch and verify raw files (all, or the named files)")
    f.add_argument("files", nargs="*", help="file names as in the registry (default: all)")
    sub.add_parser("versions", help="list registered files and the state of the local copies")
    sub.add_parser("cite", help="print BibTeX for every source")
    args = parser.parse_args(argv)

    from . import cite, entries, fetch, versions
    from .fetch import mirror_dir, mirror_missing_message, missing_report

    try:
        if args.cmd == "fetch":
            wanted = set(args.files)
            known = {e.file for e in entries()}
            unknown = wanted - known
            if unknown:
                print(f"error: not in the registry: {', '.join(sorted(unknown))}", file=sys.stderr)
                return 2
            mirror = mirror_dir()
            missing, started, checked = [], time.perf_counter(), 0
            for e in entries():
                if not wanted or e.file in wanted:
                    checked += 1
                    try:
                        fetch(e)
                    except MissingRawFileError:
                        missing.append(e)
            if missing and mirror is not None and not mirror.is_dir():
                # the files are missing because the mirror is: one line naming the folder, not the list
                print(f"error: {mirror_missing_message(mirror)}", file=sys.stderr)
                return 1
            if missing:
                print(missing_report(missing), file=sys.stderr)
                return 1
            print(f"raw data: {checked} files verified ({time.perf_counter() - started:.1f} s)")
            if mirror is not None and not mirror.is_dir():
                print(f"note: {mirror_missing_message(mirror)} (Not needed this time: every file was already "
                      f"here.)", file=sys.stderr)
        elif args.cmd == "versions":
            print(versions().drop(columns=["url", "sha256"]).to_string(index=False))
        elif args.cmd == "cite":
            print(cite()[1])
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
