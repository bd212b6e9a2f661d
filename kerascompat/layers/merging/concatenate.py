"""Concatenate and its functional form `concatenate`."""

import torch

from .base_merge import Merge, is_shape_list


class Concatenate(Merge):
    """Concatenates a list of inputs along `axis` (default -1); other axes must match."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"The `axis` argument must be an integer. Received: axis={axis!r}")
        self.axis = axis

    def _error(self, input_shape):
        return ValueError(
            f'Layer "{self.name}": a `Concatenate` layer requires inputs with matching shapes except for '
            f"the concatenation axis. Received: input_shape={[tuple(s) for s in input_shape]}"
        )

    def compute_output_shape(self, input_shape):
        if not is_shape_list(input_shape):
            raise ValueError(
                f"A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        ranks = {len(s) for s in input_shape}
        if len(ranks) != 1:
            raise self._error(input_shape)
        rank = ranks.pop()
        if not -rank <= self.axis < rank:
            raise ValueError(
                f'Layer "{self.name}": `axis`={self.axis} is out of range for inputs of rank {rank}.'
            )
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            sizes = {s[i] for s in input_shape if s[i] is not None}
            if len(sizes) > 1:
                raise self._error(input_shape)
        out = list(input_shape[0])
        for i in range(rank):
            if i != axis:
                out[i] = next((s[i] for s in input_shape if s[i] is not None), None)
        sizes = [s[axis] for s in input_shape]
        out[axis] = None if any(d is None for d in sizes) else sum(sizes)
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'A `Concatenate` layer ("{self.name}") should be called on a list of inputs. '
                f"Received: inputs of type {type(inputs).__name__}"
            )
        try:
            return torch.cat(inputs, dim=self.axis)
        except (RuntimeError, IndexError):
            self.compute_output_shape([tuple(x.shape) for x in inputs])
            raise

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def concatenate(inputs, axis=-1, **kwargs):
    """Functional form of `Concatenate`."""
    return Concatenate(axis=axis, **kwargs)(inputs)
