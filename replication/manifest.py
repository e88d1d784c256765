"""``python -m replication.manifest OUT RESULTS_DIR [FILE ...]``: sha256 of every output.

One path base: every path is relative to the project root (the folder `make` runs in), or
absolute when an output lies outside it, so ``sha256sum -c results/MANIFEST.sha256`` works
from the project root. Sorted by path in C order, so the manifest is the same on every machine.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from ._io import write_text
from .sources.registry import sha256_of


def manifest_lines(results: Path, extra: list[Path], base: Path) -> list[str]:
    files = [p for p in Path(results).rglob("*")
             if p.is_file() and not p.name.startswith(("MANIFEST.sha256", "."))
             and not any(part.startswith(".") for part in p.relative_to(results).parts)]
    paths = sorted({_relative(p, base) for p in [*files, *map(Path, extra)]}, key=lambda s: s.encode())
    # sha256sum's format: hash, two spaces (text mode), path
    return [f"{sha256_of(base / p)}  {p}" for p in paths]


def _relative(path: Path, base: Path) -> str:
    path = Path(os.path.abspath(path))
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def main(argv: list[str] | None = None) -> int:
    out, results, *extra = argv if argv is not None else sys.argv[1:]
    base = Path.cwd()
    lines = manifest_lines(Path(results), [Path(p) for p in extra], base)
    write_text(out, "\n".join(lines) + "\n")
    print(f"{'manifest':<34} {len(lines)} files hashed -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
