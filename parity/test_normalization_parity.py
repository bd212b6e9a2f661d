"""BatchNormalization in training mode against tf.keras, step by step: outputs, input and
weight gradients, and the moving statistics after each of several steps (Keras updates them
with the biased batch variance), masks, the frozen-layer rule, and `train_on_batch` of a
ResNet block with SGD. Also every normalization layer's config, before and after build."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close, assert_close_list

STEPS = 3

LAYER_CASES = [
    ({}, (6, 4)),
    ({}, (3, 4, 5, 3)),                                   # channels_last conv activations
    ({"axis": 1}, (3, 3, 4, 5)),                          # channels_first
    ({"axis": 2, "momentum": 0.9, "epsilon": 0.01}, (2, 3, 4, 5)),
    ({"axis": 1}, (4, 3, 6)),
    ({"center": False, "momentum": 0.5}, (5, 2, 3)),
    ({"scale": False}, (5, 3)),
    ({}, (1, 3)),                                         # one value per feature: variance 0
]


def _pair(kwargs, shape, rng):
    theirs = TF_KERAS.layers.BatchNormalization(**kwargs)
    ours = kerascompat.layers.BatchNormalization(**kwargs)
    x = rng.standard_normal(shape).astype("float32")
    theirs(x)
    ours(torch.tensor(x), training=False)
    weights = [w + rng.standard_normal(w.shape).astype("float32") * 0.1 for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return theirs, ours


def _step(theirs, ours, x, r, mask=None):
    """One training call and one SGD step (lr 1) on both sides; returns nothing, checks everything."""
    tx, ox = tf.constant(x), torch.tensor(x, requires_grad=True)
    kw_t = {} if mask is None else {"mask": tf.constant(mask)}
    kw_o = {} if mask is None else {"mask": torch.tensor(mask)}
    with tf.GradientTape() as tape:
        tape.watch(tx)
        ty = theirs(tx, training=True, **kw_t)
        loss = tf.reduce_sum(ty * r)
    grads = tape.gradient(loss, [tx] + theirs.trainable_weights)
    oy = ours(ox, training=True, **kw_o)
    (oy * torch.from_numpy(r)).sum().backward()
    assert_close(oy.detach().numpy(), ty.numpy(), 1e-5, 1e-5, "output")
    assert_close(ox.grad.numpy(), grads[0].numpy(), 1e-4, 1e-5, "gradient w.r.t. input")
    for w, g in zip(theirs.trainable_weights, grads[1:]):
        w.assign_sub(g)
    with torch.no_grad():
        for p in ours.trainable_weights:
            p -= p.grad
            p.grad = None
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-6, "weights and moving statistics")


@pytest.mark.parametrize("kwargs,shape", LAYER_CASES, ids=[f"{i}" for i in range(len(LAYER_CASES))])
def test_training_steps_match_tf(kwargs, shape):
    rng = np.random.default_rng(1)
    theirs, ours = _pair(kwargs, shape, rng)
    before = ours.get_weights()
    for _ in range(STEPS):
        x = (rng.standard_normal(shape) * 2 + 1).astype("float32")
        _step(theirs, ours, x, rng.standard_normal(shape).astype("float32"))
    # The moving statistics did move (the check above is not vacuous).
    assert not np.allclose(ours.get_weights()[-2], before[-2])
    x = rng.standard_normal(shape).astype("float32")
    assert_close(ours(torch.tensor(x), training=False).detach().numpy(), theirs(x, training=False).numpy(),
                 1e-5, 1e-5, "inference after training")


def test_masked_training_steps_match_tf():
    rng = np.random.default_rng(2)
    theirs, ours = _pair({}, (3, 6, 4), rng)
    for _ in range(STEPS):
        x = rng.standard_normal((3, 6, 4)).astype("float32")
        mask = rng.random((3, 6)) > 0.4
        _step(theirs, ours, x, rng.standard_normal((3, 6, 4)).astype("float32"), mask=mask)


def test_frozen_layer_runs_in_inference_mode_when_training():
    rng = np.random.default_rng(3)
    theirs, ours = _pair({}, (4, 3), rng)
    theirs.trainable = False
    ours.trainable = False
    x = rng.standard_normal((4, 3)).astype("float32")
    before = ours.get_weights()
    assert_close(ours(torch.tensor(x), training=True).detach().numpy(), theirs(x, training=True).numpy(),
                 1e-5, 1e-5, "output")
    assert_close_list(ours.get_weights(), theirs.get_weights(), 0, 0, "weights")
    assert_close_list(ours.get_weights(), before, 0, 0, "unchanged moving statistics")


def resnet_block(K):
    x = K.Input(shape=(6, 6, 3))
    h = K.layers.Conv2D(3, 3, padding="same", use_bias=False)(x)
    h = K.layers.BatchNormalization(momentum=0.8)(h)
    h = K.layers.Activation("relu")(h)
    h = K.layers.Add()([x, h])
    h = K.layers.GlobalAveragePooling2D()(h)
    return K.Model(x, K.layers.Dense(2)(h))


def finetune(K):
    base_in = K.Input(shape=(6, 6, 3))
    h = K.layers.BatchNormalization(momentum=0.8)(K.layers.Conv2D(4, 3)(base_in))
    base = K.Model(base_in, K.layers.GlobalAveragePooling2D()(h))
    base.trainable = False
    x = K.Input(shape=(6, 6, 3))
    return K.Model(x, K.layers.Dense(2)(base(x)))


@pytest.mark.parametrize("build", [resnet_block, finetune], ids=["resnet-block", "frozen-base"])
def test_train_on_batch_moving_statistics_match_tf(build):
    rng = np.random.default_rng(4)
    theirs, ours = build(TF_KERAS), build(kerascompat)
    ours.set_weights(theirs.get_weights())
    for K, model in ((TF_KERAS, theirs), (kerascompat, ours)):
        model.compile(optimizer=K.optimizers.SGD(learning_rate=0.1), loss="mse")
    start = ours.get_weights()
    for step in range(STEPS):
        x = rng.standard_normal((8, 6, 6, 3)).astype("float32")
        y = rng.standard_normal((8, 2)).astype("float32")
        loss_t = theirs.train_on_batch(x, y)
        loss_o = ours.train_on_batch(x, y)
        assert_close(np.asarray(loss_o), np.asarray(loss_t), 1e-5, 1e-6, f"loss at step {step}")
        assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-4, 1e-6, f"weights after step {step}")
    moved = [not np.array_equal(a, b) for a, b in zip(ours.get_weights(), start)]
    if build is finetune:
        assert moved == [False] * 6 + [True, True]  # conv, BN: frozen; only the new head trains
    else:
        assert all(moved)


def _plain_layer_cases():
    from cases_normalization import NORMALIZATION_CASES

    return [c for c in NORMALIZATION_CASES if c.layer and not any(hasattr(v, "make") for v in c.kwargs.values())]


@pytest.mark.parametrize("case", _plain_layer_cases(), ids=lambda c: c.id)
def test_layer_config_matches_tf_after_build(case):
    import warnings

    x = np.zeros(case.input_shapes, dtype="float32")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(TF_KERAS.layers, case.layer)(name="n", **case.kwargs)
        ours = getattr(kerascompat.layers, case.layer)(name="n", **case.kwargs)
    assert ours.get_config().keys() == theirs.get_config().keys()
    theirs(x)
    ours(torch.from_numpy(x), training=False)
    assert ours.get_config() == theirs.get_config()   # after build too (Keras then lists `axis`, sets `groups`)
