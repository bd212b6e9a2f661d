"""keras.ops.image filters and warps: gaussian_blur, sobel_edges, ssim, perspective_transform,
elastic_transform."""

import torch
import torch.nn.functional as F

from ..backend.seeds import generator
from ._images import batched_nhwc
from ._tensor import float_tensor, tensors
from .image_sampling import affine_transform, check_sampling_args, map_coordinates


def _gaussian_1d(size, sigma, dtype, device):
    x = torch.arange(size, dtype=dtype, device=device) - (size - 1) / 2
    kernel = torch.exp(-0.5 * (x / sigma) ** 2)
    return kernel / kernel.sum()


def _depthwise_nhwc(x, kernel_2d, padding):
    """Each channel of x (B, H, W, C) convolved (cross-correlated) with kernel_2d (kh, kw)."""
    channels = x.shape[-1]
    weight = kernel_2d.to(x.dtype).expand(channels, 1, *kernel_2d.shape)
    y = F.conv2d(x.permute(0, 3, 1, 2), weight, padding=padding, groups=channels)
    return y.permute(0, 2, 3, 1)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Depthwise Gaussian blur with 'same' zero padding, built as Keras builds it (for a non-square
    kernel the outer product of the two 1-D kernels is reshaped, not transposed, to kernel_size)."""
    x, restore = batched_nhwc(images, data_format)
    x = float_tensor(x)
    kh, kw = (int(k) for k in kernel_size)
    sh, sw = (float(s) for s in sigma)
    outer = torch.outer(_gaussian_1d(kw, sw, x.dtype, x.device), _gaussian_1d(kh, sh, x.dtype, x.device))
    kernel = outer.reshape(kh, kw)
    pads = []
    for k in (kh, kw):
        total = k - 1
        pads.append((total // 2, total - total // 2))
    padded = F.pad(x, (0, 0, pads[1][0], pads[1][1], pads[0][0], pads[0][1]))
    return restore(_depthwise_nhwc(padded, kernel, 0))


def sobel_edges(images, data_format=None):
    """tf.image.sobel_edges: (..., H, W, C, 2) holding [dy, dx], reflect-padded."""
    x = float_tensor(images)
    if x.ndim != 4:
        raise ValueError(f"Invalid images rank: expected rank 4. Received: images.shape={tuple(x.shape)}")
    from ._images import data_format as resolve

    first = resolve(data_format) == "channels_first"
    if first:
        x = x.permute(0, 2, 3, 1)
    dy = torch.tensor([[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]], dtype=x.dtype, device=x.device)
    padded = F.pad(x.permute(0, 3, 1, 2), (1, 1, 1, 1), mode="reflect").permute(0, 2, 3, 1)
    edges = torch.stack([_depthwise_nhwc(padded, dy, 0), _depthwise_nhwc(padded, dy.T, 0)], -1)
    return edges.permute(0, 3, 1, 2, 4) if first else edges


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None):
    """Mean structural similarity per image (Gaussian window, 'valid' convolution), as Keras computes it."""
    image1, image2 = tensors(image1, image2)
    x, restore = batched_nhwc(image1, data_format, "image1")
    y, _ = batched_nhwc(image2, data_format, "image2")
    dtype = x.dtype
    x, y = float_tensor(x), float_tensor(y).to(float_tensor(x).dtype)
    g = _gaussian_1d(int(filter_size), float(filter_sigma), x.dtype, x.device)
    kernel = torch.outer(g, g)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2

    def blur(t):
        return _depthwise_nhwc(t, kernel, 0)

    mu1, mu2 = blur(x), blur(y)
    sigma1 = blur(x * x) - mu1 * mu1
    sigma2 = blur(y * y) - mu2 * mu2
    sigma12 = blur(x * y) - mu1 * mu2
    ssim_map = ((2 * mu1 * mu2 + c1) * (2 * sigma12 + c2)) / ((mu1 * mu1 + mu2 * mu2 + c1) * (sigma1 + sigma2 + c2))
    result = ssim_map.mean(dim=(1, 2, 3))
    unbatched = torch.as_tensor(image1).ndim == 3
    result = result[0] if unbatched else result
    return result.to(dtype) if dtype.is_floating_point else result


def _homography(start, end):
    """The 8 projective coefficients mapping end points (output) to start points (input), per image."""
    rows, targets = [], []
    zeros, ones = torch.zeros_like(end[:, 0, 0]), torch.ones_like(end[:, 0, 0])
    for i in range(4):
        ex, ey, sx, sy = end[:, i, 0], end[:, i, 1], start[:, i, 0], start[:, i, 1]
        rows.append(torch.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], -1))
        rows.append(torch.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], -1))
        targets += [sx, sy]
    return torch.linalg.solve(torch.stack(rows, 1), torch.stack(targets, 1))


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Warp so that `start_points` (4 corners, (x, y)) land on `end_points`."""
    images, start_points, end_points = tensors(images, start_points, end_points)
    start, end = start_points.to(torch.float32), end_points.to(torch.float32)
    for name, points in (("start_points", start), ("end_points", end)):
        if points.ndim not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(f"Invalid {name} shape: expected (4,2) for a single image or (N,4,2) for a batch. "
                             f"Received shape: {tuple(points.shape)}")
    if start.shape != end.shape:
        raise ValueError("start_points and end_points must have the same shape. "
                         f"Received: {tuple(start.shape)} and {tuple(end.shape)}")
    start, end = start.reshape(-1, 4, 2), end.reshape(-1, 4, 2)
    transform = _homography(start.double(), end.double()).float()
    return affine_transform(images, transform, interpolation=interpolation, fill_mode="constant",
                            fill_value=fill_value, data_format=data_format)


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                      seed=None, data_format=None):
    """Keras's elastic deformation: a standard-normal field times sigma, Gaussian-blurred (kernel
    6 * int(sigma) | 1), times alpha, displaces every pixel; sampled with map_coordinates.

    As in Keras (whose two draws share one seed), the x and y displacements are the same field.
    Values differ from TensorFlow's (different generators); an int `seed` repeats the field.
    """
    check_sampling_args(interpolation, fill_mode)
    x, restore = batched_nhwc(images, data_format)
    dtype = x.dtype
    work = x if dtype.is_floating_point else x.to(torch.float32)
    batch, height, width, channels = work.shape
    size = (6 * int(sigma)) | 1
    field = torch.empty((batch, height, width, 1), dtype=work.dtype)
    field.normal_(0.0, 1.0, generator=generator(seed))
    field = gaussian_blur(field.to(work.device) * sigma, (size, size), (sigma, sigma), "channels_last")[..., 0]
    ys, xs = torch.meshgrid(torch.arange(height, dtype=work.dtype, device=work.device),
                            torch.arange(width, dtype=work.dtype, device=work.device), indexing="ij")
    order = 0 if interpolation == "nearest" else 1
    out = torch.stack([
        torch.stack([map_coordinates(work[b, ..., c], torch.stack([ys + alpha * field[b], xs + alpha * field[b]]),
                                     order, fill_mode=fill_mode, fill_value=fill_value)
                     for c in range(channels)], -1)
        for b in range(batch)])
    return restore(out.to(dtype))


__all__ = ["elastic_transform", "gaussian_blur", "perspective_transform", "sobel_edges", "ssim"]
