"""Utilities: data loading, and a check for training loops that diverge."""

from . import data
from .training import TrainingDiverged, check_finite

__all__ = ["TrainingDiverged", "check_finite", "data"]
