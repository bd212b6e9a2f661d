"""The exported names, the import spellings, and that importing kerascompat imports no TensorFlow."""

import os
import subprocess
import sys

import pytest

import kerascompat

SUPPORTED_LAYERS = [
    "Bidirectional", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "GRU", "GRUCell", "LSTM", "LSTMCell", "Masking", "RNN", "SimpleRNN", "SimpleRNNCell",
    "StackedRNNCells",
    "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "AvgPool1D", "AvgPool2D", "AvgPool3D", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalAvgPool1D", "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "MaxPool1D", "MaxPool2D", "MaxPool3D", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose",
    "Convolution1D", "Convolution2D", "Convolution3D", "Convolution1DTranspose", "Convolution2DTranspose",
    "Convolution3DTranspose", "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D",
    "SeparableConvolution1D", "SeparableConvolution2D", "Cropping1D", "Cropping2D", "Cropping3D", "RepeatVector",
    "UpSampling1D", "UpSampling2D", "UpSampling3D", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
    "Activation", "BatchNormalization", "Dense", "Dropout", "ELU", "Embedding", "Flatten", "GroupNormalization",
    "Identity", "Input", "InputLayer", "Lambda", "Layer", "LayerNormalization", "LeakyReLU", "PReLU", "ReLU",
    "RMSNormalization", "Softmax", "UnitNormalization",
    "Permute", "Reshape", "deserialize", "serialize",
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "RandomBrightness", "RandomContrast", "RandomCrop",
    "AutoContrast", "RandomColorDegeneration", "RandomGrayscale", "RandomInvert", "RandomPosterization", "Solarization",
    "RandomHue", "RandomSaturation", "RandomSharpness", "RandomShear", "Pipeline", "RandomColorJitter",
    "RandomGaussianBlur",
    "CenterCrop", "Normalization", "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom", "Rescaling",
    "Resizing",
    "ActivityRegularization", "AlphaDropout", "GaussianDropout", "GaussianNoise", "InputSpec", "SpatialDropout1D",
    "SpatialDropout2D", "SpatialDropout3D", "TimeDistributed", "Wrapper",
    "SpectralNormalization", "ReversibleEmbedding", "TorchModuleWrapper",
    "AdditiveAttention", "Attention", "EinsumDense", "GroupQueryAttention", "MultiHeadAttention",
]


def test_layers_all_is_pinned():
    assert sorted(kerascompat.layers.__all__) == sorted(SUPPORTED_LAYERS)
    for name in kerascompat.layers.__all__:
        assert hasattr(kerascompat.layers, name), name


def test_every_layer_has_a_parity_case():
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
    try:
        import cases
        import inspect

        covered = {c.layer for c in cases.CASES if c.layer}
        model_sources = "".join(inspect.getsource(c.build) for c in cases.CASES if c.build)
        model_sources += "".join(inspect.getsource(v.make) for c in cases.CASES for v in c.kwargs.values()
                                 if isinstance(v, cases.Both))
    finally:
        sys.path.pop(0)
    parity_dir = os.path.join(os.path.dirname(__file__), "..", "parity")
    code = (f"import sys; sys.path.insert(0, {parity_dir!r}); import cases; "
            "assert not [m for m in sys.modules if m.split('.')[0] == 'tensorflow'], 'cases.py imports TF'")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for name in SUPPORTED_LAYERS:
        if name in ("Layer", "Input", "InputLayer", "InputSpec", "Wrapper", "serialize", "deserialize"):
            continue  # exercised by every model case (InputSpec and the abstract Wrapper through their users)
        if name == "TorchModuleWrapper":
            continue  # wraps a torch module: no TensorFlow counterpart (tests/test_input_spec_wrappers.py)
        aliases = {n for n in SUPPORTED_LAYERS if getattr(kerascompat.layers, n) is getattr(kerascompat.layers, name)}
        assert aliases & covered or any(f"layers.{n}(" in model_sources for n in aliases), f"no parity case for {name}"


def test_import_spellings_resolve_to_the_same_objects():
    from kerascompat import keras, layers
    from kerascompat.keras.layers import Dense as D2
    from kerascompat.layers import Dense

    import kerascompat as keras_alias

    assert keras is kerascompat is keras_alias
    assert layers is kerascompat.layers is keras.layers
    assert Dense is D2 is keras.layers.Dense
    assert keras.Model is kerascompat.models.Model
    assert keras.Sequential is kerascompat.models.Sequential
    assert keras.Input is layers.Input


def test_import_does_not_import_tensorflow_or_keras():
    code = (
        "import sys, kerascompat\n"
        "from kerascompat import keras, layers\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'tf_keras')]\n"
        "assert not bad, bad\n"
        "print('clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "clean" in out.stdout


# keras.ops functions of keras/src/ops/{core,image,linalg,math,nn}.py (Keras 3.15), by family module.
SUPPORTED_OPS = {
    "core": [
        "associative_scan", "cast", "cond", "convert_to_numpy", "convert_to_tensor", "custom_gradient", "dtype",
        "fori_loop", "is_tensor", "map", "saturate_cast", "scan", "scatter", "scatter_update", "shape", "slice",
        "slice_update", "stop_gradient", "switch", "unstack", "vectorized_map", "while_loop",
    ],
    "image": [
        "affine_transform", "crop_images", "elastic_transform", "extract_patches", "extract_patches_3d",
        "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform", "resize",
        "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate", "sobel_edges", "ssim",
    ],
    "linalg": [
        "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor", "matrix_rank",
        "norm", "pinv", "qr", "solve", "solve_triangular", "svd",
    ],
    "math": [
        "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "ifft2", "in_top_k", "irfft", "istft",
        "logdet", "logsumexp", "rfft", "rsqrt", "segment_max", "segment_min", "segment_prod", "segment_sum", "stft",
        "top_k", "view_as_complex", "view_as_real",
    ],
    "nn": [
        "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization", "binary_crossentropy",
        "categorical_crossentropy", "celu", "conv", "conv_transpose", "ctc_decode", "ctc_loss", "depth_to_space",
        "depthwise_conv", "dot_product_attention", "elu", "fold", "gelu", "glu", "hard_shrink", "hard_sigmoid",
        "hard_silu", "hard_swish", "hard_tanh", "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax",
        "max_pool", "moments", "multi_hot", "normalize", "one_hot", "polar", "psnr", "relu", "relu6",
        "rms_normalization", "selu", "separable_conv", "sigmoid", "silu", "soft_shrink", "softmax", "softplus",
        "softsign", "space_to_depth", "sparse_categorical_crossentropy", "sparse_plus", "sparse_sigmoid", "sparsemax",
        "squareplus", "swish", "tanh_shrink", "threshold", "unfold",
    ],
}


@pytest.mark.parametrize("family", sorted(SUPPORTED_OPS))
def test_ops_family_is_pinned_and_flat_in_keras_ops(family):
    module = getattr(kerascompat.ops, family)
    assert sorted(module.__all__) == sorted(SUPPORTED_OPS[family])
    assert family in kerascompat.ops.__all__
    if family == "image":
        return  # keras.ops.image.* only, as in Keras
    for name in SUPPORTED_OPS[family]:
        assert getattr(kerascompat.ops, name) is getattr(module, name), name
        assert name in kerascompat.ops.__all__, name


@pytest.mark.parametrize("family", sorted(SUPPORTED_OPS))
def test_every_op_has_a_parity_case(family):
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "parity"))
    try:
        table = __import__(f"ops_cases_{family}")
    finally:
        sys.path.pop(0)
    covered = {case.fn.split(".")[-1] for case in table.CASES}
    not_implemented = set(getattr(table, "NOT_IMPLEMENTED", ()))
    assert not set(SUPPORTED_OPS[family]) - covered - not_implemented


KERAS_NAMESPACES = {
    "random": ["SeedGenerator", "beta", "binomial", "categorical", "dropout", "gamma", "normal", "randint", "shuffle",
               "truncated_normal", "uniform"],
    "config": [
        "backend", "disable_flash_attention", "disable_interactive_logging", "disable_traceback_filtering",
        "dtype_policy", "enable_flash_attention", "enable_interactive_logging", "enable_traceback_filtering",
        "enable_unsafe_deserialization", "epsilon", "floatx", "image_data_format", "is_flash_attention_enabled",
        "is_interactive_logging_enabled", "is_nnx_enabled", "is_traceback_filtering_enabled", "max_epochs",
        "max_steps_per_epoch", "set_backend", "set_dtype_policy", "set_epsilon", "set_floatx",
        "set_image_data_format", "set_max_epochs", "set_max_steps_per_epoch",
    ],
    "tree": ["MAP_TO_NONE", "assert_same_paths", "assert_same_structure", "flatten", "flatten_with_path", "is_nested",
             "lists_to_tuples", "map_shape_structure", "map_structure", "map_structure_up_to", "pack_sequence_as",
             "traverse"],
}


@pytest.mark.parametrize("namespace", sorted(KERAS_NAMESPACES))
def test_keras_namespace_is_pinned(namespace):
    module = getattr(kerascompat, namespace)
    assert sorted(module.__all__) == sorted(KERAS_NAMESPACES[namespace])
    for name in module.__all__:
        assert hasattr(module, name), name
    assert getattr(kerascompat.keras, namespace) is module
