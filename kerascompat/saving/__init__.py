"""`keras.saving`: the object registry and Keras's config serialization."""

from .object_registration import (CustomObjectScope, custom_object_scope, get_custom_objects,
                                  get_registered_name, get_registered_object, register_keras_serializable)
from .serialization_lib import deserialize_keras_object, enable_unsafe_deserialization, serialize_keras_object
from .saving_api import load_model, load_weights, save_model, save_weights

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "enable_unsafe_deserialization",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]
