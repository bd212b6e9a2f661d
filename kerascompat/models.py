"""`keras.models`: Model, Sequential, model_from_json and clone_model."""

import json

from .engine.input_layer import InputLayer
from .engine.model import Functional, Model, Sequential
from .engine import functional_config as _functional_config
from .saving import object_registration as _reg
from .saving import serialization_lib as _lib
from .saving.saving_api import load_model, save_model

_reg.export("keras", {"Model": Model, "Sequential": Sequential})
_reg.export("keras.models", {"Model": Model, "Sequential": Sequential})
# tf.keras writes a nested functional model as {"module": "keras.src.models.functional", "class_name": "Functional"}.
_reg.export("keras.src.models.functional", {"Functional": Functional})


def model_from_json(json_string, custom_objects=None):
    """A model (not compiled, weights freshly initialised) from the JSON of `model.to_json()`,
    tf.keras's included."""
    return _lib.deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)


def _clone_layer(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs):
    """A new model with the same architecture and new layers (new weights), as Keras's clone_model.

    `clone_function(layer)` makes each new layer (default: `layer.__class__.from_config(layer.get_config())`);
    `input_tensors` (Input tensors) replace the model's inputs."""
    for arg, value in (("call_function", call_function), ("recursive", recursive)):
        if value:
            raise NotImplementedError(f"clone_model: the Keras argument `{arg}` is not supported by kerascompat. "
                                      f"Received: `{arg}`={value!r}")
    if kwargs:
        raise ValueError(f"clone_model: unexpected keyword arguments. Received: `kwargs`={kwargs!r}")
    clone_function = clone_function or _clone_layer
    if isinstance(model, Sequential):
        layers = [clone_function(layer) for layer in model.layers]
        if input_tensors is not None:
            inputs = input_tensors if not isinstance(input_tensors, (list, tuple)) else list(input_tensors)
            if isinstance(inputs, list):
                if len(inputs) != 1:
                    raise ValueError("A Sequential model takes one input tensor. "
                                     f"Received: `input_tensors`={input_tensors!r}")
                inputs = inputs[0]
            layers = [inputs] + layers
        elif model._input_batch_shape is not None:
            layers = [InputLayer(batch_shape=model._input_batch_shape)] + layers
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        config = model.get_config()
        overrides = None
        if input_tensors is not None:
            flat = input_tensors if isinstance(input_tensors, (list, tuple)) else [input_tensors]
            names = [t._keras_history[0].name for t in model.inputs]
            if len(flat) != len(names):
                raise ValueError(f"clone_model: the model has {len(names)} inputs. "
                                 f"Received: `input_tensors`={input_tensors!r}")
            overrides = dict(zip(names, flat))

        def make_layer(layer_config):
            layer = model.get_layer(layer_config["name"])
            if isinstance(layer, InputLayer):
                return _clone_layer(layer)
            return clone_function(layer)

        inputs, outputs, _ = _functional_config.rebuild(config, make_layer, overrides)
        return Functional(inputs, outputs, name=model.name, trainable=model.trainable)
    if input_tensors is not None:
        raise ValueError("clone_model: `input_tensors` can only be given for a functional or Sequential model. "
                         f"Received a model of type {type(model).__name__}.")
    return clone_function(model)


__all__ = ["Functional", "Model", "Sequential", "clone_model", "load_model", "model_from_json", "save_model"]
