"""AlphaDropout: dropout that keeps SELU's self-normalizing mean and variance."""

from ..._random import SeededGenerators
from ..._validation import rate as _rate
from ...engine.base_layer import Layer
from . import _noise

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def alpha_dropout_affine(rate):
    """(alpha_p, a, b): dropped units are set to alpha_p, then everything becomes a * x + b, which
    keeps zero mean and unit variance (Klambauer et al., 2017)."""
    alpha_p = -_SELU_ALPHA * _SELU_SCALE
    a = ((1 - rate) * (1 + rate * alpha_p ** 2)) ** -0.5
    return alpha_p, a, -a * alpha_p * rate


class AlphaDropout(Layer):
    """While training, sets a fraction `rate` of the inputs to SELU's negative saturation value
    and rescales so that mean and variance are kept; identity at inference. `noise_shape` shares
    the mask along axes of size 1 (None takes the input's size); `seed` makes it reproducible."""

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        self.noise_shape = _noise.noise_shape(noise_shape)
        self.seed = _noise.seed(seed)
        self._random = SeededGenerators(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        shape = _noise.concrete_noise_shape(self, self.noise_shape, inputs)
        kept = (self._random.uniform(shape, inputs) >= self.rate).to(inputs.dtype)
        alpha_p, a, b = alpha_dropout_affine(self.rate)
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape}
