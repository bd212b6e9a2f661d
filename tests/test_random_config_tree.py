"""keras.random seeding, keras.config settings and errors, keras.tree edge cases (no TensorFlow)."""

import collections

import numpy as np
import pytest
import torch

from kerascompat import config, keras, random, tree


@pytest.mark.parametrize("draw", [
    lambda seed: random.normal((4,), seed=seed),
    lambda seed: random.uniform((4,), seed=seed),
    lambda seed: random.truncated_normal((4,), seed=seed),
    lambda seed: random.randint((4,), 0, 100, seed=seed),
    lambda seed: random.gamma((4,), 2.0, seed=seed),
    lambda seed: random.beta((4,), 2.0, 3.0, seed=seed),
    lambda seed: random.binomial((4,), 10, 0.5, seed=seed),
    lambda seed: random.categorical(torch.zeros(2, 5), 6, seed=seed),
    lambda seed: random.dropout(torch.ones(20), 0.5, seed=seed),
    lambda seed: random.shuffle(torch.arange(20), seed=seed),
], ids=["normal", "uniform", "truncated_normal", "randint", "gamma", "beta", "binomial", "categorical", "dropout",
        "shuffle"])
def test_integer_seeds_repeat_and_seed_generators_advance_reproducibly(draw):
    assert torch.equal(draw(7), draw(7))
    first, second = random.SeedGenerator(3), random.SeedGenerator(3)
    a1, a2 = draw(first), draw(first)
    assert torch.equal(a1, draw(second)) and torch.equal(a2, draw(second))
    assert not torch.equal(a1, a2)


def test_global_draws_follow_torch_manual_seed():
    torch.manual_seed(0)
    a = random.normal((3,))
    torch.manual_seed(0)
    assert torch.equal(a, random.normal((3,)))


def test_random_dtypes_bounds_and_errors():
    assert random.normal((2,)).dtype == torch.float32
    assert random.randint((2,), 0, 3).dtype == torch.int32
    assert random.categorical([[0.0, 1.0]], 3).dtype == torch.int32
    t = random.truncated_normal((10000,), stddev=2.0, seed=1)
    assert t.abs().max() <= 4.0
    with pytest.raises(ValueError, match="`dtype`"):
        random.uniform((2,), dtype="int32")
    with pytest.raises(ValueError, match="`seed`"):
        random.normal((2,), seed="x")
    with pytest.raises(ValueError, match="`rate`"):
        random.dropout(torch.ones(2), 1.0)
    assert random.SeedGenerator(5).get_config() == {"seed": 5}
    assert keras.random is random


def test_config_settings_and_refusals():
    assert keras.config is config
    assert config.backend() == "torch" and config.floatx() == "float32" and config.epsilon() == 1e-7
    config.set_epsilon(1e-5)
    try:
        assert config.epsilon() == 1e-5 and keras.backend.epsilon() == 1e-5
    finally:
        config.set_epsilon(1e-7)
    config.set_image_data_format("channels_first")
    try:
        assert keras.ops.conv(torch.ones(1, 2, 5), torch.ones(3, 2, 4)).shape == (1, 4, 3)
    finally:
        config.set_image_data_format("channels_last")
    with pytest.raises(ValueError, match="`data_format`"):
        config.set_image_data_format("NHWC")
    with pytest.raises(NotImplementedError, match="`value`"):
        config.set_floatx("float64")
    with pytest.raises(ValueError, match="`value`"):
        config.set_floatx("float8")
    with pytest.raises(NotImplementedError, match="autocast"):
        config.set_dtype_policy("mixed_float16")
    with pytest.raises(NotImplementedError, match="`backend`"):
        config.set_backend("jax")
    assert config.dtype_policy().name == "float32"
    config.disable_flash_attention()
    try:
        assert config.is_flash_attention_enabled() is False
    finally:
        config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None


def test_tree_edge_cases():
    assert keras.tree is tree
    assert tree.flatten({"b": 1, "a": None}) == [None, 1]
    assert tree.flatten(None) == [None]
    od = collections.OrderedDict([("b", 1), ("a", 2)])
    assert tree.flatten(od) == [1, 2]
    packed = tree.pack_sequence_as({"b": 0, "a": 0}, [1, 2])
    assert list(packed.items()) == [("b", 2), ("a", 1)]
    assert tree.map_structure(lambda x: x + 1, (1, [2])) == (2, [3])
    assert tree.flatten_with_path({"a": [5, 6]}) == [(("a", 0), 5), (("a", 1), 6)]
    assert not tree.is_nested(np.zeros(3)) and not tree.is_nested(torch.zeros(3))
    with pytest.raises(ValueError):
        tree.assert_same_structure([1], (1,))
    with pytest.raises(TypeError, match="sortable"):
        tree.flatten({1: 0, "a": 0})
