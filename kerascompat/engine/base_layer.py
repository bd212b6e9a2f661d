"""`Layer`: a torch.nn.Module with Keras's lifecycle.

A layer is built (its parameters created) the first time its input shape is known:
on a symbolic call in the functional API, when a Sequential model knows its input
shape, or on the first eager call. Parameters are ordinary torch parameters in torch
layout; `get_weights()` / `set_weights()` translate to and from Keras layout.

Training mode follows torch: `model.train()` / `model.eval()` switch dropout, and a
Keras-style `training=` argument overrides the mode for one call (it reaches every
layer called inside that call).
"""

import functools
import inspect

import numpy as np
import torch
from torch import nn

from .. import _tree
from .. import backend, constraints, initializers, regularizers
from ..backend.tracking import structure_changed
from .._validation import check_bool, dtype_name, standardize_dtype
from .._weights import IDENTITY, WeightSlot
from .keras_tensor import KerasTensor, Node, is_symbolic


def _mark_built_after(build):
    """Wrap a `build` so that calling it directly (as Keras users do) marks the layer built."""
    if getattr(build, "_kerascompat_wrapped", False):
        return build

    @functools.wraps(build)
    def wrapped(self, *args, **kwargs):
        result = build(self, *args, **kwargs)
        if not self.built:
            self.built = True
            if self._build_input_shape is None and args:
                self._build_input_shape = args[0]
            if not self._trainable:
                self.trainable = False
        return result

    wrapped._kerascompat_wrapped = True
    return wrapped


class _CallContext:
    """State shared by nested calls: the `training=` override, the call depth (losses added
    with add_loss are those of the latest outermost call), and whether any Keras mask has
    been seen (layers skip the mask lookup until one has). Every value here is the same at
    the start of each outermost call, so torch.compile's guards on them never change."""

    __slots__ = ("training", "depth", "masks_seen")

    def __init__(self):
        self.training = None
        self.depth = 0
        self.masks_seen = False


# Layers holding losses from add_loss / activity regularizers; cleared when an outermost call starts.
_LOSS_LAYERS = set()


CALL_CONTEXT = _CallContext()


try:  # nn.Module.__call__'s no-hook fast path, taken without its two extra Python frames
    from torch.nn.modules import module as _torch_module

    _GLOBAL_HOOKS = (_torch_module._global_backward_pre_hooks, _torch_module._global_backward_hooks,
                     _torch_module._global_forward_pre_hooks, _torch_module._global_forward_hooks)
except AttributeError:  # a torch without these internals: always go through nn.Module.__call__
    _GLOBAL_HOOKS = None


_tracing_state = torch._C._get_tracing_state


def _module_call(module, args, kwargs):
    """Exactly nn.Module.__call__: `forward` directly when torch itself would (no module or
    global hooks, not compiled with `module.compile()`, not JIT-tracing), else the full call."""
    hooks = _GLOBAL_HOOKS
    if (hooks is not None and module._compiled_call_impl is None
            and not (module._forward_hooks or module._forward_pre_hooks or module._backward_hooks
                     or module._backward_pre_hooks or hooks[0] or hooks[1] or hooks[2] or hooks[3])
            and not _tracing_state()):
        return module.forward(*args, **kwargs)
    return nn.Module.__call__(module, *args, **kwargs)


def _shape_of(value):
    return tuple(value.shape)


class Layer(nn.Module):
    """Base class of every kerascompat layer; subclass it as in Keras.

    Override `build(input_shape)` to create weights with `add_weight`, and
    `call(inputs, training=None)` with torch code. Arguments: `trainable`, `name`,
    `dtype` (a float dtype name; mixed-precision policies raise NotImplementedError),
    `activity_regularizer`, `autocast`, and on a first layer the Keras 2 spellings
    `input_shape`, `input_dim`, `batch_input_shape`, `batch_size`.
    """

    # Builtin layers declare every torch parameter through a WeightSlot; a user's layer may
    # also hold plain torch modules, whose parameters are then reported as Keras weights.
    _track_plain_torch_params = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        params = inspect.signature(cls.call).parameters
        cls._call_has_training = "training" in params
        cls._call_has_mask = "mask" in params
        if "build" in cls.__dict__:
            cls.build = _mark_built_after(cls.__dict__["build"])
        if "call" in cls.__dict__ and "forward" not in cls.__dict__:
            cls.forward = cls.__dict__["call"]  # torch calls `forward`: make it `call` itself, one frame less

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        super().__init__()
        input_dim = kwargs.pop("input_dim", None)
        input_shape = kwargs.pop("input_shape", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        batch_size = kwargs.pop("batch_size", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: {kwargs}")
        if input_dim is not None:
            input_shape = (input_dim,)
        if batch_input_shape is not None:
            self._input_shape_arg = tuple(batch_input_shape)
        elif input_shape is not None:
            if isinstance(input_shape, int):
                input_shape = (input_shape,)
            self._input_shape_arg = (batch_size,) + tuple(input_shape)
        else:
            self._input_shape_arg = None
        if name is None:
            name = backend.unique_name(backend.to_snake_case(type(self).__name__))
        elif not isinstance(name, str):
            raise TypeError(f"The `name` argument must be a string. Received: name={name!r}")
        self.name = name
        self._trainable = check_bool(trainable, "trainable")
        self._dtype = standardize_dtype(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self._weight_slots = []
        self._added_losses = []
        self._inbound_nodes = []
        self._build_input_shape = None

    # ----------------------------------------------------------------- attributes
    def __setattr__(self, name, value):
        # `self.kernel = self.add_weight(...)`: keep one registration, under the attribute name.
        if isinstance(value, nn.Parameter) and "_weight_slots" in self.__dict__:
            for slot in self._weight_slots:
                if slot.module is self and slot.attr != name and self._parameters.get(slot.attr) is value:
                    del self._parameters[slot.attr]
                    slot.attr = name
                    break
        elif isinstance(value, nn.Module):
            structure_changed()
        super().__setattr__(name, value)

    @property
    def dtype(self):
        return dtype_name(self._dtype)

    @property
    def compute_dtype(self):
        return self.dtype

    @property
    def variable_dtype(self):
        return self.dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = check_bool(value, "trainable")
        for layer in self._flatten_layers():
            layer._trainable = value
            for slot in layer._weight_slots:
                for param in slot.params:
                    param.requires_grad_(value and slot.trainable)
            for param in layer._plain_torch_params():
                param.requires_grad_(value)

    @property
    def input_shape(self):
        if self._inbound_nodes and self._inbound_nodes[0].input_tensors:
            shapes = [t.shape for t in self._inbound_nodes[0].input_tensors]
            return shapes[0] if len(shapes) == 1 else shapes
        if self._build_input_shape is not None:
            return self._build_input_shape
        raise AttributeError(f"The layer {self.name!r} has never been called and thus has no defined input shape.")

    @property
    def output_shape(self):
        if self._inbound_nodes:
            shapes = [t.shape for t in self._inbound_nodes[0].output_tensors]
            return shapes[0] if len(shapes) == 1 else shapes
        raise AttributeError(f"The layer {self.name!r} has never been called and thus has no defined output shape.")

    @property
    def input(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name!r} has never been called on a symbolic input.")
        tensors = self._inbound_nodes[0].input_tensors
        return tensors[0] if len(tensors) == 1 else tensors

    @property
    def output(self):
        if not self._inbound_nodes:
            raise AttributeError(f"Layer {self.name!r} has never been called on a symbolic input.")
        return self._inbound_nodes[0].outputs

    # ------------------------------------------------------------------ building
    def build(self, input_shape):
        """Create the layer's weights; called once, when the input shape is first known."""
        self.built = True

    def build_from_shape(self, input_shape):
        """Build if not built yet (idempotent). `input_shape` includes the batch dimension."""
        if self.built:
            return
        if _tree.is_shape(input_shape):
            input_shape = tuple(input_shape)
        self._build_input_shape = input_shape
        self.build(input_shape)
        self.built = True
        if not self._trainable:
            self.trainable = False

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", overwrite_with_gradient=False,
                   name=None):
        """Create a weight as Keras's `add_weight` does; returns the torch Parameter.

        The parameter is registered on this module (under the attribute name it is assigned
        to, or `name`), initialised by a Keras initializer, and listed in `weights` in
        creation order. `trainable=False` gives a parameter with requires_grad=False.
        """
        if aggregation not in ("none", "mean", "sum", "only_first_replica"):
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of ['mean', 'none', "
                f"'only_first_replica', 'sum']. Received: aggregation={aggregation!r}"
            )
        if overwrite_with_gradient:
            raise NotImplementedError("add_weight: the Keras argument `overwrite_with_gradient` is not supported.")
        shape = () if shape is None else tuple(int(d) for d in shape)
        torch_dtype = standardize_dtype(dtype if dtype is not None else self._dtype, allow_int=True)
        if initializer is None:
            initializer = "glorot_uniform" if torch_dtype.is_floating_point else "zeros"
        value = initializers.get(initializer)(shape, dtype=torch_dtype)
        param = nn.Parameter(torch.as_tensor(value, dtype=torch_dtype),
                             requires_grad=bool(trainable) and torch_dtype.is_floating_point)
        attr = name or "variable"
        if attr in self._parameters or hasattr(self, attr):
            base, i = attr, 1
            while f"{base}_{i}" in self._parameters or hasattr(self, f"{base}_{i}"):
                i += 1
            attr = f"{base}_{i}"
        self.register_parameter(attr, param)
        self._weight_slots.append(WeightSlot(
            name or attr, self, attr, IDENTITY, trainable=bool(trainable),
            regularizer=regularizers.get(regularizer), constraint=constraints.get(constraint),
        ))
        structure_changed()
        return param

    def _add_slot(self, name, module, attr, layout=IDENTITY, initializer=None, regularizer=None,
                  constraint=None, trainable=True):
        """Declare an existing torch parameter as a Keras weight, initialising it in Keras layout."""
        slot = WeightSlot(name, module, attr, layout, trainable, regularizer, constraint)
        if initializer is not None:
            slot.initialize(initializer)
        self._weight_slots.append(slot)
        structure_changed()
        return slot

    def add_module(self, name, module):
        structure_changed()
        super().add_module(name, module)

    # ------------------------------------------------------------------- calling
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement `call()`.")

    def forward(self, *args, **kwargs):
        return self.call(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        if not args:
            if "inputs" not in kwargs:
                raise ValueError(f"Layer {self.name!r} was called without inputs.")
            args = (kwargs.pop("inputs"),)
        inputs = args[0]
        if type(inputs) is not torch.Tensor:
            if is_symbolic(inputs) or is_symbolic(kwargs):
                return self._symbolic_call(args, kwargs)
            inputs = self._convert_inputs(inputs)
            args = (inputs,) + args[1:]
        if not self.built:
            self.build_from_shape(_tree.map_structure(_shape_of, inputs))
        context = CALL_CONTEXT
        if not context.depth and _LOSS_LAYERS:
            for layer in _LOSS_LAYERS:
                layer._added_losses = []
            _LOSS_LAYERS.clear()
        context.depth += 1
        try:
            return self._eager_call(inputs, args, kwargs)
        finally:
            context.depth -= 1

    def _eager_call(self, inputs, args, kwargs):
        mask = None
        if kwargs and kwargs.get("mask") is not None:
            CALL_CONTEXT.masks_seen = True
        if CALL_CONTEXT.masks_seen and (self._call_has_mask or self.supports_masking):
            mask = kwargs.get("mask")
            if mask is None:
                mask = _find_mask(inputs)
                if mask is not None and self._call_has_mask:
                    kwargs["mask"] = mask
        training = kwargs.pop("training", None) if kwargs else None
        if training is None:
            if self._call_has_training:
                outer = CALL_CONTEXT.training
                kwargs["training"] = self.training if outer is None else outer
            outputs = _module_call(self, args, kwargs)
        else:
            training = bool(training)
            previous = CALL_CONTEXT.training
            CALL_CONTEXT.training = training
            try:
                if self._call_has_training:
                    kwargs["training"] = training
                outputs = _module_call(self, args, kwargs)
            finally:
                CALL_CONTEXT.training = previous
        if self.activity_regularizer is not None:
            self._add_activity_loss(outputs)
        if self.supports_masking and (mask is not None or self._produces_mask):
            _attach_mask(outputs, self.compute_mask(inputs, mask))
        return outputs

    def _convert_inputs(self, inputs):
        """numpy arrays / Python numbers -> torch tensors (floats in the layer's dtype)."""
        device = None
        for p in self.parameters():
            device = p.device
            break

        def convert(x):
            if isinstance(x, torch.Tensor) or x is None:
                return x
            if isinstance(x, (np.ndarray, np.generic, float, int)) or (
                isinstance(x, (list, tuple)) and x and not isinstance(x[0], (np.ndarray, torch.Tensor, list, tuple, dict))
            ):
                array = np.asarray(x)
                tensor = torch.from_numpy(np.ascontiguousarray(array))
                if tensor.is_floating_point() and self.autocast:
                    tensor = tensor.to(self._dtype)
                return tensor if device is None else tensor.to(device)
            raise TypeError(
                f"Layer {self.name!r} expects torch tensors or numpy arrays as inputs. "
                f"Received an input of type {type(x).__name__}."
            )

        if isinstance(inputs, (list, tuple)) and inputs and isinstance(inputs[0], (np.ndarray, torch.Tensor, list, tuple, dict)):
            return type(inputs)(self._convert_inputs(x) for x in inputs)
        if isinstance(inputs, dict):
            return {k: self._convert_inputs(v) for k, v in inputs.items()}
        return convert(inputs)

    def _symbolic_call(self, args, kwargs):
        inputs = args[0]
        input_shapes = _tree.map_structure(lambda t: t.shape if isinstance(t, KerasTensor) else _shape_of(t), inputs)
        if not self.built:
            self.build_from_shape(input_shapes)
        output_shapes = self.compute_output_shape(input_shapes)
        out_dtype = self._output_dtype(inputs)
        outputs = _tree.map_shapes(lambda s: KerasTensor(s, out_dtype, name=self.name), output_shapes)
        Node(self, tuple(args), dict(kwargs), outputs)
        return outputs

    def _output_dtype(self, inputs):
        return self.dtype

    def compute_output_shape(self, input_shape):
        """Output shape for an input shape. Builtin layers compute it; for a user's layer
        without an override, the layer is run once on zeros (batch of 2) to find it."""
        sentinel = 17  # stands for unknown non-batch sizes during the trial run

        def zeros(shape):
            sizes = [2 if i == 0 and d is None else (sentinel if d is None else d) for i, d in enumerate(shape)]
            return torch.zeros(sizes, dtype=self._dtype)

        def back(tensor, reference):
            out = list(tensor.shape)
            if out and reference and reference[0] is None:
                out[0] = None
            unknown = {i for i, d in enumerate(reference) if d is None and i > 0}
            return tuple(None if (i in unknown and d == sentinel) else d for i, d in enumerate(out))

        dummy = _tree.map_shapes(zeros, input_shape)
        reference = _tree.flatten_shapes(input_shape)[0]
        with torch.no_grad():
            if self._call_has_training:
                out = self.forward(dummy, training=False)
            else:
                out = self.forward(dummy)
        return _tree.map_structure(lambda t: back(t, tuple(reference)), out)

    # Keras masking: a layer that supports masking passes its input mask on (or computes a
    # new one in `compute_mask`); masks travel as a `_keras_mask` attribute of the tensors,
    # as in Keras's torch backend, and reach any layer whose `call` takes `mask`.
    supports_masking = False
    _produces_mask = False  # True for layers whose compute_mask creates a mask (Masking)

    def compute_mask(self, inputs, mask=None):
        return mask

    # -------------------------------------------------------------------- losses
    def add_loss(self, loss):
        """Record a loss tensor during `call` (Keras's add_loss); `losses` lists those of the
        latest outermost call."""
        self._added_losses.append(loss)
        _LOSS_LAYERS.add(self)

    def _add_activity_loss(self, outputs):
        for out in _tree.flatten(outputs):
            if isinstance(out, torch.Tensor):
                loss = self.activity_regularizer(out)
                if out.dim() > 0 and out.shape[0] > 0:
                    loss = loss / out.shape[0]
                self.add_loss(loss)

    @property
    def losses(self):
        """Activity losses of the last call plus weight-regularization penalties, as torch scalars."""
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._added_losses)
        for slot in self._all_slots():
            if slot.regularizer is not None:
                out.append(slot.regularizer(slot.keras_view()))
        return out

    # ------------------------------------------------------------------- weights
    def _sublayers(self):
        """Direct sub-layers in Keras's tracking order."""
        return [m for m in self._modules.values() if isinstance(m, Layer)]

    def _flatten_layers(self):
        seen, out = set(), []

        def visit(layer):
            if id(layer) in seen:
                return
            seen.add(id(layer))
            out.append(layer)
            for sub in layer._sublayers():
                visit(sub)

        visit(self)
        return out

    def _plain_torch_params(self):
        """Parameters of plain torch modules held by a user's layer (not declared by a slot)."""
        if not self._track_plain_torch_params:
            return []
        declared = {id(p) for s in self._weight_slots for p in s.params}
        params = [p for p in self._parameters.values() if p is not None and id(p) not in declared]
        for module in self._modules.values():
            if module is not None and not isinstance(module, Layer):
                params.extend(p for p in module.parameters() if id(p) not in declared)
        return params

    def _own_slots(self):
        slots = list(self._weight_slots)
        for param in self._plain_torch_params():
            holder = _ParamHolder(param)
            slots.append(WeightSlot("weight", holder, "param", IDENTITY, trainable=True))
        return slots

    def _all_slots(self):
        seen, out = set(), []
        for layer in self._flatten_layers():
            for slot in layer._own_slots():
                key = tuple(id(p) for p in slot.params)
                if key not in seen:
                    seen.add(key)
                    out.append(slot)
        return out

    @property
    def weights(self):
        """The torch parameters behind the Keras weights, in Keras's order (torch layout)."""
        return [p for s in self._all_slots() for p in s.params]

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_weights(self):
        return [p for s in self._all_slots() for p in s.params if s.trainable and p.requires_grad]

    @property
    def non_trainable_weights(self):
        return [p for s in self._all_slots() for p in s.params if not (s.trainable and p.requires_grad)]

    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """Weights as numpy arrays in Keras layout and order (as tf.keras's get_weights)."""
        return [s.keras_view().detach().cpu().numpy().copy() for s in self._all_slots()]

    def set_weights(self, weights):
        """Set weights from Keras-layout arrays. Everything is checked before anything changes."""
        slots = self._all_slots()
        weights = list(weights)
        if len(weights) != len(slots):
            raise ValueError(
                f"Layer {self.name!r} expected {len(slots)} weights, but received {len(weights)} "
                f"input weights. Expected weights: {[s.name for s in slots]}"
            )
        values = []
        for slot, value in zip(slots, weights):
            value = value.detach() if isinstance(value, torch.Tensor) else torch.as_tensor(np.asarray(value))
            expected = slot.keras_shape()
            if tuple(value.shape) != tuple(expected):
                raise ValueError(
                    f"Layer {self.name!r} weight {slot.name!r} has shape {tuple(expected)} (Keras "
                    f"layout), but the value received has shape {tuple(value.shape)}."
                )
            values.append(value)
        for slot, value in zip(slots, values):
            slot.assign_keras(value)

    def count_params(self):
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name!r}, but the layer isn't built. "
                "You can build it manually via: `layer.build(input_shape)`."
            )
        return int(sum(p.numel() for s in self._all_slots() for p in s.params))

    def apply_constraints(self):
        """Project constrained weights, as Keras does after each optimizer update."""
        with torch.no_grad():
            for slot in self._all_slots():
                if slot.constraint is not None:
                    slot.assign_keras(slot.constraint(slot.keras_view().detach()))

    # -------------------------------------------------------------------- config
    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._input_shape_arg is not None:
            config["batch_input_shape"] = self._input_shape_arg
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def extra_repr(self):
        return f"name={self.name!r}"


def _find_mask(inputs):
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    if isinstance(inputs, (list, tuple)):
        masks = [getattr(x, "_keras_mask", None) for x in inputs]
        return masks if any(m is not None for m in masks) else None
    return None


def _attach_mask(outputs, mask):
    if mask is None:
        return
    if isinstance(outputs, torch.Tensor):
        if isinstance(mask, torch.Tensor):
            outputs._keras_mask = mask
            CALL_CONTEXT.masks_seen = True
        return
    if isinstance(outputs, (list, tuple)):
        masks = mask if isinstance(mask, (list, tuple)) else [mask] + [None] * (len(outputs) - 1)
        for out, m in zip(outputs, masks):
            _attach_mask(out, m)


class _ParamHolder:
    """Lets a plain torch parameter be described by a WeightSlot."""

    __slots__ = ("param",)


    def __init__(self, param):
        self.param = param


Layer._call_has_training = False
Layer._call_has_mask = False
