"""Shape inference for layers without compute_output_shape: exact, and free of side effects."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


class Fn(layers.Layer):
    def __init__(self, fn, **kwargs):
        super().__init__(**kwargs)
        self.fn = fn

    def call(self, inputs):
        return self.fn(inputs)


@pytest.mark.parametrize("fn,input_shape,expected", [
    (lambda x: x[:, :, :17], (None, None, 20), (None, None, 17)),  # a real 17 is not "unknown"
    (lambda x: x.reshape(x.shape[0], -1), (None, None, 3), (None, None)),  # depends on the unknown size
    (lambda x: x.reshape(x.shape[0], -1), (None, 4, 3), (None, 12)),
    (lambda x: x.mean(0), (None, 5), (5,)),
    (lambda x: torch.cat([x, x], dim=1), (None, None, 2), (None, None, 2)),
    (lambda x: x[:, ::2], (None, 17), (None, 9)),
    (lambda x: (x, x.sum(-1)), (None, 17, 3), ((None, 17, 3), (None, 17))),
    (lambda x: torch.ones(x.shape[1] // 16), (None, None), (None,)),  # floor division by 16
])
def test_inferred_shapes_are_exact(fn, input_shape, expected):
    assert Fn(fn).compute_output_shape(input_shape) == expected


def test_symbolic_call_uses_exact_shapes():
    inp = keras.Input((None, 20))
    out = Fn(lambda x: x[:, :, :17])(inp)
    assert out.shape == (None, None, 17)


class LossLayer(layers.Layer):
    def call(self, inputs):
        self.add_loss(inputs.sum())
        return inputs * 2


def test_inference_adds_no_losses_and_keeps_the_threads_losses():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, activity_regularizer="l2")])
    model(torch.ones(1, 3))
    assert len(model.losses) == 1
    inp = keras.Input((3,))
    x = LossLayer()(inp)
    x = Fn(lambda t: t + 1, activity_regularizer="l1")(x)
    built = keras.Model(inp, x)
    assert built.losses == []
    assert len(model.losses) == 1  # the earlier eager call's losses are still there
    built(torch.ones(1, 3))
    assert len(built.losses) == 2


class TorchBN(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bn = torch.nn.BatchNorm1d(3)
        self.calls = 0

    def call(self, inputs):
        self.calls += 1
        return self.bn(inputs)


def test_inference_changes_no_state():
    layer = TorchBN()
    layer.train()
    before = [t.clone() for t in layer.bn.buffers()]
    inp = keras.Input((3,))
    keras.Model(inp, layer(inp))
    keras.Sequential([keras.Input((3,)), layer])
    assert layer.calls == 0
    assert all(torch.equal(a, b) for a, b in zip(before, layer.bn.buffers()))
    assert layer.bn.num_batches_tracked.item() == 0


class Wrapper(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rnn = layers.LSTM(2, stateful=True)

    def call(self, inputs):
        return self.rnn(inputs)


def test_inference_leaves_a_wrapped_stateful_rnn_alone():
    layer = Wrapper()
    layer.build((1, 4, 3))
    layer.rnn.build((1, 4, 3))
    x = torch.randn(1, 4, 3)
    first = layer(x)
    states = [s.clone() for s in layer.rnn.states]
    assert layer.compute_output_shape((1, 4, 3)) == (1, 2)
    assert all(torch.equal(a, b) for a, b in zip(states, layer.rnn.states))


def test_data_dependent_layers_fall_back_to_real_zeros():
    layer = Fn(lambda x: x * float(x.sum().item() + 1))
    assert layer.compute_output_shape((None, 6)) == (None, 6)


def test_a_layer_that_cannot_run_raises_a_clear_error():
    def broken(x):
        raise RuntimeError("unsupported")

    with pytest.raises(ValueError, match="compute_output_shape"):
        Fn(broken, name="broken").compute_output_shape((None, 2))


def test_integer_and_float_real_sizes_survive():
    inp = keras.Input((17,))
    out = Fn(lambda x: torch.stack([x, x], dim=1))(inp)
    assert out.shape == (None, 2, 17)
    model = keras.Model(inp, out)
    assert model(np.ones((3, 17))).shape == (3, 2, 17)
