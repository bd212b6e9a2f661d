"""RMSNormalization."""

import torch
import torch.nn.functional as F
from torch import nn

from ... import initializers
from ..._validation import incompatible_input
from ...engine.base_layer import Layer
from ._axes import axis_list, canonical_axes, sorted_axes_and_weight_shape


class RMSNormalization(Layer):
    """x * rsqrt(mean(x^2 over `axis`) + epsilon) * scale (Keras 3's RMSNormalization).

    Torch-native state as `nn.RMSNorm`'s: the parameter `weight` (Keras's `scale`, of shape
    `input_shape[axis]` for the sorted axes, multiplied in with numpy broadcasting as Keras
    does). Trailing axes run torch's fused `F.rms_norm`.
    """

    _track_plain_torch_params = False

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        axis_list(axis)
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = float(epsilon)
        self._plan = None

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = canonical_axes(axis_list(self.axis), ndim, self.name)
        self.axis, shape = sorted_axes_and_weight_shape(self.axis, input_shape, self.name)
        self.register_parameter("weight", nn.Parameter(torch.empty(shape, dtype=self._dtype)))
        self._add_slot("scale", self, "weight", initializer=initializers.get("ones"))
        normalized = tuple(int(input_shape[a]) for a in axes)
        fused = axes == list(range(ndim - len(axes), ndim)) and tuple(shape) == normalized
        self._plan = (ndim, axes, normalized, fused)

    def call(self, inputs):
        ndim, axes, normalized, fused = self._plan
        if inputs.dim() != ndim or tuple(inputs.shape[a] for a in axes) != normalized:
            raise incompatible_input(
                self, f"expected ndim={ndim} with axes {self.axis} of sizes {normalized}", inputs.shape)
        weight = self.__dict__["_parameters"]["weight"]
        if fused:
            return F.rms_norm(inputs, normalized, weight, self.epsilon)
        return inputs * torch.rsqrt((inputs * inputs).mean(axes, keepdim=True) + self.epsilon) * weight

    def compute_output_shape(self, input_shape):
        canonical_axes(axis_list(self.axis), len(input_shape), self.name)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon}
