"""Legacy HDF5 files (Keras 2, tf.keras 2.x, and Keras 3's `model.save("x.h5")`), read into our
layers (`keras/src/legacy/saving/legacy_h5_format.py`).

- Whole model: root attributes `model_config` (JSON, maybe bytes) and `training_config`,
  weights in group `model_weights`, the optimizer's in `optimizer_weights`.
- Weights only (`save_weights("x.h5")` in Keras 2): the same layer groups at the file root.
Each layer group lists its arrays in the attribute `weight_names` (Keras 2 wrote
`dense/kernel:0`, Keras 3 `dense/kernel`); long lists are split into `layer_names0`,
`layer_names1`, ... Loading is positional, as Keras's: the file's layers that have weights
pair with the model's layers that have weights, in order; inside a layer the arrays are its
`trainable_weights + non_trainable_weights` (so a frozen layer lists its weights after the
trainable ones of a nested model). `by_name=True` pairs layers by name instead.
"""

import json
import warnings

import numpy as np

from . import keras_paths, optimizer_state
from . import serialization_lib as _lib
from . import weights_h5
from .keras_archive import KERAS_VERSION, compile_config, compile_from_config


def _attribute_list(group, name):
    """Keras's `load_attributes_from_hdf5_group`: the attribute, or its chunks name0, name1, ..."""
    if name in group.attrs:
        values = list(group.attrs[name])
    else:
        values, chunk = [], 0
        while f"{name}{chunk}" in group.attrs:
            values.extend(group.attrs[f"{name}{chunk}"])
            chunk += 1
    return [v.decode("utf8") if hasattr(v, "decode") else str(v) for v in values]


def _text_attribute(h5file, name):
    value = h5file.attrs.get(name)
    if value is None:
        return None
    return value.decode("utf-8") if hasattr(value, "decode") else str(value)


def legacy_slots(layer):
    """The layer's weights in Keras's legacy order: trainable, then non-trainable (as now set)."""
    slots = layer._all_slots()
    trainable = [s for s in slots if s.trainable and not s.is_buffer and all(p.requires_grad for p in s.params)]
    ids = {id(s) for s in trainable}
    return trainable + [s for s in slots if id(s) not in ids]


def _layer_arrays(group, filepath):
    names = _attribute_list(group, "weight_names")
    try:
        return names, [np.asarray(group[name][()]) for name in names]
    except (KeyError, OSError) as error:
        raise ValueError(f"Cannot load {filepath}: layer group {group.name!r} lists weight(s) {names} that "
                         f"cannot be read ({error}); the file is truncated or corrupted.") from None


def _match(layer, names, arrays, filepath, file_layer):
    slots = legacy_slots(layer)
    if len(arrays) != len(slots):
        raise ValueError(f"Cannot load {filepath}: layer #{file_layer!r} of the file holds {len(arrays)} weights "
                         f"({names}) but the model's layer {layer.name!r} ({type(layer).__name__}) has "
                         f"{len(slots)} ({[s.path for s in slots]}).")
    out = []
    for slot, name, value in zip(slots, names, arrays):
        expected = tuple(slot.keras_shape())
        if tuple(value.shape) != expected:
            raise ValueError(f"Cannot load {filepath}: layer {layer.name!r} weight {slot.path!r} has shape "
                             f"{expected} in Keras layout, but the file's {name!r} has shape {tuple(value.shape)}.")
        out.append((slot, value))
    return out


def plan_weights(model, group, filepath, by_name=False, skip_mismatch=False):
    """[(slot, array)] for a legacy weights group (`model_weights` or a weights-only file's root)."""
    file_layers = _attribute_list(group, "layer_names")
    if not file_layers:
        raise ValueError(f"Cannot load {filepath}: it has no `layer_names` attribute; it is not a Keras weights file.")
    with_weights = []
    for name in file_layers:
        if name not in group:
            raise ValueError(f"Cannot load {filepath}: layer {name!r} is listed but its group is missing; the file "
                             "is truncated or corrupted.")
        names = _attribute_list(group[name], "weight_names")
        if names:
            with_weights.append(name)
    assignments = []
    if by_name:
        layers = {layer.name: layer for layer in model.layers}
        for name in with_weights:
            layer = layers.get(name)
            if layer is None:
                continue
            names, arrays = _layer_arrays(group[name], filepath)
            _extend_or_skip(assignments, layer, names, arrays, filepath, name, skip_mismatch)
        return assignments
    layers = [layer for layer in model.layers if layer._all_slots()]
    if len(with_weights) != len(layers):
        raise ValueError(f"Cannot load {filepath}: it holds weights for {len(with_weights)} layers "
                         f"({with_weights}) but the model {model.name!r} has {len(layers)} layers with weights "
                         f"({[l.name for l in layers]}).")
    for name, layer in zip(with_weights, layers):
        names, arrays = _layer_arrays(group[name], filepath)
        _extend_or_skip(assignments, layer, names, arrays, filepath, name, skip_mismatch)
    return assignments


def _extend_or_skip(assignments, layer, names, arrays, filepath, file_layer, skip_mismatch):
    try:
        assignments.extend(_match(layer, names, arrays, filepath, file_layer))
    except ValueError as error:
        if not skip_mismatch:
            raise
        warnings.warn(f"Skipping loading weights for layer {layer.name!r} (skip_mismatch=True): {error}", stacklevel=5)


def load_weights(model, h5file, filepath, by_name=False, skip_mismatch=False):
    """Load a legacy `.h5` (weights-only or whole-model file) into the model, all or nothing."""
    group = h5file["model_weights"] if "model_weights" in h5file else h5file
    weights_h5.apply(plan_weights(model, group, filepath, by_name, skip_mismatch))


def _normalize_keras2(config):
    """Keras 2 spellings in a model config -> Keras 3's (`batch_input_shape` -> `batch_shape`)."""
    if isinstance(config, list):
        return [_normalize_keras2(c) for c in config]
    if not isinstance(config, dict):
        return config
    out = {k: _normalize_keras2(v) for k, v in config.items()}
    if out.get("class_name") == "InputLayer" and isinstance(out.get("config"), dict):
        inner = out["config"]
        if "batch_input_shape" in inner and "batch_shape" not in inner:
            inner["batch_shape"] = inner.pop("batch_input_shape")
    return out


def _warn_keras2_hard_sigmoid(h5file, config_text, filepath):
    """Keras 2's hard_sigmoid is 0.2x+0.5, Keras 3's (and torch's) x/6+0.5 (keras-team/keras PR
    #19477): a Keras 2 model using it computes other numbers under Keras 3 and here."""
    version = _text_attribute(h5file, "keras_version") or ""
    if version[:1].isdigit() and int(version.split(".")[0]) < 3 and '"hard_sigmoid"' in config_text:
        warnings.warn(f"{filepath} was written by Keras {version} and uses `hard_sigmoid`, which Keras 2 defined as "
                      "0.2*x+0.5; kerascompat, like Keras 3, computes x/6+0.5, so outputs differ from the file's "
                      "Keras.", stacklevel=4)


def _compile(model, training_config, filepath):
    optimizer = training_config.get("optimizer_config")
    compile_config = {"optimizer": optimizer, "loss": training_config.get("loss"),
                      "loss_weights": training_config.get("loss_weights"),
                      "metrics": training_config.get("metrics"),
                      "weighted_metrics": training_config.get("weighted_metrics")}
    return compile_from_config(model, {k: v for k, v in compile_config.items() if v is not None}, filepath)


def load_model(h5file, filepath, custom_objects=None, compile=True, safe_mode=True):
    text = _text_attribute(h5file, "model_config")
    if text is None:
        raise ValueError(f"Cannot load {filepath}: it has no `model_config` attribute; it holds weights only "
                         "(load them with `model.load_weights`).")
    try:
        config = _normalize_keras2(json.loads(text))
    except json.JSONDecodeError as error:
        raise ValueError(f"Cannot load {filepath}: its `model_config` is not valid JSON ({error}).") from None
    _warn_keras2_hard_sigmoid(h5file, text, filepath)
    model = _lib.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    if "model_weights" not in h5file:
        raise ValueError(f"Cannot load {filepath}: it has no `model_weights` group; the file is truncated.")
    assignments = plan_weights(model, h5file["model_weights"], filepath)
    training = _text_attribute(h5file, "training_config")
    if compile and training is not None and _compile(model, json.loads(training), filepath):
        if "optimizer_weights" in h5file:
            group = h5file["optimizer_weights"]
            names = _attribute_list(group, "weight_names")
            values = [np.asarray(group[name][()]) for name in names]
            optimizer_state.load_optimizer_variables(model, values, filepath)
    weights_h5.apply(assignments)
    return model


def is_legacy_h5(h5file):
    return "layer_names" in h5file.attrs or "layer_names0" in h5file.attrs or "model_weights" in h5file



# ----------------------------------------------------------------------------------- writing
def _weight_names(layer):
    """{id(slot): unique name} for a layer's weights, `<layer>/<sub-path>/<weight>` as Keras 3's
    legacy writer names them by variable path (`bidirectional/forward_layer/cell/kernel`)."""
    names = {}
    for path, sub in keras_paths.saveable_entries(layer):
        prefix = "/".join(p for p in (layer.name, path) if p)
        for slot in keras_paths.own_slots(sub):
            names.setdefault(id(slot), f"{prefix}/{slot.name}")
    return names


def _write_group(group, names_and_values):
    group.attrs["weight_names"] = np.array([n.encode("utf8") for n, _ in names_and_values])
    for name, value in names_and_values:
        dataset = group.create_dataset(name, value.shape, dtype=value.dtype)
        if value.shape:
            dataset[:] = value
        else:
            dataset[()] = value


def save_model(model, h5file, include_optimizer=True):
    """Keras 3's `model.save("x.h5")` (legacy_h5_format.save_model_to_hdf5): the model config
    and training config as attributes, one group per layer in `model_weights` (sorted by name)
    with its weights in legacy order, the optimizer's variables in `optimizer_weights`."""
    config = _lib.serialize_keras_object(model)
    config.pop("build_config", None)
    h5file.attrs["backend"] = "torch"
    h5file.attrs["keras_version"] = KERAS_VERSION
    h5file.attrs["model_config"] = json.dumps(config, default=_json_default).encode("utf8")
    compiled = compile_config(model) if include_optimizer else None
    if compiled is not None:
        training = {k: v for k, v in compiled.items() if k != "optimizer"}
        optimizer = compiled.get("optimizer")
        if isinstance(optimizer, str):
            optimizer = {"class_name": optimizer, "config": {}}
        if optimizer is not None:
            training["optimizer_config"] = {"class_name": optimizer["class_name"], "config": optimizer["config"]}
        h5file.attrs["training_config"] = json.dumps(training, default=_json_default).encode("utf8")
    group = h5file.create_group("model_weights")
    group.attrs["layer_names"] = np.array([layer.name.encode("utf8") for layer in model.layers])
    group.attrs["backend"] = "torch"
    group.attrs["keras_version"] = KERAS_VERSION
    for layer in sorted(model.layers, key=lambda l: l.name):
        names = _weight_names(layer)
        _write_group(group.create_group(layer.name),
                     [(names[id(s)], s.keras_view().detach().cpu().numpy()) for s in legacy_slots(layer)])
    _write_group(group.create_group("top_level_model_weights"), [])
    values = optimizer_state.save_optimizer_variables(model) if include_optimizer else None
    if values:
        _write_group(h5file.create_group("optimizer_weights"),
                     [(f"optimizer/variable_{i}", np.asarray(v)) for i, v in enumerate(values)])


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable: {value!r}")
