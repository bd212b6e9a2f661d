"""`keras.models`: Model, Sequential."""

from .engine.model import Functional, Model, Sequential

__all__ = ["Functional", "Model", "Sequential"]
