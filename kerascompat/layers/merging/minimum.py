"""Minimum and its functional form `minimum`."""

import torch

from .base_merge import Merge


class Minimum(Merge):
    """Element-wise minimum of a list of inputs."""

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.minimum(out, x)
        return out


def minimum(inputs, **kwargs):
    """Functional form of `Minimum`."""
    return Minimum(**kwargs)(inputs)
