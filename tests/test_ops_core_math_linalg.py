"""keras.ops core, math and linalg: hand-computed values and errors (no TensorFlow)."""

import numpy as np
import pytest
import torch

from kerascompat import ops


def test_convert_to_tensor_dtypes_and_refusals():
    assert ops.convert_to_tensor(1.5).dtype == torch.float32
    assert ops.convert_to_tensor(2 ** 40).dtype == torch.int64
    assert ops.convert_to_tensor([1, 2]).dtype == torch.int32
    assert ops.convert_to_tensor([True, False]).dtype == torch.bool
    assert ops.dtype(np.zeros(2, "float16")) == "float16"
    with pytest.raises(NotImplementedError, match="`sparse`"):
        ops.convert_to_tensor([1.0], sparse=True)
    t = torch.ones(2, dtype=torch.bfloat16)
    assert ops.convert_to_numpy(t).dtype == np.float32


def test_saturate_cast_clips_instead_of_wrapping():
    assert ops.saturate_cast(torch.tensor([-1.0, 256.0, 3e10]), "uint8").tolist() == [0, 255, 255]
    assert ops.saturate_cast(torch.tensor([1e10]), "int32").item() == 2 ** 31 - 1
    assert ops.saturate_cast(torch.tensor([300], dtype=torch.int32), "int8").item() == 127


def test_scatter_adds_duplicates_and_scatter_update_replaces():
    assert ops.scatter([[1], [1], [0]], [1.0, 2.0, 5.0], (3,)).tolist() == [5.0, 3.0, 0.0]
    out = ops.scatter_update(torch.zeros(2, 2), [[0, 1]], [7.0])
    assert out.tolist() == [[0.0, 7.0], [0.0, 0.0]]
    assert ops.scatter_update(torch.ones(3), [[1], [1]], [2.0, 3.0], reduction="mul").tolist() == [1.0, 6.0, 1.0]
    with pytest.raises(ValueError, match="`reduction`"):
        ops.scatter_update(torch.ones(3), [[1]], [2.0], reduction="mean")


def test_slice_and_slice_update_leave_the_input_alone():
    x = torch.arange(12.0).reshape(3, 4)
    assert ops.slice(x, (1, 1), (2, 2)).tolist() == [[5.0, 6.0], [9.0, 10.0]]
    y = ops.slice_update(x, (0, 2), torch.zeros(1, 2))
    assert y[0].tolist() == [0.0, 1.0, 0.0, 0.0] and x[0, 2] == 2.0


def test_control_flow():
    assert ops.while_loop(lambda i: i < 5, lambda i: i + 2, 0).item() == 6
    assert ops.while_loop(lambda i, s: True, lambda i, s: (i + 1, s * 2), (0, 1), maximum_iterations=3)[1].item() == 8
    assert ops.fori_loop(0, 4, lambda i, s: s + i, 0) == 6
    assert ops.switch(-3, [lambda: "a", lambda: "b"]) == "a"
    carry, ys = ops.scan(lambda c, x: (c + x, c), 0.0, torch.tensor([1.0, 2.0, 3.0]))
    assert carry.item() == 6.0 and ys.tolist() == [0.0, 1.0, 3.0]
    assert ops.associative_scan(lambda a, b: a + b, torch.tensor([1.0, 2.0, 3.0])).tolist() == [1.0, 3.0, 6.0]
    with pytest.raises(ValueError, match="`length`"):
        ops.scan(lambda c, x: (c, x), 0.0)


def test_custom_gradient_is_used():
    @ops.custom_gradient
    def identity_with_double_grad(x):
        return x * 1.0, lambda upstream: upstream * 2.0

    x = torch.ones(3, requires_grad=True)
    identity_with_double_grad(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]


def test_segments_and_top_k():
    data = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert ops.segment_sum(data, [0, 0, 2, 2]).tolist() == [3.0, 0.0, 7.0]
    assert ops.segment_max(data, [0, 0, 2, 2], sorted=True).tolist() == [2.0, 0.0, 4.0]
    assert ops.segment_max(data, [0, 0, 2, 2])[1].item() == torch.finfo(torch.float32).min
    assert ops.segment_sum(data, [0, -1, 1, 1]).tolist() == [1.0, 7.0]  # negative ids dropped
    values, indices = ops.top_k(torch.tensor([1.0, 3.0, 3.0, 2.0]), 2)
    assert values.tolist() == [3.0, 3.0] and indices.tolist() == [1, 2] and indices.dtype == torch.int32
    assert ops.in_top_k([0, 2], torch.tensor([[1.0, 0.0, 0.5], [0.2, 0.3, 0.1]]), 1).tolist() == [True, False]


def test_fft_round_trips_and_complex_views():
    x = torch.randn(3, 8)
    torch.testing.assert_close(ops.irfft(ops.rfft(x)), x, atol=1e-5, rtol=1e-5)
    with pytest.raises(ValueError, match="tuple of two"):
        ops.fft(torch.randn(4))
    z = ops.view_as_complex(torch.tensor([[1.0, 2.0]]))
    assert z.tolist() == [1 + 2j] and ops.view_as_real(z).tolist() == [[1.0, 2.0]]


def test_stft_then_istft_recovers_the_signal():
    signal = torch.randn(2, 64, dtype=torch.float64)
    spectrum = ops.stft(signal, 16, 4, 16)
    restored = ops.istft(spectrum, 16, 4, 16, length=64)
    assert restored.shape == signal.shape
    # TensorFlow's window normalization assumes full overlap, so only the interior is exact.
    torch.testing.assert_close(restored[:, 8:-8], signal[:, 8:-8])
    with pytest.raises(ValueError, match="`fft_length`"):
        ops.stft(signal, 32, 4, 16)


def test_linalg_identities():
    a = torch.tensor([[4.0, 2.0], [2.0, 3.0]])
    torch.testing.assert_close(ops.inv(a) @ a, torch.eye(2))
    lower = ops.cholesky(a)
    torch.testing.assert_close(lower @ lower.T, a)
    torch.testing.assert_close(ops.cholesky_inverse(lower), ops.inv(a))
    u, s, vh = ops.svd(a)
    torch.testing.assert_close(u @ torch.diag(s) @ vh, a)
    lu, pivots = ops.lu_factor(torch.tensor([[0.0, 1.0], [2.0, 3.0]]))
    assert pivots.tolist() == [1, 0] and pivots.dtype == torch.int32
    w, v = ops.eig(a)
    torch.testing.assert_close(a.to(v.dtype) @ v, v * w)
    assert ops.matrix_rank(torch.tensor([[1.0, 2.0], [2.0, 4.0]])).item() == 1
    assert ops.norm(torch.tensor([3.0, 4.0])).item() == 5.0
    with pytest.raises(ValueError, match="`mode`"):
        ops.qr(a, mode="r")
    with pytest.raises(ValueError, match="square"):
        ops.det(torch.ones(2, 3))
