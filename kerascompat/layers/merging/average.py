"""Average and its functional form `average`."""

from .base_merge import Merge


class Average(Merge):
    """Element-wise mean of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


def average(inputs, **kwargs):
    """Functional form of `Average`."""
    return Average(**kwargs)(inputs)
