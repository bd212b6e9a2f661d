"""InputSpec (Keras's checks and wording, no cost without one), Wrapper and TimeDistributed."""

import copy
import pickle

import pytest
import torch

import kerascompat as keras
from kerascompat import layers
from kerascompat.engine.base_layer import Layer
from kerascompat.engine.input_spec import assert_input_compatibility


class _Spec(layers.Layer):
    def __init__(self, spec, **kwargs):
        super().__init__(**kwargs)
        self.input_spec = spec

    def call(self, inputs):
        return inputs


@pytest.mark.parametrize("spec,shape,message", [
    (keras.InputSpec(ndim=3), (2, 3), r"expected ndim=3, found ndim=2\. Full shape received: \(2, 3\)"),
    (keras.InputSpec(max_ndim=2), (2, 3, 4), r"expected max_ndim=2, found ndim=3$"),
    (keras.InputSpec(min_ndim=3), (2, 3), r"expected min_ndim=3, found ndim=2\. Full shape received: \(2, 3\)"),
    (keras.InputSpec(axes={-1: 4}), (2, 3),
     r"expected axis -1 of input shape to have value 4, but received input with shape \(2, 3\)"),
    (keras.InputSpec(shape=(None, 5)), (2, 3), r"expected shape=\(None, 5\), found shape=\(2, 3\)"),
    (keras.InputSpec(dtype="float64"), (2, 3), r"expected dtype=float64, found dtype=float32"),
])
def test_input_spec_errors_use_kerass_wording(spec, shape, message):
    layer = _Spec(spec, name="checked")
    with pytest.raises(ValueError, match="^Input 0 with name 'None' of layer 'checked' is incompatible with the "
                                         "layer: " + message):
        layer(torch.ones(shape))


def test_input_spec_accepts_matching_inputs_and_checks_every_call():
    layer = _Spec(layers.InputSpec(ndim=2, axes={1: 3}))
    assert layer(torch.ones(4, 3)).shape == (4, 3)
    with pytest.raises(ValueError, match="expected axis 1"):
        layer(torch.ones(4, 5))  # after the first (building) call too


def test_input_spec_checks_symbolic_calls():
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3. Full shape received: \\(None, 2, 3\\)"):
        _Spec(keras.InputSpec(ndim=4))(keras.Input((2, 3)))


def test_input_spec_last_axis_squeeze_and_lists():
    squeeze = keras.InputSpec(shape=(None, 28, 28, 1), allow_last_axis_squeeze=True)
    assert_input_compatibility(squeeze, torch.ones(2, 28, 28), "l")
    assert_input_compatibility(squeeze, torch.ones(2, 28, 28, 1), "l")
    specs = [keras.InputSpec(ndim=2), None]
    assert_input_compatibility(specs, [torch.ones(2, 3), torch.ones(1)], "l")
    with pytest.raises(ValueError, match='Layer "l" expects 2 input\\(s\\), but it received 1 input tensors'):
        assert_input_compatibility(specs, [torch.ones(2, 3)], "l")


def test_input_spec_named_dict_inputs():
    specs = [keras.InputSpec(name="a", ndim=2), keras.InputSpec(name="b", ndim=1)]
    assert_input_compatibility(specs, {"b": torch.ones(3), "a": torch.ones(2, 3)}, "l")
    with pytest.raises(ValueError, match='Missing data for input "b"'):
        assert_input_compatibility(specs, {"a": torch.ones(2, 3), "c": torch.ones(3)}, "l")


def test_input_spec_config_and_repr():
    spec = keras.InputSpec(dtype="float32", shape=(None, 4), axes={-1: 4})
    assert repr(spec) == "InputSpec(dtype=float32, shape=(None, 4), ndim=2, axes={-1: 4})"
    assert keras.InputSpec.from_config(spec.get_config()).get_config() == spec.get_config()
    with pytest.raises(TypeError, match="`axes` must be a dict with integer keys"):
        keras.InputSpec(axes={"x": 1})
    with pytest.raises(ValueError, match="Axis 3 is greater than the maximum allowed value: 1"):
        keras.InputSpec(ndim=2, axes={3: 1})


def test_layers_without_input_spec_keep_the_plain_call_path():
    dense = layers.Dense(2)
    assert dense.input_spec is None and "_eager_call" not in dense.__dict__
    checked = _Spec(keras.InputSpec(ndim=2))
    assert checked.__dict__["_eager_call"].__func__ is Layer._checked_eager_call
    checked.input_spec = None
    assert "_eager_call" not in checked.__dict__
    assert checked(torch.ones(1, 2, 3)).shape == (1, 2, 3)


def test_layer_with_input_spec_copies_and_pickles():
    layer = _Spec(keras.InputSpec(ndim=2))
    for clone in (copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
        assert clone.__dict__["_eager_call"].__self__ is clone
        with pytest.raises(ValueError, match="expected ndim=2"):
            clone(torch.ones(3))


# ----------------------------------------------------------------------------- wrappers
def test_wrapper_rejects_non_layers_and_round_trips():
    with pytest.raises(ValueError, match="supplied to Wrapper isn't a supported layer type"):
        layers.Wrapper(torch.nn.Linear(2, 2))
    with pytest.raises(ValueError, match="Please initialize `TimeDistributed` layer with a `keras.layers.Layer`"):
        layers.TimeDistributed("dense")


def test_time_distributed_matches_a_per_step_loop():
    dense = layers.Dense(3)
    td = layers.TimeDistributed(dense)
    x = torch.randn(2, 4, 5)
    out = td(x)
    assert out.shape == (2, 4, 3)
    expected = torch.stack([dense(x[:, t]) for t in range(4)], dim=1)
    torch.testing.assert_close(out, expected)
    assert td.get_weights()[0].shape == (5, 3) and len(td.weights) == 2
    assert [w.data_ptr() for w in td.weights] == [w.data_ptr() for w in dense.weights]


def test_time_distributed_nested_and_model():
    inner = keras.Sequential([keras.Input((6,)), layers.Dense(4, activation="relu"), layers.Dense(2)])
    td = layers.TimeDistributed(layers.TimeDistributed(inner))
    x = torch.randn(2, 3, 5, 6)
    out = td(x)
    assert out.shape == (2, 3, 5, 2)
    torch.testing.assert_close(out[1, 2], inner(x[1, 2]))
    assert len(td.get_weights()) == 4


def test_time_distributed_output_shape_and_config():
    inp = keras.Input((7, 8, 8, 3))
    out = layers.TimeDistributed(layers.Conv2D(4, 3))(inp)
    assert tuple(out.shape) == (None, 7, 6, 6, 4)
    td = layers.TimeDistributed(layers.Dense(2, name="head"), name="td")
    config = td.get_config()
    assert config["layer"]["class_name"] == "Dense" and config["layer"]["config"]["name"] == "head"
    rebuilt = layers.TimeDistributed.from_config(config)
    assert rebuilt.get_config()["layer"]["config"]["units"] == 2
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        layers.TimeDistributed(layers.Dense(2))(keras.Input((3,)))


def test_time_distributed_passes_masks_on_and_down():
    seen = {}

    class Probe(layers.Layer):
        supports_masking = True

        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs * 2

    x = torch.randn(2, 3, 4)
    mask = torch.tensor([[True, True, False], [True, False, False]])
    td = layers.TimeDistributed(Probe())
    out = td(x, mask=mask)
    assert torch.equal(seen["mask"], mask.reshape(6))
    assert torch.equal(out._keras_mask, mask)
    with pytest.raises(ValueError, match="must be at least 2D"):
        td(x, mask=torch.ones(2, dtype=torch.bool))
    with pytest.raises(ValueError, match=r"Expected mask shape prefix: \(2, 3\)"):
        td(x, mask=torch.ones(2, 4, dtype=torch.bool))


def test_time_distributed_batchnorm_uses_per_step_statistics_while_training():
    bn = layers.BatchNormalization(momentum=0.0, center=False, scale=False, epsilon=0.0)
    td = layers.TimeDistributed(bn)
    x = torch.randn(8, 3, 2) * torch.tensor([1.0, 10.0, 100.0]).reshape(1, 3, 1)
    out = td(x, training=True)
    # Each step normalized with its own batch statistics (as Keras's per-step loop does).
    for t in range(3):
        step = x[:, t]
        torch.testing.assert_close(out[:, t], (step - step.mean(0)) / step.var(0, unbiased=False).sqrt())
    # momentum 0: the moving statistics are the last step's.
    torch.testing.assert_close(bn.moving_mean.detach(), x[:, 2].mean(0))


# ----------------------------------------------------------------------- spectral normalization
def test_spectral_normalization_drives_the_spectral_norm_to_one():
    torch.manual_seed(0)
    sn = layers.SpectralNormalization(layers.Dense(4))
    x = torch.randn(3, 6)
    sn(x)
    sn.set_weights([sn.get_weights()[0] * 5.0, sn.get_weights()[1], sn.get_weights()[2]])
    for _ in range(30):
        sn(x, training=True)
    assert torch.linalg.matrix_norm(torch.as_tensor(sn.get_weights()[0]), ord=2).item() == pytest.approx(1.0, abs=1e-4)


def test_spectral_normalization_state_and_weight_order():
    sn = layers.SpectralNormalization(layers.Conv2D(3, 2))
    sn(torch.randn(1, 4, 4, 2))
    assert [w.shape for w in sn.get_weights()] == [(2, 2, 2, 3), (1, 3), (3,)]  # kernel, vector_u, bias
    assert "vector_u" in dict(sn.named_buffers()) and len(list(sn.parameters())) == 2
    assert len(sn.trainable_weights) == 2 and len(sn.non_trainable_weights) == 1


def test_spectral_normalization_inference_and_zero_kernel_leave_weights():
    sn = layers.SpectralNormalization(layers.Dense(2, kernel_initializer="zeros"))
    x = torch.randn(2, 3)
    sn(x, training=True)
    assert not sn.get_weights()[0].any()  # an all-zero kernel is left alone (no division by 0)
    sn = layers.SpectralNormalization(layers.Dense(2))
    sn(x, training=False)
    before = sn.get_weights()
    sn(x, training=False)
    assert all((a == b).all() for a, b in zip(before, sn.get_weights()))


def test_spectral_normalization_errors_and_config():
    with pytest.raises(ValueError, match="`power_iterations` should be greater than zero"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="object has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.LayerNormalization())(torch.randn(2, 3))
    sn = layers.SpectralNormalization(layers.Dense(2), power_iterations=2)
    config = sn.get_config()
    assert config["power_iterations"] == 2 and config["layer"]["class_name"] == "Dense"
    assert layers.SpectralNormalization.from_config(config).get_config() == config
    sn(torch.randn(2, 3))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        sn(torch.randn(2, 4))


# ------------------------------------------------------------------------ ReversibleEmbedding
def test_reversible_embedding_tied_reverse_is_the_transposed_lookup():
    layer = layers.ReversibleEmbedding(5, 3)
    ids = torch.tensor([[0, 4, 2]])
    h = layer(ids)
    table = torch.as_tensor(layer.get_weights()[0])
    torch.testing.assert_close(layer(h, reverse=True), h @ table.T)
    assert len(layer.get_weights()) == 1


def test_reversible_embedding_untied_soft_cap_and_masks():
    layer = layers.ReversibleEmbedding(6, 2, tie_weights=False, logit_soft_cap=0.5, mask_zero=True)
    h = layer(torch.tensor([[3, 0]]))
    assert h._keras_mask.tolist() == [[True, False]]
    embeddings, reverse = (torch.as_tensor(w) for w in layer.get_weights())
    assert reverse.shape == (2, 6)
    logits = layer(h, reverse=True)
    torch.testing.assert_close(logits, torch.tanh(h @ reverse / 0.5) * 0.5)
    assert getattr(logits, "_keras_mask", None) is None  # a reverse call makes no mask
    assert float(logits.detach().abs().max()) <= 0.5


def test_reversible_embedding_shapes_and_config():
    ids = keras.Input((4,), dtype="int32")
    layer = layers.ReversibleEmbedding(11, 3, reverse_dtype="float64")
    h = layer(ids)
    assert tuple(h.shape) == (None, 4, 3) and tuple(layer(h, reverse=True).shape) == (None, 4, 11)
    assert layer(torch.ones(1, 3, dtype=torch.float32) , reverse=True).dtype == torch.float64
    config = layer.get_config()
    assert config["tie_weights"] is True and config["reverse_dtype"] == "float64"
    assert layers.ReversibleEmbedding.from_config(config).get_config() == config


# ------------------------------------------------------------------------- TorchModuleWrapper
def test_torch_module_wrapper_weights_modes_and_models():
    module = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
    layer = layers.TorchModuleWrapper(module, name="torch_block")
    assert layer.built
    # Parameters are trainable weights; persistent buffers (running statistics) non-trainable.
    assert [tuple(w.shape) for w in layer.trainable_weights] == [(3, 4), (3,), (3,), (3,)]
    assert len(layer.non_trainable_weights) == 3
    inp = keras.Input((4,))
    model = keras.Model(inp, layers.Dense(2)(layer(inp)))
    assert tuple(model.output_shape if hasattr(model, "output_shape") else model.outputs[0].shape) == (None, 2)
    model(torch.randn(5, 4), training=False)
    assert not module.training
    before = module[1].running_mean.clone()
    model(torch.randn(5, 4) + 3, training=True)
    assert module.training and not torch.equal(before, module[1].running_mean)
    x = torch.randn(2, 4)
    torch.testing.assert_close(layer(x, training=False), module.eval()(x))


def test_torch_module_wrapper_output_shape_config_and_safe_mode():
    layer = layers.TorchModuleWrapper(torch.nn.Linear(3, 2), output_shape=(None, 2))
    assert tuple(layer(keras.Input((3,))).shape) == (None, 2)
    config = layer.get_config()
    with pytest.raises(ValueError, match="disallowed by default"):
        layers.TorchModuleWrapper.from_config(config)
    clone = layers.TorchModuleWrapper.from_config(config, safe_mode=False)
    torch.testing.assert_close(clone.module.weight, layer.module.weight)
    with pytest.raises(ValueError, match="LazyModules are not supported"):
        layers.TorchModuleWrapper(torch.nn.LazyLinear(2))
    with pytest.raises(TypeError, match="`module` must be a torch.nn.Module"):
        layers.TorchModuleWrapper("linear")
