"""Initializers: the same distributions as TensorFlow's (mean, std, bounds), over several shapes.

Random values cannot match TensorFlow's bit for bit (different generators); the deterministic
ones (zeros, ones, constant, identity) must match exactly, and orthogonal must be orthogonal
with the same gain.
"""

import numpy as np
import pytest
import torch

from harness import TF_KERAS
import kerascompat

SHAPES = [(300, 200), (3, 3, 64, 48), (5, 40, 120)]
RANDOM = ["random_normal", "random_uniform", "truncated_normal", "glorot_uniform", "glorot_normal",
          "he_uniform", "he_normal", "lecun_uniform", "lecun_normal"]
VARIANCE_SCALING = [
    dict(scale=s, mode=m, distribution=d)
    for s in (0.5, 2.0)
    for m in ("fan_in", "fan_out", "fan_avg")
    for d in ("truncated_normal", "untruncated_normal", "uniform")
]


def _stats(values):
    values = np.asarray(values, dtype="float64").ravel()
    return values.mean(), values.std(), np.quantile(np.abs(values), [0.5, 0.9, 0.99]), np.abs(values).max()


def _compare(ours, theirs):
    """Mean, std and |x| quantiles agree; for bounded distributions (uniform, truncated
    normal: TF's max |x| is at most 2.01 std) the largest value agrees too."""
    assert tuple(ours.shape) == tuple(theirs.shape)
    m1, s1, q1, a1 = _stats(ours)
    m2, s2, q2, a2 = _stats(theirs)
    n = ours.numel()
    assert abs(s1 - s2) / s2 < 0.03, f"std {s1} vs TensorFlow {s2}"
    assert abs(m1 - m2) < 6 * s2 / np.sqrt(n), f"mean {m1} vs TensorFlow {m2}"
    np.testing.assert_allclose(q1, q2, rtol=0.05, err_msg="|x| quantiles 0.5/0.9/0.99 differ from TensorFlow's")
    if a2 <= 2.01 * s2:
        assert abs(a1 - a2) / a2 < 0.03, f"bound max |x| {a1} vs TensorFlow {a2}"


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", RANDOM)
def test_random_initializer_matches_tf(name, shape):
    torch.manual_seed(0)
    ours = kerascompat.initializers.get(name)(shape)
    theirs = TF_KERAS.initializers.get(name)(shape).numpy()
    _compare(ours, theirs)


@pytest.mark.parametrize("config", VARIANCE_SCALING, ids=lambda c: "-".join(map(str, c.values())))
def test_variance_scaling_matches_tf(config):
    shape = (3, 3, 64, 48)
    ours = kerascompat.initializers.VarianceScaling(**config, seed=1)(shape)
    theirs = TF_KERAS.initializers.VarianceScaling(**config, seed=1)(shape).numpy()
    _compare(ours, theirs)


@pytest.mark.parametrize("name,kwargs,shape", [
    ("Zeros", {}, (3, 4)), ("Ones", {}, (2, 5)), ("Constant", {"value": 0.7}, (3, 3, 2)),
    ("Identity", {}, (4, 4)), ("Identity", {"gain": 2.0}, (3, 5)),
])
def test_deterministic_initializer_matches_tf(name, kwargs, shape):
    ours = getattr(kerascompat.initializers, name)(**kwargs)(shape).numpy()
    theirs = getattr(TF_KERAS.initializers, name)(**kwargs)(shape).numpy()
    np.testing.assert_array_equal(ours, theirs)


@pytest.mark.parametrize("shape", [(8, 8), (20, 6), (6, 20), (3, 3, 4, 8)], ids=str)
@pytest.mark.parametrize("gain", [1.0, 1.5])
def test_orthogonal_matches_tf(shape, gain):
    ours = kerascompat.initializers.Orthogonal(gain=gain, seed=3)(shape).double().reshape(-1, shape[-1])
    theirs = torch.from_numpy(TF_KERAS.initializers.Orthogonal(gain=gain, seed=3)(shape).numpy()).double()
    theirs = theirs.reshape(-1, shape[-1])
    for q in (ours, theirs):
        gram = q.T @ q if q.shape[0] >= q.shape[1] else q @ q.T
        torch.testing.assert_close(gram, gain ** 2 * torch.eye(gram.shape[0], dtype=gram.dtype), atol=1e-5, rtol=0)


def test_seeded_initializer_repeats_and_unseeded_differs():
    init = kerascompat.initializers.GlorotUniform(seed=7)
    assert torch.equal(init((5, 5)), init((5, 5)))
    unseeded = kerascompat.initializers.GlorotUniform()
    assert not torch.equal(unseeded((5, 5)), unseeded((5, 5)))


def test_dense_default_initialization_matches_tf_distribution():
    torch.manual_seed(0)
    ours = kerascompat.layers.Dense(200)
    ours.build((None, 300))
    theirs = TF_KERAS.layers.Dense(200)
    theirs.build((None, 300))
    _compare(torch.from_numpy(ours.get_weights()[0]), theirs.get_weights()[0])
    assert not ours.get_weights()[1].any()
