"""Work shared by several exhibits, done once per process.

Tables 3, 4 and 5 use the same panel, model frame and fitted models; built in one process
(python -m replication.exhibits build ...), they fit each model once. Each cache is keyed on
the panel file's path, modification time and size, so a panel rebuilt in the same process
(build_panel runs first) is read again. Callers get copies of the panel; the frame and the
fits are shared and must not be modified (nothing in the package modifies them).
"""

from __future__ import annotations

from functools import cache


def _logged(fn, *args):
    """``fn(*args)`` with the models' expected warnings written to the exhibit's log (its printout)
    instead of the terminal: Table 3 keeps the separated ML fits for the record (SeparationWarning; the
    table's Status row and notes say so) and the default frame drops the rows without a Polity score
    (DroppedRowsWarning; the sample-flow table lists them). Every other warning -- a fit that did not
    converge among them -- still reaches the terminal."""
    import warnings

    from ..models.results import DroppedRowsWarning, SeparationWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SeparationWarning)
        warnings.simplefilter("always", DroppedRowsWarning)
        value = fn(*args)
    for w in caught:
        if issubclass(w.category, (SeparationWarning, DroppedRowsWarning)):
            print(f"{w.category.__name__}: {w.message}")
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return value


def _panel_key() -> tuple:
    from ..paths import processed_dir

    path = processed_dir() / "state_phase_panel.parquet"
    if not path.is_file():
        return (str(path), None, None)  # load_panel builds it; keyed so a later file is read
    st = path.stat()
    return (str(path), st.st_mtime_ns, st.st_size)


@cache
def _panel(key: tuple):
    from ..models import load_panel

    return load_panel()


def panel():
    """The default panel (data/processed), as replication.models.load_panel returns it."""
    return _panel(_panel_key()).copy()


@cache
def _frame(key: tuple, systemic: str):
    from ..models import model_frame

    return _logged(lambda: model_frame(_panel(key), systemic=systemic))


def frame(systemic: str = "systemic_favorable"):
    """The default model frame (replication.models.model_frame of the default panel)."""
    return _frame(_panel_key(), systemic)


def has_column(column: str) -> bool:
    return column in _panel(_panel_key())


@cache
def _fits(key: tuple):
    from ..models import fit_all

    return _logged(fit_all, _frame(key, "systemic_favorable"))


def fits() -> dict:
    """Table 3's six estimators on the default frame (replication.models.fit_all)."""
    return _fits(_panel_key())


@cache
def _frames(key: tuple):
    from ..models.tables import reading_frames

    return _logged(reading_frames, _panel(key))


def frames() -> dict:
    """The model frames of both readings of "favourable" (replication.models.tables.reading_frames)."""
    return _frames(_panel_key())


@cache
def _reported(key: tuple):
    from ..models.tables import reported_fits

    return {reading: _logged(reported_fits, pair["binary"]) for reading, pair in _frames(key).items()}


def reported() -> dict:
    """Tables 4 and 5's two reported models (Firth logit, Jeffreys-penalised hazard) for each reading."""
    return _reported(_panel_key())


# --- the universes side by side (issue 20) -------------------------------------------------------------
#: the universes Tables 3-5 report, in their order, with the unit their clustered inference uses
UNIVERSES = ("cow_interstate", "coalition_2001", "pooled")
CLUSTER_UNIT = {"cow_interstate": "war", "coalition_2001": "contributor state",
                "pooled": "war (COW) and contributor state (2001)"}
#: the pooled models' universe effect: an indicator of the 2001 coalitions among the controls
UNIVERSE_EFFECT = "coalition_2001_universe"


def _authored_key() -> tuple:
    from ..panel.coalition2001 import FILES
    from ..paths import authored_dir

    out = []
    for name in FILES:
        path = authored_dir() / name
        st = path.stat() if path.is_file() else None
        out.append((name, st.st_mtime_ns if st else None, st.st_size if st else None))
    return tuple(out)


@cache
def _universe_panel(key: tuple, universe: str):
    import warnings

    from ..panel import build_panel

    if universe == "cow_interstate":
        return _panel(key[0])
    from .. import sources

    # parse_once: the 2001 and pooled panels read the same NMC, Polity5, BMR, majors and alliance files
    with warnings.catch_warnings(), sources.parse_once():
        warnings.simplefilter("ignore")  # NA counts: in the codebook; asserted in the tests
        panel = build_panel(universe=universe)
    if universe == "pooled":
        panel = panel.assign(**{UNIVERSE_EFFECT: panel["universe"].eq("coalition_2001")})
    return panel


def _ukey() -> tuple:
    return (_panel_key(), _authored_key())


def universe_panel(universe: str):
    """The panel of one universe: the default (processed) panel, the 2001 coalitions or the pooled panel
    (with the universe indicator ``coalition_2001_universe``)."""
    return _universe_panel(_ukey(), universe).copy()


def universe_controls(universe: str) -> list[str]:
    """The controls of every model: power share and major power, and in the pooled sample the universe
    effect (never pooled silently)."""
    from ..models.data import CONTROLS

    return list(CONTROLS) + ([UNIVERSE_EFFECT] if universe == "pooled" else [])


@cache
def _universe_frame(key: tuple, universe: str, systemic: str):
    from ..models import model_frame

    if universe == "cow_interstate":
        return _frame(key[0], systemic)
    return model_frame(_universe_panel(key, universe), systemic=systemic, controls=universe_controls(universe))


def universe_frame(universe: str, systemic: str = "systemic_favorable"):
    return _universe_frame(_ukey(), universe, systemic)


@cache
def _universe_fits(key: tuple, universe: str):
    from ..models import fit_all

    if universe == "cow_interstate":
        return _fits(key[0])
    return fit_all(_universe_frame(key, universe, "systemic_favorable"))


def universe_fits(universe: str) -> dict:
    return _universe_fits(_ukey(), universe)


@cache
def _universe_frames(key: tuple, universe: str):
    from ..models.tables import reading_frames

    if universe == "cow_interstate":
        return _frames(key[0])
    return reading_frames(_universe_panel(key, universe), controls=universe_controls(universe))


def universe_frames(universe: str) -> dict:
    return _universe_frames(_ukey(), universe)


@cache
def _universe_reported(key: tuple, universe: str):
    from ..models.tables import reported_fits

    if universe == "cow_interstate":
        return _reported(key[0])
    return {reading: reported_fits(pair["binary"]) for reading, pair in _universe_frames(key, universe).items()}


def universe_reported(universe: str) -> dict:
    return _universe_reported(_ukey(), universe)


def with_universe(frame, universe: str):
    """``frame`` with a leading ``universe`` column."""
    out = frame.copy()
    out.insert(0, "universe", universe)
    return out
