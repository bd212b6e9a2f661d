"""Keras <-> torch weight layouts, and the slots that declare a layer's Keras weights.

A layer keeps its parameters in torch's layout (a Dense weight is (units, in)); Keras's
`get_weights()` / `set_weights()` / initializers / regularizers / constraints speak Keras
layout. A `Layout` converts one way and the other with views (no copies), so a
regularizer sees a differentiable Keras-layout view of the live parameter.

A slot names one Keras weight and says where its torch tensor lives: a `WeightSlot` over a
parameter, a `BufferSlot` over a buffer (Keras's non-trainable state: moving statistics,
counters), a `StackedSlot` over several parameters.
"""

import torch


class Layout:
    """Identity: the torch parameter already has Keras's layout."""

    def to_keras(self, tensor):
        return tensor

    def to_torch(self, tensor):
        return tensor

    def keras_shape(self, torch_shape):
        return tuple(torch_shape)

    def torch_shape(self, keras_shape):
        return tuple(keras_shape)


IDENTITY = Layout()


class Permuted(Layout):
    """torch tensor = keras tensor permuted by `torch_from_keras` (a permutation of the axes)."""

    def __init__(self, torch_from_keras):
        self.torch_from_keras = tuple(torch_from_keras)
        inverse = [0] * len(self.torch_from_keras)
        for torch_axis, keras_axis in enumerate(self.torch_from_keras):
            inverse[keras_axis] = torch_axis
        self.keras_from_torch = tuple(inverse)

    def to_keras(self, tensor):
        return tensor.permute(self.keras_from_torch)

    def to_torch(self, tensor):
        return tensor.permute(self.torch_from_keras)

    def keras_shape(self, torch_shape):
        return tuple(torch_shape[a] for a in self.keras_from_torch)

    def torch_shape(self, keras_shape):
        return tuple(keras_shape[a] for a in self.torch_from_keras)


# Dense kernel (in, out) <-> nn.Linear weight (out, in).
DENSE_KERNEL = Permuted((1, 0))


def conv_kernel(rank):
    """ConvND kernel (*k, in/groups, out) <-> torch (out, in/groups, *k); the same permutation
    maps a Conv*Transpose kernel (*k, out, in) <-> torch ConvTranspose weight (in, out, *k)."""
    return Permuted((rank + 1, rank) + tuple(range(rank)))


class DepthwiseKernel(Layout):
    """Depthwise kernel (*k, in, multiplier) <-> grouped conv weight (in * multiplier, 1, *k)
    with groups=in. torch's output channel c * multiplier + m is Keras's (c, m), as in TF's
    depthwise_conv2d. Keras-layout views of the parameter are views (splitting an axis);
    writing a Keras-layout value merges (in, multiplier) into one axis."""

    def __init__(self, rank, multiplier):
        self.rank = rank
        self.multiplier = multiplier

    def to_keras(self, tensor):
        rank = self.rank
        k = tensor.permute(*range(2, rank + 2), 0, 1)  # (*k, in*m, 1)
        return k.reshape(*k.shape[:rank], k.shape[rank] // self.multiplier, self.multiplier)

    def to_torch(self, tensor):
        rank = self.rank
        merged = tensor.reshape(*tensor.shape[:rank], tensor.shape[rank] * tensor.shape[rank + 1])
        return merged.permute(rank, *range(rank)).unsqueeze(1)

    def keras_shape(self, torch_shape):
        return (*torch_shape[2:], torch_shape[0] // self.multiplier, self.multiplier)

    def torch_shape(self, keras_shape):
        rank = self.rank
        return (keras_shape[rank] * keras_shape[rank + 1], 1, *keras_shape[:rank])


class _Slot:
    """What every Keras weight can do given keras_view / keras_shape / assign_keras."""

    def initialize(self, initializer):
        value = initializer(self.keras_shape(), dtype=self.param.dtype)
        self.assign_keras(torch.as_tensor(value))


class WeightSlot(_Slot):
    """One Keras weight: where its torch parameter lives and how to see it in Keras layout.

    `trainable` is Keras's "created trainable" flag: it orders the weights (Keras lists a layer's
    trainable-created weights before its non-trainable ones) and, with the parameter's
    requires_grad, decides whether the weight is in `trainable_weights`. `path` is Keras's
    variable path ("dense/kernel"), set by the layer that declares the slot.
    """

    __slots__ = ("name", "module", "attr", "layout", "trainable", "regularizer", "constraint", "path")
    is_buffer = False

    def __init__(self, name, module, attr, layout=IDENTITY, trainable=True, regularizer=None, constraint=None):
        self.name = name
        self.module = module
        self.attr = attr
        self.layout = layout
        self.trainable = trainable
        self.regularizer = regularizer
        self.constraint = constraint
        self.path = name

    @property
    def param(self):
        return getattr(self.module, self.attr)

    @property
    def params(self):
        return [getattr(self.module, self.attr)]

    def keras_view(self):
        return self.layout.to_keras(self.param)

    def keras_shape(self):
        return self.layout.keras_shape(self.param.shape)

    def assign_keras(self, value):
        """Copy a Keras-layout tensor into the parameter (caller has checked the shape)."""
        param = self.param
        with torch.no_grad():
            param.copy_(self.layout.to_torch(value.to(device=param.device, dtype=param.dtype)))

    def keras_grad(self):
        """The parameter's gradient in Keras layout, or None."""
        grad = self.param.grad
        return None if grad is None else self.layout.to_keras(grad)


class BufferSlot(WeightSlot):
    """A non-trainable Keras weight held as a torch buffer (`module.register_buffer(attr, ...)`):
    BatchNormalization's moving mean/variance (torch's running_mean/running_var), counters,
    `add_weight(trainable=False)`. Buffers follow `.to()`/`.double()` and are in `state_dict`,
    but are not `parameters()`, so no torch optimizer ever sees them."""

    __slots__ = ()
    is_buffer = True

    def __init__(self, name, module, attr, layout=IDENTITY, regularizer=None, constraint=None):
        super().__init__(name, module, attr, layout, False, regularizer, constraint)


class GateBlocks(Layout):
    """Recurrent weights whose gate blocks are ordered differently in torch and Keras.

    `order[i]` is the torch block holding Keras's i-th gate (GRU: Keras z, r, h are torch
    blocks 1, 0, 2 of r, z, n). `transpose` for kernels: torch (gates*u, in) vs Keras (in, gates*u).
    Reordering blocks is not a view: `to_keras` builds a (differentiable) new tensor.
    """

    def __init__(self, order, transpose):
        self.order = tuple(order)
        self.transpose = transpose
        inverse = [0] * len(order)
        for keras_index, torch_index in enumerate(self.order):
            inverse[torch_index] = keras_index
        self.inverse = tuple(inverse)

    def _reorder(self, tensor, order):
        n = len(order)
        blocks = tensor.reshape(n, tensor.shape[0] // n, *tensor.shape[1:])
        return blocks[list(order)].reshape(tensor.shape)

    def to_keras(self, tensor):
        out = self._reorder(tensor, self.order)
        return out.T if self.transpose else out

    def to_torch(self, tensor):
        tensor = tensor.T if self.transpose else tensor
        return self._reorder(tensor, self.inverse)

    def keras_shape(self, torch_shape):
        return tuple(reversed(torch_shape)) if self.transpose else tuple(torch_shape)


class StackedSlot(_Slot):
    """One Keras weight stored as several torch parameters stacked on a new first axis
    (GRU's bias (2, 3u) = [input bias, recurrent bias] = torch's bias_ih and bias_hh)."""

    is_buffer = False

    def __init__(self, name, parts, trainable=True, regularizer=None, constraint=None):
        self.name = name
        self.path = name
        self.parts = parts  # WeightSlots, one per row
        self.trainable = trainable
        self.regularizer = regularizer
        self.constraint = constraint

    @property
    def param(self):
        return self.parts[0].param

    @property
    def params(self):
        return [p.param for p in self.parts]

    def keras_view(self):
        return torch.stack([p.keras_view() for p in self.parts])

    def keras_shape(self):
        return (len(self.parts),) + tuple(self.parts[0].keras_shape())

    def assign_keras(self, value):
        for i, part in enumerate(self.parts):
            part.assign_keras(value[i])

    def keras_grad(self):
        grads = [part.keras_grad() for part in self.parts]
        return None if any(g is None for g in grads) else torch.stack(grads)
