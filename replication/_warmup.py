"""``python -m replication._warmup``: compile firthmodels' numba kernels once, when ``make venv``
builds the environment.

firthmodels compiles its kernels on first use and caches them on disk (numba ``cache=True``, in
the installed package's ``__pycache__``). On a new environment that first use costs about 20 s,
and it fell inside whichever exhibit or test ran Firth first (Table 2's small-N inference: 22.6 s
the first time, 1.7 s after). Fitting a small Firth model here, with its LR tests, profile CIs and
the separation check, moves that one-off cost into the environment's set-up.
"""

from __future__ import annotations

import sys
import time
import warnings


def main() -> int:
    import numpy as np
    from firthmodels import FirthLogisticRegression, detect_separation

    started = time.perf_counter()
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(40), rng.normal(size=40), rng.integers(0, 2, 40)])
    y = (rng.uniform(size=40) < 0.3).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for options in ({}, {"gtol": 1e-8, "xtol": 1e-8}):
            fit = FirthLogisticRegression(fit_intercept=False, max_iter=200, **options).fit(X, y)
            fit.lrt()
            fit.conf_int(method="pl")
        FirthLogisticRegression().fit(X[:, 1:], y)  # the intercept-fitting variant
        detect_separation(X, y, fit_intercept=False)
    print(f"numba kernels of firthmodels compiled and cached ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
