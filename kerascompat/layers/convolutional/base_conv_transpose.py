"""BaseConvTranspose: transposed convolutions (Conv1D/2D/3DTranspose) on F.conv_transposeNd.

The output size is Keras's formula (with `output_padding`); torch's padding and
output_padding that reproduce TensorFlow's result come from ops.padding, with a crop
where torch cannot express TF's (odd) padding.
"""

import torch.nn.functional as F
from torch import nn

from ... import activations
from ..._validation import normalize_tuple
from ...ops.padding import conv_transpose_consistent, conv_transpose_output_length, conv_transpose_plan
from .._common import PlanCache
from ._conv_common import ConvCommon

_MODULES = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}


class BaseConvTranspose(ConvCommon):
    """Base of the transposed convolutions: `output_padding`, TF-exact output sizes."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 **kwargs):
        if "groups" in kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                             f"{{'groups': {kwargs['groups']!r}}} (Keras's transposed convolutions have no groups)")
        super().__init__(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            activity_regularizer=activity_regularizer, weight_arguments=dict(
                kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                kernel_constraint=kernel_constraint, bias_constraint=bias_constraint), **kwargs)
        if output_padding is not None:
            output_padding = normalize_tuple(output_padding, rank, "output_padding", allow_zero=True)
            for i, (op, s) in enumerate(zip(output_padding, self.strides)):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all dimensions. "
                        f"At dimension {i}, `output_padding` is {op} but `strides` is {s}. "
                        f"Received: output_padding={output_padding}, strides={self.strides}"
                    )
        self.output_padding = output_padding
        self._op_plan = PlanCache(self._compute_op_plan)

    def _torch_module(self, in_channels):
        # Keras kernel (*k, filters, in) <-> torch ConvTranspose weight (in, filters, *k): conv_kernel(rank).
        return _MODULES[self.rank](in_channels, self.filters, self.kernel_size, stride=self.strides,
                                   dilation=self.dilation_rate, bias=self.use_bias, dtype=self._dtype)

    def _output_spatial(self, spatial, input_shape):
        out_pad = self.output_padding or (None,) * self.rank
        for n, k, s, op, d in zip(spatial, self.kernel_size, self.strides, out_pad, self.dilation_rate):
            if n is not None and op is not None and not conv_transpose_consistent(n, k, s, self.padding, op, d):
                raise ValueError(
                    f'Layer "{self.name}": `output_padding`={self.output_padding} is inconsistent with '
                    f"input shape {tuple(input_shape)}, kernel_size={self.kernel_size}, strides={self.strides} "
                    f"and padding={self.padding!r}: the output length it gives would not convolve back to the "
                    "input length (TensorFlow rejects this too). Use another output_padding, or None."
                )
        return self._check_positive(
            [conv_transpose_output_length(n, k, s, self.padding, op, d) for n, k, s, op, d in
             zip(spatial, self.kernel_size, self.strides, out_pad, self.dilation_rate)], input_shape)

    # ------------------------------------------------------------------- calling
    def _compute_op_plan(self, spatial):
        """(padding, output_padding, keep, needs_contiguous) of the torch op for this input size."""
        padding, output_padding, keep = conv_transpose_plan(spatial, self.kernel_size, self.strides, self.padding,
                                                            self.output_padding, self.dilation_rate)
        if self.rank == 1:
            padding, output_padding = (0,) + padding, (0,) + output_padding
            keep = None if keep is None else (None,) + keep
        # torch 2.13's oneDNN backward of conv_transpose2d returns a wrong *weight* gradient
        # for a channels_last input when the kernel is 1x1 and output_padding > 0 (found by
        # the parity sweep; output and input gradient are right). Such calls take a
        # contiguous input instead: one copy, correct gradients.
        needs_contiguous = (self.rank < 3 and all(k == 1 for k in self.kernel_size)
                            and any(op > 0 for op in output_padding))
        return padding, output_padding, keep, needs_contiguous

    def call(self, inputs):
        x, spatial = self._op_input(inputs)
        conv = self.conv
        weight = conv.weight.unsqueeze(2) if self.rank == 1 else conv.weight
        padding, output_padding, keep, needs_contiguous = self._op_plan(spatial)
        if needs_contiguous:
            x = x.contiguous()
        op = F.conv_transpose3d if self.rank == 3 else F.conv_transpose2d
        y = op(x, weight, conv.bias, self._op_strides, padding, output_padding, 1, self._op_dilation)
        if keep is not None:
            for axis, length in enumerate(keep):
                if length is not None:
                    y = y.narrow(axis + 2, 0, length)
        y = self._op_output(y)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def get_config(self):
        return {**super().get_config(), "output_padding": self.output_padding}
