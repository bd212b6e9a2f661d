"""Keras weights over torch parameters AND buffers: order, lists, get/set_weights, files."""

import numpy as np
import pytest
import torch

import kerascompat as keras
from kerascompat import layers


class _Stats(layers.Layer):
    """A non-trainable weight created before a trainable one (Keras lists trainable ones first)."""

    def build(self, input_shape):
        self.count = self.add_weight(shape=(), initializer="zeros", trainable=False, name="count")
        self.mean = self.add_weight(shape=(input_shape[-1],), initializer="zeros", trainable=False, name="mean")
        self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")

    def call(self, inputs, training=None):
        if training:
            with torch.no_grad():
                self.mean.mul_(0.5).add_(0.5 * inputs.mean(0))
                self.count.add_(1)
        return (inputs - self.mean) * self.scale


def test_non_trainable_add_weight_is_a_buffer_listed_after_the_trainable_ones():
    layer = _Stats()
    layer(torch.zeros(2, 3))
    assert [n for n, _ in layer.named_parameters()] == ["scale"]
    assert [n for n, _ in layer.named_buffers()] == ["count", "mean"]
    assert [w.shape for w in layer.get_weights()] == [(3,), (), (3,)]  # scale, count, mean
    assert [tuple(w.shape) for w in layer.non_trainable_weights] == [(), (3,)]
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(3,)]
    assert not layer.mean.requires_grad
    layer.trainable = False
    layer.trainable = True  # toggling the layer never makes a buffer trainable
    assert len(layer.trainable_weights) == 1 and not layer.mean.requires_grad


def test_buffers_follow_the_module_and_round_trip_through_set_weights():
    layer = _Stats()
    layer.build((None, 3))
    layer(torch.ones(4, 3), training=True)
    assert layer.count.item() == 1 and layer.mean.tolist() == [0.5, 0.5, 0.5]
    layer.double()
    assert layer.mean.dtype == torch.float64
    other = _Stats()
    other(torch.zeros(2, 3))
    other.set_weights(layer.get_weights())
    assert other.mean.tolist() == [0.5, 0.5, 0.5] and other.count.item() == 1
    assert set(layer.state_dict()) == {"scale", "count", "mean"}


class _TorchBN(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fc = torch.nn.Linear(3, 4)
        self.bn = torch.nn.BatchNorm1d(4)

    def call(self, inputs):
        return self.bn(self.fc(inputs))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (4,)


def test_plain_torch_buffers_are_non_trainable_weights():
    layer = _TorchBN()
    layer(torch.randn(8, 3))
    names = [s.name for s in layer._all_slots()]
    assert names == ["fc.weight", "fc.bias", "bn.weight", "bn.bias",
                     "bn.running_mean", "bn.running_var", "bn.num_batches_tracked"]
    assert len(layer.trainable_weights) == 4 and len(layer.non_trainable_weights) == 3
    assert layer.non_trainable_weights[0] is layer.bn.running_mean


def test_save_weights_keeps_batchnorm_running_statistics(tmp_path):
    model = keras.Sequential([keras.Input((3,)), _TorchBN()])
    model.train()
    for _ in range(3):
        model(torch.randn(16, 3) * 3 + 1)
    path = tmp_path / "bn.weights.pt"
    model.save_weights(path)
    other = keras.Sequential([keras.Input((3,)), _TorchBN()])
    other.load_weights(path)
    bn, other_bn = model.layers[0].bn, other.layers[0].bn
    torch.testing.assert_close(other_bn.running_mean, bn.running_mean)
    torch.testing.assert_close(other_bn.running_var, bn.running_var)
    assert other_bn.num_batches_tracked.item() == 3
    x = torch.randn(5, 3)
    torch.testing.assert_close(other.eval()(x), model.eval()(x))


def test_non_persistent_buffers_are_not_weights():
    class Layer(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.register_buffer("cache", torch.zeros(2), persistent=False)
            self.register_buffer("state", torch.zeros(2))

        def call(self, inputs):
            return inputs

    layer = Layer()
    layer.build((None, 2))
    assert [s.name for s in layer._all_slots()] == ["state"]


def test_layers_inside_plain_torch_containers_keep_their_keras_layout():
    class Stack(layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.blocks = torch.nn.ModuleList([layers.Dense(4), layers.Dense(2)])

        def call(self, inputs):
            for block in self.blocks:
                inputs = block(inputs)
            return inputs

    stack = Stack()
    stack(torch.ones(1, 3))
    assert [w.shape for w in stack.get_weights()] == [(3, 4), (4,), (4, 2), (2,)]  # Keras layout


def test_set_weights_on_a_buffer_checks_the_shape_first():
    layer = _Stats()
    layer(torch.zeros(2, 3))
    before = layer.get_weights()
    with pytest.raises(ValueError, match="count"):
        layer.set_weights([np.ones(3), np.ones(2), np.ones(3)])
    assert all(np.array_equal(a, b) for a, b in zip(before, layer.get_weights()))
