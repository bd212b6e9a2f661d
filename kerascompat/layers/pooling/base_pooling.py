"""BasePooling: Max/Average pooling over 1-D, 2-D and 3-D windows.

'same' is TensorFlow's: the pad is split with the extra cell at the end; max pooling pads
with -inf, and average pooling divides by the number of *real* cells under each window.
Symmetric pads go to the torch op (its implicit padding is -inf for max, and
`count_include_pad=False` gives the real-cell count for average); a (lo, lo + 1) pad is
torch's ceil_mode; any other asymmetric pad is applied with F.pad, and average pooling
then rescales by a per-size divisor computed once. Layouts are channels_last views as in
the convolutions (1-D runs the 2-D op over a unit height axis).
"""

import math

import torch
import torch.nn.functional as F

from ..._validation import data_format as _data_format, incompatible_input, normalize_tuple, padding as _padding
from ...engine.base_layer import Layer
from ...ops.layout import to_channels_first, to_channels_last
from ...ops.padding import conv_output_length, pool_padding_plan
from .._common import PlanCache

_MAX = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {2: F.avg_pool2d, 3: F.avg_pool3d}


class BasePooling(Layer):
    """Shared arguments, padding and layout of the windowed pooling layers.

    `pool_mode` is "max" or "average", as in Keras's BasePooling.
    """

    def __init__(self, rank, pool_mode, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        if pool_mode not in ("max", "average"):
            raise ValueError(f"`pool_mode` must be 'max' or 'average'. Received: pool_mode={pool_mode!r}")
        self.rank = rank
        self.mode = pool_mode
        self.pool_size = normalize_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, rank, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        # The 2-D op runs 1-D pooling over a unit height axis.
        self._op_kernel = (1,) + self.pool_size if rank == 1 else self.pool_size
        self._op_strides = (1,) + self.strides if rank == 1 else self.strides
        self._plan = PlanCache(self._compute_plan)

    def _compute_plan(self, spatial, device, dtype):
        """How to pool an input of this spatial size: (op padding, explicit pad, divisor, ceil_mode)."""
        op_padding, explicit, ceil_mode = pool_padding_plan(spatial, self.pool_size, self.strides, self.padding)
        divisor = None
        if explicit is not None and self.mode == "average":
            # TF averages over real cells: avg_pool of a padded ones tensor gives (real cells / window).
            op_spatial = (1,) + spatial if self.rank == 1 else spatial
            ones = torch.ones((1, 1) + op_spatial, device=device, dtype=dtype)
            divisor = 1.0 / _AVG[len(op_spatial)](F.pad(ones, explicit), self._op_kernel, self._op_strides)
        if self.rank == 1:
            op_padding = (0,) + op_padding
        return op_padding, explicit, divisor, ceil_mode

    def _average_3d_channels_last(self, inputs):
        """3-D average pooling of NDHWC input as two channels_last 2-D poolings.

        torch's CPU avg_pool3d has no channels_last_3d kernel (it copies the input to
        contiguous and back). A box average over real cells is separable, so pooling (H, W)
        and then D with the 2-D kernel gives the same result without those copies.
        """
        n, d, h, w, c = inputs.shape
        op_padding, explicit, divisor, ceil_mode = self._plan((d, h, w), inputs.device, inputs.dtype)
        x = inputs
        if explicit is not None:  # explicit = [w_lo, w_hi, h_lo, h_hi, d_lo, d_hi] on NCDHW
            x = F.pad(x, [0, 0] + explicit)
            n, d, h, w, c = x.shape
        (kd, kh, kw), (sd, sh, sw), (pd, ph, pw) = self.pool_size, self.strides, op_padding
        a = x.reshape(n * d, h, w, c).permute(0, 3, 1, 2)
        a = F.avg_pool2d(a, (kh, kw), (sh, sw), (ph, pw), ceil_mode, count_include_pad=False)
        ho, wo = a.shape[2], a.shape[3]
        b = a.permute(0, 2, 3, 1).reshape(n, d, ho * wo, c).permute(0, 3, 1, 2)
        b = F.avg_pool2d(b, (kd, 1), (sd, 1), (pd, 0), ceil_mode, count_include_pad=False)
        y = b.permute(0, 2, 3, 1).reshape(n, b.shape[2], ho, wo, c)
        if divisor is not None:
            y = y * divisor.permute(0, 2, 3, 4, 1)
        return y

    def call(self, inputs):
        rank = self.rank
        if inputs.dim() != rank + 2:
            raise incompatible_input(self, f"expected ndim={rank + 2}", inputs.shape)
        if rank == 3 and self.mode == "average" and self._channels_last:
            return self._average_3d_channels_last(inputs)
        x = to_channels_first(inputs, rank) if self._channels_last else inputs
        spatial = tuple(x.shape[2:])
        if rank == 1:
            x = x.unsqueeze(2)
        op_padding, explicit, divisor, ceil_mode = self._plan(spatial, x.device, x.dtype)
        op_rank = 3 if rank == 3 else 2
        if self.mode == "max":
            if explicit is not None:
                x = F.pad(x, explicit, value=-math.inf)
            y = _MAX[op_rank](x, self._op_kernel, self._op_strides, op_padding, 1, ceil_mode)
        else:
            if explicit is not None:
                x = F.pad(x, explicit)
            y = _AVG[op_rank](x, self._op_kernel, self._op_strides, op_padding, ceil_mode, count_include_pad=False)
            if divisor is not None:
                y = y * divisor
        if rank == 1:
            y = y.squeeze(2)
        return to_channels_last(y, rank) if self._channels_last else y

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", input_shape)
        spatial = input_shape[1:-1] if self._channels_last else input_shape[2:]
        out = [conv_output_length(n, k, s, self.padding) for n, k, s in zip(spatial, self.pool_size, self.strides)]
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                f'Layer "{self.name}": computed output size would be zero or negative. Received: '
                f"input_shape={tuple(input_shape)}, pool_size={self.pool_size}, strides={self.strides}, "
                f"padding={self.padding!r}."
            )
        if self._channels_last:
            return (input_shape[0], *out, input_shape[-1])
        return (input_shape[0], input_shape[1], *out)

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format}
