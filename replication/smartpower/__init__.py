"""Resnick (2015), *I Will Follow*: smart power in wartime alliance management.

Three steps, each a function:

1. :func:`soft_power_score`: the alliance leader's wartime soft power towards a partner,
   on the paper's scale from -1 (repulsion) to +1 (attraction), from the threat the
   adversary poses to the partner, the leader's military power relative to the
   adversary (:func:`power_index` of the NMC capability ratio) and the voice opportunities it offers.
2. :func:`recommended_strategy`: Figure 1's hard-power strategy for that soft power and
   the partner's preference alignment.
3. :func:`diagnose_from_strategies`: Table 1's type of leadership failure, computed from the
   strategy the leader used against the one Figure 1 recommends (:func:`diagnose_failure` is
   the typology itself, from the use of hard and soft power).

Classify a new case in three lines::

    from replication.smartpower import soft_power_score, recommended_strategy
    score = soft_power_score(threat="high", relative_power=0.9, voice="limited")
    recommended_strategy(score, alignment="diverging")        # 'conditional_bolstering'

References
----------
Resnick, Evan N. 2015. "I Will Follow: Smart Power and the Management of Wartime
Alliances." *Journal of Strategic Studies* 38(3): 383-409.
Nye, Joseph S. 2011. *The Future of Power*. New York: Public Affairs.
"""

from __future__ import annotations

from .model import (COERCIVENESS, FAILURES, STRATEGIES, THREAT_LEVELS, VOICE_LEVELS, Weights, Zones,
                    diagnose_failure, diagnose_from_strategies, hard_power_use_from_strategies, recommended_strategy,
                    soft_power_score)
from .cases import classify_cases, cinc_ratio, confusion, power_index, read_cases, relative_power

__all__ = ["soft_power_score", "recommended_strategy", "diagnose_failure", "diagnose_from_strategies",
           "hard_power_use_from_strategies", "relative_power", "cinc_ratio", "power_index", "read_cases",
           "classify_cases", "confusion", "Weights", "Zones", "STRATEGIES", "FAILURES",
           "THREAT_LEVELS", "VOICE_LEVELS", "COERCIVENESS"]
