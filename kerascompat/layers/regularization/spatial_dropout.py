"""SpatialDropout1D/2D/3D: Dropout of whole feature maps (one mask value per sample and channel)."""

from ..._validation import data_format as _data_format
from ...engine.input_spec import InputSpec
from .dropout import Dropout


class BaseSpatialDropout(Dropout):
    """Dropout whose mask has size 1 on every spatial axis (Keras's arguments: `rate`, `seed`,
    `name`, `dtype`, and `data_format` for 2D/3D)."""

    rank = None

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return inputs * self._masks(self._noise_shape(inputs.shape), self.rate, inputs)

    def _noise_shape(self, shape):
        spatial = (1,) * self.rank
        if getattr(self, "data_format", "channels_last") == "channels_first":
            return (shape[0], shape[1]) + spatial
        return (shape[0],) + spatial + (shape[-1],)

    def get_config(self):
        config = super().get_config()
        return {"rate": self.rate, "seed": self.seed, "name": self.name, "dtype": config["dtype"]}


class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of (batch, steps, channels) inputs while training."""

    rank = 1


class _SpatialDropoutND(BaseSpatialDropout):
    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        self.data_format = _data_format(data_format)
        super().__init__(rate, seed=seed, name=name, dtype=dtype)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class SpatialDropout2D(_SpatialDropoutND):
    """Drops whole channels of 4-D inputs while training (`data_format` says where they are)."""

    rank = 2


class SpatialDropout3D(_SpatialDropoutND):
    """Drops whole channels of 5-D inputs while training (`data_format` says where they are)."""

    rank = 3
