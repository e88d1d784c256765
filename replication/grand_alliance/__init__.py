"""Resnick (2013), *Hang Together or Hang Separately?*: the Grand Alliance replication.

- :mod:`.casefile`: the project's coding of the paper's evidence (``data/raw/grand_alliance_*.csv``)
- :mod:`.verdict`: the observed behaviour of a state-phase derived from the three coded
  cohesion indicators (two of three high = maximize); the paper's verdict is kept beside it
- :mod:`.theories`: neorealism, liberalism and neoclassical realism as prediction functions,
  and congruence scoring (Table 2)
- :mod:`.sensitivity`: the scores with each coded indicator flipped
- :mod:`.systemic`: losing (capability trend) and power symmetry measured from NMC
- :mod:`.table1`: the published Table 1 and its reproduction from NMC
- :mod:`.smalln`: Firth logit and exact permutation tests on the six cases
"""

US, UK, USSR = 2, 200, 365
ALLIES = {US: "USA", UK: "UKG", USSR: "RUS"}
STATE_NAMES = {"USA": "United States", "UKG": "Great Britain", "RUS": "Soviet Union"}
