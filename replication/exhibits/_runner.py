"""Build exhibits in one Python process, in dependency order, each logged as by replication.stage."""

from __future__ import annotations

import sys

from . import REGISTRY, build_order


def _close_figures() -> None:
    # one process draws every figure: close them so no exhibit's figure lingers into the next
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def _mark_stale(names) -> None:
    """Date the outputs of exhibits that were not built back to 1970: make queued them after touching
    their old outputs (so that their readers were queued too), and must rebuild them next time."""
    import os

    from . import output_path

    for name in names:
        for relative in REGISTRY[name].outputs:
            path = output_path(relative)
            if path.is_file():
                os.utime(path, (0, 0))


def build(names) -> int:
    """Build ``names`` (registry order); stop at the first failure. A failure prints one message
    (the exhibit, the error, the log's path); its traceback is in results/.logs/NAME.log.
    Returns the exit status."""
    import matplotlib

    from ..stage import ExhibitFailed, run_logged

    matplotlib.use("Agg")  # files only, never a window, whichever exhibit comes first
    order = build_order(names)
    for i, name in enumerate(order):
        try:
            run_logged(name, REGISTRY[name].build)
        except ExhibitFailed:  # run_logged printed the message and logged the traceback
            _mark_stale(order[i:])
            return 1
        except BaseException:  # KeyboardInterrupt, SystemExit: outputs not built must be rebuilt
            _mark_stale(order[i:])
            raise
        finally:
            _close_figures()
    return 0
