"""What the convolution layers share (forward, transposed, depthwise, separable): arguments,
weights, layout, shapes, config.

A convolution holds a torch `nn.Conv{1,2,3}d` / `nn.ConvTranspose{1,2,3}d` (`self.conv`)
with torch-native weights; `get_weights()` speaks Keras's kernel layout. channels_last
inputs reach the torch op as permuted views in torch's channels_last memory format (no
copy), and the weight is stored channels_last too; Conv1D runs as the 2-D op over a unit
height axis for the same reason. The bases (`BaseConv`, `BaseConvTranspose`,
`BaseDepthwiseConv`, `BaseSeparableConv`) supply the torch module(s), the op and the output size.
"""

from ... import activations
from ..._validation import (
    check_bool, data_format as _data_format, incompatible_input, normalize_tuple, padding as _padding,
    reject_unsupported,
)
from ..._weights import IDENTITY, conv_kernel
from ...engine.base_layer import Layer
from ...ops.layout import channels_last_parameter, to_channels_first, to_channels_last
from .._common import KERNEL_BIAS, set_weight_args, weight_args_config


class ConvCommon(Layer):
    """Shared argument handling, weights and layout of the convolution layers (not public)."""

    _track_plain_torch_params = False

    # The Keras weights whose `<name>_initializer` / `_regularizer` / `_constraint` arguments the
    # layer takes (DepthwiseConv: "depthwise", "bias"; SeparableConv adds "pointwise").
    _weight_names = KERNEL_BIAS
    # Keras's depthwise and separable convolutions accept strides > 1 with dilation > 1 (TF
    # runs the dilated conv and subsamples; torch's op takes both at once); the others reject it.
    _strides_with_dilation = False

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, activity_regularizer=None, lora_rank=None,
                 lora_alpha=None, *, weight_arguments, **kwargs):
        """`weight_arguments`: the layer's initializer/regularizer/constraint arguments by Keras
        name, for the weights in `_weight_names`. `filters` is None when the output channels
        follow from the input (DepthwiseConv: in_channels * depth_multiplier)."""
        reject_unsupported(type(self).__name__, lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.rank = rank
        if filters is not None and (isinstance(filters, bool) or not isinstance(filters, int) or filters <= 0):
            raise ValueError(
                f"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters!r}."
            )
        self.filters = filters
        self.kernel_size = normalize_tuple(kernel_size, rank, "kernel_size")
        self.strides = normalize_tuple(strides, rank, "strides")
        self.dilation_rate = normalize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = _padding(padding, self._allowed_paddings(rank))
        self.data_format = _data_format(data_format)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1 and not self._strides_with_dilation:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.use_bias = check_bool(use_bias, "use_bias")
        set_weight_args(self, self._weight_names, **weight_arguments)
        self._channel_axis = -1 if self.data_format == "channels_last" else 1
        self._kernel_layout = conv_kernel(rank)
        self._in_channels = None
        # The 2-D op runs 1-D convolutions: unit height, stride/dilation 1 along it.
        self._op_strides = (1,) + self.strides if rank == 1 else self.strides
        self._op_dilation = (1,) + self.dilation_rate if rank == 1 else self.dilation_rate

    # ------------------------------------------------------------ subclass hooks
    def _allowed_paddings(self, rank):
        return ("valid", "same")

    def _torch_module(self, in_channels):
        """The torch conv module holding the weights for `in_channels` input channels."""
        raise NotImplementedError

    def _output_spatial(self, spatial, input_shape):
        """Output sizes for the input's spatial sizes (None stays None); validates them."""
        raise NotImplementedError

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
        self._check_in_channels(channels, input_shape)
        self._in_channels = channels
        self._output_spatial(self._spatial(input_shape), input_shape)  # rejects bad sizes before any weight exists
        self._declare_weights(channels)

    def _declare_weights(self, in_channels):
        """Create the torch module(s) and declare Keras's weights over their parameters."""
        self.conv = self._torch_module(in_channels)
        if self.data_format == "channels_last":
            channels_last_parameter(self.conv.weight, self.rank)
        kernel = self._weight_names[0]  # Keras names the kernel's arguments after it ("depthwise_...")
        self._add_slot("kernel", self.conv, "weight", self._kernel_layout, getattr(self, f"{kernel}_initializer"),
                       getattr(self, f"{kernel}_regularizer"), getattr(self, f"{kernel}_constraint"))
        if self.use_bias:
            self._add_slot("bias", self.conv, "bias", IDENTITY, self.bias_initializer,
                           self.bias_regularizer, self.bias_constraint)

    def _check_in_channels(self, channels, input_shape):
        pass

    @property
    def kernel(self):
        """The Keras-layout kernel: a permuted view of `conv.weight`."""
        return self._weight_slots[0].keras_view()

    @property
    def bias(self):
        return self.conv.bias if self.use_bias else None

    # ------------------------------------------------------------------- calling
    def _op_input(self, inputs):
        """Checks the input; returns the channels-first view torch's op takes and its spatial size."""
        rank = self.rank
        if inputs.dim() != rank + 2:
            raise incompatible_input(self, f"expected ndim={rank + 2}", inputs.shape)
        if inputs.shape[self._channel_axis] != self._in_channels:
            raise incompatible_input(
                self, f"expected axis {self._channel_axis} of input shape to have value {self._in_channels}",
                inputs.shape)
        x = to_channels_first(inputs, rank) if self._channel_axis == -1 else inputs
        spatial = tuple(x.shape[2:])
        if rank == 1:  # (N, C, L) -> (N, C, 1, L): the 2-D op keeps channels_last, copy-free
            x = x.unsqueeze(2)
        return x, spatial

    def _op_output(self, y):
        """The op's channels-first result back in the layer's data_format (a view)."""
        if self.rank == 1:
            y = y.squeeze(2)
        return to_channels_last(y, self.rank) if self._channel_axis == -1 else y

    # -------------------------------------------------------------------- shapes
    def _spatial(self, input_shape):
        return input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]

    def compute_output_shape(self, input_shape):
        if len(input_shape) != self.rank + 2:
            raise incompatible_input(self, f"expected ndim={self.rank + 2}", input_shape)
        out = self._output_spatial(self._spatial(input_shape), input_shape)
        channels = self._output_channels(input_shape)
        if self.data_format == "channels_last":
            return (input_shape[0], *out, channels)
        return (input_shape[0], channels, *out)

    def _output_channels(self, input_shape):
        return self.filters

    def _check_positive(self, out, input_shape):
        if any(o is not None and o <= 0 for o in out):
            raise ValueError(
                f'Layer "{self.name}": computed output size would be zero or negative. Received '
                f"inputs shape={tuple(input_shape)}, kernel_size={self.kernel_size}, "
                f"dilation_rate={self.dilation_rate}, strides={self.strides}, padding={self.padding!r}."
            )
        return out

    def get_config(self):
        return {
            **super().get_config(),
            **({} if self.filters is None else {"filters": self.filters}),
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **weight_args_config(self, self._weight_names),
        }

    def extra_repr(self):
        filters = "" if self.filters is None else f"filters={self.filters}, "
        return (f"name={self.name!r}, {filters}kernel_size={self.kernel_size}, "
                f"strides={self.strides}, padding={self.padding!r}, data_format={self.data_format!r}")
