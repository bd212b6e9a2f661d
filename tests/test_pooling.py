"""Pooling layers without TensorFlow: hand-computed 'same' cases, copies, shapes, errors."""

import pytest
import torch

import kerascompat as keras
from kerascompat import layers
from test_convolutional import BATCH, activation_copies


def test_average_same_divides_by_real_cells_only():
    # Input 1x3, pool 2, stride 2, 'same': TF pads (0, 1) -> windows [1, 2] and [3] -> [1.5, 3.0]
    x = torch.tensor([1.0, 2.0, 3.0]).reshape(1, 3, 1)
    assert layers.AveragePooling1D(2, padding="same")(x).flatten().tolist() == [1.5, 3.0]
    # 2-D: 3x3 ones*value grid, pool 2 stride 2 'same' -> windows of 4, 2, 2, 1 real cells
    g = torch.arange(9.0).reshape(1, 3, 3, 1)
    out = layers.AveragePooling2D(2, padding="same")(g).flatten().tolist()
    assert out == [(0 + 1 + 3 + 4) / 4, (2 + 5) / 2, (6 + 7) / 2, 8.0]


def test_max_same_pads_with_minus_infinity():
    x = -torch.tensor([1.0, 2.0, 3.0]).reshape(1, 3, 1)  # all negative: a zero pad would win
    assert layers.MaxPooling1D(2, padding="same")(x).flatten().tolist() == [-1.0, -3.0]


def test_strides_default_to_pool_size():
    assert layers.MaxPooling2D((2, 3)).strides == (2, 3)
    assert layers.MaxPooling2D((2, 3))(torch.randn(1, 4, 9, 1)).shape == (1, 2, 3, 1)


def test_global_pooling_shapes_and_values():
    x = torch.arange(24.0).reshape(2, 3, 4, 1)
    assert layers.GlobalAveragePooling2D()(x).tolist() == [[5.5], [17.5]]
    assert layers.GlobalMaxPooling2D(keepdims=True)(x).shape == (2, 1, 1, 1)
    assert layers.GlobalMaxPooling2D(data_format="channels_first")(x).shape == (2, 3)
    assert layers.GlobalAveragePooling3D().compute_output_shape((None, 2, 3, 4, 5)) == (None, 5)


def test_global_average_pooling1d_with_mask():
    x = torch.tensor([[[1.0], [3.0], [100.0]]])
    mask = torch.tensor([[True, True, False]])
    assert layers.GlobalAveragePooling1D()(x, mask=mask).tolist() == [[2.0]]


@pytest.mark.parametrize("layer,shape", [
    (lambda: layers.MaxPooling2D(2), (BATCH, 8, 8, 3)),
    (lambda: layers.AveragePooling2D(3, strides=1, padding="same"), (BATCH, 8, 8, 3)),  # symmetric (1, 1)
    (lambda: layers.MaxPooling1D(2), (BATCH, 10, 3)),
    (lambda: layers.AveragePooling3D(2), (BATCH, 4, 4, 4, 2)),
    (lambda: layers.AveragePooling2D(3, strides=2, padding="same"), (BATCH, 8, 8, 3)),  # TF pads (0, 1): ceil_mode
    (lambda: layers.MaxPooling1D(2, padding="same"), (BATCH, 9, 3)),                   # (0, 1) too
])
def test_symmetric_pooling_makes_no_activation_copies(layer, shape):
    model = keras.Sequential([keras.Input(shape[1:]), layers.Conv1D(3, 1) if len(shape) == 3 else layers.Identity(),
                              layer(), layers.Flatten()])
    assert activation_copies(model, torch.randn(shape, requires_grad=True)) == []


@pytest.mark.parametrize("make,message", [
    (lambda: layers.MaxPooling2D(0), "pool_size"),
    (lambda: layers.MaxPooling2D(2, strides=(1, 2, 3)), "strides"),
    (lambda: layers.AveragePooling1D(2, padding="causal"), "padding"),
    (lambda: layers.MaxPooling2D(data_format="channels_middle"), "data_format"),
    (lambda: layers.GlobalMaxPooling2D(keepdims="yes"), "keepdims"),
])
def test_invalid_arguments(make, message):
    with pytest.raises((ValueError, TypeError), match=message):
        make()


def test_wrong_rank_and_too_small_input():
    with pytest.raises(ValueError, match="ndim=4"):
        layers.MaxPooling2D()(torch.randn(2, 4, 4))
    with pytest.raises(ValueError, match="zero or negative"):
        layers.MaxPooling2D(5).compute_output_shape((None, 3, 3, 1))


@pytest.mark.parametrize("layer", [
    layers.MaxPooling2D((2, 3), strides=(1, 2), padding="same", data_format="channels_first"),
    layers.AveragePooling1D(3),
    layers.AvgPool3D(2, padding="same"),
    layers.GlobalAveragePooling1D(keepdims=True),
    layers.GlobalMaxPool3D(data_format="channels_first"),
], ids=lambda l: type(l).__name__)
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.GlobalAvgPool2D is layers.GlobalAveragePooling2D


def test_public_classes_show_their_keras_signature():
    import inspect

    params = inspect.signature(layers.MaxPooling2D).parameters
    assert list(params)[:5] == ["pool_size", "strides", "padding", "data_format", "name"]
    assert params["pool_size"].default == (2, 2)
    assert inspect.signature(layers.AveragePooling1D).parameters["pool_size"].default == 2
    assert list(inspect.signature(layers.GlobalMaxPooling3D).parameters)[:2] == ["data_format", "keepdims"]
    assert layers.MaxPooling3D.__module__ == "kerascompat.layers.pooling.max_pooling"


def test_pooling_plans_are_bounded():
    pool = layers.AveragePooling1D(2, padding="same")
    for length in range(3, 3 + 2 * pool._plan.maxsize):
        pool(torch.randn(1, length, 1))
    assert len(pool._plan) == pool._plan.maxsize
    assert pool(torch.tensor([1.0, 2.0, 3.0]).reshape(1, 3, 1)).flatten().tolist() == [1.5, 3.0]
