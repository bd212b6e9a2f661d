"""Lambda."""

from ...engine.base_layer import Layer


class Lambda(Layer):
    """Wraps a function of torch tensors as a layer: `Lambda(lambda x: x * 2)`.

    `output_shape` (a tuple without the batch axis, or a function of the input shape) is
    used for symbolic shapes; without it the function is run once on zeros to find it.
    `arguments` are passed to the function as keyword arguments.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"The `function` argument of Lambda must be callable. Received: {function!r}")
        if mask is not None:
            raise NotImplementedError("Lambda: the Keras argument `mask` is not supported by kerascompat.")
        self.function = function
        self._output_shape = output_shape
        self.arguments = dict(arguments or {})

    def call(self, inputs):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        return (input_shape[0],) + tuple(self._output_shape)

    def get_config(self):
        raise NotImplementedError("get_config of a Lambda layer is not supported: Python functions are not serialized.")
