"""`compare`: run a kerascompat model and the same model in tf.keras on the same inputs and say
where, if anywhere, their numbers part.

The two models are paired (see `_models.py`), both run once in inference mode under a gradient
recorder with every layer call's output captured (`_capture.py`), and the loss
`sum(output * R) + regularization losses` (R seeded random, the same on both sides) is
differentiated with respect to every captured output, the inputs and the trainable weights.
"""

import math
import numbers

import numpy as np

from . import _capture, _inputs, _models
from ._tensorflow import import_tensorflow
from .report import Comparison, LayerRow, ParityReport, measure, measure_many


def compare(model, inputs=None, *, rtol=1e-5, atol=1e-5, gradients=True, training_step=False, reference=None,
            custom_objects=None, seed=0):
    """Compare a kerascompat model with tf.keras, layer by layer; return a `ParityReport`.

    `model` is one of
      - a kerascompat model (or layer): tf.keras rebuilds it from `get_config()` and takes its
        `get_weights()`;
      - a build function `fn(keras)`, called once with kerascompat and once with tf.keras; TF's
        weights (1-D float weights such as biases perturbed by 0.1 * N(0, 1) so they are not
        trivially zero) are copied into ours;
      - a path to a `.keras` / `.h5` file, loaded by both sides (needs
        `kerascompat.models.load_model`).
    With `reference=` (a live tf.keras model) that model is the reference instead and its weights
    are copied into ours for the check. `compare` leaves `model` as it found it: weights it sets
    are put back afterwards.

    `inputs`: an array (or torch/TF tensor), a list of them, or a dict keyed by input name;
    default: seeded random arrays (`seed`) from the model's input specs, batch 2, unknown sizes 8,
    integers in [0, input_dim) for inputs read by an Embedding.
    `rtol`, `atol`: a value matches when |ours - tf| <= atol * max(1, max|tf|) + rtol * |tf|.
    `gradients`: also compare the gradient of `sum(output * R)` (+ regularization losses) with
    respect to every layer call's output, the inputs and the trainable weights (Keras layout).
    `training_step`: also compare every weight after one plain SGD step (learning rate 1,
    constraints applied), computed from those gradients.
    `custom_objects`: the tf.keras classes of your custom layers (a dict), or a function
    `custom_objects(keras)` returning them for whichever keras it is given (files need it for
    both sides).

    TensorFlow is imported here, not before; without it an ImportError says how to install it.
    """
    _check_arguments(rtol, atol, gradients, training_step, custom_objects, seed)
    kind = _models.kind_of(model, reference)
    if kind == "path":
        _models.require_load_model(model)
    pair = _models.Pair(model, kind, reference, custom_objects)
    try:
        ours = pair.build_ours()
        structure, names, arrays = _feed(ours, inputs, seed)
        tf = import_tensorflow()
        pair.build_theirs(tf, _inputs.pack(structure, names, [tf.constant(a) for a in arrays]))
        pair.share_weights(seed)
        return _run(tf, pair.ours, pair.theirs, structure, names, arrays, rtol, atol, gradients, training_step, seed)
    finally:
        pair.restore()


def _check_arguments(rtol, atol, gradients, training_step, custom_objects, seed):
    for arg, value in (("rtol", rtol), ("atol", atol)):
        if not isinstance(value, numbers.Real) or isinstance(value, bool):
            raise TypeError(f"`{arg}` must be a number. Received: `{arg}`={value!r}")
        if not value >= 0 or math.isinf(value):
            raise ValueError(f"`{arg}` must be a finite number >= 0. Received: `{arg}`={value!r}")
    for arg, value in (("gradients", gradients), ("training_step", training_step)):
        if not isinstance(value, bool):
            raise TypeError(f"`{arg}` must be True or False. Received: `{arg}`={value!r}")
    if custom_objects is not None and not isinstance(custom_objects, dict) and not callable(custom_objects):
        raise TypeError("`custom_objects` must be a dict of tf.keras classes or a function of `keras` returning one. "
                        f"Received: `custom_objects`={custom_objects!r}")
    if not isinstance(seed, numbers.Integral) or isinstance(seed, bool):
        raise TypeError(f"`seed` must be an integer. Received: `seed`={seed!r}")


def _feed(ours, inputs, seed):
    if inputs is None:
        specs = _inputs.input_specs(ours)
        if specs is None:
            raise ValueError(
                f"`inputs` are needed: model {ours.name!r} does not declare its input shapes (a subclassed model, "
                "or a Sequential model without an Input), so no random inputs can be drawn. Pass arrays as "
                "`inputs=`. Received: `inputs`=None")
        names = [spec[0] for spec in specs]
        return ("single" if len(specs) == 1 else "list"), names, _inputs.random_inputs(specs, seed)
    structure, named = _inputs.normalize_inputs(inputs)
    return structure, [n for n, _ in named], [a for _, a in named]


def _torch_array(tensor):
    import torch

    tensor = tensor.detach().cpu()
    if tensor.dtype in (torch.bfloat16, torch.float16):
        tensor = tensor.float()
    return tensor.numpy()


def _tf_array(tensor):
    return np.asarray(tensor.numpy()).astype("float64") if tensor.dtype.is_floating else np.asarray(tensor.numpy())


def _shape(leaves):
    shapes = [tuple(int(d) for d in leaf.shape) for leaf in leaves]
    return shapes[0] if len(shapes) == 1 else shapes


def _run(tf, ours, theirs, structure, names, arrays, rtol, atol, gradients, training_step, seed):
    import torch

    pairs, _ = _capture.match_layers(ours, theirs)
    seen, our_layers, tf_partner = set(), [], {}
    for path, our_layer, tf_layer in pairs:
        if id(our_layer) not in seen:
            seen.add(id(our_layer))
            our_layers.append((path, our_layer))
            if tf_layer is not None and id(tf_layer) not in tf_partner:
                tf_partner[id(tf_layer)] = (path, our_layer, tf_layer)
    need_grads = gradients or training_step
    rng = np.random.default_rng(seed + 2)

    # TensorFlow: forward under a tape, every layer call's output captured.
    tf_inputs = [tf.constant(a) for a in arrays]
    tf_recorder = _capture.TFRecorder(tf, [entry[2] for entry in tf_partner.values()])
    try:
        with tf.GradientTape() as tape:
            for t in tf_inputs:
                if t.dtype.is_floating:
                    tape.watch(t)
            tf_out = theirs(_inputs.pack(structure, names, tf_inputs), training=False)
            tf_flat = [t for t in tf.nest.flatten(tf_out) if tf.is_tensor(t)]
            R = [rng.standard_normal(tuple(t.shape)).astype("float32") for t in tf_flat]
            tf_loss = tf.add_n([tf.reduce_sum(tf.cast(o, "float32") * r) for o, r in zip(tf_flat, R)
                                if o.dtype.is_floating] or [tf.constant(0.0)])
            tf_reg = tf.add_n([tf.cast(l, "float32") for l in theirs.losses]) if theirs.losses else None
            if tf_reg is not None:
                tf_loss = tf_loss + tf_reg
    finally:
        tf_recorder.close()
    tf_weights = list(theirs.weights)
    tf_grads = {}
    if need_grads:
        targets = [t for calls in tf_recorder.calls.values() for call in calls for t in call if t.dtype.is_floating]
        targets += [t for t in tf_inputs if t.dtype.is_floating] + [w for w in tf_weights if w.trainable]
        # Unconnected targets give None, made zeros here (TensorFlow's own ZERO option fails on Keras
        # Variables, whose `dtype` is a string); Embedding's IndexedSlices become dense.
        values = tape.gradient(tf_loss, targets)
        tf_grads = {id(t): tf.zeros(tuple(t.shape), "float32") if g is None
                    else tf.convert_to_tensor(g) if isinstance(g, tf.IndexedSlices) else g
                    for t, g in zip(targets, values)}

    # Ours: the same, with forward hooks; the user's .grad values are put back afterwards.
    device = next((p.device for p in ours.parameters()), torch.device("cpu"))
    our_inputs = [torch.tensor(a, device=device) for a in arrays]
    for t in our_inputs:
        if t.is_floating_point() and need_grads:
            t.requires_grad_(True)
    params = list(ours.parameters())
    saved_grads = [p.grad for p in params]
    for p in params:
        p.grad = None
    recorder = _capture.OurRecorder([layer for _, layer in our_layers])
    try:
        our_out = ours(_inputs.pack(structure, names, our_inputs), training=False)
        our_flat = [t for t in _flatten(our_out) if isinstance(t, torch.Tensor)]
        our_losses = ours.losses
        if need_grads:
            loss = sum(((o.float() * torch.from_numpy(r).to(o.device)).sum() for o, r in zip(our_flat, R)
                        if o.is_floating_point()), torch.zeros((), device=device))
            if our_losses:
                loss = loss + sum(l.float() for l in our_losses)
            if loss.requires_grad:
                loss.backward()
        slots = ours._all_slots()
        our_weight_grads = [slot.keras_grad() if slot.trainable else None for slot in slots]
        step_results = _sgd_step(tf, ours, theirs, tf_weights, tf_grads, rtol, atol) if training_step else []
    finally:
        recorder.close()
        for p, g in zip(params, saved_grads):
            p.grad = g

    rows = _layer_rows(tf_recorder, recorder, tf_partner, our_layers, tf_grads, rtol, atol, gradients)
    outputs = _output_rows(structure, our_out, our_flat, tf_flat, rtol, atol)
    if our_losses or tf_reg is not None:
        ours_value = float(sum(l.detach().float().cpu() for l in our_losses)) if our_losses else 0.0
        max_abs, max_rel, ok, note = measure(ours_value, float(tf_reg) if tf_reg is not None else 0.0, rtol, atol)
        outputs.append(Comparison("regularization losses", (), max_abs, max_rel, ok, note))
    input_rows, weight_rows = [], []
    if gradients:
        for name, ours_t, tf_t in zip(names, our_inputs, tf_inputs):
            if not tf_t.dtype.is_floating:
                continue
            grad = ours_t.grad if ours_t.grad is not None else torch.zeros_like(ours_t)
            input_rows.append(Comparison(name, tuple(ours_t.shape),
                                         *measure(_torch_array(grad), _tf_array(tf_grads[id(tf_t)]), rtol, atol)))
        weight_rows = _weight_rows(slots, our_weight_grads, tf_weights, tf_grads, rtol, atol)
    notes = []
    if any(row.compared and row.passed and row.grad_passed is False for row in rows) and all(
            c.passed for c in input_rows + weight_rows):
        notes.append("'ok, gradient differs': the gradient with respect to that output differs while every input "
                     "and weight gradient matches: the frameworks chose different, equally valid subgradients "
                     "(ties in max pooling, ReLU at 0); training is not affected.")
    if any(not row.compared for row in rows):
        notes.append("Rows marked 'not compared' are layer calls without a counterpart on TensorFlow's side (a "
                     "layer one side runs as a fused kernel calls its inner cells a different number of times).")
    return ParityReport(rows, outputs, input_rows, weight_rows, step_results, rtol=rtol, atol=atol, notes=notes)


def _flatten(structure):
    from .. import _tree

    return _tree.flatten(structure)


def _layer_rows(tf_recorder, recorder, tf_partner, our_layers, tf_grads, rtol, atol, gradients):
    rows, reported = [], set()

    def skipped(path, layer, ours_n, tf_n):
        reported.add(id(layer))
        note = (f"called {ours_n} time(s) by kerascompat, {tf_n} by TensorFlow" if tf_n is not None
                else "no counterpart in the TensorFlow model")
        rows.append(LayerRow(path, type(layer).__name__, None, float("nan"), float("nan"), True, compared=False,
                             note=note))

    pairing = {}
    for tf_id, k in tf_recorder.order:
        path, layer, _ = tf_partner[tf_id]
        our_calls, tf_calls = recorder.calls[id(layer)], tf_recorder.calls[tf_id]
        if len(our_calls) != len(tf_calls):
            if id(layer) not in reported:
                skipped(path, layer, len(our_calls), len(tf_calls))
            continue
        reported.add(id(layer))
        if tf_id not in pairing:
            pairing[tf_id] = _capture.pair_calls(recorder.inputs[id(layer)], tf_recorder.inputs[tf_id])
        mine, theirs = our_calls[pairing[tf_id][k]], tf_calls[k]
        max_abs, max_rel, ok, note = measure_many([_torch_array(t) for t in mine], [_tf_array(t) for t in theirs],
                                                  rtol, atol)
        row = LayerRow(path if k == 0 else f"{path}#{k}", type(layer).__name__, _shape(mine), max_abs, max_rel, ok,
                       note=note)
        if gradients:
            mine_g = [_torch_array(t.grad) if t.grad is not None else np.zeros(tuple(t.shape))
                      for t in mine if t.is_floating_point()]
            theirs_g = [_tf_array(tf_grads[id(t)]) for t in theirs if t.dtype.is_floating]
            max_abs, _, ok, _ = measure_many(mine_g, theirs_g, rtol, atol)
            row.grad_max_abs_error, row.grad_passed = max_abs, ok
        rows.append(row)
    tf_ids = {id(entry[1]): tf_id for tf_id, entry in tf_partner.items()}
    for path, layer in our_layers:
        if id(layer) not in reported and recorder.calls[id(layer)]:
            tf_id = tf_ids.get(id(layer))
            skipped(path, layer, len(recorder.calls[id(layer)]),
                    None if tf_id is None else len(tf_recorder.calls[tf_id]))
    return rows


def _output_rows(structure, our_out, our_flat, tf_flat, rtol, atol):
    if isinstance(our_out, dict):
        labels = sorted(our_out)
    else:
        labels = ["output"] if len(our_flat) == 1 else [f"output {i}" for i in range(len(our_flat))]
    if len(our_flat) != len(tf_flat):
        return [Comparison("outputs", [tuple(t.shape) for t in our_flat], float("nan"), float("nan"), False,
                           f"{len(our_flat)} outputs vs TensorFlow's {len(tf_flat)}")]
    return [Comparison(label, tuple(o.shape), *measure(_torch_array(o), _tf_array(t), rtol, atol))
            for label, o, t in zip(labels, our_flat, tf_flat)]


def _weight_rows(slots, our_grads, tf_weights, tf_grads, rtol, atol):
    rows = []
    for slot, grad, variable in zip(slots, our_grads, tf_weights):
        ours_trains = slot.trainable and all(p.requires_grad for p in slot.params)
        if not ours_trains and not variable.trainable:
            continue
        shape = tuple(slot.keras_shape())
        if ours_trains != variable.trainable:
            rows.append(Comparison(slot.path, shape, float("nan"), float("nan"), False,
                                   f"trainable here is {ours_trains}, in TensorFlow {variable.trainable}"))
            continue
        mine = _torch_array(grad) if grad is not None else np.zeros(shape)
        rows.append(Comparison(slot.path, shape, *measure(mine, _tf_array(tf_grads[id(variable)]), rtol, atol)))
    return rows


def _sgd_step(tf, ours, theirs, tf_weights, tf_grads, rtol, atol):
    """One SGD step (learning rate 1) on both sides, constraints applied as Keras applies them,
    then every weight compared; both models get their weights back afterwards."""
    import torch

    saved_ours, saved_tf = ours.get_weights(), theirs.get_weights()
    try:
        for variable in tf_weights:
            if variable.trainable:
                variable.assign_sub(tf_grads[id(variable)])
                if getattr(variable, "constraint", None) is not None:
                    variable.assign(variable.constraint(variable))
        with torch.no_grad():
            for p in ours.trainable_weights:
                if p.grad is not None:
                    p -= p.grad
        ours.apply_constraints()
        names = [slot.path for slot in ours._all_slots()]
        return [Comparison(name, tuple(a.shape), *measure(a, np.asarray(b), rtol, atol))
                for name, a, b in zip(names, ours.get_weights(), theirs.get_weights())]
    finally:
        ours.set_weights(saved_ours)
        theirs.set_weights(saved_tf)
