"""Build exhibits in one Python process, in dependency order, each logged as by replication.stage."""

from __future__ import annotations

import sys

from . import REGISTRY, build_order


def _close_figures() -> None:
    # one process draws every figure: close them so no exhibit's figure lingers into the next
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


def build(names) -> int:
    """Build ``names`` (registry order); stop at the first failure, which is shown with its log.
    Returns the exit status."""
    import matplotlib

    from ..stage import run_logged

    matplotlib.use("Agg")  # files only, never a window, whichever exhibit comes first
    for name in build_order(names):
        try:
            run_logged(name, REGISTRY[name].build)
        except Exception:  # noqa: BLE001 - run_logged printed the log and the name; the traceback follows
            import traceback

            traceback.print_exc()
            return 1
        finally:
            _close_figures()
    return 0
