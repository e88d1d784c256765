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
    """Build ``names`` (registry order); stop at the first failure, which is shown with its log.
    Returns the exit status."""
    import matplotlib

    from ..stage import run_logged

    matplotlib.use("Agg")  # files only, never a window, whichever exhibit comes first
    order = build_order(names)
    for i, name in enumerate(order):
        try:
            run_logged(name, REGISTRY[name].build)
        except BaseException as exc:  # run_logged printed the log and the name
            _mark_stale(order[i:])
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit
            import traceback

            traceback.print_exc()
            return 1
        finally:
            _close_figures()
    return 0
