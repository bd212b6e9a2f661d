"""PReLU."""

import torch

from ... import constraints, initializers, regularizers
from ..._validation import incompatible_input, received
from ...engine.base_layer import Layer


def alpha_shape(input_shape, shared_axes):
    """Keras's `alpha` shape: the input shape without the batch axis, 1 on each shared axis."""
    shape = list(input_shape[1:])
    for axis in shared_axes or ():
        shape[axis - 1] = 1
    return tuple(shape)


class PReLU(Layer):
    """Parametric ReLU: `x` where `x >= 0`, `-alpha * relu(-x)` elsewhere, with a learned
    `alpha` of shape `input_shape[1:]` (1 along `shared_axes`). Arguments as in Keras:
    alpha_initializer ("Zeros"), alpha_regularizer, alpha_constraint, shared_axes."""

    supports_masking = True

    def __init__(self, alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        else:
            axes = list(shared_axes) if isinstance(shared_axes, (list, tuple)) else [shared_axes]
            if any(isinstance(a, bool) or not isinstance(a, int) or a < 1 for a in axes):
                raise ValueError("PReLU: `shared_axes` must be positive axis indices (axis 0 is the batch). "
                                 + received("shared_axes", shared_axes))
            self.shared_axes = axes

    def build(self, input_shape):
        if self.shared_axes and max(self.shared_axes) >= len(input_shape):
            raise ValueError(f"PReLU: `shared_axes` names an axis the {len(input_shape)}-D input does not have. "
                             + received("shared_axes", self.shared_axes))
        shape = alpha_shape(input_shape, self.shared_axes)
        if any(d is None for d in shape):
            raise ValueError("PReLU: every non-shared axis of the input must have a known size. "
                             f"Received: input_shape={tuple(input_shape)}")
        self._alpha_shape = shape
        self.alpha = self.add_weight(shape=shape, initializer=self.alpha_initializer, name="alpha",
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint)

    def call(self, inputs):
        alpha = self._parameters["alpha"]
        if inputs.dim() != alpha.dim() + 1 or any(
                a != 1 and a != d for a, d in zip(alpha.shape, inputs.shape[1:])):
            raise incompatible_input(self, f"expected the non-shared axes to match {self._alpha_shape}", inputs.shape)
        return torch.relu(inputs) - alpha * torch.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
