"""Checks that ``make venv`` runs with the interpreter that is about to build (or has built) .venv.

Run by the Makefile with the *system* interpreter (``$(PYTHON)``) before the package or its
dependencies exist, so this file uses the standard library only and runs on any Python 3
(no ``tomllib``, which is 3.11+: the point is to say clearly that 3.10 is too old, not to fail
on an import):

    python3 replication/_venv_check.py python            # exit 1 with a message if python3 is too old
    python3 replication/_venv_check.py stale .venv [--python]   # prints why .venv must be rebuilt, or nothing

``stale`` reports a .venv whose ``pyvenv.cfg`` names a Python older than pyproject's
``requires-python`` (a failed ``make venv`` with Python 3.10 leaves such a folder behind), and, with
``--python``, one built by another interpreter or Python version than the one running the check
(``make venv PYTHON=python3.12`` over a 3.11 .venv).
"""

from __future__ import annotations

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYPROJECT = os.path.join(os.path.dirname(HERE), "pyproject.toml")


def required_version(pyproject: str = PYPROJECT) -> tuple:
    """The minimum version in pyproject's ``requires-python = ">=X.Y"`` as a tuple of ints."""
    with open(pyproject, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'^requires-python\s*=\s*"\s*>=\s*([0-9.]+)\s*"', text, flags=re.M)
    if m is None:
        raise SystemExit(f"error: {pyproject} has no requires-python = \">=X.Y\" line")
    return tuple(int(p) for p in m.group(1).split("."))


def _dotted(version) -> str:
    return ".".join(str(p) for p in version)


def python_problem(version=None, executable: str | None = None, required=None) -> str | None:
    """Why ``version`` (default: this interpreter's) cannot build .venv, or None."""
    version = tuple(sys.version_info[:3]) if version is None else tuple(version)
    executable = executable or sys.executable
    required = required_version() if required is None else tuple(required)
    if version[:len(required)] >= required:
        return None
    return (f"error: this project needs Python >= {_dotted(required)} (requires-python in pyproject.toml), but "
            f"{executable} is Python {_dotted(version)}. Install Python {_dotted(required)} or newer and run "
            f"`make venv PYTHON=/path/to/python{_dotted(required[:2])}` (or put it first on PATH as python3).")


def venv_config(venv: str) -> dict:
    """``pyvenv.cfg`` of ``venv`` as a dict (empty if there is none)."""
    cfg = os.path.join(venv, "pyvenv.cfg")
    out = {}
    if os.path.isfile(cfg):
        with open(cfg, encoding="utf-8") as f:
            for line in f:
                key, sep, value = line.partition("=")
                if sep:
                    out[key.strip()] = value.strip()
    return out


def venv_problem(venv: str, *, compare_interpreter: bool = False, required=None) -> str | None:
    """Why the existing ``venv`` must be rebuilt, or None (also None when there is no venv)."""
    cfg = venv_config(venv)
    if not cfg:
        return None
    required = required_version() if required is None else tuple(required)
    # "version" is written by the venv module, "version_info" by newer ones and by virtualenv.
    built = cfg.get("version") or cfg.get("version_info") or ""
    try:
        built_version = tuple(int(p) for p in re.findall(r"\d+", built)[:3])
    except ValueError:
        built_version = ()
    if not built_version:
        return f"{venv} has no Python version in its pyvenv.cfg"
    python = os.path.join(venv, "bin", "python")
    if os.path.lexists(python) and not os.path.exists(python):
        # a dangling link: the interpreter it was built from was removed or upgraded away
        return f"{venv}'s interpreter {os.path.realpath(python)} no longer exists"
    if built_version[:len(required)] < required:
        return (f"{venv} was built by Python {_dotted(built_version)}, older than the {_dotted(required)} this "
                f"project needs (a failed make venv leaves it behind)")
    if compare_interpreter:
        here = tuple(sys.version_info[:3])
        if built_version[:2] != here[:2]:
            return f"{venv} was built by Python {_dotted(built_version)}, not by {sys.executable} (Python {_dotted(here)})"
        home = cfg.get("home")
        if home and os.path.realpath(home) != os.path.realpath(os.path.dirname(sys.executable)):
            # pyvenv.cfg's home is the folder of the interpreter that created the venv
            return f"{venv} was built by the Python in {home}, not by {sys.executable}"
    return None


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["python"]:
        problem = python_problem()
        if problem:
            print(problem, file=sys.stderr)
            return 1
        return 0
    if argv[:1] == ["stale"] and len(argv) >= 2:
        problem = venv_problem(argv[1], compare_interpreter="--python" in argv[2:])
        if problem:
            print(problem)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
