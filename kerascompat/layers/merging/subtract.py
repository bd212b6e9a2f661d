"""Subtract and its functional form `subtract`."""

from .base_merge import Merge


class Subtract(Merge):
    """`inputs[0] - inputs[1]`; exactly two inputs."""

    _exact_inputs = 2

    def _merge_function(self, inputs):
        return inputs[0] - inputs[1]


def subtract(inputs, **kwargs):
    """Functional form of `Subtract`."""
    return Subtract(**kwargs)(inputs)
