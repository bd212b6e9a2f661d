"""Merge: the base of the merging layers.

Shape rules are Keras's: non-batch axes broadcast right-aligned, and an input of lower
rank gets its missing axes inserted after the batch axis (Keras expands at axis 1, which
is not torch's left-padding broadcast). Batch sizes must agree.
"""

from ..._tree import is_shape
from ...engine.base_layer import Layer


def is_shape_list(input_shape):
    return isinstance(input_shape, (list, tuple)) and len(input_shape) > 0 and all(
        is_shape(s) for s in input_shape) and not is_shape(input_shape)


def _elementwise_shape(name, shape1, shape2):
    """Keras's right-aligned broadcast of two non-batch shapes (size 1 and None broadcast)."""
    if len(shape1) < len(shape2):
        shape1, shape2 = shape2, shape1
    if not shape2:
        return tuple(shape1)
    out = list(shape1[: len(shape1) - len(shape2)])
    for i, j in zip(shape1[len(shape1) - len(shape2):], shape2):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1 or i == j:
            out.append(i)
        else:
            raise ValueError(
                f'Layer "{name}": inputs have incompatible shapes. Received shapes {tuple(shape1)} and {tuple(shape2)}'
            )
    return tuple(out)


class Merge(Layer):
    """Base class of the element-wise merge layers: subclasses define `_merge_function`."""

    _exact_inputs = None  # Subtract: 2
    supports_masking = True

    def compute_mask(self, inputs, mask=None):
        """Keras: the output step is kept if any input keeps it."""
        if mask is None or not isinstance(mask, (list, tuple)) or any(m is None for m in mask):
            return None
        out = mask[0]
        for m in mask[1:]:
            out = out | m
        return out

    def _check_input_list(self, input_shape):
        if not is_shape_list(input_shape):
            raise ValueError(
                f'A merge layer ("{self.name}", {type(self).__name__}) should be called on a list of inputs. '
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )
        if self._exact_inputs is not None and len(input_shape) != self._exact_inputs:
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on exactly {self._exact_inputs} inputs. "
                f"Received: input_shape={list(input_shape)}"
            )
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                f'Layer "{self.name}": cannot merge tensors with different batch sizes. '
                f"Received tensors with shapes {list(input_shape)}"
            )

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        self._check_input_list(input_shape)
        out = tuple(input_shape[0][1:])
        for shape in input_shape[1:]:
            out = _elementwise_shape(self.name, out, tuple(shape[1:]))
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + out

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(
                f'A merge layer ("{self.name}") should be called on a list of inputs. '
                f"Received: inputs of type {type(inputs).__name__} (not a list of tensors)"
            )
        if self._exact_inputs is not None and len(inputs) != self._exact_inputs:
            raise ValueError(
                f"A `{type(self).__name__}` layer should be called on exactly {self._exact_inputs} inputs. "
                f"Received {len(inputs)} inputs."
            )
        ndims = [x.dim() for x in inputs]
        max_ndim = max(ndims)
        if min(ndims) != max_ndim:  # Keras inserts the missing axes after the batch axis
            inputs = [x.reshape(x.shape[:1] + (1,) * (max_ndim - x.dim()) + x.shape[1:]) for x in inputs]
        try:
            return self._merge_function(inputs)
        except RuntimeError:
            self.compute_output_shape([tuple(x.shape) for x in inputs])  # raises the Keras-worded error
            raise

    def _merge_function(self, inputs):
        raise NotImplementedError
