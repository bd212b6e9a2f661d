"""Convolutions: Conv1D/2D/3D and Conv1D/2D/3DTranspose on torch's nn.ConvNd modules.

Each layer holds an `nn.Conv{1,2,3}d` / `nn.ConvTranspose{1,2,3}d` (`self.conv`) with
torch-native weights; `get_weights()` speaks Keras's kernel layout. channels_last inputs
reach the torch op as permuted views in torch's channels_last memory format (no copy);
Conv1D runs as the 2-D op over a unit height axis for the same reason. 'same' padding is
TensorFlow's: symmetric pads go to the torch op, an asymmetric pad is applied with F.pad.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .. import activations, constraints, initializers, regularizers
from .._layout import (
    causal_padding, channels_last_parameter, conv_output_length, conv_transpose_consistent, conv_transpose_output_length,
    conv_transpose_torch_args,
    same_padding, to_channels_first, to_channels_last,
)
from .._validation import check_bool, data_format as _data_format, normalize_tuple, padding as _padding
from .._validation import incompatible_input, reject_unsupported
from .._weights import IDENTITY, conv_kernel
from ..engine.base_layer import Layer

_CONV = {1: nn.Conv1d, 2: nn.Conv2d, 3: nn.Conv3d}
_CONV_T = {1: nn.ConvTranspose1d, 2: nn.ConvTranspose2d, 3: nn.ConvTranspose3d}



class BaseConv(Layer):
    """Shared argument handling, weights, layout and padding for the convolution layers."""

    _track_plain_torch_params = False
    transpose = False

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, output_padding=None, **kwargs):
        reject_unsupported(type(self).__name__, lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0:
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters!r}."
            )
        if isinstance(groups, bool) or not isinstance(groups, int) or groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: groups={groups!r}.")
        if filters % groups:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={groups}, filters={filters}."
            )
        self.filters, self.groups = filters, groups
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        allowed = ("valid", "same", "causal") if (rank == 1 and not self.transpose) else ("valid", "same")
        self.padding = _padding(padding, allowed)
        self.data_format = _data_format(data_format)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        if self.transpose and output_padding is not None:
            output_padding = normalize_tuple(output_padding, rank, "output_padding", allow_zero=True)
            for i, (op, s) in enumerate(zip(output_padding, self.strides)):
                if op >= s:
                    raise ValueError(
                        "`output_padding` must be strictly less than `strides` for all dimensions. "
                        f"At dimension {i}, `output_padding` is {op} but `strides` is {s}. "
                        f"Received: output_padding={output_padding}, strides={self.strides}"
                    )
        self.output_padding = output_padding
        self.activation = activations.get(activation)
        self.use_bias = check_bool(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        self._pad_cache = {}
        self._in_channels = None

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", input_shape)
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                f'Layer "{self.name}": the channel dimension of the inputs should be defined. '
                f"Found None. Received: input_shape={tuple(input_shape)}"
            )
        if channels % self.groups:
            raise ValueError(
                "The number of input channels must be evenly divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} channels "
                f"(full input shape is {tuple(input_shape)})."
            )
        self._in_channels = channels
        self.compute_output_shape(input_shape)
        if self.transpose:
            self.conv = _CONV_T[self.rank](channels, self.filters, self.kernel_size, stride=self.strides,
                                           dilation=self.dilation_rate, bias=self.use_bias, dtype=self._dtype)
            layout = conv_kernel(self.rank)
        else:
            self.conv = _CONV[self.rank](channels, self.filters, self.kernel_size, stride=self.strides,
                                         dilation=self.dilation_rate, groups=self.groups, bias=self.use_bias,
                                         dtype=self._dtype)
            layout = conv_kernel(self.rank)
        if self.data_format == "channels_last":
            channels_last_parameter(self.conv.weight, self.rank)
        self._add_slot("kernel", self.conv, "weight", layout, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        if self.use_bias:
            self._add_slot("bias", self.conv, "bias", IDENTITY, self.bias_initializer,
                           self.bias_regularizer, self.bias_constraint)
        # The 2-D op runs 1-D convolutions: unit height, stride/dilation 1 along it.
        self._op_strides = (1,) + self.strides if self.rank == 1 else self.strides
        self._op_dilation = (1,) + self.dilation_rate if self.rank == 1 else self.dilation_rate

    @property
    def kernel(self):
        """The Keras-layout kernel: a permuted view of `conv.weight`."""
        return self._weight_slots[0].keras_view()

    @property
    def bias(self):
        return self.conv.bias if self.use_bias else None

    # ------------------------------------------------------------------- padding
    def _forward_padding(self, spatial):
        """((lo, hi) per spatial axis) for this input size; cached."""
        # torch.compile: compute in the graph rather than read a cache that the first call fills
        # (reading it would guard on its contents and recompile once).
        compiling = torch.compiler.is_compiling()
        pads = None if compiling else self._pad_cache.get(spatial)
        if pads is None:
            if self.padding == "valid":
                pads = ((0, 0),) * self.rank
            elif self.padding == "causal":
                pads = (causal_padding(self.kernel_size[0], self.dilation_rate[0]),)
            else:
                pads = tuple(same_padding(n, k, s, d) for n, k, s, d in
                             zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
            symmetric = all(lo == hi for lo, hi in pads)
            op_pads = tuple(lo for lo, _ in pads) if symmetric else (0,) * self.rank
            explicit = None
            if not symmetric:
                explicit = []
                for lo, hi in reversed(pads):  # F.pad takes the last axis first
                    explicit += [lo, hi]
            if self.rank == 1:
                op_pads = (0,) + op_pads
            pads = (op_pads, explicit)
            if not compiling:
                self._pad_cache[spatial] = pads
        return pads

    def _transpose_args(self, spatial):
        compiling = torch.compiler.is_compiling()
        args = None if compiling else self._pad_cache.get(spatial)
        if args is None:
            out_pad = self.output_padding or (None,) * self.rank
            per_axis = [conv_transpose_torch_args(n, k, s, self.padding, op, d) for n, k, s, op, d in
                        zip(spatial, self.kernel_size, self.strides, out_pad, self.dilation_rate)]
            padding = tuple(a[0] for a in per_axis)
            output_padding = tuple(a[1] for a in per_axis)
            keep = tuple(a[2] for a in per_axis)
            if self.rank == 1:
                padding, output_padding, keep = (0,) + padding, (0,) + output_padding, (None,) + keep
            # torch 2.13's oneDNN backward of conv_transpose2d returns a wrong *weight* gradient
            # for a channels_last input when the kernel is 1x1 and output_padding > 0 (found by
            # the parity sweep; output and input gradient are right). Such calls take a
            # contiguous input instead: one copy, correct gradients.
            needs_contiguous = (self.rank < 3 and all(k == 1 for k in self.kernel_size)
                                and any(op > 0 for op in output_padding))
            args = (padding, output_padding, keep if any(k is not None for k in keep) else None,
                    needs_contiguous)
            if not compiling:
                self._pad_cache[spatial] = args
        return args

    # ------------------------------------------------------------------- calling
    def call(self, inputs):
        rank = self.rank
        if inputs.dim() != rank + 2:
            raise incompatible_input(self, f"expected ndim={rank + 2}", inputs.shape)
        if inputs.shape[self._channel_axis] != self._in_channels:
            raise incompatible_input(
                self, f"expected axis {self._channel_axis} of input shape to have value {self._in_channels}",
                inputs.shape)
        x = to_channels_first(inputs, rank) if self._channel_axis == -1 else inputs
        spatial = tuple(x.shape[2:])
        weight, bias = self.conv.weight, self.conv.bias
        if rank == 1:  # (N, C, L) -> (N, C, 1, L): the 2-D op keeps channels_last, copy-free
            x = x.unsqueeze(2)
            weight = weight.unsqueeze(2)
        if self.transpose:
            padding, output_padding, keep, needs_contiguous = self._transpose_args(spatial)
            if needs_contiguous:
                x = x.contiguous()
            fn = F.conv_transpose3d if rank == 3 else F.conv_transpose2d
            y = fn(x, weight, bias, self._op_strides, padding, output_padding, 1, self._op_dilation)
            if keep is not None:
                for axis, length in enumerate(keep):
                    if length is not None:
                        y = y.narrow(axis + 2, 0, length)
        else:
            op_pads, explicit = self._forward_padding(spatial)
            if explicit is not None:
                x = F.pad(x, explicit if rank != 1 else explicit + [0, 0])
            fn = F.conv3d if rank == 3 else F.conv2d
            y = fn(x, weight, bias, self._op_strides, op_pads, self._op_dilation, self.groups)
        if rank == 1:
            y = y.squeeze(2)
        if self._channel_axis == -1:
            y = to_channels_last(y, rank)
        if self.activation is not activations.linear:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", input_shape)
        if self.data_format == "channels_last":
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        if self.transpose:
            out_pad = self.output_padding or (None,) * self.rank
            out = [conv_transpose_output_length(n, k, s, self.padding, op, d) for n, k, s, op, d in
                   zip(spatial, self.kernel_size, self.strides, out_pad, self.dilation_rate)]
            for n, k, s, op, d in zip(spatial, self.kernel_size, self.strides, out_pad, self.dilation_rate):
                if n is not None and op is not None and not conv_transpose_consistent(n, k, s, self.padding, op, d):
                    raise ValueError(
                        f'Layer "{self.name}": `output_padding`={self.output_padding} is inconsistent with '
                        f"input shape {tuple(input_shape)}, kernel_size={self.kernel_size}, strides={self.strides} "
                        f"and padding={self.padding!r}: the output length it gives would not convolve back to the "
                        "input length (TensorFlow rejects this too). Use another output_padding, or None."
                    )
        else:
            out = [conv_output_length(n, k, s, self.padding, d) for n, k, s, d in
                   zip(spatial, self.kernel_size, self.strides, self.dilation_rate)]
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                f'Layer "{self.name}": computed output size would be zero or negative. Received '
                f"inputs shape={tuple(input_shape)}, kernel_size={self.kernel_size}, "
                f"dilation_rate={self.dilation_rate}, strides={self.strides}, padding={self.padding!r}."
            )
        if self.data_format == "channels_last":
            return (input_shape[0], *out, self.filters)
        return (input_shape[0], self.filters, *out)

    def get_config(self):
        config = {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
        if self.transpose:
            config["output_padding"] = self.output_padding
        else:
            config["groups"] = self.groups
        return config

    def extra_repr(self):
        return (f"name={self.name!r}, filters={self.filters}, kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}, data_format={self.data_format!r}")


class Conv1D(BaseConv):
    """1-D convolution over (batch, steps, channels); padding 'valid', 'same' or 'causal'."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 groups=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2D(BaseConv):
    """2-D convolution over (batch, height, width, channels) (or channels_first)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv3D(BaseConv):
    """3-D convolution over (batch, depth, height, width, channels) (or channels_first)."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, data_format, dilation_rate, groups,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class _BaseConvTranspose(BaseConv):
    transpose = True

    def __init__(self, rank, filters, kernel_size, strides, padding, output_padding, data_format,
                 dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                 bias_constraint, **kwargs):
        if "groups" in kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                             f"{{'groups': {kwargs['groups']!r}}} (Keras's transposed convolutions have no groups)")
        super().__init__(rank, filters, kernel_size, strides, padding, data_format, dilation_rate, 1,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint,
                         output_padding=output_padding, **kwargs)


class Conv1DTranspose(_BaseConvTranspose):
    """1-D transposed convolution; output length follows Keras's formula (with output_padding)."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(1, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv2DTranspose(_BaseConvTranspose):
    """2-D transposed convolution; output size follows Keras's formula (with output_padding)."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(2, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


class Conv3DTranspose(_BaseConvTranspose):
    """3-D transposed convolution; output size follows Keras's formula (with output_padding)."""

    def __init__(self, filters, kernel_size, strides=(1, 1, 1), padding="valid", output_padding=None,
                 data_format=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(3, filters, kernel_size, strides, padding, output_padding, data_format, dilation_rate,
                         activation, use_bias, kernel_initializer, bias_initializer, kernel_regularizer,
                         bias_regularizer, activity_regularizer, kernel_constraint, bias_constraint, **kwargs)


# Keras's aliases.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
