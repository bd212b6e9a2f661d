"""Every layer call's output, on both sides, and which layer of ours is which layer of TensorFlow's.

Ours: a torch forward hook on every sub-layer (nested models' layers included). TensorFlow's: the
layer's `call` is wrapped for the duration of the run (Keras's `Layer.__call__` looks `call` up on
the instance each time), which also reaches layers inside nested and subclassed models. On both
sides each tensor a layer returns is replaced by an identity of it (a torch view, `tf.identity`),
so the gradient with respect to "this call's output" is the gradient through the layers that
consume this call only, even when a layer hands its input through unchanged (Dropout at
inference). Everything is undone when the run ends.
"""

import numpy as np

from .. import _tree


def _is_input_layer(layer):
    return type(layer).__name__ == "InputLayer"


def our_children(layer):
    return [child for child in layer._sublayers() if not _is_input_layer(child)]


def tf_children(layer):
    return [child for child in layer._flatten_layers(include_self=False, recursive=False)
            if not _is_input_layer(child)]


def match_layers(ours, theirs):
    """[(path, our_layer, tf_layer or None)] for every layer under `ours` (itself excluded), and
    the TensorFlow layers no layer of ours matched. Children pair by position when both sides
    have as many (tf.keras and kerascompat list a model's layers in the same order), else by name."""
    pairs, unmatched_tf = [], []

    def visit(our_layer, tf_layer, prefix):
        kids = our_children(our_layer)
        tf_kids = tf_children(tf_layer) if tf_layer is not None else []
        if len(kids) == len(tf_kids):
            partners = list(tf_kids)
        else:
            by_name = {k.name: k for k in tf_kids}
            partners = [by_name.get(k.name) for k in kids]
        used = {id(p) for p in partners if p is not None}
        unmatched_tf.extend(k for k in tf_kids if id(k) not in used)
        for kid, partner in zip(kids, partners):
            path = prefix + kid.name
            pairs.append((path, kid, partner))
            visit(kid, partner, path + "/")

    visit(ours, theirs, "")
    return pairs, unmatched_tf


class OurRecorder:
    """Forward hooks recording each call's outputs (as fresh views) per layer, in call order."""

    def __init__(self, layers):
        self.calls = {id(layer): [] for layer in layers}
        self.inputs = {id(layer): [] for layer in layers}  # each call's first argument: to pair calls
        self._handles = [layer.register_forward_hook(self._hook) for layer in layers]

    def _hook(self, module, args, output):
        import torch

        def fresh(value):
            if not isinstance(value, torch.Tensor) or value.device.type == "meta":
                return value
            view = value.view_as(value)
            mask = getattr(value, "_keras_mask", None)
            if mask is not None:
                view._keras_mask = mask
            return view

        output = _tree.map_structure(fresh, output)
        leaves = [v for v in _tree.flatten(output) if isinstance(v, torch.Tensor)]
        if leaves and all(v.device.type != "meta" for v in leaves):
            for leaf in leaves:
                if leaf.requires_grad:
                    leaf.retain_grad()
            self.calls[id(module)].append(leaves)
            first = _tree.flatten(args[0]) if args else []
            self.inputs[id(module)].append([v.detach() for v in first if isinstance(v, torch.Tensor)])
        return output

    def close(self):
        for handle in self._handles:
            handle.remove()


class TFRecorder:
    """Wraps each TensorFlow layer's `call` to record its outputs (as fresh identities); `order`
    lists (id(layer), call index) in the order TensorFlow made the calls."""

    def __init__(self, tf, layers):
        self.tf = tf
        self.calls = {id(layer): [] for layer in layers}
        self.inputs = {id(layer): [] for layer in layers}
        self.order = []
        self._patched = []
        for layer in layers:
            original = layer.call
            had_own = "call" in layer.__dict__
            layer.call = self._wrap(layer, original)
            self._patched.append((layer, original, had_own))

    def _wrap(self, layer, original):
        tf = self.tf

        def call(*args, **kwargs):
            outputs = original(*args, **kwargs)

            def fresh(value):
                if not tf.is_tensor(value) or isinstance(value, (tf.RaggedTensor, tf.SparseTensor)):
                    return value
                copy = tf.identity(value)
                mask = getattr(value, "_keras_mask", None)
                if mask is not None:
                    try:
                        copy._keras_mask = mask
                    except AttributeError:
                        pass
                return copy

            outputs = tf.nest.map_structure(fresh, outputs)
            leaves = [v for v in tf.nest.flatten(outputs) if tf.is_tensor(v)]
            calls = self.calls[id(layer)]
            self.order.append((id(layer), len(calls)))
            calls.append(leaves)
            first = tf.nest.flatten(args[0]) if args else []
            self.inputs[id(layer)].append([v for v in first if tf.is_tensor(v)])
            return outputs

        return call

    def close(self):
        for layer, original, had_own in reversed(self._patched):
            if had_own:
                layer.call = original
            else:
                del layer.call


def pair_calls(our_inputs, tf_inputs):
    """For each of a layer's TensorFlow calls (in TensorFlow's order), the index of our call that
    computed the same thing: the unused one whose first argument is closest to TensorFlow's.
    The two sides may run a shared layer's calls in different orders (both are valid orders of
    the graph), so call k on one side need not be call k on the other."""
    if len(our_inputs) == 1:
        return [0]
    ours = [[np.asarray(_as_numpy(v), dtype="float64") for v in call] for call in our_inputs]
    theirs = [[np.asarray(v.numpy(), dtype="float64") for v in call] for call in tf_inputs]
    free, out = list(range(len(ours))), []
    for call in theirs:
        best = min(free, key=lambda i: _distance(ours[i], call))
        free.remove(best)
        out.append(best)
    return out


def _as_numpy(tensor):
    import torch

    tensor = tensor.cpu()
    return (tensor.float() if tensor.dtype in (torch.bfloat16, torch.float16) else tensor).numpy()


def _distance(a, b):
    if len(a) != len(b) or any(x.shape != y.shape for x, y in zip(a, b)):
        return float("inf")
    with np.errstate(invalid="ignore"):
        total = sum(float(np.max(np.abs(x - y))) if x.size else 0.0 for x, y in zip(a, b))
    return total if total == total else float("inf")  # NaN: as far as can be
