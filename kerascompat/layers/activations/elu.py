"""ELU."""

import numbers

import torch.nn.functional as F

from ..._validation import received
from ...engine.base_layer import Layer


class ELU(Layer):
    """Exponential linear unit: `x` where `x > 0`, `alpha * (exp(x) - 1)` elsewhere."""

    supports_masking = True

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
            raise TypeError("ELU: `alpha` must be a number. " + received("alpha", alpha))
        self.alpha = alpha

    def call(self, inputs):
        return F.elu(inputs, self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        # tf.keras 3.15 leaves `alpha` out of ELU's config (so its from_config forgets it);
        # writing it keeps the round trip exact and tf.keras's ELU(**config) accepts it.
        return {**super().get_config(), "alpha": self.alpha}
