"""`keras.saving.save_model` / `load_model` / `save_weights` / `load_weights`: which file format
a path means, as Keras 3 decides it.

| path | save | load |
|---|---|---|
| `*.keras` | Keras 3 zip (keras_archive) | the zip, or its weights with `load_weights` |
| `*.weights.h5` | Keras 3 weights (weights_h5) | Keras 3 weights, or legacy ones by content |
| `*.h5`, `*.hdf5` | `save`: Keras's legacy whole-model file | legacy whole model or weights (legacy_h5) |
| anything else | kerascompat's own torch file (torch_weights) | the same |

Every loader checks the whole file against the model before it changes anything, and a
broken file (truncated, corrupted, not what its name says) raises a ValueError naming it.
"""

import inspect
import os
import zipfile

import h5py

from . import keras_archive, legacy_h5, torch_weights, weights_h5

_LEGACY_SUFFIXES = (".h5", ".hdf5")


def _path(filepath, arg="filepath"):
    try:
        return os.fspath(filepath)
    except TypeError:
        raise TypeError(f"`{arg}` must be a path (str or os.PathLike). Received: `{arg}`={filepath!r}") from None


def _check_overwrite(filepath, overwrite):
    if not isinstance(overwrite, bool):
        raise TypeError(f"`overwrite` must be a bool. Received: `overwrite`={overwrite!r}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath} already exists and overwrite=False.")


def _check_exists(filepath):
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an accessible `.keras` "
                         "zip file, a `.weights.h5` file or a legacy `.h5` file.")


def _open_h5(filepath):
    try:
        return h5py.File(filepath, "r")
    except OSError as error:
        raise ValueError(f"Cannot load {filepath}: it is not a readable HDF5 file ({error}); the file is "
                         "truncated or corrupted.") from None


def compile_arguments(compile_method, args, kwargs):
    """The arguments of a `compile` call, defaults filled in (what `get_compile_config` saves)."""
    bound = inspect.signature(compile_method).bind(*args, **kwargs)
    bound.apply_defaults()
    return dict(bound.arguments)


# ----------------------------------------------------------------------------- whole models
def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Keras's `keras.saving.save_model`: `.keras` writes the Keras 3 zip, `.h5` the legacy file."""
    filepath = _path(filepath)
    include_optimizer = kwargs.pop("include_optimizer", True)
    if kwargs:
        raise ValueError(f"save_model: unexpected keyword arguments. Received: `kwargs`={kwargs!r}")
    if zipped is False:
        raise NotImplementedError("save_model: the Keras argument `zipped=False` (an unzipped directory) is not "
                                  "supported by kerascompat. Received: `zipped`=False")
    if filepath.endswith(_LEGACY_SUFFIXES):
        _check_overwrite(filepath, overwrite)
        with h5py.File(filepath, "w") as h5file:
            legacy_h5.save_model(model, h5file, include_optimizer=include_optimizer)
        return
    if not filepath.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` extension for the "
                         f"native Keras format (recommended) or a `.h5` extension. Received: `filepath`={filepath!r}")
    _check_overwrite(filepath, overwrite)
    keras_archive.save(model, filepath, include_optimizer=include_optimizer)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Keras's `keras.models.load_model` for `.keras` zips and legacy `.h5` files: a model of
    kerascompat layers (torch modules) with the file's weights, compiled from the file's
    compile config (with the optimizer's state) when `compile=True`."""
    filepath = _path(filepath)
    _check_exists(filepath)
    if filepath.endswith(".keras") or (zipfile.is_zipfile(filepath) and not h5py.is_hdf5(filepath)):
        return keras_archive.load(filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode)
    if filepath.endswith(_LEGACY_SUFFIXES) or h5py.is_hdf5(filepath):
        with _open_h5(filepath) as h5file:
            return legacy_h5.load_model(h5file, filepath, custom_objects, compile, safe_mode)
    raise ValueError(f"File format not supported: filepath={filepath}. kerascompat's `load_model` reads `.keras` "
                     "zips and legacy `.h5` files.")


# ----------------------------------------------------------------------------------- weights
def save_weights(model, filepath, overwrite=True, max_shard_size=None):
    """`*.weights.h5`: Keras 3's weights file; other non-Keras paths: kerascompat's torch file."""
    filepath = _path(filepath)
    if max_shard_size is not None:
        raise NotImplementedError("save_weights: the Keras argument `max_shard_size` is not supported by "
                                  f"kerascompat. Received: `max_shard_size`={max_shard_size!r}")
    if filepath.endswith(".weights.h5"):
        _check_overwrite(filepath, overwrite)
        with h5py.File(filepath, "w") as h5file:
            weights_h5.write(model, h5file)
        return
    if filepath.endswith(_LEGACY_SUFFIXES + (".keras",)):
        raise ValueError("The filename must end in `.weights.h5` for Keras's weights format (or use any other "
                         f"extension, e.g. `.weights.pt`, for kerascompat's torch file). Received: `filepath`={filepath!r}")
    _check_overwrite(filepath, overwrite)
    torch_weights.save(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, by_name=False):
    """Load weights from a `.weights.h5`, a `.keras` zip, a legacy `.h5` (by topology, or
    `by_name=True` as Keras 2) or a kerascompat torch file; all or nothing."""
    filepath = _path(filepath)
    if not isinstance(skip_mismatch, bool):
        raise TypeError(f"`skip_mismatch` must be a bool. Received: `skip_mismatch`={skip_mismatch!r}")
    _check_exists(filepath)
    if h5py.is_hdf5(filepath) or filepath.endswith(".weights.h5") or filepath.endswith(_LEGACY_SUFFIXES):
        with _open_h5(filepath) as h5file:
            if legacy_h5.is_legacy_h5(h5file):
                legacy_h5.load_weights(model, h5file, filepath, by_name=by_name, skip_mismatch=skip_mismatch)
                return
            if by_name:
                raise ValueError("`by_name=True` applies to legacy `.h5` weights only; this is a Keras 3 weights "
                                 f"file. Received: `by_name`=True")
            try:
                weights_h5.load(model, h5file, filepath, skip_mismatch=skip_mismatch)
            except (KeyError, OSError) as error:
                raise ValueError(f"Cannot load {filepath}: the file cannot be read ({error}).") from None
        return
    if by_name:
        raise ValueError(f"`by_name=True` applies to legacy `.h5` weights only. Received: `by_name`=True")
    if filepath.endswith(".keras") or _is_keras_zip(filepath):
        config, weights = keras_archive.read_archive(filepath)
        if weights is None:
            raise ValueError(f"Cannot load {filepath}: the archive holds no weights.")
        with keras_archive.open_weights(weights, filepath) as h5file:
            weights_h5.load(model, h5file, filepath, skip_mismatch=skip_mismatch)
        return
    if skip_mismatch:
        raise NotImplementedError("load_weights: `skip_mismatch=True` is not supported for kerascompat's torch "
                                  "weights file. Received: `skip_mismatch`=True")
    torch_weights.load(model, filepath)


def _is_keras_zip(filepath):
    if not zipfile.is_zipfile(filepath):
        return False
    try:
        with zipfile.ZipFile(filepath) as archive:
            return keras_archive.CONFIG in archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
