"""keras.ops.image: hand-computed values and errors (no TensorFlow)."""

import numpy as np
import pytest
import torch

from kerascompat import keras
from kerascompat.ops import image


def test_image_namespace():
    assert keras.ops.image is image
    from kerascompat.keras.ops.image import resize

    assert resize is image.resize


def test_grayscale_keeps_a_unit_channel_axis():
    x = torch.tensor([[[1.0, 0.0, 0.0]]])
    y = image.rgb_to_grayscale(x)
    assert y.shape == (1, 1, 1) and y.item() == pytest.approx(0.2989)


def test_hsv_round_trip_and_pure_colours():
    assert image.rgb_to_hsv(torch.tensor([[[0.0, 1.0, 0.0]]])).flatten().tolist() == pytest.approx([1 / 3, 1.0, 1.0])
    x = torch.rand(2, 4, 5, 3)
    torch.testing.assert_close(image.hsv_to_rgb(image.rgb_to_hsv(x)), x, atol=1e-5, rtol=1e-5)


def test_resize_nearest_and_bilinear_by_hand():
    x = torch.tensor([0.0, 10.0]).reshape(1, 1, 2, 1)
    # half-pixel centres: output pixel centres 0.25, 0.75, 1.25, 1.75 of the input -> 0, 0, 10, 10
    assert image.resize(x, (1, 4), interpolation="nearest").flatten().tolist() == [0.0, 0.0, 10.0, 10.0]
    assert image.resize(x, (1, 4)).flatten().tolist() == [0.0, 2.5, 7.5, 10.0]


def test_resize_area_averages_the_covered_cells():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).reshape(1, 1, 6, 1)
    # 6 -> 4: cells of width 1.5: (1 + 0.5 * 2) / 1.5, (0.5 * 2 + 3) / 1.5, ...
    expected = [(1 + 1.0) / 1.5, (1.0 + 3) / 1.5, (4 + 2.5) / 1.5, (2.5 + 6) / 1.5]
    assert image.resize(x, (1, 4), interpolation="area").flatten().tolist() == pytest.approx(expected)


def test_resize_argument_errors():
    assert image.resize(torch.ones(1, 4, 4, 1), (2, 2), antialias=True).tolist() == [[[[1.0], [1.0]], [[1.0], [1.0]]]]
    with pytest.raises(ValueError, match="`interpolation`"):
        image.resize(torch.ones(1, 4, 4, 1), (2, 2), interpolation="cubic")
    with pytest.raises(ValueError, match="Only one"):
        image.resize(torch.ones(1, 4, 4, 1), (2, 2), crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)
    with pytest.raises(ValueError, match="rank"):
        image.resize(torch.ones(4, 4), (2, 2))


def test_affine_identity_and_translation():
    x = torch.arange(12.0).reshape(1, 3, 4, 1)
    identity = torch.tensor([1.0, 0, 0, 0, 1, 0, 0, 0])
    torch.testing.assert_close(image.affine_transform(x, identity), x)
    shift = torch.tensor([1.0, 0, 1, 0, 1, 0, 0, 0])  # output (x, y) reads input (x + 1, y)
    out = image.affine_transform(x, shift, fill_value=-1)
    assert out[0, :, :, 0].tolist() == [[1, 2, 3, -1], [5, 6, 7, -1], [9, 10, 11, -1]]


def test_map_coordinates_mirror_is_scipys():
    x = torch.arange(6.0)
    coords = torch.tensor([[-7.0, -1.0, 6.0, 12.0]])
    assert image.map_coordinates(x, coords, 0, fill_mode="mirror").tolist() == [3.0, 1.0, 4.0, 2.0]
    with pytest.raises(NotImplementedError, match="order"):
        image.map_coordinates(x, coords, 3)


def test_extract_patches_order_is_row_col_channel():
    x = torch.arange(8.0).reshape(1, 2, 2, 2)
    assert image.extract_patches(x, 2).flatten().tolist() == list(range(8))


def test_pad_and_crop_validate_their_arguments():
    x = torch.ones(1, 4, 4, 1)
    assert image.pad_images(x, 1, 1, target_height=7, target_width=6).shape == (1, 7, 6, 1)
    assert image.crop_images(x, 1, 0, target_height=2, target_width=3).shape == (1, 2, 3, 1)
    with pytest.raises(ValueError, match="exactly two"):
        image.pad_images(x, 1, 1, 1, 1, target_height=7, target_width=6)
    with pytest.raises(ValueError, match=">= 0"):
        image.crop_images(x, 3, 0, target_height=2, target_width=3)


def test_filters_by_hand():
    flat = torch.full((1, 5, 5, 1), 2.0)
    assert image.gaussian_blur(flat)[0, 2, 2, 0].item() == pytest.approx(2.0)
    ramp = torch.arange(5.0).repeat(5, 1).reshape(1, 5, 5, 1)  # x increases by 1 per column
    edges = image.sobel_edges(ramp)
    assert edges.shape == (1, 5, 5, 1, 2)
    assert edges[0, 2, 2, 0].tolist() == [0.0, 8.0]  # [dy, dx]
    x = torch.rand(2, 8, 8, 3)
    assert image.ssim(x, x, filter_size=3).tolist() == pytest.approx([1.0, 1.0])
    corners = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]])
    img = torch.rand(1, 4, 4, 1)
    torch.testing.assert_close(image.perspective_transform(img, corners, corners), img)


def test_elastic_transform_seeds_and_identity():
    x = torch.rand(2, 8, 9, 3)
    assert torch.equal(image.elastic_transform(x, seed=1), image.elastic_transform(x, seed=1))
    torch.testing.assert_close(image.elastic_transform(x, alpha=0.0, seed=2), x)
    with pytest.raises(ValueError, match="`fill_mode`"):
        image.elastic_transform(x, fill_mode="edge")


def test_scale_and_translate_identity_and_errors():
    x = torch.rand(1, 5, 6, 2)
    same = image.scale_and_translate(x, (1, 5, 6, 2), [1.0, 1.0], [0.0, 0.0], (1, 2), "bilinear")
    torch.testing.assert_close(same, x)
    with pytest.raises(ValueError, match="`method`"):
        image.scale_and_translate(x, (1, 5, 6, 2), [1.0, 1.0], [0.0, 0.0], (1, 2), "area")
