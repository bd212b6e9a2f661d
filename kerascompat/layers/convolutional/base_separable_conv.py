"""BaseSeparableConv: SeparableConv1D/2D, a depthwise convolution then a 1x1 (pointwise) one.

Two torch modules, as a hand-written separable convolution holds them: `depthwise` (a grouped
`nn.Conv1d`/`nn.Conv2d`, groups=in_channels, no bias) and `pointwise` (a 1x1 conv to `filters`
channels, with the bias). Keras's weights, in Keras's order: `depthwise_kernel`
(*kernel_size, in, depth_multiplier), `pointwise_kernel` (1.., in * depth_multiplier, filters),
`bias` (filters,). The intermediate activation stays in the op's channels-first view.
"""

import torch.nn.functional as F
from torch import nn

from ... import activations
from ..._weights import IDENTITY, DepthwiseKernel, conv_kernel
from ...ops.layout import channels_last_parameter
from .base_conv import ForwardConv
from .base_depthwise_conv import depth_multiplier_value, depthwise_module

_MODULES = {1: nn.Conv1d, 2: nn.Conv2d}


class BaseSeparableConv(ForwardConv):
    """Base of SeparableConv1D/2D: `depth_multiplier`, `filters`, depthwise/pointwise weight arguments."""

    _weight_names = ("depthwise", "pointwise", "bias")
    _strides_with_dilation = True

    def __init__(self, rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            activity_regularizer=activity_regularizer, weight_arguments=dict(
                depthwise_initializer=depthwise_initializer, pointwise_initializer=pointwise_initializer,
                bias_initializer=bias_initializer, depthwise_regularizer=depthwise_regularizer,
                pointwise_regularizer=pointwise_regularizer, bias_regularizer=bias_regularizer,
                depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
                bias_constraint=bias_constraint),
            **kwargs)
        self.depth_multiplier = depth_multiplier_value(depth_multiplier)

    def _declare_weights(self, in_channels):
        rank = self.rank
        self.depthwise = depthwise_module(self, in_channels, False)
        self.pointwise = _MODULES[rank](in_channels * self.depth_multiplier, self.filters, 1, bias=self.use_bias,
                                        dtype=self._dtype)
        if self.data_format == "channels_last":
            channels_last_parameter(self.depthwise.weight, rank)
            channels_last_parameter(self.pointwise.weight, rank)
        self._add_slot("depthwise_kernel", self.depthwise, "weight", DepthwiseKernel(rank, self.depth_multiplier),
                       self.depthwise_initializer, self.depthwise_regularizer, self.depthwise_constraint)
        self._add_slot("pointwise_kernel", self.pointwise, "weight", conv_kernel(rank), self.pointwise_initializer,
                       self.pointwise_regularizer, self.pointwise_constraint)
        if self.use_bias:
            self._add_slot("bias", self.pointwise, "bias", IDENTITY, self.bias_initializer, self.bias_regularizer,
                           self.bias_constraint)

    @property
    def bias(self):
        return self.pointwise.bias if self.use_bias else None

    def call(self, inputs):
        x, spatial = self._op_input(inputs)
        y = self._conv_channels_first(x, spatial, self.depthwise.weight, None, self._in_channels)
        pointwise = self.pointwise
        weight = pointwise.weight.unsqueeze(2) if self.rank == 1 else pointwise.weight
        y = self._op_output(F.conv2d(y, weight, pointwise.bias))
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def get_config(self):
        return {**super().get_config(), "depth_multiplier": self.depth_multiplier}

    def extra_repr(self):
        return f"{super().extra_repr()}, depth_multiplier={self.depth_multiplier}"
