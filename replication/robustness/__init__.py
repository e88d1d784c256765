"""Robustness: the multiverse of defensible coding choices and influence of single wars and states."""

from .influence import influence
from .multiverse import CHOICES, run_multiverse, second_difference

__all__ = ["run_multiverse", "second_difference", "influence", "CHOICES"]
