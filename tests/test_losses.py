"""Losses without TensorFlow: hand-computed values, reductions, names and errors."""

import math

import pytest
import torch

from kerascompat import losses


def test_mse_and_reductions_hand_computed():
    y_true = torch.tensor([[0.0, 1.0], [1.0, 1.0]])
    y_pred = torch.tensor([[1.0, 1.0], [1.0, 3.0]])
    assert losses.mean_squared_error(y_true, y_pred).tolist() == [0.5, 2.0]
    assert losses.MeanSquaredError()(y_true, y_pred).item() == 1.25
    assert losses.MeanSquaredError(reduction="sum")(y_true, y_pred).item() == 2.5
    assert losses.MeanSquaredError(reduction=None)(y_true, y_pred).tolist() == [0.5, 2.0]
    weighted = losses.MeanSquaredError()(y_true, y_pred, sample_weight=torch.tensor([1.0, 0.0]))
    assert weighted.item() == 0.25  # sum(loss * w) / number of samples
    by_weight = losses.MeanSquaredError(reduction="mean_with_sample_weight")
    assert by_weight(y_true, y_pred, sample_weight=torch.tensor([1.0, 0.0])).item() == 0.5


def test_crossentropies_hand_computed():
    p = torch.tensor([[0.25, 0.75]])
    assert losses.categorical_crossentropy(torch.tensor([[0.0, 1.0]]), p).item() == pytest.approx(-math.log(0.75))
    assert losses.sparse_categorical_crossentropy(torch.tensor([0]), p).item() == pytest.approx(-math.log(0.25))
    logits = torch.tensor([[0.0, 0.0]])
    assert losses.CategoricalCrossentropy(from_logits=True)(torch.tensor([[1.0, 0.0]]), logits).item() == \
        pytest.approx(math.log(2))
    bce = losses.binary_crossentropy(torch.tensor([[1.0]]), torch.tensor([[0.8]]))
    assert bce.item() == pytest.approx(-math.log(0.8), rel=1e-6)


def test_get_by_name_and_object():
    assert losses.get("mse") is losses.mean_squared_error
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert losses.get(losses.mae) is losses.mae
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("mean_squared_errr")


def test_invalid_reduction_and_arguments():
    with pytest.raises(ValueError, match="reduction"):
        losses.MeanSquaredError(reduction="average")
    with pytest.raises(TypeError, match="from_logit"):
        losses.BinaryCrossentropy(from_logit=True)
    with pytest.raises(ValueError, match="same shape"):
        losses.categorical_crossentropy(torch.zeros(2, 3), torch.ones(2, 4))


def test_config_round_trip():
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1, reduction="sum", name="cce")
    clone = losses.deserialize(losses.serialize(loss))
    assert clone.get_config() == loss.get_config()
