"""Normalization: (x - mean) / sqrt(variance), with statistics given or learned by `adapt()`."""

import math
import numbers

import numpy as np
import torch

from ... import backend
from ..._validation import received
from ...engine.base_layer import Layer


def _axis_tuple(axis):
    if axis is None:
        return ()
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return (int(axis),)
    try:
        return tuple(int(a) for a in axis)
    except TypeError:
        raise TypeError("`axis` must be an int, a tuple of ints or None. " + received("axis", axis)) from None


def _first_of_batch(batch):
    """(x, y) or (x, y, sample_weight) batches (tuples, or a DataLoader's lists) -> x."""
    if isinstance(batch, (tuple, list)) and batch and hasattr(batch[0], "shape"):
        return batch[0]
    return batch


def _as_float64(data):
    if isinstance(data, torch.Tensor):
        return data.detach().to("cpu", torch.float64)
    return torch.from_numpy(np.asarray(data, dtype=np.float64))


class Normalization(Layer):
    """Shifts and scales inputs to mean 0 and variance 1 per index of the kept `axis` (-1: the last
    axis; None: one scalar mean and variance): `(x - mean) / max(sqrt(variance), epsilon)`, or the
    inverse with `invert=True`.

    `mean`/`variance` are given, or learned with `adapt(data)` from a numpy array, a torch tensor,
    or an iterable of batches (a DataLoader, a generator, a list of arrays; (x, y) batches use x).
    Learned statistics are torch buffers `adapt_mean`, `adapt_variance` and `count` (Keras's weights
    mean, variance, count, in that order; like Keras, `adapt` leaves `count` at 0); given ones are
    buffers `mean` and `variance` broadcast to the input's rank, and not Keras weights.
    """

    supports_masking = True
    _track_plain_torch_params = False

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _axis_tuple(axis)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        if (mean is not None) != (variance is not None):
            raise ValueError("When setting values directly, both `mean` and `variance` must be set. "
                             f"Received: mean={mean} and variance={variance}")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError("When setting values directly, `mean` and `variance` must have the same shape. "
                                 f"Received: mean shape {np.shape(mean)} and variance shape {np.shape(variance)}")
            if len(np.shape(mean)) > len(self.axis):
                raise ValueError("The rank of `mean` must be less than or equal to the number of axes "
                                 f"({len(self.axis)}). Received: mean shape {np.shape(mean)} for axis {self.axis}")

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError("All `axis` values must be in the range [-ndim, ndim). "
                             f"Received inputs with ndim={ndim}, while axis={self.axis}")
        keep = tuple(sorted(a % ndim for a in self.axis))
        for d in keep:
            if input_shape[d] is None:
                raise ValueError("All `axis` values to be kept must have a known shape. Received "
                                 f"axis={self.axis}, inputs.shape={tuple(input_shape)}, with unknown axis at index {d}")
        self._build_input_shape = tuple(input_shape)
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(int(input_shape[d]) if d in keep else 1 for d in range(ndim))
        self._stat_shape = tuple(int(input_shape[d]) for d in keep)
        dtype = self._configured_dtype
        if self.input_mean is None:
            self.register_buffer("adapt_mean", torch.zeros(self._stat_shape, dtype=dtype))
            self.register_buffer("adapt_variance", torch.ones(self._stat_shape, dtype=dtype))
            self.register_buffer("count", torch.zeros((), dtype=torch.int64))
            for name, attr in (("mean", "adapt_mean"), ("variance", "adapt_variance"), ("count", "count")):
                self._add_buffer_slot(name, self, attr)
        else:
            self.register_buffer("mean", self._given(self.input_mean, ndim, dtype))
            self.register_buffer("variance", self._given(self.input_variance, ndim, dtype))

    def _given(self, value, ndim, dtype):
        value = torch.as_tensor(np.asarray(value.detach().cpu() if isinstance(value, torch.Tensor) else value),
                                dtype=dtype)
        if value.dim() > 0:
            expanded = [1] * ndim
            for i in range(1, value.dim() + 1):
                expanded[self._keep_axis[-i]] = value.shape[-i]
            value = value.reshape(expanded)
        return value.broadcast_to(self._broadcast_shape).clone()

    def get_build_config(self):
        if self._build_input_shape:
            return {"input_shape": self._build_input_shape}
        return None

    def build_from_config(self, config):
        if config:
            self.build_from_shape(tuple(config["input_shape"]))

    # ------------------------------------------------------------------ calling
    def call(self, inputs):
        x = inputs.to(self._dtype)
        buffers = self.__dict__["_buffers"]
        if "adapt_mean" in buffers:
            mean = buffers["adapt_mean"].reshape(self._broadcast_shape)
            variance = buffers["adapt_variance"].reshape(self._broadcast_shape)
        else:
            mean, variance = buffers["mean"], buffers["variance"]
        std = torch.sqrt(variance).clamp_min(backend.epsilon())
        if self.invert:
            return mean + x * std
        return (x - mean) / std

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    # ------------------------------------------------------------------ adapt
    def adapt(self, data):
        """Learn the mean and variance of `data` (see the class docstring for what it may be)."""
        batches = None
        if isinstance(data, (np.ndarray, torch.Tensor)):
            shape = tuple(data.shape)
        elif hasattr(data, "__iter__"):
            iterator = iter(data)
            first = next(iterator, None)
            if first is None:
                raise ValueError("adapt() received an empty iterable (no batches). Expected at least one batch. "
                                 "Pass a non-empty iterable of arrays or tensors, e.g. layer.adapt([x]).")
            first = _first_of_batch(first)
            if not hasattr(first, "shape"):
                raise TypeError("adapt() expects an iterable that yields arrays or tensors with a `.shape` attribute. "
                                f"Got an element of type {type(first).__name__}.")
            shape = tuple(first.shape)
            batches = (b for part in ([first], (_first_of_batch(b) for b in iterator)) for b in part)
        else:
            raise TypeError(f"Unsupported data type: {type(data)}. `adapt` supports `np.ndarray`, torch tensors, "
                            "and iterables of batches (e.g. a DataLoader, a list, a generator).")
        if not self.built:
            self.build_from_shape(shape)
        else:
            self._check_kept(shape, "adapt() is being called with data with an incompatible shape")
        if self.input_mean is not None:
            raise ValueError("adapt() cannot change the `mean` and `variance` given to the constructor.")
        if batches is None:
            values = _as_float64(data)
            mean = values.mean(dim=self._reduce_axis) if self._reduce_axis else values
            var = values.var(dim=self._reduce_axis, correction=0) if self._reduce_axis else torch.zeros_like(values)
        else:
            mean, var = self._running_moments(batches)
        with torch.no_grad():
            self.adapt_mean.copy_(mean.reshape(self._stat_shape))
            self.adapt_variance.copy_(var.reshape(self._stat_shape))

    def _check_kept(self, shape, what):
        for d in self._keep_axis:
            if len(shape) != len(self._build_input_shape) or shape[d] != self._build_input_shape[d]:
                raise ValueError(f"The layer was built with input_shape={self._build_input_shape}, but {what}, "
                                 f"data.shape={tuple(shape)}")

    def _running_moments(self, batches):
        """Keras's merge of per-batch moments, weighted by each batch's element count."""
        total_mean = torch.zeros(self._stat_shape, dtype=torch.float64)
        total_var = torch.zeros(self._stat_shape, dtype=torch.float64)
        total_count = 0
        for batch in batches:
            values = _as_float64(batch)
            self._check_kept(tuple(values.shape), "adapt() yielded a batch with an incompatible shape")
            if self._reduce_axis:
                batch_mean = values.mean(dim=self._reduce_axis)
                batch_var = values.var(dim=self._reduce_axis, correction=0)
                count = math.prod(values.shape[d] for d in self._reduce_axis)
            else:
                batch_mean, batch_var, count = values, torch.zeros_like(values), 1
            total_count += count
            weight = count / total_count
            new_mean = total_mean * (1 - weight) + batch_mean * weight
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1 - weight)
                         + (batch_var + (batch_mean - new_mean) ** 2) * weight)
            total_mean = new_mean
        return total_mean, total_var

    # ------------------------------------------------------------------ config
    def get_config(self):
        def plain(value):
            if isinstance(value, torch.Tensor):
                value = value.detach().cpu().numpy()
            return np.array(value).tolist()

        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": plain(self.input_mean), "variance": plain(self.input_variance)}
