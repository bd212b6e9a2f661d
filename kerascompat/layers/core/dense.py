"""Dense."""

import torch.nn.functional as F
from torch import nn

from ... import activations
from ..._validation import check_bool, incompatible_input, positive_int, reject_unsupported
from ..._weights import DENSE_KERNEL, IDENTITY
from ...engine.base_layer import Layer
from .._common import set_weight_args, weight_args_config


class Dense(Layer):
    """Densely connected layer: `activation(inputs @ kernel + bias)` on the last axis.

    Holds an `nn.Linear` (`self.linear`, weight shape (units, input_dim)); the Keras kernel
    (input_dim, units) is its transpose. Arguments as in Keras: units, activation, use_bias,
    kernel/bias initializer, kernel/bias/activity regularizer, kernel/bias constraint.
    `lora_rank` / `quantization_config` raise NotImplementedError.
    """

    _track_plain_torch_params = False
    supports_masking = True

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        units = positive_int(units, "units")
        reject_unsupported("Dense", lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None),
                           quantization_config=(quantization_config, None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = check_bool(use_bias, "use_bias")
        set_weight_args(self, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                        kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        self._in_features = None

    def build(self, input_shape):
        if len(input_shape) < 2:
            raise incompatible_input(self, "expected min_ndim=2", input_shape)
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(
                f'Layer "{self.name}": the last dimension of the inputs to a Dense layer should be '
                f"defined. Found None. Received: input_shape={tuple(input_shape)}"
            )
        self._in_features = in_features
        self.linear = nn.Linear(in_features, self.units, bias=self.use_bias, dtype=self._dtype)
        self._add_slot("kernel", self.linear, "weight", DENSE_KERNEL, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        if self.use_bias:
            self._add_slot("bias", self.linear, "bias", IDENTITY, self.bias_initializer,
                           self.bias_regularizer, self.bias_constraint)

    @property
    def kernel(self):
        """The Keras-layout kernel (input_dim, units): a transposed view of `linear.weight`."""
        return self.linear.weight.T

    @property
    def bias(self):
        return self.linear.bias if self.use_bias else None

    def call(self, inputs):
        if inputs.dim() < 2 or inputs.shape[-1] != self._in_features:
            raise incompatible_input(
                self, f"expected axis -1 of input shape to have value {self._in_features}", inputs.shape)
        # Plain dict lookups: nn.Module.__getattr__ costs about 1 us each on this hot path.
        params = self._modules["linear"]._parameters
        outputs = F.linear(inputs, params["weight"], params["bias"])
        if self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        if self.built and input_shape[-1] is not None and input_shape[-1] != self._in_features:
            raise incompatible_input(
                self, f"expected axis -1 of input shape to have value {self._in_features}", input_shape)
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            **weight_args_config(self),
        }

    def extra_repr(self):
        act = activations.serialize(self.activation)
        return f"name={self.name!r}, units={self.units}" + (f", activation={act!r}" if act != "linear" else "")
