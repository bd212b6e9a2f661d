"""Keras losses on torch tensors: functions returning one loss per sample and classes reducing
them as Keras does (`base`), and the focal, Dice and Tversky losses (`segmentation`)."""

from . import segmentation as _segmentation
from .base import *  # noqa: F401,F403  (the names listed in base.__all__)
from .base import EPSILON, __all__ as _base_all  # noqa: F401
from .segmentation import (BinaryFocalCrossentropy, CategoricalFocalCrossentropy, Dice, Tversky,  # noqa: F401
                           binary_focal_crossentropy, categorical_focal_crossentropy, dice, tversky)

__all__ = sorted(set(_base_all) | set(_segmentation.CLASSES) | set(_segmentation.FUNCTIONS))
