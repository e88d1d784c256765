"""Command line: ``python -m replication.sources {fetch,authored,versions,cite}``.

    fetch [FILE ...]      fetch (or copy from DATA_MIRROR) and verify the publisher files; then check
                          the authored files against data/raw/authored.toml
    authored [--update]   state of each authored file (ok, edited, truncated, unpinned, missing);
                          --update pins them as they are now (after a deliberate edit)
"""

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
    a = sub.add_parser("authored", help="check the authored files in data/raw against data/raw/authored.toml")
    a.add_argument("--update", action="store_true", help="pin the authored files as they are now")
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
            if not wanted and _report_authored(quiet_ok=True):
                return 1
            if mirror is not None and not mirror.is_dir():
                print(f"note: {mirror_missing_message(mirror)} (Not needed this time: every file was already "
                      f"here.)", file=sys.stderr)
        elif args.cmd == "authored":
            if args.update:
                from .authored import update

                path = update()
                print(f"pinned the authored files in {path}; commit it with the edited files")
                return 0
            return 1 if _report_authored(quiet_ok=False) else 0
        elif args.cmd == "versions":
            print(versions().drop(columns=["url", "sha256"]).to_string(index=False))
        elif args.cmd == "cite":
            print(cite()[1])
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _report_authored(*, quiet_ok: bool) -> bool:
    """Print the authored files' state; True if one is truncated or missing (an error)."""
    from .authored import status

    rows = status()
    bad = [r for r in rows if r[1] in ("truncated", "missing")]
    for name, state, message in rows:
        if state == "ok":
            if not quiet_ok:
                print(f"ok         {name}")
        else:
            print(f"{'error' if state in ('truncated', 'missing') else 'warning'}: {message}", file=sys.stderr)
    if quiet_ok and not any(state != "ok" for _, state, _ in rows):
        print(f"authored data: {len(rows)} files as pinned in data/raw/authored.toml")
    return bool(bad)


if __name__ == "__main__":
    sys.exit(main())
