"""RepeatVector."""

from ..._validation import incompatible_input, positive_int
from ...engine.base_layer import Layer


class RepeatVector(Layer):
    """Repeats a (N, features) input n times: (N, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = positive_int(n, "n")

    def call(self, inputs):
        if inputs.dim() != 2:
            raise incompatible_input(self, "expected ndim=2", inputs.shape)
        return inputs.unsqueeze(1).expand(inputs.shape[0], self.n, inputs.shape[1])

    def compute_output_shape(self, input_shape):
        if len(input_shape) != 2:
            raise incompatible_input(self, "expected ndim=2", input_shape)
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
