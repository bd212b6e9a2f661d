"""keras.random: the same distributions as tf.keras.random (values cannot match bit for bit:
different generators), checked on mean, standard deviation, |x| quantiles and bounds."""

import numpy as np
import pytest

from harness import TF_KERAS
from kerascompat import random as ours

N = (200, 250)


def _stats(values):
    values = np.asarray(values, dtype="float64").ravel()
    return values.mean(), values.std(), np.quantile(values, [0.05, 0.25, 0.5, 0.75, 0.95]), values.min(), values.max()


def _compare(a, b, bounded=False):
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype, (a.shape, a.dtype, b.shape, b.dtype)
    if bounded == "discrete":
        offset = int(min(a.min(), b.min()))
        fa = np.bincount((a - offset).astype(int).ravel()) / a.size
        fb = np.bincount((b - offset).astype(int).ravel()) / b.size
        size = max(len(fa), len(fb))
        fa, fb = np.pad(fa, (0, size - len(fa))), np.pad(fb, (0, size - len(fb)))
        sigma = np.sqrt(2 * fb * (1 - fb) / b.size) + 1e-4  # standard error of a difference of two frequencies
        assert (np.abs(fa - fb) <= 5 * sigma).all(), f"value frequencies {fa} differ from TensorFlow's {fb}"
        return
    m1, s1, q1, lo1, hi1 = _stats(a)
    m2, s2, q2, lo2, hi2 = _stats(b)
    n = a.size
    assert abs(s1 - s2) <= 0.03 * s2, f"std {s1} vs TensorFlow {s2}"
    assert abs(m1 - m2) <= 6 * s2 / np.sqrt(n), f"mean {m1} vs TensorFlow {m2}"
    np.testing.assert_allclose(q1, q2, atol=0.03 * s2, err_msg="quantiles differ from TensorFlow's")
    if bounded:
        assert abs(lo1 - lo2) <= 0.01 * s2 and abs(hi1 - hi2) <= 0.01 * s2, ((lo1, hi1), (lo2, hi2))


CASES = {
    "normal": (lambda r: r.normal(N, mean=1.5, stddev=2.0, seed=1), False),
    "uniform": (lambda r: r.uniform(N, minval=-1.0, maxval=3.0, seed=1), True),
    "uniform_float64": (lambda r: r.uniform(N, dtype="float64", seed=1), True),
    "truncated_normal": (lambda r: r.truncated_normal(N, mean=-1.0, stddev=0.5, seed=1), True),
    "randint": (lambda r: r.randint(N, minval=-3, maxval=7, seed=1), "discrete"),
    "gamma": (lambda r: r.gamma(N, alpha=2.5, seed=1), False),
    "gamma_small_alpha": (lambda r: r.gamma(N, alpha=0.5, seed=1), False),
    "beta": (lambda r: r.beta(N, alpha=2.0, beta=5.0, seed=1), False),
    "binomial": (lambda r: r.binomial(N, counts=10, probabilities=0.3, seed=1), "discrete"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_distribution_matches_tf(name):
    draw, bounded = CASES[name]
    _compare(draw(ours).numpy(), draw(TF_KERAS.random).numpy(), bounded)


def test_categorical_frequencies_match_tf():
    logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], "float32"))
    a = ours.categorical(logits, 20000, seed=1).numpy()
    b = TF_KERAS.random.categorical(logits, 20000, seed=1).numpy()
    assert a.shape == b.shape and a.dtype == b.dtype
    for row in range(2):
        np.testing.assert_allclose(np.bincount(a[row], minlength=3) / 20000, np.bincount(b[row], minlength=3) / 20000,
                                   atol=0.02)


def test_dropout_and_shuffle_match_tf_statistics():
    x = np.ones(N, "float32")
    a = ours.dropout(x, 0.3, seed=1).numpy()
    b = TF_KERAS.random.dropout(x, 0.3, seed=1).numpy()
    assert sorted(np.unique(a).tolist()) == sorted(np.unique(b).tolist())
    assert abs((a == 0).mean() - (b == 0).mean()) < 0.01
    a = ours.dropout(x, 0.5, noise_shape=(None, 1), seed=1).numpy()
    b = TF_KERAS.random.dropout(x, 0.5, noise_shape=(N[0], 1), seed=1).numpy()
    assert (a == a[:, :1]).all() and (b == b[:, :1]).all()
    values = np.arange(50, dtype="float32").reshape(10, 5)
    a, b = ours.shuffle(values, axis=1, seed=1).numpy(), TF_KERAS.random.shuffle(values, axis=1, seed=1).numpy()
    np.testing.assert_array_equal(np.sort(a, 1), np.sort(b, 1))


def test_elastic_transform_displaces_as_much_as_tf():
    rng = np.random.RandomState(0)
    images = np.cumsum(rng.standard_normal((4, 32, 32, 1)), axis=2).astype("float32")  # smooth along x
    changes = []
    for module in (ours_ops_image(), TF_KERAS.ops.image):
        out = np.asarray(module.elastic_transform(images, alpha=5.0, sigma=2.0, seed=3))
        assert out.shape == images.shape and out.dtype == images.dtype
        changes.append(np.abs(out - images).mean())
    assert abs(changes[0] - changes[1]) <= 0.25 * changes[1], f"mean change {changes[0]} vs TensorFlow {changes[1]}"


def ours_ops_image():
    from kerascompat.ops import image

    return image
