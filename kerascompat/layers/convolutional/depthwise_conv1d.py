"""DepthwiseConv1D."""

from .base_depthwise_conv import BaseDepthwiseConv


class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution over (batch, steps, channels) (or channels_first): each input channel
    convolved with its own `depth_multiplier` filters; output channels = channels * depth_multiplier.

    Arguments as in Keras: kernel_size, strides, padding ('valid' or 'same'), depth_multiplier,
    data_format, dilation_rate, activation, use_bias, depthwise/bias initializer,
    depthwise/bias/activity regularizer, depthwise/bias constraint. Weights: `kernel`
    (*kernel_size, channels, depth_multiplier), `bias` (channels * depth_multiplier,); the torch
    module `conv` is an nn.Conv1d with groups=channels.
    """

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1, data_format=None,
                 dilation_rate=1, activation=None, use_bias=True, depthwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, depth_multiplier=depth_multiplier, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation, use_bias=use_bias,
            depthwise_initializer=depthwise_initializer, bias_initializer=bias_initializer,
            depthwise_regularizer=depthwise_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, depthwise_constraint=depthwise_constraint,
            bias_constraint=bias_constraint, **kwargs)
