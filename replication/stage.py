"""``python -m replication.stage PROGRAM``: run one program, then print one line with its elapsed
time. The exhibit runner (replication.exhibits) runs every exhibit through :func:`run_logged`.

Only upstream warnings that are understood are silenced here, each with the reason. Every other
warning is written in full to the program's log, and the terminal line counts them by category
(a separated fit warns by name every time it is fitted, so printing each would bury the timings).
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
    # pandas 3.1 deprecates `inplace=` (PDEP-8) and warns (Pandas4Warning) inside pyfixest 0.60's own
    # feols set-up (reset_index / drop on its private copy of the data). The calls still do what they
    # did; nothing of ours passes inplace. The module regex limits the filter to pyfixest's code, so
    # the same deprecation in any other package (or ours) still warns.
    (r"The inplace keyword in DataFrame\.(reset_index|drop) is deprecated", Warning, r"pyfixest\.",
     "pyfixest's own use of inplace=, deprecated by pandas 3.1; same result until pandas 4"),
]


def silence_understood() -> None:
    for message, category, module, _why in UNDERSTOOD:
        warnings.filterwarnings("ignore", message=message, category=category, module=module)


class ExhibitFailed(Exception):
    """An exhibit (or program) failed; its one-line message has been printed and its log holds the
    printout and the full traceback. The original exception is the ``__cause__``."""


def failure_line(name: str, exc: BaseException, seconds: float, log: Path) -> str:
    """The one message a failed exhibit prints: name, time, what went wrong, where the traceback is.
    A DataError's message already says what to do; any other exception is a bug, said as such."""
    from .errors import DataError

    what = str(exc).strip() or type(exc).__name__
    if not isinstance(exc, DataError):
        what = f"{type(exc).__name__}: {what}"
    return f"{name:<34} FAILED after {seconds:.1f} s: {what}\n{'':<34} (printout and traceback: {log})"


def run_logged(name: str, fn: Callable[[], object]) -> float:
    """Run ``fn`` with its printout in results/.logs/<name>.log and the understood warnings silenced;
    print one line with the elapsed time. Returns the elapsed seconds.

    On an exception the traceback goes to the log, the terminal gets one message (the name, the
    error and the log's path; no traceback) and :class:`ExhibitFailed` is raised from the original
    exception. KeyboardInterrupt and SystemExit propagate unchanged."""
    log = results_dir() / ".logs" / f"{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught, log.open("w", encoding="utf-8") as sink:
        silence_understood()
        try:
            with contextlib.redirect_stdout(sink):
                fn()
        except Exception as exc:
            import traceback

            _write_warnings(sink, caught)
            sink.write("\n" + "".join(traceback.format_exception(exc)))
            sink.flush()
            print(failure_line(name, exc, time.perf_counter() - started, log), file=sys.stderr, flush=True)
            raise ExhibitFailed(name) from exc
        _write_warnings(sink, caught)
    elapsed = time.perf_counter() - started
    print(f"{name:<34} {elapsed:6.1f} s" + warning_summary(caught, log), flush=True)
    return elapsed


def _write_warnings(sink, caught: list) -> None:
    if caught:
        sink.write(f"\n--- {len(caught)} warning(s) ---\n")
        for w in caught:
            sink.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))


def warning_summary(caught: list, log: Path) -> str:
    """'' without warnings; else '  (3 warnings: 2 SeparationWarning, 1 ConvergenceWarning; in LOG)'."""
    if not caught:
        return ""
    from collections import Counter

    counts = Counter(w.category.__name__ for w in caught)
    what = ", ".join(f"{n} {cat}" for cat, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    from .paths import PROJECT_ROOT

    shown = log.relative_to(PROJECT_ROOT) if log.is_relative_to(PROJECT_ROOT) else log
    return f"  ({len(caught)} warning{'s' if len(caught) > 1 else ''}: {what}; in {shown})"


def main(argv: list[str] | None = None) -> int:
    """The program's own printout and warnings go to results/.logs/PROGRAM.log; the terminal gets one
    line (with the warnings counted), or on failure the error and the log's path."""
    argv = sys.argv[1:] if argv is None else argv
    program = Path(argv[0])
    sys.argv = [str(program), *argv[1:]]
    try:
        run_logged(program.stem, lambda: runpy.run_path(str(program), run_name="__main__"))
    except ExhibitFailed:
        return 1  # the message is printed, the traceback is in the log
    return 0


if __name__ == "__main__":
    sys.exit(main())
