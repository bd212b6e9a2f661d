"""One serializer for every Keras object: Keras's `{"module", "class_name", "config",
"registered_name"}` form, as tf.keras 3 writes and reads it.

Names resolve through `object_registration`: the active custom-object scope and the
`custom_objects` argument, then `register_keras_serializable` names, then Keras's public
names (which kerascompat's modules export there at import time). A `module` that is not a
public Keras module (Keras 2.13-2.15 files write e.g. `keras.src.engine.functional`) is
resolved by `class_name`. Deserialization runs every `from_config` inside a custom-object
scope, so nested `from_config` calls (an RNN's cell, a nested model) see the same objects.
"""

import base64
import marshal
import threading
import types
import warnings

import numpy as np
import torch

from . import object_registration as _reg

PLAIN_TYPES = (str, int, float, bool)

# Keras modules whose functions may be written as {"module": "builtins", "class_name": "function"}.
BUILTIN_MODULES = ("keras.activations", "keras.constraints", "keras.initializers", "keras.losses",
                   "keras.metrics", "keras.optimizers", "keras.regularizers")

# Where a class name is looked for when the config's module is not a public Keras module.
_SEARCH_ORDER = ("keras.layers", "keras", "keras.models", "keras.src.models.functional", "keras.initializers", "keras.regularizers",
                 "keras.constraints", "keras.losses", "keras.metrics", "keras.optimizers",
                 "keras.activations", "keras.dtype_policies")

_safe_mode = threading.local()


class SafeModeScope:
    """Sets the safe mode that nested deserialization calls see (per thread)."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._previous = in_safe_mode()
        _safe_mode.value = self.safe_mode
        return self

    def __exit__(self, *exc_info):
        _safe_mode.value = self._previous


def in_safe_mode():
    """The safe mode of the enclosing deserialization (None outside any)."""
    return getattr(_safe_mode, "value", None)


def enable_unsafe_deserialization():
    """Allow Python lambdas to be deserialized in this thread from now on."""
    _safe_mode.value = False


class KerasTensorRef:
    """A deserialized `__keras_tensor__`: the shape, dtype and [layer name, node index, tensor
    index] of a symbolic tensor, resolved against the layers of the model being rebuilt."""

    __slots__ = ("shape", "dtype", "keras_history")

    def __init__(self, shape, dtype, keras_history):
        self.shape = None if shape is None else tuple(shape)
        self.dtype = dtype
        self.keras_history = None if keras_history is None else list(keras_history)

    def __repr__(self):
        return f"KerasTensorRef(shape={self.shape}, dtype={self.dtype}, keras_history={self.keras_history})"


# ---------------------------------------------------------------------------- lambdas
def func_dump(fn):
    """A Python function's bytecode, defaults and closure, as Keras stores a lambda."""
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = tuple(c.cell_contents for c in fn.__closure__) if fn.__closure__ else None
    return code, fn.__defaults__, closure


def func_load(code, defaults=None, closure=None):
    """Rebuild a function stored by `func_dump` (or by Keras)."""
    if isinstance(code, (list, tuple)):
        code, defaults, closure = code
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    raw = base64.decodebytes(code.encode("ascii"))
    code_object = marshal.loads(raw)
    cells = None
    if closure is not None:
        cells = tuple(types.CellType(value) for value in closure)
    return types.FunctionType(code_object, globals(), name=code_object.co_name, argdefs=defaults,
                              closure=cells)


def is_lambda(fn):
    return isinstance(fn, types.FunctionType) and fn.__name__ == "<lambda>"


def check_lambda_allowed(safe_mode, what="a Python lambda"):
    """Keras's refusal to run stored bytecode unless the caller passed `safe_mode=False`."""
    effective = safe_mode if safe_mode is not None else in_safe_mode()
    if effective is not False:
        raise ValueError(
            f"Requested the deserialization of {what}. This carries a potential risk of arbitrary "
            "code execution and thus it is disallowed by default. If you trust the source of the "
            "artifact, you can override this error by passing `safe_mode=False` to the loading "
            "function, or calling `keras.config.enable_unsafe_deserialization()`. "
            "Received: `safe_mode`=True"
        )


# ------------------------------------------------------------------------- serialize
def serialize_keras_object(obj):
    """The config dict of a Keras object (layers, initializers, losses, functions, tensors, ...)."""
    if obj is None or isinstance(obj, PLAIN_TYPES):
        return obj
    if isinstance(obj, (list, tuple)):
        items = [serialize_keras_object(x) for x in obj]
        return tuple(items) if isinstance(obj, tuple) else items
    if isinstance(obj, dict):
        return serialize_dict(obj)
    if isinstance(obj, bytes):
        return {"class_name": "__bytes__", "config": {"value": obj.decode("utf-8")}}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": serialize_keras_object(obj.start),
                                                      "stop": serialize_keras_object(obj.stop),
                                                      "step": serialize_keras_object(obj.step)}}
    if obj is Ellipsis:
        return {"class_name": "__ellipsis__", "config": {}}
    if isinstance(obj, KerasTensorRef):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": obj.shape, "dtype": obj.dtype, "keras_history": obj.keras_history}}
    if isinstance(obj, torch.dtype):
        return str(obj).replace("torch.", "")
    if isinstance(obj, torch.Tensor):
        return {"class_name": "__tensor__",
                "config": {"value": obj.detach().cpu().tolist(), "dtype": str(obj.dtype).replace("torch.", "")}}
    if isinstance(obj, (np.ndarray, np.generic)):
        if isinstance(obj, np.ndarray) and obj.ndim > 0:
            return {"class_name": "__numpy__", "config": {"value": obj.tolist(), "dtype": obj.dtype.name}}
        return obj.item()
    if is_lambda(obj):
        warnings.warn(
            "The object being serialized includes a `lambda`. This is unsafe. In order to reload the "
            "object, you will have to pass `safe_mode=False` to the loading function. Please avoid "
            "using `lambda` in the future, and use named Python functions instead.", stacklevel=2)
        return {"class_name": "__lambda__", "config": {"value": func_dump(obj)}}
    if isinstance(obj, types.FunctionType) or (callable(obj) and not hasattr(obj, "get_config")
                                                and hasattr(obj, "__name__") and not isinstance(obj, type)):
        return _serialize_function(obj)
    if not hasattr(obj, "get_config"):
        raise TypeError(
            f"Cannot serialize object {obj!r} of type {type(obj).__name__}. To be serializable, a class "
            "must implement the `get_config()` method."
        )
    config = obj.get_config()
    if not isinstance(config, dict):
        raise TypeError(f"The `get_config()` method of {obj!r} should return a dict. It returned: {config!r}")
    cls = type(obj)
    exported = _reg.exported_name(cls)
    if exported is not None:
        module, class_name, registered_name = exported[0], exported[1], None
    else:
        module = None if cls.__module__ == "__main__" else cls.__module__
        class_name, registered_name = cls.__name__, _reg.get_registered_name(cls)
    out = {"module": module, "class_name": class_name, "config": serialize_dict(config),
           "registered_name": registered_name}
    build_config = _build_config(obj)
    if build_config is not None:
        out["build_config"] = serialize_dict(build_config)
    return out


def serialize_dict(obj):
    return {key: serialize_keras_object(value) for key, value in obj.items()}


def _serialize_function(fn):
    exported = _reg.exported_name(fn)
    if exported is not None:
        return {"module": exported[0], "class_name": "function", "config": exported[1],
                "registered_name": exported[1]}
    name = _reg.get_registered_name(fn)
    return {"module": getattr(fn, "__module__", None), "class_name": "function", "config": name,
            "registered_name": name}


def _build_config(obj):
    getter = getattr(obj, "get_build_config", None)
    if getter is not None:
        return getter()
    # A kerascompat layer built from a known input shape (an InputLayer is born built).
    if (getattr(obj, "built", False) and getattr(obj, "_build_input_shape", None) is not None
            and not hasattr(obj, "batch_shape")):
        return {"input_shape": obj._build_input_shape}
    return None


# ----------------------------------------------------------------------- deserialize
def deserialize_keras_object(config, custom_objects=None, safe_mode=True, module_objects=None, **kwargs):
    """The object a config dict describes (the inverse of `serialize_keras_object`).

    `custom_objects` maps names (class names or "package>name") to classes and functions;
    `safe_mode=False` allows stored Python lambdas; `module_objects` restricts bare names to
    one family (as `keras.initializers.deserialize` does).
    """
    if kwargs:
        raise TypeError(f"deserialize_keras_object got unexpected keyword arguments: {sorted(kwargs)}")
    outer = in_safe_mode()
    safe_mode = outer if outer is not None else safe_mode
    custom = {**_reg.GLOBAL_CUSTOM_OBJECTS, **_reg.scope_objects(), **(custom_objects or {})}
    return _deserialize(config, custom, safe_mode, module_objects)


def _deserialize(config, custom, safe_mode, module_objects):
    if config is None:
        return None
    if isinstance(config, str):
        if config in custom:
            return custom[config]
        if module_objects is not None and config in module_objects:
            return module_objects[config]
        return config
    if isinstance(config, (list, tuple)):
        return [_deserialize(x, custom, safe_mode, module_objects) for x in config]
    if isinstance(config, PLAIN_TYPES):
        return config
    if not isinstance(config, dict):
        raise TypeError(f"Could not parse config: {config!r}")
    if "class_name" not in config or "config" not in config:
        return {k: _deserialize(v, custom, safe_mode, None) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"] if config["config"] is not None else {}
    special = _deserialize_special(class_name, inner, custom, safe_mode)
    if special is not _NOT_SPECIAL:
        return special
    if class_name == "function":
        if not isinstance(inner, str):
            raise TypeError(f"Expected 'config' to be a str for a function. Full config: {config!r}")
        return _retrieve(inner, config.get("registered_name"), config.get("module"), "function",
                         config, custom, module_objects)
    if not isinstance(inner, dict):
        raise TypeError(f"Expected 'config' to be a dict for {class_name}. Full config: {config!r}")
    cls = _retrieve(class_name, config.get("registered_name"), config.get("module"), "class",
                    config, custom, module_objects)
    if isinstance(cls, types.FunctionType):
        return cls
    if not hasattr(cls, "from_config"):
        raise TypeError(f"Unable to reconstruct an instance of {class_name!r} because the class is missing "
                        f"a `from_config()` method. Full object config: {config!r}")
    with _reg.CustomObjectScope(custom), SafeModeScope(safe_mode):
        instance = cls.from_config(inner)
        build_config = config.get("build_config")
        if build_config:
            _build_from_config(instance, build_config)
    return instance


_NOT_SPECIAL = object()


def _deserialize_special(class_name, inner, custom, safe_mode):
    if class_name == "__keras_tensor__":
        return KerasTensorRef(inner["shape"], inner["dtype"], inner.get("keras_history"))
    if class_name == "__tensor__":
        return torch.as_tensor(np.array(inner["value"], dtype=inner["dtype"]))
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    if class_name == "__ellipsis__":
        return Ellipsis
    if class_name == "__slice__":
        return slice(*(_deserialize(inner[k], custom, safe_mode, None) for k in ("start", "stop", "step")))
    if class_name == "__lambda__":
        check_lambda_allowed(safe_mode)
        if "value" in inner:
            return func_load(inner["value"])
        return func_load(inner["code"], inner.get("defaults"), inner.get("closure"))
    if class_name == "__typespec__":
        raise NotImplementedError("Deserializing a TensorFlow TypeSpec (`__typespec__`) is not supported by "
                                  f"kerascompat. Received: `config`={inner!r}")
    return _NOT_SPECIAL


def _module_family(module):
    """The public Keras module a (possibly private or Keras 2) module path belongs to."""
    if module is None:
        return None
    if module in _reg.exported_modules():
        return module
    for family in ("layers", "initializers", "regularizers", "constraints", "losses", "metrics",
                   "optimizers", "activations", "models", "dtype_policies"):
        if f".{family}" in module:
            return f"keras.{family}"
    return None


def _retrieve(name, registered_name, module, kind, full_config, custom, module_objects):
    # Custom objects win: registered name ("package>Name") first, then the bare name.
    for key in (registered_name, name):
        if key and key in custom:
            return custom[key]
    if module and (module.startswith("keras.src.ops") or module.startswith("keras.ops")):
        raise NotImplementedError(
            f"The config holds a Keras operation node ({module}.{name}): functional graphs containing "
            "`keras.ops` calls are not supported by kerascompat. Wrap the computation in a layer. "
            f"Received: `config`={full_config!r}"
        )
    if module_objects is not None and name in module_objects:
        return module_objects[name]
    candidates = []
    family = _module_family(module)
    if family is not None:
        candidates.append(family)
    if module == "builtins" or (kind == "function" and family is None):
        candidates.extend(BUILTIN_MODULES)
    if module_objects is None and (module is None or module.startswith("keras") or module.startswith("tf_keras")):
        candidates.extend(_SEARCH_ORDER)  # a family's own deserialize does not reach into other families
    if module == "builtins" and ">" not in name:
        # Keras <= 3.6 saved custom functions by bare name: match "package>name" entries.
        for key, obj in custom.items():
            if key.endswith(f">{name}"):
                return obj
    for candidate in candidates:
        obj = _reg.exported_objects(candidate).get(name)
        if obj is not None:
            return obj
    raise TypeError(
        f"Could not locate {kind} '{name}'. Make sure custom classes and functions are decorated with "
        "`@keras.saving.register_keras_serializable()` or passed in `custom_objects`. If they are already "
        "decorated, make sure they are all imported so that the decorator is run before trying to load "
        f"them. Full object config: {full_config!r}"
    )


def _as_shape(value):
    """JSON lists back to shape tuples: [None, 3] -> (None, 3); [[None, 3], [None, 4]] -> a list of tuples."""
    if isinstance(value, (list, tuple)) and all(v is None or isinstance(v, int) for v in value):
        return tuple(value)
    if isinstance(value, (list, tuple)):
        return [_as_shape(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_shape(v) for k, v in value.items()}
    return value


def _build_from_config(instance, build_config):
    builder = getattr(instance, "build_from_config", None)
    if builder is not None:
        builder(build_config)
        return
    if getattr(instance, "built", True) or not hasattr(instance, "build_from_shape"):
        return
    if build_config.get("input_shape") is not None:
        instance.build_from_shape(_as_shape(build_config["input_shape"]))
    elif build_config.get("shapes_dict"):
        # One entry per `call` argument (`sequences_shape`, `initial_state_shape`, ...): layers
        # build from the shape of their first argument, the inputs.
        first = next(iter(build_config["shapes_dict"].values()))
        instance.build_from_shape(_as_shape(first))
