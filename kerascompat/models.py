"""`keras.models`: Model, Sequential, and the config functions (model_from_config / _json, clone_model)."""

from .engine.model import Functional, Model, Sequential
from .saving import object_registration as _reg

_reg.export("keras", {"Model": Model, "Sequential": Sequential})
_reg.export("keras.models", {"Model": Model, "Sequential": Sequential})
# tf.keras writes a nested functional model as {"module": "keras.src.models.functional", "class_name": "Functional"}.
_reg.export("keras.src.models.functional", {"Functional": Functional})

__all__ = ["Functional", "Model", "Sequential"]
