"""Quantitative research on wartime alliance cohesion.

Replicates Resnick (2013) "Hang Together or Hang Separately?" and Resnick (2015)
"I Will Follow", and extends the 2013 test to every coalition in the Correlates of
War inter-state war data.

The top-level package imports nothing heavy on purpose (tests/test_exhibits.py checks that
``import replication`` loads neither pandas nor statsmodels), so ``make help``, the exhibit
registry (:mod:`replication.exhibits`) and the command-line tools start fast; sub-packages such
as :mod:`replication.models` load their modules on first use. Import the sub-packages you need::

    from replication import sources
    nmc = sources.read_nmc("4.0")
"""

__version__ = "0.1.0"
