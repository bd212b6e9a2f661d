"""`Input()` and `InputLayer`: the entry points of a functional graph."""

from .._validation import dtype_name, standardize_dtype
from .base_layer import Layer
from .keras_tensor import KerasTensor, Node


def _standardize_shape(shape, argname):
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        shape = tuple(shape)
    except TypeError:
        raise ValueError(f"Cannot convert `{argname}` to a shape tuple. Received: {argname}={shape!r}") from None
    for d in shape:
        if d is not None and (isinstance(d, bool) or not isinstance(d, int) or d < 0):
            raise ValueError(
                f"Cannot convert `{argname}` to a shape: every dimension must be a non-negative "
                f"integer or None. Received: {argname}={shape!r}"
            )
    return shape


class InputLayer(Layer):
    """The layer behind `Input()`; it holds the symbolic tensor a model starts from."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, ragged=None, **kwargs):
        for arg, value in (("sparse", sparse), ("ragged", ragged), ("optional", optional)):
            if value:
                raise NotImplementedError(f"Input: the Keras argument `{arg}=True` is not supported by kerascompat.")
        if input_tensor is not None:
            raise NotImplementedError("Input: the Keras argument `tensor` is not supported by kerascompat.")
        if "input_shape" in kwargs and shape is None and batch_shape is None:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs and shape is None and batch_shape is None:
            batch_shape = kwargs.pop("batch_input_shape")
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if shape is None and batch_shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if batch_shape is not None:
            batch_shape = _standardize_shape(batch_shape, "batch_shape")
        else:
            batch_shape = (batch_size,) + _standardize_shape(shape, "shape")
        input_dtype = standardize_dtype(dtype, allow_int=True)
        super().__init__(name=name, **kwargs)
        self._input_dtype = input_dtype
        self.batch_shape = batch_shape
        self.built = True
        self._build_input_shape = batch_shape
        tensor = KerasTensor(batch_shape, dtype_name(input_dtype), name=self.name)
        Node(self, (), {}, tensor)

    @property
    def dtype(self):
        return dtype_name(self._input_dtype)

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None):
    """A symbolic input of a functional model: `Input(shape=(8,))` has shape (None, 8).

    The Keras 2 spelling `Input(batch_shape=(None, 8))` is accepted too.
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, input_tensor=tensor, optional=optional,
                       name=name, ragged=ragged)
    return layer.output
