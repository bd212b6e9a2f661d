"""Shared plumbing of the initializers, regularizers and constraints modules: config round
trips and the Keras `get` / `serialize` / `deserialize` functions."""


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
    """Keras's get / serialize / deserialize for one family of objects.

    `get` takes None, a snake_case name, a class name, a config dict, a class, an instance or
    any callable; names Keras does not know raise ValueError naming the known ones.
    """

    def get(identifier):
        if identifier is None:
            return None
        if isinstance(identifier, str):
            cls = by_name.get(identifier) or classes.get(identifier)
            if cls is None:
                raise ValueError(
                    f"Could not interpret {kind} identifier: {identifier!r}. Known names: {sorted(by_name)}"
                )
            return cls()
        if isinstance(identifier, dict):
            return deserialize(identifier)
        if isinstance(identifier, type) and issubclass(identifier, base):
            return identifier()
        if callable(identifier):
            return identifier
        raise ValueError(f"Could not interpret {kind} identifier: {identifier!r}")

    def serialize(obj):
        if isinstance(obj, base):
            return {"class_name": type(obj).__name__, "config": obj.get_config()}
        return obj

    def deserialize(config, custom_objects=None):
        if not isinstance(config, dict):
            return get(config)
        name = config["class_name"]
        cls = (custom_objects or {}).get(name) or classes.get(name)
        if cls is None:
            raise ValueError(f"Unknown {kind} class: {name!r}")
        return cls.from_config(config.get("config", {}))

    return get, serialize, deserialize
