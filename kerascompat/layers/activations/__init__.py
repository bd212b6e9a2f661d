"""Activation layers: Activation."""

from .activation import Activation
