"""Core layers: Dense, Activation, Flatten, Dropout, Reshape, Permute, Lambda, Identity."""

import math
import numbers

import torch
import torch.nn.functional as F
from torch import nn

from .. import activations, constraints, initializers, regularizers
from .._random import DropoutMasks
from .._validation import check_bool, incompatible_input, positive_int, rate as _rate, reject_unsupported
from .._weights import DENSE_KERNEL, IDENTITY
from ..engine.base_layer import Layer
from ..saving import serialization_lib as _lib



class Dense(Layer):
    """Densely connected layer: `activation(inputs @ kernel + bias)` on the last axis.

    Holds an `nn.Linear` (`self.linear`, weight shape (units, input_dim)); the Keras kernel
    (input_dim, units) is its transpose. Arguments as in Keras: units, activation, use_bias,
    kernel/bias initializer, kernel/bias/activity regularizer, kernel/bias constraint.
    `lora_rank` / `quantization_config` raise NotImplementedError.
    """

    _track_plain_torch_params = False
    supports_masking = True

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs):
        units = positive_int(units, "units")
        reject_unsupported("Dense", lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None),
                           quantization_config=(quantization_config, None))
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = check_bool(use_bias, "use_bias")
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._in_features = None

    def build(self, input_shape):
        if len(input_shape) < 2:
            raise incompatible_input(self, "expected min_ndim=2", input_shape)
        in_features = input_shape[-1]
        if in_features is None:
            raise ValueError(
                f'Layer "{self.name}": the last dimension of the inputs to a Dense layer should be '
                f"defined. Found None. Received: input_shape={tuple(input_shape)}"
            )
        self._in_features = in_features
        self.linear = nn.Linear(in_features, self.units, bias=self.use_bias, dtype=self._dtype)
        self._add_slot("kernel", self.linear, "weight", DENSE_KERNEL, self.kernel_initializer,
                       self.kernel_regularizer, self.kernel_constraint)
        if self.use_bias:
            self._add_slot("bias", self.linear, "bias", IDENTITY, self.bias_initializer,
                           self.bias_regularizer, self.bias_constraint)

    @property
    def kernel(self):
        """The Keras-layout kernel (input_dim, units): a transposed view of `linear.weight`."""
        return self.linear.weight.T

    @property
    def bias(self):
        return self.linear.bias if self.use_bias else None

    def call(self, inputs):
        if inputs.dim() < 2 or inputs.shape[-1] != self._in_features:
            raise incompatible_input(
                self, f"expected axis -1 of input shape to have value {self._in_features}", inputs.shape)
        # Plain dict lookups: nn.Module.__getattr__ costs about 1 us each on this hot path.
        params = self._modules["linear"]._parameters
        outputs = F.linear(inputs, params["weight"], params["bias"])
        if self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        if self.built and input_shape[-1] is not None and input_shape[-1] != self._in_features:
            raise incompatible_input(
                self, f"expected axis -1 of input shape to have value {self._in_features}", input_shape)
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }

    def extra_repr(self):
        act = activations.serialize(self.activation)
        return f"name={self.name!r}, units={self.units}" + (f", activation={act!r}" if act != "linear" else "")


class Activation(Layer):
    """Applies an activation function (a name, a function, or None for linear)."""

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Flatten(Layer):
    """Flattens all axes but the batch axis. With data_format='channels_first' the channels
    axis is moved last first, so the element order is Keras's channels_last order."""

    def __init__(self, data_format=None, **kwargs):
        from .._validation import data_format as _data_format

        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)

    def call(self, inputs):
        if inputs.dim() < 1:
            raise incompatible_input(self, "expected min_ndim=1", inputs.shape)
        if self.data_format == "channels_first" and inputs.dim() > 2:
            inputs = inputs.movedim(1, -1)
        if inputs.dim() == 1:
            return inputs.unsqueeze(1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        size = None if any(d is None for d in rest) else math.prod(rest)
        return (input_shape[0], size)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Dropout(Layer):
    """Zeroes a fraction `rate` of the inputs while training and scales the rest by 1/(1-rate).

    Active in torch's train mode (`model.train()`, the torch default) or with `training=True`;
    `noise_shape` shares one mask along axes of size 1 (None takes the input's size);
    `seed` makes the sequence of masks reproducible.
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = _rate(rate)
        if noise_shape is not None:
            noise_shape = tuple(noise_shape)
            if not all(d is None or (isinstance(d, numbers.Integral) and d > 0) for d in noise_shape):
                raise ValueError(
                    f"The `noise_shape` argument must be a tuple of positive integers or None. "
                    f"Received: noise_shape={noise_shape!r}"
                )
        self.noise_shape = noise_shape
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"The `seed` argument must be an integer or None. Received: seed={seed!r}")
        self.seed = seed
        self._masks = DropoutMasks(seed)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, True)
        if self.noise_shape is not None:
            if len(self.noise_shape) != inputs.dim():
                raise ValueError(
                    f'Layer "{self.name}": `noise_shape` {self.noise_shape} has {len(self.noise_shape)} '
                    f"dimensions but the input has shape {tuple(inputs.shape)}."
                )
            shape = tuple(s if d is None else d for d, s in zip(self.noise_shape, inputs.shape))
        else:
            shape = inputs.shape
        return inputs * self._masks(shape, self.rate, inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape, "seed": self.seed}


class Reshape(Layer):
    """Reshapes the non-batch axes to `target_shape` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        try:
            target_shape = tuple(target_shape)
        except TypeError:
            raise TypeError(
                f"The `target_shape` argument must be a tuple of integers. Received: target_shape={target_shape!r}"
            ) from None
        if not all(isinstance(d, numbers.Integral) and not isinstance(d, bool) and (d > 0 or d == -1)
                   for d in target_shape):
            raise ValueError(
                "The `target_shape` argument must be a tuple of positive integers, with at most one -1. "
                f"Received: target_shape={target_shape!r}"
            )
        if sum(1 for d in target_shape if d == -1) > 1:
            raise ValueError(
                f"There must be at most one unknown dimension (-1) in `target_shape`. Received: target_shape={target_shape!r}"
            )
        self.target_shape = tuple(int(d) for d in target_shape)

    def _resolve(self, input_shape):
        rest = input_shape[1:]
        known = math.prod(d for d in self.target_shape if d != -1)
        if any(d is None for d in rest):
            return tuple(None if d == -1 else d for d in self.target_shape)
        total = math.prod(rest)
        if -1 in self.target_shape:
            if known == 0 or total % known:
                raise self._size_error(input_shape)
            return tuple(total // known if d == -1 else d for d in self.target_shape)
        if total != known:
            raise self._size_error(input_shape)
        return self.target_shape

    def _size_error(self, input_shape):
        return ValueError(
            f'Layer "{self.name}": the total size of the tensor must be unchanged. Received: '
            f"input_shape={tuple(input_shape)}, target_shape={self.target_shape}"
        )

    def call(self, inputs):
        try:
            return inputs.reshape((inputs.shape[0],) + self.target_shape)
        except RuntimeError:
            raise self._size_error(inputs.shape) from None

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


class Permute(Layer):
    """Permutes the non-batch axes: `dims` is a permutation of 1..n (1-indexed, as in Keras)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` "
                f"must be consecutive and start from 1. Received dims={dims}"
            )
        self.dims = dims
        self._perm = (0,) + dims

    def call(self, inputs):
        if inputs.dim() != len(self._perm):
            raise incompatible_input(self, f"expected ndim={len(self._perm)}", inputs.shape)
        return inputs.permute(self._perm)

    def compute_output_shape(self, input_shape):
        if len(input_shape) != len(self._perm):
            raise incompatible_input(self, f"expected ndim={len(self._perm)}", input_shape)
        return tuple(input_shape[i] for i in self._perm)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}


class Identity(Layer):
    """Returns its input unchanged."""

    supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape


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
        """Keras's Lambda config: a Python lambda is stored as bytecode (`__lambda__`), which only
        loads with `safe_mode=False`; a named function is stored by name (register it, or pass it
        in `custom_objects`, to load it)."""
        config = {**super().get_config(), "function": _function_config(self.function)}
        if self._output_shape is not None:
            shape = self._output_shape
            config["output_shape"] = _function_config(shape) if callable(shape) else shape
        config["arguments"] = _lib.serialize_keras_object(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        config["function"] = _function_from_config(config["function"], custom_objects, safe_mode)
        if callable(config.get("output_shape")) or isinstance(config.get("output_shape"), dict):
            config["output_shape"] = _function_from_config(config["output_shape"], custom_objects, safe_mode)
        elif isinstance(config.get("output_shape"), list):
            config["output_shape"] = tuple(config["output_shape"])
        if "arguments" in config:
            config["arguments"] = _lib.deserialize_keras_object(config["arguments"], custom_objects=custom_objects)
        return cls(**config)


def _function_config(fn):
    if _lib.is_lambda(fn):
        code, defaults, closure = _lib.func_dump(fn)
        return {"class_name": "__lambda__", "config": {"code": code, "defaults": defaults, "closure": closure}}
    return _lib.serialize_keras_object(fn)


def _function_from_config(config, custom_objects, safe_mode):
    if isinstance(config, dict) and config.get("class_name") == "__lambda__":
        _lib.check_lambda_allowed(safe_mode, "a `Lambda` layer whose `function` is a Python lambda")
        inner = config["config"]
        if "value" in inner:
            return _lib.func_load(inner["value"])
        return _lib.func_load(inner["code"], inner.get("defaults"), inner.get("closure"))
    return _lib.deserialize_keras_object(config, custom_objects=custom_objects)


class Masking(Layer):
    """Masks time steps whose features all equal `mask_value`: the output is the input with
    those steps zeroed, and carries a (batch, steps) mask that downstream layers receive
    (RNNs skip masked steps, GlobalAveragePooling1D ignores them)."""

    supports_masking = True
    _produces_mask = True

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(mask_value, numbers.Real) or isinstance(mask_value, bool):
            raise TypeError(f"The `mask_value` argument must be a number. Received: mask_value={mask_value!r}")
        self.mask_value = mask_value

    def compute_mask(self, inputs, mask=None):
        return torch.any(inputs != self.mask_value, dim=-1)

    def call(self, inputs):
        keep = torch.any(inputs != self.mask_value, dim=-1, keepdim=True)
        return inputs * keep.to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
