"""Benchmarks for ``make bench``, printed as ratios measured in one run.

Wall-clock seconds depend on the machine; ratios against a baseline measured in the
same run (here: one Python process that only imports the exhibits' dependencies)
say whether the pipeline itself is lean. The exhibits are built in one Python process (one
import); what remains above the imports is computation, whose CPU time the bench reports, so a
missed goal shows its floor on this machine's cores.
"""

from __future__ import annotations

import itertools
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

from .paths import PROJECT_ROOT

DEPENDENCIES = ["pandas", "numpy", "scipy.stats", "matplotlib.pyplot", "pandera.pandas", "firthmodels"]


def _time(cmd: list[str], repeat: int = 3, **kw) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, **kw)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def _scaled_war(factor: int):
    """The COW war list repeated ``factor`` times with distinct war numbers (for a scaling check)."""
    import pandas as pd

    from .sources import read_interstate_war

    war = read_interstate_war()
    copies = [war.assign(war_num=war["war_num"] + k * 1000) for k in range(factor)]
    return war, pd.concat(copies, ignore_index=True)


def _goal(seconds: float, goal: float) -> str:
    return f"goal <= {goal:g} s met" if seconds <= goal else f"goal <= {goal:g} s missed by {seconds - goal:.2f} s"


def _seconds(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    import warnings

    import resource

    from .exhibits import EXHIBITS

    imports = _time([sys.executable, "-c", "import " + ", ".join(DEPENDENCIES)])
    # The build line is named "from a built panel": make the panel first, untimed (make bench does not
    # depend on it, and after any code change it is stale, so the timed build used to rebuild it too).
    subprocess.run(["make", "-s", "panel"], check=True, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL)
    expected = [e.name for e in EXHIBITS if e.group in ("tables", "figures")]
    with tempfile.TemporaryDirectory() as tmp:
        # A fresh results folder: every table and figure is built, from the panel in data/processed.
        load = os.getloadavg()[0]
        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        out = subprocess.run(["make", "-s", "tables", "figures", f"RESULTS={tmp}"], check=True, cwd=PROJECT_ROOT,
                             stdout=subprocess.PIPE, text=True)
        build = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        # each exhibit's own line (replication.stage): what the build spent in the exhibits themselves
        built = {name: float(sec) for name, sec in re.findall(r"^(\w+) +([\d.]+) s(?:  \(.*\))?$", out.stdout, flags=re.M)}
        noop = _time(["make", "-s", "tables", "figures", f"RESULTS={tmp}"])
    if sorted(built) != sorted(expected):
        raise SystemExit(f"bench: make tables figures built {sorted(built)}, not the {len(expected)} table and figure "
                         f"exhibits of the registry: the timing would not be what it names")
    in_exhibits = sum(built.values())
    goal = 4 * imports
    cores = os.cpu_count() or 1
    print(f"machine load before the build (1-minute average): {load:.1f} on {cores} cores"
          + (" -- the machine is busy: every time below is inflated" if load > 0.5 * cores else ""))
    print(f"bare imports of the exhibits' dependencies, one process: {imports:7.2f} s  (median of 3)")
    print(f"make tables figures from a built panel ({len(built)} exhibits, one process): {build:7.2f} s wall = "
          f"{in_exhibits:.1f} s in the exhibits (their own lines) + {build - in_exhibits:.1f} s make, interpreter "
          f"start-up and imports")
    print(f"  ratio {build / imports:.1f}x bare imports; "
          + ("goal <= 4x met" if build <= goal else
             f"goal <= 4x ({goal:.1f} s) missed by {build - goal:.1f} s: the exhibits use {cpu:.1f} s of CPU "
             f"(bootstraps, power simulation, multiverse, leave-one-out fits), so {cores} cores need at least "
             f"{cpu / cores:.1f} s = {cpu / cores / imports:.1f}x"))
    print(f"no-op make tables figures (nothing stale):                {noop:7.2f} s  "
          f"ratio {noop / imports:.3f}x bare imports; goal < 0.5 s {'met' if noop < 0.5 else 'missed'}")

    from .models import logit, model_frame
    from .models.effects import ml_cluster_bootstrap
    from .panel import build_panel
    from .robustness import CHOICES, run_multiverse

    warnings.simplefilter("ignore")
    war, war100 = _scaled_war(100)
    real = _seconds(lambda: build_panel(war=war, validate=False))
    scaled = _seconds(lambda: build_panel(war=war100, validate=False))
    print(f"panel build, real war list ({len(war)} rows):                {real:7.2f} s")
    print(f"panel build, war list x100 ({len(war100)} rows):          {scaled:7.2f} s  "
          f"ratio {scaled / real:.1f}x (linear scaling would be at most 100x)")

    frame = model_frame(build_panel())
    # the ML fit as fitted (its refit attached, as before the on_separation option) and the ML bootstrap itself
    result = logit(frame, on_separation="record")
    one = _seconds(lambda: logit(frame, on_separation="record"))
    ml_cluster_bootstrap(result, frame, reps=20)  # first call pays imports
    boot = _seconds(lambda: ml_cluster_bootstrap(result, frame, reps=2000))
    print(f"2,000 war-cluster bootstrap replicates (batched Newton):  {boot:7.2f} s  "
          f"ratio {boot / one:.0f}x one clustered logit fit ({one * 1000:.0f} ms); {_goal(boot, 1.0)}")
    broad = model_frame(build_panel(), outcome="defected_broad")
    boot_broad = _seconds(lambda: ml_cluster_bootstrap(logit(broad), broad, reps=2000))
    print(f"  same, defected_broad (ML finite, ~46% of resamples separated): {boot_broad:.2f} s  "
          f"({_goal(boot_broad, 1.0)}: the Konis LP still runs on the separated resamples no cached verdict covers)")

    from .models.fewclusters import wild_p

    # The first call pays numba's compilation of pyfixest's bootstrap kernels; both are shown.
    wild_first = _seconds(lambda: wild_p(frame, reps=2000))
    wild = _seconds(lambda: wild_p(frame, reps=2000, seed=1))
    print(f"2,000-replicate wild cluster bootstrap (pyfixest, Webb):  {wild:7.2f} s  (goal <= 5 s; first call, "
          f"with JIT compilation: {wild_first:.2f} s)")

    # The reported model's resampling (Tables 4-5): its war bootstrap and the power simulation of its test,
    # on the COW universe's primary reading, as the tables run them.
    from .models.effects import penalised_cluster_bootstrap
    from .models.power import power_curve
    from .models.tables import BOOTSTRAP_REPS, POWER_GRID, POWER_REPS, reading_frames, reported_fits

    primary = reading_frames(build_panel())["defeat_unites"]["binary"]
    firth = reported_fits(primary)[0]
    pboot = _seconds(lambda: penalised_cluster_bootstrap(firth, primary, reps=BOOTSTRAP_REPS))
    print(f"{BOOTSTRAP_REPS:,} war-cluster bootstrap replicates of the reported Firth logit (batched penalised "
          f"Newton): {pboot:7.2f} s  {_goal(pboot, 1.0)}")
    power = _seconds(lambda: power_curve(primary, POWER_GRID, reps=POWER_REPS))
    print(f"power simulation of the reported test ({len(POWER_GRID)} effect sizes x {POWER_REPS} data sets, each "
          f"refitted by Firth):  {power:7.2f} s  {_goal(power, 2.0)}")

    _penalised_bench(frame)

    specs = []
    two = _seconds(lambda: specs.append(run_multiverse(n_jobs=2)))
    single = _seconds(lambda: run_multiverse(n_jobs=1))
    n_specs = len(list(itertools.product(*CHOICES.values())))
    distinct, codings = int(specs[0]["distinct"].sum()), int(specs[0]["distinct_coding"].sum())
    print(f"multiverse, {n_specs:,} specifications ({distinct:,} distinct, {codings:,} distinct codings), 2 cores: "
          f"{two:7.2f} s  {_goal(two, 10.0)} (goal for >= 1,000 distinct)")
    print(f"multiverse, 1 core:                                       {single:7.2f} s  "
          f"ratio {single / two:.2f}x (speed-up from the second core)")
    return 0


PENALISED_SETS, FIRTHMODELS_SUBSET = 7200, 200


def _penalised_bench(frame) -> None:
    """The batched Jeffreys-penalised solver on 7,200 outcome sets simulated on the panel's designs
    (the hazard's cloglog with its offset; the pooled logit), against firthmodels fitting one model
    per call (a loop over a subset, scaled to the whole batch)."""
    import warnings

    import numpy as np
    from firthmodels import FirthLogisticRegression
    from patsy import dmatrices

    from .models.estimators import formula_for
    from .models.penalised import inverse_link, penalised_fit, penalised_newton

    controls = frame.attrs.get("controls", True)
    rng = np.random.default_rng(20131101)
    offset = frame["log_exposure"].to_numpy(dtype=float)
    timings = {}
    for link, duration in (("cloglog", True), ("logit", False)):
        y, X = dmatrices(formula_for("interaction", duration=duration, controls=controls), frame)
        X, y = np.asarray(X), np.asarray(y).ravel()
        off = offset if link == "cloglog" else None
        fit = penalised_fit(X, y, link=link, offset=off)
        mu = inverse_link(X @ fit.coef + (0.0 if off is None else off), link)
        Y = (rng.uniform(size=(PENALISED_SETS, len(y))) < mu).astype(float)
        ones = np.ones_like(Y)
        batch = []
        timings[link] = _seconds(lambda: batch.append(penalised_newton(X, Y, ones, link=link, offset=off)))
        unconverged = int((~batch[0].converged).sum())
        if link == "logit":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                loop = _seconds(lambda: [FirthLogisticRegression(fit_intercept=False, gtol=1e-8, xtol=1e-8,
                                                                 max_iter=200).fit(X, Y[b])
                                         for b in range(FIRTHMODELS_SUBSET)])
            per_fit = loop / FIRTHMODELS_SUBSET
            print(f"{PENALISED_SETS:,} Firth logit refits, batched (pooled design, k = {X.shape[1]}):   "
                  f"{timings[link]:7.2f} s  ({unconverged} unconverged); firthmodels one fit per call "
                  f"({per_fit * 1000:.1f} ms a fit over {FIRTHMODELS_SUBSET}) would take "
                  f"{per_fit * PENALISED_SETS:.1f} s: ratio {timings[link] / (per_fit * PENALISED_SETS):.2f}x")
        else:
            print(f"{PENALISED_SETS:,} Jeffreys-penalised cloglog refits, batched (hazard design with offset, "
                  f"k = {X.shape[1]}): {timings[link]:7.2f} s  ({unconverged} unconverged; no library fits this "
                  "model to compare with)")


if __name__ == "__main__":
    sys.exit(main())
