"""The parity case table: every supported layer and argument, checked against tf.keras.

One declarative list, `CASES`. A layer case names a Keras layer class and its kwargs;
a model case gives `build(K)`, a function that builds the same model from either
`tf.keras` or `kerascompat` (proof that only the import changes). A known difference
is an `xfail` with its reason (also listed in KNOWN_DIFFERENCES.md), never a deleted case.
"""

from case import Both, Case
from kerascompat.ops.padding import conv_transpose_consistent

# Conv2DTranspose arguments whose output_padding TensorFlow rejects for the input shape
# (checked in test_rejections.py: kerascompat must reject them too).
INCONSISTENT_TRANSPOSE = []

ACTIVATIONS = [
    "relu", "leaky_relu", "relu6", "softmax", "log_softmax", "elu", "selu", "celu", "softplus",
    "softsign", "soft_shrink", "hard_shrink", "sparse_plus", "sparse_sigmoid", "silu", "swish",
    "squareplus", "gelu", "glu", "tanh", "tanh_shrink", "hard_tanh", "sigmoid", "log_sigmoid",
    "hard_sigmoid", "hard_silu", "hard_swish", "exponential", "mish", "sparsemax", "linear",
]

CASES = []

# ----------------------------------------------------------------------------- Activation
for name in ACTIVATIONS:
    CASES.append(Case(f"activation-{name}", "Activation", {"activation": name}, (4, 6), input_scale=2.0))
CASES.append(Case("activation-softmax-3d", "Activation", {"activation": "softmax"}, (2, 3, 5)))
CASES.append(Case("activation-none", "Activation", {"activation": None}, (3, 4)))

# ---------------------------------------------------------------------------------- Dense
CASES += [
    Case("dense-basic", "Dense", {"units": 5}, (4, 3)),
    Case("dense-units-1", "Dense", {"units": 1}, (4, 7)),
    Case("dense-no-bias", "Dense", {"units": 4, "use_bias": False}, (3, 6)),
    Case("dense-3d-input", "Dense", {"units": 4}, (2, 5, 3)),
    Case("dense-4d-input", "Dense", {"units": 2, "activation": "tanh"}, (2, 3, 4, 5)),
    Case("dense-kernel-l2", "Dense", {"units": 4, "kernel_regularizer": "l2"}, (3, 5)),
    Case("dense-kernel-l1", "Dense", {"units": 4, "kernel_regularizer": "l1"}, (3, 5)),
    Case("dense-l1l2-objects", "Dense", {
        "units": 4,
        "kernel_regularizer": Both(lambda K: K.regularizers.L1L2(l1=0.01, l2=0.02)),
        "bias_regularizer": Both(lambda K: K.regularizers.L2(0.05)),
    }, (3, 5)),
    Case("dense-orthogonal-regularizer-rows", "Dense", {
        "units": 6, "kernel_regularizer": Both(lambda K: K.regularizers.OrthogonalRegularizer(0.1, "rows"))}, (3, 4)),
    Case("dense-orthogonal-regularizer-columns", "Dense", {
        "units": 3, "kernel_regularizer": Both(lambda K: K.regularizers.OrthogonalRegularizer(0.1, "columns"))}, (3, 5)),
    Case("dense-activity-regularizer", "Dense", {"units": 4, "activity_regularizer": "l2"}, (6, 5)),
    Case("dense-activity-l1-3d", "Dense", {"units": 3, "activity_regularizer":
                                           Both(lambda K: K.regularizers.L1(0.03))}, (2, 4, 5)),
    Case("dense-max-norm", "Dense", {"units": 4, "kernel_constraint": Both(lambda K: K.constraints.MaxNorm(0.5))}, (3, 5)),
    Case("dense-non-neg", "Dense", {"units": 4, "kernel_constraint": "non_neg", "bias_constraint": "non_neg"}, (3, 5)),
    Case("dense-unit-norm-axis1", "Dense", {"units": 4, "kernel_constraint": Both(lambda K: K.constraints.UnitNorm(axis=1))}, (3, 5)),
    Case("dense-min-max-norm", "Dense", {"units": 4, "kernel_constraint":
                                         Both(lambda K: K.constraints.MinMaxNorm(0.2, 0.6, rate=0.5))}, (3, 5)),
]
for act in ["relu", "sigmoid", "softmax", "gelu", "selu", "swish", "elu", "linear"]:
    CASES.append(Case(f"dense-activation-{act}", "Dense", {"units": 6, "activation": act}, (4, 5)))

# ------------------------------------------------------------------ shape-changing layers
CASES += [
    Case("flatten-2d", "Flatten", {}, (3, 4)),
    Case("flatten-3d", "Flatten", {}, (3, 4, 5)),
    Case("flatten-4d", "Flatten", {}, (2, 3, 4, 5)),
    Case("flatten-channels-first", "Flatten", {"data_format": "channels_first"}, (2, 3, 4, 5)),
    Case("flatten-channels-first-3d", "Flatten", {"data_format": "channels_first"}, (2, 3, 4)),
    Case("reshape-basic", "Reshape", {"target_shape": (3, 4)}, (2, 12)),
    Case("reshape-minus-one", "Reshape", {"target_shape": (-1, 2)}, (2, 3, 4)),
    Case("reshape-to-4d", "Reshape", {"target_shape": (2, 2, 3)}, (2, 4, 3)),
    Case("permute-2-1", "Permute", {"dims": (2, 1)}, (2, 3, 4)),
    Case("permute-3-1-2", "Permute", {"dims": (3, 1, 2)}, (2, 3, 4, 5)),
    Case("dropout-inference", "Dropout", {"rate": 0.5}, (4, 6)),
    Case("dropout-noise-shape-inference", "Dropout", {"rate": 0.3, "noise_shape": (None, 1, 5), "seed": 1}, (2, 3, 5)),
    Case("identity", "Identity", {}, (2, 3)),
    Case("lambda-scale", "Lambda", {"function": lambda x: x * 2.0 + 1.0}, (2, 3)),
]


# ------------------------------------------------------------------------- whole models
def mlp_sequential(K):
    return K.Sequential([
        K.layers.Dense(16, activation="relu", input_shape=(8,)),
        K.layers.Dropout(0.2),
        K.layers.Dense(8, activation="tanh"),
        K.layers.Dense(3, activation="softmax"),
    ])


def mlp_sequential_input(K):
    return K.Sequential([
        K.Input(shape=(6,)),
        K.layers.Dense(10, activation="gelu", kernel_regularizer="l2"),
        K.layers.Dense(4),
    ])


def functional_two_in_two_out_shared(K):
    a = K.Input(shape=(5,), name="a")
    b = K.Input(shape=(5,), name="b")
    shared = K.layers.Dense(4, activation="relu", name="shared")
    ha, hb = shared(a), shared(b)  # one layer, two calls: shared weights
    out1 = K.layers.Dense(2, name="head1")(ha)
    out2 = K.layers.Dense(3, activation="sigmoid", name="head2")(hb)
    return K.Model([a, b], [out1, out2])


def functional_dict_io(K):
    x = K.Input(shape=(4, 3), name="seq")
    h = K.layers.Dense(5, activation="elu")(x)
    flat = K.layers.Flatten()(h)
    return K.Model({"seq": x}, {"logits": K.layers.Dense(2)(flat), "features": flat})


def nested_models(K):
    inner = K.Sequential([K.layers.Dense(6, activation="relu", input_shape=(4,)), K.layers.Dense(4)], name="inner")
    x = K.Input(shape=(4,))
    y = inner(x)
    y = inner(y)  # the nested model used twice
    z = K.layers.Dense(2, activation="softmax")(y)
    return K.Model(x, z)


def reshape_permute_stack(K):
    x = K.Input(shape=(12,))
    h = K.layers.Reshape((3, 4))(x)
    h = K.layers.Permute((2, 1))(h)
    h = K.layers.Dense(5, activation="swish")(h)
    h = K.layers.Flatten()(h)
    return K.Model(x, K.layers.Dense(3)(h))


CASES += [
    Case("model-mlp-sequential", build=mlp_sequential, input_shapes=(5, 8)),
    Case("model-mlp-sequential-input-regularized", build=mlp_sequential_input, input_shapes=(5, 6)),
    Case("model-functional-shared-two-in-two-out", build=functional_two_in_two_out_shared,
         input_shapes=[(4, 5), (4, 5)]),
    Case("model-functional-dict-io", build=functional_dict_io, input_shapes=(3, 4, 3)),
    Case("model-nested-model-called-twice", build=nested_models, input_shapes=(3, 4)),
    Case("model-reshape-permute-stack", build=reshape_permute_stack, input_shapes=(2, 12)),
]


# ------------------------------------------------------------------------- merging layers
ELEMENTWISE = ["Add", "Multiply", "Average", "Maximum", "Minimum"]
MERGE_SHAPES = {
    "2in-rank2": [(3, 4), (3, 4)],
    "3in-rank3": [(2, 3, 4)] * 3,
    "5in-rank4": [(2, 3, 2, 4)] * 5,
    "2in-rank5": [(2, 2, 3, 2, 3)] * 2,
    "broadcast-size1": [(2, 3, 4), (2, 1, 4)],
    "broadcast-size1-both": [(2, 3, 1), (2, 1, 4)],
    "broadcast-missing-axis": [(2, 3, 4), (2, 4)],
    "broadcast-missing-two-axes-3in": [(2, 2, 3, 4), (2, 4), (2, 3, 4)],
}
for layer in ELEMENTWISE:
    for tag, shapes in MERGE_SHAPES.items():
        CASES.append(Case(f"{layer.lower()}-{tag}", layer, {}, shapes))
for tag in ("2in-rank2", "2in-rank5", "broadcast-size1", "broadcast-missing-axis"):
    shapes = MERGE_SHAPES[tag][:2]
    CASES.append(Case(f"subtract-{tag}", "Subtract", {}, shapes))

CASES += [
    Case("concatenate-last-2in", "Concatenate", {}, [(3, 4), (3, 5)]),
    Case("concatenate-axis1-3in", "Concatenate", {"axis": 1}, [(2, 3, 4), (2, 1, 4), (2, 2, 4)]),
    Case("concatenate-axis2-5in-rank4", "Concatenate", {"axis": 2}, [(2, 3, k, 2) for k in (1, 2, 3, 1, 2)]),
    Case("concatenate-negative-axis-rank5", "Concatenate", {"axis": -2}, [(2, 2, 2, 3, 2), (2, 2, 2, 1, 2)]),
    Case("concatenate-axis-minus3", "Concatenate", {"axis": -3}, [(2, 3, 4, 5), (2, 1, 4, 5)]),
    Case("dot-rank2-axis1", "Dot", {"axes": 1}, [(4, 5), (4, 5)]),
    Case("dot-rank2-axis-minus1-normalize", "Dot", {"axes": -1, "normalize": True}, [(4, 5), (4, 5)]),
    Case("dot-rank3-pair-1-2", "Dot", {"axes": (1, 2)}, [(2, 3, 5), (2, 4, 3)]),
    Case("dot-rank3-pair-2-2", "Dot", {"axes": (2, 2)}, [(2, 3, 5), (2, 4, 5)]),
    Case("dot-rank3-negative-pair", "Dot", {"axes": [-1, -2]}, [(2, 3, 5), (2, 5, 4)]),
    Case("dot-rank3-normalize", "Dot", {"axes": (2, 1), "normalize": True}, [(2, 3, 5), (2, 5, 4)]),
    Case("dot-rank4-rank3", "Dot", {"axes": (3, 1)}, [(2, 2, 3, 4), (2, 4, 5)]),
    Case("dot-rank2-rank3", "Dot", {"axes": (1, 2)}, [(2, 4), (2, 3, 4)]),
    Case("dot-rank5-rank2", "Dot", {"axes": (2, 1)}, [(2, 2, 3, 2, 2), (2, 3)]),
]


def residual_block(K):
    x = K.Input(shape=(10,))
    h = K.layers.Dense(16, activation="relu")(x)
    h = K.layers.Dense(10)(h)
    y = K.layers.Add()([x, h])
    y = K.layers.Activation("relu")(y)
    skip = K.layers.Dense(10, activation="tanh")(y)
    y = K.layers.add([y, skip])
    return K.Model(x, K.layers.Dense(3, activation="softmax")(y))


def dot_attention(K):
    q = K.Input(shape=(6, 8), name="query")
    v = K.Input(shape=(7, 8), name="value")
    qp = K.layers.Dense(8, use_bias=False)(q)
    scores = K.layers.Dot(axes=(2, 2))([qp, v])          # (B, 6, 7)
    weights = K.layers.Activation("softmax")(scores)
    context = K.layers.Dot(axes=(2, 1))([weights, v])    # (B, 6, 8)
    merged = K.layers.Concatenate()([context, q])
    out = K.layers.Dense(4)(merged)
    cos = K.layers.dot([K.layers.Flatten()(q), K.layers.Flatten()(context)], axes=1, normalize=True)
    return K.Model([q, v], [out, cos])


def all_merge_forms(K):
    a, b, c = K.Input(shape=(4,)), K.Input(shape=(4,)), K.Input(shape=(3, 4))
    parts = [
        K.layers.subtract([a, b]), K.layers.multiply([a, b, a]), K.layers.average([a, b]),
        K.layers.maximum([a, b]), K.layers.minimum([a, b]),
    ]
    s = K.layers.concatenate(parts)
    bc = K.layers.add([c, a])  # missing-axis broadcast inside a model
    return K.Model([a, b, c], [K.layers.Dense(2)(s), K.layers.Flatten()(bc)])


CASES += [
    Case("model-residual-block-add", build=residual_block, input_shapes=(4, 10)),
    Case("model-dot-attention", build=dot_attention, input_shapes=[(2, 6, 8), (2, 7, 8)]),
    Case("model-functional-merge-forms", build=all_merge_forms, input_shapes=[(3, 4), (3, 4), (3, 3, 4)]),
]


# ------------------------------------------------------------------------- convolutions
def _conv_case(layer, kwargs, shape, **extra):
    parts = [layer.lower()] + [f"{k}={v}" for k, v in kwargs.items() if k != "filters"] + ["x".join(map(str, shape[1:]))]
    cf = kwargs.get("data_format") == "channels_first"
    return Case("-".join(parts).replace(" ", ""), layer, kwargs, shape, tf_channels_last=cf, **extra)


for size in (7, 8):                       # odd and even inputs
    for k in range(1, 6):                 # kernel 1-5
        for s in (1, 2, 3):               # stride 1-3
            for padding in ("valid", "same"):
                if padding == "valid" and size < k:
                    continue
                CASES.append(_conv_case("Conv2D", {"filters": 3, "kernel_size": (k, 6 - k), "strides": (s, 4 - s),
                                                    "padding": padding}, (2, size, size - 1, 2)))
for d in (2, 3):
    for padding in ("valid", "same"):
        CASES.append(_conv_case("Conv2D", {"filters": 3, "kernel_size": 3, "dilation_rate": (d, 1), "padding": padding},
                                (2, 9, 8, 2)))
        CASES.append(_conv_case("Conv1D", {"filters": 3, "kernel_size": 2, "dilation_rate": d, "padding": padding},
                                (2, 11, 2)))
for groups in (2, 4):
    CASES.append(_conv_case("Conv2D", {"filters": 8, "kernel_size": 3, "groups": groups, "padding": "same"}, (2, 6, 5, 4)))
    CASES.append(_conv_case("Conv1D", {"filters": 4, "kernel_size": 3, "groups": groups, "strides": 2}, (2, 9, 8)))
    CASES.append(_conv_case("Conv3D", {"filters": 4, "kernel_size": 2, "groups": groups}, (1, 4, 3, 4, 4)))
for size in (9, 10):
    for k in (1, 2, 3, 4, 5):
        for s in (1, 2, 3):
            for padding in ("valid", "same", "causal"):
                CASES.append(_conv_case("Conv1D", {"filters": 3, "kernel_size": k, "strides": s, "padding": padding},
                                        (2, size, 3)))
for d in (1, 2, 4):
    CASES.append(_conv_case("Conv1D", {"filters": 2, "kernel_size": 3, "dilation_rate": d, "padding": "causal"},
                            (2, 12, 3)))
for size in ((5, 4, 6), (4, 5, 3)):
    for k in (1, 2, 3):
        for s in (1, 2):
            for padding in ("valid", "same"):
                CASES.append(_conv_case("Conv3D", {"filters": 2, "kernel_size": k, "strides": s, "padding": padding},
                                        (1, *size, 2)))
CASES.append(_conv_case("Conv3D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same"}, (1, 5, 5, 5, 2)))
for layer, shape in (("Conv1D", (2, 3, 9)), ("Conv2D", (2, 3, 7, 6)), ("Conv3D", (1, 2, 5, 4, 3))):
    for padding, s in (("same", 2), ("valid", 1), ("same", 1)):
        CASES.append(_conv_case(layer, {"filters": 4, "kernel_size": 2, "strides": s, "padding": padding,
                                        "data_format": "channels_first"}, shape))
CASES.append(_conv_case("Conv2D", {"filters": 4, "kernel_size": 3, "groups": 2, "data_format": "channels_first"},
                        (2, 4, 6, 5)))
# Other arguments.
CASES += [
    _conv_case("Conv2D", {"filters": 4, "kernel_size": 3, "use_bias": False, "activation": "relu"}, (2, 6, 6, 3)),
    _conv_case("Conv2D", {"filters": 4, "kernel_size": 2, "activation": "tanh",
                          "kernel_regularizer": "l2", "bias_regularizer": "l1", "activity_regularizer": "l2"},
               (2, 5, 5, 2)),
    _conv_case("Conv2D", {"filters": 4, "kernel_size": 2, "kernel_constraint": Both(lambda K: K.constraints.MaxNorm(0.3, axis=[0, 1, 2])),
                          "bias_constraint": "non_neg"}, (2, 5, 5, 2)),
    _conv_case("Conv1D", {"filters": 4, "kernel_size": 3, "kernel_constraint": "unit_norm", "padding": "causal"}, (2, 6, 2)),
    _conv_case("Convolution2D", {"filters": 2, "kernel_size": 3}, (1, 5, 5, 1)),
]

# Transposed convolutions: output size from Keras's formula, with and without output_padding.
for size in (4, 5):
    for k in range(1, 6):
        for s in (1, 2, 3):
            for padding in ("valid", "same"):
                for op in sorted({None, s - 1}, key=lambda v: -1 if v is None else v):
                    kwargs = {"filters": 3, "kernel_size": k, "strides": s, "padding": padding}
                    if op is not None:
                        if not conv_transpose_consistent(size, k, s, padding, op):
                            INCONSISTENT_TRANSPOSE.append((kwargs | {"output_padding": op}, (2, size, size + 1, 2)))
                            continue
                        kwargs["output_padding"] = op
                    CASES.append(_conv_case("Conv2DTranspose", kwargs, (2, size, size + 1, 2)))
for size in (5, 6):
    for k in (1, 2, 3, 4):
        for s in (1, 2, 3):
            for padding in ("valid", "same"):
                CASES.append(_conv_case("Conv1DTranspose", {"filters": 2, "kernel_size": k, "strides": s,
                                                             "padding": padding}, (2, size, 3)))
CASES.append(_conv_case("Conv1DTranspose", {"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same",
                                             "output_padding": 2}, (2, 5, 3)))
for k in (2, 3):
    for s in (1, 2):
        for padding in ("valid", "same"):
            CASES.append(_conv_case("Conv3DTranspose", {"filters": 2, "kernel_size": k, "strides": s, "padding": padding},
                                    (1, 3, 4, 2, 2)))
CASES.append(_conv_case("Conv3DTranspose", {"filters": 2, "kernel_size": (2, 3, 4), "strides": (2, 1, 3),
                                             "padding": "same", "output_padding": (1, 0, 2)}, (1, 3, 3, 2, 2)))
CASES.append(_conv_case("Conv2DTranspose", {"filters": 2, "kernel_size": (3, 4), "strides": (2, 3), "padding": "valid",
                                             "output_padding": (1, 2), "activation": "relu", "use_bias": False},
                        (2, 3, 4, 3)))
for layer, shape in (("Conv1DTranspose", (2, 3, 5)), ("Conv2DTranspose", (2, 3, 4, 5)), ("Conv3DTranspose", (1, 2, 3, 3, 2))):
    CASES.append(_conv_case(layer, {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same",
                                    "data_format": "channels_first"}, shape))

# ---------------------------------------------------- up-sampling, zero padding, cropping
CASES += [
    Case("upsampling1d-2", "UpSampling1D", {}, (2, 4, 3)),
    Case("upsampling1d-3", "UpSampling1D", {"size": 3}, (2, 3, 2)),
    Case("upsampling2d-nearest", "UpSampling2D", {}, (2, 3, 4, 2)),
    Case("upsampling2d-nearest-2x3", "UpSampling2D", {"size": (2, 3)}, (2, 3, 4, 2)),
    Case("upsampling2d-bilinear", "UpSampling2D", {"size": (2, 3), "interpolation": "bilinear"}, (2, 3, 4, 2)),
    Case("upsampling2d-bilinear-4", "UpSampling2D", {"size": 4, "interpolation": "bilinear"}, (1, 5, 3, 3)),
    Case("upsampling2d-channels-first", "UpSampling2D", {"size": (3, 2), "data_format": "channels_first"}, (2, 2, 3, 4)),
    Case("upsampling2d-bilinear-channels-first", "UpSampling2D", {"size": 2, "interpolation": "bilinear",
                                                                  "data_format": "channels_first"}, (2, 2, 3, 4)),
    Case("upsampling3d", "UpSampling3D", {}, (1, 2, 3, 2, 2)),
    Case("upsampling3d-1-2-3", "UpSampling3D", {"size": (1, 2, 3)}, (1, 2, 3, 2, 2)),
    Case("upsampling3d-channels-first", "UpSampling3D", {"size": 2, "data_format": "channels_first"}, (1, 2, 3, 2, 2)),
    Case("zeropadding1d-int", "ZeroPadding1D", {"padding": 2}, (2, 4, 3)),
    Case("zeropadding1d-pair", "ZeroPadding1D", {"padding": (1, 3)}, (2, 4, 3)),
    Case("zeropadding1d-channels-first", "ZeroPadding1D", {"padding": (1, 2), "data_format": "channels_first"}, (2, 3, 4)),
    Case("zeropadding2d-default", "ZeroPadding2D", {}, (2, 3, 4, 2)),
    Case("zeropadding2d-int", "ZeroPadding2D", {"padding": 2}, (2, 3, 4, 2)),
    Case("zeropadding2d-two-ints", "ZeroPadding2D", {"padding": (1, 2)}, (2, 3, 4, 2)),
    Case("zeropadding2d-pairs", "ZeroPadding2D", {"padding": ((1, 2), (0, 3))}, (2, 3, 4, 2)),
    Case("zeropadding2d-channels-first", "ZeroPadding2D", {"padding": ((1, 0), (2, 1)), "data_format": "channels_first"},
         (2, 2, 3, 4)),
    Case("zeropadding3d-default", "ZeroPadding3D", {}, (1, 2, 3, 2, 2)),
    Case("zeropadding3d-three-ints", "ZeroPadding3D", {"padding": (1, 0, 2)}, (1, 2, 3, 2, 2)),
    Case("zeropadding3d-pairs-channels-first", "ZeroPadding3D", {"padding": ((0, 1), (2, 0), (1, 1)),
                                                                 "data_format": "channels_first"}, (1, 2, 3, 2, 2)),
    Case("cropping1d-default", "Cropping1D", {}, (2, 5, 3)),
    Case("cropping1d-pair", "Cropping1D", {"cropping": (0, 2)}, (2, 5, 3)),
    Case("cropping1d-int", "Cropping1D", {"cropping": 2}, (2, 6, 3)),
    Case("cropping2d-int", "Cropping2D", {"cropping": 1}, (2, 5, 6, 2)),
    Case("cropping2d-two-ints", "Cropping2D", {"cropping": (1, 2)}, (2, 5, 6, 2)),
    Case("cropping2d-pairs", "Cropping2D", {"cropping": ((0, 2), (1, 0))}, (2, 5, 6, 2)),
    Case("cropping2d-channels-first", "Cropping2D", {"cropping": ((1, 1), (0, 2)), "data_format": "channels_first"},
         (2, 2, 5, 6)),
    Case("cropping3d-default", "Cropping3D", {}, (1, 4, 5, 3, 2)),
    Case("cropping3d-pairs", "Cropping3D", {"cropping": ((1, 0), (0, 2), (1, 1))}, (1, 4, 5, 3, 2)),
    Case("cropping3d-channels-first", "Cropping3D", {"cropping": (1, 0, 1), "data_format": "channels_first"},
         (1, 2, 4, 5, 3)),
    Case("repeatvector", "RepeatVector", {"n": 3}, (2, 4)),
]


# ------------------------------------------------------------------------------ pooling
def _pool_case(layer, kwargs, shape):
    parts = [layer.lower()] + [f"{k}={v}" for k, v in kwargs.items()] + ["x".join(map(str, shape[1:]))]
    cf = kwargs.get("data_format") == "channels_first"
    return Case("-".join(parts).replace(" ", ""), layer, kwargs, shape, tf_channels_last=cf)


for layer in ("MaxPooling2D", "AveragePooling2D"):
    for size in ((7, 6), (8, 9)):                         # odd and even inputs
        for p in (1, 2, 3, 4):                            # pool sizes 1-4
            for s in (None, 1, 2, 3):                     # strides None (= pool size), 1-3
                for padding in ("valid", "same"):
                    if padding == "valid" and min(size) < p:
                        continue
                    CASES.append(_pool_case(layer, {"pool_size": (p, 5 - p), "strides": s if s is None else (s, 4 - s),
                                                    "padding": padding}, (2, *size, 3)))
    CASES.append(_pool_case(layer, {"pool_size": 5, "padding": "same"}, (2, 3, 4, 2)))       # window > input
    CASES.append(_pool_case(layer, {"pool_size": 2, "strides": 3, "padding": "same"}, (2, 8, 7, 2)))  # stride > window
    CASES.append(_pool_case(layer, {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
                            (2, 3, 8, 7)))
for layer in ("MaxPooling1D", "AveragePooling1D"):
    for size in (9, 10):
        for p in (1, 2, 3, 4):
            for s in (None, 1, 2, 3):
                for padding in ("valid", "same"):
                    CASES.append(_pool_case(layer, {"pool_size": p, "strides": s, "padding": padding}, (2, size, 3)))
    CASES.append(_pool_case(layer, {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
                            (2, 3, 10)))
    CASES.append(_pool_case(layer, {"pool_size": 6, "padding": "same"}, (2, 4, 2)))
for layer in ("MaxPooling3D", "AveragePooling3D"):
    for size in ((5, 4, 6), (4, 5, 3)):
        for p in (1, 2, 3):
            for s in (None, 1, 2):
                for padding in ("valid", "same"):
                    CASES.append(_pool_case(layer, {"pool_size": p, "strides": s, "padding": padding}, (1, *size, 2)))
    CASES.append(_pool_case(layer, {"pool_size": (2, 3, 1), "strides": (1, 2, 3), "padding": "same"}, (1, 5, 6, 4, 2)))
    CASES.append(_pool_case(layer, {"pool_size": 2, "padding": "same", "data_format": "channels_first"}, (1, 2, 5, 4, 3)))
CASES += [_pool_case(alias, {"pool_size": 2}, shape) for alias, shape in (
    ("MaxPool1D", (2, 6, 2)), ("MaxPool2D", (2, 4, 4, 2)), ("MaxPool3D", (1, 4, 4, 4, 2)),
    ("AvgPool1D", (2, 6, 2)), ("AvgPool2D", (2, 4, 4, 2)), ("AvgPool3D", (1, 4, 4, 4, 2)))]
for rank, shape in ((1, (2, 7, 3)), (2, (2, 5, 6, 3)), (3, (2, 3, 4, 5, 3))):
    for kind in ("GlobalAveragePooling", "GlobalMaxPooling"):
        for keepdims in (False, True):
            CASES.append(Case(f"{kind.lower()}{rank}d-keepdims={keepdims}", f"{kind}{rank}D", {"keepdims": keepdims}, shape))
        CASES.append(Case(f"{kind.lower()}{rank}d-channels-first", f"{kind}{rank}D",
                          {"data_format": "channels_first", "keepdims": True}, shape))
    for alias in ("GlobalAvgPool", "GlobalMaxPool"):
        CASES.append(Case(f"{alias.lower()}{rank}d", f"{alias}{rank}D", {}, shape))


def timeseries_classifier(K):
    """keras.io style: Conv1D -> MaxPooling1D -> GlobalAveragePooling1D -> Dense."""
    x = K.Input(shape=(40, 3))
    h = K.layers.Conv1D(8, 5, padding="same", activation="relu")(x)
    h = K.layers.MaxPooling1D(2)(h)
    h = K.layers.Conv1D(8, 3, padding="same", activation="relu")(h)
    h = K.layers.AveragePooling1D(3, strides=2, padding="same")(h)
    h = K.layers.GlobalAveragePooling1D()(h)
    return K.Model(x, K.layers.Dense(4, activation="softmax")(h))


def volume_classifier(K):
    x = K.Input(shape=(8, 8, 8, 2))
    h = K.layers.Conv3D(4, 3, padding="same", activation="relu")(x)
    h = K.layers.MaxPooling3D(2)(h)
    h = K.layers.Conv3D(4, 3, padding="same", activation="relu")(h)
    h = K.layers.GlobalAveragePooling3D()(h)
    return K.Model(x, K.layers.Dense(3)(h))


def mnist_convnet(K):
    """The keras.io MNIST convnet: Flatten after channels_last convs feeds Dense in Keras's order."""
    return K.Sequential([
        K.Input(shape=(12, 12, 1)),
        K.layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        K.layers.MaxPooling2D(pool_size=(2, 2)),
        K.layers.Conv2D(8, kernel_size=(3, 3), activation="relu"),
        K.layers.MaxPooling2D(pool_size=(2, 2)),
        K.layers.Flatten(),
        K.layers.Dropout(0.5),
        K.layers.Dense(10, activation="softmax"),
    ])


def conv_autoencoder(K):
    x = K.Input(shape=(8, 8, 2))
    h = K.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(x)
    h = K.layers.Conv2D(6, 3, strides=2, padding="same", activation="relu")(h)
    h = K.layers.Conv2DTranspose(4, 3, strides=2, padding="same", activation="relu")(h)
    h = K.layers.UpSampling2D(2)(h)
    return K.Model(x, K.layers.Conv2D(2, 3, padding="same", activation="sigmoid")(h))


def small_unet(K):
    x = K.Input(shape=(8, 8, 2))
    c1 = K.layers.Conv2D(4, 3, padding="same", activation="relu")(x)
    p1 = K.layers.MaxPooling2D()(c1)
    c2 = K.layers.Conv2D(8, 3, padding="same", activation="relu")(p1)
    u1 = K.layers.Conv2DTranspose(4, 2, strides=2, padding="same")(c2)
    m1 = K.layers.Concatenate()([u1, c1])
    c3 = K.layers.Conv2D(4, 3, padding="same", activation="relu")(m1)
    u2 = K.layers.UpSampling2D(interpolation="bilinear")(K.layers.AveragePooling2D(3, strides=2, padding="same")(c3))
    m2 = K.layers.concatenate([u2, c3, x])
    return K.Model(x, K.layers.Conv2D(1, 1, activation="sigmoid")(m2))


CASES += [
    Case("model-timeseries-conv1d-pooling", build=timeseries_classifier, input_shapes=(3, 40, 3)),
    Case("model-conv3d-pooling", build=volume_classifier, input_shapes=(2, 8, 8, 8, 2)),
    Case("model-mnist-convnet-flatten-order", build=mnist_convnet, input_shapes=(3, 12, 12, 1)),
    Case("model-conv-autoencoder", build=conv_autoencoder, input_shapes=(2, 8, 8, 2)),
    Case("model-small-unet-concatenate", build=small_unet, input_shapes=(2, 8, 8, 2)),
]


# ---------------------------------------------------------------------------- recurrent
RNN_LAYERS = ("SimpleRNN", "GRU", "LSTM")
N_STATES = {"SimpleRNN": 1, "GRU": 1, "LSTM": 2}
RIGHT_PADDED = [[True] * 5 + [False] * 2, [True] * 7, [True] * 2 + [False] * 5]
HOLES = [[True, False, True, True, False, True, True], [False, True, True, False, True, False, True],
         [True] * 7]
SIMPLE_RNN_ACTIVITY = ("tf.keras 3.15's SimpleRNN accepts activity_regularizer but never passes it to its base "
                       "layer, so TensorFlow ignores it; kerascompat applies it as documented (and as LSTM/GRU do)")
LONG_SEQUENCE = "100 steps of float32 recurrence: rounding differences grow with sequence length"

for layer in RNN_LAYERS:
    for rs in (False, True):
        for rst in (False, True):
            for gb in (False, True):
                CASES.append(Case(f"{layer.lower()}-seq={rs}-state={rst}-backwards={gb}", layer,
                                  {"units": 4, "return_sequences": rs, "return_state": rst, "go_backwards": gb},
                                  (3, 6, 5)))
    for steps in (1, 2, 20):
        CASES.append(Case(f"{layer.lower()}-T={steps}", layer, {"units": 4, "return_sequences": True},
                          (3, steps, 5)))
    CASES.append(Case(f"{layer.lower()}-T=100", layer, {"units": 8, "return_sequences": True}, (2, 100, 4),
                      rtol=1e-4, atol=1e-4, tol_reason=LONG_SEQUENCE))
    CASES.append(Case(f"{layer.lower()}-no-bias", layer, {"units": 4, "use_bias": False}, (3, 6, 5)))
    CASES.append(Case(f"{layer.lower()}-initial-state", layer, {"units": 4, "return_sequences": True,
                                                                 "return_state": True},
                      (3, 6, 5), initial_state_shapes=[(3, 4)] * N_STATES[layer]))
    CASES.append(Case(f"{layer.lower()}-initial-state-backwards", layer, {"units": 4, "go_backwards": True},
                      (3, 6, 5), initial_state_shapes=[(3, 4)] * N_STATES[layer]))
    for tag, mask in (("right-padded", RIGHT_PADDED), ("holes", HOLES)):
        CASES.append(Case(f"{layer.lower()}-mask-{tag}-sequences", layer,
                          {"units": 4, "return_sequences": True, "return_state": True}, (3, 7, 5), mask=mask))
        CASES.append(Case(f"{layer.lower()}-mask-{tag}-backwards", layer, {"units": 4, "go_backwards": True},
                          (3, 7, 5), mask=mask))
    CASES.append(Case(f"{layer.lower()}-regularized-constrained", layer, {
        "units": 4, "kernel_regularizer": "l2", "recurrent_regularizer": Both(lambda K: K.regularizers.L1(0.02)),
        "bias_regularizer": "l2", "recurrent_constraint": Both(lambda K: K.constraints.MaxNorm(0.8)),
        "bias_constraint": "non_neg"}, (3, 5, 4)))
    CASES.append(Case(f"{layer.lower()}-activity-regularizer", layer, {"units": 4, "activity_regularizer": "l1"},
                      (3, 5, 4), xfail=SIMPLE_RNN_ACTIVITY if layer == "SimpleRNN" else None))
    CASES.append(Case(f"{layer.lower()}-dropout-inference", layer, {"units": 4, "dropout": 0.3,
                                                                     "recurrent_dropout": 0.2}, (3, 5, 4)))
    CASES.append(Case(f"{layer.lower()}-unroll", layer, {"units": 3, "unroll": True}, (2, 4, 3)))
CASES += [
    Case("simplernn-relu", "SimpleRNN", {"units": 4, "activation": "relu", "return_sequences": True}, (3, 6, 5)),
    Case("simplernn-sigmoid", "SimpleRNN", {"units": 4, "activation": "sigmoid"}, (3, 6, 5)),
    Case("lstm-custom-activations", "LSTM", {"units": 4, "activation": "relu", "recurrent_activation": "hard_sigmoid",
                                             "return_sequences": True}, (3, 6, 5)),
    Case("lstm-no-unit-forget-bias", "LSTM", {"units": 4, "unit_forget_bias": False}, (3, 6, 5)),
    Case("gru-custom-activations", "GRU", {"units": 4, "activation": "softsign", "recurrent_activation": "hard_sigmoid",
                                           "return_sequences": True}, (3, 6, 5)),
]
for rs in (False, True):
    for rst in (False, True):
        for gb in (False, True):
            CASES.append(Case(f"gru-reset-before-seq={rs}-state={rst}-backwards={gb}", "GRU",
                              {"units": 4, "reset_after": False, "return_sequences": rs, "return_state": rst,
                               "go_backwards": gb}, (3, 6, 5)))
CASES += [
    Case("gru-reset-before-mask", "GRU", {"units": 4, "reset_after": False, "return_sequences": True}, (3, 7, 5),
         mask=HOLES),
    Case("gru-reset-before-initial-state", "GRU", {"units": 4, "reset_after": False}, (3, 6, 5),
         initial_state_shapes=[(3, 4)]),
    Case("gru-reset-before-no-bias", "GRU", {"units": 4, "reset_after": False, "use_bias": False}, (3, 6, 5)),
]


def _minimal_cell(K):
    """A user cell written to Keras's protocol; the matmul is the framework's own."""
    import importlib

    matmul = importlib.import_module("torch").matmul if K.__name__ == "kerascompat" else K.ops.matmul

    class MinimalRNNCell(K.layers.Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                          name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="orthogonal",
                                                    name="recurrent_kernel")

        def call(self, inputs, states):
            output = matmul(inputs, self.kernel) + matmul(states[0], self.recurrent_kernel)
            return output, [output]

    return MinimalRNNCell(4)


for cell_name, make in (
    ("simplernncell", lambda K: K.layers.SimpleRNNCell(4)),
    ("lstmcell", lambda K: K.layers.LSTMCell(4)),
    ("grucell", lambda K: K.layers.GRUCell(4)),
    ("grucell-reset-before", lambda K: K.layers.GRUCell(4, reset_after=False)),
    ("lstmcell-custom-activations", lambda K: K.layers.LSTMCell(4, activation="relu", recurrent_activation="hard_sigmoid")),
    ("stacked-list", lambda K: [K.layers.GRUCell(3), K.layers.LSTMCell(4), K.layers.SimpleRNNCell(2)]),
    ("stackedrnncells", lambda K: K.layers.StackedRNNCells([K.layers.LSTMCell(3), K.layers.LSTMCell(4)])),
    ("user-cell", _minimal_cell),
):
    CASES.append(Case(f"rnn-{cell_name}", "RNN", {"cell": Both(make), "return_sequences": True}, (3, 6, 5)))
    CASES.append(Case(f"rnn-{cell_name}-state-backwards", "RNN",
                      {"cell": Both(make), "return_state": True, "go_backwards": True}, (3, 6, 5)))
CASES += [
    Case("rnn-lstmcell-mask", "RNN", {"cell": Both(lambda K: K.layers.LSTMCell(4)), "return_sequences": True},
         (3, 7, 5), mask=HOLES),
    Case("rnn-lstmcell-mask-zero-output", "RNN", {"cell": Both(lambda K: K.layers.LSTMCell(4)), "return_sequences": True,
                                                  "zero_output_for_mask": True}, (3, 7, 5), mask=HOLES),
    Case("rnn-lstmcell-initial-state", "RNN", {"cell": Both(lambda K: K.layers.LSTMCell(4))}, (3, 6, 5),
         initial_state_shapes=[(3, 4), (3, 4)]),
]

for merge_mode in ("concat", "sum", "mul", "ave", None):
    for rs in (False, True):
        CASES.append(Case(f"bidirectional-lstm-{merge_mode}-seq={rs}", "Bidirectional",
                          {"layer": Both(lambda K, rs=rs: K.layers.LSTM(4, return_sequences=rs)),
                           "merge_mode": merge_mode}, (3, 6, 5)))
CASES += [
    Case("bidirectional-gru-return-state", "Bidirectional",
         {"layer": Both(lambda K: K.layers.GRU(4, return_sequences=True, return_state=True))}, (3, 6, 5)),
    Case("bidirectional-lstm-return-state-sum", "Bidirectional",
         {"layer": Both(lambda K: K.layers.LSTM(3, return_state=True)), "merge_mode": "sum"}, (3, 6, 5)),
    Case("bidirectional-simplernn-backward-layer", "Bidirectional",
         {"layer": Both(lambda K: K.layers.SimpleRNN(4, return_sequences=True)),
          "backward_layer": Both(lambda K: K.layers.GRU(3, return_sequences=True, go_backwards=True)),
          "merge_mode": "concat"}, (3, 6, 5)),
    Case("bidirectional-lstm-mask", "Bidirectional",
         {"layer": Both(lambda K: K.layers.LSTM(4, return_sequences=True))}, (3, 7, 5), mask=RIGHT_PADDED),
    Case("bidirectional-lstm-initial-state", "Bidirectional", {"layer": Both(lambda K: K.layers.LSTM(4))}, (3, 6, 5),
         initial_state_shapes=[(3, 4)] * 4),
    Case("bidirectional-rnn-cell", "Bidirectional",
         {"layer": Both(lambda K: K.layers.RNN(K.layers.GRUCell(3), return_sequences=True))}, (3, 6, 5)),
]


def stacked_bidirectional_classifier(K):
    x = K.Input(shape=(12, 6))
    h = K.layers.Bidirectional(K.layers.LSTM(8, return_sequences=True))(x)
    h = K.layers.Bidirectional(K.layers.LSTM(4))(h)
    return K.Model(x, K.layers.Dense(3, activation="softmax")(h))


def lstm_encoder_decoder(K):
    enc_in = K.Input(shape=(7, 5))
    _, state_h, state_c = K.layers.LSTM(6, return_state=True)(enc_in)
    dec_in = K.Input(shape=(4, 3))
    dec = K.layers.LSTM(6, return_sequences=True)(dec_in, initial_state=[state_h, state_c])
    return K.Model([enc_in, dec_in], K.layers.Dense(3, activation="softmax")(dec))


def gru_reset_before_model(K):
    return K.Sequential([
        K.Input(shape=(9, 4)),
        K.layers.GRU(6, reset_after=False, return_sequences=True),
        K.layers.GRU(5, reset_after=False),
        K.layers.Dense(2),
    ])


def masked_lstm_model(K):
    x = K.Input(shape=(7, 3))
    h = K.layers.Masking(mask_value=0.0)(x)
    h = K.layers.LSTM(5, return_sequences=True)(h)
    h = K.layers.Dense(4, activation="tanh")(h)        # passes the mask on
    pooled = K.layers.GlobalAveragePooling1D()(h)     # averages unmasked steps only
    last = K.layers.GRU(3)(h)
    return K.Model(x, [pooled, last])


def masked_bidirectional_model(K):
    x = K.Input(shape=(7, 3))
    h = K.layers.Masking()(x)
    h = K.layers.Bidirectional(K.layers.GRU(4, return_sequences=True), merge_mode="sum")(h)
    return K.Model(x, K.layers.SimpleRNN(3)(h))


CASES += [
    Case("model-stacked-bidirectional-lstm", build=stacked_bidirectional_classifier, input_shapes=(3, 12, 6)),
    Case("model-lstm-encoder-decoder", build=lstm_encoder_decoder, input_shapes=[(3, 7, 5), (3, 4, 3)]),
    Case("model-gru-reset-after-false", build=gru_reset_before_model, input_shapes=(3, 9, 4)),
    Case("model-masking-lstm-pooling", build=masked_lstm_model, input_shapes=(3, 7, 3), padded_lengths=[7, 4, 2]),
    Case("model-masking-bidirectional", build=masked_bidirectional_model, input_shapes=(3, 7, 3),
         padded_lengths=[5, 7, 1]),
    Case("masking-layer", "Masking", {"mask_value": 0.0}, (3, 7, 3), padded_lengths=[7, 4, 2]),
]

# ------------------------------------------------------- branches of different depth
from cases_graph import GRAPH_CASES  # noqa: E402

CASES += GRAPH_CASES

# ------------------------------------------------------------------- normalization
from cases_normalization import NORMALIZATION_CASES  # noqa: E402

CASES += NORMALIZATION_CASES

from cases_embedding import EMBEDDING_CASES  # noqa: E402

CASES += EMBEDDING_CASES

from cases_activations import ACTIVATION_CASES  # noqa: E402

CASES += ACTIVATION_CASES

from cases_symbolic import SYMBOLIC_CASES  # noqa: E402

CASES += SYMBOLIC_CASES

from cases_preprocessing import PREPROCESSING_CASES  # noqa: E402

CASES += PREPROCESSING_CASES

from cases_corelayers import CORELAYER_CASES  # noqa: E402

CASES += CORELAYER_CASES
from cases_attention import ATTENTION_CASES  # noqa: E402

CASES += ATTENTION_CASES
from cases_convvariants import CONVVARIANT_CASES  # noqa: E402

CASES += CONVVARIANT_CASES
