"""Stateful recurrent layers against TensorFlow: states carry over between calls and reset."""

import numpy as np
import pytest

import kerascompat
from harness import TF_KERAS, assert_close


@pytest.mark.parametrize("layer", ["SimpleRNN", "GRU", "LSTM"])
def test_stateful_sequence_of_calls(layer):
    rng = np.random.default_rng(1)
    batches = [rng.standard_normal((2, 4, 3)).astype("float32") for _ in range(3)]
    theirs = getattr(TF_KERAS.layers, layer)(5, stateful=True, return_sequences=True)
    model_tf = TF_KERAS.Sequential([TF_KERAS.Input(batch_shape=(2, 4, 3)), theirs])
    ours = getattr(kerascompat.layers, layer)(5, stateful=True, return_sequences=True)
    model_ours = kerascompat.Sequential([kerascompat.Input(batch_shape=(2, 4, 3)), ours])
    model_ours.set_weights(model_tf.get_weights())
    for x in batches:
        assert_close(model_ours(x).detach().numpy(), model_tf(x).numpy(), 1e-5, 1e-5, "stateful output")
    theirs.reset_states()
    ours.reset_states()
    assert_close(model_ours(batches[0]).detach().numpy(), model_tf(batches[0]).numpy(), 1e-5, 1e-5,
                 "output after reset_states")
