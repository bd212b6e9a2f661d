"""Training-mode behaviour against tf.keras: SpectralNormalization's power iteration and in-place
kernel update over several steps, TimeDistributed(BatchNormalization) per-step statistics, and
the distributions the random regularization layers draw (their random numbers differ by design)."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close, assert_close_list

STEPS = 3


def _pair(make, x, rng, perturb=True):
    theirs, ours = make(TF_KERAS), make(kerascompat)
    theirs(x, training=False)
    ours(torch.tensor(x), training=False)
    weights = theirs.get_weights()
    if perturb:
        weights = [w + rng.standard_normal(w.shape).astype(w.dtype) * 0.1 if w.dtype.kind == "f" else w
                   for w in weights]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    return theirs, ours


def _train_steps(theirs, ours, shape, rng, int_inputs=False):
    for _ in range(STEPS):
        x = rng.integers(0, 5, size=shape).astype("int32") if int_inputs else rng.standard_normal(shape).astype("float32")
        tx = tf.constant(x)
        ox = torch.tensor(x, requires_grad=not int_inputs)
        with tf.GradientTape() as tape:
            if not int_inputs:
                tape.watch(tx)
            ty = theirs(tx, training=True)
            r = rng.standard_normal(tuple(ty.shape)).astype("float32")
            loss = tf.reduce_sum(ty * r)
        grads = tape.gradient(loss, theirs.trainable_weights)
        oy = ours(ox, training=True)
        (oy * torch.from_numpy(r)).sum().backward()
        assert_close(oy.detach().numpy(), ty.numpy(), 1e-5, 1e-5, "training output")
        for w, g in zip(theirs.trainable_weights, grads):
            w.assign_sub(g)
        with torch.no_grad():
            for p in ours.trainable_weights:
                if p.grad is not None:
                    p -= p.grad
                    p.grad = None
        assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-5, "weights after the step")


SPECTRAL = [
    ("dense", lambda K: K.layers.SpectralNormalization(K.layers.Dense(4)), (3, 5), False),
    ("dense-3-iterations", lambda K: K.layers.SpectralNormalization(K.layers.Dense(3), power_iterations=3),
     (4, 6), False),
    ("conv2d", lambda K: K.layers.SpectralNormalization(K.layers.Conv2D(3, 2)), (2, 4, 4, 2), False),
    ("conv1d-no-bias", lambda K: K.layers.SpectralNormalization(K.layers.Conv1D(2, 3, use_bias=False)),
     (2, 5, 3), False),
    ("embedding", lambda K: K.layers.SpectralNormalization(K.layers.Embedding(6, 3)), (2, 4), True),
]


@pytest.mark.parametrize("make,shape,int_inputs", [s[1:] for s in SPECTRAL], ids=[s[0] for s in SPECTRAL])
def test_spectral_normalization_training_steps_match_tf(make, shape, int_inputs):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, size=shape).astype("int32") if int_inputs else rng.standard_normal(shape).astype("float32")
    theirs, ours = _pair(make, x, rng)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    before = ours.get_weights()
    if int_inputs:
        # tf.keras casts the Embedding's output to the int inputs' dtype; only the weights compare.
        for _ in range(STEPS):
            ids = rng.integers(0, 6, size=shape).astype("int32")
            theirs(ids, training=True)
            ours(torch.tensor(ids), training=True)
            assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-5, "weights after the call")
    else:
        _train_steps(theirs, ours, shape, rng)
    assert not np.allclose(ours.get_weights()[1], before[1])  # vector_u moved


def test_spectral_normalization_inference_leaves_the_kernel():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 3)).astype("float32")
    theirs, ours = _pair(lambda K: K.layers.SpectralNormalization(K.layers.Dense(2)), x, rng)
    before = ours.get_weights()
    assert_close(ours(torch.tensor(x), training=False).detach().numpy(), theirs(x, training=False).numpy(),
                 1e-6, 1e-6, "inference output")
    assert_close_list(ours.get_weights(), before, 0, 0, "weights after inference")


def test_time_distributed_batchnorm_training_steps_match_tf():
    rng = np.random.default_rng(2)
    shape = (4, 3, 5)
    make = lambda K: K.layers.TimeDistributed(K.layers.BatchNormalization(momentum=0.8))  # noqa: E731
    theirs, ours = _pair(make, rng.standard_normal(shape).astype("float32"), rng)
    _train_steps(theirs, ours, shape, rng)


# ------------------------------------------------------------------ random layers, statistically
def _moments(out):
    out = np.asarray(out, dtype="float64")
    return out.mean(), out.std(), (out == 0).mean()


RANDOM = [
    ("gaussian-noise", lambda K: K.layers.GaussianNoise(0.3), (400, 500)),
    ("gaussian-dropout", lambda K: K.layers.GaussianDropout(0.4), (400, 500)),
    ("alpha-dropout", lambda K: K.layers.AlphaDropout(0.3), (400, 500)),
    ("spatial-dropout1d", lambda K: K.layers.SpatialDropout1D(0.4), (400, 3, 500)),
    ("spatial-dropout2d-channels-first", lambda K: K.layers.SpatialDropout2D(0.25, data_format="channels_first"),
     (200, 500, 2, 2)),
]


@pytest.mark.parametrize("make,shape", [r[1:] for r in RANDOM], ids=[r[0] for r in RANDOM])
def test_random_layers_draw_tfs_distribution_in_training(make, shape):
    x = np.random.default_rng(3).standard_normal(shape).astype("float32")
    theirs = _moments(make(TF_KERAS)(x, training=True))
    ours = _moments(make(kerascompat)(torch.tensor(x), training=True).numpy())
    np.testing.assert_allclose(ours, theirs, atol=0.01)


# ------------------------------------------------------------- BatchNormalization renorm
RENORM = [
    ({"renorm": True}, (6, 4)),
    ({"renorm": True, "renorm_momentum": 0.5, "momentum": 0.7}, (3, 4, 5, 3)),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.2, "rmin": 0.9, "dmax": 0.1}, "renorm_momentum": 0.6},
     (5, 3)),
    ({"renorm": True, "axis": 1, "center": False, "renorm_clipping": {"rmax": 2.0}}, (3, 3, 4)),
    ({"renorm": True, "scale": False, "epsilon": 0.01, "renorm_clipping": {"dmax": 0.0}}, (4, 2, 3)),
    ({"synchronized": True, "momentum": 0.8}, (5, 4)),  # one process: the local statistics, as in TF
]


@pytest.mark.parametrize("kwargs,shape", RENORM, ids=[str(i) for i in range(len(RENORM))])
def test_batchnorm_renorm_training_steps_match_tf(kwargs, shape):
    rng = np.random.default_rng(4)
    make = lambda K: K.layers.BatchNormalization(**kwargs)  # noqa: E731
    x = (rng.standard_normal(shape) * 3 + 2).astype("float32")
    theirs, ours = _pair(make, x, rng, perturb=False)
    # Non-trivial statistics: TF's values, perturbed (positive standard deviations), on both sides.
    weights = [w + np.abs(rng.standard_normal(w.shape)).astype("float32") * 0.3 for w in theirs.get_weights()]
    theirs.set_weights(weights)
    ours.set_weights(weights)
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    before = ours.get_weights()
    for _ in range(STEPS):
        xs = (rng.standard_normal(shape) * 3 + 2).astype("float32")
        _train_steps_once(theirs, ours, xs, rng)
    assert not np.allclose(ours.get_weights()[-1], before[-1])
    x = rng.standard_normal(shape).astype("float32")
    assert_close(ours(torch.tensor(x), training=False).detach().numpy(), theirs(x, training=False).numpy(),
                 1e-5, 1e-5, "inference after training")
    assert ours.get_config()["renorm_clipping"] == theirs.get_config()["renorm_clipping"]


def _train_steps_once(theirs, ours, x, rng):
    tx, ox = tf.constant(x), torch.tensor(x, requires_grad=True)
    with tf.GradientTape() as tape:
        tape.watch(tx)
        ty = theirs(tx, training=True)
        r = rng.standard_normal(tuple(ty.shape)).astype("float32")
        loss = tf.reduce_sum(ty * r)
    grads = tape.gradient(loss, [tx] + theirs.trainable_weights)
    oy = ours(ox, training=True)
    (oy * torch.from_numpy(r)).sum().backward()
    assert_close(oy.detach().numpy(), ty.numpy(), 1e-5, 1e-5, "training output")
    assert_close(ox.grad.numpy(), grads[0].numpy(), 1e-4, 1e-5, "gradient w.r.t. input")
    for w, g in zip(theirs.trainable_weights, grads[1:]):
        w.assign_sub(g)
    with torch.no_grad():
        for p in ours.trainable_weights:
            p -= p.grad
            p.grad = None
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-5, "weights and statistics")
