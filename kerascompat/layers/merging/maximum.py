"""Maximum and its functional form `maximum`."""

import torch

from .base_merge import Merge


class Maximum(Merge):
    """Element-wise maximum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


def maximum(inputs, **kwargs):
    """Functional form of `Maximum`."""
    return Maximum(**kwargs)(inputs)
