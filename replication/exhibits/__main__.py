"""``python -m replication.exhibits COMMAND``.

    build NAME [NAME ...]   build these exhibits in one process, in dependency order
    build --all             build every exhibit
    list                    name, make target and outputs of every exhibit
    makefile [--write]      the Makefile rules generated from the registry (exhibits.mk)
    readme-table [--write]  the README's "List of tables and programs" generated from the registry
"""

from __future__ import annotations

import sys

from . import EXHIBITS


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    command, args = (argv[0], argv[1:]) if argv else ("", [])
    if command == "build":
        from ._runner import build

        names = [e.name for e in EXHIBITS] if args == ["--all"] else args
        if not names:
            print("build: name at least one exhibit (or --all)", file=sys.stderr)
            return 2
        return build(names)
    if command == "list":
        for e in EXHIBITS:
            print(f"{e.name:<32} make {e.target:<20} {' '.join(e.outputs)}")
        return 0
    if command in ("makefile", "readme-table"):
        from . import generate

        text, write = ((generate.makefile(), generate.write_makefile) if command == "makefile"
                       else (generate.readme_table(), generate.write_readme_table))
        if args == ["--write"]:
            write()
        else:
            sys.stdout.write(text)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
