"""Pipeline: a sequence of (preprocessing) layers applied one after the other."""

from ...engine.base_layer import Layer
from ...saving import serialization_lib as _lib


class Pipeline(Layer):
    """Applies `layers` in order, passing `training` (and masks) to those that take them; unlike
    Sequential it is a layer, not a model, and accepts any callable layers."""

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = list(layers)

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=None, mask=None):
        outputs = inputs
        for layer in self._pipeline_layers:
            kwargs = {}
            if getattr(layer, "_call_has_mask", False) and mask is not None:
                kwargs["mask"] = mask
            if getattr(layer, "_call_has_training", False) and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            inputs = outputs
            mask = getattr(outputs, "_keras_mask", None)
        return outputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        return {"layers": _lib.serialize_keras_object(self._pipeline_layers), "name": self.name}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list of serialized layers. "
                             f"Received config with layers={layers}.")
        config = {**config, "layers": [_lib.deserialize_keras_object(x, custom_objects=custom_objects)
                                       for x in layers]}
        return cls(**config)
