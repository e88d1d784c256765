"""Lazy public names: a package lists which of its modules defines each name, and the module is
imported on first use (so ``import replication`` does not import statsmodels)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_attributes(package: str, table: dict[str, str]) -> tuple[Callable, Callable]:
    """(``__getattr__``, ``__dir__``) for ``package``: ``table`` maps a public name to the submodule
    (relative to ``package``) that defines it; the value is cached in the package once loaded."""

    def __getattr__(name: str):
        if name in table:
            value = getattr(importlib.import_module(f"{package}.{table[name]}"), name)
            setattr(sys.modules[package], name, value)
            return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted([*vars(sys.modules[package]), *table])

    return __getattr__, __dir__
