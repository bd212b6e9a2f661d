"""Keras's object registry: `register_keras_serializable`, custom-object scopes and the table of
Keras's own public objects (what `keras.layers.Dense` etc. are called in a config).

This module imports nothing from kerascompat, so every family module (initializers,
activations, layers, ...) can register its public objects here at import time without an
import cycle; `serialization_lib` resolves names through these tables only.
"""

import inspect
import threading

# `register_keras_serializable`: "package>name" -> object, and object -> "package>name".
GLOBAL_CUSTOM_OBJECTS = {}
GLOBAL_CUSTOM_NAMES = {}

# Keras's public objects: "keras.layers" -> {"Dense": Dense, ...}; object -> ("keras.layers", "Dense").
_EXPORTS = {}
_EXPORT_NAMES = {}

_local = threading.local()


def export(module, objects):
    """Record Keras's public names of kerascompat objects: `export("keras.layers", {"Dense": Dense})`.

    An object is serialized under the name equal to its `__name__` when it has one (so the
    alias MaxPool2D writes "MaxPooling2D"), else under the first name it is exported with."""
    table = _EXPORTS.setdefault(module, {})
    for name, obj in objects.items():
        table[name] = obj
        try:
            if getattr(obj, "__name__", None) == name:
                _EXPORT_NAMES[obj] = (module, name)
            else:
                _EXPORT_NAMES.setdefault(obj, (module, name))
        except TypeError:  # unhashable; cannot be looked up by identity
            pass


def export_aliases(module, objects):
    """Extra names a config may give Keras objects that are written under their exported name:
    Keras's legacy `.h5` configs name a class by its `__name__` (`GroupedQueryAttention`, which
    Keras exports as `keras.layers.GroupQueryAttention`). Read only; never written."""
    _EXPORTS.setdefault(module, {}).update(objects)


def exported_name(obj):
    """(module, name) under which Keras exports `obj`, or None."""
    try:
        return _EXPORT_NAMES.get(obj)
    except TypeError:
        return None


def exported_objects(module):
    """{name: object} of one exported Keras module ("keras.layers"); empty if unknown."""
    return _EXPORTS.get(module, {})


def exported_modules():
    return list(_EXPORTS)


class CustomObjectScope:
    """Exposes custom classes and functions to deserialization inside a `with` block.

        with keras.saving.custom_object_scope({"MyLayer": MyLayer}):
            model = keras.Model.from_config(config)

    Scopes are per thread and nest: an inner scope sees the outer scope's objects, and
    its own entries win on a name clash. Every `from_config` called inside the block,
    however deeply nested (an RNN's cell, a Bidirectional's layer, a nested model),
    resolves names through it.
    """

    def __init__(self, *custom_objects):
        merged = {}
        for objects in custom_objects:
            if objects is None:
                continue
            if not isinstance(objects, dict):
                raise TypeError(
                    "`custom_objects` must be a dict mapping names to classes or functions. "
                    f"Received: `custom_objects`={objects!r}"
                )
            merged.update(objects)
        self.custom_objects = merged

    def __enter__(self):
        stack = _scope_stack()
        outer = stack[-1] if stack else {}
        stack.append({**outer, **self.custom_objects})
        return self

    def __exit__(self, *exc_info):
        _scope_stack().pop()


custom_object_scope = CustomObjectScope


def _scope_stack():
    stack = getattr(_local, "scopes", None)
    if stack is None:
        stack = _local.scopes = []
    return stack


def scope_objects():
    """The custom objects of the innermost active scope of this thread (a dict, maybe empty)."""
    stack = _scope_stack()
    return stack[-1] if stack else {}


def get_custom_objects():
    """The live global dict of registered custom objects (scoped objects are not in it)."""
    return GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(package="Custom", name=None):
    """Decorator registering a class or function under "package>name" (name defaults to the
    object's `__name__`), so configs naming it deserialize without `custom_objects`."""
    if not isinstance(package, str):
        raise TypeError(f"The `package` argument must be a string. Received: `package`={package!r}")
    if name is not None and not isinstance(name, str):
        raise TypeError(f"The `name` argument must be a string or None. Received: `name`={name!r}")

    def decorator(arg):
        object_name = name if name is not None else arg.__name__
        registered_name = f"{package}>{object_name}"
        if inspect.isclass(arg) and not hasattr(arg, "get_config"):
            raise ValueError(
                "Cannot register a class that does not have a get_config() method. "
                f"Received: `arg`={arg!r}"
            )
        GLOBAL_CUSTOM_OBJECTS[registered_name] = arg
        GLOBAL_CUSTOM_NAMES[arg] = registered_name
        return arg

    return decorator


def get_registered_name(obj):
    """"package>name" for a registered object, else the object's `__name__`."""
    try:
        if obj in GLOBAL_CUSTOM_NAMES:
            return GLOBAL_CUSTOM_NAMES[obj]
    except TypeError:
        pass
    return obj.__name__


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered under `name`: looked up in the active custom-object scope, then
    `custom_objects`, then the global registry, then `module_objects`; None if absent."""
    scoped = scope_objects()
    if name in scoped:
        return scoped[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if name in GLOBAL_CUSTOM_OBJECTS:
        return GLOBAL_CUSTOM_OBJECTS[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
