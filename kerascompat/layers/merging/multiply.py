"""Multiply and its functional form `multiply`."""

from .base_merge import Merge


class Multiply(Merge):
    """Element-wise product of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


def multiply(inputs, **kwargs):
    """Functional form of `Multiply`."""
    return Multiply(**kwargs)(inputs)
