"""keras.ops.image parity cases (TensorFlow-free).

No gradient checks for hsv_to_rgb (TensorFlow registers none: its gradient is zero) nor for
affine_transform (TensorFlow's registered gradient applies the inverse transform, an
approximation of the true adjoint that torch's autograd computes).
"""

import numpy as np

from ops_case import OpCase, rand

IMG = rand(2, 7, 9, 3, seed=1, low=0.0, high=1.0)
SQUARE = rand(2, 6, 6, 2, seed=2)
ROTATE = np.array([0.8, -0.6, 2.0, 0.6, 0.8, -1.5, 0.0, 0.0], "float32")
PROJECTIVE = np.array([[1.1, 0.2, -1.0, -0.1, 0.9, 0.5, 0.01, -0.02],
                       [0.9, -0.3, 3.5, 0.3, 1.2, -2.2, 0.0, 0.03]], "float32")

CASES = [
    OpCase("rgb_to_grayscale", "image.rgb_to_grayscale", (IMG,), grad=(0,)),
    OpCase("rgb_to_grayscale_cf_unbatched", "image.rgb_to_grayscale", (IMG[0].transpose(2, 0, 1),),
           {"data_format": "channels_first"}),
    OpCase("rgb_to_hsv", "image.rgb_to_hsv", (IMG,)),
    OpCase("rgb_to_hsv_grey_and_black", "image.rgb_to_hsv", (np.array([[[0.5, 0.5, 0.5], [0.0, 0.0, 0.0],
                                                                         [0.2, 0.9, 0.9]]], "float32"),)),
    OpCase("hsv_to_rgb", "image.hsv_to_rgb", (IMG,)),
    OpCase("resize_bilinear_up", "image.resize", (IMG, (11, 20)), grad=(0,)),
    OpCase("resize_bilinear_down", "image.resize", (IMG, (3, 4)), grad=(0,)),
    OpCase("resize_nearest_up", "image.resize", (IMG, (10, 17)), {"interpolation": "nearest"}, grad=(0,)),
    OpCase("resize_nearest_down", "image.resize", (IMG, (4, 5)), {"interpolation": "nearest"}),
    OpCase("resize_nearest_int", "image.resize", ((IMG * 255).astype("uint8"), (5, 13)),
           {"interpolation": "nearest"}),
    OpCase("resize_channels_first", "image.resize", (IMG.transpose(0, 3, 1, 2), (5, 6)),
           {"data_format": "channels_first"}),
    OpCase("resize_bilinear_antialias_down", "image.resize", (IMG, (3, 4)), {"antialias": True}, grad=(0,)),
    OpCase("resize_bilinear_antialias_up", "image.resize", (IMG, (11, 20)), {"antialias": True}),
    OpCase("resize_bicubic_up", "image.resize", (IMG, (11, 20)), {"interpolation": "bicubic"}, grad=(0,)),
    OpCase("resize_bicubic_down", "image.resize", (IMG, (4, 5)), {"interpolation": "bicubic"}, grad=(0,)),
    OpCase("resize_bicubic_int_channels_first", "image.resize", ((IMG * 255).astype("uint8").transpose(0, 3, 1, 2),
                                                                  (5, 13)),
           {"interpolation": "bicubic", "data_format": "channels_first"}),
    # TensorFlow registers no gradient for ResizeArea.
    OpCase("resize_area_down", "image.resize", (IMG, (3, 4)), {"interpolation": "area"}),
    OpCase("resize_area_up", "image.resize", (IMG, (10, 13)), {"interpolation": "area"}),
    OpCase("resize_area_int", "image.resize", ((IMG * 255).astype("uint8"), (4, 7)), {"interpolation": "area"}),
    OpCase("resize_bilinear_int", "image.resize", ((IMG * 255).astype("int32"), (5, 13))),
    OpCase("resize_bicubic_down_antialias", "image.resize", (IMG, (4, 5)),
           {"interpolation": "bicubic", "antialias": True}, grad=(0,)),
    OpCase("resize_lanczos3_down", "image.resize", (IMG, (4, 5)), {"interpolation": "lanczos3"}),
    OpCase("resize_lanczos5_up_antialias", "image.resize", (IMG, (9, 12)),
           {"interpolation": "lanczos5", "antialias": True}),
    OpCase("resize_crop_to_aspect_ratio", "image.resize", (IMG, (4, 4)), {"crop_to_aspect_ratio": True}),
    OpCase("resize_pad_to_aspect_ratio", "image.resize", (IMG, (4, 8)),
           {"pad_to_aspect_ratio": True, "fill_value": 0.5}),
    OpCase("resize_pad_to_aspect_ratio_tall", "image.resize", (IMG, (9, 3)), {"pad_to_aspect_ratio": True}),
    OpCase("affine_rotation_bilinear", "image.affine_transform", (IMG, ROTATE)),
    OpCase("affine_projective_batch_nearest", "image.affine_transform", (IMG, PROJECTIVE),
           {"interpolation": "nearest", "fill_value": -1.0}),
] + [
    OpCase(f"affine_fill_{mode}", "image.affine_transform", (IMG, PROJECTIVE * np.array([1.6, 1, 1, 1, 1.5, 1, 1, 1],
                                                                                          "float32")),
           {"fill_mode": mode})
    for mode in ("nearest", "wrap", "reflect")
] + [
    OpCase("extract_patches", "image.extract_patches", (IMG, 3), grad=(0,)),
    OpCase("extract_patches_strides_same", "image.extract_patches", (IMG, (2, 3)),
           {"strides": (2, 2), "padding": "same"}, grad=(0,)),
    OpCase("extract_patches_dilated", "image.extract_patches", (IMG, 2), {"strides": 1, "dilation_rate": 2}),
    OpCase("extract_patches_3d", "image.extract_patches_3d", (rand(1, 5, 6, 4, 2, seed=3), (2, 3, 2)), grad=(0,)),
    OpCase("extract_patches_3d_same", "image.extract_patches_3d", (rand(1, 5, 6, 4, 2, seed=3), 3),
           {"strides": (2, 2, 3), "padding": "same"}),
    OpCase("map_coordinates_linear", "image.map_coordinates",
           (SQUARE[0, :, :, 0], rand(2, 4, 5, seed=4, low=-1.5, high=6.5), 1), grad=(0,)),
    OpCase("map_coordinates_nearest_fill", "image.map_coordinates",
           (SQUARE[0, :, :, 0], rand(2, 7, seed=5, low=-2.0, high=7.0), 0), {"fill_value": 9.0}),
] + [
    OpCase(f"map_coordinates_{mode}", "image.map_coordinates",
           (SQUARE[0, :, :, 0], rand(2, 12, seed=6, low=-9.0, high=15.0), 1), {"fill_mode": mode}, grad=(0,))
    for mode in ("nearest", "wrap", "reflect")  # Keras's TensorFlow 'mirror' indexes out of bounds (tests/)
] + [
    OpCase("map_coordinates_3d", "image.map_coordinates", (SQUARE[0], rand(3, 6, seed=7, low=-0.5, high=5.0), 1)),
    OpCase("pad_images", "image.pad_images", (IMG, 1, 2), {"target_height": 10, "target_width": 12}, grad=(0,)),
    OpCase("pad_images_bottom_right", "image.pad_images", (IMG[0],),
           {"bottom_padding": 2, "right_padding": 1, "top_padding": 0, "left_padding": 3}),
    OpCase("crop_images", "image.crop_images", (IMG, 1, 2), {"target_height": 4, "target_width": 5}, grad=(0,)),
    OpCase("crop_images_channels_first", "image.crop_images", (IMG.transpose(0, 3, 1, 2),),
           {"bottom_cropping": 2, "right_cropping": 1, "top_cropping": 1, "left_cropping": 0,
            "data_format": "channels_first"}),
    OpCase("gaussian_blur", "image.gaussian_blur", (IMG,), grad=(0,)),
    OpCase("gaussian_blur_uneven", "image.gaussian_blur", (IMG,), {"kernel_size": (5, 3), "sigma": (2.0, 0.7)},
           grad=(0,)),
    OpCase("sobel_edges", "image.sobel_edges", (IMG,), grad=(0,)),
    OpCase("ssim", "image.ssim", (IMG, np.clip(IMG + rand(*IMG.shape, seed=9) * 0.1, 0, 1)), {"filter_size": 5},
           grad=(0, 1)),
    OpCase("ssim_unbatched", "image.ssim", (IMG[0], IMG[1]), {"filter_size": 3, "max_val": 2.0}),
    OpCase("perspective_transform", "image.perspective_transform",
           (IMG, np.array([[0, 0], [8, 0], [0, 6], [8, 6]], "float32"),
            np.array([[1, 0.5], [7, 0], [0, 6], [8.5, 5]], "float32")), rtol=1e-4, atol=1e-4,
           tol_reason="the homography is solved in float64 here, in float32 by TensorFlow"),
    OpCase("perspective_transform_batch_nearest", "image.perspective_transform",
           (IMG, np.array([[[0, 0], [8, 0], [0, 6], [8, 6]]] * 2, "float32"),
            np.array([[[1, 1], [7, 0], [0, 5], [8, 6]], [[0, 0], [6, 1], [1, 6], [8, 4]]], "float32")),
           {"interpolation": "nearest"}),
    # Random displacements cannot match TensorFlow's; alpha=0 must give the image back on both sides
    # (the distribution of displacements is compared in test_random_parity.py).
    OpCase("elastic_transform_alpha0", "image.elastic_transform", (IMG,), {"alpha": 0.0, "seed": 1}),
] + [
    OpCase(f"scale_and_translate_{method}_{'aa' if antialias else 'plain'}", "image.scale_and_translate",
           (IMG, (2, 5, 4, 3), np.array([0.7, 0.45], "float32"), np.array([0.5, -0.3], "float32"), (1, 2), method),
           {"antialias": antialias}, grad=(0,))
    for method in ("bilinear", "bicubic", "lanczos3", "lanczos5") for antialias in (True, False)
]
