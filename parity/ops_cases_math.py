"""keras.ops math parity cases (TensorFlow-free)."""

import numpy as np

from ops_case import OpCase, rand, randint

X = rand(4, 6, seed=1)
IDS = np.array([0, 0, 2, 3, 3, 3])
DATA = rand(6, 3, seed=2)
SIGNAL = rand(2, 64, seed=3)

CASES = [
    # Keras's TensorFlow backend counts distinct ids for the default num_segments (an error for gapped
    # ids); its other backends and kerascompat take max(id) + 1, the same for gap-free ids.
    OpCase("segment_sum", "segment_sum", (DATA, np.array([0, 0, 1, 2, 2, 2])), grad=(0,)),
    OpCase("segment_sum_num_segments", "segment_sum", (DATA, IDS), {"num_segments": 6}, grad=(0,)),
    OpCase("segment_sum_sorted", "segment_sum", (DATA, IDS), {"sorted": True}, grad=(0,)),
    OpCase("segment_max", "segment_max", (DATA, IDS), grad=(0,)),
    OpCase("segment_max_sorted", "segment_max", (DATA, IDS), {"sorted": True}, grad=(0,)),
    OpCase("segment_min", "segment_min", (DATA, np.array([1, 1, 0, 3, 3, 1])), grad=(0,)),
    OpCase("segment_min_int", "segment_min", (randint(6, high=50), IDS)),
    OpCase("segment_prod", "segment_prod", (DATA, IDS), grad=(0,)),
    OpCase("segment_prod_sorted", "segment_prod", (DATA, IDS), {"sorted": True}),
    OpCase("top_k", "top_k", (X, 3), grad=(0,)),
    OpCase("top_k_int", "top_k", (randint(3, 8, high=100), 2)),
    OpCase("in_top_k", "in_top_k", (np.array([0, 3, 5, 1]), X, 2)),
    OpCase("in_top_k_ties", "in_top_k", (np.array([0, 1]), np.array([[1.0, 1.0, 0.0], [2.0, 1.0, 1.0]], "float32"), 1)),
    OpCase("logsumexp", "logsumexp", (X,), grad=(0,)),
    OpCase("logsumexp_axis", "logsumexp", (X,), {"axis": 1, "keepdims": True}, grad=(0,)),
    OpCase("cdist", "cdist", (rand(2, 4, 3, seed=1), rand(2, 5, 3, seed=2)), grad=(0, 1)),
    OpCase("extract_sequences", "extract_sequences", (rand(2, 10, seed=1), 4, 3), grad=(0,)),
    OpCase("fft", "fft", ((rand(3, 8, seed=1), rand(3, 8, seed=2)),), rtol=1e-5, atol=1e-5),
    OpCase("fft2", "fft2", ((rand(2, 4, 6, seed=1), rand(2, 4, 6, seed=2)),)),
    OpCase("ifft2", "ifft2", ((rand(2, 4, 6, seed=1), rand(2, 4, 6, seed=2)),)),
    OpCase("rfft", "rfft", (rand(3, 10, seed=1),), grad=(0,)),
    OpCase("rfft_length", "rfft", (rand(3, 10, seed=1), 16), grad=(0,)),
    OpCase("irfft", "irfft", ((rand(3, 6, seed=1), rand(3, 6, seed=2)),)),
    OpCase("irfft_length", "irfft", ((rand(3, 6, seed=1), rand(3, 6, seed=2)), 8)),
    OpCase("stft", "stft", (SIGNAL, 16, 8, 16), grad=(0,)),
    OpCase("stft_hamming_no_center_pad", "stft", (SIGNAL, 12, 5, 16), {"window": "hamming", "center": False},
           grad=(0,)),
    OpCase("stft_no_window", "stft", (SIGNAL, 16, 4, 32), {"window": None}, grad=(0,)),
    OpCase("istft", "istft", ((rand(2, 9, 9, seed=1), rand(2, 9, 9, seed=2)), 16, 8, 16), rtol=1e-4, atol=1e-5,
           tol_reason="window normalization divides by sums of squared windows"),
    OpCase("istft_length_no_center", "istft", ((rand(2, 9, 9, seed=1), rand(2, 9, 9, seed=2)), 12, 4, 16),
           {"length": 30, "center": False, "window": "hamming"}, rtol=1e-4, atol=1e-5,
           tol_reason="window normalization divides by sums of squared windows"),
    OpCase("rsqrt", "rsqrt", (np.abs(X) + 0.1,), grad=(0,)),
    OpCase("erf", "erf", (X,), grad=(0,)),
    OpCase("erfc", "erfc", (X,), grad=(0,)),
    OpCase("erfinv", "erfinv", (np.tanh(X) * 0.9,), grad=(0,), rtol=1e-4, atol=1e-5,
           tol_reason="erfinv is computed by different approximations"),
    OpCase("logdet", "logdet", (np.eye(3, dtype="float32") * 2 + 0.1,), grad=(0,)),
    OpCase("view_as_complex", "view_as_complex", (rand(3, 2, seed=1),)),
    OpCase("view_as_real", "view_as_real", ((rand(3, seed=1) + 1j * rand(3, seed=2)).astype("complex64"),)),
]
