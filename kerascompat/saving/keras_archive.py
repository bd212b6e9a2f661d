"""The `.keras` file (Keras 3's `saving_lib`): a zip of `metadata.json`, `config.json` (the
model's `serialize_keras_object`, with `compile_config`) and `model.weights.h5` (weights_h5).

`load` rebuilds the model from its Keras config with our from_config (every layer a torch
module), compiles it from `compile_config` (loss, metrics, the optimizer with its Keras
hyper-parameters, mapped to its torch optimizer) and restores the weights and the optimizer's
variables. `save` writes the same archive from one of our models, which tf.keras's
`load_model` reads.
"""

import datetime
import io
import json
import warnings
import zipfile

import h5py

from . import serialization_lib as _lib
from .object_registration import CustomObjectScope
from . import weights_h5

CONFIG = "config.json"
METADATA = "metadata.json"
WEIGHTS = "model.weights.h5"
KERAS_VERSION = "3.15.1"  # the Keras whose format these files follow


def _json_default(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable: {value!r}")


# ------------------------------------------------------------------------------ compile config
_COMPILE_KEYS = ("optimizer", "loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                 "steps_per_execution", "jit_compile")


def compile_config(model):
    """Keras's `model.get_compile_config()`: the serialized arguments of `compile`, or None."""
    arguments = getattr(model, "_compile_arguments", None)
    if not getattr(model, "compiled", False) or arguments is None:
        return None
    arguments = dict(arguments)
    optimizer = arguments.get("optimizer")
    if optimizer is not None and not isinstance(optimizer, str) and not hasattr(optimizer, "get_config"):
        warnings.warn(f"The model was compiled with {type(optimizer).__name__}, which a Keras config cannot "
                      "describe: the saved compile config has no optimizer (tf.keras uses its default).",
                      stacklevel=4)
        arguments.pop("optimizer")
    for key in ("loss", "metrics"):
        value = arguments.get(key)
        try:
            _lib.serialize_keras_object(value)
        except TypeError:
            warnings.warn(f"The model's `{key}` cannot be described by a Keras config and is not saved: "
                          f"{value!r}", stacklevel=4)
            arguments.pop(key)
    return {key: _lib.serialize_keras_object(arguments[key]) for key in _COMPILE_KEYS if key in arguments}


def compile_from_config(model, config, filepath):
    """Keras's `model.compile_from_config`: compile with the deserialized arguments. A config
    kerascompat cannot follow (a learning-rate schedule, ...) leaves the model uncompiled,
    with a warning naming the reason, as Keras does for a config it cannot compile."""
    try:
        arguments = _lib.deserialize_keras_object(config)
        arguments = {k: v for k, v in arguments.items() if k in _COMPILE_KEYS}
        if arguments.get("jit_compile") not in (True, False, "auto"):
            arguments.pop("jit_compile", None)
        model.compile(**arguments)
    except (NotImplementedError, ValueError, TypeError) as error:
        warnings.warn(f"{filepath}: the model could not be compiled from its saved compile config, so it is "
                      f"returned uncompiled. Reason: {error}", stacklevel=4)
        return False
    return True


# ------------------------------------------------------------------------------------- save
def save(model, filepath, include_optimizer=True):
    config = _lib.serialize_keras_object(model)
    compiled = compile_config(model)
    if compiled is not None:
        config["compile_config"] = compiled
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        weights_h5.write(model, h5file, include_optimizer=include_optimizer)
    with zipfile.ZipFile(filepath, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr(METADATA, json.dumps(metadata))
        archive.writestr(CONFIG, json.dumps(config, default=_json_default))
        archive.writestr(WEIGHTS, buffer.getvalue())


# ------------------------------------------------------------------------------------- load
def read_archive(filepath):
    """(config dict, weights bytes or None) of a `.keras` zip; ValueError for a broken file."""
    try:
        with zipfile.ZipFile(filepath, "r") as archive:
            names = set(archive.namelist())
            if CONFIG not in names:
                raise ValueError(f"Cannot load {filepath}: the archive has no {CONFIG} (entries: {sorted(names)}); "
                                 "it is not a Keras model file.")
            config_text = archive.read(CONFIG)
            weights = archive.read(WEIGHTS) if WEIGHTS in names else None
            if weights is None and "model.weights.npz" in names:
                raise NotImplementedError(f"{filepath} stores its weights as model.weights.npz, which kerascompat "
                                          "does not read. Received: `filepath`=" + repr(str(filepath)))
    except zipfile.BadZipFile as error:
        raise ValueError(f"Cannot load {filepath}: it is not a valid .keras zip archive ({error}); the file is "
                         "truncated or corrupted.") from None
    except (zipfile.LargeZipFile, EOFError, OSError) as error:
        raise ValueError(f"Cannot load {filepath}: the archive cannot be read ({error}).") from None
    try:
        config = json.loads(config_text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"Cannot load {filepath}: its {CONFIG} is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Cannot load {filepath}: its {CONFIG} does not describe a Keras object.")
    return config, weights


def open_weights(weights, filepath):
    try:
        return h5py.File(io.BytesIO(weights), "r")
    except OSError as error:
        raise ValueError(f"Cannot load {filepath}: its {WEIGHTS} is not a readable HDF5 file ({error}); the "
                         "file is truncated or corrupted.") from None


def load(filepath, custom_objects=None, compile=True, safe_mode=True):
    config, weights = read_archive(filepath)
    compile_cfg = config.pop("compile_config", None)
    model = _lib.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    compiled = False
    if compile and compile_cfg:
        with CustomObjectScope(custom_objects), _lib.SafeModeScope(safe_mode):
            compiled = compile_from_config(model, compile_cfg, filepath)
    if weights is not None:
        with open_weights(weights, filepath) as h5file:
            try:
                weights_h5.load(model, h5file, filepath, load_optimizer=compiled)
            except (KeyError, OSError) as error:
                raise ValueError(f"Cannot load {filepath}: its {WEIGHTS} cannot be read ({error}).") from None
    return model
