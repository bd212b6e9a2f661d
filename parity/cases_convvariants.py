"""Depthwise and separable convolutions and ConvLSTM against tf.keras: every argument family,
both data formats, and whole models (a MobileNetV2-style inverted residual block, an
Xception-style separable block). Each case compares outputs, input gradients and one SGD step
(harness.py)."""

from case import Both, Case


def _case(layer, kwargs, shape, **extra):
    parts = [layer.lower()] + [f"{k}={v}" for k, v in kwargs.items() if not isinstance(v, Both)]
    parts += [k for k, v in kwargs.items() if isinstance(v, Both)] + ["x".join(map(str, shape[1:]))]
    # TF's CPU kernels run channels_first as a transposed channels_last op; the oracle is the
    # channels_last layer between two transposes (see Case.tf_channels_last).
    cf = kwargs.get("data_format") == "channels_first"
    return Case("-".join(parts).replace(" ", ""), layer, kwargs, shape, tf_channels_last=cf, **extra)


CONVVARIANT_CASES = []
_add = CONVVARIANT_CASES.append

# ----------------------------------------------------------------- depthwise convolutions
for size in (7, 8):                       # odd and even inputs
    for k in (1, 2, 3):
        for s in (1, 2):
            for padding in ("valid", "same"):
                _add(_case("DepthwiseConv2D", {"kernel_size": (k, 4 - k), "strides": (s, 3 - s), "padding": padding},
                           (2, size, size - 1, 3)))
for m in (2, 3):
    _add(_case("DepthwiseConv2D", {"kernel_size": 3, "depth_multiplier": m, "padding": "same"}, (2, 6, 5, 3)))
    _add(_case("DepthwiseConv1D", {"kernel_size": 2, "depth_multiplier": m, "strides": 2}, (2, 9, 3)))
for padding in ("valid", "same"):
    _add(_case("DepthwiseConv2D", {"kernel_size": 3, "dilation_rate": (2, 1), "padding": padding}, (2, 9, 8, 2)))
    # strides > 1 with dilation > 1: Keras 3 accepts it for depthwise/separable convolutions.
    _add(_case("DepthwiseConv2D", {"kernel_size": 2, "strides": 2, "dilation_rate": 2, "padding": padding,
                                   "depth_multiplier": 2}, (2, 9, 8, 2)))
    _add(_case("DepthwiseConv1D", {"kernel_size": 3, "strides": 2, "dilation_rate": 2, "padding": padding},
               (2, 12, 3)))
    for k in (1, 2, 3, 4):
        for s in (1, 3):
            _add(_case("DepthwiseConv1D", {"kernel_size": k, "strides": s, "padding": padding}, (2, 10, 3)))
for layer, shape in (("DepthwiseConv1D", (2, 3, 9)), ("DepthwiseConv2D", (2, 3, 7, 6))):
    for padding, s in (("same", 2), ("valid", 1), ("same", 1)):
        _add(_case(layer, {"kernel_size": 2, "strides": s, "padding": padding, "depth_multiplier": 2,
                           "data_format": "channels_first"}, shape))
CONVVARIANT_CASES += [
    _case("DepthwiseConv2D", {"kernel_size": 3, "use_bias": False, "activation": "relu"}, (2, 6, 6, 3)),
    _case("DepthwiseConv2D", {"kernel_size": 2, "activation": "tanh", "depthwise_regularizer": "l2",
                              "bias_regularizer": "l1", "activity_regularizer": "l2"}, (2, 5, 5, 2)),
    _case("DepthwiseConv2D", {"kernel_size": 2, "depth_multiplier": 2,
                              "depthwise_constraint": Both(lambda K: K.constraints.MaxNorm(0.3, axis=[0, 1])),
                              "bias_constraint": "non_neg"}, (2, 5, 5, 2)),
    _case("DepthwiseConv2D", {"kernel_size": 2, "depthwise_initializer": "ones", "bias_initializer": "ones"},
          (2, 4, 4, 2)),
    _case("DepthwiseConv1D", {"kernel_size": 3, "depth_multiplier": 2, "depthwise_constraint": "unit_norm",
                              "depthwise_regularizer": Both(lambda K: K.regularizers.L1L2(0.01, 0.02))}, (2, 6, 2)),
]

# ----------------------------------------------------------------- separable convolutions
for size in (7, 8):
    for k in (1, 2, 3):
        for s in (1, 2):
            for padding in ("valid", "same"):
                _add(_case("SeparableConv2D", {"filters": 4, "kernel_size": k, "strides": s, "padding": padding},
                           (2, size, size + 1, 3)))
for padding in ("valid", "same"):
    for k, s in ((2, 1), (3, 2), (4, 3)):
        _add(_case("SeparableConv1D", {"filters": 3, "kernel_size": k, "strides": s, "padding": padding},
                   (2, 10, 3)))
    _add(_case("SeparableConv2D", {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": padding,
                                   "depth_multiplier": 2}, (2, 9, 8, 2)))
    _add(_case("SeparableConv2D", {"filters": 3, "kernel_size": 2, "strides": 2, "dilation_rate": 2,
                                   "padding": padding}, (2, 9, 8, 2)))
    _add(_case("SeparableConv1D", {"filters": 3, "kernel_size": 3, "strides": 2, "dilation_rate": 3,
                                   "padding": padding, "depth_multiplier": 2}, (2, 13, 2)))
for layer, shape in (("SeparableConv1D", (2, 3, 9)), ("SeparableConv2D", (2, 3, 7, 6))):
    for padding, s in (("same", 2), ("valid", 1)):
        _add(_case(layer, {"filters": 4, "kernel_size": 2, "strides": s, "padding": padding, "depth_multiplier": 2,
                           "data_format": "channels_first"}, shape))
CONVVARIANT_CASES += [
    _case("SeparableConv2D", {"filters": 4, "kernel_size": 3, "depth_multiplier": 3, "padding": "same"},
          (2, 6, 5, 2)),
    _case("SeparableConv2D", {"filters": 4, "kernel_size": 3, "use_bias": False, "activation": "relu"}, (2, 6, 6, 3)),
    _case("SeparableConv2D", {"filters": 3, "kernel_size": 2, "activation": "sigmoid", "depthwise_regularizer": "l2",
                              "pointwise_regularizer": "l1", "bias_regularizer": "l2", "activity_regularizer": "l1"},
          (2, 5, 5, 2)),
    _case("SeparableConv2D", {"filters": 3, "kernel_size": 2, "depth_multiplier": 2,
                              "depthwise_constraint": Both(lambda K: K.constraints.MaxNorm(0.3, axis=[0, 1])),
                              "pointwise_constraint": "unit_norm", "bias_constraint": "non_neg"}, (2, 5, 5, 2)),
    _case("SeparableConv1D", {"filters": 3, "kernel_size": 2, "pointwise_initializer": "ones",
                              "depthwise_initializer": "he_normal", "bias_initializer": "ones"}, (2, 5, 2)),
    _case("SeparableConvolution2D", {"filters": 2, "kernel_size": 3}, (1, 5, 5, 2)),
    _case("SeparableConvolution1D", {"filters": 2, "kernel_size": 3, "padding": "same"}, (1, 5, 2)),
]


# ---------------------------------------------------------------------------- whole models
def mobilenet_v2_block(K):
    """MobileNetV2's stem and two inverted residual blocks (expand 1x1, depthwise 3x3, project 1x1,
    BatchNormalization and ReLU6, the identity shortcut when shapes allow)."""
    layers = K.layers

    def inverted_residual(x, expansion, filters, stride):
        channels = x.shape[-1]
        h = layers.Conv2D(channels * expansion, 1, padding="same", use_bias=False)(x)
        h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999)(h)
        h = layers.ReLU(6.0)(h)
        h = layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999)(h)
        h = layers.ReLU(6.0)(h)
        h = layers.Conv2D(filters, 1, padding="same", use_bias=False)(h)
        h = layers.BatchNormalization(epsilon=1e-3, momentum=0.999)(h)
        if stride == 1 and channels == filters:
            h = layers.Add()([x, h])
        return h

    x = K.Input(shape=(16, 16, 3))
    h = layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(x)
    h = layers.BatchNormalization()(h)
    h = layers.ReLU(6.0)(h)
    h = inverted_residual(h, 4, 8, 1)
    h = inverted_residual(h, 4, 12, 2)
    h = layers.GlobalAveragePooling2D()(h)
    return K.Model(x, layers.Dense(5)(h))


def xception_block(K):
    """Xception's middle/exit pattern: ReLU -> SeparableConv2D -> BatchNormalization twice, a
    strided max pool, and a strided 1x1 Conv2D projection on the shortcut."""
    layers = K.layers
    x = K.Input(shape=(12, 12, 4))
    h = layers.Activation("relu")(x)
    h = layers.SeparableConv2D(8, 3, padding="same", use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = layers.Activation("relu")(h)
    h = layers.SeparableConv2D(8, 3, padding="same", use_bias=False, depth_multiplier=2)(h)
    h = layers.BatchNormalization()(h)
    h = layers.MaxPooling2D(3, strides=2, padding="same")(h)
    shortcut = layers.Conv2D(8, 1, strides=2, padding="same", use_bias=False)(x)
    shortcut = layers.BatchNormalization()(shortcut)
    h = layers.add([h, shortcut])
    h = layers.SeparableConv1D(4, 3, padding="same")(layers.Reshape((36, 8))(h))
    return K.Model(x, layers.DepthwiseConv1D(3, depth_multiplier=2)(h))


CONVVARIANT_CASES += [
    Case("model-mobilenet-v2-inverted-residual", build=mobilenet_v2_block, input_shapes=(3, 16, 16, 3)),
    Case("model-xception-separable-block", build=xception_block, input_shapes=(2, 12, 12, 4)),
]


# --------------------------------------------------------------------------------- ConvLSTM
def _lstm_case(layer, kwargs, shape, **extra):
    # No tf_channels_last here: tf.keras's ConvLSTM runs channels_first on the CPU itself.
    parts = [layer.lower()] + [f"{k}={v}" for k, v in kwargs.items() if not isinstance(v, Both)]
    parts += [k for k, v in kwargs.items() if isinstance(v, Both)] + ["x".join(map(str, shape[1:]))]
    return Case("-".join(parts).replace(" ", ""), layer, kwargs, shape, **extra)


for padding in ("valid", "same"):
    for k, s in ((3, 1), ((2, 3), 1), (3, 2), (2, 2)):
        CONVVARIANT_CASES.append(_lstm_case("ConvLSTM2D", {"filters": 3, "kernel_size": k, "strides": s,
                                                           "padding": padding}, (2, 3, 7, 6, 2)))
    CONVVARIANT_CASES.append(_lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "dilation_rate": 2,
                                                       "padding": padding}, (2, 3, 6, 5, 2)))
    CONVVARIANT_CASES.append(_lstm_case("ConvLSTM1D", {"filters": 3, "kernel_size": 3, "strides": 2,
                                                       "padding": padding, "return_sequences": True}, (2, 4, 9, 2)))
    CONVVARIANT_CASES.append(_lstm_case("ConvLSTM3D", {"filters": 2, "kernel_size": 2, "padding": padding},
                                        (1, 3, 4, 3, 4, 2)))
    for layer, shape in (("ConvLSTM1D", (2, 3, 2, 8)), ("ConvLSTM2D", (2, 3, 2, 6, 5)),
                         ("ConvLSTM3D", (1, 2, 2, 3, 4, 3))):
        CONVVARIANT_CASES.append(_lstm_case(layer, {"filters": 2, "kernel_size": 2, "padding": padding,
                                                    "data_format": "channels_first", "return_sequences": True},
                                            shape))
CONVVARIANT_CASES += [
    _lstm_case("ConvLSTM2D", {"filters": 3, "kernel_size": 3, "padding": "same", "return_sequences": True,
                              "return_state": True}, (2, 4, 5, 5, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 3, "kernel_size": 3, "padding": "same", "go_backwards": True,
                              "return_sequences": True}, (2, 4, 5, 5, 2)),
    _lstm_case("ConvLSTM1D", {"filters": 3, "kernel_size": 2, "go_backwards": True, "return_state": True},
               (2, 5, 6, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "activation": "relu",
                              "recurrent_activation": "hard_sigmoid", "padding": "same"}, (2, 3, 5, 4, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "use_bias": False, "unit_forget_bias": False},
               (2, 3, 5, 4, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "unit_forget_bias": False,
                              "bias_initializer": "ones", "kernel_initializer": "he_normal",
                              "recurrent_initializer": "glorot_uniform"}, (2, 3, 4, 4, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "kernel_regularizer": "l2",
                              "recurrent_regularizer": "l1", "bias_regularizer": "l2", "activity_regularizer": "l1"},
               (2, 3, 4, 4, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "kernel_constraint": "non_neg",
                              "recurrent_constraint": Both(lambda K: K.constraints.MaxNorm(0.5, axis=[0, 1, 2])),
                              "bias_constraint": "unit_norm"}, (2, 3, 4, 4, 2)),
    # Dropout is the identity at inference (training-mode masks are checked statistically in tests/).
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 2, "dropout": 0.3, "recurrent_dropout": 0.2, "seed": 3,
                              "return_sequences": True}, (2, 3, 4, 4, 2)),
    _lstm_case("ConvLSTM2D", {"filters": 3, "kernel_size": 3, "padding": "same", "return_sequences": True},
               (2, 4, 5, 4, 2), initial_state_shapes=[(2, 5, 4, 3), (2, 5, 4, 3)]),
    _lstm_case("ConvLSTM1D", {"filters": 2, "kernel_size": 3, "strides": 2, "return_state": True},
               (2, 3, 9, 2), initial_state_shapes=[(2, 4, 2), (2, 4, 2)]),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "padding": "same", "return_sequences": True},
               (3, 4, 4, 4, 2), mask=[[1, 1, 1, 1], [1, 1, 0, 0], [1, 0, 1, 0]]),
    _lstm_case("ConvLSTM2D", {"filters": 2, "kernel_size": 3, "padding": "same", "go_backwards": True,
                              "return_state": True}, (3, 4, 4, 4, 2), mask=[[1, 1, 1, 0], [0, 1, 1, 1], [1, 1, 1, 1]]),
]


def next_frame_model(K):
    """keras.io's next-frame prediction model (examples/vision/conv_lstm.py), small: ConvLSTM2D
    layers (relu, return_sequences) with BatchNormalization, then a sigmoid Conv3D."""
    layers = K.layers
    x = K.Input(shape=(None, 6, 6, 1))
    h = layers.ConvLSTM2D(4, (5, 5), padding="same", return_sequences=True, activation="relu")(x)
    h = layers.BatchNormalization()(h)
    h = layers.ConvLSTM2D(4, (3, 3), padding="same", return_sequences=True, activation="relu")(h)
    h = layers.BatchNormalization()(h)
    h = layers.ConvLSTM2D(4, (1, 1), padding="same", return_sequences=True, activation="relu")(h)
    return K.Model(x, layers.Conv3D(1, (3, 3, 3), activation="sigmoid", padding="same")(h))


def conv_lstm_encoder(K):
    """A ConvLSTM2D encoder's last states feeding a second ConvLSTM2D, then pooling and a Dense head."""
    layers = K.layers
    x = K.Input(shape=(4, 8, 8, 2))
    seq, h, c = layers.ConvLSTM2D(4, 3, strides=2, padding="same", return_sequences=True, return_state=True)(x)
    out = layers.ConvLSTM2D(4, 3, padding="same", go_backwards=True)(seq, initial_state=[h, c])
    return K.Model(x, layers.Dense(3)(layers.GlobalAveragePooling2D()(out)))


CONVVARIANT_CASES += [
    Case("model-conv-lstm-next-frame", build=next_frame_model, input_shapes=(2, 3, 6, 6, 1)),
    Case("model-conv-lstm-encoder-states", build=conv_lstm_encoder, input_shapes=(2, 4, 8, 8, 2)),
]


def bidirectional_conv_lstm(K):
    """Bidirectional over ConvLSTM2D (forward and backward weights, merged sequences)."""
    x = K.Input(shape=(3, 5, 5, 2))
    h = K.layers.Bidirectional(K.layers.ConvLSTM2D(2, 3, padding="same", return_sequences=True))(x)
    return K.Model(x, K.layers.ConvLSTM1D(2, 2)(K.layers.Reshape((3, 25, 4))(h)))


CONVVARIANT_CASES.append(Case("model-bidirectional-conv-lstm", build=bidirectional_conv_lstm,
                              input_shapes=(2, 3, 5, 5, 2)))
