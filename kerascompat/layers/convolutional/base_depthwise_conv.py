"""BaseDepthwiseConv: DepthwiseConv1D/2D, a grouped torch convolution with groups=in_channels.

Keras's kernel (*kernel_size, in_channels, depth_multiplier) is the torch weight
(in_channels * depth_multiplier, 1, *kernel_size) of an `nn.Conv1d` / `nn.Conv2d` with
groups=in_channels (`_weights.DepthwiseKernel`); output channel c * depth_multiplier + m is
input channel c's m-th filter, as in TensorFlow. Padding, strides, dilation and layout are the
forward convolution's (`ForwardConv`); strides > 1 with dilation > 1 is accepted, as in Keras 3.
"""

import numbers

from torch import nn

from ... import activations
from ..._weights import DepthwiseKernel
from .base_conv import ForwardConv

_MODULES = {1: nn.Conv1d, 2: nn.Conv2d}


def depth_multiplier_value(value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(
            "Invalid value for argument `depth_multiplier`. Expected a strictly positive integer. "
            f"Received: `depth_multiplier`={value!r}"
        )
    return int(value)


def depthwise_module(layer, in_channels, bias):
    """The grouped torch conv of a depthwise convolution over `in_channels` channels."""
    return _MODULES[layer.rank](in_channels, in_channels * layer.depth_multiplier, layer.kernel_size,
                                stride=layer.strides, dilation=layer.dilation_rate, groups=in_channels, bias=bias,
                                dtype=layer._dtype)


class BaseDepthwiseConv(ForwardConv):
    """Base of DepthwiseConv1D/2D: `depth_multiplier`, Keras's `depthwise_*` weight arguments."""

    _weight_names = ("depthwise", "bias")
    _strides_with_dilation = True

    def __init__(self, rank, depth_multiplier, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=rank, filters=None, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            activity_regularizer=activity_regularizer, weight_arguments=dict(
                depthwise_initializer=depthwise_initializer, bias_initializer=bias_initializer,
                depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
                depthwise_constraint=depthwise_constraint, bias_constraint=bias_constraint),
            **kwargs)
        self.depth_multiplier = depth_multiplier_value(depth_multiplier)
        self._kernel_layout = DepthwiseKernel(rank, self.depth_multiplier)

    def _torch_module(self, in_channels):
        return depthwise_module(self, in_channels, self.use_bias)

    def _output_channels(self, input_shape):
        channels = input_shape[self._channel_axis]
        return None if channels is None else channels * self.depth_multiplier

    @property
    def depthwise_kernel(self):
        """Keras 2's name of the kernel (Keras 3 calls it `kernel`)."""
        return self.kernel

    def call(self, inputs):
        conv = self.conv
        y = self._convolve(inputs, conv.weight, conv.bias, self._in_channels)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def get_config(self):
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier}

    def extra_repr(self):
        return f"{super().extra_repr()}, depth_multiplier={self.depth_multiplier}"
