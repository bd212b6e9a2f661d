"""Preprocessing layers without TensorFlow: hand-computed values, errors, seeds, torch state,
symbolic shapes and config round trips."""

import numpy as np
import pytest
import torch

import kerascompat
from kerascompat import layers


def test_normalization_keras_docstring_examples():
    layer = layers.Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype="float32"))
    np.testing.assert_allclose(layer(np.array([1.0, 2.0, 3.0], dtype="float32")).numpy(),
                               [-1.4142135, -0.70710677, 0.0], rtol=1e-6)
    layer = layers.Normalization(axis=-1)
    layer.adapt(np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]], dtype="float32"))
    np.testing.assert_allclose(layer(np.array([[0.0, 7.0, 4.0]], dtype="float32")).numpy(), [[-1.0, -1.0, -1.0]])
    layer = layers.Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(layer(np.array([[1.0], [2.0], [3.0]], dtype="float32")).numpy(),
                               [[-1.4142135], [-0.70710677], [0.0]], rtol=1e-6)
    layer = layers.Normalization(axis=-1, invert=True)
    layer.adapt(np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]], dtype="float32"))
    np.testing.assert_allclose(layer(np.array([[1.0, 2.0, 3.0]], dtype="float32")).numpy(), [[2.0, 10.0, 8.0]])


def test_normalization_statistics_are_torch_buffers():
    layer = layers.Normalization()
    layer.adapt(np.arange(12, dtype="float32").reshape(4, 3))
    state = layer.state_dict()
    assert set(state) == {"adapt_mean", "adapt_variance", "count"}
    assert list(layer.parameters()) == []
    np.testing.assert_allclose(state["adapt_mean"].numpy(), [4.5, 5.5, 6.5])
    np.testing.assert_allclose(state["adapt_variance"].numpy(), [11.25] * 3)
    layer.double()
    assert layer(np.ones((1, 3))).dtype == torch.float64
    fresh = layers.Normalization()
    fresh(np.zeros((1, 3), "float32"))
    fresh.load_state_dict(state)
    np.testing.assert_allclose(fresh(np.full((1, 3), 4.5, "float32")).numpy()[0, 0], 0.0, atol=1e-7)


def test_normalization_adapt_on_a_generator_and_a_dataloader():
    data = np.random.default_rng(0).normal(size=(30, 2)).astype("float32")
    expected_mean, expected_var = data.mean(0), data.var(0)
    layer = layers.Normalization()
    layer.adapt(data[i:i + 7] for i in range(0, 30, 7))
    np.testing.assert_allclose(layer.get_weights()[0], expected_mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer.get_weights()[1], expected_var, rtol=1e-5)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(data), torch.zeros(30)),
                                         batch_size=4)
    layer = layers.Normalization()
    layer.adapt(loader)
    np.testing.assert_allclose(layer.get_weights()[1], expected_var, rtol=1e-5)


def test_normalization_errors():
    with pytest.raises(ValueError, match="both `mean` and `variance`"):
        layers.Normalization(mean=1.0)
    with pytest.raises(ValueError, match="same shape"):
        layers.Normalization(mean=[1.0, 2.0], variance=[1.0])
    with pytest.raises(ValueError, match="empty iterable"):
        layers.Normalization().adapt([])
    with pytest.raises(TypeError, match="Unsupported data type"):
        layers.Normalization().adapt(3.0)
    layer = layers.Normalization()
    layer.adapt(np.zeros((4, 3), "float32"))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.zeros((4, 5), "float32"))
    with pytest.raises(ValueError, match=r"range \[-ndim, ndim\)"):
        layers.Normalization(axis=3)(np.zeros((2, 3), "float32"))


def test_rescaling_values_and_integer_images():
    images = np.array([[[[0, 128, 255]]]], dtype="uint8")
    out = layers.Rescaling(1.0 / 127.5, offset=-1.0)(images)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[[[-1.0, 128 / 127.5 - 1, 1.0]]]], atol=1e-7)
    out = layers.Rescaling([1.0, 2.0, 3.0])(np.ones((1, 2, 2, 3), "float32"))
    np.testing.assert_allclose(out.numpy()[0, 0, 0], [1.0, 2.0, 3.0])


def test_center_crop_takes_the_middle():
    image = np.arange(30, dtype="float32").reshape(1, 5, 6, 1)
    out = layers.CenterCrop(3, 2)(image).numpy()[0, :, :, 0]
    np.testing.assert_array_equal(out, image[0, 1:4, 2:4, 0])


@pytest.mark.parametrize("layer", [layers.RandomFlip(), layers.RandomRotation(0.3), layers.RandomZoom(0.5),
                                   layers.RandomTranslation(0.3, 0.3)])
def test_random_layers_are_the_identity_at_inference_and_change_images_in_training(layer):
    images = torch.rand(8, 6, 5, 2)
    assert torch.equal(layer(images, training=False), images)
    layer.eval()
    assert torch.equal(layer(images), images)
    layer.train()
    assert not torch.equal(layer(images), images)  # torch's train mode augments, as Dropout


@pytest.mark.parametrize("make", [lambda: layers.RandomFlip(seed=5), lambda: layers.RandomRotation(0.2, seed=5),
                                  lambda: layers.RandomZoom(0.3, 0.2, seed=5),
                                  lambda: layers.RandomTranslation(0.2, 0.2, seed=5)])
def test_seeded_random_layers_repeat_their_sequence(make):
    images = torch.rand(6, 7, 7, 3)
    first, second = make(), make()
    a1, a2 = first(images, training=True), first(images, training=True)
    b1, b2 = second(images, training=True), second(images, training=True)
    assert torch.equal(a1, b1) and torch.equal(a2, b2)
    assert not torch.equal(a1, a2)


def test_fixed_translation_moves_pixels():
    image = torch.zeros(1, 5, 5, 1)
    image[0, 1, 1, 0] = 1.0
    out = layers.RandomTranslation((0.2, 0.2), (0.4, 0.4), fill_mode="constant")(image, training=True)
    assert out[0, 2, 3, 0] == 1.0 and out.sum() == 1.0  # down 1 row (0.2 * 5), right 2 columns (0.4 * 5)


def test_fixed_rotation_by_a_quarter_turn():
    image = torch.arange(9.0).reshape(1, 3, 3, 1)
    out = layers.RandomRotation((0.25, 0.25), interpolation="nearest")(image, training=True)
    # 90 degrees counter-clockwise: the first row becomes the first column, read upwards.
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), np.rot90(image[0, :, :, 0].numpy()))


def test_argument_errors():
    with pytest.raises(ValueError, match="`mode`"):
        layers.RandomFlip("diagonal")
    with pytest.raises(NotImplementedError, match="`fill_mode`"):
        layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(NotImplementedError, match="`interpolation`"):
        layers.RandomZoom(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="`factor`"):
        layers.RandomRotation(2.0)
    with pytest.raises(ValueError, match="height_factor"):
        layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match="`interpolation`"):
        layers.Resizing(3, 3, interpolation="cubic")
    with pytest.raises(ValueError, match="Only one of"):
        layers.Resizing(3, 3, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(NotImplementedError, match="bounding_box_format"):
        layers.RandomFlip(bounding_box_format="xyxy")
    with pytest.raises(NotImplementedError, match="dict inputs"):
        layers.RandomFlip()({"images": torch.zeros(1, 2, 2, 1)}, training=True)
    with pytest.raises(ValueError, match="rank 3"):
        layers.Resizing(2, 2)(torch.zeros(2, 2))


def test_symbolic_shapes_in_a_model():
    inputs = kerascompat.Input((10, 8, 3))
    x = layers.Normalization(mean=[0.0, 1.0, 2.0], variance=[1.0, 1.0, 1.0])(inputs)
    x = layers.RandomFlip()(layers.Resizing(6, 5)(x))
    x = layers.CenterCrop(4, 4)(layers.RandomZoom(0.1)(layers.RandomRotation(0.1)(x)))
    x = layers.Rescaling(2.0)(layers.RandomTranslation(0.1, 0.1)(x))
    assert tuple(x.shape) == (None, 4, 4, 3)
    model = kerascompat.Model(inputs, x)
    assert tuple(model(np.zeros((2, 10, 8, 3), "float32"), training=False).shape) == (2, 4, 4, 3)
    assert layers.Resizing(3, 4, data_format="channels_first").compute_output_shape((None, 2, 9, 9)) == (None, 2, 3, 4)


@pytest.mark.parametrize("layer", [layers.Rescaling([0.5, 2.0], offset=1.0), layers.Normalization(axis=(1, 2)),
                                   layers.Resizing(3, 4, interpolation="lanczos5"), layers.CenterCrop(2, 3),
                                   layers.RandomFlip("vertical", seed=2), layers.RandomRotation((-0.2, 0.1)),
                                   layers.RandomZoom(0.2, (-0.1, 0.3), fill_mode="constant"),
                                   layers.RandomTranslation(0.1, 0.2, interpolation="nearest")])
def test_config_round_trip(layer):
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config


def test_brightness_and_contrast_hand_values():
    images = torch.tensor([[[[0.0], [0.5]], [[1.0], [0.5]]]])  # one 2x2 image, mean 0.5
    out = layers.RandomBrightness((0.25, 0.25), value_range=(0, 1))(images, training=True)
    np.testing.assert_allclose(out.numpy().ravel(), [0.25, 0.75, 1.0, 0.75])
    out = layers.RandomContrast((0.0, 0.0), value_range=(0, 1))(images, training=True)
    np.testing.assert_allclose(out.numpy().ravel(), [0.0, 0.5, 1.0, 0.5])
    # Integer images pass through unchanged at inference, as in Keras.
    ints = torch.zeros(1, 2, 2, 1, dtype=torch.uint8)
    assert layers.RandomContrast(0.2)(ints, training=False).dtype == torch.uint8


def test_random_crop_windows_and_inference():
    images = torch.arange(2 * 6 * 5, dtype=torch.float32).reshape(2, 6, 5, 1)
    layer = layers.RandomCrop(3, 2, seed=4)
    out = layer(images, training=True)
    assert tuple(out.shape) == (2, 3, 2, 1)
    starts = [(i, j) for i in range(4) for j in range(4) if torch.equal(out, images[:, i:i + 3, j:j + 2])]
    assert len(starts) == 1
    assert torch.equal(layer(images, training=False), images)  # Keras 3.15: no crop at inference
    assert isinstance(layers.RandomCrop(2, 2).get_config()["seed"], int)


@pytest.mark.parametrize("cls, size, shape, expected", [
    (layers.AdaptiveAveragePooling1D, 2, (1, 4, 1), [[[0.5], [2.5]]]),
    (layers.AdaptiveMaxPooling1D, (2,), (1, 5, 1), [[[2.0], [4.0]]]),  # bins [0, 3) and [2, 5)
])
def test_adaptive_pooling_bins(cls, size, shape, expected):
    x = torch.arange(float(np.prod(shape))).reshape(shape)
    np.testing.assert_allclose(cls(size)(x).numpy(), expected)


def test_adaptive_pooling_shapes_and_errors():
    x = torch.rand(2, 3, 7, 9)
    assert tuple(layers.AdaptiveMaxPooling2D((2, 4), data_format="channels_first")(x).shape) == (2, 3, 2, 4)
    assert layers.AdaptiveAveragePooling3D(2).compute_output_shape((None, 5, 5, 5, 3)) == (None, 2, 2, 2, 3)
    with pytest.raises(TypeError, match="output_size"):
        layers.AdaptiveAveragePooling2D((1, 2, 3))
    with pytest.raises(ValueError, match="length 1"):
        layers.AdaptiveMaxPooling1D((2, 2))
    with pytest.raises(ValueError, match="incompatible"):
        layers.AdaptiveMaxPooling2D(2)(torch.rand(2, 3, 4))


def test_color_layers_hand_values():
    x = torch.tensor([[[[10.0, 200.0, 130.0], [0.0, 255.0, 127.0]]]])  # one 1x2 RGB image
    gray = layers.RandomGrayscale(1.0)(x, training=True)
    luma = 0.2989 * x[..., 0] + 0.5870 * x[..., 1] + 0.1140 * x[..., 2]
    torch.testing.assert_close(gray, luma.unsqueeze(-1).expand_as(x))
    torch.testing.assert_close(layers.RandomInvert((1.0, 1.0))(x, training=True), 255 - x)
    torch.testing.assert_close(layers.Solarization()(x, training=True), 255 - x)  # threshold 0: all inverted
    posterized = layers.RandomPosterization((1, 1))(x, training=True)  # keep the top bit
    torch.testing.assert_close(posterized, torch.where(x >= 128, 128.0, 0.0))
    torch.testing.assert_close(layers.RandomSharpness((0.5, 0.5))(x, training=True), x)  # factor 0.5: unchanged
    desaturated = layers.RandomSaturation((0.0, 0.0))(x, training=True)
    torch.testing.assert_close(desaturated, x.amax(-1, keepdim=True).expand_as(x))
    stretched = layers.AutoContrast()(torch.tensor([[[[10.0], [20.0]], [[15.0], [12.5]]]]))
    torch.testing.assert_close(stretched.ravel(), torch.tensor([0.0, 255.0, 127.5, 63.75]))


def test_shear_of_zero_is_the_identity_and_hue_keeps_gray():
    images = torch.rand(2, 5, 4, 3)
    torch.testing.assert_close(layers.RandomShear()(images, training=True), images)
    gray = torch.rand(2, 3, 3, 1).expand(2, 3, 3, 3) * 255
    torch.testing.assert_close(layers.RandomHue(0.9)(gray, training=True), gray, atol=1e-3, rtol=0)
    with pytest.raises(ValueError, match="x_factor"):
        layers.RandomShear(x_factor=-0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        layers.RandomGrayscale(1.5)


def test_pipeline_and_color_jitter():
    pipe = layers.Pipeline([layers.Rescaling(2.0), layers.RandomFlip("horizontal", seed=1), layers.CenterCrop(2, 2)])
    images = torch.rand(3, 4, 4, 1)
    torch.testing.assert_close(pipe(images, training=False), images[:, 1:3, 1:3] * 2)
    assert pipe.compute_output_shape((None, 4, 4, 1)) == (None, 2, 2, 1)
    assert [type(l).__name__ for l in pipe.layers] == ["Rescaling", "RandomFlip", "CenterCrop"]
    jitter = layers.RandomColorJitter(value_range=(0, 1), brightness_factor=(0.1, 0.1), seed=3)
    images = torch.rand(2, 3, 3, 3) * 0.5
    torch.testing.assert_close(jitter(images, training=True), images + 0.1)
    assert torch.equal(jitter(images, training=False), images)


def test_gaussian_blur_arguments_and_probability():
    with pytest.raises(ValueError, match="odd"):
        layers.RandomGaussianBlur(kernel_size=4)
    images = torch.rand(2, 5, 5, 1) * 255
    torch.testing.assert_close(layers.RandomGaussianBlur(factor=0.0)(images, training=True), images)
    blurred = layers.RandomGaussianBlur(factor=(1.0, 1.0), sigma=(1.0, 1.0))(images, training=True)
    assert blurred[:, 1:-1, 1:-1].std() < images[:, 1:-1, 1:-1].std()  # smoothing lowers the spread
