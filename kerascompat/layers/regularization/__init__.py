"""Regularization layers: Dropout."""

from .dropout import Dropout
