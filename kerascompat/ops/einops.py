"""keras.ops.rearrange: einops-style axis rearrangement (Keras 3.15's subset: named axes and
parenthesized groups on either side, no ellipsis, no reductions), as one view, one permute and
one reshape in torch."""

import re

from ._tensor import to_tensor

__all__ = ["rearrange"]

_TOKEN = re.compile(r"\(\s*[\w\s]*\)|\w+|\S")


def _groups(side, pattern):
    groups = []
    for token in _TOKEN.findall(side):
        if token.startswith("("):
            groups.append(token[1:-1].split())
        elif re.fullmatch(r"\w+", token) and not token.isdigit():
            groups.append([token])
        else:
            raise ValueError(f"rearrange: unsupported token {token!r} in the pattern. Received: `pattern`={pattern!r}")
    return groups


def _parse(pattern):
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(f"rearrange: the pattern must be 'input axes -> output axes'. Received: `pattern`={pattern!r}")
    left, right = pattern.split("->")
    inputs, outputs = _groups(left, pattern), _groups(right, pattern)
    names_in = [a for g in inputs for a in g]
    names_out = [a for g in outputs for a in g]
    if len(set(names_in)) != len(names_in) or sorted(names_in) != sorted(names_out):
        raise ValueError("rearrange: each axis must appear once on each side of the pattern. "
                         f"Received: `pattern`={pattern!r}")
    return inputs, outputs


def axis_sizes(pattern, shape, axes_lengths):
    """{axis name: size} for an input of `shape`; one unnamed size per group is inferred."""
    inputs, outputs = _parse(pattern)
    if len(inputs) != len(shape):
        raise ValueError(f"rearrange: the pattern has {len(inputs)} input axes but the tensor has rank {len(shape)}. "
                         f"Received: `pattern`={pattern!r}, shape={tuple(shape)}")
    sizes = {}
    for group, dim in zip(inputs, shape):
        unknown = [a for a in group if a not in axes_lengths]
        if len(group) == 1 and unknown:
            sizes[group[0]] = dim
            continue
        if len(unknown) > 1:
            raise ValueError(f"rearrange: cannot infer the sizes of {unknown} in one group; pass them as keyword "
                             f"arguments. Received: `pattern`={pattern!r}")
        known = 1
        for a in group:
            if a in axes_lengths:
                known *= int(axes_lengths[a])
                sizes[a] = int(axes_lengths[a])
        if unknown:
            sizes[unknown[0]] = dim // known
    return inputs, outputs, sizes


def rearrange(tensor, pattern, **axes_lengths):
    x = to_tensor(tensor)
    inputs, outputs, sizes = axis_sizes(pattern, tuple(x.shape), axes_lengths)
    elementary = [a for g in inputs for a in g]
    x = x.reshape([sizes[a] for a in elementary])
    order = [elementary.index(a) for g in outputs for a in g]
    x = x.permute(order)
    shape = []
    for group in outputs:
        size = 1
        for a in group:
            size *= sizes[a]
        shape.append(size)
    return x.reshape(shape)
