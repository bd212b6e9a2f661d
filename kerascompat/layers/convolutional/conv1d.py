"""Conv1D."""

from .base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution over (batch, steps, channels) (or channels_first); padding 'valid', 'same' or 'causal'.

    Arguments as in Keras: filters, kernel_size, strides, padding, data_format, dilation_rate,
    groups, activation, use_bias, kernel/bias initializer, kernel/bias/activity regularizer,
    kernel/bias constraint. `lora_rank` / `lora_alpha` raise NotImplementedError.
    As in Keras, `call` does not go through `convolution_op` (overriding it alone changes
    nothing); a subclass's own `call` can use it.
    """

    _call_uses_convolution_op = False

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
            activity_regularizer=activity_regularizer, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint, **kwargs)
