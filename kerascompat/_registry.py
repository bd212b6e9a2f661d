"""Shared plumbing of the initializers, regularizers and constraints modules: config round
trips and their Keras `get` / `serialize` / `deserialize` functions (thin calls into
`kerascompat.saving`, which holds the one registry and serializer)."""

from .saving import object_registration as _reg
from .saving import serialization_lib as _lib


class Configurable:
    """`get_config()` returns the constructor arguments; `from_config` rebuilds; repr shows them."""

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def lookup_functions(kind, base, by_name, classes):
    """Keras's get / serialize / deserialize for one family of objects (`kind` "initializer" is
    the public module `keras.initializers`), exporting its public names to the registry.

    `get` takes None, a snake_case name, a class name, a config dict, a class, an instance or
    any callable; names Keras does not know raise ValueError naming the known ones.
    """
    objects = {**classes, **by_name}  # class names first: they are the names Keras writes
    _reg.export(f"keras.{kind}s", objects)

    def get(identifier):
        if identifier is None:
            return None
        if isinstance(identifier, str):
            obj = _reg.get_registered_object(identifier, module_objects=objects)
            if obj is None:
                raise ValueError(
                    f"Could not interpret {kind} identifier: {identifier!r}. Known names: {sorted(by_name)}"
                )
            return obj() if isinstance(obj, type) else obj
        if isinstance(identifier, dict):
            return deserialize(identifier)
        if isinstance(identifier, type) and issubclass(identifier, base):
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")

    def serialize(obj):
        return _lib.serialize_keras_object(obj)

    def deserialize(config, custom_objects=None):
        if isinstance(config, str):
            with _reg.CustomObjectScope(custom_objects):
                return get(config)
        obj = _lib.deserialize_keras_object(config, custom_objects=custom_objects, module_objects=objects)
        return obj() if isinstance(obj, type) else obj

    return get, serialize, deserialize
