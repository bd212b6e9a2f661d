"""Whole-model cases that apply keras.ops, keras.activations and Python operators to symbolic
tensors between layers (keras.io's idioms): each op is a node of the functional graph, run with
torch, listed by summary() and written in Keras's config format."""

from case import Case


def positional_embedding_add(K):
    # `x = x + positions`: a fixed sinusoidal position table (a concrete tensor) added to token
    # features, as text transformers do.
    tokens = K.Input(shape=(6, 4))
    angles = K.ops.cast(K.ops.arange(6), "float32")[:, None] / (10.0 ** K.ops.linspace(0.0, 1.0, 4))
    positions = K.ops.where(K.ops.arange(4) % 2 == 0, K.ops.sin(angles), K.ops.cos(angles))
    x = tokens + positions
    x = K.layers.Dense(8, activation="relu")(x)
    return K.Model(tokens, K.layers.Dense(3)(x[:, 0]))


def residual_block(K):
    # `x + inputs` residual connections and `keras.activations.gelu` between layers.
    inputs = K.Input(shape=(5,))
    x = K.layers.Dense(5)(inputs)
    x = K.activations.gelu(x)
    x = K.layers.Dense(5)(x) + inputs
    x = K.layers.LayerNormalization()(x)
    x = x * 0.5 - 1.0
    return K.Model(inputs, K.layers.Dense(2)(K.ops.tanh(x)))


def ops_between_layers(K):
    # ops.concatenate, ops.reshape with -1, slicing with None/Ellipsis, mean, expand_dims, matmul.
    a = K.Input(shape=(6,))
    b = K.Input(shape=(4,))
    h = K.ops.concatenate([K.layers.Dense(6)(a), K.ops.square(b) / 2.0], axis=-1)
    h = K.ops.reshape(h, (-1, 5, 2))
    h = K.ops.mean(h[..., None] * h[:, :, None, :], axis=1)
    h = K.ops.reshape(h, (-1, 4))
    w = K.ops.transpose(K.layers.Dense(4, use_bias=False)(h))
    return K.Model([a, b], [K.layers.Dense(3)(abs(h) ** 1.5), K.ops.matmul(h, K.ops.ones((4, 2))), -w[0]])


def shape_from_ops(K):
    # `ops.shape(x)` on a symbolic tensor (None for the batch) and sizes from it in later ops.
    x = K.Input(shape=(4, 6))
    batch, steps, features = K.ops.shape(x)
    h = K.ops.reshape(x, (-1, steps * features))
    h = K.layers.Dense(features)(h)
    h = K.ops.expand_dims(h, 1) + x
    return K.Model(x, K.ops.softmax(K.layers.Dense(3)(h), axis=-1))


SYMBOLIC_CASES = [
    Case("model-ops-positional-embedding-add", build=positional_embedding_add, input_shapes=(3, 6, 4)),
    Case("model-ops-residual-gelu", build=residual_block, input_shapes=(3, 5)),
    Case("model-ops-between-layers", build=ops_between_layers, input_shapes=[(3, 6), (3, 4)]),
    Case("model-ops-shape-sizes", build=shape_from_ops, input_shapes=(3, 4, 6)),
]
