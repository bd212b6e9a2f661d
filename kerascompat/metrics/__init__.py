"""Stateful Keras metrics on torch tensors (`base`: Metric, Mean, the accuracies, Precision,
Recall, AUC; `more`: the loss-based metrics, confusion counts, R2Score, F1Score ...)."""

from . import more as _more
from .base import *  # noqa: F401,F403  (the names listed in base.__all__)
from .base import _FUNCTIONS, __all__ as _base_all, register  # noqa: F401
from .more import (Accuracy, BinaryCrossentropy, CategoricalCrossentropy, CategoricalHinge,  # noqa: F401
                   CosineSimilarity, F1Score, FalseNegatives, FalsePositives, FBetaScore, Hinge, KLDivergence,
                   LogCoshError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, Poisson, R2Score,
                   RootMeanSquaredError, SparseCategoricalCrossentropy, SquaredHinge, Sum, TrueNegatives,
                   TruePositives)

register(_more.CLASSES, _more.BY_NAME)
globals().update(_more.FUNCTIONS)

__all__ = sorted(set(_base_all) | set(_more.CLASSES) | set(_more.FUNCTIONS))
