"""Lambda."""

from ... import _tree
from ...engine.base_layer import Layer
from ...saving import serialization_lib as _lib


class Lambda(Layer):
    """Wraps a function of torch tensors as a layer: `Lambda(lambda x: x * 2)`.

    `output_shape` (a tuple without the batch axis, or a function of the input shape) is
    used for symbolic shapes; without it the function is run once on zeros to find it.
    `arguments` are passed to the function as keyword arguments.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"The `function` argument of Lambda must be callable. Received: {function!r}")
        if mask is not None:
            raise NotImplementedError("Lambda: the Keras argument `mask` is not supported by kerascompat.")
        self.function = function
        self._output_shape = output_shape
        self.arguments = dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            out = self._output_shape(input_shape)
            return tuple(out) if _tree.is_shape(out) else out
        # `output_shape` excludes the batch axis (a shape or a structure of shapes); the batch
        # size is the first input's, as in Keras.
        batch = _tree.flatten_shapes(input_shape)[0][:1]
        return _tree.map_shapes(lambda shape: batch + shape, self._output_shape)

    def get_config(self):
        """Keras's Lambda config: a Python lambda is stored as bytecode (`__lambda__`), which only
        loads with `safe_mode=False`; a named function is stored by name (register it, or pass it
        in `custom_objects`, to load it)."""
        config = {**super().get_config(), "function": _function_config(self.function)}
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _function_config(shape) if callable(shape) else shape
        config["arguments"] = _lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        config["function"] = _function_from_config(config["function"], custom_objects, safe_mode)
        if callable(config.get("output_shape")) or isinstance(config.get("output_shape"), dict):
            config["output_shape"] = _function_from_config(config["output_shape"], custom_objects, safe_mode)
        elif isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        if "arguments" in config:
            config["arguments"] = _lib.deserialize_keras_object(config["arguments"], custom_objects=custom_objects)
        return cls(**config)


def _function_config(fn):
    if _lib.is_lambda(fn):
        code, defaults, closure = _lib.func_dump(fn)
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": defaults, "closure": closure}}
    return _lib.serialize_keras_object(fn)


def _function_from_config(config, custom_objects, safe_mode):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        _lib.check_lambda_allowed(safe_mode, "a `Lambda` layer whose `function` is a Python lambda")
        inner = config["config"]
        if "value" in inner:
            return _lib.func_load(inner["value"])
        return _lib.func_load(inner["code"], inner.get("defaults"), inner.get("closure"))
    return _lib.deserialize_keras_object(config, custom_objects=custom_objects)
