"""Where each Keras weight of a model lives in a Keras 3 weights file (`*.weights.h5`, and the
`model.weights.h5` inside a `.keras` zip).

Keras 3 does not address weights by layer name: it walks the model's objects
(`keras/src/saving/saving_lib.py`, `_walk_saveable`). A Sequential or functional model first
lists its `layers`; every object then visits its attributes in sorted order (private `_x` ones
last). A list of layers names each element after its class in snake case, with `_1`, `_2`, ...
on repeats (`layers/dense`, `layers/dense_1`, `layers/sequential/layers/dense`); a layer held
as an attribute is named by the attribute (`lstm/cell`, `bidirectional/forward_layer/cell`).
Each object stores its own variables as `<path>/vars/0`, `1`, ... in its creation order
(trainable-created first), the root model under `vars`. An object reached twice (a shared
layer) is stored once, where it was first met.

Our layers hold their Keras sub-layers as torch sub-modules under the same attribute names
as Keras (`cell`, `forward_layer`, a user's `self.block`), and lists of layers under
`<attr>:<index>` keys (engine/tracking.py), so the walk below reproduces Keras's paths.
"""

import re

from torch import nn

from ..engine.layer_state import LayerStateMixin

# Attributes a layer may expose its Keras sub-layer under without it being a direct
# torch sub-module (an RNN's `cell` lives inside the torch recurrent module it runs).
_KNOWN_ATTRIBUTES = ("cell", "forward_layer", "backward_layer", "layer")


def to_snake_case(name):
    """Keras's `naming.to_snake_case`: 'BatchNormalization' -> 'batch_normalization'."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(name, used):
    """Keras's `_get_unique_name`: the first `dense` is 'dense', the next 'dense_1', ..."""
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def _sort_key(name):
    return "~" + name if name.startswith("_") else name


def _is_graph_model(layer):
    return getattr(layer, "_summary_kind", None) in ("functional", "sequential")


def _public_aliases(layer):
    """{id(sub-layer): name} for the public properties of `layer` that return one of its
    sub-layers. Keras's walk visits public attributes before private ones, so a sub-layer kept
    as `_query_dense` and exposed by a `query_dense` property (MultiHeadAttention) is stored
    under `query_dense`."""
    names = sorted({name for klass in type(layer).__mro__ for name, value in vars(klass).items()
                    if isinstance(value, property) and not name.startswith("_")})
    out = {}
    for name in names:
        try:
            value = getattr(layer, name)
        except Exception:  # as Keras's walk: an attribute that cannot be read is skipped
            continue
        if isinstance(value, LayerStateMixin):
            out.setdefault(id(value), name)
    return out


def _children(layer):
    """[(attribute name, layer or list of layers)] of `layer`, in Keras's visiting order."""
    if _is_graph_model(layer):
        return [("layers", list(layer.layers))]
    subs = list(layer._sublayers())
    if not subs:
        return []
    attributes, containers = {}, {}
    placed = set()
    aliases = _public_aliases(layer)
    for key, module in layer._modules.items():
        if isinstance(module, LayerStateMixin):
            if ":" in key:
                containers.setdefault(key.split(":", 1)[0], []).append(module)
            else:
                attributes.setdefault(aliases.get(id(module), key) if key.startswith("_") else key, module)
            placed.add(id(module))
        elif isinstance(module, (nn.ModuleList, nn.ModuleDict)):
            items = module.values() if isinstance(module, nn.ModuleDict) else module
            members = [m for m in items if isinstance(m, LayerStateMixin)]
            if members:
                containers[key] = members
                placed.update(id(m) for m in members)
    for sub in subs:
        if id(sub) in placed:
            continue
        for name in _KNOWN_ATTRIBUTES:
            if getattr(layer, name, None) is sub and name not in attributes:
                attributes[name] = sub
                placed.add(id(sub))
                break
        else:
            attributes[to_snake_case(type(sub).__name__)] = sub
    entries = list(attributes.items()) + list(containers.items())
    return sorted(entries, key=lambda item: _sort_key(item[0]))


def saveable_entries(model):
    """[(path, layer)] for every layer of `model` reached by Keras's walk, root first
    (path '' for the root; its variables sit under `vars`)."""
    out, visited = [], set()

    def visit(layer, path):
        if id(layer) in visited:
            return
        visited.add(id(layer))
        out.append((path, layer))
        for name, child in _children(layer):
            child_path = f"{path}/{name}" if path else name
            if isinstance(child, list):
                used = {}
                for member in child:
                    member_name = unique_name(to_snake_case(type(member).__name__), used)
                    visit(member, f"{child_path}/{member_name}")
            else:
                visit(child, child_path)

    visit(model, "")
    return out


def own_slots(layer):
    """The Keras weights a layer stores itself (`<path>/vars/i`), in Keras's order: its
    trainable-created weights, then its non-trainable ones (sub-layers store their own)."""
    return list(layer._own_slots())


def vars_path(path):
    return f"{path}/vars" if path else "vars"
