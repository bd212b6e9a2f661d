"""GroupNormalization."""

import torch
import torch.nn.functional as F
from torch import nn

from ... import initializers
from ..._validation import check_bool, incompatible_input
from ...engine.base_layer import Layer
from .._common import set_weight_args, weight_args_config
from ._axes import canonical_axis, scale_and_shift

_GN_WEIGHTS = ("beta", "gamma")


class GroupNormalization(Layer):
    """Splits the `axis` features into `groups` groups and normalizes each group of each sample
    (over its features and every other non-batch axis), then `* gamma + beta` per feature.

    `groups=-1` is instance normalization (one group per feature). Torch-native state as
    `nn.GroupNorm`'s: `weight` (`gamma`) and `bias` (`beta`). Features on axis 1 run torch's
    `F.group_norm` directly, features last run it on a permuted view.
    """

    _track_plain_torch_params = False
    supports_masking = True

    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, int) or (groups <= 0 and groups != -1):
            raise ValueError(
                "Received an invalid value for argument `groups`, expected a positive integer (or `-1` for "
                f"instance normalization). Received: groups={groups!r}")
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"GroupNormalization: `axis` must be an integer. Received: `axis`={axis!r}")
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = check_bool(center, "center")
        self.scale = check_bool(scale, "scale")
        set_weight_args(self, _GN_WEIGHTS, beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint)
        self._plan = None

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = canonical_axis(self.axis, ndim, self.name)
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the layer received an "
                f"input with shape {tuple(input_shape)}.")
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(f"Number of groups ({self.groups}) cannot be more than the number of channels ({dim}).")
        if dim % self.groups:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number of channels ({dim}).")
        dtype = self._dtype
        for flag, attr, name in ((self.scale, "weight", "gamma"), (self.center, "bias", "beta")):
            if flag:
                self.register_parameter(attr, nn.Parameter(torch.empty(dim, dtype=dtype)))
                self._add_slot(name, self, attr, initializer=getattr(self, f"{name}_initializer"),
                               regularizer=getattr(self, f"{name}_regularizer"),
                               constraint=getattr(self, f"{name}_constraint"))
            else:
                self.register_parameter(attr, None)
        self._plan = (ndim, axis, int(dim))

    def call(self, inputs):
        ndim, axis, dim = self._plan
        if inputs.dim() != ndim or inputs.shape[axis] != dim:
            raise incompatible_input(self, f"expected ndim={ndim}, axis {self.axis} of size {dim}", inputs.shape)
        params = self.__dict__["_parameters"]
        weight, bias = params["weight"], params["bias"]
        if axis == 1:
            return F.group_norm(inputs, self.groups, weight, bias, self.epsilon)
        if axis == ndim - 1 and axis > 0:
            x = inputs.movedim(axis, 1)
            return F.group_norm(x, self.groups, weight, bias, self.epsilon).movedim(1, axis)
        return self._grouped(inputs, axis, dim, weight, bias)

    def _grouped(self, inputs, axis, dim, weight, bias):
        # Keras's form: the feature axis split into (groups, dim // groups), statistics over every
        # axis but the batch axis and the group axis.
        shape = tuple(inputs.shape)
        grouped = inputs.reshape(shape[:axis] + (self.groups, dim // self.groups) + shape[axis + 1:])
        dims = [d for d in range(1, grouped.dim()) if d != axis]
        variance, mean = torch.var_mean(grouped, dim=dims, correction=0, keepdim=True)
        out = ((grouped - mean) * torch.rsqrt(variance + self.epsilon)).reshape(shape)
        broadcast = [1] * len(shape)
        broadcast[axis] = dim
        return scale_and_shift(out, weight, bias, broadcast)

    def compute_output_shape(self, input_shape):
        canonical_axis(self.axis, len(input_shape), self.name)
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            **{k: v for k, v in weight_args_config(self, _GN_WEIGHTS).items() if not k.endswith("_initializer")},
        }

    def extra_repr(self):
        return f"name={self.name!r}, groups={self.groups}, axis={self.axis}, epsilon={self.epsilon}"
