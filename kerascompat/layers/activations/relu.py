"""ReLU."""

from ... import activations
from ...engine.base_layer import Layer
from ._checks import non_negative


class ReLU(Layer):
    """Rectified linear unit with Keras's options: `max(x, 0)`, values at or below `threshold`
    become `negative_slope * (x - threshold)`, and outputs are capped at `max_value`."""

    supports_masking = True

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if negative_slope is None:
            raise ValueError("ReLU: `negative_slope` cannot be None or a negative value. Received: `negative_slope`=None")
        if threshold is None:
            raise ValueError("ReLU: `threshold` cannot be None or a negative value. Received: `threshold`=None")
        self.max_value = non_negative("ReLU", max_value, "max_value", allow_none=True)
        self.negative_slope = non_negative("ReLU", negative_slope, "negative_slope")
        self.threshold = non_negative("ReLU", threshold, "threshold")

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
