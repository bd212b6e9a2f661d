"""A functional model's graph in Keras's config form, and back.

`get_config` writes what tf.keras writes: each layer's serialized config plus its `name`
and `inbound_nodes` (one `{"args": [...], "kwargs": {...}}` per call of the layer inside
this model, symbolic tensors written as `__keras_tensor__` entries whose `keras_history` is
[layer name, call index within this model, tensor index]), then `input_layers` and
`output_layers` as [layer name, node index, tensor index] structures. As in Keras, the node
index of a nested functional model in `input_layers`/`output_layers` counts from 1.

`rebuild` reads that form, Keras 2's `[[name, node_index, tensor_index, kwargs], ...]`
nodes included, calling each layer once all the tensors its call needs exist.
"""

from .. import _tree
from ..saving import serialization_lib
from .input_layer import InputLayer
from .keras_tensor import KerasTensor, Operation
from ..ops.symbolic import is_operation_config, operation_from_config


def _model_nodes(model):
    """{id(node): index of that node among its layer's calls inside `model`}."""
    own = {id(n) for n in model._nodes}
    own.update(id(layer._inbound_nodes[0]) for layer in model._input_layers)
    index = {}
    for layer in model._operations:
        k = 0
        for node in layer._inbound_nodes:
            if id(node) in own:
                index[id(node)] = k
                k += 1
    return index


def graph_config(model):
    """Keras's `layers`, `input_layers` and `output_layers` entries of a functional model's config."""
    local = _model_nodes(model)

    def history(tensor):
        layer, node_index, tensor_index = tensor._keras_history
        return layer, local[id(layer._inbound_nodes[node_index])], tensor_index

    def as_ref(value):
        if isinstance(value, KerasTensor):
            layer, node_index, tensor_index = history(value)
            return serialization_lib.KerasTensorRef(value.shape, value.dtype, [layer.name, node_index, tensor_index])
        return value

    def endpoint(tensor):
        layer, node_index, tensor_index = history(tensor)
        return [layer.name, node_index + getattr(layer, "_config_node_offset", 0), tensor_index]

    layer_configs = []
    for layer in model._operations:
        if isinstance(layer, Operation):
            config = layer.serialize()
        else:
            config = serialization_lib.serialize_keras_object(layer)
        nodes = []
        for node in layer._inbound_nodes:
            if id(node) not in local or node.is_input:
                continue
            args = _tree.map_structure(as_ref, list(node.call_args))
            kwargs = _tree.map_structure(as_ref, dict(node.call_kwargs))
            nodes.append({"args": serialization_lib.serialize_keras_object(args),
                          "kwargs": serialization_lib.serialize_keras_object(kwargs)})
        config["name"] = layer.name
        config["inbound_nodes"] = nodes
        layer_configs.append(config)
    return {
        "layers": layer_configs,
        "input_layers": _tree.map_structure(endpoint, model._inputs_struct),
        "output_layers": _tree.map_structure(endpoint, model._outputs_struct),
    }


class _NotReady(Exception):
    """A node refers to a call that has not been replayed yet."""


def _is_endpoint(value):
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], int)


def _map_endpoints(structure, fn):
    if _is_endpoint(structure):
        return fn(*structure)
    if isinstance(structure, dict):
        return {k: _map_endpoints(v, fn) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map_endpoints(v, fn) for v in structure)
    return structure


def _map_refs(structure, fn):
    if isinstance(structure, serialization_lib.KerasTensorRef):
        return fn(structure)
    if isinstance(structure, dict):
        return {k: _map_refs(v, fn) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_map_refs(v, fn) for v in structure)
    return structure


def rebuild(config, make_layer, input_overrides=None):
    """Replay a functional config: returns (inputs, outputs, created layers by name).

    `make_layer(layer_config)` creates each layer (deserialization, or a clone function);
    `input_overrides` maps input-layer names to tensors that replace those inputs."""
    for key in ("layers", "input_layers", "output_layers"):
        if key not in config:
            raise ValueError(f"A functional model config must have a {key!r} entry. Received keys: {sorted(config)}")
    input_overrides = input_overrides or {}
    created, made_nodes, pending = {}, {}, []
    for layer_config in config["layers"]:
        name = layer_config.get("name") or layer_config.get("config", {}).get("name")
        if is_operation_config(layer_config):  # a keras.ops call (e.g. tf.keras's NotEqual of a mask)
            layer = operation_from_config(layer_config)
        else:
            layer = make_layer(layer_config)
        if not hasattr(layer, "_inbound_nodes"):
            raise TypeError(f"The config of layer {name!r} did not produce a layer. Received: {layer!r}")
        created[name] = layer
        made_nodes[name] = [layer._inbound_nodes[0]] if isinstance(layer, InputLayer) else []
        pending.append((name, list(layer_config.get("inbound_nodes") or [])))

    def tensor(name, node_index, tensor_index):
        if name in input_overrides and node_index == 0:
            return input_overrides[name]
        if name not in created:
            raise ValueError(f"Invalid functional model config: unknown layer {name!r}. Layers: {sorted(created)}")
        nodes = made_nodes[name]
        if node_index >= len(nodes):
            raise _NotReady()
        return nodes[node_index].output_tensors[tensor_index]

    def call(name, node_data):
        layer = created[name]
        if isinstance(node_data, list):  # Keras 2: [[name, node_index, tensor_index, kwargs], ...]
            tensors, kwargs = [], {}
            for entry in node_data:
                if len(entry) not in (3, 4):
                    raise ValueError(f"Invalid functional model config: bad node entry {entry!r} of layer {name!r}.")
                tensors.append(tensor(*entry[:3]))
                kwargs = dict(entry[3]) if len(entry) == 4 else {}
            args = [tensors[0] if len(tensors) == 1 else tensors]
            kwargs = _map_endpoints_in_kwargs(kwargs, tensor)
        else:
            args = serialization_lib.deserialize_keras_object(node_data.get("args", []))
            kwargs = serialization_lib.deserialize_keras_object(node_data.get("kwargs", {})) or {}
            resolve = lambda ref: tensor(*ref.keras_history)  # noqa: E731
            args = _map_refs(args, resolve)
            kwargs = _map_refs(kwargs, resolve)
        if "mask" in kwargs and kwargs["mask"] is None and not getattr(layer, "_call_has_mask", False):
            del kwargs["mask"]  # tf.keras records mask=None on calls of nested models
        if isinstance(layer, Operation):
            layer.symbolic_call(*args, **kwargs)
        else:
            layer(*args, **kwargs)
        made_nodes[name].append(layer._inbound_nodes[-1])

    while any(nodes for _, nodes in pending):
        progress = False
        for name, nodes in pending:
            while nodes:
                try:
                    call(name, nodes[0])
                except _NotReady:
                    break
                nodes.pop(0)
                progress = True
        if not progress:
            stuck = sorted(name for name, nodes in pending if nodes)
            raise ValueError(
                "Invalid functional model config: the graph has loops or refers to layer calls that do not "
                f"exist. Layers whose calls could not be replayed: {stuck}"
            )

    def endpoint(name, node_index, tensor_index):
        offset = getattr(created.get(name), "_config_node_offset", 0)
        try:
            return tensor(name, node_index - offset, tensor_index)
        except _NotReady:
            raise ValueError(f"Invalid functional model config: layer {name!r} has no node {node_index}.") from None

    inputs = _map_endpoints(config["input_layers"], endpoint)
    outputs = _map_endpoints(config["output_layers"], endpoint)
    return inputs, outputs, created


def _map_endpoints_in_kwargs(kwargs, tensor):
    # Keras 2 wrote tensors inside call kwargs (e.g. initial_state) as [name, node, tensor] triples.
    return {k: _map_endpoints(v, tensor) if isinstance(v, list) else v for k, v in kwargs.items()}
