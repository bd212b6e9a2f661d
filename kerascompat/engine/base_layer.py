"""`Layer`: a torch.nn.Module with Keras's lifecycle.

A layer is built (its parameters created) the first time its input shape is known:
on a symbolic call in the functional API, when a Sequential model knows its input
shape, or on the first eager call. Parameters are ordinary torch parameters in torch
layout; `get_weights()` / `set_weights()` translate to and from Keras layout.

Training mode follows torch: `model.train()` / `model.eval()` switch dropout, and a
Keras-style `training=` argument overrides the mode for one call (it reaches every
layer called inside that call). That override, the losses collected during a call and the
mask flag live in the calling thread's `backend.context.CallContext`.

This module holds the lifecycle: construction, `__call__` (eager and symbolic), building,
losses and config. The rest of the engine:
- `layer_state.py`: `add_weight`, weight slots, `weights`/`get_weights`/`set_weights`, tracking order;
- `variables.py`: Keras's Variable API on the tensors behind the weights;
- `tracking.py`: layers inside list/dict/tuple attributes;
- `convert.py`: inputs to the layer's dtype and device;
- `masking.py`: Keras masks on tensors;
- `shape_inference.py`: output shapes of layers without `compute_output_shape`.
"""

import functools
import inspect

import torch
from torch import nn

from .. import _tree
from .. import backend, regularizers
from ..backend import context as _context
from ..backend._torch_compat import module_call as _module_call
from .._validation import check_bool, dtype_name, standardize_dtype
from . import convert as _convert
from .masking import attach_mask, find_mask
from . import shape_inference as _shape_inference
from .input_spec import assert_input_compatibility
from .keras_tensor import KerasTensor, Node, is_symbolic
from .layer_state import LayerStateMixin


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


def _shape_of(value):
    return tuple(value.shape)


class Layer(LayerStateMixin, nn.Module):
    """Base class of every kerascompat layer; subclass it as in Keras.

    Override `build(input_shape)` to create weights with `add_weight`, and
    `call(inputs, training=None)` with torch code. Arguments: `trainable`, `name`,
    `dtype` (a float dtype name; mixed-precision policies raise NotImplementedError),
    `activity_regularizer`, `autocast`, and on a first layer the Keras 2 spellings
    `input_shape`, `input_dim`, `batch_input_shape`, `batch_size`.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        params = inspect.signature(cls.call).parameters
        cls._call_has_training = "training" in params
        cls._call_has_mask = "mask" in params
        if "build" in cls.__dict__:
            cls.build = _mark_built_after(cls.__dict__["build"])
        if "call" in cls.__dict__ and "forward" not in cls.__dict__:
            cls.forward = cls.__dict__["call"]  # torch calls `forward`: make it `call` itself, one frame less

    def __new__(cls, *args, **kwargs):
        # torch's Module state exists before `__init__` runs, so a subclass may set sub-layers,
        # weights and lists of layers before calling `super().__init__()`, as Keras allows.
        self = super().__new__(cls)
        nn.Module.__init__(self)
        d = self.__dict__
        d["_weight_slots"] = []
        d["built"] = False
        return self

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
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
        elif "/" in name:
            raise ValueError(f"The `name` argument cannot contain the character `/`. Received: name={name!r}")
        self.name = name
        self._trainable = check_bool(trainable, "trainable")
        self._dtype = standardize_dtype(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self._inbound_nodes = []
        self._build_input_shape = None

    @property
    def _dtype(self):
        """The torch dtype this layer computes in: its parameters' once built (so it follows
        `.double()`/`.half()`), the constructor's `dtype` before."""
        ref = self._reference_tensor() if self.built else None
        return ref.dtype if ref is not None else self._configured_dtype

    @_dtype.setter
    def _dtype(self, value):
        self._configured_dtype = value
        self.__dict__.pop("_reference", None)

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
        if _context.in_shape_inference():
            _shape_inference.record_build(self, input_shape)
        self.build(input_shape)
        self.built = True
        if not self._trainable:
            self.trainable = False

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
            spec = self.__dict__.get("_input_spec")
            if spec:
                assert_input_compatibility(spec, inputs, self.name)
            self.build_from_shape(_tree.map_structure(_shape_of, inputs))
        context = _context._STATE.context
        if not context.depth:
            if self.autocast and type(inputs) is torch.Tensor:
                # A tensor from the user: to this layer's dtype/device (layers inside get tensors
                # computed from its parameters, already there).
                ref = self._reference_tensor()
                if ref is not None and (inputs.device != ref.device or (
                        inputs.dtype != ref.dtype and inputs.is_floating_point())):
                    inputs = _convert.to_tensor(inputs, ref)
                    args = (inputs,) + args[1:]
            # An outermost call: fresh state. A mask may arrive on the inputs from an earlier call.
            context.start_outermost_call(
                (kwargs.get("mask") is not None if kwargs else False) or find_mask(inputs) is not None)
        context.depth += 1
        try:
            return self._eager_call(inputs, args, kwargs, context)
        finally:
            context.depth -= 1

    def _eager_call(self, inputs, args, kwargs, context):
        mask = None
        if context.masks_seen and (self._call_has_mask or self.supports_masking):
            mask = kwargs.get("mask")
            if mask is None:
                mask = find_mask(inputs)
                if mask is not None and self._call_has_mask:
                    kwargs["mask"] = mask
        elif kwargs and kwargs.get("mask") is not None:
            context.masks_seen = True
            mask = kwargs["mask"]
        training = kwargs.pop("training", None) if kwargs else None
        if training is None:
            if self._call_has_training:
                outer = context.training
                kwargs["training"] = self.training if outer is None else outer
            outputs = _module_call(self, args, kwargs)
        else:
            training = bool(training)
            previous = context.training
            context.training = training
            try:
                if self._call_has_training:
                    kwargs["training"] = training
                outputs = _module_call(self, args, kwargs)
            finally:
                context.training = previous
        if self.activity_regularizer is not None:
            self._add_activity_loss(outputs)
        if self.supports_masking and (mask is not None or self._produces_mask):
            attach_mask(outputs, self.compute_mask(inputs, mask), context)
        return outputs

    def _checked_eager_call(self, inputs, args, kwargs, context):
        # The call path of a layer with an `input_spec` (installed by its setter).
        assert_input_compatibility(self.__dict__["_input_spec"], inputs, self.name)
        return type(self)._eager_call(self, inputs, args, kwargs, context)

    @property
    def input_spec(self):
        """Keras's `InputSpec` (or a structure of them) every call's first argument is checked
        against; None (the default) checks nothing and costs nothing."""
        return self.__dict__.get("_input_spec")

    @input_spec.setter
    def input_spec(self, value):
        d = self.__dict__
        d["_input_spec"] = value
        if value:
            d["_eager_call"] = self._checked_eager_call
        else:
            d.pop("_eager_call", None)

    def _convert_inputs(self, inputs):
        """numpy arrays / Python numbers / torch tensors -> tensors in this layer's dtype and on
        its device (see engine/convert.py)."""
        try:
            return _convert.convert_structure(inputs, self._reference_tensor(), self._configured_dtype, self.autocast)
        except TypeError as error:
            raise TypeError(f"Layer {self.name!r}: {error}") from None

    def _reference_tensor(self):
        """The tensor whose dtype/device this layer's inputs take (its first floating-point
        parameter); where it lives is cached, the tensor itself is looked up each time."""
        ref = self.__dict__.get("_reference")
        if ref is not None:
            tensor = (ref[0]._buffers if ref[2] else ref[0]._parameters).get(ref[1])
            if tensor is not None:
                return tensor
        found = _convert.find_reference(self)
        if found is None:
            return None
        if not torch.compiler.is_compiling():
            self.__dict__["_reference"] = found
        return (found[0]._buffers if found[2] else found[0]._parameters)[found[1]]

    def _symbolic_call(self, args, kwargs):
        inputs = args[0]
        spec = self.__dict__.get("_input_spec")
        if spec:
            assert_input_compatibility(spec, inputs, self.name)
        input_shapes = _tree.map_structure(lambda t: t.shape if isinstance(t, KerasTensor) else _shape_of(t), inputs)
        if not self.built:
            self.build_from_shape(input_shapes)
            spec = self.__dict__.get("_input_spec")
            if spec:  # `build` may have set a stricter one, as in Keras
                assert_input_compatibility(spec, inputs, self.name)
        if type(self).compute_output_shape is Layer.compute_output_shape and (
                is_symbolic(list(args[1:])) or is_symbolic(kwargs)):
            # A user layer called with several symbolic tensors (`layer(labels, predictions)`):
            # infer from the whole call, as Keras does.
            output_shapes = _shape_inference.infer_call_output_shape(
                self, args, kwargs, lambda x: isinstance(x, KerasTensor),
                lambda x: standardize_dtype(x.dtype, allow_int=True))
        else:
            output_shapes = self.compute_output_shape(input_shapes)
        out_dtype = self._output_dtype(inputs)
        outputs = _tree.map_shapes(lambda s: KerasTensor(s, out_dtype, name=self.name), output_shapes)
        Node(self, tuple(args), dict(kwargs), outputs)
        return outputs

    def _output_dtype(self, inputs):
        return self.dtype

    def compute_output_shape(self, input_shape):
        """Output shape for an input shape (None for unknown sizes). Builtin layers compute it;
        for a user's layer without an override, the layer runs twice on fake tensors, without
        side effects (see engine/shape_inference.py)."""
        return _shape_inference.infer_output_shape(self, input_shape)

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
        _context._STATE.context.add_loss(self, loss)

    def _add_activity_loss(self, outputs):
        for out in _tree.flatten(outputs):
            if isinstance(out, torch.Tensor):
                loss = self.activity_regularizer(out)
                if out.dim() > 0 and out.shape[0] > 0:
                    loss = loss / out.shape[0]
                self.add_loss(loss)

    @property
    def losses(self):
        """Losses added during the latest outermost call of this thread (add_loss, activity
        regularizers) plus weight-regularization penalties, as torch scalars."""
        out = []
        context = _context._STATE.context
        for layer in self._flatten_layers():
            out.extend(context.losses_of(layer))
        for slot in self._all_slots():
            if slot.regularizer is not None:
                out.append(slot.regularizer(slot.keras_view()))
        return out

    # -------------------------------------------------------------------- config
    def get_config(self):
        # `dtype` as Keras writes it: a serialized DTypePolicy.
        dtype = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": self.dtype}, "registered_name": None}
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def extra_repr(self):
        return f"name={self.name!r}"


Layer._call_has_training = False
Layer._call_has_mask = False
