"""ForwardConv, what the forward convolutions share, and BaseConv: Conv1D/2D/3D on F.conv2d / F.conv3d.

'same' padding is TensorFlow's: symmetric pads go to the torch op, an asymmetric pad is
applied with F.pad first; Conv1D's 'causal' pads the left only. `convolution_op(inputs,
kernel)` is Keras's hook: the convolution alone (no bias, no activation) with a kernel in
Keras layout, so a subclass can transform its kernel (weight standardization, ...) in
its own `call`, or override `convolution_op` and keep the built-in `call`.
"""

import torch.nn.functional as F
from torch import nn

from ... import activations
from ...ops.padding import conv_output_length, conv_padding_plan
from .._common import PlanCache
from ._conv_common import ConvCommon

_MODULES = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}


class ForwardConv(ConvCommon):
    """What the forward convolutions share (BaseConv, BaseDepthwiseConv, BaseSeparableConv):
    Keras's output sizes, TF's 'same' padding planned once per input size, and the torch op
    on the channels-first view of the input."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._padding_plan = PlanCache(self._compute_padding_plan)

    def _output_spatial(self, spatial, input_shape):
        return self._check_positive([conv_output_length(n, k, s, self.padding, d) for n, k, s, d in
                                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate)], input_shape)

    def _compute_padding_plan(self, spatial):
        op_padding, explicit = conv_padding_plan(spatial, self.kernel_size, self.strides, self.dilation_rate,
                                                 self.padding)
        if self.rank == 1:
            op_padding = (0,) + op_padding
        return op_padding, explicit

    def _conv_channels_first(self, x, spatial, weight, bias, groups):
        """The convolution of the op's channels-first view `x` (1-D: over a unit height) of an
        input with spatial size `spatial`, with a torch-layout weight (out, in/groups, *k)."""
        if self.rank == 1:
            weight = weight.unsqueeze(2)
        op_padding, explicit = self._padding_plan(spatial)
        if explicit is not None:
            x = F.pad(x, explicit)
        conv = F.conv3d if self.rank == 3 else F.conv2d
        return conv(x, weight, bias, self._op_strides, op_padding, self._op_dilation, groups)

    def _convolve(self, inputs, weight, bias, groups):
        """The convolution of Keras-layout `inputs` with a torch-layout weight (out, in/groups, *k)."""
        x, spatial = self._op_input(inputs)
        return self._op_output(self._conv_channels_first(x, spatial, weight, bias, groups))


class BaseConv(ForwardConv):
    """Base of the forward convolutions: `groups`, TF 'same'/'causal' padding, `convolution_op`."""

    # Keras's Conv1D has its own `call` that does not go through `convolution_op`.
    _call_uses_convolution_op = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls._call_uses_convolution_op and "convolution_op" in cls.__dict__ and "call" not in cls.__dict__:
            # Keras's `call` goes through `self.convolution_op(inputs, self.kernel)`; the built-in
            # fast path skips it, so a class that overrides only `convolution_op` gets Keras's call.
            cls.call = cls.forward = BaseConv._call_through_convolution_op

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, lora_rank=None,
                 lora_alpha=None, **kwargs):
        super().__init__(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            activity_regularizer=activity_regularizer, weight_arguments=dict(
                kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                kernel_constraint=kernel_constraint, bias_constraint=bias_constraint),
            lora_rank=lora_rank, lora_alpha=lora_alpha, **kwargs)
        if isinstance(groups, bool) or not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups!r}.")
        if filters % groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        self.groups = groups

    def _allowed_paddings(self, rank):
        return ("valid", "same", "causal") if rank == 1 else ("valid", "same")

    def _check_in_channels(self, channels, input_shape):
        if channels % self.groups:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {tuple(input_shape)})."
            )

    def _torch_module(self, in_channels):
        return _MODULES[self.rank](in_channels, self.filters, self.kernel_size, stride=self.strides,
                                   dilation=self.dilation_rate, groups=self.groups, bias=self.use_bias,
                                   dtype=self._dtype)

    # ------------------------------------------------------------------- calling
    def call(self, inputs):
        conv = self.conv
        y = self._convolve(inputs, conv.weight, conv.bias, self.groups)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def convolution_op(self, inputs, kernel):
        """Keras's convolution without bias or activation.

        `inputs` are in this layer's data_format; `kernel` is in Keras layout
        (*kernel_size, in_channels // groups, filters), e.g. a function of `self.kernel`.
        The number of groups follows from the kernel, as in Keras's `ops.conv`.
        """
        groups = inputs.shape[self._channel_axis] // kernel.shape[-2]
        return self._convolve(inputs, self._kernel_layout.to_torch(kernel), None, groups)

    def _call_through_convolution_op(self, inputs):
        """Keras's `call`: convolution_op, then the bias, then the activation."""
        y = self.convolution_op(inputs, self.kernel)
        if self.use_bias:
            shape = [1] * y.dim()
            shape[self._channel_axis] = self.filters
            y = y + self.bias.reshape(shape)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def get_config(self):
        return {**super().get_config(), "groups": self.groups}
