"""``python -m replication.stage PROGRAM``: run one program, then print one line with its elapsed
time. The exhibit runner (replication.exhibits) runs every exhibit through :func:`run_logged`.

Only upstream warnings that are understood are silenced here, each with the reason; every
other warning still prints.
"""

from __future__ import annotations

import contextlib
import runpy
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from .paths import results_dir

# (message regex, category, module regex, why it is safe to silence)
UNDERSTOOD = [
    # linearmodels' AbsorbingEffectWarning in Table 3's within LPM: `democracy` does not vary within
    # a member spell, so the entity effects absorb it and drop_absorbed=True removes it on purpose;
    # the table shows its cell blank. The regex names democracy alone, so any other absorbed
    # variable still warns. (statsmodels' ConvergenceWarning in Table 4 is NOT silenced.)
    (r"\s*Variables have been fully absorbed and have removed from the regression:\s*democracy\s*$",
     Warning, "", "democracy is constant within a member spell; the within LPM cannot estimate it"),
]


def silence_understood() -> None:
    for message, category, module, _why in UNDERSTOOD:
        warnings.filterwarnings("ignore", message=message, category=category, module=module)


def run_logged(name: str, fn: Callable[[], object]) -> float:
    """Run ``fn`` with its printout in results/.logs/<name>.log and the understood warnings silenced;
    print one line with the elapsed time. On failure the log is shown in full, with the name, and
    the exception propagates. Returns the elapsed seconds."""
    log = results_dir() / ".logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with warnings.catch_warnings(), log.open("w", encoding="utf-8") as sink:
        silence_understood()
        try:
            with contextlib.redirect_stdout(sink):
                fn()
        except BaseException:
            sink.flush()
            sys.stderr.write(log.read_text(encoding="utf-8"))
            print(f"{name:<34} FAILED after {time.perf_counter() - started:.1f} s (log: {log})",
                  file=sys.stderr, flush=True)
            raise
    elapsed = time.perf_counter() - started
    print(f"{name:<34} {elapsed:6.1f} s", flush=True)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """The program's own printout goes to results/.logs/PROGRAM.log (shown in full if it fails);
    the terminal gets one line. Warnings still reach stderr."""
    argv = sys.argv[1:] if argv is None else argv
    program = Path(argv[0])
    sys.argv = [str(program), *argv[1:]]
    run_logged(program.stem, lambda: runpy.run_path(str(program), run_name="__main__"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
