"""The smart-power framework as functions (Resnick 2015). Pure Python: no data needed."""

from __future__ import annotations

from dataclasses import dataclass

#: Ordinal threat codes read from the paper's text, on [-1, 1]. "aligned_with_adversary":
#: the adversary is the partner's friend, so the partner leans to the other side (the
#: paper: a state repulsed by the leader "will be at least somewhat attracted to the
#: alliance leader's adversary").
THREAT_LEVELS = {"aligned_with_adversary": -1.0, "none": 0.0, "low": 0.25, "moderate": 0.5, "high": 0.75,
                 "grave": 1.0}
#: Voice opportunities the leader offers the partner, on [-1, 1].
VOICE_LEVELS = {"none": -1.0, "limited": 0.0, "extensive": 1.0}

STRATEGIES = ("coercive_enticement", "coercion_and_bribery", "side_payment_bribery",
              "side_payment_and_conditional_bolstering", "conditional_bolstering", "unconditional_bolstering")
#: Figure 1's order, most coercive first (higher = more coercive); "none" = no hard power used.
COERCIVENESS = {"none": 0, "unconditional_bolstering": 1, "conditional_bolstering": 2,
                "side_payment_and_conditional_bolstering": 2.5, "side_payment_bribery": 3,
                "coercion_and_bribery": 4, "coercive_enticement": 5}
FAILURES = ("malign_neglect", "heavy_handedness", "light_handedness")


@dataclass(frozen=True)
class Weights:
    """Weights of the three sources of wartime soft power; they must sum to 1 so the score stays in [-1, 1].

    The defaults follow the paper's ranking: threat is "the more important" of the two
    material sources, the leader's power second, and voice a "subsidiary" source,
    "considerably weaker than the previous two". The paper gives no numbers; 0.5, 0.35
    and 0.15 are this package's choice, and the cases table shows what changes under
    equal weights.
    """

    threat: float = 0.5
    power: float = 0.35
    voice: float = 0.15

    def __post_init__(self):
        if min(self.threat, self.power, self.voice) < 0 or abs(self.threat + self.power + self.voice - 1) > 1e-9:
            raise ValueError(f"weights must be non-negative and sum to 1, got {self}")


@dataclass(frozen=True)
class Zones:
    """Boundaries of Figure 1's regions on the soft-power axis (the figure is qualitative;
    these defaults are this package's choice).

    ``coercive_max``: at or below, coercive enticement (strong repulsion).
    Between that and ``-indifference``: mixed coercion and bribery (n. 33: "between -1 and 0").
    Within +/- ``indifference``: side-payment bribery (indifference).
    Above ``indifference`` up to ``weak_max`` with diverging preferences: side payments plus
    conditional bolstering for weakly motivated partners (n. 40).
    Above that: conditional bolstering (diverging preferences) or unconditional bolstering (shared).
    """

    coercive_max: float = -0.5
    indifference: float = 0.25
    weak_max: float = 0.35


def _level(value, table: dict, what: str) -> float:
    if isinstance(value, str):
        if value not in table:
            raise ValueError(f"{what} must be one of {list(table)} or a number in [-1, 1], got {value!r}")
        return table[value]
    value = float(value)
    if not -1 <= value <= 1:
        raise ValueError(f"{what} must be in [-1, 1], got {value}")
    return value


def soft_power_score(threat, relative_power: float, voice, weights: Weights = Weights()) -> float:
    """The leader's wartime soft power towards a partner, in [-1, 1].

    score = w_threat * threat + w_power * (2 * relative_power - 1) * max(threat, 0) + w_voice * voice

    ``threat`` and ``voice`` are codes from :data:`THREAT_LEVELS` / :data:`VOICE_LEVELS`
    or numbers in [-1, 1]; ``relative_power`` is the leader's share of leader plus adversary
    capability, in [0, 1]. The leader's power attracts only in proportion to the threat the
    partner faces: a powerful leader is no draw to a state the adversary does not threaten
    (the paper's USSR example: soft power towards a bitter adversary arises "only ... if the
    shared threat is immense and the state's war-winning power is substantial").
    """
    t = _level(threat, THREAT_LEVELS, "threat")
    v = _level(voice, VOICE_LEVELS, "voice")
    if not 0 <= relative_power <= 1:
        raise ValueError(f"relative_power must be in [0, 1], got {relative_power}")
    score = weights.threat * t + weights.power * (2 * relative_power - 1) * max(t, 0.0) + weights.voice * v
    return max(-1.0, min(1.0, score))


def recommended_strategy(soft_power: float, alignment: str | None = None, zones: Zones = Zones()) -> str:
    """Figure 1: the hard-power strategy that fits a leader's soft power towards a partner.

    ``alignment`` ("shared" or "diverging" preferences on the conduct and aims of the war)
    matters only for attraction, where it separates conditional from unconditional bolstering.
    """
    if soft_power <= zones.coercive_max:
        return "coercive_enticement"
    if soft_power < -zones.indifference:
        return "coercion_and_bribery"
    if soft_power <= zones.indifference:
        return "side_payment_bribery"
    if alignment not in ("shared", "diverging"):
        raise ValueError(f"with positive soft power, alignment must be 'shared' or 'diverging', got {alignment!r}")
    if alignment == "shared":
        return "unconditional_bolstering"
    if soft_power <= zones.weak_max:
        return "side_payment_and_conditional_bolstering"
    return "conditional_bolstering"


def diagnose_failure(hard_power: str, soft_power: str) -> str | None:
    """Table 1 (2015): the type of alliance-leadership failure.

    ``hard_power``: "insufficient" (possessed but insufficiently exploited), "appropriate" or
    "excessive" (deployed in excess). ``soft_power``: "insufficient" (possessed but
    insufficiently exploited), "appropriate" or "overestimated".

    Returns "malign_neglect", "heavy_handedness", "light_handedness", None when both are
    appropriate, or "unclassified" for a combination Table 1 does not name.
    """
    valid_hard, valid_soft = ("insufficient", "appropriate", "excessive"), ("insufficient", "appropriate",
                                                                              "overestimated")
    if hard_power not in valid_hard or soft_power not in valid_soft:
        raise ValueError(f"hard_power must be one of {valid_hard} and soft_power one of {valid_soft}; "
                         f"got {hard_power!r}, {soft_power!r}")
    table = {("insufficient", "insufficient"): "malign_neglect",
             ("excessive", "insufficient"): "heavy_handedness",
             ("insufficient", "overestimated"): "light_handedness",
             ("appropriate", "appropriate"): None}
    return table.get((hard_power, soft_power), "unclassified")


#: strategies that presuppose positive soft power (the partner is attracted to the leader)
BOLSTERING = ("unconditional_bolstering", "conditional_bolstering", "side_payment_and_conditional_bolstering")


def diagnose_from_strategies(observed: str, recommended: str) -> str | None:
    """Table 1's failure type computed from what the leader did against what Figure 1 recommends.

    Strict matching: only the identical strategy is a match (no failure, None). Otherwise,
    by the coerciveness order of Figure 1 (:data:`COERCIVENESS`):

    - more coercive than recommended: **heavy_handedness** (hard power "deployed in excess",
      the leader's soft power "insufficiently exploited");
    - no hard power at all where Figure 1 recommends bolstering, i.e. where the leader holds
      positive soft power: **malign_neglect** (both "in possession but insufficiently exploited");
    - any other shortfall (less coercive than recommended, or nothing where inducements or
      coercion are needed): **light_handedness** (soft power "overestimated", hard power
      insufficiently exploited).

    This sees the *type* of strategy only. A recommended strategy applied too stringently or
    too abruptly (the paper's heavy-handedness of 1945, whose strategy, conditional bolstering,
    was the right one) is a match here; the cases table shows where this and the paper differ.
    """
    for name, value in (("observed", observed), ("recommended", recommended)):
        if value not in COERCIVENESS:
            raise ValueError(f"{name} strategy must be one of {list(COERCIVENESS)}, got {value!r}")
    if recommended == "none":
        raise ValueError("recommended strategy cannot be 'none': Figure 1 always recommends a strategy")
    if observed == recommended:
        return None
    if COERCIVENESS[observed] > COERCIVENESS[recommended]:
        return "heavy_handedness"
    if observed == "none" and recommended in BOLSTERING:
        return "malign_neglect"
    return "light_handedness"


def hard_power_use_from_strategies(observed: str, recommended: str) -> str:
    """Compare the coerciveness of what the leader did with what Figure 1 recommends.

    This sees the *type* of strategy only: a recommended strategy applied too stringently
    (the heavy-handedness of 1945) looks "appropriate" here.
    """
    o, r = COERCIVENESS[observed], COERCIVENESS[recommended]
    if observed == "none" or o < r:
        return "insufficient"
    return "excessive" if o > r else "appropriate"
