"""A layer's Keras weights: `add_weight`, weight slots, and the Keras views of its state.

Every Keras weight of a layer is a slot (`_weights.WeightSlot` over a torch parameter,
`BufferSlot` over a torch buffer, `StackedSlot` over several parameters). A user's layer may
also hold plain torch modules, or register parameters and buffers itself: their parameters
are reported as trainable Keras weights and their persistent buffers (BatchNorm1d's running
statistics, ...) as non-trainable ones, so `get_weights`/`save_weights` keep them.

Order, as Keras's `Layer.weights`: a layer's own trainable-created weights (then the
parameters of its plain torch modules), its own non-trainable weights (then their buffers),
then each sub-layer's weights in tracking order; a tensor shared by several layers is listed
once.
"""

import numpy as np
import torch
from torch import nn

from .. import constraints, initializers, regularizers
from .._validation import check_bool, standardize_dtype
from .._weights import IDENTITY, BufferSlot, StackedSlot, WeightSlot
from . import tracking as _tracking
from .variables import as_variable, keras_view
from ..backend.tracking import structure_changed


class _TensorHolder:
    """Lets a plain torch tensor (a parameter or buffer of a plain torch module) be described by a slot."""

    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.tensor = tensor


def _tag(slot, layer_name):
    """Set the slot's Keras path and give its tensors the Keras Variable API (idempotent)."""
    path = f"{layer_name}/{slot.name}"
    if slot.path != path:
        slot.path = path
    if isinstance(slot, StackedSlot):
        for part in slot.parts:
            as_variable(part.param, part.name, f"{path}/{part.name}")
    else:
        as_variable(slot.param, slot.name, path)


class _SlotProperty:
    """Stands in for a builtin layer's property named after one of its Keras weights (Dense's
    `kernel`, a conv's `kernel`): while the layer has a slot of that name the attribute is the
    Keras variable (`engine.variables.keras_view`), otherwise the original property runs."""

    def __init__(self, prop, name):
        self.prop = prop
        self.name = name
        self.__doc__ = prop.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        for slot in instance.__dict__.get("_weight_slots", ()):
            if slot.name == self.name:
                return keras_view(slot)
        return self.prop.__get__(instance, owner)

    def __set__(self, instance, value):
        self.prop.__set__(instance, value)

    def __delete__(self, instance):
        self.prop.__delete__(instance)


def _expose_slot_property(cls, name):
    """Install a _SlotProperty over kerascompat's own property `name`, once per class. User
    classes are left as they are (their attributes are theirs)."""
    for klass in cls.__mro__:
        attr = klass.__dict__.get(name)
        if attr is None:
            continue
        if isinstance(attr, property) and klass.__module__.startswith("kerascompat."):
            setattr(klass, name, _SlotProperty(attr, name))
        return


class LayerStateMixin:
    """The weight-related half of `Layer` (mixed into it; not used on its own)."""

    # Builtin layers declare every torch tensor through a slot; a user's layer may also hold
    # plain torch modules, whose parameters and buffers are then reported as Keras weights.
    _track_plain_torch_params = True

    # ------------------------------------------------------------- declaring weights
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none", overwrite_with_gradient=False,
                   name=None):
        """Create a weight as Keras's `add_weight` does and return its torch tensor.

        A trainable floating-point weight is an `nn.Parameter`. A non-trainable weight
        (`trainable=False`, or an integer dtype) is a torch *buffer*, as torch keeps
        BatchNorm's running statistics: it follows `.to()`/`.double()`, is saved in
        `state_dict`, and is not in `parameters()`, so an optimizer built from
        `model.parameters()` never touches it. Either way the tensor is registered on this
        module (under the attribute name it is assigned to, or `name`), initialised by a
        Keras initializer, and listed in `weights` in Keras's order.
        """
        if aggregation not in ("none", "mean", "sum", "only_first_replica"):
            raise ValueError(
                "Invalid value for argument `aggregation`. Expected one of ['mean', 'none', "
                f"'only_first_replica', 'sum']. Received: aggregation={aggregation!r}"
            )
        if overwrite_with_gradient:
            raise NotImplementedError("add_weight: the Keras argument `overwrite_with_gradient` is not supported.")
        trainable = check_bool(trainable, "trainable")
        shape = () if shape is None else tuple(int(d) for d in shape)
        torch_dtype = standardize_dtype(dtype if dtype is not None else self._dtype, allow_int=True)
        if initializer is None:
            initializer = "glorot_uniform" if torch_dtype.is_floating_point else "zeros"
        value = torch.as_tensor(initializers.get(initializer)(shape, dtype=torch_dtype), dtype=torch_dtype)
        attr = name or "variable"
        if attr in self._parameters or attr in self._buffers or hasattr(self, attr):
            base, i = attr, 1
            while f"{base}_{i}" in self._parameters or f"{base}_{i}" in self._buffers or hasattr(self, f"{base}_{i}"):
                i += 1
            attr = f"{base}_{i}"
        regularizer, constraint = regularizers.get(regularizer), constraints.get(constraint)
        if trainable and torch_dtype.is_floating_point:
            self.register_parameter(attr, nn.Parameter(value))
            slot = WeightSlot(name or attr, self, attr, IDENTITY, True, regularizer, constraint)
        else:
            self.register_buffer(attr, value)
            slot = BufferSlot(name or attr, self, attr, IDENTITY, regularizer, constraint)
        self._declare_slot(slot)
        return as_variable(slot.param, slot.name, slot.path)

    def _add_slot(self, name, module, attr, layout=IDENTITY, initializer=None, regularizer=None,
                  constraint=None, trainable=True):
        """Declare an existing torch parameter as a Keras weight, initialising it in Keras layout."""
        slot = WeightSlot(name, module, attr, layout, trainable, regularizer, constraint)
        if initializer is not None:
            slot.initialize(initializer)
        self._declare_slot(slot)
        return slot

    def _add_buffer_slot(self, name, module, attr, layout=IDENTITY, initializer=None):
        """Declare an existing torch buffer as a non-trainable Keras weight (BatchNorm's moving
        statistics), initialising it in Keras layout."""
        slot = BufferSlot(name, module, attr, layout)
        if initializer is not None:
            slot.initialize(initializer)
        self._declare_slot(slot)
        return slot

    def _declare_slot(self, slot):
        self._weight_slots.append(slot)
        structure_changed()
        _tag(slot, self.name)
        _expose_slot_property(type(self), slot.name)

    def __getattr__(self, name):
        # nn.Module.__getattr__ (parameters, buffers, sub-modules), then a Keras weight declared by
        # a slot that has no attribute of its own (a cell's `recurrent_kernel`).
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            values = d.get(store)
            if values is not None and name in values:
                return values[name]
        for slot in d.get("_weight_slots", ()):
            if slot.name == name:
                return keras_view(slot)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __setattr__(self, name, value):
        t = type(value)
        if t is list or t is dict or t is tuple:
            # Layers inside lists/dicts/tuples are tracked (engine/tracking.py); a list of
            # InputSpecs goes to the `input_spec` property.
            if name != "input_spec" and _tracking.assign(self, name, value):
                return
        elif isinstance(value, torch.Tensor) and "_weight_slots" in self.__dict__:
            # `self.kernel = self.add_weight(...)`: keep one registration, under the attribute name.
            for slot in self._weight_slots:
                if slot.module is self and slot.attr != name:
                    store = self._buffers if slot.is_buffer else self._parameters
                    if store.get(slot.attr) is value:
                        del store[slot.attr]
                        if slot.is_buffer:
                            store[name] = value
                            slot.attr = name
                            return
                        slot.attr = name
                        break
        elif isinstance(value, nn.Module):
            structure_changed()
        _tracking.forget(self, name)
        super().__setattr__(name, value)

    def add_module(self, name, module):
        structure_changed()
        super().add_module(name, module)

    def __delattr__(self, name):
        _tracking.forget(self, name)
        super().__delattr__(name)

    # ------------------------------------------------------------- tracking
    def _sublayers(self):
        """Direct sub-layers in Keras's tracking order, including layers held inside plain torch
        containers (nn.ModuleList, nn.Sequential, ...)."""
        out, seen = [], set()

        def visit(modules):
            for module in modules:
                if isinstance(module, LayerStateMixin):
                    if id(module) not in seen:
                        seen.add(id(module))
                        out.append(module)
                elif module is not None:
                    visit(module._modules.values())

        visit(self._modules.values())
        return out

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

    def _plain_torch_state(self):
        """([(name, parameter)], [(name, buffer)]) of this layer that no slot declares: those of
        plain torch modules it holds, and any it registered itself. Persistent buffers only."""
        if not self._track_plain_torch_params:
            return [], []
        seen = {id(t) for s in self._weight_slots for t in s.params}
        params, buffers = [], []

        def visit(module, prefix):
            for key, p in module._parameters.items():
                if p is not None and id(p) not in seen:
                    seen.add(id(p))
                    params.append((prefix + key, p))
            for key, b in module._buffers.items():
                if b is not None and id(b) not in seen and key not in module._non_persistent_buffers_set:
                    seen.add(id(b))
                    buffers.append((prefix + key, b))
            for key, child in module._modules.items():
                if child is not None and not isinstance(child, LayerStateMixin):
                    visit(child, f"{prefix}{key}.")

        visit(self, "")
        return params, buffers

    def _plain_torch_params(self):
        return [p for _, p in self._plain_torch_state()[0]]

    def _own_slots(self):
        for slot in self._weight_slots:
            _tag(slot, self.name)
        trainable = [s for s in self._weight_slots if s.trainable]
        frozen = [s for s in self._weight_slots if not s.trainable]
        params, buffers = self._plain_torch_state()
        for name, param in params:
            slot = WeightSlot(name, _TensorHolder(param), "tensor")
            _tag(slot, self.name)
            trainable.append(slot)
        for name, buffer in buffers:
            slot = BufferSlot(name, _TensorHolder(buffer), "tensor")
            _tag(slot, self.name)
            frozen.append(slot)
        return trainable + frozen

    def _all_slots(self):
        seen, out = set(), []
        for layer in self._flatten_layers():
            for slot in layer._own_slots():
                key = tuple(id(p) for p in slot.params)
                if key not in seen:
                    seen.add(key)
                    out.append(slot)
        return out

    # ------------------------------------------------------------- Keras views
    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = check_bool(value, "trainable")
        for layer in self._flatten_layers():
            layer._trainable = value
            for slot in layer._weight_slots:
                if not slot.is_buffer:
                    for param in slot.params:
                        if param.is_floating_point():
                            param.requires_grad_(value and slot.trainable)
            for param in layer._plain_torch_params():
                if param.is_floating_point():
                    param.requires_grad_(value)

    @property
    def weights(self):
        """The torch tensors (parameters and buffers) behind the Keras weights, in Keras's
        order, each in torch layout."""
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
