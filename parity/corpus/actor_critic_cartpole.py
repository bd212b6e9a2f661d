"""Actor-critic method (CartPole): a shared Dense layer with a softmax actor head and a linear critic head
(a two-output functional model); the loss is the example's actor loss (-log prob * advantage) plus the
critic's keras.losses.Huber.

keras.io example: examples/rl/actor_critic_cartpole.py (keras-team/keras-io).
Changed: 32 hidden units instead of 128; synthetic states, actions and returns instead of the gym environment.
The episode's tf.math.log / tf.expand_dims are written with keras.ops (as in the Keras 3 version).
"""

import numpy as np

NUM_INPUTS = 4
NUM_ACTIONS = 2
NUM_HIDDEN = 32


def build(keras):
    layers = keras.layers
    inputs = layers.Input(shape=(NUM_INPUTS,))
    common = layers.Dense(NUM_HIDDEN, activation="relu")(inputs)
    action = layers.Dense(NUM_ACTIONS, activation="softmax")(common)
    critic = layers.Dense(1)(common)
    return keras.Model(inputs=inputs, outputs=[action, critic])


def inputs(rng):
    return rng.standard_normal((5, NUM_INPUTS)).astype("float32")


def targets(rng):
    # (action taken, discounted normalized return) for each of the 5 steps.
    return np.stack([rng.integers(0, NUM_ACTIONS, 5), rng.standard_normal(5)], axis=1).astype("float32")


def train_loss(keras, model, x, y):
    ops = keras.ops
    huber_loss = keras.losses.Huber()
    action_probs, critic_value = model(x, training=True)
    actor_losses, critic_losses = [], []
    for step in range(5):
        action, ret = int(y[step, 0]), float(y[step, 1])
        log_prob = ops.log(action_probs[step, action])
        value = critic_value[step, 0]
        diff = ret - value
        actor_losses.append(-log_prob * diff)
        critic_losses.append(huber_loss(ops.expand_dims(value, 0), ops.expand_dims(ret, 0)))
    return sum(actor_losses) + sum(critic_losses)


def loss(keras):
    return None
