"""Normalization layers against tf.keras: arguments one by one (inference: the moving
statistics), and whole models (a ResNet block, a frozen BatchNormalization for fine-tuning).
Training-mode statistics over several steps are in test_normalization_parity.py."""

from case import Both, Case

NORMALIZATION_CASES = [
    Case("batchnorm-default-2d", "BatchNormalization", {}, (4, 5)),
    Case("batchnorm-channels-last-4d", "BatchNormalization", {}, (2, 4, 5, 3)),
    Case("batchnorm-channels-first-4d", "BatchNormalization", {"axis": 1}, (2, 3, 4, 5)),
    Case("batchnorm-axis-1-3d", "BatchNormalization", {"axis": 1}, (2, 3, 6)),
    Case("batchnorm-middle-axis", "BatchNormalization", {"axis": 2}, (2, 3, 4, 5)),
    Case("batchnorm-axis-minus-2", "BatchNormalization", {"axis": -2}, (2, 6, 3)),
    Case("batchnorm-3d-conv-input", "BatchNormalization", {}, (2, 3, 4, 2, 3)),
    Case("batchnorm-no-center", "BatchNormalization", {"center": False}, (3, 4)),
    Case("batchnorm-no-scale", "BatchNormalization", {"scale": False}, (3, 4)),
    Case("batchnorm-no-center-no-scale", "BatchNormalization", {"center": False, "scale": False}, (3, 4)),
    Case("batchnorm-epsilon-momentum", "BatchNormalization", {"epsilon": 0.1, "momentum": 0.5}, (3, 4)),
    Case("batchnorm-initializers", "BatchNormalization", {
        "beta_initializer": "random_normal", "gamma_initializer": Both(lambda K: K.initializers.Constant(2.0)),
        "moving_mean_initializer": Both(lambda K: K.initializers.Constant(0.5)),
        "moving_variance_initializer": Both(lambda K: K.initializers.Constant(3.0))}, (3, 4)),
    Case("batchnorm-regularizers", "BatchNormalization", {
        "beta_regularizer": "l2", "gamma_regularizer": Both(lambda K: K.regularizers.L1(0.05))}, (3, 4)),
    Case("batchnorm-constraints", "BatchNormalization", {
        "beta_constraint": "non_neg", "gamma_constraint": Both(lambda K: K.constraints.MaxNorm(0.5, axis=0))}, (3, 4)),
]

NORMALIZATION_CASES += [
    Case("layernorm-default", "LayerNormalization", {}, (3, 6)),
    Case("layernorm-3d", "LayerNormalization", {}, (2, 4, 5)),
    Case("layernorm-axis-1", "LayerNormalization", {"axis": 1}, (2, 4, 5)),
    Case("layernorm-trailing-axes", "LayerNormalization", {"axis": [-2, -1]}, (2, 3, 4, 5)),
    Case("layernorm-axes-list-positive", "LayerNormalization", {"axis": [2, 3]}, (2, 3, 4, 5)),
    Case("layernorm-middle-axes", "LayerNormalization", {"axis": (1, 2)}, (2, 3, 4, 5)),
    Case("layernorm-non-adjacent-axes", "LayerNormalization", {"axis": [1, 3]}, (2, 3, 4, 5)),
    Case("layernorm-mixed-sign-axes", "LayerNormalization", {"axis": [1, -1]}, (2, 3, 4, 5)),
    Case("layernorm-epsilon", "LayerNormalization", {"epsilon": 0.5}, (3, 4)),
    Case("layernorm-no-center", "LayerNormalization", {"center": False}, (3, 4)),
    Case("layernorm-no-scale", "LayerNormalization", {"scale": False}, (3, 4)),
    Case("layernorm-no-center-no-scale", "LayerNormalization", {"center": False, "scale": False}, (3, 4)),
    Case("layernorm-rms-scaling", "LayerNormalization", {"rms_scaling": True}, (3, 5)),
    Case("layernorm-rms-scaling-axes", "LayerNormalization", {"rms_scaling": True, "axis": [1, 2]}, (2, 3, 4)),
    Case("layernorm-initializers", "LayerNormalization", {
        "beta_initializer": "random_normal", "gamma_initializer": Both(lambda K: K.initializers.Constant(1.5))}, (3, 4)),
    Case("layernorm-regularizers", "LayerNormalization", {
        "beta_regularizer": "l1", "gamma_regularizer": Both(lambda K: K.regularizers.L2(0.02))}, (3, 4)),
    Case("layernorm-constraints", "LayerNormalization", {
        "beta_constraint": "non_neg", "gamma_constraint": Both(lambda K: K.constraints.UnitNorm(axis=0))}, (3, 4)),
]

NORMALIZATION_CASES += [
    Case("groupnorm-channels-last", "GroupNormalization", {"groups": 2}, (2, 4, 5, 6)),
    Case("groupnorm-2d", "GroupNormalization", {"groups": 3}, (4, 6)),
    Case("groupnorm-channels-first", "GroupNormalization", {"groups": 2, "axis": 1}, (2, 4, 3, 5)),
    Case("groupnorm-middle-axis", "GroupNormalization", {"groups": 2, "axis": 2}, (2, 3, 4, 5)),
    Case("groupnorm-axis-minus-2", "GroupNormalization", {"groups": 3, "axis": -2}, (2, 6, 4)),
    Case("groupnorm-instance", "GroupNormalization", {"groups": -1}, (2, 5, 3)),
    Case("groupnorm-one-group", "GroupNormalization", {"groups": 1, "epsilon": 0.1}, (2, 3, 4)),
    Case("groupnorm-no-center-no-scale", "GroupNormalization", {"groups": 2, "center": False, "scale": False},
         (2, 3, 4)),
    Case("groupnorm-weight-args", "GroupNormalization", {
        "groups": 2, "beta_initializer": "random_normal", "gamma_regularizer": "l2", "beta_constraint": "non_neg"},
        (3, 4)),
    Case("unitnorm-default", "UnitNormalization", {}, (3, 5)),
    Case("unitnorm-axis-1", "UnitNormalization", {"axis": 1}, (2, 3, 4)),
    Case("unitnorm-axes", "UnitNormalization", {"axis": [1, 2]}, (2, 3, 4)),
    Case("rmsnorm-default", "RMSNormalization", {}, (3, 6)),
    Case("rmsnorm-3d", "RMSNormalization", {"epsilon": 0.1}, (2, 4, 5)),
    Case("rmsnorm-trailing-axes", "RMSNormalization", {"axis": [-2, -1]}, (2, 3, 4, 5)),
    Case("rmsnorm-axes-positive", "RMSNormalization", {"axis": [2, 3]}, (2, 3, 4, 5)),
]


def resnet_block(K):
    # Conv2D -> BatchNormalization -> ReLU, twice, plus the identity shortcut.
    x = K.Input(shape=(8, 8, 4))
    h = K.layers.Conv2D(4, 3, padding="same", use_bias=False)(x)
    h = K.layers.BatchNormalization()(h)
    h = K.layers.Activation("relu")(h)
    h = K.layers.Conv2D(4, 3, padding="same", use_bias=False)(h)
    h = K.layers.BatchNormalization()(h)
    h = K.layers.Add()([x, h])
    h = K.layers.Activation("relu")(h)
    h = K.layers.GlobalAveragePooling2D()(h)
    return K.Model(x, K.layers.Dense(3)(h))


def resnet_block_channels_first(K):
    x = K.Input(shape=(4, 6, 6))
    # (TensorFlow's CPU convolutions are channels_last only: the NCHW tensor comes from a Permute.)
    h = K.layers.Permute((3, 1, 2))(K.layers.Conv2D(4, 3, padding="same")(K.layers.Permute((2, 3, 1))(x)))
    h = K.layers.BatchNormalization(axis=1)(h)
    h = K.layers.Activation("relu")(h)
    h = K.layers.Add()([x, h])
    return K.Model(x, K.layers.Flatten()(h))


def frozen_batchnorm_finetune(K):
    # The fine-tuning idiom: a frozen base (its BatchNormalization stays in inference mode), a new head.
    base_in = K.Input(shape=(6, 6, 3))
    h = K.layers.Conv2D(5, 3)(base_in)
    h = K.layers.BatchNormalization()(h)
    h = K.layers.Activation("relu")(h)
    base = K.Model(base_in, K.layers.GlobalAveragePooling2D()(h), name="base")
    base.trainable = False
    x = K.Input(shape=(6, 6, 3))
    return K.Model(x, K.layers.Dense(2)(base(x, training=False)))


def dense_batchnorm_mlp(K):
    return K.Sequential([
        K.Input(shape=(7,)),
        K.layers.Dense(6, use_bias=False),
        K.layers.BatchNormalization(),
        K.layers.Activation("relu"),
        K.layers.Dense(2),
    ])


def transformer_block(K):
    # Post-norm residual block of a transformer encoder (feed-forward half).
    x = K.Input(shape=(5, 8))
    h = K.layers.Dense(16, activation="relu")(x)
    h = K.layers.Dense(8)(h)
    h = K.layers.LayerNormalization(epsilon=1e-6)(K.layers.Add()([x, h]))
    return K.Model(x, K.layers.GlobalAveragePooling1D()(h))


NORMALIZATION_CASES += [
    Case("model-transformer-ffn-layernorm", build=transformer_block, input_shapes=(2, 5, 8)),
    Case("model-resnet-block-batchnorm", build=resnet_block, input_shapes=(2, 8, 8, 4)),
    Case("model-resnet-block-batchnorm-channels-first", build=resnet_block_channels_first, input_shapes=(2, 4, 6, 6)),
    Case("model-frozen-batchnorm-finetune", build=frozen_batchnorm_finetune, input_shapes=(2, 6, 6, 3)),
    Case("model-dense-batchnorm-mlp", build=dense_batchnorm_mlp, input_shapes=(4, 7)),
]
