"""The inputs `fit`, `evaluate` and `predict` accept, as batches of torch tensors.

In-memory arrays and tensors (and nested lists/tuples/dicts of them) are moved to the model's
device once and sliced per batch; a DataLoader, a map-style Dataset (wrapped in a DataLoader)
or a generator yields its own batches of `x`, `(x, y)` or `(x, y, sample_weight)`.
"""

import math

import numpy as np
import torch

from .. import _tree


def to_tensor(x, device):
    """A numpy array / tensor / scalar as a tensor on `device` (floats become float32, as Keras)."""
    if x is None:
        return None
    if isinstance(x, torch.Tensor):
        return x if x.device == device else x.to(device)
    tensor = torch.from_numpy(np.ascontiguousarray(np.asarray(x)))
    if tensor.is_floating_point():
        tensor = tensor.float()
    return tensor.to(device)


def to_device(structure, device):
    return None if structure is None else _tree.map_structure(lambda a: to_tensor(a, device), structure)


def num_samples(x):
    return int(_tree.flatten(x)[0].shape[0])


def take(x, index):
    if type(x) is torch.Tensor:
        return x[index]
    return _tree.map_structure(lambda t: t[index], x)


def is_array_like(x):
    return isinstance(x, (np.ndarray, torch.Tensor, list, tuple, dict))


class ArrayBatches:
    """Batches over in-memory tensors (structures of them), shuffled each epoch if asked."""

    def __init__(self, x, y, sample_weight, batch_size, shuffle, steps=None):
        self.x, self.y, self.sample_weight = x, y, sample_weight
        self.n = num_samples(x)
        self.batch_size, self.shuffle, self.steps = batch_size, shuffle, steps

    def num_steps(self):
        full = math.ceil(self.n / self.batch_size)
        return full if self.steps is None else min(self.steps, full)

    def __iter__(self):
        device = _tree.flatten(self.x)[0].device
        order = torch.randperm(self.n, device=device) if self.shuffle else None
        for step, start in enumerate(range(0, self.n, self.batch_size)):
            if self.steps is not None and step >= self.steps:
                return
            index = slice(start, start + self.batch_size) if order is None else order[start:start + self.batch_size]
            yield (take(self.x, index), None if self.y is None else take(self.y, index),
                   None if self.sample_weight is None else self.sample_weight[index])


class IterableBatches:
    """Batches from a DataLoader, a Dataset of (x, y) pairs, or a generator of x / (x, y[, w])."""

    def __init__(self, source, device, steps=None):
        self.source, self.device, self.steps = source, device, steps

    def num_steps(self):
        """Steps per epoch, or None for a generator of unknown length."""
        if self.steps is not None:
            return self.steps
        try:
            return len(self.source)
        except TypeError:
            return None

    def __iter__(self):
        for i, batch in enumerate(self.source):
            if self.steps is not None and i >= self.steps:
                return
            x, y, w = unpack_x_y_sample_weight(batch)
            yield to_device(x, self.device), to_device(y, self.device), to_device(w, self.device)


def unpack_x_y_sample_weight(data):
    """Keras's unpacking of one batch: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`. "
                     f"Received: data={data!r}")


def batches(x, y, sample_weight, batch_size, shuffle, steps, device):
    """The batch source for `x` (and `y`, `sample_weight` when `x` holds arrays)."""
    if isinstance(x, (torch.utils.data.DataLoader, torch.utils.data.Dataset)) or (
            hasattr(x, "__iter__") and not is_array_like(x)):
        if y is not None:
            raise ValueError("`y` must not be given when `x` is a DataLoader, a Dataset or a generator.")
        source = x
        if isinstance(x, torch.utils.data.Dataset) and not isinstance(x, torch.utils.data.IterableDataset):
            source = torch.utils.data.DataLoader(x, batch_size=batch_size or 32, shuffle=shuffle)
        return IterableBatches(source, device, steps)
    x, y = to_device(x, device), to_device(y, device)
    n = num_samples(x)
    if y is not None and any(int(t.shape[0]) != n for t in _tree.flatten(y)):
        raise ValueError(f"Data cardinality is ambiguous: x has {n} samples but y has "
                         f"{[int(t.shape[0]) for t in _tree.flatten(y)]}. Make sure they have the same length.")
    sw = None if sample_weight is None else to_tensor(sample_weight, device).float()
    if sw is not None and sw.shape[0] != n:
        raise ValueError(f"`sample_weight` has {sw.shape[0]} entries but x has {n} samples.")
    return ArrayBatches(x, y, sw, batch_size or 32, shuffle, steps)


def split_validation(x, y, sample_weight, validation_split):
    """Keras's `validation_split`: the last fraction of the arrays, taken before any shuffling."""
    if not is_array_like(x):
        raise ValueError("`validation_split` is only supported for array or tensor inputs.")
    n = num_samples(x)
    split = int(n * (1.0 - validation_split))

    def cut(data, a, b):
        return None if data is None else _tree.map_structure(lambda t: t[a:b], data)

    validation = (cut(x, split, n), cut(y, split, n), cut(sample_weight, split, n))
    return (cut(x, 0, split), cut(y, 0, split), cut(sample_weight, 0, split)), validation


def unpack_validation(data):
    if isinstance(data, (list, tuple)):
        if len(data) == 2:
            return data[0], data[1], None
        if len(data) == 3:
            return tuple(data)
        raise ValueError(f"`validation_data` must be (x, y) or (x, y, sample_weight). "
                         f"Received a sequence of length {len(data)}.")
    return data, None, None


def class_weights_to_sample_weights(y, sample_weight, class_weight):
    """Multiply `sample_weight` by the weight of each sample's class (integer or one-hot labels)."""
    if not class_weight:
        return sample_weight
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for models with a single output.")
    labels = y.argmax(-1) if (y.dim() > 1 and y.shape[-1] > 1) else y.reshape(y.shape[0], -1)[:, 0]
    table = torch.zeros(int(max(class_weight)) + 1, device=y.device)
    for cls, weight in class_weight.items():
        table[int(cls)] = float(weight)
    weights = table[labels.long()]
    return weights if sample_weight is None else sample_weight * weights


def concat_predictions(outputs):
    """Concatenate per-batch numpy outputs (structures of them) along the batch axis."""
    if not outputs:
        return np.zeros((0,))
    first = outputs[0]
    if isinstance(first, np.ndarray):
        return np.concatenate(outputs)
    flat = [np.concatenate(parts) for parts in zip(*[_tree.flatten(o) for o in outputs])]
    return _tree.pack_like(first, flat)


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """One batch as Keras hands it to `train_step`: `(x,)`, `(x, y)` or `(x, y, sample_weight)`."""
    if y is None and sample_weight is None:
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
