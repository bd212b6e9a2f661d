"""Structured data classification from scratch: Normalization for numerical features, IntegerLookup /
StringLookup (output_mode="binary") for categorical ones, all adapted on the training data and part of the
model; concatenate -> Dense(32, relu) -> Dropout(0.5) -> Dense(1, sigmoid). Inputs are a dict by feature name.

keras.io example: examples/structured_data/structured_data_classification_from_scratch.py (keras-team/keras-io),
the version with `encode_numerical_feature` / `encode_categorical_feature` inside the model.
Changed: 6 of the 13 heart-disease features, a fixed synthetic 64-row table for `adapt` instead of the CSV
download, and `adapt` on numpy arrays instead of a tf.data.Dataset of the same column.
"""

import numpy as np

THAL_VALUES = np.array(["fixed", "normal", "reversible"])


def _train_table():
    rng = np.random.default_rng(123)
    n = 64
    return {
        "sex": rng.integers(0, 2, (n, 1)).astype("int64"),
        "cp": rng.integers(0, 5, (n, 1)).astype("int64"),
        "thal": THAL_VALUES[rng.integers(0, 3, (n, 1))],
        "age": rng.normal(54, 9, (n, 1)).astype("float32"),
        "trestbps": rng.normal(131, 17, (n, 1)).astype("float32"),
        "thalach": rng.normal(150, 23, (n, 1)).astype("float32"),
    }


def build(keras):
    layers = keras.layers
    StringLookup, IntegerLookup, Normalization = layers.StringLookup, layers.IntegerLookup, layers.Normalization
    train = _train_table()

    def encode_numerical_feature(feature, name, dataset):
        # Create a Normalization layer for our feature, learn the statistics of the data, normalize the input.
        normalizer = Normalization()
        normalizer.adapt(dataset[name])
        return normalizer(feature)

    def encode_categorical_feature(feature, name, dataset, is_string):
        lookup_class = StringLookup if is_string else IntegerLookup
        # Create a lookup layer which will turn strings / integers into one-hot-like vectors.
        lookup = lookup_class(output_mode="binary")
        lookup.adapt(dataset[name])
        return lookup(feature)

    # Categorical features encoded as integers
    sex = keras.Input(shape=(1,), name="sex", dtype="int64")
    cp = keras.Input(shape=(1,), name="cp", dtype="int64")
    # Categorical feature encoded as string
    thal = keras.Input(shape=(1,), name="thal", dtype="string")
    # Numerical features
    age = keras.Input(shape=(1,), name="age")
    trestbps = keras.Input(shape=(1,), name="trestbps")
    thalach = keras.Input(shape=(1,), name="thalach")
    all_inputs = [sex, cp, thal, age, trestbps, thalach]

    sex_encoded = encode_categorical_feature(sex, "sex", train, False)
    cp_encoded = encode_categorical_feature(cp, "cp", train, False)
    thal_encoded = encode_categorical_feature(thal, "thal", train, True)
    age_encoded = encode_numerical_feature(age, "age", train)
    trestbps_encoded = encode_numerical_feature(trestbps, "trestbps", train)
    thalach_encoded = encode_numerical_feature(thalach, "thalach", train)

    all_features = layers.concatenate(
        [sex_encoded, cp_encoded, thal_encoded, age_encoded, trestbps_encoded, thalach_encoded]
    )
    x = layers.Dense(32, activation="relu")(all_features)
    x = layers.Dropout(0.5)(x)
    output = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(all_inputs, output)


def inputs(rng):
    n = 5
    return {
        "sex": rng.integers(0, 2, (n, 1)).astype("int64"),
        "cp": rng.integers(0, 5, (n, 1)).astype("int64"),
        "thal": THAL_VALUES[rng.integers(0, 3, (n, 1))],
        "age": rng.normal(54, 9, (n, 1)).astype("float32"),
        "trestbps": rng.normal(131, 17, (n, 1)).astype("float32"),
        "thalach": rng.normal(150, 23, (n, 1)).astype("float32"),
    }


def targets(rng):
    return rng.integers(0, 2, (5, 1)).astype("float32")


def loss(keras):
    return keras.losses.get("binary_crossentropy")
