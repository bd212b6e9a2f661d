"""Keras's Variable API on torch tensors.

Keras code reads and writes weights through `keras.Variable`: `v.assign(x)`, `v.assign_add(x)`,
`v.numpy()`, `v.value`, `v.trainable`, `v.name`, `v.path`. Here a weight IS a torch tensor:

- the tensor behind every Keras weight (a parameter, or a buffer for non-trainable state) gets
  this API by becoming a `KerasParameter` / `KerasBuffer`, subclasses that change nothing else
  (their `__torch_function__` is disabled, as nn.Parameter's, so torch ops, optimizers,
  torch.compile and state_dict see ordinary tensors). The API speaks the tensor's own layout;
  `v.value` is the tensor itself, so `v.value.grad` is its gradient.
- a builtin layer's Keras-layout weight (`dense.kernel`, `conv.kernel`, `lstm.cell.recurrent_kernel`)
  is a `KerasView`: a differentiable Keras-layout view of the torch parameter whose `assign`
  writes through to the parameter (via the slot's layout) and whose `.grad` is the parameter's
  gradient in Keras layout.

`assign` writes under `torch.no_grad()`, as Keras's torch backend does: PixelCNN's
`self.conv.kernel.assign(self.conv.kernel * self.mask)` inside `call` masks the kernel, and the
gradient then reaches the parameter through the convolution.
`dtype` stays torch's (`torch.float32`); `kerascompat` accepts it wherever Keras takes a dtype.
"""

import numpy as np
import torch
from torch import nn

from .._weights import Layout
from ..backend.context import in_shape_inference

__all__ = ["KerasParameter", "KerasBuffer", "KerasView", "as_variable", "keras_view"]


def _value_like(value, target):
    if isinstance(value, torch.Tensor):
        value = value.detach()
    else:
        value = torch.as_tensor(np.asarray(value))
    return value.to(device=target.device, dtype=target.dtype)


def _check_shape(variable, value):
    if tuple(value.shape) != tuple(variable.shape):
        raise ValueError(
            "The shape of the target variable and the shape of the target value in "
            f"`variable.assign(value)` must match. variable.shape={tuple(variable.shape)}, "
            f"Received: value.shape={tuple(value.shape)}. Target variable: {variable.path}"
        )


class _VariableAPI:
    """The Keras Variable methods shared by the three tensor subclasses."""

    __slots__ = ()

    @property
    def name(self):
        return self.__dict__.get("_keras_name")

    @property
    def path(self):
        return self.__dict__.get("_keras_path") or self.name

    @property
    def value(self):
        return self

    def numpy(self):
        return self.detach().cpu().as_subclass(torch.Tensor).numpy()

    def _write(self, value):
        with torch.no_grad():
            self.copy_(value)

    def _current(self):
        return self.detach()

    def assign(self, value):
        value = _value_like(value, self)
        _check_shape(self, value)
        self._write(value)
        return value

    def assign_add(self, value):
        return self.assign(self._current() + _value_like(value, self))

    def assign_sub(self, value):
        return self.assign(self._current() - _value_like(value, self))


def _numpy_operand(name):
    """A binary operator that takes numpy arrays as tensors (in the variable's dtype and device),
    as a Keras Variable does: `kernel * np_mask` stays a differentiable torch tensor instead of
    numpy converting the variable."""
    method = getattr(torch.Tensor, name)

    def operator(self, other):
        if isinstance(other, np.ndarray):
            other = torch.as_tensor(other, dtype=self.dtype, device=self.device)
        return method(self, other)

    operator.__name__ = name
    return operator


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
              "__rtruediv__", "__matmul__", "__rmatmul__", "__pow__", "__rpow__"):
    setattr(_VariableAPI, _name, _numpy_operand(_name))
del _name


class KerasParameter(_VariableAPI, nn.Parameter):
    """An nn.Parameter that is also a Keras Variable (trainable follows requires_grad)."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def trainable(self):
        return self.requires_grad

    @trainable.setter
    def trainable(self, value):
        self.requires_grad_(bool(value) and self.is_floating_point())

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.__dict__.update(self.__dict__)
        return result


class KerasBuffer(_VariableAPI, torch.Tensor):
    """A torch buffer that is also a (non-trainable) Keras Variable."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def trainable(self):
        return False

    @trainable.setter
    def trainable(self, value):
        if value:
            raise ValueError(
                f"The weight {self.path!r} is non-trainable state held as a torch buffer; it cannot "
                "become trainable. Received: trainable=True"
            )

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = self.detach().clone(memory_format=torch.preserve_format)
        result.__class__ = KerasBuffer
        result.__dict__.update(self.__dict__)
        memo[id(self)] = result
        return result


class KerasView(_VariableAPI, torch.Tensor):
    """A builtin layer's weight in Keras layout: a view of its torch parameter(s)."""

    __torch_function__ = torch._C._disabled_torch_function_impl

    @property
    def trainable(self):
        slot = self.__dict__["_keras_slot"]
        return slot.trainable and all(p.requires_grad for p in slot.params)

    @trainable.setter
    def trainable(self, value):
        for p in self.__dict__["_keras_slot"].params:
            p.requires_grad_(bool(value))

    @property
    def grad(self):
        """The parameter's gradient, in Keras layout (None before a backward pass)."""
        return self.__dict__["_keras_slot"].keras_grad()

    def _write(self, value):
        self.__dict__["_keras_slot"].assign_keras(value)

    def _current(self):
        return self.__dict__["_keras_slot"].keras_view().detach()


def as_variable(tensor, name, path):
    """Give a parameter/buffer the Keras Variable API in place (idempotent; the object, its data
    and its registration are unchanged). Tensors of other subclasses are returned as they are."""
    cls = type(tensor)
    if cls is nn.Parameter:
        tensor.__class__ = KerasParameter
    elif cls is torch.Tensor:
        tensor.__class__ = KerasBuffer
    elif cls is not KerasParameter and cls is not KerasBuffer:
        return tensor
    d = tensor.__dict__
    if d.get("_keras_path") != path:
        d["_keras_name"] = name
        d["_keras_path"] = path
    return tensor


def keras_view(slot):
    """The Keras variable of a slot: its tensor itself for an identity layout, else a KerasView."""
    params = slot.params
    if len(params) == 1 and type(getattr(slot, "layout", None)) is Layout:  # the identity layout
        return as_variable(params[0], slot.name, slot.path)
    if torch.compiler.is_compiling():
        # Dynamo cannot trace a tensor subclass carrying attributes: compiled code gets the plain
        # Keras-layout view (differentiable, so standardizing a kernel compiles without a graph
        # break); the Variable API of the view (assign, ...) is for eager code.
        return slot.keras_view()
    base = slot.keras_view()
    if in_shape_inference() and type(base) is not torch.Tensor:
        # A fake tensor of an output-shape trial run (engine/shape_inference.py) cannot change
        # class; the run's writes are undone afterwards anyway, so its assigns are no-ops.
        for method in ("assign", "assign_add", "assign_sub"):
            setattr(base, method, lambda value, _base=base: _base)
        return base
    view = base.as_subclass(KerasView)
    view.__dict__.update(_keras_name=slot.name, _keras_path=slot.path, _keras_slot=slot)
    return view
