"""EinsumDense."""

import re

import math

import torch
import torch.nn.functional as F
from torch import nn

from ... import activations, initializers
from ..._validation import incompatible_input, reject_unsupported
from ..._weights import IDENTITY
from ...engine.base_layer import Layer
from .._common import set_weight_args, weight_args_config

_FORMS = (
    # (pattern on the equation with "..." replaced by "0", ellipsis on the left)
    (re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$"), False),
    (re.compile(r"^0([a-zA-Z]+),([a-zA-Z]+)->0([a-zA-Z]+)$"), True),
    (re.compile(r"^([a-zA-Z]{2,})0,([a-zA-Z]+)->([a-zA-Z]+)0$"), False),
)


def split_equation(equation):
    """(input_spec, kernel_spec, output_spec, left_elided) of a Keras EinsumDense equation:
    `ab,bc->ac`, `...ab,bc->...ac` or `ab...,bc->ac...`."""
    if not isinstance(equation, str):
        raise TypeError(f"The `equation` argument must be a string. Received: equation={equation!r}")
    text = equation.replace(" ", "").replace("...", "0")
    for pattern, left in _FORMS:
        match = pattern.match(text)
        if match:
            return match.group(1), match.group(2), match.group(3), left
    raise ValueError(
        f"Invalid einsum equation '{equation}'. Equations must be in the form "
        "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
    )


def analyze_einsum(equation, bias_axes, input_shape, output_shape):
    """Keras's shapes for an EinsumDense: (kernel_shape, bias_shape or None, full output shape,
    kernel input axes, kernel output axes). `output_shape` excludes the batch axis and the
    ellipsis axes; None in it takes the input's size (the size the einsum gives)."""
    input_spec, kernel_spec, output_spec, left = split_equation(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    out = [input_shape[0]] + list(output_shape)
    if elided > 0 and left:
        # (Keras inserts these axes in reverse order in its static shape; the einsum keeps them in order.)
        out[1:1] = input_shape[1:elided]
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided:])
    if left:
        in_pos = {d: i + elided - len(input_shape) for i, d in enumerate(input_spec)}
        out_pos = {d: i + elided for i, d in enumerate(output_spec)}
    else:
        in_pos = {d: i for i, d in enumerate(input_spec)}
        out_pos = {d: i for i, d in enumerate(output_spec)}
    for d in input_spec:
        if d in out_pos and out[out_pos[d]] is not None and out[out_pos[d]] != input_shape[in_pos[d]]:
            raise ValueError(
                f"Input shape and output shape do not match at shared dimension '{d}'. Input shape is "
                f"{input_shape[in_pos[d]]}, and output shape is {out[out_pos[d]]}.")
    for d in input_spec:
        if d in out_pos and out[out_pos[d]] is None:
            # A shared axis takes the input's size (Keras leaves it None in its static shape).
            out[out_pos[d]] = input_shape[in_pos[d]]
    for d in output_spec:
        if d not in input_spec and d not in kernel_spec:
            raise ValueError(
                f"Dimension '{d}' was specified in the output '{output_spec}' but has no corresponding dim "
                f"in the input spec '{input_spec}' or weight spec '{kernel_spec}'")
    kernel_shape, input_axes, output_axes = [], [], []
    for i, d in enumerate(kernel_spec):
        if d in out_pos:
            kernel_shape.append(out[out_pos[d]])
            output_axes.append(i)
        elif d in in_pos:
            kernel_shape.append(input_shape[in_pos[d]])
            input_axes.append(i)
        else:
            raise ValueError(
                f"Weight dimension '{d}' did not have a match in either the input spec '{input_spec}' or "
                f"the output spec '{output_spec}'. For this layer, the weight must be fully specified.")
    bias_shape = None
    if bias_axes is not None:
        offset = elided if left else 0
        sizes = {d: out[i + offset] for i, d in enumerate(output_spec)}
        for d in bias_axes:
            if d not in output_spec:
                raise ValueError(
                    f"Bias dimension '{d}' was requested, but is not part of the output spec '{output_spec}'")
        first = min(output_spec.find(d) for d in bias_axes)
        bias_shape = [sizes[d] if d in bias_axes else 1 for d in output_spec[first:]]
        if not left:
            bias_shape += [1] * max(elided, 0)
    return kernel_shape, bias_shape, out, input_axes, output_axes


def linear_plan(equation, kernel_shape, bias_shape):
    """(number of contracted input axes, their total size, output tail shape, bias fused) when the
    einsum is a matrix product on trailing axes (`...ab,abcd->...cd`: the input ends with the
    kernel's leading axes and the output ends with the kernel's others), else None. Such an einsum
    runs as one `F.linear` on views of the input and kernel."""
    input_spec, kernel_spec, output_spec, left = split_equation(equation)
    if "..." in equation and not left:
        return None
    for n in range(1, len(kernel_spec)):
        contracted, tail = kernel_spec[:n], kernel_spec[n:]
        free = input_spec[:len(input_spec) - n]
        if (input_spec.endswith(contracted) and output_spec == free + tail
                and len(set(input_spec + tail)) == len(input_spec + tail)):
            size = math.prod(kernel_shape[:n])
            fused = bias_shape is not None and list(bias_shape) == list(kernel_shape[n:])
            return n, size, tuple(kernel_shape[n:]), fused
    return None


def _with_fan_axes(initializer, input_axes, output_axes):
    """A copy of a VarianceScaling initializer that knows which kernel axes are fan-in and
    fan-out (as Keras's EinsumDense does); other initializers as they are."""
    if isinstance(initializer, initializers.VarianceScaling) and (
            initializer.input_axes is None or initializer.output_axes is None):
        config = initializer.get_config()
        config.update(seed=initializer.seed, input_axes=input_axes, output_axes=output_axes)
        return type(initializer).from_config(config)
    return initializer


class EinsumDense(Layer):
    """A dense layer whose computation is an einsum: `activation(einsum(equation, inputs, kernel) + bias)`.

    Arguments as in Keras: `equation` (`ab,bc->ac`, `...ab,bc->...ac` or `ab...,bc->ac...`),
    `output_shape` (the output without the batch and ellipsis axes; None takes the input's size),
    activation, `bias_axes` (output letters that carry a bias), kernel/bias initializer,
    regularizer and constraint, activity_regularizer. The `kernel` and `bias` parameters are held
    in Keras's own shapes (no layout translation); an einsum that is a matrix product over
    trailing axes (Dense-like, and every projection of MultiHeadAttention) runs as one `F.linear`
    on views of them, any other with `torch.einsum`.
    `lora_rank`, `lora_alpha`, `gptq_unpacked_column_size` and `quantization_config` raise
    NotImplementedError.
    """

    _track_plain_torch_params = False

    def __init__(self, equation, output_shape, activation=None, bias_axes=None, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, lora_rank=None, lora_alpha=None, gptq_unpacked_column_size=None,
                 quantization_config=None, **kwargs):
        reject_unsupported("EinsumDense", lora_rank=(lora_rank, None), lora_alpha=(lora_alpha, None),
                           gptq_unpacked_column_size=(gptq_unpacked_column_size, None),
                           quantization_config=(quantization_config, None))
        super().__init__(**kwargs)
        split_equation(equation)
        self.equation = equation
        self._torch_equation = equation.replace(" ", "")
        if isinstance(output_shape, int) and not isinstance(output_shape, bool):
            output_shape = (output_shape,)
        try:
            output_shape = tuple(output_shape)
        except TypeError:
            raise TypeError("The `output_shape` argument must be an int or a tuple of ints/None. "
                            f"Received: output_shape={output_shape!r}") from None
        if any(d is not None and (isinstance(d, bool) or not isinstance(d, int) or d <= 0) for d in output_shape):
            raise ValueError("The `output_shape` argument must hold positive ints or None. "
                             f"Received: output_shape={output_shape!r}")
        self.partial_output_shape = output_shape
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise TypeError(f"The `bias_axes` argument must be a string or None. Received: bias_axes={bias_axes!r}")
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        set_weight_args(self, kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                        kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                        kernel_constraint=kernel_constraint, bias_constraint=bias_constraint)
        self._input_rank = None
        self._plan = None

    def build(self, input_shape):
        kernel_shape, bias_shape, _, input_axes, output_axes = analyze_einsum(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape)
        if any(d is None for d in kernel_shape) or (bias_shape and any(d is None for d in bias_shape)):
            raise ValueError(
                f'Layer "{self.name}": the kernel shape {tuple(kernel_shape)} of equation {self.equation!r} '
                f"is not fully defined for input_shape={tuple(input_shape)}: give the sizes in `output_shape`.")
        self._input_rank = len(input_shape)
        self._plan = linear_plan(self.equation.replace(" ", ""), kernel_shape, bias_shape)
        self.kernel = nn.Parameter(torch.empty(tuple(kernel_shape), dtype=self._dtype))
        self._add_slot("kernel", self, "kernel", IDENTITY,
                       _with_fan_axes(self.kernel_initializer, input_axes, output_axes),
                       self.kernel_regularizer, self.kernel_constraint)
        if bias_shape is not None:
            self.bias = nn.Parameter(torch.empty(tuple(bias_shape), dtype=self._dtype))
            self._add_slot("bias", self, "bias", IDENTITY, self.bias_initializer, self.bias_regularizer,
                           self.bias_constraint)
        else:
            self.register_parameter("bias", None)

    def call(self, inputs):
        if inputs.dim() != self._input_rank:
            raise incompatible_input(self, f"expected ndim={self._input_rank}, found ndim={inputs.dim()}",
                                     inputs.shape)
        params = self._parameters
        kernel, bias = params["kernel"], params["bias"]
        plan = self._plan
        if plan is not None:
            n, size, tail, fused = plan
            x = inputs.flatten(-n) if n > 1 else inputs
            outputs = F.linear(x, kernel.reshape(size, -1).T, bias.reshape(-1) if fused else None)
            if len(tail) != 1:
                outputs = outputs.unflatten(-1, tail)
            if bias is not None and not fused:
                outputs = outputs + bias
        else:
            outputs = torch.einsum(self._torch_equation, inputs, kernel)
            if bias is not None:
                outputs = outputs + bias
        if self.activation is not activations.linear:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(analyze_einsum(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2])

    def get_config(self):
        config = {
            **super().get_config(),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            **weight_args_config(self),
            "quantization_config": None,
        }
        # Keras's key order: the activity regularizer sits between the bias regularizer and the constraints.
        reg = config.pop("activity_regularizer", None)
        ordered = {}
        for key, value in config.items():
            if key == "kernel_constraint":
                ordered["activity_regularizer"] = reg
            ordered[key] = value
        return ordered

    def extra_repr(self):
        return f"name={self.name!r}, equation={self.equation!r}, output_shape={self.partial_output_shape}"
