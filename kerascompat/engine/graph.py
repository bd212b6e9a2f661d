"""Keras's order of the layers of a functional graph.

A functional model lists its layers (and so its weights, `get_weights()`, `set_weights()`,
`summary()` and its config) in the order Keras 3 gives them (`keras/src/ops/function.py`,
`map_graph`): layers sorted by decreasing depth, where a node's depth is its longest distance
to an output and a layer's depth the largest depth of its calls in the graph; layers of equal
depth keep the order in which a depth-first walk back from the outputs first met them. Call
order is not this order (two parallel branches are listed by depth, not by which was called
first), so loading `tf_model.get_weights()` depends on getting it exactly right.
"""

from .. import _tree


def _node_of(tensor):
    layer, node_index, _ = tensor._keras_history
    return layer._inbound_nodes[node_index]


def _parent_nodes(node):
    return [_node_of(t) for t in node.input_tensors]


def _walk_from_outputs(outputs):
    """Post-order of the nodes met walking back from each output in turn, and the index at
    which each layer was first met (pre-order), as Keras's `_build_map` computes them."""
    finished, post_order, first_seen = set(), [], {}
    for output in _tree.flatten(outputs):
        root = _node_of(output)
        if id(root) in finished:
            continue
        first_seen.setdefault(root.layer, len(first_seen))
        stack = [(root, iter(root.input_tensors))]
        in_progress = {id(root)}
        while stack:
            node, pending = stack[-1]
            for tensor in pending:
                parent = _node_of(tensor)
                if id(parent) in finished:
                    continue
                if id(parent) in in_progress:
                    raise ValueError(f"Tensor {tensor!r} from layer {parent.layer.name!r} is part of a cycle.")
                first_seen.setdefault(parent.layer, len(first_seen))
                in_progress.add(id(parent))
                stack.append((parent, iter(parent.input_tensors)))
                break
            else:
                stack.pop()
                in_progress.discard(id(node))
                finished.add(id(node))
                post_order.append(node)
    return post_order, first_seen


def execution_order(inputs, outputs):
    """The layer calls between `inputs` and `outputs` in an order that computes every call's
    arguments before it (input nodes left out); raise when an output needs an Input that is
    not among `inputs`."""
    post_order, _ = _walk_from_outputs(outputs)
    input_layers = {id(t._keras_history[0]) for t in _tree.flatten(inputs)}
    order = []
    for node in post_order:
        if node.is_input:
            if id(node.layer) not in input_layers:
                raise ValueError(
                    f"Graph disconnected: cannot obtain value for tensor {node.output_tensors[0]!r} at layer "
                    f"{node.layer.name!r}. The following previous layers were accessed without issue: "
                    f"{[n.layer.name for n in order]}. Add that Input to the model's `inputs`."
                )
            continue
        order.append(node)
    return order


def keras_layer_order(inputs, outputs):
    """The layers between `inputs` and `outputs` (InputLayers included) in Keras's order."""
    post_order, first_seen = _walk_from_outputs(outputs)
    in_graph = {id(node) for node in post_order}
    node_depth, layer_depth = {}, {}
    for node in reversed(post_order):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(node.layer, 0))
        layer_depth[node.layer] = depth
        node_depth[id(node)] = depth
        for parent in _parent_nodes(node):
            if id(parent) in in_graph:
                node_depth[id(parent)] = max(depth + 1, node_depth.get(id(parent), 0))
    for tensor in _tree.flatten(inputs):  # inputs no output depends on come at depth 0, first
        layer = tensor._keras_history[0]
        if layer not in layer_depth:
            layer_depth[layer] = 0
            first_seen[layer] = -1
    by_depth = {}
    for layer, depth in layer_depth.items():
        by_depth.setdefault(depth, []).append(layer)
    ordered = []
    for depth in sorted(by_depth, reverse=True):
        ordered.extend(sorted(by_depth[depth], key=lambda layer: first_seen[layer]))
    return ordered
