"""Pooling: Max/Average 1D/2D/3D and GlobalAverage/GlobalMax 1D/2D/3D.

'same' is TensorFlow's: the pad is split with the extra cell at the end; max pooling pads
with -inf, and average pooling divides by the number of *real* cells under each window.
Symmetric pads go to the torch op (its implicit padding is -inf for max, and
`count_include_pad=False` gives the real-cell count for average); an asymmetric pad is
applied with F.pad, and average pooling then rescales by a per-size divisor computed once.
Layouts are channels_last views as in the convolutions (1-D runs the 2-D op).
"""

import math

import torch
import torch.nn.functional as F

from ..ops.padding import (
    ceil_mode_pool_padding, conv_output_length, same_padding,
)
from .._validation import check_bool, data_format as _data_format, incompatible_input, normalize_tuple
from ..ops.layout import to_channels_first, to_channels_last
from .._validation import padding as _padding
from ..engine.base_layer import Layer

_MAX = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {2: F.avg_pool2d, 3: F.avg_pool3d}



class BasePooling(Layer):
    """Shared arguments, padding and layout for the windowed pooling layers."""

    mode = None  # "max" or "average"

    def __init__(self, rank, pool_size, strides=None, padding="valid", data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.pool_size = normalize_tuple(pool_size, rank, "pool_size")
        self.strides = self.pool_size if strides is None else normalize_tuple(strides, rank, "strides")
        self.padding = _padding(padding)
        self.data_format = _data_format(data_format)
        self._channels_last = self.data_format == "channels_last"
        # The 2-D op runs 1-D pooling over a unit height axis.
        self._op_kernel = (1,) + self.pool_size if rank == 1 else self.pool_size
        self._op_strides = (1,) + self.strides if rank == 1 else self.strides
        self._plans = {}

    def _plan(self, spatial, device, dtype):
        """How to pool an input of this spatial size: (op padding, explicit pad, divisor, ceil_mode)."""
        key = (spatial, device, dtype)
        compiling = torch.compiler.is_compiling()  # see BaseConv._forward_padding
        plan = None if compiling else self._plans.get(key)
        if plan is None:
            if self.padding == "valid":
                pads = ((0, 0),) * self.rank
            else:
                pads = tuple(same_padding(n, k, s) for n, k, s in zip(spatial, self.pool_size, self.strides))
            if self.rank == 1:
                pads = ((0, 0),) + pads
            symmetric = all(lo == hi for lo, hi in pads)
            op_spatial = (1,) + spatial if self.rank == 1 else spatial
            ceil_padding = None if symmetric else ceil_mode_pool_padding(
                op_spatial, self._op_kernel, self._op_strides, pads)
            if symmetric:
                plan = (tuple(lo for lo, _ in pads), None, None, False)
            elif ceil_padding is not None:  # TF's extra end cell via ceil_mode: no pad copy, no divisor
                plan = (ceil_padding, None, None, True)
            else:
                explicit = [v for lo_hi in reversed(pads) for v in lo_hi]
                divisor = None
                if self.mode == "average":
                    # TF averages over real cells: window size / real cells under each window.
                    op_spatial = (1,) + spatial if self.rank == 1 else spatial
                    ones = torch.ones((1, 1) + op_spatial, device=device, dtype=dtype)
                    counts = _AVG[len(op_spatial)](F.pad(ones, explicit), self._op_kernel, self._op_strides)
                    divisor = (1.0 / counts)  # avg_pool gave (real cells / window); invert it
                plan = ((0,) * len(pads), explicit, divisor, False)
            if not compiling:
                self._plans[key] = plan
        return plan

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


def _pooling_class(name, rank, mode, default_pool, doc):
    def __init__(self, pool_size=default_pool, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        BasePooling.__init__(self, rank, pool_size, strides, padding, data_format, name=name, **kwargs)

    return type(name, (BasePooling,), {"__init__": __init__, "mode": mode, "__doc__": doc,
                                       "__module__": __name__})


MaxPooling1D = _pooling_class("MaxPooling1D", 1, "max", 2, "Max over windows of (batch, steps, channels).")
MaxPooling2D = _pooling_class("MaxPooling2D", 2, "max", (2, 2), "Max over 2-D windows; 'same' pads with -inf.")
MaxPooling3D = _pooling_class("MaxPooling3D", 3, "max", (2, 2, 2), "Max over 3-D windows; 'same' pads with -inf.")
AveragePooling1D = _pooling_class("AveragePooling1D", 1, "average", 2,
                                  "Mean over windows of (batch, steps, channels); 'same' averages real cells only.")
AveragePooling2D = _pooling_class("AveragePooling2D", 2, "average", (2, 2),
                                  "Mean over 2-D windows; 'same' averages real cells only, as TensorFlow.")
AveragePooling3D = _pooling_class("AveragePooling3D", 3, "average", (2, 2, 2),
                                  "Mean over 3-D windows; 'same' averages real cells only, as TensorFlow.")

# Keras's aliases.
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D


class BaseGlobalPooling(Layer):
    """Mean or max over all spatial axes; `keepdims=True` keeps them with size 1."""

    mode = None

    def __init__(self, rank, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.rank = rank
        self.data_format = _data_format(data_format)
        self.keepdims = check_bool(keepdims, "keepdims")
        first = 1 if self.data_format == "channels_last" else 2
        self._axes = tuple(range(first, first + rank))

    def _check(self, shape):
        if len(shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", shape)

    def call(self, inputs):
        self._check(inputs.shape)
        if self.mode == "max":
            return torch.amax(inputs, dim=self._axes, keepdim=self.keepdims)
        return torch.mean(inputs, dim=self._axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}


class GlobalAveragePooling1D(BaseGlobalPooling):
    """Mean over the steps axis; with a `mask` (batch, steps) only unmasked steps count."""

    mode = "average"
    supports_masking = True

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(1, data_format, keepdims, **kwargs)

    def compute_mask(self, inputs, mask=None):
        return None

    def call(self, inputs, mask=None):
        if mask is None:
            return super().call(inputs)
        self._check(inputs.shape)
        axis = self._axes[0]
        weights = mask.to(torch.bool).unsqueeze(2 if axis == 1 else 1)
        summed = torch.where(weights, inputs, torch.zeros((), dtype=inputs.dtype, device=inputs.device))
        return summed.sum(dim=axis, keepdim=self.keepdims) / weights.to(inputs.dtype).sum(dim=axis, keepdim=self.keepdims)


def _global_class(name, rank, mode, doc):
    def __init__(self, data_format=None, keepdims=False, **kwargs):
        BaseGlobalPooling.__init__(self, rank, data_format, keepdims, **kwargs)

    return type(name, (BaseGlobalPooling,), {"__init__": __init__, "mode": mode, "__doc__": doc,
                                             "__module__": __name__})


GlobalAveragePooling2D = _global_class("GlobalAveragePooling2D", 2, "average", "Mean over height and width.")
GlobalAveragePooling3D = _global_class("GlobalAveragePooling3D", 3, "average", "Mean over depth, height and width.")
GlobalMaxPooling1D = _global_class("GlobalMaxPooling1D", 1, "max", "Max over the steps axis.")
GlobalMaxPooling2D = _global_class("GlobalMaxPooling2D", 2, "max", "Max over height and width.")
GlobalMaxPooling3D = _global_class("GlobalMaxPooling3D", 3, "max", "Max over depth, height and width.")

GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D
