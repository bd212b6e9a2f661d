"""SeparableConv1D (alias SeparableConvolution1D)."""

from .base_separable_conv import BaseSeparableConv


class SeparableConv1D(BaseSeparableConv):
    """1-D depthwise separable convolution over (batch, steps, channels) (or channels_first): a depthwise
    convolution (`depth_multiplier` filters per input channel), then a 1x1 convolution to `filters`.

    Arguments as in Keras: filters, kernel_size, strides, padding ('valid' or 'same'),
    data_format, dilation_rate, depth_multiplier, activation, use_bias,
    depthwise/pointwise/bias initializer, depthwise/pointwise/bias/activity regularizer,
    depthwise/pointwise/bias constraint. Weights: `depthwise_kernel`, `pointwise_kernel`, `bias`;
    the torch modules `depthwise` (nn.Conv1d, groups=channels) and `pointwise` (1x1 nn.Conv1d).
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None, dilation_rate=1,
                 depth_multiplier=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 pointwise_initializer="glorot_uniform", bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, depth_multiplier=depth_multiplier, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, depthwise_initializer=depthwise_initializer,
            pointwise_initializer=pointwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, pointwise_regularizer=pointwise_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            depthwise_constraint=depthwise_constraint, pointwise_constraint=pointwise_constraint,
            bias_constraint=bias_constraint, **kwargs)
