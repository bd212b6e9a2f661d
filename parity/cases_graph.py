"""Whole-model cases whose branches have different depths: the layer order (and so the order
of `get_weights()`) must be tf.keras's, not the order in which the layers were called."""

from case import Case


def parallel_branches(K):
    # The minimal case: a shallow branch called before a deeper one.
    x = K.Input(shape=(8, 8, 3))
    a = K.layers.Conv2D(4, 1, name="a")(x)
    b = K.layers.Conv2D(4, 1, name="b1")(x)
    b = K.layers.Conv2D(4, 3, padding="same", name="b2")(b)
    return K.Model(x, K.layers.Concatenate()([a, b]))


def inception_towers(K):
    # Four towers of depth 1, 2, 3 and a pooling tower, as in Inception's mixed blocks.
    x = K.Input(shape=(8, 8, 3))
    t1 = K.layers.Conv2D(4, 1, activation="relu")(x)
    t2 = K.layers.Conv2D(3, 1, activation="relu")(x)
    t2 = K.layers.Conv2D(4, 3, padding="same", activation="relu")(t2)
    t3 = K.layers.Conv2D(2, 1, activation="relu")(x)
    t3 = K.layers.Conv2D(3, 3, padding="same", activation="relu")(t3)
    t3 = K.layers.Conv2D(4, 3, padding="same", activation="relu")(t3)
    t4 = K.layers.AveragePooling2D(3, strides=1, padding="same")(x)
    t4 = K.layers.Conv2D(2, 1, activation="relu")(t4)
    h = K.layers.concatenate([t1, t2, t3, t4])
    h = K.layers.GlobalAveragePooling2D()(h)
    return K.Model(x, K.layers.Dense(3)(h))


def resnet_shortcut(K):
    # A ResNet block whose shortcut is a strided 1x1 convolution (depth 1 beside depth 2).
    x = K.Input(shape=(8, 8, 4))
    shortcut = K.layers.Conv2D(6, 1, strides=2)(x)
    h = K.layers.Conv2D(6, 3, strides=2, padding="same", activation="relu")(x)
    h = K.layers.Conv2D(6, 3, padding="same")(h)
    h = K.layers.Add()([shortcut, h])
    h = K.layers.Activation("relu")(h)
    h = K.layers.Conv2D(6, 1, activation="relu")(h)
    h = K.layers.Flatten()(h)
    return K.Model(x, K.layers.Dense(2)(h))


def multi_io_uneven(K):
    # Two inputs, three outputs at different depths, a layer shared at two depths.
    a = K.Input(shape=(6,), name="left")
    b = K.Input(shape=(4,), name="right")
    shared = K.layers.Dense(5, activation="tanh", name="shared")
    ha = shared(K.layers.Dense(6, name="pre_a")(a))
    hb = shared(K.layers.Dense(6, name="pre_b2")(K.layers.Dense(7, name="pre_b1")(b)))
    merged = K.layers.concatenate([ha, hb])
    out_a = K.layers.Dense(2, name="out_a")(ha)
    out_m = K.layers.Dense(3, name="out_m")(K.layers.Dense(4, activation="relu", name="mid")(merged))
    out_b = K.layers.Dense(1, name="out_b")(b)
    return K.Model([a, b], [out_a, out_m, out_b])


def nested_model_two_depths(K):
    # A nested functional model called on two branches of different depth.
    inner_in = K.Input(shape=(5,))
    inner_h = K.layers.Dense(4, activation="relu")(inner_in)
    inner = K.Model(inner_in, K.layers.Dense(5)(K.layers.concatenate([inner_h, inner_h])), name="inner")
    x = K.Input(shape=(5,))
    deep = K.layers.Dense(5, activation="relu")(K.layers.Dense(5, activation="relu")(x))
    y1 = inner(x)
    y2 = inner(deep)
    return K.Model(x, K.layers.Dense(2)(K.layers.Average()([y1, y2])))


def siamese_distance(K):
    # keras.io's siamese network: a Lambda on a list of tensors with `output_shape` (no batch axis).
    a = K.Input(shape=(6,))
    b = K.Input(shape=(6,))
    tower = K.layers.Dense(4, activation="tanh")
    distance = K.layers.Lambda(
        lambda v: K.ops.sqrt(K.ops.sum(K.ops.square(v[0] - v[1]), axis=1, keepdims=True) + 1e-7),
        output_shape=(1,))([tower(a), tower(b)])
    return K.Model([a, b], K.layers.Dense(1, activation="sigmoid")(distance))


def two_tensor_call(K):
    # A user layer called with two tensors, `layer(gate, features)` (as keras.io's CTC layer is).
    class Gate(K.layers.Layer):
        def call(self, gate, features):
            return features * K.ops.sigmoid(gate)

    x = K.Input(shape=(5,))
    g = K.Input(shape=(3,))
    h = Gate()(K.layers.Dense(3)(g), K.layers.Dense(3)(x))
    return K.Model([x, g], K.layers.Dense(2)(h))


GRAPH_CASES = [
    Case("model-graph-parallel-branches", build=parallel_branches, input_shapes=(2, 8, 8, 3)),
    Case("model-graph-inception-towers", build=inception_towers, input_shapes=(2, 8, 8, 3)),
    Case("model-graph-resnet-shortcut-conv", build=resnet_shortcut, input_shapes=(2, 8, 8, 4)),
    Case("model-graph-multi-io-uneven-depths", build=multi_io_uneven, input_shapes=[(3, 6), (3, 4)]),
    Case("model-graph-nested-model-two-depths", build=nested_model_two_depths, input_shapes=(3, 5)),
    Case("model-graph-lambda-on-list-output-shape", build=siamese_distance, input_shapes=[(3, 6), (3, 6)],
         config_needs="a Python lambda (unsafe deserialization)"),
    Case("model-graph-layer-called-with-two-tensors", build=two_tensor_call, input_shapes=[(3, 5), (3, 3)],
         config_needs="a layer class defined inside build (custom_objects)"),
]
