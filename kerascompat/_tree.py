"""Minimal nested-structure helpers (lists, tuples, dicts) used by the functional graph."""


def flatten(structure):
    if isinstance(structure, (list, tuple)):
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    return [structure]


def map_structure(fn, structure):
    if isinstance(structure, list):
        return [map_structure(fn, s) for s in structure]
    if isinstance(structure, tuple):
        return tuple(map_structure(fn, s) for s in structure)
    if isinstance(structure, dict):
        return {k: map_structure(fn, v) for k, v in structure.items()}
    return fn(structure)


def pack_like(structure, flat):
    """Inverse of flatten: fill `structure`'s leaves from the iterator/list `flat`."""
    it = iter(flat)

    def _pack(s):
        if isinstance(s, list):
            return [_pack(x) for x in s]
        if isinstance(s, tuple):
            return tuple(_pack(x) for x in s)
        if isinstance(s, dict):
            packed = {k: _pack(s[k]) for k in sorted(s)}
            return {k: packed[k] for k in s}
        return next(it)

    return _pack(structure)


def is_shape(value):
    """A shape is a tuple/list of ints or None (as opposed to a structure of shapes)."""
    return isinstance(value, (tuple, list)) and all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value)


def map_shapes(fn, shapes):
    """Map over a structure whose leaves are shapes."""
    if is_shape(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(map_shapes(fn, s) for s in shapes)
    if isinstance(shapes, dict):
        return {k: map_shapes(fn, v) for k, v in shapes.items()}
    raise TypeError(f"Expected a shape or a structure of shapes. Received: {shapes!r}")


def flatten_shapes(shapes):
    """The list of shapes (tuples) in a structure whose leaves are shapes."""
    if is_shape(shapes):
        return [tuple(shapes)]
    if isinstance(shapes, dict):
        return [s for k in sorted(shapes) for s in flatten_shapes(shapes[k])]
    return [s for item in shapes for s in flatten_shapes(item)]
