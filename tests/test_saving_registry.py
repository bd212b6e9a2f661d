"""The object registry and Keras-format serializer (kerascompat.saving), without TensorFlow."""

import threading

import pytest
import torch

import kerascompat
from kerascompat import keras, layers
from kerascompat.saving import object_registration, serialization_lib


@pytest.fixture
def clean_registry():
    saved = (dict(object_registration.GLOBAL_CUSTOM_OBJECTS), dict(object_registration.GLOBAL_CUSTOM_NAMES))
    yield
    object_registration.GLOBAL_CUSTOM_OBJECTS.clear()
    object_registration.GLOBAL_CUSTOM_OBJECTS.update(saved[0])
    object_registration.GLOBAL_CUSTOM_NAMES.clear()
    object_registration.GLOBAL_CUSTOM_NAMES.update(saved[1])


class MinimalRNNCell(layers.Layer):
    """A user-written cell: out = tanh(x W) + h, one state."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="ones", name="kernel")

    def call(self, inputs, states):
        out = torch.tanh(inputs @ self.kernel) + states[0]
        return out, [out]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_public_names_exist_where_keras_has_them():
    for module in (keras.saving, keras.utils):
        for name in ("CustomObjectScope", "custom_object_scope", "get_custom_objects", "get_registered_name",
                     "get_registered_object", "register_keras_serializable", "serialize_keras_object",
                     "deserialize_keras_object"):
            assert getattr(module, name) is getattr(kerascompat.saving, name), name
    from kerascompat.keras.saving import register_keras_serializable  # the keras alias resolves too

    assert register_keras_serializable is kerascompat.saving.register_keras_serializable


def test_builtin_objects_serialize_in_keras_form():
    assert kerascompat.saving.serialize_keras_object(keras.initializers.GlorotUniform(seed=3)) == {
        "module": "keras.initializers", "class_name": "GlorotUniform",
        "config": {"seed": 3, "input_axes": None, "output_axes": None}, "registered_name": None}
    assert keras.regularizers.serialize(keras.regularizers.L1L2(0.5, 0.25)) == {
        "module": "keras.regularizers", "class_name": "L1L2", "config": {"l1": 0.5, "l2": 0.25},
        "registered_name": None}
    assert keras.activations.serialize(keras.activations.relu) == "relu"
    # Aliases serialize under Keras's canonical class name.
    pool = layers.MaxPool2D()
    assert keras.layers.serialize(pool)["class_name"] == "MaxPooling2D"
    assert keras.layers.serialize(pool)["module"] == "keras.layers"


def test_layer_config_dtype_is_a_dtype_policy():
    config = layers.Dense(2, dtype="float64").get_config()
    assert config["dtype"] == {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float64"},
                               "registered_name": None}
    assert layers.Dense.from_config(config).dtype == "float64"


def test_register_keras_serializable_names_and_round_trip(clean_registry):
    @kerascompat.saving.register_keras_serializable(package="my_pkg")
    class Scale(layers.Layer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = factor

        def call(self, x):
            return x * self.factor

        def get_config(self):
            return {**super().get_config(), "factor": self.factor}

    assert kerascompat.saving.get_registered_name(Scale) == "my_pkg>Scale"
    assert kerascompat.saving.get_registered_object("my_pkg>Scale") is Scale
    assert kerascompat.saving.get_custom_objects()["my_pkg>Scale"] is Scale
    config = layers.serialize(Scale(3.0, name="scale"))
    assert config["registered_name"] == "my_pkg>Scale" and config["class_name"] == "Scale"
    clone = layers.deserialize(config)
    assert type(clone) is Scale and clone.factor == 3.0 and clone.name == "scale"


def test_register_rejects_a_class_without_get_config(clean_registry):
    class NoConfig:
        pass

    with pytest.raises(ValueError, match="get_config"):
        kerascompat.saving.register_keras_serializable()(NoConfig)


def test_registered_function_as_activation(clean_registry):
    @kerascompat.saving.register_keras_serializable(package="acts")
    def double(x):
        return 2 * x

    config = layers.Dense(2, activation=double).get_config()
    assert config["activation"]["config"] == "acts>double"
    assert layers.Dense.from_config(config).activation is double


def test_unknown_class_error_names_the_class_and_the_remedy():
    config = {"module": None, "class_name": "NotAThing", "config": {}, "registered_name": "NotAThing"}
    with pytest.raises(TypeError, match="Could not locate class 'NotAThing'.*register_keras_serializable"):
        layers.deserialize(config)
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: 'nope'"):
        keras.initializers.get("nope")


def test_custom_object_scope_nests_and_restores():
    class A(layers.Layer):
        pass

    class B(layers.Layer):
        pass

    get = kerascompat.saving.get_registered_object
    with kerascompat.saving.custom_object_scope({"A": A}):
        assert get("A") is A and get("B") is None
        with kerascompat.saving.CustomObjectScope({"B": B}):
            assert get("A") is A and get("B") is B
        assert get("B") is None
    assert get("A") is None


def test_custom_object_scope_is_per_thread():
    class A(layers.Layer):
        pass

    seen = []
    entered, release = threading.Event(), threading.Event()

    def other():
        entered.wait(10)
        seen.append(kerascompat.saving.get_registered_object("A"))
        release.set()

    thread = threading.Thread(target=other)
    thread.start()
    with kerascompat.saving.custom_object_scope({"A": A}):
        entered.set()
        release.wait(10)
        assert kerascompat.saving.get_registered_object("A") is A
    thread.join()
    assert seen == [None]


def test_keras_2_module_paths_resolve_by_class_name():
    config = {"module": "keras.src.layers.core.dense", "class_name": "Dense",
              "config": {"name": "d", "units": 3, "activation": "relu"}, "registered_name": None}
    layer = layers.deserialize(config)
    assert isinstance(layer, layers.Dense) and layer.units == 3
    legacy = {"class_name": "Dense", "config": {"name": "d2", "units": 2}}  # Keras 2: no module at all
    assert layers.deserialize(legacy).units == 2


def test_build_config_builds_the_layer():
    config = layers.serialize(layers.Dense(3))
    assert "build_config" not in config  # not built
    built = layers.Dense(3)
    built.build((None, 5))
    config = layers.serialize(built)
    assert config["build_config"] == {"input_shape": (None, 5)}
    clone = layers.deserialize(config)
    assert clone.built and [w.shape for w in clone.get_weights()] == [(5, 3), (3,)]


@pytest.mark.parametrize("wrap", ["rnn", "stacked", "bidirectional"])
def test_custom_cell_inside_nested_from_config_is_found_through_custom_objects(wrap):
    cell = MinimalRNNCell(4, name="cell")
    if wrap == "rnn":
        layer = layers.RNN(cell, return_sequences=True)
    elif wrap == "stacked":
        layer = layers.RNN(layers.StackedRNNCells([cell, MinimalRNNCell(4, name="cell2")]), return_sequences=True)
    else:
        layer = layers.Bidirectional(layers.RNN(cell, return_sequences=True))
    config = layers.serialize(layer)
    with pytest.raises(TypeError, match="MinimalRNNCell"):
        layers.deserialize(config)
    clone = layers.deserialize(config, custom_objects={"MinimalRNNCell": MinimalRNNCell})
    with kerascompat.saving.custom_object_scope({"MinimalRNNCell": MinimalRNNCell}):
        scoped = layers.deserialize(config)
    x = torch.randn(2, 3, 5)
    layer(x)
    for other in (clone, scoped):
        other(x)
        other.set_weights(layer.get_weights())
        torch.testing.assert_close(other(x), layer(x))


def test_family_get_accepts_names_configs_and_custom_objects():
    assert isinstance(keras.initializers.get("he_normal"), keras.initializers.HeNormal)
    reg = keras.regularizers.get({"module": "keras.regularizers", "class_name": "L2", "config": {"l2": 0.5}})
    assert isinstance(reg, keras.regularizers.L2) and reg.l2 == 0.5
    assert keras.activations.get({"module": "keras.activations", "class_name": "function", "config": "tanh",
                                  "registered_name": "tanh"}) is keras.activations.tanh
    assert keras.activations.get({"module": "builtins", "class_name": "function", "config": "relu",
                                  "registered_name": "function"}) is keras.activations.relu
    loss = keras.losses.deserialize(keras.losses.serialize(keras.losses.Huber(delta=2.0)))
    assert isinstance(loss, keras.losses.Huber) and loss.get_config()["delta"] == 2.0
    opt = keras.optimizers.deserialize(keras.optimizers.serialize(keras.optimizers.Adam(learning_rate=0.5)))
    assert isinstance(opt, keras.optimizers.Adam) and opt.learning_rate == 0.5
    assert isinstance(keras.metrics.get("precision"), keras.metrics.Precision)

    def my_init(shape, dtype=None):
        return torch.ones(shape)

    with kerascompat.saving.custom_object_scope({"my_init": my_init}):
        assert keras.initializers.get("my_init") is my_init


def test_special_values_round_trip():
    import numpy as np

    value = {"t": torch.tensor([1.0, 2.0]), "a": np.arange(3, dtype="int32"), "b": b"xy", "s": slice(1, None, 2),
             "e": Ellipsis}
    out = serialization_lib.deserialize_keras_object(serialization_lib.serialize_keras_object(value))
    assert torch.equal(out["t"], value["t"]) and out["a"].tolist() == [0, 1, 2] and out["a"].dtype == np.int32
    assert out["b"] == b"xy" and out["s"] == slice(1, None, 2) and out["e"] is Ellipsis


def test_keras_config_enable_unsafe_deserialization_allows_lambdas():
    import threading

    from kerascompat import config, layers

    layer = layers.Lambda(lambda x: x * 3)
    serialized = kerascompat.layers.serialize(layer)
    result = {}

    def load():  # in a fresh thread: the safe-mode switch is per thread
        try:
            kerascompat.layers.deserialize(serialized)
        except ValueError as error:
            result["before"] = str(error)
        config.enable_unsafe_deserialization()
        result["after"] = kerascompat.layers.deserialize(serialized)

    thread = threading.Thread(target=load)
    thread.start()
    thread.join()
    assert "unsafe" in result["before"].lower() or "safe_mode" in result["before"]
    assert float(result["after"](torch.ones(1))) == 3.0
