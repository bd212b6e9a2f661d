"""Run one parity case on tf.keras and on kerascompat and compare them.

For each case: build the tf.keras layer (or model) and ours from the same arguments,
copy TF's weights into ours with `set_weights(tf.get_weights())` (1-D weights perturbed
first so biases are non-zero), feed the same random input, and compare
  (a) output values and shapes,
  (b) the gradient of sum(output * R) (+ the model's regularization losses) w.r.t. inputs,
  (c) one plain SGD step (lr = 1) on both sides, constraints applied as Keras applies them,
      followed by get_weights() — every weight gradient, in Keras layout, via public API.
Tolerance: |ours - tf| <= atol * max(1, max|tf|) + rtol * |tf|.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np
import tensorflow as tf  # noqa: E402  (the oracle; missing TensorFlow must fail loudly)
import torch  # noqa: E402

import kerascompat  # noqa: E402
from case import Both  # noqa: E402

TF_KERAS = tf.keras
def _materialize(kwargs, K):
    return {k: (v.make(K) if isinstance(v, Both) else v) for k, v in kwargs.items()}


def _make(case, K):
    if case.build is not None:
        return case.build(K)
    kwargs = _materialize(case.kwargs, K)
    if case.tf_channels_last and K is TF_KERAS:
        rank = len(case.input_shapes) - 2
        kwargs["data_format"] = "channels_last"
        to_last = tuple(range(2, rank + 2)) + (1,)
        to_first = (rank + 1,) + tuple(range(1, rank + 1))
        return K.Sequential([K.layers.Permute(to_last), getattr(K.layers, case.layer)(**kwargs),
                             K.layers.Permute(to_first)])
    return getattr(K.layers, case.layer)(**kwargs)


def _inputs(case, rng):
    shapes = case.input_shapes
    multi = isinstance(shapes, list)
    shapes = shapes if multi else [shapes]
    arrays = []
    for shape in shapes:
        if case.input_dtype.startswith("int"):
            arrays.append(rng.integers(0, 5, size=shape).astype(case.input_dtype))
        else:
            arrays.append((rng.standard_normal(shape) * case.input_scale).astype("float32"))
    return arrays, multi


def _flat(out):
    if isinstance(out, dict):
        return [out[k] for k in sorted(out)]
    if isinstance(out, (list, tuple)):
        return [o for item in out for o in _flat(item)]
    return [out]


def assert_close(ours, theirs, rtol, atol, what):
    ours = np.asarray(ours, dtype="float64")
    theirs = np.asarray(theirs, dtype="float64")
    if ours.shape != theirs.shape:
        raise AssertionError(f"{what}: shape {ours.shape} != TensorFlow's {theirs.shape}")
    if ours.size == 0:
        return
    scale = max(1.0, float(np.max(np.abs(theirs))))
    err = np.abs(ours - theirs)
    bound = atol * scale + rtol * np.abs(theirs)
    if not np.all(err <= bound) or not np.all(np.isfinite(ours) == np.isfinite(theirs)):
        worst = np.unravel_index(np.argmax(err - bound), err.shape)
        raise AssertionError(
            f"{what}: max abs difference {float(np.max(err)):.3e} (tolerance {atol:.0e} x {scale:.3g} + "
            f"{rtol:.0e} x |tf|); worst at {worst}: ours {ours[worst]!r} vs TensorFlow {theirs[worst]!r}"
        )


def run_case(case, seed=0):
    rng = np.random.default_rng(seed)
    arrays, multi = _inputs(case, rng)
    if case.padded_lengths is not None:
        for b, length in enumerate(case.padded_lengths):
            arrays[0][b, length:] = 0.0
    tf_inputs = [tf.constant(a) for a in arrays]
    tf_obj = _make(case, TF_KERAS)
    our_obj = _make(case, kerascompat)

    feed_tf = tf_inputs if multi else tf_inputs[0]
    tf_obj(feed_tf, training=False)  # builds
    weights = tf_obj.get_weights()
    weights = [w + rng.standard_normal(w.shape).astype(w.dtype) * 0.1 if w.ndim == 1 and w.dtype.kind == "f" else w
               for w in weights]
    tf_obj.set_weights(weights)
    torch_inputs = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    feed_ours = torch_inputs if multi else torch_inputs[0]
    if not our_obj.built:
        with torch.no_grad():
            our_obj(feed_ours if not multi else [t.detach() for t in torch_inputs], training=False)
    our_obj.set_weights(weights)
    assert_close_list(our_obj.get_weights(), tf_obj.get_weights(), 0, 0, "weights after set_weights")

    # Recurrent call arguments, the same values on both sides.
    tf_kwargs, our_kwargs, tf_states, our_states = dict(case.call_kwargs), dict(case.call_kwargs), [], []
    if case.initial_state_shapes:
        arrays_s = [rng.standard_normal(s).astype("float32") for s in case.initial_state_shapes]
        tf_states = [tf.constant(a) for a in arrays_s]
        our_states = [torch.tensor(a, requires_grad=True) for a in arrays_s]
        tf_kwargs["initial_state"], our_kwargs["initial_state"] = tf_states, our_states
    if case.mask is not None:
        tf_kwargs["mask"] = tf.constant(np.asarray(case.mask, dtype=bool))
        our_kwargs["mask"] = torch.tensor(np.asarray(case.mask, dtype=bool))

    # Forward + gradient of sum(out * R) + regularization losses.
    with tf.GradientTape(persistent=True) as tape:
        for t in tf_inputs + tf_states:
            if t.dtype.is_floating:
                tape.watch(t)
        tf_out = tf_obj(feed_tf, training=False, **tf_kwargs)
        tf_flat = _flat(tf_out)
        R = [rng.standard_normal(tuple(o.shape)).astype("float32") for o in tf_flat]
        tf_loss = sum(tf.reduce_sum(o * r) for o, r in zip(tf_flat, R))
        tf_reg = sum(tf_obj.losses) if tf_obj.losses else tf.constant(0.0)
        tf_loss = tf_loss + tf_reg
    tf_grads_x = [tape.gradient(tf_loss, t) if t.dtype.is_floating else None for t in tf_inputs]
    tf_grads_w = tape.gradient(tf_loss, tf_obj.trainable_weights)
    tf_grads_s = [tape.gradient(tf_loss, t) for t in tf_states]

    our_obj.eval()
    our_out = our_obj(feed_ours, **our_kwargs)
    our_flat = _flat(our_out)
    if len(our_flat) != len(tf_flat):
        raise AssertionError(f"number of outputs: {len(our_flat)} != TensorFlow's {len(tf_flat)}")
    our_loss = sum((o * torch.from_numpy(r)).sum() for o, r in zip(our_flat, R))
    our_losses = our_obj.losses
    assert_close(float(sum(our_losses).detach()) if our_losses else 0.0, float(tf_reg), case.rtol, case.atol,
                 "regularization losses")
    if our_losses:
        our_loss = our_loss + sum(our_losses)
    for i, (o, t) in enumerate(zip(our_flat, tf_flat)):
        assert_close(o.detach().numpy(), t.numpy(), case.rtol, case.atol, f"output {i}")
    our_loss.backward()
    for i, (t_in, g_tf) in enumerate(zip(torch_inputs, tf_grads_x)):
        if g_tf is None:
            continue
        g_ours = t_in.grad if t_in.grad is not None else torch.zeros_like(t_in)
        assert_close(g_ours.numpy(), g_tf.numpy(), case.rtol, case.atol, f"gradient w.r.t. input {i}")

    for i, (s_ours, g_tf) in enumerate(zip(our_states, tf_grads_s)):
        g_ours = s_ours.grad if s_ours.grad is not None else torch.zeros_like(s_ours)
        assert_close(g_ours.numpy(), np.zeros(g_ours.shape) if g_tf is None else g_tf.numpy(), case.rtol, case.atol,
                     f"gradient w.r.t. initial state {i}")

    if case.sgd:
        for w, g in zip(tf_obj.trainable_weights, tf_grads_w):
            if g is not None:
                w.assign_sub(g)
                if getattr(w, "constraint", None) is not None:
                    w.assign(w.constraint(w))
        with torch.no_grad():
            for p in our_obj.trainable_weights:
                if p.grad is not None:
                    p -= p.grad
        our_obj.apply_constraints()
        assert_close_list(our_obj.get_weights(), tf_obj.get_weights(), case.rtol, case.atol,
                          "weights after one SGD step")


def assert_close_list(ours, theirs, rtol, atol, what):
    if len(ours) != len(theirs):
        raise AssertionError(f"{what}: {len(ours)} weights vs TensorFlow's {len(theirs)}")
    for i, (a, b) in enumerate(zip(ours, theirs)):
        assert_close(a, b, rtol, atol, f"{what} [{i}]")
