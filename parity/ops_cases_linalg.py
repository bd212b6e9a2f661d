"""keras.ops linalg parity cases (TensorFlow-free)."""

import numpy as np

from ops_case import OpCase, PerSide, rand, spd

A = spd(4, seed=1)
M = rand(5, 3, seed=2)
SQ = rand(4, 4, seed=3) + 4 * np.eye(4, dtype="float32")
B = rand(4, 2, seed=4)
LOOSE = dict(rtol=1e-4, atol=1e-5, tol_reason="LAPACK (torch) and Eigen (TensorFlow) factorizations round differently")


def _abs_equal(ours, theirs):
    """Factorizations unique up to the signs of columns: compare magnitudes."""
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(np.abs(o), np.abs(t), rtol=1e-4, atol=1e-4)


def _eig_equal(ours, theirs):
    """Eigenvalues sorted by real part equal; each eigenvector satisfies A v = w v (checked in tests/)."""
    key = lambda w: np.lexsort((w.imag, w.real))  # noqa: E731
    np.testing.assert_allclose(ours[0][key(ours[0])], theirs[0][key(theirs[0])], rtol=1e-4, atol=1e-4)


def _tensors(*arrays):
    return PerSide(lambda ops: tuple(ops.convert_to_tensor(a) for a in arrays))


CASES = [
    OpCase("cholesky", "cholesky", (A,), grad=(0,), **LOOSE),
    OpCase("cholesky_upper", "cholesky", (A,), {"upper": True}, **LOOSE),
    OpCase("cholesky_inverse", "cholesky_inverse", (np.linalg.cholesky(A).astype("float32"),), grad=(0,), **LOOSE),
    OpCase("det", "det", (SQ,), grad=(0,), **LOOSE),
    OpCase("det_batched", "det", (np.stack([SQ, A]),), grad=(0,), **LOOSE),
    OpCase("eig", "eig", (SQ,), compare=_eig_equal),
    OpCase("eigh", "eigh", (A,), compare=_abs_equal),
    OpCase("inv", "inv", (SQ,), grad=(0,), **LOOSE),
    OpCase("lu_factor", "lu_factor", (SQ,), **LOOSE),
    OpCase("lu_factor_pivoting", "lu_factor", (np.array([[0, 1, 2], [3, 4, 5], [6, 7, 9]], "float32"),), **LOOSE),
    OpCase("norm_vector", "norm", (M.ravel(),), grad=(0,)),
    OpCase("norm_flat", "norm", (M,), grad=(0,)),
    OpCase("norm_ord1_axis0", "norm", (M,), {"ord": 1, "axis": 0, "keepdims": True}, grad=(0,)),
    OpCase("norm_inf_axis1", "norm", (M,), {"ord": np.inf, "axis": 1}),
    OpCase("norm_fro", "norm", (M,), {"ord": "fro"}, grad=(0,)),
    OpCase("norm_nuc", "norm", (M,), {"ord": "nuc"}, **LOOSE),
    OpCase("norm_matrix_1", "norm", (M,), {"ord": 1, "axis": (0, 1)}),
    OpCase("qr", "qr", (M,), compare=_abs_equal),
    OpCase("qr_complete", "qr", (M,), {"mode": "complete"}, compare=lambda o, t: _abs_equal(o[1:], t[1:])),
    OpCase("solve", "solve", (SQ, B), grad=(0, 1), **LOOSE),
    OpCase("solve_triangular_lower", "solve_triangular", (np.tril(SQ), B), {"lower": True}, grad=(1,), **LOOSE),
    OpCase("solve_triangular_upper", "solve_triangular", (np.triu(SQ), B), grad=(1,), **LOOSE),
    OpCase("svd", "svd", (M,), {"full_matrices": False}, compare=_abs_equal),
    OpCase("svd_values", "svd", (M,), {"compute_uv": False}, grad=(0,), **LOOSE),
    OpCase("lstsq", "lstsq", (M, rand(5, 2, seed=5)), **LOOSE),
    OpCase("lstsq_vector_rank_deficient", "lstsq", (np.array([[1, 2], [2, 4], [3, 6]], "float32"),
                                                    np.array([1, 2, 3], "float32")), **LOOSE),
    OpCase("matrix_rank", "matrix_rank", (np.array([[1, 2, 3], [2, 4, 6], [1, 0, 1]], "float32"),)),
    OpCase("matrix_rank_tol", "matrix_rank", (np.diag([1.0, 0.1, 0.001]).astype("float32"),), {"tol": 0.01}),
    OpCase("pinv", "pinv", (M,), grad=(0,), **LOOSE),
    OpCase("pinv_singular", "pinv", (np.array([[1, 2], [2, 4]], "float32"),), **LOOSE),
    OpCase("jvp", "jvp", (PerSide(lambda ops: lambda x: ops.sigmoid(x) * x), _tensors(M), _tensors(np.ones_like(M)))),
    OpCase("jvp_aux", "jvp", (PerSide(lambda ops: lambda x: (ops.sigmoid(x), x * 2.0)), _tensors(M), _tensors(M)),
           {"has_aux": True}),
]
