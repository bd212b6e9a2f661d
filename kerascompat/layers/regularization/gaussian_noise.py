"""GaussianNoise and GaussianDropout."""

import math
import numbers

from ..._random import SeededGenerators
from ..._validation import rate as _rate
from ..._validation import received
from ...engine.base_layer import Layer
from . import _noise


class GaussianNoise(Layer):
    """Adds zero-centred Gaussian noise of standard deviation `stddev` (0 to 1) while training;
    identity at inference. `seed` makes the noise reproducible."""

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, numbers.Real) or not 0 <= stddev <= 1:
            raise ValueError("Invalid value received for argument `stddev`. Expected a float value between 0 "
                             "and 1. " + received("stddev", stddev))
        self.stddev = stddev
        self.seed = _noise.seed(seed)
        self._random = SeededGenerators(seed)

    def call(self, inputs, training=None):
        if training and self.stddev > 0:
            return inputs + self._random.normal(inputs.shape, inputs, stddev=self.stddev)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class GaussianDropout(Layer):
    """Multiplies the inputs by 1-centred Gaussian noise of standard deviation
    sqrt(rate / (1 - rate)) while training; identity at inference."""

    supports_masking = True

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        self.seed = _noise.seed(seed)
        self._random = SeededGenerators(seed)

    def call(self, inputs, training=None):
        if training and self.rate > 0:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            return inputs * self._random.normal(inputs.shape, inputs, stddev=stddev, mean=1.0)
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
