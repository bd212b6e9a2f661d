"""keras.ops linear algebra (keras/src/ops/linalg.py) on torch.linalg, with Keras's conventions:
svd returns (u, s, vh), lu_factor returns (lu, pivots) as a 0-based int32 row permutation,
pinv/matrix_rank/lstsq use TensorFlow's default cut-offs."""

import torch

from ._tensor import float_tensor, tensors


def _square(x, name="x"):
    if x.ndim < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError(f"`{name}` must be a batch of square matrices. Received: {name}.shape={tuple(x.shape)}")
    return x


def cholesky(x, upper=False):
    return torch.linalg.cholesky(_square(float_tensor(x)), upper=upper)


def cholesky_inverse(x, upper=False):
    """The inverse of A from its Cholesky factor (lower, or upper with `upper=True`; the other
    triangle is not read, so it gets no gradient)."""
    x = _square(float_tensor(x))
    return torch.cholesky_inverse(x.triu() if upper else x.tril(), upper=upper)


def det(x):
    return torch.linalg.det(_square(float_tensor(x)))


def eig(x):
    """(eigenvalues, eigenvectors), complex as in Keras."""
    return torch.linalg.eig(_square(float_tensor(x)))


def eigh(x):
    """(eigenvalues ascending, eigenvectors) of Hermitian matrices (lower triangle read)."""
    return torch.linalg.eigh(_square(float_tensor(x)))


def inv(x):
    return torch.linalg.inv(_square(float_tensor(x)))


def lu_factor(x):
    """(lu, pivots): lu holds L (unit diagonal, not stored) and U; pivots is the 0-based permutation p
    with x[p] ... in TensorFlow's convention (Keras's inverted tf.linalg.lu permutation), int32."""
    x = _square(float_tensor(x))
    lu, lapack_pivots = torch.linalg.lu_factor(x)
    permutation_matrix = torch.lu_unpack(lu, lapack_pivots, unpack_data=False)[0]
    rows = permutation_matrix.argmax(-2)  # (P^T x)[i] = x[rows[i]]
    return lu, torch.argsort(rows, dim=-1).to(torch.int32)


def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 (Keras's name)
    """numpy.linalg.norm semantics: vector norms over one axis, matrix norms over two."""
    x = float_tensor(x)
    if axis is None:
        if ord is None:
            return torch.linalg.vector_norm(x, 2, dim=None, keepdim=keepdims)
        axis = tuple(range(x.ndim))
    if isinstance(axis, int):
        axis = (axis,)
    axis = tuple(axis)
    if len(axis) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid `ord` argument for vector norm. Received: `ord`={ord!r}")
        return torch.linalg.vector_norm(x, 2 if ord is None else ord, dim=axis, keepdim=keepdims)
    if len(axis) == 2:
        if ord is None:
            ord = "fro"
        if ord not in ("fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf")):
            raise ValueError(f"Invalid `ord` argument for matrix norm. Received: `ord`={ord!r}")
        return torch.linalg.matrix_norm(x, ord, dim=axis, keepdim=keepdims)
    raise ValueError(f"`axis` must be None, an int or a tuple of 2 ints. Received: `axis`={axis!r}")


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError(f"`mode` argument value not supported. Expected one of {{'reduced', 'complete'}}. "
                         f"Received: `mode`={mode!r}")
    return torch.linalg.qr(float_tensor(x), mode=mode)


def solve(a, b):
    a, b = tensors(a, b)
    return torch.linalg.solve(_square(float_tensor(a), "a"), float_tensor(b))


def solve_triangular(a, b, lower=False):
    a, b = tensors(a, b)
    a, b = _square(float_tensor(a), "a"), float_tensor(b)
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b.unsqueeze(-1)
    out = torch.linalg.solve_triangular(a, b, upper=not lower)
    return out.squeeze(-1) if vector else out


def svd(x, full_matrices=True, compute_uv=True):
    x = float_tensor(x)
    if not compute_uv:
        return torch.linalg.svdvals(x)
    return torch.linalg.svd(x, full_matrices=full_matrices)


def _cutoff(s, shape, rcond, factor):
    eps = torch.finfo(s.dtype).eps
    if rcond is None:
        rcond = factor * max(shape[-2], shape[-1]) * eps
    return rcond * s.amax(-1, keepdim=True)


def lstsq(a, b, rcond=None):
    """Least-squares solution through the SVD; singular values below rcond * max(s) are dropped
    (rcond defaults to eps * max(M, N), as numpy and Keras)."""
    a, b = tensors(a, b)
    a, b = float_tensor(a), float_tensor(b)
    if a.ndim != 2:
        raise TypeError(f"{a.ndim}-dimensional array given. Array must be two-dimensional")
    vector = b.ndim == 1
    if vector:
        b = b.unsqueeze(-1)
    u, s, vh = torch.linalg.svd(a, full_matrices=False)
    keep = s > _cutoff(s, a.shape, rcond, 1.0)
    s_inv = torch.where(keep, 1.0 / torch.where(keep, s, torch.ones_like(s)), torch.zeros_like(s))
    x = vh.mT @ (s_inv.unsqueeze(-1) * (u.mT @ b.to(a.dtype)))
    return x.squeeze(-1) if vector else x


def matrix_rank(x, tol=None):
    """Number of singular values above `tol` (default max(s) * max(M, N) * eps), int32."""
    x = float_tensor(x)
    s = torch.linalg.svdvals(x)
    cutoff = _cutoff(s, x.shape, None, 1.0) if tol is None else torch.as_tensor(tol, dtype=s.dtype)
    return (s > cutoff).sum(-1).to(torch.int32)


def pinv(x, rcond=None):
    """Moore-Penrose inverse; singular values below rcond * max(s) are dropped (TensorFlow's default
    rcond = 10 * max(M, N) * eps)."""
    x = float_tensor(x)
    s = torch.linalg.svdvals(x)
    cutoff = _cutoff(s.detach(), x.shape, rcond, 10.0).squeeze(-1)
    return torch.linalg.pinv(x, atol=cutoff, rtol=torch.zeros_like(cutoff))


def jvp(fun, primals, tangents, has_aux=False):
    """Jacobian-vector product: (fun(*primals), J @ tangents[, aux]) via torch.func.jvp."""
    primals = tuple(float_tensor(p) for p in primals)
    tangents = tuple(float_tensor(t) for t in tangents)
    return torch.func.jvp(fun, primals, tangents, has_aux=has_aux)


__all__ = [
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor", "matrix_rank", "norm",
    "pinv", "qr", "solve", "solve_triangular", "svd",
]
