"""Preprocessing layers against tf.keras at inference: Rescaling, Normalization with given
statistics, Resizing (every interpolation but 'area', whose TF op has no gradient; aspect-ratio
crop/pad, antialias, channels_first), CenterCrop, and the random augmentation layers (the identity
at inference). test_preprocessing_parity.py has adapt() (Keras's Normalization ignores set_weights,
so adapted statistics cannot go through this table), 'area' and the training-mode transforms."""

from case import Both, Case

# Keras's Normalization computes the statistics it normalizes with in build()/adapt()/loading
# (finalize_state), so set_weights() alone does not change its output; ours normalizes with its
# buffers, which set_weights() sets. The harness perturbs 1-D weights with set_weights.
NORMALIZATION_SET_WEIGHTS = ("Keras's Normalization ignores set_weights() until adapt() or loading (its "
                             "finalize_state); kerascompat normalizes with the weights it holds")

_IMG = (2, 9, 7, 3)
_IMG_FIRST = (2, 3, 9, 7)

PREPROCESSING_CASES = [
    Case("rescaling-scale", "Rescaling", {"scale": 1.0 / 255}, _IMG, input_scale=100.0),
    Case("rescaling-scale-offset", "Rescaling", {"scale": 1.0 / 127.5, "offset": -1.0}, _IMG, input_scale=100.0),
    Case("rescaling-per-channel", "Rescaling", {"scale": [0.5, 2.0, -1.0], "offset": [0.1, 0.2, 0.3]}, _IMG),
    Case("rescaling-2d", "Rescaling", {"scale": 3.0, "offset": 0.5}, (4, 5)),

    Case("normalization-set-weights", "Normalization", {}, _IMG, xfail=NORMALIZATION_SET_WEIGHTS),
    Case("normalization-given", "Normalization", {"mean": [0.5, -1.0, 2.0], "variance": [4.0, 0.25, 1.0]}, _IMG),
    Case("normalization-given-scalar", "Normalization", {"mean": 3.0, "variance": 2.0}, (4, 1)),
    Case("normalization-given-axis-none", "Normalization", {"axis": None, "mean": 1.0, "variance": 9.0}, (3, 4)),
    Case("normalization-given-two-axes", "Normalization",
         {"axis": (1, 2), "mean": [[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]],
          "variance": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]}, (2, 3, 2)),
    Case("normalization-given-broadcast-trailing", "Normalization",
         {"axis": (1, 2), "mean": [1.0, -1.0], "variance": [2.0, 0.5]}, (2, 3, 2)),
    Case("normalization-zero-variance", "Normalization", {"mean": [0.0, 1.0], "variance": [0.0, 1.0]}, (3, 2)),
    Case("normalization-invert", "Normalization", {"invert": True, "mean": [0.5, 1.0], "variance": [4.0, 9.0]},
         (3, 2)),
]

_RESIZE = [
    ("bilinear-up", {"height": 13, "width": 11}),
    ("bilinear-down", {"height": 4, "width": 3}),
    ("nearest-up", {"height": 13, "width": 11, "interpolation": "nearest"}),
    ("nearest-down", {"height": 5, "width": 3, "interpolation": "nearest"}),
    ("bicubic-up", {"height": 13, "width": 11, "interpolation": "bicubic"}),
    ("bicubic-down", {"height": 4, "width": 5, "interpolation": "bicubic"}),
    ("lanczos3", {"height": 5, "width": 12, "interpolation": "lanczos3"}),
    ("lanczos5", {"height": 12, "width": 4, "interpolation": "lanczos5"}),
    ("bilinear-antialias", {"height": 4, "width": 3, "antialias": True}),
    ("bicubic-antialias", {"height": 4, "width": 3, "interpolation": "bicubic", "antialias": True}),
    ("crop-to-aspect", {"height": 4, "width": 6, "crop_to_aspect_ratio": True}),
    ("crop-to-aspect-nearest", {"height": 6, "width": 3, "interpolation": "nearest", "crop_to_aspect_ratio": True}),
    ("pad-to-aspect", {"height": 4, "width": 6, "pad_to_aspect_ratio": True}),
    ("pad-to-aspect-fill", {"height": 8, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 2.5}),
]
PREPROCESSING_CASES += [Case(f"resizing-{name}", "Resizing", kwargs, _IMG) for name, kwargs in _RESIZE]
PREPROCESSING_CASES += [
    Case("resizing-channels-first", "Resizing", {"height": 5, "width": 4, "data_format": "channels_first"},
         _IMG_FIRST),
    Case("resizing-channels-first-bicubic", "Resizing",
         {"height": 12, "width": 4, "interpolation": "bicubic", "data_format": "channels_first"}, _IMG_FIRST),
    Case("resizing-channels-first-pad", "Resizing",
         {"height": 4, "width": 8, "pad_to_aspect_ratio": True, "data_format": "channels_first"}, _IMG_FIRST),
    Case("resizing-unbatched", "Resizing", {"height": 4, "width": 5}, (9, 7, 3)),

    Case("center-crop", "CenterCrop", {"height": 4, "width": 3}, _IMG),
    Case("center-crop-odd-offsets", "CenterCrop", {"height": 6, "width": 6}, _IMG),
    Case("center-crop-larger-than-image", "CenterCrop", {"height": 12, "width": 5}, _IMG),
    Case("center-crop-channels-first", "CenterCrop", {"height": 4, "width": 5, "data_format": "channels_first"},
         _IMG_FIRST),
    Case("center-crop-unbatched", "CenterCrop", {"height": 3, "width": 3}, (9, 7, 3)),
]

# Random augmentation layers: the identity at inference (training=False / eval mode).
PREPROCESSING_CASES += [
    Case("random-flip-inference", "RandomFlip", {}, _IMG),
    Case("random-flip-horizontal-inference", "RandomFlip", {"mode": "horizontal", "seed": 3}, _IMG),
    Case("random-rotation-inference", "RandomRotation", {"factor": 0.2}, _IMG),
    Case("random-zoom-inference", "RandomZoom", {"height_factor": 0.2, "width_factor": (-0.1, 0.3)}, _IMG),
    Case("random-translation-inference", "RandomTranslation", {"height_factor": 0.2, "width_factor": 0.1}, _IMG),
]

PREPROCESSING_CASES += [
    Case("random-contrast-inference", "RandomContrast", {"factor": 0.3}, _IMG),
    Case("random-brightness-inference", "RandomBrightness", {"factor": (-0.2, 0.4), "value_range": (0, 1)}, _IMG),
    Case("random-crop-inference", "RandomCrop", {"height": 4, "width": 5, "seed": 1}, _IMG),
]

# Adaptive pooling: bins of uneven sizes (7 -> 3, 10 -> 4), both data formats.
PREPROCESSING_CASES += [
    Case("adaptive-avg-1d", "AdaptiveAveragePooling1D", {"output_size": 4}, (2, 11, 3)),
    Case("adaptive-max-1d", "AdaptiveMaxPooling1D", {"output_size": (3,)}, (2, 10, 3)),
    Case("adaptive-avg-2d", "AdaptiveAveragePooling2D", {"output_size": (3, 4)}, (2, 7, 10, 3)),
    Case("adaptive-max-2d", "AdaptiveMaxPooling2D", {"output_size": 3}, (2, 7, 10, 3)),
    Case("adaptive-avg-2d-upsample", "AdaptiveAveragePooling2D", {"output_size": (9, 4)}, (2, 5, 10, 2)),
    Case("adaptive-avg-2d-channels-first", "AdaptiveAveragePooling2D",
         {"output_size": (3, 4), "data_format": "channels_first"}, (2, 3, 7, 10)),
    Case("adaptive-max-2d-channels-first", "AdaptiveMaxPooling2D",
         {"output_size": (2, 3), "data_format": "channels_first"}, (2, 3, 7, 10)),
    Case("adaptive-avg-3d", "AdaptiveAveragePooling3D", {"output_size": (2, 3, 2)}, (2, 5, 7, 4, 2)),
    Case("adaptive-max-3d", "AdaptiveMaxPooling3D", {"output_size": 2}, (2, 5, 7, 4, 2)),
    Case("adaptive-max-1d-channels-first", "AdaptiveMaxPooling1D",
         {"output_size": 4, "data_format": "channels_first"}, (2, 3, 10)),
]

PREPROCESSING_CASES += [
    Case("random-grayscale-inference", "RandomGrayscale", {"factor": 0.8}, _IMG),
    Case("random-invert-inference", "RandomInvert", {}, _IMG),
    Case("solarization-inference", "Solarization", {"addition_factor": 0.2, "threshold_factor": 0.5}, _IMG),
    Case("random-posterization-inference", "RandomPosterization", {"factor": 4}, _IMG),
    Case("random-color-degeneration-inference", "RandomColorDegeneration", {"factor": 0.5}, _IMG),
    Case("auto-contrast", "AutoContrast", {"value_range": (0, 1)}, _IMG),
    Case("auto-contrast-default-range", "AutoContrast", {}, _IMG, input_scale=50.0),
]

PREPROCESSING_CASES += [
    Case("random-hue-inference", "RandomHue", {"factor": 0.5}, _IMG),
    Case("random-saturation-inference", "RandomSaturation", {"factor": (0.2, 0.8)}, _IMG),
    Case("random-sharpness-inference", "RandomSharpness", {"factor": 0.5}, _IMG),
    Case("random-shear-inference", "RandomShear", {"x_factor": 0.3, "y_factor": (0.1, 0.2)}, _IMG),
]

PREPROCESSING_CASES += [
    Case("random-color-jitter-inference", "RandomColorJitter",
         {"brightness_factor": 0.2, "contrast_factor": 0.3, "saturation_factor": (0.2, 0.7), "hue_factor": 0.1},
         _IMG),
    Case("pipeline", "Pipeline", {"layers": Both(lambda K: [K.layers.Rescaling(0.5, offset=1.0), K.layers.RandomFlip(),
                                                          K.layers.Resizing(4, 6, interpolation="bicubic")])}, _IMG),
]

PREPROCESSING_CASES += [
    Case("random-gaussian-blur-inference", "RandomGaussianBlur", {"kernel_size": (3, 5), "sigma": 0.7}, _IMG),
]
