"""Preprocessing layers against tf.keras where the case table cannot go: Normalization.adapt() on
arrays, tensors and iterables of batches; Resizing 'area' and integer images (TF's ResizeArea has
no gradient); the random augmentation layers in training mode (a fixed factor range (f, f) makes
the draw a constant, so the transform must equal TF's exactly; flips are checked structurally and
statistically); and every layer's config against TF's."""

import numpy as np
import pytest
import tensorflow as tf
import torch

import kerascompat
from harness import TF_KERAS, assert_close, assert_close_list

RNG = np.random.default_rng(5)
IMAGES = RNG.random((3, 9, 8, 2)).astype("float32")


# ------------------------------------------------------------------ Normalization.adapt
@pytest.mark.parametrize("axis, shape", [(-1, (40, 3)), (None, (30, 4)), (1, (12, 5, 3)), ((1, 3), (6, 4, 2, 3)),
                                         (-2, (10, 4, 3)), (0, (5,))])
def test_adapt_on_an_array_matches_tf(axis, shape):
    data = RNG.normal(1.5, 2.0, size=shape).astype("float32")
    theirs, ours = TF_KERAS.layers.Normalization(axis=axis), kerascompat.layers.Normalization(axis=axis)
    theirs.adapt(data)
    ours.adapt(data)
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-6, 1e-6, "adapted weights")
    assert_close(ours(data).numpy(), theirs(data).numpy(), 1e-5, 1e-5, "normalized data")


def test_adapt_on_a_tensor_matches_tf():
    data = RNG.normal(-1.0, 0.5, size=(20, 6, 3)).astype("float32")
    theirs, ours = TF_KERAS.layers.Normalization(axis=-1), kerascompat.layers.Normalization(axis=-1)
    theirs.adapt(tf.constant(data))
    ours.adapt(torch.tensor(data))
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-6, 1e-6, "adapted weights")


def test_adapt_on_batches_matches_tf_running_merge():
    # Uneven batches: the merge of per-batch moments must be weighted by each batch's count.
    batches = [RNG.normal(i, 1.0 + i, size=(n, 4, 3)).astype("float32") for i, n in enumerate((7, 3, 11))]
    theirs, ours = TF_KERAS.layers.Normalization(axis=(1, 2)), kerascompat.layers.Normalization(axis=(1, 2))
    theirs.adapt(batches)
    ours.adapt(batches)
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-5, "adapted weights")
    # A DataLoader of (x, y) batches and a tf.data.Dataset of the same batches give the same statistics.
    x = np.concatenate(batches)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.tensor(x), torch.zeros(len(x))),
                                         batch_size=8)
    dataset = tf.data.Dataset.from_tensor_slices((x, np.zeros(len(x), "float32"))).batch(8)
    theirs, ours = TF_KERAS.layers.Normalization(), kerascompat.layers.Normalization()
    theirs.adapt(dataset)
    ours.adapt(loader)
    assert_close_list(ours.get_weights(), theirs.get_weights(), 1e-5, 1e-5, "adapted weights (DataLoader)")


def test_adapted_normalization_in_a_model_matches_tf():
    data = RNG.normal(3.0, 2.0, size=(16, 5, 5, 3)).astype("float32")

    def build(K):
        norm = K.layers.Normalization()
        norm.adapt(data)
        inputs = K.Input((5, 5, 3))
        x = K.layers.Resizing(7, 7)(norm(inputs))
        return K.Model(inputs, K.layers.Normalization(invert=True, mean=[1.0, 2.0, 3.0], variance=[1, 4, 9])(x))

    theirs, ours = build(TF_KERAS), build(kerascompat)
    ours.set_weights(theirs.get_weights())
    assert_close(ours(data[:4], training=False).detach().numpy(), theirs(data[:4], training=False).numpy(),
                 1e-5, 1e-5, "model output")


# ------------------------------------------------------------------ Resizing without gradients
@pytest.mark.parametrize("size", [(4, 3), (13, 12), (9, 5)])
def test_resizing_area_matches_tf(size):
    kwargs = {"height": size[0], "width": size[1], "interpolation": "area"}
    out_tf = TF_KERAS.layers.Resizing(**kwargs)(IMAGES).numpy()
    out = kerascompat.layers.Resizing(**kwargs)(IMAGES).numpy()
    assert_close(out, out_tf, 1e-5, 1e-5, "area resize")


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest", "bicubic", "area", "lanczos3"])
def test_resizing_integer_images_matches_tf(interpolation):
    images = (IMAGES * 255).astype("uint8")
    kwargs = {"height": 5, "width": 11, "interpolation": interpolation}
    out_tf = TF_KERAS.layers.Resizing(**kwargs)(images).numpy()
    out = kerascompat.layers.Resizing(**kwargs)(images).numpy()
    assert out.dtype == out_tf.dtype
    # Rounding a value within float error of .5 may differ by one step.
    assert np.abs(out.astype(int) - out_tf.astype(int)).max() <= 1


def test_center_crop_integer_images_are_cast_like_tf():
    images = (IMAGES * 255).astype("uint8")
    out_tf = TF_KERAS.layers.CenterCrop(4, 4)(images).numpy()
    out = kerascompat.layers.CenterCrop(4, 4)(images).numpy()
    assert out.dtype == out_tf.dtype
    np.testing.assert_array_equal(out, out_tf)


# ------------------------------------------------------------------ random layers, training mode
FILL = [("reflect", "bilinear"), ("wrap", "nearest"), ("constant", "bilinear"), ("nearest", "bilinear"),
        ("constant", "nearest")]
FIXED = [
    ("RandomRotation", {"factor": (0.1, 0.1)}),
    ("RandomRotation", {"factor": (-0.35, -0.35)}),
    ("RandomZoom", {"height_factor": (0.3, 0.3)}),
    ("RandomZoom", {"height_factor": (-0.4, -0.4), "width_factor": (0.2, 0.2)}),
    ("RandomTranslation", {"height_factor": (0.2, 0.2), "width_factor": (-0.3, -0.3)}),
]


@pytest.mark.parametrize("fill_mode, interpolation", FILL)
@pytest.mark.parametrize("layer, kwargs", FIXED)
def test_fixed_geometric_transform_matches_tf(layer, kwargs, fill_mode, interpolation):
    kwargs = {**kwargs, "fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 0.5}
    out_tf = getattr(TF_KERAS.layers, layer)(**kwargs)(IMAGES, training=True).numpy()
    out = getattr(kerascompat.layers, layer)(**kwargs)(IMAGES, training=True).numpy()
    assert_close(out, out_tf, 1e-4, 1e-4, f"{layer} {kwargs}")


def test_fixed_rotation_channels_first_and_unbatched_match_tf():
    first = np.transpose(IMAGES, (0, 3, 1, 2))
    kwargs = {"factor": (0.2, 0.2), "data_format": "channels_first"}
    out_tf = TF_KERAS.layers.RandomRotation(**kwargs)(first, training=True).numpy()
    out = kerascompat.layers.RandomRotation(**kwargs)(first, training=True).numpy()
    assert_close(out, out_tf, 1e-4, 1e-4, "channels_first rotation")
    out_tf = TF_KERAS.layers.RandomZoom((0.25, 0.25))(IMAGES[0], training=True).numpy()
    out = kerascompat.layers.RandomZoom((0.25, 0.25))(IMAGES[0], training=True).numpy()
    assert_close(out, out_tf, 1e-4, 1e-4, "unbatched zoom")


@pytest.mark.parametrize("mode, axes", [("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))])
def test_random_flip_flips_each_image_or_leaves_it(mode, axes):
    images = RNG.random((400, 3, 4, 1)).astype("float32")
    out = kerascompat.layers.RandomFlip(mode, seed=1)(images, training=True).numpy()
    flipped = np.flip(images, axes)
    is_flipped = np.all(out == flipped, axis=(1, 2, 3))
    assert np.all(is_flipped | np.all(out == images, axis=(1, 2, 3)))
    # Each image flips with probability 1/2, as TF's (within 5 standard deviations).
    tf_flipped = np.all(TF_KERAS.layers.RandomFlip(mode, seed=1)(images, training=True).numpy() == flipped,
                        axis=(1, 2, 3))
    for fraction in (is_flipped.mean(), tf_flipped.mean()):
        assert abs(fraction - 0.5) < 5 * 0.025


def test_random_rotation_angles_cover_the_factor_range():
    # factor 0.1: angles uniform over [-36, 36] degrees, as TF draws them.
    layer = kerascompat.layers.RandomRotation(0.1, seed=3)
    angles = layer._random.uniform((2000,), layer.factor[0] * 360, layer.factor[1] * 360, torch.device("cpu"))
    assert -36.0 <= float(angles.min()) < -35.0 and 35.0 < float(angles.max()) <= 36.0
    assert abs(float(angles.mean())) < 5 * 36 / np.sqrt(3 * 2000)


def test_random_contrast_is_tf_adjustment_for_the_factor_tf_drew():
    # No factor range makes the draw a constant other than 1, so read each image's factor off TF's
    # output (value_range wide enough that nothing clips) and apply ours with it.
    from kerascompat.layers.preprocessing.random_color import adjust_contrast

    kwargs = {"factor": (0.2, 0.6), "value_range": (-10, 10)}
    out_tf = TF_KERAS.layers.RandomContrast(**kwargs)(IMAGES, training=True).numpy()
    mean = IMAGES.mean(axis=(1, 2), keepdims=True)
    factors = ((out_tf - mean) / (IMAGES - mean)).reshape(len(IMAGES), -1)
    assert np.allclose(factors, factors[:, :1], atol=1e-3)  # one factor per image
    assert np.all((factors >= 0.8 - 1e-4) & (factors <= 1.6 + 1e-4))
    ours = adjust_contrast(torch.tensor(IMAGES), torch.tensor(np.median(factors, 1)).reshape(-1, 1, 1, 1).float(),
                           "channels_last")
    assert_close(ours.numpy(), out_tf, 1e-4, 1e-4, "contrast with TF's factors")
    out = kerascompat.layers.RandomContrast(**kwargs, seed=1)(IMAGES, training=True).numpy()
    ours_factors = ((out - mean) / (IMAGES - mean)).reshape(len(IMAGES), -1)
    assert np.allclose(ours_factors, ours_factors[:, :1], atol=1e-3)
    assert np.all((ours_factors >= 0.8 - 1e-4) & (ours_factors <= 1.6 + 1e-4))


@pytest.mark.parametrize("kwargs", [{"factor": (0.3, 0.3), "value_range": (0, 1)},
                                    {"factor": (-0.5, -0.5), "value_range": [1, 0]},
                                    {"factor": (0.1, 0.1)}])
def test_fixed_brightness_matches_tf(kwargs):
    out_tf = TF_KERAS.layers.RandomBrightness(**kwargs)(IMAGES, training=True).numpy()
    out = kerascompat.layers.RandomBrightness(**kwargs)(IMAGES, training=True).numpy()
    assert_close(out, out_tf, 1e-6, 1e-6, "brightness")


def test_random_crop_takes_a_window_like_tf():
    images = RNG.random((2, 9, 8, 2)).astype("float32")
    for K in (TF_KERAS, kerascompat):
        out = np.asarray(K.layers.RandomCrop(4, 5, seed=2)(images, training=True))
        windows = [images[:, i:i + 4, j:j + 5] for i in range(6) for j in range(4)]
        assert any(np.array_equal(out, w) for w in windows), K.__name__
    # Not larger than the target: a centred crop to the aspect ratio, resized; deterministic.
    for size in ((12, 6), (9, 8), (3, 8)):
        out_tf = TF_KERAS.layers.RandomCrop(*size)(images, training=True).numpy()
        out = kerascompat.layers.RandomCrop(*size)(images, training=True).numpy()
        assert_close(out, out_tf, 1e-5, 1e-5, f"RandomCrop{size} of a smaller image")


COLOR = (RNG.random((3, 6, 5, 3)) * 255).astype("float32")
FIXED_COLOR = [
    ("RandomGrayscale", {"factor": 1.0}),
    ("RandomInvert", {"factor": (1.0, 1.0)}),
    ("RandomInvert", {"factor": (1.0, 1.0), "value_range": (0, 300)}),
    ("Solarization", {}),
    ("Solarization", {"value_range": (0, 510)}),
    ("RandomPosterization", {"factor": (3, 3)}),
    ("RandomPosterization", {"factor": (6, 6), "value_range": (0, 510)}),
    ("RandomColorDegeneration", {"factor": (0.4, 0.4)}),
    ("RandomColorDegeneration", {"factor": (-0.5, -0.5), "value_range": (20, 200)}),
    ("RandomSaturation", {"factor": (0.3, 0.3)}),
    ("RandomSaturation", {"factor": (0.9, 0.9), "value_range": (0, 1)}),
    ("RandomSharpness", {"factor": (0.1, 0.1)}),
    ("RandomSharpness", {"factor": (0.8, 0.8), "value_range": (10, 200)}),
    ("RandomColorJitter", {"brightness_factor": (0.1, 0.1), "saturation_factor": (0.3, 0.3)}),
    ("RandomColorJitter", {"value_range": (0, 300), "contrast_factor": (0.0, 0.0), "brightness_factor": (-0.2, -0.2)}),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "sigma": (0.8, 0.8)}),
    ("RandomGaussianBlur", {"factor": (1.0, 1.0), "kernel_size": (3, 5), "sigma": (0.5, 0.5), "value_range": (0, 200)}),
]


def _matches_one_of(out, candidates):
    """Every image of `out` equals the same image of one of the candidate batches."""
    return all(any(np.allclose(o, c[i], atol=1e-4, rtol=1e-4) for c in candidates) for i, o in enumerate(out))


def test_fixed_shear_matches_tf_up_to_its_random_sign():
    from kerascompat.layers.preprocessing.random_shear import shear_matrix

    for fill_mode, interpolation in FILL[:3]:
        kwargs = {"x_factor": (0.3, 0.3), "y_factor": (0.1, 0.1), "fill_mode": fill_mode,
                  "interpolation": interpolation}
        out_tf = TF_KERAS.layers.RandomShear(**kwargs)(IMAGES, training=True).numpy()
        ours = kerascompat.layers.RandomShear(**kwargs)
        candidates = [ours.apply_transform(torch.tensor(IMAGES), shear_matrix(torch.tensor([[sx, sy]] * 3))).numpy()
                      for sx, sy in ((0.3, 0.1), (-0.3, -0.1))]
        assert _matches_one_of(out_tf, candidates)
        assert _matches_one_of(ours(IMAGES, training=True).numpy(), candidates)


def test_fixed_hue_matches_tf_up_to_its_random_sign():
    from kerascompat.layers.preprocessing.random_hsv import shift_hue

    out_tf = TF_KERAS.layers.RandomHue((0.4, 0.4))(COLOR, training=True).numpy()
    candidates = [shift_hue(torch.tensor(COLOR) / 255, torch.full((3,), s), "channels_last").numpy() * 255
                  for s in (0.2, -0.2)]
    assert _matches_one_of(out_tf, candidates)
    out = kerascompat.layers.RandomHue((0.4, 0.4), seed=2)(COLOR, training=True).numpy()
    assert _matches_one_of(out, candidates)
    assert not np.allclose(out, COLOR, atol=1)


@pytest.mark.parametrize("layer, kwargs", FIXED_COLOR)
def test_fixed_color_transform_matches_tf(layer, kwargs):
    out_tf = getattr(TF_KERAS.layers, layer)(**kwargs)(COLOR, training=True).numpy()
    out = getattr(kerascompat.layers, layer)(**kwargs)(COLOR, training=True).numpy()
    assert out.dtype == out_tf.dtype
    assert_close(out, out_tf, 1e-5, 1e-5, f"{layer} {kwargs}")


def test_random_solarization_inverts_values_past_a_threshold():
    for K in (TF_KERAS, kerascompat):
        out = np.asarray(K.layers.Solarization(threshold_factor=(0.2, 0.8), seed=3)(COLOR, training=True))
        assert np.all(np.isclose(out, COLOR, atol=1e-3) | np.isclose(out, 255 - COLOR, atol=1e-3))
        for image, result in zip(COLOR, out):  # everything at or above the image's threshold is inverted
            inverted = ~np.isclose(result, image, atol=1e-3)
            assert image[inverted].min(initial=256) >= image[~inverted].max(initial=-1)


def test_auto_contrast_integer_images_match_tf():
    images = COLOR.astype("uint8")
    out_tf = TF_KERAS.layers.AutoContrast()(images).numpy()
    out = kerascompat.layers.AutoContrast()(images).numpy()
    assert out.dtype == out_tf.dtype
    assert_close(out, out_tf, 1e-5, 1e-5, "AutoContrast of uint8 images")


# ------------------------------------------------------------------ configs
CONFIG_CASES = [
    ("Rescaling", {"scale": 1.0 / 255, "offset": -1.0}),
    ("Normalization", {"axis": (1, 2), "invert": True}),
    ("Normalization", {"mean": [1.0, 2.0], "variance": [3.0, 4.0]}),
    ("Resizing", {"height": 5, "width": 6, "interpolation": "bicubic", "pad_to_aspect_ratio": True,
                  "fill_value": 1.0, "antialias": True, "data_format": "channels_first"}),
    ("CenterCrop", {"height": 3, "width": 4}),
    ("RandomFlip", {"mode": "vertical", "seed": 4}),
    ("RandomFlip", {}),
    ("RandomRotation", {"factor": 0.2}),
    ("RandomRotation", {"factor": (-0.1, 0.3), "fill_mode": "constant", "interpolation": "nearest", "seed": 2,
                        "fill_value": 0.5}),
    ("RandomZoom", {"height_factor": 0.2}),
    ("RandomZoom", {"height_factor": (-0.3, 0.1), "width_factor": 0.4, "fill_mode": "wrap"}),
    ("RandomTranslation", {"height_factor": 0.1, "width_factor": (-0.2, 0.3), "seed": 7}),
    ("RandomContrast", {"factor": 0.3}),
    ("RandomContrast", {"factor": (0.1, 0.5), "value_range": (0, 1), "seed": 3}),
    ("RandomBrightness", {"factor": 0.2}),
    ("RandomBrightness", {"factor": (-0.1, 0.3), "value_range": (1, -1), "seed": 3}),
    ("RandomCrop", {"height": 3, "width": 4, "seed": 9, "data_format": "channels_first"}),
    ("RandomGrayscale", {"factor": 0.3, "seed": 2}),
    ("RandomInvert", {"factor": 0.5, "value_range": (0, 1), "seed": 2}),
    ("Solarization", {"addition_factor": 0.1, "threshold_factor": (0.2, 0.5), "value_range": (1, 0)}),
    ("RandomPosterization", {"factor": 5, "value_range": (0, 1)}),
    ("RandomColorDegeneration", {"factor": (0.1, 0.3), "seed": 1}),
    ("AutoContrast", {"value_range": (255, 0)}),
    ("RandomHue", {"factor": 0.3, "value_range": (0, 1), "seed": 4}),
    ("RandomSaturation", {"factor": (0.2, 0.6), "seed": 4}),
    ("RandomSharpness", {"factor": 0.4, "value_range": (1, 0)}),
    ("RandomShear", {"x_factor": 0.2, "y_factor": (0.1, 0.3), "fill_mode": "constant", "seed": 1}),
    ("RandomColorJitter", {"brightness_factor": 0.2, "hue_factor": (0.1, 0.3), "seed": 5}),
    ("RandomGaussianBlur", {"factor": 0.5, "kernel_size": (3, 7), "sigma": (0.2, 0.9), "seed": 5}),
    ("AdaptiveAveragePooling1D", {"output_size": 3}),
    ("AdaptiveMaxPooling2D", {"output_size": (2, 3), "data_format": "channels_first"}),
    ("AdaptiveAveragePooling3D", {"output_size": 2}),
]


@pytest.mark.parametrize("layer, kwargs", CONFIG_CASES)
def test_config_matches_tf(layer, kwargs):
    theirs = getattr(TF_KERAS.layers, layer)(**kwargs, name="same")
    ours = getattr(kerascompat.layers, layer)(**kwargs, name="same")
    assert ours.get_config() == theirs.get_config()
    # Each side reads the other's config (where tf.keras reads its own: RandomShear writes x_factor
    # (-f, f), which its constructor refuses; ours refuses it the same way).
    try:
        type(theirs).from_config(theirs.get_config())
    except (ValueError, TypeError):  # Keras wraps the constructor's ValueError in a TypeError
        with pytest.raises(ValueError):
            type(ours).from_config(theirs.get_config())
        return
    assert type(ours).from_config(theirs.get_config()).get_config() == theirs.get_config()
    assert type(theirs).from_config(ours.get_config()).get_config() == ours.get_config()


def test_pipeline_config_and_training_match_tf():
    def build(K):
        return K.layers.Pipeline([K.layers.Rescaling(2.0, name="a"),
                                  K.layers.RandomBrightness((0.1, 0.1), value_range=(0, 1), name="b"),
                                  K.layers.CenterCrop(5, 4, name="c")], name="pipe")

    theirs, ours = build(TF_KERAS), build(kerascompat)
    assert ours.get_config() == theirs.get_config()
    assert kerascompat.layers.Pipeline.from_config(theirs.get_config()).get_config() == theirs.get_config()
    assert TF_KERAS.layers.Pipeline.from_config(ours.get_config()).get_config() == ours.get_config()
    for training in (False, True):
        assert_close(ours(IMAGES, training=training).numpy(), theirs(IMAGES, training=training).numpy(), 1e-6, 1e-6,
                     f"pipeline, training={training}")


PREPROCESSING_LAYERS = sorted(set(kerascompat.layers.preprocessing.__all__) | {
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D"})


@pytest.mark.parametrize("name", PREPROCESSING_LAYERS)
def test_constructor_arguments_and_defaults_match_tf(name):
    import inspect

    def arguments(cls):
        return [(p.name, p.default) for p in inspect.signature(cls.__init__).parameters.values()
                if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"]

    assert arguments(getattr(kerascompat.layers, name)) == arguments(getattr(TF_KERAS.layers, name))
