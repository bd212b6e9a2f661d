"""Conv1DTranspose."""

from .base_conv_transpose import BaseConvTranspose


class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution; output length follows Keras's formula (with `output_padding`).

    Arguments as in Keras: filters, kernel_size, strides, padding, output_padding, data_format,
    dilation_rate, activation, use_bias, kernel/bias initializer, kernel/bias/activity
    regularizer, kernel/bias constraint.
    """

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(
            rank=1, filters=filters, kernel_size=kernel_size, strides=strides, padding=padding,
            output_padding=output_padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs)
