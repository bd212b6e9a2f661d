"""Wrapper: the base class of layers that wrap another layer (TimeDistributed, SpectralNormalization)."""

from ...engine.base_layer import Layer
from ...saving import serialization_lib as _lib


class Wrapper(Layer):
    """Abstract base of a layer that wraps `layer` and augments it. The wrapped layer is a
    sub-module (`self.layer`), so its weights are the wrapper's weights, in its own order.
    Subclasses implement `call`; `build` builds the wrapped layer with the given shape."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please ensure wrapped layer "
                "is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        self.layer.build_from_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "layer": _lib.serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = _lib.deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
