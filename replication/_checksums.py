"""sha256 sidecars of generated files (the processed panel), in ``sha256sum`` format.

``make panel`` writes ``data/processed/state_phase_panel.sha256`` after the panel's files; readers
(:func:`replication.models.load_panel`) verify the parquet file against it, and the Makefile runs
this file as a script, with any python3, while it reads its rules:

    python3 replication/_checksums.py stale data/processed/state_phase_panel.sha256 OUTPUT ...

which, if a listed file is missing or differs from its sha256 (corrupt, truncated, edited), or the
sidecar itself is missing, prints one line and dates every OUTPUT back to 1970, so that make
rebuilds them. Standard library only, for that reason.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path


def sha256_of(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sidecar_text(files) -> str:
    """``sha256sum`` lines for ``files`` (names relative to the sidecar's folder, which is theirs)."""
    return "".join(f"{sha256_of(p)}  {Path(p).name}\n" for p in files)


def read_sidecar(sidecar) -> dict[str, str]:
    out = {}
    for line in Path(sidecar).read_text(encoding="utf-8").splitlines():
        digest, sep, name = line.partition("  ")
        if sep:
            out[name.strip()] = digest.strip()
    return out


def problems(sidecar, only=None) -> list[str]:
    """What is wrong with the files that ``sidecar`` lists (or only with the names in ``only``);
    empty if each is there with its sha256."""
    sidecar = Path(sidecar)
    if not sidecar.is_file():
        return [f"{sidecar} is missing"]
    pinned = read_sidecar(sidecar)
    out = []
    for name, digest in pinned.items():
        if only is not None and name not in only:
            continue
        path = sidecar.parent / name
        if not path.is_file():
            out.append(f"{path} is missing")
        elif sha256_of(path) != digest:
            out.append(f"{path} differs from the sha256 recorded when it was built (corrupt, truncated or edited)")
    for name in (only or ()):
        if name not in pinned:
            out.append(f"{sidecar} does not list {name}")
    return out


def mark_stale(sidecar, outputs) -> str | None:
    """Date ``outputs`` back to 1970 if the sidecar's check fails; return the reason, or None."""
    found = problems(sidecar)
    if not found:
        return None
    for path in outputs:
        if os.path.isfile(path):
            os.utime(path, (0, 0))
    return found[0]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) >= 2 and argv[0] == "stale":
        outputs = argv[2:]
        if not any(os.path.isfile(p) for p in outputs):
            return 0  # nothing built yet: make builds it anyway
        reason = mark_stale(argv[1], outputs)
        if reason:
            print(f"{reason}; rebuilding the panel")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
