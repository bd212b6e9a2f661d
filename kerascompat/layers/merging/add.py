"""Add and its functional form `add`."""

from .base_merge import Merge


class Add(Merge):
    """Element-wise sum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


def add(inputs, **kwargs):
    """Functional form of `Add`."""
    return Add(**kwargs)(inputs)
