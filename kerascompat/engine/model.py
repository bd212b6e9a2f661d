"""`Model` (functional and subclassed) and `Sequential`.

A functional model records the graph built by calling layers on `Input()` tensors and
replays it on concrete tensors. Its layers are registered as torch sub-modules under
their Keras names, so `model.state_dict()` keys read `dense.linear.weight`.
"""

import json

import torch

from .. import _tree, backend
from ..backend.tracking import structure_changed
from .._validation import check_bool
from .base_layer import Layer
from .graph import execution_order, keras_layer_order
from ..trainers.trainer import Trainer as TrainingMixin
from .input_layer import InputLayer
from .keras_tensor import KerasTensor
from . import summary as _summary
from . import functional_config as _functional_config
from ..saving import object_registration as _reg
from ..saving import serialization_lib as _lib
from ..saving import keras_archive as _keras_archive
from ..saving import saving_api as _saving_api


def _describe_shape(shape):
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def check_input_shape(owner, index, expected, tensor):
    """Raise a Keras-worded ValueError when a tensor does not fit an expected shape (None = any)."""
    shape = tuple(tensor.shape)
    if len(shape) != len(expected) or any(e is not None and e != d for e, d in zip(expected[1:], shape[1:])):
        raise ValueError(
            f'Input {index} of layer "{owner}" is incompatible with the layer: '
            f"expected shape={_describe_shape(expected)}, found shape={_describe_shape(shape)}"
        )


class Model(TrainingMixin, Layer):
    """A Keras model. `Model(inputs, outputs)` builds a functional model; subclass `Model`
    and define `call` for a subclassed model."""

    _summary_kind = "subclassed"  # how summary() lays out the table

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "Passing `inputs`/`outputs` to the constructor of a Model subclass is not supported by "
                "kerascompat; use `Model(inputs, outputs)` directly, or define `call`."
            )
        super().__init__(**kwargs)

    # ------------------------------------------------------------------ layers
    @property
    def layers(self):
        return self._sublayers()

    def get_layer(self, name=None, index=None):
        """Return a layer by name or by index (as Keras's get_layer)."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool):
                raise TypeError(f"The `index` argument must be an integer. Received: index={index!r}")
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(layers)} layers."
                )
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: {[l.name for l in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    # Attributes a model sets on itself during its life (besides those already present when a
    # layer is registered): a sub-layer keyed by one of these names would clash with them.
    _RESERVED_LAYER_KEYS = frozenset((
        "inputs", "outputs", "built", "name", "training", "trainable", "optimizer", "compiled",
        "stop_training", "history", "autocast", "activity_regularizer", "layers", "loss", "metrics",
    ))

    def _layer_key(self, name):
        """The `_modules` (and state_dict) key of the sub-layer named `name`.

        An ordinary name is its own key, so `state_dict()` reads `dense.linear.weight`. A name
        that is or could become an attribute of the model (`inputs`, `outputs`, `training`,
        `forward`, `weights`, a private `_name`) or that torch cannot use as a module name
        (empty, or containing '.') is keyed `layers/<name>` with '.' written '/':
        `layers/training.linear.weight`. Keras forbids '/' in layer names, so such a key can
        never equal another layer's ordinary key.
        """
        if (not name or "." in name or name.startswith("_") or name in self._RESERVED_LAYER_KEYS
                or hasattr(type(self), name) or name in self.__dict__
                or name in self._parameters or name in self._buffers):
            return "layers/" + name.replace(".", "/")
        return name

    def _register_layer(self, layer):
        names = self.__dict__.setdefault("_layer_keys", {})
        name = layer.name
        key = names.get(name)
        if key is not None:
            if self._modules.get(key) is layer:
                return
            raise ValueError(
                f"All layer names should be unique. Layer names: {[l.name for l in self.layers] + [name]}. "
                f"The name {name!r} is used more than once."
            )
        key = self._layer_key(name)
        names[name] = key
        self._modules[key] = layer
        structure_changed()

    def _unregister_layer(self, layer):
        key = self.__dict__.get("_layer_keys", {}).pop(layer.name, None)
        if key is not None and self._modules.get(key) is layer:
            del self._modules[key]
            structure_changed()

    # ---------------------------------------------------------------- config
    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a model from its config: Keras's functional config (with `input_layers`) gives a
        functional model, a config with only `layers` a Sequential one; a subclassed model is
        rebuilt from its constructor arguments. `custom_objects` reach every nested from_config."""
        if cls is Model and isinstance(config, dict) and "layers" in config:
            target = Functional if "input_layers" in config else Sequential
            return target.from_config(config, custom_objects=custom_objects)
        with _reg.CustomObjectScope(custom_objects):
            return cls(**config)

    def to_json(self, **kwargs):
        """The model's Keras config (`keras.saving.serialize_keras_object(model)`) as a JSON string."""
        return json.dumps(_lib.serialize_keras_object(self), default=_json_default, **kwargs)

    # --------------------------------------------------------------- summary
    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Print Keras's summary table: layer (type), output shape, param #, then the totals."""
        for arg, value in (("expand_nested", expand_nested), ("show_trainable", show_trainable),
                           ("layer_range", layer_range)):
            if value:
                raise NotImplementedError(f"summary: the Keras argument `{arg}` is not supported by kerascompat.")
        _summary.print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn)

    # ------------------------------------------------------------ model files
    def compile(self, *args, **kwargs):
        super().compile(*args, **kwargs)
        # What `get_compile_config` (and so `save`) records, as Keras keeps it.
        self._compile_arguments = _saving_api.compile_arguments(super().compile, args, kwargs)

    def get_compile_config(self):
        """Keras's serialized `compile` arguments (None when not compiled)."""
        return _keras_archive.compile_config(self)

    def compile_from_config(self, config):
        """Compile from `get_compile_config()`'s dict, as Keras's `compile_from_config`."""
        _keras_archive.compile_from_config(self, config, "the compile config")

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Save the model as a Keras 3 `.keras` zip (config, weights, compile config, optimizer
        state), which tf.keras's `load_model` reads."""
        _saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """`x.weights.h5`: Keras 3's weights file (tf.keras loads it); any other path that is not
        a Keras file name: kerascompat's own torch file of the Keras-layout weights."""
        _saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Load a `.weights.h5`, `.keras`, legacy `.h5` (`by_name=True` as Keras 2) or kerascompat
        weights file. The whole file is checked first: a mismatch raises ValueError, naming the
        layer and weight, and leaves the model as it was."""
        by_name = kwargs.pop("by_name", False)
        if kwargs:
            raise ValueError(f"load_weights: unexpected keyword arguments. Received: `kwargs`={kwargs!r}")
        _saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)


class Functional(Model):
    """A model defined by a graph of layer calls from `Input()` tensors to output tensors."""

    _summary_kind = "functional"  # how summary() lays out the table

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Layer.__init__(self, name=name or None, trainable=True, **kwargs)
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        self.inputs = _tree.flatten(inputs)
        self.outputs = _tree.flatten(outputs)
        for t in self.inputs + self.outputs:
            if not isinstance(t, KerasTensor):
                raise ValueError(
                    "All `inputs` and `outputs` of a functional model must be symbolic tensors returned by "
                    f"`Input()` or by calling a layer on them. Received: {t!r}"
                )
        for t in self.inputs:
            if not isinstance(t._keras_history[0], InputLayer):
                raise ValueError(
                    f"Functional model inputs must come from `keras.Input`. Received: {t!r} (produced by "
                    f"layer {t._keras_history[0].name!r})."
                )
        self._nodes = execution_order(self.inputs, self.outputs)
        # Bookkeeping only (the layers are registered below, in Keras's order): not tracked as sub-layers.
        self.__dict__["_input_layers"] = [t._keras_history[0] for t in self.inputs]
        # Layers and recorded keras.ops calls in Keras's order; the layers are the sub-modules.
        self.__dict__["_operations"] = keras_layer_order(self.inputs, self.outputs)
        for layer in self._operations:
            if isinstance(layer, Layer):
                self._register_layer(layer)
        self._input_shapes = [t.shape for t in self.inputs]
        self._output_kids = [t._kid for t in self.outputs]
        self.built = True
        self._build_input_shape = self._input_shapes[0] if len(self._input_shapes) == 1 else self._input_shapes
        if not trainable:
            self.trainable = False

    def _flatten_call_inputs(self, inputs):
        expected = len(self.inputs)
        if isinstance(inputs, dict):
            names = [t._keras_history[0].name for t in self.inputs]
            if isinstance(self._inputs_struct, dict):
                keys = sorted(self._inputs_struct)
                lookup = {k: k for k in keys}
                order = keys
            else:
                lookup = {n: n for n in names}
                order = names
            missing = [k for k in order if k not in inputs]
            if missing:
                raise ValueError(
                    f"Model {self.name!r} expects inputs {order}; missing {missing}. Received keys: {sorted(inputs)}"
                )
            return [inputs[lookup[k]] for k in order]
        flat = _tree.flatten(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(flat) != expected:
            raise ValueError(
                f"Model {self.name!r} expects {expected} input(s), but it received {len(flat)} input tensors."
            )
        return flat

    def call(self, inputs, training=None):
        flat = self._flatten_call_inputs(inputs)
        values = {}
        for index, (tensor, value, expected) in enumerate(zip(self.inputs, flat, self._input_shapes)):
            if type(value) is not torch.Tensor:
                value = self._convert_inputs(value)
            check_input_shape(self.name, index, expected, value)
            values[tensor._kid] = value
        for node in self._nodes:
            node.run(values)
        if type(self._outputs_struct) is KerasTensor:
            return values[self._output_kids[0]]
        return _tree.pack_like(self._outputs_struct, [values[k] for k in self._output_kids])

    def compute_output_shape(self, input_shape):
        flat_shapes = _tree.flatten_shapes(input_shape)
        shapes = {t._kid: tuple(s) for t, s in zip(self.inputs, flat_shapes)}
        for node in self._nodes:
            args_shapes = _tree.map_structure(
                lambda x: shapes[x._kid] if isinstance(x, KerasTensor) else x, list(node.call_args))
            if isinstance(node.layer, Layer):
                out = node.layer.compute_output_shape(args_shapes[0])
            else:  # a keras.ops call
                out = node.layer.compute_output_shape(*args_shapes)
            flat_out = _tree.flatten_shapes(out)
            for t, s in zip(node.output_tensors, flat_out):
                shapes[t._kid] = tuple(s)
        outs = [shapes[k] for k in self._output_kids]
        if type(self._outputs_struct) is KerasTensor:
            return outs[0]
        return _tree.pack_like(_tree.map_structure(lambda t: None, self._outputs_struct), outs)

    # In Keras's config, node indices of a functional model in `input_layers`/`output_layers` count from 1.
    _config_node_offset = 1

    def get_config(self):
        """Keras's functional config: `name`, `trainable`, `layers` (each with its `inbound_nodes`),
        `input_layers` and `output_layers` (see engine/functional_config.py)."""
        return {"name": self.name, "trainable": self.trainable, **_functional_config.graph_config(self)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a functional model from Keras's config (tf.keras's, Keras 2's node form included)."""
        with _reg.CustomObjectScope(custom_objects):
            inputs, outputs, _ = _functional_config.rebuild(config, _lib.deserialize_keras_object)
            _check_model_dtype(config)
            trainable = config.get("trainable")
            return cls(inputs, outputs, name=config.get("name"), trainable=True if trainable is None else trainable)


def _json_default(value):
    if hasattr(value, "item") and hasattr(value, "dtype"):  # numpy / torch scalars
        return value.item()
    raise TypeError(f"Cannot serialize {value!r} (type {type(value).__name__}) to JSON.")


def _check_model_dtype(config):
    dtype = config.get("dtype")
    name = dtype.get("config", {}).get("name") if isinstance(dtype, dict) else dtype
    if name not in (None, "float32"):
        raise NotImplementedError(
            "A model-level dtype policy other than float32 is not supported by kerascompat (set `dtype` on the "
            f"layers instead). Received: `dtype`={dtype!r}"
        )


class Sequential(Model):
    """A linear stack of layers: `Sequential([layers.Dense(64, input_shape=(8,)), ...])`.

    The input shape comes from an `Input` given as first element, an `input_shape=` on the
    first layer, `build(input_shape)`, or the first call.
    """

    _summary_kind = "sequential"  # how summary() lays out the table

    def __init__(self, layers=None, trainable=True, name=None):
        Layer.__init__(self, name=name, trainable=True)
        self._stack = []
        self._input_batch_shape = None
        self._input_layer_name = None  # Keras's hidden InputLayer: its name and dtype, for get_config
        self._input_dtype_name = "float32"
        if layers is not None:
            if not isinstance(layers, (list, tuple)):
                layers = [layers]
            for layer in layers:
                self.add(layer)
        if not trainable:
            self.trainable = False

    @property
    def layers(self):
        return list(self._stack)

    def add(self, layer, rebuild=True):
        """Append a layer (or an `Input` tensor as the first element)."""
        if isinstance(layer, KerasTensor) and isinstance(layer._keras_history[0], InputLayer):
            layer = layer._keras_history[0]
        if isinstance(layer, InputLayer):
            if self._stack or self._input_batch_shape is not None:
                raise ValueError(
                    "Sequential model: an `Input` can only be the first element, before any layer. "
                    f"Received an Input after {[l.name for l in self._stack] or 'another Input'}."
                )
            self._input_batch_shape = tuple(layer.batch_shape)
            self._input_layer_name, self._input_dtype_name = layer.name, layer.dtype
            return
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. "
                f"Received: {layer!r} (of type {type(layer).__name__})"
            )
        if not self._stack and self._input_batch_shape is None and layer._input_shape_arg is not None:
            self._set_input_shape(layer._input_shape_arg)
        self._register_layer(layer)
        self._stack.append(layer)
        if self._input_batch_shape is not None and rebuild:
            self._build_stack(self._input_batch_shape)

    def pop(self, rebuild=True):
        """Remove and return the last layer. With `rebuild=True` (Keras's default) the model's
        built state and output shape follow the remaining layers at once; with `rebuild=False`
        they are brought up to date by the next `build` or call."""
        rebuild = check_bool(rebuild, "rebuild")
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self._unregister_layer(layer)
        self.built = False
        if rebuild and self._stack and self._input_batch_shape is not None:
            self._build_stack(self._input_batch_shape)
        return layer

    def build(self, input_shape=None):
        if input_shape is None:
            input_shape = self._input_batch_shape
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if not _tree.is_shape(input_shape):
            raise ValueError(f"Sequential model only supports a single input shape. Received: {input_shape!r}")
        input_shape = tuple(input_shape)
        if self._input_batch_shape is None:
            self._set_input_shape((None,) + input_shape[1:])
        self._build_stack(input_shape)

    def _set_input_shape(self, batch_shape):
        # Keras creates an InputLayer here, which takes the next automatic `input_layer` name:
        # taking it too keeps later automatic names (and so configs and files) equal to Keras's.
        self._input_batch_shape = tuple(batch_shape)
        self._input_layer_name = backend.unique_name("input_layer")

    def build_from_shape(self, input_shape):
        if not self.built:
            self.build(input_shape)
            self._build_input_shape = self._input_batch_shape
            if not self._trainable:
                self.trainable = False

    def _build_stack(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._stack:
            try:
                layer.build_from_shape(shape)
                shape = layer.compute_output_shape(shape)
            except ValueError as error:
                raise ValueError(f"Sequential model {self.name!r}, layer {layer.name!r}: {error}") from error
        self.built = True
        self._build_input_shape = self._input_batch_shape

    def output_shapes(self):
        """Output shape of each layer for the model's input shape (None when unknown)."""
        if self._input_batch_shape is None:
            return [None] * len(self._stack)
        shapes, shape = [], self._input_batch_shape
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
            shapes.append(shape)
        return shapes

    def call(self, inputs, training=None):
        expected = self._input_batch_shape
        if expected is not None:
            # Fast path: a fully known expected shape compares as one tuple.
            if not (None not in expected[1:] and inputs.dim() == len(expected) and inputs.shape[1:] == expected[1:]):
                check_input_shape(self.name, 0, expected, inputs)
        x = inputs
        for layer in self._stack:
            x = layer(x)
        return x

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self._stack:
            shape = layer.compute_output_shape(shape)
        return shape

    def get_config(self):
        """Keras's Sequential config: `name`, `trainable`, `dtype`, `layers` (an InputLayer first
        once the input shape is known) and `build_input_shape`."""
        dtype = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": None}
        config = {"name": self.name, "trainable": self.trainable, "dtype": dtype, "layers": []}
        if self._input_batch_shape is not None:
            config["layers"].append({
                "module": "keras.layers", "class_name": "InputLayer",
                "config": {"batch_shape": self._input_batch_shape, "dtype": self._input_dtype_name,
                           "sparse": False, "ragged": False, "name": self._input_layer_name or f"{self.name}_input",
                           "optional": False},
                "registered_name": None})
        config["layers"] += [_lib.serialize_keras_object(layer) for layer in self._stack]
        if self._input_batch_shape is not None:
            config["build_input_shape"] = self._input_batch_shape
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild a Sequential model from Keras's config (tf.keras's and Keras 2's)."""
        if "layers" not in config:
            raise ValueError(f"A Sequential model config must have a 'layers' entry. Received keys: {sorted(config)}")
        _check_model_dtype(config)
        with _reg.CustomObjectScope(custom_objects):
            trainable = config.get("trainable")
            model = cls(name=config.get("name"), trainable=True if trainable is None else trainable)
            for layer_config in config["layers"]:
                model.add(_lib.deserialize_keras_object(layer_config), rebuild=False)
        shape = config.get("build_input_shape")
        if shape is not None:
            model.build(tuple(shape))
        elif model._input_batch_shape is not None:
            model.build(model._input_batch_shape)
        return model
