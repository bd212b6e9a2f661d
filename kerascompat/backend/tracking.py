"""A process-wide count of changes to the layer structure: a weight declared, a sub-layer
attached. Per-model walks that are costly to repeat every step (the trainer's lists of
regularized and constrained weights) are cached with the count and redone when it moves."""

_version = 0


def structure_changed():
    """Called by the engine when any layer gains a weight or a sub-layer."""
    global _version
    _version += 1


def structure_version():
    return _version
