"""A few of keras.utils's helpers."""

import numpy as np

from ._progbar import Progbar

from .saving import (CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
                     get_registered_name, get_registered_object, register_keras_serializable,
                     serialize_keras_object)


def to_categorical(x, num_classes=None):
    """One-hot encode integer class labels (as keras.utils.to_categorical)."""
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(x.max()) + 1
    out = np.zeros((x.shape[0], num_classes), dtype="float32")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(shape + (num_classes,))


__all__ = [
    "CustomObjectScope",
    "Progbar",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "register_keras_serializable",
    "serialize_keras_object",
    "to_categorical",
]
