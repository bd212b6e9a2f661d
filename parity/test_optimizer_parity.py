"""Optimizers and learning-rate schedules against tf.keras: the schedules' values step by step,
and several optimizer updates on the same variables and gradients (each optimizer with Keras's
defaults and with its options), then a few `fit` steps with a schedule."""

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS, assert_close

import torch

STEPS = [0, 1, 2, 3, 5, 7, 10, 15, 20, 33, 50, 100, 1000]


def schedule_cases(K):
    s = K.optimizers.schedules
    return {
        "exponential": lambda: s.ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5),
        "exponential-staircase": lambda: s.ExponentialDecay(0.1, decay_steps=7, decay_rate=0.9, staircase=True),
        "piecewise": lambda: s.PiecewiseConstantDecay([5, 20], [0.1, 0.01, 0.001]),
        "polynomial": lambda: s.PolynomialDecay(0.1, decay_steps=50, end_learning_rate=0.001, power=2.0),
        "polynomial-cycle": lambda: s.PolynomialDecay(0.1, decay_steps=15, power=0.5, cycle=True),
        "inverse-time": lambda: s.InverseTimeDecay(0.1, decay_steps=10, decay_rate=0.5),
        "inverse-time-staircase": lambda: s.InverseTimeDecay(0.1, decay_steps=4, decay_rate=2.0, staircase=True),
        "cosine": lambda: s.CosineDecay(0.1, decay_steps=50, alpha=0.1),
        "cosine-warmup": lambda: s.CosineDecay(0.0, decay_steps=40, warmup_target=0.2, warmup_steps=10),
        "cosine-restarts": lambda: s.CosineDecayRestarts(0.1, first_decay_steps=10, t_mul=2.0, m_mul=0.8, alpha=0.05),
        "cosine-restarts-t1": lambda: s.CosineDecayRestarts(0.1, first_decay_steps=6, t_mul=1.0),
    }


@pytest.mark.parametrize("name", list(schedule_cases(kerascompat)))
def test_schedule_values_match_tf(name):
    ours, theirs = schedule_cases(kerascompat)[name](), schedule_cases(TF_KERAS)[name]()
    got = np.array([float(ours(step)) for step in STEPS])
    want = np.array([float(theirs(step)) for step in STEPS])
    assert_close(got, want, 1e-5, 1e-6, name)  # TF computes the schedule in float32
    assert ours.get_config() == theirs.get_config()


def optimizer_cases(K):
    o, s = K.optimizers, K.optimizers.schedules
    return {
        "sgd": lambda: o.SGD(),
        "sgd-nesterov": lambda: o.SGD(0.05, momentum=0.9, nesterov=True),
        "sgd-schedule": lambda: o.SGD(s.ExponentialDecay(0.1, 2, 0.5), momentum=0.5),
        "adam": lambda: o.Adam(),
        "adam-large-epsilon": lambda: o.Adam(0.01, epsilon=0.1),
        "adam-amsgrad": lambda: o.Adam(0.01, amsgrad=True, epsilon=1e-3),
        "adam-schedule": lambda: o.Adam(s.CosineDecay(0.01, 5)),
        "adamw": lambda: o.AdamW(0.01, weight_decay=0.1),
        "adamw-schedule": lambda: o.AdamW(s.PiecewiseConstantDecay([2], [0.01, 0.001]), weight_decay=0.1),
        "nadam": lambda: o.Nadam(0.01),
        "adamax": lambda: o.Adamax(0.01),
        "adamax-large-epsilon": lambda: o.Adamax(0.01, epsilon=0.1),
        "rmsprop": lambda: o.RMSprop(0.01),
        "rmsprop-large-epsilon": lambda: o.RMSprop(0.01, epsilon=0.1),
        "rmsprop-centered-momentum": lambda: o.RMSprop(0.01, momentum=0.9, centered=True),
        "adagrad": lambda: o.Adagrad(0.1),
        "adagrad-large-epsilon": lambda: o.Adagrad(0.1, epsilon=0.5, initial_accumulator_value=0.01),
        "adadelta": lambda: o.Adadelta(1.0),
        "sgd-weight-decay": lambda: o.SGD(0.1, weight_decay=0.01),
        "adam-clipnorm": lambda: o.Adam(0.01, clipnorm=0.1),
        "rmsprop-clipvalue": lambda: o.RMSprop(0.01, clipvalue=0.01),
        "sgd-global-clipnorm": lambda: o.SGD(0.1, global_clipnorm=0.2),
        "lion": lambda: o.Lion(0.01),
        "lion-weight-decay-schedule": lambda: o.Lion(s.InverseTimeDecay(0.01, 2, 0.5), beta_1=0.5, weight_decay=0.1),
        "lamb": lambda: o.Lamb(0.01),
        "lamb-large-epsilon": lambda: o.Lamb(0.01, epsilon=0.1, beta_2=0.9),
    }


def gradients(n_steps):
    rng = np.random.default_rng(1)
    # the last steps give tiny gradients, where epsilon's placement matters most
    return [[(rng.standard_normal(shape) * (1e-4 if step >= n_steps - 2 else 1.0)).astype("float32")
             for shape in ((3, 4), (4,))] for step in range(n_steps)]


@pytest.mark.parametrize("name", list(optimizer_cases(kerascompat)))
def test_optimizer_steps_match_tf(name):
    rng = np.random.default_rng(0)
    initial = [rng.standard_normal((3, 4)).astype("float32"), rng.standard_normal(4).astype("float32")]
    grads = gradients(6)
    tf = __import__("tensorflow")
    tf_vars = [tf.Variable(w) for w in initial]
    tf_opt = optimizer_cases(TF_KERAS)[name]()
    ours = [torch.nn.Parameter(torch.tensor(w)) for w in initial]
    optimizer = optimizer_cases(kerascompat)[name]()
    for step_grads in grads:
        tf_opt.apply_gradients(zip([tf.constant(g) for g in step_grads], tf_vars))
        optimizer.apply([torch.tensor(g) for g in step_grads], ours)
    for i, (a, b) in enumerate(zip(ours, tf_vars)):
        assert_close(a.detach().numpy(), b.numpy(), 1e-5, 1e-6, f"{name}: variable {i} after {len(grads)} steps")
    assert optimizer.iterations == int(tf_opt.iterations.numpy())
    assert optimizer.learning_rate == pytest.approx(float(tf_opt.learning_rate.numpy()), rel=1e-6)


def test_fit_with_a_schedule_matches_tf():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((48, 5)).astype("float32")
    y = rng.integers(0, 3, 48)

    def run(K):
        model = K.Sequential([K.Input((5,)), K.layers.Dense(8, activation="tanh"), K.layers.Dense(3)])
        model.compile(K.optimizers.SGD(K.optimizers.schedules.ExponentialDecay(0.5, 2, 0.5), momentum=0.5),
                      K.losses.SparseCategoricalCrossentropy(from_logits=True))
        return model

    theirs, ours = run(TF_KERAS), run(kerascompat)
    ours.set_weights(theirs.get_weights())
    h_tf = theirs.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    h_ours = ours.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert_close(np.array(h_ours.history["loss"]), np.array(h_tf.history["loss"]), 1e-5, 1e-6, "loss")
    for i, (a, b) in enumerate(zip(ours.get_weights(), theirs.get_weights())):
        assert_close(a, b, 1e-5, 1e-6, f"weight {i} after 12 scheduled steps")
