"""Quantitative research on wartime alliance cohesion.

Replicates Resnick (2013) "Hang Together or Hang Separately?" and Resnick (2015)
"I Will Follow", and extends the 2013 test to every coalition in the Correlates of
War inter-state war data.

The top-level package imports nothing heavy on purpose: every exhibit runs in its
own Python process (one program per exhibit), so each pays only for the modules it
actually uses. Import the sub-packages you need::

    from replication import sources
    nmc = sources.read_nmc("4.0")
"""

__version__ = "0.1.0"
