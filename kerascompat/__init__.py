"""kerascompat: Keras's API on PyTorch.

    import kerascompat as keras            # or: from kerascompat import keras
    from kerascompat import layers

Every layer is a torch.nn.Module holding real torch modules with torch-native
parameters; names, arguments, defaults, shapes and layouts are Keras's.
"""

import sys as _sys

from . import (activations, backend, callbacks, config, constraints, initializers, layers, losses, metrics, models,
               ops, optimizers, random, regularizers, saving, tree, utils)
from .engine.input_layer import Input, InputLayer
from .engine.input_spec import InputSpec
from .engine.model import Model, Sequential
from .ops.symbolic import KerasTensor
from .layers import Layer

__version__ = "0.1.0"

# `from kerascompat import keras` gives this package itself, so `keras.layers.Dense` and
# `from kerascompat.keras.layers import Dense` resolve to the same objects.
keras = _sys.modules[__name__]
_sys.modules[__name__ + ".keras"] = keras
for _name in ("activations", "backend", "callbacks", "config", "constraints", "initializers", "layers", "losses",
              "metrics", "models", "ops", "optimizers", "random", "regularizers", "saving", "tree", "utils"):
    _sys.modules[f"{__name__}.keras.{_name}"] = _sys.modules[f"{__name__}.{_name}"]
for _name in ("core", "image", "linalg", "math", "nn"):
    if f"{__name__}.ops.{_name}" in _sys.modules:
        _sys.modules[f"{__name__}.keras.ops.{_name}"] = _sys.modules[f"{__name__}.ops.{_name}"]

__all__ = [
    "Input",
    "InputLayer",
    "KerasTensor",
    "InputSpec",
    "Layer",
    "Model",
    "Sequential",
    "activations",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "initializers",
    "keras",
    "layers",
    "losses",
    "metrics",
    "models",
    "ops",
    "optimizers",
    "random",
    "regularizers",
    "saving",
    "tree",
    "utils",
]
_sys.modules[f"{__name__}.keras.optimizers.schedules"] = optimizers.schedules
