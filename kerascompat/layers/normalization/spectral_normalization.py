"""SpectralNormalization: a wrapper that divides a layer's kernel by its largest singular value."""

import numbers

import torch

from ... import initializers
from ..._validation import received
from ...engine.input_spec import InputSpec
from ..core.wrapper import Wrapper

_EPSILON = 1e-7  # Keras's backend.epsilon(), the floor of ops.nn.normalize's norm


def l2_normalize(x, epsilon=_EPSILON):
    """Keras's `ops.nn.normalize(x, axis=None)`: x * min(rsqrt(sum(x^2)), 1 / epsilon)."""
    return x * torch.clamp(torch.rsqrt(x.square().sum()), max=1.0 / epsilon)


def power_iteration(kernel_2d, u, iterations):
    """Keras's power iteration on a (rows, units) kernel from the (1, units) vector `u`:
    returns the new `u` and the estimate of the largest singular value, a (1, 1) tensor."""
    for _ in range(iterations):
        v = l2_normalize(u @ kernel_2d.T)
        u = l2_normalize(v @ kernel_2d)
    return u, (v @ kernel_2d) @ u.T


class SpectralNormalization(Wrapper):
    """Wraps a layer with a `kernel` (Dense, convolutions, ...) or `embeddings` (Embedding).

    While training, each call runs `power_iterations` steps of Keras's power iteration from the
    vector `vector_u` (a non-trainable weight: a torch buffer), divides the kernel by the
    estimated spectral norm *in place* (as Keras assigns it; no gradient flows through the
    normalization) and then calls the wrapped layer. At inference the kernel is used as it is.
    Weights in Keras's order: the kernel, `vector_u`, then the wrapped layer's other weights.
    """

    _track_plain_torch_params = False

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if isinstance(power_iterations, bool) or not isinstance(power_iterations, numbers.Integral) \
                or power_iterations <= 0:
            raise ValueError("`power_iterations` should be greater than zero. "
                             + received("power_iterations", power_iterations))
        self.power_iterations = int(power_iterations)
        self._kernel_slot = None

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        slots = {s.name: s for s in self.layer._weight_slots}
        inner = slots.get("kernel") or slots.get("embeddings")
        if inner is None:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'")
        # The wrapped layer's kernel, declared here first so the weights come in Keras's order.
        self._kernel_slot = self._add_slot("kernel", inner.module, inner.attr, inner.layout,
                                           regularizer=inner.regularizer, constraint=inner.constraint,
                                           trainable=inner.trainable)
        kernel = inner.param
        units = inner.keras_shape()[-1]
        self.register_buffer("vector_u", torch.empty((1, units), dtype=kernel.dtype, device=kernel.device))
        self._add_buffer_slot("vector_u", self, "vector_u", initializer=initializers.TruncatedNormal(stddev=0.02))

    def call(self, inputs, training=None):
        if training:
            self._normalize_kernel()
        output = self.layer(inputs)
        if inputs.is_floating_point() and output.dtype != inputs.dtype:
            output = output.to(inputs.dtype)
        return output

    def _normalize_kernel(self):
        slot = self._kernel_slot
        with torch.no_grad():
            kernel = slot.keras_view()
            if not bool((kernel == 0).all()):
                vector_u = self._buffers["vector_u"]
                u, sigma = power_iteration(kernel.reshape(-1, kernel.shape[-1]), vector_u, self.power_iterations)
                slot.assign_keras(kernel / sigma)
                vector_u.copy_(u)

    def normalized_weights(self):
        """(new vector_u, normalized kernel) in Keras layout, without assigning them (Keras's method)."""
        with torch.no_grad():
            kernel = self._kernel_slot.keras_view()
            u, sigma = power_iteration(kernel.reshape(-1, kernel.shape[-1]), self._buffers["vector_u"],
                                       self.power_iterations)
            return u, kernel / sigma

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
