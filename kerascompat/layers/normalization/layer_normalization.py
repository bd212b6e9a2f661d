"""LayerNormalization."""

import warnings

import torch
import torch.nn.functional as F
from torch import nn

from ... import initializers
from ..._validation import check_bool, incompatible_input
from ...engine.base_layer import Layer
from .._common import set_weight_args, weight_args_config
from ._axes import axis_list, canonical_axes, scale_and_shift, sorted_axes_and_weight_shape

_LN_WEIGHTS = ("beta", "gamma")


class LayerNormalization(Layer):
    """Normalizes each sample over `axis` (an int or a list of ints), then `* gamma + beta`.

    Torch-native state, as `nn.LayerNorm` holds it: `weight` (Keras's `gamma`) and `bias`
    (`beta`), of shape `input_shape[axis]` for the sorted axes (so an `nn.LayerNorm` over
    the trailing axes loads this layer's `state_dict`). Trailing axes run torch's fused
    `F.layer_norm`. `rms_scaling=True` is Keras's deprecated form (x / sqrt(var + epsilon)
    * gamma, no centring and no beta), with Keras's warning.
    """

    _track_plain_torch_params = False
    supports_masking = True

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        rms_scaling = check_bool(kwargs.pop("rms_scaling", False), "rms_scaling")
        if rms_scaling:
            warnings.warn(
                "You passed `rms_scaling=True`, which is deprecated. This argument incorrectly scales the "
                "input by the variance, not the root mean square. To correctly use RMS Normalization, "
                "please use `keras.layers.RMSNormalization` instead.", UserWarning, stacklevel=2)
        axes = axis_list(axis)
        super().__init__(**kwargs)
        self.axis = axes if isinstance(axis, (list, tuple)) else axes[0]
        self.epsilon = float(epsilon)
        self.center = check_bool(center, "center")
        self.scale = check_bool(scale, "scale")
        self.rms_scaling = rms_scaling
        set_weight_args(self, _LN_WEIGHTS, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self._plan = None

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = canonical_axes(axis_list(self.axis), ndim, self.name)
        # Keras sorts the axes as given (negative ones first) and sizes gamma/beta in that order;
        # the weights are reshaped, not transposed, onto the input's axes, as Keras does.
        self.axis, shape = sorted_axes_and_weight_shape(self.axis, input_shape, self.name)
        dtype = self._dtype
        if self.scale or self.rms_scaling:
            self.register_parameter("weight", nn.Parameter(torch.empty(shape, dtype=dtype)))
            self._add_slot("gamma", self, "weight", initializer=self.gamma_initializer,
                           regularizer=self.gamma_regularizer, constraint=self.gamma_constraint)
        else:
            self.register_parameter("weight", None)
        if self.center and not self.rms_scaling:
            self.register_parameter("bias", nn.Parameter(torch.empty(shape, dtype=dtype)))
            self._add_slot("beta", self, "bias", initializer=self.beta_initializer,
                           regularizer=self.beta_regularizer, constraint=self.beta_constraint)
        else:
            self.register_parameter("bias", None)
        normalized = tuple(int(input_shape[a]) for a in axes)
        trailing = axes == list(range(ndim - len(axes), ndim))
        broadcast = [int(input_shape[d]) if d in axes else 1 for d in range(ndim)]
        self._plan = (ndim, axes, normalized, trailing and not self.rms_scaling, broadcast)

    def call(self, inputs):
        ndim, axes, normalized, fused, broadcast = self._plan
        if inputs.dim() != ndim or tuple(inputs.shape[a] for a in axes) != normalized:
            raise incompatible_input(
                self, f"expected ndim={ndim} with axes {self.axis} of sizes {normalized}", inputs.shape)
        params = self.__dict__["_parameters"]
        weight, bias = params["weight"], params["bias"]
        if fused:
            if weight is not None and weight.shape != normalized:
                weight = weight.reshape(normalized)
            if bias is not None and bias.shape != normalized:
                bias = bias.reshape(normalized)
            return F.layer_norm(inputs, normalized, weight, bias, self.epsilon)
        variance, mean = torch.var_mean(inputs, dim=axes, correction=0, keepdim=True)
        inv = torch.rsqrt(variance + self.epsilon)
        out = inputs * inv if self.rms_scaling else (inputs - mean) * inv
        return scale_and_shift(out, weight, bias, broadcast)

    def compute_output_shape(self, input_shape):
        canonical_axes(axis_list(self.axis), len(input_shape), self.name)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            **{k: v for k, v in weight_args_config(self, _LN_WEIGHTS).items() if not k.endswith("_initializer")},
        }

    def extra_repr(self):
        return f"name={self.name!r}, axis={self.axis}, epsilon={self.epsilon}"
