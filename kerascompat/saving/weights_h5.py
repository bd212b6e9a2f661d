"""Keras 3's HDF5 weights layout (`*.weights.h5`, and `model.weights.h5` in a `.keras` zip):
`<path>/vars/<i>` per layer (paths from keras_paths), `optimizer/vars/<i>` for the optimizer.

Loading is all or nothing: every array is read and checked against the model (count and
Keras-layout shape of each layer's weights, no layer of the file left unused) before any
weight changes; a mismatch raises a ValueError naming the file, the layer path and the weight.
"""

import warnings

import h5py
import numpy as np
import torch

from . import keras_paths, optimizer_state


def _dataset(value):
    # C order, keeping the rank: np.ascontiguousarray would turn a scalar weight (Attention's
    # `scale`, shape ()) into shape (1,), which Keras refuses to assign
    return np.array(value, order="C", copy=True)


def write(model, h5file, include_optimizer=True):
    """Write the model's weights (and optimizer variables) into an open, empty h5py.File."""
    h5file.create_group("vars")
    for path, layer in keras_paths.saveable_entries(model):
        if not path:
            group = h5file["vars"]
        else:
            group = h5file.create_group(keras_paths.vars_path(path))
        for i, slot in enumerate(keras_paths.own_slots(layer)):
            group[str(i)] = _dataset(slot.keras_view().detach().cpu().numpy())
    if include_optimizer:
        values = optimizer_state.save_optimizer_variables(model)
        if values is not None:
            group = h5file.create_group("optimizer/vars")
            for i, value in enumerate(values):
                group[str(i)] = value


def _read_group(group):
    """The arrays `0`, `1`, ... of a `vars` group, in index order."""
    keys = sorted(group.keys(), key=lambda k: int(k) if k.isdigit() else -1)
    if any(not k.isdigit() for k in keys) or keys != [str(i) for i in range(len(keys))]:
        raise ValueError(f"its group {group.name!r} holds {sorted(group.keys())}, not variables 0..n-1")
    out = []
    for key in keys:
        dataset = group[key]
        if not isinstance(dataset, h5py.Dataset):
            raise ValueError(f"{dataset.name!r} is not a dataset")
        value = dataset[()]
        if dataset.attrs.get("dtype") == "bfloat16":
            value = np.asarray(value, dtype=np.float32)
        out.append(np.asarray(value))
    return out


def _all_vars_groups(h5file):
    """Every `<path>/vars` group holding datasets, except the optimizer's: {path: group}."""
    found = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Group) and (name == "vars" or name.endswith("/vars")) and len(obj):
            found[name[: -len("vars")].rstrip("/")] = obj

    h5file.visititems(visit)
    found.pop("optimizer", None)
    return found


def plan_load(model, h5file, filepath, skip_mismatch=False):
    """[(slot, Keras-layout array)] to assign, and the optimizer variables (or None); raises a
    ValueError naming the first mismatch. Nothing is changed."""
    legacy_fallback = "_layer_checkpoint_dependencies" in h5file  # files written by Keras 2.13
    groups = _all_vars_groups(h5file)
    assignments, used = [], set()
    for path, layer in keras_paths.saveable_entries(model):
        slots = keras_paths.own_slots(layer)
        key = path
        if key not in groups and legacy_fallback:
            key = path.replace("layers", "_layer_checkpoint_dependencies")
        group = groups.get(key)
        if group is None:
            if slots:
                if skip_mismatch:
                    _skipped(filepath, layer, "the file holds no weights for it")
                    continue
                raise ValueError(f"Cannot load {filepath} into model {model.name!r}: layer {layer.name!r} "
                                 f"({type(layer).__name__}, file path '{path or 'vars'}') has {len(slots)} weights "
                                 f"({[s.path for s in slots]}) but the file holds none for it.")
            continue
        used.add(key)
        try:
            values = _read_group(group)
        except (ValueError, OSError, KeyError) as error:
            raise ValueError(f"Cannot load {filepath}: {error}") from None
        if len(values) != len(slots):
            if skip_mismatch:
                _skipped(filepath, layer, f"it has {len(slots)} weights, the file {len(values)}")
                continue
            raise ValueError(f"Cannot load {filepath} into model {model.name!r}: layer {layer.name!r} "
                             f"({type(layer).__name__}, file path '{path}') expected {len(slots)} variables "
                             f"({[s.path for s in slots]}), but received {len(values)} variables.")
        pending = []
        for i, (slot, value) in enumerate(zip(slots, values)):
            expected = tuple(slot.keras_shape())
            if tuple(value.shape) != expected:
                if skip_mismatch:
                    _skipped(filepath, layer, f"weight {slot.path!r} is {expected}, the file's {tuple(value.shape)}")
                    pending = None
                    break
                raise ValueError(f"Cannot load {filepath} into model {model.name!r}: layer {layer.name!r} weight "
                                 f"{slot.path!r} (file '{path}/vars/{i}') has shape {expected} in Keras layout, "
                                 f"but the file's has shape {tuple(value.shape)}.")
            pending.append((slot, value))
        if pending:
            assignments.extend(pending)
    unused = sorted(set(groups) - used)
    if unused and skip_mismatch:
        warnings.warn(f"{filepath}: weights at {[p + '/vars' for p in unused]} match no layer of the model and were "
                      "not loaded (skip_mismatch=True).", stacklevel=4)
    elif unused:
        raise ValueError(f"Cannot load {filepath} into model {model.name!r}: the file holds weights at "
                         f"{[p + '/vars' for p in unused]} that no layer of the model has (a different "
                         "architecture?).")
    optimizer_values = None
    if "optimizer/vars" in h5file:
        try:
            optimizer_values = _read_group(h5file["optimizer/vars"])
        except (ValueError, OSError, KeyError) as error:
            raise ValueError(f"Cannot load {filepath}: {error}") from None
    return assignments, optimizer_values


def _skipped(filepath, layer, reason):
    warnings.warn(f"Skipping loading weights for layer {layer.name!r} from {filepath} (skip_mismatch=True): "
                  f"{reason}.", stacklevel=5)


def apply(assignments):
    for slot, value in assignments:
        slot.assign_keras(torch.as_tensor(value))


def load(model, h5file, filepath, skip_mismatch=False, load_optimizer=True):
    """Load a Keras 3 weights file (an open h5py.File) into the model, all or nothing."""
    assignments, optimizer_values = plan_load(model, h5file, filepath, skip_mismatch)
    if load_optimizer and optimizer_values is not None and getattr(model, "compiled", False):
        # The optimizer first: its checks may raise, and then no weight has changed yet.
        optimizer_state.load_optimizer_variables(model, optimizer_values, filepath)
    apply(assignments)
